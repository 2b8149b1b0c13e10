package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"servicehall/internal/hall"
	"servicehall/internal/hq"
	"servicehall/internal/hq/pgstore"
	"servicehall/internal/hq/pgstore/pgtest"
	"servicehall/internal/hq/wire"
)

func TestAnUnreachablePostgreSQLIsAnErrorInChinese(t *testing.T) {
	// Port 1 on loopback: nothing listens, the connection is refused at once.
	for _, args := range [][]string{
		{"--db", "postgres://hq@127.0.0.1:1/hq?connect_timeout=5", "--listen", "127.0.0.1:0"},
		{"hall", "add", "--db", "postgresql://hq:secret@127.0.0.1:1/hq?connect_timeout=5", "城关"},
	} {
		out, err := runHQ(t, args...)
		var ce *pgstore.ConnectError
		if !errors.As(err, &ce) || !strings.Contains(hall.Message(err), "PostgreSQL") {
			t.Fatalf("%v: err = %v (%q), want a connection error", args, err, hall.Message(err))
		}
		if strings.Contains(out, "已启动") || strings.Contains(out, "shq_") || strings.Contains(err.Error(), "secret") {
			t.Fatalf("%v: output %q, error %v", args, out, err)
		}
	}
}

// TestHQOnPostgreSQL runs the commands and the server on PostgreSQL.
func TestHQOnPostgreSQL(t *testing.T) {
	dsn := pgtest.DSN(t)
	pgOptions = pgstore.Options{AllowNoFsync: true} // the throwaway test server runs with fsync off
	t.Cleanup(func() { pgOptions = pgstore.Options{} })

	out, err := runHQ(t, "hall", "add", "--db", dsn, "城关供电营业厅")
	if err != nil {
		t.Fatalf("hall add: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	tok := lines[len(lines)-1]
	if !strings.HasPrefix(tok, "shq_") {
		t.Fatalf("last line %q is not a credential", tok)
	}
	if out, err := runHQ(t, "hall", "add", "--db", dsn, "城关供电营业厅"); err == nil || strings.Contains(out, "shq_") || !strings.Contains(hall.Message(err), "已登记") {
		t.Fatalf("second add: %v\n%s", err, out)
	}
	if out, err := runHQ(t, "notice", "add", "--db", dsn, "--kind", "outage", "--hall", "城关供电营业厅",
		"--until", time.Now().Add(time.Hour).Format(time.RFC3339), "城关片区", "计划停电"); err != nil {
		t.Fatalf("notice add: %v\n%s", err, out)
	}
	st, err := pgstore.OpenOptions(context.Background(), dsn, pgOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := st.HallByToken(context.Background(), hq.HashToken(tok))
	if err != nil || h.Name != "城关供电营业厅" {
		t.Fatalf("the printed credential finds %+v (%v)", h, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := make(chan string, 1)
	done := make(chan error, 1)
	var stdout, stderr lockedBuffer
	go func() {
		done <- run(ctx, []string{"--db", dsn, "--listen", "127.0.0.1:0", "--log-dir", t.TempDir()}, &stdout, &stderr, func(a string) { addr <- a })
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
	if !strings.Contains(stdout.String(), "已启动") || !strings.Contains(stdout.String(), "postgres://") {
		t.Fatalf("output = %q", stdout.String())
	}
	out, err = runHQ(t, "hall", "list", "--db", dsn)
	if err != nil || !strings.Contains(out, "城关供电营业厅") || !strings.Contains(out, "从未同步") {
		t.Fatalf("hall list: %v\n%s", err, out)
	}
}

func TestPostgreSQLWithFsyncOffIsRefused(t *testing.T) {
	dsn := pgtest.DSN(t)
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	var fsync string
	err = conn.QueryRow(context.Background(), "SHOW fsync").Scan(&fsync)
	conn.Close(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if fsync != "off" {
		t.Skip("the test server runs with fsync on; nothing to refuse")
	}
	out, err := runHQ(t, "hall", "add", "--db", dsn, "城关")
	var se *pgstore.SettingsError
	if !errors.As(err, &se) || se.Setting != "fsync" || !strings.Contains(hall.Message(err), "安全写入") || strings.Contains(out, "shq_") {
		t.Fatalf("hall add on a server with fsync off: %v (%q)\n%s", err, hall.Message(err), out)
	}
}
