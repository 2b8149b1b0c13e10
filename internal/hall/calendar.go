package hall

import (
	"context"
	"slices"
	"time"
)

// Calendar tells working days from rest days, for the time limits of the
// 供电服务"十项承诺" (contact a complainant within 1 working day, reply within
// 7). Monday to Friday work unless listed as holidays; weekend days listed
// as make-up working days (调休) work. The hall keeps the State Council's
// yearly holiday schedule here; it starts empty.
type Calendar struct {
	Holidays []string `json:"holidays,omitempty"` // local dates, 2006-01-02
	Workdays []string `json:"workdays,omitempty"` // weekend days that are worked
}

// IsWorkday reports whether the local date is a working day.
func (c Calendar) IsWorkday(d time.Time) bool {
	day := d.Format(time.DateOnly)
	if slices.Contains(c.Workdays, day) {
		return true
	}
	if slices.Contains(c.Holidays, day) {
		return false
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkdays returns the local date n working days after the day of t
// (the day itself does not count): the last day of a limit of n working days.
func (c Calendar) AddWorkdays(t time.Time, loc *time.Location, n int) string {
	y, m, d := t.In(loc).Date()
	day := time.Date(y, m, d, 12, 0, 0, 0, loc) // noon: clear of DST edges
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.IsWorkday(day) {
			n--
		}
	}
	return day.Format(time.DateOnly)
}

// Validate checks the dates.
func (c Calendar) Validate() error {
	for _, list := range [][]string{c.Holidays, c.Workdays} {
		for _, d := range list {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return ErrInvalid.WithMessagef("日历中的日期格式有误：%s", []string{d}, "calendar date %q", d)
			}
		}
	}
	return nil
}

// KindCalendarSet records a change of the working-day calendar.
const KindCalendarSet Kind = "calendar.set"

// SetCalendar replaces the working-day calendar; a director or admin only.
func (tx *Tx) SetCalendar(tok Token, c Calendar) error {
	if _, err := tx.director(tok); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	tx.st.calendar, tx.calendar = c, true
	return tx.emit(KindCalendarSet, tx.now(), c)
}

// SetCalendar replaces the working-day calendar.
func (l *Local) SetCalendar(ctx context.Context, tok Token, c Calendar) error {
	return l.Batch(ctx, func(tx *Tx) error { return tx.SetCalendar(tok, c) })
}

// WorkingCalendar returns the working-day calendar.
func (l *Local) WorkingCalendar(ctx context.Context) (Calendar, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st.calendar, nil
}
