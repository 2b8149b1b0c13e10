package pgstore

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

func TestEscapeRoundTrips(t *testing.T) {
	for _, s := range []string{
		"", "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "ticket.issued", "营业厅", `\`, `\\`, `\x00`, `\x4`, `\xzz`, "\x00", "a\x00b",
		"\xff", "\xe8\x90", "ticket\x00issued\\x00", "\ufffd", "end\\",
	} {
		e := esc(s)
		if !utf8.ValidString(e) || containsNUL(e) {
			t.Fatalf("esc(%q) = %q is not storable text", s, e)
		}
		if got := unesc(e); got != s {
			t.Fatalf("unesc(esc(%q)) = %q via %q", s, got, e)
		}
	}
	// Well-formed text is stored as it is.
	for _, s := range []string{"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "ticket.issued", "序号 3 的记录", "9f86d081884c7d65"} {
		if esc(s) != s || unesc(s) != s {
			t.Fatalf("%q is changed: %q, %q", s, esc(s), unesc(s))
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{0, '\\', 'x', '0', 'f', 'a', 0xff, 0xe8, 0x90, 0xbd}
	for range 20000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		s := string(b)
		e := esc(s)
		if !utf8.ValidString(e) || containsNUL(e) || unesc(e) != s {
			t.Fatalf("%q: esc %q, back %q", s, e, unesc(e))
		}
	}
}

func FuzzEscape(f *testing.F) {
	f.Add("a\x00\\x00\xff")
	f.Fuzz(func(t *testing.T, s string) {
		e := esc(s)
		if !utf8.ValidString(e) || containsNUL(e) || unesc(e) != s {
			t.Fatalf("%q: esc %q, back %q", s, e, unesc(e))
		}
	})
}

func containsNUL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return true
		}
	}
	return false
}
