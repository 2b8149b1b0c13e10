package main

import (
	"context"
	"errors"
	"time"

	"servicehall/internal/escpos"
	"servicehall/internal/hall"
	"servicehall/internal/station"
	"servicehall/internal/ui"
	"servicehall/internal/voice"
	"servicehall/internal/voice/speaker"
)

// ticketNote closes every printed ticket.
const ticketNote = "请留意叫号屏和语音呼叫"

// devices wires this PC's printer and voice, as its settings say, for the
// windows. The voice queue runs until ctx ends; the sound device is opened
// only when a display speaks its first call.
func devices(ctx context.Context, s station.Settings, svc hall.Service, logf func(string, ...any)) (ui.Devices, error) {
	d := ui.Devices{Station: s.Station}
	if s.Printer.Kind == station.PrinterNetwork || s.Printer.Kind == station.PrinterDevice {
		cfg := escpos.Config{Charset: escpos.Charset(s.Printer.Charset)}
		if s.Printer.Kind == station.PrinterNetwork {
			cfg.Addr = s.Printer.Address
		} else {
			cfg.Device = s.Printer.Device
		}
		p, err := escpos.New(cfg)
		if err != nil {
			return d, err
		}
		d.PrinterTarget = p.String()
		d.Print = func(ctx context.Context, j ui.PrintJob) error {
			return p.Print(ctx, escpos.Ticket{Hall: j.Hall, Number: j.Number, Type: j.Type, Ahead: j.Ahead,
				Issued: j.Issued, Priority: j.Priority, Note: ticketNote})
		}
	}
	if s.Voice.Enabled {
		v, err := voice.Embedded()
		if err != nil {
			// Calls still chime: the hall hears someone is called.
			logf("voice clips: %v; calls will chime only", err)
		}
		report := func(err error) {
			st := hall.DeviceStatus{Station: s.Station, Kind: hall.DeviceSpeaker, Role: "display", OK: err == nil}
			if err != nil {
				logf("speak a call: %v", err)
				st.Fault, st.Message = "no_sound", hall.Message(err)
				if errors.Is(err, speaker.ErrStalled) {
					st.Fault = "stalled"
				}
			}
			rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			if rerr := svc.ReportDevice(rctx, st); rerr != nil && ctx.Err() == nil {
				logf("report speaker status: %v", rerr)
			}
		}
		q := voice.NewQueue(v, speaker.New(), voice.Settings{Volume: s.Voice.Volume, Repeat: s.Voice.Repeat}, true, report)
		go q.Run(ctx)
		d.Announce = func(number string, counter int, recall bool) time.Duration {
			return q.Announce(voice.Call{Number: number, Counter: counter, Recall: recall})
		}
	}
	return d, nil
}
