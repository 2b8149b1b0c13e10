package cli

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
)

// lockedBuffer is a bytes.Buffer that serve can write while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls the output until re matches it: serve prints its address
// and pairing code once it listens.
func waitFor(t *testing.T, out *lockedBuffer, re *regexp.Regexp, done <-chan error) []string {
	t.Helper()
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestServePairAndRunAWindowAgainstTheNode(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, []string{"--db", filepath.Join(dir, "hall.db"), "--listen", "127.0.0.1:0", "--demo"}, &out, &errOut)
	}()
	addr := waitFor(t, &out, regexp.MustCompile(`营业厅主机已启动：(http://[0-9.:]+)`), done)[1]
	code := waitFor(t, &out, regexp.MustCompile(`配对码：(\d{6})`), done)[1]

	cfg := filepath.Join(dir, "pc", "lan.json")
	if _, err := RemoteHall("", cfg); err == nil || !strings.Contains(hall.Message(err), "尚未与营业厅主机配对") {
		t.Fatalf("before pairing: %v", err)
	}
	var pout bytes.Buffer
	if err := pair(ctx, []string{"--hall", addr, "--code", "000000x", "--name", "取号机"}, &pout, &errOut, cfg); err == nil {
		t.Fatal("paired with a wrong code")
	}
	if err := pair(ctx, []string{"--hall", addr, "--code", code, "--name", "取号机"}, &pout, &errOut, cfg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pout.String(), "已与“城关供电营业厅”配对") {
		t.Fatalf("pair said %q", pout.String())
	}
	svc, err := RemoteHall(addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	tk, err := svc.Issue(ctx, demo.TypeFee, hall.Normal)
	if err != nil || tk.Number == "" {
		t.Fatalf("issue over the LAN: %+v, %v", tk, err)
	}
	if _, err := RemoteHall("http://192.0.2.1:8420", cfg); err == nil {
		t.Fatal("a window ran against a node this PC is not paired with")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve after cancel: %v", err)
	}
	if _, err := svc.Overview(context.Background()); err == nil {
		t.Fatal("the node still answers after it stopped")
	}
}

func TestServeRefusesStrayArgumentsAndABusyPort(t *testing.T) {
	var out, errOut lockedBuffer
	err := serve(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "h.db"), "extra"}, &out, &errOut)
	var u *UsageError
	if !errors.As(err, &u) || !strings.Contains(u.Msg, "多余的参数") {
		t.Fatalf("stray argument: %v", err)
	}
	err = serve(context.Background(), []string{"--db", filepath.Join(t.TempDir(), "h.db"), "--listen", "256.1.1.1:1", "--demo"}, &out, &errOut)
	if !errors.As(err, &u) || !strings.Contains(u.Msg, "无法在") {
		t.Fatalf("bad address: %v", err)
	}
}
