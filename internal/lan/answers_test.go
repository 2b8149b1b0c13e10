package lan_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/lan"
	"servicehall/internal/lan/lansqlite"
)

// rawNode is a hall node whose calls the test sends by hand, with the
// idempotency key it chooses.
type rawNode struct {
	h    *halltest.Hall
	web  *httptest.Server
	cred string
}

func startRawNode(t *testing.T, h *halltest.Hall, cred string) *rawNode {
	t.Helper()
	srv := lan.NewServer(h.Local, lansqlite.Clients(h.DB), lan.ServerOptions{})
	web := httptest.NewServer(srv)
	t.Cleanup(web.Close)
	if cred == "" {
		code, _ := srv.PairingCode()
		p, err := lan.Pair(ctx, web.URL, code, "取号机")
		if err != nil {
			t.Fatal(err)
		}
		cred = p.Credential
	}
	return &rawNode{h: h, web: web, cred: cred}
}

// send posts one call with key and returns the status and body.
func (n *rawNode) send(t *testing.T, method, key string, args ...any) (int, []byte) {
	t.Helper()
	raw := make([]json.RawMessage, len(args))
	for i, a := range args {
		raw[i], _ = json.Marshal(a)
	}
	body, _ := json.Marshal(map[string]any{"args": raw})
	req, _ := http.NewRequest(http.MethodPost, n.web.URL+lan.PathCall+method, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+n.cred)
	req.Header.Set(lan.HeaderProtocol, lan.Protocol)
	req.Header.Set(lan.HeaderIdemKey, key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func waiting(t *testing.T, h *halltest.Hall) int {
	t.Helper()
	o, err := h.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return o.Waiting
}

// A call the node did, sent again after the node restarted (its memory of
// answers gone), gets the first answer and is not done again: the key is
// kept in the same transaction as the call's change, on the hall's file.
func TestACallSentAgainAfterTheNodeRestartedIsDoneOnce(t *testing.T) {
	h := halltest.New(t, nil)
	n := startRawNode(t, h, "")
	status, first := n.send(t, "Issue", "key-issue-1", demo.TypeFee, hall.Normal)
	if status != http.StatusOK || !bytes.Contains(first, []byte(`"A001"`)) {
		t.Fatalf("issue: HTTP %d %s", status, first)
	}
	// A wrong PIN is a refusal the hall writes down (it counts towards the
	// lockout): sent again, it must not count twice.
	status, refused := n.send(t, "SignIn", "key-pin-1", 3, "1003", "000000")
	if status != http.StatusUnprocessableEntity || !bytes.Contains(refused, []byte(`"bad_pin"`)) {
		t.Fatalf("wrong PIN: HTTP %d %s", status, refused)
	}

	// The node restarts on the same file.
	n.web.Close()
	h = h.Restart(t)
	n = startRawNode(t, h, n.cred)

	status, again := n.send(t, "Issue", "key-issue-1", demo.TypeFee, hall.Normal)
	if status != http.StatusOK || !bytes.Equal(again, first) {
		t.Fatalf("the same issue after the restart: HTTP %d %s, want the first answer %s", status, again, first)
	}
	if w := waiting(t, h); w != 1 {
		t.Fatalf("%d waiting after one issue sent twice across a restart, want 1", w)
	}
	status, refusedAgain := n.send(t, "SignIn", "key-pin-1", 3, "1003", "000000")
	if status != http.StatusUnprocessableEntity || !bytes.Equal(refusedAgain, refused) {
		t.Fatalf("the same wrong PIN after the restart: HTTP %d %s, want %s", status, refusedAgain, refused)
	}
	cfg, err := h.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range cfg.Staff {
		if m.No == "1003" && m.FailedPINs != 1 {
			t.Fatalf("1003 has %d failed PINs after one wrong PIN sent twice, want 1", m.FailedPINs)
		}
	}
	// A new key is a new call.
	if status, b := n.send(t, "Issue", "key-issue-2", demo.TypeFee, hall.Normal); status != http.StatusOK || !bytes.Contains(b, []byte(`"A002"`)) {
		t.Fatalf("next issue: HTTP %d %s", status, b)
	}
	// A call that changed nothing (refused without a trace) may run again.
	for range 2 {
		if status, b := n.send(t, "Issue", "key-bad-type", "no-such-type", hall.Normal); status != http.StatusUnprocessableEntity || !bytes.Contains(b, []byte(`"unknown_type"`)) {
			t.Fatalf("an unknown type: HTTP %d %s", status, b)
		}
	}
}

// If the node stopped after the hall committed a call but before it kept
// the answer, the call sent again is refused with ErrCallDone — it is not
// done a second time.
func TestACallDoneButUnansweredIsNotDoneAgain(t *testing.T) {
	h := halltest.New(t, nil)
	n := startRawNode(t, h, "")
	sum := sha256.Sum256([]byte(n.cred))
	pc, ok, err := lansqlite.Clients(h.DB).LANClient(ctx, hex.EncodeToString(sum[:]))
	if err != nil || !ok {
		t.Fatalf("paired PC: %+v %v %v", pc, ok, err)
	}
	// The hall commits the call named as the server names it; the node
	// "stops" before the answer is kept.
	callCtx := hall.WithCallKey(context.Background(), pc.ID+":Issue:key-lost", nil)
	if _, err := h.Issue(callCtx, demo.TypeFee, hall.Normal); err != nil || !hall.CallCommitted(callCtx) {
		t.Fatalf("issue: %v, committed %v", err, hall.CallCommitted(callCtx))
	}
	n.web.Close()
	h = h.Restart(t)
	n = startRawNode(t, h, n.cred)

	status, b := n.send(t, "Issue", "key-lost", demo.TypeFee, hall.Normal)
	if status != http.StatusUnprocessableEntity || !bytes.Contains(b, []byte(`"call_done"`)) {
		t.Fatalf("the call sent again: HTTP %d %s, want call_done", status, b)
	}
	if w := waiting(t, h); w != 1 {
		t.Fatalf("%d waiting, want 1", w)
	}
	var wire struct {
		Error struct {
			Code, Message string
		}
	}
	if err := json.Unmarshal(b, &wire); err != nil || wire.Error.Message != hall.ErrCallDone.Message {
		t.Fatalf("answer %s: %v; want the message for people", b, err)
	}
	// A new call from the same PC, through the client, is done as usual.
	c := lan.NewClient(n.web.URL, n.cred, lan.ClientOptions{})
	if tk, err := c.Issue(ctx, demo.TypeFee, hall.Normal); err != nil || tk.Number != "A002" {
		t.Fatalf("a new call: %+v, %v", tk, err)
	}
}

// The answer of a sign-in carries the session's token, which the hall's
// file holds only hashed: it is not kept. Sent again after a restart, the
// sign-in is refused with call_done, not done twice.
func TestASignInsAnswerIsNotKeptInTheFile(t *testing.T) {
	h := halltest.New(t, nil)
	n := startRawNode(t, h, "")
	status, body := n.send(t, "SignIn", "key-signin", 3, "1003", demo.PIN)
	var ans struct {
		Result []hall.Session `json:"result"`
	}
	if err := json.Unmarshal(body, &ans); status != http.StatusOK || err != nil || len(ans.Result) != 1 || ans.Result[0].Token == "" {
		t.Fatalf("sign-in: HTTP %d %s (%v)", status, body, err)
	}
	tok := string(ans.Result[0].Token)
	n.web.Close()
	h = h.Restart(t)
	raw, err := os.ReadFile(h.Path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(tok)) {
		t.Fatal("the hall's file holds the session's token")
	}
	n = startRawNode(t, h, n.cred)
	if status, b := n.send(t, "SignIn", "key-signin", 3, "1003", demo.PIN); status != http.StatusUnprocessableEntity || !bytes.Contains(b, []byte(`"call_done"`)) {
		t.Fatalf("the sign-in sent again: HTTP %d %s, want call_done", status, b)
	}
}

// A key names one call of one method: sent with another method, it is
// another call.
func TestAKeyNamesACallOfOneMethod(t *testing.T) {
	n := startRawNode(t, halltest.New(t, nil), "")
	if status, b := n.send(t, "Issue", "key-1", demo.TypeFee, hall.Normal); status != http.StatusOK || !bytes.Contains(b, []byte(`"A001"`)) {
		t.Fatalf("issue: HTTP %d %s", status, b)
	}
	if status, b := n.send(t, "SignIn", "key-1", 3, "1003", "000000"); status != http.StatusUnprocessableEntity || !bytes.Contains(b, []byte(`"bad_pin"`)) {
		t.Fatalf("a sign-in with the issue's key: HTTP %d %s, want it run (bad_pin)", status, b)
	}
}

// flakyAnswers is the hall's answer store whose first reads fail, as a
// briefly locked file would.
type flakyAnswers struct {
	lan.ClientStore
	a     lan.AnswerStore
	fails atomic.Int32
}

func (f *flakyAnswers) CallAnswer(ctx context.Context, key string) (int, []byte, bool, bool, error) {
	if f.fails.Add(-1) >= 0 {
		return 0, nil, false, false, errors.New("database is locked")
	}
	return f.a.CallAnswer(ctx, key)
}

func (f *flakyAnswers) SaveCallAnswer(ctx context.Context, key string, status int, body []byte) error {
	return f.a.SaveCallAnswer(ctx, key, status, body)
}

// When the node cannot read whether a call was done, it answers 503 and
// does nothing; the client's retry, with the same key, then runs the call.
func TestACallTheNodeCouldNotCheckIsRunByItsRetry(t *testing.T) {
	h := halltest.New(t, nil)
	cs := lansqlite.Clients(h.DB)
	f := &flakyAnswers{ClientStore: cs, a: cs.(lan.AnswerStore)}
	f.fails.Store(1)
	srv := lan.NewServer(h.Local, f, lan.ServerOptions{})
	web := httptest.NewServer(srv)
	t.Cleanup(web.Close)
	code, _ := srv.PairingCode()
	p, err := lan.Pair(ctx, web.URL, code, "取号机")
	if err != nil {
		t.Fatal(err)
	}
	c := lan.NewClient(web.URL, p.Credential, lan.ClientOptions{RetryWait: 5 * time.Millisecond, RetryMaxWait: 10 * time.Millisecond})
	tk, err := c.Issue(ctx, demo.TypeFee, hall.Normal)
	if err != nil || tk.Number != "A001" {
		t.Fatalf("issue after one failed check: %+v, %v", tk, err)
	}
	if f.fails.Load() >= 0 {
		t.Fatal("the check never failed: the test proves nothing")
	}
	if w := waiting(t, h); w != 1 {
		t.Fatalf("%d waiting, want 1", w)
	}
}

// switchable forwards to the node of the moment. While down, it cuts every
// connection; with dropNext, it lets the node do the next call and cuts
// the connection before the answer leaves.
type switchable struct {
	mu       sync.Mutex
	next     http.Handler
	down     bool
	dropNext bool
}

func (s *switchable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	next, down, drop := s.next, s.down, s.dropNext
	s.dropNext = false
	s.mu.Unlock()
	if drop {
		next.ServeHTTP(httptest.NewRecorder(), r)
	}
	if drop || down {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	next.ServeHTTP(w, r)
}

// A call whose answer was lost while the node went down fails on the PC
// with 连接中断. Pressed again once the node is back — restarted, its
// memory gone — it is the same call: the first ticket comes back and no
// second one is issued.
func TestTheSameCallAfterALostAnswerAndARestartIsDoneOnce(t *testing.T) {
	h := halltest.New(t, nil)
	sw := &switchable{next: lan.NewServer(h.Local, lansqlite.Clients(h.DB), lan.ServerOptions{})}
	web := httptest.NewServer(sw)
	t.Cleanup(web.Close)
	code, _ := sw.next.(*lan.Server).PairingCode()
	p, err := lan.Pair(ctx, web.URL, code, "取号机")
	if err != nil {
		t.Fatal(err)
	}
	kiosk := lan.NewClient(web.URL, p.Credential, lan.ClientOptions{Retries: 2, RetryWait: 5 * time.Millisecond, RetryMaxWait: 10 * time.Millisecond})

	// The node issues A001, the answer is lost, and the node is down for
	// every retry.
	sw.mu.Lock()
	sw.dropNext, sw.down = true, true
	sw.mu.Unlock()
	if _, err := kiosk.Issue(ctx, demo.TypeFee, hall.Normal); !errors.Is(err, lan.ErrDisconnected) {
		t.Fatalf("issue with the node going down: %v, want disconnected", err)
	}
	if w := waiting(t, h); w != 1 {
		t.Fatalf("%d waiting, want the one ticket the node issued", w)
	}
	// The node restarts on the same file.
	h = h.Restart(t)
	sw.mu.Lock()
	sw.next, sw.down = lan.NewServer(h.Local, lansqlite.Clients(h.DB), lan.ServerOptions{}), false
	sw.mu.Unlock()

	tk, err := kiosk.Issue(ctx, demo.TypeFee, hall.Normal)
	if err != nil || tk.Number != "A001" {
		t.Fatalf("the same issue again: %+v, %v; want A001 back", tk, err)
	}
	if w := waiting(t, h); w != 1 {
		t.Fatalf("%d waiting after the same issue twice, want 1", w)
	}
	// Answered, it is done with: the next press is a new ticket.
	if tk, err := kiosk.Issue(ctx, demo.TypeFee, hall.Normal); err != nil || tk.Number != "A002" {
		t.Fatalf("the next issue: %+v, %v; want A002", tk, err)
	}
}
