// Package halltest opens real halls on real SQLite files for tests, with a
// clock the test moves by hand.
package halltest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/sqlite"
)

// Clock is a clock that moves only when told. Safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Shanghai is the hall's default time zone.
func Shanghai(tb testing.TB) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// Morning is 09:00 on a weekday in Shanghai, a usual opening time.
func Morning(tb testing.TB) time.Time {
	return time.Date(2026, 11, 27, 9, 0, 0, 0, Shanghai(tb))
}

// Hall is a hall on a real database file.
type Hall struct {
	*hall.Local
	DB    *sqlite.DB
	Path  string
	Clock *Clock
	// Tokens of the demo clerks signed in at their counters (1001 at 1 …
	// 1005 at 5), and of the director 2001 at a desk (key 0).
	Tokens map[int]hall.Token
}

// At returns the token of the clerk signed in at counter n (0: the director).
func (h *Hall) At(n int) hall.Token { return h.Tokens[n] }

// OpenDB opens (creating) the database file at path, closed at test end.
func OpenDB(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{Program: "test"})
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// OneDirector is the demo hall with only its first duty director, 2001
// 赵敏: a hall where nobody can take over the desk.
func OneDirector() *hall.Config {
	c := demo.Config()
	c.Staff = slices.DeleteFunc(c.Staff, func(m hall.Staff) bool { return m.No == "2002" })
	return &c
}

// New opens an empty hall in a temp directory; cfg == nil sets up the demo
// hall.
func New(tb testing.TB, cfg *hall.Config) *Hall {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "hall.db")
	h := Reopen(tb, path, NewClock(Morning(tb)))
	c := demo.Config()
	if cfg != nil {
		c = *cfg
	}
	if err := h.Setup(context.Background(), c); err != nil {
		tb.Fatalf("setup: %v", err)
	}
	h.SignInDemo(tb)
	return h
}

// SignInDemoDirector signs the demo director 2001 in at a desk again (after
// midnight ended the session) and returns the new token.
func (h *Hall) SignInDemoDirector(tb testing.TB) hall.Token {
	tb.Helper()
	s, err := h.SignIn(context.Background(), 0, "2001", demo.PIN)
	if err != nil {
		tb.Fatalf("sign in 2001: %v", err)
	}
	h.Tokens[0] = s.Token
	return s.Token
}

// SignInDemo signs in the demo staff that the hall's configuration has:
// clerk 100N at counter N and the director 2001 at a desk.
func (h *Hall) SignInDemo(tb testing.TB) {
	tb.Helper()
	cfg, err := h.Config(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	staff := map[string]bool{}
	for _, s := range cfg.Staff {
		staff[s.No] = true
	}
	counters := map[int]bool{}
	for _, c := range cfg.Counters {
		counters[c.No] = true
	}
	for n := 0; n <= 9; n++ {
		no := fmt.Sprintf("100%d", n)
		if n == 0 {
			no = "2001"
		}
		if !staff[no] || (n != 0 && !counters[n]) {
			continue
		}
		s, err := h.SignIn(context.Background(), n, no, demo.PIN)
		if err != nil {
			tb.Fatalf("sign in %s at %d: %v", no, n, err)
		}
		h.Tokens[n] = s.Token
	}
}

// Reopen opens the hall at path as a restarted program would.
func Reopen(tb testing.TB, path string, clock *Clock) *Hall {
	tb.Helper()
	db := OpenDB(tb, path)
	l, err := hall.Open(context.Background(), db, clock, hall.WithPINCost(bcrypt.MinCost))
	if err != nil {
		tb.Fatalf("open hall: %v", err)
	}
	return &Hall{Local: l, DB: db, Path: path, Clock: clock, Tokens: map[int]hall.Token{}}
}

// Restart closes the database and opens the hall again from the file.
func (h *Hall) Restart(tb testing.TB) *Hall {
	tb.Helper()
	if err := h.DB.Close(); err != nil {
		tb.Fatalf("close: %v", err)
	}
	h2 := Reopen(tb, h.Path, h.Clock)
	h2.Tokens = h.Tokens // sessions outlive a restart
	return h2
}
