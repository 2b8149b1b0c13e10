package sqlite_test

import (
	"bytes"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

// A call's key is kept with its change, its answer after it; keys of calls
// that changed nothing are not kept, and keys older than CallAnswerKeep go.
func TestCallKeysAreKeptWithTheirChangeAndDropAfterTwoDays(t *testing.T) {
	h := halltest.New(t, nil)
	done := hall.WithCallKey(ctx, "pc1:k1")
	if _, err := h.Issue(done, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	refused := hall.WithCallKey(ctx, "pc1:k2")
	if _, err := h.Issue(refused, "no-such-type", hall.Normal); err == nil || hall.CallCommitted(refused) {
		t.Fatalf("an unknown type: %v, committed %v", err, hall.CallCommitted(refused))
	}
	if _, _, isDone, answered, err := h.DB.CallAnswer(ctx, "pc1:k1"); err != nil || !isDone || answered {
		t.Fatalf("k1: done %v answered %v, %v; want done, not yet answered", isDone, answered, err)
	}
	if _, _, isDone, _, err := h.DB.CallAnswer(ctx, "pc1:k2"); err != nil || isDone {
		t.Fatalf("k2 (changed nothing): done %v, %v", isDone, err)
	}
	if err := h.DB.SaveCallAnswer(ctx, "pc1:k1", 200, []byte(`{"result":[1]}`)); err != nil {
		t.Fatal(err)
	}
	// An answer for a call the hall never did is not kept.
	if err := h.DB.SaveCallAnswer(ctx, "pc1:k2", 200, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if _, _, isDone, _, _ := h.DB.CallAnswer(ctx, "pc1:k2"); isDone {
		t.Fatal("an answer kept for a call the hall never did")
	}
	// The answer survives a restart.
	h = h.Restart(t)
	status, body, isDone, answered, err := h.DB.CallAnswer(ctx, "pc1:k1")
	if err != nil || !isDone || !answered || status != 200 || !bytes.Equal(body, []byte(`{"result":[1]}`)) {
		t.Fatalf("k1 after a restart: %d %s done %v answered %v, %v", status, body, isDone, answered, err)
	}
	// Keys older than CallAnswerKeep are dropped with the next call's change.
	raw := rawDB(t, h.Path)
	old := time.Now().Add(-sqlite.CallAnswerKeep - time.Minute).UnixMilli()
	if _, err := raw.Exec(`UPDATE call_answers SET at = ? WHERE key = 'pc1:k1'`, old); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Issue(hall.WithCallKey(ctx, "pc1:k3"), demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, _, isDone, _, _ := h.DB.CallAnswer(ctx, "pc1:k1"); isDone {
		t.Error("a key older than two days is still kept")
	}
	if _, _, isDone, _, _ := h.DB.CallAnswer(ctx, "pc1:k3"); !isDone {
		t.Error("the new call's key is not kept")
	}
}
