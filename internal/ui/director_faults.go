package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// The director's 报修记录 tab: the fault reports (报修) the counters took,
// which go on to 95598 for repair, newest first, so the director sees what
// was taken today or lately. Contacts are masked.

// faultRanges are the tab's choices of days, by how many days back from
// today they reach.
var faultRanges = []struct {
	label string
	days  int
}{{"今日", 1}, {"近7天", 7}, {"近30天", 30}}

// faultListView is the 报修记录 tab's state. UI thread.
type faultListView struct {
	widget.BaseWidget
	d       *director
	span    *widget.Select
	summary *widget.Label
	listBox *fyne.Container
	seq     int
	content fyne.CanvasObject
}

func (d *director) buildFaultsTab() fyne.CanvasObject {
	v := &faultListView{d: d, summary: widget.NewLabel(""), listBox: container.NewVBox()}
	var labels []string
	for _, r := range faultRanges {
		labels = append(labels, T(r.label))
	}
	v.span = widget.NewSelect(labels, func(string) { v.reload() })
	v.span.SetSelectedIndex(0)
	intro := wrapLabel(T("各窗口受理的故障报修，由营业员转95598安排抢修。这里按受理时间倒序列出，便于核对是否都已转出；联系方式已隐去。"))
	v.content = container.NewVScroll(container.NewVBox(
		section(T("报修记录"), intro, container.NewHBox(widget.NewLabel(T("范围")), v.span, v.summary)),
		v.listBox))
	v.ExtendBaseWidget(v)
	d.faultList = v
	return v
}

// CreateRenderer shows the tab's content.
func (v *faultListView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// reload reads the reports of the chosen days. UI thread.
func (v *faultListView) reload() {
	today := v.d.data.ov.Day
	i := v.span.SelectedIndex()
	if today == "" || i < 0 {
		return
	}
	r := hall.ReportRange{From: addDays(today, -faultRanges[i].days+1), To: today}
	fetch(v.d, &v.seq, func(ctx context.Context, svc hall.Service, tok hall.Token) ([]hall.FaultReport, error) {
		return svc.FaultReports(ctx, tok, r)
	}, v.show)
}

// show lists the reports. UI thread.
func (v *faultListView) show(list []hall.FaultReport, err error) {
	if err != nil {
		v.d.showError(err)
		return
	}
	v.summary.SetText(Tf("共 %d 件", len(list)))
	var rows []fyne.CanvasObject
	for _, f := range list {
		where := T("总值班台")
		if f.Counter > 0 {
			where = Tf("%d号窗口", f.Counter)
		}
		head := Tf("%s · %s · %s", f.CreatedAt.In(v.d.loc).Format("01-02 15:04"), where, Tf("%s（%s）", v.d.staffName(f.Clerk), f.Clerk))
		lines := []string{Tf("故障：%s", f.What), Tf("地点：%s", f.Where)}
		if f.Occurred != "" {
			lines = append(lines, Tf("发生时间：%s", f.Occurred))
		}
		if f.Contact.Name != "" || f.Contact.Phone != "" {
			lines = append(lines, Tf("联系人：%s %s", f.Contact.Name, f.Contact.Phone))
		}
		if f.Number != "" {
			lines = append(lines, Tf("号码：%s", f.Number))
		}
		rows = append(rows, widget.NewCard("", "", container.NewVBox(
			&widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}},
			wrapLabel(strings.Join(lines, "\n")))))
	}
	if len(rows) == 0 {
		rows = append(rows, heading(T("所选范围内没有报修记录"), fyne.TextAlignLeading))
	}
	v.listBox.Objects = rows
	v.listBox.Refresh()
}
