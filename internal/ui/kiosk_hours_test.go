package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// at is 2026-11-27 (a Friday) at hh:mm:ss in Shanghai, the test halls'
// zone.
func at(t *testing.T, hh, mm, ss int) time.Time {
	return time.Date(2026, 11, 27, hh, mm, ss, 0, halltest.Shanghai(t))
}

// Outside the opening hours the kiosk shows a closed screen instead of the
// business types, saying when tickets can be taken; it opens by itself at
// the opening minute and closes at the closing minute, on its clock's
// tick, with no restart and no event.
func TestKioskFollowsOpeningHours(t *testing.T) {
	h := halltest.New(t, nil)
	custSetHours(t, h, "08:30-17:30")
	h.Clock.Set(at(t, 8, 0, 0))
	k, w, timers := openKiosk(t, h)

	if k.view != kioskClosed || k.choose.Visible() || !k.closed.Visible() {
		t.Fatalf("view %d at 08:00 (types shown %v), want the closed screen", k.view, k.choose.Visible())
	}
	if got, want := custTextOf(k.closedTitle), "现在不是营业时间"; got != want {
		t.Errorf("closed title %q, want %q", got, want)
	}
	if got, want := custTextOf(k.closedDetail), "今日营业时间 08:30-17:30，08:30 开始取号"; got != want {
		t.Errorf("closed detail %q, want %q", got, want)
	}
	if got, want := custTextOf(k.hours), "今日营业时间 08:30-17:30"; got != want || !k.hours.Visible() {
		t.Errorf("header hours %q (shown %v), want %q", got, k.hours.Visible(), want)
	}
	custFits(t, "closed kiosk", k.root)
	// No ticket can be taken from the closed screen.
	seq := h.LastSeq()
	test.Tap(k.typeButton[demo.TypeFee])
	test.Tap(k.elderly)
	if h.LastSeq() != seq || k.prio != hall.Normal {
		t.Error("the closed kiosk took a tap")
	}

	// 08:29:59 still closed; 08:30:00 open.
	h.Clock.Set(at(t, 8, 29, 59))
	k.onTick()
	if k.view != kioskClosed {
		t.Fatalf("view %d a second before opening", k.view)
	}
	h.Clock.Set(at(t, 8, 30, 0))
	k.onTick()
	if k.view != kioskChoose || !k.choose.Visible() || k.closed.Visible() {
		t.Fatalf("view %d at opening, want the types", k.view)
	}
	test.Tap(k.typeButton[demo.TypeFee])
	if n, _, _ := kioskCardText(k); n != "A001" {
		t.Fatalf("card %q at opening, want A001", n)
	}

	// A card on show at closing stays until it clears; then the closed
	// screen, naming tomorrow's hours and reassuring those inside.
	h.Clock.Set(at(t, 17, 30, 0))
	k.onTick()
	if k.view != kioskCard {
		t.Errorf("view %d: closing took the card away", k.view)
	}
	timers.fire(kioskCardFor)
	if k.view != kioskClosed {
		t.Fatalf("view %d after the card at closing, want the closed screen", k.view)
	}
	if got, want := custTextOf(k.closedDetail), "今日取号已结束，明日营业时间 08:30-17:30"; got != want {
		t.Errorf("closed detail %q, want %q", got, want)
	}
	if got := custTextOf(k.closedNote); got != kioskStillServing {
		t.Errorf("closed note %q, want %q", got, kioskStillServing)
	}
	relayout(w)
	custFits(t, "closed kiosk after hours", k.root)

	// In 长者模式 the closed screen fits too.
	k.frame.setLarge(true)
	custFits(t, "closed kiosk in 长者模式", k.root)
}

// Without opening hours (the demo hall, make run) the kiosk issues at any
// hour and shows no hours.
func TestKioskWithoutHoursIsAlwaysOpen(t *testing.T) {
	h := halltest.New(t, nil)
	h.Clock.Set(at(t, 3, 0, 0))
	k, _, _ := openKiosk(t, h)
	if k.view != kioskChoose || k.hours.Visible() {
		t.Fatalf("view %d, hours shown %v at 03:00 without hours; want the types and no hours", k.view, k.hours.Visible())
	}
	test.Tap(k.typeButton[demo.TypeRepair])
	if n, _, _ := kioskCardText(k); n != "E001" {
		t.Errorf("card %q, want E001", n)
	}
}

// The hall decides: a kiosk whose hours are stale (or whose PC's clock is
// ahead of the hall's) gets the hall's refusal, naming today's hours, and
// shows the closed screen once the refusal clears.
func TestKioskShowsTheHallsClosedRefusal(t *testing.T) {
	h := halltest.New(t, nil)
	h.Clock.Set(at(t, 18, 0, 0))
	k, _, timers := openKiosk(t, h)
	custSetHours(t, h, "08:30-17:30") // the kiosk has not read it yet
	test.Tap(k.typeButton[demo.TypeFee])
	if k.view != kioskMessage {
		t.Fatalf("view %d, want the refusal", k.view)
	}
	if got, want := custTextOf(k.messageText), "现在不是营业时间，今日营业时间 08:30-17:30"; got != want {
		t.Errorf("refusal %q, want %q", got, want)
	}
	kioskReload(t, k)
	timers.fire(kioskCardFor)
	if k.view != kioskClosed {
		t.Errorf("view %d after the refusal, want the closed screen", k.view)
	}
}

// The display names today's hours in its header's corner.
func TestDisplayShowsOpeningHours(t *testing.T) {
	h := halltest.New(t, nil)
	d, _, _ := openDisplay(t, h)
	if d.hours.Visible() {
		t.Errorf("hours %q shown for a hall without hours", d.hours.Text())
	}
	custSetHours(t, h, "09:00-16:00")
	displayCatchUp(t, d, true)
	if got, want := d.hours.Text(), "营业时间 09:00-16:00"; got != want || !d.hours.Visible() {
		t.Errorf("hours %q (shown %v), want %q", got, d.hours.Visible(), want)
	}
	if !strings.Contains(d.date.Text(), "2026") {
		t.Errorf("date %q beside the hours", d.date.Text())
	}
}
