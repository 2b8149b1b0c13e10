package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"servicehall/internal/station"
	"servicehall/internal/voice"
)

func TestStationFlagsOverrideTheSettingsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.json")
	if err := station.Save(path, station.Settings{Station: "取号机1", Printer: station.Printer{Kind: station.PrinterNone},
		Voice: station.Voice{Enabled: true, Volume: 80, Repeat: 1}}); err != nil {
		t.Fatal(err)
	}
	a, err := ParseWindow([]string{"--settings", path, "--role", "kiosk", "--printer", "10.0.0.5", "--printer-charset", "gb18030", "--voice", "off", "--repeat", "2"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	s, got, err := a.Station.Settings()
	if err != nil || got != path {
		t.Fatalf("settings: %v, path %q", err, got)
	}
	want := station.Settings{Station: "取号机1", Printer: station.Printer{Kind: station.PrinterNetwork, Address: "10.0.0.5", Charset: "gb18030"},
		Voice: station.Voice{Enabled: false, Volume: 80, Repeat: 2}}
	if s != want {
		t.Errorf("got %+v\nwant %+v", s, want)
	}
	a, _ = ParseWindow([]string{"--settings", path, "--volume", "101"}, io.Discard)
	if _, _, err := a.Station.Settings(); err == nil || !strings.Contains(errorMessage(err), "音量") {
		t.Errorf("volume 101: %v", err)
	}
}

func errorMessage(err error) string {
	var u interface{ UserMessage() string }
	if errors.As(err, &u) {
		return u.UserMessage()
	}
	return err.Error()
}

func TestSayWritesTheCallToAWAV(t *testing.T) {
	out := filepath.Join(t.TempDir(), "call.wav")
	var stdout bytes.Buffer
	if err := Say(context.Background(), []string{"A001", "3", "--wav", out}, &stdout, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "请A零零一号到三号窗口办理") {
		t.Errorf("stdout %q", stdout.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := voice.ReadWAV(f)
	if err != nil || s.Duration().Seconds() < 2 {
		t.Errorf("wav: %v, %v", err, s.Duration())
	}
	// Playing goes to the device it is given.
	var played voice.Sound
	play := func(_ context.Context, s voice.Sound) error { played = s; return nil }
	if err := Say(context.Background(), []string{"--recall", "B012", "12"}, io.Discard, io.Discard, play); err != nil || played.Text != "重呼，请B零一二号到十二号窗口办理" {
		t.Errorf("played %q, %v", played.Text, err)
	}
	for _, args := range [][]string{{"A001"}, {"A001", "x"}, {"A-1", "3", "--wav", out}, {"A001", "3"}} {
		var u *UsageError
		if err := Say(context.Background(), args, io.Discard, io.Discard, nil); !errors.As(err, &u) {
			t.Errorf("%q: got %v, want a usage error", args, err)
		}
	}
}
