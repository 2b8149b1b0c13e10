package hqsync_test

import (
	"bytes"
	"context"
	"database/sql"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/hq"
	"servicehall/internal/hq/sqlitestore"
	"servicehall/internal/hqsync"
)

var ctx = context.Background()

// hqProc is an HQ server process: a real hq.Server on a real SQLite file,
// behind a real HTTP listener that can be stopped and started again on the
// same address, as a restarted HQ would be.
type hqProc struct {
	t      *testing.T
	path   string
	addr   string
	store  *sqlitestore.Store
	srv    *httptest.Server
	hallID int64
	token  string
}

// startHQ starts HQ on a new database with one hall registered.
func startHQ(t *testing.T, wrap func(http.Handler) http.Handler) *hqProc {
	t.Helper()
	p := &hqProc{t: t, path: filepath.Join(t.TempDir(), "hq.db")}
	p.start(wrap)
	tok, err := hq.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	h, err := p.store.AddHall(ctx, "城关供电营业厅", hq.HashToken(tok), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p.hallID, p.token = h.ID, tok
	t.Cleanup(p.stop)
	return p
}

// start opens the database and serves on p.addr (a fresh port the first
// time).
func (p *hqProc) start(wrap func(http.Handler) http.Handler) {
	p.t.Helper()
	st, err := sqlitestore.Open(ctx, p.path)
	if err != nil {
		p.t.Fatal(err)
	}
	var h http.Handler = hq.NewServer(st, hq.Options{Logf: p.t.Logf}).Handler()
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewUnstartedServer(h)
	if p.addr != "" {
		srv.Listener.Close()
		ln, err := net.Listen("tcp", p.addr)
		if err != nil {
			st.Close()
			p.t.Fatalf("listen again on %s: %v", p.addr, err)
		}
		srv.Listener = ln
	}
	srv.Start()
	p.addr = srv.Listener.Addr().String()
	p.store, p.srv = st, srv
}

// stop ends the server and closes the database, as a process exit would.
func (p *hqProc) stop() {
	if p.srv != nil {
		p.srv.Close()
		p.srv = nil
	}
	if p.store != nil {
		if err := p.store.Close(); err != nil {
			p.t.Errorf("close HQ store: %v", err)
		}
		p.store = nil
	}
}

func (p *hqProc) restart(wrap func(http.Handler) http.Handler) {
	p.t.Helper()
	p.stop()
	p.start(wrap)
}

func (p *hqProc) url() string { return "http://" + p.addr }

// fast are client options for tests: quick retries, no long waits.
func fast(p *hqProc, more ...func(*hqsync.Options)) hqsync.Options {
	o := hqsync.Options{URL: p.url(), Token: p.token, Retries: 2, RetryWait: time.Millisecond, RetryMaxWait: 10 * time.Millisecond,
		AttemptTimeout: 10 * time.Second, Logf: p.t.Logf}
	for _, f := range more {
		f(&o)
	}
	return o
}

func newClient(t *testing.T, h *halltest.Hall, o hqsync.Options) *hqsync.Client {
	t.Helper()
	c, err := hqsync.New(h.DB, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// issue makes n tickets in one transaction: n events.
func issue(t *testing.T, h *halltest.Hall, n int) {
	t.Helper()
	err := h.Batch(ctx, func(tx *hall.Tx) error {
		for range n {
			if _, err := tx.Issue(demo.TypeFee, hall.Normal); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func events(t *testing.T, h *halltest.Hall) []hall.Event {
	t.Helper()
	evs, err := h.DB.Events(ctx, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// assertHQHasExactly checks that HQ's records for the hall are the hall's
// events but those skipped: the same numbers, uuids, kinds, times,
// payloads and digests, each once, none missing.
func assertHQHasExactly(t *testing.T, h *halltest.Hall, p *hqProc, skip ...int64) {
	t.Helper()
	skipped := map[int64]bool{}
	for _, s := range skip {
		skipped[s] = true
	}
	var want []hall.Event
	for _, e := range events(t, h) {
		if !skipped[e.Seq] {
			want = append(want, e)
		}
	}
	got, err := p.store.Records(ctx, p.hallID, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("HQ holds %d records, the hall has %d events to send", len(got), len(want))
	}
	for i, e := range want {
		r := got[i]
		if r.Seq != e.Seq || r.UUID != e.UUID || r.Kind != string(e.Kind) || !r.At.Equal(e.At) ||
			!bytes.Equal(r.Payload, e.Payload) || r.SHA256 != e.Digest {
			t.Fatalf("record %d at HQ = %d %s %s, hall's = %d %s %s", i, r.Seq, r.UUID, r.Payload, e.Seq, e.UUID, e.Payload)
		}
	}
	last := int64(0)
	if evs := events(t, h); len(evs) > 0 {
		last = evs[len(evs)-1].Seq
	}
	c, err := p.store.Cursor(ctx, p.hallID)
	if err != nil {
		t.Fatal(err)
	}
	if c.AckedThrough != last {
		t.Fatalf("HQ's cursor = %d, want %d", c.AckedThrough, last)
	}
	cur, err := h.DB.SyncCursor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cur != last {
		t.Fatalf("hall's cursor = %d, want %d", cur, last)
	}
}

// rawHall opens a second, plain connection to the hall's file, as someone
// tampering with it would.
func rawHall(t *testing.T, h *halltest.Hall) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+h.Path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// attempts collects a client's push reports.
type attempts struct {
	mu  sync.Mutex
	all []hqsync.Attempt
	ch  chan hqsync.Attempt
}

func newAttempts() *attempts { return &attempts{ch: make(chan hqsync.Attempt, 4096)} }

func (a *attempts) add(at hqsync.Attempt) {
	a.mu.Lock()
	a.all = append(a.all, at)
	a.mu.Unlock()
	select {
	case a.ch <- at:
	default:
	}
}

func (a *attempts) list() []hqsync.Attempt {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]hqsync.Attempt(nil), a.all...)
}
