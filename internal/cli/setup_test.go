package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
)

// A new database stays unconfigured without --demo: the node refuses it
// with a clear message, and FinishSetup configures it and keeps the HQ
// settings (owner-only) for the node and the windows.
func TestFirstRunWithoutDemo(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hall.db")
	var out, errOut bytes.Buffer
	if err := serve(ctx, []string{"--db", path, "--listen", "127.0.0.1:0"}, &out, &errOut); !errors.Is(err, ErrNotSetUp) {
		t.Fatalf("serve on a new database: %v, want ErrNotSetUp", err)
	}
	l, db, err := OpenHallWith(ctx, path, "test", false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if l.Configured() {
		t.Fatal("a new database was configured without --demo")
	}
	cfg := demo.Config()
	cfg.Staff = cfg.Staff[5:] // director and admin: fewer bcrypt hashes
	if err := FinishSetup(ctx, l, path, cfg, "ftp://hq", "tok"); !errors.Is(err, hall.ErrInvalid) || l.Configured() {
		t.Fatalf("a bad HQ address: %v (configured %v), want ErrInvalid and nothing set up", err, l.Configured())
	}
	if err := FinishSetup(ctx, l, path, cfg, "https://hq.example:8480/", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if u, tok := LoadHQ(path); u != "https://hq.example:8480" || tok != "s3cret" {
		t.Errorf("LoadHQ = %q, %q", u, tok)
	}
	if info, err := os.Stat(HQConfigPath(path)); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("hq.json: %v, mode %v; want 0600", err, info.Mode().Perm())
	}
	if !l.Configured() {
		t.Error("not configured after FinishSetup")
	}
}
