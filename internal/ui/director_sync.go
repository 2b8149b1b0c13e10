package ui

import (
	"strconv"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// The director's 总部拒收 tab: the hall's records that headquarters did not
// take (refused, in conflict, or numbers missing from the log), as HQ
// answered them. The records stay in the hall's log; the quarantine is
// only read here and never deleted. The list is read when the tab is
// opened and on 刷新.

// quarantineNote is one literal: it is translated as a whole.
const quarantineNote = "以下记录总部没有收下：“拒收”是记录内容与校验值不符或格式有误，“冲突”是同一记录编号在总部已存有不同的内容，“缺号”是本厅事件日志缺少该序号（记录可能被删除）。这些记录仍保存在本厅，隔离区只能查看，不会删除；总部已收到相应告警，请与总部核对。"

var quarantineColumns = columns{0.8, 1.4, 0.7, 3.6, 1.2}

// quarantineView is the 总部拒收 tab's state. UI thread.
type quarantineView struct {
	widget.BaseWidget
	d       *director
	count   *widget.Label
	box     *fyne.Container
	refresh *widget.Button
	seq     int
	list    []hall.QuarantinedRecord
	content fyne.CanvasObject
}

// buildSyncTab is the 总部拒收 tab.
func (d *director) buildSyncTab() fyne.CanvasObject {
	return newQuarantineView(d)
}

func newQuarantineView(d *director) *quarantineView {
	v := &quarantineView{d: d, count: &widget.Label{}, box: container.NewVBox()}
	v.refresh = widget.NewButton(T("刷新"), v.reload)
	head := row(quarantineColumns, heading(T("序号"), fyne.TextAlignLeading), heading(T("记录类别"), fyne.TextAlignLeading),
		heading(T("结果"), fyne.TextAlignLeading), heading(T("总部说明"), fyne.TextAlignLeading), heading(T("隔离时间"), fyne.TextAlignLeading))
	top := section(T("被总部拒收的记录（隔离区）"), wrapLabel(T(quarantineNote)),
		container.NewBorder(nil, nil, nil, v.refresh, v.count), head, widget.NewSeparator())
	v.content = container.NewBorder(top, nil, nil, nil, container.NewVScroll(v.box))
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer shows the tab's content.
func (v *quarantineView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// Show reads the list again each time the tab is opened.
func (v *quarantineView) Show() {
	wasHidden := !v.Visible()
	v.BaseWidget.Show()
	if wasHidden {
		v.reload()
	}
}

// reload reads the quarantine and shows it. UI thread.
func (v *quarantineView) reload() {
	d := v.d
	if d.tok == "" || !d.signedIn {
		return
	}
	v.seq++
	seq, gen, tok := v.seq, d.gen, d.tok
	ctx, svc := d.s.ctx, d.s.svc
	var (
		list   []hall.QuarantinedRecord
		err    error
		handed atomic.Bool // as in badRatingsView.reload
	)
	show := func() {
		if gen == d.gen && seq == v.seq {
			v.apply(list, err)
		}
	}
	d.spawn(func() {
		list, err = svc.Quarantine(ctx, tok)
		if !handed.CompareAndSwap(false, true) {
			d.s.runOnMain(show)
		}
	})
	if !handed.CompareAndSwap(false, true) {
		show()
	}
}

// apply shows a fresh read. UI thread.
func (v *quarantineView) apply(list []hall.QuarantinedRecord, err error) {
	if err != nil {
		v.d.showError(err)
		return
	}
	v.list = list
	rows := make([]fyne.CanvasObject, 0, len(list))
	for _, q := range list {
		status := &widget.Label{Text: T(q.StatusLabel()), Importance: widget.DangerImportance, TextStyle: fyne.TextStyle{Bold: true}}
		rows = append(rows, row(quarantineColumns,
			&widget.Label{Text: strconv.FormatInt(q.Seq, 10)},
			&widget.Label{Text: kindLabel(q.Kind), Truncation: fyne.TextTruncateEllipsis},
			status,
			&widget.Label{Text: T(q.Reason), Wrapping: fyne.TextWrapWord},
			&widget.Label{Text: clockText(q.At, v.d.s.now().In(v.d.loc))}))
	}
	if len(rows) == 0 {
		rows = append(rows, heading(T("没有被总部拒收的记录"), fyne.TextAlignLeading))
	}
	v.box.Objects = rows
	v.box.Refresh()
	title := T("总部拒收")
	if len(list) > 0 {
		v.count.Importance = widget.DangerImportance
		v.count.SetText(Tf("共 %d 条记录被总部拒收，已隔离", len(list)))
		title = Tf("总部拒收（%d）", len(list))
	} else {
		v.count.Importance = widget.MediumImportance
		v.count.SetText(T("共 0 条"))
	}
	if t := v.d.tabs; t != nil {
		for _, it := range t.Items {
			if it.Content == fyne.CanvasObject(v) && it.Text != title {
				it.Text = title
				t.Refresh()
			}
		}
	}
}

// kindLabels name the hall's event kinds, by the part before the dot,
// for the director.
var kindLabels = map[string]string{
	"ticket": "排队叫号", "day": "营业日", "rating": "服务评价", "complaint": "客户投诉", "log": "值班日志",
	"escalation": "升级事项", "proxy": "代办", "fault": "报修", "notice": "公告", "emergency": "应急状态",
	"roster": "值班排班", "staff": "人员与登录", "hall": "营业厅设置", "policy": "营业厅设置", "type": "业务类型",
	"counter": "窗口", "scripts": "服务话术", "calendar": "工作日历", "reception": "接待日", "patrol": "现场巡查",
	"device": "设备状态", "config": "营业厅设置", "contact": "查看联系方式",
}

// kindLabel is an event kind in the windows' language; "" (a number
// missing from the log) is 缺失的记录.
func kindLabel(k hall.Kind) string {
	if k == "" {
		return T("缺失的记录")
	}
	group, _, _ := strings.Cut(string(k), ".")
	if l, ok := kindLabels[group]; ok {
		return T(l)
	}
	return T("其他记录")
}
