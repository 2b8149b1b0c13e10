package hall_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// The reference model: a deliberately naive queue, a list scanned from the
// start on every call, written from the rules in plain words rather than
// from the policy code. The property test runs random operations on both and
// demands the same outcome from each.

type refTicket struct {
	id, number, typ string
	prio            bool
	state           hall.TicketState
	order           int
	counter, target int
	recalls         int
	requeued        bool
}

type refCounter struct {
	no      int
	types   map[string]bool
	state   hall.CounterState
	current *refTicket
	run     int // priority calls in a row while a normal ticket waited
}

type refHall struct {
	tickets  []*refTicket
	byID     map[string]*refTicket
	counters map[int]*refCounter
	next     map[string]int // prefix -> last number
	order    int
	maxRun   int
	recalls  int
}

func newRefHall(cfg hall.Config) *refHall {
	m := &refHall{byID: map[string]*refTicket{}, counters: map[int]*refCounter{}, next: map[string]int{},
		maxRun: cfg.Policy.MaxPriorityRun, recalls: cfg.Policy.NoShowAfterRecalls}
	for _, c := range cfg.Counters {
		rc := &refCounter{no: c.No, types: map[string]bool{}, state: c.State}
		for _, t := range c.Types {
			rc.types[t] = true
		}
		m.counters[c.No] = rc
	}
	return m
}

func (m *refHall) eligible(c *refCounter, t *refTicket) bool {
	if t.state != hall.Waiting {
		return false
	}
	if t.target != 0 {
		return t.target == c.no
	}
	return c.types[t.typ]
}

// pick scans every ticket: the earliest waiting priority ticket goes first
// unless the counter already called maxRun of them in a row while a normal
// ticket waited; otherwise the earliest normal ticket.
func (m *refHall) pick(c *refCounter) (*refTicket, bool) {
	var p, n *refTicket
	for _, t := range m.tickets {
		if !m.eligible(c, t) {
			continue
		}
		if t.prio && (p == nil || t.order < p.order) {
			p = t
		}
		if !t.prio && (n == nil || t.order < n.order) {
			n = t
		}
	}
	if p != nil && (n == nil || c.run < m.maxRun) {
		return p, n != nil
	}
	return n, false
}

func TestPropertyQueueAgainstReferenceModel(t *testing.T) {
	seqs, ops := 60, 250
	if testing.Short() {
		seqs, ops = 6, 120
	}
	for s := 0; s < seqs; s++ {
		t.Run(fmt.Sprint("seed", s), func(t *testing.T) { runPropertySequence(t, uint64(s), ops) })
	}
}

func runPropertySequence(t *testing.T, seed uint64, ops int) {
	r := rand.New(rand.NewPCG(seed, 2026))
	cfg := demo.Config()
	cfg.Policy.MaxPriorityRun = 1 + r.IntN(3)
	cfg.Policy.NoShowAfterRecalls = r.IntN(3)
	h := halltest.New(t, &cfg)
	m := newRefHall(cfg)
	types := []string{demo.TypeFee, demo.TypeConnect, demo.TypeChange, demo.TypeConsult, demo.TypeRepair, demo.TypeComplaint}
	prefix := map[string]string{}
	for _, bt := range cfg.Types {
		prefix[bt.Code] = bt.Prefix
	}
	seenNumber := map[string]bool{}
	// Per counter: priority calls in a row, counted from the outside, while
	// a normal ticket the counter could have called was waiting.
	passedOver := map[int]int{}

	expect := func(step int, what string, err, want error) {
		t.Helper()
		if want == nil && err != nil {
			t.Fatalf("step %d %s: unexpected error %v", step, what, err)
		}
		if want != nil && !errors.Is(err, want) {
			t.Fatalf("step %d %s: err = %v, want %v", step, what, err, want)
		}
	}

	for step := 0; step < ops; step++ {
		h.Clock.Advance(time.Duration(r.IntN(90)) * time.Second)
		cn := 1 + r.IntN(5)
		c := m.counters[cn]
		switch op := r.IntN(100); {
		case op < 30: // issue
			typ := types[r.IntN(len(types))]
			pr := hall.Priority(0)
			if r.IntN(4) == 0 {
				pr = hall.Priority(1 + r.IntN(2))
			}
			tk, err := h.Issue(ctx, typ, pr)
			expect(step, "issue", err, nil)
			m.next[prefix[typ]]++
			if want := hall.FormatNumber(prefix[typ], m.next[prefix[typ]]); tk.Number != want {
				t.Fatalf("step %d: issued %s, model says %s", step, tk.Number, want)
			}
			if seenNumber[tk.Day+tk.Number] {
				t.Fatalf("step %d: number %s repeated on %s", step, tk.Number, tk.Day)
			}
			seenNumber[tk.Day+tk.Number] = true
			m.order++
			rt := &refTicket{id: tk.ID, number: tk.Number, typ: typ, prio: pr.IsPriority(), state: hall.Waiting, order: m.order}
			m.tickets = append(m.tickets, rt)
			m.byID[tk.ID] = rt
		case op < 50: // call next
			call, err := h.CallNext(ctx, h.At(cn))
			var want *refTicket
			var passed bool
			switch {
			case c.state != hall.CounterOpen:
				expect(step, "call", err, hall.ErrCounterNotOpen)
				continue
			case c.current != nil:
				expect(step, "call", err, hall.ErrCounterBusy)
				continue
			}
			want, passed = m.pick(c)
			if want == nil {
				expect(step, "call", err, hall.ErrNothingWaiting)
				continue
			}
			expect(step, "call", err, nil)
			if call.Ticket.ID != want.id {
				t.Fatalf("step %d: counter %d called %s, model says %s", step, cn, call.Ticket.Number, want.number)
			}
			// The property itself, judged from the outside.
			if want.prio && passed {
				passedOver[cn]++
				if passedOver[cn] > cfg.Policy.MaxPriorityRun {
					t.Fatalf("step %d: counter %d made %d priority calls in a row while normal tickets waited (max %d)",
						step, cn, passedOver[cn], cfg.Policy.MaxPriorityRun)
				}
			} else {
				passedOver[cn] = 0
			}
			if want.prio && passed {
				c.run++
			} else {
				c.run = 0
			}
			want.state, want.counter, want.recalls = hall.Called, cn, 0
			c.current = want
		case op < 57: // recall
			_, err := h.Recall(ctx, h.At(cn))
			switch {
			case c.current == nil:
				expect(step, "recall", err, hall.ErrNoCurrentTicket)
			case c.current.state != hall.Called:
				expect(step, "recall", err, hall.ErrNotCalled)
			default:
				expect(step, "recall", err, nil)
				c.current.recalls++
			}
		case op < 62: // no-show
			_, err := h.NoShow(ctx, h.At(cn))
			switch {
			case c.current == nil:
				expect(step, "no-show", err, hall.ErrNoCurrentTicket)
			case c.current.state != hall.Called:
				expect(step, "no-show", err, hall.ErrNotCalled)
			case c.current.recalls < m.recalls:
				expect(step, "no-show", err, hall.ErrRecallFirst)
			default:
				expect(step, "no-show", err, nil)
				c.current.state = hall.NoShow
				c.current = nil
			}
		case op < 75: // start
			_, err := h.Start(ctx, h.At(cn))
			switch {
			case c.current == nil:
				expect(step, "start", err, hall.ErrNoCurrentTicket)
			case c.current.state != hall.Called:
				expect(step, "start", err, hall.ErrNotCalled)
			default:
				expect(step, "start", err, nil)
				c.current.state = hall.Serving
			}
		case op < 88: // finish
			_, err := h.Finish(ctx, h.At(cn))
			switch {
			case c.current == nil:
				expect(step, "finish", err, hall.ErrNoCurrentTicket)
			case c.current.state != hall.Serving:
				expect(step, "finish", err, hall.ErrNotServing)
			default:
				expect(step, "finish", err, nil)
				c.current.state = hall.Done
				c.current = nil
			}
		case op < 92: // transfer
			var to hall.TransferTarget
			if r.IntN(2) == 0 {
				to.Type = types[r.IntN(len(types))]
			} else {
				to.Counter = 1 + r.IntN(5)
			}
			_, err := h.Transfer(ctx, h.At(cn), to)
			switch {
			case c.current == nil:
				expect(step, "transfer", err, hall.ErrNoCurrentTicket)
			case to.Counter == cn:
				expect(step, "transfer", err, hall.ErrInvalid)
			case to.Counter != 0 && m.counters[to.Counter].state == hall.CounterClosed:
				expect(step, "transfer", err, hall.ErrCounterNotOpen)
			default:
				expect(step, "transfer", err, nil)
				rt := c.current
				if to.Type != "" {
					rt.typ = to.Type
				}
				rt.target, rt.state, rt.counter, rt.recalls = to.Counter, hall.Waiting, 0, 0
				c.current = nil
			}
		case op < 95: // cancel or requeue a random ticket
			if len(m.tickets) == 0 {
				continue
			}
			rt := m.tickets[r.IntN(len(m.tickets))]
			if r.IntN(2) == 0 {
				_, err := h.Cancel(ctx, h.At(0), rt.id)
				if rt.state != hall.Waiting {
					expect(step, "cancel", err, hall.ErrNotWaiting)
				} else {
					expect(step, "cancel", err, nil)
					rt.state = hall.Cancelled
				}
			} else {
				_, err := h.Requeue(ctx, h.At(0), rt.id)
				switch {
				case rt.state != hall.NoShow:
					expect(step, "requeue", err, hall.ErrNotNoShow)
				case rt.requeued:
					expect(step, "requeue", err, hall.ErrRequeueUsed)
				default:
					expect(step, "requeue", err, nil)
					m.order++
					rt.state, rt.requeued, rt.order, rt.counter, rt.recalls = hall.Waiting, true, m.order, 0, 0
				}
			}
		case op < 99: // open, pause or close a counter
			s := []hall.CounterState{hall.CounterOpen, hall.CounterOpen, hall.CounterPaused, hall.CounterClosed}[r.IntN(4)]
			_, err := h.SetCounterState(ctx, h.At(0), cn, s)
			if s == hall.CounterClosed && c.current != nil {
				expect(step, "close counter", err, hall.ErrCounterBusy)
			} else {
				expect(step, "set counter", err, nil)
				c.state = s
			}
		default: // restart the program
			h = h.Restart(t)
		}
	}

	// No ticket lost: every ticket the model knows is in the hall in the
	// model's state, and the waiting count agrees.
	h = h.Restart(t)
	waiting := 0
	for _, rt := range m.tickets {
		got, err := h.Ticket(ctx, rt.id)
		if err != nil {
			t.Fatalf("ticket %s lost: %v", rt.number, err)
		}
		if got.State != rt.state || got.Type != rt.typ || got.Number != rt.number {
			t.Fatalf("ticket %s: hall has %s/%s, model %s/%s", rt.number, got.State, got.Type, rt.state, rt.typ)
		}
		if rt.state == hall.Waiting {
			waiting++
		}
	}
	ov, err := h.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Waiting != waiting {
		t.Fatalf("hall says %d waiting, model %d", ov.Waiting, waiting)
	}
}
