package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"servicehall/internal/cli"
	"servicehall/internal/hall"
	"servicehall/internal/sim"
	"servicehall/internal/sqlite"
)

var ctx = context.Background()

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	done, err := cli.Subcommand(ctx, args, &out, &errOut)
	if !done {
		t.Fatalf("%v was not taken as a subcommand", args)
	}
	return out.String() + errOut.String(), err
}

func TestSeedThenVerifyThenRefuseToSeedAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	out, err := runCmd(t, "seed", "--db", path, "--days", "2", "--rand-seed", "7")
	if err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	if !strings.Contains(out, "过去 2 天和今天") {
		t.Fatalf("seed output = %q", out)
	}
	out, err = runCmd(t, "verify", "--db", path)
	if err != nil || !strings.Contains(out, "数据库完好") {
		t.Fatalf("verify a seeded database: %v\n%s", err, out)
	}
	_, err = runCmd(t, "seed", "--db", path, "--days", "1")
	if !errors.Is(err, sim.ErrHasData) {
		t.Fatalf("second seed: err = %v, want sim.ErrHasData", err)
	}
}

func TestVerifyFailsOnATamperedDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	if _, err := runCmd(t, "seed", "--db", path, "--days", "1"); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DROP TRIGGER events_immutable_delete; DELETE FROM events WHERE seq = 5`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, err := runCmd(t, "verify", "--db", path)
	var de *sqlite.DamagedError
	if !errors.As(err, &de) {
		t.Fatalf("verify: err = %v, want *sqlite.DamagedError", err)
	}
	if !strings.Contains(out, "数据库已损坏") || !strings.Contains(out, "缺号") {
		t.Fatalf("verify output does not say what is wrong: %q", out)
	}
}

func TestCommandLineMistakesAreExplainedInChinese(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--role", "cashier"}, "未知的角色"},
		{[]string{"--role", "counter"}, "--counter"},
		{[]string{"launch"}, "未知的子命令"},
	}
	for _, tt := range tests {
		_, err := cli.ParseWindow(tt.args, &bytes.Buffer{})
		var ue *cli.UsageError
		if !errors.As(err, &ue) || !strings.Contains(hall.Message(err), tt.want) {
			t.Errorf("%v: err = %v, want a UsageError mentioning %q", tt.args, err, tt.want)
		}
	}
	if _, err := runCmd(t, "verify"); err == nil || !strings.Contains(hall.Message(err), "--db") {
		t.Errorf("verify without --db: %v", err)
	}
	if _, err := runCmd(t, "verify", "--db", filepath.Join(t.TempDir(), "none.db")); err == nil {
		t.Error("verify of a missing file succeeded")
	}
}

func TestOpenHallCreatesTheDemoHallOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "hall.db")
	l, db, err := cli.OpenHall(ctx, path, "test")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := l.Config(ctx)
	if err != nil || len(cfg.Types) != 6 || len(cfg.Counters) != 5 {
		t.Fatalf("demo hall: %+v, %v", cfg, err)
	}
	seq := l.LastSeq()
	db.Close()
	l2, db2, err := cli.OpenHall(ctx, path, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if l2.LastSeq() < seq {
		t.Fatalf("second open lost events: %d < %d", l2.LastSeq(), seq)
	}
	if _, err := l2.Issue(ctx, "fee", hall.Normal); err != nil {
		t.Fatalf("demo hall does not take tickets: %v", err)
	}
}
