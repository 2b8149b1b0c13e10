package sqlitestore_test

import (
	"context"
	"path/filepath"
	"testing"

	"servicehall/internal/hq"
	"servicehall/internal/hq/storetest"
)

// TestContract holds the SQLite storage to the rules every HQ storage
// keeps (internal/hq/storetest), each test on a file of its own.
func TestContract(t *testing.T) {
	storetest.Run(t, openInstance)
}

func openInstance(t *testing.T) storetest.Instance {
	path := filepath.Join(t.TempDir(), "hq.db")
	s := open(t, path)
	r := raw(t, path)
	return storetest.Instance{
		Store: s,
		Exec: func(ctx context.Context, q string) error {
			_, err := r.ExecContext(ctx, q)
			return err
		},
		Reopen: func(t *testing.T) hq.Storage { return open(t, path) },
	}
}

// TestVolumeContract runs the contract's full-size batches.
func TestVolumeContract(t *testing.T) {
	storetest.RunVolume(t, openInstance)
}
