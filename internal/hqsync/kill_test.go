package hqsync_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"servicehall/internal/halltest"
	"servicehall/internal/hq/wire"
	"servicehall/internal/hqsync"
	"servicehall/internal/sqlite"
)

const killChildEnv = "SERVICEHALL_SYNC_CHILD"

// TestCrashSyncChild is the child of TestCrashSyncKilledMidBatch: the
// hall's sync as its own process, draining a hall file to HQ in batches of
// 50 until its parent kills it.
func TestCrashSyncChild(t *testing.T) {
	spec := os.Getenv(killChildEnv)
	if spec == "" {
		t.Skip("runs only as the child of TestCrashSyncKilledMidBatch")
	}
	path, rest, _ := strings.Cut(spec, "|")
	url, token, _ := strings.Cut(rest, "|")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path, sqlite.Options{Program: "sync child"})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	c, err := hqsync.New(db, hqsync.Options{URL: url, Token: token, BatchRecords: 50, Retries: -1, AttemptTimeout: time.Minute})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	fmt.Println("READY")
	if err := c.DrainOnce(ctx); err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	fmt.Println("DONE")
	os.Exit(0)
}

// holdBatch holds HQ's handling of the n-th batch request until told to
// go on, as a slow HQ would, so that the hall can be killed meanwhile.
type holdBatch struct {
	mu      sync.Mutex
	n       int
	at      int
	commit  bool          // handle the held request after the kill (HQ commits what the dead hall sent)
	held    chan struct{} // closed when the request is held
	release chan struct{} // closed to let it go on
	done    chan struct{} // closed when HQ is done with it
}

func (h *holdBatch) arm(at int, commit bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n, h.at, h.commit = 0, at, commit
	h.held, h.release, h.done = make(chan struct{}), make(chan struct{}), make(chan struct{})
}

func (h *holdBatch) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		if r.URL.Path == wire.PathBatches {
			h.n++
		}
		hold := r.URL.Path == wire.PathBatches && h.n == h.at
		held, release, done, commit := h.held, h.release, h.done, h.commit
		h.mu.Unlock()
		if !hold {
			next.ServeHTTP(w, r)
			return
		}
		defer close(done)
		// Read the whole body first: HQ holds a complete request.
		body := make([]byte, 0, r.ContentLength)
		buf := make([]byte, 32<<10)
		for {
			n, err := r.Body.Read(buf)
			body = append(body, buf[:n]...)
			if err != nil {
				break
			}
		}
		close(held)
		<-release
		r.Body = readCloser{strings.NewReader(string(body))}
		if commit {
			// HQ goes on with what it received though the hall is gone.
			r = r.WithContext(context.WithoutCancel(r.Context()))
		}
		next.ServeHTTP(w, r)
	})
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

// TestCrashSyncKilledMidBatch SIGKILLs the hall's sync process while HQ
// holds one of its batches, several times at different batches, HQ
// committing the held batch after the kill or not; after each kill the
// hall's cursor is never ahead of HQ's, and a resumed sync leaves HQ with
// exactly the hall's events, no duplicates, no gaps.
func TestCrashSyncKilledMidBatch(t *testing.T) {
	t.Parallel()
	hb := &holdBatch{}
	p := startHQ(t, hb.wrap)
	h := halltest.New(t, nil)
	issue(t, h, 600)
	complain(t, h, 4)
	if err := h.DB.Close(); err != nil {
		t.Fatal(err)
	}
	rounds := []struct {
		at     int
		commit bool
	}{{2, true}, {1, false}, {3, true}, {2, false}}
	for i, rd := range rounds {
		hb.arm(rd.at, rd.commit)
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashSyncChild$", "-test.v")
		cmd.Env = append(os.Environ(), killChildEnv+"="+h.Path+"|"+p.url()+"|"+p.token)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = cmd.Stdout
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 100)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		exited := make(chan struct{})
		var childOut []string
		go func() {
			for l := range lines {
				childOut = append(childOut, l)
			}
			close(exited)
		}()
		select {
		case <-hb.held:
		case <-exited:
			cmd.Wait()
			t.Fatalf("round %d: the child ended before HQ held batch %d: %s", i, rd.at, strings.Join(childOut, "\n"))
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
			t.Fatalf("round %d: HQ never held batch %d", i, rd.at)
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err = cmd.Wait()
		<-exited
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended with %v, not by SIGKILL: %s", i, err, strings.Join(childOut, "\n"))
		}
		close(hb.release)
		<-hb.done
		// The hall's cursor is never ahead of what HQ holds.
		var cur int64
		if err := openRaw(t, h.Path).QueryRow(`SELECT acked_through_seq FROM sync_state`).Scan(&cur); err != nil {
			t.Fatal(err)
		}
		hqc, err := p.store.Cursor(ctx, p.hallID)
		if err != nil {
			t.Fatal(err)
		}
		if cur > hqc.AckedThrough {
			t.Fatalf("round %d: hall's cursor %d is ahead of HQ's %d", i, cur, hqc.AckedThrough)
		}
		t.Logf("round %d: killed while HQ held batch %d (commit after: %v); hall at %d, HQ at %d", i, rd.at, rd.commit, cur, hqc.AckedThrough)
	}
	hb.arm(-1, false)
	h = halltest.Reopen(t, h.Path, h.Clock)
	c := newClient(t, h, fast(p))
	if err := c.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	assertHQHasExactly(t, h, p)
	if q, _ := h.DB.QuarantinedEvents(ctx); len(q) != 0 {
		t.Fatalf("quarantine after kills = %+v, want none", q)
	}
	if as, _ := p.store.Alerts(ctx, p.hallID); len(as) != 0 {
		t.Fatalf("HQ's alerts after kills = %+v, want none", as)
	}
}
