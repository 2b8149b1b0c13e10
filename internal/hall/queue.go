package hall

import "container/heap"

// queueKey names one FIFO queue: the waiting tickets of one business type and
// class, or those transferred to one counter.
type queueKey struct {
	typ      string // business type code; "" for a counter's own queue
	counter  int    // target counter; 0 for a type's queue
	priority bool
}

// entry is a waiting ticket in a queue.
type entry struct {
	order int64
	t     *Ticket
	idx   int
}

// fifo is a min-heap on order, with removal of any member in O(log n).
type fifo []*entry

func (q fifo) Len() int           { return len(q) }
func (q fifo) Less(i, j int) bool { return q[i].order < q[j].order }
func (q fifo) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].idx = i
	q[j].idx = j
}
func (q *fifo) Push(x any) {
	e := x.(*entry)
	e.idx = len(*q)
	*q = append(*q, e)
}
func (q *fifo) Pop() any {
	old := *q
	n := len(old)
	e := old[n-1]
	old[n-1] = nil
	*q = old[:n-1]
	e.idx = -1
	return e
}

// queues indexes the waiting tickets so that picking the next one for a
// counter looks only at the heads of the queues that counter serves.
type queues struct {
	byKey    map[queueKey]*fifo
	byTicket map[string]struct {
		key queueKey
		e   *entry
	}
}

func newQueues() *queues {
	return &queues{
		byKey: make(map[queueKey]*fifo),
		byTicket: make(map[string]struct {
			key queueKey
			e   *entry
		}),
	}
}

func keyOf(t *Ticket) queueKey {
	if t.TargetCounter != 0 {
		return queueKey{counter: t.TargetCounter, priority: t.Priority.IsPriority()}
	}
	return queueKey{typ: t.Type, priority: t.Priority.IsPriority()}
}

// add puts a waiting ticket in its queue.
func (qs *queues) add(t *Ticket) {
	k := keyOf(t)
	q := qs.byKey[k]
	if q == nil {
		q = &fifo{}
		qs.byKey[k] = q
	}
	e := &entry{order: t.Order, t: t}
	heap.Push(q, e)
	qs.byTicket[t.ID] = struct {
		key queueKey
		e   *entry
	}{k, e}
}

// remove takes a ticket out of its queue, if it is in one.
func (qs *queues) remove(id string) {
	m, ok := qs.byTicket[id]
	if !ok {
		return
	}
	heap.Remove(qs.byKey[m.key], m.e.idx)
	delete(qs.byTicket, id)
}

// head returns the first ticket of a queue, or nil.
func (qs *queues) head(k queueKey) *Ticket {
	q := qs.byKey[k]
	if q == nil || q.Len() == 0 {
		return nil
	}
	return (*q)[0].t
}

// count returns how many tickets wait in a queue.
func (qs *queues) count(k queueKey) int {
	q := qs.byKey[k]
	if q == nil {
		return 0
	}
	return q.Len()
}

// len is how many tickets wait in all queues.
func (qs *queues) len() int { return len(qs.byTicket) }

// earliest returns the head with the lowest order among the queues of the
// given class that the counter may call from.
func (qs *queues) earliest(c *Counter, priority bool) *Ticket {
	best := qs.head(queueKey{counter: c.No, priority: priority})
	for _, typ := range c.Types {
		if h := qs.head(queueKey{typ: typ, priority: priority}); h != nil && (best == nil || h.Order < best.Order) {
			best = h
		}
	}
	return best
}

// pick chooses the next ticket for a counter by the hall's policy: priority
// tickets first, but never more than maxRun of them in a row while a normal
// ticket the counter serves is waiting; first come first served within a
// class. It reports whether a normal ticket was passed over.
func (qs *queues) pick(c *Counter, maxRun int) (t *Ticket, passedNormal bool) {
	p := qs.earliest(c, true)
	n := qs.earliest(c, false)
	switch {
	case p != nil && (n == nil || c.PriorityRun < maxRun):
		return p, n != nil
	case n != nil:
		return n, false
	}
	return nil, false
}
