package voice_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"servicehall/internal/voice"
)

func embedded(t *testing.T) *voice.Voice {
	t.Helper()
	v, err := voice.Embedded()
	if err != nil {
		t.Fatalf("embedded clips: %v", err)
	}
	return v
}

var full = voice.Settings{Volume: 100, Repeat: 1}

func rms(s []int16) float64 {
	if len(s) == 0 {
		return 0
	}
	var sum float64
	for _, v := range s {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(len(s)))
}

func TestCallRendersToANonSilentWAVOfPlausibleLength(t *testing.T) {
	v := embedded(t)
	var b bytes.Buffer
	if err := v.RenderWAV(&b, voice.Call{Number: "A001", Counter: 3}, full); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	// The header, field by field.
	le := binary.LittleEndian
	if string(raw[0:4]) != "RIFF" || string(raw[8:16]) != "WAVEfmt " || string(raw[36:40]) != "data" {
		t.Fatalf("not a canonical WAV header: % x", raw[:44])
	}
	if got := int(le.Uint32(raw[4:])); got != len(raw)-8 {
		t.Errorf("RIFF size %d, file has %d after it", got, len(raw)-8)
	}
	if f, ch, rate, bits := le.Uint16(raw[20:]), le.Uint16(raw[22:]), le.Uint32(raw[24:]), le.Uint16(raw[34:]); f != 1 || ch != 1 || rate != voice.Rate || bits != 16 {
		t.Errorf("format %d, %d channels, %d Hz, %d bits; want PCM mono %d Hz 16 bits", f, ch, rate, bits, voice.Rate)
	}
	dataLen := int(le.Uint32(raw[40:]))
	if dataLen != len(raw)-44 {
		t.Errorf("data size %d, file has %d bytes of data", dataLen, len(raw)-44)
	}
	dur := time.Duration(dataLen/2) * time.Second / voice.Rate
	if dur < 2*time.Second || dur > 8*time.Second {
		t.Errorf("a call lasts %v, want 2–8 s", dur)
	}
	// The samples: read back through the reader, then look at the speech
	// after the chime.
	s, err := voice.ReadWAV(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	chime := len(voice.Chime().Samples)
	speech := s.Samples[chime:]
	if r := rms(speech); r < 1500 {
		t.Errorf("speech RMS %.0f, want a clearly audible call (≥ 1500)", r)
	}
	if r := rms(s.Samples[:chime]); r < 1500 {
		t.Errorf("chime RMS %.0f, want ≥ 1500", r)
	}
	// Sound in every second of the speech: no clip is missing or silent.
	for i := 0; i+voice.Rate/2 < len(speech)-voice.Rate/3; i += voice.Rate / 2 {
		if r := rms(speech[i : i+voice.Rate/2]); r < 300 {
			t.Errorf("speech silent (RMS %.0f) at %.1f s", r, float64(i)/voice.Rate)
		}
	}
	if got := v.Render(voice.Call{Number: "A001", Counter: 3}, full).Text; got != "请A零零一号到三号窗口办理" {
		t.Errorf("text %q", got)
	}
}

func TestVolumeAndRepeat(t *testing.T) {
	v := embedded(t)
	c := voice.Call{Number: "B012", Counter: 12}
	once := v.Render(c, full)
	twice := v.Render(c, voice.Settings{Volume: 100, Repeat: 2})
	half := v.Render(c, voice.Settings{Volume: 50, Repeat: 1})
	chime := len(voice.Chime().Samples)
	sentence := len(once.Samples) - chime
	if extra := len(twice.Samples) - len(once.Samples); extra < sentence/2 || extra > sentence+voice.Rate {
		t.Errorf("repeat 2 adds %d samples, want about one sentence (%d)", extra, sentence)
	}
	if ratio := rms(half.Samples) / rms(once.Samples); math.Abs(ratio-0.5) > 0.02 {
		t.Errorf("volume 50 gives %.3f of the level, want 0.5", ratio)
	}
	if mute := v.Render(c, voice.Settings{Volume: 0, Repeat: 1}); rms(mute.Samples) != 0 {
		t.Error("volume 0 is not silent")
	}
}

func TestNumberReadingRules(t *testing.T) {
	for _, tc := range []struct {
		call voice.Call
		want string
	}{
		{voice.Call{Number: "A001", Counter: 3}, "请A零零一号到三号窗口办理"},
		{voice.Call{Number: "A001", Counter: 3, Recall: true}, "重呼，请A零零一号到三号窗口办理"},
		{voice.Call{Number: "B120", Counter: 1}, "请B一二零号到一号窗口办理"},
		{voice.Call{Number: "c007", Counter: 2}, "请C零零七号到二号窗口办理"},
		{voice.Call{Number: "F100", Counter: 10}, "请F一零零号到十号窗口办理"},
		{voice.Call{Number: "D010", Counter: 11}, "请D零一零号到十一号窗口办理"},
		{voice.Call{Number: "E999", Counter: 12}, "请E九九九号到十二号窗口办理"},
		{voice.Call{Number: "W005", Counter: 20}, "请W零零五号到二十号窗口办理"},
		{voice.Call{Number: "A001", Counter: 21}, "请A零零一号到二十一号窗口办理"},
		{voice.Call{Number: "A001", Counter: 99}, "请A零零一号到九十九号窗口办理"},
		{voice.Call{Number: "A001", Counter: 101}, "请A零零一号到一零一号窗口办理"},
		{voice.Call{Number: "AB1234", Counter: 5}, "请AB一二三四号到五号窗口办理"},
	} {
		got, err := tc.call.Text()
		if err != nil || got != tc.want {
			t.Errorf("%+v: got %q, %v; want %q", tc.call, got, err, tc.want)
		}
	}
	for _, bad := range []voice.Call{{Number: "", Counter: 1}, {Number: "A-01", Counter: 1}, {Number: "甲001", Counter: 1}, {Number: "A001", Counter: 0}} {
		if _, err := bad.Text(); !errors.Is(err, voice.ErrUnspeakable) {
			t.Errorf("%+v: got %v, want ErrUnspeakable", bad, err)
		}
	}
}

func TestPlainChimeWithoutVoice(t *testing.T) {
	chime := voice.Chime()
	for name, s := range map[string]voice.Sound{
		"no voice":          (*voice.Voice)(nil).Render(voice.Call{Number: "A001", Counter: 3}, full),
		"unspeakable call":  embedded(t).Render(voice.Call{Number: "甲001", Counter: 3}, full),
		"counter not given": embedded(t).Render(voice.Call{Number: "A001"}, full),
	} {
		if s.Text != "" || !slices.Equal(s.Samples[:len(chime.Samples)], chime.Samples) || s.Duration() > 1500*time.Millisecond {
			t.Errorf("%s: want the chime alone, got %q of %v", name, s.Text, s.Duration())
		}
	}
	if r := rms(chime.Samples); r < 1500 {
		t.Errorf("chime RMS %.0f", r)
	}
}

func TestReadWAVAcceptsStreamingPlaceholderSizes(t *testing.T) {
	var b bytes.Buffer
	want := voice.Sound{Rate: voice.Rate, Samples: []int16{0, 1000, -1000, 32767, -32768}}
	if err := voice.WriteWAV(&b, want); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	// What espeak-ng --stdout writes: sizes it did not know yet, and an
	// extra chunk before the data.
	binary.LittleEndian.PutUint32(raw[4:], 0xffffffff)
	binary.LittleEndian.PutUint32(raw[40:], 0xffffffff)
	list := append([]byte("LIST\x04\x00\x00\x00INFO"), raw[36:]...)
	raw = append(raw[:36:36], list...)
	got, err := voice.ReadWAV(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got.Rate != want.Rate || !slices.Equal(got.Samples, want.Samples) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := voice.ReadWAV(strings.NewReader("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x02\x00")); err == nil {
		t.Error("read a truncated stereo header")
	}
}

// recordingSink records what it is given and how many plays overlap; each
// play waits until the test lets it finish.
type recordingSink struct {
	mu         sync.Mutex
	played     []string
	active     int
	maxActive  int
	started    chan string
	release    chan struct{}
	deadlineOK bool
}

func (r *recordingSink) Play(ctx context.Context, s voice.Sound) error {
	r.mu.Lock()
	r.active++
	r.maxActive = max(r.maxActive, r.active)
	r.played = append(r.played, s.Text)
	dl, ok := ctx.Deadline()
	r.deadlineOK = ok && time.Until(dl) <= s.Duration()+voice.PlaySlack
	r.mu.Unlock()
	r.started <- s.Text
	<-r.release
	r.mu.Lock()
	r.active--
	r.mu.Unlock()
	return nil
}

func TestSimultaneousCallsAreSpokenInOrderOneAtATime(t *testing.T) {
	sink := &recordingSink{started: make(chan string), release: make(chan struct{})}
	reports := make(chan error, 3)
	q := voice.NewQueue(embedded(t), sink, full, true, func(err error) { reports <- err })
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); q.Run(ctx) }()
	defer func() { cancel(); wg.Wait() }()

	calls := []voice.Call{{Number: "A001", Counter: 3}, {Number: "B002", Counter: 1}, {Number: "A001", Counter: 3, Recall: true}}
	for _, c := range calls {
		if d := q.Announce(c); d < 2*time.Second {
			t.Fatalf("announce %v: %v to speak", c, d)
		}
	}
	var got []string
	for range calls {
		got = append(got, <-sink.started) // the next starts only after the previous is released
		sink.release <- struct{}{}
	}
	want := []string{"请A零零一号到三号窗口办理", "请B零零二号到一号窗口办理", "重呼，请A零零一号到三号窗口办理"}
	if !slices.Equal(got, want) {
		t.Errorf("spoken %q, want %q", got, want)
	}
	for range calls {
		if err := <-reports; err != nil {
			t.Errorf("report %v, want success", err)
		}
	}
	cancel()
	wg.Wait()
	if sink.maxActive != 1 {
		t.Errorf("%d calls played at once", sink.maxActive)
	}
	if !sink.deadlineOK {
		t.Error("a play had no deadline, or one past the sound's length plus the slack")
	}
}

type failingSink struct{ err error }

func (f failingSink) Play(context.Context, voice.Sound) error { return f.err }

func TestQueueReportsAFailingDeviceAndKeepsGoing(t *testing.T) {
	broken := errors.New("no sound device")
	got := make(chan error, 2)
	q := voice.NewQueue(embedded(t), failingSink{broken}, full, true, func(err error) { got <- err })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	q.Announce(voice.Call{Number: "A001", Counter: 1})
	q.Announce(voice.Call{Number: "A002", Counter: 1})
	for range 2 {
		if err := <-got; !errors.Is(err, broken) {
			t.Errorf("report %v", err)
		}
	}
	cancel()
	<-done
}

func TestSoundOffAnnouncesNothing(t *testing.T) {
	q := voice.NewQueue(embedded(t), failingSink{}, full, false, nil)
	if d := q.Announce(voice.Call{Number: "A001", Counter: 1}); d != 0 {
		t.Errorf("sound off, yet %v queued", d)
	}
	q.Set(full, true)
	if d := q.Announce(voice.Call{Number: "A001", Counter: 1}); d == 0 {
		t.Error("sound on, nothing queued")
	}
	// A full queue drops the newest call rather than blocking the display.
	for range voice.QueueCap {
		q.Announce(voice.Call{Number: "A001", Counter: 1})
	}
	if d := q.Announce(voice.Call{Number: "A001", Counter: 1}); d != 0 {
		t.Errorf("full queue took another call (%v)", d)
	}
}

// The committed clips are what `make voice` renders: anyone can rebuild
// them from source. Needs espeak-ng 1.51; under CI=true its absence fails.
func TestClipsAreReproducibleWithEspeakNG(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("renders 43 clips with espeak-ng")
	}
	out, err := exec.Command("espeak-ng", "--version").Output()
	if err != nil || !strings.Contains(string(out), "1.51") {
		msg := "espeak-ng 1.51 is needed to check the clips (apt-get install espeak-ng)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: %v %s", msg, err, out)
		}
		t.Skip(msg)
	}
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	dir := t.TempDir()
	gen := exec.Command("go", "run", "./internal/voice/cmd/voicegen", "-out", dir)
	gen.Dir = root
	if b, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("voicegen: %v\n%s", err, b)
	}
	for _, c := range voice.Clips() {
		want, err := os.ReadFile(filepath.Join(root, "assets", "voice", c.Name+".wav"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, c.Name+".wav"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("clip %s differs from a fresh render: run make voice", c.Name)
		}
	}
}
