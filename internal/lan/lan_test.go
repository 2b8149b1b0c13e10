package lan_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"servicehall/internal/contract"
	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/lan"
	"servicehall/internal/lan/lansqlite"
)

var ctx = context.Background()

// node is a hall node on loopback: a real hall file, the LAN server, an
// HTTP server.
type node struct {
	h   *halltest.Hall
	srv *lan.Server
	web *httptest.Server
}

func newNode(t testing.TB, h *halltest.Hall) *node {
	t.Helper()
	srv := lan.NewServer(h.Local, lansqlite.Clients(h.DB), lan.ServerOptions{Heartbeat: 50 * time.Millisecond})
	web := httptest.NewServer(srv)
	t.Cleanup(web.Close)
	return &node{h: h, srv: srv, web: web}
}

// pair pairs a PC and returns its client.
func (n *node) pair(t *testing.T, name string) *lan.Client {
	t.Helper()
	code, _ := n.srv.PairingCode()
	p, err := lan.Pair(ctx, n.web.URL, code, name)
	if err != nil {
		t.Fatalf("pair %s: %v", name, err)
	}
	if p.Hall != "城关供电营业厅" || !strings.HasPrefix(p.Credential, "lan_") {
		t.Fatalf("pair answer %+v", p)
	}
	return lan.NewClient(n.web.URL, p.Credential, lan.ClientOptions{RetryWait: 10 * time.Millisecond, RetryMaxWait: 50 * time.Millisecond})
}

func TestRemoteKeepsTheServiceContract(t *testing.T) {
	contract.Run(t, func(t *testing.T) contract.Harness {
		h := halltest.New(t, nil)
		n := newNode(t, h)
		return contract.Harness{Svc: n.pair(t, "测试PC"), Hall: h}
	})
}

func TestRequestsWithoutTheHallsCredentialAreRefused(t *testing.T) {
	n := newNode(t, halltest.New(t, nil))
	for name, auth := range map[string]string{"none": "", "made up": "Bearer lan_nope", "not bearer": "Basic eDp5"} {
		req, _ := http.NewRequest(http.MethodPost, n.web.URL+lan.PathCall+"Issue", strings.NewReader(`{"args":["fee","normal"]}`))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: HTTP %d, want 401", name, resp.StatusCode)
		}
	}
	c := lan.NewClient(n.web.URL, "lan_forged", lan.ClientOptions{})
	if _, err := c.Issue(ctx, demo.TypeFee, hall.Normal); !errors.Is(err, lan.ErrUnpaired) || hall.Message(err) == "" {
		t.Fatalf("a forged credential: %v", err)
	}
	if _, err := c.Subscribe(ctx, 0); !errors.Is(err, lan.ErrUnpaired) {
		t.Fatalf("a forged credential's stream: %v", err)
	}
	if o, _ := n.h.Overview(ctx); o.Waiting != 0 {
		t.Fatalf("a refused request issued a ticket: %d waiting", o.Waiting)
	}
}

func TestPairingCodesAreSingleUseAndCannotBeGuessed(t *testing.T) {
	var shown []string
	h := halltest.New(t, nil)
	srv := lan.NewServer(h.Local, lansqlite.Clients(h.DB), lan.ServerOptions{OnPairingCode: func(c string, _ time.Time) { shown = append(shown, c) }})
	web := httptest.NewServer(srv)
	defer web.Close()
	code, _ := srv.PairingCode()
	if _, err := lan.Pair(ctx, web.URL, code, ""); err == nil {
		t.Fatal("paired without a name")
	}
	if _, err := lan.Pair(ctx, web.URL, code, "1号窗口"); err != nil {
		t.Fatal(err)
	}
	if _, err := lan.Pair(ctx, web.URL, code, "2号窗口"); !errors.Is(err, lan.ErrPairCode) {
		t.Fatalf("the same code twice: %v", err)
	}
	code, _ = srv.PairingCode()
	wrong := "000000"
	if code == wrong {
		wrong = "000001"
	}
	for range 5 {
		if _, err := lan.Pair(ctx, web.URL, wrong, "猜测"); !errors.Is(err, lan.ErrPairCode) {
			t.Fatalf("a wrong code: %v", err)
		}
	}
	if _, err := lan.Pair(ctx, web.URL, code, "3号窗口"); !errors.Is(err, lan.ErrPairCode) {
		t.Fatal("the code still works after five wrong tries")
	}
	if len(shown) < 3 {
		t.Fatalf("codes shown: %v; want a new one after each pairing and after five wrong tries", shown)
	}
}

// A clerk action from a PC where that clerk is not signed in is refused:
// the counter and the clerk come from the session, which only the PC
// where the clerk signed in holds.
func TestAClerkActionFromAnotherPCIsRefused(t *testing.T) {
	n := newNode(t, halltest.New(t, nil))
	pc1, pc2 := n.pair(t, "1号窗口"), n.pair(t, "2号窗口")
	sess, err := pc1.SignIn(ctx, 1, "1001", demo.PIN)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pc1.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []hall.Token{"", "1001", hall.Token(strings.ToUpper(string(sess.Token)))} {
		if _, err := pc2.CallNext(ctx, tok); !errors.Is(err, hall.ErrNotSignedIn) {
			t.Fatalf("PC 2 acting with %q: %v", tok, err)
		}
	}
	if c, err := pc1.CallNext(ctx, sess.Token); err != nil || c.Counter != 1 {
		t.Fatalf("PC 1: %+v, %v", c, err)
	}
}

// Eight counters calling at once over the LAN never get the same ticket.
func TestEightCountersCallingAtOnceNeverShareATicket(t *testing.T) {
	cfg := demo.Config()
	for no := 6; no <= 8; no++ {
		cfg.Counters = append(cfg.Counters, hall.Counter{No: no, Name: fmt.Sprintf("%d号窗口", no), Types: []string{demo.TypeFee}, State: hall.CounterOpen})
		cfg.Staff = append(cfg.Staff, hall.Staff{No: fmt.Sprintf("100%d", no), Name: fmt.Sprintf("营业员%d", no), Role: hall.RoleClerk, Active: true, PIN: demo.PIN})
	}
	for i := range cfg.Counters {
		cfg.Counters[i].Types = []string{demo.TypeFee}
	}
	h := halltest.New(t, &cfg)
	n := newNode(t, h)
	kiosk := n.pair(t, "取号机")
	const tickets = 48
	for range tickets {
		if _, err := kiosk.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
			t.Fatal(err)
		}
	}
	var (
		mu   sync.Mutex
		seen = map[string]int{}
		wg   sync.WaitGroup
	)
	for no := 1; no <= 8; no++ {
		pc := n.pair(t, fmt.Sprintf("%d号窗口", no))
		tok := h.At(no)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c, err := pc.CallNext(ctx, tok)
				if errors.Is(err, hall.ErrNothingWaiting) {
					return
				}
				if err != nil {
					t.Errorf("counter %d: %v", no, err)
					return
				}
				mu.Lock()
				seen[c.Ticket.Number]++
				mu.Unlock()
				if _, err := pc.Start(ctx, tok); err != nil {
					t.Errorf("counter %d: %v", no, err)
					return
				}
				if _, err := pc.Finish(ctx, tok); err != nil {
					t.Errorf("counter %d: %v", no, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != tickets {
		t.Fatalf("%d distinct tickets called, want %d", len(seen), tickets)
	}
	for num, k := range seen {
		if k != 1 {
			t.Errorf("%s called %d times", num, k)
		}
	}
}

// dropFirstAnswer runs the first call of a method on the node, then cuts
// the connection before the answer leaves, as a network blip would.
type dropFirstAnswer struct {
	next    http.Handler
	method  string
	dropped atomic.Int32
}

func (d *dropFirstAnswer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == lan.PathCall+d.method && d.dropped.Add(1) == 1 {
		d.next.ServeHTTP(httptest.NewRecorder(), r) // done on the node…
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // …and the answer lost
		}
		return
	}
	d.next.ServeHTTP(w, r)
}

func TestACallRetriedAfterALostAnswerIsDoneOnce(t *testing.T) {
	h := halltest.New(t, nil)
	srv := lan.NewServer(h.Local, lansqlite.Clients(h.DB), lan.ServerOptions{})
	drop := &dropFirstAnswer{next: srv, method: "Issue"}
	web := httptest.NewServer(drop)
	defer web.Close()
	code, _ := srv.PairingCode()
	p, err := lan.Pair(ctx, web.URL, code, "取号机")
	if err != nil {
		t.Fatal(err)
	}
	kiosk := lan.NewClient(web.URL, p.Credential, lan.ClientOptions{RetryWait: 5 * time.Millisecond})
	tk, err := kiosk.Issue(ctx, demo.TypeFee, hall.Normal)
	if err != nil {
		t.Fatal(err)
	}
	if drop.dropped.Load() < 2 {
		t.Fatalf("the answer was not lost and retried (%d requests)", drop.dropped.Load())
	}
	o, err := h.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o.Waiting != 1 || tk.Number != "A001" {
		t.Fatalf("%d waiting after one issue retried, ticket %s; want 1 and A001", o.Waiting, tk.Number)
	}
	// The next one is a new call, with a new key.
	if tk2, err := kiosk.Issue(ctx, demo.TypeFee, hall.Normal); err != nil || tk2.Number != "A002" {
		t.Fatalf("next issue = %+v, %v", tk2, err)
	}
}

// A client keeps working across the node's restart and gets the live
// stream back from where it was.
func TestAClientSurvivesTheNodesRestart(t *testing.T) {
	h := halltest.New(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	serve := func(h *halltest.Hall, ln net.Listener) (*lan.Server, *http.Server) {
		srv := lan.NewServer(h.Local, lansqlite.Clients(h.DB), lan.ServerOptions{Heartbeat: 50 * time.Millisecond})
		hs := &http.Server{Handler: srv}
		go hs.Serve(ln) //nolint:errcheck // ends with Close
		return srv, hs
	}
	srv, hs := serve(h, ln)
	code, _ := srv.PairingCode()
	p, err := lan.Pair(ctx, "http://"+addr, code, "叫号屏")
	if err != nil {
		t.Fatal(err)
	}
	c := lan.NewClient("http://"+addr, p.Credential, lan.ClientOptions{Retries: 20, RetryWait: 20 * time.Millisecond, RetryMaxWait: 100 * time.Millisecond})
	o, err := c.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events, err := c.Subscribe(sctx, o.LastSeq)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	last := (<-events).Seq

	// The node goes down: the stream ends, calls fail as disconnected.
	hs.Close()
	for range events {
	}
	down := lan.NewClient("http://"+addr, p.Credential, lan.ClientOptions{Retries: -1})
	if _, err := down.Overview(ctx); !errors.Is(err, lan.ErrDisconnected) || hall.Message(err) != "连接中断，正在重连…" {
		t.Fatalf("with the node down: %v (%q)", err, hall.Message(err))
	}
	// It comes back on the same address with the same file.
	h.DB.Close()
	h2 := halltest.Reopen(t, h.Path, h.Clock)
	h2.Tokens = h.Tokens
	ln2, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	_, hs2 := serve(h2, ln2)
	defer hs2.Close()
	events, err = c.Subscribe(sctx, last)
	if err != nil {
		t.Fatalf("subscribe after the restart: %v", err)
	}
	tk, err := c.Issue(ctx, demo.TypeFee, hall.Normal)
	if err != nil || tk.Number != "A002" {
		t.Fatalf("issue after the restart: %+v, %v", tk, err)
	}
	e := <-events
	var te hall.TicketEvent
	if err := e.Decode(&te); err != nil || e.Seq != last+1 || te.Ticket.Number != "A002" {
		t.Fatalf("first event after the restart: seq %d (want %d) %s, %v", e.Seq, last+1, te.Ticket.Number, err)
	}
}

// The display page's data is public within the LAN and carries no
// customer data.
func TestDisplayStateAndEventsCarryNoCustomerData(t *testing.T) {
	n := newNode(t, halltest.New(t, nil))
	h := n.h
	if _, err := h.RecordComplaint(ctx, h.At(1), hall.ComplaintInput{What: "投诉", Contact: hall.Contact{Name: "王建国", Phone: "13812345678"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, err := h.CallNext(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(n.web.URL + "/display/state")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var st lan.DisplayState
	if err := json.Unmarshal(body, &st); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if st.Hall != "城关供电营业厅" || len(st.Recent) != 1 || st.Recent[0].Number != "A001" || st.Recent[0].CounterName != "1号窗口" || st.Counters[0].Calling != "A001" {
		t.Fatalf("state = %+v", st)
	}
	// The stream from the start of the day: every event, calls in full.
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(sctx, http.MethodGet, n.web.URL+"/display/events?after=0", nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var stream strings.Builder
	buf := make([]byte, 4096)
	for !strings.Contains(stream.String(), `"number":"A001"`) {
		k, err := resp.Body.Read(buf)
		stream.Write(buf[:k])
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	all := string(body) + stream.String()
	for _, secret := range []string{"13812345678", "王建国", "5678", "1001", "李娜"} {
		if strings.Contains(all, secret) {
			t.Errorf("the display's data contains %q", secret)
		}
	}
	if !strings.Contains(stream.String(), `"type":"call"`) {
		t.Fatalf("no call in the stream: %s", stream.String())
	}
	page, err := http.Get(n.web.URL + "/display")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != 200 || !strings.Contains(string(html), "/display/static/display.js") {
		t.Fatalf("page: HTTP %d %.200s", page.StatusCode, html)
	}
}

// failingOverview is a hall whose Overview fails a number of times, as a
// store that is briefly unreadable would.
type failingOverview struct {
	hall.Service
	fails atomic.Int32
}

func (f *failingOverview) Overview(ctx context.Context) (hall.Overview, error) {
	if f.fails.Add(-1) >= 0 {
		return hall.Overview{}, errors.New("store briefly unreadable")
	}
	return f.Service.Overview(ctx)
}

// A stream that found the hall unreadable ends; the next one, once the hall
// reads again, gets the events.
func TestTheEventStreamRecoversAfterTheHallWasUnreadable(t *testing.T) {
	h := halltest.New(t, nil)
	flaky := &failingOverview{Service: h.Local}
	srv := lan.NewServer(flaky, lansqlite.Clients(h.DB), lan.ServerOptions{Heartbeat: 50 * time.Millisecond})
	web := httptest.NewServer(srv)
	defer web.Close()
	code, _ := srv.PairingCode()
	p, err := lan.Pair(ctx, web.URL, code, "叫号屏")
	if err != nil {
		t.Fatal(err)
	}
	c := lan.NewClient(web.URL, p.Credential, lan.ClientOptions{})
	flaky.fails.Store(1) // the hub's first read of the hall fails
	o, err := h.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	first, err := c.Subscribe(sctx, o.LastSeq)
	if err != nil {
		t.Fatal(err)
	}
	for range first { // the hub could not read the hall: the stream ends
	}
	events, err := c.Subscribe(sctx, o.LastSeq)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if e, ok := <-events; !ok || e.Kind != hall.KindTicketIssued {
		t.Fatalf("after recovery: %+v, %v", e, ok)
	}
}
