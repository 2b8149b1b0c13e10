package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The hall's side of the headquarters sync: the acknowledged cursor, the
// quarantine of records HQ refused, and the HQ notices already posted. All
// writes go through the one writer connection in short transactions.

// Errors of the sync cursor.
var (
	// ErrCursorBackwards: AdvanceCursor never moves the cursor back; only
	// RewindCursor does, on HQ's word.
	ErrCursorBackwards = errors.New("sync cursor would move backwards")
	// ErrCursorAhead: the cursor never passes the newest event, nor a
	// rewind go forward.
	ErrCursorAhead = errors.New("sync cursor would move past the log")
)

// Quarantined is an event HQ refused or found in conflict, or a number
// missing from the log (UUID empty). Quarantined events stay in the events
// table; this says why HQ does not hold them.
type Quarantined struct {
	Seq    int64
	UUID   string
	Kind   string
	Status string // rejected, conflict, missing
	Reason string // HQ's words, Chinese
	At     time.Time
}

// SyncStatus is the sync as the duty director's window shows it.
type SyncStatus struct {
	AckedThrough int64     // HQ holds every event up to here
	LastSeq      int64     // the newest event
	Backlog      int64     // events after AckedThrough
	LastSuccess  time.Time // zero: never
	LastAttempt  time.Time // zero: never
	LastError    string    // Chinese; "" when the last attempt succeeded
	Quarantined  int
}

// SyncCursor returns the acknowledged cursor: HQ holds (or has settled)
// every event up to it.
func (db *DB) SyncCursor(ctx context.Context) (int64, error) {
	var c int64
	if err := db.r.QueryRowContext(ctx, `SELECT acked_through_seq FROM sync_state WHERE id = 1`).Scan(&c); err != nil {
		return 0, fmt.Errorf("read sync cursor: %w", err)
	}
	return c, nil
}

// AdvanceCursor moves the cursor forward to HQ's acknowledged sequence
// number and, in the same transaction, quarantines the events HQ settled
// without storing, so that the cursor is never past a refused event that
// is not in quarantine. It records a successful contact at at. It refuses
// to move back (ErrCursorBackwards), past the newest event or with a
// quarantined number beyond to (ErrCursorAhead).
func (db *DB) AdvanceCursor(ctx context.Context, to int64, at time.Time, q ...Quarantined) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("advance sync cursor: %w", err)
	}
	defer tx.Rollback()
	var cur, last int64
	if err := tx.QueryRowContext(ctx, `SELECT acked_through_seq, (SELECT coalesce(max(seq), 0) FROM events) FROM sync_state WHERE id = 1`).
		Scan(&cur, &last); err != nil {
		return fmt.Errorf("advance sync cursor: %w", err)
	}
	if to < cur {
		return fmt.Errorf("%w: from %d to %d", ErrCursorBackwards, cur, to)
	}
	if to > last {
		return fmt.Errorf("%w: to %d, newest event %d", ErrCursorAhead, to, last)
	}
	if err := quarantine(ctx, tx, at, q, to); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sync_state SET acked_through_seq = ?, last_success = ?, last_attempt = ?, last_error = '' WHERE id = 1`,
		to, at.UnixMilli(), at.UnixMilli()); err != nil {
		return fmt.Errorf("advance sync cursor: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("advance sync cursor: commit: %w", err)
	}
	return nil
}

// Quarantine puts events aside on their own, ahead of a cursor move.
// A number already in quarantine stays as it was.
func (db *DB) Quarantine(ctx context.Context, at time.Time, q ...Quarantined) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("quarantine: %w", err)
	}
	defer tx.Rollback()
	if err := quarantine(ctx, tx, at, q, -1); err != nil {
		return err
	}
	return tx.Commit()
}

// quarantine inserts entries; limit >= 0 refuses one numbered above it.
func quarantine(ctx context.Context, tx *sql.Tx, at time.Time, q []Quarantined, limit int64) error {
	for _, e := range q {
		if limit >= 0 && e.Seq > limit {
			return fmt.Errorf("%w: quarantined %d beyond cursor %d", ErrCursorAhead, e.Seq, limit)
		}
		when := e.At
		if when.IsZero() {
			when = at
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO quarantine (seq, uuid, kind, status, reason, at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (seq) DO NOTHING`, e.Seq, e.UUID, e.Kind, e.Status, e.Reason, when.UnixMilli()); err != nil {
			return fmt.Errorf("quarantine %d: %w", e.Seq, err)
		}
	}
	return nil
}

// RewindCursor moves the cursor back to HQ's, when HQ says it holds less
// than the hall thought (HQ restored from a backup, say). The events are
// all still here, so resending is harmless. It refuses to move forward.
func (db *DB) RewindCursor(ctx context.Context, to int64, at time.Time, why string) error {
	if to < 0 {
		return fmt.Errorf("rewind sync cursor to %d: negative", to)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rewind sync cursor: %w", err)
	}
	defer tx.Rollback()
	var cur int64
	if err := tx.QueryRowContext(ctx, `SELECT acked_through_seq FROM sync_state WHERE id = 1`).Scan(&cur); err != nil {
		return fmt.Errorf("rewind sync cursor: %w", err)
	}
	if to > cur {
		return fmt.Errorf("%w: rewind from %d to %d", ErrCursorAhead, cur, to)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE sync_state SET acked_through_seq = ?, last_attempt = ?, last_error = ? WHERE id = 1`,
		to, at.UnixMilli(), why); err != nil {
		return fmt.Errorf("rewind sync cursor: %w", err)
	}
	return tx.Commit()
}

// RecordSyncFailure notes a failed attempt and its Chinese message.
func (db *DB) RecordSyncFailure(ctx context.Context, at time.Time, msg string) error {
	if _, err := db.w.ExecContext(ctx, `UPDATE sync_state SET last_attempt = ?, last_error = ? WHERE id = 1`, at.UnixMilli(), msg); err != nil {
		return fmt.Errorf("record sync failure: %w", err)
	}
	return nil
}

// SyncStatus reads the sync's state in one snapshot.
func (db *DB) SyncStatus(ctx context.Context) (SyncStatus, error) {
	var s SyncStatus
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return s, err
	}
	defer tx.Rollback()
	var success, attempt sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT acked_through_seq, last_success, last_attempt, last_error FROM sync_state WHERE id = 1`).
		Scan(&s.AckedThrough, &success, &attempt, &s.LastError); err != nil {
		return s, fmt.Errorf("read sync state: %w", err)
	}
	s.LastSuccess, s.LastAttempt = fromMS(success), fromMS(attempt)
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0), (SELECT count(*) FROM events WHERE seq > ?), (SELECT count(*) FROM quarantine) FROM events`,
		s.AckedThrough).Scan(&s.LastSeq, &s.Backlog, &s.Quarantined); err != nil {
		return s, fmt.Errorf("read sync backlog: %w", err)
	}
	return s, tx.Commit()
}

// QuarantinedEvents lists the quarantine, oldest number first.
func (db *DB) QuarantinedEvents(ctx context.Context) ([]Quarantined, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT seq, uuid, kind, status, reason, at FROM quarantine ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Quarantined
	for rows.Next() {
		var q Quarantined
		var at int64
		if err := rows.Scan(&q.Seq, &q.UUID, &q.Kind, &q.Status, &q.Reason, &at); err != nil {
			return nil, err
		}
		q.At = time.UnixMilli(at).UTC()
		out = append(out, q)
	}
	return out, rows.Err()
}

// HQNoticeSeen reports whether an HQ notice was posted (or refused) before.
func (db *DB) HQNoticeSeen(ctx context.Context, id string) (bool, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM hq_notices WHERE id = ?`, id).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// MarkHQNotice records that an HQ notice was posted (result "") or refused
// by the hall (result says why), so it is not posted again.
func (db *DB) MarkHQNotice(ctx context.Context, id string, at time.Time, result string) error {
	if _, err := db.w.ExecContext(ctx, `INSERT INTO hq_notices (id, applied_at, result) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		id, at.UnixMilli(), result); err != nil {
		return fmt.Errorf("mark HQ notice %s: %w", id, err)
	}
	return nil
}
