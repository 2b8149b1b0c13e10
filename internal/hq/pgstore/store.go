// Package pgstore keeps headquarters in PostgreSQL through pgx/v5: the
// hq.Storage for when one SQLite file is no longer enough. It has the same
// tables and rules as hq/sqlitestore (records keyed by (hall_id, uuid) and
// unique by (hall_id, seq), refusing UPDATE and DELETE; cursors that never
// move back; set-aside records, alerts, halls with hashed credentials,
// notices) and its own numbered, embedded migrations recorded in
// schema_version.
//
// A batch is applied in one transaction, cursor included: the hall's row
// is locked (so batches of one hall are serialised while other halls run
// in parallel), what the hall already has is loaded, hq.Decide chooses,
// and the new records go in with one INSERT … SELECT FROM unnest(…) ON
// CONFLICT (hall_id, uuid) DO NOTHING, whatever the batch's size: a
// multi-row VALUES insert would meet PostgreSQL's 65,535 bind-parameter
// limit at 8,192 records.
package pgstore

import (
	"context"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"servicehall/internal/hq"
	"servicehall/internal/hq/wire"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationLock is the advisory lock key under which a database is
// migrated, so that two programs starting together do not both migrate.
const migrationLock int64 = 0x5348515f4d494752 // "SHQ_MIGR"

// minServerVersion is PostgreSQL 11: EXECUTE FUNCTION in triggers.
const minServerVersion = 110000

// Options tune Open.
type Options struct {
	// AllowNoFsync accepts a server running with fsync or full_page_writes
	// off, as a throwaway test server does. Such a server may lose or
	// damage committed batches, which halls were told are stored, on a
	// power loss: never in production.
	AllowNoFsync bool
	// MaxConns bounds the pool [pgxpool's default: 4 or the CPUs].
	MaxConns int32
}

// Store is HQ's PostgreSQL storage. Any number of programs may use one
// database at once (the server and `servicehall-hq hall add`, say).
type Store struct {
	pool *pgxpool.Pool
}

var _ hq.Storage = (*Store)(nil)

// IsDSN reports whether s names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a SQLite file.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redact returns dsn with its password, if any, hidden, for printing.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// ConnectError says the database could not be reached or used.
type ConnectError struct{ Err error }

func (e *ConnectError) Error() string { return "connect to PostgreSQL: " + e.Err.Error() }
func (e *ConnectError) Unwrap() error { return e.Err }

// UserMessage is the Chinese text for people.
func (e *ConnectError) UserMessage() string {
	return "无法连接总部的 PostgreSQL 数据库，请检查 --db 给出的地址、用户和密码（密码可放在 PGPASSWORD 或 .pgpass 中），以及数据库服务是否在运行。"
}

// SettingsError says the server runs with a setting under which a batch
// HQ answered as stored could be lost.
type SettingsError struct{ Setting, Want, Got string }

func (e *SettingsError) Error() string {
	return fmt.Sprintf("PostgreSQL setting %s is %q, want %q", e.Setting, e.Got, e.Want)
}

// UserMessage is the Chinese text for people.
func (e *SettingsError) UserMessage() string {
	return "总部 PostgreSQL 数据库的安全写入设置不符合要求（" + e.Setting + " 为 " + e.Got + "，应为 " + e.Want + "），为防止数据丢失，服务拒绝运行。"
}

// VersionError says the database or its server is not one this program
// can use.
type VersionError struct {
	What      string // "schema" or "server"
	Have, Max int
}

func (e *VersionError) Error() string {
	if e.What == "server" {
		return fmt.Sprintf("PostgreSQL server version %d is older than %d", e.Have, minServerVersion)
	}
	return fmt.Sprintf("HQ database schema version %d is newer than this program's %d", e.Have, e.Max)
}

// UserMessage is the Chinese text for people.
func (e *VersionError) UserMessage() string {
	if e.What == "server" {
		return "总部的 PostgreSQL 版本过旧，须为 11 或更新的版本。"
	}
	return fmt.Sprintf("总部数据库的结构版本（%d）比本程序（%d）新，请升级总部服务程序。", e.Have, e.Max)
}

// Open connects to the database dsn names (a postgres:// URL), checks the
// server's durability settings, and migrates the schema.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return OpenOptions(ctx, dsn, Options{})
}

// OpenOptions is Open with options.
func OpenOptions(ctx context.Context, dsn string, opt Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, &ConnectError{Err: err}
	}
	// A commit is answered only once it is on disk, whatever the server's
	// or the role's default.
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "servicehall-hq"
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, &ConnectError{Err: err}
	}
	s := &Store{pool: pool}
	if err := s.open(ctx, opt); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) open(ctx context.Context, opt Options) error {
	if err := s.pool.Ping(ctx); err != nil {
		return &ConnectError{Err: err}
	}
	var version string
	if err := s.pool.QueryRow(ctx, "SHOW server_version_num").Scan(&version); err != nil {
		return &ConnectError{Err: err}
	}
	if v, _ := strconv.Atoi(version); v < minServerVersion {
		return &VersionError{What: "server", Have: v}
	}
	want := []struct{ setting, value string }{
		{"synchronous_commit", "on"},
		{"server_encoding", "UTF8"},
	}
	if !opt.AllowNoFsync {
		want = append(want, struct{ setting, value string }{"fsync", "on"}, struct{ setting, value string }{"full_page_writes", "on"})
	}
	for _, w := range want {
		var got string
		if err := s.pool.QueryRow(ctx, "SHOW "+w.setting).Scan(&got); err != nil {
			return fmt.Errorf("read setting %s: %w", w.setting, err)
		}
		if got != w.value {
			return &SettingsError{Setting: w.setting, Want: w.value, Got: got}
		}
	}
	return migrate(ctx, s.pool)
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// SchemaVersion is the number of the last migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	for i, n := range names {
		if num, err := strconv.Atoi(strings.SplitN(path.Base(n), "_", 2)[0]); err != nil || num != i+1 {
			return nil, fmt.Errorf("migration %s: numbers must run 1, 2, 3… without gaps", n)
		}
	}
	return names, nil
}

// migrate applies the migrations the database lacks, all in one
// transaction under an advisory lock, each recorded in schema_version,
// and refuses a database from a newer program.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	names, err := migrations()
	if err != nil {
		return err
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("lock for migration: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version    integer     PRIMARY KEY,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("create schema_version: %w", err)
	}
	var have int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&have); err != nil {
		return fmt.Errorf("read schema_version: %w", err)
	}
	if have > len(names) {
		return &VersionError{What: "schema", Have: have, Max: len(names)}
	}
	if have == len(names) {
		return nil
	}
	for i, n := range names[have:] {
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return err
		}
		// No arguments: pgx sends it as one simple query, several
		// statements at once.
		if _, err := tx.Exec(ctx, string(b)); err != nil {
			return fmt.Errorf("migration %s: %w", n, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version, name) VALUES ($1, $2)`, have+i+1, path.Base(n)); err != nil {
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

// ts is a time as HQ stores it: UTC, to the millisecond, as the SQLite
// storage keeps it, so both storages answer alike.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// AddHall registers a hall under the hash of its credential.
func (s *Store) AddHall(ctx context.Context, name string, tokenHash [32]byte, now time.Time) (hq.Hall, error) {
	h := hq.Hall{Name: name, Created: ts(now)}
	err := s.pool.QueryRow(ctx, `INSERT INTO halls (name, token_hash, created) VALUES ($1, $2, $3) RETURNING id`,
		name, tokenHash[:], h.Created).Scan(&h.ID)
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "halls_name_key" {
			return hq.Hall{}, hq.ErrHallExists
		}
		return hq.Hall{}, fmt.Errorf("add hall: %w", err)
	}
	return h, nil
}

func (s *Store) hallWhere(ctx context.Context, where string, arg any) (hq.Hall, error) {
	var h hq.Hall
	err := s.pool.QueryRow(ctx, `SELECT id, name, created FROM halls WHERE `+where, arg).Scan(&h.ID, &h.Name, &h.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return hq.Hall{}, hq.ErrUnknownHall
	}
	if err != nil {
		return hq.Hall{}, err
	}
	h.Created = h.Created.UTC()
	return h, nil
}

// HallByToken finds the hall a credential belongs to.
func (s *Store) HallByToken(ctx context.Context, tokenHash [32]byte) (hq.Hall, error) {
	return s.hallWhere(ctx, "token_hash = $1", tokenHash[:])
}

// HallByName finds a hall by name.
func (s *Store) HallByName(ctx context.Context, name string) (hq.Hall, error) {
	return s.hallWhere(ctx, "name = $1", name)
}

// Halls lists the halls.
func (s *Store) Halls(ctx context.Context) ([]hq.Hall, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name, created FROM halls ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hq.Hall
	for rows.Next() {
		var h hq.Hall
		if err := rows.Scan(&h.ID, &h.Name, &h.Created); err != nil {
			return nil, err
		}
		h.Created = h.Created.UTC()
		out = append(out, h)
	}
	return out, rows.Err()
}

// ApplyBatch applies a batch in one transaction: it locks the hall's row,
// reads the cursor and what the hall already has for the batch, lets
// hq.Decide choose, and writes records, set-asides, alerts and the cursor
// together.
func (s *Store) ApplyBatch(ctx context.Context, hallID int64, b *wire.Batch, verdicts []string, now time.Time) (hq.Outcome, error) {
	// READ COMMITTED: each statement after the lock sees every batch of
	// this hall committed before the lock was granted.
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return hq.Outcome{}, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx)
	ex, err := loadExisting(ctx, tx, hallID, b)
	if err != nil {
		return hq.Outcome{}, err
	}
	plan := hq.Decide(ex, b, verdicts)
	if err := writePlan(ctx, tx, hallID, b, &plan, now); err != nil {
		return hq.Outcome{}, err
	}
	if err := tx.Commit(ctx); err != nil {
		return hq.Outcome{}, fmt.Errorf("commit: %w", err)
	}
	return plan.Outcome(), nil
}

func loadExisting(ctx context.Context, tx pgx.Tx, hallID int64, b *wire.Batch) (hq.Existing, error) {
	ex := hq.Existing{ByUUID: map[string]hq.Held{}, BySeq: map[int64]hq.Held{}, Settled: map[int64][]hq.Settled{}}
	// The row lock serialises the batches of one hall; NO KEY UPDATE lets
	// rows that refer to the hall (a notice for it) be written meanwhile.
	var cursor *int64
	err := tx.QueryRow(ctx, `SELECT c.acked_through_seq FROM halls h LEFT JOIN cursors c ON c.hall_id = h.id
		WHERE h.id = $1 FOR NO KEY UPDATE OF h`, hallID).Scan(&cursor)
	if errors.Is(err, pgx.ErrNoRows) {
		return ex, hq.ErrUnknownHall
	}
	if err != nil {
		return ex, fmt.Errorf("lock hall and read cursor: %w", err)
	}
	if cursor != nil {
		ex.Cursor = *cursor
	}
	if b.FirstSeq > ex.Cursor+1 {
		return ex, nil // a gap: Decide needs nothing more
	}
	uuids := make([]string, len(b.Records))
	for i, r := range b.Records {
		uuids[i] = esc(r.UUID)
	}
	// Three reads in one round trip; the uuids go as one array parameter.
	var bt pgx.Batch
	scanHeld := func(rows pgx.Rows) error {
		var h hq.Held
		var d []byte
		_, err := pgx.ForEachRow(rows, []any{&h.Seq, &h.UUID, &d}, func() error {
			h.UUID = unesc(h.UUID)
			h.SHA256 = hex.EncodeToString(d)
			ex.ByUUID[h.UUID] = h
			ex.BySeq[h.Seq] = h
			return nil
		})
		return err
	}
	bt.Queue(`SELECT seq, uuid, sha256 FROM records WHERE hall_id = $1 AND uuid = ANY($2::text[])`, hallID, uuids).
		Query(func(rows pgx.Rows) error {
			if err := scanHeld(rows); err != nil {
				return fmt.Errorf("read records by uuid: %w", err)
			}
			return nil
		})
	bt.Queue(`SELECT seq, uuid, sha256 FROM records WHERE hall_id = $1 AND seq BETWEEN $2 AND $3`, hallID, b.FirstSeq, b.LastSeq).
		Query(func(rows pgx.Rows) error {
			if err := scanHeld(rows); err != nil {
				return fmt.Errorf("read records by seq: %w", err)
			}
			return nil
		})
	// A record found by uuid at a number outside the batch is in BySeq too;
	// that is harmless, as Decide only asks BySeq about the batch's numbers.
	bt.Queue(`SELECT seq, uuid, sha256, status, reason FROM set_aside
		WHERE hall_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY id`, hallID, b.FirstSeq, b.LastSeq).
		Query(func(rows pgx.Rows) error {
			var st hq.Settled
			_, err := pgx.ForEachRow(rows, []any{&st.Seq, &st.UUID, &st.SHA256, &st.Status, &st.Reason}, func() error {
				st.UUID, st.SHA256, st.Reason = unesc(st.UUID), unesc(st.SHA256), unesc(st.Reason)
				ex.Settled[st.Seq] = append(ex.Settled[st.Seq], st)
				return nil
			})
			if err != nil {
				return fmt.Errorf("read set-aside: %w", err)
			}
			return nil
		})
	if err := tx.SendBatch(ctx, &bt).Close(); err != nil {
		return ex, err
	}
	return ex, nil
}

func writePlan(ctx context.Context, tx pgx.Tx, hallID int64, b *wire.Batch, p *hq.Plan, now time.Time) error {
	recv := ts(now)
	var bt pgx.Batch
	if n := len(p.Insert); n > 0 {
		seqs, ats := make([]int64, n), make([]int64, n)
		uuids, kinds := make([]string, n), make([]string, n)
		payloads, digests := make([][]byte, n), make([][]byte, n)
		for i, r := range p.Insert {
			d, err := hex.DecodeString(r.SHA256)
			if err != nil {
				return fmt.Errorf("record %d: digest: %w", r.Seq, err)
			}
			seqs[i], uuids[i], kinds[i], ats[i], payloads[i], digests[i] = r.Seq, esc(r.UUID), esc(r.Kind), r.At, notNil(r.Payload), d
		}
		// Decide ran under the hall's lock, so every row is new; DO NOTHING
		// only guards the key, and a count short of n aborts the batch
		// rather than answer "inserted" for a record not written.
		bt.Queue(`INSERT INTO records (hall_id, seq, uuid, kind, at, payload, sha256, received_at)
			SELECT $1, t.seq, t.uuid, t.kind, t.at, t.payload, t.sha256, $8
			FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bytea[], $7::bytea[])
				AS t (seq, uuid, kind, at, payload, sha256)
			ON CONFLICT (hall_id, uuid) DO NOTHING`,
			hallID, seqs, uuids, kinds, ats, payloads, digests, recv).
			Exec(func(ct pgconn.CommandTag) error {
				if ct.RowsAffected() != int64(n) {
					return fmt.Errorf("insert records: %d of %d written; the hall's records changed under the batch", ct.RowsAffected(), n)
				}
				return nil
			})
	}
	if n := len(p.SetAside); n > 0 {
		seqs, ats := make([]int64, n), make([]int64, n)
		uuids, kinds, digests, statuses, reasons := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		payloads := make([][]byte, n)
		for i, a := range p.SetAside {
			r := a.Record
			seqs[i], uuids[i], kinds[i], ats[i], payloads[i] = r.Seq, esc(r.UUID), esc(r.Kind), r.At, notNil(r.Payload)
			digests[i], statuses[i], reasons[i] = esc(r.SHA256), a.Status, esc(a.Reason)
		}
		bt.Queue(`INSERT INTO set_aside (hall_id, seq, uuid, kind, at, payload, sha256, status, reason, received_at)
			SELECT $1, t.seq, t.uuid, t.kind, t.at, t.payload, t.sha256, t.status, t.reason, $10
			FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bytea[], $7::text[], $8::text[], $9::text[])
				WITH ORDINALITY AS t (seq, uuid, kind, at, payload, sha256, status, reason, n)
			ORDER BY t.n`,
			hallID, seqs, uuids, kinds, ats, payloads, digests, statuses, reasons, recv)
	}
	if n := len(p.Alerts); n > 0 {
		kinds, details := make([]string, n), make([]string, n)
		for i, a := range p.Alerts {
			kinds[i], details[i] = a.Kind, esc(a.Detail)
		}
		// In order, so that alert ids follow the batch.
		bt.Queue(`INSERT INTO alerts (hall_id, kind, detail, at)
			SELECT $1, t.kind, t.detail, $4
			FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t (kind, detail, n)
			ORDER BY t.n`, hallID, kinds, details, recv)
	}
	var skew int64
	if !b.HallClock.IsZero() {
		skew = b.HallClock.Sub(now).Milliseconds()
	}
	bt.Queue(`INSERT INTO cursors (hall_id, acked_through_seq, last_contact, clock_skew_ms, hall_last_seq) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (hall_id) DO UPDATE SET acked_through_seq = greatest(cursors.acked_through_seq, excluded.acked_through_seq),
		last_contact = excluded.last_contact, clock_skew_ms = excluded.clock_skew_ms,
		hall_last_seq = greatest(cursors.hall_last_seq, excluded.hall_last_seq)`,
		hallID, p.AckedThrough, recv, skew, max(b.HallLastSeq, b.LastSeq))
	if err := tx.SendBatch(ctx, &bt).Close(); err != nil {
		return fmt.Errorf("write batch: %w", err)
	}
	return nil
}

func notNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
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
	n.From, n.Until, n.Created = ts(n.From), ts(n.Until), ts(n.Created)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return n, err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `INSERT INTO notices (id, kind, text, from_at, until_at, all_halls, created) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		n.ID, n.Kind, n.Text, n.From, n.Until, n.Halls == nil, n.Created); err != nil {
		return n, fmt.Errorf("add notice: %w", err)
	}
	if len(n.Halls) > 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO notice_halls (notice_id, hall_id) SELECT $1, unnest($2::bigint[])`, n.ID, n.Halls); err != nil {
			return n, fmt.Errorf("add notice for halls %v: %w", n.Halls, err)
		}
	}
	return n, tx.Commit(ctx)
}

// Notices returns the notices for a hall not ended by now, earliest first.
func (s *Store) Notices(ctx context.Context, hallID int64, now time.Time) ([]hq.Notice, error) {
	// COLLATE "C": ids in byte order, as SQLite orders them.
	rows, err := s.pool.Query(ctx, `SELECT id, kind, text, from_at, until_at, created FROM notices
		WHERE until_at > $1 AND (all_halls OR EXISTS (SELECT 1 FROM notice_halls nh WHERE nh.notice_id = notices.id AND nh.hall_id = $2))
		ORDER BY from_at, id COLLATE "C"`, ts(now), hallID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hq.Notice
	for rows.Next() {
		var n hq.Notice
		if err := rows.Scan(&n.ID, &n.Kind, &n.Text, &n.From, &n.Until, &n.Created); err != nil {
			return nil, err
		}
		n.From, n.Until, n.Created = n.From.UTC(), n.Until.UTC(), n.Created.UTC()
		out = append(out, n)
	}
	return out, rows.Err()
}

// Records returns up to limit of a hall's records after afterSeq, in order.
func (s *Store) Records(ctx context.Context, hallID, afterSeq int64, limit int) ([]hq.StoredRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, uuid, kind, at, payload, sha256, received_at FROM records
		WHERE hall_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, hallID, afterSeq, limit)
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

// Cursor returns how far HQ holds a hall's log.
func (s *Store) Cursor(ctx context.Context, hallID int64) (hq.Cursor, error) {
	c := hq.Cursor{HallID: hallID}
	var skew int64
	err := s.pool.QueryRow(ctx, `SELECT acked_through_seq, last_contact, clock_skew_ms, hall_last_seq FROM cursors WHERE hall_id = $1`, hallID).
		Scan(&c.AckedThrough, &c.LastContact, &skew, &c.HallLastSeq)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	c.LastContact, c.ClockSkew = c.LastContact.UTC(), time.Duration(skew)*time.Millisecond
	return c, nil
}

// Alerts returns a hall's alerts, oldest first.
func (s *Store) Alerts(ctx context.Context, hallID int64) ([]hq.Alert, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, kind, detail, at FROM alerts WHERE hall_id = $1 ORDER BY id`, hallID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hq.Alert
	for rows.Next() {
		a := hq.Alert{HallID: hallID}
		if err := rows.Scan(&a.ID, &a.Kind, &a.Detail, &a.At); err != nil {
			return nil, err
		}
		a.Detail, a.At = unesc(a.Detail), a.At.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}
