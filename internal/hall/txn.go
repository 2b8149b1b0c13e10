package hall

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Tx is one unit of work on the hall. Each operation checks everything
// before it changes anything, so a refused operation leaves the hall as it
// was; the whole Tx is then written to the store in one transaction. Seed
// and imports run many operations in one Tx; every other caller goes through
// Local's methods, one operation per Tx.
type Tx struct {
	st    *state
	clock Clock

	mutated bool
	// callAnswer is the encoded answer of the named call (WithCallKey).
	callAnswer []byte
	tickets    []*Ticket
	tSeen      map[string]bool
	counters   []int
	cSeen      map[int]bool
	services   []*ServiceRecord
	sSeen      map[string]bool
	types      []string
	staff      []string
	sessions   []*sessionState
	// matters
	escalations []*Escalation
	proxies     []*Proxy
	complaints  []*Complaint
	faults      []*FaultReport
	ratings     []*Rating
	notices     []*Notice
	roster      []RosterDay
	logs        []*LogEntry
	statuses    []ComplaintStatus
	followUps   []RatingFollowUp
	receptions  []*ReceptionDay
	visits      []*Visit
	visitNotes  []VisitNote
	patrols     []Patrol
	calendar    bool
	emergency   bool
	scripts     bool
	hall        bool
	policy      bool
	events      []Event
}

func newTx(st *state, clock Clock) *Tx {
	return &Tx{st: st, clock: clock, tSeen: map[string]bool{}, cSeen: map[int]bool{}, sSeen: map[string]bool{}}
}

// now is the operation's time, in UTC at the store's millisecond precision so
// that what is in memory equals what a restart reads back.
func (tx *Tx) now() time.Time { return tx.clock.Now().UTC().Truncate(time.Millisecond) }

func (tx *Tx) touchTicket(t *Ticket) {
	tx.mutated = true
	if !tx.tSeen[t.ID] {
		tx.tSeen[t.ID] = true
		tx.tickets = append(tx.tickets, t)
	}
}

func (tx *Tx) touchCounter(c *Counter) {
	tx.mutated = true
	if !tx.cSeen[c.No] {
		tx.cSeen[c.No] = true
		tx.counters = append(tx.counters, c.No)
	}
}

func (tx *Tx) touchService(s *ServiceRecord) {
	tx.mutated = true
	if !tx.sSeen[s.ID] {
		tx.sSeen[s.ID] = true
		tx.services = append(tx.services, s)
	}
}

func (tx *Tx) emit(kind Kind, at time.Time, payload any) error {
	e, err := newEvent(kind, at, payload)
	if err != nil {
		return err
	}
	tx.mutated = true
	tx.events = append(tx.events, e)
	return nil
}

// change collects what the Tx touched, as rows to write.
func (tx *Tx) change() *Change {
	st := tx.st
	c := &Change{Events: tx.events}
	if tx.hall {
		h := st.hall
		c.Hall = &h
	}
	if tx.policy {
		p := st.policy
		c.Policy = &p
	}
	for _, code := range tx.types {
		c.Types = append(c.Types, *st.types[code])
	}
	seenStaff := map[string]bool{}
	for _, no := range tx.staff {
		if !seenStaff[no] {
			seenStaff[no] = true
			c.Staff = append(c.Staff, *st.staff[no])
		}
	}
	for _, no := range tx.counters {
		cc := *st.counters[no]
		cc.Types = slices.Clone(cc.Types)
		c.Counters = append(c.Counters, cc)
	}
	for _, t := range tx.tickets {
		c.Tickets = append(c.Tickets, *t)
	}
	for _, s := range tx.services {
		c.Services = append(c.Services, *s)
	}
	c.Escalations, c.Proxies, c.Complaints, c.Faults = deref(tx.escalations), deref(tx.proxies), deref(tx.complaints), deref(tx.faults)
	c.Ratings, c.Notices = deref(tx.ratings), deref(tx.notices)
	c.Roster, c.Logs, c.Statuses, c.FollowUps = tx.roster, deref(tx.logs), tx.statuses, tx.followUps
	c.Receptions, c.Visits, c.VisitNotes, c.Patrols = deref(tx.receptions), deref(tx.visits), tx.visitNotes, tx.patrols
	if tx.calendar {
		cal := st.calendar
		c.Calendar = &cal
	}
	if tx.emergency {
		em := st.emergency
		c.Emergency = &em
	}
	if tx.scripts {
		sc := st.scripts
		c.Scripts = &sc
	}
	for _, s := range tx.sessions {
		c.Sessions = append(c.Sessions, s.rec)
		s.dirty = false
	}
	return c
}

// requireConfigured starts every operation: the hall must be set up, and
// the hall moves to a new day first if midnight has passed since the last
// operation, even within one Tx.
func (tx *Tx) requireConfigured() error {
	if !tx.st.configured {
		return ErrNotConfigured
	}
	now := tx.now()
	if err := tx.expireRatings(now); err != nil {
		return err
	}
	return tx.rollover(now)
}

// rollover moves the hall to the local day at now. Tickets of earlier days
// still waiting or called end 未办结 with a record; a service in progress
// goes on until its clerk finishes it. Numbers start again from 1.
func (tx *Tx) rollover(now time.Time) error {
	st := tx.st
	if !st.configured {
		return nil
	}
	today := st.localDay(now)
	if st.day == "" {
		st.day = today
		return nil
	}
	if today <= st.day { // same day, or the clock stepped back: keep the day
		return nil
	}
	closed, err := tx.closeOpen(now, func(t *Ticket) bool { return t.Day < today })
	if err != nil {
		return err
	}
	// The director's close already recorded the day unless tickets came after it.
	if !st.dayClosed || len(closed) > 0 {
		if err := tx.emit(KindDayClosed, now, DayClose{Day: st.day, Unfinished: closed}); err != nil {
			return err
		}
	}
	for id, t := range st.tickets {
		if !t.State.Open() {
			delete(st.tickets, id)
		}
	}
	if err := tx.endDaySessions(now); err != nil {
		return err
	}
	// Every window learns of the new day, even when nothing was left to close.
	if err := tx.emit(KindDayOpened, now, DayClose{Day: today, Unfinished: []string{}}); err != nil {
		return err
	}
	st.day, st.dayClosed = today, false
	clear(st.numbers)
	clear(st.clerkDay)
	clear(st.ratingDay)
	tx.mutated = true
	return nil
}

// closeOpen ends as 未办结 every waiting or called ticket that match selects.
func (tx *Tx) closeOpen(now time.Time, match func(*Ticket) bool) ([]string, error) {
	st := tx.st
	var victims []*Ticket
	for _, t := range st.tickets {
		if (t.State == Waiting || t.State == Called) && match(t) {
			victims = append(victims, t)
		}
	}
	slices.SortFunc(victims, func(a, b *Ticket) int { return strings.Compare(a.ID, b.ID) })
	numbers := []string{}
	for _, t := range victims {
		if t.State == Called {
			if c := st.counters[t.Counter]; c != nil && c.Current == t.ID {
				c.Current = ""
				tx.touchCounter(c)
			}
		}
		st.q.remove(t.ID)
		t.State, t.EndedAt = Unfinished, now
		tx.touchTicket(t)
		if err := tx.emit(KindTicketUnfinish, now, TicketEvent{Ticket: *t}); err != nil {
			return nil, err
		}
		numbers = append(numbers, t.Number)
	}
	return numbers, nil
}

// CloseDay ends the business day: every ticket still waiting or called ends
// 未办结 with a record. Numbering goes on until local midnight.
func (tx *Tx) CloseDay() (DayClose, error) {
	if err := tx.requireConfigured(); err != nil {
		return DayClose{}, err
	}
	now := tx.now()
	closed, err := tx.closeOpen(now, func(*Ticket) bool { return true })
	if err != nil {
		return DayClose{}, err
	}
	dc := DayClose{Day: tx.st.day, Unfinished: closed}
	tx.st.dayClosed = true
	return dc, tx.emit(KindDayClosed, now, dc)
}

// Issue hands out the next number of a business type.
func (tx *Tx) Issue(typeCode string, p Priority) (Ticket, error) {
	if err := tx.requireConfigured(); err != nil {
		return Ticket{}, err
	}
	st := tx.st
	// Outside today's opening hours no ticket is issued (openhours.go).
	if err := st.checkOpen(tx.now()); err != nil {
		return Ticket{}, err
	}
	bt := st.types[typeCode]
	switch {
	case bt == nil:
		return Ticket{}, ErrUnknownType.WithMessage("没有这个业务类型", "unknown business type %q", typeCode)
	case bt.Retired:
		return Ticket{}, ErrTypeRetired.WithMessagef("「%s」已停办", []string{bt.Name}, "business type %q is retired", typeCode)
	case !p.Valid():
		return Ticket{}, ErrInvalidPriority.WithMessage("优先类别有误", "priority %d", p)
	case bt.DailyCap > 0 && st.numbers[bt.Prefix] >= bt.DailyCap:
		return Ticket{}, ErrDailyCap.WithMessagef("「%s」今日号已取完", []string{bt.Name}, "daily cap %d reached for %q", bt.DailyCap, bt.Code)
	}
	id, err := newID()
	if err != nil {
		return Ticket{}, err
	}
	now := tx.now()
	seq := st.numbers[bt.Prefix] + 1
	t := &Ticket{
		ID: id, Day: st.day, Prefix: bt.Prefix, Seq: seq, Number: FormatNumber(bt.Prefix, seq),
		Type: bt.Code, Priority: p, State: Waiting, IssuedAt: now, Order: st.nextOrd,
	}
	st.numbers[bt.Prefix] = seq
	st.nextOrd++
	st.tickets[t.ID] = t
	st.q.add(t)
	tx.touchTicket(t)
	return *t, tx.emit(KindTicketIssued, now, TicketEvent{Ticket: *t})
}

// clerkAt checks a counter and a clerk for an action there.
func (tx *Tx) clerkAt(no int, clerk string) (*Counter, error) {
	if err := tx.requireConfigured(); err != nil {
		return nil, err
	}
	c := tx.st.counters[no]
	if c == nil {
		return nil, ErrUnknownCounter.WithMessage("没有这个窗口", "no counter %d", no)
	}
	if s := tx.st.staff[clerk]; s == nil || !s.Active {
		return nil, ErrUnknownStaff.WithMessage("工号不存在或已停用", "no active staff %q", clerk)
	}
	return c, nil
}

// current returns the counter's ticket, requiring one of the given states.
func (tx *Tx) current(c *Counter, want ...TicketState) (*Ticket, error) {
	t := tx.st.tickets[c.Current]
	if c.Current == "" || t == nil {
		return nil, ErrNoCurrentTicket
	}
	if !slices.Contains(want, t.State) {
		if want[0] == Serving {
			return nil, ErrNotServing.WithMessagef("%s号不在办理状态", []string{t.Number}, "ticket %s is %s", t.Number, t.State)
		}
		return nil, ErrNotCalled.WithMessagef("%s号不在呼叫状态", []string{t.Number}, "ticket %s is %s", t.Number, t.State)
	}
	return t, nil
}

// CallNext calls the next ticket for a counter by the queue policy.
func (tx *Tx) CallNext(no int, clerk string) (Call, error) {
	c, err := tx.clerkAt(no, clerk)
	if err != nil {
		return Call{}, err
	}
	st := tx.st
	switch {
	case c.State != CounterOpen:
		return Call{}, ErrCounterNotOpen.WithMessagef("%s未开放（%s），不能呼叫", []string{c.Name, c.State.Label()}, "counter %d is %s", no, c.State)
	case c.Current != "":
		return Call{}, ErrCounterBusy
	}
	t, passedNormal := st.q.pick(c, st.policy.MaxPriorityRun)
	if t == nil {
		return Call{}, ErrNothingWaiting
	}
	now := tx.now()
	apologise := c.LastServiceDur > st.policy.ApologyAfterService || t.Waited(now) > st.policy.ApologyAfterWait
	st.q.remove(t.ID)
	t.State, t.Counter, t.CalledAt, t.Recalls, t.Apologise = Called, no, now, 0, apologise
	if t.FirstCalledAt.IsZero() {
		t.FirstCalledAt = now
	}
	if t.Owner == "" {
		t.Owner = clerk
	}
	switch {
	case t.Priority.IsPriority() && passedNormal:
		c.PriorityRun++
	case t.Priority.IsPriority():
		c.PriorityRun = 0 // nobody was passed over
	default:
		c.PriorityRun = 0
	}
	c.Current, c.Clerk, c.LastServiceDur = t.ID, clerk, 0
	tx.touchTicket(t)
	tx.touchCounter(c)
	call := Call{Ticket: *t, Counter: no, Apologise: apologise}
	return call, tx.emit(KindTicketCalled, now, TicketEvent{Ticket: *t, Counter: no, Clerk: clerk, Apologise: apologise})
}

// Recall calls the counter's current ticket again (重呼).
func (tx *Tx) Recall(no int, clerk string) (Call, error) {
	c, err := tx.clerkAt(no, clerk)
	if err != nil {
		return Call{}, err
	}
	t, err := tx.current(c, Called)
	if err != nil {
		return Call{}, err
	}
	now := tx.now()
	t.Recalls++
	t.CalledAt = now
	tx.touchTicket(t)
	return Call{Ticket: *t, Counter: no, Recall: true}, tx.emit(KindTicketRecalled, now, TicketEvent{Ticket: *t, Counter: no, Clerk: clerk})
}

// Start begins serving the called customer, who has come to the counter.
func (tx *Tx) Start(no int, clerk string) (Ticket, error) {
	c, err := tx.clerkAt(no, clerk)
	if err != nil {
		return Ticket{}, err
	}
	t, err := tx.current(c, Called)
	if err != nil {
		return Ticket{}, err
	}
	id, err := newID()
	if err != nil {
		return Ticket{}, err
	}
	now := tx.now()
	t.State, t.StartedAt = Serving, now
	s := &ServiceRecord{
		ID: id, TicketID: t.ID, Number: t.Number, Type: t.Type, Priority: t.Priority,
		Counter: no, Clerk: clerk, Owner: t.Owner, CalledAt: t.CalledAt, StartedAt: now,
		Apologised: t.Apologise,
	}
	tx.st.open[no] = s
	c.Clerk = clerk
	tx.touchTicket(t)
	tx.touchService(s)
	tx.touchCounter(c)
	return *t, tx.emit(KindTicketStarted, now, TicketEvent{Ticket: *t, Counter: no, Clerk: clerk, Service: s})
}

// endService closes the counter's open service with an outcome.
func (tx *Tx) endService(c *Counter, now time.Time, o Outcome) *ServiceRecord {
	s := tx.st.open[c.No]
	if s == nil {
		return nil
	}
	s.EndedAt, s.Outcome = now, o
	delete(tx.st.open, c.No)
	c.LastServiceDur = s.Duration()
	tx.touchService(s)
	return s
}

// Finish ends the service of the counter's current customer (办结).
func (tx *Tx) Finish(no int, clerk string) (ServiceRecord, error) {
	c, err := tx.clerkAt(no, clerk)
	if err != nil {
		return ServiceRecord{}, err
	}
	t, err := tx.current(c, Serving)
	if err != nil {
		return ServiceRecord{}, err
	}
	now := tx.now()
	s := tx.endService(c, now, OutcomeDone)
	if s == nil { // a serving ticket always has its service; refuse rather than guess
		return ServiceRecord{}, ErrNotServing
	}
	s.Clerk = clerk
	tx.st.countService(s)
	if err := tx.openRating(s, now); err != nil {
		return ServiceRecord{}, err
	}
	t.State, t.EndedAt = Done, now
	c.Current, c.Clerk = "", clerk
	tx.touchTicket(t)
	tx.touchCounter(c)
	return *s, tx.emit(KindTicketFinished, now, TicketEvent{Ticket: *t, Counter: no, Clerk: clerk, Service: s})
}

// NoShow marks the called customer as absent (过号) after enough recalls.
func (tx *Tx) NoShow(no int, clerk string) (Ticket, error) {
	c, err := tx.clerkAt(no, clerk)
	if err != nil {
		return Ticket{}, err
	}
	t, err := tx.current(c, Called)
	if err != nil {
		return Ticket{}, err
	}
	if need := tx.st.policy.NoShowAfterRecalls; t.Recalls < need {
		return Ticket{}, ErrRecallFirst.WithMessagef("请先重呼：过号前须重呼%s次，已重呼%s次", []string{strconv.Itoa(need), strconv.Itoa(t.Recalls)}, "ticket %s recalled %d of %d", t.Number, t.Recalls, need)
	}
	now := tx.now()
	t.State, t.EndedAt = NoShow, now
	c.Current, c.Clerk = "", clerk
	tx.touchTicket(t)
	tx.touchCounter(c)
	return *t, tx.emit(KindTicketNoShow, now, TicketEvent{Ticket: *t, Counter: no, Clerk: clerk})
}

// Requeue puts a no-show ticket back at the end of its queue, once.
func (tx *Tx) Requeue(id string) (Ticket, error) {
	if err := tx.requireConfigured(); err != nil {
		return Ticket{}, err
	}
	st := tx.st
	t := st.tickets[id]
	switch {
	case t == nil:
		return Ticket{}, ErrUnknownTicket
	case !st.policy.AllowRequeue:
		return Ticket{}, ErrRequeueDisabled
	case t.State != NoShow:
		return Ticket{}, ErrNotNoShow.WithMessagef("%s号不是过号状态，不能重新排队", []string{t.Number}, "ticket %s is %s", t.Number, t.State)
	case t.Requeued:
		return Ticket{}, ErrRequeueUsed.WithMessagef("%s号已重新排队过一次", []string{t.Number}, "ticket %s already requeued", t.Number)
	}
	now := tx.now()
	t.State, t.Requeued, t.Counter, t.Recalls = Waiting, true, 0, 0
	t.EndedAt = time.Time{}
	t.Order = st.nextOrd
	st.nextOrd++
	st.q.add(t)
	tx.touchTicket(t)
	return *t, tx.emit(KindTicketRequeued, now, TicketEvent{Ticket: *t})
}

// Transfer passes the counter's current customer to another business type or
// counter. The first clerk stays the owner (首问负责制, clause 4.1.6) and the
// ticket keeps its place, so the customer does not queue again.
func (tx *Tx) Transfer(no int, clerk string, to TransferTarget) (Ticket, error) {
	c, err := tx.clerkAt(no, clerk)
	if err != nil {
		return Ticket{}, err
	}
	t, err := tx.current(c, Called, Serving)
	if err != nil {
		return Ticket{}, err
	}
	st := tx.st
	if to.Type == "" && to.Counter == 0 {
		return Ticket{}, ErrInvalid.WithMessage("请选择转移到的业务类型或窗口", "transfer without a target")
	}
	if to.Type != "" {
		bt := st.types[to.Type]
		if bt == nil {
			return Ticket{}, ErrUnknownType.WithMessage("没有这个业务类型", "unknown business type %q", to.Type)
		}
		if bt.Retired {
			return Ticket{}, ErrTypeRetired.WithMessagef("「%s」已停办", []string{bt.Name}, "business type %q is retired", to.Type)
		}
	}
	if to.Counter != 0 {
		tc := st.counters[to.Counter]
		switch {
		case tc == nil:
			return Ticket{}, ErrUnknownCounter.WithMessage("没有这个窗口", "no counter %d", to.Counter)
		case tc.No == no:
			return Ticket{}, ErrInvalid.WithMessage("不能转移到本窗口", "transfer to own counter %d", no)
		case tc.State == CounterClosed:
			return Ticket{}, ErrCounterNotOpen.WithMessagef("%s已关闭，不能转移过去", []string{tc.Name}, "counter %d is closed", to.Counter)
		}
	}
	now := tx.now()
	from := &TransferTarget{Type: t.Type, Counter: no}
	if t.State == Serving {
		tx.endService(c, now, OutcomeTransferred)
	}
	if to.Type != "" {
		t.Type = to.Type
	}
	t.TargetCounter = to.Counter
	t.State, t.Counter, t.Recalls, t.StartedAt = Waiting, 0, 0, time.Time{}
	t.Transfers++
	st.q.add(t)
	c.Current, c.Clerk = "", clerk
	tx.touchTicket(t)
	tx.touchCounter(c)
	return *t, tx.emit(KindTicketTransfer, now, TicketEvent{Ticket: *t, Counter: no, Clerk: clerk, From: from})
}

// Cancel withdraws a waiting ticket (the customer left, or a wrong press).
func (tx *Tx) Cancel(id string) (Ticket, error) {
	if err := tx.requireConfigured(); err != nil {
		return Ticket{}, err
	}
	t := tx.st.tickets[id]
	if t == nil {
		return Ticket{}, ErrUnknownTicket
	}
	if t.State != Waiting {
		return Ticket{}, ErrNotWaiting.WithMessagef("%s号不在等候状态，不能取消", []string{t.Number}, "ticket %s is %s", t.Number, t.State)
	}
	now := tx.now()
	tx.st.q.remove(t.ID)
	t.State, t.EndedAt = Cancelled, now
	tx.touchTicket(t)
	return *t, tx.emit(KindTicketCancelled, now, TicketEvent{Ticket: *t})
}

// SetCounterState opens, pauses or closes a counter. A counter with a
// customer may pause but not close.
func (tx *Tx) SetCounterState(no int, s CounterState, by string) (Counter, error) {
	if err := tx.requireConfigured(); err != nil {
		return Counter{}, err
	}
	c := tx.st.counters[no]
	switch {
	case c == nil:
		return Counter{}, ErrUnknownCounter.WithMessage("没有这个窗口", "no counter %d", no)
	case !s.Valid():
		return Counter{}, ErrInvalid.WithMessage("窗口状态有误", "counter state %q", s)
	case s == CounterClosed && c.Current != "":
		return Counter{}, ErrCounterBusy.WithMessagef("%s还有客户未办结，不能关闭", []string{c.Name}, "counter %d has a ticket", no)
	}
	if by != "" {
		if m := tx.st.staff[by]; m == nil || !m.Active {
			return Counter{}, ErrUnknownStaff.WithMessage("工号不存在或已停用", "no active staff %q", by)
		}
	}
	c.State = s
	tx.touchCounter(c)
	return *c, tx.emit(KindCounterState, tx.now(), CounterEvent{Counter: *c, Clerk: by})
}

var (
	prefixRE  = regexp.MustCompile(`^[A-Z]{1,2}$`)
	codeRE    = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)
	staffNoRE = regexp.MustCompile(`^[0-9A-Za-z]{1,16}$`)
)

func validName(s string, max int) bool {
	s = strings.TrimSpace(s)
	return s != "" && utf8.RuneCountInString(s) <= max
}

// checkType validates a business type against the others.
func (tx *Tx) checkType(bt BusinessType) error {
	switch {
	case !codeRE.MatchString(bt.Code):
		return ErrInvalid.WithMessage("业务代码须为小写字母开头的英文字母、数字或下划线", "bad type code %q", bt.Code)
	case !validName(bt.Name, 20):
		return ErrInvalid.WithMessage("业务名称不能为空，且不超过20个字", "bad type name %q", bt.Name)
	case !prefixRE.MatchString(bt.Prefix):
		return ErrInvalid.WithMessage("号码前缀须为1到2个大写英文字母", "bad prefix %q", bt.Prefix)
	case bt.DailyCap < 0:
		return ErrInvalid.WithMessage("每日限号不能为负数", "negative daily cap")
	}
	for _, o := range tx.st.types {
		if o.Code != bt.Code && !o.Retired && o.Prefix == bt.Prefix {
			return ErrDuplicatePrefix.WithMessagef("前缀%s已被「%s」使用", []string{bt.Prefix, o.Name}, "prefix %s used by %s", bt.Prefix, o.Code)
		}
	}
	return nil
}

// checkCounter validates a counter's configuration.
func (tx *Tx) checkCounter(c Counter, types map[string]*BusinessType) error {
	if c.No < 1 || c.No > 999 {
		return ErrInvalid.WithMessage("窗口号须在1到999之间", "counter number %d", c.No)
	}
	if !validName(c.Name, 20) {
		return ErrInvalid.WithMessage("窗口名称不能为空，且不超过20个字", "bad counter name %q", c.Name)
	}
	if len(c.Types) == 0 {
		return ErrInvalid.WithMessagef("%s至少要办理一种业务", []string{c.Name}, "counter %d serves nothing", c.No)
	}
	for _, code := range c.Types {
		if types[code] == nil {
			return ErrUnknownType.WithMessagef("%s的业务类型不存在：%s", []string{c.Name, code}, "counter %d: unknown type %q", c.No, code)
		}
	}
	return nil
}

func checkStaff(s Staff) error {
	switch {
	case !staffNoRE.MatchString(s.No):
		return ErrInvalid.WithMessage("工号须为1到16位字母或数字", "bad staff number %q", s.No)
	case !validName(s.Name, 20):
		return ErrInvalid.WithMessage("姓名不能为空，且不超过20个字", "bad staff name")
	case s.Role != RoleClerk && s.Role != RoleDirector && s.Role != RoleAdmin:
		return ErrInvalid.WithMessage("岗位有误", "bad role %q", s.Role)
	}
	return nil
}

// Setup configures a new hall in one step.
func (tx *Tx) Setup(cfg Config) error {
	st := tx.st
	if st.configured {
		return ErrAlreadyConfigured
	}
	if !validName(cfg.Hall.Name, 40) || !validName(cfg.Hall.Code, 32) {
		return ErrInvalid.WithMessage("营业厅名称和编码不能为空", "hall name or code empty")
	}
	if cfg.Hall.TimeZone == "" {
		cfg.Hall.TimeZone = "Asia/Shanghai"
	}
	loc, err := time.LoadLocation(cfg.Hall.TimeZone)
	if err != nil {
		return ErrInvalid.WithMessage("时区设置有误", "time zone %q: %v", cfg.Hall.TimeZone, err)
	}
	if err := cfg.Policy.Validate(); err != nil {
		return err
	}
	if len(cfg.Types) == 0 || len(cfg.Counters) == 0 {
		return ErrInvalid.WithMessage("至少要有一种业务和一个窗口", "setup without types or counters")
	}
	// Validate against a scratch copy, so that nothing changes on error.
	scratch := &Tx{st: &state{types: map[string]*BusinessType{}}}
	for _, bt := range cfg.Types {
		bt.Retired = false
		if scratch.st.types[bt.Code] != nil {
			return ErrInvalid.WithMessagef("业务代码重复：%s", []string{bt.Code}, "duplicate type %q", bt.Code)
		}
		if err := scratch.checkType(bt); err != nil {
			return err
		}
		scratch.st.types[bt.Code] = &bt
	}
	seenC := map[int]bool{}
	for _, c := range cfg.Counters {
		if seenC[c.No] {
			return ErrInvalid.WithMessagef("窗口号重复：%s", []string{strconv.Itoa(c.No)}, "duplicate counter %d", c.No)
		}
		seenC[c.No] = true
		if err := scratch.checkCounter(c, scratch.st.types); err != nil {
			return err
		}
	}
	seenS := map[string]bool{}
	for _, s := range cfg.Staff {
		if seenS[s.No] {
			return ErrInvalid.WithMessagef("工号重复：%s", []string{s.No}, "duplicate staff %q", s.No)
		}
		seenS[s.No] = true
		if err := checkStaff(s); err != nil {
			return err
		}
	}

	now := tx.now()
	st.configured, st.hall, st.loc, st.policy = true, cfg.Hall, loc, cfg.Policy
	st.types = scratch.st.types
	for code := range st.types {
		tx.types = append(tx.types, code)
	}
	slices.Sort(tx.types)
	for _, c := range cfg.Counters {
		c := Counter{No: c.No, Name: c.Name, Types: slices.Clone(c.Types), State: c.State}
		if !c.State.Valid() {
			c.State = CounterOpen
		}
		st.counters[c.No] = &c
		tx.touchCounter(&c)
	}
	for _, s := range cfg.Staff {
		s := s
		st.staff[s.No] = &s
		tx.staff = append(tx.staff, s.No)
	}
	st.day = st.localDay(now)
	tx.hall, tx.policy, tx.mutated = true, true, true
	return tx.emit(KindHallSetup, now, st.config())
}

// SetPolicy replaces the hall's queue and service rules.
func (tx *Tx) SetPolicy(p Policy) error {
	if err := tx.requireConfigured(); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	tx.st.policy = p
	tx.policy = true
	return tx.emit(KindPolicySet, tx.now(), p)
}

// SaveType adds a business type or renames, re-prefixes or re-caps one.
// Tickets already issued keep their numbers; a retired type stays retired.
func (tx *Tx) SaveType(bt BusinessType) (BusinessType, error) {
	if err := tx.requireConfigured(); err != nil {
		return BusinessType{}, err
	}
	if old := tx.st.types[bt.Code]; old != nil {
		bt.Retired = old.Retired
	} else {
		bt.Retired = false
	}
	if err := tx.checkType(bt); err != nil {
		return BusinessType{}, err
	}
	tx.st.types[bt.Code] = &bt
	tx.types = append(tx.types, bt.Code)
	return bt, tx.emit(KindTypeSaved, tx.now(), bt)
}

// RetireType stops issuing a business type. Its history stays.
func (tx *Tx) RetireType(code string) (BusinessType, error) {
	if err := tx.requireConfigured(); err != nil {
		return BusinessType{}, err
	}
	bt := tx.st.types[code]
	if bt == nil {
		return BusinessType{}, ErrUnknownType
	}
	for _, m := range tx.st.q.byTicket {
		if m.e.t.Type == code {
			return BusinessType{}, ErrTypeInUse.WithMessagef("「%s」还有客户在等候，暂不能停办", []string{bt.Name}, "type %q has waiting tickets", code)
		}
	}
	bt.Retired = true
	tx.types = append(tx.types, code)
	tx.mutated = true
	return *bt, tx.emit(KindTypeRetired, tx.now(), *bt)
}

// SaveCounter adds a counter or changes its name and business types. Its
// open/paused/closed state changes only through SetCounterState.
func (tx *Tx) SaveCounter(c Counter) (Counter, error) {
	if err := tx.requireConfigured(); err != nil {
		return Counter{}, err
	}
	if err := tx.checkCounter(c, tx.st.types); err != nil {
		return Counter{}, err
	}
	cur := tx.st.counters[c.No]
	if cur == nil {
		cur = &Counter{No: c.No, State: CounterClosed}
		tx.st.counters[c.No] = cur
	}
	cur.Name, cur.Types = strings.TrimSpace(c.Name), slices.Clone(c.Types)
	tx.touchCounter(cur)
	return *cur, tx.emit(KindCounterSaved, tx.now(), CounterEvent{Counter: *cur})
}

// SaveStaff adds a member of staff or changes one.
func (tx *Tx) SaveStaff(s Staff) (Staff, error) {
	if err := tx.requireConfigured(); err != nil {
		return Staff{}, err
	}
	if err := checkStaff(s); err != nil {
		return Staff{}, err
	}
	if old := tx.st.staff[s.No]; old != nil && s.PINHash == nil {
		s.PINHash = old.PINHash // no new PIN given: keep the old one
	}
	if old := tx.st.staff[s.No]; old != nil {
		s.FailedPINs, s.Locked = old.FailedPINs, old.Locked
	}
	s.PIN = ""
	tx.st.staff[s.No] = &s
	tx.staff = append(tx.staff, s.No)
	tx.mutated = true
	return s.public(), tx.emit(KindStaffSaved, tx.now(), s.public())
}
