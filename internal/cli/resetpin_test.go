package cli

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"testing"

	"servicehall/internal/hall"
	"servicehall/internal/sqlite"
)

// The last administrator locked out gets back in at the console: a new PIN
// printed once that signs in, refused while the node holds the database.
func TestResetPINAtTheConsole(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "hall.db")
	f := ExampleSetup()
	f.Staff = f.Staff[:2]
	f.Staff[0].PIN, f.Staff[1].PIN = "111111", "222222"
	var out bytes.Buffer
	if err := setupCmd(ctx, []string{"--db", db, "--file", writeSetup(t, dir, f)}, &out, &out); err != nil {
		t.Fatal(err)
	}
	l, sdb, err := OpenHallWith(ctx, db, "test", false)
	if err != nil {
		t.Fatal(err)
	}
	for range 6 { // lock the administrator out
		_, _ = l.SignIn(ctx, 0, "9001", "000000")
	}
	if _, err := l.SignIn(ctx, 0, "9001", "222222"); err == nil {
		t.Fatal("the administrator was not locked out")
	}
	// The node holds the database: refused, naming why.
	out.Reset()
	err = resetPINCmd(ctx, []string{"--db", db, "9001"}, &out, &out)
	var le *sqlite.LockedError
	if !errors.As(err, &le) {
		t.Fatalf("reset-pin beside an open hall: %v, want *sqlite.LockedError", err)
	}
	sdb.Close()

	out.Reset()
	if err := resetPINCmd(ctx, []string{"--db", db, "9001"}, &out, &out); err != nil {
		t.Fatalf("reset-pin: %v", err)
	}
	m := regexp.MustCompile(`新密码：(\d{6})`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no PIN printed:\n%s", out.String())
	}
	l, sdb, err = OpenHallWith(ctx, db, "test", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.SignIn(ctx, 0, "9001", m[1]); err != nil {
		t.Errorf("the administrator with the printed PIN: %v", err)
	}
	sdb.Close()
	if err := resetPINCmd(ctx, []string{"--db", filepath.Join(dir, "other.db"), "9001"}, &out, &out); !errors.Is(err, ErrNotSetUp) {
		t.Errorf("reset-pin on a database never set up: %v", err)
	}
	if err := resetPINCmd(ctx, []string{"--db", db}, &out, &out); err == nil || !hasHan(err.Error()) {
		t.Errorf("reset-pin without a staff number: %v", err)
	}
	if err := resetPINCmd(ctx, []string{"--db", db, "7777"}, &out, &out); !errors.Is(err, hall.ErrUnknownStaff) {
		t.Errorf("reset-pin for nobody: %v", err)
	}
}
