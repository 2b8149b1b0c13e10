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
	done := hall.WithCallKey(ctx, "pc1:k1", nil)
	if _, err := h.Issue(done, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	refused := hall.WithCallKey(ctx, "pc1:k2", nil)
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
	if _, err := h.Issue(hall.WithCallKey(ctx, "pc1:k3", nil), demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, _, isDone, _, _ := h.DB.CallAnswer(ctx, "pc1:k1"); isDone {
		t.Error("a key older than two days is still kept")
	}
	if _, _, isDone, _, _ := h.DB.CallAnswer(ctx, "pc1:k3"); !isDone {
		t.Error("the new call's key is not kept")
	}
}

// With an encoder, a call's answer is committed with its change: it is
// kept even if the node stops right after the commit.
func TestACallsAnswerIsCommittedWithItsChange(t *testing.T) {
	h := halltest.New(t, nil)
	encode := func(result any) []byte {
		tk, ok := result.(hall.Ticket)
		if !ok {
			t.Fatalf("encoded %T, want the ticket", result)
		}
		return []byte(`{"number":"` + tk.Number + `"}`)
	}
	call := hall.WithCallKey(ctx, "pc1:k1", encode)
	if _, err := h.Issue(call, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if got := string(hall.CallAnswerKept(call)); got != `{"number":"A001"}` {
		t.Fatalf("answer kept %q", got)
	}
	h = h.Restart(t)
	status, body, isDone, answered, err := h.DB.CallAnswer(ctx, "pc1:k1")
	if err != nil || !isDone || !answered || status != 200 || string(body) != `{"number":"A001"}` {
		t.Fatalf("after a restart: %d %s done %v answered %v, %v", status, body, isDone, answered, err)
	}
	// A refusal the hall writes down (a wrong PIN) keeps the key, not an answer.
	pin := hall.WithCallKey(ctx, "pc1:k2", func(any) []byte { return []byte("{}") })
	if _, err := h.SignIn(pin, 3, "1003", "000000"); err == nil {
		t.Fatal("wrong PIN accepted")
	}
	if !hall.CallCommitted(pin) || hall.CallAnswerKept(pin) != nil {
		t.Fatalf("a wrong PIN: committed %v, answer %q", hall.CallCommitted(pin), hall.CallAnswerKept(pin))
	}
	if _, _, isDone, answered, _ := h.DB.CallAnswer(ctx, "pc1:k2"); !isDone || answered {
		t.Fatalf("a wrong PIN: done %v answered %v; want the key alone", isDone, answered)
	}
}
