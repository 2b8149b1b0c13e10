package hall

import (
	"context"
	"time"
)

// QuarantinedRecord is one of the hall's records that headquarters did
// not take: refused for what it is, in conflict with what HQ holds, or a
// number missing from the hall's own log. It stays in the hall's log and
// in the quarantine, never deleted, for the duty director to see.
type QuarantinedRecord struct {
	Seq    int64
	UUID   string // "" for a number missing from the log
	Kind   Kind
	Status string // rejected, conflict or missing, as HQ said
	Reason string // HQ's words, Chinese
	At     time.Time
}

// StatusLabel is the status in Chinese.
func (q QuarantinedRecord) StatusLabel() string {
	switch q.Status {
	case "rejected":
		return "拒收"
	case "conflict":
		return "冲突"
	case "missing":
		return "缺号"
	}
	return q.Status
}

// QuarantineStore is a store that keeps the sync's quarantine.
type QuarantineStore interface {
	// QuarantineList lists the quarantine, oldest number first.
	QuarantineList(ctx context.Context) ([]QuarantinedRecord, error)
}

// Quarantine lists the records HQ refused; a director only.
func (l *Local) Quarantine(ctx context.Context, tok Token) ([]QuarantinedRecord, error) {
	l.mu.Lock()
	_, err := l.st.lookupDirector(tok)
	l.mu.Unlock()
	if err != nil {
		return nil, err
	}
	qs, ok := l.store.(QuarantineStore)
	if !ok {
		return []QuarantinedRecord{}, nil // a store that does not sync has none
	}
	out, err := qs.QuarantineList(ctx)
	if err != nil {
		return nil, ErrStore.WithMessage("读取被总部拒收的记录失败", "quarantine: %v", err)
	}
	if out == nil {
		out = []QuarantinedRecord{}
	}
	return out, nil
}
