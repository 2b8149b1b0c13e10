package hqsync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/hq/wire"
	"servicehall/internal/hqsync"
)

func TestAHallDrainsToHQExactlyOnce(t *testing.T) {
	t.Parallel()
	p := startHQ(t, nil)
	h := halltest.New(t, nil)
	issue(t, h, 300)
	c := newClient(t, h, fast(p, func(o *hqsync.Options) { o.BatchRecords = 64 }))
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Backlog < 300 || st.AckedThrough != 0 || st.LastSeq != st.Backlog {
		t.Fatalf("status before = %+v", st)
	}
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	assertHQHasExactly(t, h, p)
	st, err = c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Backlog != 0 || st.AckedThrough != st.LastSeq || st.LastSuccess.IsZero() || st.LastError != "" || st.Quarantined != 0 {
		t.Fatalf("status after = %+v", st)
	}
	// More events, another drain: only the new ones go, and nothing doubles.
	issue(t, h, 7)
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	assertHQHasExactly(t, h, p)
}

// dropAfterCommit lets HQ handle a request in full, commit included, and
// then closes the connection instead of answering, for the requests drop
// says. It records the statuses of the answers that were delivered.
type dropAfterCommit struct {
	mu       sync.Mutex
	n        int
	drop     func(n int) bool
	statuses map[string]int
}

func (d *dropAfterCommit) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		d.n++
		n := d.n
		d.mu.Unlock()
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		if d.drop(n) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				panic(err)
			}
			conn.Close()
			return
		}
		var a wire.Answer
		if json.Unmarshal(rec.Body.Bytes(), &a) == nil {
			d.mu.Lock()
			for _, res := range a.Results {
				d.statuses[res.Status]++
			}
			d.mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

func TestAnAnswerLostAfterCommitIsResentWithoutDuplicates(t *testing.T) {
	t.Parallel()
	d := &dropAfterCommit{drop: func(n int) bool { return n%2 == 1 }, statuses: map[string]int{}}
	p := startHQ(t, d.wrap)
	h := halltest.New(t, nil)
	issue(t, h, 200)
	c := newClient(t, h, fast(p, func(o *hqsync.Options) { o.BatchRecords = 50 }))
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	assertHQHasExactly(t, h, p)
	// Every batch was committed at its first sending and answered only at
	// its second, so every delivered result is a duplicate.
	if d.statuses[wire.StatusInserted] != 0 || d.statuses[wire.StatusDuplicate] != len(events(t, h)) {
		t.Fatalf("delivered statuses = %v, want all %d duplicates", d.statuses, len(events(t, h)))
	}
}

func TestHQDownWhileEventsAccumulateThenANewServerOnTheSameDatabase(t *testing.T) {
	t.Parallel()
	p := startHQ(t, nil)
	h := halltest.New(t, nil)
	c := newClient(t, h, fast(p))
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	p.stop()
	for range 3 {
		issue(t, h, 40)
		err := c.DrainOnce(ctx)
		if !errors.Is(err, hqsync.ErrUnreachable) {
			t.Fatalf("drain with HQ down: err = %v, want ErrUnreachable", err)
		}
	}
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Backlog != 120 || !strings.Contains(st.LastError, "无法连接总部") || st.LastAttempt.IsZero() {
		t.Fatalf("status while HQ is down = %+v", st)
	}
	p.start(nil)
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	assertHQHasExactly(t, h, p)
	if st, _ := c.Status(ctx); st.LastError != "" || st.Backlog != 0 {
		t.Fatalf("status after = %+v", st)
	}
}

func TestHQRestartsMidDrain(t *testing.T) {
	t.Parallel()
	// The third batch is committed, then HQ dies before answering and
	// answers nothing more until it is restarted on the same database.
	var dead atomic.Bool
	var n atomic.Int32
	dies := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !dead.Load() {
				if n.Add(1) == 3 {
					next.ServeHTTP(httptest.NewRecorder(), r)
					dead.Store(true)
				} else {
					next.ServeHTTP(w, r)
					return
				}
			}
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		})
	}
	p := startHQ(t, dies)
	h := halltest.New(t, nil)
	issue(t, h, 250)
	// An event in the batch whose answer is lost is refused by HQ: the
	// hall must still learn of it and quarantine it before moving past.
	const refused = 110
	tamper(t, h, refused, `{"edited":true}`, false)
	c := newClient(t, h, fast(p, func(o *hqsync.Options) { o.BatchRecords = 40 }))
	if err := c.DrainOnce(ctx); !errors.Is(err, hqsync.ErrUnreachable) {
		t.Fatalf("drain while HQ dies: err = %v", err)
	}
	cur, _ := h.DB.SyncCursor(ctx)
	if cur != 80 {
		t.Fatalf("hall's cursor = %d, want 80: two batches answered", cur)
	}
	p.restart(nil)
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	assertHQHasExactly(t, h, p, refused)
	if q, _ := h.DB.QuarantinedEvents(ctx); len(q) != 1 || q[0].Seq != refused || q[0].Status != wire.StatusRejected {
		t.Fatalf("quarantine = %+v", q)
	}
}

// tamper rewrites an event's payload behind the hall's back, with a
// digest to match when fixDigest is set.
func tamper(t *testing.T, h *halltest.Hall, seq int64, payload string, fixDigest bool) {
	t.Helper()
	raw := rawHall(t, h)
	var e hall.Event
	for _, ev := range events(t, h) {
		if ev.Seq == seq {
			e = ev
		}
	}
	digest := e.Digest
	e.Payload = []byte(payload)
	if fixDigest {
		digest = e.ComputeDigest()
	}
	if _, err := raw.Exec(`DROP TRIGGER IF EXISTS events_immutable_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE events SET payload = ?, sha256 = ? WHERE seq = ?`, e.Payload, digest[:], seq); err != nil {
		t.Fatal(err)
	}
}

func TestSameUUIDWithOtherContentIsAConflictQuarantinedAndTheRestSyncs(t *testing.T) {
	t.Parallel()
	p := startHQ(t, nil)
	h := halltest.New(t, nil)
	issue(t, h, 30)
	c := newClient(t, h, fast(p))
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	// Someone edits an event HQ already has, digest and all, and the hall
	// is made to send it again.
	const seq = 20
	original := events(t, h)[seq-1]
	tamper(t, h, seq, `{"ticket":{"number":"A999"}}`, true)
	if err := h.DB.RewindCursor(ctx, 10, time.Now(), ""); err != nil {
		t.Fatal(err)
	}
	issue(t, h, 15)
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatalf("a conflict must not stop the sync: %v", err)
	}
	q, err := h.DB.QuarantinedEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != 1 || q[0].Seq != seq || q[0].UUID != original.UUID || q[0].Status != wire.StatusConflict || q[0].Reason == "" {
		t.Fatalf("quarantine = %+v", q)
	}
	alerts, err := p.store.Alerts(ctx, p.hallID)
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].Kind != "conflict" || !strings.Contains(alerts[0].Detail, original.UUID) {
		t.Fatalf("HQ alerts = %+v", alerts)
	}
	// HQ kept the original, and has every later event.
	rs, _ := p.store.Records(ctx, p.hallID, seq-1, 1)
	if len(rs) != 1 || !bytes.Equal(rs[0].Payload, original.Payload) {
		t.Fatalf("HQ's record %d was overwritten: %s", seq, rs[0].Payload)
	}
	last := events(t, h)[len(events(t, h))-1].Seq
	if c, _ := p.store.Cursor(ctx, p.hallID); c.AckedThrough != last {
		t.Fatalf("HQ's cursor = %d, want %d", c.AckedThrough, last)
	}
	if st, _ := c.Status(ctx); st.Backlog != 0 || st.Quarantined != 1 {
		t.Fatalf("status = %+v", st)
	}
}

func TestARejectedEventIsQuarantinedAndTheRestSyncs(t *testing.T) {
	t.Parallel()
	p := startHQ(t, nil)
	h := halltest.New(t, nil)
	issue(t, h, 30)
	const seq = 15
	tamper(t, h, seq, `{"edited":true}`, false)
	c := newClient(t, h, fast(p))
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	q, _ := h.DB.QuarantinedEvents(ctx)
	if len(q) != 1 || q[0].Seq != seq || q[0].Status != wire.StatusRejected || q[0].Reason != wire.ReasonBadDigest {
		t.Fatalf("quarantine = %+v", q)
	}
	assertHQHasExactly(t, h, p, seq)
	// The quarantine is never emptied.
	if _, err := rawHall(t, h).Exec(`DELETE FROM quarantine`); err == nil {
		t.Fatal("the quarantine was emptied")
	}
}

func TestAnEventDeletedFromTheLogIsDeclaredMissing(t *testing.T) {
	t.Parallel()
	p := startHQ(t, nil)
	h := halltest.New(t, nil)
	issue(t, h, 30)
	const seq = 12
	raw := rawHall(t, h)
	if _, err := raw.Exec(`DROP TRIGGER events_immutable_delete; DELETE FROM events WHERE seq = ?`, seq); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, h, fast(p))
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	q, _ := h.DB.QuarantinedEvents(ctx)
	if len(q) != 1 || q[0].Seq != seq || q[0].Status != wire.StatusMissing || q[0].UUID != "" {
		t.Fatalf("quarantine = %+v", q)
	}
	alerts, _ := p.store.Alerts(ctx, p.hallID)
	if len(alerts) != 1 || alerts[0].Kind != "missing" {
		t.Fatalf("HQ alerts = %+v", alerts)
	}
	assertHQHasExactly(t, h, p)
}

func TestHQRestoredFromAnOlderBackupMakesTheHallRewind(t *testing.T) {
	t.Parallel()
	p := startHQ(t, nil)
	h := halltest.New(t, nil)
	issue(t, h, 50)
	c := newClient(t, h, fast(p))
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	backup := p.path + ".bak"
	raw := openRaw(t, p.path)
	if _, err := raw.Exec(`VACUUM INTO ?`, backup); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	issue(t, h, 50)
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	// HQ loses its disk and comes back from the backup.
	p.stop()
	if err := copyFile(backup, p.path); err != nil {
		t.Fatal(err)
	}
	p.start(nil)
	issue(t, h, 20)
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	assertHQHasExactly(t, h, p)
}

func TestAWrongCredentialIsRefusedAndNothingMoves(t *testing.T) {
	t.Parallel()
	p := startHQ(t, nil)
	h := halltest.New(t, nil)
	c := newClient(t, h, fast(p, func(o *hqsync.Options) { o.Token = "shq_wrong" }))
	err := c.DrainOnce(ctx)
	if !errors.Is(err, hqsync.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if msg := hall.Message(err); !strings.Contains(msg, "凭据") {
		t.Fatalf("message = %q", msg)
	}
	st, _ := c.Status(ctx)
	if st.AckedThrough != 0 || !strings.Contains(st.LastError, "凭据") {
		t.Fatalf("status = %+v", st)
	}
	if rs, _ := p.store.Records(ctx, p.hallID, 0, 10); len(rs) != 0 {
		t.Fatalf("HQ stored %d records from a wrong credential", len(rs))
	}
}

func TestA503IsRetriedAfterRetryAfter(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var arrivals []time.Time
	busyOnce := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			arrivals = append(arrivals, time.Now())
			first := len(arrivals) == 1
			mu.Unlock()
			if first {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	p := startHQ(t, busyOnce)
	h := halltest.New(t, nil)
	c := newClient(t, h, fast(p, func(o *hqsync.Options) { o.RetryMaxWait = 5 * time.Second }))
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	assertHQHasExactly(t, h, p)
	if len(arrivals) != 2 {
		t.Fatalf("%d requests, want 2", len(arrivals))
	}
	if d := arrivals[1].Sub(arrivals[0]); d < 900*time.Millisecond {
		t.Fatalf("retried after %v, HQ asked for 1 s", d)
	}
}

func TestALongRetryAfterIsLeftToTheOuterLoop(t *testing.T) {
	t.Parallel()
	p := startHQ(t, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		})
	})
	h := halltest.New(t, nil)
	c := newClient(t, h, fast(p))
	err := c.DrainOnce(ctx)
	var e *hqsync.Error
	if !errors.As(err, &e) || e.Kind != hqsync.KindServer || e.RetryAfter != 120*time.Second {
		t.Fatalf("err = %#v, want a server error asking for 120 s", err)
	}
}

func TestAFailingBatchIsHalvedDownToTheBadRecord(t *testing.T) {
	t.Parallel()
	// HQ fails (500) on any batch that holds the bad number, until fixed.
	var bad atomic.Int64
	failOn := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if b, err := wire.DecodeBatch(body, wire.DefaultLimits); err == nil {
				for _, rec := range b.Records {
					if rec.Seq == bad.Load() {
						http.Error(w, "boom", http.StatusInternalServerError)
						return
					}
				}
			}
			next.ServeHTTP(w, r)
		})
	}
	p := startHQ(t, failOn)
	h := halltest.New(t, nil)
	issue(t, h, 200)
	badSeq := events(t, h)[150].Seq
	bad.Store(badSeq)
	log := newAttempts()
	c := newClient(t, h, fast(p, func(o *hqsync.Options) { o.BatchRecords = 64; o.Retries = -1; o.OnAttempt = log.add }))
	for i := 0; ; i++ {
		if i > 20 {
			t.Fatal("the batch size did not come down to the bad record")
		}
		err := c.DrainOnce(ctx)
		if !errors.Is(err, hqsync.ErrServer) {
			t.Fatalf("err = %v, want ErrServer", err)
		}
		all := log.list()
		if last := all[len(all)-1]; last.Records == 1 && last.AckedThrough == badSeq-1 {
			break
		}
	}
	if cur, _ := h.DB.SyncCursor(ctx); cur != badSeq-1 {
		t.Fatalf("cursor = %d, want just before the bad record %d", cur, badSeq)
	}
	// HQ is fixed: the rest goes, and batches grow again.
	bad.Store(-1)
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	assertHQHasExactly(t, h, p)
	all := log.list()
	if last := all[len(all)-1]; last.Err != nil || last.Records < 8 {
		t.Fatalf("the last push sent %d records (%v): batches did not grow back", last.Records, last.Err)
	}
}

func TestRunKeepsTryingAndDrainsWhenHQReturns(t *testing.T) {
	t.Parallel()
	p := startHQ(t, nil)
	p.stop()
	h := halltest.New(t, nil)
	issue(t, h, 30)
	log := newAttempts()
	c := newClient(t, h, fast(p, func(o *hqsync.Options) {
		o.BackoffBase, o.BackoffMax, o.Idle = time.Millisecond, 5*time.Millisecond, time.Hour
		o.OnAttempt = log.add
	}))
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(runCtx) }()
	failures := 0
	for failures < 3 {
		if a := <-log.ch; a.Err != nil {
			failures++
		}
	}
	p.start(nil)
	last := events(t, h)[len(events(t, h))-1].Seq
	waitAcked(t, log, last)
	// New events and a kick: Run sends them without waiting an hour.
	issue(t, h, 5)
	c.Kick()
	waitAcked(t, log, last+5)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run returned %v", err)
	}
	assertHQHasExactly(t, h, p)
}

func waitAcked(t *testing.T, log *attempts, seq int64) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case a := <-log.ch:
			if a.Err == nil && a.AckedThrough >= seq {
				return
			}
		case <-timeout:
			t.Fatalf("no push acknowledged %d", seq)
		}
	}
}
