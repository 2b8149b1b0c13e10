package sqlite_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/sqlite"
)

const crashEnv = "SERVICEHALL_CRASH_CHILD_DB"

// TestCrashChild is the child of TestCrashKill9: it works the hall as fast as
// it can and prints each operation only after it was acknowledged (the
// commit returned), until its parent kills it.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("runs only as the child of TestCrashKill9")
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{Program: "crash child"})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	l, err := hall.Open(ctx, db, hall.SystemClock{}, hall.WithPINCost(bcrypt.MinCost))
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	if !l.Configured() {
		if err := l.Setup(ctx, demo.Config()); err != nil {
			fmt.Println("ERR", err)
			os.Exit(2)
		}
	}
	toks := map[int]hall.Token{}
	for n := 1; n <= 5; n++ {
		s, err := l.SignIn(ctx, n, fmt.Sprintf("100%d", n), demo.PIN)
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(2)
		}
		toks[n] = s.Token
	}
	fmt.Println("READY")
	r := rand.New(rand.NewPCG(uint64(os.Getpid()), 7))
	types := []string{demo.TypeFee, demo.TypeConnect, demo.TypeConsult, demo.TypeRepair}
	for {
		counter := 1 + r.IntN(5)
		switch op := r.IntN(10); {
		case op < 5:
			tk, err := l.Issue(ctx, types[r.IntN(len(types))], hall.Priority(r.IntN(3)))
			if err != nil {
				fmt.Println("ERR", err)
				os.Exit(2)
			}
			// os.Stdout is unbuffered: the line is out before the next operation.
			fmt.Printf("ACK issued %s %s %s\n", tk.ID, tk.Day, tk.Number)
		case op < 7:
			c, err := l.CallNext(ctx, toks[counter])
			if err == nil {
				fmt.Printf("ACK called %s\n", c.Ticket.ID)
			}
		case op < 8:
			if t, err := l.Start(ctx, toks[counter]); err == nil {
				fmt.Printf("ACK started %s\n", t.ID)
			}
		default:
			if s, err := l.Finish(ctx, toks[counter]); err == nil {
				fmt.Printf("ACK finished %s\n", s.TicketID)
			}
		}
	}
}

// TestCrashKill9 kills a working hall with SIGKILL at random points, again
// and again, and checks after each kill that every acknowledged operation is
// in the database, that no number was handed out twice in a day, and that
// the database still verifies.
func TestCrashKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("volume test: runs in the pass without -race")
	}
	path := filepath.Join(t.TempDir(), "hall.db")
	r := rand.New(rand.NewPCG(uint64(os.Getpid()), 99))
	acked := map[string]string{} // ticket id -> furthest acknowledged state
	numbers := map[string]string{}
	rank := map[string]int{"waiting": 0, "called": 1, "serving": 2, "done": 3}
	const kills = 24
	for round := 0; round < kills; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		killAfter := 1 + r.IntN(120) // acknowledged lines before the kill
		seen := 0
		for sc.Scan() {
			line := sc.Text()
			f := strings.Fields(line)
			if f[0] == "ERR" {
				cmd.Process.Kill()
				t.Fatalf("round %d: child failed: %s", round, line)
			}
			if f[0] != "ACK" {
				continue
			}
			switch f[1] {
			case "issued":
				if prev, dup := numbers[f[3]+" "+f[4]]; dup {
					t.Fatalf("round %d: number %s on %s issued twice (%s and %s)", round, f[4], f[3], prev, f[2])
				}
				numbers[f[3]+" "+f[4]] = f[2]
				acked[f[2]] = "waiting"
			case "called", "started", "finished":
				st := map[string]string{"called": "called", "started": "serving", "finished": "done"}[f[1]]
				if rank[st] > rank[acked[f[2]]] {
					acked[f[2]] = st
				}
			}
			seen++
			if seen == killAfter {
				// SIGKILL: no deferred function, no flush, no goodbye.
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		err = cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended with %v, want killed by SIGKILL", round, err)
		}
		checkAfterCrash(t, round, path, acked)
	}
	if len(acked) < kills {
		t.Fatalf("only %d tickets acknowledged over %d rounds: the child did little work", len(acked), kills)
	}
}

func checkAfterCrash(t *testing.T, round int, path string, acked map[string]string) {
	t.Helper()
	report, err := sqlite.Verify(context.Background(), path)
	if err != nil {
		t.Fatalf("round %d: verify: %v", round, err)
	}
	if !report.OK() {
		t.Fatalf("round %d: database does not verify after kill -9: %v", round, report.Problems)
	}
	raw := rawDB(t, path)
	defer raw.Close()
	rows, err := raw.Query(`SELECT id, state FROM tickets`)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]string{}
	for rows.Next() {
		var id, state string
		if err := rows.Scan(&id, &state); err != nil {
			t.Fatal(err)
		}
		have[id] = state
	}
	rows.Close()
	rank := map[string]int{"waiting": 0, "called": 1, "serving": 2, "done": 3, "no_show": 3, "cancelled": 3, "unfinished": 3}
	for id, st := range acked {
		got, ok := have[id]
		if !ok {
			t.Fatalf("round %d: acknowledged ticket %s is gone after kill -9", round, id)
		}
		// A ticket may have moved on after its last acknowledged line, or
		// closed with the day; it may never be behind what was acknowledged.
		if rank[got] < rank[st] {
			t.Fatalf("round %d: ticket %s is %s, but %s was acknowledged", round, id, got, st)
		}
	}
	var dups int
	if err := raw.QueryRow(`SELECT count(*) FROM (SELECT day, number FROM tickets GROUP BY day, number HAVING count(*) > 1)`).Scan(&dups); err != nil {
		t.Fatal(err)
	}
	if dups != 0 {
		t.Fatalf("round %d: %d numbers repeated within a day", round, dups)
	}
}
