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

func writeMatters(ctx context.Context, s *stmts, c *hall.Change) error {
	for _, e := range c.Escalations {
		if _, err := s.exec(ctx, qUpsertEscalation, e.ID, e.TicketID, e.Number, e.Counter, e.Owner, e.Need, e.Assignee, e.Due,
			e.Contact.Name, e.Contact.Phone, e.CreatedAt.UnixMilli(), e.Reply, ms(e.RepliedAt), e.RepliedBy); err != nil {
			return fmt.Errorf("write escalation: %w", err)
		}
	}
	for _, p := range c.Proxies {
		if _, err := s.exec(ctx, qUpsertProxy, p.ID, p.TicketID, p.Number, p.Counter, p.Clerk, p.Summary, string(p.State),
			p.CreatedAt.UnixMilli(), ms(p.DecidedAt)); err != nil {
			return fmt.Errorf("write proxy: %w", err)
		}
	}
	for _, m := range c.Complaints {
		if _, err := s.exec(ctx, qInsertComplaint, m.ID, m.TicketID, m.Number, m.Counter, m.Clerk, m.What, m.Where, m.Occurred,
			m.Contact.Name, m.Contact.Phone, m.CreatedAt.UnixMilli(), m.Salt); err != nil {
			return fmt.Errorf("write complaint: %w", err)
		}
		if err := appendLeaf(ctx, s.tx, hall.LeafComplaint, m.ID, hall.ComplaintLeaf(m, m.Salt), m.CreatedAt); err != nil {
			return err
		}
	}
	for _, f := range c.Faults {
		if _, err := s.exec(ctx, qInsertFault, f.ID, f.TicketID, f.Number, f.Counter, f.Clerk, f.What, f.Where, f.Occurred,
			f.Contact.Name, f.Contact.Phone, f.CreatedAt.UnixMilli()); err != nil {
			return fmt.Errorf("write fault report: %w", err)
		}
	}
	for _, r := range c.Ratings {
		reasons, err := json.Marshal(r.Reasons)
		if err != nil {
			return err
		}
		if r.Reasons == nil {
			reasons = []byte("[]")
		}
		if _, err := s.exec(ctx, qInsertRating, r.ID, r.ServiceID, r.TicketID, r.Number, r.Counter, r.Clerk, int(r.Level),
			string(reasons), r.Phone, r.At.UnixMilli()); err != nil {
			return fmt.Errorf("write rating: %w", err)
		}
	}
	for _, n := range c.Notices {
		if _, err := s.exec(ctx, qUpsertNotice, n.ID, string(n.Kind), n.Text, n.From.UnixMilli(), n.Until.UnixMilli(), n.PostedBy, ms(n.Ended)); err != nil {
			return fmt.Errorf("write notice: %w", err)
		}
	}
	if c.Scripts != nil {
		b, err := json.Marshal(c.Scripts)
		if err != nil {
			return err
		}
		if _, err := s.exec(ctx, qUpsertSetting, "scripts", string(b)); err != nil {
			return fmt.Errorf("write scripts: %w", err)
		}
	}
	return nil
}

func loadMatters(ctx context.Context, tx *sql.Tx, s *hall.Snapshot) error {
	var raw string
	switch err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'scripts'`).Scan(&raw); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("load scripts: %w", err)
	default:
		var sc hall.Scripts
		if err := json.Unmarshal([]byte(raw), &sc); err != nil {
			return fmt.Errorf("load scripts: %w", err)
		}
		s.Scripts = &sc
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, ticket_id, number, counter, owner, need, assignee, due, contact_name,
		contact_phone, created_at FROM escalations WHERE replied_at IS NULL`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var e hall.Escalation
		var created int64
		if err := rows.Scan(&e.ID, &e.TicketID, &e.Number, &e.Counter, &e.Owner, &e.Need, &e.Assignee, &e.Due,
			&e.Contact.Name, &e.Contact.Phone, &created); err != nil {
			rows.Close()
			return err
		}
		e.CreatedAt = time.UnixMilli(created).UTC()
		s.Escalations = append(s.Escalations, e)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := loadRatingsNotices(ctx, tx, s); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, ticket_id, number, counter, clerk, summary, state, created_at FROM proxies WHERE state = 'pending'`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p hall.Proxy
		var created int64
		if err := rows.Scan(&p.ID, &p.TicketID, &p.Number, &p.Counter, &p.Clerk, &p.Summary, &p.State, &created); err != nil {
			return err
		}
		p.CreatedAt = time.UnixMilli(created).UTC()
		s.Proxies = append(s.Proxies, p)
	}
	return rows.Err()
}

func loadRatingsNotices(ctx context.Context, tx *sql.Tx, s *hall.Snapshot) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, service_id, ticket_id, number, counter, clerk, level, reasons, phone, at FROM ratings
		WHERE ticket_id IN (SELECT id FROM tickets WHERE day = (SELECT max(day) FROM tickets))`)
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
			return fmt.Errorf("rating reasons: %w", err)
		}
		r.At = time.UnixMilli(at).UTC()
		s.Ratings = append(s.Ratings, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, kind, text, from_at, until_at, posted_by FROM notices WHERE ended IS NULL`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n hall.Notice
		var from, until int64
		if err := rows.Scan(&n.ID, &n.Kind, &n.Text, &from, &until, &n.PostedBy); err != nil {
			return err
		}
		n.From, n.Until = time.UnixMilli(from).UTC(), time.UnixMilli(until).UTC()
		s.Notices = append(s.Notices, n)
	}
	return rows.Err()
}
