package sim_test

import (
	"context"
	"errors"
	"fmt"
	"golang.org/x/crypto/bcrypt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/sim"
	"servicehall/internal/sqlite"
)

var ctx = context.Background()

func shanghai(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// at is an instant on 2026-11-27 (a Friday) in Shanghai.
func at(tb testing.TB, h, m int) time.Time {
	return time.Date(2026, 11, 27, h, m, 0, 0, shanghai(tb))
}

const today = "2026-11-27"

func openDB(tb testing.TB, dir, name string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(ctx, filepath.Join(dir, name), sqlite.Options{Program: "test"})
	if err != nil {
		tb.Fatalf("open %s: %v", name, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func newDB(tb testing.TB) *sqlite.DB { return openDB(tb, tb.TempDir(), "hall.db") }

func seed(tb testing.TB, store hall.Store, opt sim.Options) sim.Summary {
	tb.Helper()
	if opt.PINCost == 0 {
		opt.PINCost = bcrypt.MinCost // hashing the demo PINs is not what these tests measure
	}
	sum, err := sim.Seed(ctx, store, opt)
	if err != nil {
		tb.Fatalf("seed: %v", err)
	}
	return sum
}

func allEvents(tb testing.TB, store hall.Store) []hall.Event {
	tb.Helper()
	var out []hall.Event
	var after int64
	for {
		evs, err := store.Events(ctx, after, 500)
		if err != nil {
			tb.Fatal(err)
		}
		if len(evs) == 0 {
			return out
		}
		out = append(out, evs...)
		after = evs[len(evs)-1].Seq
	}
}

// trace renders the log as (kind, ticket number, counter) lines.
func trace(tb testing.TB, store hall.Store) []string {
	tb.Helper()
	var out []string
	for _, e := range allEvents(tb, store) {
		switch {
		case strings.HasPrefix(string(e.Kind), "ticket."):
			var te hall.TicketEvent
			if err := e.Decode(&te); err != nil {
				tb.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s %s %s %d", e.Kind, te.Ticket.Day, te.Ticket.Number, te.Counter))
		case strings.HasPrefix(string(e.Kind), "counter."):
			var ce hall.CounterEvent
			if err := e.Decode(&ce); err != nil {
				tb.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s %d %s", e.Kind, ce.Counter.No, ce.Counter.State))
		default:
			out = append(out, string(e.Kind))
		}
	}
	return out
}

func days(tb testing.TB, long int) int {
	if testing.Short() {
		return 2
	}
	return long
}

func TestSameSeedSameTraffic(t *testing.T) {
	n := days(t, 3)
	opt := sim.Options{Days: n, RandSeed: 42, Now: at(t, 15, 0), Config: demo.Config()}
	a, b, c := newDB(t), newDB(t), newDB(t)
	sa, sb := seed(t, a, opt), seed(t, b, opt)
	if sa != sb {
		t.Fatalf("summaries differ: %+v vs %+v", sa, sb)
	}
	ta, tb := trace(t, a), trace(t, b)
	if !slices.Equal(ta, tb) {
		for i := range min(len(ta), len(tb)) {
			if ta[i] != tb[i] {
				t.Fatalf("event %d differs: %q vs %q (lengths %d, %d)", i, ta[i], tb[i], len(ta), len(tb))
			}
		}
		t.Fatalf("lengths differ: %d vs %d", len(ta), len(tb))
	}
	opt.RandSeed = 43
	seed(t, c, opt)
	if slices.Equal(ta, trace(t, c)) {
		t.Fatal("another seed gave the same traffic")
	}
	t.Logf("%d events, %+v", len(ta), sa)
}

// ticketLife is a ticket as the log tells it.
type ticketLife struct {
	day, number string
	typ         string // at issue
	prio        hall.Priority
	state       hall.TicketState // after the last event
	waited      time.Duration
}

func lives(tb testing.TB, store hall.Store) (map[string]*ticketLife, []string) {
	tb.Helper()
	m := map[string]*ticketLife{}
	var order []string
	for _, e := range allEvents(tb, store) {
		if !strings.HasPrefix(string(e.Kind), "ticket.") {
			continue
		}
		var te hall.TicketEvent
		if err := e.Decode(&te); err != nil {
			tb.Fatal(err)
		}
		tk := te.Ticket
		if e.Kind == hall.KindTicketIssued {
			if m[tk.ID] != nil {
				tb.Fatalf("ticket %s issued twice", tk.Number)
			}
			m[tk.ID] = &ticketLife{day: tk.Day, number: tk.Number, typ: tk.Type, prio: tk.Priority}
			order = append(order, tk.ID)
		}
		l := m[tk.ID]
		if l == nil {
			tb.Fatalf("%s for ticket %s before its issue", e.Kind, tk.Number)
		}
		l.state = tk.State
		if !tk.FirstCalledAt.IsZero() {
			l.waited = tk.FirstCalledAt.Sub(tk.IssuedAt)
		}
	}
	return m, order
}

func TestTrafficLooksLikeAHall(t *testing.T) {
	n := days(t, 7)
	db := newDB(t)
	now := at(t, 10, 30)
	sum := seed(t, db, sim.Options{Days: n, RandSeed: 7, Now: now, Config: demo.Config()})
	if sum.Days != n+1 || sum.LastDay != today {
		t.Fatalf("summary %+v, want %d days ending %s", sum, n+1, today)
	}

	var last time.Time
	for _, e := range allEvents(t, db) {
		if e.At.After(now) || e.At.Before(last) {
			t.Fatalf("event %d %s at %v: after Now %v or before the one before it (%v)", e.Seq, e.Kind, e.At, now, last)
		}
		last = e.At
	}

	tickets, order := lives(t, db)
	if len(tickets) != sum.Tickets {
		t.Fatalf("log has %d tickets, summary says %d", len(tickets), sum.Tickets)
	}
	perDay := map[string]int{}
	states := map[hall.TicketState]int{}
	numbers := map[string]bool{}
	fee, prio, past := 0, 0, 0
	var waited time.Duration
	for _, id := range order {
		l := tickets[id]
		perDay[l.day]++
		key := l.day + " " + l.number
		if numbers[key] {
			t.Fatalf("number %s issued twice on %s", l.number, l.day)
		}
		numbers[key] = true
		if l.typ == demo.TypeFee {
			fee++
		}
		if l.prio.IsPriority() {
			prio++
		}
		if l.day == today {
			continue
		}
		past++
		states[l.state]++
		waited += l.waited
		if l.state.Open() {
			t.Fatalf("past day %s: ticket %s still %s", l.day, l.number, l.state)
		}
	}
	if len(perDay) != n+1 {
		t.Fatalf("tickets on %d days, want %d: %v", len(perDay), n+1, perDay)
	}
	for d, c := range perDay {
		if d != today && (c < 100 || c > 300) {
			t.Errorf("%s: %d tickets, want 100..300", d, c)
		}
	}
	if share := float64(fee) / float64(len(tickets)); share < 0.30 || share > 0.60 {
		t.Errorf("交纳电费 share %.2f, want 0.30..0.60", share)
	}
	if prio == 0 {
		t.Error("no priority tickets")
	}
	if states[hall.Done] < past*8/10 {
		t.Errorf("only %d of %d past tickets done: %v", states[hall.Done], past, states)
	}

	// Today at 10:30 is the morning peak: people wait, counters serve.
	l, err := hall.Open(ctx, db, fixedClock(now))
	if err != nil {
		t.Fatal(err)
	}
	ov, err := l.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	busy := 0
	for _, c := range ov.Counters {
		if c.Ticket != nil {
			busy++
		}
	}
	if ov.Day != today || ov.Waiting == 0 || busy == 0 {
		t.Errorf("today at 10:30: day %s, %d waiting, %d counters busy; want people waiting and served", ov.Day, ov.Waiting, busy)
	}
	t.Logf("per day %v; past states %v; mean wait %v; %d priority; fee %d of %d; today %d waiting, %d counters busy",
		perDay, states, (waited / time.Duration(max(past, 1))).Round(time.Second), prio, fee, len(tickets), ov.Waiting, busy)
}

type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

func TestRefusesAStoreWithTickets(t *testing.T) {
	db := newDB(t)
	opt := sim.Options{Days: 1, RandSeed: 1, Now: at(t, 11, 0), Config: demo.Config()}
	seed(t, db, opt)
	before := len(allEvents(t, db))
	_, err := sim.Seed(ctx, db, opt)
	if !errors.Is(err, sim.ErrHasData) {
		t.Fatalf("second seed: %v, want ErrHasData", err)
	}
	if hall.ErrorCode(err) != "has_data" || hall.Message(err) != "数据库中已有营业厅的实际数据，不能再填充模拟数据" {
		t.Fatalf("error code %q message %q", hall.ErrorCode(err), hall.Message(err))
	}
	if after := len(allEvents(t, db)); after != before {
		t.Fatalf("refused seed wrote: %d events, then %d", before, after)
	}
}

// A hall set up but never used is filled with its own configuration; the
// options' configuration is ignored.
func TestSeedsAConfiguredEmptyHall(t *testing.T) {
	db := newDB(t)
	l, err := hall.Open(ctx, db, fixedClock(at(t, 7, 0)))
	if err != nil {
		t.Fatal(err)
	}
	cfg := demo.Config()
	cfg.Hall.Name = "河口供电营业厅"
	if err := l.Setup(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	other := demo.Config()
	other.Hall.Name = "别的营业厅"
	sum := seed(t, db, sim.Options{Days: 1, RandSeed: 3, Now: at(t, 12, 0), Config: other})
	if sum.Tickets == 0 || sum.Services == 0 {
		t.Fatalf("summary %+v", sum)
	}
	snap, err := db.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Hall.Name != "河口供电营业厅" {
		t.Fatalf("hall name %q, want the stored one", snap.Hall.Name)
	}
}

func TestLatestDayIsToday(t *testing.T) {
	n := days(t, 5)
	db := newDB(t)
	// After hours: today is whole and closed too.
	sum := seed(t, db, sim.Options{Days: n, RandSeed: 11, Now: at(t, 21, 0), Config: demo.Config()})
	snap, err := db.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	latest := ""
	for _, tk := range snap.Tickets {
		latest = max(latest, tk.Day)
		if tk.State.Open() {
			t.Errorf("ticket %s of %s still %s after the close", tk.Number, tk.Day, tk.State)
		}
	}
	if latest != today || sum.LastDay != today {
		t.Fatalf("latest day %q, summary %q, want %s", latest, sum.LastDay, today)
	}
	closed := map[string]bool{}
	for _, e := range allEvents(t, db) {
		if e.Kind == hall.KindDayClosed {
			var dc hall.DayClose
			if err := e.Decode(&dc); err != nil {
				t.Fatal(err)
			}
			closed[dc.Day] = true
		}
	}
	if len(closed) != n+1 || !closed[today] {
		t.Fatalf("days closed %v, want %d ending %s", closed, n+1, today)
	}
}

// Before the doors open today holds nothing yet, and the seed writes only
// whole days.
func TestBeforeOpening(t *testing.T) {
	db := newDB(t)
	sum := seed(t, db, sim.Options{Days: 0, RandSeed: 5, Now: at(t, 6, 0), Config: demo.Config()})
	if sum.Tickets != 0 || sum.Days != 1 || sum.LastDay != today {
		t.Fatalf("summary %+v", sum)
	}
	for _, e := range allEvents(t, db) {
		if e.At.After(at(t, 6, 0)) {
			t.Fatalf("event %s at %v is after Now", e.Kind, e.At)
		}
	}
}

func TestRejectsBadOptions(t *testing.T) {
	db := newDB(t)
	if _, err := sim.Seed(ctx, db, sim.Options{Days: -1, Now: at(t, 10, 0), Config: demo.Config()}); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("negative days: %v", err)
	}
	noOpen := demo.Config()
	for i := range noOpen.Counters {
		noOpen.Counters[i].State = hall.CounterClosed
	}
	if _, err := sim.Seed(ctx, db, sim.Options{Now: at(t, 10, 0), Config: noOpen}); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("no open counter: %v", err)
	}
	if evs := allEvents(t, db); len(evs) != 0 {
		t.Fatalf("refused seeds wrote %d events", len(evs))
	}
}

func TestThirtyDaysAreQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	db := newDB(t)
	start := time.Now()
	sum := seed(t, db, sim.Options{Days: 30, RandSeed: 2026, Now: at(t, 16, 0), Config: demo.Config()})
	took := time.Since(start)
	t.Logf("30 days: %+v in %v (%.0f tickets/s)", sum, took.Round(time.Millisecond), float64(sum.Tickets)/took.Seconds())
	if took > 30*time.Second {
		t.Fatalf("30 days took %v", took)
	}
}

func BenchmarkSeedDay(b *testing.B) {
	dir := b.TempDir()
	now := at(b, 21, 0)
	tickets, i := 0, 0
	var spent time.Duration
	for b.Loop() {
		b.StopTimer()
		db := openDB(b, dir, fmt.Sprintf("h%d.db", i))
		i++
		b.StartTimer()
		t0 := time.Now()
		sum, err := sim.Seed(ctx, db, sim.Options{RandSeed: int64(i), Now: now, Config: demo.Config()})
		spent += time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		tickets += sum.Tickets
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(tickets)/spent.Seconds(), "tickets/s")
}

func TestSeededDeskLooksLivedIn(t *testing.T) {
	db := newDB(t)
	seed(t, db, sim.Options{Days: 6, RandSeed: 5, Now: at(t, 16, 0), Config: demo.Config()})
	l, err := hall.Open(ctx, db, hall.SystemClock{})
	if err != nil {
		t.Fatal(err)
	}
	days, err := l.Roster(ctx, "2026-11-21", 20)
	if err != nil {
		t.Fatal(err)
	}
	var gaps []string
	for _, d := range days {
		if d.Gap() {
			gaps = append(gaps, d.Day)
		}
	}
	// Covered from six days back to two weeks ahead, but for the one gap
	// left for the desk to flag.
	if len(gaps) != 1 || gaps[0] != "2026-12-07" {
		t.Fatalf("roster gaps = %v, want only 2026-12-07", gaps)
	}
	kinds := map[hall.Kind]int{}
	for _, e := range allEvents(t, db) {
		kinds[e.Kind]++
	}
	if kinds[hall.KindLogEntry] < 14 || kinds[hall.KindComplaintRecord] == 0 || kinds[hall.KindRosterSet] < 7 {
		t.Fatalf("desk events: log %d, complaints %d, roster %d", kinds[hall.KindLogEntry], kinds[hall.KindComplaintRecord], kinds[hall.KindRosterSet])
	}
	head, err := db.RegisterHead(ctx)
	leaves := kinds[hall.KindLogEntry] + kinds[hall.KindComplaintRecord] + kinds[hall.KindComplaintStatus] +
		kinds[hall.KindRatingFollowUp] + kinds[hall.KindVisitRecorded] + kinds[hall.KindVisitNote]
	if err != nil || head.Size != int64(leaves) {
		t.Fatalf("register holds %d leaves, want every log entry, complaint, status record, follow-up and visit record (%d): %v", head.Size, leaves, err)
	}
	if kinds[hall.KindComplaintStatus] == 0 || kinds[hall.KindRatingFollowUp] == 0 || kinds[hall.KindPatrol] == 0 {
		t.Fatalf("desk follow-ups: complaint status %d, rating follow-ups %d, patrols %d", kinds[hall.KindComplaintStatus], kinds[hall.KindRatingFollowUp], kinds[hall.KindPatrol])
	}
}

// A hall with opening hours turns away the arrivals outside them, as its
// kiosk does, and the seeding goes on: every ticket is issued within the
// hours.
func TestSeedKeepsOpeningHours(t *testing.T) {
	cfg := demo.Config()
	for range 7 {
		cfg.Policy.OpenHours = append(cfg.Policy.OpenHours, "10:00-11:30")
	}
	db := newDB(t)
	sum := seed(t, db, sim.Options{Days: 2, RandSeed: 5, Now: at(t, 16, 0), Config: cfg})
	if sum.Tickets == 0 {
		t.Fatal("no tickets in the hours")
	}
	loc, err := time.LoadLocation(cfg.Hall.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range allEvents(t, db) {
		if e.Kind != hall.KindTicketIssued {
			continue
		}
		at := e.At.In(loc)
		if m := at.Hour()*60 + at.Minute(); m < 10*60 || m >= 11*60+30 {
			t.Fatalf("ticket issued at %v, outside 10:00-11:30", at)
		}
	}
}
