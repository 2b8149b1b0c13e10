package ui

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// The hall's own data in the director's English tests: the hall's, the
// staff's and the counters' names, and what people typed. It stays as it
// was written.
var directorData = []string{
	"城关供电营业厅",
	"赵敏", "钱亮", "李娜", "王芳", "张伟", "刘洋", "陈静",
	"1号窗口", "2号窗口", "3号窗口", "4号窗口", "5号窗口",
	"早班",
	"电表走字异常，申请校验", "计量班", "已安排校验，电表正常",
	"营业员办理业务时态度生硬，多次催促后才受理，客户要求说明情况并道歉", "今天上午",
	"已电话联系客户", "已对营业员进行再培训",
	"巡查大厅，秩序良好", "更正：2号窗口排队较长",
	"窗口人员态度生硬", "城南线路检修停电", "城东变电站故障",
	"当班期间不得使用手机",
	// The log entry the hall writes for a handover: log texts are data.
	"交班给赵敏（工号2001）：", "交班给钱亮（工号2002）：",
	// Masked contacts.
	"王*", "欧***",
}

// chineseLeft lists the texts in obj that still have Chinese once the
// data strings are taken out of them: stricter than chineseShown, which
// lets a whole text pass when it contains a data string.
func chineseLeft(obj fyne.CanvasObject, data ...string) []string {
	data = slices.Clone(data)
	sort.Slice(data, func(i, j int) bool { return len(data[i]) > len(data[j]) })
	var bad []string
	for _, s := range shownTexts(obj) {
		rest := s
		for _, x := range data {
			rest = strings.ReplaceAll(rest, x, "")
		}
		if hasChinese(rest) && !slices.Contains(bad, s) {
			bad = append(bad, s)
		}
	}
	return bad
}

// noChinese fails the test for every text of obj still in Chinese, apart
// from the hall's data.
func noChinese(t *testing.T, where string, obj fyne.CanvasObject) {
	t.Helper()
	if obj == nil {
		t.Fatalf("%s: nothing shown", where)
	}
	if len(shownTexts(obj)) == 0 {
		t.Errorf("%s: no text shown at all", where)
	}
	for _, s := range chineseLeft(obj, directorData...) {
		t.Errorf("%s: still Chinese: %q", where, s)
	}
}

// dialogShown checks the dialog in front of w and hides it.
func dialogShown(t *testing.T, d *director, w fyne.Window, where string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if d.dialog == nil || top == nil {
		t.Fatalf("%s: no dialog", where)
	}
	noChinese(t, where, top)
}

// header is the desk's lines above and below the tabs.
func header(d *director) fyne.CanvasObject {
	return container.NewVBox(d.who, d.signOutBtn, d.emergency, d.statusLine)
}

// directorWidth is the width the director's window opens with.
const directorWidth = 1200

// ownTab selects the tab at i and checks it and the lines around it.
func ownTab(t *testing.T, d *director, i int) {
	t.Helper()
	d.tabs.SelectIndex(i)
	it := d.tabs.Items[i]
	if hasChinese(it.Text) {
		t.Errorf("tab %d is titled %q", i, it.Text)
	}
	noChinese(t, "tab "+it.Text, it.Content)
	noChinese(t, "header on "+it.Text, header(d))
	// The English text must not widen the tab beyond the window's width.
	if m := it.Content.MinSize().Width; m > directorWidth {
		t.Errorf("tab %s is %.0f wide, more than the window's %d", it.Text, m, directorWidth)
	}
}

// The director's window in English: sign-in, every tab of this group with
// rows in it, the dialogs and the status lines, with only the hall's data
// left in Chinese; and the English options map back to the hall's values.
func TestDirectorInEnglish(t *testing.T) {
	inEnglish(t)
	ctx := context.Background()
	h := halltest.New(t, nil)
	day := today(t, h)
	for range hall.MaxPINFailures {
		if _, err := h.SignIn(ctx, 3, "1003", "000000"); err == nil {
			t.Fatal("wrong PIN accepted")
		}
	}
	if _, err := h.SetRoster(ctx, h.At(0), day, "2001", "早班"); err != nil {
		t.Fatal(err)
	}
	es, err := h.Escalate(ctx, h.At(1), hall.EscalationInput{
		Need: "电表走字异常，申请校验", Assignee: "计量班", Due: day,
		Contact: hall.Contact{Name: "王建国", Phone: "13812345678"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cp := complaintAtCounter5(t, h)
	if _, err := h.AddComplaintStatus(ctx, h.At(0), cp.ID, hall.StepContacted, "已电话联系客户"); err != nil {
		t.Fatal(err)
	}
	br := badRatingAt2(t, h)
	if _, err := h.AddRatingFollowUp(ctx, h.At(0), br.ID, hall.FollowRectified, "已对营业员进行再培训"); err != nil {
		t.Fatal(err)
	}

	d, w := openDirector(t, h)
	if got := w.Title(); hasChinese(strings.ReplaceAll(got, "城关供电营业厅", "")) {
		t.Errorf("window title %q", got)
	}
	noChinese(t, "sign-in", w.Content())
	directorSignIn(t, d, "2001", "000000")
	if d.signedIn {
		t.Fatal("signed in with a wrong PIN")
	}
	noChinese(t, "sign-in after a wrong PIN", w.Content())
	directorSignIn(t, d, "2001", demo.PIN)
	if !d.signedIn {
		t.Fatalf("not signed in: %q", d.signInMsg.Text)
	}

	// 总览: the roster, the figures, the ratings and the locked account.
	ownTab(t, d, 0)
	d.rosterDay.SetText("tomorrow")
	d.rosterWho.SetSelectedIndex(0)
	test.Tap(d.rosterSetBtn)
	noChinese(t, "a bad roster date", d.statusLine)
	d.rosterDay.SetText(addDays(day, 1))
	d.rosterWho.SetSelectedIndex(len(d.rosterWho.Options) - 1) // clear the day
	test.Tap(d.rosterSetBtn)
	noChinese(t, "a roster cleared", d.statusLine)
	d.rosterDay.SetText(addDays(day, 2))
	d.rosterWho.SetSelectedIndex(0)
	test.Tap(d.rosterSetBtn)
	if r, err := h.Roster(ctx, addDays(day, 2), 1); err != nil || r[0].Director != "2001" {
		t.Fatalf("roster %+v, %v; want 2001 chosen from the English options", r, err)
	}
	noChinese(t, "a roster set", d.statusLine)
	d.handoverTo.SetSelectedIndex(0)
	test.Tap(d.handoverBtn)
	noChinese(t, "a handover", d.statusLine)
	test.Tap(d.unlockBtns["1003"])
	noChinese(t, "an unlock", d.statusLine)
	ownTab(t, d, 0)

	// 升级事项: the row, the reply dialog, the note.
	ownTab(t, d, 1)
	test.Tap(d.replyBtns[es.ID])
	dialogShown(t, d, w, "reply dialog")
	test.Tap(d.replyOK)
	noChinese(t, "an empty reply", d.statusLine)
	test.Type(d.replyEntry, "已安排校验，电表正常")
	test.Tap(d.replyOK)
	if d.dialog != nil {
		t.Fatal("reply dialog still open")
	}
	ownTab(t, d, 1)

	// 值班日志: an entry in the category chosen in English, its amendment.
	ownTab(t, d, 2)
	test.Tap(d.logAddBtn)
	noChinese(t, "an empty log entry", d.statusLine)
	d.logCategory.SetSelectedIndex(2)
	test.Type(d.logText, "巡查大厅，秩序良好")
	test.Tap(d.logAddBtn)
	log, err := h.Log(ctx, h.At(0), day)
	if err != nil {
		t.Fatal(err)
	}
	var first hall.LogEntry
	for _, e := range log {
		if e.Text == "巡查大厅，秩序良好" {
			first = e
		}
	}
	if first.Category != hall.LogCategories[2] {
		t.Fatalf("log %+v, want the entry in %s", log, hall.LogCategories[2])
	}
	h.Clock.Advance(5 * time.Minute)
	test.Tap(d.amendBtns[first.ID])
	dialogShown(t, d, w, "amend dialog")
	if got, want := d.amendCategory.Selected, T(first.Category); got != want {
		t.Errorf("amend dialog's category %q, want %q", got, want)
	}
	d.amendCategory.SetSelectedIndex(4)
	test.Type(d.amendText, "更正：2号窗口排队较长")
	test.Tap(d.amendOK)
	log, _ = h.Log(ctx, h.At(0), day)
	if last := log[len(log)-1]; last.Amends != first.ID || last.Category != hall.LogCategories[4] {
		t.Fatalf("amendment %+v, want it to amend %s in %s", last, first.ID, hall.LogCategories[4])
	}
	ownTab(t, d, 2)

	// 投诉登记: the form, the register, a step's dialog, the history.
	ownTab(t, d, 3)
	test.Tap(d.cSubmit)
	noChinese(t, "an empty complaint", d.statusLine)
	test.Type(d.cWhat, "窗口人员态度生硬")
	test.Type(d.cName, "欧阳娜娜")
	test.Type(d.cPhone, "13912345678")
	test.Tap(d.cSubmit)
	if !d.cDone.Visible() || !strings.Contains(d.cDone.Text, "欧***") {
		t.Fatalf("confirmation %q (status %q)", d.cDone.Text, d.statusLine.Text)
	}
	ownTab(t, d, 3)
	b := d.complaintRegister.crBtns[cp.ID]
	if b == nil {
		t.Fatal("the complaint is not listed")
	}
	test.Tap(b.reply)
	dialogShown(t, d, w, "complaint step dialog")
	test.Tap(d.complaintRegister.crOK)
	noChinese(t, "an empty step", d.statusLine)
	d.hideDialog()
	d.complaintRegister.crHistory.SetChecked(true)
	ownTab(t, d, 3)

	// 公告与应急: a notice, the emergency and its end.
	ownTab(t, d, 4)
	d.noticeKind.SetSelectedIndex(0)
	test.Type(d.noticeText, "城南线路检修停电")
	d.noticeHours.SetText("0")
	test.Tap(d.postBtn)
	noChinese(t, "0 hours", d.statusLine)
	d.noticeHours.SetText("12")
	test.Tap(d.postBtn)
	notices, _ := h.Notices(ctx)
	if len(notices) != 1 || notices[0].Kind != noticeKinds[0] {
		t.Fatalf("notices %+v, want a %s chosen in English", notices, noticeKinds[0])
	}
	test.Tap(d.declareBtn)
	noChinese(t, "an emergency without text", d.statusLine)
	test.Type(d.declareText, "城东变电站故障")
	test.Tap(d.declareBtn)
	if !d.emergency.Visible() {
		t.Fatal("no emergency banner")
	}
	ownTab(t, d, 4)
	test.Tap(d.endBtn)
	ownTab(t, d, 4)

	// 差评处理: the rating with its record, a follow-up's dialog.
	v := d.badRatings
	ownTab(t, d, 6)
	if v.btns[br.ID] == nil {
		t.Fatal("the bad rating is not listed")
	}
	test.Tap(v.btns[br.ID].callBack)
	dialogShown(t, d, w, "call-back dialog")
	d.hideDialog()

	// 现场巡查: the checklist, a missing note, a recorded patrol.
	p := d.patrol
	ownTab(t, d, 8)
	for _, r := range p.rows {
		r.check.SetChecked(r.counter <= 2)
	}
	p.rows[1].failed[4].SetChecked(true)
	test.Tap(p.submit)
	noChinese(t, "a missing patrol note", d.statusLine)
	p.rows[1].note.SetText("当班期间不得使用手机")
	test.Tap(p.submit)
	if len(p.list) != 1 {
		t.Fatalf("patrols listed %d, want 1 (status %q)", len(p.list), d.statusLine.Text)
	}
	ownTab(t, d, 8)

	// Every tab title, those of the other tabs too, is English.
	for _, it := range d.tabs.Items {
		if hasChinese(it.Text) {
			t.Errorf("tab title %q", it.Text)
		}
	}

	test.Tap(d.signOutBtn)
	noChinese(t, "signed out", w.Content())
}

// The device fault line in English: the stations' names are the hall's own.
func TestDirectorDeviceFaultTextInEnglish(t *testing.T) {
	inEnglish(t)
	loc := halltest.Shanghai(t)
	now := time.Date(2026, 11, 27, 11, 0, 0, 0, loc)
	devs := []hall.DeviceStatus{
		{Station: "取号机1", Kind: hall.DevicePrinter, Message: "打印机缺纸", At: time.Date(2026, 11, 27, 10, 32, 0, 0, loc)},
		{Station: "综合屏", Kind: hall.DeviceSpeaker, Message: "没有可用的声音设备，语音叫号无法播放", At: time.Date(2026, 11, 26, 16, 5, 0, 0, loc)},
	}
	got := deviceFaultText(devs, now)
	rest := strings.NewReplacer("取号机1", "", "综合屏", "").Replace(got)
	if got == "" || hasChinese(rest) {
		t.Errorf("fault line %q", got)
	}
	if !strings.Contains(got, "10:32") || !strings.Contains(got, "26 Nov 16:05") {
		t.Errorf("fault line %q, want both times", got)
	}
}
