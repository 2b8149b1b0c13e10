package hqsync_test

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/hq"
	"servicehall/internal/hq/pgstore"
	"servicehall/internal/hq/pgstore/pgtest"
	"servicehall/internal/hq/sqlitestore"
	"servicehall/internal/hq/wire"
	"servicehall/internal/hqsync"
)

// benchRecords is how many events the hall has to send: a hall that was
// cut off from HQ for a long time.
const benchRecords = 100_000

// BenchmarkDrain drains 100,000 events from a hall to HQ over loopback:
// the hall's real client, HQ's real server on httptest, on SQLite and (when
// SERVICEHALL_TEST_PG names a server) on PostgreSQL. In the same run it
// inserts the same rows straight into a fresh storage's records table in
// one transaction (one unnest insert on PostgreSQL; multi-row inserts as
// large as SQLite's 32,766 bind parameters allow), with no protocol, and
// reports
//
//	records_per_s        records drained per second
//	raw_records_per_s    the raw insert's rate
//	ratio_vs_raw_insert  the first over the second (the goal is 0.5 or more)
//	peak_heap_mb         the largest HeapInuse sampled during the drain: the
//	                     hall (its client and its in-memory day, here 100,000
//	                     waiting tickets) and, in this one process, HQ's server
//	base_heap_mb         HeapInuse just before the drain, after a GC
//	batches              batches the drain took
//	storage_share        the part of the drain HQ's storage spent applying
//	                     batches; the rest is the hall reading its log and
//	                     committing its cursor, JSON, gzip, HTTP and HQ's checks
//
// Run it with: go test -run '^$' -bench Drain -benchtime 1x ./internal/hqsync
func BenchmarkDrain(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		benchDrain(b, func(b *testing.B) benchStore {
			path := filepath.Join(b.TempDir(), "hq.db")
			st, err := sqlitestore.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return benchStore{st, func(hallID int64, rs []wire.Record) error { return rawInsertSQLite(path, hallID, rs) }}
		})
	})
	b.Run("postgres", func(b *testing.B) {
		if os.Getenv(pgtest.Env) == "" {
			b.Skipf("%s is not set (`make bench` starts a throwaway server)", pgtest.Env)
		}
		benchDrain(b, func(b *testing.B) benchStore {
			dsn := pgtest.DSN(b)
			st, err := pgstore.OpenOptions(ctx, dsn, pgstore.Options{AllowNoFsync: true})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return benchStore{st, func(hallID int64, rs []wire.Record) error { return rawInsertPG(dsn, hallID, rs) }}
		})
	})
}

// benchStore is a fresh HQ storage and a way to insert rows straight into
// its records table.
type benchStore struct {
	hq.Storage
	rawInsert func(hallID int64, rs []wire.Record) error
}

func benchDrain(b *testing.B, open func(*testing.B) benchStore) {
	var drained, raw time.Duration
	var peak, base uint64
	var sent int64 // events drained over all iterations
	var applying time.Duration
	var batches int
	for range b.N {
		b.StopTimer()
		h := halltest.New(b, nil)
		last := makeEvents(b, h, benchRecords) // the setup's few events, then the tickets'
		sent += last
		st := open(b)
		tok, err := hq.NewToken()
		if err != nil {
			b.Fatal(err)
		}
		hl, err := st.AddHall(ctx, "城关供电营业厅", hq.HashToken(tok), time.Now())
		if err != nil {
			b.Fatal(err)
		}
		timed := &timedStore{Storage: st}
		srv := httptest.NewServer(hq.NewServer(timed, hq.Options{Logf: func(string, ...any) {}}).Handler())
		c, err := hqsync.New(h.DB, hqsync.Options{URL: srv.URL, Token: tok})
		if err != nil {
			b.Fatal(err)
		}

		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		base = max(base, before.HeapInuse)
		stopSampling := sampleHeap()
		b.StartTimer()
		start := time.Now()
		if err := c.DrainOnce(ctx); err != nil {
			b.Fatal(err)
		}
		drained += time.Since(start)
		b.StopTimer()
		applying += timed.took
		batches += timed.batches
		peak = max(peak, stopSampling())
		srv.Close()

		// Everything arrived, once.
		cur, err := st.Cursor(ctx, hl.ID)
		if err != nil || cur.AckedThrough != last {
			b.Fatalf("HQ's cursor = %d (%v), want %d", cur.AckedThrough, err, last)
		}
		if as, err := st.Alerts(ctx, hl.ID); err != nil || len(as) != 0 {
			b.Fatalf("alerts = %v (%v)", as, err)
		}
		if s, err := c.Status(ctx); err != nil || s.Backlog != 0 {
			b.Fatalf("hall's status = %+v (%v)", s, err)
		}

		// The same rows, straight into a fresh storage.
		evs, err := h.DB.Events(ctx, 0, int(last))
		if err != nil || int64(len(evs)) != last {
			b.Fatalf("%d events (%v), want %d", len(evs), err, last)
		}
		rs := make([]wire.Record, len(evs))
		for i, e := range evs {
			rs[i] = wire.FromEvent(e)
		}
		fresh := open(b)
		fh, err := fresh.AddHall(ctx, "城关供电营业厅", [32]byte{1}, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		if err := fresh.rawInsert(fh.ID, rs); err != nil {
			b.Fatal(err)
		}
		raw += time.Since(start)
		if got, err := fresh.Records(ctx, fh.ID, last-1, 10); err != nil || len(got) != 1 {
			b.Fatalf("raw insert: last record %v (%v)", got, err)
		}
	}
	rate := float64(sent) / drained.Seconds()
	rawRate := float64(sent) / raw.Seconds()
	b.ReportMetric(rate, "records_per_s")
	b.ReportMetric(rawRate, "raw_records_per_s")
	b.ReportMetric(rate/rawRate, "ratio_vs_raw_insert")
	b.ReportMetric(float64(peak)/(1<<20), "peak_heap_mb")
	b.ReportMetric(float64(base)/(1<<20), "base_heap_mb")
	b.ReportMetric(float64(batches)/float64(b.N), "batches")
	b.ReportMetric(applying.Seconds()/drained.Seconds(), "storage_share")
}

// timedStore measures the time HQ's storage spends applying batches.
type timedStore struct {
	hq.Storage
	mu      sync.Mutex
	took    time.Duration
	batches int
}

func (s *timedStore) ApplyBatch(ctx context.Context, hallID int64, b *wire.Batch, verdicts []string, now time.Time) (hq.Outcome, error) {
	start := time.Now()
	out, err := s.Storage.ApplyBatch(ctx, hallID, b, verdicts, now)
	s.mu.Lock()
	s.took += time.Since(start)
	s.batches++
	s.mu.Unlock()
	return out, err
}

// makeEvents issues n tickets at the hall, 5,000 to a transaction: n
// ticket.issued events with the hall's real payloads. It returns the
// hall's last event number.
func makeEvents(b *testing.B, h *halltest.Hall, n int) int64 {
	b.Helper()
	for done := 0; done < n; {
		chunk := min(5000, n-done)
		err := h.Batch(ctx, func(tx *hall.Tx) error {
			for range chunk {
				if _, err := tx.Issue(demo.TypeFee, hall.Normal); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		done += chunk
	}
	evs, err := h.DB.Events(ctx, 0, n+1000)
	if err != nil || len(evs) < n {
		b.Fatalf("the hall has %d events (%v), want at least %d", len(evs), err, n)
	}
	return evs[len(evs)-1].Seq
}

// sampleHeap samples HeapInuse every 5 ms until the returned func
// is called, which gives the largest value seen.
func sampleHeap() func() uint64 {
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		var ms runtime.MemStats
		var peak uint64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		return <-done
	}
}

// rawInsertSQLite writes rs into the records table in one transaction with
// the storage's durability settings, in multi-row inserts of as many rows
// as SQLite's 32,766 bind parameters allow.
func rawInsertSQLite(path string, hallID int64, rs []wire.Record) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const cols = 8
	const perStmt = 32766 / cols
	now := time.Now().UnixMilli()
	args := make([]any, 0, perStmt*cols)
	for start := 0; start < len(rs); start += perStmt {
		part := rs[start:min(start+perStmt, len(rs))]
		args = args[:0]
		for _, r := range part {
			d, err := hex.DecodeString(r.SHA256)
			if err != nil {
				return err
			}
			args = append(args, hallID, r.Seq, r.UUID, r.Kind, r.At, r.Payload, d, now)
		}
		q := "INSERT INTO records (hall_id, seq, uuid, kind, at, payload, sha256, received_at) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?), ", len(part)), ", ")
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("raw insert: %w", err)
		}
	}
	return tx.Commit()
}

// rawInsertPG writes rs into the records table with one INSERT … SELECT
// FROM unnest(…) in one transaction.
func rawInsertPG(dsn string, hallID int64, rs []wire.Record) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	n := len(rs)
	seqs, ats := make([]int64, n), make([]int64, n)
	uuids, kinds := make([]string, n), make([]string, n)
	payloads, digests := make([][]byte, n), make([][]byte, n)
	for i, r := range rs {
		d, err := hex.DecodeString(r.SHA256)
		if err != nil {
			return err
		}
		seqs[i], uuids[i], kinds[i], ats[i], payloads[i], digests[i] = r.Seq, r.UUID, r.Kind, r.At, r.Payload, d
	}
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		ct, err := tx.Exec(ctx, `INSERT INTO records (hall_id, seq, uuid, kind, at, payload, sha256, received_at)
			SELECT $1, t.* , now() FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bytea[], $7::bytea[]) AS t`,
			hallID, seqs, uuids, kinds, ats, payloads, digests)
		if err == nil && ct.RowsAffected() != int64(n) {
			err = fmt.Errorf("raw insert wrote %d of %d rows", ct.RowsAffected(), n)
		}
		return err
	})
}
