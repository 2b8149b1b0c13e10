package lan_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

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
	callCtx := hall.WithCallKey(context.Background(), pc.ID+":key-lost", nil)
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
