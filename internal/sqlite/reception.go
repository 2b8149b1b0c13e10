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

// Reception days, their visits and follow-ups, and patrols.

func writeReception(ctx context.Context, s *stmts, c *hall.Change) error {
	for _, r := range c.Receptions {
		var cancelled any
		if !r.Cancelled.IsZero() {
			cancelled = r.Cancelled.UnixMilli()
		}
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO reception_days (id, day, hours, leader, place, topics, by_staff, at, cancelled, cancel_note)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET cancelled = excluded.cancelled, cancel_note = excluded.cancel_note`,
			r.ID, r.Day, r.Hours, r.Leader, r.Place, r.Topics, r.By, r.At.UnixMilli(), cancelled, r.CancelNote); err != nil {
			return fmt.Errorf("write reception day: %w", err)
		}
	}
	for _, v := range c.Visits {
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO reception_visits (id, reception_id, day, leader, contact_name, contact_phone, contact_salt,
			matter, commitment, deadline, by_staff, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.ID, v.ReceptionID, v.Day, v.Leader, v.Contact.Name, v.Contact.Phone, v.Salt, v.Matter, v.Commitment, v.Deadline, v.By, v.At.UnixMilli()); err != nil {
			return fmt.Errorf("write visit: %w", err)
		}
		if err := appendLeaf(ctx, s.tx, hall.LeafVisit, v.ID, hall.VisitLeaf(v, v.Salt), v.At); err != nil {
			return err
		}
	}
	for _, n := range c.VisitNotes {
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO reception_notes (id, visit_id, closing, note, by_staff, at) VALUES (?, ?, ?, ?, ?, ?)`,
			n.ID, n.VisitID, n.Closing, n.Note, n.By, n.At.UnixMilli()); err != nil {
			return fmt.Errorf("write visit follow-up: %w", err)
		}
		if err := appendLeaf(ctx, s.tx, hall.LeafVisitNote, n.ID, hall.VisitNoteLeaf(n), n.At); err != nil {
			return err
		}
	}
	for _, p := range c.Patrols {
		if _, err := s.tx.ExecContext(ctx, `INSERT INTO patrols (id, day, at, by_staff, note, log_id) VALUES (?, ?, ?, ?, ?, ?)`,
			p.ID, p.Day, p.At.UnixMilli(), p.By, p.Note, p.LogID); err != nil {
			return fmt.Errorf("write patrol: %w", err)
		}
		for _, r := range p.Results {
			failed, err := json.Marshal(r.Failed)
			if err != nil {
				return err
			}
			if _, err := s.tx.ExecContext(ctx, `INSERT INTO patrol_results (patrol_id, counter, clerk, failed, score, note) VALUES (?, ?, ?, ?, ?, ?)`,
				p.ID, r.Counter, r.Clerk, string(failed), r.Score, r.Note); err != nil {
				return fmt.Errorf("write patrol result: %w", err)
			}
		}
	}
	return nil
}

const receptionCols = `id, day, hours, leader, place, topics, by_staff, at, cancelled, cancel_note`

func scanReception(sc interface{ Scan(...any) error }) (hall.ReceptionDay, error) {
	var r hall.ReceptionDay
	var at int64
	var cancelled sql.NullInt64
	if err := sc.Scan(&r.ID, &r.Day, &r.Hours, &r.Leader, &r.Place, &r.Topics, &r.By, &at, &cancelled, &r.CancelNote); err != nil {
		return r, err
	}
	r.At = time.UnixMilli(at).UTC()
	if cancelled.Valid {
		r.Cancelled = time.UnixMilli(cancelled.Int64).UTC()
	}
	return r, nil
}

const visitCols = `id, reception_id, day, leader, contact_name, contact_phone, contact_salt, matter, commitment, deadline, by_staff, at`

func scanVisit(sc interface{ Scan(...any) error }) (hall.Visit, error) {
	var v hall.Visit
	var at int64
	if err := sc.Scan(&v.ID, &v.ReceptionID, &v.Day, &v.Leader, &v.Contact.Name, &v.Contact.Phone, &v.Salt,
		&v.Matter, &v.Commitment, &v.Deadline, &v.By, &at); err != nil {
		return v, err
	}
	v.At = time.UnixMilli(at).UTC()
	return v, nil
}

const visitNoteCols = `id, visit_id, closing, note, by_staff, at`

func scanVisitNote(sc interface{ Scan(...any) error }) (hall.VisitNote, error) {
	var n hall.VisitNote
	var at int64
	if err := sc.Scan(&n.ID, &n.VisitID, &n.Closing, &n.Note, &n.By, &at); err != nil {
		return n, err
	}
	n.At = time.UnixMilli(at).UTC()
	return n, nil
}

// collect runs a query and scans every row with scan.
func collect[T any](ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, scan func(interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// openVisitWhere selects visits with no closing note.
const openVisitWhere = `NOT EXISTS (SELECT 1 FROM reception_notes n WHERE n.visit_id = v.id AND n.closing = 1)`

func loadReception(ctx context.Context, tx *sql.Tx, s *hall.Snapshot) error {
	var err error
	if s.Receptions, err = collect(ctx, tx, scanReception, `SELECT `+receptionCols+` FROM reception_days`); err != nil {
		return fmt.Errorf("load reception days: %w", err)
	}
	if s.OpenVisits, err = collect(ctx, tx, scanVisit, `SELECT `+visitCols+` FROM reception_visits v WHERE `+openVisitWhere); err != nil {
		return fmt.Errorf("load visits: %w", err)
	}
	s.VisitNotes, err = collect(ctx, tx, scanVisitNote, `SELECT n.id, n.visit_id, n.closing, n.note, n.by_staff, n.at
		FROM reception_notes n JOIN reception_visits v ON v.id = n.visit_id WHERE `+openVisitWhere+` ORDER BY n.at, n.id`)
	if err != nil {
		return fmt.Errorf("load visit follow-ups: %w", err)
	}
	return nil
}

// Visits returns the visits of reception days from..to with their follow-ups.
func (db *DB) Visits(ctx context.Context, from, to string) ([]hall.Visit, []hall.VisitNote, error) {
	vs, err := collect(ctx, db.r, scanVisit, `SELECT `+visitCols+` FROM reception_visits WHERE day BETWEEN ? AND ?`, from, to)
	if err != nil {
		return nil, nil, err
	}
	ns, err := collect(ctx, db.r, scanVisitNote, `SELECT n.id, n.visit_id, n.closing, n.note, n.by_staff, n.at
		FROM reception_notes n JOIN reception_visits v ON v.id = n.visit_id WHERE v.day BETWEEN ? AND ? ORDER BY n.at, n.id`, from, to)
	return vs, ns, err
}

// Visit returns one visit with its follow-ups.
func (db *DB) Visit(ctx context.Context, id string) (hall.Visit, []hall.VisitNote, error) {
	v, err := scanVisit(db.r.QueryRowContext(ctx, `SELECT `+visitCols+` FROM reception_visits WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, nil, hall.ErrUnknownMatter.WithMessage("没有这条来访记录", "no visit %s", id)
	}
	if err != nil {
		return v, nil, err
	}
	ns, err := collect(ctx, db.r, scanVisitNote, `SELECT `+visitNoteCols+` FROM reception_notes WHERE visit_id = ? ORDER BY at, id`, id)
	return v, ns, err
}

// Patrols returns the patrols of days from..to with their results.
func (db *DB) Patrols(ctx context.Context, from, to string) ([]hall.Patrol, error) {
	ps, err := collect(ctx, db.r, func(sc interface{ Scan(...any) error }) (hall.Patrol, error) {
		var p hall.Patrol
		var at int64
		err := sc.Scan(&p.ID, &p.Day, &at, &p.By, &p.Note, &p.LogID)
		p.At = time.UnixMilli(at).UTC()
		return p, err
	}, `SELECT id, day, at, by_staff, note, log_id FROM patrols WHERE day BETWEEN ? AND ? ORDER BY at, id`, from, to)
	if err != nil {
		return nil, err
	}
	byID := map[string]*hall.Patrol{}
	for i := range ps {
		byID[ps[i].ID] = &ps[i]
	}
	rows, err := db.r.QueryContext(ctx, `SELECT r.patrol_id, r.counter, r.clerk, r.failed, r.score, r.note FROM patrol_results r
		JOIN patrols p ON p.id = r.patrol_id WHERE p.day BETWEEN ? AND ? ORDER BY r.patrol_id, r.counter`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, failed string
		var r hall.PatrolResult
		if err := rows.Scan(&id, &r.Counter, &r.Clerk, &failed, &r.Score, &r.Note); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(failed), &r.Failed); err != nil {
			return nil, fmt.Errorf("patrol %s: %w", id, err)
		}
		if p := byID[id]; p != nil {
			p.Results = append(p.Results, r)
		}
	}
	if ps == nil {
		ps = []hall.Patrol{}
	}
	return ps, rows.Err()
}

// ComplaintsBetween returns the complaints taken on days from..to (local
// dates in loc), closed ones included, contacts in full, with every status record.
func (db *DB) ComplaintsBetween(ctx context.Context, from, to string, loc *time.Location) ([]hall.Complaint, []hall.ComplaintStatus, error) {
	start, err1 := time.ParseInLocation(time.DateOnly, from, loc)
	end, err2 := time.ParseInLocation(time.DateOnly, to, loc)
	if err1 != nil || err2 != nil {
		return nil, nil, hall.ErrInvalid.WithMessage("日期格式有误，例如 2026-12-01", "bad range %q..%q", from, to)
	}
	lo, hi := start.UnixMilli(), end.AddDate(0, 0, 1).UnixMilli()
	cs, err := collect(ctx, db.r, func(sc interface{ Scan(...any) error }) (hall.Complaint, error) {
		var c hall.Complaint
		var created int64
		err := sc.Scan(&c.ID, &c.TicketID, &c.Number, &c.Counter, &c.Clerk, &c.What, &c.Where, &c.Occurred,
			&c.Contact.Name, &c.Contact.Phone, &created)
		c.CreatedAt = time.UnixMilli(created).UTC()
		return c, err
	}, `SELECT id, ticket_id, number, counter, clerk, what, place, occurred, contact_name, contact_phone, created_at
		FROM complaints WHERE created_at >= ? AND created_at < ?`, lo, hi)
	if err != nil {
		return nil, nil, err
	}
	ss, err := collect(ctx, db.r, func(sc interface{ Scan(...any) error }) (hall.ComplaintStatus, error) {
		var st hall.ComplaintStatus
		var at int64
		err := sc.Scan(&st.ID, &st.ComplaintID, &st.Step, &st.Note, &st.By, &at)
		st.At = time.UnixMilli(at).UTC()
		return st, err
	}, `SELECT s.id, s.complaint_id, s.step, s.note, s.by_staff, s.at FROM complaint_status s
		JOIN complaints c ON c.id = s.complaint_id WHERE c.created_at >= ? AND c.created_at < ? ORDER BY s.at, s.id`, lo, hi)
	return cs, ss, err
}

// visitLeafOf and visitNoteLeafOf re-derive leaves from their rows, for verify.
func visitLeafOf(ctx context.Context, db *sql.DB, id string) ([]byte, bool, error) {
	v, err := scanVisit(db.QueryRowContext(ctx, `SELECT `+visitCols+` FROM reception_visits WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return hall.VisitLeaf(v, v.Salt), true, nil
}

func visitNoteLeafOf(ctx context.Context, db *sql.DB, id string) ([]byte, bool, error) {
	n, err := scanVisitNote(db.QueryRowContext(ctx, `SELECT `+visitNoteCols+` FROM reception_notes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return hall.VisitNoteLeaf(n), true, nil
}

// receptionLeaves are the register's leaf kinds kept by this file, with
// what verify calls each record when it is damaged.
var receptionLeaves = map[string]struct {
	of   func(context.Context, *sql.DB, string) ([]byte, bool, error)
	name string
}{
	hall.LeafVisit:     {visitLeafOf, "接待日来访记录"},
	hall.LeafVisitNote: {visitNoteLeafOf, "来访跟进记录"},
}

// receptionUnregistered counts visit records and follow-ups missing from the register.
const receptionUnregistered = `(SELECT count(*) FROM reception_visits v WHERE NOT EXISTS (SELECT 1 FROM register_leaves l WHERE l.record_id = v.id))
		+ (SELECT count(*) FROM reception_notes n WHERE NOT EXISTS (SELECT 1 FROM register_leaves l WHERE l.record_id = n.id))`
