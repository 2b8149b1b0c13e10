// Package speaker plays the hall's calls on the PC's default sound device
// through github.com/ebitengine/oto/v3 (ALSA on Linux, with cgo; WASAPI
// on Windows, without). Tests never play sound: they render WAV files in
// package voice, and test this package's deadlines on a fake device.
package speaker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"

	"servicehall/internal/voice"
)

// Error is a sound device fault, with a Chinese message for people.
type Error struct {
	Message string
	Err     error
}

func (e *Error) Error() string { return "speaker: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// UserMessage is the Chinese text for people.
func (e *Error) UserMessage() string { return e.Message }

// Reasons a play fails.
var (
	ErrNoDevice = errors.New("no usable sound device")
	ErrStalled  = errors.New("playback did not finish before its deadline")
)

const (
	// openTimeout bounds the wait for the device to become ready.
	openTimeout = 5 * time.Second
	// pollEvery is how often a play checks whether it has finished; oto
	// offers no completion signal.
	pollEvery = 20 * time.Millisecond
)

// device and player are the parts of oto used here, so that the deadline
// logic is tested on a fake device.
type device interface {
	NewPlayer(r io.Reader) player
	Err() error
}

type player interface {
	Play()
	IsPlaying() bool
	Close() error
}

// Speaker plays sounds one at a time (voice.Queue calls it from one
// goroutine). It implements voice.Sink.
type Speaker struct {
	open func(ctx context.Context) (device, error)

	mu   sync.Mutex
	dev  device
	fail error // opening failed: oto allows one context per process, so for good
}

var _ voice.Sink = (*Speaker)(nil)

// New returns a speaker for the default sound device. The device is opened
// on the first Play.
func New() *Speaker { return &Speaker{open: openOto} }

// openOto opens oto's one context at voice.Rate, mono 16-bit. With no sound
// device, oto's NewContext succeeds and reports the failure later, in
// Err(); both are checked here.
func openOto(ctx context.Context) (device, error) {
	c, ready, err := oto.NewContext(&oto.NewContextOptions{SampleRate: voice.Rate, ChannelCount: 1, Format: oto.FormatSignedInt16LE})
	if err != nil {
		return nil, err
	}
	t := time.NewTimer(openTimeout)
	defer t.Stop()
	select {
	case <-ready:
	case <-t.C:
		return nil, fmt.Errorf("device not ready after %v", openTimeout)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return otoDevice{c}, nil
}

type otoDevice struct{ c *oto.Context }

func (d otoDevice) NewPlayer(r io.Reader) player { return d.c.NewPlayer(r) }
func (d otoDevice) Err() error                   { return d.c.Err() }

// Play plays s to its end. It returns when the sound has played, when the
// device reports an error, or when ctx ends (voice.Queue gives each play a
// deadline past the sound's length), whichever is first.
func (sp *Speaker) Play(ctx context.Context, s voice.Sound) error {
	dev, err := sp.device(ctx)
	if err != nil {
		return err
	}
	p := dev.NewPlayer(bytes.NewReader(s.PCM()))
	defer p.Close()
	p.Play()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		if err := dev.Err(); err != nil {
			return sp.broken(err)
		}
		if !p.IsPlaying() {
			return nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return &Error{Message: "声音设备无响应，语音叫号未能播放", Err: ErrStalled}
			}
			return ctx.Err()
		}
	}
}

func (sp *Speaker) device(ctx context.Context) (device, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.fail != nil {
		return nil, sp.fail
	}
	if sp.dev == nil {
		dev, err := sp.open(ctx)
		if err != nil {
			sp.fail = &Error{Message: "没有可用的声音设备，语音叫号无法播放", Err: fmt.Errorf("%w: %w", ErrNoDevice, err)}
			return nil, sp.fail
		}
		sp.dev = dev
	}
	return sp.dev, nil
}

// broken records a device error that arrived after opening; oto's context
// does not recover from one.
func (sp *Speaker) broken(err error) error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.fail = &Error{Message: "声音设备出错，语音叫号无法播放", Err: fmt.Errorf("%w: %w", ErrNoDevice, err)}
	return sp.fail
}
