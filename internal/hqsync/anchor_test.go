package hqsync_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"servicehall/internal/checkpoint"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/hq"
	"servicehall/internal/hq/wire"
	"servicehall/internal/hqsync"
	"servicehall/internal/sqlite"
)

func complain(t *testing.T, h *halltest.Hall, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if _, err := h.RecordComplaint(ctx, h.At(1+i%5), hall.ComplaintInput{What: fmt.Sprintf("投诉：等候时间过长（%d）", i),
			Where: "营业厅", Contact: hall.Contact{Name: "王建国", Phone: fmt.Sprintf("1381234%04d", i)}}); err != nil {
			t.Fatal(err)
		}
	}
}

func syncAll(t *testing.T, c *hqsync.Client) error {
	t.Helper()
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	return c.Anchor(ctx)
}

// wantCheckpoint checks that the hall keeps a checkpoint of size n that
// HQ's own verifier key opens.
func wantCheckpoint(t *testing.T, h *halltest.Hall, p *hqProc, n int64) {
	t.Helper()
	cp, ok, err := h.DB.LastCheckpoint(ctx)
	if err != nil || !ok || cp.Size != n {
		t.Fatalf("hall's last checkpoint = %+v %v (%v), want size %d", cp, ok, err, n)
	}
	vkey, err := hq.VerifierKey(ctx, p.store)
	if err != nil {
		t.Fatal(err)
	}
	c, err := checkpoint.Open(cp.Note, vkey)
	if err != nil || c.Size != n || c.Root != cp.Root || c.Origin != checkpoint.Origin(p.hallID) {
		t.Fatalf("checkpoint opened with HQ's key = %+v (%v)", c, err)
	}
	th, err := p.store.TreeHead(ctx, p.hallID)
	if err != nil || th.Size != n || th.Root != cp.Root {
		t.Fatalf("HQ's head = %+v (%v), want the hall's checkpoint", th, err)
	}
}

// TestARawSQLDeleteOfAComplaintIsCaughtByHQAndByVerify is the tamper test:
// a real hall file syncing to a real HQ, a complaint deleted behind the
// program's back with its trigger dropped, as an attacker would, and the
// next sync.
func TestARawSQLDeleteOfAComplaintIsCaughtByHQAndByVerify(t *testing.T) {
	t.Parallel()
	p := startHQ(t, nil)
	h := halltest.New(t, nil)
	complain(t, h, 5)
	c := newClient(t, h, fast(p))
	if err := syncAll(t, c); err != nil {
		t.Fatal(err)
	}
	wantCheckpoint(t, h, p, 5)
	// More complaints: HQ checks the proof from 5 to 8 and signs 8.
	complain(t, h, 3)
	if err := syncAll(t, c); err != nil {
		t.Fatal(err)
	}
	wantCheckpoint(t, h, p, 8)
	// Nothing new: nothing is sent, the checkpoint stays.
	if err := syncAll(t, c); err != nil {
		t.Fatal(err)
	}

	// The attack: the third complaint deleted with raw SQL. The stored
	// leaves, hashes and head are left as they were.
	raw := rawHall(t, h)
	if _, err := raw.Exec(`DROP TRIGGER complaints_immutable_delete;
		DELETE FROM complaints WHERE id = (SELECT record_id FROM register_leaves WHERE idx = 2)`); err != nil {
		t.Fatal(err)
	}
	complain(t, h, 1) // and the hall goes on working
	err := syncAll(t, c)
	if !errors.Is(err, hqsync.ErrInconsistent) || !strings.Contains(hall.Message(err), "不一致") {
		t.Fatalf("sync after the delete: %v (%q), want ErrInconsistent", err, hall.Message(err))
	}
	as, err := p.store.Alerts(ctx, p.hallID)
	if err != nil || len(as) != 1 || as[0].Kind != hq.AlertTreeInconsistent || !strings.Contains(as[0].Detail, "总部上次签署 8 条") {
		t.Fatalf("HQ's alerts = %+v (%v), want one %s", as, err, hq.AlertTreeInconsistent)
	}
	if st, _ := c.Status(ctx); !strings.Contains(st.LastError, "登记簿") {
		t.Fatalf("hall's sync status = %+v, want the inconsistency shown", st)
	}
	// HQ keeps the head it signed; the hall's events still all arrived.
	wantCheckpoint(t, h, p, 8)
	assertHQHasExactly(t, h, p)
	// Syncing again does not raise a second alert for the same head.
	if err := syncAll(t, c); !errors.Is(err, hqsync.ErrInconsistent) {
		t.Fatalf("second sync: %v", err)
	}
	if as, _ := p.store.Alerts(ctx, p.hallID); len(as) != 1 {
		t.Fatalf("alerts after a second sync = %d, want 1", len(as))
	}

	// verify fails too, naming the checkpoint.
	h.DB.Close()
	r, err := sqlite.Verify(ctx, h.Path)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || !strings.Contains(strings.Join(r.Problems, "\n"), "与总部上次确认的不一致") {
		t.Fatalf("verify after the delete: %v", r.Problems)
	}
}

// TestALostCheckpointAnswerIsProvedFromHQsHead: HQ signs a head but the
// connection drops before the hall reads the answer; the retry is proved
// from the hall's older checkpoint, HQ answers with the size it holds, and
// the hall proves from there.
func TestALostCheckpointAnswerIsProvedFromHQsHead(t *testing.T) {
	t.Parallel()
	var dropped atomic.Int32
	drop := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == wire.PathCheckpoints && dropped.Load() == 0 && r.ContentLength > 0 {
				body, _ := io.ReadAll(r.Body)
				if strings.Contains(string(body), `"tree_size":5,`) {
					dropped.Add(1)
					r.Body = io.NopCloser(bytes.NewReader(body))
					next.ServeHTTP(httptest.NewRecorder(), r) // HQ signs and keeps 5
					if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
						conn.Close()
					}
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
			next.ServeHTTP(w, r)
		})
	}
	p := startHQ(t, drop)
	h := halltest.New(t, nil)
	complain(t, h, 3)
	c := newClient(t, h, fast(p))
	if err := syncAll(t, c); err != nil {
		t.Fatal(err)
	}
	complain(t, h, 2)
	if err := syncAll(t, c); err != nil {
		t.Fatalf("anchor after a lost answer: %v", err)
	}
	if dropped.Load() != 1 {
		t.Fatalf("answers dropped = %d, want 1", dropped.Load())
	}
	wantCheckpoint(t, h, p, 5)
	if as, _ := p.store.Alerts(ctx, p.hallID); len(as) != 0 {
		t.Fatalf("alerts = %+v, want none for an honest hall", as)
	}
}
