// Package station holds the settings of one PC of the hall (a station):
// its name in device reports, its ticket printer and its call voice. They
// belong to the PC, not to the hall, so they live in a small JSON file in
// the user's config folder rather than in the hall's database; flags
// override them.
package station

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Printer kinds.
const (
	PrinterNone    = "none"
	PrinterNetwork = "network" // raw TCP, port 9100 by default
	PrinterDevice  = "device"  // a device file: /dev/usb/lp0
)

// Settings of one PC.
type Settings struct {
	// Station names this PC in device reports the director sees (取号机1,
	// 大厅综合屏). Default: the computer's host name.
	Station string  `json:"station"`
	Printer Printer `json:"printer"`
	Voice   Voice   `json:"voice"`
	// Language of this PC's windows: "zh" (Simplified Chinese, also "")
	// or "en". --lang overrides it.
	Language string `json:"language,omitempty"`
}

// Window languages.
const (
	LanguageChinese = "zh"
	LanguageEnglish = "en"
)

// Printer is the kiosk's ticket printer.
type Printer struct {
	Kind    string `json:"kind"`              // none, network or device
	Address string `json:"address,omitempty"` // network: host or host:port
	Device  string `json:"device,omitempty"`  // device: /dev/usb/lp0
	Charset string `json:"charset,omitempty"` // gbk (default) or gb18030
}

// Voice is how the display speaks calls.
type Voice struct {
	Enabled bool `json:"enabled"`
	Volume  int  `json:"volume"` // 0–100
	Repeat  int  `json:"repeat"` // 1–3
}

// Defaults: no printer, voice on at volume 80, each call said once.
func Defaults() Settings {
	name, err := os.Hostname()
	if err != nil || name == "" {
		name = "本机"
	}
	return Settings{
		Station: truncate(name, MaxStation),
		Printer: Printer{Kind: PrinterNone, Charset: "gbk"},
		Voice:   Voice{Enabled: true, Volume: 80, Repeat: 1},
	}
}

// MaxStation is the longest station name, in characters.
const MaxStation = 40

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Error is a setting that cannot be used, with a Chinese message.
type Error struct {
	Message string
	Err     error
}

func (e *Error) Error() string { return "station settings: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// UserMessage is the Chinese text for people.
func (e *Error) UserMessage() string { return e.Message }

func bad(zh, format string, args ...any) error {
	return &Error{Message: zh, Err: fmt.Errorf(format, args...)}
}

// Validate checks the settings.
func (s Settings) Validate() error {
	if strings.TrimSpace(s.Station) == "" || utf8.RuneCountInString(s.Station) > MaxStation {
		return bad(fmt.Sprintf("本机名称须为 1–%d 个字", MaxStation), "station name %q", s.Station)
	}
	if err := s.Printer.Validate(); err != nil {
		return err
	}
	if s.Voice.Volume < 0 || s.Voice.Volume > 100 {
		return bad("音量须在 0–100 之间", "volume %d", s.Voice.Volume)
	}
	if s.Voice.Repeat < 1 || s.Voice.Repeat > 3 {
		return bad("每次呼叫播报的遍数须为 1–3", "repeat %d", s.Voice.Repeat)
	}
	switch s.Language {
	case "", LanguageChinese, LanguageEnglish:
	default:
		return bad("界面语言只能是 zh（中文）或 en（English）", "language %q", s.Language)
	}
	return nil
}

// Validate checks the printer settings.
func (p Printer) Validate() error {
	switch strings.ToLower(p.Charset) {
	case "", "gbk", "gb18030":
	default:
		return bad("打印机编码只能是 GBK 或 GB18030", "charset %q", p.Charset)
	}
	switch p.Kind {
	case PrinterNone, "":
		return nil
	case PrinterNetwork:
		return checkAddress(p.Address)
	case PrinterDevice:
		if strings.TrimSpace(p.Device) == "" {
			return bad("请填写打印机的设备文件，例如 /dev/usb/lp0", "empty device")
		}
		return nil
	}
	return bad("打印机类型只能是 无、网络 或 设备文件", "printer kind %q", p.Kind)
}

func checkAddress(a string) error {
	a = strings.TrimSpace(a)
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		host, port = a, "9100"
	}
	n, perr := strconv.Atoi(port)
	if host == "" || strings.ContainsAny(host, " /\\") || perr != nil || n < 1 || n > 65535 {
		return bad("打印机网络地址有误："+a+"（应为 IP 或主机名，可加 :端口，默认 9100）", "printer address %q", a)
	}
	return nil
}

// ParsePrinter reads a printer as the --printer flag gives it: "none", a
// device file (starting with / or \\, or COMn), or a network address
// (host, host:port, tcp://host:port).
func ParsePrinter(spec, charset string) (Printer, error) {
	spec = strings.TrimSpace(spec)
	p := Printer{Charset: strings.ToLower(charset)}
	if p.Charset == "" {
		p.Charset = "gbk"
	}
	switch {
	case spec == "" || strings.EqualFold(spec, "none"):
		p.Kind = PrinterNone
	case strings.HasPrefix(spec, "/") || strings.HasPrefix(spec, `\\`) || strings.HasPrefix(strings.ToUpper(spec), "COM") || strings.HasPrefix(strings.ToUpper(spec), "LPT"):
		p.Kind, p.Device = PrinterDevice, spec
	default:
		p.Kind, p.Address = PrinterNetwork, strings.TrimPrefix(spec, "tcp://")
	}
	return p, p.Validate()
}

// Label describes the printer for people.
func (p Printer) Label() string {
	cs := strings.ToUpper(p.Charset)
	if cs == "" {
		cs = "GBK"
	}
	switch p.Kind {
	case PrinterNetwork:
		return "网络打印机 " + p.Address + "（" + cs + "）"
	case PrinterDevice:
		return "本机打印机 " + p.Device + "（" + cs + "）"
	}
	return "未配置打印机"
}

// DefaultPath is the settings file in the user's config folder:
// ~/.config/servicehall/station.json on Linux,
// %AppData%\servicehall\station.json on Windows.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "servicehall", "station.json"), nil
}

// Load reads the settings at path; a missing file gives the defaults.
// Fields the file leaves out keep their defaults.
func Load(path string) (Settings, error) {
	s := Defaults()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, &Error{Message: "无法读取本机设置文件：" + path, Err: err}
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, &Error{Message: "本机设置文件格式有误：" + path, Err: err}
	}
	if err := s.Validate(); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Message = "本机设置文件（" + path + "）有误：" + e.Message
		}
		return s, err
	}
	return s, nil
}

// Save writes the settings to path atomically (a temporary file renamed
// over it), creating the folder.
func Save(path string, s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return &Error{Message: "无法保存本机设置：" + path, Err: err}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".station-*.json")
	if err != nil {
		return &Error{Message: "无法保存本机设置：" + path, Err: err}
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return &Error{Message: "无法保存本机设置：" + path, Err: err}
	}
	if err := tmp.Close(); err != nil {
		return &Error{Message: "无法保存本机设置：" + path, Err: err}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return &Error{Message: "无法保存本机设置：" + path, Err: err}
	}
	return nil
}
