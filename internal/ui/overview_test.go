package ui

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// openOverview opens the overview of h in a test window, without its
// background work.
func openOverview(t *testing.T, h *halltest.Hall, roles []roleDef) (*overview, fyne.Window) {
	t.Helper()
	s := newTestSession(t, h)
	s.opt.Version = "test"
	ov := newOverview(s, roles)
	w := ov.window()
	t.Cleanup(w.Close)
	return ov, w
}

// relayout lays the window out again as a real driver does when text
// changes a widget's minimum size; the test canvas does not.
func relayout(w fyne.Window) {
	size := w.Canvas().Size()
	w.Resize(size.AddWidthHeight(1, 1))
	w.Resize(size)
}

func mustRefresh(t *testing.T, ov *overview) {
	t.Helper()
	if _, err := ov.refresh(ov.s.ctx); err != nil {
		t.Fatalf("refresh: %v", err)
	}
}

func TestOverviewShowsHall(t *testing.T) {
	h := halltest.New(t, nil)
	ov, w := openOverview(t, h, roleTable())
	mustRefresh(t, ov)

	if got, want := w.Title(), "城关供电营业厅 · 营业厅服务台"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	for _, c := range []struct{ name, got, want string }{
		{"hall name", ov.hallName.Text, "城关供电营业厅"},
		{"date", ov.date.Text, "2026年11月27日 星期五"},
		{"clock", ov.clock.Text, "09:00:00"},
		{"waiting", ov.waiting.Text, "0"},
	} {
		if c.got != c.want {
			t.Errorf("%s shows %q, want %q", c.name, c.got, c.want)
		}
	}

	types := demo.DefaultTypes()
	if len(ov.typeRows) != len(types) {
		t.Fatalf("%d business types shown, want %d", len(ov.typeRows), len(types))
	}
	for i, bt := range types {
		r := ov.typeRows[i]
		if r.name.Text != bt.Name || r.prefix.Text != bt.Prefix || r.waiting.Text != "0" || r.issued.Text != "0" {
			t.Errorf("type row %d shows %q %q waiting %q issued %q, want %q %q 0 0",
				i, r.name.Text, r.prefix.Text, r.waiting.Text, r.issued.Text, bt.Name, bt.Prefix)
		}
	}
	counters := demo.Config().Counters
	if len(ov.counterRows) != len(counters) {
		t.Fatalf("%d counters shown, want %d", len(ov.counterRows), len(counters))
	}
	for i, c := range counters {
		r := ov.counterRows[i]
		if r.name.Text != c.Name || r.state.Text != "开放" || r.number.Text != "—" || r.ticketState.Text != "空闲" {
			t.Errorf("counter row %d shows %q %q %q %q, want %q 开放 — 空闲",
				i, r.name.Text, r.state.Text, r.number.Text, r.ticketState.Text, c.Name)
		}
	}
	for _, d := range roleTable() {
		if got, want := ov.roleButtons[d.id].Disabled(), !d.available(); got != want {
			t.Errorf("%s button disabled = %v, want %v", d.title, got, want)
		}
	}
}

func TestOverviewShowsQueueChanges(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	ov, w := openOverview(t, h, roleTable())
	mustRefresh(t, ov)

	if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Issue(ctx, demo.TypeConsult, hall.Elderly); err != nil {
		t.Fatal(err)
	}
	mustRefresh(t, ov)
	fee, consult := ov.typeRows[0], ov.typeRows[3]
	if fee.waiting.Text != "1" || fee.issued.Text != "1" || fee.priority.Text != "0" {
		t.Errorf("fee waiting %q issued %q priority %q, want 1 1 0", fee.waiting.Text, fee.issued.Text, fee.priority.Text)
	}
	if consult.waiting.Text != "1" || consult.priority.Text != "1" {
		t.Errorf("consult waiting %q priority %q, want 1 1", consult.waiting.Text, consult.priority.Text)
	}
	if got := ov.waiting.Text; got != "2" {
		t.Errorf("total waiting %q, want 2", got)
	}

	// The elderly customer goes first at counter 1 (fee and consult)...
	h.Clock.Advance(time.Minute)
	if _, err := h.CallNext(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	// ...and the fee customer next, at counter 2.
	if _, err := h.CallNext(ctx, h.At(2)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SetCounterState(ctx, h.At(0), 3, hall.CounterPaused); err != nil {
		t.Fatal(err)
	}
	mustRefresh(t, ov)
	if got := ov.waiting.Text; got != "0" {
		t.Errorf("total waiting %q, want 0", got)
	}
	if fee.waiting.Text != "0" || fee.issued.Text != "1" {
		t.Errorf("fee waiting %q issued %q, want 0 1", fee.waiting.Text, fee.issued.Text)
	}
	wantCounters := []struct{ name, state, number, ticket string }{
		{"1号窗口", "开放", "D001", "呼叫中 · 敬老"},
		{"2号窗口", "开放", "A001", "呼叫中"},
		{"3号窗口", "暂停", "—", ""},
	}
	for i, want := range wantCounters {
		r := ov.counterRows[i]
		got := struct{ name, state, number, ticket string }{r.name.Text, r.state.Text, r.number.Text, r.ticketState.Text}
		if got != want {
			t.Errorf("counter row %d = %+v, want %+v", i, got, want)
		}
	}
	if got, want := ov.clock.Text, "09:01:00"; got != want {
		t.Errorf("clock %q, want %q", got, want)
	}
	relayout(w)
	test.AssertRendersToMarkup(t, "overview/calls.xml", w.Canvas())
}

// The brief's case: one fee ticket called at counter 1.
func TestOverviewShowsCallAtCounter1(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	ov, _ := openOverview(t, h, roleTable())
	mustRefresh(t, ov)

	if _, err := h.Issue(ctx, "fee", hall.Normal); err != nil {
		t.Fatal(err)
	}
	mustRefresh(t, ov)
	if got := ov.typeRows[0].waiting.Text; got != "1" {
		t.Errorf("fee waiting %q, want 1", got)
	}
	if _, err := h.CallNext(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	mustRefresh(t, ov)
	r := ov.counterRows[0]
	if r.name.Text != "1号窗口" || r.number.Text != "A001" || r.ticketState.Text != "呼叫中" {
		t.Errorf("counter 1 shows %q %q %q, want 1号窗口 A001 呼叫中", r.name.Text, r.number.Text, r.ticketState.Text)
	}
	if got := ov.typeRows[0].waiting.Text; got != "0" {
		t.Errorf("fee waiting %q, want 0", got)
	}
}

func TestOverviewFollowsEvents(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	ov, _ := openOverview(t, h, roleTable())

	liveCtx, stop := context.WithCancel(ov.s.ctx)
	ov.s.ctx = liveCtx
	applied := make(chan int64)
	ov.onApplied = func(o hall.Overview) {
		select {
		case applied <- o.LastSeq:
		case <-liveCtx.Done():
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		ov.live()
	}()
	waitFor := func(seq int64) {
		t.Helper()
		for {
			select {
			case got := <-applied:
				if got >= seq {
					return
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("overview never reached event %d", seq)
			}
		}
	}
	waitFor(h.LastSeq())

	if _, err := h.Issue(ctx, "fee", hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, err := h.CallNext(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Issue(ctx, "fee", hall.Disabled); err != nil {
		t.Fatal(err)
	}
	waitFor(h.LastSeq())
	stop()
	<-done

	if got := ov.counterRows[0].number.Text; got != "A001" {
		t.Errorf("counter 1 shows %q, want A001", got)
	}
	fee := ov.typeRows[0]
	if fee.waiting.Text != "1" || fee.priority.Text != "1" || fee.issued.Text != "2" {
		t.Errorf("fee waiting %q priority %q issued %q, want 1 1 2", fee.waiting.Text, fee.priority.Text, fee.issued.Text)
	}
}

func TestOverviewCoalescesBursts(t *testing.T) {
	h := halltest.New(t, nil)
	ov, _ := openOverview(t, h, roleTable())
	// Hold every refresh at the hop to the UI thread until the whole burst
	// has been delivered: then at most one refresh is under way and one due.
	gate := make(chan struct{})
	var (
		mu        sync.Mutex
		refreshes int
	)
	inline := ov.s.runOnMain
	ov.s.runOnMain = func(f func()) {
		<-gate
		mu.Lock()
		refreshes++
		mu.Unlock()
		inline(f)
	}
	events := make(chan hall.Event)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ov.follow(ov.s.ctx, events)
	}()
	const burst = 50
	for i := range burst {
		events <- hall.Event{Seq: int64(i + 1)}
	}
	close(events)
	close(gate)
	<-done
	if refreshes < 1 || refreshes > 2 {
		t.Errorf("%d events caused %d refreshes, want 1 or 2", burst, refreshes)
	}
}

func TestOverviewShowsErrors(t *testing.T) {
	// A hall that was never set up: its overview fails with a typed error.
	h := halltest.Reopen(t, filepath.Join(t.TempDir(), "empty.db"), halltest.NewClock(halltest.Morning(t)))
	ov, _ := openOverview(t, h, roleTable())
	if _, err := ov.refresh(ov.s.ctx); err == nil {
		t.Fatal("refresh of an empty hall succeeded")
	}
	if got, want := ov.status.Text, hall.Message(hall.ErrNotConfigured); got != want {
		t.Errorf("status %q, want %q", got, want)
	}
}

func TestOverviewOpensRoles(t *testing.T) {
	h := halltest.New(t, nil)
	var opened []int
	open := func(s *session, counter int) (fyne.Window, error) {
		opened = append(opened, counter)
		return s.app.NewWindow("role"), nil
	}
	roles := []roleDef{
		{id: "kiosk", title: "取号机", open: open},
		{id: "counter", title: "柜台呼叫器", needsCounter: true, open: open},
		{id: "display", title: "综合屏"},
	}
	ov, _ := openOverview(t, h, roles)
	mustRefresh(t, ov)

	test.Tap(ov.roleButtons["display"])
	test.Tap(ov.roleButtons["kiosk"])
	test.Tap(ov.roleButtons["counter"])
	if ov.picker == nil {
		t.Fatal("no counter picker for the counter role")
	}
	if !ov.pickerOpen.Disabled() {
		t.Error("open button enabled before a counter is picked")
	}
	ov.picker.SetSelected("2号窗口")
	test.Tap(ov.pickerOpen)
	if ov.picker != nil {
		t.Error("picker still showing after open")
	}
	if got, want := opened, []int{0, 2}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("opened windows for counters %v, want %v", got, want)
	}
	if !ov.roleButtons["display"].Disabled() {
		t.Error("display button enabled without a window")
	}
}

func TestFormatDay(t *testing.T) {
	tests := []struct{ day, want string }{
		{"2026-11-27", "2026年11月27日 星期五"},
		{"2027-01-03", "2027年1月3日 星期日"},
		{"", ""},
		{"bad", "bad"},
	}
	for _, tt := range tests {
		if got := formatDay(tt.day); got != tt.want {
			t.Errorf("formatDay(%q) = %q, want %q", tt.day, got, tt.want)
		}
	}
}
