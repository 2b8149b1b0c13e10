package cli

import (
	"flag"
	"strconv"
	"strings"

	"servicehall/internal/station"
)

// StationFlags override this PC's settings file (package station) for one
// run: --settings, --station, --printer, --printer-charset, --voice,
// --volume, --repeat.
type StationFlags struct {
	Path      string // the settings file; "" is station.DefaultPath()
	overrides []func(*station.Settings) error
}

func (f *StationFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.Path, "settings", "", "this PC's settings file (default: station.json in the user's config folder)")
	add := func(name, usage string, apply func(*station.Settings, string) error) {
		fs.Func(name, usage, func(v string) error {
			f.overrides = append(f.overrides, func(s *station.Settings) error { return apply(s, v) })
			return nil
		})
	}
	add("station", "this PC's name in device reports (default: from the settings file, else the host name)", func(s *station.Settings, v string) error {
		s.Station = strings.TrimSpace(v)
		return nil
	})
	add("printer", "ticket printer: none, HOST[:PORT] (port 9100 by default) or a device file such as /dev/usb/lp0", func(s *station.Settings, v string) error {
		p, err := station.ParsePrinter(v, s.Printer.Charset)
		s.Printer = p
		return err
	})
	add("printer-charset", "the printer's Chinese encoding: gbk or gb18030", func(s *station.Settings, v string) error {
		s.Printer.Charset = strings.ToLower(strings.TrimSpace(v))
		return nil
	})
	add("voice", "speak calls on the display: on or off", func(s *station.Settings, v string) error {
		switch strings.ToLower(v) {
		case "on", "true", "1":
			s.Voice.Enabled = true
		case "off", "false", "0":
			s.Voice.Enabled = false
		default:
			return &UsageError{Msg: "--voice 只能是 on 或 off"}
		}
		return nil
	})
	add("volume", "voice volume, 0-100", func(s *station.Settings, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return &UsageError{Msg: "--volume 须为 0–100 的整数"}
		}
		s.Voice.Volume = n
		return nil
	})
	add("repeat", "how many times each call is said, 1-3", func(s *station.Settings, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return &UsageError{Msg: "--repeat 须为 1–3 的整数"}
		}
		s.Voice.Repeat = n
		return nil
	})
}

// Settings reads this PC's settings file and applies the flags given,
// in their order. It returns the file's path too, for saving.
func (f *StationFlags) Settings() (station.Settings, string, error) {
	path := f.Path
	if path == "" {
		p, err := station.DefaultPath()
		if err != nil {
			return station.Defaults(), "", err
		}
		path = p
	}
	s, err := station.Load(path)
	if err != nil {
		return s, path, err
	}
	for _, o := range f.overrides {
		if err := o(&s); err != nil {
			return s, path, err
		}
	}
	return s, path, s.Validate()
}
