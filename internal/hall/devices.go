package hall

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// KindDeviceStatus records a change in a device's status: a printer
// running out of paper, a speaker that cannot play, and their recovery.
// Only changes are events, so a kiosk reporting after every ticket adds
// nothing to the log while its printer stays fine.
const KindDeviceStatus Kind = "device.status"

// DeviceKind is what sort of device a status is about.
type DeviceKind string

// Device kinds.
const (
	DevicePrinter DeviceKind = "printer" // a kiosk's ticket printer
	DeviceSpeaker DeviceKind = "speaker" // the sound device that speaks calls
)

// Label is the Chinese name of the kind.
func (k DeviceKind) Label() string {
	switch k {
	case DevicePrinter:
		return "小票打印机"
	case DeviceSpeaker:
		return "语音叫号"
	}
	return string(k)
}

// DeviceStatus is how one device of one PC (a station) is doing. Devices
// report themselves; the hall keeps the latest status of each, and a
// director sees the faults. It holds no customer data.
type DeviceStatus struct {
	Station string     `json:"station"` // the PC, as its settings name it: 取号机1
	Kind    DeviceKind `json:"kind"`
	Role    string     `json:"role,omitempty"`   // the window the PC runs: kiosk, display
	Target  string     `json:"target,omitempty"` // which device: 192.168.1.50:9100, /dev/usb/lp0
	OK      bool       `json:"ok"`
	Fault   string     `json:"fault,omitempty"`   // a code for code: paper_out, unreachable …
	Message string     `json:"message,omitempty"` // Chinese, for the director: 打印机缺纸
	At      time.Time  `json:"at"`                // set by the hall: when this status began
}

// ID names the device: one printer and one speaker per station.
func (d DeviceStatus) ID() string { return string(d.Kind) + "@" + d.Station }

// same reports whether two statuses say the same thing (times aside).
func (d DeviceStatus) same(o DeviceStatus) bool {
	return d.Station == o.Station && d.Kind == o.Kind && d.Role == o.Role && d.Target == o.Target &&
		d.OK == o.OK && d.Fault == o.Fault && d.Message == o.Message
}

// DeviceEvent is the payload of device.status events.
type DeviceEvent struct {
	Device DeviceStatus `json:"device"`
}

// DeviceStore keeps device statuses: a Store that implements it lets the
// hall follow its devices. SaveDevice writes the status and its event in
// one transaction and returns the event's sequence number.
type DeviceStore interface {
	SaveDevice(ctx context.Context, s DeviceStatus, e Event) (int64, error)
	Devices(ctx context.Context) ([]DeviceStatus, error)
}

// ErrNoDevices: the hall's store does not keep device statuses.
var ErrNoDevices = newError("no_devices", "当前数据存储不支持设备状态")

// Limits of a device report's text.
const (
	maxStationRunes = 40
	maxDeviceText   = 200
)

func (d DeviceStatus) validate() error {
	bad := func(zh, format string, args ...any) error { return ErrInvalid.WithMessage(zh, format, args...) }
	switch {
	case strings.TrimSpace(d.Station) == "" || utf8.RuneCountInString(d.Station) > maxStationRunes:
		return ErrInvalid.WithMessagef("设备所在电脑的名称须为 1–%s 个字", []string{strconv.Itoa(maxStationRunes)}, "station %q", d.Station)
	case d.Kind != DevicePrinter && d.Kind != DeviceSpeaker:
		return bad("设备类型有误", "device kind %q", d.Kind)
	case d.OK && (d.Fault != "" || d.Message != ""):
		return bad("设备正常时不应带有故障说明", "ok device with fault %q", d.Fault)
	case !d.OK && (d.Fault == "" || d.Message == ""):
		return bad("设备故障须写明故障和说明", "fault without code or message")
	case len(d.Fault) > 40 || utf8.RuneCountInString(d.Message) > maxDeviceText || utf8.RuneCountInString(d.Target) > maxDeviceText || len(d.Role) > 20:
		return bad("设备状态的说明过长", "device text too long")
	}
	return nil
}

// ReportDevice records a device's status as its PC sees it. Nothing is
// written when the status has not changed; a change is a device.status
// event, which the director's window follows and headquarters receives.
// Kiosks and displays report without a session: they have none, and a
// status carries nothing private.
func (l *Local) ReportDevice(ctx context.Context, s DeviceStatus) error {
	if err := s.validate(); err != nil {
		return err
	}
	ds, ok := l.store.(DeviceStore)
	if !ok {
		return ErrNoDevices
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.st.configured {
		return ErrNotConfigured
	}
	current, err := ds.Devices(ctx)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrStore, err)
	}
	for _, c := range current {
		if c.ID() == s.ID() && c.same(s) {
			return nil
		}
	}
	s.At = l.clock.Now().UTC().Truncate(time.Millisecond)
	e, err := newEvent(KindDeviceStatus, s.At, DeviceEvent{Device: s})
	if err != nil {
		return err
	}
	seq, err := ds.SaveDevice(ctx, s, e)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrStore, err)
	}
	// As a commit does: the event is durable, wake the subscribers.
	l.st.lastSeq = seq
	close(l.changed)
	l.changed = make(chan struct{})
	return nil
}

// Devices returns the latest status of every device that has reported,
// faults first, then by station and kind.
func (l *Local) Devices(ctx context.Context) ([]DeviceStatus, error) {
	ds, ok := l.store.(DeviceStore)
	if !ok {
		return nil, ErrNoDevices
	}
	out, err := ds.Devices(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStore, err)
	}
	slices.SortFunc(out, func(a, b DeviceStatus) int {
		if a.OK != b.OK {
			if !a.OK {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(a.Station, b.Station), strings.Compare(string(a.Kind), string(b.Kind)))
	})
	return out, nil
}
