package hall

import (
	"strings"
	"time"
)

// Opening hours (clause 4.2.3). Policy.OpenHours holds one "HH:MM-HH:MM"
// per weekday, Sunday first, or nothing (no limit). The kiosk issues
// tickets from the opening minute up to, not including, the closing
// minute, in the hall's time zone:
//   - not before opening: a ticket taken early would start its wait before
//     any counter opens, and every first call would then carry the apology
//     flag and spoil the day's waiting figures;
//   - customers still waiting or being served at closing are served: only
//     issuing stops, calls and services go on.

// ErrClosed refuses a ticket outside today's opening hours. Its message
// names today's hours in the form of ClosedMessage.
var ErrClosed = newError("closed", "现在不是营业时间")

// ClosedMessage is ErrClosed's message: a format with today's hours
// ("08:30-17:30") as its one argument, kept as the error's Key so that
// windows translate the format and fill in the hours (MessageIn).
const ClosedMessage = "现在不是营业时间，今日营业时间 %s"

// Opening is a hall's opening hours on one day.
type Opening struct {
	Day   string    // 2006-01-02 in the hall's time zone
	Hours string    // "08:30-17:30"
	From  time.Time // the opening minute
	To    time.Time // the closing minute: no tickets from then on
}

// Contains reports whether tickets are issued at t: from From up to, not
// including, To.
func (o Opening) Contains(t time.Time) bool { return !t.Before(o.From) && t.Before(o.To) }

// OpeningOn returns the opening hours of the day that holds t in loc;
// false when the policy sets no hours (or, in a damaged policy, none
// readable for that day): the hall then issues at any time.
func (p Policy) OpeningOn(t time.Time, loc *time.Location) (Opening, bool) {
	if len(p.OpenHours) != 7 {
		return Opening{}, false
	}
	if loc == nil {
		loc = time.Local
	}
	t = t.In(loc)
	hours, err := parseHours(p.OpenHours[t.Weekday()])
	if err != nil {
		return Opening{}, false
	}
	from, to, _ := strings.Cut(hours, "-")
	at := func(hm string) time.Time {
		c, _ := time.Parse("15:04", hm)
		return time.Date(t.Year(), t.Month(), t.Day(), c.Hour(), c.Minute(), 0, 0, loc)
	}
	return Opening{Day: t.Format(time.DateOnly), Hours: hours, From: at(from), To: at(to)}, true
}

// IssuingAt reports whether the policy lets the kiosk issue tickets at t,
// and today's hours (ok false: no hours, always open).
func (p Policy) IssuingAt(t time.Time, loc *time.Location) (open bool, today Opening, ok bool) {
	today, ok = p.OpeningOn(t, loc)
	return !ok || today.Contains(t), today, ok
}

// NextOpening is when issuing next starts after t: today's opening minute
// before it, else the next day's. ok is false when the policy sets no
// hours.
func (p Policy) NextOpening(t time.Time, loc *time.Location) (Opening, bool) {
	today, ok := p.OpeningOn(t, loc)
	if !ok {
		return Opening{}, false
	}
	if t.Before(today.From) {
		return today, true
	}
	t = t.In(today.From.Location())
	// Noon of the next day: clear of daylight-saving edges.
	next := time.Date(t.Year(), t.Month(), t.Day()+1, 12, 0, 0, 0, t.Location())
	return p.OpeningOn(next, t.Location())
}

// checkOpen refuses issuing outside today's opening hours.
func (st *state) checkOpen(now time.Time) error {
	open, today, ok := st.policy.IssuingAt(now, st.loc)
	if !ok || open {
		return nil
	}
	return ErrClosed.WithMessagef(ClosedMessage, []string{today.Hours},
		"closed at %s; hours on %s are %s", now.In(today.From.Location()).Format("15:04:05"), today.Day, today.Hours)
}
