package ui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// newTestSession is a session on h whose hop to the UI thread runs inline,
// one call at a time. Its background work ends with the test.
func newTestSession(t *testing.T, h *halltest.Hall) *session {
	t.Helper()
	a := test.NewTempApp(t)
	// The embedded font measures every Chinese character, so markup does not
	// depend on the fonts the machine has.
	a.Settings().SetTheme(newHallTheme())
	ctx, cancel := context.WithCancel(context.Background())
	var (
		wg sync.WaitGroup
		mu sync.Mutex
	)
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	return &session{
		ctx: ctx,
		app: a,
		svc: h.Local,
		runOnMain: func(f func()) {
			mu.Lock()
			defer mu.Unlock()
			f()
		},
		now: h.Clock.Now,
		wg:  &wg,
	}
}

func TestRunRefusesRoleWithoutWindow(t *testing.T) {
	h := halltest.New(t, nil)
	type roleCase struct {
		role    string
		counter int
		want    error
		wantMsg string
	}
	tests := []roleCase{{"nosuchrole", 0, ErrUnknownRole, "未知的角色：nosuchrole"}}
	// Every role still without a window; a role that gets one drops out.
	for _, d := range roleTable() {
		if !d.available() {
			tests = append(tests, roleCase{d.id, 1, ErrRoleNotBuilt, "该角色的窗口尚未提供：" + d.title + "（" + d.id + "）"})
		}
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			a := test.NewTempApp(t)
			before := len(a.Driver().AllWindows()) // the test driver's own
			err := Run(context.Background(), a, h.Local, Options{Role: tt.role, Counter: tt.counter})
			var re *RoleError
			if !errors.As(err, &re) {
				t.Fatalf("Run(%q) = %v, want a *RoleError", tt.role, err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Run(%q) = %v, want %v", tt.role, err, tt.want)
			}
			if got := hall.Message(err); got != tt.wantMsg {
				t.Errorf("hall.Message = %q, want %q", got, tt.wantMsg)
			}
			if got := re.UserMessage(); got != tt.wantMsg {
				t.Errorf("UserMessage = %q, want %q", got, tt.wantMsg)
			}
			if n := len(a.Driver().AllWindows()) - before; n != 0 {
				t.Errorf("%d windows opened, want none", n)
			}
		})
	}
}

func TestCheckRole(t *testing.T) {
	open := func(s *session, counter int) (fyne.Window, error) { return nil, nil }
	defs := []roleDef{
		{id: "kiosk", title: "取号机", open: open},
		{id: "counter", title: "柜台呼叫器", needsCounter: true, open: open},
		{id: "display", title: "综合屏"},
	}
	tests := []struct {
		opt  Options
		want error
	}{
		{Options{Role: "kiosk"}, nil},
		{Options{Role: "counter", Counter: 2}, nil},
		{Options{Role: "counter"}, ErrCounterNeeded},
		{Options{Role: "display"}, ErrRoleNotBuilt},
		{Options{Role: "lobby"}, ErrUnknownRole},
	}
	for _, tt := range tests {
		d, err := checkRole(defs, tt.opt)
		if !errors.Is(err, tt.want) {
			t.Errorf("checkRole(%+v) = %v, want %v", tt.opt, err, tt.want)
		}
		if err == nil && d.id != tt.opt.Role {
			t.Errorf("checkRole(%+v) found %q", tt.opt, d.id)
		}
	}
}

func TestRoleTable(t *testing.T) {
	want := map[string]string{"kiosk": "取号机", "counter": "柜台呼叫器", "evaluator": "评价器", "display": "综合屏", "director": "值班主任", "admin": "系统设置"}
	defs := roleTable()
	if len(defs) != len(want) {
		t.Fatalf("%d roles, want %d", len(defs), len(want))
	}
	for _, d := range defs {
		if got := want[d.id]; got != d.title {
			t.Errorf("role %q titled %q, want %q", d.id, d.title, got)
		}
		if got, wantCounter := d.needsCounter, d.id == "counter" || d.id == "evaluator"; got != wantCounter {
			t.Errorf("role %q needsCounter = %v, want %v", d.id, got, wantCounter)
		}
	}
}

func TestRunOverview(t *testing.T) {
	h := halltest.New(t, nil)
	a := test.NewTempApp(t)
	// The test app's Run returns at once, so Run opens the overview, stops
	// its background work and returns.
	if err := Run(context.Background(), a, h.Local, Options{Version: "test"}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	var titles []string
	for _, w := range a.Driver().AllWindows() {
		if w.Title() != "" { // not the test driver's own
			titles = append(titles, w.Title())
		}
	}
	if want := "城关供电营业厅 · 营业厅服务台"; len(titles) != 1 || titles[0] != want {
		t.Errorf("windows %q, want one titled %q", titles, want)
	}
	if _, ok := a.Settings().Theme().(*hallTheme); !ok {
		t.Errorf("theme is %T, want *hallTheme", a.Settings().Theme())
	}
}

func TestHousekeepReportsErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reported := make(chan error)
	fail := errors.New("disk full")
	done := make(chan struct{})
	go func() {
		defer close(done)
		housekeep(ctx, time.Millisecond, func(context.Context) error { return fail }, func(err error) {
			select {
			case reported <- err:
			case <-ctx.Done():
			}
		})
	}()
	select {
	case err := <-reported:
		if !errors.Is(err, fail) {
			t.Errorf("reported %v, want %v", err, fail)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("housekeeping never ran")
	}
	cancel()
	<-done
}

func TestRoleErrorText(t *testing.T) {
	err := &RoleError{Role: "kiosk", Err: ErrRoleNotBuilt}
	if got := err.Error(); strings.ContainsFunc(got, func(r rune) bool { return r > 0x7f }) {
		t.Errorf("Error() = %q, want English for logs", got)
	}
}
