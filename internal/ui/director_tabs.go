package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// Column weights of the desk's tables.
var (
	rosterColumns = columns{2.4, 1.6, 2}
	ratingColumns = columns{1.4, 0.8, 1, 1, 0.8}
	escColumns    = columns{0.9, 1, 2, 1.4, 1.8, 1.4, 2.1}
)

const (
	// clearRoster is the roster select's entry that leaves a day empty.
	clearRoster = "（清空，无人值班）"
	gapText     = "无人值班"
	// maxHours bounds how long a notice or an emergency is posted for.
	maxHours = 24 * 30
)

func section(title string, objs ...fyne.CanvasObject) fyne.CanvasObject {
	return widget.NewCard("", "", container.NewVBox(append([]fyne.CanvasObject{
		&widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}},
	}, objs...)...))
}

// hint is a quiet explanatory line that wraps.
func hint(text string) *widget.RichText {
	h := heading(text, fyne.TextAlignLeading)
	h.Wrapping = fyne.TextWrapWord
	return h
}

func wrapLabel(text string) *widget.Label {
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
}

// parseHours reads a whole number of hours from 1 to maxHours.
func parseHours(s string) (time.Duration, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > maxHours {
		return 0, false
	}
	return time.Duration(n) * time.Hour, true
}

func percent(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }

// ratedPercent is percent(f), or — when no customer rated (n == 0): a rate
// of nothing is not 0%.
func ratedPercent(f float64, n int) string {
	if n == 0 {
		return noFigure
	}
	return percent(f)
}

// --- 总览 ---------------------------------------------------------------------

type deskOverview struct {
	today        *widget.Label
	rosterBox    *fyne.Container
	rosterDay    *widget.Entry
	rosterWho    *widget.Select
	rosterNote   *widget.Entry
	rosterSetBtn *widget.Button
	directors    []hall.Staff // the roster select's options, in order
	successors   []hall.Staff // the handover select's: the other directors
	handoverTo   *widget.Select
	handoverNote *widget.Entry
	handoverBtn  *widget.Button

	figures    *widget.Label
	counterBox *fyne.Container
	ratingsBox *fyne.Container
	overdue    *widget.Label
	lockedBox  *fyne.Container
	unlockBtns map[string]*widget.Button
}

func (d *director) buildOverviewTab() fyne.CanvasObject {
	o := &d.deskOverview
	o.today = &widget.Label{SizeName: theme.SizeNameSubHeadingText, TextStyle: fyne.TextStyle{Bold: true}}
	o.rosterBox = container.NewVBox()
	o.rosterDay = widget.NewEntry()
	o.rosterDay.SetPlaceHolder(T("例如 2026-12-01"))
	o.rosterWho = widget.NewSelect(nil, nil)
	o.rosterWho.PlaceHolder = T("选择值班主任")
	o.rosterNote = widget.NewEntry()
	o.rosterNote.SetPlaceHolder(T("备注（可不填）"))
	o.rosterSetBtn = widget.NewButton(T("保存排班"), d.onSetRoster)
	o.rosterSetBtn.Importance = widget.HighImportance
	o.handoverTo = widget.NewSelect(nil, nil)
	o.handoverTo.PlaceHolder = T("选择接班人")
	o.handoverNote = widget.NewEntry()
	o.handoverNote.SetPlaceHolder(T("交接事项"))
	o.handoverBtn = widget.NewButton(T("交接班"), d.onHandover)

	rosterHead := row(rosterColumns, heading(T("日期"), fyne.TextAlignLeading), heading(T("值班主任"), fyne.TextAlignLeading), heading(T("备注"), fyne.TextAlignLeading))
	roster := section(T("值班排班（今日及后14天）"), o.today, rosterHead, o.rosterBox)

	o.figures = &widget.Label{}
	o.counterBox = container.NewGridWithColumns(3)
	o.ratingsBox = container.NewVBox()
	o.overdue = &widget.Label{}
	o.lockedBox = container.NewVBox()
	o.unlockBtns = map[string]*widget.Button{}
	// The headings wrap: a long one (in English) would widen the column.
	wrapped := func(text string, align fyne.TextAlign) *widget.RichText {
		h := heading(text, align)
		h.Wrapping = fyne.TextWrapWord
		return h
	}
	ratingHead := row(ratingColumns, wrapped(T("营业员"), fyne.TextAlignLeading), wrapped(T("服务"), fyne.TextAlignTrailing),
		wrapped(T("满意率"), fyne.TextAlignTrailing), wrapped(T("未评价"), fyne.TextAlignTrailing), wrapped(T("差评"), fyne.TextAlignTrailing))
	// The forms are one row each, so that the roster and the figures fit
	// on a hall PC's screen.
	setRow := container.NewBorder(nil, nil, nil, o.rosterSetBtn,
		container.NewGridWithColumns(3, o.rosterDay, o.rosterWho, o.rosterNote))
	handRow := container.NewBorder(nil, nil, nil, o.handoverBtn,
		container.NewGridWithColumns(2, o.handoverTo, o.handoverNote))
	desk := section(T("排班与交接班"),
		hint(T("设置某日的值班主任（选「清空」则该日无人值班）：")), setRow,
		hint(T("交接班记入值班日志：")), handRow)
	right := container.NewVBox(
		section(T("营业厅概况"), o.figures, o.counterBox),
		section(T("今日服务评价"), ratingHead, o.ratingsBox),
		section(T("提醒"), o.overdue, o.lockedBox),
		desk,
	)
	// Each column scrolls on its own: the roster stays beside the alerts.
	return container.NewGridWithColumns(2, container.NewVScroll(roster), container.NewVScroll(right))
}

func (d *director) applyOverview(x deskData) {
	o := &d.deskOverview
	today := hall.RosterDay{Day: x.ov.Day}
	if len(x.roster) > 0 {
		today = x.roster[0]
	}
	if today.Gap() {
		o.today.Importance = widget.DangerImportance
		o.today.SetText(Tf("今日（%s）%s", formatDay(x.ov.Day), T(gapText)))
	} else {
		o.today.Importance = widget.MediumImportance
		o.today.SetText(Tf("今日值班主任：%s（工号%s）", today.Name, today.Director))
	}
	rows := make([]fyne.CanvasObject, 0, len(x.roster))
	for _, r := range x.roster {
		who := &widget.Label{Text: r.Name}
		if r.Gap() {
			who = &widget.Label{Text: T(gapText), Importance: widget.DangerImportance, TextStyle: fyne.TextStyle{Bold: true}}
		}
		rows = append(rows, row(rosterColumns, &widget.Label{Text: formatDay(r.Day)}, who,
			&widget.Label{Text: r.Note, Truncation: fyne.TextTruncateEllipsis}))
	}
	o.rosterBox.Objects = rows
	o.rosterBox.Refresh()
	if o.rosterDay.Text == "" {
		o.rosterDay.SetText(x.ov.Day)
	}

	// The selects list the hall's active directors; the desk is handed
	// over to one of the others. A reload whose configuration read failed
	// leaves them as they were.
	if len(x.cfg.Staff) > 0 {
		d.applyDirectorChoices(x.cfg.Staff)
	}

	open, total := 0, len(x.ov.Counters)
	cells := make([]fyne.CanvasObject, 0, total)
	for _, c := range x.ov.Counters {
		if c.Counter.State == hall.CounterOpen {
			open++
		}
		cells = append(cells, &widget.Label{Text: c.Counter.Name + " · " + T(c.Counter.State.Label()), Importance: counterImportance(c.Counter.State)})
	}
	o.figures.SetText(Tf("当前等候 %d 人 · 开放窗口 %d/%d", x.ov.Waiting, open, total))
	o.counterBox.Objects = cells
	o.counterBox.Refresh()

	rrows := make([]fyne.CanvasObject, 0, len(x.ratings)+1)
	for _, r := range x.ratings {
		bad := r.Counts[hall.Dissatisfied] + r.Counts[hall.VeryDissatisfied]
		badLabel := &widget.Label{Text: strconv.Itoa(bad), Alignment: fyne.TextAlignTrailing}
		if bad > 0 {
			badLabel.Importance = widget.DangerImportance
		}
		rrows = append(rrows, row(ratingColumns,
			&widget.Label{Text: Tf("%s（%s）", r.Name, r.Clerk), Truncation: fyne.TextTruncateEllipsis},
			&widget.Label{Text: strconv.Itoa(r.Total), Alignment: fyne.TextAlignTrailing},
			&widget.Label{Text: ratedPercent(r.SatisfactionRate(), r.Rated()), Alignment: fyne.TextAlignTrailing},
			&widget.Label{Text: percent(r.UnratedShare()), Alignment: fyne.TextAlignTrailing},
			badLabel))
	}
	if len(rrows) == 0 {
		rrows = append(rrows, heading(T("今日尚无评价"), fyne.TextAlignLeading))
	}
	o.ratingsBox.Objects = rrows
	o.ratingsBox.Refresh()

	late := 0
	for _, e := range x.escs {
		if e.Due < x.ov.Day {
			late++
		}
	}
	if late > 0 {
		o.overdue.Importance = widget.DangerImportance
		o.overdue.SetText(Tf("逾期未答复的升级事项 %d 件", late))
	} else {
		o.overdue.Importance = widget.MediumImportance
		o.overdue.SetText(T("没有逾期的升级事项"))
	}
	lrows := []fyne.CanvasObject{}
	o.unlockBtns = map[string]*widget.Button{}
	for _, m := range x.cfg.Staff {
		if !m.Locked {
			continue
		}
		no := m.No
		b := widget.NewButton(T("解锁"), func() { d.onUnlockStaff(no) })
		o.unlockBtns[no] = b
		lrows = append(lrows, container.NewBorder(nil, nil, nil, b,
			&widget.Label{Text: Tf("%s（工号%s）密码错误次数过多，账号已锁定", m.Name, m.No), Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}))
	}
	if len(lrows) == 0 {
		lrows = append(lrows, &widget.Label{Text: T("没有被锁定的账号")})
	}
	o.lockedBox.Objects = lrows
	o.lockedBox.Refresh()
}

func (d *director) onSetRoster() {
	o := &d.deskOverview
	i := o.rosterWho.SelectedIndex()
	if i < 0 {
		d.showProblem(T("请选择值班主任"))
		return
	}
	no := ""
	if i < len(o.directors) {
		no = o.directors[i].No
	}
	day, note := strings.TrimSpace(o.rosterDay.Text), o.rosterNote.Text
	d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		r, err := svc.SetRoster(ctx, tok, day, no, note)
		return func() {
			o.rosterNote.SetText("")
			if r.Gap() {
				d.showNote(Tf("%s 的排班已清空", formatDay(r.Day)))
			} else {
				d.showNote(Tf("%s 由 %s 值班", formatDay(r.Day), r.Name))
			}
		}, err
	})
}

// applyDirectorChoices lists the active directors among staff in the
// roster's select, and the others than the one signed in in the
// handover's. A choice no longer listed (another director signed in at
// this window) is cleared.
func (d *director) applyDirectorChoices(staff []hall.Staff) {
	o := &d.deskOverview
	o.directors, o.successors = o.directors[:0], o.successors[:0]
	var names, next []string
	for _, m := range staff {
		if m.Role == hall.RoleDirector && m.Active {
			name := Tf("%s（%s）", m.Name, m.No)
			o.directors = append(o.directors, m)
			names = append(names, name)
			if m.No != d.sess.Staff.No {
				o.successors = append(o.successors, m)
				next = append(next, name)
			}
		}
	}
	o.rosterWho.SetOptions(append(names, T(clearRoster)))
	o.handoverTo.SetOptions(next)
	if len(next) == 0 {
		o.handoverTo.PlaceHolder = T("无其他值班主任")
	} else {
		o.handoverTo.PlaceHolder = T("选择接班人")
	}
	o.handoverTo.Refresh()
	for _, s := range []*widget.Select{o.rosterWho, o.handoverTo} {
		if s.Selected != "" && s.SelectedIndex() < 0 {
			s.ClearSelected()
		}
	}
}

func (d *director) onHandover() {
	o := &d.deskOverview
	i := o.handoverTo.SelectedIndex()
	if len(o.successors) == 0 {
		d.showProblem(T("本厅没有其他在职的值班主任，不能交班；请系统管理员添加"))
		return
	}
	if i < 0 || i >= len(o.successors) {
		d.showProblem(T("请选择接班人"))
		return
	}
	to, note := o.successors[i].No, o.handoverNote.Text
	d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		_, err := svc.Handover(ctx, tok, to, note)
		return func() {
			o.handoverNote.SetText("")
			d.showNote(T("交接班已记入值班日志"))
		}, err
	})
}

func (d *director) onUnlockStaff(no string) {
	name := d.staffName(no)
	d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		err := svc.UnlockStaff(ctx, tok, no)
		return func() { d.showNote(Tf("%s（工号%s）的账号已解锁", name, no)) }, err
	})
}

// --- 升级事项 -------------------------------------------------------------------

type deskEscalations struct {
	escCount  *widget.Label
	escBox    *fyne.Container
	replyBtns map[string]*widget.Button
	// viewBtns show a matter's contact in full, a recorded look.
	viewBtns map[string]*widget.Button
	// The reply dialog, while it shows.
	replyEntry *widget.Entry
	replyOK    *widget.Button
}

func (d *director) buildEscalationsTab() fyne.CanvasObject {
	e := &d.deskEscalations
	e.escCount = &widget.Label{}
	e.escBox = container.NewVBox()
	e.replyBtns = map[string]*widget.Button{}
	e.viewBtns = map[string]*widget.Button{}
	head := row(escColumns,
		heading(T("号码"), fyne.TextAlignLeading), heading(T("记录人"), fyne.TextAlignLeading),
		heading(T("客户诉求"), fyne.TextAlignLeading), heading(T("承办"), fyne.TextAlignLeading),
		heading(T("答复期限"), fyne.TextAlignLeading), heading(T("联系人"), fyne.TextAlignLeading), heading("", fyne.TextAlignLeading))
	intro := wrapLabel(T("营业员无法当场解决的问题，须在期限内答复客户；录入答复后事项关闭。"))
	return container.NewBorder(container.NewVBox(intro, e.escCount, head, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(e.escBox))
}

func (d *director) applyEscalations(x deskData) {
	e := &d.deskEscalations
	e.replyBtns = map[string]*widget.Button{}
	e.viewBtns = map[string]*widget.Button{}
	rows := make([]fyne.CanvasObject, 0, len(x.escs))
	late := 0
	for _, es := range x.escs {
		number := es.Number
		if number == "" {
			number = "—"
		}
		due := &widget.Label{Text: formatDueDate(es.Due)}
		if es.Due < x.ov.Day {
			late++
			due.Importance = widget.DangerImportance
			due.TextStyle.Bold = true
			due.Text = Tf("%s（已逾期）", due.Text)
		}
		contact := strings.TrimSpace(es.Contact.Name + " " + es.Contact.Phone)
		id := es.ID
		b := widget.NewButton(T("录入答复"), func() { d.askReply(id) })
		e.replyBtns[id] = b
		view := d.contactButton(Tf("诉求：%s", es.Need), func(ctx context.Context, svc hall.Service, tok hall.Token) (hall.Contact, error) {
			r, err := svc.EscalationRecord(ctx, tok, id)
			return r.Contact, err
		})
		e.viewBtns[id] = view
		rows = append(rows, row(escColumns,
			&widget.Label{Text: number},
			&widget.Label{Text: d.staffName(es.Owner), Truncation: fyne.TextTruncateEllipsis},
			&widget.Label{Text: es.Need, Truncation: fyne.TextTruncateEllipsis},
			&widget.Label{Text: es.Assignee, Truncation: fyne.TextTruncateEllipsis},
			due,
			&widget.Label{Text: contact, Truncation: fyne.TextTruncateEllipsis},
			container.NewHBox(view, b)))
	}
	if len(rows) == 0 {
		rows = append(rows, heading(T("没有未关闭的升级事项"), fyne.TextAlignLeading))
	}
	e.escBox.Objects = rows
	e.escBox.Refresh()
	text := Tf("未关闭 %d 件", len(x.escs))
	e.escCount.Importance = widget.MediumImportance
	if late > 0 {
		text = Tf("未关闭 %d 件，其中逾期 %d 件", len(x.escs), late)
		e.escCount.Importance = widget.DangerImportance
	}
	e.escCount.SetText(text)
	d.tabs.Items[1].Text = Tf("升级事项（%d）", len(x.escs))
	d.tabs.Refresh()
}

// askReply asks for the reply given to the customer, which closes the matter.
func (d *director) askReply(id string) {
	var es hall.Escalation
	for _, x := range d.data.escs {
		if x.ID == id {
			es = x
		}
	}
	e := &d.deskEscalations
	e.replyEntry = widget.NewMultiLineEntry()
	e.replyEntry.SetPlaceHolder(T("已答复客户的内容"))
	e.replyEntry.SetMinRowsVisible(4)
	e.replyOK = widget.NewButton(T("确认答复并关闭"), nil)
	e.replyOK.Importance = widget.HighImportance
	cancel := widget.NewButton(T("取消"), nil)
	intro := wrapLabel(Tf("诉求：%s\n承办：%s · 答复期限：%s", es.Need, es.Assignee, formatDueDate(es.Due)))
	body := container.New(&counterMinWidth{w: 480}, container.NewVBox(intro, e.replyEntry))
	dlg := dialog.NewCustomWithoutButtons(T("录入答复"), body, d.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, e.replyOK})
	d.dialog = dlg
	cancel.OnTapped = d.hideDialog
	e.replyOK.OnTapped = func() {
		reply := e.replyEntry.Text
		if strings.TrimSpace(reply) == "" {
			d.showProblem(T("请填写答复客户的内容"))
			return
		}
		d.hideDialog()
		d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			r, err := svc.ReplyEscalation(ctx, tok, id, reply)
			return func() { d.showNote(Tf("升级事项已答复并关闭（%s）", r.Assignee)) }, err
		})
	}
	dlg.Show()
}

// --- 值班日志 -------------------------------------------------------------------

type deskLog struct {
	logCategory *widget.Select
	logText     *widget.Entry
	logAddBtn   *widget.Button
	logBox      *fyne.Container
	amendBtns   map[string]*widget.Button
	// The amend dialog, while it shows.
	amendCategory *widget.Select
	amendText     *widget.Entry
	amendOK       *widget.Button
}

func (d *director) buildLogTab() fyne.CanvasObject {
	l := &d.deskLog
	l.logCategory = widget.NewSelect(logCategoryOptions(), nil)
	l.logCategory.SetSelected(T(hall.LogPatrol))
	l.logText = widget.NewMultiLineEntry()
	l.logText.SetPlaceHolder(T("记录内容"))
	l.logText.SetMinRowsVisible(3)
	l.logAddBtn = widget.NewButton(T("添加记录"), d.onAddLog)
	l.logAddBtn.Importance = widget.HighImportance
	l.logBox = container.NewVBox()
	l.amendBtns = map[string]*widget.Button{}
	form := widget.NewForm(widget.NewFormItem(T("类别"), l.logCategory), widget.NewFormItem(T("内容"), l.logText))
	note := hint(T("日志一经记录不可修改；如有错误，请点「更正」追加一条更正记录。"))
	top := section(T("新增记录"), form, container.NewHBox(l.logAddBtn), note)
	return container.NewBorder(top, nil, nil, nil,
		container.NewVScroll(container.NewVBox(&widget.Label{Text: T("今日值班日志"), TextStyle: fyne.TextStyle{Bold: true}}, l.logBox)))
}

// logCategoryOptions are the log's categories in the windows' language,
// in the order of hall.LogCategories.
func logCategoryOptions() []string {
	opts := make([]string, len(hall.LogCategories))
	for i, c := range hall.LogCategories {
		opts[i] = T(c)
	}
	return opts
}

// logCategoryOf is the category chosen in sel, "" when none is.
func logCategoryOf(sel *widget.Select) string {
	if i := sel.SelectedIndex(); i >= 0 && i < len(hall.LogCategories) {
		return hall.LogCategories[i]
	}
	return ""
}

func (d *director) applyLog(x deskData) {
	l := &d.deskLog
	l.amendBtns = map[string]*widget.Button{}
	byID := map[string]hall.LogEntry{}
	amended := map[string]bool{}
	for _, e := range x.log {
		byID[e.ID] = e
		if e.Amends != "" {
			amended[e.Amends] = true
		}
	}
	rows := make([]fyne.CanvasObject, 0, len(x.log))
	for i := len(x.log) - 1; i >= 0; i-- { // newest first
		e := x.log[i]
		head := e.At.In(d.loc).Format("15:04") + " · " + T(e.Category) + " · " + d.staffName(e.Author)
		var marks []fyne.CanvasObject
		if e.Amends != "" {
			ref := T("更正一条记录")
			if o, ok := byID[e.Amends]; ok {
				ref = Tf("更正 %s 的「%s」记录", o.At.In(d.loc).Format("15:04"), T(o.Category))
			}
			marks = append(marks, &widget.Label{Text: ref, Importance: widget.WarningImportance})
		}
		if amended[e.ID] {
			marks = append(marks, &widget.Label{Text: T("已更正"), Importance: widget.DangerImportance, TextStyle: fyne.TextStyle{Bold: true}})
		}
		id := e.ID
		b := widget.NewButton(T("更正"), func() { d.askAmend(id) })
		l.amendBtns[id] = b
		title := container.NewHBox(append([]fyne.CanvasObject{&widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}}}, marks...)...)
		rows = append(rows, container.NewBorder(title, widget.NewSeparator(), nil, b, wrapLabel(e.Text)))
	}
	if len(rows) == 0 {
		rows = append(rows, heading(T("今日尚无记录"), fyne.TextAlignLeading))
	}
	l.logBox.Objects = rows
	l.logBox.Refresh()
}

func (d *director) onAddLog() {
	l := &d.deskLog
	cat, text := logCategoryOf(l.logCategory), l.logText.Text
	if strings.TrimSpace(text) == "" {
		d.showProblem(T("请填写记录内容"))
		return
	}
	d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		_, err := svc.AddLog(ctx, tok, cat, text, "")
		return func() {
			l.logText.SetText("")
			d.showNote(T("已记入值班日志"))
		}, err
	})
}

// askAmend asks for the correction of an entry: a new entry that amends it.
func (d *director) askAmend(id string) {
	var orig hall.LogEntry
	for _, e := range d.data.log {
		if e.ID == id {
			orig = e
		}
	}
	l := &d.deskLog
	l.amendCategory = widget.NewSelect(logCategoryOptions(), nil)
	l.amendCategory.SetSelected(T(orig.Category))
	l.amendText = widget.NewMultiLineEntry()
	l.amendText.SetPlaceHolder(T("更正后的内容"))
	l.amendText.SetMinRowsVisible(3)
	l.amendOK = widget.NewButton(T("追加更正"), nil)
	l.amendOK.Importance = widget.HighImportance
	cancel := widget.NewButton(T("取消"), nil)
	intro := wrapLabel(Tf("原记录（%s）：%s\n原记录保留不变，更正作为新记录追加。", orig.At.In(d.loc).Format("15:04"), orig.Text))
	body := container.New(&counterMinWidth{w: 480}, container.NewVBox(intro,
		widget.NewForm(widget.NewFormItem(T("类别"), l.amendCategory), widget.NewFormItem(T("内容"), l.amendText))))
	dlg := dialog.NewCustomWithoutButtons(T("更正记录"), body, d.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, l.amendOK})
	d.dialog = dlg
	cancel.OnTapped = d.hideDialog
	l.amendOK.OnTapped = func() {
		cat, text := logCategoryOf(l.amendCategory), l.amendText.Text
		if strings.TrimSpace(text) == "" {
			d.showProblem(T("请填写更正后的内容"))
			return
		}
		d.hideDialog()
		d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			_, err := svc.AddLog(ctx, tok, cat, text, id)
			return func() { d.showNote(T("更正已追加到值班日志")) }, err
		})
	}
	dlg.Show()
}

// --- 投诉登记 -------------------------------------------------------------------

type deskComplaint struct {
	cWhat, cWhere, cWhen, cName, cPhone *widget.Entry
	cSubmit                             *widget.Button
	cDone                               *widget.Label
	complaintRegister
}

func (d *director) buildComplaintTab() fyne.CanvasObject {
	c := &d.deskComplaint
	c.cWhat = widget.NewMultiLineEntry()
	c.cWhat.SetPlaceHolder(T("客户反映的问题"))
	c.cWhat.SetMinRowsVisible(4)
	c.cWhere = widget.NewEntry()
	c.cWhere.SetPlaceHolder(T("发生地点，如 营业厅2号窗口"))
	c.cWhen = widget.NewEntry()
	c.cWhen.SetPlaceHolder(T("发生时间，按客户所述，如 昨天下午三点"))
	c.cName = widget.NewEntry()
	c.cName.SetPlaceHolder(T("客户姓名（可不填）"))
	c.cPhone = widget.NewEntry()
	c.cPhone.SetPlaceHolder(T("联系电话（可不填）"))
	c.cSubmit = widget.NewButton(T("登记投诉"), d.onComplaint)
	c.cSubmit.Importance = widget.HighImportance
	c.cDone = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.SuccessImportance}
	c.cDone.Hide()
	note := wrapLabel(T("投诉须如实登记，不得隐瞒、压制或销毁。投诉记录只能追加，登记后不可修改或删除；记录以防篡改方式保存，总部留有副本，本地删除会被发现。"))
	form := widget.NewForm(
		widget.NewFormItem(T("投诉内容"), c.cWhat),
		widget.NewFormItem(T("发生地点"), c.cWhere),
		widget.NewFormItem(T("发生时间"), c.cWhen),
		widget.NewFormItem(T("联系人"), c.cName),
		widget.NewFormItem(T("联系电话"), c.cPhone),
	)
	return container.NewVScroll(container.New(&counterMinWidth{w: 640}, container.NewVBox(
		section(T("登记客户投诉"), note, form, container.NewHBox(c.cSubmit), c.cDone),
		d.buildComplaintRegister())))
}

func (d *director) onComplaint() {
	c := &d.deskComplaint
	in := hall.ComplaintInput{
		What: c.cWhat.Text, Where: c.cWhere.Text, Occurred: c.cWhen.Text,
		Contact: hall.Contact{Name: strings.TrimSpace(c.cName.Text), Phone: strings.TrimSpace(c.cPhone.Text)},
	}
	if strings.TrimSpace(in.What) == "" {
		d.showProblem(T("请填写投诉内容"))
		return
	}
	d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		r, err := svc.RecordComplaint(ctx, tok, in)
		return func() {
			for _, e := range []*widget.Entry{c.cWhat, c.cWhere, c.cWhen, c.cName, c.cPhone} {
				e.SetText("")
			}
			// The record keeps the contact in full; the screen shows it masked.
			m := r.Contact.Masked()
			who := strings.TrimSpace(m.Name + " " + m.Phone)
			if who == "" {
				who = T("未留")
			}
			showLine(c.cDone, Tf("投诉已登记（%s），联系人：%s。记录不可修改或删除。", d.at(r.CreatedAt), who))
			d.showNote(T("投诉已登记"))
		}, err
	})
}

// --- 公告与应急 -------------------------------------------------------------------

type deskNotices struct {
	emState      *widget.Label
	declareText  *widget.Entry
	declareHours *widget.Entry
	declareBtn   *widget.Button
	endNote      *widget.Entry
	endBtn       *widget.Button

	noticeBox     *fyne.Container
	endNoticeBtns map[string]*widget.Button
	noticeKind    *widget.Select
	noticeText    *widget.Entry
	noticeHours   *widget.Entry
	postBtn       *widget.Button
}

var noticeKinds = []hall.NoticeKind{hall.NoticeOutage, hall.NoticeInfo}

func (d *director) buildNoticesTab() fyne.CanvasObject {
	n := &d.deskNotices
	n.emState = &widget.Label{SizeName: theme.SizeNameSubHeadingText, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	n.declareText = widget.NewEntry()
	n.declareText.SetPlaceHolder(T("事件说明，如 城东变电站故障"))
	n.declareHours = widget.NewEntry()
	n.declareHours.SetText("4")
	n.declareBtn = widget.NewButton(T("宣布应急状态"), d.onDeclare)
	n.declareBtn.Importance = widget.DangerImportance
	n.endNote = widget.NewEntry()
	n.endNote.SetPlaceHolder(T("结束说明，如 已恢复供电"))
	n.endBtn = widget.NewButton(T("结束应急状态"), d.onEndEmergency)
	n.endBtn.Disable()
	help := hint(T("宣布后：大厅屏和取号机显示紧急通知，开放「停电咨询」取号，各窗口获得统一答复话术，并记入值班日志。"))
	em := section(T("应急状态"), n.emState, help,
		widget.NewForm(widget.NewFormItem(T("事件说明"), n.declareText), widget.NewFormItem(T("持续小时"), n.declareHours)),
		container.NewHBox(n.declareBtn),
		widget.NewSeparator(),
		widget.NewForm(widget.NewFormItem(T("结束说明"), n.endNote)),
		container.NewHBox(n.endBtn),
	)

	n.noticeBox = container.NewVBox()
	n.endNoticeBtns = map[string]*widget.Button{}
	labels := make([]string, len(noticeKinds))
	for i, k := range noticeKinds {
		labels[i] = T(k.Label())
	}
	n.noticeKind = widget.NewSelect(labels, nil)
	n.noticeKind.SetSelected(labels[0])
	n.noticeText = widget.NewMultiLineEntry()
	n.noticeText.SetPlaceHolder(T("公告内容"))
	n.noticeText.SetMinRowsVisible(3)
	n.noticeHours = widget.NewEntry()
	n.noticeHours.SetText("24")
	n.postBtn = widget.NewButton(T("发布公告"), d.onPostNotice)
	n.postBtn.Importance = widget.HighImportance
	notices := section(T("正在显示的公告"), n.noticeBox)
	post := section(T("发布公告"),
		widget.NewForm(widget.NewFormItem(T("类别"), n.noticeKind), widget.NewFormItem(T("内容"), n.noticeText),
			widget.NewFormItem(T("显示小时"), n.noticeHours)),
		container.NewHBox(n.postBtn))
	return container.NewVScroll(container.NewGridWithColumns(2, em, container.NewVBox(notices, post)))
}

func (d *director) applyNotices(x deskData) {
	n := &d.deskNotices
	if x.emergency.Active {
		n.emState.Importance = widget.DangerImportance
		n.emState.SetText(Tf("当前处于应急状态：%s", x.emergency.Text))
		n.declareBtn.Disable()
		n.endBtn.Enable()
	} else {
		n.emState.Importance = widget.SuccessImportance
		n.emState.SetText(T("当前为正常营业状态"))
		n.declareBtn.Enable()
		n.endBtn.Disable()
	}
	n.endNoticeBtns = map[string]*widget.Button{}
	rows := make([]fyne.CanvasObject, 0, len(x.notices))
	for _, nt := range x.notices {
		id := nt.ID
		b := widget.NewButton(T("撤下"), func() { d.onEndNotice(id) })
		if x.emergency.Active && id == x.emergency.NoticeID {
			// The emergency notice comes down with the emergency.
			b.Disable()
		}
		n.endNoticeBtns[id] = b
		kind := &widget.Label{Text: T(nt.Kind.Label()), TextStyle: fyne.TextStyle{Bold: true}}
		if nt.Kind == hall.NoticeEmergency {
			kind.Importance = widget.DangerImportance
		}
		until := heading(Tf("显示至 %s", d.at(nt.Until)), fyne.TextAlignLeading)
		rows = append(rows, container.NewBorder(nil, nil, kind, b, container.NewVBox(wrapLabel(nt.TextIn(T)), until)))
	}
	if len(rows) == 0 {
		rows = append(rows, heading(T("目前没有公告"), fyne.TextAlignLeading))
	}
	n.noticeBox.Objects = rows
	n.noticeBox.Refresh()
	// The last step of each reload of the desk: the complaint register
	// reads its own list after it.
	d.reloadComplaints()
	if d.badRatings != nil {
		d.badRatings.reload()
	}
	if d.reception != nil {
		d.reception.reload()
	}
	if d.patrol != nil {
		d.patrol.reload()
	}
}

func (d *director) onDeclare() {
	n := &d.deskNotices
	text := n.declareText.Text
	hours, ok := parseHours(n.declareHours.Text)
	switch {
	case strings.TrimSpace(text) == "":
		d.showProblem(T("请填写事件说明"))
		return
	case !ok:
		d.showProblem(T("持续小时须为1到720之间的整数"))
		return
	}
	until := d.s.now().Add(hours)
	d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		_, err := svc.DeclareEmergency(ctx, tok, text, until)
		return func() {
			n.declareText.SetText("")
			d.showNote(T("已宣布应急状态"))
		}, err
	})
}

func (d *director) onEndEmergency() {
	n := &d.deskNotices
	note := n.endNote.Text
	d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		err := svc.EndEmergency(ctx, tok, note)
		return func() {
			n.endNote.SetText("")
			d.showNote(T("应急状态已结束"))
		}, err
	})
}

func (d *director) onEndNotice(id string) {
	d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		err := svc.EndNotice(ctx, tok, id)
		return func() { d.showNote(T("公告已撤下")) }, err
	})
}

func (d *director) onPostNotice() {
	n := &d.deskNotices
	i := n.noticeKind.SelectedIndex()
	text := n.noticeText.Text
	hours, ok := parseHours(n.noticeHours.Text)
	switch {
	case i < 0:
		d.showProblem(T("请选择公告类别"))
		return
	case strings.TrimSpace(text) == "":
		d.showProblem(T("请填写公告内容"))
		return
	case !ok:
		d.showProblem(T("显示小时须为1到720之间的整数"))
		return
	}
	in := hall.NoticeInput{Kind: noticeKinds[i], Text: text, Until: d.s.now().Add(hours)}
	d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		_, err := svc.PostNotice(ctx, tok, in)
		return func() {
			n.noticeText.SetText("")
			d.showNote(T("公告已发布"))
		}, err
	})
}
