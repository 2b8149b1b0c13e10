// Package sqlitestore keeps headquarters in one SQLite file
// (modernc.org/sqlite, pure Go, so servicehall-hq builds without cgo): the
// hq.Storage with WAL and synchronous FULL, one writer connection and a
// pool of readers, and its own numbered, embedded migrations.
package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"servicehall/internal/hq"
	"servicehall/internal/hq/wire"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

const busyTimeoutMS = 10000

// Store is HQ's SQLite storage. Several processes may open one file (the
// server and `servicehall-hq hall add`, say): SQLite's own locking
// serialises their writes.
type Store struct {
	path string
	w    *sql.DB // one writer connection: batches apply one at a time
	r    *sql.DB
}

var _ hq.Storage = (*Store)(nil)

func dsn(path string, pragmas ...string) string {
	return "file:" + filepath.ToSlash(path) + "?" + strings.Join(pragmas, "&")
}

var writerPragmas = []string{
	"_pragma=journal_mode(WAL)",
	"_pragma=synchronous(FULL)", // NORMAL may lose a committed batch on power loss, after the hall was told it is stored
	"_pragma=busy_timeout(" + strconv.Itoa(busyTimeoutMS) + ")",
	"_pragma=foreign_keys(1)",
	"_txlock=immediate",
}

var readerPragmas = []string{
	"_pragma=busy_timeout(" + strconv.Itoa(busyTimeoutMS) + ")",
	"_pragma=query_only(1)",
}

// SettingsError says a durability pragma did not take effect.
type SettingsError struct{ Pragma, Want, Got string }

func (e *SettingsError) Error() string {
	return fmt.Sprintf("pragma %s is %q, want %q", e.Pragma, e.Got, e.Want)
}

// UserMessage is the Chinese text for people.
func (e *SettingsError) UserMessage() string {
	return "总部数据库的安全写入设置未能生效（" + e.Pragma + "），为防止数据丢失，服务拒绝运行。请确认数据库不在网络共享盘上。"
}

// DamagedError says the file failed SQLite's quick_check.
type DamagedError struct {
	Path     string
	Problems []string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("database %s is damaged: %v", e.Path, e.Problems)
}

// UserMessage is the Chinese text for people.
func (e *DamagedError) UserMessage() string {
	return "总部数据库文件已损坏，服务不会覆盖它：" + e.Path + "。请从最近一次备份恢复。"
}

// Open opens (creating) HQ's database at path, checks its durability
// settings and integrity, and migrates it.
func Open(ctx context.Context, path string) (*Store, error) {
	s := &Store{path: path}
	if err := s.open(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) open(ctx context.Context) error {
	var err error
	if s.w, err = sql.Open("sqlite", dsn(s.path, writerPragmas...)); err != nil {
		return err
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetConnMaxIdleTime(0)
	want := []struct{ pragma, value string }{
		{"journal_mode", "wal"}, {"synchronous", "2"}, {"busy_timeout", strconv.Itoa(busyTimeoutMS)}, {"foreign_keys", "1"},
	}
	for _, p := range want {
		var got string
		if err := s.w.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(&got); err != nil {
			return fmt.Errorf("open %s: read pragma %s: %w", s.path, p.pragma, err)
		}
		if strings.ToLower(got) != p.value {
			return &SettingsError{Pragma: p.pragma, Want: p.value, Got: got}
		}
	}
	rows, err := s.w.QueryContext(ctx, "PRAGMA quick_check")
	if err != nil {
		return &DamagedError{Path: s.path, Problems: []string{err.Error()}}
	}
	var problems []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return err
		}
		if p != "ok" {
			problems = append(problems, p)
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return &DamagedError{Path: s.path, Problems: problems}
	}
	if err := migrate(ctx, s.w); err != nil {
		return err
	}
	if s.r, err = sql.Open("sqlite", dsn(s.path, readerPragmas...)); err != nil {
		return err
	}
	s.r.SetMaxOpenConns(4)
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// migrate applies the migrations the file lacks, each in one transaction
// with its user_version, and refuses a file from a newer program.
func migrate(ctx context.Context, w *sql.DB) error {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	var have int
	if err := w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("read user_version: %w", err)
	}
	if have > len(names) {
		return fmt.Errorf("HQ database schema version %d is newer than this program's %d", have, len(names))
	}
	for i, n := range names[have:] {
		v := have + i + 1
		if num, err := strconv.Atoi(strings.SplitN(filepath.Base(n), "_", 2)[0]); err != nil || num != v {
			return fmt.Errorf("migration %s: numbers must run 1, 2, 3… without gaps", n)
		}
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return err
		}
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(b)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", n, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: commit: %w", n, err)
		}
	}
	return nil
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// AddHall registers a hall under the hash of its credential.
func (s *Store) AddHall(ctx context.Context, name string, tokenHash [32]byte, now time.Time) (hq.Hall, error) {
	res, err := s.w.ExecContext(ctx, `INSERT INTO halls (name, token_hash, created) VALUES (?, ?, ?)`, name, tokenHash[:], ms(now))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") && strings.Contains(err.Error(), "halls.name") {
			return hq.Hall{}, hq.ErrHallExists
		}
		return hq.Hall{}, fmt.Errorf("add hall: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return hq.Hall{}, err
	}
	return hq.Hall{ID: id, Name: name, Created: fromMS(ms(now))}, nil
}

func (s *Store) hallWhere(ctx context.Context, where string, arg any) (hq.Hall, error) {
	var h hq.Hall
	var created int64
	err := s.r.QueryRowContext(ctx, `SELECT id, name, created FROM halls WHERE `+where, arg).Scan(&h.ID, &h.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return h, hq.ErrUnknownHall
	}
	if err != nil {
		return h, err
	}
	h.Created = fromMS(created)
	return h, nil
}

// HallByToken finds the hall a credential belongs to.
func (s *Store) HallByToken(ctx context.Context, tokenHash [32]byte) (hq.Hall, error) {
	return s.hallWhere(ctx, "token_hash = ?", tokenHash[:])
}

// HallByName finds a hall by name.
func (s *Store) HallByName(ctx context.Context, name string) (hq.Hall, error) {
	return s.hallWhere(ctx, "name = ?", name)
}

// Halls lists the halls.
func (s *Store) Halls(ctx context.Context) ([]hq.Hall, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, name, created FROM halls ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hq.Hall
	for rows.Next() {
		var h hq.Hall
		var created int64
		if err := rows.Scan(&h.ID, &h.Name, &created); err != nil {
			return nil, err
		}
		h.Created = fromMS(created)
		out = append(out, h)
	}
	return out, rows.Err()
}

// ApplyBatch applies a batch in one immediate transaction: it reads the
// cursor and what the hall already has for the batch, lets hq.Decide
// choose, and writes records, set-asides, alerts and the cursor together.
func (s *Store) ApplyBatch(ctx context.Context, hallID int64, b *wire.Batch, verdicts []string, now time.Time) (hq.Outcome, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return hq.Outcome{}, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	ex, err := loadExisting(ctx, tx, hallID, b)
	if err != nil {
		return hq.Outcome{}, err
	}
	plan := hq.Decide(ex, b, verdicts)
	if err := writePlan(ctx, tx, hallID, b, &plan, now); err != nil {
		return hq.Outcome{}, err
	}
	if err := tx.Commit(); err != nil {
		return hq.Outcome{}, fmt.Errorf("commit: %w", err)
	}
	return plan.Outcome(), nil
}

func loadExisting(ctx context.Context, tx *sql.Tx, hallID int64, b *wire.Batch) (hq.Existing, error) {
	ex := hq.Existing{ByUUID: map[string]hq.Held{}, BySeq: map[int64]hq.Held{}, Settled: map[int64][]hq.Settled{}}
	err := tx.QueryRowContext(ctx, `SELECT acked_through_seq FROM cursors WHERE hall_id = ?`, hallID).Scan(&ex.Cursor)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return ex, fmt.Errorf("read cursor: %w", err)
	}
	if b.FirstSeq > ex.Cursor+1 {
		return ex, nil // a gap: Decide needs nothing more
	}
	uuids := make([]string, len(b.Records))
	for i, r := range b.Records {
		uuids[i] = r.UUID
	}
	uj, err := json.Marshal(uuids)
	if err != nil {
		return ex, err
	}
	// json_each takes the whole list as one parameter, like unnest in
	// PostgreSQL, so a batch never meets the bind-parameter limit.
	scanHeld := func(query string, args ...any) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h hq.Held
			var d []byte
			if err := rows.Scan(&h.Seq, &h.UUID, &d); err != nil {
				return err
			}
			h.SHA256 = hex.EncodeToString(d)
			ex.ByUUID[h.UUID] = h
			ex.BySeq[h.Seq] = h
		}
		return rows.Err()
	}
	if err := scanHeld(`SELECT seq, uuid, sha256 FROM records WHERE hall_id = ? AND uuid IN (SELECT value FROM json_each(?))`, hallID, string(uj)); err != nil {
		return ex, fmt.Errorf("read records by uuid: %w", err)
	}
	if err := scanHeld(`SELECT seq, uuid, sha256 FROM records WHERE hall_id = ? AND seq BETWEEN ? AND ?`, hallID, b.FirstSeq, b.LastSeq); err != nil {
		return ex, fmt.Errorf("read records by seq: %w", err)
	}
	// A record found by uuid at a number outside the batch is in BySeq too;
	// that is harmless, as Decide only asks BySeq about the batch's numbers.
	rows, err := tx.QueryContext(ctx, `SELECT seq, uuid, sha256, status, reason FROM set_aside
		WHERE hall_id = ? AND seq BETWEEN ? AND ? ORDER BY id`, hallID, b.FirstSeq, b.LastSeq)
	if err != nil {
		return ex, fmt.Errorf("read set-aside: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st hq.Settled
		if err := rows.Scan(&st.Seq, &st.UUID, &st.SHA256, &st.Status, &st.Reason); err != nil {
			return ex, err
		}
		ex.Settled[st.Seq] = append(ex.Settled[st.Seq], st)
	}
	return ex, rows.Err()
}

// insertCols are the records table's columns an insert writes;
// maxInsertRows keeps a multi-row insert within SQLite's 32,766 bind
// parameters.
const (
	insertCols    = 8
	maxInsertRows = 32766 / insertCols
)

var insertSQLCache sync.Map // rows → statement text

// insertSQL is the multi-row INSERT of n records.
func insertSQL(n int) string {
	if q, ok := insertSQLCache.Load(n); ok {
		return q.(string)
	}
	var sb strings.Builder
	sb.WriteString("INSERT INTO records (hall_id, seq, uuid, kind, at, payload, sha256, received_at) VALUES ")
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
	}
	q := sb.String()
	insertSQLCache.Store(n, q)
	return q
}

func writePlan(ctx context.Context, tx *sql.Tx, hallID int64, b *wire.Batch, p *hq.Plan, now time.Time) error {
	// Multi-row inserts, as many rows at a time as SQLite's bind-parameter
	// limit allows: one statement per batch of up to 4,095 records rather
	// than a round through database/sql per record.
	for rest := p.Insert; len(rest) > 0; {
		part := rest[:min(len(rest), maxInsertRows)]
		rest = rest[len(part):]
		args := make([]any, 0, len(part)*insertCols)
		for _, r := range part {
			d, err := hex.DecodeString(r.SHA256)
			if err != nil {
				return fmt.Errorf("record %d: digest: %w", r.Seq, err)
			}
			args = append(args, hallID, r.Seq, r.UUID, r.Kind, r.At, r.Payload, d, ms(now))
		}
		if _, err := tx.ExecContext(ctx, insertSQL(len(part)), args...); err != nil {
			return fmt.Errorf("insert records %d..%d: %w", part[0].Seq, part[len(part)-1].Seq, err)
		}
	}
	for _, a := range p.SetAside {
		r := a.Record
		payload := r.Payload
		if payload == nil {
			payload = []byte{}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO set_aside (hall_id, seq, uuid, kind, at, payload, sha256, status, reason, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, hallID, r.Seq, r.UUID, r.Kind, r.At, payload, r.SHA256, a.Status, a.Reason, ms(now)); err != nil {
			return fmt.Errorf("set aside %d: %w", r.Seq, err)
		}
	}
	for _, a := range p.Alerts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO alerts (hall_id, kind, detail, at) VALUES (?, ?, ?, ?)`,
			hallID, a.Kind, a.Detail, ms(now)); err != nil {
			return fmt.Errorf("alert: %w", err)
		}
	}
	var skew int64
	if !b.HallClock.IsZero() {
		skew = b.HallClock.Sub(now).Milliseconds()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO cursors (hall_id, acked_through_seq, last_contact, clock_skew_ms, hall_last_seq) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (hall_id) DO UPDATE SET acked_through_seq = max(acked_through_seq, excluded.acked_through_seq),
		last_contact = excluded.last_contact, clock_skew_ms = excluded.clock_skew_ms,
		hall_last_seq = max(hall_last_seq, excluded.hall_last_seq)`,
		hallID, p.AckedThrough, ms(now), skew, max(b.HallLastSeq, b.LastSeq))
	if err != nil {
		return fmt.Errorf("write cursor: %w", err)
	}
	return nil
}

// AddNotice stores a notice; it gets a UUIDv7 when it has no ID.
func (s *Store) AddNotice(ctx context.Context, n hq.Notice) (hq.Notice, error) {
	if n.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return n, err
		}
		n.ID = id.String()
	}
	n.From, n.Until, n.Created = n.From.UTC().Truncate(time.Millisecond), n.Until.UTC().Truncate(time.Millisecond), n.Created.UTC().Truncate(time.Millisecond)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return n, err
	}
	defer tx.Rollback()
	all := 0
	if n.Halls == nil {
		all = 1
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO notices (id, kind, text, from_at, until_at, all_halls, created) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		n.ID, n.Kind, n.Text, ms(n.From), ms(n.Until), all, ms(n.Created)); err != nil {
		return n, fmt.Errorf("add notice: %w", err)
	}
	for _, h := range n.Halls {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notice_halls (notice_id, hall_id) VALUES (?, ?)`, n.ID, h); err != nil {
			return n, fmt.Errorf("add notice for hall %d: %w", h, err)
		}
	}
	return n, tx.Commit()
}

// Notices returns the notices for a hall not ended by now, earliest first.
func (s *Store) Notices(ctx context.Context, hallID int64, now time.Time) ([]hq.Notice, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, kind, text, from_at, until_at, created FROM notices
		WHERE until_at > ? AND (all_halls = 1 OR id IN (SELECT notice_id FROM notice_halls WHERE hall_id = ?))
		ORDER BY from_at, id`, ms(now), hallID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hq.Notice
	for rows.Next() {
		var n hq.Notice
		var from, until, created int64
		if err := rows.Scan(&n.ID, &n.Kind, &n.Text, &from, &until, &created); err != nil {
			return nil, err
		}
		n.From, n.Until, n.Created = fromMS(from), fromMS(until), fromMS(created)
		out = append(out, n)
	}
	return out, rows.Err()
}

// Records returns up to limit of a hall's records after afterSeq, in order.
func (s *Store) Records(ctx context.Context, hallID, afterSeq int64, limit int) ([]hq.StoredRecord, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT seq, uuid, kind, at, payload, sha256, received_at FROM records
		WHERE hall_id = ? AND seq > ? ORDER BY seq LIMIT ?`, hallID, afterSeq, limit)
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

// Cursor returns how far HQ holds a hall's log.
func (s *Store) Cursor(ctx context.Context, hallID int64) (hq.Cursor, error) {
	c := hq.Cursor{HallID: hallID}
	var contact, skew int64
	err := s.r.QueryRowContext(ctx, `SELECT acked_through_seq, last_contact, clock_skew_ms, hall_last_seq FROM cursors WHERE hall_id = ?`, hallID).
		Scan(&c.AckedThrough, &contact, &skew, &c.HallLastSeq)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	c.LastContact, c.ClockSkew = fromMS(contact), time.Duration(skew)*time.Millisecond
	return c, nil
}

// Alerts returns a hall's alerts, oldest first.
func (s *Store) Alerts(ctx context.Context, hallID int64) ([]hq.Alert, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, kind, detail, at FROM alerts WHERE hall_id = ? ORDER BY id`, hallID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hq.Alert
	for rows.Next() {
		a := hq.Alert{HallID: hallID}
		var at int64
		if err := rows.Scan(&a.ID, &a.Kind, &a.Detail, &at); err != nil {
			return nil, err
		}
		a.At = fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}
