package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sim"
	"servicehall/internal/sqlite"
)

// repDay is a hand-written day at the demo hall, 2026-11-27 (Shanghai),
// built through the domain with the hand-moved clock. Clerk 1001 works at
// counter 1 (交纳电费, 业务咨询与查询), 1002 at counter 2 (交纳电费, 报修).
//
//	ticket          issued    first call      service(s)                          end
//	T1 A001 fee     09:00:00  09:13:00 c2     09:13:20–09:25:00 c2 (700 s)         done, rated 满意
//	T2 A002 fee     09:02:00  09:21:00 c1     09:21:30–09:30:00 c1 (510 s)         done, 未评价 (window ran out)
//	T3 D001 consult 09:05:00  09:12:00 c1     09:12:30–09:20:00 c1 (450 s)         done, rated 非常满意; 敬老
//	T4 E001 repair  09:10:00  09:26:00 c2     09:26:30–09:33:00 c2 (390 s) 转移 to c1,
//	                                          09:34:30–09:40:00 c1 (330 s)         done, rated 不满意
//	T5 A003 fee     10:15:00  10:22:00 c1     —                                    过号 after two recalls
//	T6 D002 consult 10:20:00  —               —                                    cancelled 10:26
//	T7 A004 fee     10:21:00  —               —                                    未办结 at the next day's start
//
// Waits (issue → first call): T1 780 s, T2 1140 s, T3 420 s, T4 960 s,
// T5 420 s. Clerk 1002 records a complaint at 09:45; clerk 1001 escalates
// two matters at 10:30 (due 2026-11-27, never replied: overdue the next
// day) and 10:31 (due 2026-11-30, replied at 11:00).
type repDay struct {
	h *halltest.Hall
	t *testing.T
}

var repCtx = context.Background()

func (d repDay) at(day, hh, mm, ss int) {
	d.h.Clock.Set(time.Date(2026, 11, day, hh, mm, ss, 0, halltest.Shanghai(d.t)))
}

func (d repDay) must(err error) {
	d.t.Helper()
	if err != nil {
		d.t.Fatal(err)
	}
}

func (d repDay) issue(typ string, p hall.Priority) hall.Ticket {
	d.t.Helper()
	tk, err := d.h.Issue(repCtx, typ, p)
	d.must(err)
	return tk
}

func (d repDay) call(counter int, want string) {
	d.t.Helper()
	c, err := d.h.CallNext(repCtx, d.h.At(counter))
	d.must(err)
	if c.Ticket.Number != want {
		d.t.Fatalf("counter %d called %s, want %s", counter, c.Ticket.Number, want)
	}
}

func (d repDay) start(counter int) {
	d.t.Helper()
	_, err := d.h.Start(repCtx, d.h.At(counter))
	d.must(err)
}

func (d repDay) finish(counter int) hall.ServiceRecord {
	d.t.Helper()
	s, err := d.h.Finish(repCtx, d.h.At(counter))
	d.must(err)
	return s
}

func (d repDay) rate(counter int, s hall.ServiceRecord, l hall.RatingLevel) {
	d.t.Helper()
	in := hall.RatingInput{ServiceID: s.ID, Level: l}
	if l.Bad() {
		in.Reasons = []string{"等候时间长"}
	}
	_, err := d.h.Rate(repCtx, counter, in)
	d.must(err)
}

func buildRepDay(t *testing.T) repDay {
	d := repDay{h: halltest.New(t, nil), t: t}
	d.at(27, 9, 0, 0)
	d.issue(demo.TypeFee, hall.Normal) // T1 A001
	d.at(27, 9, 2, 0)
	d.issue(demo.TypeFee, hall.Normal) // T2 A002
	d.at(27, 9, 5, 0)
	d.issue(demo.TypeConsult, hall.Elderly) // T3 D001
	d.at(27, 9, 10, 0)
	d.issue(demo.TypeRepair, hall.Normal) // T4 E001

	d.at(27, 9, 12, 0)
	d.call(1, "D001") // the elderly customer goes first
	d.at(27, 9, 12, 30)
	d.start(1)
	d.at(27, 9, 13, 0)
	d.call(2, "A001")
	d.at(27, 9, 13, 20)
	d.start(2)
	d.at(27, 9, 20, 0)
	s3 := d.finish(1)
	d.at(27, 9, 20, 10)
	d.rate(1, s3, hall.VerySatisfied)
	d.at(27, 9, 21, 0)
	d.call(1, "A002")
	d.at(27, 9, 21, 30)
	d.start(1)
	d.at(27, 9, 25, 0)
	s1 := d.finish(2)
	d.at(27, 9, 25, 20)
	d.rate(2, s1, hall.Satisfied)
	d.at(27, 9, 26, 0)
	d.call(2, "E001")
	d.at(27, 9, 26, 30)
	d.start(2)
	d.at(27, 9, 30, 0)
	d.finish(1) // A002: nobody presses a button; 未评价 at 09:31
	d.at(27, 9, 33, 0)
	_, err := d.h.Transfer(repCtx, d.h.At(2), hall.TransferTarget{Counter: 1})
	d.must(err)
	d.at(27, 9, 34, 0)
	d.call(1, "E001")
	d.at(27, 9, 34, 30)
	d.start(1)
	d.at(27, 9, 40, 0)
	s4 := d.finish(1)
	d.at(27, 9, 40, 30)
	d.rate(1, s4, hall.Dissatisfied)
	d.at(27, 9, 45, 0)
	_, err = d.h.RecordComplaint(repCtx, d.h.At(2), hall.ComplaintInput{What: "客户反映报修等候时间过长"})
	d.must(err)

	d.at(27, 10, 15, 0)
	d.issue(demo.TypeFee, hall.Normal) // T5 A003
	d.at(27, 10, 20, 0)
	t6 := d.issue(demo.TypeConsult, hall.Normal) // T6 D002
	d.at(27, 10, 21, 0)
	d.issue(demo.TypeFee, hall.Normal) // T7 A004
	d.at(27, 10, 22, 0)
	d.call(1, "A003")
	for _, m := range []int{23, 24} {
		d.at(27, 10, m, 0)
		_, err := d.h.Recall(repCtx, d.h.At(1))
		d.must(err)
	}
	d.at(27, 10, 25, 0)
	_, err = d.h.NoShow(repCtx, d.h.At(1))
	d.must(err)
	d.at(27, 10, 26, 0)
	_, err = d.h.Cancel(repCtx, d.h.At(1), t6.ID)
	d.must(err)

	contact := hall.Contact{Name: "王建国", Phone: "13812345678"}
	d.at(27, 10, 30, 0)
	_, err = d.h.Escalate(repCtx, d.h.At(1), hall.EscalationInput{Need: "核查上月电费", Assignee: "营销部电费班", Due: "2026-11-27", Contact: contact})
	d.must(err)
	d.at(27, 10, 31, 0)
	e2, err := d.h.Escalate(repCtx, d.h.At(1), hall.EscalationInput{Need: "表计校验", Assignee: "计量班", Due: "2026-11-30", Contact: contact})
	d.must(err)
	d.at(27, 11, 0, 0)
	_, err = d.h.ReplyEscalation(repCtx, d.h.At(1), e2.ID, "已校验，电话告知客户")
	d.must(err)

	// The next morning the hall opens: A004 ends 未办结.
	d.at(28, 8, 0, 0)
	d.must(d.h.Housekeep(repCtx))
	return d
}

func sec(n float64) time.Duration { return time.Duration(n * float64(time.Second)) }

func stats(n int, mean, p90 float64) hall.DurationStats {
	return hall.DurationStats{N: n, Mean: sec(mean), P90: sec(p90)}
}

func ratings(levels map[hall.RatingLevel]int) hall.RatingCounts {
	var c hall.RatingCounts
	for l, n := range levels {
		c[l] = n
	}
	return c
}

func report(t *testing.T, db *sqlite.DB, r hall.ReportRange, now time.Time) hall.Report {
	t.Helper()
	rep, err := db.Report(repCtx, halltest.Shanghai(t), r, now)
	if err != nil {
		t.Fatalf("Report(%+v): %v", r, err)
	}
	return rep
}

func check[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

func TestReportOfAHandWrittenDay(t *testing.T) {
	d := buildRepDay(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, halltest.Shanghai(t))
	rep := report(t, d.h.DB, hall.DayRange("2026-11-27"), now)

	check(t, "hall", rep.Hall.Name, "城关供电营业厅")
	check(t, "today", rep.Today, "2026-11-28")
	check(t, "tickets", rep.Tickets, hall.TicketCounts{Issued: 7, Served: 4, NoShow: 1, Cancelled: 1, Unfinished: 1})
	// Waits 420, 420, 780, 960, 1140 s: mean 744 s; P90 is rank ceil(4.5) = 5.
	check(t, "wait", rep.Wait, stats(5, 744, 1140))
	// 办结 services 330, 450, 510, 700 s: mean 497.5 s; P90 rank ceil(3.6) = 4.
	// E001's first, transferred service (390 s) is not among them.
	check(t, "service", rep.Service, stats(4, 497.5, 700))
	check(t, "ratings", rep.Ratings, ratings(map[hall.RatingLevel]int{hall.Unrated: 1, hall.Dissatisfied: 1, hall.Satisfied: 1, hall.VerySatisfied: 1}))
	check(t, "satisfaction rate", rep.SatisfactionRate(), 2.0/3.0) // 2 of 3 rated
	check(t, "unrated share", rep.Ratings.UnratedShare(), 0.25)    // 1 of 4 records
	check(t, "complaints", rep.Complaints, 1)
	check(t, "escalations", rep.Escalations, hall.EscalationCounts{Opened: 2, Closed: 1, Open: 1, Overdue: 1})
	if want := []hall.PriorityReport{{Priority: hall.Elderly, Issued: 1, Served: 1}, {Priority: hall.Disabled}}; !reflect.DeepEqual(rep.Priority, want) {
		t.Errorf("priority = %+v, want %+v", rep.Priority, want)
	}

	wantTypes := []hall.TypeReport{
		{Code: demo.TypeFee, Name: "交纳电费", Tickets: hall.TicketCounts{Issued: 4, Served: 2, NoShow: 1, Unfinished: 1},
			Wait: stats(3, 780, 1140), Service: stats(2, 605, 700)},
		{Code: demo.TypeConnect, Name: "新装/增容"},
		{Code: demo.TypeChange, Name: "变更用电"},
		{Code: demo.TypeConsult, Name: "业务咨询与查询", Tickets: hall.TicketCounts{Issued: 2, Served: 1, Cancelled: 1},
			Wait: stats(1, 420, 420), Service: stats(1, 450, 450)},
		{Code: demo.TypeRepair, Name: "报修", Tickets: hall.TicketCounts{Issued: 1, Served: 1},
			Wait: stats(1, 960, 960), Service: stats(1, 330, 330)},
		{Code: demo.TypeComplaint, Name: "投诉"},
	}
	if !reflect.DeepEqual(rep.ByType, wantTypes) {
		t.Errorf("by type:\n got %+v\nwant %+v", rep.ByType, wantTypes)
	}

	if len(rep.ByHour) != 24 {
		t.Fatalf("%d hours", len(rep.ByHour))
	}
	for h, hr := range rep.ByHour {
		want := hall.HourReport{Hour: h}
		switch h {
		case 9: // A001, A002, D001, E001
			want = hall.HourReport{Hour: 9, Issued: 4, Wait: stats(4, 825, 1140)}
		case 10: // A003 (420 s), D002 and A004 never called
			want = hall.HourReport{Hour: 10, Issued: 3, Wait: stats(1, 420, 420)}
		}
		check(t, "hour", hr, want)
	}

	// Counter 1 finished D001 (450 s), A002 (510 s) and E001 (330 s); its
	// customers' waits are those it called first: D001 420 s, A002 1140 s.
	// Counter 2 finished A001 and passed E001 on; E001's wait is its.
	c1 := hall.ServiceStats{Done: 3, Service: stats(3, 430, 510), Wait: stats(2, 780, 1140)}
	c2 := hall.ServiceStats{Done: 1, Transferred: 1, Service: stats(1, 700, 700), Wait: stats(2, 870, 960)}
	wantCounters := []hall.CounterReport{
		{Counter: 1, Name: "1号窗口", Services: c1}, {Counter: 2, Name: "2号窗口", Services: c2},
		{Counter: 3, Name: "3号窗口"}, {Counter: 4, Name: "4号窗口"}, {Counter: 5, Name: "5号窗口"},
	}
	if !reflect.DeepEqual(rep.ByCounter, wantCounters) {
		t.Errorf("by counter:\n got %+v\nwant %+v", rep.ByCounter, wantCounters)
	}
	wantClerks := []hall.ClerkReport{
		{Clerk: "1001", Name: "李娜", Services: c1,
			Ratings: ratings(map[hall.RatingLevel]int{hall.Unrated: 1, hall.Dissatisfied: 1, hall.VerySatisfied: 1})},
		{Clerk: "1002", Name: "王芳", Services: c2, Ratings: ratings(map[hall.RatingLevel]int{hall.Satisfied: 1}), Complaints: 1},
	}
	if !reflect.DeepEqual(rep.ByClerk, wantClerks) {
		t.Errorf("by clerk:\n got %+v\nwant %+v", rep.ByClerk, wantClerks)
	}
	check(t, "1001 satisfaction", rep.ByClerk[0].Ratings.SatisfactionRate(), 0.5)
	check(t, "1001 unrated share", rep.ByClerk[0].Ratings.UnratedShare(), 1.0/3.0)
	check(t, "1002 satisfaction", rep.ByClerk[1].Ratings.SatisfactionRate(), 1.0)
	check(t, "1002 unrated share", rep.ByClerk[1].Ratings.UnratedShare(), 0.0)

	wantDaily := []hall.DayReport{{Day: "2026-11-27", Issued: 7, Served: 4, Called: 5, MeanWait: sec(744), Ratings: rep.Ratings}}
	if !reflect.DeepEqual(rep.Daily, wantDaily) {
		t.Errorf("daily:\n got %+v\nwant %+v", rep.Daily, wantDaily)
	}

	// The same day seen the evening before: the first escalation is due
	// that day, so not yet overdue; the second was replied at 11:00.
	eve := report(t, d.h.DB, hall.DayRange("2026-11-27"), time.Date(2026, 11, 27, 10, 45, 0, 0, halltest.Shanghai(t)))
	check(t, "escalations on the day", eve.Escalations, hall.EscalationCounts{Opened: 2, Open: 2})
}

func TestReportOverSeveralDays(t *testing.T) {
	d := buildRepDay(t)
	d.h.SignInDemo(t) // sessions end with their day
	d.at(28, 9, 0, 0)
	d.issue(demo.TypeFee, hall.Normal) // A001
	d.at(28, 9, 0, 30)
	d.issue(demo.TypeConnect, hall.Disabled) // B001
	d.at(28, 9, 5, 0)
	d.call(3, "B001") // 270 s
	d.at(28, 9, 5, 30)
	d.start(3)
	d.at(28, 9, 10, 0)
	d.call(2, "A001") // 600 s
	d.at(28, 9, 10, 20)
	d.start(2)
	d.at(28, 9, 15, 20)
	sA := d.finish(2) // 300 s
	d.at(28, 9, 15, 30)
	d.rate(2, sA, hall.VerySatisfied)
	d.at(28, 9, 20, 30)
	sB := d.finish(3) // 900 s
	d.at(28, 9, 20, 40)
	d.rate(3, sB, hall.Neutral)
	// A late customer, served just before midnight and rating just after:
	// the rating belongs to the 29th.
	d.at(28, 23, 50, 0)
	d.issue(demo.TypeFee, hall.Normal) // A002
	d.at(28, 23, 50, 30)
	d.call(1, "A002") // 30 s
	d.at(28, 23, 51, 0)
	d.start(1)
	d.at(28, 23, 59, 30)
	sL := d.finish(1) // 510 s
	d.at(29, 0, 0, 20)
	d.rate(1, sL, hall.Satisfied)

	now := time.Date(2026, 11, 29, 12, 0, 0, 0, halltest.Shanghai(t))
	rep := report(t, d.h.DB, hall.ReportRange{From: "2026-11-27", To: "2026-11-28"}, now)
	check(t, "tickets", rep.Tickets, hall.TicketCounts{Issued: 10, Served: 7, NoShow: 1, Cancelled: 1, Unfinished: 1})
	// Waits 30, 270, 420, 420, 600, 780, 960, 1140: mean 577.5 s, rank ceil(7.2) = 8.
	check(t, "wait", rep.Wait, stats(8, 577.5, 1140))
	// Services 300, 330, 450, 510, 510, 700, 900: mean 3700/7 s, rank ceil(6.3) = 7.
	check(t, "service", rep.Service, hall.DurationStats{N: 7, Mean: 3700 * time.Second / 7, P90: sec(900)})
	check(t, "ratings", rep.Ratings, ratings(map[hall.RatingLevel]int{hall.Unrated: 1, hall.Dissatisfied: 1, hall.Neutral: 1, hall.Satisfied: 1, hall.VerySatisfied: 2}))
	check(t, "satisfaction rate", rep.SatisfactionRate(), 3.0/5.0)
	check(t, "escalations", rep.Escalations, hall.EscalationCounts{Opened: 2, Closed: 1, Open: 1, Overdue: 1})
	if want := []hall.PriorityReport{{Priority: hall.Elderly, Issued: 1, Served: 1}, {Priority: hall.Disabled, Issued: 1, Served: 1}}; !reflect.DeepEqual(rep.Priority, want) {
		t.Errorf("priority = %+v, want %+v", rep.Priority, want)
	}
	check(t, "09h", rep.ByHour[9].Issued, 6)
	check(t, "10h", rep.ByHour[10].Issued, 3)
	check(t, "23h", rep.ByHour[23].Issued, 1)
	wantDaily := []hall.DayReport{
		{Day: "2026-11-27", Issued: 7, Served: 4, Called: 5, MeanWait: sec(744),
			Ratings: ratings(map[hall.RatingLevel]int{hall.Unrated: 1, hall.Dissatisfied: 1, hall.Satisfied: 1, hall.VerySatisfied: 1})},
		{Day: "2026-11-28", Issued: 3, Served: 3, Called: 3, MeanWait: sec(300),
			Ratings: ratings(map[hall.RatingLevel]int{hall.Neutral: 1, hall.VerySatisfied: 1})},
	}
	if !reflect.DeepEqual(rep.Daily, wantDaily) {
		t.Errorf("daily:\n got %+v\nwant %+v", rep.Daily, wantDaily)
	}
	check(t, "28th satisfaction", rep.Daily[1].Ratings.SatisfactionRate(), 0.5)
	var c1003 *hall.ClerkReport
	for i := range rep.ByClerk {
		if rep.ByClerk[i].Clerk == "1003" {
			c1003 = &rep.ByClerk[i]
		}
	}
	if c1003 == nil {
		t.Fatalf("no clerk 1003 in %+v", rep.ByClerk)
	}
	check(t, "1003", *c1003, hall.ClerkReport{Clerk: "1003", Name: "张伟",
		Services: hall.ServiceStats{Done: 1, Service: stats(1, 900, 900), Wait: stats(1, 270, 270)},
		Ratings:  ratings(map[hall.RatingLevel]int{hall.Neutral: 1})})
	check(t, "1001 done", rep.ByClerk[0].Services.Done, 4)

	// The 29th: no tickets, the late customer's rating.
	r29 := report(t, d.h.DB, hall.DayRange("2026-11-29"), now)
	check(t, "29th tickets", r29.Tickets, hall.TicketCounts{})
	check(t, "29th ratings", r29.Ratings, ratings(map[hall.RatingLevel]int{hall.Satisfied: 1}))
	check(t, "29th escalations", r29.Escalations, hall.EscalationCounts{})
	check(t, "29th wait", r29.Wait, hall.DurationStats{})

	// A range longer than the data: empty days are in the series too.
	wide := report(t, d.h.DB, hall.ReportRange{From: "2026-11-01", To: "2026-11-30"}, now)
	check(t, "days", len(wide.Daily), 30)
	check(t, "26th", wide.Daily[25], hall.DayReport{Day: "2026-11-26"})
	check(t, "wide tickets", wide.Tickets, rep.Tickets)
	check(t, "wide ratings", wide.Ratings.Total(), 7)
}

func TestReportRefusesABadRange(t *testing.T) {
	h := halltest.New(t, nil)
	now := h.Clock.Now()
	for _, tt := range []struct {
		r    hall.ReportRange
		want error
	}{
		{hall.ReportRange{From: "2026-11-28", To: "2026-11-27"}, hall.ErrReportOrder},
		{hall.ReportRange{From: "2025-01-01", To: "2026-11-27"}, hall.ErrReportSpan},
		{hall.ReportRange{From: "27.11.2026", To: "2026-11-27"}, hall.ErrReportDate},
	} {
		if _, err := h.DB.Report(repCtx, halltest.Shanghai(t), tt.r, now); !errors.Is(err, tt.want) {
			t.Errorf("Report(%+v) = %v, want %v", tt.r, err, tt.want)
		}
	}
}

func TestReportOfAHallNotSetUp(t *testing.T) {
	db := halltest.OpenDB(t, filepath.Join(t.TempDir(), "hall.db"))
	if _, err := db.Report(repCtx, nil, hall.DayRange("2026-11-27"), time.Now()); !errors.Is(err, hall.ErrNotConfigured) {
		t.Fatalf("Report = %v, want ErrNotConfigured", err)
	}
}

// A report reads a snapshot beside a write in progress: a writer holding
// the file's write lock does not hold it up.
func TestReportDoesNotWaitForTheWriter(t *testing.T) {
	d := buildRepDay(t)
	raw := rawDB(t, d.h.Path)
	tx, err := raw.BeginTx(repCtx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO settings (key, value) VALUES ('report-test', '1')`); err != nil {
		t.Fatal(err) // the write lock is now held
	}
	ctx, cancel := context.WithTimeout(repCtx, 5*time.Second)
	defer cancel()
	rep, err := d.h.DB.Report(ctx, nil, hall.DayRange("2026-11-27"), d.h.Clock.Now())
	if err != nil {
		t.Fatalf("report beside a writer: %v", err)
	}
	check(t, "issued", rep.Tickets.Issued, 7)
}

// recount is the report's figures counted again the plain way, from every
// row of the file, in Go: the check on the SQL aggregation.
type recount struct {
	tickets  hall.TicketCounts
	waits    []time.Duration
	service  []time.Duration
	ratings  hall.RatingCounts
	byType   map[string]*recountType
	hours    [24]int
	hourWait [24][]time.Duration
	counters map[string]*recountSvc
	clerks   map[string]*recountSvc
	daily    map[string]*hall.DayReport
	dayWait  map[string]time.Duration
}

type recountType struct {
	tickets hall.TicketCounts
	waits   []time.Duration
	service []time.Duration
}

type recountSvc struct {
	done, transferred int
	service, waits    []time.Duration
	ratings           hall.RatingCounts
}

func recountReport(t *testing.T, path string, loc *time.Location, r hall.ReportRange) *recount {
	t.Helper()
	raw := rawDB(t, path)
	days := map[string]bool{}
	for _, d := range r.Dates() {
		days[d] = true
	}
	rc := &recount{byType: map[string]*recountType{}, counters: map[string]*recountSvc{}, clerks: map[string]*recountSvc{},
		daily: map[string]*hall.DayReport{}, dayWait: map[string]time.Duration{}}
	for d := range days {
		rc.daily[d] = &hall.DayReport{Day: d}
	}
	svc := func(m map[string]*recountSvc, k string) *recountSvc {
		if m[k] == nil {
			m[k] = &recountSvc{}
		}
		return m[k]
	}
	ms := func(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

	type ticket struct {
		day           string
		issued, first int64
		called        bool
	}
	tickets := map[string]ticket{}
	rows, err := raw.Query(`SELECT id, day, type, state, issued_at, first_called_at FROM tickets`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, day, typ, state string
		var issued int64
		var first *int64
		if err := rows.Scan(&id, &day, &typ, &state, &issued, &first); err != nil {
			t.Fatal(err)
		}
		tk := ticket{day: day, issued: issued, called: first != nil}
		if first != nil {
			tk.first = *first
		}
		tickets[id] = tk
		if !days[day] {
			continue
		}
		rc.tickets.Add(hall.TicketState(state), 1)
		if rc.byType[typ] == nil {
			rc.byType[typ] = &recountType{}
		}
		rc.byType[typ].tickets.Add(hall.TicketState(state), 1)
		h := time.UnixMilli(issued).In(loc).Hour()
		rc.hours[h]++
		dr := rc.daily[day]
		dr.Issued++
		if state == string(hall.Done) {
			dr.Served++
		}
		if first != nil {
			w := ms(*first - issued)
			rc.waits = append(rc.waits, w)
			rc.byType[typ].waits = append(rc.byType[typ].waits, w)
			rc.hourWait[h] = append(rc.hourWait[h], w)
			dr.Called++
			rc.dayWait[day] += w
		}
	}
	rows.Close()

	type service struct {
		ticket, typ, clerk, outcome string
		counter                     int
		start                       int64
		end                         *int64
	}
	var services []service
	firstStart := map[string]int64{}
	rows, err = raw.Query(`SELECT ticket_id, type, clerk, outcome, counter, started_at, ended_at FROM services`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s service
		if err := rows.Scan(&s.ticket, &s.typ, &s.clerk, &s.outcome, &s.counter, &s.start, &s.end); err != nil {
			t.Fatal(err)
		}
		services = append(services, s)
		if f, ok := firstStart[s.ticket]; !ok || s.start < f {
			firstStart[s.ticket] = s.start
		}
	}
	rows.Close()
	for _, s := range services {
		day := time.UnixMilli(s.start).In(loc).Format(time.DateOnly)
		if !days[day] || s.end == nil {
			continue
		}
		c, k := svc(rc.counters, strconv.Itoa(s.counter)), svc(rc.clerks, s.clerk)
		d := ms(*s.end - s.start)
		switch hall.Outcome(s.outcome) {
		case hall.OutcomeDone:
			c.done++
			k.done++
			c.service = append(c.service, d)
			k.service = append(k.service, d)
			rc.service = append(rc.service, d)
			if rc.byType[s.typ] == nil {
				rc.byType[s.typ] = &recountType{}
			}
			rc.byType[s.typ].service = append(rc.byType[s.typ].service, d)
		case hall.OutcomeTransferred:
			c.transferred++
			k.transferred++
		}
		if tk := tickets[s.ticket]; firstStart[s.ticket] == s.start && tk.called {
			w := ms(tk.first - tk.issued)
			c.waits = append(c.waits, w)
			k.waits = append(k.waits, w)
		}
	}

	rows, err = raw.Query(`SELECT clerk, level, at FROM ratings`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var clerk string
		var level int
		var at int64
		if err := rows.Scan(&clerk, &level, &at); err != nil {
			t.Fatal(err)
		}
		day := time.UnixMilli(at).In(loc).Format(time.DateOnly)
		if !days[day] {
			continue
		}
		rc.ratings[level]++
		rc.daily[day].Ratings[level]++
		svc(rc.clerks, clerk).ratings[level]++
	}
	rows.Close()
	for day, dr := range rc.daily {
		if dr.Called > 0 {
			dr.MeanWait = rc.dayWait[day] / time.Duration(dr.Called)
		}
	}
	return rc
}

func TestReportAgreesWithARecountOfSimulatedTraffic(t *testing.T) {
	days := 6
	if testing.Short() {
		days = 1 // the race detector slows the simulation many times
	}
	loc := halltest.Shanghai(t)
	now := time.Date(2026, 11, 27, 15, 0, 0, 0, loc) // today is half done: open tickets too
	path := filepath.Join(t.TempDir(), "hall.db")
	db := halltest.OpenDB(t, path)
	if _, err := sim.Seed(repCtx, db, sim.Options{Days: days, RandSeed: 7, Now: now, Config: demo.Config()}); err != nil {
		t.Fatal(err)
	}
	first := now.AddDate(0, 0, -days).Format(time.DateOnly)
	for _, r := range []hall.ReportRange{
		{From: first, To: now.Format(time.DateOnly)},
		hall.DayRange(first),
		{From: now.AddDate(0, 0, -1).Format(time.DateOnly), To: now.AddDate(0, 0, 3).Format(time.DateOnly)},
	} {
		rep, err := db.Report(repCtx, loc, r, now)
		if err != nil {
			t.Fatal(err)
		}
		rc := recountReport(t, path, loc, r)
		if rep.Tickets.Issued == 0 || rep.Ratings.Total() == 0 {
			t.Fatalf("%+v: nothing to compare: %+v", r, rep.Tickets)
		}
		check(t, "tickets", rep.Tickets, rc.tickets)
		check(t, "wait", rep.Wait, hall.Summarize(rc.waits))
		check(t, "service", rep.Service, hall.Summarize(rc.service))
		check(t, "ratings", rep.Ratings, rc.ratings)
		for _, tr := range rep.ByType {
			want := rc.byType[tr.Code]
			if want == nil {
				want = &recountType{}
			}
			check(t, tr.Code+" tickets", tr.Tickets, want.tickets)
			check(t, tr.Code+" wait", tr.Wait, hall.Summarize(want.waits))
			check(t, tr.Code+" service", tr.Service, hall.Summarize(want.service))
			delete(rc.byType, tr.Code)
		}
		check(t, "types not in the report", len(rc.byType), 0)
		for _, hr := range rep.ByHour {
			check(t, "hour "+strconv.Itoa(hr.Hour), hr, hall.HourReport{Hour: hr.Hour, Issued: rc.hours[hr.Hour], Wait: hall.Summarize(rc.hourWait[hr.Hour])})
		}
		sameSvc := func(what string, got hall.ServiceStats, want *recountSvc) {
			t.Helper()
			if want == nil {
				want = &recountSvc{}
			}
			check(t, what, got, hall.ServiceStats{Done: want.done, Transferred: want.transferred,
				Service: hall.Summarize(want.service), Wait: hall.Summarize(want.waits)})
		}
		for _, c := range rep.ByCounter {
			sameSvc("counter "+strconv.Itoa(c.Counter), c.Services, rc.counters[strconv.Itoa(c.Counter)])
		}
		for _, c := range rep.ByClerk {
			sameSvc("clerk "+c.Clerk, c.Services, rc.clerks[c.Clerk])
			if want := rc.clerks[c.Clerk]; want != nil {
				check(t, "clerk "+c.Clerk+" ratings", c.Ratings, want.ratings)
			}
			delete(rc.clerks, c.Clerk)
		}
		check(t, "clerks not in the report", len(rc.clerks), 0)
		check(t, "days", len(rep.Daily), r.Days())
		for _, d := range rep.Daily {
			check(t, "day "+d.Day, d, *rc.daily[d.Day])
		}
	}
}

// Patrols on the demo hall: on 2026-11-27 at 10:00 counter 1 (1001) misses
// language and focus (4 of 6: 67) and counter 2 (1002) misses nothing
// (100); at 15:00 counter 1 misses focus (5 of 6: 83) and counter 2 nothing
// (100). On 2026-11-28 counter 1 misses nothing (100).
func TestReportSumsUpPatrols(t *testing.T) {
	h := halltest.New(t, nil)
	at := func(day, hh int) { h.Clock.Set(time.Date(2026, 11, day, hh, 0, 0, 0, halltest.Shanghai(t))) }
	patrol := func(c1 []string) {
		t.Helper()
		if _, err := h.RecordPatrol(repCtx, h.At(0), hall.PatrolInput{Results: []hall.PatrolResultInput{
			{Counter: 1, Failed: c1, Note: "按规范整改"}, {Counter: 2}}}); err != nil {
			t.Fatal(err)
		}
	}
	at(27, 10)
	patrol([]string{"language", "focus"})
	at(27, 15)
	patrol([]string{"focus"})
	at(28, 10)
	h.SignInDemo(t)
	if _, err := h.RecordPatrol(repCtx, h.At(0), hall.PatrolInput{Results: []hall.PatrolResultInput{{Counter: 1}}}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 28, 18, 0, 0, 0, halltest.Shanghai(t))
	rep := report(t, h.DB, hall.DayRange("2026-11-27"), now)
	check(t, "patrols", rep.Patrols.Patrols, 2)
	check(t, "checked", rep.Patrols.Checked, 4)
	check(t, "mean", rep.Patrols.MeanScore, (67+100+83+100)/4.0)
	wantItems := map[string]int{"language": 1, "focus": 2}
	if len(rep.Patrols.ByItem) != len(hall.PatrolChecklist) {
		t.Fatalf("by item = %+v", rep.Patrols.ByItem)
	}
	for _, it := range rep.Patrols.ByItem {
		check(t, "item "+it.Code, it.Failed, wantItems[it.Code])
	}
	for _, c := range rep.ByCounter {
		switch c.Counter {
		case 1:
			check(t, "counter 1", c.Patrol, hall.PatrolStats{Checked: 2, MeanScore: 75, Failed: 3})
		case 2:
			check(t, "counter 2", c.Patrol, hall.PatrolStats{Checked: 2, MeanScore: 100})
		default:
			check(t, "counter "+strconv.Itoa(c.Counter), c.Patrol, hall.PatrolStats{})
		}
	}
	clerks := map[string]hall.PatrolStats{}
	for _, c := range rep.ByClerk {
		clerks[c.Clerk] = c.Patrol
	}
	check(t, "clerk 1001", clerks["1001"], hall.PatrolStats{Checked: 2, MeanScore: 75, Failed: 3})
	check(t, "clerk 1002", clerks["1002"], hall.PatrolStats{Checked: 2, MeanScore: 100})

	both := report(t, h.DB, hall.ReportRange{From: "2026-11-27", To: "2026-11-28"}, now)
	check(t, "two days", both.Patrols.Patrols, 3)
	check(t, "two days mean", both.Patrols.MeanScore, (67+100+83+100+100)/5.0)
}
