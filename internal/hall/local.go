package hall

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Local is the hall in this process: the domain state in memory, written
// through to a Store one transaction per operation. It is safe for
// concurrent use; operations are serialised, as there is one writer.
type Local struct {
	store   Store
	clock   Clock
	pinCost int // bcrypt cost for PINs

	mu      sync.Mutex
	st      *state
	changed chan struct{} // closed and replaced on every commit
}

// Option tunes Open.
type Option func(*Local)

// WithPINCost sets the bcrypt cost of PIN hashes (default bcrypt's own
// default). Tests lower it; a hall never should.
func WithPINCost(cost int) Option { return func(l *Local) { l.pinCost = cost } }

// Open loads the hall from its store and brings it to the current day.
func Open(ctx context.Context, store Store, clock Clock, opts ...Option) (*Local, error) {
	if clock == nil {
		clock = SystemClock{}
	}
	l := &Local{store: store, clock: clock, pinCost: bcrypt.DefaultCost, changed: make(chan struct{})}
	for _, o := range opts {
		o(l)
	}
	if err := l.reload(ctx); err != nil {
		return nil, err
	}
	// Close out an earlier day now, so the restored queue is today's.
	if err := l.Batch(ctx, func(*Tx) error { return nil }); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *Local) reload(ctx context.Context) error {
	snap, err := l.store.Load(ctx)
	if err != nil {
		return fmt.Errorf("load hall: %w", err)
	}
	st, err := stateFrom(snap)
	if err != nil {
		return err
	}
	l.st = st
	return nil
}

// Batch runs fn as one transaction: every operation fn performs on tx is
// written together, or none is. If fn fails, nothing is written and the
// hall is as before.
func (l *Local) Batch(ctx context.Context, fn func(tx *Tx) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.batchLocked(ctx, fn)
}

func (l *Local) batchLocked(ctx context.Context, fn func(tx *Tx) error) error {
	tx := newTx(l.st, l.clock)
	var err error
	if l.st.configured {
		err = tx.expireRatings(tx.now())
	}
	if err == nil {
		err = tx.rollover(tx.now())
	}
	if err == nil {
		err = fn(tx)
	}
	// A refusal that is itself a fact (a wrong PIN) is written, then returned.
	var refusal error
	if ce, ok := err.(committedError); ok {
		refusal, err = ce.error, nil
	}
	mark := callKeyOf(ctx)
	if err == nil && tx.mutated {
		c := tx.change()
		if mark != nil {
			c.CallKey = mark.key
			if refusal == nil {
				c.CallAnswer = tx.callAnswer
			}
		}
		var seqs []int64
		seqs, err = l.store.Commit(ctx, c)
		if err != nil {
			err = fmt.Errorf("%w: %w", ErrStore, err)
		} else {
			if n := len(seqs); n > 0 {
				l.st.lastSeq = seqs[n-1]
			}
			if mark != nil {
				mark.committed.Store(true)
				if c.CallAnswer != nil {
					mark.answer.Store(&c.CallAnswer)
				}
			}
		}
	}
	if err != nil {
		if tx.mutated {
			// Memory ran ahead of the store: read back what is durable.
			if rerr := l.reload(context.WithoutCancel(ctx)); rerr != nil {
				return errors.Join(err, fmt.Errorf("reload after failed commit: %w", rerr))
			}
		}
		return err
	}
	if len(tx.events) > 0 {
		close(l.changed)
		l.changed = make(chan struct{})
	}
	return refusal
}

// do runs one operation in its own transaction.
func do[T any](ctx context.Context, l *Local, op func(tx *Tx) (T, error)) (T, error) {
	var out T
	err := l.Batch(ctx, func(tx *Tx) error {
		var err error
		out, err = op(tx)
		if m := callKeyOf(ctx); err == nil && m != nil && m.encode != nil {
			tx.callAnswer = m.encode(out)
		}
		return err
	})
	return out, err
}

// Setup configures a new hall. Staff PINs given in cfg are hashed first,
// outside the hall's lock.
func (l *Local) Setup(ctx context.Context, cfg Config) error {
	cfg.Staff = slices.Clone(cfg.Staff)
	if err := l.hashPINs(cfg.Staff); err != nil {
		return err
	}
	return l.Batch(ctx, func(tx *Tx) error { return tx.Setup(cfg) })
}

// Configured reports whether the hall has been set up.
func (l *Local) Configured() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st.configured
}

// Overview returns the hall at a glance.
func (l *Local) Overview(ctx context.Context) (Overview, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.st.configured {
		return Overview{}, ErrNotConfigured
	}
	return l.st.overview(l.clock.Now()), nil
}

// Config returns the hall's configuration.
func (l *Local) Config(ctx context.Context) (Config, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.st.configured {
		return Config{}, ErrNotConfigured
	}
	return l.st.config(), nil
}

// Ticket returns a ticket of the current day, or an open one of any day.
func (l *Local) Ticket(ctx context.Context, id string) (Ticket, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.st.tickets[id]
	if t == nil {
		return Ticket{}, ErrUnknownTicket
	}
	return *t, nil
}

// Issue hands out the next number of a business type.
func (l *Local) Issue(ctx context.Context, typeCode string, p Priority) (Ticket, error) {
	return do(ctx, l, func(tx *Tx) (Ticket, error) { return tx.Issue(typeCode, p) })
}

// Cancel withdraws a waiting ticket; any signed-in member of staff may.
func (l *Local) Cancel(ctx context.Context, tok Token, id string) (Ticket, error) {
	return do(ctx, l, func(tx *Tx) (Ticket, error) {
		if _, _, err := tx.session(tok); err != nil {
			return Ticket{}, err
		}
		return tx.Cancel(id)
	})
}

// Requeue puts a no-show ticket back in its queue once; any signed-in
// member of staff may.
func (l *Local) Requeue(ctx context.Context, tok Token, id string) (Ticket, error) {
	return do(ctx, l, func(tx *Tx) (Ticket, error) {
		if _, _, err := tx.session(tok); err != nil {
			return Ticket{}, err
		}
		return tx.Requeue(id)
	})
}

// NoShows lists today's 过号 tickets not yet requeued, the earliest passed
// first; none while the policy allows no requeue.
func (l *Local) NoShows(ctx context.Context, tok Token) ([]Ticket, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, _, err := l.st.lookupSession(tok); err != nil {
		return nil, err
	}
	out := []Ticket{}
	if !l.st.policy.AllowRequeue {
		return out, nil
	}
	for _, t := range l.st.tickets {
		if t.Day == l.st.day && t.State == NoShow && !t.Requeued {
			out = append(out, *t)
		}
	}
	slices.SortFunc(out, func(a, b Ticket) int { return cmp.Or(a.EndedAt.Compare(b.EndedAt), cmp.Compare(a.Number, b.Number)) })
	return out, nil
}

// atCounter runs a clerk's action at the counter the session is signed in at.
func atCounter[T any](ctx context.Context, l *Local, tok Token, op func(tx *Tx, counter int, clerk string) (T, error)) (T, error) {
	return do(ctx, l, func(tx *Tx) (T, error) {
		counter, clerk, err := tx.clerk(tok)
		if err != nil {
			var zero T
			return zero, err
		}
		return op(tx, counter, clerk)
	})
}

// CallNext calls the next ticket to the session's counter.
func (l *Local) CallNext(ctx context.Context, tok Token) (Call, error) {
	return atCounter(ctx, l, tok, (*Tx).CallNext)
}

// Recall calls the counter's current ticket again.
func (l *Local) Recall(ctx context.Context, tok Token) (Call, error) {
	return atCounter(ctx, l, tok, (*Tx).Recall)
}

// Start begins serving the called customer.
func (l *Local) Start(ctx context.Context, tok Token) (Ticket, error) {
	return atCounter(ctx, l, tok, (*Tx).Start)
}

// Finish ends the current service.
func (l *Local) Finish(ctx context.Context, tok Token) (ServiceRecord, error) {
	return atCounter(ctx, l, tok, (*Tx).Finish)
}

// NoShow marks the called customer absent.
func (l *Local) NoShow(ctx context.Context, tok Token) (Ticket, error) {
	return atCounter(ctx, l, tok, (*Tx).NoShow)
}

// Transfer passes the current customer on, keeping the owner.
func (l *Local) Transfer(ctx context.Context, tok Token, to TransferTarget) (Ticket, error) {
	return atCounter(ctx, l, tok, func(tx *Tx, counter int, clerk string) (Ticket, error) {
		return tx.Transfer(counter, clerk, to)
	})
}

// SetCounterState opens, pauses or closes a counter: a clerk their own, a
// director or admin any.
func (l *Local) SetCounterState(ctx context.Context, tok Token, counter int, s CounterState) (Counter, error) {
	return do(ctx, l, func(tx *Tx) (Counter, error) {
		sess, m, err := tx.session(tok)
		if err != nil {
			return Counter{}, err
		}
		if m.Role == RoleClerk && sess.rec.Counter != counter {
			return Counter{}, ErrWrongCounter
		}
		return tx.SetCounterState(counter, s, m.No)
	})
}

// CloseDay ends the business day; a director or admin only.
func (l *Local) CloseDay(ctx context.Context, tok Token) (DayClose, error) {
	return do(ctx, l, func(tx *Tx) (DayClose, error) {
		if _, err := tx.director(tok); err != nil {
			return DayClose{}, err
		}
		return tx.CloseDay()
	})
}

// CounterStatus is what the clerk's window shows for the session's counter.
func (l *Local) CounterStatus(ctx context.Context, tok Token) (CounterStatus, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.st
	s := st.sessions[hashToken(tok)]
	if tok == "" || s == nil {
		return CounterStatus{}, ErrNotSignedIn
	}
	m := st.staff[s.rec.Staff]
	c := st.counters[s.rec.Counter]
	if m == nil || !m.Active || m.Locked {
		return CounterStatus{}, ErrNotSignedIn
	}
	if c == nil {
		return CounterStatus{}, ErrDeskForbidden
	}
	cs := CounterStatus{
		Session: Session{Staff: m.public(), Counter: c.No, Since: s.rec.Since},
		Counter: *c, Now: l.clock.Now(),
		Transfers: st.q.count(queueKey{counter: c.No}) + st.q.count(queueKey{counter: c.No, priority: true}),
	}
	cs.Counter.Types = slices.Clone(c.Types)
	if t := st.tickets[c.Current]; c.Current != "" && t != nil {
		tt := *t
		cs.Ticket = &tt
	}
	for _, code := range c.Types {
		bt := st.types[code]
		if bt == nil {
			continue
		}
		p := st.q.count(queueKey{typ: code, priority: true})
		cs.Waiting = append(cs.Waiting, TypeStat{Type: *bt, Waiting: p + st.q.count(queueKey{typ: code}), WaitingPriority: p, Issued: st.numbers[bt.Prefix]})
	}
	if k := st.clerkDay[m.No]; k != nil && k.n > 0 {
		cs.Served, cs.AvgService = k.n, k.total/time.Duration(k.n)
	}
	return cs, nil
}

// SetPolicy replaces the queue and service rules.
func (l *Local) SetPolicy(ctx context.Context, p Policy) error {
	return l.Batch(ctx, func(tx *Tx) error { return tx.SetPolicy(p) })
}

// SaveType adds or changes a business type.
func (l *Local) SaveType(ctx context.Context, bt BusinessType) (BusinessType, error) {
	return do(ctx, l, func(tx *Tx) (BusinessType, error) { return tx.SaveType(bt) })
}

// RetireType stops issuing a business type.
func (l *Local) RetireType(ctx context.Context, code string) (BusinessType, error) {
	return do(ctx, l, func(tx *Tx) (BusinessType, error) { return tx.RetireType(code) })
}

// SaveCounter adds or changes a counter.
func (l *Local) SaveCounter(ctx context.Context, c Counter) (Counter, error) {
	return do(ctx, l, func(tx *Tx) (Counter, error) { return tx.SaveCounter(c) })
}

// SaveStaff adds or changes a member of staff; a PIN given is hashed, none
// keeps the current one.
func (l *Local) SaveStaff(ctx context.Context, s Staff) (Staff, error) {
	one := []Staff{s}
	if err := l.hashPINs(one); err != nil {
		return Staff{}, err
	}
	s = one[0]
	return do(ctx, l, func(tx *Tx) (Staff, error) { return tx.SaveStaff(s) })
}

// Housekeep moves the hall to a new day when midnight has passed; the app
// calls it every minute so that an idle hall still closes its day.
func (l *Local) Housekeep(ctx context.Context) error {
	return l.Batch(ctx, func(*Tx) error { return nil })
}

// LastSeq is the sequence number of the newest committed event.
func (l *Local) LastSeq() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st.lastSeq
}

// subscribeBatch is how many events a subscriber reads from the store at once.
const subscribeBatch = 256

// Subscribe streams the event log from afterSeq on. It reads from the store,
// not from memory, so a subscriber that falls behind catches up from what
// is durable and never misses or reorders an event.
func (l *Local) Subscribe(ctx context.Context, afterSeq int64) (<-chan Event, error) {
	if afterSeq < 0 {
		return nil, ErrInvalid.WithMessage("事件序号有误", "negative sequence %d", afterSeq)
	}
	out := make(chan Event, 64)
	go func() {
		defer close(out)
		seq := afterSeq
		for {
			l.mu.Lock()
			wake := l.changed
			last := l.st.lastSeq
			l.mu.Unlock()
			var retry <-chan time.Time
			for seq < last {
				evs, err := l.store.Events(ctx, seq, subscribeBatch)
				if err != nil || len(evs) == 0 {
					retry = time.After(time.Second) // a read failed: try again soon
					break
				}
				for _, e := range evs {
					select {
					case out <- e:
						seq = e.Seq
					case <-ctx.Done():
						return
					}
				}
			}
			select {
			case <-wake:
			case <-retry:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// Report sums up the hall's work over a range of its local days (clause
// 3.2); a director or admin only.
func (l *Local) Report(ctx context.Context, tok Token, r ReportRange) (Report, error) {
	rs, ok := l.store.(ReportStore)
	if !ok {
		return Report{}, ErrNoReports
	}
	l.mu.Lock()
	_, err := l.st.lookupDirector(tok)
	loc, now, configured := l.st.loc, l.clock.Now(), l.st.configured
	l.mu.Unlock()
	switch {
	case err != nil:
		return Report{}, err
	case !configured:
		return Report{}, ErrNotConfigured
	}
	return rs.Report(ctx, loc, r, now)
}
