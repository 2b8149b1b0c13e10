package ui

import (
	"context"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// SyncState is the hall's sync to headquarters as the windows show it.
// The program fills it from the sync client's status.
type SyncState struct {
	Backlog     int64     // events HQ has not acknowledged
	LastSuccess time.Time // zero: never
	LastError   string    // Chinese; "" when the last attempt succeeded
	Quarantined int       // records HQ refused, kept aside in the hall
}

const (
	// syncRefreshEvery is how often the sync indicator reads the state.
	syncRefreshEvery = 10 * time.Second
	// defaultOfflineAlert is how long the sync may fail to deliver before
	// the indicator turns into an alert.
	defaultOfflineAlert = 30 * time.Minute
	// syncErrorWidth bounds the sync's error in the header, in half-width
	// columns: 24 Chinese characters, or twice as many Latin letters.
	syncErrorWidth = 48
)

// syncText is the indicator's line for st at now. alert means the line is
// shown in red: events have waited for HQ longer than alertAfter, or none
// was ever delivered and the last attempt failed. With nothing to send an
// old last success is no alarm: a quiet hall pushes nothing.
func syncText(st SyncState, now time.Time, alertAfter time.Duration) (text string, alert bool) {
	if alertAfter <= 0 {
		alertAfter = defaultOfflineAlert
	}
	if st.Backlog > 0 {
		switch {
		case st.LastSuccess.IsZero() && st.LastError != "":
			return Tf("总部同步未曾成功，待送 %d 条，记录已安全保存在本厅", st.Backlog), true
		case !st.LastSuccess.IsZero() && now.Sub(st.LastSuccess) > alertAfter:
			return Tf("总部同步中断 %s，记录已安全保存在本厅", spanText(now.Sub(st.LastSuccess))), true
		}
		if st.LastError != "" {
			return Tf("总部同步：待送 %d 条（%s）", st.Backlog, clip(T(st.LastError), syncErrorWidth)), false
		}
		return Tf("总部同步：待送 %d 条", st.Backlog), false
	}
	if st.LastSuccess.IsZero() {
		return T("总部同步：正常"), false
	}
	return Tf("总部同步：正常 · 上次 %s", clockText(st.LastSuccess, now)), false
}

// quarantineText is the director's line about records HQ refused; "" when
// there are none.
func quarantineText(n int) string {
	if n <= 0 {
		return ""
	}
	return Tf("%d 条记录被总部拒收，已隔离", n)
}

// spanText is a span in days, hours and minutes: 「2小时15分」.
func spanText(d time.Duration) string {
	m := int64(d / time.Minute)
	days, hours, mins := m/(24*60), m/60%24, m%60
	switch {
	case days > 0:
		return Tf("%d天%d小时", days, hours)
	case hours > 0:
		return Tf("%d小时%d分", hours, mins)
	}
	return Tf("%d分", mins)
}

// clockText is t as a time of day in now's zone, with the date when it is
// not today's.
func clockText(t, now time.Time) string {
	t = t.In(now.Location())
	ty, tm, td := t.Date()
	ny, nm, nd := now.Date()
	if ty == ny && tm == nm && td == nd {
		return t.Format("15:04")
	}
	return monthDayTime(t)
}

// monthDayTime is t's month, day and time of day: 11月27日 10:00.
func monthDayTime(t time.Time) string {
	_, m, d := t.Date()
	return Tf("%d月%d日 %s", int(m), d, t.Format("15:04"))
}

// clip shortens s to at most n half-width columns, marking the cut; a
// Chinese character or fullwidth sign takes two.
func clip(s string, n int) string {
	width := func(r rune) int {
		if hasWide(r) {
			return 2
		}
		return 1
	}
	w := 0
	for _, r := range s {
		w += width(r)
	}
	if w <= n {
		return s
	}
	var b strings.Builder
	w = 0
	for _, r := range s {
		if w+width(r) > n-2 { // room for the mark
			break
		}
		w += width(r)
		b.WriteRune(r)
	}
	return b.String() + "…"
}

// hasWide reports whether r is a Chinese character or a fullwidth sign.
func hasWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// syncIndicator is the sync line in a window's header. It reads
// Options.SyncStatus every syncRefreshEvery and on refresh. A nil
// indicator (no SyncStatus: the program runs without HQ) shows nothing.
type syncIndicator struct {
	s          *session
	status     func(context.Context) (SyncState, error)
	alertAfter time.Duration
	// ticks, if set before start, replaces the refresh ticker; tests send
	// on it.
	ticks <-chan time.Time
	// onShown, if set, is called on the UI thread after each read is shown.
	onShown func()
	kick    chan struct{}

	// Owned by the UI thread.
	stop       context.CancelFunc
	box        *fyne.Container
	line       *widget.Label
	quarantine *widget.Label // the director's; nil elsewhere
}

// newSyncIndicator is the indicator of a window of s, or nil without
// Options.SyncStatus. withQuarantine adds the line about refused records.
func newSyncIndicator(s *session, withQuarantine bool) *syncIndicator {
	if s.opt.SyncStatus == nil {
		return nil
	}
	si := &syncIndicator{
		s:          s,
		status:     s.opt.SyncStatus,
		alertAfter: s.opt.OfflineAlert,
		kick:       make(chan struct{}, 1),
		line:       &widget.Label{Text: T("总部同步：…")},
	}
	si.box = container.NewHBox(si.line)
	if withQuarantine {
		si.quarantine = &widget.Label{Importance: widget.DangerImportance, TextStyle: fyne.TextStyle{Bold: true}}
		si.quarantine.Hide()
		si.box.Add(si.quarantine)
	}
	return si
}

// object is what the header holds: an empty, hidden box for a nil
// indicator.
func (si *syncIndicator) object() fyne.CanvasObject {
	if si == nil {
		o := container.NewHBox()
		o.Hide()
		return o
	}
	return si.box
}

// start reads the state now and then every syncRefreshEvery until stop or
// the app quits. UI thread.
func (si *syncIndicator) start() {
	if si == nil || si.stop != nil {
		return
	}
	ctx, cancel := context.WithCancel(si.s.ctx)
	si.stop = cancel
	ticks := si.ticks
	si.s.goBackground(func() {
		if ticks == nil {
			t := time.NewTicker(syncRefreshEvery)
			defer t.Stop()
			ticks = t.C
		}
		for {
			si.read(ctx)
			select {
			case <-ctx.Done():
				return
			case <-ticks:
			case <-si.kick:
			}
		}
	})
}

// close ends the reads; the window is going. UI thread.
func (si *syncIndicator) close() {
	if si != nil && si.stop != nil {
		si.stop()
	}
}

// refresh asks for a read now. It never blocks.
func (si *syncIndicator) refresh() {
	if si == nil {
		return
	}
	select {
	case si.kick <- struct{}{}:
	default:
	}
}

func (si *syncIndicator) read(ctx context.Context) {
	st, err := si.status(ctx)
	if ctx.Err() != nil {
		return
	}
	now := si.s.now()
	si.s.runOnMain(func() {
		if ctx.Err() == nil {
			si.show(st, err, now)
		}
	})
}

// show puts a read on screen. UI thread.
func (si *syncIndicator) show(st SyncState, err error, now time.Time) {
	if err != nil {
		fyne.LogError("read HQ sync status", err)
		si.line.Importance = widget.WarningImportance
		si.line.TextStyle.Bold = false
		si.line.SetText(T("总部同步：状态暂时无法读取"))
	} else {
		text, alert := syncText(st, now, si.alertAfter)
		si.line.Importance = widget.MediumImportance
		if alert {
			si.line.Importance = widget.DangerImportance
		}
		si.line.TextStyle.Bold = alert
		si.line.SetText(text)
		if si.quarantine != nil {
			showLine(si.quarantine, quarantineText(st.Quarantined))
		}
	}
	if si.onShown != nil {
		si.onShown()
	}
}
