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

var _ hall.Store = (*DB)(nil)

// ms converts a time to the stored form: UTC milliseconds, NULL when zero.
func ms(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// fromMS converts a stored time back.
func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Load reads what the hall needs to resume.
func (db *DB) Load(ctx context.Context) (hall.Snapshot, error) {
	var s hall.Snapshot
	tx, err := db.w.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return s, err
	}
	defer tx.Rollback()

	var policy string
	err = tx.QueryRowContext(ctx, `SELECT code, name, time_zone, policy FROM hall WHERE id = 1`).
		Scan(&s.Hall.Code, &s.Hall.Name, &s.Hall.TimeZone, &policy)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return s, nil
	case err != nil:
		return s, fmt.Errorf("load hall: %w", err)
	}
	s.Configured = true
	if err := json.Unmarshal([]byte(policy), &s.Policy); err != nil {
		return s, fmt.Errorf("load policy: %w", err)
	}
	if s.Types, err = queryTypes(ctx, tx); err != nil {
		return s, err
	}
	if s.Counters, err = queryCounters(ctx, tx); err != nil {
		return s, err
	}
	if s.Staff, err = queryStaff(ctx, tx); err != nil {
		return s, err
	}
	if s.Tickets, err = queryTickets(ctx, tx, `
		SELECT `+ticketCols+` FROM tickets WHERE day = (SELECT max(day) FROM tickets)
		UNION
		SELECT `+ticketCols+` FROM tickets WHERE id IN (SELECT current_ticket FROM counters WHERE current_ticket <> '')`); err != nil {
		return s, err
	}
	if s.Services, err = queryServices(ctx, tx, `
		SELECT `+serviceCols+` FROM services WHERE ended_at IS NULL
		UNION
		SELECT `+serviceCols+` FROM services WHERE ticket_id IN (SELECT id FROM tickets WHERE day = (SELECT max(day) FROM tickets))`); err != nil {
		return s, err
	}
	if err := loadMatters(ctx, tx, &s); err != nil {
		return s, err
	}
	if err := loadDesk(ctx, tx, &s); err != nil {
		return s, err
	}
	if err := loadReception(ctx, tx, &s); err != nil {
		return s, err
	}
	srows, err := tx.QueryContext(ctx, `SELECT token_hash, staff, counter, since FROM sessions WHERE ended IS NULL`)
	if err != nil {
		return s, err
	}
	for srows.Next() {
		var r hall.SessionRecord
		var since int64
		if err := srows.Scan(&r.TokenHash, &r.Staff, &r.Counter, &since); err != nil {
			srows.Close()
			return s, err
		}
		r.Since = time.UnixMilli(since).UTC()
		s.Sessions = append(s.Sessions, r)
	}
	if err := srows.Close(); err != nil {
		return s, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT day, prefix, max(seq) FROM tickets WHERE day = (SELECT max(day) FROM tickets) GROUP BY day, prefix`)
	if err != nil {
		return s, err
	}
	for rows.Next() {
		var n hall.DayNumber
		if err := rows.Scan(&n.Day, &n.Prefix, &n.Last); err != nil {
			rows.Close()
			return s, err
		}
		s.Numbers = append(s.Numbers, n)
	}
	if err := rows.Close(); err != nil {
		return s, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM events`).Scan(&s.LastSeq); err != nil {
		return s, err
	}
	return s, tx.Commit()
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryTypes(ctx context.Context, q querier) ([]hall.BusinessType, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, name, prefix, position, daily_cap, retired FROM business_types ORDER BY position, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hall.BusinessType
	for rows.Next() {
		var t hall.BusinessType
		if err := rows.Scan(&t.Code, &t.Name, &t.Prefix, &t.Position, &t.DailyCap, &t.Retired); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func queryCounters(ctx context.Context, q querier) ([]hall.Counter, error) {
	rows, err := q.QueryContext(ctx, `SELECT no, name, types, state, clerk, current_ticket, priority_run, last_service_ms FROM counters ORDER BY no`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hall.Counter
	for rows.Next() {
		var c hall.Counter
		var types string
		var lastMS int64
		if err := rows.Scan(&c.No, &c.Name, &types, &c.State, &c.Clerk, &c.Current, &c.PriorityRun, &lastMS); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(types), &c.Types); err != nil {
			return nil, fmt.Errorf("counter %d types: %w", c.No, err)
		}
		c.LastServiceDur = time.Duration(lastMS) * time.Millisecond
		out = append(out, c)
	}
	return out, rows.Err()
}

func queryStaff(ctx context.Context, q querier) ([]hall.Staff, error) {
	rows, err := q.QueryContext(ctx, `SELECT no, name, role, active, pin_hash, failed_pins, locked FROM staff ORDER BY no`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hall.Staff
	for rows.Next() {
		var m hall.Staff
		if err := rows.Scan(&m.No, &m.Name, &m.Role, &m.Active, &m.PINHash, &m.FailedPINs, &m.Locked); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

const ticketCols = `id, day, prefix, seq, number, type, priority, state, queue_order,
	issued_at, first_called_at, called_at, started_at, ended_at,
	counter, target_counter, owner, recalls, requeued, transfers, apologise`

func queryTickets(ctx context.Context, q querier, query string, args ...any) ([]hall.Ticket, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hall.Ticket
	for rows.Next() {
		var t hall.Ticket
		var issued int64
		var first, called, started, ended sql.NullInt64
		if err := rows.Scan(&t.ID, &t.Day, &t.Prefix, &t.Seq, &t.Number, &t.Type, &t.Priority, &t.State, &t.Order,
			&issued, &first, &called, &started, &ended,
			&t.Counter, &t.TargetCounter, &t.Owner, &t.Recalls, &t.Requeued, &t.Transfers, &t.Apologise); err != nil {
			return nil, err
		}
		t.IssuedAt = time.UnixMilli(issued).UTC()
		t.FirstCalledAt, t.CalledAt, t.StartedAt, t.EndedAt = fromMS(first), fromMS(called), fromMS(started), fromMS(ended)
		out = append(out, t)
	}
	return out, rows.Err()
}

const serviceCols = `id, ticket_id, number, type, priority, counter, clerk, owner, called_at, started_at, ended_at, outcome, apologised`

func queryServices(ctx context.Context, q querier, query string, args ...any) ([]hall.ServiceRecord, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hall.ServiceRecord
	for rows.Next() {
		var s hall.ServiceRecord
		var called, started int64
		var ended sql.NullInt64
		if err := rows.Scan(&s.ID, &s.TicketID, &s.Number, &s.Type, &s.Priority, &s.Counter, &s.Clerk, &s.Owner,
			&called, &started, &ended, &s.Outcome, &s.Apologised); err != nil {
			return nil, err
		}
		s.CalledAt, s.StartedAt, s.EndedAt = time.UnixMilli(called).UTC(), time.UnixMilli(started).UTC(), fromMS(ended)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Commit writes a change in one immediate transaction.
func (db *DB) Commit(ctx context.Context, c *hall.Change) ([]int64, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	seqs, err := writeChange(ctx, &stmts{db: db, tx: tx}, c)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return seqs, nil
}

// The writer's statements, prepared once when the database opens.
const (
	qUpsertType = `INSERT INTO business_types (code, name, prefix, position, daily_cap, retired) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, prefix = excluded.prefix, position = excluded.position,
			daily_cap = excluded.daily_cap, retired = excluded.retired`
	qUpsertStaff = `INSERT INTO staff (no, name, role, active, pin_hash, failed_pins, locked) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (no) DO UPDATE SET name = excluded.name, role = excluded.role, active = excluded.active,
			pin_hash = coalesce(excluded.pin_hash, staff.pin_hash), failed_pins = excluded.failed_pins, locked = excluded.locked`
	qUpsertSession = `INSERT INTO sessions (token_hash, staff, counter, since, ended) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (token_hash) DO UPDATE SET ended = excluded.ended`
	qUpsertCounter = `INSERT INTO counters (no, name, types, state, clerk, current_ticket, priority_run, last_service_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (no) DO UPDATE SET name = excluded.name, types = excluded.types, state = excluded.state,
			clerk = excluded.clerk, current_ticket = excluded.current_ticket, priority_run = excluded.priority_run,
			last_service_ms = excluded.last_service_ms`
	qUpsertTicket = `INSERT INTO tickets (` + ticketCols + `)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET type = excluded.type, state = excluded.state, queue_order = excluded.queue_order,
			first_called_at = excluded.first_called_at, called_at = excluded.called_at, started_at = excluded.started_at,
			ended_at = excluded.ended_at, counter = excluded.counter, target_counter = excluded.target_counter,
			owner = excluded.owner, recalls = excluded.recalls, requeued = excluded.requeued,
			transfers = excluded.transfers, apologise = excluded.apologise`
	qUpsertService = `INSERT INTO services (` + serviceCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET clerk = excluded.clerk, ended_at = excluded.ended_at, outcome = excluded.outcome`
	qAppendEvent = `INSERT INTO events (uuid, kind, at, payload, sha256) VALUES (?, ?, ?, ?, ?)`
)

// Matter statements.
const (
	qUpsertEscalation = `INSERT INTO escalations (id, ticket_id, number, counter, owner, need, assignee, due, contact_name,
			contact_phone, created_at, reply, replied_at, replied_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET reply = excluded.reply, replied_at = excluded.replied_at, replied_by = excluded.replied_by`
	qUpsertProxy = `INSERT INTO proxies (id, ticket_id, number, counter, clerk, summary, state, created_at, decided_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET state = excluded.state, decided_at = excluded.decided_at`
	qInsertComplaint = `INSERT INTO complaints (id, ticket_id, number, counter, clerk, what, place, occurred, contact_name,
			contact_phone, created_at, contact_salt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qInsertFault = `INSERT INTO fault_reports (id, ticket_id, number, counter, clerk, what, place, occurred, contact_name,
			contact_phone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qUpsertSetting = `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`
)

// Rating and notice statements.
const (
	qInsertRating = `INSERT INTO ratings (id, service_id, ticket_id, number, counter, clerk, level, reasons, phone, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	qUpsertNotice = `INSERT INTO notices (id, kind, text, from_at, until_at, posted_by, ended) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET ended = coalesce(notices.ended, excluded.ended)`
)

// writerQueries lists them for preparing.
var writerQueries = []string{qInsertRating, qUpsertNotice, qUpsertEscalation, qUpsertProxy, qInsertComplaint, qInsertFault, qUpsertSetting, qUpsertType, qUpsertStaff, qUpsertSession, qUpsertCounter, qUpsertTicket, qUpsertService, qAppendEvent}

// stmts runs the writer's statements inside one transaction. Each statement
// is prepared once on the writer connection and reused by every later
// transaction: preparing is most of a small commit's CPU time.
type stmts struct {
	db *DB
	tx *sql.Tx
}

func (s *stmts) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st := s.db.prepared[query]
	if st == nil { // a programming error: every writer query is in writerQueries
		return nil, fmt.Errorf("statement not prepared: %.40s", query)
	}
	return s.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

// prepare readies the writer's statements. It runs at open, before any
// transaction holds the single writer connection.
func (db *DB) prepare(ctx context.Context) error {
	for _, q := range writerQueries {
		st, err := db.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %.40s: %w", q, err)
		}
		db.prepared[q] = st
	}
	return nil
}

func writeChange(ctx context.Context, s *stmts, c *hall.Change) ([]int64, error) {
	if c.Hall != nil || c.Policy != nil {
		if err := writeHall(ctx, s.tx, c); err != nil {
			return nil, err
		}
	}
	for _, t := range c.Types {
		if _, err := s.exec(ctx, qUpsertType,
			t.Code, t.Name, t.Prefix, t.Position, t.DailyCap, b2i(t.Retired)); err != nil {
			return nil, fmt.Errorf("write business type %s: %w", t.Code, err)
		}
	}
	for _, m := range c.Staff {
		if _, err := s.exec(ctx, qUpsertStaff,
			m.No, m.Name, string(m.Role), b2i(m.Active), m.PINHash, m.FailedPINs, b2i(m.Locked)); err != nil {
			return nil, fmt.Errorf("write staff %s: %w", m.No, err)
		}
	}
	for _, k := range c.Counters {
		types, err := json.Marshal(k.Types)
		if err != nil {
			return nil, err
		}
		if _, err := s.exec(ctx, qUpsertCounter,
			k.No, k.Name, string(types), string(k.State), k.Clerk, k.Current, k.PriorityRun, k.LastServiceDur.Milliseconds()); err != nil {
			return nil, fmt.Errorf("write counter %d: %w", k.No, err)
		}
	}
	for _, t := range c.Tickets {
		if _, err := s.exec(ctx, qUpsertTicket,
			t.ID, t.Day, t.Prefix, t.Seq, t.Number, t.Type, int(t.Priority), string(t.State), t.Order,
			t.IssuedAt.UnixMilli(), ms(t.FirstCalledAt), ms(t.CalledAt), ms(t.StartedAt), ms(t.EndedAt),
			t.Counter, t.TargetCounter, t.Owner, t.Recalls, b2i(t.Requeued), t.Transfers, b2i(t.Apologise)); err != nil {
			return nil, fmt.Errorf("write ticket %s: %w", t.Number, err)
		}
	}
	for _, r := range c.Services {
		if _, err := s.exec(ctx, qUpsertService,
			r.ID, r.TicketID, r.Number, r.Type, int(r.Priority), r.Counter, r.Clerk, r.Owner,
			r.CalledAt.UnixMilli(), r.StartedAt.UnixMilli(), ms(r.EndedAt), string(r.Outcome), b2i(r.Apologised)); err != nil {
			return nil, fmt.Errorf("write service %s: %w", r.Number, err)
		}
	}
	for _, r := range c.Sessions {
		if _, err := s.exec(ctx, qUpsertSession, r.TokenHash, r.Staff, r.Counter, r.Since.UnixMilli(), ms(r.Ended)); err != nil {
			return nil, fmt.Errorf("write session of %s: %w", r.Staff, err)
		}
	}
	if err := writeMatters(ctx, s, c); err != nil {
		return nil, err
	}
	if err := writeDesk(ctx, s, c); err != nil {
		return nil, err
	}
	if err := writeReception(ctx, s, c); err != nil {
		return nil, err
	}
	if c.CallKey != "" {
		if err := writeCallKey(ctx, s.tx, c.CallKey, c.CallAnswer); err != nil {
			return nil, err
		}
	}
	seqs := make([]int64, 0, len(c.Events))
	for _, e := range c.Events {
		res, err := s.exec(ctx, qAppendEvent,
			e.UUID, string(e.Kind), e.At.UnixMilli(), []byte(e.Payload), e.Digest[:])
		if err != nil {
			return nil, fmt.Errorf("append event %s: %w", e.Kind, err)
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return nil, err
		}
		seqs = append(seqs, seq)
	}
	return seqs, nil
}

func writeHall(ctx context.Context, tx *sql.Tx, c *hall.Change) error {
	if c.Hall != nil {
		p := hall.DefaultPolicy()
		if c.Policy != nil {
			p = *c.Policy
		}
		pj, err := json.Marshal(p)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO hall (id, code, name, time_zone, policy) VALUES (1, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, time_zone = excluded.time_zone,
			policy = excluded.policy`, c.Hall.Code, c.Hall.Name, c.Hall.TimeZone, string(pj))
		if err != nil {
			return fmt.Errorf("write hall: %w", err)
		}
		return nil
	}
	pj, err := json.Marshal(*c.Policy)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE hall SET policy = ? WHERE id = 1`, string(pj))
	if err != nil {
		return fmt.Errorf("write policy: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errors.New("write policy: hall is not set up")
	}
	return nil
}

// Events returns up to limit events after afterSeq.
func (db *DB) Events(ctx context.Context, afterSeq int64, limit int) ([]hall.Event, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT seq, uuid, kind, at, payload, sha256 FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, afterSeq, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hall.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scanEvent(rows *sql.Rows) (hall.Event, error) {
	var e hall.Event
	var at int64
	var payload, digest []byte
	if err := rows.Scan(&e.Seq, &e.UUID, &e.Kind, &at, &payload, &digest); err != nil {
		return e, err
	}
	e.At = time.UnixMilli(at).UTC()
	e.Payload = payload
	copy(e.Digest[:], digest)
	return e, nil
}
