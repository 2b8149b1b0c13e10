package sim

import (
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
)

// Options for Seed.
type Options struct {
	Days     int         // past days before today, >= 0 (0: today so far only)
	RandSeed int64       // same seed + same Now + same config => same traffic
	Now      time.Time   // simulate up to this instant; today is Now's day in the hall's time zone
	Config   hall.Config // used to set the hall up when the store holds no hall yet; ignored when it does
	// PINCost is the bcrypt cost for the staff PINs of a hall it sets up
	// (0: the hall's default). Tests lower it.
	PINCost int
}

// Summary reports what was written.
type Summary struct {
	Days     int    // days written, today included
	Tickets  int    // tickets issued
	Services int    // services started at a counter (a transfer starts a second one)
	LastDay  string // the last day written, 2006-01-02: today
}

// ErrHasData: the store already holds a hall's live data (any ticket), so
// Seed refuses it.
var ErrHasData = &hall.Error{Code: "has_data", Message: "数据库中已有营业厅的实际数据，不能再填充模拟数据"}

// MaxDays bounds Options.Days: ten years.
const MaxDays = 3660

// The hall's day.
const (
	openH, openM   = 8, 30  // doors open
	closeH, closeM = 17, 30 // doors close: no more tickets
	setupH         = 8      // a new hall is set up at 08:00 of the first day
	overtime       = 30 * time.Minute
	eventsPage     = 1000
)

// Rates of what customers and clerks do.
const (
	pElderly    = 0.06
	pDisabled   = 0.02
	pNoShow     = 0.03  // of first calls
	pRequeue    = 0.4   // of no-shows, when the policy allows it
	pTransfer   = 0.02  // of services
	pWrongPress = 0.004 // tickets withdrawn at once
	pImpatient  = 0.22  // customers who leave if their wait outlasts their patience
	sigmaSvc    = 0.45  // lognormal spread of service times
	sigmaDay    = 0.12  // lognormal spread of daily volume
	fullCounter = 5     // halls with fewer open counters get proportionally fewer customers
	baseDaily   = 185.0
	minDaily    = 120.0
	maxDaily    = 250.0
)

// profile is how often a business comes and how long it takes.
type profile struct {
	weight         float64
	median, lo, hi time.Duration
}

var profiles = map[string]profile{
	demo.TypeFee:       {0.45, 3 * time.Minute, 1 * time.Minute, 10 * time.Minute},
	demo.TypeConsult:   {0.20, 5 * time.Minute, 1 * time.Minute, 15 * time.Minute},
	demo.TypeRepair:    {0.10, 6 * time.Minute, 2 * time.Minute, 20 * time.Minute},
	demo.TypeConnect:   {0.10, 15 * time.Minute, 5 * time.Minute, 40 * time.Minute},
	demo.TypeChange:    {0.10, 12 * time.Minute, 4 * time.Minute, 35 * time.Minute},
	demo.TypeComplaint: {0.05, 18 * time.Minute, 5 * time.Minute, 45 * time.Minute},
}

// otherProfile is for business types the demo hall does not have.
var otherProfile = profile{0.10, 6 * time.Minute, 2 * time.Minute, 20 * time.Minute}

func profileOf(code string) profile {
	if p, ok := profiles[code]; ok {
		return p
	}
	return otherProfile
}

// arrivalWeights is the relative arrival rate of each half hour from 08:30
// to 17:30: a morning peak at 9–11, a lunch lull, an afternoon peak at 14–16.
var arrivalWeights = [18]float64{
	0.60, // 08:30
	1.30, // 09:00
	1.60, // 09:30
	1.70, // 10:00
	1.50, // 10:30
	1.10, // 11:00
	0.80, // 11:30
	0.50, // 12:00
	0.45, // 12:30
	0.60, // 13:00
	0.85, // 13:30
	1.10, // 14:00
	1.25, // 14:30
	1.20, // 15:00
	1.00, // 15:30
	0.80, // 16:00
	0.60, // 16:30
	0.35, // 17:00
}

// weekdayFactor: Mondays are busiest, weekends quieter.
var weekdayFactor = [7]float64{
	time.Sunday: 0.80, time.Monday: 1.12, time.Tuesday: 1.02, time.Wednesday: 0.98,
	time.Thursday: 0.97, time.Friday: 1.06, time.Saturday: 0.86,
}

// clock is the simulated time that the hall reads. Safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Seed simulates opt.Days past days and today up to opt.Now in the hall kept
// by store, one transaction per day, and reports what it wrote. It sets the
// hall up with opt.Config first if the store holds none; it refuses, with
// ErrHasData and without writing, a store that holds any ticket. A zero
// opt.Now means the current time. On error the days already written stay.
func Seed(ctx context.Context, store hall.Store, opt Options) (Summary, error) {
	var sum Summary
	if opt.Days < 0 || opt.Days > MaxDays {
		return sum, hall.ErrInvalid.WithMessage(fmt.Sprintf("模拟天数须在0到%d之间", MaxDays), "days %d out of 0..%d", opt.Days, MaxDays)
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}

	// Refuse live data before anything, opening the hall included, writes.
	snap, err := store.Load(ctx)
	if err != nil {
		return sum, fmt.Errorf("load hall: %w", err)
	}
	if len(snap.Tickets) > 0 {
		return sum, ErrHasData
	}
	if has, err := hasTickets(ctx, store); err != nil {
		return sum, fmt.Errorf("read events: %w", err)
	} else if has {
		return sum, ErrHasData
	}

	cfg := opt.Config
	if snap.Configured {
		cfg.Hall = snap.Hall
	} else if cfg.Hall.TimeZone == "" {
		cfg.Hall.TimeZone = "Asia/Shanghai" // as Setup does
	}
	loc, err := time.LoadLocation(cfg.Hall.TimeZone)
	if err != nil {
		return sum, hall.ErrInvalid.WithMessage("时区设置有误", "time zone %q: %v", cfg.Hall.TimeZone, err)
	}
	ty, tm, td := now.In(loc).Date()
	first := time.Date(ty, tm, td-opt.Days, 0, 0, 0, 0, loc)
	setupAt := earlier(time.Date(ty, tm, td-opt.Days, setupH, 0, 0, 0, loc), now)

	clk := &clock{t: setupAt}
	var hopts []hall.Option
	if opt.PINCost != 0 {
		hopts = append(hopts, hall.WithPINCost(opt.PINCost))
	}
	l, err := hall.Open(ctx, store, clk, hopts...)
	if err != nil {
		return sum, err
	}
	configured := l.Configured()
	if configured {
		if cfg, err = l.Config(ctx); err != nil {
			return sum, err
		}
	} else {
		cfg.Counters = slices.Clone(cfg.Counters) // not the caller's
		for i := range cfg.Counters {
			if !cfg.Counters[i].State.Valid() {
				cfg.Counters[i].State = hall.CounterOpen // as Setup does
			}
		}
	}
	// Check the hall can be simulated before setting it up.
	p, err := newPlan(cfg, opt.RandSeed)
	if err != nil {
		return sum, err
	}
	if !configured {
		if err := l.Setup(ctx, opt.Config); err != nil {
			return sum, err
		}
		if cfg, err = l.Config(ctx); err != nil {
			return sum, err
		}
		if p, err = newPlan(cfg, opt.RandSeed); err != nil {
			return sum, err
		}
	}

	for k := opt.Days; k >= 0; k-- {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		date := time.Date(ty, tm, td-k, 0, 0, 0, 0, loc)
		limit := time.Date(ty, tm, td-k+1, 0, 0, 0, 0, loc) // a past day runs to its end
		if k == 0 {
			limit = now
		}
		d := newDay(p, clk, date, limit)
		// The hall moves to the new day a minute after midnight, as the
		// app's housekeeping would; the Tx rolls over before fn runs, so the
		// clock must already be on the day.
		start := date.Add(time.Minute)
		if date.Equal(first) {
			start = later(start, setupAt)
		}
		clk.set(earlier(start, limit))
		if err := l.Batch(ctx, d.run); err != nil {
			return sum, fmt.Errorf("simulate %s: %w", date.Format(time.DateOnly), err)
		}
		sum.Days++
		sum.Tickets += d.issued
		sum.Services += d.services
		sum.LastDay = date.Format(time.DateOnly)
	}
	return sum, nil
}

// hasTickets reports whether the event log records any ticket.
func hasTickets(ctx context.Context, store hall.Store) (bool, error) {
	var after int64
	for {
		evs, err := store.Events(ctx, after, eventsPage)
		if err != nil {
			return false, err
		}
		for _, e := range evs {
			if strings.HasPrefix(string(e.Kind), "ticket.") {
				return true, nil
			}
		}
		if len(evs) < eventsPage {
			return false, nil
		}
		after = evs[len(evs)-1].Seq
	}
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// plan is what every day of the simulation shares.
type plan struct {
	seed      int64
	policy    hall.Policy
	counters  []hall.Counter // the open counters, by number
	clerks    []string       // clerk of each counter
	directors []string       // the directors, on duty by turns a day each; none if the hall has none
	types     []string       // active business types some open counter serves
	cum       []float64      // cumulative arrival weights of types
	scale     float64        // of the daily volume, for small halls
	// visits are the reception-day visits recorded and not yet closed,
	// with the day each gets its reply.
	visits []simVisit
	// followUps are the complaints and bad ratings the director still
	// works on, each with its next step and the day it is due.
	followUps []*simFollowUp
}

// simFollowUp is a complaint or a bad rating on its way to being closed.
type simFollowUp struct {
	id        string
	complaint bool   // else a bad rating
	step      int    // the next step: 0, 1, 2 (complaints); 0, 1 (bad ratings)
	on        string // local date it is done
	stalled   bool   // left undone: the desk shows it overdue
}

type simVisit struct {
	id, replyOn string
}

func newPlan(cfg hall.Config, seed int64) (*plan, error) {
	p := &plan{seed: seed, policy: cfg.Policy}
	var clerks, anyone []string
	for _, s := range cfg.Staff {
		if !s.Active {
			continue
		}
		anyone = append(anyone, s.No)
		if s.Role == hall.RoleDirector {
			p.directors = append(p.directors, s.No)
		}
		if s.Role == hall.RoleClerk {
			clerks = append(clerks, s.No)
		}
	}
	if len(clerks) == 0 {
		clerks = anyone
	}
	if len(clerks) == 0 {
		return nil, hall.ErrInvalid.WithMessage("营业厅没有在岗的工作人员，无法模拟客流", "no active staff")
	}
	for _, c := range cfg.Counters {
		if c.State == hall.CounterOpen {
			p.counters = append(p.counters, c)
		}
	}
	// Config lists counters by number; sort anyway for a config given by hand.
	slices.SortFunc(p.counters, func(a, b hall.Counter) int { return cmp.Compare(a.No, b.No) })
	if len(p.counters) == 0 {
		return nil, hall.ErrInvalid.WithMessage("营业厅没有开放的窗口，无法模拟客流", "no open counter")
	}
	for i := range p.counters {
		p.clerks = append(p.clerks, clerks[i%len(clerks)])
	}
	total := 0.0
	for _, bt := range cfg.Types {
		if bt.Retired || !p.served(bt.Code) {
			continue
		}
		total += profileOf(bt.Code).weight
		p.types = append(p.types, bt.Code)
		p.cum = append(p.cum, total)
	}
	if len(p.types) == 0 {
		return nil, hall.ErrInvalid.WithMessage("开放的窗口不办理任何在办业务，无法模拟客流", "no active type served by an open counter")
	}
	p.scale = min(1, float64(len(p.counters))/fullCounter)
	return p, nil
}

// served reports whether an open counter serves the business type.
// directorOn is the director on duty on date, by turns a day each; "" if
// the hall has none.
func (p *plan) directorOn(date time.Time) string {
	if len(p.directors) == 0 {
		return ""
	}
	y, m, dd := date.Date()
	days := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Unix() / 86400
	return p.directors[int(days%int64(len(p.directors)))]
}

func (p *plan) served(code string) bool {
	for i := range p.counters {
		if p.counters[i].Serves(code) {
			return true
		}
	}
	return false
}

// pickType draws a business type by the mix.
func (p *plan) pickType(r *rand.Rand) string {
	x := r.Float64() * p.cum[len(p.cum)-1]
	for i, c := range p.cum {
		if x < c {
			return p.types[i]
		}
	}
	return p.types[len(p.types)-1]
}

// transferTarget draws a business type that a customer at counter c may be
// sent on to: served elsewhere, not at c. "" if there is none.
func (p *plan) transferTarget(r *rand.Rand, c *hall.Counter, from string) string {
	var codes []string
	var cum []float64
	total := 0.0
	for _, code := range p.types {
		if code == from || c.Serves(code) {
			continue
		}
		total += profileOf(code).weight
		codes = append(codes, code)
		cum = append(cum, total)
	}
	if len(codes) == 0 {
		return ""
	}
	x := r.Float64() * total
	for i, v := range cum {
		if x < v {
			return codes[i]
		}
	}
	return codes[len(codes)-1]
}

// serviceTime draws how long serving a business takes.
func serviceTime(r *rand.Rand, code string) time.Duration {
	pr := profileOf(code)
	d := time.Duration(float64(pr.median) * math.Exp(sigmaSvc*r.NormFloat64()))
	return min(max(d, pr.lo), pr.hi).Round(time.Second)
}

// secs draws a whole number of seconds in [lo, hi].
func secs(r *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo+r.IntN(hi-lo+1)) * time.Second
}

// dayStream is the random stream of one local day: the day's traffic does
// not depend on how many days are seeded or where the seed stopped.
func (p *plan) dayStream(date time.Time) *rand.Rand {
	y, m, d := date.Date()
	n := uint64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	return rand.New(rand.NewPCG(uint64(p.seed), n*0x9E3779B97F4A7C15+0x5EED))
}

// The simulation's events.
type kind int

const (
	evArrive kind = iota
	evCall
	evRecall
	evNoShow
	evStart
	evFinish
	evTransfer
	evGiveUp
	evRequeue
	evPause
	evResume
	evDesk // the duty director's desk: a log entry or a complaint
)

type event struct {
	at   time.Time
	seq  int // ties go in scheduling order
	kind kind
	c    *desk
	t    *customer
	typ  string // arrivals and transfers: the business type
	prio hall.Priority
	desk func() error // evDesk
}

type events []*event

func (q events) Len() int { return len(q) }
func (q events) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q events) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *events) Push(x any)   { *q = append(*q, x.(*event)) }
func (q *events) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return e
}

// customer mirrors a ticket as the simulation knows it.
type customer struct {
	id        string
	typ       string
	state     hall.TicketState
	requeued  bool
	transfers int
}

// desk is an open counter with its clerk. A desk that is not idle has
// exactly one event pending; an idle one waits to be woken.
type desk struct {
	cfg    *hall.Counter
	no     int
	clerk  string
	idle   bool
	paused bool
}

// day simulates one business day inside one Tx.
type day struct {
	p     *plan
	clk   *clock
	r     *rand.Rand
	tx    *hall.Tx
	date  time.Time
	limit time.Time // nothing happens after this instant

	open, close, cutoff time.Time
	now                 time.Time
	q                   events
	seq                 int
	desks               []*desk
	customers           map[string]*customer

	issued, services int
}

func newDay(p *plan, clk *clock, date, limit time.Time) *day {
	y, m, dd := date.Date()
	loc := date.Location()
	d := &day{
		p: p, clk: clk, r: p.dayStream(date), date: date, limit: limit,
		open:      time.Date(y, m, dd, openH, openM, 0, 0, loc),
		close:     time.Date(y, m, dd, closeH, closeM, 0, 0, loc),
		customers: make(map[string]*customer),
	}
	d.cutoff = d.close.Add(overtime)
	for i := range p.counters {
		d.desks = append(d.desks, &desk{cfg: &p.counters[i], no: p.counters[i].No, clerk: p.clerks[i]})
	}
	return d
}

func (d *day) push(at time.Time, k kind, c *desk, t *customer) *event {
	e := &event{at: at, seq: d.seq, kind: k, c: c, t: t}
	d.seq++
	heap.Push(&d.q, e)
	return e
}

// volume draws how many customers come.
func (d *day) volume() int {
	f := weekdayFactor[d.date.Weekday()] * math.Exp(sigmaDay*d.r.NormFloat64())
	if d.date.Day() <= 5 { // bills come at the start of the month
		f *= 1.08
	}
	n := min(max(baseDaily*f, minDaily), maxDaily) * d.p.scale
	return max(int(math.Round(n)), 1)
}

// plan schedules the day: arrivals, the clerks' first calls, lunch breaks.
func (d *day) plan() {
	total := 0.0
	for _, w := range arrivalWeights {
		total += w
	}
	slot := d.close.Sub(d.open) / time.Duration(len(arrivalWeights))
	n := d.volume()
	for range n {
		x := d.r.Float64() * total
		i := 0
		for ; i < len(arrivalWeights)-1 && x >= arrivalWeights[i]; i++ {
			x -= arrivalWeights[i]
		}
		at := d.open.Add(time.Duration(i)*slot + time.Duration(d.r.Int64N(int64(slot/time.Second)))*time.Second)
		e := d.push(at, evArrive, nil, nil)
		e.typ = d.p.pickType(d.r)
		switch x := d.r.Float64(); {
		case x < pDisabled:
			e.prio = hall.Disabled
		case x < pDisabled+pElderly:
			e.prio = hall.Elderly
		}
	}
	for _, c := range d.desks {
		d.push(d.open.Add(secs(d.r, 0, 120)), evCall, c, nil)
	}
	// Staggered lunch breaks for up to two counters, never the only one
	// open for a business.
	breaks := min(len(d.desks)/2, 2)
	start := time.Date(d.date.Year(), d.date.Month(), d.date.Day(), 11, 45, 0, 0, d.date.Location())
	for _, i := range d.r.Perm(len(d.desks)) {
		if breaks == 0 {
			break
		}
		c := d.desks[i]
		if !d.replaceable(c) {
			continue
		}
		at := start.Add(secs(d.r, 0, 180))
		d.push(at, evPause, c, nil)
		d.push(at.Add(40*time.Minute), evResume, c, nil)
		start = start.Add(45 * time.Minute)
		breaks--
	}
}

// replaceable reports whether every business of c is served elsewhere too.
func (d *day) replaceable(c *desk) bool {
	for _, code := range c.cfg.Types {
		if !d.servedBy(code, c) {
			return false
		}
	}
	return true
}

func (d *day) servedBy(code string, except *desk) bool {
	for _, o := range d.desks {
		if o != except && o.cfg.Serves(code) {
			return true
		}
	}
	return false
}

// run is the day's Tx: it plays the events in time order up to the limit
// and, when the day is over before it, closes the day.
func (d *day) run(tx *hall.Tx) error {
	d.tx = tx
	d.now = d.clk.Now()
	d.plan()
	if err := d.planDesk(); err != nil {
		return err
	}
	for d.q.Len() > 0 && !d.q[0].at.After(d.limit) {
		e := heap.Pop(&d.q).(*event)
		d.now = e.at
		d.clk.set(e.at)
		if err := d.handle(e); err != nil {
			return err
		}
	}
	if d.q.Len() > 0 {
		return nil // today: the hall is left as it is now
	}
	closeAt := later(d.now, d.close).Add(secs(d.r, 60, 300))
	if closeAt.After(d.limit) {
		return nil
	}
	d.now = closeAt
	d.clk.set(closeAt)
	_, err := tx.CloseDay()
	return err
}

func (d *day) handle(e *event) error {
	tx, c, t := d.tx, e.c, e.t
	switch e.kind {
	case evDesk:
		return e.desk()
	case evArrive:
		tk, err := tx.Issue(e.typ, e.prio)
		if errors.Is(err, hall.ErrDailyCap) || errors.Is(err, hall.ErrClosed) {
			return nil // turned away at the kiosk: no numbers left, or outside opening hours
		}
		if err != nil {
			return err
		}
		d.issued++
		t := &customer{id: tk.ID, typ: tk.Type, state: hall.Waiting}
		d.customers[tk.ID] = t
		switch x := d.r.Float64(); {
		case x < pWrongPress:
			d.push(d.now.Add(secs(d.r, 2, 20)), evGiveUp, nil, t)
		case x < pWrongPress+pImpatient:
			d.push(d.now.Add(secs(d.r, 10*60, 45*60)), evGiveUp, nil, t)
		}
		d.wake()
	case evCall:
		return d.call(c)
	case evRecall:
		_, err := tx.Recall(c.no, c.clerk)
		return err
	case evNoShow:
		if _, err := tx.NoShow(c.no, c.clerk); err != nil {
			return err
		}
		t.state = hall.NoShow
		if d.p.policy.AllowRequeue && d.r.Float64() < pRequeue {
			d.push(d.now.Add(secs(d.r, 3*60, 30*60)), evRequeue, nil, t)
		}
		d.push(d.now.Add(secs(d.r, 5, 20)), evCall, c, nil)
	case evStart:
		if _, err := tx.Start(c.no, c.clerk); err != nil {
			return err
		}
		d.services++
		t.state = hall.Serving
		if t.transfers == 0 && d.r.Float64() < pTransfer {
			if to := d.p.transferTarget(d.r, c.cfg, t.typ); to != "" {
				d.push(d.now.Add(secs(d.r, 60, 240)), evTransfer, c, t).typ = to
				return nil
			}
		}
		d.push(d.now.Add(serviceTime(d.r, t.typ)), evFinish, c, t)
	case evFinish:
		// A third of the 报修 customers report a fault, passed on to 95598.
		if t.typ == demo.TypeRepair && d.r.IntN(3) == 0 {
			f := faultTexts[d.r.IntN(len(faultTexts))]
			phone := fmt.Sprintf("13%d%08d", 5+d.r.IntN(5), d.r.IntN(100000000))
			if _, err := tx.RecordFaultAs(c.no, c.clerk, hall.FaultInput{What: f.what, Where: f.where, Occurred: f.since,
				Contact: hall.Contact{Name: "客户", Phone: phone}}); err != nil {
				return err
			}
		}
		rec, err := tx.Finish(c.no, c.clerk)
		if err != nil {
			return err
		}
		t.state = hall.Done
		// Most customers press a button; the rest leave it 未评价.
		if in, ok := rating(d.r, rec.ID); ok {
			r, err := tx.Rate(c.no, in)
			if err != nil {
				return err
			}
			if r.Level.Bad() {
				d.p.followUps = append(d.p.followUps, &simFollowUp{id: r.ID, on: d.date.AddDate(0, 0, 1+d.r.IntN(3)).Format(time.DateOnly),
					stalled: d.r.IntN(10) == 0})
			}
		}
		d.push(d.now.Add(secs(d.r, 10, 60)), evCall, c, nil)
	case evTransfer:
		if _, err := tx.Transfer(c.no, c.clerk, hall.TransferTarget{Type: e.typ}); err != nil {
			return err
		}
		t.typ, t.state = e.typ, hall.Waiting
		t.transfers++
		d.push(d.now.Add(secs(d.r, 10, 40)), evCall, c, nil)
		d.wake()
	case evGiveUp:
		if t.state != hall.Waiting || t.requeued || t.transfers > 0 {
			return nil // called in time
		}
		if _, err := tx.Cancel(t.id); err != nil {
			return err
		}
		t.state = hall.Cancelled
	case evRequeue:
		if d.now.After(d.close) {
			return nil // came back too late
		}
		if _, err := tx.Requeue(t.id); err != nil {
			return err
		}
		t.state, t.requeued = hall.Waiting, true
		d.wake()
	case evPause:
		if _, err := tx.SetCounterState(c.no, hall.CounterPaused, c.clerk); err != nil {
			return err
		}
		c.paused = true
	case evResume:
		if _, err := tx.SetCounterState(c.no, hall.CounterOpen, c.clerk); err != nil {
			return err
		}
		c.paused = false
		if c.idle {
			c.idle = false
			d.push(d.now.Add(secs(d.r, 3, 20)), evCall, c, nil)
		}
	}
	return nil
}

// call has a free counter's clerk call the next customer.
func (d *day) call(c *desk) error {
	if c.paused || d.now.After(d.cutoff) {
		c.idle = true
		return nil
	}
	call, err := d.tx.CallNext(c.no, c.clerk)
	if errors.Is(err, hall.ErrNothingWaiting) {
		c.idle = true
		return nil
	}
	if err != nil {
		return err
	}
	t := d.customers[call.Ticket.ID]
	if t == nil {
		return fmt.Errorf("counter %d called %s, a ticket the simulation did not issue", c.no, call.Ticket.Number)
	}
	t.state = hall.Called
	if !t.requeued && t.transfers == 0 && d.r.Float64() < pNoShow {
		at := d.now
		for range d.p.policy.NoShowAfterRecalls {
			at = at.Add(secs(d.r, 30, 60))
			d.push(at, evRecall, c, t)
		}
		d.push(at.Add(secs(d.r, 30, 60)), evNoShow, c, t)
		return nil
	}
	d.push(d.now.Add(secs(d.r, 10, 45)), evStart, c, t)
	return nil
}

// wake has every idle counter's clerk look at the queue again.
func (d *day) wake() {
	for _, c := range d.desks {
		if c.idle && !c.paused {
			c.idle = false
			d.push(d.now.Add(secs(d.r, 3, 20)), evCall, c, nil)
		}
	}
}

// rating draws a customer's answer at the evaluator: about 93 % rate, most
// of them 非常满意 or 满意, and a bad rating comes with a reason.
func rating(r *rand.Rand, serviceID string) (hall.RatingInput, bool) {
	x := r.Float64()
	in := hall.RatingInput{ServiceID: serviceID}
	switch {
	case x < 0.07:
		return in, false
	case x < 0.70:
		in.Level = hall.VerySatisfied
	case x < 0.92:
		in.Level = hall.Satisfied
	case x < 0.98:
		in.Level = hall.Neutral
	case x < 0.993:
		in.Level = hall.Dissatisfied
	default:
		in.Level = hall.VeryDissatisfied
	}
	if in.Level.Bad() {
		in.Reasons = []string{hall.RatingReasons[r.IntN(len(hall.RatingReasons))]}
	}
	return in, true
}

// Log texts the simulated director writes.
var (
	patrolNotes = []string{
		"各窗口人员着装规范，精神饱满，问候语使用到位。",
		"等候区座椅不足，已从会议室调配六把座椅。",
		"营业秩序良好，叫号屏、评价器运行正常。",
		"取号机打印纸余量不足，已更换新纸卷。",
	}
	// patrolFixes is what the director asks to correct, by checklist item.
	patrolFixes = map[string]string{
		"appearance":  "按规定着装并佩戴工号牌",
		"posture":     "注意坐姿，不得趴在工作台上",
		"language":    "使用普通话和文明用语",
		"greeting":    "客户到来须起立问好，离开时道别",
		"focus":       "工作时间不得使用手机处理私事",
		"workstation": "整理台面资料和票据",
	}
	receptionLeaders = []string{"总经理 陈志强", "副总经理 王建国", "副总经理 刘慧"}
	visitMatters     = []struct{ matter, commitment, reply string }{
		{"小区近一个月频繁停电，影响老人用电", "一周内安排运检班排查线路", "已更换老化线路，客户表示满意"},
		{"新建厂房增容报装进度慢", "三个工作日内安排现场勘查", "已完成勘查并答复送电时间"},
		{"对峰谷电价执行有疑问", "由营销部出具书面解释", "已电话答复并寄送书面说明"},
		{"电表箱锈蚀存在安全隐患", "五个工作日内更换表箱", "表箱已更换，客户确认"},
	}
	receptionNotes = []string{
		"客户接待：一位老年客户咨询阶梯电价，已耐心解释并赠送宣传资料。",
		"客户接待：客户反映电表走字偏快，已预约校验，5个工作日内答复。",
		"客户接待：残疾客户办理过户，营业员上前搀扶并代填申请书。",
	}
	faultTexts = []struct{ what, where, since string }{
		{"整栋楼停电", "城关镇东街12号", "半小时前"},
		{"电表箱冒烟", "幸福小区3栋", "今天上午"},
		{"路灯线路断线", "城南路与滨河路口", "昨晚"},
		{"家中跳闸合不上", "西关村二组", "一小时前"},
		{"电压忽高忽低，灯光闪烁", "北街菜市场", "这两天"},
	}
	complaintTexts = []struct{ what, where string }{
		{"等候时间过长，取号后等了一个多小时", "营业厅"},
		{"抄表员态度生硬，不耐心解释电费构成", "城关镇东街"},
		{"计划停电未提前通知，影响店铺营业", "城关镇南街商铺"},
		{"新装用电办理进度慢，超过承诺时限", "开发区"},
		{"营业员业务不熟练，多次让客户补材料", "营业厅"},
	}
)

// planDesk schedules the director's day: the roster (kept two weeks
// ahead, with one gap left for the desk to flag), the morning handover, a
// patrol, sometimes a reception note, and now and then a complaint.
func (d *day) planDesk() error {
	dir := d.p.directorOn(d.date)
	if dir == "" {
		return nil
	}
	day := d.date.Format(time.DateOnly)
	if _, err := d.tx.SetRosterAs(dir, day, dir, ""); err != nil {
		return err
	}
	if d.limit.Before(d.date.AddDate(0, 0, 1)) { // today: the two weeks ahead
		for k := 1; k <= 14; k++ {
			if k == 10 {
				continue // a gap the desk must flag
			}
			next := d.date.AddDate(0, 0, k)
			if _, err := d.tx.SetRosterAs(dir, next.Format(time.DateOnly), d.p.directorOn(next), ""); err != nil {
				return err
			}
		}
	}
	log := func(at time.Time, category, text string) {
		d.push(at, evDesk, nil, nil).desk = func() error {
			_, err := d.tx.AddLogAs(dir, category, text, "")
			return err
		}
	}
	log(d.open.Add(-10*time.Minute), hall.LogHandover, "接班：交接前日未办结事项，核对取号机、评价器运行正常。")
	d.planPatrol(dir, d.open.Add(time.Duration(90+d.r.IntN(60))*time.Minute))
	d.planFollowUps(dir)
	d.planReception(dir)
	if d.r.IntN(2) == 0 {
		log(d.open.Add(time.Duration(300+d.r.IntN(120))*time.Minute), hall.LogReception, receptionNotes[d.r.IntN(len(receptionNotes))])
	}
	if d.r.IntN(3) == 0 && len(d.desks) > 0 {
		c := complaintTexts[d.r.IntN(len(complaintTexts))]
		desk := d.desks[len(d.desks)-1]
		phone := fmt.Sprintf("13%d%08d", 5+d.r.IntN(5), d.r.IntN(100000000))
		d.push(d.open.Add(time.Duration(60+d.r.IntN(400))*time.Minute), evDesk, nil, nil).desk = func() error {
			cp, err := d.tx.RecordComplaintAs(desk.no, desk.clerk, hall.ComplaintInput{What: c.what, Where: c.where,
				Occurred: "近日", Contact: hall.Contact{Name: "客户", Phone: phone}})
			if err == nil {
				d.p.followUps = append(d.p.followUps, &simFollowUp{id: cp.ID, complaint: true,
					on: d.date.AddDate(0, 0, 1).Format(time.DateOnly), stalled: d.r.IntN(8) == 0})
			}
			return err
		}
	}
	return nil
}

// planPatrol walks the checklist along the open counters: now and then an
// item is not met and the director notes what to correct.
func (d *day) planPatrol(dir string, at time.Time) {
	var in hall.PatrolInput
	for _, desk := range d.desks {
		res := hall.PatrolResultInput{Counter: desk.no, Clerk: desk.clerk}
		var fixes []string
		for _, it := range hall.PatrolChecklist {
			if d.r.IntN(25) == 0 {
				res.Failed = append(res.Failed, it.Code)
				fixes = append(fixes, patrolFixes[it.Code])
			}
		}
		res.Note = strings.Join(fixes, "；")
		in.Results = append(in.Results, res)
	}
	if len(in.Results) == 0 {
		return
	}
	in.Note = patrolNotes[d.r.IntN(len(patrolNotes))]
	d.push(at, evDesk, nil, nil).desk = func() error {
		_, err := d.tx.RecordPatrolAs(dir, in)
		return err
	}
}

// planReception keeps the 15th of each month a leadership reception day
// with a visitor or two, replies to earlier visitors when their day comes,
// and on the last simulated day puts the next reception day on the
// schedule, so that the kiosk announces it.
func (d *day) planReception(dir string) {
	day := d.date.Format(time.DateOnly)
	p := d.p
	keep := p.visits[:0]
	for _, v := range p.visits {
		if v.replyOn > day {
			keep = append(keep, v)
			continue
		}
		reply := visitMatters[d.r.IntN(len(visitMatters))].reply
		id := v.id
		d.push(d.open.Add(time.Duration(120+d.r.IntN(240))*time.Minute), evDesk, nil, nil).desk = func() error {
			_, err := d.tx.AddVisitNoteAs(dir, id, reply, true)
			return err
		}
	}
	p.visits = keep
	leader := receptionLeaders[int(d.date.Month())%len(receptionLeaders)]
	if d.date.Day() == 15 {
		var recID string
		d.push(d.open.Add(-time.Hour), evDesk, nil, nil).desk = func() error {
			r, err := d.tx.ScheduleReceptionAs(dir, hall.ReceptionInput{Day: day, Hours: "09:00-11:30", Leader: leader,
				Place: "营业厅二楼接待室", Topics: "供电质量、业扩报装、电费电价"})
			recID = r.ID
			return err
		}
		for i := range 1 + d.r.IntN(2) {
			m := visitMatters[d.r.IntN(len(visitMatters))]
			phone := fmt.Sprintf("13%d%08d", 5+d.r.IntN(5), d.r.IntN(100000000))
			deadline := d.date.AddDate(0, 0, 7+d.r.IntN(7)).Format(time.DateOnly)
			replyOn := d.date.AddDate(0, 0, 3+d.r.IntN(16)).Format(time.DateOnly)
			d.push(d.open.Add(time.Duration(40+30*i)*time.Minute), evDesk, nil, nil).desk = func() error {
				v, err := d.tx.RecordVisitAs(dir, hall.VisitInput{ReceptionID: recID, Contact: hall.Contact{Name: "客户", Phone: phone},
					Matter: m.matter, Commitment: m.commitment, Deadline: deadline})
				if err == nil {
					p.visits = append(p.visits, simVisit{id: v.ID, replyOn: replyOn})
					_, err = d.tx.AddVisitNoteAs(dir, v.ID, "已转相关部门办理，跟踪进度", false)
				}
				return err
			}
		}
	}
	if d.limit.Before(d.date.AddDate(0, 0, 1)) { // today: the next reception day
		next := d.date.AddDate(0, 0, 5)
		d.push(d.open.Add(-time.Hour), evDesk, nil, nil).desk = func() error {
			_, err := d.tx.ScheduleReceptionAs(dir, hall.ReceptionInput{Day: next.Format(time.DateOnly), Hours: "14:30-17:00",
				Leader: leader, Place: "营业厅二楼接待室", Topics: "优质服务意见征询"})
			return err
		}
	}
}

// Follow-up texts: a complaint's three steps, a bad rating's two.
var (
	complaintSteps = []struct {
		step hall.ComplaintStep
		note string
	}{
		{hall.StepContacted, "已电话联系客户，说明处理安排并致歉"},
		{hall.StepReplied, "已核实情况并答复客户，客户表示理解"},
		{hall.StepClosed, "整改措施已落实，客户对处理结果满意"},
	}
	badRatingSteps = []struct {
		kind hall.FollowUpKind
		note string
	}{
		{hall.FollowRectified, "已对营业员进行服务规范再培训"},
		{hall.FollowCalledBack, "已电话回访，客户表示认可"},
	}
)

// planFollowUps takes each complaint and bad rating due today one step
// further: complaints are contacted the next working day, replied to and
// closed within the week; bad ratings rectified, then called back. A few
// stall, so the desk has overdue work to show.
func (d *day) planFollowUps(dir string) {
	day := d.date.Format(time.DateOnly)
	p := d.p
	keep := p.followUps[:0]
	for _, f := range p.followUps {
		if f.done() {
			continue
		}
		keep = append(keep, f)
		if f.on > day || (f.stalled && f.step >= 1) {
			continue
		}
		at := d.open.Add(time.Duration(60+d.r.IntN(420)) * time.Minute)
		next := d.date.AddDate(0, 0, 1+d.r.IntN(3)).Format(time.DateOnly)
		d.push(at, evDesk, nil, nil).desk = func() error {
			if f.complaint {
				s := complaintSteps[f.step]
				if _, err := d.tx.AddComplaintStatusAs(dir, f.id, s.step, s.note); err != nil {
					return err
				}
			} else {
				s := badRatingSteps[f.step]
				if _, err := d.tx.AddRatingFollowUpAs(dir, f.id, s.kind, s.note); err != nil {
					return err
				}
			}
			f.step++
			f.on = next
			return nil
		}
	}
	p.followUps = keep
}

// done reports whether every step has been taken.
func (f *simFollowUp) done() bool {
	if f.complaint {
		return f.step >= len(complaintSteps)
	}
	return f.step >= len(badRatingSteps)
}
