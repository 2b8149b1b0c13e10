package hall_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"servicehall/internal/hall"
)

func TestReportRangeValidation(t *testing.T) {
	tests := []struct {
		name string
		r    hall.ReportRange
		want error
		msg  string
	}{
		{"one day", hall.DayRange("2026-11-27"), nil, ""},
		{"a month", hall.ReportRange{From: "2026-11-01", To: "2026-11-30"}, nil, ""},
		{"366 days, leap year", hall.ReportRange{From: "2028-01-01", To: "2028-12-31"}, nil, ""},
		{"366 days across a year", hall.ReportRange{From: "2026-01-01", To: "2027-01-01"}, nil, ""},
		{"367 days", hall.ReportRange{From: "2026-01-01", To: "2027-01-02"}, hall.ErrReportSpan, "报表范围不能超过366天，所选范围有367天"},
		{"reversed", hall.ReportRange{From: "2026-11-28", To: "2026-11-27"}, hall.ErrReportOrder, "报表的开始日期（2026-11-28）不能晚于结束日期（2026-11-27）"},
		{"empty from", hall.ReportRange{To: "2026-11-27"}, hall.ErrReportDate, "开始日期格式有误，应为 年-月-日，例如 2026-11-01"},
		{"unpadded", hall.ReportRange{From: "2026-11-01", To: "2026-11-5"}, hall.ErrReportDate, "结束日期格式有误，应为 年-月-日，例如 2026-11-01"},
		{"no such day", hall.ReportRange{From: "2026-02-29", To: "2026-03-01"}, hall.ErrReportDate, "开始日期格式有误，应为 年-月-日，例如 2026-11-01"},
		{"slashes", hall.ReportRange{From: "2026/11/01", To: "2026-11-05"}, hall.ErrReportDate, "开始日期格式有误，应为 年-月-日，例如 2026-11-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.r.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Validate() = %v, want %v", err, tt.want)
			}
			if got := hall.Message(err); got != tt.msg {
				t.Fatalf("message = %q, want %q", got, tt.msg)
			}
			if tt.r.Days() != 0 || tt.r.Dates() != nil {
				t.Fatalf("an invalid range has %d days, dates %v", tt.r.Days(), tt.r.Dates())
			}
		})
	}
}

func TestReportRangeDays(t *testing.T) {
	r := hall.ReportRange{From: "2026-02-27", To: "2026-03-02"}
	if n := r.Days(); n != 4 {
		t.Fatalf("Days() = %d, want 4", n)
	}
	if got, want := r.Dates(), []string{"2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"}; !slices.Equal(got, want) {
		t.Fatalf("Dates() = %v, want %v", got, want)
	}
	if got := hall.MonthRange(2028, time.February); got != (hall.ReportRange{From: "2028-02-01", To: "2028-02-29"}) {
		t.Fatalf("MonthRange(2028-02) = %+v", got)
	}
	if got := hall.MonthRange(2026, time.December); got != (hall.ReportRange{From: "2026-12-01", To: "2026-12-31"}) {
		t.Fatalf("MonthRange(2026-12) = %+v", got)
	}

	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	start, end, err := hall.DayRange("2026-11-27").Bounds(sh)
	if err != nil {
		t.Fatal(err)
	}
	// Shanghai is UTC+8: its day starts at 16:00 UTC the day before.
	if want := time.Date(2026, 11, 26, 16, 0, 0, 0, time.UTC); !start.Equal(want) {
		t.Fatalf("start = %v, want %v", start, want)
	}
	if want := time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC); !end.Equal(want) {
		t.Fatalf("end = %v, want %v", end, want)
	}

	// Where clocks change, a day is as long as it is on the wall.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	bounds, err := hall.ReportRange{From: "2026-03-07", To: "2026-03-09"}.DayBounds(ny)
	if err != nil {
		t.Fatal(err)
	}
	var hours []float64
	for i := 0; i+1 < len(bounds); i++ {
		hours = append(hours, bounds[i+1].Sub(bounds[i]).Hours())
	}
	if want := []float64{24, 23, 24}; !slices.Equal(hours, want) {
		t.Fatalf("day lengths around the spring change = %v, want %v", hours, want)
	}
}

func secs(s ...int) []time.Duration {
	out := make([]time.Duration, len(s))
	for i, v := range s {
		out[i] = time.Duration(v) * time.Second
	}
	return out
}

// TestP90IsNearestRank pins the percentile: the value at rank ceil(0.9·n)
// of the sorted values, 1-based; never an interpolation.
func TestP90IsNearestRank(t *testing.T) {
	ranks := map[int]int{0: 0, 1: 1, 2: 2, 5: 5, 9: 9, 10: 9, 11: 10, 19: 18, 20: 18, 21: 19, 30: 27, 100: 90, 101: 91}
	for n, want := range ranks {
		if got := hall.P90Rank(n); got != want {
			t.Errorf("P90Rank(%d) = %d, want %d", n, got, want)
		}
	}
	tests := []struct {
		in   []time.Duration
		want hall.DurationStats
	}{
		{nil, hall.DurationStats{}},
		{secs(42), hall.DurationStats{N: 1, Mean: 42 * time.Second, P90: 42 * time.Second}},
		// n = 10: rank 9, the 9th smallest (90), not the largest.
		{secs(100, 10, 90, 20, 80, 30, 70, 40, 60, 50), hall.DurationStats{N: 10, Mean: 55 * time.Second, P90: 90 * time.Second}},
		// n = 11: rank ceil(9.9) = 10.
		{secs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), hall.DurationStats{N: 11, Mean: 6 * time.Second, P90: 10 * time.Second}},
		// n = 5: rank ceil(4.5) = 5, the largest.
		{secs(420, 780, 1140, 960, 420), hall.DurationStats{N: 5, Mean: 744 * time.Second, P90: 1140 * time.Second}},
		// The mean is truncated to the nanosecond: 10 s / 3.
		{secs(1, 2, 7), hall.DurationStats{N: 3, Mean: 3333333333 * time.Nanosecond, P90: 7 * time.Second}},
	}
	for _, tt := range tests {
		if got := hall.Summarize(slices.Clone(tt.in)); got != tt.want {
			t.Errorf("Summarize(%v) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestRatingCountsShares(t *testing.T) {
	var c hall.RatingCounts
	if c.SatisfactionRate() != 0 || c.UnratedShare() != 0 {
		t.Fatal("no ratings must give zero shares, not NaN")
	}
	c[hall.Unrated] = 2
	c[hall.VerySatisfied] = 5
	c[hall.Satisfied] = 1
	c[hall.Neutral] = 1
	c[hall.VeryDissatisfied] = 1
	if c.Total() != 10 || c.Rated() != 8 || c.Satisfied() != 6 {
		t.Fatalf("total %d rated %d satisfied %d", c.Total(), c.Rated(), c.Satisfied())
	}
	// 6 of 8 rated; the 2 unrated are not in the denominator.
	if got := c.SatisfactionRate(); got != 0.75 {
		t.Fatalf("SatisfactionRate() = %v, want 0.75", got)
	}
	if got := c.UnratedShare(); got != 0.2 {
		t.Fatalf("UnratedShare() = %v, want 0.2", got)
	}
}

func TestTicketCountsAdd(t *testing.T) {
	var c hall.TicketCounts
	for s, n := range map[hall.TicketState]int{hall.Done: 5, hall.NoShow: 2, hall.Cancelled: 1, hall.Unfinished: 3, hall.Waiting: 4, hall.Called: 1, hall.Serving: 1} {
		c.Add(s, n)
	}
	if want := (hall.TicketCounts{Issued: 17, Served: 5, NoShow: 2, Cancelled: 1, Unfinished: 3, Open: 6}); c != want {
		t.Fatalf("counts = %+v, want %+v", c, want)
	}
}
