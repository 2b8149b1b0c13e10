package hall

import (
	"context"
	"time"
)

// The fault reports (报修) the counters take go on to 95598 (the counter's
// script tells the customer so); the director lists them to see what was
// taken and check each was passed on (clauses 4.2.1, 4.3.1).

// FaultStore is a store that can read the fault reports back.
type FaultStore interface {
	// FaultReports lists the reports taken in [start, end), the newest
	// first, contacts in full.
	FaultReports(ctx context.Context, start, end time.Time) ([]FaultReport, error)
}

// FaultReports lists the fault reports taken in the local days of r, the
// newest first, contacts masked; a director or admin only.
func (l *Local) FaultReports(ctx context.Context, tok Token, r ReportRange) ([]FaultReport, error) {
	fs, ok := l.store.(FaultStore)
	if !ok {
		return nil, ErrStore.WithMessage("此数据存储不支持查阅报修记录", "store has no FaultReports")
	}
	l.mu.Lock()
	_, err := l.st.lookupDirector(tok)
	loc := l.st.loc
	l.mu.Unlock()
	if err != nil {
		return nil, err
	}
	start, end, err := r.Bounds(loc)
	if err != nil {
		return nil, err
	}
	out, err := fs.FaultReports(ctx, start, end)
	if err != nil {
		return nil, ErrStore.WithMessage("报修记录读取失败，请重试", "read fault reports: %v", err)
	}
	for i := range out {
		out[i].Contact = out[i].Contact.Masked()
	}
	return out, nil
}
