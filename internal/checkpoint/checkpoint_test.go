package checkpoint_test

import (
	"crypto/sha256"
	"strings"
	"testing"

	"servicehall/internal/checkpoint"
)

func TestSignOpenAndTamper(t *testing.T) {
	skey, vkey, err := checkpoint.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	c := checkpoint.Checkpoint{Origin: checkpoint.Origin(7), Size: 1234, Root: sha256.Sum256([]byte("root"))}
	msg, err := checkpoint.Sign(c, skey)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(msg, "servicehall-hq/hall/7\n1234\n") {
		t.Fatalf("note = %q", msg)
	}
	got, err := checkpoint.Open(msg, vkey)
	if err != nil || got != c {
		t.Fatalf("open = %+v (%v), want %+v", got, err, c)
	}
	// Another size in the text, or another key, does not open.
	if _, err := checkpoint.Open(strings.Replace(msg, "1234", "1235", 1), vkey); err == nil {
		t.Fatal("an edited checkpoint opened")
	}
	_, other, _ := checkpoint.GenerateKey()
	if _, err := checkpoint.Open(msg, other); err == nil {
		t.Fatal("a checkpoint opened with another HQ's key")
	}
	for _, bad := range []string{"", "o\n12\n", "o\nx\nAAAA\n", "o\n1\nnot base64\n", "o\n01\n" + strings.Repeat("A", 43) + "=\n"} {
		if _, err := checkpoint.Parse(bad); err == nil {
			t.Errorf("parse %q: no error", bad)
		}
	}
}
