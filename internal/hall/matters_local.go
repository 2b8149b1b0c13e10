package hall

import (
	"cmp"
	"context"
	"slices"
)

// Scripts returns the hall's scripts.
func (l *Local) Scripts(ctx context.Context) (Scripts, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st.scripts, nil
}

// SaveScripts replaces the scripts; a director or admin only.
func (l *Local) SaveScripts(ctx context.Context, tok Token, s Scripts) error {
	return l.Batch(ctx, func(tx *Tx) error { return tx.SaveScripts(tok, s) })
}

// Escalate records a problem passed on from the counter.
func (l *Local) Escalate(ctx context.Context, tok Token, in EscalationInput) (Escalation, error) {
	return do(ctx, l, func(tx *Tx) (Escalation, error) { return tx.Escalate(tok, in) })
}

// ReplyEscalation records the reply to the customer and closes the matter.
func (l *Local) ReplyEscalation(ctx context.Context, tok Token, id, reply string) (Escalation, error) {
	return do(ctx, l, func(tx *Tx) (Escalation, error) { return tx.ReplyEscalation(tok, id, reply) })
}

// Escalations lists open escalations, soonest due first: a clerk's own, or
// every one for a director or admin. Contacts are masked.
func (l *Local) Escalations(ctx context.Context, tok Token) ([]Escalation, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, m, err := l.st.lookupSession(tok)
	if err != nil {
		return nil, err
	}
	out := []Escalation{}
	for _, e := range l.st.escalations {
		if e.Owner == m.No || m.directs() {
			out = append(out, e.masked())
		}
	}
	slices.SortFunc(out, func(a, b Escalation) int { return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}

// EscalationRecord, the recorded look at the contact in full, is in contacts.go.

// RecordComplaint takes a complaint.
func (l *Local) RecordComplaint(ctx context.Context, tok Token, in ComplaintInput) (Complaint, error) {
	return do(ctx, l, func(tx *Tx) (Complaint, error) { return tx.RecordComplaint(tok, in) })
}

// RecordFault takes a fault report.
func (l *Local) RecordFault(ctx context.Context, tok Token, in FaultInput) (FaultReport, error) {
	return do(ctx, l, func(tx *Tx) (FaultReport, error) { return tx.RecordFault(tok, in) })
}

// RecordProxy records 代办 for the ticket being served.
func (l *Local) RecordProxy(ctx context.Context, tok Token, summary string) (Proxy, error) {
	return do(ctx, l, func(tx *Tx) (Proxy, error) { return tx.RecordProxy(tok, summary) })
}

// PendingProxy returns the 代办 waiting for the customer's confirmation at a
// counter, or nil.
func (l *Local) PendingProxy(ctx context.Context, counter int) (*Proxy, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, p := range l.st.proxies {
		if p.Counter == counter {
			pp := *p
			return &pp, nil
		}
	}
	return nil, nil
}

// DecideProxy records the customer's confirmation or refusal.
func (l *Local) DecideProxy(ctx context.Context, counter int, id string, confirm bool) (Proxy, error) {
	return do(ctx, l, func(tx *Tx) (Proxy, error) { return tx.DecideProxy(counter, id, confirm) })
}
