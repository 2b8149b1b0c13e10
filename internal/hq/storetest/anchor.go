package storetest

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"servicehall/internal/hq"
)

func testSigningKeyIsMadeOnce(t *testing.T, open Opener) {
	in := open(t)
	s := in.Store
	calls := 0
	gen := func() (string, string, error) {
		calls++
		return fmt.Sprintf("PRIVATE+KEY+k%d", calls), fmt.Sprintf("k%d+v", calls), nil
	}
	sk, vk, err := s.SigningKey(ctx, gen)
	if err != nil || sk != "PRIVATE+KEY+k1" || vk != "k1+v" {
		t.Fatalf("first signing key = %q %q (%v)", sk, vk, err)
	}
	sk, vk, err = s.SigningKey(ctx, gen)
	if err != nil || sk != "PRIVATE+KEY+k1" || vk != "k1+v" || calls != 1 {
		t.Fatalf("second signing key = %q %q (%v), generated %d times", sk, vk, err, calls)
	}
	if in.Reopen != nil {
		if sk, _, err := in.Reopen(t).SigningKey(ctx, gen); err != nil || sk != "PRIVATE+KEY+k1" {
			t.Fatalf("signing key seen by a second program = %q (%v)", sk, err)
		}
	}
	if in.Exec != nil {
		if err := in.Exec(ctx, "UPDATE signing_key SET skey = 'x'"); err == nil {
			t.Fatal("the signing key was replaced")
		}
		if err := in.Exec(ctx, "DELETE FROM signing_key"); err == nil {
			t.Fatal("the signing key was deleted")
		}
	}
}

func testSigningKeyRace(t *testing.T, open Opener) {
	s := open(t).Store
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sk, _, err := s.SigningKey(ctx, func() (string, string, error) { return fmt.Sprintf("sk%d", i), fmt.Sprintf("vk%d", i), nil })
			if err != nil {
				t.Error(err)
			}
			got[i] = sk
		}()
	}
	wg.Wait()
	for _, g := range got {
		if g != got[0] {
			t.Fatalf("racing first calls got different keys: %v", got)
		}
	}
}

func head(size int64, tag string) hq.TreeHead {
	return hq.TreeHead{Size: size, Root: sha256.Sum256([]byte(tag)), At: now.Add(time.Duration(size) * time.Second)}
}

func testTreeHeads(t *testing.T, open Opener) {
	in := open(t)
	s := in.Store
	a, b := newHall(t, s, "城关"), newHall(t, s, "城南")
	if h, err := s.TreeHead(ctx, a.ID); err != nil || h.Size != 0 {
		t.Fatalf("head of a hall never anchored = %+v (%v)", h, err)
	}
	if err := s.AddTreeHead(ctx, a.ID, 0, head(5, "a5")); err != nil {
		t.Fatal(err)
	}
	// The same head again is a no-op; a head checked against an old size
	// is refused, as is another root at the same size or a smaller size.
	if err := s.AddTreeHead(ctx, a.ID, 5, head(5, "a5")); err != nil {
		t.Fatalf("the same head again: %v", err)
	}
	for _, tc := range []struct {
		prev int64
		h    hq.TreeHead
	}{{0, head(9, "a9")}, {5, head(5, "other")}, {5, head(3, "a3")}, {7, head(9, "a9")}} {
		if err := s.AddTreeHead(ctx, a.ID, tc.prev, tc.h); !errors.Is(err, hq.ErrHeadMoved) {
			t.Fatalf("add head %d over %d: %v, want ErrHeadMoved", tc.h.Size, tc.prev, err)
		}
	}
	if err := s.AddTreeHead(ctx, a.ID, 5, head(9, "a9")); err != nil {
		t.Fatal(err)
	}
	got, err := s.TreeHead(ctx, a.ID)
	if want := head(9, "a9"); err != nil || got.Size != 9 || got.Root != want.Root || !got.At.Equal(ms(want.At)) {
		t.Fatalf("head = %+v (%v), want %+v", got, err, want)
	}
	if h, err := s.TreeHead(ctx, b.ID); err != nil || h.Size != 0 {
		t.Fatalf("another hall's head = %+v (%v)", h, err)
	}
	// An inconsistent head alerts once per size and root.
	for i, tc := range []struct {
		h    hq.TreeHead
		want bool
	}{{head(8, "bad"), true}, {head(8, "bad"), false}, {head(9, "bad"), true}} {
		isNew, err := s.AddBadHead(ctx, a.ID, tc.h, fmt.Sprintf("不一致 %d", i))
		if err != nil || isNew != tc.want {
			t.Fatalf("bad head %d: new %v (%v), want %v", i, isNew, err, tc.want)
		}
	}
	as := alerts(t, s, a.ID)
	if len(as) != 2 || as[0].Kind != hq.AlertTreeInconsistent || as[0].Detail != "不一致 0" || as[1].Detail != "不一致 2" || !as[0].At.Equal(ms(head(8, "").At)) {
		t.Fatalf("alerts = %+v", as)
	}
	if in.Reopen != nil {
		if h, err := in.Reopen(t).TreeHead(ctx, a.ID); err != nil || h.Size != 9 {
			t.Fatalf("head seen by a second program = %+v (%v)", h, err)
		}
	}
	if in.Exec != nil {
		if err := in.Exec(ctx, "DELETE FROM tree_heads"); err == nil {
			t.Fatal("signed heads were deleted")
		}
	}
}
