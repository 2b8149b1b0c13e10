package ui

import (
	"context"
	"slices"
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

// openDirector opens the director's window on h. Service calls run inline
// and the event stream is off: a test reloads by hand.
func openDirector(t *testing.T, h *halltest.Hall) (*director, fyne.Window) {
	t.Helper()
	s := newTestSession(t, h)
	d := newDirector(s)
	d.spawn = func(f func()) { f() }
	d.follow = false
	w := d.window()
	t.Cleanup(func() { closeIfOpen(s.app, w) })
	d.start()
	return d, w
}

func directorSignIn(t *testing.T, d *director, no, pin string) {
	t.Helper()
	d.staffNo.SetText("")
	d.pin.SetText("")
	test.Type(d.staffNo, no)
	test.Type(d.pin, pin)
	d.pin.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// signedInDirector is the window with 2001 signed in through the UI.
func signedInDirector(t *testing.T, h *halltest.Hall) (*director, fyne.Window) {
	t.Helper()
	d, w := openDirector(t, h)
	directorSignIn(t, d, "2001", demo.PIN)
	if !d.signedIn {
		t.Fatalf("director not signed in: %q", d.signInMsg.Text)
	}
	return d, w
}

// today is the hall's day on the test clock.
func today(t *testing.T, h *halltest.Hall) string {
	return h.Clock.Now().In(halltest.Shanghai(t)).Format(time.DateOnly)
}

func TestDirectorIsARole(t *testing.T) {
	d, ok := findRole(roleTable(), "director")
	if !ok || !d.available() || d.needsCounter || d.title != "值班主任" {
		t.Fatalf("director role = %+v, want an available 值班主任 without a counter", d)
	}
}

func TestDirectorSignIn(t *testing.T) {
	h := halltest.New(t, nil)
	d, w := openDirector(t, h)
	if got, want := w.Title(), "值班主任 · 城关供电营业厅"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}

	// A clerk is refused at the desk by the hall.
	directorSignIn(t, d, "1001", demo.PIN)
	if d.signedIn {
		t.Fatal("a clerk signed in at the director's desk")
	}
	if got, want := d.signInMsg.Text, hall.Message(hall.ErrDeskForbidden); got != want {
		t.Errorf("clerk's sign-in shows %q, want %q", got, want)
	}

	directorSignIn(t, d, "2001", demo.PIN)
	if !d.signedIn {
		t.Fatalf("director not signed in: %q", d.signInMsg.Text)
	}
	if got, want := d.who.Text, "赵敏（工号2001）"; got != want {
		t.Errorf("header %q, want %q", got, want)
	}
	if got := d.statusLine.Text; !strings.Contains(got, "欢迎") {
		t.Errorf("status %q, want a welcome", got)
	}

	test.Tap(d.signOutBtn)
	if d.signedIn || d.signInMsg.Text != "已退出登录" {
		t.Errorf("after sign-out: signed in %v, message %q", d.signedIn, d.signInMsg.Text)
	}
}

func TestDirectorRosterGap(t *testing.T) {
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	day := today(t, h)
	if !strings.Contains(d.today.Text, "无人值班") || d.today.Importance != widget.DangerImportance {
		t.Fatalf("today %q (importance %v), want a red gap", d.today.Text, d.today.Importance)
	}
	if got := gapRows(d); got != rosterDays {
		t.Errorf("%d gap rows, want %d", got, rosterDays)
	}

	d.rosterDay.SetText(day)
	d.rosterWho.SetSelected("赵敏（2001）")
	test.Tap(d.rosterSetBtn)
	if got, want := d.today.Text, "今日值班主任：赵敏（工号2001）"; got != want {
		t.Errorf("today %q, want %q (status %q)", got, want, d.statusLine.Text)
	}
	if got := gapRows(d); got != rosterDays-1 {
		t.Errorf("%d gap rows after setting today, want %d", got, rosterDays-1)
	}
	r, err := h.Roster(context.Background(), day, 1)
	if err != nil || r[0].Director != "2001" {
		t.Fatalf("roster %+v, %v; want 2001 on duty", r, err)
	}

	// Clearing the day opens the gap again.
	d.rosterDay.SetText(day)
	d.rosterWho.SetSelected(clearRoster)
	test.Tap(d.rosterSetBtn)
	if !strings.Contains(d.today.Text, "无人值班") {
		t.Errorf("today %q after clearing, want a gap", d.today.Text)
	}
	if got := gapRows(d); got != rosterDays {
		t.Errorf("%d gap rows after clearing, want %d", got, rosterDays)
	}

	// A bad date is the hall's message in the status line.
	d.rosterDay.SetText("明天")
	d.rosterWho.SetSelected("赵敏（2001）")
	test.Tap(d.rosterSetBtn)
	if got := d.statusLine.Text; !strings.Contains(got, "日期格式有误") {
		t.Errorf("bad date shows %q", got)
	}
}

// gapRows counts the roster rows flagged 无人值班.
func gapRows(d *director) int {
	n := 0
	for _, o := range d.rosterBox.Objects {
		cells := o.(*fyne.Container).Objects
		if l := cells[1].(*widget.Label); l.Text == gapText && l.Importance == widget.DangerImportance {
			n++
		}
	}
	return n
}

func TestDirectorHandover(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	// The desk goes to another director: 2001 is not offered to 2001.
	if got := d.handoverTo.Options; !slices.Equal(got, []string{"钱亮（2002）"}) {
		t.Fatalf("handover options %q, want only the other director", got)
	}
	if got := d.rosterWho.Options; !slices.Contains(got, "赵敏（2001）") || !slices.Contains(got, "钱亮（2002）") {
		t.Errorf("roster options %q, want both directors", got)
	}
	d.handoverTo.SetSelected("钱亮（2002）")
	test.Type(d.handoverNote, "3号窗口打印机缺纸")
	test.Tap(d.handoverBtn)
	log, err := h.Log(ctx, h.At(0), today(t, h))
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Category != hall.LogHandover || !strings.Contains(log[0].Text, "3号窗口打印机缺纸") || !strings.Contains(log[0].Text, "钱亮") {
		t.Fatalf("log %+v, want one handover entry to 钱亮", log)
	}
}

// The next director signing in at the same window does not find
// themselves chosen as the one taking over.
func TestDirectorHandoverChoiceIsClearedForTheNextDirector(t *testing.T) {
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	d.handoverTo.SetSelected("钱亮（2002）")
	d.onSignOut()
	directorSignIn(t, d, "2002", demo.PIN)
	if !d.signedIn {
		t.Fatalf("2002 not signed in: %q", d.signInMsg.Text)
	}
	if got := d.handoverTo.Options; !slices.Equal(got, []string{"赵敏（2001）"}) {
		t.Fatalf("options %q, want 2001 only", got)
	}
	if d.handoverTo.Selected != "" {
		t.Fatalf("%q still chosen for 2002", d.handoverTo.Selected)
	}
}

// A hall with one director has nobody to hand over to: the window says so
// and writes nothing.
func TestDirectorHandoverWithoutAnotherDirector(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, halltest.OneDirector())
	d, _ := signedInDirector(t, h)
	if len(d.handoverTo.Options) != 0 || d.handoverTo.PlaceHolder != "无其他值班主任" {
		t.Fatalf("handover options %q, placeholder %q", d.handoverTo.Options, d.handoverTo.PlaceHolder)
	}
	test.Type(d.handoverNote, "交接")
	test.Tap(d.handoverBtn)
	if got := d.statusLine.Text; !strings.Contains(got, "没有其他在职的值班主任") {
		t.Errorf("status %q, want the reason", got)
	}
	if log, err := h.Log(ctx, h.At(0), today(t, h)); err != nil || len(log) != 0 {
		t.Errorf("log %+v, %v; want nothing written", log, err)
	}
}

func TestDirectorLogAddAndAmend(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	d.tabs.SelectIndex(2)

	d.logCategory.SetSelected(hall.LogPatrol)
	test.Type(d.logText, "巡查大厅，秩序良好")
	test.Tap(d.logAddBtn)
	if d.logText.Text != "" {
		t.Errorf("log text %q not cleared", d.logText.Text)
	}
	log, err := h.Log(ctx, h.At(0), today(t, h))
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Text != "巡查大厅，秩序良好" || log[0].Author != "2001" {
		t.Fatalf("log %+v, want the patrol entry", log)
	}
	first := log[0].ID

	h.Clock.Advance(5 * time.Minute)
	b := d.amendBtns[first]
	if b == nil {
		t.Fatal("no 更正 button for the entry")
	}
	test.Tap(b)
	if d.amendText == nil {
		t.Fatal("no amend dialog")
	}
	test.Type(d.amendText, "巡查大厅，2号窗口排队较长")
	test.Tap(d.amendOK)

	log, err = h.Log(ctx, h.At(0), today(t, h))
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 || log[1].Amends != first || log[0].Text != "巡查大厅，秩序良好" {
		t.Fatalf("log %+v, want the entry kept and an amendment of it", log)
	}
	// Newest first: the amendment names what it corrects; the original is marked.
	if got := logRowText(d.logBox.Objects[0]); !strings.Contains(got, "更正 09:00 的「现场巡查」记录") {
		t.Errorf("amendment row %q, want it to name the corrected entry", got)
	}
	if got := logRowText(d.logBox.Objects[1]); !strings.Contains(got, "已更正") {
		t.Errorf("original row %q, want 已更正", got)
	}
}

// logRowText joins the labels of a log row.
func logRowText(o fyne.CanvasObject) string {
	var parts []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			parts = append(parts, x.Text)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return strings.Join(parts, " | ")
}

func TestDirectorEscalations(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	es := escalateAt1(t, h)
	d.reload()
	if d.replyBtns[es.ID] == nil {
		t.Fatalf("escalation %s not listed", es.ID)
	}
	row := logRowText(d.escBox.Objects[0])
	if !strings.Contains(row, "王*") || !strings.Contains(row, "138****5678") || strings.Contains(row, "王建国") {
		t.Errorf("row %q, want the contact masked", row)
	}
	if !strings.Contains(row, "李娜") || !strings.Contains(row, "计量班") {
		t.Errorf("row %q, want owner and assignee", row)
	}
	if strings.Contains(d.overdue.Text, "逾期未答复") {
		t.Errorf("overdue %q before the due date", d.overdue.Text)
	}

	// Two days on, the matter is overdue; the day's turn ended the session.
	h.Clock.Advance(48 * time.Hour)
	if err := h.Housekeep(ctx); err != nil {
		t.Fatal(err)
	}
	d.reload()
	if d.signedIn {
		t.Fatal("still signed in after the day's turn")
	}
	directorSignIn(t, d, "2001", demo.PIN)
	if !d.signedIn {
		t.Fatalf("not signed in again: %q", d.signInMsg.Text)
	}
	if got := d.overdue.Text; got != "逾期未答复的升级事项 1 件" || d.overdue.Importance != widget.DangerImportance {
		t.Errorf("overdue %q (importance %v), want 1 in red", got, d.overdue.Importance)
	}
	if row := logRowText(d.escBox.Objects[0]); !strings.Contains(row, "已逾期") {
		t.Errorf("row %q, want 已逾期", row)
	}

	test.Tap(d.replyBtns[es.ID])
	test.Type(d.replyEntry, "已安排校验，电表正常，已电话告知客户")
	test.Tap(d.replyOK)
	sess, err := h.SignIn(ctx, 0, "2001", demo.PIN)
	if err != nil {
		t.Fatal(err)
	}
	open, err := h.Escalations(ctx, sess.Token)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 0 {
		t.Errorf("open escalations %+v after the reply, want none (status %q)", open, d.statusLine.Text)
	}
	if len(d.replyBtns) != 0 || d.overdue.Text != "没有逾期的升级事项" {
		t.Errorf("window still lists %d escalations, overdue %q", len(d.replyBtns), d.overdue.Text)
	}
}

func TestDirectorEmergency(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	d.tabs.SelectIndex(4)
	if d.endBtn.Disabled() == false || d.declareBtn.Disabled() {
		t.Fatal("emergency buttons wrong in normal state")
	}
	test.Type(d.declareText, "城东变电站故障")
	test.Tap(d.declareBtn)
	em, err := h.EmergencyState(ctx)
	if err != nil || !em.Active || em.Text != "城东变电站故障" {
		t.Fatalf("emergency %+v, %v; want active", em, err)
	}
	notices, _ := h.Notices(ctx)
	if len(notices) != 1 || notices[0].Kind != hall.NoticeEmergency || !notices[0].Until.Equal(h.Clock.Now().Add(4*time.Hour)) {
		t.Fatalf("notices %+v, want the emergency notice for 4 hours", notices)
	}
	if !d.emergency.Visible() || !strings.Contains(d.emergency.Text, "城东变电站故障") {
		t.Errorf("banner %q visible %v", d.emergency.Text, d.emergency.Visible())
	}
	if b := d.endNoticeBtns[notices[0].ID]; b == nil || !b.Disabled() {
		t.Error("the emergency notice can be taken down on its own")
	}

	test.Type(d.endNote, "已恢复供电")
	test.Tap(d.endBtn)
	if em, _ := h.EmergencyState(ctx); em.Active {
		t.Fatal("still in emergency")
	}
	if notices, _ := h.Notices(ctx); len(notices) != 0 {
		t.Errorf("notices %+v after the end, want none", notices)
	}
	if d.emergency.Visible() || d.emState.Text != "当前为正常营业状态" {
		t.Errorf("after end: banner visible %v, state %q", d.emergency.Visible(), d.emState.Text)
	}
}

func TestDirectorNotices(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	d.noticeKind.SetSelected(hall.NoticeOutage.Label())
	test.Type(d.noticeText, "明日8:00-12:00城南线路检修停电")
	d.noticeHours.SetText("0")
	test.Tap(d.postBtn)
	if got := d.statusLine.Text; !strings.Contains(got, "1到720") {
		t.Errorf("0 hours shows %q", got)
	}
	d.noticeHours.SetText("12")
	test.Tap(d.postBtn)
	notices, _ := h.Notices(ctx)
	if len(notices) != 1 || notices[0].Kind != hall.NoticeOutage {
		t.Fatalf("notices %+v, want the outage notice", notices)
	}
	test.Tap(d.endNoticeBtns[notices[0].ID])
	if notices, _ := h.Notices(ctx); len(notices) != 0 {
		t.Errorf("notices %+v after 撤下", notices)
	}
}

func TestDirectorComplaint(t *testing.T) {
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	test.Type(d.cWhat, "窗口人员态度生硬")
	test.Type(d.cWhere, "2号窗口")
	test.Type(d.cWhen, "今天上午")
	test.Type(d.cName, "欧阳娜娜")
	test.Type(d.cPhone, "13912345678")
	test.Tap(d.cSubmit)
	got := d.cDone.Text
	if !strings.Contains(got, "欧***") || !strings.Contains(got, "139****5678") || strings.Contains(got, "欧阳娜娜") {
		t.Errorf("confirmation %q, want the contact masked (status %q)", got, d.statusLine.Text)
	}
	if n := len(eventsOf(t, h, hall.KindComplaintRecord)); n != 1 {
		t.Errorf("%d complaint events, want 1", n)
	}
	if d.cWhat.Text != "" || d.cPhone.Text != "" {
		t.Error("form not cleared")
	}
}

func TestDirectorUnlocksStaff(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	for range hall.MaxPINFailures {
		if _, err := h.SignIn(ctx, 3, "1003", "000000"); err == nil {
			t.Fatal("wrong PIN accepted")
		}
	}
	d, _ := signedInDirector(t, h)
	b := d.unlockBtns["1003"]
	if b == nil {
		t.Fatal("locked 1003 not shown")
	}
	test.Tap(b)
	cfg, err := h.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range cfg.Staff {
		if m.No == "1003" && m.Locked {
			t.Fatal("1003 still locked")
		}
	}
	if len(d.unlockBtns) != 0 {
		t.Errorf("still listed as locked: %v", d.unlockBtns)
	}
	if _, err := h.SignIn(ctx, 3, "1003", demo.PIN); err != nil {
		t.Errorf("1003 cannot sign in after unlock: %v", err)
	}
}

func TestDirectorOverviewMarkup(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	if _, err := h.SetRoster(ctx, h.At(0), today(t, h), "2001", "早班"); err != nil {
		t.Fatal(err)
	}
	issueTicket(t, h, demo.TypeFee, hall.Normal)
	d, w := signedInDirector(t, h)
	d.showNote("")
	w.Resize(fyne.NewSize(1200, 900))
	test.AssertRendersToMarkup(t, "director/overview.xml", w.Canvas())
}

// ratingRowTexts is the texts of the today table's row of clerk.
func ratingRowTexts(d *director, clerk string) []string {
	for _, o := range d.ratingsBox.Objects {
		var texts []string
		for _, l := range labelsOf(o) {
			texts = append(texts, l.Text)
		}
		if len(texts) > 0 && strings.Contains(texts[0], clerk) {
			return texts
		}
	}
	return nil
}

// The today table's 满意率 is the report's: services nobody rated are
// counted apart (未评价), not as unsatisfied, and a clerk nobody rated has
// no rate at all rather than 0%.
func TestDirectorSatisfactionRateIsTheReports(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	// 1002: one service left unrated, one rated 满意.
	custServe(t, h, demo.TypeFee, 2)
	h.Clock.Advance(hall.DefaultRatingWindow + time.Second)
	if req, _ := h.PendingRating(ctx, 2); req != nil {
		t.Fatal("rating still offered after its window")
	}
	rec := custServe(t, h, demo.TypeFee, 2)
	if _, err := h.Rate(ctx, 2, hall.RatingInput{ServiceID: rec.ID, Level: hall.Satisfied}); err != nil {
		t.Fatal(err)
	}
	// 1001: one service, left unrated.
	custServe(t, h, demo.TypeFee, 1)
	h.Clock.Advance(hall.DefaultRatingWindow + time.Second)
	if req, _ := h.PendingRating(ctx, 1); req != nil {
		t.Fatal("rating still offered after its window")
	}

	rep, err := h.Report(ctx, h.At(0), hall.DayRange(today(t, h)))
	if err != nil {
		t.Fatal(err)
	}
	var rate1002 float64 = -1
	for _, c := range rep.ByClerk {
		if c.Clerk == "1002" {
			rate1002 = c.Ratings.SatisfactionRate()
		}
	}
	if rate1002 != 1 {
		t.Fatalf("report's rate for 1002 = %v, want 1", rate1002)
	}

	d, _ := signedInDirector(t, h)
	// 营业员, 服务, 满意率, 未评价, 差评.
	if got, want := ratingRowTexts(d, "1002"), []string{"2", percent(rate1002), "50%", "0"}; len(got) != 5 || !slices.Equal(got[1:], want) {
		t.Errorf("1002's row %q, want %q after the name", got, want)
	}
	if got, want := ratingRowTexts(d, "1001"), []string{"1", "—", "100%", "0"}; len(got) != 5 || !slices.Equal(got[1:], want) {
		t.Errorf("1001's row %q, want %q after the name", got, want)
	}
}

// The desk opens within a 1366×768 screen, the smallest a hall's PCs have,
// with its status line on it: it once opened 840 high.
func TestDirectorWindowFitsA768HighScreen(t *testing.T) {
	h := halltest.New(t, nil)
	_, w := signedInDirector(t, h)
	if s := w.Canvas().Size(); s.Height > 768 || s.Width > 1366 {
		t.Fatalf("the signed-in desk is %v, more than 1366×768", s)
	}
}

// escalateAt1 escalates a matter from counter 1, due today, for 王建国
// 13812345678.
func escalateAt1(t *testing.T, h *halltest.Hall) hall.Escalation {
	t.Helper()
	es, err := h.Escalate(context.Background(), h.At(1), hall.EscalationInput{
		Need: "电表走字异常，申请校验", Assignee: "计量班", Due: today(t, h),
		Contact: hall.Contact{Name: "王建国", Phone: "13812345678"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return es
}
