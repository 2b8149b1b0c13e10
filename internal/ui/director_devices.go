package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// deviceFaults is a line for the director's window that names every device
// of the hall's PCs at fault (a kiosk's printer out of paper, a display
// without sound), and is hidden while all are well. It follows the hall's
// device.status events by itself, for as long as its window is open.
type deviceFaults struct {
	s     *session
	ctx   context.Context // the window's: following ends when it closes
	label *widget.Label   // owned by the UI thread
	retry time.Duration
}

// newDeviceFaults builds the line; start follows the hall until ctx ends.
func newDeviceFaults(ctx context.Context, s *session) *deviceFaults {
	f := &deviceFaults{
		s:     s,
		ctx:   ctx,
		label: &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord},
		retry: retryAfter,
	}
	f.label.Hide()
	return f
}

// start follows the hall in the background. It is called once the window
// is built: the follower writes the label through runOnMain, and nothing
// may do so while the window is still being put together.
func (f *deviceFaults) start() { f.s.goBackground(f.follow) }

// object is the line to place in a window.
func (f *deviceFaults) object() fyne.CanvasObject { return f.label }

// follow reads the devices, then again after every device event, until the
// program ends; a broken stream is picked up again after a pause.
func (f *deviceFaults) follow() {
	feed := newFeedIn(f.ctx, f.s, f.retry)
	defer feed.stop()
	feed.load = func(ctx context.Context) (int64, error) {
		o, err := f.s.svc.Overview(ctx)
		if err != nil {
			return 0, err
		}
		f.refresh(ctx)
		return o.LastSeq, nil
	}
	feed.event = func(e hall.Event) bool { return e.Kind == hall.KindDeviceStatus }
	feed.reload = f.refresh
	feed.broken = func(error) {} // the desk's own live line says so
	feed.run()
}

// refresh reads the devices off the UI thread and shows the faults.
func (f *deviceFaults) refresh(ctx context.Context) {
	devs, err := f.s.svc.Devices(ctx)
	if err != nil || ctx.Err() != nil {
		return // the line keeps what it showed; the next event tries again
	}
	text := deviceFaultText(devs, f.s.now())
	f.s.runOnMain(func() {
		f.label.SetText(text)
		f.label.Hidden = text == ""
		f.label.Refresh()
	})
}

// deviceFaultText is the line for the faults among devs, "" when there are
// none: 设备故障：取号机1 的小票打印机：打印机缺纸（10:32 起）。
func deviceFaultText(devs []hall.DeviceStatus, now time.Time) string {
	var parts []string
	for _, d := range devs {
		if d.OK {
			continue
		}
		since := d.At.In(now.Location())
		when := since.Format("15:04")
		if since.Format(time.DateOnly) != now.Format(time.DateOnly) {
			when = since.Format(T(dayTimeLayout))
		}
		// The station is the PC's own name; the kind and the message are
		// the hall's standard text.
		parts = append(parts, Tf("%s 的%s：%s（%s 起）", d.Station, T(d.Kind.Label()), T(d.Message), when))
	}
	if len(parts) == 0 {
		return ""
	}
	return Tf("设备故障：%s", strings.Join(parts, T("；")))
}
