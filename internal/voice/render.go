package voice

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"time"

	"servicehall/assets"
)

// Rate is the sample rate of the clips and of everything rendered here.
const Rate = 22050

// Pacing of a call.
const (
	wordGap    = 30 * time.Millisecond  // between words (clips carry 10 ms of their own)
	pauseGap   = 250 * time.Millisecond // at a comma: after 重呼
	afterChime = 200 * time.Millisecond
	repeatGap  = 700 * time.Millisecond // between repeats of the sentence
	tail       = 300 * time.Millisecond // so the device's buffer drains before a player stops
)

// Settings are how calls sound on this PC.
type Settings struct {
	Volume int // 0–100, scales the amplitude; 0 is silent
	Repeat int // how many times the sentence is said, 1–3
}

// Clamped returns s within its ranges: volume 0–100, repeat 1–3.
func (s Settings) Clamped() Settings {
	s.Volume = min(max(s.Volume, 0), 100)
	s.Repeat = min(max(s.Repeat, 1), 3)
	return s
}

// Voice joins clips into calls.
type Voice struct {
	clips map[string][]int16
}

// Load reads every clip named in Clips() from fsys (files NAME.wav at its
// root). A missing or broken clip is an error: a voice that cannot say
// every call says none, and the queue falls back to the chime.
func Load(fsys fs.FS) (*Voice, error) {
	v := &Voice{clips: map[string][]int16{}}
	var errs []error
	for _, c := range Clips() {
		b, err := fs.ReadFile(fsys, c.Name+".wav")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s, err := ReadWAV(bytes.NewReader(b))
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("clip %s: %w", c.Name, err))
		case s.Rate != Rate:
			errs = append(errs, fmt.Errorf("clip %s: %d Hz, want %d", c.Name, s.Rate, Rate))
		default:
			v.clips[c.Name] = s.Samples
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("load voice clips: %w", err)
	}
	return v, nil
}

// Embedded loads the clips embedded in the program.
func Embedded() (*Voice, error) {
	sub, err := fs.Sub(assets.Voice, "voice")
	if err != nil {
		return nil, err
	}
	return Load(sub)
}

// Render returns the call as it is played: a chime, then the sentence
// Repeat times. A nil Voice, or a call the clips cannot say, gives the
// plain chime: the hall hears that someone is called and looks at the
// display.
func (v *Voice) Render(c Call, s Settings) Sound {
	s = s.Clamped()
	out := Chime()
	var words []string
	var err error
	if v != nil {
		words, err = c.Words()
	}
	if v == nil || err != nil {
		out.Samples = append(out.Samples, silence(tail)...)
		return scale(out, s.Volume)
	}
	out.Samples = append(out.Samples, silence(afterChime)...)
	for i := range s.Repeat {
		if i > 0 {
			out.Samples = append(out.Samples, silence(repeatGap)...)
		}
		for j, w := range words {
			if w == wPause {
				out.Samples = append(out.Samples, silence(pauseGap)...)
				continue
			}
			if j > 0 && words[j-1] != wPause {
				out.Samples = append(out.Samples, silence(wordGap)...)
			}
			out.Samples = append(out.Samples, v.clips[w]...)
		}
	}
	out.Samples = append(out.Samples, silence(tail)...)
	out.Text = wordsText(words)
	return scale(out, s.Volume)
}

// RenderWAV writes the call as a WAV file: for tests, and for checking a
// hall's voice without a sound device (servicehall say).
func (v *Voice) RenderWAV(w io.Writer, c Call, s Settings) error {
	return WriteWAV(w, v.Render(c, s))
}

func silence(d time.Duration) []int16 {
	return make([]int16, int(d*Rate/time.Second))
}

func scale(s Sound, volume int) Sound {
	if volume == 100 {
		return s
	}
	g := float64(volume) / 100
	for i, v := range s.Samples {
		s.Samples[i] = int16(math.Round(float64(v) * g))
	}
	return s
}

// Chime is the two-note chime (E5, then C5) that opens every call, and
// stands alone when there is no voice: bell-like partials under an
// exponential decay, synthesized here rather than stored.
func Chime() Sound {
	notes := []struct {
		freq float64
		dur  time.Duration
	}{{659.25, 380 * time.Millisecond}, {523.25, 620 * time.Millisecond}}
	var out []int16
	for _, n := range notes {
		count := int(n.dur * Rate / time.Second)
		attack := Rate / 200 // 5 ms
		for i := range count {
			t := float64(i) / Rate
			env := math.Exp(-t * 4.5)
			if i < attack {
				env *= float64(i) / float64(attack)
			}
			if rest := count - i; rest < attack {
				env *= float64(rest) / float64(attack)
			}
			x := math.Sin(2*math.Pi*n.freq*t) + 0.4*math.Sin(2*math.Pi*2*n.freq*t) + 0.15*math.Sin(2*math.Pi*3*n.freq*t)
			out = append(out, int16(math.Round(0.5*math.MaxInt16*env*x/1.55)))
		}
	}
	return Sound{Rate: Rate, Samples: out}
}
