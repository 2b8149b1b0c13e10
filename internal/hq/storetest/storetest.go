// Package storetest is the contract every hq.Storage keeps, as tests: the
// sync protocol's rules on halls, credentials, records, duplicates,
// conflicts, rejections, holes, gaps, cursors, alerts and notices, hall by
// hall. Each storage's own tests call Run with a way to open a fresh, empty
// instance, so the SQLite and PostgreSQL storages are held to the same
// behaviour, down to the millisecond of a stored time.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"servicehall/internal/hall"
	"servicehall/internal/hq"
	"servicehall/internal/hq/wire"
)

// Instance is one storage under test, on a database of its own.
type Instance struct {
	Store hq.Storage
	// Exec runs one SQL statement on the storage's database behind its
	// back, as an administrator would; nil skips the tests that need it.
	Exec func(ctx context.Context, sql string) error
	// Reopen opens the same database again, as a second program would;
	// nil skips the tests that need it. The caller closes what it returns.
	Reopen func(t *testing.T) hq.Storage
}

// Opener opens a fresh, empty instance for one test and closes it when the
// test ends. Tests run in parallel, so it must be safe to call so.
type Opener func(t *testing.T) Instance

// Run runs the contract against the storage open makes.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"HallsAndCredentials", testHallsAndCredentials},
		{"ABatchIsStoredExactly", testABatchIsStoredExactly},
		{"AResendIsDuplicateAndChangesNothing", testResendIsDuplicate},
		{"SameUUIDOtherContentConflictsAndNeverOverwrites", testSameUUIDOtherContent},
		{"SameUUIDAtAnotherNumberConflicts", testSameUUIDOtherSeq},
		{"ANumberHeldUnderAnotherUUIDConflicts", testSeqTakenByAnotherUUID},
		{"AUUIDTwiceInOneBatchConflicts", testUUIDTwiceInOneBatch},
		{"ARejectedRecordSettlesItsNumberAndIsKept", testRejected},
		{"DeclaredHolesAreSettledAndAlerted", testDeclaredHoles},
		{"AGapStoresNothing", testGap},
		{"TheCursorNeverMovesBack", testCursorNeverMovesBack},
		{"LargeBatches", func(t *testing.T, open Opener) {
			n := wire.DefaultLimits.MaxRecords
			if testing.Short() {
				n = 1000 // RunVolume sends the full size
			}
			testLargeBatches(t, open, n)
		}},
		{"HallsAreIsolated", testHallsAreIsolated},
		{"AnUnknownHallIsRefused", testUnknownHall},
		{"ACancelledBatchStoresNothing", testCancelled},
		{"OddTextFromAHallIsKeptExactly", testOddText},
		{"Notices", testNotices},
		{"ANoticeForAnUnknownHallStoresNothing", testNoticeUnknownHall},
		{"StoredRowsRefuseUpdateAndDelete", testImmutable},
		{"ConcurrentBatchesOfOneHallAreSerialised", testConcurrent},
		{"ReopeningKeepsEverything", testReopen},
		{"TheSigningKeyIsMadeOnce", testSigningKeyIsMadeOnce},
		{"RacingFirstCallsAgreeOnOneSigningKey", testSigningKeyRace},
		{"TreeHeadsOnlyGrowAndBadHeadsAlertOnce", testTreeHeads},
		{"StaffAndSessions", testStaffAndSessions},
		{"RecordsByTimeAndTheHallsLastNumber", testRecordsAtAndHallLastSeq},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open)
		})
	}
}

var ctx = context.Background()

// now has nanoseconds and a zone, which storages drop: they keep UTC
// milliseconds.
var now = time.Date(2026, 12, 1, 16, 0, 0, 123_456_789, time.FixedZone("CST", 8*3600))

func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// rec is a well-formed record: a hall event with its digest.
func rec(tb testing.TB, seq int64, payload string) wire.Record {
	tb.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		tb.Fatal(err)
	}
	return recWith(seq, id.String(), hall.KindTicketIssued, payload)
}

func recWith(seq int64, id string, kind hall.Kind, payload string) wire.Record {
	e := hall.Event{Seq: seq, UUID: id, Kind: kind, At: time.UnixMilli(1_796_083_200_000 + seq*1000).UTC(), Payload: []byte(payload)}
	e.Digest = e.ComputeDigest()
	return wire.FromEvent(e)
}

// batch covers first..last with rs and the holes in missing.
func batch(first, last int64, missing []int64, rs ...wire.Record) *wire.Batch {
	return &wire.Batch{HallClock: now.Add(-90*time.Second - 250*time.Millisecond), FirstSeq: first, LastSeq: last, Records: rs, Missing: missing}
}

func batchOf(rs ...wire.Record) *wire.Batch {
	return batch(rs[0].Seq, rs[len(rs)-1].Seq, nil, rs...)
}

// apply applies b with the verdicts HQ's server would give its records.
func apply(t *testing.T, s hq.Storage, hallID int64, b *wire.Batch, at time.Time) hq.Outcome {
	t.Helper()
	out, err := s.ApplyBatch(ctx, hallID, b, verdicts(b), at)
	if err != nil {
		t.Fatalf("apply batch %d..%d: %v", b.FirstSeq, b.LastSeq, err)
	}
	return out
}

func verdicts(b *wire.Batch) []string {
	v := make([]string, len(b.Records))
	for i, r := range b.Records {
		v[i] = wire.CheckRecord(r, wire.DefaultLimits)
	}
	return v
}

func statuses(o hq.Outcome) []string {
	var out []string
	for _, r := range o.Results {
		out = append(out, r.Status)
	}
	return out
}

func wantOutcome(t *testing.T, o hq.Outcome, acked int64, want ...string) {
	t.Helper()
	if o.Gap || o.AckedThrough != acked || !slices.Equal(statuses(o), want) {
		t.Fatalf("outcome: gap %v acked %d %v, want acked %d %v (%+v)", o.Gap, o.AckedThrough, statuses(o), acked, want, o.Results)
	}
}

// newHall registers a hall with a fresh credential.
func newHall(t *testing.T, s hq.Storage, name string) hq.Hall {
	t.Helper()
	tok, err := hq.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.AddHall(ctx, name, hq.HashToken(tok), now)
	if err != nil {
		t.Fatalf("add hall %s: %v", name, err)
	}
	return h
}

func records(t *testing.T, s hq.Storage, hallID int64) []hq.StoredRecord {
	t.Helper()
	rs, err := s.Records(ctx, hallID, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func alerts(t *testing.T, s hq.Storage, hallID int64) []hq.Alert {
	t.Helper()
	as, err := s.Alerts(ctx, hallID)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func alertKinds(as []hq.Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Kind)
	}
	return out
}

func cursor(t *testing.T, s hq.Storage, hallID int64) hq.Cursor {
	t.Helper()
	c, err := s.Cursor(ctx, hallID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sameRecord checks that HQ holds r exactly as sent, received at recv.
func sameRecord(t *testing.T, got hq.StoredRecord, hallID int64, r wire.Record, recv time.Time) {
	t.Helper()
	e := r.Event()
	if got.HallID != hallID || got.Seq != r.Seq || got.UUID != r.UUID || got.Kind != r.Kind || !got.At.Equal(e.At) ||
		string(got.Payload) != string(r.Payload) || got.SHA256 != e.Digest || !got.ReceivedAt.Equal(ms(recv)) {
		t.Fatalf("stored record = {hall %d seq %d %q %q at %v payload %q received %v}, want {hall %d seq %d %q %q at %v payload %q received %v}",
			got.HallID, got.Seq, got.UUID, got.Kind, got.At, got.Payload, got.ReceivedAt,
			hallID, r.Seq, r.UUID, r.Kind, e.At, r.Payload, ms(recv))
	}
}

func testHallsAndCredentials(t *testing.T, open Opener) {
	s := open(t).Store
	if hs, err := s.Halls(ctx); err != nil || len(hs) != 0 {
		t.Fatalf("halls of an empty storage = %+v (%v)", hs, err)
	}
	tokA, tokB := hq.HashToken("shq_a"), hq.HashToken("shq_b")
	a, err := s.AddHall(ctx, "城关供电营业厅", tokA, now)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID <= 0 || a.Name != "城关供电营业厅" || !a.Created.Equal(ms(now)) {
		t.Fatalf("added hall = %+v, want a positive id, the name and created %v", a, ms(now))
	}
	b, err := s.AddHall(ctx, "城南供电营业厅", tokB, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if b.ID <= a.ID {
		t.Fatalf("second hall's id %d is not after the first's %d", b.ID, a.ID)
	}
	if _, err := s.AddHall(ctx, "城关供电营业厅", hq.HashToken("shq_c"), now); !errors.Is(err, hq.ErrHallExists) {
		t.Fatalf("the same name again: %v, want ErrHallExists", err)
	}
	if _, err := s.AddHall(ctx, "城北供电营业厅", tokA, now); err == nil || errors.Is(err, hq.ErrHallExists) {
		t.Fatalf("another hall with the same credential hash: %v, want an error other than ErrHallExists", err)
	}
	got, err := s.HallByToken(ctx, tokB)
	if err != nil || got.ID != b.ID || got.Name != b.Name || !got.Created.Equal(ms(now.Add(time.Hour))) {
		t.Fatalf("hall by token = %+v (%v), want %+v", got, err, b)
	}
	if _, err := s.HallByToken(ctx, hq.HashToken("shq_nobody")); !errors.Is(err, hq.ErrUnknownHall) {
		t.Fatalf("unknown credential: %v, want ErrUnknownHall", err)
	}
	if got, err := s.HallByName(ctx, "城关供电营业厅"); err != nil || got.ID != a.ID || !got.Created.Equal(a.Created) {
		t.Fatalf("hall by name = %+v (%v), want %+v", got, err, a)
	}
	if _, err := s.HallByName(ctx, "城东"); !errors.Is(err, hq.ErrUnknownHall) {
		t.Fatalf("unknown name: %v, want ErrUnknownHall", err)
	}
	hs, err := s.Halls(ctx)
	if err != nil || len(hs) != 2 || hs[0].ID != a.ID || hs[1].ID != b.ID || hs[0].Name != a.Name || !hs[1].Created.Equal(b.Created) {
		t.Fatalf("halls = %+v (%v), want %+v and %+v in order", hs, err, a, b)
	}
}

func testABatchIsStoredExactly(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	if c := cursor(t, s, h.ID); c.AckedThrough != 0 || !c.LastContact.IsZero() || c.ClockSkew != 0 || c.HallID != h.ID {
		t.Fatalf("cursor of a hall never synced = %+v", c)
	}
	big := `{"text":"` + strings.Repeat("营业厅", 40_000) + `"}` // 360 KB
	r1, r2, r3 := rec(t, 1, `{"ticket":{"number":"A001","type":"电费"}}`), rec(t, 2, big), rec(t, 3, `{}`)
	out := apply(t, s, h.ID, batchOf(r1, r2, r3), now)
	wantOutcome(t, out, 3, "inserted", "inserted", "inserted")
	for i, r := range []wire.Record{r1, r2, r3} {
		if res := out.Results[i]; res.Seq != r.Seq || res.UUID != r.UUID || res.Reason != "" {
			t.Fatalf("result %d = %+v", i, res)
		}
	}
	rs := records(t, s, h.ID)
	if len(rs) != 3 {
		t.Fatalf("stored %d records, want 3", len(rs))
	}
	for i, r := range []wire.Record{r1, r2, r3} {
		sameRecord(t, rs[i], h.ID, r, now)
	}
	c := cursor(t, s, h.ID)
	if c.HallID != h.ID || c.AckedThrough != 3 || !c.LastContact.Equal(ms(now)) || c.ClockSkew != -90250*time.Millisecond {
		t.Fatalf("cursor = %+v, want acked 3, last contact %v, skew -1m30.25s", c, ms(now))
	}
	if as := alerts(t, s, h.ID); len(as) != 0 {
		t.Fatalf("alerts = %+v", as)
	}
	// Paging.
	if rs, err := s.Records(ctx, h.ID, 0, 2); err != nil || len(rs) != 2 || rs[0].Seq != 1 || rs[1].Seq != 2 {
		t.Fatalf("first page = %d records (%v)", len(rs), err)
	}
	if rs, err := s.Records(ctx, h.ID, 2, 10); err != nil || len(rs) != 1 || rs[0].Seq != 3 {
		t.Fatalf("second page = %d records (%v)", len(rs), err)
	}
	if rs, err := s.Records(ctx, h.ID, 3, 10); err != nil || len(rs) != 0 {
		t.Fatalf("after the last = %d records (%v)", len(rs), err)
	}
	// No hall clock: no skew.
	b := batchOf(rec(t, 4, `{}`))
	b.HallClock = time.Time{}
	apply(t, s, h.ID, b, now)
	if c := cursor(t, s, h.ID); c.ClockSkew != 0 || c.AckedThrough != 4 {
		t.Fatalf("cursor after a batch without the hall's clock = %+v", c)
	}
}

func testResendIsDuplicate(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	r := []wire.Record{rec(t, 1, `{"n":1}`), rec(t, 2, `{"n":2}`), rec(t, 3, `{"n":3}`), rec(t, 4, `{"n":4}`), rec(t, 5, `{"n":5}`)}
	wantOutcome(t, apply(t, s, h.ID, batchOf(r[0], r[1], r[2]), now), 3, "inserted", "inserted", "inserted")
	later := now.Add(time.Hour)
	// The answer was lost; the hall sends the batch again, and again.
	for range 2 {
		wantOutcome(t, apply(t, s, h.ID, batchOf(r[0], r[1], r[2]), later), 3, "duplicate", "duplicate", "duplicate")
	}
	// A batch that overlaps what HQ holds.
	wantOutcome(t, apply(t, s, h.ID, batchOf(r[1], r[2], r[3], r[4]), later), 5, "duplicate", "duplicate", "inserted", "inserted")
	rs := records(t, s, h.ID)
	if len(rs) != 5 {
		t.Fatalf("HQ holds %d records, want each of 5 once", len(rs))
	}
	for i := range 3 {
		sameRecord(t, rs[i], h.ID, r[i], now) // received the first time, not again
	}
	sameRecord(t, rs[3], h.ID, r[3], later)
	if as := alerts(t, s, h.ID); len(as) != 0 {
		t.Fatalf("duplicates raised alerts: %+v", as)
	}
	if c := cursor(t, s, h.ID); !c.LastContact.Equal(ms(later)) {
		t.Fatalf("last contact = %v, want %v", c.LastContact, ms(later))
	}
}

func testSameUUIDOtherContent(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	r1, r2, r3 := rec(t, 1, `{"n":1}`), rec(t, 2, `{"n":2}`), rec(t, 3, `{"n":3}`)
	apply(t, s, h.ID, batchOf(r1, r2), now)
	changed := recWith(2, r2.UUID, hall.KindTicketIssued, `{"n":"changed"}`)
	out := apply(t, s, h.ID, batchOf(changed, r3), now)
	wantOutcome(t, out, 3, "conflict", "inserted")
	if !out.Conflict() || out.Results[0].UUID != r2.UUID || out.Results[0].Reason == "" {
		t.Fatalf("conflict result = %+v", out.Results[0])
	}
	rs := records(t, s, h.ID)
	if len(rs) != 3 {
		t.Fatalf("HQ holds %d records, want 3", len(rs))
	}
	sameRecord(t, rs[1], h.ID, r2, now) // the original, untouched
	as := alerts(t, s, h.ID)
	if !slices.Equal(alertKinds(as), []string{hq.AlertConflict}) || !strings.Contains(as[0].Detail, r2.UUID) ||
		as[0].HallID != h.ID || !as[0].At.Equal(ms(now)) || as[0].ID <= 0 {
		t.Fatalf("alerts = %+v", as)
	}
	// Sent again: the same answer, the same reason, no second alert.
	again := apply(t, s, h.ID, batchOf(changed, r3), now.Add(time.Minute))
	wantOutcome(t, again, 3, "conflict", "duplicate")
	if again.Results[0].Reason != out.Results[0].Reason {
		t.Fatalf("reason again = %q, first %q", again.Results[0].Reason, out.Results[0].Reason)
	}
	if as := alerts(t, s, h.ID); len(as) != 1 {
		t.Fatalf("a resent conflict raised another alert: %+v", as)
	}
	// The original is still a duplicate.
	wantOutcome(t, apply(t, s, h.ID, batchOf(r2), now), 3, "duplicate")
}

func testSameUUIDOtherSeq(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	r1 := rec(t, 1, `{}`)
	apply(t, s, h.ID, batchOf(r1), now)
	moved := recWith(2, r1.UUID, hall.KindTicketIssued, `{}`)
	out := apply(t, s, h.ID, batchOf(moved), now)
	wantOutcome(t, out, 2, "conflict")
	if !strings.Contains(out.Results[0].Reason, "1") {
		t.Fatalf("reason %q does not name the number HQ holds", out.Results[0].Reason)
	}
	if rs := records(t, s, h.ID); len(rs) != 1 || rs[0].Seq != 1 {
		t.Fatalf("records = %+v", rs)
	}
	if as := alerts(t, s, h.ID); !slices.Equal(alertKinds(as), []string{hq.AlertConflict}) {
		t.Fatalf("alerts = %+v", as)
	}
}

func testSeqTakenByAnotherUUID(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	r1, r2, r3 := rec(t, 1, `{}`), rec(t, 2, `{}`), rec(t, 3, `{}`)
	apply(t, s, h.ID, batchOf(r1, r2), now)
	other := rec(t, 2, `{}`)
	out := apply(t, s, h.ID, batchOf(other, r3), now)
	wantOutcome(t, out, 3, "conflict", "inserted")
	if !strings.Contains(out.Results[0].Reason, r2.UUID) {
		t.Fatalf("reason %q does not name the record HQ holds", out.Results[0].Reason)
	}
	rs := records(t, s, h.ID)
	if len(rs) != 3 || rs[1].UUID != r2.UUID {
		t.Fatalf("records = %+v", rs)
	}
}

func testUUIDTwiceInOneBatch(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	r1 := rec(t, 1, `{}`)
	twice := recWith(2, r1.UUID, hall.KindTicketIssued, `{}`)
	wantOutcome(t, apply(t, s, h.ID, batchOf(r1, twice), now), 2, "inserted", "conflict")
	if rs := records(t, s, h.ID); len(rs) != 1 {
		t.Fatalf("records = %+v", rs)
	}
}

func testRejected(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	bad := rec(t, 2, `{"n":2}`)
	bad.Payload = []byte(`{"n":"edited"}`) // the digest no longer matches
	b := batchOf(rec(t, 1, `{}`), bad, rec(t, 3, `{}`))
	out := apply(t, s, h.ID, b, now)
	wantOutcome(t, out, 3, "inserted", "rejected", "inserted")
	if out.Results[1].Reason != wire.ReasonBadDigest {
		t.Fatalf("reason = %q, want %q", out.Results[1].Reason, wire.ReasonBadDigest)
	}
	if rs := records(t, s, h.ID); len(rs) != 2 || rs[0].Seq != 1 || rs[1].Seq != 3 {
		t.Fatalf("records = %+v", rs)
	}
	if as := alerts(t, s, h.ID); !slices.Equal(alertKinds(as), []string{hq.AlertRejected}) {
		t.Fatalf("alerts = %+v", as)
	}
	// Resent: the same answer, no second alert.
	again := apply(t, s, h.ID, b, now)
	wantOutcome(t, again, 3, "duplicate", "rejected", "duplicate")
	if again.Results[1].Reason != wire.ReasonBadDigest {
		t.Fatalf("reason again = %q", again.Results[1].Reason)
	}
	if as := alerts(t, s, h.ID); len(as) != 1 {
		t.Fatalf("alerts after a resend = %+v", as)
	}
	// Another record at the settled number conflicts, and is kept aside.
	other := rec(t, 2, `{"n":2}`)
	wantOutcome(t, apply(t, s, h.ID, batchOf(other), now), 3, "conflict")
	if as := alerts(t, s, h.ID); !slices.Equal(alertKinds(as), []string{hq.AlertRejected, hq.AlertConflict}) {
		t.Fatalf("alerts = %+v", as)
	}
	// That one too is answered the same when it comes again.
	wantOutcome(t, apply(t, s, h.ID, batchOf(other), now), 3, "conflict")
	if as := alerts(t, s, h.ID); len(as) != 2 {
		t.Fatalf("alerts = %+v", as)
	}
}

func testDeclaredHoles(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	r1, r3 := rec(t, 1, `{}`), rec(t, 3, `{}`)
	out := apply(t, s, h.ID, batch(1, 3, []int64{2}, r1, r3), now)
	wantOutcome(t, out, 3, "inserted", "inserted", "missing")
	if out.Results[2].Seq != 2 || out.Results[2].UUID != "" || out.Results[2].Reason == "" {
		t.Fatalf("missing result = %+v", out.Results[2])
	}
	if as := alerts(t, s, h.ID); !slices.Equal(alertKinds(as), []string{hq.AlertMissing}) {
		t.Fatalf("alerts = %+v", as)
	}
	wantOutcome(t, apply(t, s, h.ID, batch(1, 3, []int64{2}, r1, r3), now), 3, "duplicate", "duplicate", "missing")
	if as := alerts(t, s, h.ID); len(as) != 1 {
		t.Fatalf("a resent hole raised another alert: %+v", as)
	}
	// A record turning up later at the hole's number conflicts.
	wantOutcome(t, apply(t, s, h.ID, batchOf(rec(t, 2, `{}`)), now), 3, "conflict")
	// A hole where HQ holds the record: the hall lost it.
	out = apply(t, s, h.ID, batch(1, 3, []int64{2, 3}, r1), now)
	wantOutcome(t, out, 3, "duplicate", "missing", "missing")
	as := alerts(t, s, h.ID)
	if !slices.Equal(alertKinds(as), []string{hq.AlertMissing, hq.AlertConflict, hq.AlertLost}) || !strings.Contains(as[2].Detail, r3.UUID) {
		t.Fatalf("alerts = %+v", as)
	}
	if rs := records(t, s, h.ID); len(rs) != 2 || rs[1].UUID != r3.UUID {
		t.Fatalf("records = %+v", rs)
	}
}

func testGap(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	// A hall never synced, starting at 5.
	out := apply(t, s, h.ID, batchOf(rec(t, 5, `{}`)), now)
	if !out.Gap || out.AckedThrough != 0 || len(out.Results) != 0 {
		t.Fatalf("gap from nothing = %+v", out)
	}
	apply(t, s, h.ID, batchOf(rec(t, 1, `{}`), rec(t, 2, `{}`)), now)
	out = apply(t, s, h.ID, batch(4, 6, []int64{4}, rec(t, 5, `{}`), rec(t, 6, `{}`)), now)
	if !out.Gap || out.AckedThrough != 2 || len(out.Results) != 0 || out.Conflict() {
		t.Fatalf("gap = %+v, want gap with acked 2", out)
	}
	if rs := records(t, s, h.ID); len(rs) != 2 {
		t.Fatalf("a gap batch stored records: %+v", rs)
	}
	if as := alerts(t, s, h.ID); len(as) != 0 {
		t.Fatalf("a gap batch raised alerts: %+v", as)
	}
	if c := cursor(t, s, h.ID); c.AckedThrough != 2 {
		t.Fatalf("cursor after a gap = %+v", c)
	}
	// Resent from the cursor, the batch goes in.
	wantOutcome(t, apply(t, s, h.ID, batch(3, 4, []int64{3}, rec(t, 4, `{}`)), now), 4, "inserted", "missing")
}

func testCursorNeverMovesBack(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	var rs []wire.Record
	for i := int64(1); i <= 10; i++ {
		rs = append(rs, rec(t, i, `{}`))
	}
	if out := apply(t, s, h.ID, batchOf(rs...), now); out.AckedThrough != 10 {
		t.Fatalf("acked %d, want 10", out.AckedThrough)
	}
	// An old batch delayed in the network arrives last.
	out := apply(t, s, h.ID, batchOf(rs[:3]...), now)
	wantOutcome(t, out, 10, "duplicate", "duplicate", "duplicate")
	if c := cursor(t, s, h.ID); c.AckedThrough != 10 {
		t.Fatalf("cursor = %d, want 10", c.AckedThrough)
	}
}

// RunVolume runs the contract's tests of size: batches of HQ's largest
// size, 10,000 records, which Run cuts down under -short. Name the caller
// TestVolume… so that `make test-volume` runs it without the race
// detector, which slows SQLite many times.
func RunVolume(t *testing.T, open Opener) {
	if testing.Short() {
		t.Skip("batches of 10,000 records; Run sends smaller ones under -short")
	}
	t.Run("TenThousandRecordsInOneBatch", func(t *testing.T) {
		testLargeBatches(t, open, wire.DefaultLimits.MaxRecords)
	})
}

// testLargeBatches sends batches of size records and then size numbers,
// half records and half holes. At HQ's limit of 10,000 that is past the
// 65,535 bind parameters a multi-row insert could carry, in records,
// set-aside rows and alerts.
func testLargeBatches(t *testing.T, open Opener, size int) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	n := int64(size)
	rs := make([]wire.Record, 0, n)
	for i := int64(1); i <= n; i++ {
		rs = append(rs, rec(t, i, fmt.Sprintf(`{"ticket":{"number":"A%05d"}}`, i)))
	}
	out := apply(t, s, h.ID, batchOf(rs...), now)
	if out.AckedThrough != n || len(out.Results) != int(n) {
		t.Fatalf("acked %d with %d results, want %d", out.AckedThrough, len(out.Results), n)
	}
	for _, r := range out.Results {
		if r.Status != wire.StatusInserted {
			t.Fatalf("result %+v", r)
		}
	}
	got := records(t, s, h.ID)
	if len(got) != int(n) {
		t.Fatalf("stored %d records, want %d", len(got), n)
	}
	sameRecord(t, got[0], h.ID, rs[0], now)
	sameRecord(t, got[n-1], h.ID, rs[n-1], now)
	// Half records, half declared holes: n/2 set aside with n/2 alerts.
	var half []wire.Record
	var holes []int64
	for i := n + 1; i <= 2*n; i++ {
		if i%2 == 0 {
			half = append(half, rec(t, i, `{}`))
		} else {
			holes = append(holes, i)
		}
	}
	out = apply(t, s, h.ID, batch(n+1, 2*n, holes, half...), now)
	if out.AckedThrough != 2*n || len(out.Results) != int(n) {
		t.Fatalf("acked %d with %d results, want %d", out.AckedThrough, len(out.Results), 2*n)
	}
	as := alerts(t, s, h.ID)
	if len(as) != int(n/2) {
		t.Fatalf("%d alerts, want %d", len(as), n/2)
	}
	// Alerts keep the batch's order.
	if !strings.Contains(as[0].Detail, fmt.Sprint(n+1)) || !strings.Contains(as[len(as)-1].Detail, fmt.Sprint(2*n-1)) {
		t.Fatalf("first and last alerts = %q, %q", as[0].Detail, as[len(as)-1].Detail)
	}
	// The whole second batch again: all answered from what is stored.
	out = apply(t, s, h.ID, batch(n+1, 2*n, holes, half...), now)
	for _, r := range out.Results {
		if r.Status != wire.StatusDuplicate && r.Status != wire.StatusMissing {
			t.Fatalf("resent large batch: %+v", r)
		}
	}
	if as := alerts(t, s, h.ID); len(as) != int(n/2) {
		t.Fatalf("%d alerts after the resend, want %d", len(as), n/2)
	}
}

func testHallsAreIsolated(t *testing.T, open Opener) {
	s := open(t).Store
	a, b := newHall(t, s, "城关"), newHall(t, s, "城南")
	r1, r2 := rec(t, 1, `{"n":1}`), rec(t, 2, `{"n":2}`)
	// The same uuids and numbers under two halls are two halls' records.
	wantOutcome(t, apply(t, s, a.ID, batchOf(r1, r2), now), 2, "inserted", "inserted")
	wantOutcome(t, apply(t, s, b.ID, batchOf(r1), now), 1, "inserted")
	// A conflict at A alerts A only.
	wantOutcome(t, apply(t, s, a.ID, batchOf(recWith(2, r2.UUID, hall.KindTicketIssued, `{"n":"x"}`)), now), 2, "conflict")
	// B's number 2 is still free.
	wantOutcome(t, apply(t, s, b.ID, batchOf(rec(t, 2, `{}`)), now), 2, "inserted")
	if len(records(t, s, a.ID)) != 2 || len(records(t, s, b.ID)) != 2 {
		t.Fatal("records leaked between halls")
	}
	if len(alerts(t, s, a.ID)) != 1 || len(alerts(t, s, b.ID)) != 0 {
		t.Fatalf("alerts: A %+v, B %+v", alerts(t, s, a.ID), alerts(t, s, b.ID))
	}
	// A gap for B says B's cursor, not A's.
	wantOutcome(t, apply(t, s, a.ID, batchOf(rec(t, 3, `{}`), rec(t, 4, `{}`)), now), 4, "inserted", "inserted")
	if out := apply(t, s, b.ID, batchOf(rec(t, 4, `{}`)), now); !out.Gap || out.AckedThrough != 2 {
		t.Fatalf("B's gap = %+v", out)
	}
	if c := cursor(t, s, a.ID); c.AckedThrough != 4 {
		t.Fatalf("A's cursor = %+v", c)
	}
}

func testUnknownHall(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	if _, err := s.ApplyBatch(ctx, h.ID+1000, batchOf(rec(t, 1, `{}`)), []string{""}, now); err == nil {
		t.Fatal("a batch for a hall HQ does not know was applied")
	}
	if rs := records(t, s, h.ID+1000); len(rs) != 0 {
		t.Fatalf("records of an unknown hall: %+v", rs)
	}
	if c := cursor(t, s, h.ID+1000); c.AckedThrough != 0 || !c.LastContact.IsZero() {
		t.Fatalf("cursor of an unknown hall: %+v", c)
	}
}

func testCancelled(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.ApplyBatch(cctx, h.ID, batchOf(rec(t, 1, `{}`)), []string{""}, now); err == nil {
		t.Fatal("a batch applied with a cancelled context")
	}
	if rs := records(t, s, h.ID); len(rs) != 0 {
		t.Fatalf("records after a cancelled batch: %+v", rs)
	}
	// The storage still works.
	wantOutcome(t, apply(t, s, h.ID, batchOf(rec(t, 1, `{}`)), now), 1, "inserted")
}

// testOddText: a hall may send text no well-behaved hall writes (a NUL
// byte, bytes that are not UTF-8, backslashes). HQ keeps it as sent and
// recognises it when it comes again.
func testOddText(t *testing.T, open Opener) {
	s := open(t).Store
	h := newHall(t, s, "城关")
	id, _ := uuid.NewV7()
	// A well-formed record whose kind has a NUL byte and a backslash: its
	// digest covers the kind, and it passes HQ's checks.
	odd := recWith(1, id.String(), hall.Kind("ticket\x00issued\\x00"), `{"s":"\u0000"}`)
	if v := wire.CheckRecord(odd, wire.DefaultLimits); v != "" {
		t.Fatalf("the odd record is refused by HQ's checks (%s); the test needs another", v)
	}
	// A rejected record with a uuid and digest that are not text at all.
	bad := recWith(2, "bad\x00uuid\xff\\x41", "kind\xfe", `{}`)
	bad.SHA256 = "zz\x00\\"
	b := batchOf(odd, bad)
	out := apply(t, s, h.ID, b, now)
	wantOutcome(t, out, 2, "inserted", "rejected")
	if out.Results[1].UUID != bad.UUID {
		t.Fatalf("result uuid = %q, want %q", out.Results[1].UUID, bad.UUID)
	}
	rs := records(t, s, h.ID)
	if len(rs) != 1 {
		t.Fatalf("records = %+v", rs)
	}
	sameRecord(t, rs[0], h.ID, odd, now)
	as := alerts(t, s, h.ID)
	if len(as) != 1 || !strings.Contains(as[0].Detail, bad.UUID) || !strings.Contains(as[0].Detail, bad.Kind) {
		t.Fatalf("alerts = %+v", as)
	}
	// Sent again: the same answers, so HQ knew the set-aside record.
	wantOutcome(t, apply(t, s, h.ID, b, now), 2, "duplicate", "rejected")
	if as := alerts(t, s, h.ID); len(as) != 1 {
		t.Fatalf("alerts after the resend = %+v", as)
	}
}

func testNotices(t *testing.T, open Opener) {
	s := open(t).Store
	a, b := newHall(t, s, "城关"), newHall(t, s, "城南")
	add := func(n hq.Notice) hq.Notice {
		t.Helper()
		if n.Kind == "" {
			n.Kind = "outage"
		}
		if n.Created.IsZero() {
			n.Created = now
		}
		got, err := s.AddNotice(ctx, n)
		if err != nil {
			t.Fatalf("add notice %q: %v", n.Text, err)
		}
		return got
	}
	all := add(hq.Notice{Text: "全县：12月1日8:00至12:00计划停电", From: now, Until: now.Add(4 * time.Hour)})
	if v, err := uuid.Parse(all.ID); err != nil || v.Version() != 7 {
		t.Fatalf("a notice without an id got %q, want a UUIDv7", all.ID)
	}
	if !all.From.Equal(ms(now)) || !all.Until.Equal(ms(now.Add(4*time.Hour))) || !all.Created.Equal(ms(now)) {
		t.Fatalf("added notice times = %v %v %v, want UTC milliseconds", all.From, all.Until, all.Created)
	}
	add(hq.Notice{Text: "城关", Kind: "emergency", From: now.Add(-time.Hour), Until: now.Add(time.Hour), Halls: []int64{a.ID}})
	add(hq.Notice{Text: "城南", From: now, Until: now.Add(time.Hour), Halls: []int64{b.ID}})
	add(hq.Notice{Text: "两厅", Kind: "info", From: now.Add(time.Hour), Until: now.Add(2 * time.Hour), Halls: []int64{a.ID, b.ID}})
	add(hq.Notice{Text: "已结束", Kind: "info", From: now.Add(-2 * time.Hour), Until: now.Add(-time.Minute)})
	add(hq.Notice{Text: "恰好结束", From: now.Add(-2 * time.Hour), Until: now})
	add(hq.Notice{Text: "无人", From: now, Until: now.Add(time.Hour), Halls: []int64{}})
	// Same start: by id, byte order.
	add(hq.Notice{ID: "01930000-0000-7000-8000-00000000000b", Text: "同时b", From: now.Add(3 * time.Hour), Until: now.Add(5 * time.Hour)})
	add(hq.Notice{ID: "01930000-0000-7000-8000-00000000000a", Text: "同时a", From: now.Add(3 * time.Hour), Until: now.Add(5 * time.Hour)})
	texts := func(hallID int64, at time.Time) []string {
		t.Helper()
		ns, err := s.Notices(ctx, hallID, at)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range ns {
			out = append(out, n.Text)
		}
		return out
	}
	if got, want := texts(a.ID, now), []string{"城关", "全县：12月1日8:00至12:00计划停电", "两厅", "同时a", "同时b"}; !slices.Equal(got, want) {
		t.Fatalf("hall A's notices = %q, want %q", got, want)
	}
	if got, want := texts(b.ID, now), []string{"全县：12月1日8:00至12:00计划停电", "城南", "两厅", "同时a", "同时b"}; !slices.Equal(got, want) {
		t.Fatalf("hall B's notices = %q, want %q", got, want)
	}
	if got, want := texts(a.ID, now.Add(4*time.Hour)), []string{"同时a", "同时b"}; !slices.Equal(got, want) {
		t.Fatalf("hall A's notices 4 h later = %q, want %q", got, want)
	}
	ns, err := s.Notices(ctx, b.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	n := ns[0]
	if n.ID != all.ID || n.Kind != "outage" || !n.From.Equal(all.From) || !n.Until.Equal(all.Until) || !n.Created.Equal(all.Created) {
		t.Fatalf("notice read back = %+v, want %+v", n, all)
	}
	if _, err := s.AddNotice(ctx, hq.Notice{Kind: "party", Text: "x", From: now, Until: now.Add(time.Hour), Created: now}); err == nil {
		t.Fatal("a notice of an unknown kind was stored")
	}
	if _, err := s.AddNotice(ctx, hq.Notice{Kind: "info", Text: "x", From: now, Until: now, Created: now}); err == nil {
		t.Fatal("a notice that ends as it starts was stored")
	}
	if _, err := s.AddNotice(ctx, hq.Notice{ID: all.ID, Kind: "info", Text: "again", From: now, Until: now.Add(time.Hour), Created: now}); err == nil {
		t.Fatal("a second notice with the same id was stored")
	}
}

func testNoticeUnknownHall(t *testing.T, open Opener) {
	s := open(t).Store
	a := newHall(t, s, "城关")
	if _, err := s.AddNotice(ctx, hq.Notice{Kind: "outage", Text: "错厅", From: now, Until: now.Add(time.Hour), Halls: []int64{a.ID, a.ID + 1000}, Created: now}); err == nil {
		t.Fatal("a notice for an unknown hall was stored")
	}
	if ns, err := s.Notices(ctx, a.ID, now); err != nil || len(ns) != 0 {
		t.Fatalf("notices after a refused one = %+v (%v)", ns, err)
	}
}

func testImmutable(t *testing.T, open Opener) {
	in := open(t)
	if in.Exec == nil {
		t.Skip("the storage gives no raw access")
	}
	s := in.Store
	h := newHall(t, s, "城关")
	r1, r2 := rec(t, 1, `{"n":1}`), rec(t, 2, `{"n":2}`)
	bad := rec(t, 3, `{}`)
	bad.SHA256 = strings.Repeat("0", 64)
	apply(t, s, h.ID, batch(1, 4, []int64{4}, r1, r2, bad), now)
	for _, q := range []string{
		`UPDATE records SET payload = payload || payload`,
		`UPDATE records SET kind = 'x' WHERE seq = 1`,
		`DELETE FROM records WHERE seq = 2`,
		`DELETE FROM records`,
		`UPDATE cursors SET acked_through_seq = 1`,
		`DELETE FROM set_aside`,
	} {
		if err := in.Exec(ctx, q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	rs := records(t, s, h.ID)
	if len(rs) != 2 {
		t.Fatalf("records = %+v", rs)
	}
	sameRecord(t, rs[0], h.ID, r1, now)
	sameRecord(t, rs[1], h.ID, r2, now)
	if c := cursor(t, s, h.ID); c.AckedThrough != 4 {
		t.Fatalf("cursor = %+v", c)
	}
	// The set-aside rows are still there: their numbers answer as before.
	wantOutcome(t, apply(t, s, h.ID, batch(3, 4, []int64{4}, bad), now), 4, "rejected", "missing")
	if as := alerts(t, s, h.ID); len(as) != 2 {
		t.Fatalf("alerts = %+v", as)
	}
}

// testConcurrent sends one batch many times at once, as retries after
// timeouts do, through one handle and, when the storage can, several
// programs' handles: each record is inserted exactly once and every
// answer acknowledges the whole batch.
func testConcurrent(t *testing.T, open Opener) {
	in := open(t)
	stores := []hq.Storage{in.Store}
	if in.Reopen != nil {
		for range 2 {
			s := in.Reopen(t)
			stores = append(stores, s)
		}
	}
	a, b := newHall(t, in.Store, "城关"), newHall(t, in.Store, "城南")
	var rs []wire.Record
	for i := int64(1); i <= 200; i++ {
		rs = append(rs, rec(t, i, `{}`))
	}
	const senders = 8
	type result struct {
		hallID int64
		out    hq.Outcome
		err    error
	}
	results := make(chan result, 2*senders)
	var wg sync.WaitGroup
	for i := range 2 * senders {
		h := a
		if i%2 == 1 {
			h = b
		}
		s := stores[i%len(stores)]
		wg.Go(func() {
			out, err := s.ApplyBatch(ctx, h.ID, batchOf(rs...), make([]string, len(rs)), now)
			results <- result{h.ID, out, err}
		})
	}
	wg.Wait()
	close(results)
	inserted := map[int64]int{}
	for r := range results {
		if r.err != nil {
			t.Fatalf("a concurrent batch: %v", r.err)
		}
		if r.out.AckedThrough != 200 {
			t.Fatalf("a concurrent batch was answered acked %d, want 200", r.out.AckedThrough)
		}
		for _, res := range r.out.Results {
			switch res.Status {
			case wire.StatusInserted:
				inserted[r.hallID]++
			case wire.StatusDuplicate:
			default:
				t.Fatalf("a concurrent batch: %+v", res)
			}
		}
	}
	for _, h := range []hq.Hall{a, b} {
		if inserted[h.ID] != 200 {
			t.Fatalf("hall %d: %d inserted over all answers, want each record once: 200", h.ID, inserted[h.ID])
		}
		if got := records(t, in.Store, h.ID); len(got) != 200 {
			t.Fatalf("hall %d: HQ holds %d records", h.ID, len(got))
		}
		if as := alerts(t, in.Store, h.ID); len(as) != 0 {
			t.Fatalf("hall %d: alerts %+v", h.ID, as)
		}
	}
}

func testReopen(t *testing.T, open Opener) {
	in := open(t)
	if in.Reopen == nil {
		t.Skip("the storage cannot be opened again")
	}
	s := in.Store
	h := newHall(t, s, "城关")
	bad := rec(t, 2, `{}`)
	bad.Payload = []byte(`{"x":1}`)
	apply(t, s, h.ID, batchOf(rec(t, 1, `{}`), bad), now)
	if _, err := s.AddNotice(ctx, hq.Notice{Kind: "outage", Text: "停电", From: now, Until: now.Add(time.Hour), Created: now}); err != nil {
		t.Fatal(err)
	}
	// Another program opens the same database (migrating nothing twice)
	// and sees everything; what it writes, the first sees.
	s2 := in.Reopen(t)
	if got, err := s2.HallByName(ctx, "城关"); err != nil || got.ID != h.ID {
		t.Fatalf("hall seen by the second = %+v (%v)", got, err)
	}
	if rs := records(t, s2, h.ID); len(rs) != 1 {
		t.Fatalf("records seen by the second = %+v", rs)
	}
	if c := cursor(t, s2, h.ID); c.AckedThrough != 2 || !c.LastContact.Equal(ms(now)) {
		t.Fatalf("cursor seen by the second = %+v", c)
	}
	if as := alerts(t, s2, h.ID); len(as) != 1 {
		t.Fatalf("alerts seen by the second = %+v", as)
	}
	if ns, err := s2.Notices(ctx, h.ID, now); err != nil || len(ns) != 1 {
		t.Fatalf("notices seen by the second = %+v (%v)", ns, err)
	}
	wantOutcome(t, apply(t, s2, h.ID, batchOf(rec(t, 1, `{}`), bad), now), 2, "conflict", "rejected")
	h2 := newHall(t, s2, "城南")
	if got, err := s.HallByName(ctx, "城南"); err != nil || got.ID != h2.ID {
		t.Fatalf("hall added by the second, seen by the first = %+v (%v)", got, err)
	}
	if as := alerts(t, s, h.ID); len(as) != 2 {
		t.Fatalf("alerts seen by the first = %+v", as)
	}
}
