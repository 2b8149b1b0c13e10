package hq_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"servicehall/internal/checkpoint"
	"servicehall/internal/hq"
	"servicehall/internal/hq/wire"
)

// tree is a register in memory: tlog's stored hashes of its leaves.
type tree struct{ hashes []tlog.Hash }

func (t *tree) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = t.hashes[x]
	}
	return out, nil
}

func (t *tree) size() int64 {
	var n int64
	for tlog.StoredHashCount(n+1) <= int64(len(t.hashes)) {
		n++
	}
	return n
}

func (t *tree) add(tb testing.TB, leaf string) {
	hs, err := tlog.StoredHashes(t.size(), []byte(leaf), t)
	if err != nil {
		tb.Fatal(err)
	}
	t.hashes = append(t.hashes, hs...)
}

func buildTree(tb testing.TB, leaves ...string) *tree {
	t := &tree{}
	for _, l := range leaves {
		t.add(tb, l)
	}
	return t
}

// anchor is the request a hall sends: t's head and a proof from old.
func (t *tree) anchor(tb testing.TB, old int64) wire.Anchor {
	n := t.size()
	root, err := tlog.TreeHash(n, t)
	if err != nil {
		tb.Fatal(err)
	}
	a := wire.Anchor{TreeSize: n, Root: root[:], OldSize: old}
	if old > 0 && old < n {
		p, err := tlog.ProveTree(n, old, t)
		if err != nil {
			tb.Fatal(err)
		}
		for _, h := range p {
			a.Proof = append(a.Proof, h[:])
		}
	}
	return a
}

func (e *env) anchor(t *testing.T, token string, a any) (int, wire.AnchorAnswer) {
	t.Helper()
	js, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	hr, _ := http.NewRequest(http.MethodPost, e.srv.URL+wire.PathCheckpoints, bytes.NewReader(js))
	hr.Header.Set("Authorization", "Bearer "+token)
	hr.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.Protocol))
	hr.Header.Set("Content-Type", "application/json")
	resp, err := e.srv.Client().Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var ans wire.AnchorAnswer
	if err := json.Unmarshal(b, &ans); err != nil {
		t.Fatalf("answer %q: %v", b, err)
	}
	return resp.StatusCode, ans
}

// signed opens a checkpoint answer with HQ's verifier key.
func signed(t *testing.T, e *env, ans wire.AnchorAnswer) checkpoint.Checkpoint {
	t.Helper()
	vkey, err := hq.VerifierKey(ctx, e.store)
	if err != nil {
		t.Fatal(err)
	}
	if ans.VerifierKey != vkey {
		t.Fatalf("answer's verifier key %q, HQ's %q", ans.VerifierKey, vkey)
	}
	c, err := checkpoint.Open(ans.Checkpoint, vkey)
	if err != nil {
		t.Fatalf("open checkpoint %q: %v", ans.Checkpoint, err)
	}
	return c
}

func TestAnchoringSignsOnlyHeadsThatExtendTheLastOne(t *testing.T) {
	e := newEnv(t, hq.Options{})
	h, tok := e.addHall(t, "城关")
	tr := buildTree(t, "c1", "c2", "c3")
	// The first head is taken as it is and signed.
	code, ans := e.anchor(t, tok, tr.anchor(t, 0))
	if code != 200 {
		t.Fatalf("first anchor: %d %+v", code, ans)
	}
	c := signed(t, e, ans)
	root3, _ := tlog.TreeHash(3, tr)
	if c.Size != 3 || c.Root != root3 || c.Origin != checkpoint.Origin(h.ID) || ans.HQSize != 3 {
		t.Fatalf("checkpoint = %+v (hq size %d), want size 3 root %x origin %s", c, ans.HQSize, root3, checkpoint.Origin(h.ID))
	}
	// The same head again is signed again; a grown tree with a proof from
	// HQ's size is signed and becomes the head.
	if code, ans := e.anchor(t, tok, tr.anchor(t, 3)); code != 200 || signed(t, e, ans).Size != 3 {
		t.Fatalf("same head: %d %+v", code, ans)
	}
	tr.add(t, "log1")
	tr.add(t, "c4")
	code, ans = e.anchor(t, tok, tr.anchor(t, 3))
	if code != 200 || signed(t, e, ans).Size != 5 {
		t.Fatalf("grown tree: %d %+v", code, ans)
	}
	if th, _ := e.store.TreeHead(ctx, h.ID); th.Size != 5 {
		t.Fatalf("HQ's head = %+v", th)
	}
	// A proof from another size than HQ's: told where HQ is, nothing kept.
	tr.add(t, "c5")
	if code, ans := e.anchor(t, tok, tr.anchor(t, 3)); code != http.StatusConflict || ans.Error != wire.ErrCodeAnchorBase || ans.HQSize != 5 {
		t.Fatalf("proof from an old size: %d %+v", code, ans)
	}
	if code, ans := e.anchor(t, tok, tr.anchor(t, 5)); code != 200 || signed(t, e, ans).Size != 6 {
		t.Fatalf("resent from HQ's size: %d %+v", code, ans)
	}
	if as, _ := e.store.Alerts(ctx, h.ID); len(as) != 0 {
		t.Fatalf("alerts after honest anchors: %+v", as)
	}

	// Tampering: the second complaint deleted and the tree rebuilt, one
	// edited, the tree cut short, a forged proof. Each is refused with an
	// alert, once per head; nothing is signed and HQ's head stays.
	deleted := buildTree(t, "c1", "c3", "log1", "c4", "c5", "c6", "c7")
	edited := buildTree(t, "c1", "c2 edited", "c3", "log1", "c4", "c5", "c6")
	cut := buildTree(t, "c1", "c2", "c3")
	sameSize := buildTree(t, "c1", "c2", "c3", "log1", "c4", "c5 edited")
	forged := buildTree(t, "c1", "c2", "c3", "log1", "c4 edited", "c5", "c6").anchor(t, 6)
	honest := buildTree(t, "c1", "c2", "c3", "log1", "c4", "c5", "c6").anchor(t, 6)
	forged.Proof = honest.Proof
	cases := []struct {
		name string
		a    wire.Anchor
		want string
	}{
		{"deleted", deleted.anchor(t, 6), "一致性证明不成立"},
		{"edited", edited.anchor(t, 6), "一致性证明不成立"},
		{"cut short", cut.anchor(t, 3), "从 6 条减少到 3 条"},
		{"same size other root", sameSize.anchor(t, 6), "条数相同而树根不同"},
		{"forged proof", forged, "一致性证明不成立"},
	}
	for i, tc := range cases {
		for range 2 {
			code, ans := e.anchor(t, tok, tc.a)
			if code != http.StatusConflict || ans.Error != wire.ErrCodeTreeInconsistent || ans.Checkpoint != "" || ans.HQSize != 6 || ans.Message == "" {
				t.Fatalf("%s: %d %+v, want 409 %s", tc.name, code, ans, wire.ErrCodeTreeInconsistent)
			}
		}
		as, _ := e.store.Alerts(ctx, h.ID)
		if len(as) != i+1 || as[i].Kind != hq.AlertTreeInconsistent || !strings.Contains(as[i].Detail, tc.want) {
			t.Fatalf("%s: alerts = %+v, want %d, the last saying %q", tc.name, as, i+1, tc.want)
		}
	}
	if th, _ := e.store.TreeHead(ctx, h.ID); th.Size != 6 {
		t.Fatalf("HQ's head after tampering = %+v, want 6 kept", th)
	}
	// The honest tree still anchors.
	if code, ans := e.anchor(t, tok, honest); code != 200 || signed(t, e, ans).Size != 7 {
		t.Fatalf("honest tree after the alerts: %d %+v", code, ans)
	}
}

func TestAnchorRequestsAreCheckedLikeBatches(t *testing.T) {
	e := newEnv(t, hq.Options{})
	a, tokA := e.addHall(t, "城关")
	b, _ := e.addHall(t, "城南")
	tr := buildTree(t, "c1")
	good := tr.anchor(t, 0)
	if code, ans := e.anchor(t, "shq_wrong", good); code != http.StatusUnauthorized || ans.Error != "unauthorized" {
		t.Fatalf("wrong credential: %d %+v", code, ans)
	}
	claim := good
	claim.HallID = b.ID
	if code, ans := e.anchor(t, tokA, claim); code != http.StatusForbidden || ans.Error != wire.ErrCodeWrongHall {
		t.Fatalf("claiming another hall: %d %+v", code, ans)
	}
	bad := []any{
		map[string]any{"tree_size": 0, "root": make([]byte, 32)},
		map[string]any{"tree_size": 1, "root": []byte{1, 2}},
		map[string]any{"tree_size": 2, "root": make([]byte, 32), "old_size": 3},
		map[string]any{"tree_size": 2, "root": make([]byte, 32), "old_size": 1, "proof": [][]byte{{1}}},
		"not an object",
	}
	for _, body := range bad {
		if code, ans := e.anchor(t, tokA, body); code != http.StatusBadRequest || ans.Error == "" {
			t.Fatalf("bad anchor %v: %d %+v", body, code, ans)
		}
	}
	for _, h := range []hq.Hall{a, b} {
		if th, _ := e.store.TreeHead(ctx, h.ID); th.Size != 0 {
			t.Fatalf("hall %d has a head after refused requests: %+v", h.ID, th)
		}
	}
	// The signing key is made once and kept.
	v1, _ := hq.VerifierKey(ctx, e.store)
	code, ans := e.anchor(t, tokA, good)
	if code != 200 || ans.VerifierKey != v1 || !strings.HasPrefix(v1, checkpoint.KeyName+"+") {
		t.Fatalf("anchor: %d %+v, key %q", code, ans, v1)
	}
}
