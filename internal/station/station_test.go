package station_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"servicehall/internal/station"
)

func TestMissingFileGivesDefaultsAndSaveLoadRoundTrips(t *testing.T) {
	path := filepath.Join(t.TempDir(), "servicehall", "station.json")
	s, err := station.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Printer.Kind != station.PrinterNone || !s.Voice.Enabled || s.Voice.Volume != 80 || s.Voice.Repeat != 1 || s.Station == "" {
		t.Fatalf("defaults: %+v", s)
	}
	s.Station = "取号机1"
	s.Printer = station.Printer{Kind: station.PrinterNetwork, Address: "192.168.1.50", Charset: "gb18030"}
	s.Voice = station.Voice{Enabled: false, Volume: 60, Repeat: 2}
	s.Language = station.LanguageEnglish
	if err := station.Save(path, s); err != nil {
		t.Fatal(err)
	}
	got, err := station.Load(path)
	if err != nil || got != s {
		t.Fatalf("loaded %+v, %v; want %+v", got, err, s)
	}
}

func TestAFileThatLeavesFieldsOutKeepsTheirDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.json")
	if err := os.WriteFile(path, []byte(`{"printer": {"kind": "device", "device": "/dev/usb/lp0"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := station.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Printer.Device != "/dev/usb/lp0" || !s.Voice.Enabled || s.Voice.Volume != 80 {
		t.Errorf("got %+v", s)
	}
}

func TestBadSettingsAreExplainedInChinese(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.json")
	os.WriteFile(broken, []byte(`{"voice": `), 0o644)
	loud := filepath.Join(dir, "loud.json")
	os.WriteFile(loud, []byte(`{"voice": {"enabled": true, "volume": 150, "repeat": 1}}`), 0o644)
	for _, path := range []string{broken, loud} {
		_, err := station.Load(path)
		var e *station.Error
		if !errors.As(err, &e) || e.UserMessage() == "" {
			t.Errorf("%s: got %v, want a station.Error with a message", path, err)
		}
	}
	for _, spec := range []string{"10.0.0.5:0", "10.0.0.5:http", "bad host"} {
		if _, err := station.ParsePrinter(spec, ""); err == nil {
			t.Errorf("printer %q accepted", spec)
		}
	}
	if _, err := station.ParsePrinter("10.0.0.5", "big5"); err == nil {
		t.Error("charset big5 accepted")
	}
	fr := station.Defaults()
	fr.Language = "fr"
	var e *station.Error
	if err := fr.Validate(); !errors.As(err, &e) || e.UserMessage() != "界面语言只能是 zh（中文）或 en（English）" {
		t.Errorf("language fr: %v", err)
	}
	if err := station.Save(filepath.Join(dir, "fr.json"), fr); err == nil {
		t.Error("language fr saved")
	}
	for _, l := range []string{"", station.LanguageChinese, station.LanguageEnglish} {
		ok := station.Defaults()
		ok.Language = l
		if err := ok.Validate(); err != nil {
			t.Errorf("language %q: %v", l, err)
		}
	}
}

func TestParsePrinter(t *testing.T) {
	for spec, want := range map[string]station.Printer{
		"none":                {Kind: station.PrinterNone, Charset: "gbk"},
		"":                    {Kind: station.PrinterNone, Charset: "gbk"},
		"/dev/usb/lp0":        {Kind: station.PrinterDevice, Device: "/dev/usb/lp0", Charset: "gbk"},
		"COM3":                {Kind: station.PrinterDevice, Device: "COM3", Charset: "gbk"},
		"192.168.1.50":        {Kind: station.PrinterNetwork, Address: "192.168.1.50", Charset: "gbk"},
		"tcp://printer:9101":  {Kind: station.PrinterNetwork, Address: "printer:9101", Charset: "gbk"},
		"[fe80::1%eth0]:9100": {Kind: station.PrinterNetwork, Address: "[fe80::1%eth0]:9100", Charset: "gbk"},
	} {
		got, err := station.ParsePrinter(spec, "")
		if err != nil || got != want {
			t.Errorf("%q: got %+v, %v; want %+v", spec, got, err, want)
		}
	}
}
