package hall_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

func TestDeviceFaultsAreRecordedOncePerChangeAndSurviveARestart(t *testing.T) {
	h := halltest.New(t, nil)
	ok := hall.DeviceStatus{Station: "取号机1", Kind: hall.DevicePrinter, Role: "kiosk", Target: "10.0.0.5:9100", OK: true}
	paper := ok
	paper.OK, paper.Fault, paper.Message = false, "paper_out", "打印机缺纸"

	countEvents := func() int {
		t.Helper()
		evs, err := h.DB.Events(ctx, 0, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if e.Kind == hall.KindDeviceStatus {
				n++
			}
		}
		return n
	}
	sub, cancel := context.WithCancel(ctx)
	defer cancel()
	events, err := h.Subscribe(sub, h.LastSeq())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []hall.DeviceStatus{ok, ok, paper, paper, paper} {
		h.Clock.Advance(time.Minute)
		if err := h.ReportDevice(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if n := countEvents(); n != 2 {
		t.Errorf("%d device events, want 2 (ok, then paper out)", n)
	}
	// Subscribers learn of the change.
	for _, want := range []bool{true, false} {
		e := <-events
		var p hall.DeviceEvent
		if e.Kind != hall.KindDeviceStatus || e.Decode(&p) != nil || p.Device.OK != want {
			t.Fatalf("event %s %s, want device ok=%v", e.Kind, e.Payload, want)
		}
	}
	h = h.Restart(t)
	got, err := h.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].OK || got[0].Message != "打印机缺纸" || got[0].Station != "取号机1" {
		t.Fatalf("devices after restart: %+v", got)
	}
	// The fault dates from when it began, not from the last report.
	if want := halltest.Morning(t).Add(3 * time.Minute).UTC(); !got[0].At.Equal(want) {
		t.Errorf("fault since %v, want %v", got[0].At, want)
	}
	// A speaker elsewhere; faults sort first.
	if err := h.ReportDevice(ctx, hall.DeviceStatus{Station: "综合屏", Kind: hall.DeviceSpeaker, OK: true}); err != nil {
		t.Fatal(err)
	}
	if err := h.ReportDevice(ctx, ok); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(time.Minute)
	speakerFault := hall.DeviceStatus{Station: "综合屏", Kind: hall.DeviceSpeaker, OK: false, Fault: "no_device", Message: "没有可用的声音设备"}
	if err := h.ReportDevice(ctx, speakerFault); err != nil {
		t.Fatal(err)
	}
	got, _ = h.Devices(ctx)
	if len(got) != 2 || got[0].Kind != hall.DeviceSpeaker || got[0].OK || !got[1].OK {
		t.Errorf("devices: %+v, want the speaker fault first, then the printer back to normal", got)
	}
	// The events are whole links of the log: the file verifies.
	if err := h.DB.Close(); err != nil {
		t.Fatal(err)
	}
	if res, err := sqlite.Verify(ctx, h.Path); err != nil || !res.OK() {
		t.Errorf("verify: %v %+v", err, res)
	}
}

func TestBadDeviceReportsAreRefused(t *testing.T) {
	h := halltest.New(t, nil)
	for _, s := range []hall.DeviceStatus{
		{Kind: hall.DevicePrinter, OK: true},
		{Station: "k", Kind: "fax", OK: true},
		{Station: "k", Kind: hall.DevicePrinter, OK: false},
		{Station: "k", Kind: hall.DevicePrinter, OK: true, Fault: "paper_out", Message: "缺纸"},
	} {
		err := h.ReportDevice(ctx, s)
		if !errors.Is(err, hall.ErrInvalid) || hall.Message(err) == "" {
			t.Errorf("%+v: got %v, want invalid with a message", s, err)
		}
	}
}
