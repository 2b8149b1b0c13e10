package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"servicehall/internal/logfile"
	"servicehall/internal/winsvc"
)

// The service's command line is the node's, with the database made
// absolute and nothing secret on it; it parses back as the node's flags.
func TestNodeServiceArgs(t *testing.T) {
	var errOut bytes.Buffer
	got, err := nodeServiceArgs([]string{"--db", "data/hall.db", "--listen", ":9000"}, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("data/hall.db")
	want := []string{"service", "run", "--db", abs, "--listen", ":9000"}
	if !slices.Equal(got, want) {
		t.Fatalf("args %q, want %q", got, want)
	}
	a, err := parseServe(got[2:], &errOut)
	if err != nil || a.DB != abs || a.Listen != ":9000" {
		t.Errorf("the service's flags parse back as %+v, %v", a, err)
	}
	t.Setenv("ProgramData", filepath.Join(t.TempDir(), "ProgramData"))
	got, err = nodeServiceArgs(nil, &errOut)
	if err != nil || !strings.HasSuffix(got[3], filepath.Join("servicehall", "hall.db")) || got[5] != DefaultListen {
		t.Errorf("default args %q, %v", got, err)
	}
	for _, bad := range [][]string{{"--hq", "https://hq", "--token", "t"}, {"--demo"}, {"--nope"}} {
		if _, err := nodeServiceArgs(bad, &errOut); err == nil {
			t.Errorf("install %q accepted", bad)
		} else if msg := err.Error(); !hasHan(msg) {
			t.Errorf("install %q: %q is not a Chinese message", bad, msg)
		}
	}
}

// Outside Windows, install says where to look instead, and `service run`
// is the node in the foreground: on a database never set up it refuses
// as serve does.
func TestServiceOutsideWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the service manager is real on Windows")
	}
	ctx := context.Background()
	var out, errOut bytes.Buffer
	err := serviceCmd(ctx, []string{"install", "--db", filepath.Join(t.TempDir(), "h.db")}, &out, &errOut)
	var we *winsvc.Error
	if !errors.As(err, &we) || !errors.Is(err, winsvc.ErrNotWindows) || !strings.Contains(we.UserMessage(), "systemd") {
		t.Errorf("install on %s: %v", runtime.GOOS, err)
	}
	db := filepath.Join(t.TempDir(), "h.db")
	err = serviceCmd(ctx, []string{"run", "--db", db, "--listen", "127.0.0.1:0"}, &out, &errOut)
	if !errors.Is(err, ErrNotSetUp) {
		t.Errorf("service run on a new database: %v, want ErrNotSetUp", err)
	}
	// A service has no console: the refusal is in the node's log.
	logText, err := os.ReadFile(filepath.Join(logfile.Dir(db), "servicehall-serve.log"))
	if err != nil || !strings.Contains(string(logText), "never set up") {
		t.Errorf("the node's log after the refusal: %q, %v", logText, err)
	}
	if err := serviceCmd(ctx, []string{"frobnicate"}, &out, &errOut); err == nil || !hasHan(err.Error()) {
		t.Errorf("an unknown service command: %v", err)
	}
}
