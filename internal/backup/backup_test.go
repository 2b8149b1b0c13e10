package backup_test

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"servicehall/internal/backup"
	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

var ctx = context.Background()

func TestMain(m *testing.M) {
	// Rotation logs every file it removes; keep test output readable.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	os.Exit(m.Run())
}

func at(t time.Time) func() time.Time { return func() time.Time { return t } }

func issue(t *testing.T, h *halltest.Hall, n int) {
	t.Helper()
	for range n {
		if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
			t.Fatal(err)
		}
	}
}

func countTickets(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM tickets`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustVerify(t *testing.T, path string) sqlite.Report {
	t.Helper()
	r, err := sqlite.Verify(ctx, path)
	if err != nil {
		t.Fatalf("verify %s: %v", path, err)
	}
	if !r.OK() {
		t.Fatalf("verify %s: %v", path, r.Problems)
	}
	return r
}

// A backup taken while the hall runs is a verified snapshot, and leaves
// nothing but itself in the folder.
func TestCreateWhileTheHallRuns(t *testing.T) {
	h := halltest.New(t, nil)
	issue(t, h, 3)
	dir := filepath.Join(t.TempDir(), "bk")
	now := halltest.Morning(t)
	f, err := backup.Create(ctx, h.Path, backup.Options{Dir: dir, Now: at(now)})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if want := filepath.Join(dir, "hall-"+now.In(time.Local).Format("20060102-150405")+".db"); f.Path != want {
		t.Errorf("backup path = %s, want %s", f.Path, want)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("backup folder holds %v, want only the backup", names)
	}
	// The hall goes on writing while the backup is checked on its own.
	issue(t, h, 2)
	mustVerify(t, f.Path)
	if got := countTickets(t, f.Path); got != 3 {
		t.Errorf("tickets in backup = %d, want 3", got)
	}
	// A second one in the same second gets its own name.
	g, err := backup.Create(ctx, h.Path, backup.Options{Dir: dir, Now: at(now)})
	if err != nil || g.Path == f.Path {
		t.Fatalf("second backup: %v, path %s", err, g.Path)
	}
}

func TestRotationKeeps14DailyAnd12Monthly(t *testing.T) {
	h := halltest.New(t, nil)
	dir := t.TempDir()
	loc := halltest.Shanghai(t)
	// Two backups a day from 2025-09-01 to 2026-11-26 (placeholders: rotation
	// reads only names), one foreign file, then a real backup on 11-27.
	var all []string
	for d := time.Date(2025, 9, 1, 0, 0, 0, 0, loc); d.Before(time.Date(2026, 11, 27, 0, 0, 0, 0, loc)); d = d.AddDate(0, 0, 1) {
		for _, hr := range []int{8, 23} {
			p := filepath.Join(dir, "hall-"+d.Add(time.Duration(hr)*time.Hour).Format("20060102-150405")+".db")
			if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			all = append(all, p)
		}
	}
	foreign := filepath.Join(dir, "notes.txt")
	os.WriteFile(foreign, []byte("keep me"), 0o644)
	f, err := backup.Create(ctx, h.Path, backup.Options{Dir: dir, Loc: loc, Now: at(time.Date(2026, 11, 27, 18, 0, 0, 0, loc))})
	if err != nil {
		t.Fatal(err)
	}
	files, err := backup.List(dir, h.Path, loc)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Time.Format("2006-01-02 15"))
	}
	var want []string
	want = append(want, "2026-11-27 18")
	for d := 26; d >= 14; d-- { // 13 more days: 14 in all
		want = append(want, time.Date(2026, 11, d, 23, 0, 0, 0, loc).Format("2006-01-02 15"))
	}
	for m := 10; m >= 1; m-- { // newest of each earlier month: 12 months with 2026-11 and 2025-12
		last := time.Date(2026, time.Month(m)+1, 0, 23, 0, 0, 0, loc)
		want = append(want, last.Format("2006-01-02 15"))
	}
	want = append(want, "2025-12-31 23")
	if !slices.Equal(got, want) {
		t.Errorf("kept %d backups:\n%v\nwant %d:\n%v", len(got), got, len(want), want)
	}
	if _, err := os.Stat(foreign); err != nil {
		t.Errorf("rotation removed a file that is not a backup: %v", err)
	}
	if files[0].Path != f.Path {
		t.Errorf("newest = %s, want the one just written %s", files[0].Path, f.Path)
	}
}

// A backup is due at the day's close and, when the PC was off then, at the
// next start; not again until the next close.
func TestDue(t *testing.T) {
	h := halltest.New(t, nil)
	loc := halltest.Shanghai(t)
	dir := t.TempDir()
	opt := func(now time.Time, closeAt time.Duration) backup.Options {
		return backup.Options{Dir: dir, Loc: loc, Now: at(now), CloseAt: closeAt}
	}
	day := func(d, hr, mi int) time.Time { return time.Date(2026, 11, d, hr, mi, 0, 0, loc) }

	if _, ok, err := backup.IfDue(ctx, h.Path, opt(day(26, 10, 0), 0)); err != nil || !ok {
		t.Fatalf("first start without any backup: wrote %v, err %v; want a backup", ok, err)
	}
	for _, c := range []struct {
		now     time.Time
		closeAt time.Duration
		want    bool
	}{
		{day(26, 17, 0), 0, false},                           // same day
		{day(26, 23, 59), 0, false},                          // before midnight
		{day(27, 0, 1), 0, true},                             // the close at midnight
		{day(27, 8, 30), 0, true},                            // PC off overnight: the next start
		{day(26, 17, 59), 18 * time.Hour, false},             // before an 18:00 close
		{day(26, 18, 0), 18 * time.Hour, true},               // at it
		{day(27, 8, 0), 18*time.Hour + 30*time.Minute, true}, // off since before the close
	} {
		got, err := backup.Due(h.Path, opt(c.now, c.closeAt))
		if err != nil || got != c.want {
			t.Errorf("Due at %s (close %v) = %v, %v; want %v", c.now.Format("01-02 15:04"), c.closeAt, got, err, c.want)
		}
	}
	if _, ok, _ := backup.IfDue(ctx, h.Path, opt(day(27, 8, 30), 0)); !ok {
		t.Fatal("no backup at the next morning's start")
	}
	if _, ok, _ := backup.IfDue(ctx, h.Path, opt(day(27, 9, 30), 0)); ok {
		t.Fatal("a second backup on the same day")
	}
}

func TestRestoreRoundTrip(t *testing.T) {
	h := halltest.New(t, nil)
	issue(t, h, 4)
	dir := t.TempDir()
	f, err := backup.Create(ctx, h.Path, backup.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	issue(t, h, 3) // after the backup: lost by the restore, kept in the replaced file

	// Refused while the hall holds the database; nothing changes.
	_, err = backup.Restore(ctx, h.Path, f.Path, time.Now())
	var inUse *backup.InUseError
	if !errors.As(err, &inUse) || !strings.Contains(hall.Message(err), "正被运行中的程序使用") {
		t.Fatalf("restore over a running hall: err = %v (%q), want *InUseError", err, hall.Message(err))
	}
	if _, err := os.Stat(h.Path + ".restoring"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused restore left a temporary file: %v", err)
	}
	if err := h.DB.Close(); err != nil {
		t.Fatal(err)
	}
	if got := countTickets(t, h.Path); got != 7 {
		t.Fatalf("tickets after the refused restore = %d, want 7", got)
	}

	now := time.Date(2026, 11, 27, 10, 30, 0, 0, time.Local)
	replaced, err := backup.Restore(ctx, h.Path, f.Path, now)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if want := h.Path + ".replaced-20261127-103000"; replaced != want {
		t.Errorf("replaced = %s, want %s", replaced, want)
	}
	mustVerify(t, h.Path)
	if got := countTickets(t, h.Path); got != 4 {
		t.Errorf("tickets after restore = %d, want 4 (as backed up)", got)
	}
	if got := countTickets(t, replaced); got != 7 {
		t.Errorf("tickets in the replaced file = %d, want 7", got)
	}
	// The restored hall opens and works.
	h2 := halltest.Reopen(t, h.Path, h.Clock)
	if _, err := h2.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatalf("issue after restore: %v", err)
	}
}

// corrupt overwrites bytes in the middle of a database file.
func corrupt(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", 1024))
	for _, off := range []int64{0, 4096 * 2, 4096 * 5} {
		if _, err := f.WriteAt(junk, off); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRestoreRefusesADamagedBackup(t *testing.T) {
	h := halltest.New(t, nil)
	issue(t, h, 2)
	f, err := backup.Create(ctx, h.Path, backup.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	h.DB.Close()
	before, _ := os.ReadFile(h.Path)
	corrupt(t, f.Path)
	_, err = backup.Restore(ctx, h.Path, f.Path, time.Now())
	var be *backup.Error
	if !errors.As(err, &be) || !strings.Contains(be.UserMessage(), "未通过检查") {
		t.Fatalf("restore of a damaged backup: err = %v, want *backup.Error naming the check", err)
	}
	after, _ := os.ReadFile(h.Path)
	if !slices.Equal(before, after) {
		t.Error("a refused restore changed the database")
	}
	if _, err := os.Stat(h.Path + ".restoring"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary file left: %v", err)
	}
}

func TestExplainNamesTheLastGoodBackup(t *testing.T) {
	h := halltest.New(t, nil)
	dir := t.TempDir()
	loc := halltest.Shanghai(t)
	good, err := backup.Create(ctx, h.Path, backup.Options{Dir: dir, Loc: loc, Now: at(time.Date(2026, 11, 25, 23, 0, 0, 0, loc))})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := backup.Create(ctx, h.Path, backup.Options{Dir: dir, Loc: loc, Now: at(time.Date(2026, 11, 26, 23, 0, 0, 0, loc))})
	if err != nil {
		t.Fatal(err)
	}
	corrupt(t, bad.Path) // the newest is damaged too: skipped
	h.DB.Close()
	corrupt(t, h.Path)
	_, err = sqlite.Open(ctx, h.Path, sqlite.Options{})
	err = backup.Explain(ctx, err, h.Path, dir)
	var de *backup.DamagedError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want *backup.DamagedError", err)
	}
	if de.Last == nil || de.Last.Path != good.Path {
		t.Fatalf("last good backup = %+v, want %s", de.Last, good.Path)
	}
	var sd *sqlite.DamagedError
	if !errors.As(err, &sd) {
		t.Error("the sqlite.DamagedError is not wrapped")
	}
	msg := hall.Message(err)
	for _, want := range []string{"数据库文件已损坏", filepath.Base(good.Path), "servicehall restore"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}
