package hqsync_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// TestVolumeDrain100kEvents drains a hall that was offline for a long
// time: 100,000 events, in default-sized batches.
func TestVolumeDrain100kEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 events")
	}
	p := startHQ(t, nil)
	h := halltest.New(t, nil)
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
	c := newClient(t, h, fast(p))
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
