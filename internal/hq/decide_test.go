package hq_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"servicehall/internal/hall"
	"servicehall/internal/hq"
	"servicehall/internal/hq/wire"
)

func rec(tb testing.TB, seq int64, payload string) wire.Record {
	tb.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		tb.Fatal(err)
	}
	return recWithID(seq, id.String(), payload)
}

func recWithID(seq int64, id, payload string) wire.Record {
	e := hall.Event{Seq: seq, UUID: id, Kind: hall.KindTicketIssued, At: time.UnixMilli(1_790_000_000_000 + seq*1000).UTC(), Payload: []byte(payload)}
	e.Digest = e.ComputeDigest()
	return wire.FromEvent(e)
}

func held(r wire.Record) hq.Held { return hq.Held{Seq: r.Seq, UUID: r.UUID, SHA256: r.SHA256} }

func statuses(p hq.Plan) []string {
	var out []string
	for _, r := range p.Results {
		out = append(out, r.Status)
	}
	return out
}

func eq(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDecide(t *testing.T) {
	r1, r2, r3 := rec(t, 1, `{"n":1}`), rec(t, 2, `{"n":2}`), rec(t, 3, `{"n":3}`)
	r2changed := recWithID(2, r2.UUID, `{"n":"changed"}`)
	empty := func() hq.Existing {
		return hq.Existing{ByUUID: map[string]hq.Held{}, BySeq: map[int64]hq.Held{}, Settled: map[int64][]hq.Settled{}}
	}
	holding := func(cursor int64, rs ...wire.Record) hq.Existing {
		ex := empty()
		ex.Cursor = cursor
		for _, r := range rs {
			ex.ByUUID[r.UUID], ex.BySeq[r.Seq] = held(r), held(r)
		}
		return ex
	}
	batch := func(first int64, missing []int64, rs ...wire.Record) *wire.Batch {
		last := first - 1
		if len(rs) > 0 {
			last = rs[len(rs)-1].Seq
		}
		for _, m := range missing {
			last = max(last, m)
		}
		return &wire.Batch{FirstSeq: first, LastSeq: last, Records: rs, Missing: missing}
	}
	ok := func(n int) []string { return make([]string, n) }
	tests := []struct {
		name       string
		ex         hq.Existing
		b          *wire.Batch
		verdicts   []string
		want       []string
		wantAcked  int64
		wantInsert int
		wantAlerts int
		wantGap    bool
	}{
		{"fresh", empty(), batch(1, nil, r1, r2, r3), ok(3), []string{"inserted", "inserted", "inserted"}, 3, 3, 0, false},
		{"resend", holding(3, r1, r2, r3), batch(1, nil, r1, r2, r3), ok(3), []string{"duplicate", "duplicate", "duplicate"}, 3, 0, 0, false},
		{"overlap", holding(2, r1, r2), batch(1, nil, r1, r2, r3), ok(3), []string{"duplicate", "duplicate", "inserted"}, 3, 1, 0, false},
		{"gap", holding(1, r1), batch(3, nil, r3), ok(1), nil, 1, 0, 0, true},
		{"same uuid other payload", holding(2, r1, r2), batch(2, nil, r2changed, r3), ok(2), []string{"conflict", "inserted"}, 3, 1, 1, false},
		{"same uuid other seq", holding(1, r1), batch(2, nil, recWithID(2, r1.UUID, `{"n":1}`)), ok(1), []string{"conflict"}, 2, 0, 1, false},
		{"seq taken by another uuid", holding(2, r1, r2), batch(2, nil, rec(t, 2, `{}`), r3), ok(2), []string{"conflict", "inserted"}, 3, 1, 1, false},
		{"uuid twice in one batch", empty(), batch(1, nil, r1, recWithID(2, r1.UUID, `{"n":1}`)), ok(2), []string{"inserted", "conflict"}, 2, 1, 1, false},
		{"rejected settles its number", empty(), batch(1, nil, r1, r2, r3), []string{"", "bad", ""}, []string{"inserted", "rejected", "inserted"}, 3, 2, 1, false},
		{"declared hole", empty(), batch(1, []int64{2}, r1, r3), ok(2), []string{"inserted", "inserted", "missing"}, 3, 2, 1, false},
		{"hole where HQ holds the record", holding(3, r1, r2, r3), batch(1, []int64{2}, r1, r3), ok(2), []string{"duplicate", "duplicate", "missing"}, 3, 0, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := hq.Decide(tt.ex, tt.b, tt.verdicts)
			if p.Gap != tt.wantGap || p.AckedThrough != tt.wantAcked {
				t.Fatalf("gap %v acked %d, want gap %v acked %d", p.Gap, p.AckedThrough, tt.wantGap, tt.wantAcked)
			}
			if got := statuses(p); !eq(got, tt.want) {
				t.Fatalf("statuses = %v, want %v", got, tt.want)
			}
			if len(p.Insert) != tt.wantInsert || len(p.Alerts) != tt.wantAlerts {
				t.Fatalf("inserts %d alerts %d, want %d and %d", len(p.Insert), len(p.Alerts), tt.wantInsert, tt.wantAlerts)
			}
		})
	}
}

func TestDecideAnswersASetAsideRecordTheSameWayWithoutANewAlert(t *testing.T) {
	r1 := rec(t, 1, `{}`)
	ex := hq.Existing{Cursor: 1, ByUUID: map[string]hq.Held{}, BySeq: map[int64]hq.Held{},
		Settled: map[int64][]hq.Settled{1: {{Seq: 1, UUID: r1.UUID, SHA256: r1.SHA256, Status: wire.StatusRejected, Reason: "bad"}}}}
	p := hq.Decide(ex, &wire.Batch{FirstSeq: 1, LastSeq: 1, Records: []wire.Record{r1}}, []string{"bad"})
	if len(p.Results) != 1 || p.Results[0].Status != wire.StatusRejected || p.Results[0].Reason != "bad" {
		t.Fatalf("results = %+v", p.Results)
	}
	if len(p.Alerts) != 0 || len(p.SetAside) != 0 {
		t.Fatalf("a resend raised %d alerts and %d set-asides", len(p.Alerts), len(p.SetAside))
	}
	// Another record at that number conflicts.
	other := rec(t, 1, `{}`)
	p = hq.Decide(ex, &wire.Batch{FirstSeq: 1, LastSeq: 1, Records: []wire.Record{other}}, []string{""})
	if len(p.Results) != 1 || p.Results[0].Status != wire.StatusConflict || len(p.Alerts) != 1 {
		t.Fatalf("another record at a settled number: %+v", p)
	}
}
