package cli_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"servicehall/internal/cli"
	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/hq"
	"servicehall/internal/hq/sqlitestore"
	"servicehall/internal/hqsync"
	"servicehall/internal/sqlite"
)

// startHQ serves a real HQ on a real file with one hall registered.
func startHQ(t *testing.T) (*httptest.Server, *sqlitestore.Store, hq.Hall, string) {
	t.Helper()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "hq.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tok, err := hq.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	h, err := st.AddHall(ctx, "城关供电营业厅", hq.HashToken(tok), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hq.NewServer(st, hq.Options{Logf: t.Logf}).Handler())
	t.Cleanup(srv.Close)
	return srv, st, h, tok
}

func TestSyncOnceExitsZeroOnlyWhenHQHasEverything(t *testing.T) {
	hl := halltest.New(t, nil)
	for range 20 {
		if _, err := hl.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
			t.Fatal(err)
		}
	}
	path := hl.Path
	if err := hl.DB.Close(); err != nil { // the command opens the file itself
		t.Fatal(err)
	}
	srv, st, h, tok := startHQ(t)

	// A wrong credential: non-zero, in Chinese, nothing moves.
	out, err := runCmd(t, "sync", "--db", path, "--hq", srv.URL, "--token", "shq_wrong", "--once", "--retries", "0")
	var se *cli.SyncError
	if !errors.As(err, &se) || !strings.Contains(hall.Message(err), "凭据") || !strings.Contains(hall.Message(err), "尚有") {
		t.Fatalf("wrong token: err = %v (%q)\n%s", err, hall.Message(err), out)
	}

	// HQ unreachable: non-zero.
	down := httptest.NewServer(nil)
	down.Close()
	_, err = runCmd(t, "sync", "--db", path, "--hq", down.URL, "--token", tok, "--once", "--retries", "0")
	if !errors.As(err, &se) || !strings.Contains(hall.Message(err), "无法连接总部") {
		t.Fatalf("HQ down: err = %v (%q)", err, hall.Message(err))
	}

	// HQ up: zero, and HQ holds the hall's whole log.
	t.Setenv(cli.TokenEnv, tok) // the credential from the environment
	out, err = runCmd(t, "sync", "--db", path, "--hq", srv.URL, "--once")
	if err != nil {
		t.Fatalf("sync: %v\n%s", err, out)
	}
	if !strings.Contains(out, "已全部送达总部") {
		t.Fatalf("output = %q", out)
	}
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.SyncStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.Cursor(ctx, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.Backlog != 0 || s.LastSeq == 0 || c.AckedThrough != s.LastSeq {
		t.Fatalf("hall status %+v, HQ cursor %d", s, c.AckedThrough)
	}
}

func TestSyncRefusesAHallDatabaseInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{Program: "servicehall 窗口"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, _, _, tok := startHQ(t)
	_, err = runCmd(t, "sync", "--db", path, "--hq", srv.URL, "--token", tok, "--once")
	var le *sqlite.LockedError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want *sqlite.LockedError", err)
	}
}

func TestSyncCommandLineMistakes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	t.Setenv(cli.TokenEnv, "")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"sync", "--hq", "http://hq", "--token", "x"}, "--db"},
		{[]string{"sync", "--db", path, "--token", "x"}, "--hq"},
		{[]string{"sync", "--db", path, "--hq", "ftp://hq", "--token", "x"}, "--hq"},
		{[]string{"sync", "--db", path, "--hq", "http://hq"}, "--token"},
		{[]string{"sync", "--db", path, "--hq", "http://hq", "--token", "x", "extra"}, "多余的参数"},
		{[]string{"sync", "--db", path, "--hq", "http://hq", "--token", "x"}, "不存在"},
	}
	for _, tt := range tests {
		_, err := runCmd(t, tt.args...)
		var ue *cli.UsageError
		if !errors.As(err, &ue) || !strings.Contains(ue.Msg, tt.want) {
			t.Errorf("%v: err = %v, want a usage error about %s", tt.args, err, tt.want)
		}
	}
}

func TestTheProgramSyncsEachNewRecordInTheBackground(t *testing.T) {
	srv, st, h, tok := startHQ(t)
	hl := halltest.New(t, nil)
	acked := make(chan int64, 100)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if _, err := cli.StartSync(sctx, hl.Local, hl.DB, srv.URL, tok, t.Logf, func(a hqsync.Attempt) {
		if a.Err == nil {
			acked <- a.AckedThrough
		}
	}); err != nil {
		t.Fatal(err)
	}
	tk, err := hl.Issue(ctx, demo.TypeFee, hall.Normal)
	if err != nil {
		t.Fatal(err)
	}
	want := hl.LastSeq()
	deadline := time.After(30 * time.Second) // a bound on a hang, not a timing assertion
	for got := int64(0); got < want; {
		select {
		case got = <-acked:
		case <-deadline:
			t.Fatalf("HQ acknowledged only up to %d of %d", got, want)
		}
	}
	recs, err := st.Records(ctx, h.ID, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range recs {
		found = found || strings.Contains(string(r.Payload), tk.ID)
	}
	if len(recs) != int(want) || !found {
		t.Fatalf("HQ holds %d records (want %d); the new ticket there: %v", len(recs), want, found)
	}
}
