package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// countingStore counts the commits the hall makes.
type countingStore struct {
	hall.Store
	commits int
}

func (s *countingStore) Commit(ctx context.Context, c *hall.Change) ([]int64, error) {
	s.commits++
	return s.Store.Commit(ctx, c)
}

// durableDSN is the program's writer DSN (WAL, synchronous FULL), for the
// raw baseline.
const durableDSN = "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate"

// rawInserter does durable one-column INSERTs, each its own transaction,
// on a fresh file beside the hall's, with the program's DSN.
type rawInserter struct {
	db *sql.DB
	n  int
}

func newRawInserter(b *testing.B, dir string) *rawInserter {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "raw.db")+durableDSN)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (v INTEGER)`); err != nil {
		b.Fatal(err)
	}
	return &rawInserter{db: db}
}

func (r *rawInserter) insert(b *testing.B) {
	r.n++
	if _, err := r.db.Exec(`INSERT INTO t (v) VALUES (?)`, r.n); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkIssueDurable issues tickets, each committed durably, and does a
// raw durable INSERT on the same kind of file after each, so that both see
// the same disk and the same load: ratio_vs_raw_insert is the program's
// throughput as a share of the raw one (goal >= 0.6).
func BenchmarkIssueDurable(b *testing.B) {
	dir := b.TempDir()
	db := halltest.OpenDB(b, filepath.Join(dir, "hall.db"))
	cs := &countingStore{Store: db}
	l, err := hall.Open(context.Background(), cs, hall.SystemClock{})
	if err != nil {
		b.Fatal(err)
	}
	if err := l.Setup(context.Background(), demo.Config()); err != nil {
		b.Fatal(err)
	}
	raw := newRawInserter(b, dir)
	cs.commits = 0
	types := []string{demo.TypeFee, demo.TypeConsult, demo.TypeRepair}
	var issueT, rawT time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := l.Issue(context.Background(), types[i%3], hall.Normal); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		raw.insert(b)
		issueT += mid.Sub(start)
		rawT += time.Since(mid)
	}
	b.StopTimer()
	b.ReportMetric(float64(rawT)/float64(issueT), "ratio_vs_raw_insert")
	b.ReportMetric(float64(cs.commits)/float64(b.N), "commits_per_op")
	b.ReportMetric(float64(issueT.Nanoseconds())/float64(b.N), "issue_ns")
	b.ReportMetric(float64(rawT.Nanoseconds())/float64(b.N), "raw_insert_ns")
}

// BenchmarkCallNext calls the next ticket with 10 and with 10,000 tickets
// of mixed types waiting, each call committed durably, alternating between
// the two halls so that both see the same disk and load. The queue is kept
// at its size and the counter freed outside the timed part.
func BenchmarkCallNext(b *testing.B) {
	sizes := []int{10, 10_000}
	halls := make([]*halltest.Hall, len(sizes))
	timed := make([]time.Duration, len(sizes))
	types := []string{demo.TypeFee, demo.TypeConnect, demo.TypeChange, demo.TypeConsult, demo.TypeRepair, demo.TypeComplaint}
	for k, waiting := range sizes {
		halls[k] = halltest.New(b, nil)
		if err := halls[k].Batch(context.Background(), func(tx *hall.Tx) error {
			for i := 0; i < waiting; i++ {
				if _, err := tx.Issue(types[i%len(types)], hall.Priority(i%10/8)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k, h := range halls {
			start := time.Now()
			c, err := h.CallNext(context.Background(), h.At(1))
			timed[k] += time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			// The customer called leaves; a newcomer of the same kind arrives.
			if err := h.Batch(context.Background(), func(tx *hall.Tx) error {
				if _, err := tx.Transfer(1, "1001", hall.TransferTarget{Counter: 2}); err != nil {
					return err
				}
				if _, err := tx.Cancel(c.Ticket.ID); err != nil {
					return err
				}
				_, err := tx.Issue(c.Ticket.Type, c.Ticket.Priority)
				return err
			}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	ns10 := float64(timed[0].Nanoseconds()) / float64(b.N)
	ns10k := float64(timed[1].Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns10, "ns_per_call_10")
	b.ReportMetric(ns10k, "ns_per_call_10k")
	b.ReportMetric(ns10k/ns10, "ratio_10k_vs_10")
}
