package hqsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"

	"servicehall/internal/hall"
	"servicehall/internal/hq/wire"
	"servicehall/internal/sqlite"
)

// Options tune a Client. Zero values take the defaults in brackets.
type Options struct {
	URL   string // HQ's base URL, e.g. https://hq.example:8480
	Token string // the hall's credential from `servicehall-hq hall add`

	// HTTPClient carries TLS settings and the like; it is copied, not
	// changed. [a plain client]
	HTTPClient *http.Client
	UserAgent  string // [servicehall]

	BatchRecords int // most records in a batch [500]
	BatchBytes   int // about the most bytes of records in a batch [1 MiB]

	AttemptTimeout time.Duration // one HTTP attempt [60 s]
	Retries        int           // quick retries of one request [3]; -1: none
	RetryWait      time.Duration // first quick-retry wait [1 s]
	RetryMaxWait   time.Duration // longest quick-retry wait, Retry-After included [30 s]

	BackoffBase time.Duration // Run's first wait after a failure [2 s]
	BackoffMax  time.Duration // Run's longest wait [10 min]
	Idle        time.Duration // Run's wait for new events when all is sent [30 s]
	NoticeEvery time.Duration // Run's notice pulls, with PostNotice set [5 min]
	AnchorEvery time.Duration // Run's anchoring of the register at HQ [5 min]

	// PostNotice posts an HQ notice into the hall; Run pulls notices only
	// when it is set. See NoticePoster.
	PostNotice NoticePoster

	Now       func() time.Time                 // [time.Now]
	Logf      func(format string, args ...any) // [discard]
	OnAttempt func(Attempt)                    // after every push, for windows and tests
}

// Attempt reports one push to HQ.
type Attempt struct {
	At           time.Time
	Records      int   // records sent
	AckedThrough int64 // the cursor after it
	Err          error
}

// Status is the sync as a window shows it.
type Status struct {
	Backlog      int64 // events HQ has not acknowledged
	AckedThrough int64
	LastSeq      int64
	LastSuccess  time.Time
	LastAttempt  time.Time
	LastError    string // Chinese; "" when the last attempt succeeded
	Quarantined  int
}

// Client pushes one hall's log to HQ. It is safe for concurrent use;
// pushes are serialised.
type Client struct {
	db   *sqlite.DB
	opt  Options
	rc   *resty.Client
	kick chan struct{}

	mu      sync.Mutex // one push at a time; guards size and lastSeq
	size    int        // records per batch now: halved on failure, doubled on success
	lastSeq int64      // the newest event when the drain began, told to HQ
}

// New makes a client for the hall whose database is db.
func New(db *sqlite.DB, opt Options) (*Client, error) {
	if opt.URL == "" {
		return nil, errors.New("hq sync: no HQ URL")
	}
	if strings.TrimSpace(opt.Token) == "" {
		return nil, errors.New("hq sync: no credential")
	}
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&opt.AttemptTimeout, 60*time.Second)
	def(&opt.RetryWait, time.Second)
	def(&opt.RetryMaxWait, 30*time.Second)
	def(&opt.BackoffBase, 2*time.Second)
	def(&opt.BackoffMax, 10*time.Minute)
	def(&opt.Idle, 30*time.Second)
	def(&opt.NoticeEvery, 5*time.Minute)
	def(&opt.AnchorEvery, 5*time.Minute)
	if opt.BatchRecords <= 0 {
		opt.BatchRecords = 500
	}
	if opt.BatchBytes <= 0 {
		opt.BatchBytes = 1 << 20
	}
	switch {
	case opt.Retries == 0:
		opt.Retries = 3
	case opt.Retries < 0:
		opt.Retries = 0
	}
	if opt.UserAgent == "" {
		opt.UserAgent = "servicehall"
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	hc := &http.Client{}
	if opt.HTTPClient != nil {
		c := *opt.HTTPClient
		hc = &c
	}
	rc := resty.NewWithClient(hc).
		SetBaseURL(opt.URL).
		SetAuthToken(strings.TrimSpace(opt.Token)).
		SetHeader(wire.HeaderProtocol, strconv.Itoa(wire.Protocol)).
		SetHeader("User-Agent", opt.UserAgent).
		SetTimeout(opt.AttemptTimeout). // per attempt: each retry is a new request
		SetRetryCount(opt.Retries).
		SetRetryWaitTime(opt.RetryWait).
		SetRetryMaxWaitTime(opt.RetryMaxWait).
		SetResponseBodyLimit(16 << 20).
		SetLogger(logger{opt.Logf}).
		// Adding a condition replaces resty's default, which retries only on
		// transport errors: keep those, and add 429 and 5xx (a 503 is not
		// retried by default).
		AddRetryCondition(func(r *resty.Response, err error) bool {
			if err != nil {
				return true
			}
			s := r.StatusCode()
			return s == http.StatusTooManyRequests || s >= 500
		}).
		SetRetryAfter(func(rc *resty.Client, r *resty.Response) (time.Duration, error) {
			d, ok := retryAfter(r.Header(), opt.Now())
			if !ok {
				return 0, nil // resty's own jittered backoff
			}
			if d > opt.RetryMaxWait {
				return 0, &retryLater{d}
			}
			return d, nil
		})
	return &Client{db: db, opt: opt, rc: rc, kick: make(chan struct{}, 1), size: opt.BatchRecords}, nil
}

type logger struct{ logf func(string, ...any) }

func (l logger) Errorf(f string, v ...any) { l.logf("hq sync: "+f, v...) }
func (l logger) Warnf(f string, v ...any)  { l.logf("hq sync: "+f, v...) }
func (l logger) Debugf(string, ...any)     {}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

// Kick tells Run that new events are there, so it pushes without waiting
// for Idle. It never blocks. It does not cut a backoff short.
func (c *Client) Kick() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Status reads the sync's state from the hall's database.
func (c *Client) Status(ctx context.Context) (Status, error) {
	s, err := c.db.SyncStatus(ctx)
	if err != nil {
		return Status{}, err
	}
	return Status{Backlog: s.Backlog, AckedThrough: s.AckedThrough, LastSeq: s.LastSeq, LastSuccess: s.LastSuccess,
		LastAttempt: s.LastAttempt, LastError: s.LastError, Quarantined: s.Quarantined}, nil
}

// maxRewinds bounds gap answers in a row within one drain: HQ answering
// a gap again right after a rewind breaks the protocol.
const maxRewinds = 3

// DrainOnce pushes until HQ has acknowledged every event that was in the
// log when it started, or an attempt fails; it returns that failure.
func (c *Client) DrainOnce(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, err := c.db.SyncStatus(ctx)
	if err != nil {
		return err
	}
	target := st.LastSeq
	c.lastSeq = target
	rewinds := 0
	// While HQ handles a batch, the next one (from where HQ will most
	// likely acknowledge) is read and encoded beside it; it is used only
	// if HQ does acknowledge exactly that batch.
	var next chan prepared
	defer func() {
		if next != nil {
			<-next // let the speculative read end before the caller goes on
		}
	}()
	for {
		cur, err := c.db.SyncCursor(ctx)
		if err != nil {
			return err
		}
		if cur >= target {
			return nil
		}
		var p prepared
		if next != nil {
			p, next = <-next, nil
		}
		if p.b == nil || p.cur != cur || p.err != nil {
			p = c.prepare(ctx, cur, c.size)
		}
		if p.err == nil && p.b != nil && p.b.LastSeq < target {
			ch, from, size := make(chan prepared, 1), p.b.LastSeq, c.size
			go func() { ch <- c.prepare(ctx, from, size) }()
			next = ch
		}
		n, acked, rewound, err := c.push(ctx, cur, p)
		c.report(Attempt{At: c.opt.Now(), Records: n, AckedThrough: acked, Err: err})
		if err != nil {
			return err
		}
		if rewound {
			if rewinds++; rewinds > maxRewinds {
				return c.fail(ctx, &Error{Kind: KindProtocol, Message: "总部反复要求重发，同步暂停", Err: errors.New("repeated gap answers")})
			}
			continue
		}
		rewinds = 0
		if n == 0 {
			return nil
		}
	}
}

func (c *Client) report(a Attempt) {
	if c.opt.OnAttempt != nil {
		c.opt.OnAttempt(a)
	}
}

// fail records a failed attempt in the hall's database, halves the batch
// size when the failure may be the batch's, and returns err.
func (c *Client) fail(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return err // stopped, not failed: nothing to record
	}
	var e *Error
	if errors.As(err, &e) && e.Kind != KindUnauthorized && e.Kind != KindUpgrade {
		c.size = max(1, c.size/2)
	}
	msg := hall.Message(err)
	if rerr := c.db.RecordSyncFailure(context.WithoutCancel(ctx), c.opt.Now(), msg); rerr != nil {
		c.opt.Logf("hq sync: %v", rerr)
	}
	return err
}

// push sends the batch p prepared after cur and applies HQ's answer. It returns the
// records sent, the cursor after, and whether HQ made the hall rewind.
func (c *Client) push(ctx context.Context, cur int64, p prepared) (int, int64, bool, error) {
	if p.err != nil {
		return 0, cur, false, p.err
	}
	if p.b == nil {
		return 0, cur, false, nil
	}
	b := p.b
	ans, err := c.post(ctx, p.body, p.digest)
	if err != nil {
		return len(b.Records), cur, false, c.fail(ctx, err)
	}
	now := c.opt.Now()
	if ans.Error == wire.ErrCodeGap {
		if ans.AckedThrough >= cur || ans.AckedThrough < 0 {
			return len(b.Records), cur, false, c.fail(ctx, &Error{Kind: KindProtocol, Status: http.StatusConflict,
				Message: "总部的应答有误（缺口位置不合理）", Err: fmt.Errorf("gap answer at %d, cursor %d", ans.AckedThrough, cur)})
		}
		c.opt.Logf("hq sync: HQ holds through %d, not %d: resending from there", ans.AckedThrough, cur)
		if err := c.db.RewindCursor(ctx, ans.AckedThrough, now, ""); err != nil {
			return len(b.Records), cur, false, err
		}
		return len(b.Records), ans.AckedThrough, true, nil
	}
	// HQ may hold more than this batch: an earlier one was stored but its
	// answer lost. The hall moves only over numbers whose results it has
	// read, so that every one HQ set aside is quarantined here first; the
	// next batch is answered "duplicate" or with the same verdicts.
	acked := min(ans.AckedThrough, b.LastSeq)
	if acked <= cur {
		// HQ must settle at least the batch's first number.
		return len(b.Records), cur, false, c.fail(ctx, &Error{Kind: KindProtocol, Status: http.StatusOK,
			Message: "总部的应答有误（确认位置不合理）", Err: fmt.Errorf("acked %d after sending %d..%d", ans.AckedThrough, b.FirstSeq, b.LastSeq)})
	}
	kinds := make(map[int64]string, len(b.Records))
	for _, r := range b.Records {
		kinds[r.Seq] = r.Kind
	}
	var q []sqlite.Quarantined
	for _, r := range ans.Results {
		if wire.Settled(r.Status) && r.Seq > cur && r.Seq <= acked {
			q = append(q, sqlite.Quarantined{Seq: r.Seq, UUID: r.UUID, Kind: kinds[r.Seq], Status: r.Status, Reason: r.Reason})
			c.opt.Logf("hq sync: event %d (%s) quarantined: %s: %s", r.Seq, r.UUID, r.Status, r.Reason)
		}
	}
	if err := c.db.AdvanceCursor(ctx, acked, now, q...); err != nil {
		return len(b.Records), cur, false, err
	}
	c.size = min(c.opt.BatchRecords, c.size*2)
	return len(b.Records), acked, false, nil
}

// prepared is a batch read and encoded, ready to send after cur.
type prepared struct {
	cur    int64
	b      *wire.Batch // nil: nothing after cur
	body   []byte
	digest string
	err    error
}

// prepare reads up to size events after cur and encodes their batch. It
// touches no state of the client but the options, so it may run beside a
// push.
func (c *Client) prepare(ctx context.Context, cur int64, size int) prepared {
	p := prepared{cur: cur}
	evs, err := c.db.Events(ctx, cur, size)
	if err != nil || len(evs) == 0 {
		p.err = err
		return p
	}
	b := c.batch(cur, evs)
	b.HallLastSeq = max(c.lastSeq, b.LastSeq)
	p.body, p.digest, p.err = wire.Encode(b)
	if p.err == nil {
		p.b = b
	}
	return p
}

// batch builds the batch for evs, the events after cur, cut to the byte
// budget (one record at least), with the numbers the log lacks declared
// missing.
func (c *Client) batch(cur int64, evs []hall.Event) *wire.Batch {
	b := &wire.Batch{HallClock: c.opt.Now().UTC(), FirstSeq: cur + 1}
	size := 0
	next := cur + 1
	for i, e := range evs {
		// JSON base64 of the payload, the fixed fields and the digest.
		n := len(e.Payload)*4/3 + len(e.Kind) + 200
		if i > 0 && size+n > c.opt.BatchBytes {
			break
		}
		size += n
		for ; next < e.Seq; next++ {
			b.Missing = append(b.Missing, next)
		}
		b.Records = append(b.Records, wire.FromEvent(e))
		next = e.Seq + 1
	}
	b.LastSeq = next - 1
	return b
}

// post sends a batch body, retrying as resty is set to, and sorts out the
// answer.
func (c *Client) post(ctx context.Context, body []byte, digest string) (*wire.Answer, error) {
	resp, err := c.rc.R().SetContext(ctx).
		SetHeader("Content-Type", "application/json").
		SetHeader("Content-Encoding", "gzip").
		SetHeader(wire.HeaderDigest, digest).
		SetBody(body). // bytes, so that every retry sends it whole
		Post(wire.PathBatches)
	if e := answerError(ctx, resp, err, c.opt.Now()); e != nil {
		return nil, e
	}
	switch resp.StatusCode() {
	case http.StatusOK, http.StatusConflict:
		var a wire.Answer
		if err := json.Unmarshal(resp.Body(), &a); err != nil {
			return nil, &Error{Kind: KindProtocol, Status: resp.StatusCode(), Message: "总部的应答无法解析", Err: err}
		}
		if resp.StatusCode() == http.StatusConflict && a.Error != wire.ErrCodeGap && a.Error != wire.ErrCodeConflict {
			return nil, &Error{Kind: KindProtocol, Status: resp.StatusCode(), Message: "总部的应答有误", Err: fmt.Errorf("409 with error %q", a.Error)}
		}
		return &a, nil
	}
	return nil, statusError(resp, c.opt.Now())
}

// answerError turns a transport failure into an *Error, or nil when an
// answer arrived.
func answerError(ctx context.Context, resp *resty.Response, err error, now time.Time) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var rl *retryLater
	if errors.As(err, &rl) && resp != nil && resp.RawResponse != nil {
		e := statusError(resp, now)
		e.RetryAfter = rl.d
		return e
	}
	return &Error{Kind: KindUnreachable, Message: "无法连接总部，记录已保存在本厅，恢复连接后会自动补传", Err: err}
}

// statusError describes an answer that is not a success.
func statusError(resp *resty.Response, now time.Time) *Error {
	s := resp.StatusCode()
	var body wire.ErrorBody
	_ = json.Unmarshal(resp.Body(), &body)
	e := &Error{Status: s, Err: fmt.Errorf("HTTP %d %s", s, body.Error)}
	if d, ok := retryAfter(resp.Header(), now); ok {
		e.RetryAfter = d
	}
	switch {
	case s == http.StatusUnauthorized:
		e.Kind, e.Message = KindUnauthorized, "总部不认可本厅的凭据，请联系总部核对同步凭据"
	case s == http.StatusUpgradeRequired:
		e.Kind, e.Message = KindUpgrade, "总部要求升级本厅程序后才能同步"
	case s == http.StatusTooManyRequests || s >= 500:
		e.Kind, e.Message = KindServer, "总部暂时无法处理，稍后会自动重试"
	case s >= 400:
		e.Kind, e.Message = KindRefused, "总部拒收了这批记录"
		if body.Message != "" {
			e.Message += "：" + body.Message
		}
	default:
		e.Kind, e.Message = KindProtocol, "总部的应答有误"
	}
	return e
}

// Run keeps the hall in sync until ctx ends: it drains the log, waits for
// new events (Kick, or Idle at the latest), and after a failure waits a
// full-jitter backoff from BackoffBase doubling up to BackoffMax, or longer
// if HQ asked, forever; a success resets it. With PostNotice set it also
// pulls HQ's notices every NoticeEvery, and anchors the register at HQ
// every AnchorEvery. It returns ctx's error.
func (c *Client) Run(ctx context.Context) error {
	failures := 0
	var nextNotices, nextAnchor time.Time
	for {
		err := c.DrainOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil && !c.opt.Now().Before(nextAnchor) {
			// Recomputing the register reads every record in it, so it
			// runs every AnchorEvery, not on every commit; an
			// inconsistency is HQ's alert and the hall's sync status,
			// not a reason to stop sending events.
			if aerr := c.Anchor(ctx); aerr != nil {
				c.opt.Logf("hq sync: anchor the register: %v", aerr)
				if ctx.Err() != nil {
					return ctx.Err()
				}
			}
			nextAnchor = c.opt.Now().Add(c.opt.AnchorEvery)
		}
		if err == nil && c.opt.PostNotice != nil && !c.opt.Now().Before(nextNotices) {
			if _, nerr := c.PullNotices(ctx, c.opt.PostNotice); nerr != nil {
				c.opt.Logf("hq sync: pull notices: %v", nerr)
				if ctx.Err() != nil {
					return ctx.Err()
				}
			} else {
				nextNotices = c.opt.Now().Add(c.opt.NoticeEvery)
			}
		}
		var wait time.Duration
		kick := c.kick
		if err != nil {
			failures++
			wait = c.backoff(failures, err)
			kick = nil // new events do not cut a backoff short
			c.opt.Logf("hq sync: %s (%v); next try in %v", hall.Message(err), err, wait.Round(time.Millisecond))
		} else {
			failures = 0
			wait = c.opt.Idle
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		case <-kick:
			t.Stop()
		}
	}
}

// backoff is the wait after the n-th failure in a row: uniformly random up
// to min(BackoffMax, BackoffBase·2^(n-1)) ("full jitter"), and never less
// than what HQ asked for in Retry-After.
func (c *Client) backoff(n int, err error) time.Duration {
	ceil := c.opt.BackoffMax
	if n-1 < 32 {
		if d := c.opt.BackoffBase << (n - 1); d > 0 && d < ceil {
			ceil = d
		}
	}
	wait := time.Duration(rand.Int64N(int64(ceil) + 1))
	var e *Error
	if errors.As(err, &e) && e.RetryAfter > wait {
		wait = min(e.RetryAfter, c.opt.BackoffMax)
	}
	return wait
}
