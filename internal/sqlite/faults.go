package sqlite

import (
	"context"
	"fmt"
	"time"

	"servicehall/internal/hall"
)

var _ hall.FaultStore = (*DB)(nil)

// FaultReports lists the fault reports taken in [start, end), the newest
// first, contacts in full (the hall masks them).
func (db *DB) FaultReports(ctx context.Context, start, end time.Time) ([]hall.FaultReport, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, ticket_id, number, counter, clerk, what, place, occurred, contact_name, contact_phone, created_at
		FROM fault_reports WHERE created_at >= ? AND created_at < ? ORDER BY created_at DESC, id`, start.UnixMilli(), end.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("list fault reports: %w", err)
	}
	defer rows.Close()
	out := []hall.FaultReport{}
	for rows.Next() {
		var f hall.FaultReport
		var at int64
		if err := rows.Scan(&f.ID, &f.TicketID, &f.Number, &f.Counter, &f.Clerk, &f.What, &f.Where, &f.Occurred,
			&f.Contact.Name, &f.Contact.Phone, &at); err != nil {
			return nil, err
		}
		f.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}
