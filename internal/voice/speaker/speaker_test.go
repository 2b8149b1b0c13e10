package speaker

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"servicehall/internal/voice"
)

// fakeDevice stands in for oto: its players finish when told, or never,
// and it can turn broken the way oto does without a sound card.
type fakeDevice struct {
	mu      sync.Mutex
	err     error
	read    []byte
	finish  bool // players finish once they have read everything
	players int
}

func (d *fakeDevice) NewPlayer(r io.Reader) player {
	d.mu.Lock()
	d.players++
	d.mu.Unlock()
	return &fakePlayer{d: d, r: r}
}

func (d *fakeDevice) Err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

type fakePlayer struct {
	d *fakeDevice
	r io.Reader
}

func (p *fakePlayer) Play() {
	b, _ := io.ReadAll(p.r)
	p.d.mu.Lock()
	p.d.read = append(p.d.read, b...)
	p.d.mu.Unlock()
}

func (p *fakePlayer) IsPlaying() bool {
	p.d.mu.Lock()
	defer p.d.mu.Unlock()
	return !p.d.finish
}

func (p *fakePlayer) Close() error { return nil }

func speakerWith(d *fakeDevice, openErr error) (*Speaker, *int) {
	opens := 0
	return &Speaker{open: func(context.Context) (device, error) {
		opens++
		if openErr != nil {
			return nil, openErr
		}
		return d, nil
	}}, &opens
}

var sound = voice.Sound{Rate: voice.Rate, Samples: []int16{1, -2, 3}}

func TestPlayWritesThePCMAndReturnsWhenDone(t *testing.T) {
	d := &fakeDevice{finish: true}
	sp, opens := speakerWith(d, nil)
	for range 2 {
		if err := sp.Play(context.Background(), sound); err != nil {
			t.Fatal(err)
		}
	}
	if string(d.read) != string(append(sound.PCM(), sound.PCM()...)) {
		t.Errorf("device got % x", d.read)
	}
	if *opens != 1 {
		t.Errorf("device opened %d times, want once", *opens)
	}
}

func TestAPlayThatNeverFinishesEndsAtItsDeadline(t *testing.T) {
	// oto with no sound card: the player never finishes, no error yet.
	sp, _ := speakerWith(&fakeDevice{}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := sp.Play(ctx, sound)
	var se *Error
	if !errors.Is(err, ErrStalled) || !errors.As(err, &se) || se.UserMessage() == "" {
		t.Fatalf("got %v, want a stalled-playback error with a message", err)
	}
}

func TestADeviceErrorEndsThePlayAndEveryLaterOne(t *testing.T) {
	d := &fakeDevice{err: errors.New("alsa: no such device")}
	sp, opens := speakerWith(d, nil)
	for range 2 {
		if err := sp.Play(context.Background(), sound); !errors.Is(err, ErrNoDevice) {
			t.Fatalf("got %v, want ErrNoDevice", err)
		}
	}
	if *opens != 1 || d.players != 1 {
		t.Errorf("opened %d times, %d players: a broken device is not retried", *opens, d.players)
	}
}

func TestADeviceThatCannotOpen(t *testing.T) {
	sp, _ := speakerWith(nil, errors.New("oto: device not ready"))
	err := sp.Play(context.Background(), sound)
	var se *Error
	if !errors.Is(err, ErrNoDevice) || !errors.As(err, &se) || se.UserMessage() != "没有可用的声音设备，语音叫号无法播放" {
		t.Fatalf("got %v", err)
	}
}
