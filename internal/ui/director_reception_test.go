package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// tabOf selects the tab called name and returns its content.
func tabOf[T any](t *testing.T, d *director, name string) T {
	t.Helper()
	for i, it := range d.tabs.Items {
		if it.Text == name {
			d.tabs.SelectIndex(i)
			if v, ok := it.Content.(T); ok {
				return v
			}
		}
	}
	t.Fatalf("no %s tab", name)
	var zero T
	return zero
}

// allText is the text of every label and rich text under o.
func allText(o fyne.CanvasObject) string {
	var parts []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			parts = append(parts, x.Text)
		case *widget.RichText:
			parts = append(parts, x.String())
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return strings.Join(parts, " | ")
}

// fill types into the open dialog's entries and taps its OK button.
func fill(t *testing.T, v *receptionView, vals map[string]string) {
	t.Helper()
	if v.form == nil {
		t.Fatal("no dialog")
	}
	for k, s := range vals {
		e := v.form[k]
		if e == nil {
			t.Fatalf("dialog has no %q entry", k)
		}
		e.SetText(s)
	}
	test.Tap(v.ok)
}

func TestDirectorReceptionDayScheduleVisitAndReply(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil) // Friday 2026-11-27
	d, _ := signedInDirector(t, h)
	v := tabOf[*receptionView](t, d, "接待日")
	if got := allText(v.schedBox); !strings.Contains(got, "近期没有安排领导接待日") {
		t.Errorf("empty schedule shows %q", got)
	}
	// A bad date is refused in Chinese and nothing is scheduled.
	v.askSchedule()
	fill(t, v, map[string]string{"day": "12月1日", "hours": "09:00-11:30", "leader": "副总经理 王建国", "place": "二楼接待室"})
	if got := d.statusLine.Text; !strings.Contains(got, "日期格式有误") {
		t.Errorf("bad date shows %q", got)
	}
	if list, _ := h.Receptions(ctx, "2026-11-27", 60); len(list) != 0 {
		t.Fatalf("scheduled despite the error: %+v", list)
	}
	v.askSchedule()
	fill(t, v, map[string]string{"day": "2026-11-27", "hours": "09:00-11:30", "leader": "副总经理 王建国", "place": "二楼接待室", "topics": "电费电价"})
	if got := d.statusLine.Text; got != "已安排 2026-11-27 的领导接待日" {
		t.Fatalf("status %q", got)
	}
	row := allText(v.schedBox)
	for _, want := range []string{"2026年11月27日（周五）09:00-11:30 · 副总经理 王建国 · 二楼接待室", "接待主题：电费电价"} {
		if !strings.Contains(row, want) {
			t.Errorf("schedule %q, want %q", row, want)
		}
	}
	sched, _ := h.Receptions(ctx, "2026-11-27", 1)
	if len(sched) != 1 {
		t.Fatalf("schedule = %+v", sched)
	}
	// Today: visits can be recorded.
	v.askVisit(sched[0].ID)
	fill(t, v, map[string]string{"name": "李红梅", "phone": "13812345678", "matter": "小区频繁停电", "commitment": "一周内排查线路", "deadline": "2026-12-04"})
	if got := d.statusLine.Text; got != "来访已登记" {
		t.Fatalf("status %q", got)
	}
	visits := allText(v.visitBox)
	if !strings.Contains(visits, "来访人 李** 138****5678") || strings.Contains(visits, "13812345678") || strings.Contains(visits, "李红梅") {
		t.Errorf("visit list %q must show the contact masked", visits)
	}
	if v.count.Text != "在办 1 件" {
		t.Errorf("count %q", v.count.Text)
	}
	open, _ := h.Visits(ctx, h.At(0), false, "", "")
	if len(open) != 1 {
		t.Fatalf("visits = %+v", open)
	}
	// The full record shows the contact.
	v.showRecord(open[0].Visit.ID)
	if d.dialog == nil {
		t.Fatal("no record dialog")
	}
	d.hideDialog()
	h.Clock.Advance(time.Hour)
	v.askNote(open[0].Visit.ID, true)
	fill(t, v, map[string]string{"note": ""})
	if got := d.statusLine.Text; got != "请填写给客户的答复" {
		t.Errorf("empty reply shows %q", got)
	}
	d.hideDialog()
	v.askNote(open[0].Visit.ID, true)
	fill(t, v, map[string]string{"note": "已排查并答复客户"})
	if got := d.statusLine.Text; got != "来访事项已办结" {
		t.Fatalf("status %q", got)
	}
	if v.count.Text != "在办 0 件" {
		t.Errorf("count %q after closing", v.count.Text)
	}
	v.all.SetChecked(true)
	if got := allText(v.visitBox); !strings.Contains(got, "答复并办结：已排查并答复客户（赵敏，11月27日 10:00）") || !strings.Contains(got, "已办结") {
		t.Errorf("history %q", got)
	}
	if v.count.Text != "共 1 件，已办结 1 件，在办 0 件" {
		t.Errorf("history count %q", v.count.Text)
	}
}

func TestDirectorPatrolScoresTickedCounters(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	v := tabOf[*patrolView](t, d, "现场巡查")
	if len(v.rows) != 5 {
		t.Fatalf("%d counter rows, want the demo hall's 5", len(v.rows))
	}
	for _, r := range v.rows {
		r.check.SetChecked(r.counter <= 2)
	}
	v.rows[1].failed[4].SetChecked(true) // counter 2: focus
	test.Tap(v.submit)
	if got := d.statusLine.Text; got != "2号窗口有不合格项，请写明整改要求" {
		t.Fatalf("missing note shows %q", got)
	}
	if ps, _ := h.Patrols(ctx, h.At(0), "2026-11-27", "2026-11-27"); len(ps) != 0 {
		t.Fatalf("recorded despite the error: %+v", ps)
	}
	v.rows[1].note.SetText("当班期间不得使用手机")
	test.Tap(v.submit)
	if got := d.statusLine.Text; got != "巡查记录已提交：检查 2 个窗口，已记入值班日志" {
		t.Fatalf("status %q", got)
	}
	ps, err := h.Patrols(ctx, h.At(0), "2026-11-27", "2026-11-27")
	if err != nil || len(ps) != 1 || len(ps[0].Results) != 2 || ps[0].Results[1].Score != 83 || ps[0].Results[1].Clerk != "1002" {
		t.Fatalf("patrols = %+v, %v", ps, err)
	}
	if v.rows[1].failed[4].Checked || v.rows[1].note.Text != "" {
		t.Error("the form was not cleared after submitting")
	}
	list := allText(v.listBox)
	if !strings.Contains(list, "2号窗口 · ") || !strings.Contains(list, "（1002）· 83分 · 不合格：工作纪律") {
		t.Errorf("patrol list %q", list)
	}
}

func TestDirectorComplaintHistoryShowsClosedComplaints(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	c, err := h.RecordComplaint(ctx, h.At(1), hall.ComplaintInput{What: "排队时间长"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []hall.ComplaintStep{hall.StepContacted, hall.StepReplied, hall.StepClosed} {
		if _, err := h.AddComplaintStatus(ctx, h.At(0), c.ID, s, "已处理"); err != nil {
			t.Fatal(err)
		}
	}
	d, _ := signedInDirector(t, h)
	reg := &d.complaintRegister
	if got := reg.crCount.Text; got != "未办结 0 件" {
		t.Errorf("open count %q", got)
	}
	reg.crHistory.SetChecked(true)
	if got := reg.crCount.Text; got != "近90天共 1 件，已办结 1 件，未办结 0 件" {
		t.Errorf("history count %q", got)
	}
	if row := allText(reg.crBox); !strings.Contains(row, "排队时间长") || !strings.Contains(row, "已办结") {
		t.Errorf("history row %q", row)
	}
}
