package hall_test

import (
	"context"
	"errors"
	"testing"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

func TestQuarantineIsForADirectorOnly(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	if err := h.DB.Quarantine(ctx, h.Clock.Now(), sqlite.Quarantined{Seq: 3, Status: "missing", Reason: "缺"}); err != nil {
		t.Fatal(err)
	}
	h.SignInDemo(t)
	if _, err := h.Quarantine(ctx, h.At(1)); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk's quarantine read: %v, want refused", err)
	}
	if _, err := h.Quarantine(ctx, "nobody"); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Fatal("read the quarantine without a session")
	}
	tok := h.SignInDemoDirector(t)
	qs, err := h.Quarantine(ctx, tok)
	if err != nil || len(qs) != 1 || qs[0].Seq != 3 || qs[0].StatusLabel() != "缺号" || qs[0].UUID != "" {
		t.Fatalf("quarantine = %+v (%v)", qs, err)
	}
}
