package voice

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Sound is mono 16-bit PCM.
type Sound struct {
	Rate    int     // samples per second
	Samples []int16 // mono
	Text    string  // what it says, for logs and tests; "" for a chime alone
}

// Duration is how long the sound plays.
func (s Sound) Duration() time.Duration {
	if s.Rate <= 0 {
		return 0
	}
	return time.Duration(len(s.Samples)) * time.Second / time.Duration(s.Rate)
}

// PCM returns the samples as signed 16-bit little-endian bytes.
func (s Sound) PCM() []byte {
	b := make([]byte, 2*len(s.Samples))
	for i, v := range s.Samples {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
	}
	return b
}

// WriteWAV writes s as a canonical 44-byte-header PCM WAV file.
func WriteWAV(w io.Writer, s Sound) error {
	n := 2 * len(s.Samples)
	h := make([]byte, 44)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(36+n))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1) // PCM
	binary.LittleEndian.PutUint16(h[22:], 1) // mono
	binary.LittleEndian.PutUint32(h[24:], uint32(s.Rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(s.Rate*2))
	binary.LittleEndian.PutUint16(h[32:], 2)
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(n))
	if _, err := w.Write(h); err != nil {
		return err
	}
	_, err := w.Write(s.PCM())
	return err
}

// ErrNotWAV is returned for input that is not mono 16-bit PCM WAV.
var ErrNotWAV = errors.New("not a mono 16-bit PCM WAV")

// ReadWAV reads a mono 16-bit PCM WAV chunk by chunk. It accepts the
// placeholder sizes a streaming writer leaves (espeak-ng --stdout writes
// 0x7fffffff or 0xffffffff): a data chunk whose size runs past the end is
// read to the end.
func ReadWAV(r io.Reader) (Sound, error) {
	br := bufio.NewReader(r)
	var hdr [12]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return Sound{}, fmt.Errorf("read wav header: %w", err)
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return Sound{}, ErrNotWAV
	}
	var s Sound
	haveFmt := false
	for {
		var ch [8]byte
		if _, err := io.ReadFull(br, ch[:]); err != nil {
			return Sound{}, fmt.Errorf("read wav chunk: %w", err)
		}
		id, size := string(ch[0:4]), binary.LittleEndian.Uint32(ch[4:8])
		switch id {
		case "fmt ":
			if size < 16 || size > 64 {
				return Sound{}, fmt.Errorf("%w: fmt chunk of %d bytes", ErrNotWAV, size)
			}
			f := make([]byte, size+size%2)
			if _, err := io.ReadFull(br, f); err != nil {
				return Sound{}, fmt.Errorf("read fmt: %w", err)
			}
			format, channels := binary.LittleEndian.Uint16(f[0:]), binary.LittleEndian.Uint16(f[2:])
			bits := binary.LittleEndian.Uint16(f[14:])
			if format != 1 || channels != 1 || bits != 16 {
				return Sound{}, fmt.Errorf("%w: format %d, %d channels, %d bits", ErrNotWAV, format, channels, bits)
			}
			s.Rate = int(binary.LittleEndian.Uint32(f[4:]))
			haveFmt = true
		case "data":
			if !haveFmt {
				return Sound{}, fmt.Errorf("%w: data before fmt", ErrNotWAV)
			}
			// The size may be a placeholder: read what there is.
			data, err := io.ReadAll(io.LimitReader(br, int64(size)))
			if err != nil {
				return Sound{}, fmt.Errorf("read data: %w", err)
			}
			s.Samples = make([]int16, len(data)/2)
			for i := range s.Samples {
				s.Samples[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
			}
			return s, nil
		default:
			if _, err := br.Discard(int(size + size%2)); err != nil {
				return Sound{}, fmt.Errorf("skip %q chunk: %w", id, err)
			}
		}
	}
}
