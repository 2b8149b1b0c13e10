package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"servicehall/internal/hall"
	"servicehall/internal/hq"
	"servicehall/internal/hq/sqlitestore"
	"servicehall/internal/hq/wire"
)

// lockedBuffer is written by the server's goroutine and read by the test.
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

func runHQ(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut, nil)
	return out.String() + errOut.String(), err
}

func TestHallAddPrintsTheCredentialOnceAloneOnTheLastLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hq.db")
	out, err := runHQ(t, "hall", "add", "--db", db, "城关供电营业厅")
	if err != nil {
		t.Fatalf("hall add: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	tok := lines[len(lines)-1]
	if !strings.HasPrefix(tok, "shq_") || strings.ContainsAny(tok, " \t") || len(tok) < 40 {
		t.Fatalf("last line %q is not a credential alone", tok)
	}
	st, err := sqlitestore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := st.HallByToken(context.Background(), hq.HashToken(tok))
	if err != nil || h.Name != "城关供电营业厅" {
		t.Fatalf("the printed credential finds %+v (%v)", h, err)
	}
	raw, err := st.HallByName(context.Background(), "城关供电营业厅")
	if err != nil || raw.ID != h.ID {
		t.Fatal(err)
	}
	// A second registration of the name is refused, and shows no credential.
	out, err = runHQ(t, "hall", "add", "--db", db, "城关供电营业厅")
	if err == nil || strings.Contains(out, "shq_") || !strings.Contains(hall.Message(err), "已登记") {
		t.Fatalf("second add: %v\n%s", err, out)
	}
}

func TestCommandLineMistakes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hq.db")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"serve"}, "未知的子命令"},
		{[]string{"--db", db, "serve"}, "多余的参数"},
		{[]string{"--db", db, "--listen", "127.0.0.1:0", "extra"}, "多余的参数"},
		{[]string{"hall", "add", "--db", db}, "营业厅名称"},
		{[]string{"hall", "add", "--db", db, "a", "b"}, "营业厅名称"},
		{[]string{"hall"}, "用法"},
		{[]string{"notice", "add", "--db", db, "--until", "2000-01-01 00:00", "停电"}, "结束时间"},
		{[]string{"notice", "add", "--db", db, "--kind", "party", "--until", "2099-01-01 00:00", "停电"}, "类别"},
		{[]string{"--bogus"}, "参数有误"},
		{[]string{"staff"}, "用法"},
		{[]string{"staff", "add", "--db", db}, "用户名"},
		{[]string{"key", "--db", db, "extra"}, "多余的参数"},
	}
	for _, tt := range tests {
		_, err := runHQ(t, tt.args...)
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(ue.msg, tt.want) {
			t.Errorf("%v: err = %v, want a usage error about %s", tt.args, err, tt.want)
		}
	}
}

func TestServeAnswersAndStopsCleanly(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hq.db")
	out, err := runHQ(t, "hall", "add", "--db", db, "城关")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	tok := lines[len(lines)-1]
	if out, err := runHQ(t, "notice", "add", "--db", db, "--kind", "outage", "--until", time.Now().Add(time.Hour).Format(time.RFC3339), "城关片区", "计划停电"); err != nil {
		t.Fatalf("notice add: %v\n%s", err, out)
	}

	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	var stdout, stderr lockedBuffer
	go func() {
		done <- run(ctx, []string{"--db", db, "--listen", "127.0.0.1:0"}, &stdout, &stderr, func(a string) { addr <- a })
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("serve ended: %v\n%s", err, stderr.String())
	}
	req, _ := http.NewRequest(http.MethodGet, base+wire.PathNotices, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set(wire.HeaderProtocol, "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "城关片区 计划停电") {
		t.Fatalf("notices: %d %s", resp.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !strings.Contains(stdout.String(), "已启动") || !strings.Contains(stdout.String(), "已停止") {
		t.Fatalf("output = %q", stdout.String())
	}
}

func TestStaffAddPrintsThePasswordOnceAndKeyPrintsTheVerifierKey(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hq.db")
	out, err := runHQ(t, "staff", "add", "--db", db, "总部值班员")
	if err != nil {
		t.Fatalf("staff add: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	pw := lines[len(lines)-1]
	if len(pw) < 20 || strings.ContainsAny(pw, " \t") {
		t.Fatalf("last line %q is not a password alone", pw)
	}
	st, err := sqlitestore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	_, hash, err := st.StaffPassword(context.Background(), "总部值班员")
	st.Close()
	if err != nil || bcrypt.CompareHashAndPassword(hash, []byte(pw)) != nil || strings.Contains(string(hash), pw) {
		t.Fatalf("the stored hash does not match the printed password (%v)", err)
	}
	out, err = runHQ(t, "staff", "add", "--db", db, "总部值班员")
	if err == nil || strings.Contains(out, pw) || !strings.Contains(hall.Message(err), "已存在") {
		t.Fatalf("second add: %v\n%s", err, out)
	}
	k1, err := runHQ(t, "key", "--db", db)
	if err != nil || !strings.HasPrefix(k1, "servicehall-hq+") {
		t.Fatalf("key: %q (%v)", k1, err)
	}
	if k2, _ := runHQ(t, "key", "--db", db); k2 != k1 {
		t.Fatalf("key changed: %q then %q", k1, k2)
	}
}
