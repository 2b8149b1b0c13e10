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
			m.Contact.Name, m.Contact.Phone, m.CreatedAt.UnixMilli()); err != nil {
			return fmt.Errorf("write complaint: %w", err)
		}
	}
	for _, f := range c.Faults {
		if _, err := s.exec(ctx, qInsertFault, f.ID, f.TicketID, f.Number, f.Counter, f.Clerk, f.What, f.Where, f.Occurred,
			f.Contact.Name, f.Contact.Phone, f.CreatedAt.UnixMilli()); err != nil {
			return fmt.Errorf("write fault report: %w", err)
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
