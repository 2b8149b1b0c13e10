package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// counterData is what the counter window shows in Chinese in any language:
// the hall's own data (its name, counter and staff names, the scripts and
// their materials), what the clerk typed, and amounts in Chinese capitals.
// Domain names (business types, states, priorities) and the hall's
// messages count as data only while the catalogue has no English for
// them; with it, they must show in English.
type counterData struct {
	t    *testing.T
	cat  map[string]string
	data []string
}

func newCounterData(t *testing.T, h *halltest.Hall) *counterData {
	t.Helper()
	cat, err := englishCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	d := &counterData{t: t, cat: cat}
	cfg, err := h.Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d.add(cfg.Hall.Name)
	for _, c := range cfg.Counters {
		d.add(c.Name)
	}
	for _, s := range cfg.Staff {
		d.add(s.Name)
	}
	for _, bt := range cfg.Types {
		d.domain(bt.Name)
	}
	sc := hall.DefaultScripts()
	d.add(sc.Greeting, sc.GreetReminder, sc.Apology, sc.Refusal, sc.ProxyConfirm, sc.Farewell)
	for _, r := range sc.RefusalByType {
		d.add(r)
	}
	for _, items := range sc.Materials {
		for _, it := range items {
			d.add(it, sc.ReceivePhrase(it), sc.ReturnPhrase(it))
		}
	}
	for _, p := range []hall.Priority{hall.Normal, hall.Elderly, hall.Disabled} {
		d.domain(p.Label())
	}
	for _, s := range []hall.TicketState{hall.Waiting, hall.Called, hall.Serving, hall.Done, hall.NoShow} {
		d.domain(s.Label())
	}
	for _, s := range []hall.CounterState{hall.CounterOpen, hall.CounterPaused, hall.CounterClosed} {
		d.domain(s.Label())
	}
	return d
}

func (d *counterData) add(s ...string) {
	for _, x := range s {
		if x != "" && !slices.Contains(d.data, x) {
			d.data = append(d.data, x)
		}
	}
}

// domain adds a domain text as data while the catalogue lacks it.
func (d *counterData) domain(s string) {
	if _, ok := d.cat[s]; !ok && hasChinese(s) {
		d.t.Logf("no English yet for the domain text %q", s)
		d.add(s)
	}
}

// left is s without the data in it, longest first.
func (d *counterData) left(s string) string {
	data := slices.Clone(d.data)
	slices.SortFunc(data, func(a, b string) int { return len(b) - len(a) })
	for _, x := range data {
		s = strings.ReplaceAll(s, x, "")
	}
	return s
}

// check fails for every text in obj that is still Chinese once the data is
// taken out of it. Stricter than chineseShown with the data allowed, which
// lets a whole text through when it merely contains a counter's name.
func (d *counterData) check(what string, obj fyne.CanvasObject) {
	d.t.Helper()
	texts := shownTexts(obj)
	if len(texts) == 0 {
		d.t.Errorf("%s: nothing shown", what)
	}
	var bad []string
	for _, s := range texts {
		if hasChinese(d.left(s)) && !slices.Contains(bad, s) {
			bad = append(bad, s)
		}
	}
	if len(bad) > 0 {
		d.t.Errorf("%s shows Chinese: %q", what, bad)
	}
	if bad := chineseShown(obj, d.data...); len(bad) > 0 {
		d.t.Errorf("%s: chineseShown %q", what, bad)
	}
}

// checkText is check for one string the window shows (a title, say).
func (d *counterData) checkText(what, s string) {
	d.t.Helper()
	if hasChinese(d.left(s)) {
		d.t.Errorf("%s is Chinese: %q", what, s)
	}
}

// counterOverlay is the dialog in front of w.
func counterOverlay(t *testing.T, w fyne.Window) fyne.CanvasObject {
	t.Helper()
	o := w.Canvas().Overlays().Top()
	if o == nil {
		t.Fatal("no dialog showing")
	}
	return o
}

// The clerk's window in English: sign-in, the caller through a whole
// service, every tab of the script panel, the transfer and reply dialogs,
// the forms, pause and the lock. Only the hall's data stays Chinese.
func TestCounterInEnglish(t *testing.T) {
	inEnglish(t)
	h := halltest.New(t, nil)
	d := newCounterData(t, h)
	cs, w := openCounter(t, h, 1)

	d.checkText("window title", w.Title())
	d.check("sign-in view", w.Content())
	signIn(t, cs, "1001", "")
	if got, want := cs.signInMsg.Text, "Enter your PIN"; got != want {
		t.Errorf("empty PIN shows %q, want %q", got, want)
	}
	d.check("sign-in view with a message", w.Content())
	signIn(t, cs, "1001", "000000")
	if cs.view != viewSignIn || cs.signInMsg.Text == "" {
		t.Fatalf("wrong PIN: view %d, message %q", cs.view, cs.signInMsg.Text)
	}
	d.check("wrong PIN", w.Content())

	signIn(t, cs, "1001", demo.PIN)
	if cs.view != viewMain {
		t.Fatalf("not signed in: %q", cs.signInMsg.Text)
	}
	for _, c := range []struct{ name, got, want string }{
		{"call", cs.callBtn.Text, "Call next (F1)"},
		{"recall", cs.recallBtn.Text, "Recall (F2)"},
		{"no-show", cs.noShowBtn.Text, "No-show (F3)"},
		{"finish", cs.finishBtn.Text, "Finish (F8)"},
		{"clerk", cs.clerkLabel.Text, "李娜 (staff no. 1001)"},
		{"status", cs.statusLine.Text, "Signed in. Welcome, 李娜"},
		{"stats", cs.stats.Text, "Finished today: 0"},
		{"cash tab", cs.tabCash.Text, "Cash & change"},
	} {
		if c.got != c.want {
			t.Errorf("%s shows %q, want %q", c.name, c.got, c.want)
		}
	}
	d.checkText("window title", w.Title())
	d.check("idle counter", w.Content())

	tk := issueTicket(t, h, demo.TypeFee, hall.Elderly)
	issueTicket(t, h, demo.TypeConsult, hall.Disabled)
	pressKey(w, keyCall)
	if cs.status.Ticket == nil || cs.status.Ticket.ID != tk.ID {
		t.Fatalf("not called: %q", cs.statusLine.Text)
	}
	if got, want := cs.statusLine.Text, "Called "+tk.Number; got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	d.check("called", w.Content())
	pressKey(w, keyRecall)
	if got, want := cs.statusLine.Text, "Recalled "+tk.Number+" (recall 1)"; got != want {
		t.Errorf("status %q, want %q", got, want)
	}

	// The transfer dialog, then back out of it.
	pressKey(w, keyTransfer)
	if cs.transferDlg == nil {
		t.Fatal("no transfer dialog")
	}
	d.check("transfer dialog", counterOverlay(t, w))
	cs.transferDlg.Hide()
	cs.transferDlg = nil

	pressKey(w, keyStart)
	if cs.status.Ticket == nil || cs.status.Ticket.State != hall.Serving {
		t.Fatalf("not serving: %q", cs.statusLine.Text)
	}
	test.Tap(cs.materialChecks[0])
	test.Tap(cs.materialReturns[0])
	if got := cs.materialReturns[0].Text; got != "Returned" {
		t.Errorf("return button %q, want Returned", got)
	}

	// Cash: the amounts stay numbers, the 大写 stays Chinese capitals.
	test.Type(cs.cashDue, "120.50")
	test.Type(cs.cashReceived, "200")
	sc := hall.DefaultScripts()
	for _, f := range []hall.Fen{12050, 20000, 7950} {
		d.add(f.Daxie())
	}
	d.add(sc.CashReceivedPhrase(20000), sc.CashChangePhrase(7950))
	if got, want := cs.cashChange.Text, "79.50"; got != want {
		t.Errorf("change %q, want %q", got, want)
	}
	if got, want := cs.cashChangeDaxie.Text, "In words: "+hall.Fen(7950).Daxie(); got != want {
		t.Errorf("change in capitals %q, want %q", got, want)
	}
	d.check("cash", w.Content())
	cs.cashDue.SetText("12a")
	if got := cs.cashDueErr.Text; !strings.HasPrefix(got, "Amount due: ") {
		t.Errorf("bad amount shows %q", got)
	}
	d.domain(strings.TrimPrefix(cs.cashDueErr.Text, "Amount due: "))
	d.check("cash refused", w.Content())
	cs.cashDue.SetText("100")
	cs.cashReceived.SetText("80")
	if cs.cashReceivedErr.Text == "" || cs.cashChange.Text != "—" {
		t.Errorf("short payment: error %q, change %q", cs.cashReceivedErr.Text, cs.cashChange.Text)
	}
	d.add(sc.CashReceivedPhrase(8000), hall.Fen(10000).Daxie(), hall.Fen(8000).Daxie())
	d.check("short payment", w.Content())
	cs.cashDue.SetText("120.50")
	cs.cashReceived.SetText("200")

	// Escalation, its list and the reply dialog.
	cs.escDue.SetText("12/04")
	test.Tap(cs.escSubmit)
	if !strings.HasPrefix(cs.escMsg.Text, "The reply date must be a date") {
		t.Errorf("bad date shows %q", cs.escMsg.Text)
	}
	cs.escDue.SetText("2026-12-04")
	cs.escNeed.SetText("电表显示与账单读数不一致")
	cs.escAssignee.SetText("营销部")
	cs.escName.SetText("张三")
	cs.escPhone.SetText("13812345678")
	test.Tap(cs.escSubmit)
	if cs.escMsg.Text != "" || len(cs.escs) != 1 {
		t.Fatalf("escalation refused: %q", cs.escMsg.Text)
	}
	d.add("电表显示与账单读数不一致", "营销部", "张*", sc.EscalationPhrase("营销部", "2026年12月4日"))
	if got, want := cs.statusLine.Text, "Escalated to 营销部, reply by 4 Dec 2026"; got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	d.check("escalated", w.Content())
	test.Tap(cs.escReplyBtns[cs.escs[0].ID])
	if cs.replyDlg == nil {
		t.Fatal("no reply dialog")
	}
	d.check("reply dialog", counterOverlay(t, w))
	cs.replyEntry.SetText("已现场核查，电表正常")
	test.Tap(cs.replyOK)
	if cs.replyDlg != nil {
		t.Fatalf("reply refused: %q", cs.replyMsg.Text)
	}
	if got, want := cs.statusLine.Text, "Reply recorded; the escalation is closed"; got != want {
		t.Errorf("status %q, want %q", got, want)
	}

	// 代办.
	cs.proxySummary.SetText("代为填写用电申请书")
	test.Tap(cs.proxySubmit)
	if cs.proxyMsg.Text != "" {
		t.Fatalf("proxy refused: %q", cs.proxyMsg.Text)
	}
	d.add("代为填写用电申请书")
	if !strings.Contains(cs.proxyState.Text, "Status: waiting for the customer to confirm on screen") {
		t.Errorf("proxy state %q", cs.proxyState.Text)
	}

	// Complaint and fault report.
	f := cs.complaint
	f.what.SetText("抄表员态度恶劣")
	f.where.SetText("幸福小区")
	f.when.SetText("上午")
	f.name.SetText("王五")
	f.phone.SetText("13912345678")
	test.Tap(f.submit)
	if got, want := f.done.Text, "Complaint recorded (09:00), contact 王* 139****5678."; got != want {
		t.Errorf("complaint confirmation %q, want %q", got, want)
	}
	g := cs.fault
	g.what.SetText("整栋楼停电")
	g.where.SetText("建设路12号")
	g.phone.SetText("13712345678")
	test.Tap(g.submit)
	if got, want := g.done.Text, "Fault report recorded (09:00), contact 137****5678."; got != want {
		t.Errorf("fault confirmation %q (%q), want %q", got, g.msg.Text, want)
	}
	d.add("王*", "整栋楼停电", "建设路12号")
	d.check("forms filled", w.Content())
	test.Tap(f.submit)
	if f.msg.Text == "" {
		t.Error("an empty complaint was accepted")
	}
	d.domain(f.msg.Text)
	d.check("complaint refused", w.Content())

	pressKey(w, keyFinish)
	if !strings.HasPrefix(cs.farewellNote.Text, tk.Number+" finished in ") {
		t.Errorf("farewell note %q", cs.farewellNote.Text)
	}
	d.check("finished", w.Content())

	pressKey(w, keyPause)
	if got, want := cs.statusLine.Text, "1号窗口 paused service"; got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	if got, want := cs.pauseBtn.Text, "Resume service (F5)"; got != want {
		t.Errorf("pause button %q, want %q", got, want)
	}
	d.check("paused", w.Content())

	cs.lockNow()
	if cs.view != viewLocked {
		t.Fatal("not locked")
	}
	d.check("lock view", w.Content())
	test.Tap(cs.lockSignOut)
	if got, want := cs.signInMsg.Text, "Signed out"; got != want {
		t.Errorf("after sign-out %q, want %q", got, want)
	}
	d.check("signed out", w.Content())
}

// English goes no further than the windows: back in Chinese the same
// window speaks Chinese again.
func TestCounterBackInChinese(t *testing.T) {
	inEnglish(t)
	if err := SetLanguage(Chinese); err != nil {
		t.Fatal(err)
	}
	h := halltest.New(t, nil)
	cs, _ := signedInCounter(t, h)
	if got, want := cs.callBtn.Text, "呼叫下一位 (F1)"; got != want {
		t.Errorf("call button %q, want %q", got, want)
	}
	if got, want := formatServiceTime(450*time.Second), "7分30秒"; got != want {
		t.Errorf("service time %q, want %q", got, want)
	}
}

// Service times and due dates read naturally in English.
func TestCounterFormatsInEnglish(t *testing.T) {
	inEnglish(t)
	for _, c := range []struct {
		secs int
		want string
	}{{45, "45 s"}, {60, "1 min"}, {450, "7 min 30 s"}, {3600, "1 h"}, {3900, "1 h 5 min"}} {
		if got := formatServiceTime(time.Duration(c.secs) * time.Second); got != c.want {
			t.Errorf("%d s shows %q, want %q", c.secs, got, c.want)
		}
	}
	if got, want := formatDueDate("2026-12-04"), "4 Dec 2026"; got != want {
		t.Errorf("due date %q, want %q", got, want)
	}
	// The customer's script stays Chinese, and so does the date in it.
	if got, want := customerDueDate("2026-12-04"), "2026年12月4日"; got != want {
		t.Errorf("customer's due date %q, want %q", got, want)
	}
}
