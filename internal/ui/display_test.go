package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// openDisplay opens the display of h in a test window with its pacing
// timer fired by hand, and loads the hall as its feed would on start.
func openDisplay(t *testing.T, h *halltest.Hall) (*display, fyne.Window, *custTimers) {
	t.Helper()
	s := newTestSession(t, h)
	d := newDisplay(s)
	timers := &custTimers{}
	d.after = timers.after
	w := d.window()
	t.Cleanup(w.Close)
	displayCatchUp(t, d, true)
	return d, w, timers
}

// displayCatchUp does what the display's feed does, on the test's
// goroutine: (re)load when asked, then hand it every event up to the
// hall's last and read the hall again.
func displayCatchUp(t *testing.T, d *display, load bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(d.s.ctx)
	defer cancel()
	after := d.lastSeen
	if load {
		var err error
		if after, err = d.load(ctx); err != nil {
			t.Fatalf("load: %v", err)
		}
	}
	last := d.s.svc.(interface{ LastSeq() int64 }).LastSeq()
	if last > after {
		events, err := d.s.svc.Subscribe(ctx, after)
		if err != nil {
			t.Fatal(err)
		}
		for e := range events {
			d.event(e)
			if e.Seq >= last {
				break
			}
		}
	}
	if _, err := d.refresh(ctx); err != nil {
		t.Fatalf("refresh: %v", err)
	}
}

func displayHistoryText(d *display) []string {
	var out []string
	for _, r := range d.historyRows {
		if r.Text() != "" {
			out = append(out, r.Text())
		}
	}
	return out
}

func displayCalls(t *testing.T, h *halltest.Hall, counters ...int) {
	t.Helper()
	for _, n := range counters {
		if _, err := h.CallNext(context.Background(), h.At(n)); err != nil {
			t.Fatalf("call at %d: %v", n, err)
		}
	}
}

func custIssue(t *testing.T, h *halltest.Hall, p hall.Priority, codes ...string) {
	t.Helper()
	for _, c := range codes {
		if _, err := h.Issue(context.Background(), c, p); err != nil {
			t.Fatalf("issue %s: %v", c, err)
		}
	}
}

func TestDisplayShowsSimultaneousCallsInTurn(t *testing.T) {
	h := halltest.New(t, nil)
	d, w, timers := openDisplay(t, h)
	if got := d.banner.Text(); got != displayIdle {
		t.Errorf("banner %q before any call, want %q", got, displayIdle)
	}
	if got := displayHistoryText(d); len(got) != 1 || got[0] != displayNoCalls {
		t.Errorf("recent calls %q before any, want %q", got, displayNoCalls)
	}

	// Three counters call at once.
	custIssue(t, h, hall.Normal, demo.TypeFee, demo.TypeConnect, demo.TypeComplaint)
	displayCalls(t, h, 1, 3, 5)
	displayCatchUp(t, d, false)

	want := []string{"请 A001 号 到 1号窗口 办理", "请 B001 号 到 3号窗口 办理", "请 F001 号 到 5号窗口 办理"}
	for i, banner := range want {
		if got := d.banner.Text(); got != banner {
			t.Fatalf("call %d: banner %q, want %q", i+1, got, banner)
		}
		if !custSameColor(d.bannerRect.FillColor, displayBannerOn) {
			t.Errorf("call %d: banner not highlighted", i+1)
		}
		if got := len(d.queue); got != len(want)-1-i {
			t.Errorf("call %d: %d calls waiting for the banner, want %d", i+1, got, len(want)-1-i)
		}
		if i == 0 {
			relayout(w)
			test.AssertRendersToMarkup(t, "display/calls.xml", w.Canvas())
		}
		if !timers.fire(displayEach) {
			t.Fatalf("call %d: no pacing timer", i+1)
		}
	}
	if got := d.banner.Text(); got != displayIdle || !custSameColor(d.bannerRect.FillColor, displayBannerOff) {
		t.Errorf("banner %q after every call had its turn, want it at rest", got)
	}
	if got, want := displayHistoryText(d), []string{"F001 → 5号窗口", "B001 → 3号窗口", "A001 → 1号窗口"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("recent calls %q, want %q (newest first)", got, want)
	}
	rows := map[int][2]string{}
	for _, r := range d.counterRows {
		rows[r.no] = [2]string{r.number.Text(), r.state.Text()}
	}
	wantRows := map[int][2]string{1: {"A001", "呼叫中"}, 2: {"—", "空闲"}, 3: {"B001", "呼叫中"}, 4: {"—", "空闲"}, 5: {"F001", "呼叫中"}}
	if fmt.Sprint(rows) != fmt.Sprint(wantRows) {
		t.Errorf("counters show %v, want %v", rows, wantRows)
	}
}

func TestDisplayRecall(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	custIssue(t, h, hall.Normal, demo.TypeFee, demo.TypeConnect)
	displayCalls(t, h, 1, 3)
	d, _, timers := openDisplay(t, h)
	// Calls made before the display started are listed, not announced.
	if d.current != nil || d.banner.Text() != displayIdle {
		t.Errorf("banner %q at start, want old calls left out of it", d.banner.Text())
	}
	if got, want := displayHistoryText(d), []string{"B001 → 3号窗口", "A001 → 1号窗口"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("recent calls at start %q, want %q", got, want)
	}

	if _, err := h.Recall(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Start(ctx, h.At(3)); err != nil {
		t.Fatal(err)
	}
	displayCatchUp(t, d, false)
	if got, want := d.banner.Text(), "请 A001 号 到 1号窗口 办理（重呼）"; got != want {
		t.Errorf("banner %q, want %q", got, want)
	}
	// A ticket called again moves up the list instead of showing twice.
	if got, want := displayHistoryText(d), []string{"A001 → 1号窗口（重呼）", "B001 → 3号窗口"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("recent calls %q, want %q", got, want)
	}
	if r := d.counterRows[2]; r.number.Text() != "B001" || r.state.Text() != "办理中" {
		t.Errorf("counter 3 shows %q %q, want B001 办理中", r.number.Text(), r.state.Text())
	}
	timers.fire(displayEach)
	if d.current != nil {
		t.Error("banner still busy after the recall's turn")
	}
}

func TestDisplayCapsItsLists(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _, timers := openDisplay(t, h)
	const calls = 12
	for i := range calls {
		custIssue(t, h, hall.Normal, demo.TypeFee)
		n := 1 + i%2 // counters 1 and 2 take fees
		if i >= 2 {
			if _, err := h.Start(ctx, h.At(n)); err != nil {
				t.Fatal(err)
			}
			if _, err := h.Finish(ctx, h.At(n)); err != nil {
				t.Fatal(err)
			}
		}
		displayCalls(t, h, n)
	}
	displayCatchUp(t, d, false)
	if len(d.history) != displayHistory || len(displayHistoryText(d)) != displayHistory {
		t.Errorf("%d calls kept, %d listed; want %d", len(d.history), len(displayHistoryText(d)), displayHistory)
	}
	if got := displayHistoryText(d)[0]; !strings.HasPrefix(got, "A012 ") {
		t.Errorf("newest listed call %q, want A012", got)
	}
	// Every call still gets its turn, in order, however many came at once.
	var banners []string
	for d.current != nil {
		banners = append(banners, d.banner.Text())
		timers.fire(displayEach)
	}
	if len(banners) != calls || !strings.Contains(banners[0], "A001") || !strings.Contains(banners[calls-1], "A012") {
		t.Errorf("banners %q, want the %d calls in order", banners, calls)
	}
	for range displayQueueCap + 5 {
		d.announce(displayCall{number: "X", counter: 1})
		d.announce(displayCall{number: fmt.Sprint(len(d.queue)), counter: 2})
	}
	if len(d.queue) > displayQueueCap {
		t.Errorf("%d calls wait for the banner, want at most %d", len(d.queue), displayQueueCap)
	}
}

func TestDisplayWaitingAndPriorityNotice(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	custIssue(t, h, hall.Normal, demo.TypeFee, demo.TypeFee, demo.TypeRepair)
	custIssue(t, h, hall.Elderly, demo.TypeConsult)
	if _, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeOutage, Text: "东街片区今日计划停电", Until: h.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	d, _, _ := openDisplay(t, h)
	got := map[string]string{}
	for _, c := range d.waitCells {
		got[c.name.Text()] = c.count.Text()
	}
	want := map[string]string{"交纳电费": "2人", "新装/增容": "0人", "变更用电": "0人", "业务咨询与查询": "1人", "报修": "1人", "投诉": "0人"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("waiting %v, want %v", got, want)
	}
	if got, want := d.notices.text(), "【停电公告】东街片区今日计划停电\n"+displayPriorityLine; got != want {
		t.Errorf("notice %q, want %q", got, want)
	}
	// The elderly customer is called: no priority ticket waits any more.
	displayCalls(t, h, 4)
	displayCatchUp(t, d, false)
	if got := d.notices.text(); strings.Contains(got, displayPriorityLine) {
		t.Errorf("notice %q still announces priority service", got)
	}
	if _, err := h.SetCounterState(ctx, h.At(0), 2, hall.CounterPaused); err != nil {
		t.Fatal(err)
	}
	displayCatchUp(t, d, false)
	if r := d.counterRows[1]; r.state.Text() != "暂停" {
		t.Errorf("paused counter shows %q", r.state.Text())
	}
}

func TestDisplayTurnsTheDay(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	custIssue(t, h, hall.Normal, demo.TypeFee)
	displayCalls(t, h, 1)
	d, _, _ := openDisplay(t, h)
	if len(d.history) != 1 {
		t.Fatalf("%d recent calls, want 1", len(d.history))
	}
	h.Clock.Set(time.Date(2026, 11, 28, 0, 0, 1, 0, halltest.Shanghai(t)))
	d.onTick()
	if got := d.date.Text(); got != "2026年11月28日 星期六" {
		t.Errorf("date %q after midnight", got)
	}
	if got := displayHistoryText(d); len(got) != 1 || got[0] != displayNoCalls {
		t.Errorf("recent calls %q after midnight, want none", got)
	}
	// Restarted the next morning, it lists none of yesterday's calls.
	if err := h.Housekeep(ctx); err != nil {
		t.Fatal(err)
	}
	d2, _, _ := openDisplay(t, h)
	if got := displayHistoryText(d2); len(got) != 1 || got[0] != displayNoCalls {
		t.Errorf("recent calls %q on a new day, want none", got)
	}
}

func TestDisplayResumesAfterABreak(t *testing.T) {
	h := halltest.New(t, nil)
	d, _, timers := openDisplay(t, h)
	custIssue(t, h, hall.Normal, demo.TypeFee, demo.TypeConnect)
	displayCalls(t, h, 1)
	displayCatchUp(t, d, false)
	timers.fire(displayEach)

	// The stream breaks; a call is made meanwhile; the feed loads again.
	displayCalls(t, h, 3)
	displayCatchUp(t, d, true)
	if d.current != nil {
		t.Errorf("banner announces %q, made during the break, as new", d.banner.Text())
	}
	if got, want := displayHistoryText(d), []string{"B001 → 3号窗口", "A001 → 1号窗口"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("recent calls %q, want %q: none missed, none twice", got, want)
	}
}

func TestDisplayFitsTheScreen(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	if _, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeEmergency,
		Text:  "因10千伏城东线路故障，城关镇东街、南街片区停电，抢修人员已到达现场，预计18:00前恢复供电，给您带来不便敬请谅解。",
		Until: h.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	custIssue(t, h, hall.Disabled, demo.TypeFee)
	d, _, _ := openDisplay(t, h)
	custFits(t, "display", d.root)
}
