package sqlite

import (
	"context"
	"fmt"
	"time"

	"servicehall/internal/hall"
)

var _ hall.DeviceStore = (*DB)(nil)

// SaveDevice writes a device's latest status and its event in one
// transaction.
func (db *DB) SaveDevice(ctx context.Context, s hall.DeviceStatus, e hall.Event) (int64, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO devices (id, station, kind, role, target, ok, fault, message, since)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET role = excluded.role, target = excluded.target, ok = excluded.ok,
		fault = excluded.fault, message = excluded.message, since = excluded.since`,
		s.ID(), s.Station, string(s.Kind), s.Role, s.Target, b2i(s.OK), s.Fault, s.Message, s.At.UnixMilli()); err != nil {
		return 0, fmt.Errorf("write device %s: %w", s.ID(), err)
	}
	seqs, err := writeChange(ctx, &stmts{db: db, tx: tx}, &hall.Change{Events: []hall.Event{e}})
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	return seqs[0], nil
}

// Devices returns every device's latest status.
func (db *DB) Devices(ctx context.Context) ([]hall.DeviceStatus, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT station, kind, role, target, ok, fault, message, since FROM devices ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hall.DeviceStatus
	for rows.Next() {
		var s hall.DeviceStatus
		var since int64
		if err := rows.Scan(&s.Station, &s.Kind, &s.Role, &s.Target, &s.OK, &s.Fault, &s.Message, &since); err != nil {
			return nil, err
		}
		s.At = time.UnixMilli(since).UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}
