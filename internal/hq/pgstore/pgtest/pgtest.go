// Package pgtest gives tests a PostgreSQL database of their own. The
// server is named by SERVICEHALL_TEST_PG (a postgres:// URL; `make test`
// starts a throwaway one through .ci/pg.sh and sets it). Each call makes a
// fresh schema in that database and drops it when the test ends, so tests
// never see each other's rows and may run in parallel.
//
// Without SERVICEHALL_TEST_PG a test that needs PostgreSQL is skipped,
// except under CI=true, where it fails: in CI a PostgreSQL test that cannot
// run must not pass unnoticed.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"servicehall/internal/hq/pgstore"
)

// Env is the variable that names the test server.
const Env = "SERVICEHALL_TEST_PG"

// ServerDSN returns SERVICEHALL_TEST_PG, skipping tb when it is unset, or
// failing it under CI=true.
func ServerDSN(tb testing.TB) string {
	tb.Helper()
	dsn := strings.TrimSpace(os.Getenv(Env))
	if dsn != "" {
		return dsn
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s is not set, and CI=true: a PostgreSQL test must run in CI, not skip. "+
			"Run the tests through `make test` (which starts a throwaway server with .ci/pg.sh) "+
			"or set %s=postgres://USER@HOST:PORT/DB?sslmode=disable", Env, Env)
	}
	tb.Skipf("%s is not set: skipping the PostgreSQL test (`make test` starts a server and sets it)", Env)
	return ""
}

// DSN returns a DSN for a new, empty schema in the test server, dropped
// when tb ends. Every connection made with it works in that schema only.
func DSN(tb testing.TB) string {
	tb.Helper()
	server := ServerDSN(tb)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	schema := "hqtest_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		tb.Fatalf("connect to the test server %s: %v", pgstore.Redact(server), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema %s: %v", schema, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return WithSearchPath(tb, server, schema)
}

// WithSearchPath returns dsn with its connections' search_path set to
// schema.
func WithSearchPath(tb testing.TB, dsn, schema string) string {
	tb.Helper()
	if !pgstore.IsDSN(dsn) {
		return dsn + " search_path=" + schema // key=value form
	}
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("%s is not a URL: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens a pgstore.Store on a fresh schema, closed when tb ends. It
// accepts the throwaway server's fsync=off.
func Open(tb testing.TB) (*pgstore.Store, string) {
	tb.Helper()
	dsn := DSN(tb)
	s, err := pgstore.OpenOptions(context.Background(), dsn, pgstore.Options{AllowNoFsync: true})
	if err != nil {
		tb.Fatalf("open pgstore: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, dsn
}
