package hall

import (
	"fmt"
	"testing"
)

// BenchmarkPick measures the selection step alone: which waiting ticket a
// counter calls next. It looks only at queue heads, so the cost must not
// grow with the number of tickets waiting.
func BenchmarkPick(b *testing.B) {
	types := []string{"fee", "connect", "change", "consult", "repair", "complaint"}
	for _, n := range []int{10, 10_000, 100_000} {
		b.Run(fmt.Sprintf("waiting=%d", n), func(b *testing.B) {
			q := newQueues()
			for i := 0; i < n; i++ {
				p := Normal
				if i%12 == 0 {
					p = Elderly
				}
				q.add(&Ticket{ID: fmt.Sprint(i), Type: types[i%len(types)], Priority: p, Order: int64(i + 1)})
			}
			c := &Counter{No: 1, Types: []string{"fee", "consult"}, State: CounterOpen, PriorityRun: 1}
			b.ResetTimer()
			var got *Ticket
			for i := 0; i < b.N; i++ {
				got, _ = q.pick(c, 2)
			}
			b.StopTimer()
			if got == nil || got.Order != 1 {
				b.Fatalf("picked %+v, want the first (priority) ticket", got)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "pick_ns")
		})
	}
}
