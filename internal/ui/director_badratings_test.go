package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// badRatingAt2 serves a fee ticket at counter 2 and rates it 非常不满意.
func badRatingAt2(t *testing.T, h *halltest.Hall) hall.Rating {
	t.Helper()
	ctx := context.Background()
	issueTicket(t, h, demo.TypeFee, hall.Normal)
	if _, err := h.CallNext(ctx, h.At(2)); err != nil {
		t.Fatalf("call: %v", err)
	}
	if _, err := h.Start(ctx, h.At(2)); err != nil {
		t.Fatalf("start: %v", err)
	}
	h.Clock.Advance(2 * time.Minute)
	rec, err := h.Finish(ctx, h.At(2))
	if err != nil {
		t.Fatalf("finish: %v", err)
	}
	r, err := h.Rate(ctx, 2, hall.RatingInput{ServiceID: rec.ID, Level: hall.VeryDissatisfied,
		Reasons: []string{"服务态度"}, Phone: "13911112222"})
	if err != nil {
		t.Fatalf("rate: %v", err)
	}
	return r
}

// badRatingsTab is the window's 差评处理 tab.
func badRatingsTab(t *testing.T, d *director) *badRatingsView {
	t.Helper()
	for i, it := range d.tabs.Items {
		if it.Text == "差评处理" {
			d.tabs.SelectIndex(i)
			if v, ok := it.Content.(*badRatingsView); ok {
				return v
			}
		}
	}
	t.Fatal("no 差评处理 tab")
	return nil
}

// recordFollowUp taps the button and records the note in its dialog.
func recordFollowUp(t *testing.T, d *director, v *badRatingsView, b *widget.Button, note string) {
	t.Helper()
	if b.Disabled() {
		t.Fatalf("「%s」 disabled", b.Text)
	}
	test.Tap(b)
	if v.note == nil || d.dialog == nil {
		t.Fatalf("no note dialog for 「%s」", b.Text)
	}
	test.Type(v.note, note)
	test.Tap(v.ok)
}

func TestDirectorBadRatings(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	v := badRatingsTab(t, d)
	if got := v.count.Text; got != "待处理 0 条" {
		t.Errorf("count %q with no bad ratings", got)
	}
	card := v.content.(*container.Scroll).Content.(*fyne.Container).Objects[0].(*widget.Card)
	if rule := logRowText(card.Content); !strings.Contains(rule, "15个工作日内完成100%回访") || !strings.Contains(rule, "不得修改或删除") {
		t.Errorf("tab %q lacks the rule", rule)
	}
	r := badRatingAt2(t, h)
	d.reload()

	b := v.btns[r.ID]
	if b == nil || len(v.box.Objects) != 1 {
		t.Fatalf("rating %s not listed (%d rows, status %q)", r.ID, len(v.box.Objects), d.statusLine.Text)
	}
	row := logRowText(v.box.Objects[0])
	for _, want := range []string{
		"11月27日 09:02", "号码 " + r.Number, "2号窗口", "（工号" + r.Clerk + "）",
		"原因：服务态度", "回访电话：139****2222",
		// Friday the 27th: 15 working days on.
		"期限：2026年12月18日",
	} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q, want %q", row, want)
		}
	}
	if strings.Contains(row, "13911112222") {
		t.Errorf("row %q shows the phone in full", row)
	}
	if marks(v.box.Objects[0], hall.VeryDissatisfied.Label(), widget.DangerImportance) != 1 {
		t.Errorf("row %q: the level is not in red", row)
	}
	if strings.Contains(row, complaintOverdue) || strings.Contains(row, complaintDoneMark) {
		t.Errorf("row %q marks a limit that is still running", row)
	}

	// An empty note is asked for again.
	test.Tap(b.rectify)
	test.Tap(v.ok)
	if got := d.statusLine.Text; got != "请填写处理情况" {
		t.Errorf("empty note shows %q", got)
	}
	d.hideDialog()

	h.Clock.Advance(time.Hour)
	recordFollowUp(t, d, v, b.rectify, "已对营业员进行服务规范再培训")
	list, err := h.BadRatings(ctx, h.At(0))
	if err != nil || len(list) != 1 || !list[0].Rectified || list[0].CalledBack || list[0].FollowUps[0].By != "2001" {
		t.Fatalf("inbox %+v, %v; want the rectification by 2001", list, err)
	}
	if got := d.statusLine.Text; got != "已记录整改" {
		t.Errorf("status %q after the rectification", got)
	}
	b = v.btns[r.ID]
	if !b.rectify.Disabled() || b.callBack.Disabled() {
		t.Fatalf("after rectification: rectify disabled %v, call-back disabled %v", b.rectify.Disabled(), b.callBack.Disabled())
	}
	if n := marks(v.box.Objects[0], complaintDoneMark, widget.SuccessImportance); n != 1 {
		t.Errorf("%d green marks after the rectification, want 1", n)
	}
	if row := logRowText(v.box.Objects[0]); !strings.Contains(row, "整改：已对营业员进行服务规范再培训（赵敏，11月27日 10:02）") {
		t.Errorf("row %q lacks the rectification record", row)
	}

	recordFollowUp(t, d, v, b.callBack, "电话回访，客户表示认可")
	if list, err := h.BadRatings(ctx, h.At(0)); err != nil || len(list) != 0 {
		t.Fatalf("inbox %+v, %v after both; want it empty", list, err)
	}
	if len(v.btns) != 0 || v.count.Text != "待处理 0 条" {
		t.Errorf("window still lists %d bad ratings, count %q", len(v.btns), v.count.Text)
	}
	if got := d.statusLine.Text; got != "已记录回访" {
		t.Errorf("status %q after the call-back", got)
	}
}

func TestDirectorBadRatingOverdue(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	r := badRatingAt2(t, h)

	h.Clock.Advance(22 * 24 * time.Hour)
	if err := h.Housekeep(ctx); err != nil {
		t.Fatal(err)
	}
	d.reload()
	if d.signedIn {
		t.Fatal("still signed in after midnight")
	}
	directorSignIn(t, d, "2001", demo.PIN)
	if !d.signedIn {
		t.Fatalf("not signed in again: %q", d.signInMsg.Text)
	}
	v := badRatingsTab(t, d)
	if v.btns[r.ID] == nil {
		t.Fatalf("rating not listed after signing in again (status %q)", d.statusLine.Text)
	}
	row := v.box.Objects[0]
	if n := marks(row, complaintOverdue, widget.DangerImportance); n != 1 {
		t.Errorf("%d red 已超期 marks in %q, want 1", n, logRowText(row))
	}
	if got := v.count.Text; got != "待处理 1 条，其中超期 1 条" || v.count.Importance != widget.DangerImportance {
		t.Errorf("count %q (importance %v), want 1 overdue in red", got, v.count.Importance)
	}
}

func TestDirectorBadRatingFollowUpError(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	v := badRatingsTab(t, d)
	r := badRatingAt2(t, h)
	d.reload()
	b := v.btns[r.ID]
	if b == nil {
		t.Fatal("rating not listed")
	}
	// Another director closes it meanwhile; the window has not heard yet.
	for _, k := range []hall.FollowUpKind{hall.FollowRectified, hall.FollowCalledBack} {
		if _, err := h.AddRatingFollowUp(ctx, h.At(0), r.ID, k, "已处理"); err != nil {
			t.Fatal(err)
		}
	}
	recordFollowUp(t, d, v, b.rectify, "已整改")
	if got, want := d.statusLine.Text, "没有这条待处理的差评"; got != want || d.statusLine.Importance != widget.DangerImportance {
		t.Errorf("status %q (importance %v), want %q in red", got, d.statusLine.Importance, want)
	}
	if len(v.btns) != 0 {
		t.Errorf("window still lists %d bad ratings after the reload", len(v.btns))
	}
}
