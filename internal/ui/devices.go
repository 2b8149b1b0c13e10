package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"

	"servicehall/internal/hall"
)

// Devices are this PC's own devices: the kiosk's ticket printer and the
// display's call voice. The program wires them (package escpos, package
// voice); the windows only call these functions.
type Devices struct {
	// Station names this PC in the device reports the director sees.
	Station string
	// PrinterTarget names the printer in reports: its address or device.
	PrinterTarget string
	// Print prints a ticket; nil when no printer is configured. It may
	// block for seconds (a printer that does not answer): the kiosk calls
	// it off the UI thread. Its errors carry a Chinese message
	// (UserMessage) and may carry a code (FaultCode).
	Print func(ctx context.Context, t PrintJob) error
	// Announce queues a call for the voice and returns how long it will
	// speak; nil, or 0, when sound is off. It must not block.
	Announce func(number string, counter int, recall bool) time.Duration
}

// PrintJob is a ticket to print. It carries no customer data.
type PrintJob struct {
	Hall     string
	Number   string
	Type     string
	Ahead    int       // -1: unknown, left off the ticket
	Issued   time.Time // in the hall's time zone
	Priority string    // 敬老 or 助残; "" for a normal ticket
}

// deviceFault is what a device's error says: a code for code and a
// Chinese message.
func deviceFault(err error) (code, msg string) {
	code = "error"
	var c interface{ FaultCode() string }
	if errors.As(err, &c) {
		code = c.FaultCode()
	}
	return code, hall.Message(err)
}

// reportDevice tells the hall how a device of this PC is doing. Off the UI
// thread; a report that cannot be written is logged, never shown: the
// device itself is what matters to the person at the screen.
func reportDevice(ctx context.Context, s *session, kind hall.DeviceKind, role, target string, err error) {
	st := hall.DeviceStatus{Station: s.opt.Devices.Station, Kind: kind, Role: role, Target: target, OK: err == nil}
	if st.Station == "" {
		st.Station = role
	}
	if err != nil {
		st.Fault, st.Message = deviceFault(err)
	}
	if rerr := s.svc.ReportDevice(ctx, st); rerr != nil && ctx.Err() == nil {
		fyne.LogError("report "+string(kind)+" status", rerr)
	}
}
