// Command voicegen re-renders the call clips in assets/voice with
// espeak-ng's Mandarin voice (`make voice`). The program itself never needs
// espeak-ng: the clips are committed and embedded.
//
// Each clip is rendered at a slow, clear rate, trimmed of its leading and
// trailing silence, given 5 ms fades so joins do not click, and scaled to
// the same peak so that no word stands out louder than its neighbours.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"servicehall/internal/voice"
)

const (
	espeakVoice = "cmn-latn-pinyin" // the cmn and zh voices of espeak-ng 1.51 read Chinese as English-spelled pinyin
	speed       = "150"             // words per minute: espeak's default 175 is hurried for a hall
	silenceAt   = 400               // |sample| at or below this is silence when trimming
	peak        = 0.85 * math.MaxInt16
)

func main() {
	out := flag.String("out", "assets/voice", "folder for the clips")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "voicegen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		return fmt.Errorf("espeak-ng is needed to render the clips (apt-get install espeak-ng): %w", err)
	}
	ver, _ := exec.Command("espeak-ng", "--version").Output()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var total int
	for _, c := range voice.Clips() {
		s, err := render(c.Say)
		if err != nil {
			return fmt.Errorf("clip %s (%s): %w", c.Name, c.Say, err)
		}
		s = normalize(fade(trim(s)))
		var b bytes.Buffer
		if err := voice.WriteWAV(&b, s); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, c.Name+".wav"), b.Bytes(), 0o644); err != nil {
			return err
		}
		total += b.Len()
		fmt.Printf("%-10s %-12s %5.2f s\n", c.Name, c.Say, s.Duration().Seconds())
	}
	fmt.Printf("%d clips, %d KB, rendered by %s", len(voice.Clips()), total/1024, ver)
	return nil
}

// render runs espeak-ng and reads its WAV from stdout (whose header carries
// placeholder sizes).
func render(text string) (voice.Sound, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "espeak-ng", "-v", espeakVoice, "-s", speed, "--stdout", text)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	wav, err := cmd.Output()
	if err != nil {
		return voice.Sound{}, fmt.Errorf("espeak-ng: %w: %s", err, stderr.String())
	}
	return voice.ReadWAV(bytes.NewReader(wav))
}

func trim(s voice.Sound) voice.Sound {
	first, last := -1, -1
	for i, v := range s.Samples {
		if v > silenceAt || v < -silenceAt {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return s
	}
	margin := s.Rate / 100 // 10 ms
	first, last = max(0, first-margin), min(len(s.Samples), last+margin+1)
	s.Samples = s.Samples[first:last]
	return s
}

func fade(s voice.Sound) voice.Sound {
	n := min(s.Rate/200, len(s.Samples)/2) // 5 ms
	for i := range n {
		g := float64(i) / float64(n)
		s.Samples[i] = int16(float64(s.Samples[i]) * g)
		j := len(s.Samples) - 1 - i
		s.Samples[j] = int16(float64(s.Samples[j]) * g)
	}
	return s
}

func normalize(s voice.Sound) voice.Sound {
	var m float64
	for _, v := range s.Samples {
		m = max(m, math.Abs(float64(v)))
	}
	if m == 0 {
		return s
	}
	g := peak / m
	for i, v := range s.Samples {
		s.Samples[i] = int16(math.Round(float64(v) * g))
	}
	return s
}
