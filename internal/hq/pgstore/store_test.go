package pgstore_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"servicehall/internal/hall"
	"servicehall/internal/hq/pgstore"
	"servicehall/internal/hq/pgstore/pgtest"
	"servicehall/internal/hq/wire"
)

func TestSchemaIsVersionedAndMigratedOnceUnderALock(t *testing.T) {
	dsn := pgtest.DSN(t)
	// Several programs start at once on an empty database.
	const n = 4
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			s, err := pgstore.OpenOptions(ctx, dsn, pgstore.Options{AllowNoFsync: true})
			if err == nil {
				s.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a concurrent open: %v", err)
		}
	}
	raw := rawPool(t, dsn)
	rows, err := raw.Query(ctx, `SELECT version, name FROM schema_version ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Version int
		Name    string
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("migrations/*.sql")
	var want []row
	for i, f := range files {
		want = append(want, row{i + 1, filepath.Base(f)})
	}
	if len(want) < 2 || !slices.Equal(got, want) {
		t.Fatalf("schema_version = %+v, want %+v: one row per migration", got, want)
	}
	s, err := pgstore.OpenOptions(ctx, dsn, pgstore.Options{AllowNoFsync: true})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(files) {
		t.Fatalf("schema version = %d (%v)", v, err)
	}
	s.Close()
	// The tables and their rules.
	var tables []string
	rows, _ = raw.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`)
	tables, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if want := "alerts bad_heads cursors halls notice_halls notices records schema_version set_aside signing_key staff staff_sessions tree_heads"; strings.Join(tables, " ") != want {
		t.Fatalf("tables = %v, want %s", tables, want)
	}
	for _, q := range []string{`TRUNCATE records`, `TRUNCATE set_aside`} {
		if _, err := raw.Exec(ctx, q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	// A database a newer program migrated is refused, not written to.
	if _, err := raw.Exec(ctx, `INSERT INTO schema_version (version, name) VALUES ($1, 'future.sql')`, len(files)+1); err != nil {
		t.Fatal(err)
	}
	_, err = pgstore.OpenOptions(ctx, dsn, pgstore.Options{AllowNoFsync: true})
	var ve *pgstore.VersionError
	if !errors.As(err, &ve) || ve.Have != len(files)+1 || ve.Max != len(files) || !strings.Contains(hall.Message(err), "升级") {
		t.Fatalf("open a newer database: %v (%q)", err, hall.Message(err))
	}
}

func TestDurabilitySettings(t *testing.T) {
	dsn := pgtest.DSN(t)
	raw := rawPool(t, dsn)
	var fsync string
	if err := raw.QueryRow(ctx, "SHOW fsync").Scan(&fsync); err != nil {
		t.Fatal(err)
	}
	// The throwaway test server runs with fsync off: refused unless allowed.
	if fsync == "off" {
		_, err := pgstore.Open(ctx, dsn)
		var se *pgstore.SettingsError
		if !errors.As(err, &se) || se.Setting != "fsync" || !strings.Contains(hall.Message(err), "安全写入") {
			t.Fatalf("open on a server with fsync off: %v", err)
		}
	}
	// A DSN that turns synchronous_commit off is overridden, not obeyed: a
	// batch is answered only once its commit is on disk.
	s, err := pgstore.OpenOptions(ctx, strings.Replace(dsn, "?", "?synchronous_commit=off&", 1), pgstore.Options{AllowNoFsync: true})
	if err != nil {
		t.Fatalf("open with synchronous_commit=off in the DSN: %v", err)
	}
	s.Close()
}

func TestAnUnreachableServerIsAConnectError(t *testing.T) {
	start := time.Now()
	_, err := pgstore.Open(ctx, "postgres://hq:secret@127.0.0.1:1/hq?connect_timeout=5")
	var ce *pgstore.ConnectError
	if !errors.As(err, &ce) || !strings.Contains(hall.Message(err), "无法连接") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("open an unreachable server: %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("took %v", time.Since(start))
	}
	if got := pgstore.Redact("postgres://hq:secret@db.example:5432/hq?sslmode=require"); strings.Contains(got, "secret") || !strings.Contains(got, "db.example") {
		t.Fatalf("redacted = %q", got)
	}
}

// TestBatchesBeyondTheBindParameterLimit sends more records than a
// multi-row VALUES insert can carry (65,535 parameters / 8 columns =
// 8,191 rows) through the storage and checks they went in as one insert.
func TestBatchesBeyondTheBindParameterLimit(t *testing.T) {
	s, dsn := pgtest.Open(t)
	h, err := s.AddHall(ctx, "城关", [32]byte{1}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	const n = 9000
	b := &wire.Batch{FirstSeq: 1, LastSeq: n}
	for i := int64(1); i <= n; i++ {
		e := hall.Event{Seq: i, UUID: uuidFor(i), Kind: hall.KindTicketIssued, At: time.UnixMilli(i), Payload: []byte(`{}`)}
		e.Digest = e.ComputeDigest()
		b.Records = append(b.Records, wire.FromEvent(e))
	}
	out, err := s.ApplyBatch(ctx, h.ID, b, make([]string, n), time.Now())
	if err != nil || out.AckedThrough != n {
		t.Fatalf("apply %d records: %+v %v", n, out.AckedThrough, err)
	}
	raw := rawPool(t, dsn)
	var count int
	var xmins int
	if err := raw.QueryRow(ctx, `SELECT count(*), count(DISTINCT xmin::text) FROM records`).Scan(&count, &xmins); err != nil {
		t.Fatal(err)
	}
	if count != n || xmins != 1 {
		t.Fatalf("%d records written by %d transactions, want %d by one", count, xmins, n)
	}
}

func uuidFor(i int64) string {
	const hexdigits = "0123456789abcdef"
	tail := []byte("000000000000")
	for j := len(tail) - 1; j >= 0 && i > 0; j-- {
		tail[j] = hexdigits[i%16]
		i /= 16
	}
	return "01930000-0000-7000-8000-" + string(tail)
}
