package logfile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"servicehall/internal/logfile"
)

func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"call back 13812345678 today", "call back 138****5678 today"},
		{"id 110101199003071234", "id 110***********1234"},
		{"id 11010119900307123X.", "id 110***********123X."},
		{"old id 110101900307123", "old id 110********7123"},
		{"seq 100007 bytes=344064 at 2026-11-27T10:44:39", "seq 100007 bytes=344064 at 2026-11-27T10:44:39"},
		{"landline 12345678901", "landline 12345678901"}, // not a mobile prefix
		{"电话13912345678，", "电话139****5678，"},
		{"", ""},
	} {
		if got := logfile.Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRotatorKeepsNFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.log")
	r, err := logfile.NewRotator(path, 100, 3)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("a", 39) + "\n" // 40 bytes: two fit in a file
	for i := range 12 {
		if _, err := r.Write([]byte(line)); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	r.Close()
	for _, name := range []string{"x.log", "x.log.1", "x.log.2", "x.log.3"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if info.Size() != 80 {
			t.Errorf("%s holds %d bytes, want 80", name, info.Size())
		}
	}
	if _, err := os.Stat(path + ".4"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a fourth rotated file was kept: %v", err)
	}
	// Reopening appends.
	r, err = logfile.NewRotator(path, 100, 3)
	if err != nil {
		t.Fatal(err)
	}
	r.Write([]byte(line))
	r.Close()
	if b, _ := os.ReadFile(path + ".1"); len(b) != 80 {
		t.Errorf("after reopening, x.log.1 holds %d bytes, want the 80 rotated out", len(b))
	}
}

func TestOpenMasksMessagesAndAttributes(t *testing.T) {
	dir := t.TempDir()
	l, r, err := logfile.Open(dir, "prog", logfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	l.With("contact", "13812345678").Info("rating from 13912345678", "err", errors.New("bad id 110101199003071234"), "n", 18)
	logfile.Printf(l)("printf %s", "13712345678")
	r.Close()
	b, err := os.ReadFile(filepath.Join(dir, "prog.log"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, bad := range []string{"13812345678", "13912345678", "110101199003071234", "13712345678"} {
		if strings.Contains(s, bad) {
			t.Errorf("log holds %s:\n%s", bad, s)
		}
	}
	for _, want := range []string{"138****5678", "139****5678", "110***********1234", "137****5678", "n=18", "level=INFO"} {
		if !strings.Contains(s, want) {
			t.Errorf("log lacks %s:\n%s", want, s)
		}
	}
}
