package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// busyTimeoutMS is how long a connection waits for a lock before failing.
const busyTimeoutMS = 10000

// DB is a hall's database file, owned by this process.
type DB struct {
	path string
	lock *ownerLock
	w    *sql.DB // the one writer connection
	r    *sql.DB // readers; WAL lets them run beside the writer

	prepared map[string]*sql.Stmt // on w, by query text; written only at open
}

// Options tune Open.
type Options struct {
	// Program names the owner in the lock file, for the message a second
	// process shows.
	Program string
}

// dsn builds a modernc.org/sqlite DSN. Every connection applies the pragmas.
func dsn(path string, pragmas ...string) string {
	var b strings.Builder
	b.WriteString("file:")
	b.WriteString(filepath.ToSlash(path))
	sep := "?"
	for _, p := range pragmas {
		b.WriteString(sep)
		b.WriteString(p)
		sep = "&"
	}
	return b.String()
}

var writerPragmas = []string{
	"_pragma=journal_mode(WAL)",
	"_pragma=synchronous(FULL)", // NORMAL may lose a committed transaction on power loss
	"_pragma=busy_timeout(" + strconv.Itoa(busyTimeoutMS) + ")",
	"_pragma=foreign_keys(1)",
	"_txlock=immediate",
}

var readerPragmas = []string{
	"_pragma=busy_timeout(" + strconv.Itoa(busyTimeoutMS) + ")",
	"_pragma=foreign_keys(1)",
	"_pragma=query_only(1)",
}

// Open takes ownership of the database at path, creating it if needed: it
// locks the file against other processes, applies and reads back the
// durability settings, runs SQLite's quick_check, and migrates the schema.
// It refuses to go on if any of that fails.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	lock, err := acquire(path, opt.Program)
	if err != nil {
		return nil, err
	}
	db := &DB{path: path, lock: lock, prepared: map[string]*sql.Stmt{}}
	if err := db.open(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) open(ctx context.Context) error {
	var err error
	if db.w, err = sql.Open("sqlite", dsn(db.path, writerPragmas...)); err != nil {
		return err
	}
	db.w.SetMaxOpenConns(1)
	db.w.SetConnMaxIdleTime(0)
	if err := db.checkSettings(ctx); err != nil {
		return err
	}
	if err := db.quickCheck(ctx); err != nil {
		return err
	}
	if err := migrate(ctx, db.w); err != nil {
		return err
	}
	if err := db.prepare(ctx); err != nil {
		return err
	}
	if db.r, err = sql.Open("sqlite", dsn(db.path, readerPragmas...)); err != nil {
		return err
	}
	db.r.SetMaxOpenConns(4)
	return nil
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Close closes the connections and releases the lock.
func (db *DB) Close() error {
	var errs []error
	for _, st := range db.prepared {
		errs = append(errs, st.Close())
	}
	clear(db.prepared)
	if db.r != nil {
		errs = append(errs, db.r.Close())
	}
	if db.w != nil {
		errs = append(errs, db.w.Close())
	}
	errs = append(errs, db.lock.release())
	return errors.Join(errs...)
}

// durableSettings are the pragmas the writer must have, as SQLite reports them.
var durableSettings = []struct{ pragma, value string }{
	{"journal_mode", "wal"},
	{"synchronous", "2"}, // FULL
	{"busy_timeout", strconv.Itoa(busyTimeoutMS)},
	{"foreign_keys", "1"},
}

// Settings reads the writer connection's durability pragmas back from SQLite.
func (db *DB) Settings(ctx context.Context) (map[string]string, error) {
	out := make(map[string]string, len(durableSettings))
	for _, w := range durableSettings {
		var got string
		if err := db.w.QueryRowContext(ctx, "PRAGMA "+w.pragma).Scan(&got); err != nil {
			if isNotADatabase(err) {
				return nil, &DamagedError{Path: db.path, Problems: []string{err.Error()}}
			}
			return nil, fmt.Errorf("read pragma %s: %w", w.pragma, err)
		}
		out[w.pragma] = strings.ToLower(got)
	}
	return out, nil
}

// checkSettings refuses a connection on which a durability pragma did not
// take effect (a network share may refuse WAL, for one).
func (db *DB) checkSettings(ctx context.Context) error {
	got, err := db.Settings(ctx)
	if err != nil {
		return err
	}
	for _, w := range durableSettings {
		if got[w.pragma] != w.value {
			return &SettingsError{Pragma: w.pragma, Want: w.value, Got: got[w.pragma]}
		}
	}
	return nil
}

func isNotADatabase(err error) bool {
	s := err.Error()
	return strings.Contains(s, "not a database") || strings.Contains(s, "malformed") || strings.Contains(s, "SQLITE_CORRUPT") || strings.Contains(s, "SQLITE_NOTADB")
}

// quickCheck runs SQLite's quick_check.
func (db *DB) quickCheck(ctx context.Context) error {
	problems, err := pragmaCheck(ctx, db.w, "quick_check")
	if err != nil {
		if isNotADatabase(err) {
			return &DamagedError{Path: db.path, Problems: []string{err.Error()}}
		}
		return err
	}
	if len(problems) > 0 {
		return &DamagedError{Path: db.path, Problems: problems}
	}
	return nil
}

// pragmaCheck runs quick_check or integrity_check and returns its complaints.
func pragmaCheck(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, pragma string) ([]string, error) {
	rows, err := q.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	return problems, rows.Err()
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []migration
	for i, n := range names {
		base := filepath.Base(n)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: numbers must run 1, 2, 3… without gaps", base)
		}
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	return out, nil
}

// SchemaVersion is the schema this program writes.
func SchemaVersion() int {
	ms, _ := migrations()
	return len(ms)
}

// migrate applies the migrations the file has not had, each in its own
// transaction together with its user_version bump.
func migrate(ctx context.Context, w *sql.DB) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var have int
	if err := w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("read user_version: %w", err)
	}
	if have > len(ms) {
		return &TooNewError{Version: have, Known: len(ms)}
	}
	for _, m := range ms[have:] {
		tx, err := w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: set user_version: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: commit: %w", m.name, err)
		}
	}
	return nil
}
