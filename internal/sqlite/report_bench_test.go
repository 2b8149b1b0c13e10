package sqlite_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sim"
	"servicehall/internal/sqlite"
)

// yearNow is where the benchmark's simulated year ends: 365 past days
// (2025-12-31 to 2026-12-30) and the 31st of December up to 20:00, so that
// every month of 2026 is whole.
func yearNow(tb testing.TB) time.Time {
	return time.Date(2026, 12, 31, 20, 0, 0, 0, halltest.Shanghai(tb))
}

var seededYear struct {
	once sync.Once
	path string
	err  error
}

// yearDB returns a database file holding a year of simulated traffic. The
// seeding takes 15–25 s, so the file is kept in the temp directory under a
// name with the schema version, and made once per schema: a new migration
// seeds anew. It is written under a temporary name and renamed, so a
// benchmark that dies leaves no half-seeded file behind.
func yearDB(b *testing.B) string {
	b.Helper()
	seededYear.once.Do(func() {
		path := filepath.Join(os.TempDir(), fmt.Sprintf("servicehall-bench-365-v%d.db", sqlite.SchemaVersion()))
		if _, err := os.Stat(path); err == nil {
			seededYear.path = path
			return
		}
		seededYear.path, seededYear.err = seedYear(b, path)
	})
	if seededYear.err != nil {
		b.Fatalf("seed a year: %v", seededYear.err)
	}
	return seededYear.path
}

func seedYear(b *testing.B, path string) (string, error) {
	dir, err := os.MkdirTemp(filepath.Dir(path), "servicehall-bench-seed-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "hall.db")
	db, err := sqlite.Open(context.Background(), tmp, sqlite.Options{Program: "bench"})
	if err != nil {
		return "", err
	}
	start := time.Now()
	sum, err := sim.Seed(context.Background(), db, sim.Options{Days: 365, RandSeed: 2026, Now: yearNow(b), Config: demo.Config()})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	// The last connection's close checkpoints the WAL into the file.
	if _, err := os.Stat(tmp + "-wal"); err == nil {
		return "", fmt.Errorf("WAL left beside %s after close", tmp)
	}
	b.Logf("seeded %d days, %d tickets, %d services in %v into %s", sum.Days, sum.Tickets, sum.Services, time.Since(start).Round(time.Second), path)
	return path, os.Rename(tmp, path)
}

// copyFile copies the seeded file for one benchmark, which opens (and so
// owns and may migrate) its own copy.
func copyFile(b *testing.B, from, to string) {
	b.Helper()
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkMonthlyReport computes the report of one month of a year of
// traffic (about 5,600 tickets a month), a different month each time so
// that nothing is served from a result cache. Goal: under 300 ms.
func BenchmarkMonthlyReport(b *testing.B) {
	path := filepath.Join(b.TempDir(), "hall.db")
	copyFile(b, yearDB(b), path)
	db := halltest.OpenDB(b, path)
	loc := halltest.Shanghai(b)
	now := yearNow(b)
	var tickets int
	var elapsed time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := hall.MonthRange(2026, time.Month(i%12+1))
		start := time.Now()
		rep, err := db.Report(context.Background(), loc, r, now)
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Tickets.Issued == 0 || rep.Service.N == 0 || rep.Ratings.Total() == 0 {
			b.Fatalf("%s: an empty month: %+v", r.From, rep.Tickets)
		}
		tickets += rep.Tickets.Issued
	}
	b.StopTimer()
	b.ReportMetric(float64(elapsed.Microseconds())/1000/float64(b.N), "ms_per_report")
	b.ReportMetric(float64(tickets)/float64(b.N), "tickets_per_report")
}
