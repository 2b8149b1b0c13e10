package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"servicehall/internal/winsvc"
)

// The service runs the server with an absolute database path and log
// folder; a PostgreSQL DSN is passed as it is.
func TestHQServiceArgs(t *testing.T) {
	var errOut bytes.Buffer
	dir := t.TempDir()
	got, err := hqServiceArgs([]string{"--db", filepath.Join(dir, "hq", "hq.db"), "--log-dir", "logs"}, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	logs, _ := filepath.Abs("logs")
	want := []string{"service", "run", "--listen", defaultListen, "--db", filepath.Join(dir, "hq", "hq.db"), "--log-dir", logs}
	if !slices.Equal(got, want) {
		t.Errorf("args %q, want %q", got, want)
	}
	t.Setenv("ProgramData", filepath.Join(dir, "ProgramData"))
	dsn := "postgres://hq@127.0.0.1:5432/hq?sslmode=disable"
	if got, err := hqServiceArgs([]string{"--db", dsn}, &errOut); err != nil || got[5] != dsn || len(got) != 8 || got[7] != filepath.Join(dir, "ProgramData", "servicehall-hq") {
		t.Errorf("a DSN: %q, %v; want its log in ProgramData", got, err)
	}
	if got, err := hqServiceArgs(nil, &errOut); err != nil || got[5] != filepath.Join(dir, "ProgramData", "servicehall-hq", defaultDB) {
		t.Errorf("the default database: %q, %v", got, err)
	}
	if _, err := hqServiceArgs([]string{"extra"}, &errOut); err == nil {
		t.Error("an extra argument was accepted")
	}
}

// Outside Windows, installing says to use systemd.
func TestHQServiceOutsideWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the service manager is real on Windows")
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"service", "install", "--db", filepath.Join(t.TempDir(), "hq.db")}, &out, &out, nil)
	if !errors.Is(err, winsvc.ErrNotWindows) {
		t.Errorf("install: %v, want ErrNotWindows", err)
	}
}
