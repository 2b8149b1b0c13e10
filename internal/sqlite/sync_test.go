package sqlite_test

import (
	"errors"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

func TestSyncCursorMovesOnlyForwardAndNeverPastTheLog(t *testing.T) {
	h := halltest.New(t, nil)
	for range 10 {
		if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
			t.Fatal(err)
		}
	}
	last := h.LastSeq()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	if c, err := h.DB.SyncCursor(ctx); err != nil || c != 0 {
		t.Fatalf("new cursor = %d (%v)", c, err)
	}
	if err := h.DB.AdvanceCursor(ctx, last-5, now); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.AdvanceCursor(ctx, last-6, now); !errors.Is(err, sqlite.ErrCursorBackwards) {
		t.Fatalf("backwards: err = %v", err)
	}
	if err := h.DB.AdvanceCursor(ctx, last+1, now); !errors.Is(err, sqlite.ErrCursorAhead) {
		t.Fatalf("past the log: err = %v", err)
	}
	if err := h.DB.RewindCursor(ctx, last, now, ""); !errors.Is(err, sqlite.ErrCursorAhead) {
		t.Fatalf("rewind forward: err = %v", err)
	}
	if err := h.DB.RewindCursor(ctx, 2, now, ""); err != nil {
		t.Fatal(err)
	}
	if c, _ := h.DB.SyncCursor(ctx); c != 2 {
		t.Fatalf("cursor after rewind = %d", c)
	}
}

func TestQuarantineAndCursorMoveTogether(t *testing.T) {
	h := halltest.New(t, nil)
	for range 10 {
		if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	q := sqlite.Quarantined{Seq: 5, UUID: "u", Kind: "ticket.issued", Status: "rejected", Reason: "记录内容与校验值不符"}
	// A quarantined number beyond the new cursor: refused whole.
	if err := h.DB.AdvanceCursor(ctx, 4, now, q); !errors.Is(err, sqlite.ErrCursorAhead) {
		t.Fatalf("err = %v", err)
	}
	st, err := h.DB.SyncStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.AckedThrough != 0 || st.Quarantined != 0 {
		t.Fatalf("a refused move wrote: %+v", st)
	}
	if err := h.DB.RecordSyncFailure(ctx, now, "无法连接总部"); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.AdvanceCursor(ctx, 6, now.Add(time.Minute), q); err != nil {
		t.Fatal(err)
	}
	st, err = h.DB.SyncStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := sqlite.SyncStatus{AckedThrough: 6, LastSeq: h.LastSeq(), Backlog: h.LastSeq() - 6,
		LastSuccess: now.Add(time.Minute), LastAttempt: now.Add(time.Minute), Quarantined: 1}
	if st != want {
		t.Fatalf("status = %+v\nwant     %+v", st, want)
	}
	// The same number quarantined again keeps the first entry.
	q2 := q
	q2.Reason = "其他"
	if err := h.DB.Quarantine(ctx, now, q2); err != nil {
		t.Fatal(err)
	}
	got, err := h.DB.QuarantinedEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Reason != q.Reason || !got[0].At.Equal(now.Add(time.Minute)) {
		t.Fatalf("quarantine = %+v", got)
	}
	// It survives a restart, and the hall's own check still passes.
	h = h.Restart(t)
	if st, _ := h.DB.SyncStatus(ctx); st.AckedThrough != 6 || st.Quarantined != 1 {
		t.Fatalf("after restart: %+v", st)
	}
	path := h.Path
	h.DB.Close()
	if r, err := sqlite.Verify(ctx, path); err != nil || !r.OK() {
		t.Fatalf("verify: %+v %v", r, err)
	}
	if _, err := rawDB(t, path).Exec(`DELETE FROM quarantine`); err == nil {
		t.Fatal("the quarantine was emptied")
	}
}

func TestHQNoticesAreRemembered(t *testing.T) {
	db := halltest.OpenDB(t, t.TempDir()+"/hall.db")
	now := time.Now()
	if seen, err := db.HQNoticeSeen(ctx, "n1"); err != nil || seen {
		t.Fatalf("seen = %v (%v)", seen, err)
	}
	if err := db.MarkHQNotice(ctx, "n1", now, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkHQNotice(ctx, "n1", now, "again"); err != nil {
		t.Fatal(err)
	}
	if seen, err := db.HQNoticeSeen(ctx, "n1"); err != nil || !seen {
		t.Fatalf("seen = %v (%v)", seen, err)
	}
}
