package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// openCounter opens the counter window of h in a test window. Service calls
// run inline and the event stream and idle timer are off, so a test drives
// the window step by step.
func openCounter(t *testing.T, h *halltest.Hall, counter int) (*counterScreen, fyne.Window) {
	t.Helper()
	s := newTestSession(t, h)
	cs := newCounterScreen(s, counter)
	cs.spawn = func(f func()) { f() }
	cs.follow = false
	w := cs.window()
	t.Cleanup(func() { closeIfOpen(s.app, w) })
	cs.start()
	return cs, w
}

// closeWindow closes w unless the test closed it already (the test driver
// panics on a second close).
func closeIfOpen(a fyne.App, w fyne.Window) {
	for _, x := range a.Driver().AllWindows() {
		if x == w {
			w.Close()
			return
		}
	}
}

// signIn signs in through the sign-in view, pressing Enter in the PIN field.
func signIn(t *testing.T, cs *counterScreen, no, pin string) {
	t.Helper()
	cs.staffNo.SetText("")
	cs.pin.SetText("")
	test.Type(cs.staffNo, no)
	test.Type(cs.pin, pin)
	cs.pin.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// signedInCounter is counter 1 with clerk 1001 signed in through the UI.
func signedInCounter(t *testing.T, h *halltest.Hall) (*counterScreen, fyne.Window) {
	t.Helper()
	cs, w := openCounter(t, h, 1)
	signIn(t, cs, "1001", demo.PIN)
	if cs.view != viewMain {
		t.Fatalf("not signed in: %q", cs.signInMsg.Text)
	}
	return cs, w
}

// press presses a function key on the window's canvas.
func pressKey(w fyne.Window, k fyne.KeyName) {
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k})
}

func issueTicket(t *testing.T, h *halltest.Hall, typ string, p hall.Priority) hall.Ticket {
	t.Helper()
	tk, err := h.Issue(context.Background(), typ, p)
	if err != nil {
		t.Fatalf("issue %s: %v", typ, err)
	}
	return tk
}

func ticketOf(t *testing.T, h *halltest.Hall, id string) hall.Ticket {
	t.Helper()
	tk, err := h.Ticket(context.Background(), id)
	if err != nil {
		t.Fatalf("ticket %s: %v", id, err)
	}
	return tk
}

// events returns the hall's stored events of a kind.
func eventsOf(t *testing.T, h *halltest.Hall, kind hall.Kind) []hall.Event {
	t.Helper()
	all, err := h.DB.Events(context.Background(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var out []hall.Event
	for _, e := range all {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// enabled lists the caller's buttons that are enabled, by function key.
func enabledKeys(cs *counterScreen) string {
	var on []string
	for _, b := range []struct {
		key string
		btn *widget.Button
	}{
		{"F1", cs.callBtn}, {"F2", cs.recallBtn}, {"F3", cs.noShowBtn}, {"F4", cs.transferBtn},
		{"F5", cs.pauseBtn}, {"F6", cs.startBtn}, {"F8", cs.finishBtn},
	} {
		if !b.btn.Disabled() {
			on = append(on, b.key)
		}
	}
	return strings.Join(on, " ")
}

func TestCounterIsARole(t *testing.T) {
	d, ok := findRole(roleTable(), "counter")
	if !ok || !d.available() || !d.needsCounter || d.title != "柜台呼叫器" {
		t.Fatalf("counter role = %+v, want an available 柜台呼叫器 that needs a counter", d)
	}
}

func TestRunCounter(t *testing.T) {
	h := halltest.New(t, nil)
	a := test.NewTempApp(t)
	if err := Run(context.Background(), a, h.Local, Options{Role: "counter", Counter: 2}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	var titles []string
	for _, w := range a.Driver().AllWindows() {
		if w.Title() != "" {
			titles = append(titles, w.Title())
		}
	}
	if len(titles) != 1 || !strings.HasPrefix(titles[0], "柜台呼叫器") {
		t.Errorf("windows %q, want one counter window", titles)
	}
}

func TestCounterSignInAndOut(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, w := openCounter(t, h, 1)
	if got, want := cs.signInTitle.Text, "城关供电营业厅 · 1号窗口"; got != want {
		t.Errorf("sign-in subtitle %q, want %q", got, want)
	}
	if got, want := w.Title(), "柜台呼叫器 · 1号窗口"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}

	signIn(t, cs, "1001", "000000")
	if cs.view != viewSignIn {
		t.Fatal("signed in with a wrong PIN")
	}
	if got := cs.signInMsg.Text; !strings.Contains(got, "还可以再试4次") {
		t.Errorf("wrong PIN shows %q, want 还可以再试4次", got)
	}
	if cs.pin.Text != "" {
		t.Error("PIN field not cleared after a failed sign-in")
	}
	if n := len(eventsOf(t, h, hall.KindPINWrong)); n != 1 {
		t.Errorf("%d wrong-PIN events, want 1", n)
	}

	signIn(t, cs, "1001", demo.PIN)
	if cs.view != viewMain {
		t.Fatalf("not signed in: %q", cs.signInMsg.Text)
	}
	if w.Content() != cs.mainView {
		t.Error("main view not showing after sign-in")
	}
	st, err := h.CounterStatus(ctx, cs.tok)
	if err != nil {
		t.Fatalf("the window's token: %v", err)
	}
	if st.Session.Staff.No != "1001" || st.Counter.No != 1 {
		t.Errorf("session of %s at %d, want 1001 at 1", st.Session.Staff.No, st.Counter.No)
	}
	for _, c := range []struct{ name, got, want string }{
		{"clerk", cs.clerkLabel.Text, "李娜（工号1001）"},
		{"counter", cs.counterLabel.Text, "1号窗口 · 开放"},
		{"number", cs.number.Text, "—"},
		{"state", cs.ticketState.Text, "空闲"},
		{"buttons", enabledKeys(cs), "F1 F5"},
		{"call label", cs.callBtn.Text, "呼叫下一位 (F1)"},
		{"finish label", cs.finishBtn.Text, "结束服务 (F8)"},
		{"greeting", cs.greeting.Text, "您好！请坐。"},
	} {
		if c.got != c.want {
			t.Errorf("%s shows %q, want %q", c.name, c.got, c.want)
		}
	}

	tok := cs.tok
	test.Tap(cs.signOutBtn)
	if cs.view != viewSignIn || w.Content() != cs.signInView {
		t.Fatal("sign-in view not showing after sign-out")
	}
	if got := cs.signInMsg.Text; got != "已退出登录" {
		t.Errorf("sign-in message %q, want 已退出登录", got)
	}
	if _, err := h.CounterStatus(ctx, tok); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Errorf("token after sign-out: %v, want ErrNotSignedIn", err)
	}
	pressKey(w, keyCall) // the caller is gone with the session
	if n := len(eventsOf(t, h, hall.KindTicketCalled)); n != 0 {
		t.Errorf("%d calls after sign-out", n)
	}
}

func TestCounterSignInNeedsBoth(t *testing.T) {
	h := halltest.New(t, nil)
	cs, _ := openCounter(t, h, 1)
	test.Tap(cs.signInBtn)
	if got := cs.signInMsg.Text; got != "请输入工号" {
		t.Errorf("empty form shows %q", got)
	}
	test.Type(cs.staffNo, "1001")
	cs.staffNo.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := cs.signInMsg.Text; got != "请输入密码" {
		t.Errorf("no PIN shows %q", got)
	}
}

func TestCounterUnknownCounter(t *testing.T) {
	h := halltest.New(t, nil)
	cs, _ := openCounter(t, h, 9)
	if got := cs.signInMsg.Text; got != "没有这个窗口" {
		t.Errorf("counter 9 shows %q, want 没有这个窗口", got)
	}
	if !cs.signInBtn.Disabled() {
		t.Error("sign-in enabled for a counter that does not exist")
	}
}

func TestCounterLockedStaff(t *testing.T) {
	h := halltest.New(t, nil)
	cs, _ := openCounter(t, h, 1)
	for range hall.MaxPINFailures {
		signIn(t, cs, "1001", "999999")
	}
	if got, want := cs.signInMsg.Text, hall.Message(hall.ErrStaffLocked); got != want {
		t.Errorf("after %d wrong PINs: %q, want %q", hall.MaxPINFailures, got, want)
	}
}

func TestCounterCallRecallStartFinish(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	tk := issueTicket(t, h, demo.TypeFee, hall.Normal)
	issueTicket(t, h, demo.TypeConsult, hall.Elderly)
	test.Tap(cs.recallBtn) // disabled: nothing happens
	cs.applyStatus(h.CounterStatus(ctx, cs.tok))
	if got := cs.waitingBox.Objects[0].(*fyne.Container).Objects[1].(*widget.Label).Text; got != "1 人" {
		t.Errorf("fee waiting shows %q, want 1 人", got)
	}

	// The elderly customer goes first.
	h.Clock.Advance(3 * time.Minute)
	pressKey(w, keyCall)
	first := cs.status.Ticket
	if first == nil || first.Number != "D001" {
		t.Fatalf("called %+v, want D001", first)
	}
	if got := cs.priority.Text; got != "★ 敬老优先" || cs.priority.Importance != widget.WarningImportance {
		t.Errorf("priority shows %q (importance %v), want ★ 敬老优先 highlighted", got, cs.priority.Importance)
	}
	if got := cs.waited.Text; got != "已等候 3 分钟" {
		t.Errorf("waited %q", got)
	}
	pressKey(w, keyStart)
	pressKey(w, keyFinish)
	h.Clock.Advance(time.Minute)

	// Then the fee customer.
	pressKey(w, keyCall)
	if got := ticketOf(t, h, tk.ID); got.State != hall.Called || got.Counter != 1 {
		t.Fatalf("A001 is %s at %d, want called at 1", got.State, got.Counter)
	}
	for _, c := range []struct{ name, got, want string }{
		{"number", cs.number.Text, "A001"},
		{"type", cs.typeName.Text, "交纳电费"},
		{"priority", cs.priority.Text, "普通"},
		{"state", cs.ticketState.Text, "呼叫中"},
		{"recalls", cs.recalls.Text, "重呼 0 次"},
		{"buttons", enabledKeys(cs), "F2 F3 F4 F5 F6"},
		{"greet ticket", cs.greetTicket.Text, "A001 号 · 交纳电费"},
		{"greeting", cs.greeting.Text, "您好！请坐。"},
		{"reminder", cs.greetReminder.Text, "请起立，面带微笑，示意客户就座。"},
		{"status", cs.statusLine.Text, "已呼叫 A001 号"},
		{"refusal", cs.refusal.Text, hall.DefaultScripts().RefusalFor(demo.TypeFee)},
	} {
		if c.got != c.want {
			t.Errorf("%s shows %q, want %q", c.name, c.got, c.want)
		}
	}
	if cs.apology.Visible() {
		t.Error("apology shown after a short wait")
	}
	if cs.tabs.Selected() != cs.tabGreet {
		t.Error("greeting tab not selected on call")
	}
	if cs.lastCall == nil || cs.lastCall.Ticket.ID != tk.ID {
		t.Error("the window did not keep the call")
	}

	pressKey(w, keyRecall)
	if got := ticketOf(t, h, tk.ID).Recalls; got != 1 {
		t.Errorf("stored recalls %d, want 1", got)
	}
	if got := cs.recalls.Text; got != "重呼 1 次" {
		t.Errorf("recalls shows %q", got)
	}

	h.Clock.Advance(time.Minute)
	pressKey(w, keyStart)
	if got := ticketOf(t, h, tk.ID).State; got != hall.Serving {
		t.Errorf("stored state %s, want serving", got)
	}
	if got, want := enabledKeys(cs), "F4 F5 F8"; got != want {
		t.Errorf("buttons while serving %q, want %q", got, want)
	}
	if cs.ticketState.Text != "办理中" {
		t.Errorf("state shows %q", cs.ticketState.Text)
	}
	if cs.tabs.Selected() != cs.tabMaterials {
		t.Error("materials tab not selected on start of a fee service")
	}

	h.Clock.Advance(7*time.Minute + 30*time.Second)
	pressKey(w, keyFinish)
	got := ticketOf(t, h, tk.ID)
	if got.State != hall.Done || got.Owner != "1001" {
		t.Errorf("stored ticket %s owner %q, want done by 1001", got.State, got.Owner)
	}
	if cs.farewell.Text != "请慢走！" || cs.tabs.Selected() != cs.tabBye {
		t.Errorf("farewell %q (tab %v), want 请慢走！ on its tab", cs.farewell.Text, cs.tabs.Selected().Text)
	}
	if want := "A001 号已办结，用时 7分30秒。"; cs.farewellNote.Text != want {
		t.Errorf("farewell note %q, want %q", cs.farewellNote.Text, want)
	}
	if cs.number.Text != "—" || enabledKeys(cs) != "F1 F5" {
		t.Errorf("after finish: number %q buttons %q", cs.number.Text, enabledKeys(cs))
	}
	if want := "今日已办结 2 笔 · 平均用时 3分45秒"; cs.stats.Text != want {
		t.Errorf("stats %q, want %q", cs.stats.Text, want)
	}
	if n := len(eventsOf(t, h, hall.KindTicketFinished)); n != 2 {
		t.Errorf("%d finished events, want 2", n)
	}

	pressKey(w, keyCall) // nobody waits
	if got, want := cs.statusLine.Text, hall.Message(hall.ErrNothingWaiting); got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	if cs.statusLine.Importance != widget.DangerImportance {
		t.Error("error not highlighted")
	}
}

func TestCounterNoShowNeedsRecalls(t *testing.T) {
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	tk := issueTicket(t, h, demo.TypeFee, hall.Normal)
	pressKey(w, keyCall)
	pressKey(w, keyNoShow)
	if got := cs.statusLine.Text; !strings.Contains(got, "请先重呼") {
		t.Errorf("no-show before recalls shows %q", got)
	}
	pressKey(w, keyRecall)
	pressKey(w, keyRecall)
	pressKey(w, keyNoShow)
	if got := ticketOf(t, h, tk.ID).State; got != hall.NoShow {
		t.Errorf("stored state %s, want no_show", got)
	}
	if cs.statusLine.Text != "A001 号已过号" {
		t.Errorf("status %q", cs.statusLine.Text)
	}
}

func TestCounterTransferToType(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	tk := issueTicket(t, h, demo.TypeFee, hall.Normal)
	pressKey(w, keyCall)
	pressKey(w, keyTransfer)
	if cs.transferDlg == nil {
		t.Fatal("no transfer dialog")
	}
	if !cs.transferOK.Disabled() {
		t.Error("transfer enabled before a target is chosen")
	}
	for _, o := range cs.transferType.Options {
		if o == "交纳电费" {
			t.Error("the ticket's own type offered as a transfer target")
		}
	}
	for _, o := range cs.transferCounter.Options {
		if o == "1号窗口" {
			t.Error("the counter itself offered as a transfer target")
		}
	}
	cs.transferType.SetSelected("新装/增容")
	test.Tap(cs.transferOK)
	if cs.transferDlg != nil {
		t.Error("transfer dialog still showing")
	}
	got := ticketOf(t, h, tk.ID)
	if got.Type != demo.TypeConnect || got.State != hall.Waiting || got.Owner != "1001" || got.Transfers != 1 {
		t.Errorf("stored ticket type %s state %s owner %q transfers %d, want connect waiting 1001 1",
			got.Type, got.State, got.Owner, got.Transfers)
	}
	if cs.number.Text != "—" || cs.statusLine.Text != "A001 号已转移到 新装/增容" {
		t.Errorf("after transfer: number %q status %q", cs.number.Text, cs.statusLine.Text)
	}
	// Counter 3 serves connect and gets the ticket next.
	c, err := h.CallNext(ctx, h.At(3))
	if err != nil || c.Ticket.ID != tk.ID {
		t.Errorf("counter 3 called %v (%v), want the transferred A001", c.Ticket.Number, err)
	}
}

func TestCounterTransferToCounter(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	tk := issueTicket(t, h, demo.TypeConsult, hall.Normal)
	pressKey(w, keyCall)
	pressKey(w, keyStart)
	pressKey(w, keyTransfer)
	cs.transferCounter.SetSelected("4号窗口")
	test.Tap(cs.transferOK)
	if got := ticketOf(t, h, tk.ID); got.TargetCounter != 4 || got.Type != demo.TypeConsult {
		t.Errorf("stored target counter %d type %s, want 4 consult", got.TargetCounter, got.Type)
	}
	st, err := h.CounterStatus(ctx, h.At(4))
	if err != nil || st.Transfers != 1 {
		t.Errorf("counter 4 transfers %d (%v), want 1", st.Transfers, err)
	}
}

func TestCounterPause(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	if cs.pauseBtn.Text != "暂停服务 (F5)" {
		t.Errorf("pause label %q", cs.pauseBtn.Text)
	}
	pressKey(w, keyPause)
	st, err := h.CounterStatus(ctx, cs.tok)
	if err != nil || st.Counter.State != hall.CounterPaused {
		t.Fatalf("stored state %s (%v), want paused", st.Counter.State, err)
	}
	if cs.pauseBtn.Text != "恢复服务 (F5)" || cs.counterLabel.Text != "1号窗口 · 暂停" || enabledKeys(cs) != "F5" {
		t.Errorf("paused: button %q label %q enabled %q", cs.pauseBtn.Text, cs.counterLabel.Text, enabledKeys(cs))
	}
	if cs.ticketState.Text != "窗口暂停" {
		t.Errorf("state %q", cs.ticketState.Text)
	}
	pressKey(w, keyPause)
	if st, _ := h.CounterStatus(ctx, cs.tok); st.Counter.State != hall.CounterOpen {
		t.Errorf("stored state %s, want open", st.Counter.State)
	}
}

func TestCounterApologyGolden(t *testing.T) {
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	issueTicket(t, h, demo.TypeFee, hall.Disabled)
	h.Clock.Advance(25 * time.Minute)
	pressKey(w, keyCall)
	if !cs.lastCall.Apologise {
		t.Fatal("the call after a 25-minute wait carries no apology")
	}
	if !cs.apology.Visible() || cs.apology.Text != "让您久等了，非常抱歉！" {
		t.Errorf("apology visible %v text %q", cs.apology.Visible(), cs.apology.Text)
	}
	if cs.priority.Text != "★ 助残优先" {
		t.Errorf("priority %q", cs.priority.Text)
	}
	// The apology stays for a recall of the same customer.
	pressKey(w, keyRecall)
	if !cs.apology.Visible() || !cs.lastCall.Apologise {
		t.Error("apology lost on recall")
	}
	relayout(w)
	test.AssertRendersToMarkup(t, "counter/called_apology.xml", w.Canvas())
}

func TestCounterSignedOutGolden(t *testing.T) {
	h := halltest.New(t, nil)
	_, w := openCounter(t, h, 1)
	relayout(w)
	test.AssertRendersToMarkup(t, "counter/signed_out.xml", w.Canvas())
}

func TestCounterIdleLock(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	issueTicket(t, h, demo.TypeFee, hall.Normal)

	h.Clock.Advance(4 * time.Minute)
	cs.checkIdle()
	if cs.view != viewMain {
		t.Fatal("locked before the idle time")
	}
	pressKey(w, keyCall) // input restarts the idle time
	h.Clock.Advance(4 * time.Minute)
	cs.checkIdle()
	if cs.view != viewMain {
		t.Fatal("locked although the clerk pressed F1 4 minutes ago")
	}
	h.Clock.Advance(time.Minute)
	cs.checkIdle()
	if cs.view != viewLocked || w.Content() != cs.lockView {
		t.Fatal("not locked after 5 minutes without input")
	}
	if got := cs.lockWho.Text; got != "李娜（工号1001） · 1号窗口" {
		t.Errorf("lock view names %q", got)
	}
	pressKey(w, keyRecall) // no caller while locked
	if n := len(eventsOf(t, h, hall.KindTicketRecalled)); n != 0 {
		t.Errorf("%d recalls while locked", n)
	}

	test.Type(cs.lockPIN, "111111")
	test.Tap(cs.unlockBtn)
	if cs.view != viewLocked || !strings.Contains(cs.lockMsg.Text, "还可以再试4次") {
		t.Errorf("wrong PIN: view %v message %q", cs.view, cs.lockMsg.Text)
	}
	test.Type(cs.lockPIN, demo.PIN)
	cs.lockPIN.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if cs.view != viewMain || w.Content() != cs.mainView {
		t.Fatalf("not unlocked: %q", cs.lockMsg.Text)
	}
	if _, err := h.CounterStatus(ctx, cs.tok); err != nil {
		t.Errorf("session after unlock: %v", err)
	}
	cs.checkIdle()
	if cs.view != viewMain {
		t.Error("locked again right after unlock")
	}
}

func TestCounterLockNowAndSignOut(t *testing.T) {
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	cs.lockNow()
	test.Tap(cs.lockSignOut)
	if cs.view != viewSignIn || w.Content() != cs.signInView {
		t.Error("sign-out from the lock view did not return to sign-in")
	}
}

func TestCounterSessionReplaced(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	if _, err := h.SignIn(ctx, 1, "1001", demo.PIN); err != nil {
		t.Fatal(err)
	}
	issueTicket(t, h, demo.TypeFee, hall.Normal)
	pressKey(w, keyCall)
	if cs.view != viewSignIn {
		t.Fatal("window still signed in after its session ended")
	}
	if got, want := cs.signInMsg.Text, hall.Message(hall.ErrNotSignedIn); got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestCounterCloseSignsOut(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	tok := cs.tok
	w.Close()
	if _, err := h.CounterStatus(ctx, tok); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Errorf("token after closing the window: %v, want ErrNotSignedIn", err)
	}
	if n := len(eventsOf(t, h, hall.KindSignedOut)); n != 1 {
		t.Errorf("%d sign-outs, want 1", n)
	}
}

func TestCounterQuitSignsOut(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	appCtx, quit := context.WithCancel(s.ctx)
	s.ctx = appCtx
	cs := newCounterScreen(s, 1)
	cs.spawn = func(f func()) { f() }
	cs.follow = false
	w := cs.window()
	t.Cleanup(func() { closeIfOpen(s.app, w) })
	cs.start()
	signIn(t, cs, "1001", demo.PIN)
	tok := cs.tok
	quit()
	s.wg.Wait()
	if _, err := h.CounterStatus(ctx, tok); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Errorf("token after quit: %v, want ErrNotSignedIn", err)
	}
}

// The live window follows the hall's events: a ticket issued at the kiosk
// shows as waiting, and scripts saved by the director replace the lines.
func TestCounterFollowsEvents(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	cs := newCounterScreen(s, 1)
	cs.spawn = func(f func()) { f() }
	w := cs.window()
	// The live goroutines may be showing a status: close on the UI thread.
	t.Cleanup(func() { s.runOnMain(func() { closeIfOpen(s.app, w) }) })
	statuses := make(chan hall.CounterStatus, 16)
	cs.onStatus = func(st hall.CounterStatus) {
		select {
		case statuses <- st:
		default:
		}
	}
	cs.follow = false
	signIn(t, cs, "1001", demo.PIN)
	// From here on the window's state belongs to the UI thread: read runs
	// f there.
	read := func(f func()) { s.runOnMain(f) }
	read(cs.startLive)
	waitFor := func(what string, ok func(hall.CounterStatus) bool) {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case st := <-statuses:
				if ok(st) {
					return
				}
			case <-timeout:
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}

	issueTicket(t, h, demo.TypeConsult, hall.Elderly)
	waitFor("the issued ticket", func(st hall.CounterStatus) bool {
		return len(st.Waiting) > 1 && st.Waiting[1].Waiting == 1
	})
	read(func() {
		if got := cs.waitingBox.Objects[1].(*fyne.Container).Objects[2].(*widget.Label).Text; got != "其中敬老/助残 1 人" {
			t.Errorf("consult priority shows %q", got)
		}
	})

	sc, err := h.Scripts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sc.Greeting = "您好！欢迎光临。"
	if err := h.SaveScripts(ctx, h.At(0), sc); err != nil {
		t.Fatal(err)
	}
	// Issue once more so that a status follows the reload for sure.
	issueTicket(t, h, demo.TypeFee, hall.Normal)
	waitFor("the second ticket", func(st hall.CounterStatus) bool { return st.Waiting[0].Waiting == 1 })
	deadline := time.After(10 * time.Second)
	for {
		var greeting string
		read(func() { greeting = cs.greeting.Text })
		if greeting == "您好！欢迎光临。" {
			break
		}
		select {
		case <-statuses:
		case <-deadline:
			t.Fatalf("greeting %q after scripts were saved", greeting)
		}
	}
}
