package hall_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// Opening hours are part of the policy: seven days or none, each
// "HH:MM-HH:MM", kept across a restart.
func TestOpeningHours(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	p := hall.DefaultPolicy()
	for _, c := range []struct {
		hours []string
		want  string
	}{
		{[]string{"08:30-17:30"}, "逐日"},
		{[]string{"08:30-17:30", "08:30-17:30", "08:30-17:30", "x", "08:30-17:30", "08:30-17:30", "08:30-17:30"}, "星期三"},
		{[]string{"08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "18:00-09:00"}, "星期六"},
	} {
		p.OpenHours = c.hours
		err := h.SetPolicy(ctx, p)
		if !errors.Is(err, hall.ErrInvalid) || !strings.Contains(hall.Message(err), c.want) {
			t.Errorf("hours %v: %v (%q), want ErrInvalid naming %s", c.hours, err, hall.Message(err), c.want)
		}
	}
	p.OpenHours = []string{"09:00-16:00", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "09:00-16:00"}
	if err := h.SetPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	h = h.Restart(t)
	cfg, err := h.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Policy.OpenHours, p.OpenHours) {
		t.Errorf("after restart: %v, want %v", cfg.Policy.OpenHours, p.OpenHours)
	}
}

// weekHours are hours for Sunday to Saturday: short at the weekend.
var weekHours = []string{"09:00-16:00", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "09:00-16:00"}

// hoursHall is the demo hall with weekHours, its clock on Friday
// 2026-11-27 at hh:mm:ss in Shanghai.
func hoursHall(t *testing.T, hh, mm, ss int) *halltest.Hall {
	t.Helper()
	h := halltest.New(t, nil)
	cfg, err := h.Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Policy
	p.OpenHours = weekHours
	if err := h.SetPolicy(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	h.Clock.Set(time.Date(2026, 11, 27, hh, mm, ss, 0, halltest.Shanghai(t)))
	return h
}

// The kiosk issues from the opening minute up to, not including, the
// closing minute; outside, Issue refuses with ErrClosed naming today's
// hours, and the refusal changes nothing.
func TestIssueKeepsOpeningHours(t *testing.T) {
	ctx := context.Background()
	sh := halltest.Shanghai(t)
	for _, c := range []struct {
		at   time.Time
		open bool
	}{
		{time.Date(2026, 11, 27, 8, 29, 59, 0, sh), false},
		{time.Date(2026, 11, 27, 8, 30, 0, 0, sh), true},
		{time.Date(2026, 11, 27, 17, 29, 59, 0, sh), true},
		{time.Date(2026, 11, 27, 17, 30, 0, 0, sh), false},
		{time.Date(2026, 11, 27, 23, 59, 0, 0, sh), false},
		{time.Date(2026, 11, 27, 3, 0, 0, 0, sh), false},
	} {
		h := hoursHall(t, 9, 0, 0)
		h.Clock.Set(c.at)
		before := h.LastSeq()
		tk, err := h.Issue(ctx, "fee", hall.Normal)
		if c.open {
			if err != nil || tk.Number != "A001" {
				t.Errorf("%s: %v %q, want A001", c.at.Format("15:04:05"), err, tk.Number)
			}
			continue
		}
		if !errors.Is(err, hall.ErrClosed) {
			t.Fatalf("%s: %v, want ErrClosed", c.at.Format("15:04:05"), err)
		}
		if got, want := hall.Message(err), "现在不是营业时间，今日营业时间 08:30-17:30"; got != want {
			t.Errorf("%s: message %q, want %q", c.at.Format("15:04:05"), got, want)
		}
		// The format and the hours travel apart, for a window in English.
		en := hall.MessageIn(err, func(s string) string {
			if s == hall.ClosedMessage {
				return "Closed; today's hours are %s"
			}
			return s
		})
		if en != "Closed; today's hours are 08:30-17:30" {
			t.Errorf("%s: translated message %q", c.at.Format("15:04:05"), en)
		}
		if h.LastSeq() != before {
			t.Errorf("%s: a refused ticket wrote %d events", c.at.Format("15:04:05"), h.LastSeq()-before)
		}
	}
}

// Each weekday has its own hours, read in the hall's time zone whatever
// the clock's; a hall without hours issues at any time, as the demo hall
// (make run) and the test halls do.
func TestOpeningHoursByDayAndZone(t *testing.T) {
	ctx := context.Background()
	h := hoursHall(t, 9, 0, 0)
	// Saturday 16:30: after Saturday's 09:00-16:00.
	h.Clock.Set(time.Date(2026, 11, 28, 16, 30, 0, 0, halltest.Shanghai(t)))
	if _, err := h.Issue(ctx, "fee", hall.Normal); !strings.Contains(hall.Message(err), "09:00-16:00") {
		t.Errorf("Saturday 16:30: %v (%q), want closed with 09:00-16:00", err, hall.Message(err))
	}
	// Friday 01:00 UTC is 09:00 in Shanghai: open.
	h.Clock.Set(time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC))
	if _, err := h.Issue(ctx, "fee", hall.Normal); err != nil {
		t.Errorf("09:00 Shanghai given in UTC: %v", err)
	}

	if got := demo.Config().Policy.OpenHours; len(got) != 0 {
		t.Errorf("the demo hall has hours %v: make run would refuse tickets at night", got)
	}
	free := halltest.New(t, nil)
	free.Clock.Set(time.Date(2026, 11, 29, 3, 0, 0, 0, halltest.Shanghai(t)))
	if _, err := free.Issue(ctx, "fee", hall.Normal); err != nil {
		t.Errorf("a hall without hours at 03:00 on a Sunday: %v", err)
	}
}

// Closing stops issuing only: customers still waiting are called and
// served after the closing minute.
func TestClosingStillServesTheQueue(t *testing.T) {
	ctx := context.Background()
	h := hoursHall(t, 17, 25, 0)
	if _, err := h.Issue(ctx, "fee", hall.Normal); err != nil {
		t.Fatal(err)
	}
	h.Clock.Set(time.Date(2026, 11, 27, 17, 40, 0, 0, halltest.Shanghai(t)))
	if _, err := h.Issue(ctx, "fee", hall.Normal); !errors.Is(err, hall.ErrClosed) {
		t.Fatalf("after closing: %v, want ErrClosed", err)
	}
	c, err := h.CallNext(ctx, h.At(1))
	if err != nil || c.Ticket.Number != "A001" {
		t.Fatalf("call after closing: %v %+v", err, c)
	}
	if _, err := h.Start(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Finish(ctx, h.At(1)); err != nil {
		t.Errorf("finish after closing: %v", err)
	}
}

// OpeningOn and NextOpening give the kiosk today's hours and when issuing
// starts again.
func TestNextOpening(t *testing.T) {
	sh := halltest.Shanghai(t)
	p := hall.DefaultPolicy()
	if _, ok := p.OpeningOn(time.Date(2026, 11, 27, 9, 0, 0, 0, sh), sh); ok {
		t.Error("a policy without hours has hours")
	}
	if open, _, ok := p.IssuingAt(time.Date(2026, 11, 27, 3, 0, 0, 0, sh), sh); !open || ok {
		t.Errorf("no hours: open %v ok %v, want open without hours", open, ok)
	}
	p.OpenHours = weekHours
	for _, c := range []struct {
		at   time.Time
		want time.Time
	}{
		{time.Date(2026, 11, 27, 7, 0, 0, 0, sh), time.Date(2026, 11, 27, 8, 30, 0, 0, sh)},  // Friday, before opening
		{time.Date(2026, 11, 27, 18, 0, 0, 0, sh), time.Date(2026, 11, 28, 9, 0, 0, 0, sh)},  // Friday evening: Saturday 09:00
		{time.Date(2026, 11, 28, 16, 0, 0, 0, sh), time.Date(2026, 11, 29, 9, 0, 0, 0, sh)},  // Saturday closing: Sunday 09:00
		{time.Date(2026, 11, 29, 23, 0, 0, 0, sh), time.Date(2026, 11, 30, 8, 30, 0, 0, sh)}, // Sunday night: Monday 08:30
	} {
		next, ok := p.NextOpening(c.at, sh)
		if !ok || !next.From.Equal(c.want) {
			t.Errorf("after %s: next opening %v (%v), want %s", c.at, next.From, ok, c.want)
		}
	}
	today, ok := p.OpeningOn(time.Date(2026, 11, 27, 9, 0, 0, 0, sh), sh)
	if !ok || today.Hours != "08:30-17:30" || today.Day != "2026-11-27" {
		t.Errorf("Friday: %+v %v", today, ok)
	}
}
