package ui

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

const (
	overviewTitle = "营业厅服务台"
	notYetLabel   = "后续版本提供"
	// retryAfter is how long the overview waits before it reads the hall
	// again after a failure or a broken event stream.
	retryAfter = 3 * time.Second
)

// Column weights of the two tables; header and rows share them so that
// they line up.
var (
	typeColumns    = columns{3, 1, 1.2, 1.6, 1.4}
	counterColumns = columns{1.6, 1, 1.4, 1.8}
)

// overview is the hall at a glance: today's queues, what every counter is
// doing and buttons that open the role windows. It follows the hall's event
// stream and reads the whole overview again after each burst of events.
type overview struct {
	s     *session
	roles []roleDef
	retry time.Duration
	// onApplied, if set, is called on the UI thread after each overview is
	// shown. Tests wait on it.
	onApplied func(hall.Overview)

	// Owned by the UI thread.
	win      fyne.Window
	tz       string
	loc      *time.Location
	counters []hall.CounterView

	hallName    *widget.Label
	date        *widget.Label
	clock       *widget.Label
	waiting     *widget.Label
	typeBox     *fyne.Container
	typeRows    []typeRow
	counterBox  *fyne.Container
	counterRows []counterRow
	roleButtons map[string]*widget.Button
	lan         *widget.Label // the hall node's address and pairing code, when this PC serves the LAN
	status      *widget.Label
	content     fyne.CanvasObject

	// The counter picker of the role that is being opened, while it shows.
	picker     *widget.Select
	pickerOpen *widget.Button
	pickerDlg  *dialog.CustomDialog
}

type typeRow struct {
	code                                    string
	name, prefix, waiting, priority, issued *widget.Label
}

type counterRow struct {
	no                               int
	name, state, number, ticketState *widget.Label
}

func newOverview(s *session, roles []roleDef) *overview {
	ov := &overview{
		s:           s,
		roles:       roles,
		retry:       retryAfter,
		loc:         time.Local,
		hallName:    &widget.Label{Text: T(overviewTitle), SizeName: theme.SizeNameHeadingText},
		date:        widget.NewLabel(""),
		clock:       &widget.Label{SizeName: theme.SizeNameSubHeadingText, Alignment: fyne.TextAlignTrailing},
		waiting:     &widget.Label{Text: "—", SizeName: theme.SizeNameHeadingText, Importance: widget.HighImportance, Alignment: fyne.TextAlignCenter},
		typeBox:     container.NewVBox(),
		counterBox:  container.NewVBox(),
		roleButtons: make(map[string]*widget.Button),
		status:      &widget.Label{Text: T("正在读取营业厅数据…"), Truncation: fyne.TextTruncateEllipsis},
	}
	ov.date.Alignment = fyne.TextAlignTrailing
	ov.content = ov.layout()
	return ov
}

func (ov *overview) layout() fyne.CanvasObject {
	subtitle := heading(T(overviewTitle), fyne.TextAlignLeading)
	waitingCaption := heading(T("当前等候（人）"), fyne.TextAlignCenter)
	header := container.NewHBox(
		container.NewVBox(ov.hallName, subtitle),
		layout.NewSpacer(),
		container.NewVBox(waitingCaption, ov.waiting),
		layout.NewSpacer(),
		container.NewVBox(ov.date, ov.clock),
	)

	types := container.NewVBox(
		row(typeColumns, heading(T("业务类型"), fyne.TextAlignLeading), heading(T("号段"), fyne.TextAlignCenter),
			heading(T("等候"), fyne.TextAlignCenter), heading(T("其中敬老/助残"), fyne.TextAlignCenter), heading(T("今日取号"), fyne.TextAlignCenter)),
		widget.NewSeparator(),
		ov.typeBox,
	)
	counters := container.NewVBox(
		row(counterColumns, heading(T("窗口"), fyne.TextAlignLeading), heading(T("状态"), fyne.TextAlignCenter),
			heading(T("当前号码"), fyne.TextAlignCenter), heading(T("号码状态"), fyne.TextAlignCenter)),
		widget.NewSeparator(),
		ov.counterBox,
	)
	tables := container.NewGridWithColumns(2,
		widget.NewCard(T("今日业务"), "", container.NewVScroll(types)),
		widget.NewCard(T("窗口"), "", container.NewVScroll(counters)),
	)

	roleRow := container.NewHBox(widget.NewLabel(T("打开角色窗口：")))
	for _, d := range ov.roles {
		b := widget.NewButton(T(d.title), func() { ov.onRole(d) })
		caption := &widget.Label{SizeName: theme.SizeNameCaptionText, Alignment: fyne.TextAlignCenter}
		if !d.available() {
			b.Disable()
			caption.Text = T(notYetLabel)
		}
		ov.roleButtons[d.id] = b
		roleRow.Add(container.NewVBox(b, caption))
	}

	var about []string
	if v := ov.s.opt.Version; v != "" {
		about = append(about, Tf("版本 %s", v))
	}
	if p := ov.s.opt.DBPath; p != "" {
		about = append(about, Tf("数据库 %s", p))
	}
	info := heading(strings.Join(about, " · "), fyne.TextAlignTrailing)
	ov.lan = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	ov.lan.Hide()
	ov.showLAN()
	footer := container.NewVBox(
		widget.NewSeparator(),
		ov.lan,
		roleRow,
		container.NewBorder(nil, nil, nil, info, ov.status),
	)
	return container.NewBorder(container.NewVBox(header, widget.NewSeparator()), footer, nil, nil, tables)
}

// heading is a column heading or caption: quieter than data, yet legible
// (LowImportance is the disabled colour, too faint on a hall PC's screen).
func heading(text string, align fyne.TextAlign) *widget.RichText {
	return widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		Alignment: align,
		ColorName: theme.ColorNamePlaceHolder,
		SizeName:  theme.SizeNameText,
	}})
}

func cell(align fyne.TextAlign) *widget.Label {
	return &widget.Label{Alignment: align}
}

// window opens the overview's window; the title gets the hall's name once
// it is known.
func (ov *overview) window() fyne.Window {
	ov.win = ov.s.app.NewWindow(T(overviewTitle))
	ov.win.SetContent(ov.content)
	ov.win.Resize(fyne.NewSize(1120, 720))
	return ov.win
}

// start follows the hall and runs the clock until the session ends.
func (ov *overview) start() {
	ov.s.goBackground(ov.live)
	ov.s.goBackground(ov.tick)
}

// live shows the hall, then follows its event stream; when the stream
// breaks it starts again after a pause.
func (ov *overview) live() {
	ctx := ov.s.ctx
	for {
		o, err := ov.refresh(ctx)
		if err == nil {
			var events <-chan hall.Event
			events, err = ov.s.svc.Subscribe(ctx, o.LastSeq)
			if err == nil {
				ov.follow(ctx, events)
			} else if ctx.Err() == nil {
				ov.s.runOnMain(func() { ov.showError(err) })
			}
		}
		if ctx.Err() != nil {
			return
		}
		if err == nil { // the stream ended on its own
			ov.s.runOnMain(func() { ov.showProblem(T("实时更新已中断，正在重新连接…")) })
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(ov.retry):
		}
	}
}

// follow refreshes the overview after events until the stream closes. A
// burst of events costs at most one refresh beyond the one in progress.
func (ov *overview) follow(ctx context.Context, events <-chan hall.Event) {
	kick := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range kick {
			ov.refresh(ctx) //nolint:errcheck // refresh shows its own errors
		}
	}()
	for range events {
		select {
		case kick <- struct{}{}:
		default: // a refresh is already due and will see this event too
		}
	}
	close(kick)
	<-done
}

// refresh reads the overview off the UI thread and shows it, or shows why
// it could not.
func (ov *overview) refresh(ctx context.Context) (hall.Overview, error) {
	o, err := ov.s.svc.Overview(ctx)
	if err != nil {
		if ctx.Err() == nil {
			ov.s.runOnMain(func() { ov.showError(err) })
		}
		return o, err
	}
	ov.s.runOnMain(func() { ov.apply(o) })
	return o, nil
}

func (ov *overview) tick() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ov.s.ctx.Done():
			return
		case <-t.C:
			ov.s.runOnMain(ov.onTick)
		}
	}
}

func (ov *overview) onTick() {
	ov.clock.SetText(ov.s.now().In(ov.loc).Format(time.TimeOnly))
	ov.showLAN()
}

// showLAN shows where the other PCs of the hall reach this one and the
// pairing code they join with. UI thread.
func (ov *overview) showLAN() {
	if ov.s.opt.LAN == nil || ov.lan == nil {
		return
	}
	addr, code, until := ov.s.opt.LAN()
	text := Tf("本机是营业厅主机：%s · 叫号屏网页 %s/display · 配对码 %s（%s 前有效）", addr, addr, code, until.In(ov.loc).Format("15:04"))
	if ov.lan.Text != text {
		ov.lan.SetText(text)
	}
	ov.lan.Show()
}

// apply shows o. UI thread only.
func (ov *overview) apply(o hall.Overview) {
	if o.Hall.TimeZone != ov.tz {
		ov.tz = o.Hall.TimeZone
		ov.loc = time.Local
		if loc, err := time.LoadLocation(o.Hall.TimeZone); err == nil && o.Hall.TimeZone != "" {
			ov.loc = loc
		}
	}
	if o.Hall.Name != "" && ov.hallName.Text != o.Hall.Name {
		ov.hallName.SetText(o.Hall.Name)
		if ov.win != nil {
			ov.win.SetTitle(o.Hall.Name + " · " + T(overviewTitle))
		}
	}
	ov.date.SetText(formatDay(o.Day))
	ov.onTick()
	ov.waiting.SetText(strconv.Itoa(o.Waiting))
	ov.applyTypes(o.Types)
	ov.applyCounters(o.Counters)
	ov.counters = o.Counters

	ov.status.Importance = widget.MediumImportance
	ov.status.SetText(Tf("实时更新中 · 数据更新于 %s", ov.s.now().In(ov.loc).Format(time.TimeOnly)))
	if ov.onApplied != nil {
		ov.onApplied(o)
	}
}

func (ov *overview) applyTypes(stats []hall.TypeStat) {
	// A retired type stays in view only while it has business today.
	stats = slices.DeleteFunc(slices.Clone(stats), func(s hall.TypeStat) bool {
		return s.Type.Retired && s.Waiting == 0 && s.Issued == 0
	})
	same := len(stats) == len(ov.typeRows)
	for i := 0; same && i < len(stats); i++ {
		same = stats[i].Type.Code == ov.typeRows[i].code
	}
	if !same {
		ov.typeRows = ov.typeRows[:0]
		objs := make([]fyne.CanvasObject, 0, len(stats))
		for _, s := range stats {
			r := typeRow{
				code: s.Type.Code, name: &widget.Label{Truncation: fyne.TextTruncateEllipsis}, prefix: cell(fyne.TextAlignCenter),
				waiting: cell(fyne.TextAlignCenter), priority: cell(fyne.TextAlignCenter), issued: cell(fyne.TextAlignCenter),
			}
			r.waiting.TextStyle.Bold = true
			ov.typeRows = append(ov.typeRows, r)
			objs = append(objs, row(typeColumns, r.name, r.prefix, r.waiting, r.priority, r.issued))
		}
		ov.typeBox.Objects = objs
		ov.typeBox.Refresh()
	}
	for i, s := range stats {
		r := ov.typeRows[i]
		name := T(s.Type.Name)
		if s.Type.Retired {
			name = Tf("%s（已停办）", name)
		}
		r.name.SetText(name)
		r.prefix.SetText(s.Type.Prefix)
		r.waiting.Importance = widget.MediumImportance
		if s.Waiting > 0 {
			r.waiting.Importance = widget.HighImportance
		}
		r.waiting.SetText(strconv.Itoa(s.Waiting))
		r.priority.Importance = widget.MediumImportance
		if s.WaitingPriority > 0 {
			r.priority.Importance = widget.WarningImportance
		}
		r.priority.SetText(strconv.Itoa(s.WaitingPriority))
		r.issued.SetText(strconv.Itoa(s.Issued))
	}
}

func (ov *overview) applyCounters(views []hall.CounterView) {
	same := len(views) == len(ov.counterRows)
	for i := 0; same && i < len(views); i++ {
		same = views[i].Counter.No == ov.counterRows[i].no
	}
	if !same {
		ov.counterRows = ov.counterRows[:0]
		objs := make([]fyne.CanvasObject, 0, len(views))
		for _, v := range views {
			r := counterRow{
				no: v.Counter.No, name: cell(fyne.TextAlignLeading), state: cell(fyne.TextAlignCenter),
				number:      &widget.Label{Alignment: fyne.TextAlignCenter, SizeName: theme.SizeNameSubHeadingText},
				ticketState: cell(fyne.TextAlignCenter),
			}
			ov.counterRows = append(ov.counterRows, r)
			objs = append(objs, row(counterColumns, r.name, r.state, r.number, r.ticketState))
		}
		ov.counterBox.Objects = objs
		ov.counterBox.Refresh()
	}
	for i, v := range views {
		r := ov.counterRows[i]
		r.name.SetText(v.Counter.Name)
		r.state.Importance = counterImportance(v.Counter.State)
		r.state.SetText(T(v.Counter.State.Label()))
		number, state, imp := "—", "", widget.MediumImportance
		switch t := v.Ticket; {
		case t != nil:
			number, state, imp = t.Number, T(t.State.Label()), ticketImportance(t.State)
			if t.Priority.IsPriority() {
				state += " · " + T(t.Priority.Label())
			}
		case v.Counter.State == hall.CounterOpen:
			state = T("空闲")
		}
		r.number.SetText(number)
		r.ticketState.Importance = imp
		r.ticketState.SetText(state)
	}
}

func counterImportance(s hall.CounterState) widget.Importance {
	switch s {
	case hall.CounterOpen:
		return widget.SuccessImportance
	case hall.CounterPaused:
		return widget.WarningImportance
	}
	// Closed is the plain colour: the disabled one is too faint to read on
	// a light theme.
	return widget.MediumImportance
}

func ticketImportance(s hall.TicketState) widget.Importance {
	switch s {
	case hall.Called:
		return widget.HighImportance
	case hall.Serving:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}

// showError shows err in the status line in the windows' language. UI thread only.
func (ov *overview) showError(err error) { ov.showProblem(errText(err)) }

func (ov *overview) showProblem(msg string) {
	ov.status.Importance = widget.DangerImportance
	ov.status.SetText(msg)
}

// onRole opens a role's window, first asking which counter for the roles
// that belong to one.
func (ov *overview) onRole(d roleDef) {
	if !d.available() {
		return
	}
	if !d.needsCounter {
		ov.openRole(d, 0)
		return
	}
	if len(ov.counters) == 0 {
		ov.showProblem(T("尚未读到窗口列表，请稍后再试"))
		return
	}
	ov.askCounter(d)
}

// askCounter shows a dialog to pick the counter for d's window.
func (ov *overview) askCounter(d roleDef) {
	names := make([]string, len(ov.counters))
	for i, c := range ov.counters {
		names[i] = c.Counter.Name
	}
	counters := slices.Clone(ov.counters)
	ov.picker = widget.NewSelect(names, nil)
	ov.picker.PlaceHolder = T("请选择窗口")
	ov.pickerOpen = widget.NewButton(T("打开"), nil)
	ov.pickerOpen.Importance = widget.HighImportance
	ov.pickerOpen.Disable()
	ov.picker.OnChanged = func(string) { ov.pickerOpen.Enable() }
	cancel := widget.NewButton(T("取消"), nil)
	ov.pickerDlg = dialog.NewCustomWithoutButtons(Tf("打开%s", T(d.title)), ov.picker, ov.win)
	ov.pickerDlg.SetButtons([]fyne.CanvasObject{cancel, ov.pickerOpen})
	closePicker := func() {
		ov.pickerDlg.Hide()
		ov.picker, ov.pickerOpen, ov.pickerDlg = nil, nil, nil
	}
	cancel.OnTapped = closePicker
	ov.pickerOpen.OnTapped = func() {
		i := ov.picker.SelectedIndex()
		closePicker()
		if i >= 0 {
			ov.openRole(d, counters[i].Counter.No)
		}
	}
	ov.pickerDlg.Show()
}

func (ov *overview) openRole(d roleDef, counter int) {
	w, err := d.open(ov.s, counter)
	if err != nil {
		ov.showError(err)
		return
	}
	w.Show()
}

// dayLayouts are the time layouts of formatDay, one per time.Weekday: Go's
// layouts have no Chinese weekday, so each names its own. They are
// translated as a whole: in English one layout, "Monday, 2 January 2006",
// serves every day.
var dayLayouts = [...]string{
	"2006年1月2日 星期日", "2006年1月2日 星期一", "2006年1月2日 星期二", "2006年1月2日 星期三",
	"2006年1月2日 星期四", "2006年1月2日 星期五", "2006年1月2日 星期六",
}

// formatDay renders a hall day (2006-01-02) as 2006年1月2日 星期一, or in
// English as Monday, 2 January 2006.
func formatDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format(T(dayLayouts[t.Weekday()]))
}

// columns lays out a table row: its cells side by side, each as wide as its
// weight's share of the row.
type columns []float32

func row(c columns, cells ...fyne.CanvasObject) *fyne.Container {
	return container.New(c, cells...)
}

func (c columns) total() float32 {
	var t float32
	for _, w := range c {
		t += w
	}
	return t
}

// MinSize is wide enough that every cell gets at least its own minimum.
func (c columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var unit, h float32
	for i, o := range objs {
		if i >= len(c) || !o.Visible() {
			continue
		}
		m := o.MinSize()
		unit = max(unit, m.Width/c[i])
		h = max(h, m.Height)
	}
	return fyne.NewSize(unit*c.total(), h)
}

// Layout places the cells left to right by weight.
func (c columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	unit := size.Width / c.total()
	var x float32
	for i, o := range objs {
		if i >= len(c) {
			o.Hide()
			continue
		}
		w := unit * c[i]
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}
