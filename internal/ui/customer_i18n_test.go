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

// custData are the demo hall's own texts that stay as they are in any
// language: its name, its clerks' names, and the notices posted below.
var custData = []string{"城关供电营业厅", "李娜", "王芳", "张伟", "刘洋", "陈静", "东街片区今日14:00至16:00计划停电"}

func custNoChinese(t *testing.T, what string, o fyne.CanvasObject) {
	t.Helper()
	if bad := chineseShown(o, custData...); len(bad) > 0 {
		t.Errorf("%s shows Chinese in English: %q", what, bad)
	}
}

// The kiosk in English: types, priority classes, the card, a refusal,
// today's hours and the closed screen, 长者模式; the printed ticket stays
// Chinese (package escpos).
func TestKioskInEnglish(t *testing.T) {
	inEnglish(t)
	ctx := context.Background()
	h := halltest.New(t, nil)
	custSetHours(t, h, "08:30-17:30")
	if _, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeOutage, Text: custData[6], Until: h.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	k, w, timers := openKiosk(t, h)
	custNoChinese(t, "kiosk", w.Content())
	if got, want := k.typeButton[demo.TypeFee].Title(), "Bill payment"; got != want {
		t.Errorf("fee button %q, want %q", got, want)
	}
	if got, want := custTextOf(k.hours), "Today's opening hours: 08:30-17:30"; got != want {
		t.Errorf("hours %q, want %q", got, want)
	}
	if got, want := k.notices.text(), "[Outage notice] "+custData[6]; got != want {
		t.Errorf("notice %q, want %q", got, want)
	}
	test.Tap(k.frame.toggle)
	if got := k.frame.toggle.Title(); got != "Leave senior mode" {
		t.Errorf("toggle %q in 长者模式", got)
	}
	custNoChinese(t, "kiosk in senior mode", w.Content())
	test.Tap(k.elderly)
	custNoChinese(t, "kiosk with a class chosen", w.Content())
	test.Tap(k.typeButton[demo.TypeConsult])
	custNoChinese(t, "kiosk card", w.Content())
	if _, kind, ahead := kioskCardText(k); kind != "Enquiries · Senior priority" || ahead != "People ahead of you: 0" {
		t.Errorf("card %q %q", kind, ahead)
	}
	timers.fire(kioskCardFor)

	// The cap reached elsewhere: the refusal names the type in English.
	fee := demo.DefaultTypes()[0]
	fee.DailyCap = 1
	if _, err := h.SaveType(ctx, fee); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Issue(ctx, fee.Code, hall.Normal); err != nil {
		t.Fatal(err)
	}
	test.Tap(k.typeButton[fee.Code])
	custNoChinese(t, "kiosk refusal", w.Content())
	if got := custTextOf(k.messageText); got != "No more tickets for “Bill payment” today" {
		t.Errorf("refusal %q", got)
	}
	timers.fire(kioskCardFor)
	kioskReload(t, k)
	custNoChinese(t, "kiosk with a full type", w.Content())

	// Closing time: the closed screen, and the hall's own refusal.
	h.Clock.Set(at(t, 17, 30, 0))
	k.onTick()
	if k.view != kioskClosed {
		t.Fatalf("view %d at closing", k.view)
	}
	custNoChinese(t, "closed kiosk", w.Content())
	if got, want := custTextOf(k.closedDetail), "No more numbers today. Tomorrow's opening hours: 08:30-17:30"; got != want {
		t.Errorf("closed detail %q, want %q", got, want)
	}
	k.show(kioskChoose)
	test.Tap(k.typeButton[demo.TypeRepair])
	if got, want := custTextOf(k.messageText), "The hall is closed now; today's opening hours are 08:30-17:30"; got != want {
		t.Errorf("the hall's refusal %q, want %q", got, want)
	}
}

// The evaluator in English: the card, the ratings, the reasons with the
// keypad, 代办 and the thanks.
func TestEvaluatorInEnglish(t *testing.T) {
	inEnglish(t)
	ctx := context.Background()
	h := halltest.New(t, nil)
	e, w, timers := openEvaluator(t, h, 1)
	custNoChinese(t, "evaluator card", w.Content())
	if got := custTextOf(e.cardCounter); got != "Counter 1" {
		t.Errorf("counter %q, want Counter 1", got)
	}
	if got := w.Title(); got != "城关供电营业厅 · Rating pad (Counter 1)" {
		t.Errorf("title %q", got)
	}
	test.Tap(e.frame.toggle)
	custNoChinese(t, "evaluator card in senior mode", w.Content())
	test.Tap(e.frame.toggle)

	custServe(t, h, demo.TypeFee, 1)
	evalCheck(e)
	custNoChinese(t, "evaluator rating", w.Content())
	if got := e.levelButtons[hall.Satisfied].Title(); got != "Satisfied" {
		t.Errorf("rating button %q, want Satisfied", got)
	}
	test.Tap(e.levelButtons[hall.Dissatisfied])
	custNoChinese(t, "evaluator reasons", w.Content())
	test.Tap(e.reasons[0])
	test.Tap(e.keypad["1"])
	test.Tap(e.keypad[evalKeyDelete])
	custNoChinese(t, "evaluator reasons chosen", w.Content())
	if got := e.keypad[evalKeyDelete].Text; got != "Delete" {
		t.Errorf("keypad key %q", got)
	}
	test.Tap(e.submit)
	custNoChinese(t, "evaluator thanks", w.Content())
	timers.fire(evalMessageFor)

	// 代办: the summary is the clerk's text, shown as typed.
	if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, err := h.CallNext(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Start(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.RecordProxy(ctx, h.At(1), "代客户填写新装申请表"); err != nil {
		t.Fatal(err)
	}
	evalCheck(e)
	if e.view != evalProxy {
		t.Fatalf("view %d, want 代办", e.view)
	}
	if bad := chineseShown(w.Content(), append(custData, "代客户填写新装申请表")...); len(bad) > 0 {
		t.Errorf("代办 shows Chinese in English: %q", bad)
	}
	test.Tap(e.confirm)
	if bad := chineseShown(w.Content(), append(custData, "代客户填写新装申请表")...); len(bad) > 0 {
		t.Errorf("the evaluator after 代办 shows Chinese in English: %q", bad)
	}
}

// The hall display in English, standard and in senior mode; the voice
// still speaks Chinese.
func TestDisplayInEnglish(t *testing.T) {
	inEnglish(t)
	h := largeDisplayHall(t)
	if _, err := h.PostNotice(context.Background(), h.At(0), hall.NoticeInput{Kind: hall.NoticeEmergency, Text: custData[6], Until: h.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	d, w, timers := openDisplay(t, h)
	custNoChinese(t, "display at rest", w.Content())
	displayCalls(t, h, 1, 3)
	if _, err := h.Recall(context.Background(), h.At(3)); err != nil {
		t.Fatal(err)
	}
	displayCatchUp(t, d, false)
	custNoChinese(t, "display calling", w.Content())
	if got, want := d.banner.Text(), "Number D001, please go to Counter 1"; got != want {
		t.Errorf("banner %q, want %q", got, want)
	}
	if got := displayHistoryText(d); len(got) == 0 || got[0] != "B001 → Counter 3 (recall)" {
		t.Errorf("recent calls %q", got)
	}
	if got, want := d.hours.Text(), "Opening hours 08:30-17:30"; got != want {
		t.Errorf("hours %q, want %q", got, want)
	}
	d.frame.setLarge(true)
	for range d.pager.pagesFor(max(d.pager.perPage, 1)) + 1 {
		relayout(w)
		custNoChinese(t, "display in senior mode", w.Content())
		timers.fire(displayPageEvery)
	}
	timers.fire(displayEach)
	if got := d.banner.Text(); !strings.HasPrefix(got, "Recall B001") {
		t.Errorf("recall banner %q in senior mode", got)
	}
}

// The guard of a full-screen window asks in English.
func TestScreenGuardInEnglish(t *testing.T) {
	inEnglish(t)
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	w := s.app.NewWindow("x")
	w.Resize(customerWindowSize)
	t.Cleanup(w.Close)
	g := guardFullScreen(s, w, true, nil)
	g.ask(guardLeaveFull, func() {})
	if g.shown == nil {
		t.Fatal("no dialog")
	}
	var texts []string
	for _, o := range w.Canvas().Overlays().List() {
		if bad := chineseShown(o); len(bad) > 0 {
			texts = append(texts, bad...)
		}
	}
	if len(texts) > 0 {
		t.Errorf("the guard shows Chinese in English: %q", texts)
	}
}

// The reception day's notice, which the hall composes, is translated whole
// in English, its names as the director wrote them.
func TestReceptionNoticeInEnglish(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	day := h.Clock.Now().AddDate(0, 0, 2)
	if _, err := h.ScheduleReception(ctx, h.At(0), hall.ReceptionInput{Day: day.Format(time.DateOnly), Hours: "14:30-17:00", Leader: "Liu Hui", Place: "Room 201", Topics: "feedback"}); err != nil {
		t.Fatal(err)
	}
	k, _, _ := openKiosk(t, h)
	zh := fmt.Sprintf("【领导接待日】%d月%d日（%s）14:30-17:00，Liu Hui在Room 201接待客户，主题：feedback", day.Month(), day.Day(), []string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[day.Weekday()])
	if got := k.notices.text(); got != zh {
		t.Fatalf("in Chinese the notice is %q, want %q", got, zh)
	}
	inEnglish(t)
	k, _, _ = openKiosk(t, h)
	en := fmt.Sprintf("[Leadership reception day] %d/%d (%s) 14:30-17:00: Liu Hui receives customers at Room 201, topic: feedback", day.Month(), day.Day(), day.Weekday().String()[:3])
	if got := k.notices.text(); got != en {
		t.Errorf("in English the notice is %q, want %q", got, en)
	}
}
