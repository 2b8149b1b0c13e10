package sqlitestore_test

import (
	"context"
	"database/sql"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"servicehall/internal/hall"
	"servicehall/internal/hq"
	"servicehall/internal/hq/sqlitestore"
	"servicehall/internal/hq/wire"
)

var ctx = context.Background()

func open(t *testing.T, path string) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func raw(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func record(seq int64) wire.Record {
	e := hall.Event{Seq: seq, UUID: "01900000-0000-7000-8000-" + hex.EncodeToString([]byte{0, 0, 0, 0, 0, byte(seq)}),
		Kind: "ticket.issued", At: time.UnixMilli(seq), Payload: []byte(`{}`)}
	e.Digest = e.ComputeDigest()
	return wire.FromEvent(e)
}

func TestStoreIsDurableImmutableAndSharedBetweenProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hq.db")
	s := open(t, path)
	r := raw(t, path)
	var mode string
	if err := r.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q (%v)", mode, err)
	}
	var version int
	files, _ := filepath.Glob("migrations/*.sql")
	if err := r.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != len(files) || version < 2 {
		t.Fatalf("user_version = %d (%v), want %d, one per migration", version, err, len(files))
	}
	h, err := s.AddHall(ctx, "城关", [32]byte{1}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddHall(ctx, "城关", [32]byte{2}, time.Now()); err != hq.ErrHallExists {
		t.Fatalf("same name again: %v", err)
	}
	b := &wire.Batch{FirstSeq: 1, LastSeq: 2, Records: []wire.Record{record(1), record(2)}}
	out, err := s.ApplyBatch(ctx, h.ID, b, []string{"", ""}, time.Now())
	if err != nil || out.AckedThrough != 2 {
		t.Fatalf("apply: %+v %v", out, err)
	}
	for _, q := range []string{
		`UPDATE records SET payload = x'00'`,
		`DELETE FROM records`,
		`UPDATE cursors SET acked_through_seq = 1`,
	} {
		if _, err := r.Exec(q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	// A second process on the same file (hall add while serving).
	s2 := open(t, path)
	if _, err := s2.AddHall(ctx, "城南", [32]byte{3}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if hs, err := s.Halls(ctx); err != nil || len(hs) != 2 {
		t.Fatalf("halls seen by the first = %+v (%v)", hs, err)
	}
	// Reopening migrates nothing twice.
	s.Close()
	s = open(t, path)
	if rs, err := s.Records(ctx, h.ID, 0, 10); err != nil || len(rs) != 2 {
		t.Fatalf("records after reopen = %d (%v)", len(rs), err)
	}
}
