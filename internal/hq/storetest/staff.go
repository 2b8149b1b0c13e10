package storetest

import (
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"servicehall/internal/hall"
	"servicehall/internal/hq"
)

func testStaffAndSessions(t *testing.T, open Opener) {
	in := open(t)
	s := in.Store
	a, err := s.AddStaff(ctx, "总部值班员", []byte("$2a$hash-a"), now)
	if err != nil || a.ID <= 0 || a.Name != "总部值班员" || !a.Created.Equal(ms(now)) {
		t.Fatalf("add staff = %+v (%v)", a, err)
	}
	if _, err := s.AddStaff(ctx, "总部值班员", []byte("x"), now); !errors.Is(err, hq.ErrStaffExists) {
		t.Fatalf("the same name again: %v, want ErrStaffExists", err)
	}
	got, hash, err := s.StaffPassword(ctx, "总部值班员")
	if err != nil || got.ID != a.ID || string(hash) != "$2a$hash-a" {
		t.Fatalf("staff password = %+v %q (%v)", got, hash, err)
	}
	if _, _, err := s.StaffPassword(ctx, "nobody"); !errors.Is(err, hq.ErrUnknownStaff) {
		t.Fatalf("unknown staff: %v", err)
	}
	tok := sha256.Sum256([]byte("cookie"))
	if err := s.AddStaffSession(ctx, tok, a.ID, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if st, err := s.StaffSession(ctx, tok, now.Add(59*time.Minute)); err != nil || st.ID != a.ID || st.Name != a.Name {
		t.Fatalf("live session = %+v (%v)", st, err)
	}
	if _, err := s.StaffSession(ctx, tok, now.Add(61*time.Minute)); !errors.Is(err, hq.ErrUnknownStaff) {
		t.Fatalf("expired session: %v", err)
	}
	if _, err := s.StaffSession(ctx, sha256.Sum256([]byte("other")), now); !errors.Is(err, hq.ErrUnknownStaff) {
		t.Fatalf("unknown session: %v", err)
	}
	if in.Reopen != nil {
		if st, err := in.Reopen(t).StaffSession(ctx, tok, now); err != nil || st.ID != a.ID {
			t.Fatalf("session seen by a second program = %+v (%v)", st, err)
		}
	}
	if err := s.EndStaffSession(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StaffSession(ctx, tok, now); !errors.Is(err, hq.ErrUnknownStaff) {
		t.Fatalf("ended session: %v", err)
	}
	if err := s.EndStaffSession(ctx, tok); err != nil {
		t.Fatalf("ending an ended session: %v", err)
	}
}

func testRecordsAtAndHallLastSeq(t *testing.T, open Opener) {
	s := open(t).Store
	h, other := newHall(t, s, "城关"), newHall(t, s, "城南")
	// recWith times records at 1_796_083_200_000 + seq seconds.
	r1, r2, r3 := rec(t, 1, `{}`), recWith(2, mustUUID(t), hall.KindRated, `{"level":5}`), rec(t, 3, `{}`)
	b := batchOf(r1, r2, r3)
	b.HallLastSeq = 40
	apply(t, s, h.ID, b, now)
	apply(t, s, other.ID, batchOf(rec(t, 1, `{}`)), now)
	if c := cursor(t, s, h.ID); c.HallLastSeq != 40 || c.AckedThrough != 3 {
		t.Fatalf("cursor = %+v, want the hall's last number 40", c)
	}
	// A batch without it, or with an older one, keeps the newest known.
	b2 := batchOf(rec(t, 4, `{}`))
	b2.HallLastSeq = 10
	apply(t, s, h.ID, b2, now)
	if c := cursor(t, s, h.ID); c.HallLastSeq != 40 {
		t.Fatalf("cursor after an older claim = %+v", c)
	}
	if c := cursor(t, s, other.ID); c.HallLastSeq != 1 {
		t.Fatalf("a hall that never said: %+v, want its batch's last number", c)
	}
	at := func(seq int64) time.Time { return time.UnixMilli(1_796_083_200_000 + seq*1000) }
	got, err := s.RecordsAt(ctx, h.ID, []string{string(hall.KindTicketIssued)}, at(1), at(3))
	if err != nil || len(got) != 1 || got[0].UUID != r1.UUID {
		t.Fatalf("issued in [1, 3) = %+v (%v), want record 1 only", got, err)
	}
	got, err = s.RecordsAt(ctx, h.ID, []string{string(hall.KindTicketIssued), string(hall.KindRated)}, at(1), at(4))
	if err != nil || len(got) != 3 || got[1].UUID != r2.UUID || string(got[1].Payload) != `{"level":5}` || got[2].UUID != r3.UUID {
		t.Fatalf("issued and rated in [1, 4) = %+v (%v)", got, err)
	}
	if got, err := s.RecordsAt(ctx, other.ID, []string{string(hall.KindRated)}, at(0), at(10)); err != nil || len(got) != 0 {
		t.Fatalf("another hall's = %+v (%v)", got, err)
	}
}

func mustUUID(t *testing.T) string {
	t.Helper()
	return rec(t, 1, `{}`).UUID
}
