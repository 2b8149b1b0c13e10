package hall

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Local is the hall in this process: the domain state in memory, written
// through to a Store one transaction per operation. It is safe for
// concurrent use; operations are serialised, as there is one writer.
type Local struct {
	store Store
	clock Clock

	mu      sync.Mutex
	st      *state
	changed chan struct{} // closed and replaced on every commit
}

// Open loads the hall from its store and brings it to the current day.
func Open(ctx context.Context, store Store, clock Clock) (*Local, error) {
	if clock == nil {
		clock = SystemClock{}
	}
	l := &Local{store: store, clock: clock, changed: make(chan struct{})}
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
	err := tx.rollover(tx.now())
	if err == nil {
		err = fn(tx)
	}
	if err == nil && tx.mutated {
		var seqs []int64
		seqs, err = l.store.Commit(ctx, tx.change())
		if err != nil {
			err = fmt.Errorf("%w: %w", ErrStore, err)
		} else if n := len(seqs); n > 0 {
			l.st.lastSeq = seqs[n-1]
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
	return nil
}

// do runs one operation in its own transaction.
func do[T any](ctx context.Context, l *Local, op func(tx *Tx) (T, error)) (T, error) {
	var out T
	err := l.Batch(ctx, func(tx *Tx) error {
		var err error
		out, err = op(tx)
		return err
	})
	return out, err
}

// Setup configures a new hall.
func (l *Local) Setup(ctx context.Context, cfg Config) error {
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

// Cancel withdraws a waiting ticket.
func (l *Local) Cancel(ctx context.Context, id string) (Ticket, error) {
	return do(ctx, l, func(tx *Tx) (Ticket, error) { return tx.Cancel(id) })
}

// Requeue puts a no-show ticket back in its queue once.
func (l *Local) Requeue(ctx context.Context, id string) (Ticket, error) {
	return do(ctx, l, func(tx *Tx) (Ticket, error) { return tx.Requeue(id) })
}

// CallNext calls the next ticket for a counter.
func (l *Local) CallNext(ctx context.Context, counter int, clerk string) (Call, error) {
	return do(ctx, l, func(tx *Tx) (Call, error) { return tx.CallNext(counter, clerk) })
}

// Recall calls the counter's current ticket again.
func (l *Local) Recall(ctx context.Context, counter int, clerk string) (Call, error) {
	return do(ctx, l, func(tx *Tx) (Call, error) { return tx.Recall(counter, clerk) })
}

// Start begins serving the called customer.
func (l *Local) Start(ctx context.Context, counter int, clerk string) (Ticket, error) {
	return do(ctx, l, func(tx *Tx) (Ticket, error) { return tx.Start(counter, clerk) })
}

// Finish ends the current service.
func (l *Local) Finish(ctx context.Context, counter int, clerk string) (ServiceRecord, error) {
	return do(ctx, l, func(tx *Tx) (ServiceRecord, error) { return tx.Finish(counter, clerk) })
}

// NoShow marks the called customer absent.
func (l *Local) NoShow(ctx context.Context, counter int, clerk string) (Ticket, error) {
	return do(ctx, l, func(tx *Tx) (Ticket, error) { return tx.NoShow(counter, clerk) })
}

// Transfer passes the current customer on, keeping the owner.
func (l *Local) Transfer(ctx context.Context, counter int, clerk string, to TransferTarget) (Ticket, error) {
	return do(ctx, l, func(tx *Tx) (Ticket, error) { return tx.Transfer(counter, clerk, to) })
}

// SetCounterState opens, pauses or closes a counter.
func (l *Local) SetCounterState(ctx context.Context, counter int, s CounterState, by string) (Counter, error) {
	return do(ctx, l, func(tx *Tx) (Counter, error) { return tx.SetCounterState(counter, s, by) })
}

// CloseDay ends the business day.
func (l *Local) CloseDay(ctx context.Context) (DayClose, error) {
	return do(ctx, l, func(tx *Tx) (DayClose, error) { return tx.CloseDay() })
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

// SaveStaff adds or changes a member of staff.
func (l *Local) SaveStaff(ctx context.Context, s Staff) (Staff, error) {
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
