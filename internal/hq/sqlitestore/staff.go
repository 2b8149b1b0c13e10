package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"servicehall/internal/hq"
)

// AddStaff registers a member of HQ's staff.
func (s *Store) AddStaff(ctx context.Context, name string, pwHash []byte, now time.Time) (hq.Staff, error) {
	res, err := s.w.ExecContext(ctx, `INSERT INTO staff (name, pw_hash, created) VALUES (?, ?, ?)`, name, pwHash, ms(now))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return hq.Staff{}, hq.ErrStaffExists
		}
		return hq.Staff{}, fmt.Errorf("add staff: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return hq.Staff{}, err
	}
	return hq.Staff{ID: id, Name: name, Created: fromMS(ms(now))}, nil
}

// StaffPassword returns a staff member and the password hash.
func (s *Store) StaffPassword(ctx context.Context, name string) (hq.Staff, []byte, error) {
	var st hq.Staff
	var hash []byte
	var created int64
	err := s.r.QueryRowContext(ctx, `SELECT id, name, pw_hash, created FROM staff WHERE name = ?`, name).Scan(&st.ID, &st.Name, &hash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil, hq.ErrUnknownStaff
	}
	if err != nil {
		return st, nil, err
	}
	st.Created = fromMS(created)
	return st, hash, nil
}

// AddStaffSession keeps a session.
func (s *Store) AddStaffSession(ctx context.Context, tokenHash [32]byte, staffID int64, now, expires time.Time) error {
	// Sessions long expired go as new ones come.
	if _, err := s.w.ExecContext(ctx, `DELETE FROM staff_sessions WHERE expires < ?`, ms(now.Add(-24*time.Hour))); err != nil {
		return fmt.Errorf("drop old sessions: %w", err)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO staff_sessions (token_hash, staff_id, created, expires) VALUES (?, ?, ?, ?)`,
		tokenHash[:], staffID, ms(now), ms(expires)); err != nil {
		return fmt.Errorf("add session: %w", err)
	}
	return nil
}

// StaffSession returns the staff member of a live session.
func (s *Store) StaffSession(ctx context.Context, tokenHash [32]byte, now time.Time) (hq.Staff, error) {
	var st hq.Staff
	var created int64
	err := s.r.QueryRowContext(ctx, `SELECT s.id, s.name, s.created FROM staff_sessions x JOIN staff s ON s.id = x.staff_id
		WHERE x.token_hash = ? AND x.expires > ?`, tokenHash[:], ms(now)).Scan(&st.ID, &st.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return st, hq.ErrUnknownStaff
	}
	if err != nil {
		return st, err
	}
	st.Created = fromMS(created)
	return st, nil
}

// EndStaffSession ends a session.
func (s *Store) EndStaffSession(ctx context.Context, tokenHash [32]byte) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM staff_sessions WHERE token_hash = ?`, tokenHash[:])
	return err
}

// RecordsAt returns a hall's records of some kinds in a span of their own
// time.
func (s *Store) RecordsAt(ctx context.Context, hallID int64, kinds []string, from, to time.Time) ([]hq.StoredRecord, error) {
	kj, err := json.Marshal(kinds)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT seq, uuid, kind, at, payload, sha256, received_at FROM records
		WHERE hall_id = ? AND at >= ? AND at < ? AND kind IN (SELECT value FROM json_each(?)) ORDER BY seq`,
		hallID, ms(from), ms(to), string(kj))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hq.StoredRecord
	for rows.Next() {
		r := hq.StoredRecord{HallID: hallID}
		var at, recv int64
		var d []byte
		if err := rows.Scan(&r.Seq, &r.UUID, &r.Kind, &at, &r.Payload, &d, &recv); err != nil {
			return nil, err
		}
		r.At, r.ReceivedAt = fromMS(at), fromMS(recv)
		copy(r.SHA256[:], d)
		out = append(out, r)
	}
	return out, rows.Err()
}
