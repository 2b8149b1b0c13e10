package cli

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/lan"
	"servicehall/internal/lan/lansqlite"
	"servicehall/internal/sqlite"
)

// pairedPC opens the hall at path as a node, pairs a PC named name, and
// returns its credential; the node is closed again.
func pairedPC(t *testing.T, path, name string) string {
	t.Helper()
	ctx := context.Background()
	l, db, err := OpenHallWith(ctx, path, "test", true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := lan.NewServer(l, lansqlite.Clients(db), lan.ServerOptions{})
	web := httptest.NewServer(srv)
	defer web.Close()
	code, _ := srv.PairingCode()
	p, err := lan.Pair(ctx, web.URL, code, name)
	if err != nil {
		t.Fatal(err)
	}
	return p.Credential
}

// A PC stolen or retired is revoked at the node's console: listed first,
// then refused by the node, and it can come back only by pairing again.
func TestARevokedPCIsRefusedByTheNode(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hall.db")
	kiosk := pairedPC(t, path, "取号机")
	pairedPC(t, path, "3号窗口")

	var out bytes.Buffer
	if err := lanCmd(ctx, []string{"list", "--db", path}, &out, &out); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^(\S+)\s+取号机\s+.*有效$`).FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "3号窗口") {
		t.Fatalf("list:\n%s", out.String())
	}
	id := m[1]

	// Refused while the node holds the database.
	l, db, err := OpenHallWith(ctx, path, "test", false)
	if err != nil {
		t.Fatal(err)
	}
	var le *sqlite.LockedError
	if err := lanCmd(ctx, []string{"revoke", "--db", path, id}, &out, &out); !errors.As(err, &le) {
		t.Fatalf("revoke beside a running node: %v, want *sqlite.LockedError", err)
	}
	db.Close()

	out.Reset()
	if err := lanCmd(ctx, []string{"revoke", "--db", path, id}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "已停用：取号机") {
		t.Errorf("revoke said:\n%s", out.String())
	}
	out.Reset()
	if err := lanCmd(ctx, []string{"list", "--db", path}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(id)+`\s+取号机\s+.*已停用`).MatchString(out.String()) ||
		!regexp.MustCompile(`(?m)3号窗口\s+.*有效$`).MatchString(out.String()) {
		t.Errorf("list after revoking:\n%s", out.String())
	}

	// The node refuses the revoked PC, and only it.
	l, db, err = OpenHallWith(ctx, path, "test", false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	web := httptest.NewServer(lan.NewServer(l, lansqlite.Clients(db), lan.ServerOptions{}))
	defer web.Close()
	if _, err := lan.NewClient(web.URL, kiosk, lan.ClientOptions{}).Issue(ctx, demo.TypeFee, hall.Normal); !errors.Is(err, lan.ErrUnpaired) {
		t.Fatalf("the revoked kiosk issuing: %v, want unpaired", err)
	}
	if o, _ := l.Overview(ctx); o.Waiting != 0 {
		t.Errorf("%d waiting: the revoked PC's call ran", o.Waiting)
	}
}

func TestLANCommandRefusals(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hall.db")
	pairedPC(t, path, "取号机")
	var out bytes.Buffer
	var le *sqlite.LANClientError
	if err := lanCmd(ctx, []string{"revoke", "--db", path, "no-such-pc"}, &out, &out); !errors.As(err, &le) ||
		hall.Message(err) != "没有编号为 no-such-pc 的已配对电脑（servicehall lan list 列出全部）" {
		t.Errorf("an unknown PC: %v (%q)", err, hall.Message(err))
	}
	var ue *UsageError
	for _, args := range [][]string{{}, {"drop"}, {"revoke", "--db", path}, {"list", "--db", path, "extra"},
		{"list", "--db", filepath.Join(t.TempDir(), "missing.db")}} {
		if err := lanCmd(ctx, args, &out, &out); !errors.As(err, &ue) || hall.Message(err) == "" {
			t.Errorf("lan %q: %v, want a usage error", args, err)
		}
	}
}

// The list lines up on a console, where a Chinese character is two columns wide.
func TestColumnsLineUpWithChineseText(t *testing.T) {
	var out bytes.Buffer
	printColumns(&out, [][]string{{"编号", "名称", "状态"}, {"abc", "3号窗口评价器", "有效"}, {"abcdefgh", "TV", "已停用"}})
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("lines %q", lines)
	}
	for _, l := range lines {
		col := strings.LastIndex(l, "  ")
		if w := displayWidth(l[:col]); w != displayWidth(lines[0][:strings.LastIndex(lines[0], "  ")]) {
			t.Errorf("the last column of %q starts at %d", l, w)
		}
	}
	if displayWidth("3号窗口") != 7 || displayWidth("TV") != 2 {
		t.Errorf("widths %d %d", displayWidth("3号窗口"), displayWidth("TV"))
	}
}
