package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// buttonIn finds the button with the text under o, dialogs' included.
func buttonIn(o fyne.CanvasObject, text string) *widget.Button {
	switch w := o.(type) {
	case *widget.Button:
		if w.Text == text {
			return w
		}
		return nil
	case *fyne.Container:
		for _, c := range w.Objects {
			if b := buttonIn(c, text); b != nil {
				return b
			}
		}
		return nil
	case *container.Scroll:
		return buttonIn(w.Content, text)
	case fyne.Widget:
		for _, c := range w.CreateRenderer().Objects() {
			if b := buttonIn(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// lookAt taps a 「查看联系方式」 button and returns the texts of the
// dialog it opens; the dialog stays open.
func lookAt(t *testing.T, d *director, w fyne.Window, b *widget.Button) []string {
	t.Helper()
	if b == nil {
		t.Fatal("no 「查看联系方式」 button")
	}
	if b.Text != T("查看联系方式") {
		t.Fatalf("button %q", b.Text)
	}
	test.Tap(b)
	top := w.Canvas().Overlays().Top()
	if d.dialog == nil || top == nil {
		t.Fatalf("no contact dialog (status %q)", d.statusLine.Text)
	}
	return shownTexts(top)
}

// closeContact taps the dialog's 关闭 and checks that the full contact is
// nowhere on the window any more.
func closeContact(t *testing.T, d *director, w fyne.Window, full ...string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog to close")
	}
	shown := shownTexts(top)
	b := buttonIn(top, T("关闭"))
	if b == nil {
		t.Fatalf("no 关闭 in %q", shown)
	}
	test.Tap(b)
	if d.dialog != nil || w.Canvas().Overlays().Top() != nil {
		t.Fatal("the dialog is still open after 关闭")
	}
	left := strings.Join(shownTexts(w.Content()), "\n")
	// The dialog's own labels are emptied too, should anything keep them.
	kept := strings.Join(shownTexts(top), "\n")
	for _, s := range full {
		if strings.Contains(left, s) {
			t.Errorf("the window still shows %q after 关闭", s)
		}
		if strings.Contains(kept, s) {
			t.Errorf("the closed dialog still holds %q", s)
		}
	}
}

// looksRecorded is the contact.viewed events, each checked to name the
// record and the director and to hold none of the texts.
func looksRecorded(t *testing.T, h *halltest.Hall, rec hall.ContactRecord, id string, full ...string) int {
	t.Helper()
	evs := eventsOf(t, h, hall.KindContactViewed)
	for _, e := range evs {
		var v hall.ContactViewed
		if err := e.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if v.Record != rec || v.ID != id || v.By != "2001" {
			t.Errorf("look recorded %+v, want %s %s by 2001", v, rec, id)
		}
		for _, s := range full {
			if strings.Contains(string(e.Payload), s) {
				t.Errorf("the look's event holds %q: %s", s, e.Payload)
			}
		}
	}
	return len(evs)
}

// hasLine reports whether texts has a text containing s.
func hasLine(texts []string, s string) bool {
	return slices.ContainsFunc(texts, func(x string) bool { return strings.Contains(x, s) })
}

func TestDirectorLooksAtAComplaintsContact(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, w := signedInDirector(t, h)
	d.tabs.SelectIndex(3)
	cp := complaintAtCounter5(t, h)
	bare, err := h.RecordComplaint(ctx, h.At(4), hall.ComplaintInput{What: "排队时间过长"})
	if err != nil {
		t.Fatal(err)
	}
	d.reload()
	if b := d.crBtns[bare.ID]; b == nil || b.view != nil {
		t.Fatalf("a complaint without a contact: buttons %+v, want no 「查看联系方式」", b)
	}
	if n := looksRecorded(t, h, hall.ContactOfComplaint, cp.ID); n != 0 {
		t.Fatalf("%d looks recorded before any", n)
	}

	texts := lookAt(t, d, w, d.crBtns[cp.ID].view)
	for _, want := range []string{"联系人：欧阳娜娜", "联系电话：13912345678", "本次查看已记录", "投诉内容：营业员办理业务时态度生硬"} {
		if !hasLine(texts, want) {
			t.Errorf("dialog %q, want %q", texts, want)
		}
	}
	if n := looksRecorded(t, h, hall.ContactOfComplaint, cp.ID, "13912345678", "欧阳娜娜"); n != 1 {
		t.Fatalf("%d looks recorded, want 1", n)
	}
	closeContact(t, d, w, "13912345678", "欧阳娜娜")

	// Closed, in the register's history, it is still there to call back.
	for _, step := range []hall.ComplaintStep{hall.StepContacted, hall.StepReplied, hall.StepClosed} {
		if _, err := h.AddComplaintStatus(ctx, h.At(0), cp.ID, step, "已电话联系客户"); err != nil {
			t.Fatal(err)
		}
	}
	d.crHistory.SetChecked(true)
	texts = lookAt(t, d, w, d.crBtns[cp.ID].view)
	if !hasLine(texts, "联系电话：13912345678") {
		t.Errorf("closed complaint's dialog %q", texts)
	}
	if n := looksRecorded(t, h, hall.ContactOfComplaint, cp.ID, "13912345678", "欧阳娜娜"); n != 2 {
		t.Fatalf("%d looks recorded, want 2", n)
	}
	closeContact(t, d, w, "13912345678", "欧阳娜娜")
}

func TestDirectorLooksAtABadRatingsCallBackPhone(t *testing.T) {
	h := halltest.New(t, nil)
	d, w := signedInDirector(t, h)
	v := badRatingsTab(t, d)
	r := badRatingAt2(t, h)
	d.reload()
	b := v.btns[r.ID]
	if b == nil {
		t.Fatalf("rating %s not listed", r.ID)
	}
	texts := lookAt(t, d, w, b.view)
	if !hasLine(texts, "联系电话：13911112222") || !hasLine(texts, "本次查看已记录") {
		t.Errorf("dialog %q, want the phone in full and the look recorded", texts)
	}
	if hasLine(texts, "联系人：") {
		t.Errorf("dialog %q shows a name a rating does not have", texts)
	}
	if n := looksRecorded(t, h, hall.ContactOfRating, r.ID, "13911112222"); n != 1 {
		t.Fatalf("%d looks recorded, want 1", n)
	}
	closeContact(t, d, w, "13911112222")
}

func TestDirectorLooksAtAnEscalationsContact(t *testing.T) {
	h := halltest.New(t, nil)
	d, w := signedInDirector(t, h)
	d.tabs.SelectIndex(1)
	es := escalateAt1(t, h)
	d.reload()
	texts := lookAt(t, d, w, d.viewBtns[es.ID])
	for _, want := range []string{"联系人：王建国", "联系电话：13812345678", "本次查看已记录", "诉求：电表走字异常，申请校验"} {
		if !hasLine(texts, want) {
			t.Errorf("dialog %q, want %q", texts, want)
		}
	}
	if n := looksRecorded(t, h, hall.ContactOfEscalation, es.ID, "13812345678", "王建国"); n != 1 {
		t.Fatalf("%d looks recorded, want 1", n)
	}
	closeContact(t, d, w, "13812345678", "王建国")
}

// A refused look shows why on the status line, and no dialog.
func TestDirectorLookAtAContactRefused(t *testing.T) {
	h := halltest.New(t, nil)
	d, w := signedInDirector(t, h)
	v := badRatingsTab(t, d)
	r := badRatingAt2(t, h)
	d.reload()
	b := v.btns[r.ID].view
	// Rectified and called back elsewhere meanwhile: the rating has left the inbox.
	for _, k := range []hall.FollowUpKind{hall.FollowRectified, hall.FollowCalledBack} {
		if _, err := h.AddRatingFollowUp(context.Background(), h.At(0), r.ID, k, "已处理"); err != nil {
			t.Fatal(err)
		}
	}
	test.Tap(b)
	if d.dialog != nil || w.Canvas().Overlays().Top() != nil {
		t.Fatal("a dialog opened for a refused look")
	}
	if got := d.statusLine.Text; got != "没有这条待处理的差评" {
		t.Errorf("status %q", got)
	}
	if n := len(eventsOf(t, h, hall.KindContactViewed)); n != 0 {
		t.Errorf("%d looks recorded for a refused one", n)
	}
}

func TestDirectorContactDialogInEnglish(t *testing.T) {
	inEnglish(t)
	h := halltest.New(t, nil)
	d, w := signedInDirector(t, h)
	d.tabs.SelectIndex(3)
	cp := complaintAtCounter5(t, h)
	d.reload()
	b := d.crBtns[cp.ID].view
	if b == nil || b.Text != "View contact" {
		t.Fatalf("button %+v", b)
	}
	texts := lookAt(t, d, w, b)
	for _, want := range []string{"Contact: 欧阳娜娜", "Phone: 13912345678", "This look has been recorded", "Close"} {
		if !hasLine(texts, want) {
			t.Errorf("dialog %q, want %q", texts, want)
		}
	}
	if bad := chineseShown(w.Canvas().Overlays().Top(), "欧阳娜娜", cp.What); len(bad) > 0 {
		t.Errorf("still Chinese in the dialog: %q", bad)
	}
	closeContact(t, d, w, "13912345678", "欧阳娜娜")
}

// A contact whose answer comes late does not close the dialog the director
// opened meanwhile, and a second tap while it is read is not a second look.
func TestDirectorLateContactLeavesTheOtherDialog(t *testing.T) {
	h := halltest.New(t, nil)
	d, w := signedInDirector(t, h)
	es := escalateAt1(t, h)
	d.reload()
	var held []func()
	d.spawn = func(f func()) { held = append(held, f) }
	test.Tap(d.viewBtns[es.ID])
	test.Tap(d.viewBtns[es.ID])
	if len(held) != 1 {
		t.Fatalf("%d reads started by two taps, want 1", len(held))
	}
	other := dialog.NewInformation("答复", "正在录入答复", w)
	d.dialog = other
	other.Show()
	held[0]()
	if d.dialog != other {
		t.Fatal("the late contact replaced the director's open dialog")
	}
	for _, s := range shownTexts(w.Canvas().Overlays().Top()) {
		if strings.Contains(s, "13812345678") {
			t.Fatalf("the contact is shown over the other dialog: %q", s)
		}
	}
	if !strings.Contains(d.statusLine.Text, "本次查看已记录") {
		t.Errorf("status %q", d.statusLine.Text)
	}
	if n := looksRecorded(t, h, hall.ContactOfEscalation, es.ID, "13812345678", "王建国"); n != 1 {
		t.Errorf("%d looks recorded, want 1", n)
	}
	// The next tap reads again.
	test.Tap(d.viewBtns[es.ID])
	if len(held) != 2 {
		t.Errorf("the next tap started %d reads in all, want 2", len(held))
	}
}
