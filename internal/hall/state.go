package hall

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// state is the hall in memory: configuration, the current day's tickets and
// the queue index. Only a txn changes it, under Local's lock.
type state struct {
	configured bool
	hall       HallInfo
	loc        *time.Location
	policy     Policy
	types      map[string]*BusinessType
	counters   map[int]*Counter
	staff      map[string]*Staff

	day       string             // the hall's current local day
	tickets   map[string]*Ticket // today's tickets, and open ones of earlier days
	open      map[int]*ServiceRecord
	numbers   map[string]int // prefix -> last seq handed out on day
	dayClosed bool           // the director closed day; reset by the next day
	nextOrd   int64
	q         *queues
	lastSeq   int64

	sessions    map[string]*sessionState // by token hash
	scripts     Scripts
	escalations map[string]*Escalation // open, by ID, contacts in full
	proxies     map[string]*Proxy      // pending, by ID
	ratingReq   map[int]*RatingRequest // open rating requests, by counter
	ratingDay   map[string]map[RatingLevel]int
	notices     map[string]*Notice // not ended, by ID
	roster      map[string]*RosterDay
	calendar    Calendar
	complaints  map[string]*openComplaint // not yet closed, by ID
	badRatings  map[string]*openBad       // bad ratings not yet rectified and called back
	logIDs      map[string]bool           // every log entry's ID, for amendments
	receptions  map[string]*ReceptionDay  // every reception day
	visits      map[string]*openVisit     // reception visits not yet closed
	emergency   Emergency
	clerkDay    map[string]*clerkStat // staff number -> today's finished services
}

// clerkStat is one clerk's finished services today.
type clerkStat struct {
	n     int
	total time.Duration
}

func (st *state) sessionsSorted() []*sessionState {
	out := make([]*sessionState, 0, len(st.sessions))
	for _, s := range st.sessions {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *sessionState) int { return strings.Compare(a.rec.TokenHash, b.rec.TokenHash) })
	return out
}

func (st *state) countService(s *ServiceRecord) {
	if s.Outcome != OutcomeDone {
		return
	}
	c := st.clerkDay[s.Clerk]
	if c == nil {
		c = &clerkStat{}
		st.clerkDay[s.Clerk] = c
	}
	c.n++
	c.total += s.Duration()
}

func newState() *state {
	return &state{
		loc:         time.UTC,
		policy:      DefaultPolicy(),
		types:       make(map[string]*BusinessType),
		counters:    make(map[int]*Counter),
		staff:       make(map[string]*Staff),
		tickets:     make(map[string]*Ticket),
		open:        make(map[int]*ServiceRecord),
		numbers:     make(map[string]int),
		nextOrd:     1,
		q:           newQueues(),
		sessions:    make(map[string]*sessionState),
		scripts:     DefaultScripts(),
		escalations: make(map[string]*Escalation),
		proxies:     make(map[string]*Proxy),
		ratingReq:   make(map[int]*RatingRequest),
		ratingDay:   make(map[string]map[RatingLevel]int),
		notices:     make(map[string]*Notice),
		roster:      make(map[string]*RosterDay),
		complaints:  make(map[string]*openComplaint),
		badRatings:  make(map[string]*openBad),
		logIDs:      make(map[string]bool),
		receptions:  make(map[string]*ReceptionDay),
		visits:      make(map[string]*openVisit),
		clerkDay:    make(map[string]*clerkStat),
	}
}

// stateFrom rebuilds the in-memory hall from a store's snapshot.
func stateFrom(s Snapshot) (*state, error) {
	st := newState()
	st.configured = s.Configured
	st.lastSeq = s.LastSeq
	if !s.Configured {
		return st, nil
	}
	loc, err := time.LoadLocation(s.Hall.TimeZone)
	if err != nil {
		return nil, ErrInvalid.WithMessage("时区设置有误", "load time zone %q: %v", s.Hall.TimeZone, err)
	}
	st.hall, st.loc, st.policy = s.Hall, loc, s.Policy
	for i := range s.Types {
		t := s.Types[i]
		st.types[t.Code] = &t
	}
	for i := range s.Counters {
		c := s.Counters[i]
		c.Types = slices.Clone(c.Types)
		st.counters[c.No] = &c
	}
	for i := range s.Staff {
		m := s.Staff[i]
		st.staff[m.No] = &m
	}
	// The latest day with tickets is the day the hall was on; a rollover at
	// the first transaction moves it to today.
	for i := range s.Tickets {
		t := s.Tickets[i]
		if t.Day > st.day {
			st.day = t.Day
		}
		// Orders only grow, and the newest ticket and every requeued one
		// are among these: the highest here is the highest ever given.
		st.nextOrd = max(st.nextOrd, t.Order+1)
		st.tickets[t.ID] = &t
		if t.State == Waiting {
			st.q.add(&t)
		}
	}
	for _, n := range s.Numbers {
		if n.Day == st.day {
			st.numbers[n.Prefix] = n.Last
		}
	}
	for i := range s.Services {
		r := s.Services[i]
		if r.EndedAt.IsZero() {
			st.open[r.Counter] = &r
		} else if t := st.tickets[r.TicketID]; t != nil && t.Day == st.day {
			st.countService(&r)
		}
	}
	if s.Scripts != nil {
		st.scripts = *s.Scripts
	}
	for i := range s.Escalations {
		e := s.Escalations[i]
		st.escalations[e.ID] = &e
	}
	rated := map[string]bool{}
	for i := range s.Ratings {
		r := s.Ratings[i]
		rated[r.ServiceID] = true
		st.countRating(&r)
	}
	// A service that ended with no rating yet has its request open again;
	// the next operation records it 未评价 if its window has passed.
	for i := range s.Services {
		r := s.Services[i]
		if r.Outcome != OutcomeDone || rated[r.ID] {
			continue
		}
		if old := st.ratingReq[r.Counter]; old == nil || old.OpenedAt.Before(r.EndedAt) {
			st.ratingReq[r.Counter] = &RatingRequest{ServiceID: r.ID, TicketID: r.TicketID, Number: r.Number,
				Counter: r.Counter, Clerk: r.Clerk, OpenedAt: r.EndedAt, Deadline: r.EndedAt.Add(st.policy.ratingWindow())}
		}
	}
	if s.Calendar != nil {
		st.calendar = *s.Calendar
	}
	for i := range s.OpenComplaints {
		c := s.OpenComplaints[i]
		st.complaints[c.ID] = &openComplaint{c: c}
	}
	for _, cs := range s.ComplaintStatuses {
		if o := st.complaints[cs.ComplaintID]; o != nil {
			o.statuses = append(o.statuses, cs)
		}
	}
	for i := range s.OpenBadRatings {
		r := s.OpenBadRatings[i]
		st.badRatings[r.ID] = &openBad{r: r}
	}
	for _, f := range s.RatingFollowUps {
		if o := st.badRatings[f.RatingID]; o != nil {
			o.followUps = append(o.followUps, f)
		}
	}
	for i := range s.Roster {
		r := s.Roster[i]
		st.roster[r.Day] = &r
	}
	for i := range s.Receptions {
		r := s.Receptions[i]
		st.receptions[r.ID] = &r
	}
	for i := range s.OpenVisits {
		v := s.OpenVisits[i]
		st.visits[v.ID] = &openVisit{v: v}
	}
	for _, n := range s.VisitNotes {
		if o := st.visits[n.VisitID]; o != nil {
			o.notes = append(o.notes, n)
		}
	}
	for _, id := range s.LogIDs {
		st.logIDs[id] = true
	}
	if s.Emergency != nil {
		st.emergency = *s.Emergency
	}
	for i := range s.Notices {
		n := s.Notices[i]
		st.notices[n.ID] = &n
	}
	for i := range s.Proxies {
		p := s.Proxies[i]
		st.proxies[p.ID] = &p
	}
	for _, r := range s.Sessions {
		if r.Ended.IsZero() {
			st.sessions[r.TokenHash] = &sessionState{rec: r}
		}
	}
	return st, nil
}

// localDay is the hall's calendar day at t.
func (st *state) localDay(t time.Time) string { return t.In(st.loc).Format(time.DateOnly) }

// sortedTypes returns the business types in display order.
func (st *state) sortedTypes() []BusinessType {
	out := make([]BusinessType, 0, len(st.types))
	for _, t := range st.types {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b BusinessType) int {
		return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.Code, b.Code))
	})
	return out
}

// sortedCounters returns the counters by number.
func (st *state) sortedCounters() []Counter {
	out := make([]Counter, 0, len(st.counters))
	for _, c := range st.counters {
		cc := *c
		cc.Types = slices.Clone(c.Types)
		out = append(out, cc)
	}
	slices.SortFunc(out, func(a, b Counter) int { return cmp.Compare(a.No, b.No) })
	return out
}

func (st *state) sortedStaff() []Staff {
	out := make([]Staff, 0, len(st.staff))
	for _, s := range st.staff {
		out = append(out, s.public())
	}
	slices.SortFunc(out, func(a, b Staff) int { return cmp.Compare(a.No, b.No) })
	return out
}

func (st *state) config() Config {
	return Config{Hall: st.hall, Policy: st.policy, Types: st.sortedTypes(), Counters: st.sortedCounters(), Staff: st.sortedStaff()}
}

// overview summarises the hall for screens.
func (st *state) overview(now time.Time) Overview {
	o := Overview{Hall: st.hall, Day: st.day, Now: now, Waiting: st.q.len(), LastSeq: st.lastSeq, OpenHours: slices.Clone(st.policy.OpenHours)}
	waiting := make(map[string][2]int)
	for _, m := range st.q.byTicket {
		w := waiting[m.e.t.Type]
		if m.e.t.Priority.IsPriority() {
			w[1]++
		}
		w[0]++
		waiting[m.e.t.Type] = w
	}
	for _, t := range st.sortedTypes() {
		w := waiting[t.Code]
		o.Types = append(o.Types, TypeStat{Type: t, Waiting: w[0], WaitingPriority: w[1], Issued: st.numbers[t.Prefix]})
	}
	for _, c := range st.sortedCounters() {
		v := CounterView{Counter: c}
		if t := st.tickets[c.Current]; c.Current != "" && t != nil {
			tt := *t
			v.Ticket = &tt
		}
		o.Counters = append(o.Counters, v)
	}
	return o
}
