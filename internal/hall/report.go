package hall

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// Reports for supervision, inspection and assessment (检查与考核, clause 3.2):
// what the hall did over a range of its local days. The types here are
// pure; a store that can compute them implements ReportStore.
//
// What a report counts, and by which clock:
//
//   - Tickets belong to the local day they were issued on (Ticket.Day), and
//     to their current business type: a customer transferred to another
//     business counts under the new one.
//   - Waiting time is issue → first call (Ticket.Waited); transfers and
//     recalls do not restart it. Only tickets that were called have one.
//   - Services belong to the range when they started in it, and count once
//     they have ended. Service time is start → end of the services that
//     ended 办结; a service that ended in a transfer is counted apart
//     (Transferred) and left out of service times, as it is only part of
//     the business.
//   - A clerk's or counter's customers' waiting time is that of the tickets
//     whose first service was theirs: the clerk a customer was transferred
//     to did not keep that customer waiting.
//   - Ratings, complaints and escalations belong to the local day they
//     were recorded on.
//   - Patrols belong to the local day they were recorded on; a score is
//     the share of checklist items met (PatrolScore) and means are plain
//     means of the scores.
//   - Escalations: Opened counts those recorded in the range; Closed those
//     of them whose reply was recorded by the report's time (now); Overdue
//     those still unreplied then whose due date is before now's local day.
//
// Percentiles are nearest-rank: P90 of n values is the value at rank
// ceil(0.9·n) (1-based) of the values sorted ascending — an actual
// observation, never an interpolation. For n = 10 it is the 9th smallest,
// for n = 5 the largest, for n = 1 the only one.

// MaxReportDays bounds a report's range: a year, leap day included.
const MaxReportDays = 366

// Report range errors. Each carries a Chinese message for the screen.
var (
	ErrReportDate  = newError("report_date", "报表日期格式有误，应为 年-月-日，例如 2026-11-01")
	ErrReportOrder = newError("report_order", "报表的开始日期不能晚于结束日期")
	ErrReportSpan  = newError("report_span", "报表范围不能超过366天")
	// ErrNoReports: the hall's store cannot compute reports.
	ErrNoReports = newError("no_reports", "当前数据存储不支持统计报表")
)

// ReportRange is a range of the hall's local calendar days, both ends
// included, as 2006-01-02.
type ReportRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// DayRange is the range of one local day.
func DayRange(day string) ReportRange { return ReportRange{From: day, To: day} }

// MonthRange is the range of a calendar month.
func MonthRange(year int, month time.Month) ReportRange {
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	return ReportRange{From: first.Format(time.DateOnly), To: first.AddDate(0, 1, -1).Format(time.DateOnly)}
}

// parseDate reads a calendar date strictly: 2026-11-01, not 2026-11-1.
func parseDate(s, which string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Format(time.DateOnly) != s {
		return time.Time{}, ErrReportDate.WithMessagef("%s格式有误，应为 年-月-日，例如 2026-11-01", []string{which}, "bad %s date %q", which, s)
	}
	return d, nil
}

// dates parses and checks the range; the dates are midnights in UTC, used
// as calendar dates only.
func (r ReportRange) dates() (from, to time.Time, err error) {
	if from, err = parseDate(r.From, "开始日期"); err != nil {
		return
	}
	if to, err = parseDate(r.To, "结束日期"); err != nil {
		return
	}
	if to.Before(from) {
		return from, to, ErrReportOrder.WithMessagef("报表的开始日期（%s）不能晚于结束日期（%s）", []string{r.From, r.To}, "from %s after to %s", r.From, r.To)
	}
	if n := int(to.Sub(from)/(24*time.Hour)) + 1; n > MaxReportDays {
		return from, to, ErrReportSpan.WithMessagef("报表范围不能超过366天，所选范围有%s天", []string{strconv.Itoa(n)}, "range of %d days", n)
	}
	return from, to, nil
}

// Validate checks the dates' format, their order and the span.
func (r ReportRange) Validate() error {
	_, _, err := r.dates()
	return err
}

// Days is the number of days in the range, or 0 if it is invalid.
func (r ReportRange) Days() int {
	from, to, err := r.dates()
	if err != nil {
		return 0
	}
	return int(to.Sub(from)/(24*time.Hour)) + 1
}

// Dates lists the range's days in order, or nil if it is invalid.
func (r ReportRange) Dates() []string {
	from, to, err := r.dates()
	if err != nil {
		return nil
	}
	var out []string
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
}

// Bounds is the range as instants: from the start of From to the start of
// the day after To, in loc (end excluded). Days with a daylight-saving
// change are 23 or 25 hours long, as they are on the wall.
func (r ReportRange) Bounds(loc *time.Location) (start, end time.Time, err error) {
	from, to, err := r.dates()
	if err != nil {
		return
	}
	return midnight(from, loc), midnight(to.AddDate(0, 0, 1), loc), nil
}

// DayBounds is where each day of the range starts, in loc, followed by
// where the last one ends: len(Dates())+1 instants. Day i is
// [DayBounds[i], DayBounds[i+1]).
func (r ReportRange) DayBounds(loc *time.Location) ([]time.Time, error) {
	from, to, err := r.dates()
	if err != nil {
		return nil, err
	}
	var out []time.Time
	for d := from; !d.After(to.AddDate(0, 0, 1)); d = d.AddDate(0, 0, 1) {
		out = append(out, midnight(d, loc))
	}
	return out, nil
}

func midnight(date time.Time, loc *time.Location) time.Time {
	y, m, d := date.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// DurationStats sums up a set of durations.
type DurationStats struct {
	N    int           `json:"n"`    // how many
	Mean time.Duration `json:"mean"` // arithmetic mean, truncated to the nanosecond; 0 when N is 0
	P90  time.Duration `json:"p90"`  // nearest-rank 90th percentile; 0 when N is 0
}

// P90Rank is the 1-based rank of the nearest-rank 90th percentile among n
// sorted values: ceil(0.9·n), computed in integers so that no rounding of
// 0.9 can move it. 0 when n is 0.
func P90Rank(n int) int { return (9*n + 9) / 10 }

// Summarize computes the count, mean and nearest-rank P90 of ds. It sorts
// ds in place.
func Summarize(ds []time.Duration) DurationStats {
	n := len(ds)
	if n == 0 {
		return DurationStats{}
	}
	slices.Sort(ds)
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return DurationStats{N: n, Mean: sum / time.Duration(n), P90: ds[P90Rank(n)-1]}
}

// RatingCounts counts ratings by level: RatingCounts[Unrated] is the
// services nobody rated (未评价), RatingCounts[VerySatisfied] those rated
// 非常满意, and so on.
type RatingCounts [VerySatisfied + 1]int

// Total is every rating record, 未评价 included.
func (c RatingCounts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// Rated is the services a customer rated: 未评价 excluded.
func (c RatingCounts) Rated() int { return c.Total() - c[Unrated] }

// Satisfied is the 非常满意 and 满意 ratings.
func (c RatingCounts) Satisfied() int { return c[VerySatisfied] + c[Satisfied] }

// SatisfactionRate is (非常满意 + 满意) / rated services, 0 when none was
// rated. Services left 未评价 are not in the denominator: they are
// reported apart, by UnratedShare. ClerkRatings.SatisfactionRate is the same.
func (c RatingCounts) SatisfactionRate() float64 {
	if r := c.Rated(); r > 0 {
		return float64(c.Satisfied()) / float64(r)
	}
	return 0
}

// UnratedShare is 未评价 / all rating records, 0 when there are none.
func (c RatingCounts) UnratedShare() float64 {
	if t := c.Total(); t > 0 {
		return float64(c[Unrated]) / float64(t)
	}
	return 0
}

// TicketCounts counts tickets by how they ended.
type TicketCounts struct {
	Issued     int `json:"issued"`     // every ticket
	Served     int `json:"served"`     // 已办结
	NoShow     int `json:"no_show"`    // 过号 (and not served after a requeue)
	Cancelled  int `json:"cancelled"`  // 已取消
	Unfinished int `json:"unfinished"` // 未办结 at the day's close
	Open       int `json:"open"`       // still waiting, called or being served at the report's time
}

// Add counts n tickets in state s.
func (c *TicketCounts) Add(s TicketState, n int) {
	c.Issued += n
	switch s {
	case Done:
		c.Served += n
	case NoShow:
		c.NoShow += n
	case Cancelled:
		c.Cancelled += n
	case Unfinished:
		c.Unfinished += n
	default:
		c.Open += n
	}
}

// TypeReport is one business type's figures.
type TypeReport struct {
	Code    string        `json:"code"`
	Name    string        `json:"name"`
	Retired bool          `json:"retired,omitempty"`
	Tickets TicketCounts  `json:"tickets"`
	Wait    DurationStats `json:"wait"`    // of its called tickets
	Service DurationStats `json:"service"` // of its services ended 办结
}

// HourReport is the tickets issued in one local hour of the day, summed over
// the range's days.
type HourReport struct {
	Hour   int           `json:"hour"` // 0..23: tickets issued from Hour:00 to Hour:59
	Issued int           `json:"issued"`
	Wait   DurationStats `json:"wait"` // of those called
}

// ServiceStats is the work of one counter or one clerk.
type ServiceStats struct {
	Done        int           `json:"done"`        // services ended 办结
	Transferred int           `json:"transferred"` // services ended by a transfer
	Service     DurationStats `json:"service"`     // length of the 办结 services
	Wait        DurationStats `json:"wait"`        // waits of the customers whose first service this was
}

// CounterReport is one counter's figures.
type CounterReport struct {
	Counter  int          `json:"counter"`
	Name     string       `json:"name"`
	Services ServiceStats `json:"services"`
	Patrol   PatrolStats  `json:"patrol"`
}

// PatrolStats sums up the patrol findings at one counter or for one clerk.
type PatrolStats struct {
	Checked   int     `json:"checked"`    // times inspected
	MeanScore float64 `json:"mean_score"` // mean of the scores, 0 when never inspected
	Failed    int     `json:"failed"`     // checklist items not met, over all inspections
}

// PatrolSummary sums up the range's patrols.
type PatrolSummary struct {
	Patrols   int               `json:"patrols"`    // patrols recorded
	Checked   int               `json:"checked"`    // counters inspected, over all patrols
	MeanScore float64           `json:"mean_score"` // mean of every counter's score
	ByItem    []PatrolItemFails `json:"by_item"`    // every checklist item, in checklist order
}

// PatrolItemFails is how often one checklist item was not met.
type PatrolItemFails struct {
	Code   string `json:"code"`
	Label  string `json:"label"`
	Failed int    `json:"failed"`
}

// ClerkReport is one clerk's figures.
type ClerkReport struct {
	Clerk      string       `json:"clerk"` // staff number
	Name       string       `json:"name"`
	Services   ServiceStats `json:"services"`
	Ratings    RatingCounts `json:"ratings"`
	Complaints int          `json:"complaints"` // complaints recorded at their counter by them
	Patrol     PatrolStats  `json:"patrol"`
}

// PriorityReport is one priority class's tickets.
type PriorityReport struct {
	Priority Priority `json:"priority"`
	Issued   int      `json:"issued"`
	Served   int      `json:"served"` // 已办结
}

// EscalationCounts sums up the escalations recorded in the range.
type EscalationCounts struct {
	Opened  int `json:"opened"`  // recorded in the range
	Closed  int `json:"closed"`  // of those, replied to by the report's time
	Open    int `json:"open"`    // Opened - Closed
	Overdue int `json:"overdue"` // of the open ones, due before the report's local day
}

// DayReport is one day of the daily series, for trend charts.
type DayReport struct {
	Day      string        `json:"day"`
	Issued   int           `json:"issued"`
	Served   int           `json:"served"`
	Called   int           `json:"called"`    // tickets with a waiting time
	MeanWait time.Duration `json:"mean_wait"` // of the called tickets; 0 when none
	Ratings  RatingCounts  `json:"ratings"`
}

// Report is the hall's figures over a range of days.
type Report struct {
	Hall        HallInfo    `json:"hall"`
	Range       ReportRange `json:"range"`
	GeneratedAt time.Time   `json:"generated_at"` // the report's time: "now" for open matters
	Today       string      `json:"today"`        // GeneratedAt's local day

	Tickets     TicketCounts     `json:"tickets"`
	Wait        DurationStats    `json:"wait"`    // every called ticket
	Service     DurationStats    `json:"service"` // every service ended 办结
	Ratings     RatingCounts     `json:"ratings"`
	Priority    []PriorityReport `json:"priority"` // 敬老 and 助残, in that order
	Complaints  int              `json:"complaints"`
	Escalations EscalationCounts `json:"escalations"`
	Patrols     PatrolSummary    `json:"patrols"` // patrols of the range's days

	ByType    []TypeReport    `json:"by_type"`    // in the types' display order
	ByHour    []HourReport    `json:"by_hour"`    // 24 entries, hour 0 to 23
	ByCounter []CounterReport `json:"by_counter"` // by counter number
	ByClerk   []ClerkReport   `json:"by_clerk"`   // by staff number; clerks with any service, rating or complaint
	Daily     []DayReport     `json:"daily"`      // every day of the range, in order
}

// SatisfactionRate is the report's (非常满意 + 满意) / rated services.
func (r Report) SatisfactionRate() float64 { return r.Ratings.SatisfactionRate() }

// ReportStore computes reports. loc is the hall's time zone, which cuts the
// days; now is the report's time, which decides what is open or overdue.
type ReportStore interface {
	Report(ctx context.Context, loc *time.Location, r ReportRange, now time.Time) (Report, error)
}
