package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"servicehall/internal/hall"
)

var _ hall.ReportStore = (*DB)(nil)

// Report computes the hall's report over a range of local days (see
// hall.Report for what is counted). It reads on the reader pool, in one
// read transaction so that every figure comes from the same snapshot, and
// never blocks the writer. Counts are aggregated in SQL; percentiles need
// every value, so for waits and service times only the needed columns of
// the range's rows are fetched and summed up in Go.
//
// loc cuts the days (nil: the hall's own time zone); now is the report's
// time, which decides what is open or overdue.
func (db *DB) Report(ctx context.Context, loc *time.Location, r hall.ReportRange, now time.Time) (hall.Report, error) {
	if err := r.Validate(); err != nil {
		return hall.Report{}, err
	}
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return hall.Report{}, err
	}
	defer tx.Rollback()

	b := &reportBuilder{tx: tx, rng: r}
	if err := b.loadNames(ctx, loc); err != nil {
		return hall.Report{}, err
	}
	if err := b.init(now); err != nil {
		return hall.Report{}, err
	}
	for _, step := range []struct {
		name string
		fn   func(context.Context) error
	}{
		{"ticket counts", b.ticketCounts},
		{"waiting times", b.waits},
		{"services", b.services},
		{"ratings", b.ratings},
		{"complaints", b.complaints},
		{"escalations", b.escalations},
		{"patrols", b.patrols},
	} {
		if err := step.fn(ctx); err != nil {
			return hall.Report{}, fmt.Errorf("report %s–%s: %s: %w", r.From, r.To, step.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return hall.Report{}, err
	}
	return b.finish(), nil
}

// reportBuilder accumulates one report.
type reportBuilder struct {
	tx  *sql.Tx
	rng hall.ReportRange
	loc *time.Location
	rep hall.Report

	start, end int64   // the range in UTC ms, end excluded
	bounds     []int64 // day i is [bounds[i], bounds[i+1]) in UTC ms
	dayIndex   map[string]int

	types      []hall.BusinessType // display order, retired ones too
	counterNms map[int]string
	staffNames map[string]string

	byType     map[string]*typeAcc
	hourIssued [24]int
	hourWaits  [24][]time.Duration
	allWaits   []time.Duration
	allSvc     []time.Duration
	counters   map[int]*serviceAcc
	clerks     map[string]*clerkAcc
	patrolCtr  map[int]*hall.PatrolStats
}

type typeAcc struct {
	tickets hall.TicketCounts
	waits   []time.Duration
	svc     []time.Duration
}

type serviceAcc struct {
	done, transferred int
	svc, waits        []time.Duration
}

func (a *serviceAcc) stats() hall.ServiceStats {
	return hall.ServiceStats{Done: a.done, Transferred: a.transferred, Service: hall.Summarize(a.svc), Wait: hall.Summarize(a.waits)}
}

type clerkAcc struct {
	serviceAcc
	ratings    hall.RatingCounts
	complaints int
	patrol     hall.PatrolStats
}

func (b *reportBuilder) typeAcc(code string) *typeAcc {
	a := b.byType[code]
	if a == nil {
		a = &typeAcc{}
		b.byType[code] = a
	}
	return a
}

func (b *reportBuilder) counterAcc(no int) *serviceAcc {
	a := b.counters[no]
	if a == nil {
		a = &serviceAcc{}
		b.counters[no] = a
	}
	return a
}

func (b *reportBuilder) clerkAcc(no string) *clerkAcc {
	a := b.clerks[no]
	if a == nil {
		a = &clerkAcc{}
		b.clerks[no] = a
	}
	return a
}

// loadNames reads the hall, and the names of types, counters and staff.
func (b *reportBuilder) loadNames(ctx context.Context, loc *time.Location) error {
	h := &b.rep.Hall
	err := b.tx.QueryRowContext(ctx, `SELECT code, name, time_zone FROM hall WHERE id = 1`).Scan(&h.Code, &h.Name, &h.TimeZone)
	if errors.Is(err, sql.ErrNoRows) {
		return hall.ErrNotConfigured
	}
	if err != nil {
		return fmt.Errorf("report: read hall: %w", err)
	}
	if loc == nil {
		if loc, err = time.LoadLocation(h.TimeZone); err != nil {
			return fmt.Errorf("report: hall time zone %q: %w", h.TimeZone, err)
		}
	}
	b.loc = loc
	if b.types, err = queryTypes(ctx, b.tx); err != nil {
		return err
	}
	b.counterNms = map[int]string{}
	if err := scanRows(ctx, b.tx, `SELECT no, name FROM counters`, nil, func(rows *sql.Rows) error {
		var no int
		var name string
		if err := rows.Scan(&no, &name); err != nil {
			return err
		}
		b.counterNms[no] = name
		return nil
	}); err != nil {
		return err
	}
	b.staffNames = map[string]string{}
	return scanRows(ctx, b.tx, `SELECT no, name FROM staff`, nil, func(rows *sql.Rows) error {
		var no, name string
		if err := rows.Scan(&no, &name); err != nil {
			return err
		}
		b.staffNames[no] = name
		return nil
	})
}

// init sets up the range's instants and the empty report.
func (b *reportBuilder) init(now time.Time) error {
	days, err := b.rng.DayBounds(b.loc)
	if err != nil {
		return err
	}
	dates := b.rng.Dates()
	b.bounds = make([]int64, len(days))
	for i, d := range days {
		b.bounds[i] = d.UnixMilli()
	}
	b.start, b.end = b.bounds[0], b.bounds[len(b.bounds)-1]
	b.dayIndex = make(map[string]int, len(dates))
	b.rep.Daily = make([]hall.DayReport, len(dates))
	for i, d := range dates {
		b.dayIndex[d] = i
		b.rep.Daily[i].Day = d
	}
	b.rep.Range = b.rng
	b.rep.GeneratedAt = now
	b.rep.Today = now.In(b.loc).Format(time.DateOnly)
	b.rep.Priority = []hall.PriorityReport{{Priority: hall.Elderly}, {Priority: hall.Disabled}}
	b.byType = map[string]*typeAcc{}
	b.counters = map[int]*serviceAcc{}
	b.clerks = map[string]*clerkAcc{}
	return nil
}

// scanRows runs a query and calls fn for each row.
func scanRows(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func msDur(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

// ticketCounts counts the range's tickets by day, type, state and priority,
// with the sum of their waits for the daily means.
func (b *reportBuilder) ticketCounts(ctx context.Context) error {
	const q = `SELECT day, type, state, priority, count(*), count(first_called_at),
			coalesce(sum(first_called_at - issued_at), 0)
		FROM tickets WHERE day BETWEEN ?1 AND ?2
		GROUP BY day, type, state, priority`
	waitSums := make([]int64, len(b.rep.Daily))
	err := scanRows(ctx, b.tx, q, []any{b.rng.From, b.rng.To}, func(rows *sql.Rows) error {
		var day, typ, state string
		var prio, n, called int
		var waitSum int64
		if err := rows.Scan(&day, &typ, &state, &prio, &n, &called, &waitSum); err != nil {
			return err
		}
		st := hall.TicketState(state)
		b.rep.Tickets.Add(st, n)
		b.typeAcc(typ).tickets.Add(st, n)
		for i := range b.rep.Priority {
			if p := &b.rep.Priority[i]; int(p.Priority) == prio {
				p.Issued += n
				if st == hall.Done {
					p.Served += n
				}
			}
		}
		i, ok := b.dayIndex[day]
		if !ok {
			return fmt.Errorf("ticket day %q outside the range", day)
		}
		d := &b.rep.Daily[i]
		d.Issued += n
		if st == hall.Done {
			d.Served += n
		}
		d.Called += called
		waitSums[i] += waitSum
		return nil
	})
	if err != nil {
		return err
	}
	for i := range b.rep.Daily {
		if d := &b.rep.Daily[i]; d.Called > 0 {
			d.MeanWait = msDur(waitSums[i]) / time.Duration(d.Called)
		}
	}
	return nil
}

// waits fetches each ticket's issue time and wait, for the percentiles and
// the local hour of issue.
func (b *reportBuilder) waits(ctx context.Context) error {
	const q = `SELECT type, issued_at, first_called_at - issued_at FROM tickets WHERE day BETWEEN ?1 AND ?2`
	var (
		lastType string
		acc      *typeAcc
	)
	return scanRows(ctx, b.tx, q, []any{b.rng.From, b.rng.To}, func(rows *sql.Rows) error {
		var typ sql.RawBytes
		var issued int64
		var wait sql.NullInt64
		if err := rows.Scan(&typ, &issued, &wait); err != nil {
			return err
		}
		if acc == nil || string(typ) != lastType {
			lastType = string(typ)
			acc = b.typeAcc(lastType)
		}
		h := time.UnixMilli(issued).In(b.loc).Hour()
		b.hourIssued[h]++
		if !wait.Valid {
			return nil
		}
		w := msDur(wait.Int64)
		acc.waits = append(acc.waits, w)
		b.allWaits = append(b.allWaits, w)
		b.hourWaits[h] = append(b.hourWaits[h], w)
		return nil
	})
}

// services fetches the range's ended services with their customers' waits.
// A service is its ticket's first when no service of the ticket started
// earlier; only then is the wait the clerk's customer's. Only a transfer
// ends a service without ending the ticket, so a ticket never transferred
// has one service at most, and the look for an earlier one is made only
// for the few that were.
func (b *reportBuilder) services(ctx context.Context) error {
	const q = `SELECT s.type, s.counter, s.clerk, s.ended_at - s.started_at, s.outcome,
			t.first_called_at - t.issued_at,
			t.transfers = 0 OR NOT EXISTS (SELECT 1 FROM services p WHERE p.ticket_id = s.ticket_id AND p.started_at < s.started_at)
		FROM services s JOIN tickets t ON t.id = s.ticket_id
		WHERE s.started_at >= ?1 AND s.started_at < ?2 AND s.ended_at IS NOT NULL`
	var (
		lastClerk string
		clerk     *clerkAcc
	)
	return scanRows(ctx, b.tx, q, []any{b.start, b.end}, func(rows *sql.Rows) error {
		var typ, clerkNo, outcome sql.RawBytes
		var counter int
		var length int64
		var wait sql.NullInt64
		var first bool
		if err := rows.Scan(&typ, &counter, &clerkNo, &length, &outcome, &wait, &first); err != nil {
			return err
		}
		if clerk == nil || string(clerkNo) != lastClerk {
			lastClerk = string(clerkNo)
			clerk = b.clerkAcc(lastClerk)
		}
		ctr := b.counterAcc(counter)
		d := msDur(length)
		switch hall.Outcome(outcome) {
		case hall.OutcomeDone:
			ctr.done++
			clerk.done++
			ctr.svc = append(ctr.svc, d)
			clerk.svc = append(clerk.svc, d)
			b.allSvc = append(b.allSvc, d)
			ta := b.typeAcc(string(typ))
			ta.svc = append(ta.svc, d)
		case hall.OutcomeTransferred:
			ctr.transferred++
			clerk.transferred++
		}
		if first && wait.Valid {
			w := msDur(wait.Int64)
			ctr.waits = append(ctr.waits, w)
			clerk.waits = append(clerk.waits, w)
		}
		return nil
	})
}

// ratings counts ratings by local day, clerk and level. The days' bounds go
// in as one JSON array, so each day is an index range scan on ratings(at).
func (b *reportBuilder) ratings(ctx context.Context) error {
	const q = `SELECT d.key, r.clerk, r.level, count(*)
		FROM json_each(?1) AS d
		JOIN ratings r ON r.at >= d.value ->> 0 AND r.at < d.value ->> 1
		GROUP BY d.key, r.clerk, r.level`
	var days strings.Builder
	days.WriteByte('[')
	for i := 0; i+1 < len(b.bounds); i++ {
		if i > 0 {
			days.WriteByte(',')
		}
		days.WriteByte('[')
		days.WriteString(strconv.FormatInt(b.bounds[i], 10))
		days.WriteByte(',')
		days.WriteString(strconv.FormatInt(b.bounds[i+1], 10))
		days.WriteByte(']')
	}
	days.WriteByte(']')
	return scanRows(ctx, b.tx, q, []any{days.String()}, func(rows *sql.Rows) error {
		var day, level, n int
		var clerk string
		if err := rows.Scan(&day, &clerk, &level, &n); err != nil {
			return err
		}
		if day < 0 || day >= len(b.rep.Daily) || level < int(hall.Unrated) || level > int(hall.VerySatisfied) {
			return fmt.Errorf("rating row out of bounds: day %d, level %d", day, level)
		}
		b.rep.Daily[day].Ratings[level] += n
		b.rep.Ratings[level] += n
		b.clerkAcc(clerk).ratings[level] += n
		return nil
	})
}

// complaints counts the range's complaints by clerk.
func (b *reportBuilder) complaints(ctx context.Context) error {
	const q = `SELECT clerk, count(*) FROM complaints WHERE created_at >= ?1 AND created_at < ?2 GROUP BY clerk`
	return scanRows(ctx, b.tx, q, []any{b.start, b.end}, func(rows *sql.Rows) error {
		var clerk string
		var n int
		if err := rows.Scan(&clerk, &n); err != nil {
			return err
		}
		b.rep.Complaints += n
		b.clerkAcc(clerk).complaints += n
		return nil
	})
}

// escalations counts those recorded in the range, as they stand at the
// report's time.
func (b *reportBuilder) escalations(ctx context.Context) error {
	const q = `SELECT count(*),
			coalesce(sum(replied_at IS NOT NULL AND replied_at <= ?3), 0),
			coalesce(sum((replied_at IS NULL OR replied_at > ?3) AND due < ?4), 0)
		FROM escalations WHERE created_at >= ?1 AND created_at < ?2`
	e := &b.rep.Escalations
	if err := b.tx.QueryRowContext(ctx, q, b.start, b.end, b.rep.GeneratedAt.UnixMilli(), b.rep.Today).
		Scan(&e.Opened, &e.Closed, &e.Overdue); err != nil {
		return err
	}
	e.Open = e.Opened - e.Closed
	return nil
}

// finish turns the accumulators into the report's lists.
func (b *reportBuilder) finish() hall.Report {
	rep := b.rep
	rep.Wait = hall.Summarize(b.allWaits)
	rep.Service = hall.Summarize(b.allSvc)

	rep.ByHour = make([]hall.HourReport, 24)
	for i := range rep.ByHour {
		rep.ByHour[i] = hall.HourReport{Hour: i, Issued: b.hourIssued[i], Wait: hall.Summarize(b.hourWaits[i])}
	}

	seen := map[string]bool{}
	addType := func(bt hall.BusinessType) {
		seen[bt.Code] = true
		a := b.byType[bt.Code]
		if a == nil {
			if bt.Retired {
				return // a retired type with nothing in the range
			}
			a = &typeAcc{}
		}
		rep.ByType = append(rep.ByType, hall.TypeReport{Code: bt.Code, Name: bt.Name, Retired: bt.Retired,
			Tickets: a.tickets, Wait: hall.Summarize(a.waits), Service: hall.Summarize(a.svc)})
	}
	for _, bt := range b.types {
		addType(bt)
	}
	var unknown []string
	for code := range b.byType {
		if !seen[code] {
			unknown = append(unknown, code)
		}
	}
	slices.Sort(unknown)
	for _, code := range unknown {
		addType(hall.BusinessType{Code: code, Name: code})
	}

	for no := range b.counterNms {
		b.counterAcc(no)
	}
	for no, a := range b.counters {
		name := b.counterNms[no]
		if name == "" {
			name = strconv.Itoa(no) + "号窗口"
		}
		cr := hall.CounterReport{Counter: no, Name: name, Services: a.stats()}
		if p := b.patrolCtr[no]; p != nil {
			cr.Patrol = *p
		}
		rep.ByCounter = append(rep.ByCounter, cr)
	}
	slices.SortFunc(rep.ByCounter, func(x, y hall.CounterReport) int { return cmp.Compare(x.Counter, y.Counter) })

	for no, a := range b.clerks {
		rep.ByClerk = append(rep.ByClerk, hall.ClerkReport{Clerk: no, Name: b.staffNames[no], Services: a.stats(),
			Ratings: a.ratings, Complaints: a.complaints, Patrol: a.patrol})
	}
	slices.SortFunc(rep.ByClerk, func(x, y hall.ClerkReport) int { return strings.Compare(x.Clerk, y.Clerk) })
	return rep
}

// patrols sums up the patrols recorded on the range's days: per counter,
// per clerk, and how often each checklist item was not met.
func (b *reportBuilder) patrols(ctx context.Context) error {
	p := &b.rep.Patrols
	if err := b.tx.QueryRowContext(ctx, `SELECT count(*) FROM patrols WHERE day BETWEEN ?1 AND ?2`, b.rng.From, b.rng.To).Scan(&p.Patrols); err != nil {
		return err
	}
	b.patrolCtr = map[int]*hall.PatrolStats{}
	add := func(s *hall.PatrolStats, n, sum, failed int) {
		s.Checked += n
		s.Failed += failed
		// Means combine through their sums: MeanScore holds the sum
		// until every row is in, then is divided (below).
		s.MeanScore += float64(sum)
	}
	const q = `SELECT r.counter, r.clerk, count(*), sum(r.score), sum(json_array_length(r.failed))
		FROM patrol_results r JOIN patrols p ON p.id = r.patrol_id
		WHERE p.day BETWEEN ?1 AND ?2 GROUP BY r.counter, r.clerk`
	var total hall.PatrolStats
	err := scanRows(ctx, b.tx, q, []any{b.rng.From, b.rng.To}, func(rows *sql.Rows) error {
		var counter, n, sum, failed int
		var clerk string
		if err := rows.Scan(&counter, &clerk, &n, &sum, &failed); err != nil {
			return err
		}
		cs := b.patrolCtr[counter]
		if cs == nil {
			cs = &hall.PatrolStats{}
			b.patrolCtr[counter] = cs
		}
		add(cs, n, sum, failed)
		add(&b.clerkAcc(clerk).patrol, n, sum, failed)
		add(&total, n, sum, failed)
		return nil
	})
	if err != nil {
		return err
	}
	mean := func(s *hall.PatrolStats) {
		if s.Checked > 0 {
			s.MeanScore /= float64(s.Checked)
		}
	}
	for _, s := range b.patrolCtr {
		mean(s)
	}
	for _, a := range b.clerks {
		mean(&a.patrol)
	}
	mean(&total)
	p.Checked, p.MeanScore = total.Checked, total.MeanScore
	fails := map[string]int{}
	const qi = `SELECT f.value, count(*) FROM patrol_results r JOIN patrols p ON p.id = r.patrol_id, json_each(r.failed) f
		WHERE p.day BETWEEN ?1 AND ?2 GROUP BY f.value`
	err = scanRows(ctx, b.tx, qi, []any{b.rng.From, b.rng.To}, func(rows *sql.Rows) error {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return err
		}
		fails[code] = n
		return nil
	})
	if err != nil {
		return err
	}
	p.ByItem = make([]hall.PatrolItemFails, len(hall.PatrolChecklist))
	for i, it := range hall.PatrolChecklist {
		p.ByItem[i] = hall.PatrolItemFails{Code: it.Code, Label: it.Short, Failed: fails[it.Code]}
	}
	return nil
}
