package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

func TestParseCalendarDays(t *testing.T) {
	got, err := parseCalendarDays("2027-10-01~2027-10-03\n\n 2027-01-01 \n2027-10-02\n2027-02-06 至 2027-02-07\n2027-05-01～2027-05-02")
	want := []string{"2027-01-01", "2027-02-06", "2027-02-07", "2027-05-01", "2027-05-02", "2027-10-01", "2027-10-02", "2027-10-03"}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("parse = %q, %v; want %q", got, err, want)
	}
	for _, bad := range []string{"2027-13-01", "2027-10-07~2027-10-01", "2027-01-01~2027-03-01", "国庆", "2027/10/01"} {
		if _, err := parseCalendarDays(bad); !errors.Is(err, hall.ErrInvalid) || !strings.Contains(hall.Message(err), bad) {
			t.Errorf("%q: %v (%q), want ErrInvalid naming the line", bad, err, hall.Message(err))
		}
	}
}

func TestDirectorSetsTheWorkingCalendar(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	v := d.calendar
	if v.holidays.Text != "" || v.workdays.Text != "" {
		t.Fatalf("a new hall's calendar shows %q / %q", v.holidays.Text, v.workdays.Text)
	}
	v.holidays.SetText("2027-10-01~2027-10-07\n2027-01-01")
	v.workdays.SetText("2027-09-26\n2027-10-09")
	test.Tap(v.save)
	c, err := h.WorkingCalendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Holidays) != 8 || c.Holidays[0] != "2027-01-01" || !slices.Equal(c.Workdays, []string{"2027-09-26", "2027-10-09"}) {
		t.Fatalf("saved %+v", c)
	}
	if !strings.Contains(d.statusLine.Text, "工作日历已保存") || v.summary.Text != "已保存：节假日 8 天，调休上班 2 天" {
		t.Errorf("status %q, summary %q", d.statusLine.Text, v.summary.Text)
	}
	// The limits count with it: from the eve of 国庆 1 working day is after the week off.
	if due := c.AddWorkdays(mustDate(t, "2027-09-30"), halltest.Shanghai(t), 1); due != "2027-10-08" {
		t.Errorf("1 working day after 2027-09-30 = %s, want 2027-10-08", due)
	}
	// A bad line is refused naming it, and nothing is saved.
	v.workdays.SetText("2027-09-26\n2027-02-30")
	test.Tap(v.save)
	if got := d.statusLine.Text; !strings.Contains(got, "调休上班日") || !strings.Contains(got, "2027-02-30") {
		t.Errorf("status %q, want the bad line named", got)
	}
	if again, _ := h.WorkingCalendar(ctx); len(again.Workdays) != 2 {
		t.Errorf("a refused save changed the calendar: %+v", again)
	}
	test.Tap(v.reread)
	if v.workdays.Text != "2027-09-26\n2027-10-09" {
		t.Errorf("after 重新读取: %q", v.workdays.Text)
	}
	if n := len(eventsOf(t, h, hall.KindCalendarSet)); n != 1 {
		t.Errorf("%d calendar.set events, want 1", n)
	}
}

func TestDirectorCalendarTabInEnglish(t *testing.T) {
	inEnglish(t)
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	v, _ := deskTab[*calendarView](t, d)
	v.holidays.SetText("2027-01-01\nnot a date")
	test.Tap(v.save)
	assertEnglish(t, "the calendar tab", v.content)
	assertEnglish(t, "a refused calendar", d.statusLine)
	assertFits(t, "the calendar tab", v.content)
}

// mustDate is the local date at noon in the hall's time zone.
func mustDate(t *testing.T, day string) time.Time {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, day, halltest.Shanghai(t))
	if err != nil {
		t.Fatal(err)
	}
	return d.Add(12 * time.Hour)
}
