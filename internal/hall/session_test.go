package hall_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

func TestSignInChecksThePINAndLocksOutAfterRepeatedFailures(t *testing.T) {
	h := halltest.New(t, nil)
	if _, err := h.SignIn(ctx, 1, "1001", "000000"); !errors.Is(err, hall.ErrBadPIN) || !strings.Contains(hall.Message(err), "还可以再试4次") {
		t.Fatalf("wrong PIN: %v (%q)", err, hall.Message(err))
	}
	if _, err := h.SignIn(ctx, 1, "9999", demo.PIN); !errors.Is(err, hall.ErrBadPIN) {
		t.Fatalf("unknown staff: %v, want the same answer as a wrong PIN", err)
	}
	for i := 0; i < 3; i++ {
		h.SignIn(ctx, 1, "1001", "000000")
	}
	_, err := h.SignIn(ctx, 1, "1001", "000000") // the fifth
	if !errors.Is(err, hall.ErrStaffLocked) {
		t.Fatalf("fifth wrong PIN: %v, want ErrStaffLocked", err)
	}
	// Locked out: even the right PIN is refused, and the old session no longer acts.
	if _, err := h.SignIn(ctx, 1, "1001", demo.PIN); !errors.Is(err, hall.ErrStaffLocked) {
		t.Fatalf("right PIN while locked: %v", err)
	}
	if _, err := h.CallNext(ctx, h.At(1)); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Fatalf("a locked clerk's session still acts: %v", err)
	}
	// The lockout survives a restart; a clerk cannot lift it, the director can.
	h = h.Restart(t)
	if err := h.UnlockStaff(ctx, h.At(2), "1001"); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("clerk unlocking: %v", err)
	}
	if err := h.UnlockStaff(ctx, h.At(0), "1001"); err != nil {
		t.Fatal(err)
	}
	s, err := h.SignIn(ctx, 1, "1001", demo.PIN)
	if err != nil {
		t.Fatalf("sign in after unlock: %v", err)
	}
	if s.Token == "" || s.Staff.Name != "李娜" || s.Counter != 1 || s.Staff.PINHash != nil {
		t.Fatalf("session = %+v", s)
	}
}

func TestEveryClerkActionNamesTheSignedInClerk(t *testing.T) {
	h := halltest.New(t, nil)
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	// 1002 takes over counter 1: 1001's session there ends.
	s, err := h.SignIn(ctx, 1, "1002", demo.PIN)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CallNext(ctx, h.At(1)); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Fatalf("displaced session still acts: %v", err)
	}
	// 1002 was at counter 2: signing in at 1 ended that session too.
	if _, err := h.CallNext(ctx, h.At(2)); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Fatalf("a clerk acts at two counters: %v", err)
	}
	c, err := h.CallNext(ctx, s.Token)
	if err != nil {
		t.Fatal(err)
	}
	if c.Counter != 1 || c.Ticket.Owner != "1002" {
		t.Fatalf("call = counter %d owner %s, want 1 / 1002", c.Counter, c.Ticket.Owner)
	}
	h.Start(ctx, s.Token)
	h.Clock.Advance(4 * time.Minute)
	rec, err := h.Finish(ctx, s.Token)
	if err != nil || rec.Clerk != "1002" || rec.Counter != 1 {
		t.Fatalf("service record %+v, %v", rec, err)
	}
	st, err := h.CounterStatus(ctx, s.Token)
	if err != nil {
		t.Fatal(err)
	}
	if st.Served != 1 || st.AvgService != 4*time.Minute || st.Session.Staff.No != "1002" {
		t.Fatalf("counter status = served %d avg %v staff %s", st.Served, st.AvgService, st.Session.Staff.No)
	}
	// The figures come back after a restart.
	h = h.Restart(t)
	if st, _ := h.CounterStatus(ctx, s.Token); st.Served != 1 || st.AvgService != 4*time.Minute {
		t.Fatalf("after restart: served %d avg %v", st.Served, st.AvgService)
	}
	if err := h.SignOut(ctx, s.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := h.CounterStatus(ctx, s.Token); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Fatalf("after sign-out: %v", err)
	}
}

func TestUnlockAfterIdleRechecksThePIN(t *testing.T) {
	h := halltest.New(t, nil)
	if _, err := h.Unlock(ctx, h.At(3), "999999"); !errors.Is(err, hall.ErrBadPIN) {
		t.Fatalf("unlock with a wrong PIN: %v", err)
	}
	s, err := h.Unlock(ctx, h.At(3), demo.PIN)
	if err != nil || s.Staff.No != "1003" || s.Token != "" {
		t.Fatalf("unlock: %+v, %v (the token is never sent back)", s, err)
	}
}

func TestSessionsEndAtMidnightAndSurviveARestart(t *testing.T) {
	h := halltest.New(t, nil)
	h = h.Restart(t)
	if _, err := h.Session(ctx, h.At(4)); err != nil {
		t.Fatalf("session after restart: %v", err)
	}
	h.Clock.Advance(16 * time.Hour) // past midnight in Shanghai
	if err := h.Housekeep(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Session(ctx, h.At(4)); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Fatalf("session on the next day: %v", err)
	}
}

func TestNoPINHashOrTokenInTheEventLog(t *testing.T) {
	h := halltest.New(t, nil)
	h.SignIn(ctx, 1, "1001", "731946")
	if err := h.SetPIN(ctx, h.At(0), "1003", "24680"); err != nil {
		t.Fatal(err)
	}
	if err := h.SetPIN(ctx, h.At(2), "1003", "13579"); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("clerk setting another's PIN: %v", err)
	}
	if err := h.SetPIN(ctx, h.At(0), "1003", "12ab"); !errors.Is(err, hall.ErrPINFormat) {
		t.Fatalf("bad PIN format: %v", err)
	}
	evs, err := h.DB.Events(ctx, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		for n, tok := range h.Tokens {
			if bytes.Contains(e.Payload, []byte(tok)) {
				t.Fatalf("event %d (%s) holds counter %d's token", e.Seq, e.Kind, n)
			}
		}
		for _, secret := range []string{demo.PIN, "731946", "24680", "$2a$"} {
			if bytes.Contains(e.Payload, []byte(secret)) {
				t.Fatalf("event %d (%s) holds %q", e.Seq, e.Kind, secret)
			}
		}
	}
	if _, err := h.SignIn(ctx, 3, "1003", "24680"); err != nil {
		t.Fatalf("sign in with the new PIN: %v", err)
	}
}
