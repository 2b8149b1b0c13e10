package sqlite

import (
	"context"

	"servicehall/internal/hall"
)

var _ hall.QuarantineStore = (*DB)(nil)

// QuarantineList is the quarantine as the domain shows it.
func (db *DB) QuarantineList(ctx context.Context) ([]hall.QuarantinedRecord, error) {
	qs, err := db.QuarantinedEvents(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]hall.QuarantinedRecord, len(qs))
	for i, q := range qs {
		out[i] = hall.QuarantinedRecord{Seq: q.Seq, UUID: q.UUID, Kind: hall.Kind(q.Kind), Status: q.Status, Reason: q.Reason, At: q.At}
	}
	return out, nil
}
