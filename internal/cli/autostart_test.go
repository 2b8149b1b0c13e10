//go:build !windows

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAutostartOnStatusOff(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "autostart")
	as := newAutostarter(dir)
	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := autostart(args, &out, &errOut, as)
		return out.String(), err
	}
	if out, err := run("status"); err != nil || !strings.Contains(out, "未设置") {
		t.Fatalf("status before: %v %q", err, out)
	}
	if _, err := run("on", "--role", "cashier"); err == nil {
		t.Fatal("autostart on accepted an unknown role")
	}
	if _, err := os.Stat(filepath.Join(dir, "servicehall.desktop")); !os.IsNotExist(err) {
		t.Fatal("a refused autostart on wrote the entry")
	}
	if out, err := run("on", "--role", "kiosk", "--db", "/srv/hall data/hall.db"); err != nil || !strings.Contains(out, "已设置") {
		t.Fatalf("on: %v %q", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "servicehall.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	want := "Exec=" + exe + ` --role kiosk --db "/srv/hall data/hall.db"`
	if !strings.Contains(string(b), want+"\n") || !strings.HasPrefix(string(b), "[Desktop Entry]\nType=Application\n") {
		t.Errorf("entry:\n%s\nwant a desktop entry with %s", b, want)
	}
	if out, _ := run("status"); !strings.Contains(out, "--role kiosk") {
		t.Errorf("status = %q", out)
	}
	if out, err := run("off"); err != nil || !strings.Contains(out, "已取消") {
		t.Fatalf("off: %v %q", err, out)
	}
	if out, _ := run("off"); !strings.Contains(out, "本来就没有") {
		t.Errorf("second off = %q", out)
	}
}
