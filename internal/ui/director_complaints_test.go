package ui

import (
	"context"
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

// complaintAtCounter5 records a complaint as clerk 1005 at counter 5.
func complaintAtCounter5(t *testing.T, h *halltest.Hall) hall.Complaint {
	t.Helper()
	c, err := h.RecordComplaint(context.Background(), h.At(5), hall.ComplaintInput{
		What:     "营业员办理业务时态度生硬，多次催促后才受理，客户要求说明情况并道歉",
		Where:    "5号窗口",
		Occurred: "今天上午",
		Contact:  hall.Contact{Name: "欧阳娜娜", Phone: "13912345678"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// labelsOf lists the labels under o.
func labelsOf(o fyne.CanvasObject) []*widget.Label {
	var out []*widget.Label
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// marks counts the labels under o with the text and importance.
func marks(o fyne.CanvasObject, text string, imp widget.Importance) int {
	n := 0
	for _, l := range labelsOf(o) {
		if l.Text == text && l.Importance == imp {
			n++
		}
	}
	return n
}

// openComplaints is the hall's register of open complaints, read as the
// test's director.
func openComplaints(t *testing.T, h *halltest.Hall) []hall.ComplaintView {
	t.Helper()
	list, err := h.Complaints(context.Background(), h.At(0))
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// recordStep taps the step's button and records the note in its dialog.
func recordStep(t *testing.T, d *director, b *widget.Button, note string) {
	t.Helper()
	if b.Disabled() {
		t.Fatalf("「%s」 disabled", b.Text)
	}
	test.Tap(b)
	if d.crNote == nil || d.dialog == nil {
		t.Fatalf("no note dialog for 「%s」", b.Text)
	}
	test.Type(d.crNote, note)
	test.Tap(d.crOK)
}

func TestDirectorComplaintRegister(t *testing.T) {
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	d.tabs.SelectIndex(3)
	if got := d.crCount.Text; got != "未办结 0 件" {
		t.Errorf("count %q with no complaints", got)
	}
	cp := complaintAtCounter5(t, h)
	d.reload()

	b := d.crBtns[cp.ID]
	if b == nil || len(d.crBox.Objects) != 1 {
		t.Fatalf("complaint %s not listed (%d rows, status %q)", cp.ID, len(d.crBox.Objects), d.statusLine.Text)
	}
	row := logRowText(d.crBox.Objects[0])
	for _, want := range []string{
		"11月27日 09:00 · 5号窗口 · 陈静（工号1005）",
		"投诉内容：营业员办理业务时态度生硬",
		"联系人：欧*** 139****5678",
		// Friday the 27th: 1 and 7 working days on.
		"联系期限：2026年11月30日", "答复期限：2026年12月8日",
	} {
		if !strings.Contains(row, want) {
			t.Errorf("row %q, want %q", row, want)
		}
	}
	if strings.Contains(row, "欧阳娜娜") || strings.Contains(row, "13912345678") {
		t.Errorf("row %q shows the contact in full", row)
	}
	if strings.Contains(row, complaintOverdue) || strings.Contains(row, complaintDoneMark) {
		t.Errorf("row %q marks a limit that is still running", row)
	}
	if b.contact.Disabled() || !b.reply.Disabled() || !b.close.Disabled() {
		t.Fatalf("buttons disabled: contact %v, reply %v, close %v; want only contact enabled",
			b.contact.Disabled(), b.reply.Disabled(), b.close.Disabled())
	}

	// An empty note is asked for again; the dialog stays.
	test.Tap(b.contact)
	test.Tap(d.crOK)
	if got := d.statusLine.Text; got != "请填写处理情况" {
		t.Errorf("empty note shows %q", got)
	}
	d.hideDialog()

	h.Clock.Advance(30 * time.Minute)
	recordStep(t, d, b.contact, "已电话联系客户，约定明日回复")
	list := openComplaints(t, h)
	if len(list) != 1 || len(list[0].Statuses) != 1 || list[0].Statuses[0].Step != hall.StepContacted ||
		list[0].Statuses[0].By != "2001" || !list[0].Contacted {
		t.Fatalf("register %+v, want the contact recorded by 2001", list)
	}
	if got := d.statusLine.Text; got != "已记录联系客户" {
		t.Errorf("status %q after the contact", got)
	}
	b = d.crBtns[cp.ID]
	if b.reply.Disabled() || !b.close.Disabled() {
		t.Fatalf("after contact: reply disabled %v, close disabled %v", b.reply.Disabled(), b.close.Disabled())
	}
	if n := marks(d.crBox.Objects[0], complaintDoneMark, widget.SuccessImportance); n != 1 {
		t.Errorf("%d green marks after the contact, want 1", n)
	}

	h.Clock.Advance(time.Hour)
	recordStep(t, d, b.reply, "已向客户说明情况并致歉，客户表示接受")
	list = openComplaints(t, h)
	if len(list) != 1 || len(list[0].Statuses) != 2 || list[0].Statuses[1].Step != hall.StepReplied || !list[0].Replied {
		t.Fatalf("register %+v, want the reply recorded", list)
	}
	b = d.crBtns[cp.ID]
	if b.close.Disabled() {
		t.Fatal("办结 disabled after the reply")
	}
	if n := marks(d.crBox.Objects[0], complaintDoneMark, widget.SuccessImportance); n != 2 {
		t.Errorf("%d green marks after the reply, want 2", n)
	}
	// The status records in order, each with its step, note, who and when.
	row = logRowText(d.crBox.Objects[0])
	contact := strings.Index(row, "已联系客户：已电话联系客户，约定明日回复（赵敏，11月27日 09:30）")
	reply := strings.Index(row, "已答复客户：已向客户说明情况并致歉，客户表示接受（赵敏，11月27日 10:30）")
	if contact < 0 || reply < contact {
		t.Errorf("row %q, want the contact then the reply", row)
	}

	recordStep(t, d, b.close, "客户对处理结果满意")
	if list := openComplaints(t, h); len(list) != 0 {
		t.Fatalf("register %+v after closing, want none open", list)
	}
	if len(d.crBtns) != 0 || d.crCount.Text != "未办结 0 件" {
		t.Errorf("window still lists %d complaints, count %q", len(d.crBtns), d.crCount.Text)
	}
	if n := len(eventsOf(t, h, hall.KindComplaintStatus)); n != 3 {
		t.Errorf("%d status events, want 3", n)
	}
}

func TestDirectorComplaintOverdue(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	cp := complaintAtCounter5(t, h)

	// Tuesday: past the contact limit (Monday), not the reply's.
	h.Clock.Advance(4 * 24 * time.Hour)
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
	if d.crBtns[cp.ID] == nil {
		t.Fatalf("complaint not listed after signing in again (status %q)", d.statusLine.Text)
	}
	row := d.crBox.Objects[0]
	if n := marks(row, complaintOverdue, widget.DangerImportance); n != 1 {
		t.Errorf("%d red 已超期 marks in %q, want 1 (the contact)", n, logRowText(row))
	}
	if got := d.crCount.Text; got != "未办结 1 件，其中超期 1 件" || d.crCount.Importance != widget.DangerImportance {
		t.Errorf("count %q (importance %v), want 1 overdue in red", got, d.crCount.Importance)
	}

	// Contact made late: the contact limit is done, no longer overdue.
	recordStep(t, d, d.crBtns[cp.ID].contact, "已电话联系客户")
	row = d.crBox.Objects[0]
	if marks(row, complaintOverdue, widget.DangerImportance) != 0 || marks(row, complaintDoneMark, widget.SuccessImportance) != 1 {
		t.Errorf("row %q after the contact, want a ✓ and no 已超期", logRowText(row))
	}
}

func TestDirectorComplaintStepError(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	cp := complaintAtCounter5(t, h)
	d.reload()
	b := d.crBtns[cp.ID]
	if b == nil {
		t.Fatal("complaint not listed")
	}
	// Another director closes it meanwhile; the window has not heard yet.
	for _, step := range []hall.ComplaintStep{hall.StepContacted, hall.StepReplied, hall.StepClosed} {
		if _, err := h.AddComplaintStatus(ctx, h.At(0), cp.ID, step, "已处理"); err != nil {
			t.Fatal(err)
		}
	}
	recordStep(t, d, b.contact, "已电话联系客户")
	if got, want := d.statusLine.Text, "没有这件未办结的投诉"; got != want || d.statusLine.Importance != widget.DangerImportance {
		t.Errorf("status %q (importance %v), want %q in red", got, d.statusLine.Importance, want)
	}
	if len(d.crBtns) != 0 {
		t.Errorf("window still lists %d complaints after the reload", len(d.crBtns))
	}
}
