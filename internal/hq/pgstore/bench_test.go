package pgstore_test

import (
	"testing"
	"time"

	"servicehall/internal/hall"
	"servicehall/internal/hq/pgstore/pgtest"
	"servicehall/internal/hq/wire"
)

// BenchmarkApplyBatch applies batches of 500 new records, the hall's
// batch size, one after another: the storage's share of a drain.
func BenchmarkApplyBatch(b *testing.B) {
	s, _ := pgtest.Open(b)
	h, err := s.AddHall(ctx, "城关", [32]byte{1}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	const per = 500
	payload := []byte(`{"ticket":{"id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","day":"2026-12-01","prefix":"A","seq":1,"number":"A001","type":"fee","priority":0,"state":"waiting"}}`)
	next := int64(1)
	verdicts := make([]string, per)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		bt := &wire.Batch{FirstSeq: next, LastSeq: next + per - 1}
		for i := range int64(per) {
			e := hall.Event{Seq: next + i, UUID: uuidFor(next + i), Kind: hall.KindTicketIssued, At: time.UnixMilli(next + i), Payload: payload}
			e.Digest = e.ComputeDigest()
			bt.Records = append(bt.Records, wire.FromEvent(e))
		}
		next += per
		b.StartTimer()
		if out, err := s.ApplyBatch(ctx, h.ID, bt, verdicts, time.Now()); err != nil || out.AckedThrough != next-1 {
			b.Fatalf("%+v %v", out.AckedThrough, err)
		}
	}
	b.ReportMetric(float64(b.N*per)/b.Elapsed().Seconds(), "records_per_s")
}
