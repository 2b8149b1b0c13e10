package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

var ctx = context.Background()

// rawDB opens the file behind the program's back, as a tamperer or a
// damaged disk would, with no lock taken.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenAppliesDurableSettingsAndReadsThemBack(t *testing.T) {
	db := halltest.OpenDB(t, filepath.Join(t.TempDir(), "hall.db"))
	got, err := db.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "busy_timeout": "10000", "foreign_keys": "1"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("pragma %s = %q, want %q", k, got[k], v)
		}
	}
}

func TestSecondOwnerIsRefusedWithTheHoldersName(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	first, err := sqlite.Open(ctx, path, sqlite.Options{Program: "servicehall 测试"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sqlite.Open(ctx, path, sqlite.Options{Program: "second"})
	var le *sqlite.LockedError
	if !errors.As(err, &le) {
		t.Fatalf("second open: err = %v, want *LockedError", err)
	}
	if !strings.Contains(le.Holder, "servicehall 测试") || !strings.Contains(le.Holder, strconv.Itoa(os.Getpid())) {
		t.Fatalf("holder = %q, want the first program's name and pid", le.Holder)
	}
	if !strings.Contains(hall.Message(err), "另一个程序") {
		t.Fatalf("message for people = %q", hall.Message(err))
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatalf("open after the owner closed: %v", err)
	}
	again.Close()
}

func TestNotADatabaseIsRefusedAndLeftAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	junk := []byte(strings.Repeat("这不是数据库", 1000))
	if err := os.WriteFile(path, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := sqlite.Open(ctx, path, sqlite.Options{})
	var de *sqlite.DamagedError
	if !errors.As(err, &de) {
		t.Fatalf("open junk: err = %v, want *DamagedError", err)
	}
	if b, _ := os.ReadFile(path); string(b) != string(junk) {
		t.Fatal("opening a damaged file changed it")
	}
}

func TestCorruptPageFailsQuickCheck(t *testing.T) {
	h := halltest.New(t, nil)
	for i := 0; i < 300; i++ {
		if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
			t.Fatal(err)
		}
	}
	path := h.Path
	h.DB.Close()
	// Checkpoint the WAL into the main file, then scribble over a table page.
	raw := rawDB(t, path)
	if _, err := raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	garbage := []byte(strings.Repeat("\xff\x00\x13", 1400))
	if _, err := f.WriteAt(garbage, st.Size()/2/4096*4096+100); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = sqlite.Open(ctx, path, sqlite.Options{})
	var de *sqlite.DamagedError
	if !errors.As(err, &de) {
		t.Fatalf("open corrupted: err = %v, want *DamagedError", err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	db := halltest.OpenDB(t, path)
	db.Close()
	if _, err := rawDB(t, path).Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	_, err := sqlite.Open(ctx, path, sqlite.Options{})
	var tn *sqlite.TooNewError
	if !errors.As(err, &tn) || tn.Version != 999 {
		t.Fatalf("err = %v, want *TooNewError for 999", err)
	}
}

func TestEventsCannotBeChangedOrDeleted(t *testing.T) {
	h := halltest.New(t, nil)
	if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	path := h.Path
	h.DB.Close()
	raw := rawDB(t, path)
	if _, err := raw.Exec(`UPDATE events SET payload = x'00' WHERE seq = 1`); err == nil {
		t.Fatal("an event was updated")
	}
	if _, err := raw.Exec(`DELETE FROM events`); err == nil {
		t.Fatal("events were deleted")
	}
}

func TestACommitIsAllOrNothing(t *testing.T) {
	h := halltest.New(t, nil)
	before, err := h.DB.Events(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	bad := &hall.Change{
		Counters: []hall.Counter{{No: 9, Name: "9号窗口", Types: []string{"fee"}, State: hall.CounterOpen}},
		Tickets:  []hall.Ticket{{ID: "x", Day: "2026-11-27", Prefix: "A", Seq: 1, Number: "A001", Type: "no-such-type", State: hall.Waiting}},
	}
	if _, err := h.DB.Commit(ctx, bad); err == nil {
		t.Fatal("a ticket of an unknown type was committed")
	}
	after, _ := h.DB.Events(ctx, 0, 1000)
	snap, err := h.DB.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) || len(snap.Counters) != 5 {
		t.Fatalf("a failed commit left rows behind: events %d->%d, %d counters", len(before), len(after), len(snap.Counters))
	}
}

func TestVerifyFindsTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper string
		want   string
	}{
		{"sound", ``, ""},
		{"edited event", `DROP TRIGGER events_immutable_update; UPDATE events SET payload = CAST('{}' AS BLOB) WHERE seq = 3`, "校验值不符"},
		{"deleted event", `DROP TRIGGER events_immutable_delete; DELETE FROM events WHERE seq = 2`, "缺号"},
		{"deleted last event", `DROP TRIGGER events_immutable_delete; DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)`, "末尾"},
		{"ticket number rewritten", `UPDATE tickets SET number = 'A999' WHERE seq = 1`, "号码与前缀"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := halltest.New(t, nil)
			for i := 0; i < 3; i++ {
				if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
					t.Fatal(err)
				}
			}
			path, events := h.Path, h.LastSeq()
			h.DB.Close()
			if tt.tamper != "" {
				if _, err := rawDB(t, path).Exec(tt.tamper); err != nil {
					t.Fatal(err)
				}
			}
			r, err := sqlite.Verify(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if !r.OK() || r.Tickets != 3 || r.Events != events {
					t.Fatalf("sound database: %+v", r)
				}
				return
			}
			if r.OK() || !strings.Contains(strings.Join(r.Problems, "\n"), tt.want) {
				t.Fatalf("problems = %v, want one mentioning %q", r.Problems, tt.want)
			}
		})
	}
}

func TestVerifyRefusesADatabaseInUse(t *testing.T) {
	h := halltest.New(t, nil)
	_, err := sqlite.Verify(ctx, h.Path)
	var le *sqlite.LockedError
	if !errors.As(err, &le) {
		t.Fatalf("verify while open: err = %v, want *LockedError", err)
	}
}

func TestComplaintsCannotBeEditedOrDeleted(t *testing.T) {
	h := halltest.New(t, nil)
	if _, err := h.RecordComplaint(ctx, h.At(1), hall.ComplaintInput{What: "等候时间过长", Contact: hall.Contact{Phone: "13812345678"}}); err != nil {
		t.Fatal(err)
	}
	path := h.Path
	h.DB.Close()
	raw := rawDB(t, path)
	if _, err := raw.Exec(`UPDATE complaints SET what = '无'`); err == nil {
		t.Fatal("a complaint was edited")
	}
	if _, err := raw.Exec(`DELETE FROM complaints`); err == nil {
		t.Fatal("a complaint was deleted")
	}
	var phone string
	if err := raw.QueryRow(`SELECT contact_phone FROM complaints`).Scan(&phone); err != nil || phone != "13812345678" {
		t.Fatalf("the record keeps the contact in full: %q, %v", phone, err)
	}
}
