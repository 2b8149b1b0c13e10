package pgstore_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"servicehall/internal/hq"
	"servicehall/internal/hq/pgstore"
	"servicehall/internal/hq/pgstore/pgtest"
	"servicehall/internal/hq/storetest"
)

var ctx = context.Background()

// TestContract holds the PostgreSQL storage to the rules every HQ storage
// keeps (internal/hq/storetest), each test in a schema of its own.
func TestContract(t *testing.T) {
	pgtest.ServerDSN(t) // skip (or fail under CI=true) once, not per subtest
	storetest.Run(t, openInstance)
}

// TestVolumeContract runs the contract's full-size batches.
func TestVolumeContract(t *testing.T) {
	pgtest.ServerDSN(t)
	storetest.RunVolume(t, openInstance)
}

func openInstance(t *testing.T) storetest.Instance {
	s, dsn := pgtest.Open(t)
	raw := rawPool(t, dsn)
	return storetest.Instance{
		Store: s,
		Exec: func(ctx context.Context, q string) error {
			_, err := raw.Exec(ctx, q)
			return err
		},
		Reopen: func(t *testing.T) hq.Storage {
			s, err := pgstore.OpenOptions(ctx, dsn, pgstore.Options{AllowNoFsync: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
	}
}

// rawPool is a plain connection pool on the test's schema, behind the
// storage's back.
func rawPool(t *testing.T, dsn string) *pgxpool.Pool {
	t.Helper()
	p, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}
