package ui

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// openEvaluator opens the evaluator of counter n in a test window with its
// hall calls run inline and its timers fired by hand, and loads it.
func openEvaluator(t *testing.T, h *halltest.Hall, n int) (*evaluator, fyne.Window, *custTimers) {
	t.Helper()
	s := newTestSession(t, h)
	e := newEvaluator(s, n)
	timers := &custTimers{}
	e.spawn, e.after = custInline, timers.after
	w := e.window()
	t.Cleanup(w.Close)
	if _, err := e.load(s.ctx); err != nil {
		t.Fatalf("load: %v", err)
	}
	return e, w, timers
}

// evalCheck reads the counter again, as an event or the tick makes the
// live evaluator do.
func evalCheck(e *evaluator) { e.check(e.s.ctx) }

func ratingSummary(t *testing.T, h *halltest.Hall, clerk string) hall.ClerkRatings {
	t.Helper()
	sum, err := h.RatingSummary(context.Background(), h.At(0))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sum {
		if c.Clerk == clerk {
			return c
		}
	}
	return hall.ClerkRatings{Clerk: clerk}
}

func TestEvaluatorShowsTheCounterCard(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	e, w, _ := openEvaluator(t, h, 1)
	if e.view != evalCard {
		t.Fatalf("view %d, want the card", e.view)
	}
	got := []string{custTextOf(e.cardCounter), custTextOf(e.cardStaff), custTextOf(e.cardGreeting)}
	if want := []string{"1号窗口", "工号 1001　李娜", evalGreeting}; !slices.Equal(got, want) {
		t.Errorf("card %q, want %q", got, want)
	}
	if got, want := w.Title(), "城关供电营业厅 · 评价器（1号窗口）"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	custFits(t, "evaluator card", e.root)
	test.AssertRendersToMarkup(t, "evaluator/card.xml", w.Canvas())

	if err := h.SignOut(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	evalCheck(e)
	if got := custTextOf(e.cardStaff); got != "本窗口暂无工作人员" {
		t.Errorf("card after sign-out reads %q", got)
	}
}

func TestEvaluatorStoresEveryLevel(t *testing.T) {
	h := halltest.New(t, nil)
	e, w, timers := openEvaluator(t, h, 1)
	after := h.LastSeq()
	for i, l := range hall.Levels {
		custServe(t, h, demo.TypeFee, 1)
		evalCheck(e)
		if e.view != evalRating {
			t.Fatalf("%s: view %d after a service, want the rating", l.Label(), e.view)
		}
		if i == 0 {
			h.Clock.Advance(15 * time.Second)
			e.onTick()
			if got := custTextOf(e.countdown); got != "请在 45 秒内完成评价" {
				t.Errorf("countdown %q", got)
			}
			relayout(w)
			test.AssertRendersToMarkup(t, "evaluator/rating.xml", w.Canvas())
		}
		test.Tap(e.levelButtons[l])
		if l.Bad() {
			if e.view != evalReasons {
				t.Fatalf("%s: view %d, want the reasons", l.Label(), e.view)
			}
			test.Tap(e.reasons[1])
			test.Tap(e.submit)
		}
		if e.view != evalMessage || custTextOf(e.msgTitle) == "" {
			t.Fatalf("%s: view %d, want thanks", l.Label(), e.view)
		}
		if !timers.fire(evalMessageFor) || e.view != evalCard {
			t.Fatalf("%s: view %d after the thanks, want the card", l.Label(), e.view)
		}
		evalCheck(e)
		if e.view != evalCard {
			t.Fatalf("%s: a rated service is asked again", l.Label())
		}
	}
	sum := ratingSummary(t, h, "1001")
	for _, l := range hall.Levels {
		if sum.Counts[l] != 1 {
			t.Errorf("%s stored %d times, want once", l.Label(), sum.Counts[l])
		}
	}
	if sum.Total != len(hall.Levels) || sum.Unrated != 0 {
		t.Errorf("total %d unrated %d, want %d and 0", sum.Total, sum.Unrated, len(hall.Levels))
	}
	var levels []hall.RatingLevel
	for _, r := range custEventsOf[hall.Rating](t, h, after, hall.KindRated) {
		levels = append(levels, r.Level)
		if r.Level.Bad() && !slices.Equal(r.Reasons, []string{hall.RatingReasons[1]}) {
			t.Errorf("%s stored with reasons %q", r.Level.Label(), r.Reasons)
		}
	}
	if !slices.Equal(levels, hall.Levels) {
		t.Errorf("recorded %v, want %v", levels, hall.Levels)
	}
}

func TestEvaluatorAsksWhyAndForAPhone(t *testing.T) {
	h := halltest.New(t, nil)
	e, w, _ := openEvaluator(t, h, 1)
	after := h.LastSeq()
	custServe(t, h, demo.TypeFee, 1)
	evalCheck(e)
	test.Tap(e.levelButtons[hall.VeryDissatisfied])
	if e.view != evalReasons {
		t.Fatalf("view %d, want the reasons", e.view)
	}
	if got := custTextOf(e.reasonTitle); got != "您选择了「非常不满意」，请选择原因（可多选）" {
		t.Errorf("reason prompt %q", got)
	}
	// No reason, no rating.
	if !e.submit.Disabled() || e.submit.Detail() != evalReasonNeed {
		t.Errorf("submit enabled %v with %q before a reason", !e.submit.Disabled(), e.submit.Detail())
	}
	test.Tap(e.submit)
	if e.view != evalReasons || len(custEventsOf[hall.Rating](t, h, after, hall.KindRated)) != 0 {
		t.Fatal("a bad rating went through without a reason")
	}
	test.Tap(e.reasons[0])
	test.Tap(e.reasons[2])
	test.Tap(e.reasons[2]) // changed their mind
	if got := e.chosenReasons(); !slices.Equal(got, []string{"等候时间长"}) {
		t.Errorf("reasons %q", got)
	}
	// A phone that is not one stays on the page with the hall's word.
	for _, k := range []string{"1", "2"} {
		test.Tap(e.keypad[k])
	}
	test.Tap(e.submit)
	if e.view != evalReasons || custTextOf(e.reasonHint) != "联系电话格式有误" || !e.reasonHint.Visible() {
		t.Fatalf("view %d hint %q after a bad phone, want the reasons page and the hall's message", e.view, custTextOf(e.reasonHint))
	}
	test.Tap(e.keypad["清空"])
	for _, k := range []string{"1", "3", "8", "1", "2", "3", "4", "5", "6", "7", "8", "9", "删除"} {
		test.Tap(e.keypad[k])
	}
	if e.phone.Text != "13812345678" {
		t.Fatalf("phone %q from the keypad", e.phone.Text)
	}
	relayout(w)
	test.AssertRendersToMarkup(t, "evaluator/reasons.xml", w.Canvas())
	test.Tap(e.submit)
	if e.view != evalMessage {
		t.Fatalf("view %d, want thanks", e.view)
	}
	if got, want := custTextOf(e.msgDetail), "我们将认真改进，并通过 138****5678 与您联系"; got != want {
		t.Errorf("thanks %q, want %q", got, want)
	}
	if e.phone.Text != "" {
		t.Errorf("phone %q still on screen after the rating", e.phone.Text)
	}
	rated := custEventsOf[hall.Rating](t, h, after, hall.KindRated)
	if len(rated) != 1 || rated[0].Level != hall.VeryDissatisfied || !slices.Equal(rated[0].Reasons, []string{"等候时间长"}) || rated[0].Phone != "138****5678" {
		t.Errorf("recorded %+v, want 非常不满意 for 等候时间长 with the phone masked", rated)
	}
	if alerts := custEventsOf[hall.Rating](t, h, after, hall.KindRatingAlert); len(alerts) != 1 {
		t.Errorf("%d alerts for a bad rating, want 1", len(alerts))
	}
}

func TestEvaluatorTimesOut(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	e, _, _ := openEvaluator(t, h, 1)
	custServe(t, h, demo.TypeFee, 1)
	evalCheck(e)
	test.Tap(e.levelButtons[hall.Dissatisfied]) // the customer starts, then walks away
	h.Clock.Advance(hall.DefaultRatingWindow + time.Second)
	e.onTick()
	if got := custTextOf(e.reasonsCount); got != "评价时间已到" {
		t.Errorf("countdown %q past the deadline", got)
	}
	evalCheck(e)
	if e.view != evalCard {
		t.Fatalf("view %d past the deadline, want the card", e.view)
	}
	if p, err := h.PendingRating(ctx, 1); err != nil || p != nil {
		t.Fatalf("pending %+v, %v past the deadline", p, err)
	}
	if err := h.Housekeep(ctx); err != nil {
		t.Fatal(err)
	}
	if sum := ratingSummary(t, h, "1001"); sum.Unrated != 1 || sum.Total != 1 {
		t.Errorf("unrated %d of %d, want the service stored 未评价", sum.Unrated, sum.Total)
	}
}

func TestEvaluatorRefusesLateAndSecondRatings(t *testing.T) {
	h := halltest.New(t, nil)
	a, _, timersA := openEvaluator(t, h, 1)
	b, _, _ := openEvaluator(t, h, 1) // a second screen at the same counter
	custServe(t, h, demo.TypeFee, 1)
	evalCheck(a)
	evalCheck(b)
	test.Tap(a.levelButtons[hall.Satisfied])
	test.Tap(b.levelButtons[hall.VerySatisfied])
	if b.view != evalMessage || custTextOf(b.msgTitle) != hall.Message(hall.ErrRatingClosed) {
		t.Errorf("second rating shows %d %q, want %q", b.view, custTextOf(b.msgTitle), hall.Message(hall.ErrRatingClosed))
	}
	// A press on the first screen before it went back to the card.
	test.Tap(a.levelButtons[hall.VerySatisfied])
	if custTextOf(a.msgTitle) != hall.Message(hall.ErrRatingClosed) {
		t.Errorf("repeat press shows %q", custTextOf(a.msgTitle))
	}
	timersA.fire(evalMessageFor)
	if a.view != evalCard {
		t.Errorf("view %d after the refusal, want the card", a.view)
	}
	if sum := ratingSummary(t, h, "1001"); sum.Total != 1 || sum.Counts[hall.Satisfied] != 1 {
		t.Errorf("stored %v, want only the first rating", sum.Counts)
	}

	// Late: the window closed, the screen not yet told.
	custServe(t, h, demo.TypeFee, 1)
	evalCheck(a)
	h.Clock.Advance(hall.DefaultRatingWindow + time.Second)
	test.Tap(a.levelButtons[hall.Satisfied])
	if custTextOf(a.msgTitle) != hall.Message(hall.ErrRatingClosed) {
		t.Errorf("late press shows %q", custTextOf(a.msgTitle))
	}
	timersA.fire(evalMessageFor)
	evalCheck(a)
	if a.view != evalCard {
		t.Errorf("view %d after a late press, want the card", a.view)
	}
}

func TestEvaluatorConfirmsProxy(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	e, w, timers := openEvaluator(t, h, 1)
	after := h.LastSeq()
	for _, confirm := range []bool{true, false} {
		custIssue(t, h, hall.Disabled, demo.TypeFee)
		displayCalls(t, h, 1)
		if _, err := h.Start(ctx, h.At(1)); err != nil {
			t.Fatal(err)
		}
		summary := "代客户办理电费发票重开"
		if confirm {
			summary = "代客户办理峰谷电价变更申请，自下月起执行"
		}
		p, err := h.RecordProxy(ctx, h.At(1), summary)
		if err != nil {
			t.Fatal(err)
		}
		evalCheck(e)
		if e.view != evalProxy || custTextOf(e.proxySummary) != summary {
			t.Fatalf("view %d summary %q, want the 代办 to confirm", e.view, custTextOf(e.proxySummary))
		}
		if confirm {
			relayout(w)
			test.AssertRendersToMarkup(t, "evaluator/proxy.xml", w.Canvas())
			test.Tap(e.confirm)
		} else {
			test.Tap(e.decline)
		}
		if e.view != evalMessage {
			t.Fatalf("view %d after the answer, want thanks", e.view)
		}
		if pending, err := h.PendingProxy(ctx, 1); err != nil || pending != nil {
			t.Errorf("pending %+v, %v after the answer", pending, err)
		}
		timers.fire(evalMessageFor)
		decided := custEventsOf[hall.Proxy](t, h, after, hall.KindProxyDecided)
		last := decided[len(decided)-1]
		want := hall.ProxyDeclined
		if confirm {
			want = hall.ProxyConfirmed
		}
		if last.ID != p.ID || last.State != want {
			t.Errorf("decided %s %s, want %s %s", last.ID, last.State, p.ID, want)
		}
		if _, err := h.Finish(ctx, h.At(1)); err != nil {
			t.Fatal(err)
		}
		evalCheck(e)
		if e.view != evalRating {
			t.Fatalf("view %d after the service, want the rating", e.view)
		}
		test.Tap(e.levelButtons[hall.Satisfied])
		timers.fire(evalMessageFor)
	}
}

func TestEvaluatorLargeModeFits(t *testing.T) {
	h := halltest.New(t, nil)
	e, _, _ := openEvaluator(t, h, 1)
	test.Tap(e.frame.toggle)
	custFits(t, "evaluator card in 长者模式", e.root)
	custServe(t, h, demo.TypeFee, 1)
	evalCheck(e)
	custFits(t, "evaluator rating in 长者模式", e.root)
	test.Tap(e.levelButtons[hall.Dissatisfied])
	custFits(t, "evaluator reasons in 长者模式", e.root)
}

func TestEvaluatorUnknownCounter(t *testing.T) {
	h := halltest.New(t, nil)
	e, _, _ := openEvaluator(t, h, 9)
	if !e.statusBox.Visible() || custTextOf(e.status) != hall.Message(hall.ErrUnknownCounter) {
		t.Errorf("status %q, want %q", custTextOf(e.status), hall.Message(hall.ErrUnknownCounter))
	}
}

func TestRunOpensCustomerRoles(t *testing.T) {
	h := halltest.New(t, nil)
	for _, c := range []struct {
		role    string
		counter int
		title   string
	}{
		{"kiosk", 0, "城关供电营业厅 · 取号机"},
		{"display", 0, "城关供电营业厅 · 综合屏"},
		{"evaluator", 2, "城关供电营业厅 · 评价器（2号窗口）"},
	} {
		t.Run(c.role, func(t *testing.T) {
			a := test.NewTempApp(t)
			// The test app's Run returns at once: Run opens the window,
			// loads it, stops its background work and returns.
			if err := Run(context.Background(), a, h.Local, Options{Role: c.role, Counter: c.counter}); err != nil {
				t.Fatalf("Run: %v", err)
			}
			var titles []string
			for _, w := range a.Driver().AllWindows() {
				if w.Title() != "" {
					titles = append(titles, w.Title())
				}
			}
			if len(titles) != 1 || (titles[0] != c.title && titles[0] != roleWindowTitle(c.role, c.counter)) {
				t.Errorf("windows %q, want one titled %q", titles, c.title)
			}
		})
	}
}

// roleWindowTitle is a role window's title before it has read the hall.
func roleWindowTitle(role string, counter int) string {
	switch role {
	case "kiosk":
		return kioskTitle
	case "display":
		return displayTitle
	}
	return fmt.Sprintf("%s（%d号窗口）", evaluatorTitle, counter)
}

// Showing a rating must not itself ask for another read: the feed would
// read the hall in a loop for as long as the rating is open. The tick asks.
func TestEvaluatorReadsOncePerTick(t *testing.T) {
	h := halltest.New(t, nil)
	e, _, _ := openEvaluator(t, h, 1)
	custServe(t, h, demo.TypeFee, 1)
	evalCheck(e)
	if e.view != evalRating {
		t.Fatalf("view %d, want the rating", e.view)
	}
	if n := len(e.feed.kicks); n != 0 {
		t.Fatalf("showing the rating asked for %d more reads, want none", n)
	}
	e.onTick()
	if n := len(e.feed.kicks); n != 1 {
		t.Errorf("a tick with a rating open asked for %d reads, want 1", n)
	}
	<-e.feed.kicks
	test.Tap(e.levelButtons[hall.Satisfied])
	<-e.feed.kicks // the rating's own, to see what comes next
	e.onTick()
	if n := len(e.feed.kicks); n != 0 {
		t.Errorf("a tick with no rating open asked for %d reads, want none", n)
	}
}
