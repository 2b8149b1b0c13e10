package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// The director's 领导接待日 tab (clause 4.2.2): the schedule of reception
// days (shown at the kiosk and on the display in the week before), and
// the visitors' matters with the leader's commitment, deadline and
// follow-ups, each closed only with the reply given to the visitor. Lists
// show the visitor's contact masked; the full record opens on request.

const (
	// receptionPastDays and receptionAheadDays bound the schedule shown:
	// recent days, for writing up visits afterwards, and the months ahead.
	receptionPastDays  = 30
	receptionAheadDays = 90
	// visitHistoryDays is how far back 全部来访 reaches.
	visitHistoryDays = 180
	// receptionNote is one literal: it is translated as a whole.
	receptionNote = "接待日安排会在前7天起显示在取号机和叫号屏上。来访记录及跟进一经登记不得修改或删除，均保存在防篡改登记簿中；办结须写明给来访客户的答复。"
)

// addDays moves a local date (2006-01-02) by n days; a bad date stays as it is.
func addDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// weekdayName is a date's 周一 … 周日, in the windows' language.
func weekdayName(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return T([...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[t.Weekday()])
}

// fetch runs get off the UI thread and hands its answer to show on the UI
// thread, unless the director signed out or a later fetch of the same
// view (seq) started meanwhile. An answer that came before spawn returned
// (as in tests, where spawn runs inline) is shown at once.
func fetch[T any](d *director, seq *int, get func(ctx context.Context, svc hall.Service, tok hall.Token) (T, error), show func(T, error)) {
	if d.tok == "" || !d.signedIn {
		return
	}
	*seq++
	mine, gen, tok := *seq, d.gen, d.tok
	ctx, svc := d.s.ctx, d.s.svc
	var (
		v      T
		err    error
		handed atomic.Bool
	)
	deliver := func() {
		if gen == d.gen && mine == *seq {
			show(v, err)
		}
	}
	d.spawn(func() {
		v, err = get(ctx, svc, tok)
		if !handed.CompareAndSwap(false, true) {
			d.s.runOnMain(deliver)
		}
	})
	if !handed.CompareAndSwap(false, true) {
		deliver()
	}
}

// receptionView is the 领导接待日 tab's state. UI thread.
type receptionView struct {
	widget.BaseWidget
	d        *director
	schedBox *fyne.Container
	visitBox *fyne.Container
	count    *widget.Label
	all      *widget.Check // show every visit, closed ones too
	seqSched int
	seqVisit int
	sched    []hall.ReceptionDay
	visits   []hall.VisitView
	content  fyne.CanvasObject

	// The dialog in front, while it shows: its entries by field.
	form map[string]*widget.Entry
	ok   *widget.Button
}

func (d *director) buildReceptionTab() fyne.CanvasObject {
	v := &receptionView{d: d, schedBox: container.NewVBox(), visitBox: container.NewVBox(), count: &widget.Label{}}
	v.all = widget.NewCheck(Tf("显示近%d天的全部来访（含已办结）", visitHistoryDays), func(bool) { v.reloadVisits() })
	add := widget.NewButtonWithIcon(T("安排接待日"), theme.ContentAddIcon(), v.askSchedule)
	add.Importance = widget.HighImportance
	v.content = container.NewVScroll(container.NewVBox(
		section(T("领导接待日安排"), wrapLabel(T(receptionNote)), container.NewHBox(add), widget.NewSeparator(), v.schedBox),
		section(T("来访事项"), v.all, v.count, widget.NewSeparator(), v.visitBox)))
	v.ExtendBaseWidget(v)
	d.reception = v
	return v
}

// CreateRenderer shows the tab's content.
func (v *receptionView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// reload reads the schedule and the visits. UI thread.
func (v *receptionView) reload() {
	today := v.d.data.ov.Day
	if today == "" {
		return
	}
	fetch(v.d, &v.seqSched, func(ctx context.Context, svc hall.Service, _ hall.Token) ([]hall.ReceptionDay, error) {
		return svc.Receptions(ctx, addDays(today, -receptionPastDays), receptionPastDays+receptionAheadDays+1)
	}, v.applySchedule)
	v.reloadVisits()
}

func (v *receptionView) reloadVisits() {
	today, all := v.d.data.ov.Day, v.all.Checked
	fetch(v.d, &v.seqVisit, func(ctx context.Context, svc hall.Service, tok hall.Token) ([]hall.VisitView, error) {
		return svc.Visits(ctx, tok, all, addDays(today, -visitHistoryDays+1), today)
	}, v.applyVisits)
}

func (v *receptionView) applySchedule(list []hall.ReceptionDay, err error) {
	d := v.d
	if err != nil {
		d.showError(err)
		return
	}
	v.sched = list
	today := d.data.ov.Day
	rows := []fyne.CanvasObject{}
	for _, r := range list {
		head := Tf("%s（%s）%s · %s · %s", formatDueDate(r.Day), weekdayName(r.Day), r.Hours, r.Leader, r.Place)
		objs := []fyne.CanvasObject{&widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}}}
		if r.Topics != "" {
			objs = append(objs, wrapLabel(Tf("接待主题：%s", r.Topics)))
		}
		var btns []fyne.CanvasObject
		id := r.ID
		switch {
		case !r.Active():
			objs = append(objs, &widget.Label{Text: Tf("已取消：%s", r.CancelNote), Importance: widget.WarningImportance})
		default:
			if r.Day <= today {
				rec := widget.NewButton(T("登记来访"), func() { v.askVisit(id) })
				rec.Importance = widget.HighImportance
				btns = append(btns, rec)
			}
			if r.Day >= today {
				btns = append(btns, widget.NewButton(T("取消接待日"), func() { v.askCancel(id) }))
			}
		}
		if len(btns) > 0 {
			objs = append(objs, container.NewHBox(btns...))
		}
		objs = append(objs, widget.NewSeparator())
		rows = append(rows, container.NewVBox(objs...))
	}
	if len(rows) == 0 {
		rows = append(rows, heading(T("近期没有安排领导接待日"), fyne.TextAlignLeading))
	}
	v.schedBox.Objects = rows
	v.schedBox.Refresh()
}

func (v *receptionView) applyVisits(list []hall.VisitView, err error) {
	d := v.d
	if err != nil {
		d.showError(err)
		return
	}
	v.visits = list
	rows := []fyne.CanvasObject{}
	open, late := 0, 0
	for _, x := range list {
		if !x.Closed {
			open++
		}
		if x.Overdue {
			late++
		}
		rows = append(rows, v.visitRow(x))
	}
	if len(rows) == 0 {
		rows = append(rows, heading(T("没有在办的来访事项"), fyne.TextAlignLeading))
	}
	v.visitBox.Objects = rows
	v.visitBox.Refresh()
	text := Tf("在办 %d 件", open)
	if v.all.Checked {
		text = Tf("共 %d 件，已办结 %d 件，在办 %d 件", len(list), len(list)-open, open)
	}
	v.count.Importance = widget.MediumImportance
	if late > 0 {
		text += Tf("，其中超期 %d 件", late)
		v.count.Importance = widget.DangerImportance
	}
	v.count.SetText(text)
}

func (v *receptionView) visitRow(x hall.VisitView) fyne.CanvasObject {
	d := v.d
	vi := x.Visit
	who := strings.TrimSpace(vi.Contact.Name + " " + vi.Contact.Phone)
	head := Tf("%s 接待日 · %s · 来访人 %s", formatDueDate(vi.Day), vi.Leader, who)
	objs := []fyne.CanvasObject{
		&widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}},
		wrapLabel(Tf("反映事项：%s", vi.Matter)),
		wrapLabel(Tf("领导承诺：%s", vi.Commitment)),
		container.NewHBox(&widget.Label{Text: Tf("办理期限：%s", formatDueDate(vi.Deadline))}, limitMark(x.Closed, x.Overdue)),
	}
	for _, n := range x.Notes {
		line := "跟进：%s（%s，%s）"
		if n.Closing {
			line = "答复并办结：%s（%s，%s）"
		}
		objs = append(objs, wrapLabel(Tf(line, n.Note, d.staffName(n.By), monthDayTime(n.At.In(d.loc)))))
	}
	id := vi.ID
	full := widget.NewButton(T("查看完整记录"), func() { v.showRecord(id) })
	if x.Closed {
		objs = append(objs, container.NewHBox(&widget.Label{Text: T("已办结"), Importance: widget.SuccessImportance, TextStyle: fyne.TextStyle{Bold: true}}, full))
	} else {
		closeBtn := widget.NewButton(T("答复并办结"), func() { v.askNote(id, true) })
		closeBtn.Importance = widget.HighImportance
		objs = append(objs, container.NewHBox(widget.NewButton(T("追加跟进"), func() { v.askNote(id, false) }), closeBtn, full))
	}
	objs = append(objs, widget.NewSeparator())
	return container.NewVBox(objs...)
}

// dialogForm shows a dialog with entries and an OK button that runs submit.
// Its texts come translated.
func (v *receptionView) dialogForm(title, okText, intro string, fields [][3]string, submit func(map[string]string)) {
	d := v.d
	v.form = map[string]*widget.Entry{}
	form := widget.NewForm()
	for _, f := range fields { // key, label, placeholder
		e := widget.NewEntry()
		if strings.HasPrefix(f[0], "*") {
			e = widget.NewMultiLineEntry()
			e.SetMinRowsVisible(3)
		}
		e.SetPlaceHolder(f[2])
		v.form[strings.TrimPrefix(f[0], "*")] = e
		form.Append(f[1], e)
	}
	v.ok = widget.NewButton(okText, nil)
	v.ok.Importance = widget.HighImportance
	cancel := widget.NewButton(T("取消"), nil)
	body := container.New(&counterMinWidth{w: 560}, container.NewVBox(wrapLabel(intro), form))
	dlg := dialog.NewCustomWithoutButtons(title, body, d.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, v.ok})
	d.dialog = dlg
	cancel.OnTapped = d.hideDialog
	v.ok.OnTapped = func() {
		vals := map[string]string{}
		for k, e := range v.form {
			vals[k] = e.Text
		}
		submit(vals)
	}
	dlg.Show()
}

// askSchedule asks for a new reception day.
func (v *receptionView) askSchedule() {
	d := v.d
	v.dialogForm(T("安排领导接待日"), T("安排"), T("接待日将在前7天起向客户公告。"), [][3]string{
		{"day", T("日期"), Tf("如 %s", addDays(d.data.ov.Day, 7))},
		{"hours", T("时间"), Tf("如 %s", "09:00-11:30")},
		{"leader", T("接待领导"), T("职务和姓名，如 副总经理 王建国")},
		{"place", T("地点"), T("如 营业厅二楼接待室")},
		{"topics", T("接待主题"), T("可不填，如 电费电价、业扩报装")},
	}, func(f map[string]string) {
		in := hall.ReceptionInput{Day: f["day"], Hours: f["hours"], Leader: f["leader"], Place: f["place"], Topics: f["topics"]}
		d.hideDialog()
		d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			r, err := svc.ScheduleReception(ctx, tok, in)
			return func() { d.showNote(Tf("已安排 %s 的领导接待日", r.Day)) }, err
		})
	})
}

func (v *receptionView) askCancel(id string) {
	d := v.d
	v.dialogForm(T("取消接待日"), T("确认取消"), T("取消后取号机和叫号屏不再公告此接待日。"), [][3]string{
		{"note", T("取消原因"), T("如 领导参加防汛会议，改期另行通知")},
	}, func(f map[string]string) {
		note := f["note"]
		if strings.TrimSpace(note) == "" {
			d.showProblem(T("请填写取消原因"))
			return
		}
		d.hideDialog()
		d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			_, err := svc.CancelReception(ctx, tok, id, note)
			return func() { d.showNote(T("接待日已取消")) }, err
		})
	})
}

func (v *receptionView) askVisit(receptionID string) {
	d := v.d
	v.dialogForm(T("登记来访"), T("登记"), T("来访人的姓名和电话只保存在本记录中，列表中隐去。"), [][3]string{
		{"name", T("来访人"), T("姓名")},
		{"phone", T("联系电话"), T("用于答复")},
		{"*matter", T("反映事项"), T("客户反映的问题和诉求")},
		{"*commitment", T("领导承诺"), T("如 三个工作日内安排现场勘查")},
		{"deadline", T("办理期限"), Tf("如 %s", addDays(d.data.ov.Day, 7))},
	}, func(f map[string]string) {
		in := hall.VisitInput{ReceptionID: receptionID, Contact: hall.Contact{Name: f["name"], Phone: f["phone"]},
			Matter: f["matter"], Commitment: f["commitment"], Deadline: f["deadline"]}
		d.hideDialog()
		d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			_, err := svc.RecordVisit(ctx, tok, in)
			return func() { d.showNote(T("来访已登记")) }, err
		})
	})
}

func (v *receptionView) askNote(visitID string, closing bool) {
	d := v.d
	title, label, ph, missing, done := "追加跟进", "跟进情况", "如 已转营销部，明日现场勘查", "请填写跟进情况", "已追加跟进记录"
	if closing {
		title, label, ph, missing, done = "答复并办结", "给客户的答复", "如 已完成勘查并电话答复客户：月底前送电", "请填写给客户的答复", "来访事项已办结"
	}
	v.dialogForm(T(title), T(title), T("记录追加后不可修改或删除。"), [][3]string{{"*note", T(label), T(ph)}}, func(f map[string]string) {
		note := f["note"]
		if strings.TrimSpace(note) == "" {
			d.showProblem(T(missing))
			return
		}
		d.hideDialog()
		d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			_, err := svc.AddVisitNote(ctx, tok, visitID, note, closing)
			return func() { d.showNote(T(done)) }, err
		})
	})
}

// showRecord shows one visit's full record, the visitor's contact included.
func (v *receptionView) showRecord(id string) {
	d := v.d
	var seq int
	fetch(d, &seq, func(ctx context.Context, svc hall.Service, tok hall.Token) (hall.VisitView, error) {
		return svc.VisitRecord(ctx, tok, id)
	}, func(x hall.VisitView, err error) {
		if err != nil {
			d.showError(err)
			return
		}
		vi := x.Visit
		lines := []string{
			Tf("接待日：%s（%s）", vi.Day, vi.Leader),
			Tf("来访人：%s", vi.Contact.Name),
			Tf("联系电话：%s", vi.Contact.Phone),
			Tf("反映事项：%s", vi.Matter),
			Tf("领导承诺：%s", vi.Commitment),
			Tf("办理期限：%s", vi.Deadline),
			Tf("登记：%s，%s", d.staffName(vi.By), vi.At.In(d.loc).Format("2006-01-02 15:04")),
		}
		dlg := dialog.NewCustom(T("来访记录"), T("关闭"), container.New(&counterMinWidth{w: 520}, wrapLabel(strings.Join(lines, "\n"))), d.win)
		d.dialog = dlg
		dlg.Show()
	})
}
