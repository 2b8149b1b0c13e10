package ui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/demo"
	"servicehall/internal/halltest"
)

func TestSyncText(t *testing.T) {
	now := time.Date(2026, 11, 27, 11, 56, 0, 0, time.FixedZone("CST", 8*3600))
	tests := []struct {
		name       string
		st         SyncState
		alertAfter time.Duration
		want       string
		alert      bool
		quarantine string
	}{
		{"normal", SyncState{LastSuccess: now.Add(-2 * time.Hour).Add(-15 * time.Minute)}, 0,
			"总部同步：正常 · 上次 09:41", false, ""},
		{"normal, nothing sent yet", SyncState{}, 0, "总部同步：正常", false, ""},
		{"normal, yesterday", SyncState{LastSuccess: now.Add(-24 * time.Hour)}, 0,
			"总部同步：正常 · 上次 11月26日 11:56", false, ""},
		{"backlog", SyncState{Backlog: 123, LastSuccess: now.Add(-time.Minute)}, 0,
			"总部同步：待送 123 条", false, ""},
		{"backlog with error", SyncState{Backlog: 5, LastSuccess: now.Add(-10 * time.Minute), LastError: "无法连接总部"}, 0,
			"总部同步：待送 5 条（无法连接总部）", false, ""},
		{"backlog, first push under way", SyncState{Backlog: 7}, 0, "总部同步：待送 7 条", false, ""},
		{"offline long", SyncState{Backlog: 3, LastSuccess: now.Add(-2*time.Hour - 15*time.Minute), LastError: "无法连接总部"}, 0,
			"总部同步中断 2小时15分，记录已安全保存在本厅", true, ""},
		{"offline past a custom limit", SyncState{Backlog: 3, LastSuccess: now.Add(-6 * time.Minute)}, 5 * time.Minute,
			"总部同步中断 6分，记录已安全保存在本厅", true, ""},
		{"offline days", SyncState{Backlog: 3, LastSuccess: now.Add(-27 * time.Hour)}, 0,
			"总部同步中断 1天3小时，记录已安全保存在本厅", true, ""},
		{"just under the limit", SyncState{Backlog: 3, LastSuccess: now.Add(-30 * time.Minute)}, 0,
			"总部同步：待送 3 条", false, ""},
		{"never synced", SyncState{Backlog: 40, LastError: "总部拒绝了本厅的凭据"}, 0,
			"总部同步未曾成功，待送 40 条，记录已安全保存在本厅", true, ""},
		{"quarantined", SyncState{LastSuccess: now.Add(-time.Minute), Quarantined: 2}, 0,
			"总部同步：正常 · 上次 11:55", false, "2 条记录被总部拒收，已隔离"},
		{"long error clipped", SyncState{Backlog: 1, LastSuccess: now, LastError: strings.Repeat("错", 30)}, 0,
			"总部同步：待送 1 条（" + strings.Repeat("错", 23) + "…）", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, alert := syncText(tt.st, now, tt.alertAfter)
			if text != tt.want || alert != tt.alert {
				t.Errorf("syncText = %q, %v; want %q, %v", text, alert, tt.want, tt.alert)
			}
			if q := quarantineText(tt.st.Quarantined); q != tt.quarantine {
				t.Errorf("quarantineText = %q, want %q", q, tt.quarantine)
			}
		})
	}
}

// fakeSync is a SyncStatus provider returning whatever the test set.
type fakeSync struct {
	mu  sync.Mutex
	st  SyncState
	err error
}

func (f *fakeSync) set(st SyncState, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.st, f.err = st, err
}

func (f *fakeSync) status(context.Context) (SyncState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st, f.err
}

// visibleLabels lists the text of the labels under o that show.
func visibleLabels(o fyne.CanvasObject) []*widget.Label {
	var out []*widget.Label
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *widget.Label:
			out = append(out, v)
		}
	}
	walk(o)
	return out
}

// syncLabel is the visible label under o whose text starts 「总部同步」.
func syncLabel(o fyne.CanvasObject) *widget.Label {
	for _, l := range visibleLabels(o) {
		if strings.HasPrefix(l.Text, "总部同步") {
			return l
		}
	}
	return nil
}

func TestCounterShowsSyncState(t *testing.T) {
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	fake := &fakeSync{}
	fake.set(SyncState{Backlog: 123, LastSuccess: h.Clock.Now().Add(-time.Minute)}, nil)
	s.opt.SyncStatus = fake.status

	cs := newCounterScreen(s, 1)
	cs.spawn = func(f func()) { f() }
	cs.follow = false
	ticks := make(chan time.Time)
	shown := make(chan struct{}, 1)
	cs.syncLine.ticks = ticks
	cs.syncLine.onShown = func() { shown <- struct{}{} }
	w := cs.window()
	t.Cleanup(func() { closeIfOpen(s.app, w) })
	cs.start()
	waitShown := func() {
		t.Helper()
		select {
		case <-shown:
		case <-time.After(5 * time.Second):
			t.Fatal("the sync line was not refreshed")
		}
	}
	waitShown()

	signIn(t, cs, "1001", demo.PIN)
	if cs.view != viewMain {
		t.Fatalf("not signed in: %q", cs.signInMsg.Text)
	}
	l := syncLabel(w.Canvas().Content())
	if l == nil {
		t.Fatalf("no sync line in the counter window; labels: %v", visibleLabels(w.Canvas().Content()))
	}
	if l.Text != "总部同步：待送 123 条" || l.Importance == widget.DangerImportance {
		t.Errorf("sync line = %q (importance %v), want 总部同步：待送 123 条, not red", l.Text, l.Importance)
	}

	// The next tick shows HQ unreachable for long, in red.
	fake.set(SyncState{Backlog: 200, LastSuccess: h.Clock.Now().Add(-2*time.Hour - 15*time.Minute), LastError: "无法连接总部"}, nil)
	ticks <- h.Clock.Now()
	waitShown()
	if want := "总部同步中断 2小时15分，记录已安全保存在本厅"; l.Text != want || l.Importance != widget.DangerImportance {
		t.Errorf("sync line = %q (importance %v), want %q in red", l.Text, l.Importance, want)
	}

	// A refresh on demand shows it back to normal.
	fake.set(SyncState{LastSuccess: h.Clock.Now()}, nil)
	cs.syncLine.refresh()
	waitShown()
	if want := "总部同步：正常 · 上次 " + h.Clock.Now().Format("15:04"); l.Text != want || l.Importance == widget.DangerImportance {
		t.Errorf("sync line = %q (importance %v), want %q, not red", l.Text, l.Importance, want)
	}

	// A failed read says so instead of showing stale news.
	fake.set(SyncState{}, errors.New("database is locked"))
	cs.syncLine.refresh()
	waitShown()
	if want := "总部同步：状态暂时无法读取"; l.Text != want {
		t.Errorf("sync line = %q, want %q", l.Text, want)
	}
}

func TestCounterWithoutSyncShowsNoSyncLine(t *testing.T) {
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	if cs.syncLine != nil {
		t.Fatal("a sync indicator without Options.SyncStatus")
	}
	if l := syncLabel(w.Canvas().Content()); l != nil {
		t.Errorf("sync line %q shown without HQ", l.Text)
	}
}

func TestDirectorSyncShowsQuarantine(t *testing.T) {
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	fake := &fakeSync{}
	fake.set(SyncState{LastSuccess: h.Clock.Now(), Quarantined: 2}, nil)
	s.opt.SyncStatus = fake.status

	d := newDirector(s)
	shown := make(chan struct{}, 1)
	d.syncLine.ticks = make(chan time.Time)
	d.syncLine.onShown = func() { shown <- struct{}{} }
	d.syncLine.start()
	t.Cleanup(d.syncLine.close)
	select {
	case <-shown:
	case <-time.After(5 * time.Second):
		t.Fatal("the sync line was not refreshed")
	}
	var texts []string
	for _, l := range visibleLabels(d.syncLine.object()) {
		texts = append(texts, l.Text)
	}
	want := "总部同步：正常 · 上次 " + h.Clock.Now().Format("15:04") + "|2 条记录被总部拒收，已隔离"
	if got := strings.Join(texts, "|"); got != want {
		t.Errorf("director's sync lines = %q, want %q", got, want)
	}
}
