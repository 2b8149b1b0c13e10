package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"servicehall/internal/hall"
)

func writeDesk(ctx context.Context, s *stmts, c *hall.Change) error {
	for _, r := range c.Roster {
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO roster (day, director, note) VALUES (?, ?, ?)
			ON CONFLICT (day) DO UPDATE SET director = excluded.director, note = excluded.note`, r.Day, r.Director, r.Note); err != nil {
			return fmt.Errorf("write roster: %w", err)
		}
	}
	for _, e := range c.Logs {
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO director_log (id, at, day, author, category, text, amends) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.At.UnixMilli(), e.Day, e.Author, e.Category, e.Text, e.Amends); err != nil {
			return fmt.Errorf("write log entry: %w", err)
		}
		if err := appendLeaf(ctx, s.tx, hall.LeafLog, e.ID, hall.LogLeaf(e), e.At); err != nil {
			return err
		}
	}
	for _, st := range c.Statuses {
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO complaint_status (id, complaint_id, step, note, by_staff, at) VALUES (?, ?, ?, ?, ?, ?)`,
			st.ID, st.ComplaintID, string(st.Step), st.Note, st.By, st.At.UnixMilli()); err != nil {
			return fmt.Errorf("write complaint status: %w", err)
		}
		if err := appendLeaf(ctx, s.tx, hall.LeafComplaintStatus, st.ID, hall.ComplaintStatusLeaf(st), st.At); err != nil {
			return err
		}
	}
	for _, f := range c.FollowUps {
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO rating_followups (id, rating_id, kind, note, by_staff, at) VALUES (?, ?, ?, ?, ?, ?)`,
			f.ID, f.RatingID, string(f.Kind), f.Note, f.By, f.At.UnixMilli()); err != nil {
			return fmt.Errorf("write rating follow-up: %w", err)
		}
		if err := appendLeaf(ctx, s.tx, hall.LeafRatingFollowUp, f.ID, hall.RatingFollowUpLeaf(f), f.At); err != nil {
			return err
		}
	}
	if c.Calendar != nil {
		b, err := json.Marshal(c.Calendar)
		if err != nil {
			return err
		}
		if _, err := s.exec(ctx, qUpsertSetting, "calendar", string(b)); err != nil {
			return fmt.Errorf("write calendar: %w", err)
		}
	}
	if c.Emergency != nil {
		b, err := json.Marshal(c.Emergency)
		if err != nil {
			return err
		}
		if _, err := s.exec(ctx, qUpsertSetting, "emergency", string(b)); err != nil {
			return fmt.Errorf("write emergency: %w", err)
		}
	}
	return nil
}

func loadDesk(ctx context.Context, tx *sql.Tx, s *hall.Snapshot) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.day, r.director, r.note, coalesce(st.name, '') FROM roster r LEFT JOIN staff st ON st.no = r.director`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r hall.RosterDay
		if err := rows.Scan(&r.Day, &r.Director, &r.Note, &r.Name); err != nil {
			rows.Close()
			return err
		}
		s.Roster = append(s.Roster, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id FROM director_log`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		s.LogIDs = append(s.LogIDs, id)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := loadComplaints(ctx, tx, s); err != nil {
		return err
	}
	if err := loadBadRatings(ctx, tx, s); err != nil {
		return err
	}
	var raw string
	switch err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'emergency'`).Scan(&raw); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		var em hall.Emergency
		if err := json.Unmarshal([]byte(raw), &em); err != nil {
			return fmt.Errorf("load emergency: %w", err)
		}
		if em.Active {
			s.Emergency = &em
		}
	}
	return nil
}

// Log returns the director's log of a local day, oldest first; amending
// entries name the entry they correct.
func (db *DB) Log(ctx context.Context, day string) ([]hall.LogEntry, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, at, day, author, category, text, amends FROM director_log WHERE day = ? ORDER BY at, id`, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []hall.LogEntry{}
	for rows.Next() {
		var e hall.LogEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Day, &e.Author, &e.Category, &e.Text, &e.Amends); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// logLeafOf re-derives a log entry's leaf from its row, for verify.
func logLeafOf(ctx context.Context, db *sql.DB, id string) ([]byte, bool, error) {
	var e hall.LogEntry
	var at int64
	err := db.QueryRowContext(ctx, `SELECT id, at, day, author, category, text, amends FROM director_log WHERE id = ?`, id).
		Scan(&e.ID, &at, &e.Day, &e.Author, &e.Category, &e.Text, &e.Amends)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	e.At = time.UnixMilli(at).UTC()
	return hall.LogLeaf(e), true, nil
}

// loadComplaints reads the complaints not yet closed, their status records
// and the working-day calendar.
func loadComplaints(ctx context.Context, tx *sql.Tx, s *hall.Snapshot) error {
	var raw string
	switch err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'calendar'`).Scan(&raw); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		var c hall.Calendar
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return fmt.Errorf("load calendar: %w", err)
		}
		s.Calendar = &c
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, ticket_id, number, counter, clerk, what, place, occurred, contact_name, contact_phone, created_at
		FROM complaints c WHERE NOT EXISTS (SELECT 1 FROM complaint_status s WHERE s.complaint_id = c.id AND s.step = 'closed')`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c hall.Complaint
		var created int64
		if err := rows.Scan(&c.ID, &c.TicketID, &c.Number, &c.Counter, &c.Clerk, &c.What, &c.Where, &c.Occurred,
			&c.Contact.Name, &c.Contact.Phone, &created); err != nil {
			rows.Close()
			return err
		}
		c.CreatedAt = time.UnixMilli(created).UTC()
		s.OpenComplaints = append(s.OpenComplaints, c)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, complaint_id, step, note, by_staff, at FROM complaint_status s
		WHERE NOT EXISTS (SELECT 1 FROM complaint_status x WHERE x.complaint_id = s.complaint_id AND x.step = 'closed') ORDER BY at, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var st hall.ComplaintStatus
		var at int64
		if err := rows.Scan(&st.ID, &st.ComplaintID, &st.Step, &st.Note, &st.By, &at); err != nil {
			return err
		}
		st.At = time.UnixMilli(at).UTC()
		s.ComplaintStatuses = append(s.ComplaintStatuses, st)
	}
	return rows.Err()
}

// statusLeafOf re-derives a complaint status record's leaf, for verify.
func statusLeafOf(ctx context.Context, db *sql.DB, id string) ([]byte, bool, error) {
	var st hall.ComplaintStatus
	var at int64
	err := db.QueryRowContext(ctx, `SELECT id, complaint_id, step, note, by_staff, at FROM complaint_status WHERE id = ?`, id).
		Scan(&st.ID, &st.ComplaintID, &st.Step, &st.Note, &st.By, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	st.At = time.UnixMilli(at).UTC()
	return hall.ComplaintStatusLeaf(st), true, nil
}

// openBadWhere selects bad ratings not yet both rectified and called back.
const openBadWhere = `r.level IN (1, 2) AND NOT (
	EXISTS (SELECT 1 FROM rating_followups f WHERE f.rating_id = r.id AND f.kind = 'rectified') AND
	EXISTS (SELECT 1 FROM rating_followups f WHERE f.rating_id = r.id AND f.kind = 'called_back'))`

// loadBadRatings reads the open bad ratings and their follow-ups.
func loadBadRatings(ctx context.Context, tx *sql.Tx, s *hall.Snapshot) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, service_id, ticket_id, number, counter, clerk, level, reasons, phone, at FROM ratings r WHERE `+openBadWhere)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r hall.Rating
		var reasons string
		var at int64
		if err := rows.Scan(&r.ID, &r.ServiceID, &r.TicketID, &r.Number, &r.Counter, &r.Clerk, &r.Level, &reasons, &r.Phone, &at); err != nil {
			rows.Close()
			return err
		}
		if err := json.Unmarshal([]byte(reasons), &r.Reasons); err != nil {
			rows.Close()
			return err
		}
		r.At = time.UnixMilli(at).UTC()
		s.OpenBadRatings = append(s.OpenBadRatings, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT f.id, f.rating_id, f.kind, f.note, f.by_staff, f.at FROM rating_followups f
		JOIN ratings r ON r.id = f.rating_id WHERE `+openBadWhere+` ORDER BY f.at, f.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f hall.RatingFollowUp
		var at int64
		if err := rows.Scan(&f.ID, &f.RatingID, &f.Kind, &f.Note, &f.By, &at); err != nil {
			return err
		}
		f.At = time.UnixMilli(at).UTC()
		s.RatingFollowUps = append(s.RatingFollowUps, f)
	}
	return rows.Err()
}

// followUpLeafOf re-derives a follow-up's leaf, for verify.
func followUpLeafOf(ctx context.Context, db *sql.DB, id string) ([]byte, bool, error) {
	var f hall.RatingFollowUp
	var at int64
	err := db.QueryRowContext(ctx, `SELECT id, rating_id, kind, note, by_staff, at FROM rating_followups WHERE id = ?`, id).
		Scan(&f.ID, &f.RatingID, &f.Kind, &f.Note, &f.By, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	f.At = time.UnixMilli(at).UTC()
	return hall.RatingFollowUpLeaf(f), true, nil
}
