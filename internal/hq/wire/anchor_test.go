package wire_test

import (
	"encoding/json"
	"testing"

	"servicehall/internal/hq/wire"
)

// FuzzDecodeAnchor: HQ's decoding of an anchor never panics, and what it
// accepts is within the shape it promises.
func FuzzDecodeAnchor(f *testing.F) {
	good, _ := json.Marshal(wire.Anchor{TreeSize: 5, Root: make([]byte, 32), OldSize: 3, Proof: [][]byte{make([]byte, 32), make([]byte, 32)}})
	for _, s := range []string{string(good), "", "{}", `{"tree_size":1,"root":"AAAA"}`, `{"tree_size":-1}`, `[]`, `{"tree_size":1e99}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := wire.DecodeAnchor(body)
		if err != nil {
			if a != nil {
				t.Fatal("an anchor with an error")
			}
			return
		}
		if a.TreeSize < 1 || len(a.Root) != 32 || a.OldSize < 0 || a.OldSize > a.TreeSize || len(a.Proof) > 128 {
			t.Fatalf("accepted %+v", a)
		}
		for _, h := range a.Proof {
			if len(h) != 32 {
				t.Fatalf("accepted a proof hash of %d bytes", len(h))
			}
		}
		_ = a.TreeProof()
	})
}
