package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"servicehall/internal/hall"
)

// writeSetup writes f as a setup file in dir.
func writeSetup(t *testing.T, dir string, f any) string {
	t.Helper()
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "hall.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A headless node is set up from a file: the example file, edited, sets up
// a hall that signs its staff in with the printed PINs, keeps its HQ
// settings, passes verify, and cannot be set up twice.
func TestSetupFromFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "hall.db")
	var ex bytes.Buffer
	if err := setupCmd(ctx, []string{"--example"}, &ex, &ex); err != nil {
		t.Fatal(err)
	}
	var f SetupFile
	if err := json.Unmarshal(ex.Bytes(), &f); err != nil {
		t.Fatalf("the example is not a setup file: %v\n%s", err, ex.String())
	}
	f.Hall.Name, f.Hall.Code = "测试供电营业厅", "T0001"
	f.Staff = f.Staff[:3] // director, admin, one clerk: fewer bcrypt hashes
	f.Staff[2].PIN = "246810"
	f.HQ = HQConfig{URL: "https://hq.example:8480", Token: "tok-1"}
	file := writeSetup(t, dir, f)

	var out, errOut bytes.Buffer
	if err := setupCmd(ctx, []string{"--db", db, "--file", file}, &out, &errOut); err != nil {
		t.Fatalf("setup: %v\n%s", err, errOut.String())
	}
	// The director's and admin's PINs were generated and printed once.
	pins := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^  (\d+)  \S+  (\d{6})$`).FindAllStringSubmatch(out.String(), -1) {
		pins[m[1]] = m[2]
	}
	if len(pins) != 2 || pins["2001"] == "" || pins["9001"] == "" {
		t.Fatalf("generated PINs %v in:\n%s", pins, out.String())
	}
	if !strings.Contains(out.String(), "请在确认后删除该文件") {
		t.Errorf("no advice to delete a file holding a PIN:\n%s", out.String())
	}
	if u, tok := LoadHQ(db); u != "https://hq.example:8480" || tok != "tok-1" {
		t.Errorf("HQ settings kept: %q %q", u, tok)
	}

	l, sdb, err := OpenHallWith(ctx, db, "test", false)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := l.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Hall.Name != "测试供电营业厅" || len(cfg.Counters) != 3 || len(cfg.Types) != 6 || len(cfg.Policy.OpenHours) != 7 || cfg.Policy.OpenHours[0] != "08:30-17:30" {
		t.Errorf("configured hall: %+v hours %v", cfg.Hall, cfg.Policy.OpenHours)
	}
	if _, err := l.SignIn(ctx, 0, "2001", pins["2001"]); err != nil {
		t.Errorf("the director signs in with the printed PIN: %v", err)
	}
	if _, err := l.SignIn(ctx, 1, "1001", "246810"); err != nil {
		t.Errorf("the clerk signs in with the file's PIN: %v", err)
	}
	sdb.Close()
	var vout bytes.Buffer
	if err := verify(ctx, []string{"--db", db}, &vout, &vout); err != nil {
		t.Errorf("verify after setup: %v\n%s", err, vout.String())
	}
	if err := setupCmd(ctx, []string{"--db", db, "--file", file}, &out, &errOut); !errors.Is(err, hall.ErrAlreadyConfigured) {
		t.Errorf("a second setup: %v, want ErrAlreadyConfigured", err)
	}
}

// A bad setup file is refused with a Chinese message, and the database is
// left unconfigured, so the corrected file can be used.
func TestSetupFileRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "hall.db")
	good := ExampleSetup()
	good.Staff = good.Staff[:2]
	for name, c := range map[string]struct {
		edit func(f *SetupFile)
		raw  string
		want string
	}{
		"no code":      {edit: func(f *SetupFile) { f.Hall.Code = "" }, want: "编码"},
		"two hours":    {edit: func(f *SetupFile) { f.Hours = []string{"08:30-17:30", "09:00-12:00"} }, want: "七项"},
		"bad hours":    {edit: func(f *SetupFile) { f.Hours = []string{"8点到5点"} }, want: "星期日的营业时间"},
		"no director":  {edit: func(f *SetupFile) { f.Staff = f.Staff[1:] }, want: "值班主任"},
		"no counters":  {edit: func(f *SetupFile) { f.Counters = nil }, want: "窗口"},
		"unknown type": {edit: func(f *SetupFile) { f.Counters[0].Types = []string{"nope"} }, want: ""},
		"bad HQ":       {edit: func(f *SetupFile) { f.HQ = HQConfig{URL: "ftp://hq", Token: "x"} }, want: "http"},
		"not JSON":     {raw: "{hall:", want: "JSON"},
		"unknown key":  {raw: `{"hall":{"name":"a","code":"b"},"colour":"red"}`, want: "设置文件有误"},
	} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(dir, "hall.json")
			if c.raw != "" {
				if err := os.WriteFile(file, []byte(c.raw), 0o600); err != nil {
					t.Fatal(err)
				}
			} else {
				f := good
				f.Counters = append([]SetupCounter(nil), good.Counters...)
				f.Staff = append([]SetupStaff(nil), good.Staff...)
				c.edit(&f)
				file = writeSetup(t, dir, f)
			}
			var out bytes.Buffer
			err := setupCmd(ctx, []string{"--db", db, "--file", file}, &out, &out)
			if err == nil {
				t.Fatal("a bad setup file was accepted")
			}
			if msg := hall.Message(err); !strings.Contains(msg, c.want) || !hasHan(msg) {
				t.Errorf("message %q, want Chinese naming %q", msg, c.want)
			}
			if _, statErr := os.Stat(db); statErr == nil {
				l, sdb, err := OpenHallWith(ctx, db, "test", false)
				if err != nil {
					t.Fatal(err)
				}
				configured := l.Configured()
				sdb.Close()
				if configured {
					t.Fatal("a refused setup left the hall configured")
				}
			}
		})
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
