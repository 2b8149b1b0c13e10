package cli_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"servicehall/internal/backup"
	"servicehall/internal/cli"
	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

// backup, then restore over a database that lost its file, then verify:
// the commands end to end, as hall IT staff run them.
func TestBackupRestoreVerifyCommands(t *testing.T) {
	path := newClosedHall(t)
	dir := filepath.Dir(path)
	bdir := filepath.Join(dir, "bk")
	out, err := runCmd(t, "backup", "--db", path, "--dir", bdir)
	if err != nil || !strings.Contains(out, "已备份并通过检查") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	file := regexp.MustCompile(`已备份并通过检查：(\S+)（`).FindStringSubmatch(out)
	if file == nil {
		t.Fatalf("backup output names no file: %s", out)
	}
	out, err = runCmd(t, "backup", "--db", path, "--dir", bdir, "--list")
	if err != nil || !strings.Contains(out, file[1]) {
		t.Fatalf("backup --list: %v\n%s", err, out)
	}

	// A running program holds the database: restore refuses.
	db, err := sqlite.Open(ctx, path, sqlite.Options{Program: "servicehall serve"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = runCmd(t, "restore", "--db", path, file[1])
	var inUse *backup.InUseError
	if !errors.As(err, &inUse) || !strings.Contains(hall.Message(err), "servicehall serve") {
		t.Fatalf("restore over a running program: %v, want *backup.InUseError naming it", err)
	}
	db.Close()

	corruptFile(t, path)
	out, err = runCmd(t, "restore", "--db", path, file[1])
	if err != nil || !strings.Contains(out, "原数据库已保留为") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	out, err = runCmd(t, "verify", "--db", path)
	if err != nil || !strings.Contains(out, "数据库完好") {
		t.Fatalf("verify after restore: %v\n%s", err, out)
	}
	kept, _ := filepath.Glob(path + ".replaced-*")
	if len(kept) != 1 {
		t.Fatalf("replaced files = %v, want one", kept)
	}
}

// A damaged database at start gets a clear message naming the last good
// backup, and the file is left as it was: never a silent reset.
func TestOpenHallOnADamagedDatabaseNamesTheBackup(t *testing.T) {
	path := newClosedHall(t)
	dir := filepath.Dir(path)
	t.Setenv(backup.DirEnv, filepath.Join(dir, "elsewhere"))
	out, err := runCmd(t, "backup", "--db", path)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	files, _ := backup.List(filepath.Join(dir, "elsewhere"), path, nil)
	if len(files) != 1 {
		t.Fatalf("backups in $%s: %v", backup.DirEnv, files)
	}
	corruptFile(t, path)
	before, _ := os.ReadFile(path)
	_, _, err = cli.OpenHall(ctx, path, "test")
	var de *backup.DamagedError
	if !errors.As(err, &de) {
		t.Fatalf("OpenHall on a damaged file: %v, want *backup.DamagedError", err)
	}
	msg := hall.Message(err)
	for _, want := range []string{"数据库文件已损坏", "程序不会覆盖", filepath.Base(files[0].Path), "servicehall restore --db " + path} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("OpenHall changed the damaged file")
	}
}

// newClosedHall is the demo hall with a few tickets, in a file no program holds.
func newClosedHall(t *testing.T) string {
	t.Helper()
	h := halltest.New(t, nil)
	for range 3 {
		if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.DB.Close(); err != nil {
		t.Fatal(err)
	}
	return h.Path
}

func corruptFile(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 1024))
	for _, off := range []int64{0, 4096 * 3} {
		if _, err := f.WriteAt(junk, off); err != nil {
			t.Fatal(err)
		}
	}
}
