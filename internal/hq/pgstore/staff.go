package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"servicehall/internal/hq"
)

// AddStaff registers a member of HQ's staff.
func (s *Store) AddStaff(ctx context.Context, name string, pwHash []byte, now time.Time) (hq.Staff, error) {
	st := hq.Staff{Name: name, Created: ts(now)}
	err := s.pool.QueryRow(ctx, `INSERT INTO staff (name, pw_hash, created) VALUES ($1, $2, $3) RETURNING id`, name, pwHash, st.Created).Scan(&st.ID)
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return hq.Staff{}, hq.ErrStaffExists
		}
		return hq.Staff{}, fmt.Errorf("add staff: %w", err)
	}
	return st, nil
}

// StaffPassword returns a staff member and the password hash.
func (s *Store) StaffPassword(ctx context.Context, name string) (hq.Staff, []byte, error) {
	var st hq.Staff
	var hash []byte
	err := s.pool.QueryRow(ctx, `SELECT id, name, pw_hash, created FROM staff WHERE name = $1`, name).Scan(&st.ID, &st.Name, &hash, &st.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, nil, hq.ErrUnknownStaff
	}
	if err != nil {
		return st, nil, err
	}
	st.Created = st.Created.UTC()
	return st, hash, nil
}

// AddStaffSession keeps a session.
func (s *Store) AddStaffSession(ctx context.Context, tokenHash [32]byte, staffID int64, now, expires time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM staff_sessions WHERE expires < $1`, ts(now.Add(-24*time.Hour))); err != nil {
		return fmt.Errorf("drop old sessions: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO staff_sessions (token_hash, staff_id, created, expires) VALUES ($1, $2, $3, $4)`,
		tokenHash[:], staffID, ts(now), ts(expires)); err != nil {
		return fmt.Errorf("add session: %w", err)
	}
	return nil
}

// StaffSession returns the staff member of a live session.
func (s *Store) StaffSession(ctx context.Context, tokenHash [32]byte, now time.Time) (hq.Staff, error) {
	var st hq.Staff
	err := s.pool.QueryRow(ctx, `SELECT s.id, s.name, s.created FROM staff_sessions x JOIN staff s ON s.id = x.staff_id
		WHERE x.token_hash = $1 AND x.expires > $2`, tokenHash[:], ts(now)).Scan(&st.ID, &st.Name, &st.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, hq.ErrUnknownStaff
	}
	if err != nil {
		return st, err
	}
	st.Created = st.Created.UTC()
	return st, nil
}

// EndStaffSession ends a session.
func (s *Store) EndStaffSession(ctx context.Context, tokenHash [32]byte) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM staff_sessions WHERE token_hash = $1`, tokenHash[:])
	return err
}

// RecordsAt returns a hall's records of some kinds in a span of their own
// time.
func (s *Store) RecordsAt(ctx context.Context, hallID int64, kinds []string, from, to time.Time) ([]hq.StoredRecord, error) {
	ek := make([]string, len(kinds))
	for i, k := range kinds {
		ek[i] = esc(k)
	}
	rows, err := s.pool.Query(ctx, `SELECT seq, uuid, kind, at, payload, sha256, received_at FROM records
		WHERE hall_id = $1 AND at >= $2 AND at < $3 AND kind = ANY($4::text[]) ORDER BY seq`,
		hallID, from.UnixMilli(), to.UnixMilli(), ek)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hq.StoredRecord
	for rows.Next() {
		r := hq.StoredRecord{HallID: hallID}
		var at int64
		var d []byte
		if err := rows.Scan(&r.Seq, &r.UUID, &r.Kind, &at, &r.Payload, &d, &r.ReceivedAt); err != nil {
			return nil, err
		}
		r.UUID, r.Kind = unesc(r.UUID), unesc(r.Kind)
		r.At, r.ReceivedAt = time.UnixMilli(at).UTC(), r.ReceivedAt.UTC()
		copy(r.SHA256[:], d)
		out = append(out, r)
	}
	return out, rows.Err()
}
