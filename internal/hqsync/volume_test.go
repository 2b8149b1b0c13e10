package hqsync_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/hqsync"
)

// TestVolumeDrain100kEvents: HQ is down while 100,000 events accumulate at
// the hall; the hall's attempts fail and move nothing; then HQ comes back
// on the same database and the backlog drains in default-sized batches.
func TestVolumeDrain100kEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 events")
	}
	p := startHQ(t, nil)
	h := halltest.New(t, nil)
	c := newClient(t, h, fast(p))
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	before, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.stop()
	const total, per = 100_000, 2_000
	at := h.Clock.Now().UTC().Truncate(time.Millisecond)
	for i := 0; i < total; i += per {
		c := &hall.Change{}
		for j := range per {
			id, err := uuid.NewV7()
			if err != nil {
				t.Fatal(err)
			}
			e := hall.Event{UUID: id.String(), Kind: hall.KindTicketIssued, At: at.Add(time.Duration(i+j) * time.Millisecond),
				Payload: fmt.Appendf(nil, `{"ticket":{"number":"A%05d","type":"fee"}}`, i+j)}
			e.Digest = e.ComputeDigest()
			c.Events = append(c.Events, e)
		}
		if _, err := h.DB.Commit(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.DrainOnce(ctx); !errors.Is(err, hqsync.ErrUnreachable) {
		t.Fatalf("drain with HQ down: %v, want ErrUnreachable", err)
	}
	if st, _ := c.Status(ctx); st.AckedThrough != before.AckedThrough || st.Backlog != total {
		t.Fatalf("status with HQ down = %+v, want the cursor at %d and %d behind", st, before.AckedThrough, total)
	}
	p.start(nil)
	start := time.Now()
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("drained %d events in %v (%.0f/s)", st.LastSeq, took.Round(time.Millisecond), float64(st.LastSeq)/took.Seconds())
	if st.Backlog != 0 || st.LastSeq < total {
		t.Fatalf("status = %+v", st)
	}
	assertHQHasExactly(t, h, p)
}
