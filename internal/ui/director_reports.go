package ui

import (
	"bufio"
	"errors"
	"io"
	"os"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/export"
	"servicehall/internal/hall"
)

// The director's 统计报表 tab (clause 3.2, 检查与考核): the hall's figures
// over a range of days, three charts drawn with plain canvas objects, the
// counters' and clerks' tables, and export to Excel or CSV.

// Column weights of the report's tables.
var (
	repCounterColumns = columns{1.6, 1, 1, 1.2, 1.2, 1}
	repClerkColumns   = columns{1.6, 1, 1.2, 1, 1, 0.8, 1}
)

const (
	// The hours the arrivals chart shows: the hall's opening hours.
	repFirstHour = 8
	repLastHour  = 18
	noFigure     = "—"
)

// exportFormat is a file type the report is written as.
type exportFormat int

const (
	exportXLSX exportFormat = iota
	exportCSV
)

func (f exportFormat) ext() string {
	if f == exportCSV {
		return ".csv"
	}
	return ".xlsx"
}

// errNoReport: an export before any query. Its text is a catalogue key.
var errNoReport = errors.New("请先查询报表，再导出")

// reportsView is the 统计报表 tab's content.
type reportsView struct {
	widget.BaseWidget
	d *director

	// Owned by the UI thread.
	report  hall.Report
	has     bool // report holds a query's answer
	gen     int  // the director's sign-in the report was read under
	loading bool

	todayBtn, weekBtn, monthBtn, lastMonthBtn *widget.Button
	from, to                                  *widget.Entry
	queryBtn, xlsxBtn, csvBtn                 *widget.Button
	rangeLine                                 *widget.Label

	figures    map[string]*widget.Label // 概况, by the figure's name
	hours      *barChart
	waits      *barChart
	trend      *barChart
	counterBox *fyne.Container
	clerkBox   *fyne.Container

	content fyne.CanvasObject
}

// repFigureNames are the 概况 figures, in the order shown.
var repFigureNames = []string{
	"取号", "办结", "过号", "未办结",
	"平均等候", "等候P90", "平均办理", "满意率",
	"未评价占比", "优先服务", "投诉", "升级事项",
	"现场巡查",
}

func (d *director) buildReportsTab() fyne.CanvasObject {
	v := &reportsView{d: d, figures: map[string]*widget.Label{}}
	v.ExtendBaseWidget(v)

	v.todayBtn = widget.NewButton(T("今日"), func() { v.queryPreset(v.presetToday) })
	v.weekBtn = widget.NewButton(T("本周"), func() { v.queryPreset(v.presetWeek) })
	v.monthBtn = widget.NewButton(T("本月"), func() { v.queryPreset(v.presetMonth) })
	v.lastMonthBtn = widget.NewButton(T("上月"), func() { v.queryPreset(v.presetLastMonth) })
	v.from = widget.NewEntry()
	v.from.SetPlaceHolder(Tf("开始日期 %s", "2026-11-01"))
	v.to = widget.NewEntry()
	v.to.SetPlaceHolder(Tf("结束日期 %s", "2026-11-30"))
	v.queryBtn = widget.NewButtonWithIcon(T("查询"), theme.SearchIcon(), v.onQuery)
	v.queryBtn.Importance = widget.HighImportance
	v.to.OnSubmitted = func(string) { v.onQuery() }
	v.xlsxBtn = widget.NewButtonWithIcon(Tf("导出 %s", "Excel"), theme.DocumentSaveIcon(), func() { v.onExport(exportXLSX) })
	v.csvBtn = widget.NewButtonWithIcon(Tf("导出 %s", "CSV"), theme.DocumentSaveIcon(), func() { v.onExport(exportCSV) })
	v.rangeLine = &widget.Label{Text: T("请选择范围并查询"), TextStyle: fyne.TextStyle{Bold: true}}

	bar := container.NewBorder(nil, nil,
		container.NewHBox(v.todayBtn, v.weekBtn, v.monthBtn, v.lastMonthBtn),
		container.NewHBox(v.queryBtn, widget.NewSeparator(), v.xlsxBtn, v.csvBtn),
		container.NewGridWithColumns(2,
			container.NewBorder(nil, nil, widget.NewLabel(T("从")), nil, v.from),
			container.NewBorder(nil, nil, widget.NewLabel(T("至")), nil, v.to)))

	grid := container.NewGridWithColumns(8)
	for _, name := range repFigureNames {
		val := &widget.Label{Text: noFigure, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
		v.figures[name] = val
		grid.Add(colHeading(T(name), fyne.TextAlignTrailing))
		grid.Add(val)
	}

	v.hours = newBarChart(T("到达人数（按取号时段）"), false)
	v.waits = newBarChart(T("平均等候（分钟，按业务）"), true)
	v.trend = newBarChart(T("满意率趋势（按日）"), false)
	v.trend.max = 1

	v.counterBox = container.NewVBox()
	v.clerkBox = container.NewVBox()
	counterHead := row(repCounterColumns, colHeading(T("窗口"), fyne.TextAlignLeading), colHeading(T("办结"), fyne.TextAlignTrailing),
		colHeading(T("转办"), fyne.TextAlignTrailing), colHeading(T("平均办理"), fyne.TextAlignTrailing), colHeading(T("平均等候"), fyne.TextAlignTrailing),
		colHeading(T("巡查均分"), fyne.TextAlignTrailing))
	clerkHead := row(repClerkColumns, colHeading(T("营业员"), fyne.TextAlignLeading), colHeading(T("办结"), fyne.TextAlignTrailing),
		colHeading(T("平均办理"), fyne.TextAlignTrailing), colHeading(T("满意率"), fyne.TextAlignTrailing),
		colHeading(T("未评价"), fyne.TextAlignTrailing), colHeading(T("投诉"), fyne.TextAlignTrailing), colHeading(T("巡查均分"), fyne.TextAlignTrailing))

	v.content = container.NewVScroll(container.NewVBox(
		section(T("查询范围"), bar, v.rangeLine),
		section(T("概况"), grid),
		container.NewGridWithColumns(2, widget.NewCard("", "", v.hours), widget.NewCard("", "", v.waits)),
		widget.NewCard("", "", v.trend),
		// One table under the other: side by side, an English heading such
		// as "Satisfaction rate" would not fit its column.
		section(T("按窗口"), counterHead, v.counterBox),
		section(T("按人员"), clerkHead, v.clerkBox),
	))
	v.showEmpty()
	return v
}

// colHeading is a heading that wraps in a narrow column rather than
// widening the tab: English headings are longer than Chinese ones.
func colHeading(text string, align fyne.TextAlign) *widget.RichText {
	h := heading(text, align)
	h.Wrapping = fyne.TextWrapWord
	return h
}

func (v *reportsView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// --- Ranges -----------------------------------------------------------------------

// hallToday is the hall's local day as a calendar date (UTC midnight).
func (v *reportsView) hallToday() time.Time {
	day := v.d.data.ov.Day
	if t, err := time.Parse(time.DateOnly, day); err == nil {
		return t
	}
	y, m, dd := v.d.s.now().In(v.d.loc).Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

func repRange(from, to time.Time) hall.ReportRange {
	return hall.ReportRange{From: from.Format(time.DateOnly), To: to.Format(time.DateOnly)}
}

func (v *reportsView) presetToday() hall.ReportRange {
	t := v.hallToday()
	return repRange(t, t)
}

// presetWeek is Monday to today: a Chinese week starts on Monday.
func (v *reportsView) presetWeek() hall.ReportRange {
	t := v.hallToday()
	back := (int(t.Weekday()) + 6) % 7
	return repRange(t.AddDate(0, 0, -back), t)
}

// presetMonth is the month so far.
func (v *reportsView) presetMonth() hall.ReportRange {
	t := v.hallToday()
	return repRange(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), t)
}

func (v *reportsView) presetLastMonth() hall.ReportRange {
	t := v.hallToday()
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	return hall.MonthRange(first.Year(), first.Month())
}

// --- Querying -------------------------------------------------------------------

func (v *reportsView) queryPreset(preset func() hall.ReportRange) {
	r := preset()
	v.from.SetText(r.From)
	v.to.SetText(r.To)
	v.query(r)
}

func (v *reportsView) onQuery() {
	v.query(hall.ReportRange{From: v.from.Text, To: v.to.Text})
}

// query reads the report off the UI thread and shows it. UI thread.
func (v *reportsView) query(r hall.ReportRange) {
	d := v.d
	if !d.signedIn || d.tok == "" || v.loading {
		return
	}
	if err := r.Validate(); err != nil {
		d.showError(err)
		return
	}
	v.loading = true
	v.queryBtn.Disable()
	d.showNote(T("正在生成报表…"))
	tok, gen := d.tok, d.gen
	ctx, svc := d.s.ctx, d.s.svc
	d.spawn(func() {
		rep, err := svc.Report(ctx, tok, r)
		d.s.runOnMain(func() {
			v.loading = false
			v.queryBtn.Enable()
			if gen != d.gen {
				return
			}
			if err != nil {
				if errors.Is(err, hall.ErrNotSignedIn) {
					d.signedOut(errText(err))
					return
				}
				d.showError(err)
				return
			}
			v.show(rep, gen)
			d.showNote(Tf("报表已生成：%s", repRangeText(rep.Range)))
		})
	})
}

func repRangeText(r hall.ReportRange) string {
	if r.From == r.To {
		return r.From
	}
	return Tf("%s 至 %s", r.From, r.To)
}

// --- Showing ---------------------------------------------------------------------

func repMinutes(s hall.DurationStats) string {
	if s.N == 0 {
		return noFigure
	}
	return Tf("%.1f 分钟", s.Mean.Minutes())
}

func repP90(s hall.DurationStats) string {
	if s.N == 0 {
		return noFigure
	}
	return Tf("%.1f 分钟", s.P90.Minutes())
}

// repPercent is a share of 1 with one decimal, or — when nothing is behind it.
func repPercent(f float64, n int) string {
	if n == 0 {
		return noFigure
	}
	return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
}

// showEmpty clears the figures, charts and tables. UI thread.
func (v *reportsView) showEmpty() {
	v.has = false
	v.report = hall.Report{}
	v.rangeLine.SetText(T("请选择范围并查询"))
	for _, l := range v.figures {
		l.SetText(noFigure)
	}
	v.hours.setBars(nil)
	v.waits.setBars(nil)
	v.trend.setBars(nil)
	v.counterBox.RemoveAll()
	v.clerkBox.RemoveAll()
}

// show displays a report. UI thread.
func (v *reportsView) show(r hall.Report, gen int) {
	v.report, v.has, v.gen = r, true, gen
	loc := v.d.loc
	v.rangeLine.SetText(Tf("%s · %s（共%d天）· 生成于 %s", r.Hall.Name, repRangeText(r.Range), len(r.Daily),
		r.GeneratedAt.In(loc).Format("2006-01-02 15:04")))

	set := func(name, text string) { v.figures[name].SetText(text) }
	tk := r.Tickets
	set("取号", strconv.Itoa(tk.Issued))
	set("办结", strconv.Itoa(tk.Served))
	set("过号", strconv.Itoa(tk.NoShow))
	set("未办结", strconv.Itoa(tk.Unfinished))
	set("平均等候", repMinutes(r.Wait))
	set("等候P90", repP90(r.Wait))
	set("平均办理", repMinutes(r.Service))
	set("满意率", repPercent(r.Ratings.SatisfactionRate(), r.Ratings.Rated()))
	set("未评价占比", repPercent(r.Ratings.UnratedShare(), r.Ratings.Total()))
	prio := ""
	for _, p := range r.Priority {
		if prio != "" {
			prio += " · "
		}
		prio += T(p.Priority.Label()) + " " + strconv.Itoa(p.Issued)
	}
	if prio == "" {
		prio = "0"
	}
	set("优先服务", prio)
	set("投诉", strconv.Itoa(r.Complaints))
	esc := Tf("新增 %d · 逾期 %d", r.Escalations.Opened, r.Escalations.Overdue)
	set("升级事项", esc)
	if r.Escalations.Overdue > 0 {
		v.figures["升级事项"].Importance = widget.DangerImportance
	} else {
		v.figures["升级事项"].Importance = widget.MediumImportance
	}
	v.figures["升级事项"].Refresh()
	patrol := Tf("%d 次", r.Patrols.Patrols)
	if r.Patrols.Checked > 0 {
		patrol = Tf("%d 次 · 均分 %.1f", r.Patrols.Patrols, r.Patrols.MeanScore)
	}
	set("现场巡查", patrol)

	v.hours.setBars(hourBars(r))
	v.waits.setBars(waitBars(r))
	v.trend.setBars(trendBars(r))

	v.counterBox.RemoveAll()
	for _, c := range r.ByCounter {
		name := c.Name
		if name == "" {
			name = Tf("%d号窗口", c.Counter)
		}
		v.counterBox.Add(row(repCounterColumns,
			&widget.Label{Text: name, Truncation: fyne.TextTruncateEllipsis},
			&widget.Label{Text: strconv.Itoa(c.Services.Done), Alignment: fyne.TextAlignTrailing},
			&widget.Label{Text: strconv.Itoa(c.Services.Transferred), Alignment: fyne.TextAlignTrailing},
			&widget.Label{Text: repMinutes(c.Services.Service), Alignment: fyne.TextAlignTrailing},
			&widget.Label{Text: repMinutes(c.Services.Wait), Alignment: fyne.TextAlignTrailing},
			&widget.Label{Text: repPatrol(c.Patrol), Alignment: fyne.TextAlignTrailing}))
	}
	if len(r.ByCounter) == 0 {
		v.counterBox.Add(hint(T("该范围内没有窗口办理记录")))
	}
	v.clerkBox.RemoveAll()
	for _, c := range r.ByClerk {
		v.clerkBox.Add(row(repClerkColumns,
			&widget.Label{Text: Tf("%s（%s）", c.Name, c.Clerk), Truncation: fyne.TextTruncateEllipsis},
			&widget.Label{Text: strconv.Itoa(c.Services.Done), Alignment: fyne.TextAlignTrailing},
			&widget.Label{Text: repMinutes(c.Services.Service), Alignment: fyne.TextAlignTrailing},
			&widget.Label{Text: repPercent(c.Ratings.SatisfactionRate(), c.Ratings.Rated()), Alignment: fyne.TextAlignTrailing},
			&widget.Label{Text: repPercent(c.Ratings.UnratedShare(), c.Ratings.Total()), Alignment: fyne.TextAlignTrailing},
			&widget.Label{Text: strconv.Itoa(c.Complaints), Alignment: fyne.TextAlignTrailing},
			&widget.Label{Text: repPatrol(c.Patrol), Alignment: fyne.TextAlignTrailing}))
	}
	if len(r.ByClerk) == 0 {
		v.clerkBox.Add(hint(T("该范围内没有营业员办理记录")))
	}
}

// repPatrol is a mean patrol score with one decimal, "—" when never inspected.
func repPatrol(s hall.PatrolStats) string {
	if s.Checked == 0 {
		return "—"
	}
	return strconv.FormatFloat(s.MeanScore, 'f', 1, 64)
}

// hourBars is the tickets issued per hour of the opening hours.
func hourBars(r hall.Report) []chartBar {
	var out []chartBar
	for h := repFirstHour; h <= repLastHour; h++ {
		n := 0
		if h < len(r.ByHour) {
			n = r.ByHour[h].Issued
		}
		out = append(out, chartBar{label: Tf("%d时", h), value: float64(n), text: strconv.Itoa(n)})
	}
	return out
}

// waitBars is the mean wait per business type that had tickets.
func waitBars(r hall.Report) []chartBar {
	var out []chartBar
	for _, t := range r.ByType {
		if t.Tickets.Issued == 0 && t.Wait.N == 0 {
			continue
		}
		b := chartBar{label: T(t.Name), text: noFigure}
		if t.Wait.N > 0 {
			b.value = t.Wait.Mean.Minutes()
			b.text = strconv.FormatFloat(b.value, 'f', 1, 64)
		}
		out = append(out, b)
	}
	return out
}

// trendBars is each day's satisfaction rate; a day nobody rated has no bar.
func trendBars(r hall.Report) []chartBar {
	var out []chartBar
	for _, day := range r.Daily {
		label := day.Day
		if len(label) == len(time.DateOnly) {
			label = label[5:] // 11-27
		}
		b := chartBar{label: label, text: noFigure}
		if day.Ratings.Rated() > 0 {
			b.value = day.Ratings.SatisfactionRate()
			b.text = strconv.Itoa(int(b.value*100+0.5)) + "%"
		}
		out = append(out, b)
	}
	return out
}

// --- Export --------------------------------------------------------------------

// onExport asks where to save the report and writes it there. UI thread.
func (v *reportsView) onExport(f exportFormat) {
	d := v.d
	if !v.has || v.gen != d.gen {
		d.showProblem(T(errNoReport.Error()))
		return
	}
	rep := v.report
	save := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		d.dialog = nil
		if err != nil {
			d.showProblem(Tf("无法保存文件：%s", err.Error()))
			return
		}
		if w == nil {
			return // cancelled
		}
		name := w.URI().Name()
		d.spawn(func() {
			err := writeReport(w, rep, f)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			d.s.runOnMain(func() {
				if err != nil {
					d.showProblem(Tf("导出失败：%s", err.Error()))
					return
				}
				d.showNote(Tf("报表已导出：%s", name))
			})
		})
	}, d.win)
	save.SetFileName(reportFileName(rep.Range, f))
	d.dialog = save
	save.Show()
}

// reportFileName is the suggested name: 统计报表_2026-11-01_2026-11-30.xlsx.
func reportFileName(r hall.ReportRange, f exportFormat) string {
	if r.From == r.To {
		return Tf("统计报表_%s", r.From) + f.ext()
	}
	return Tf("统计报表_%s_%s", r.From, r.To) + f.ext()
}

// writeReport writes r in format f.
func writeReport(w io.Writer, r hall.Report, f exportFormat) error {
	if f == exportCSV {
		return export.WriteCSV(w, r)
	}
	return export.WriteXLSX(w, r)
}

// exportFile writes the report shown to path: what the save dialog does,
// without the dialog.
func (v *reportsView) exportFile(path string, f exportFormat) (err error) {
	if !v.has || v.gen != v.d.gen {
		return errNoReport
	}
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(file)
	if err := writeReport(bw, v.report, f); err != nil {
		return err
	}
	return bw.Flush()
}

// --- Bar chart ---------------------------------------------------------------------

// chartBar is one bar of a chart.
type chartBar struct {
	label string  // under a column, or left of a horizontal bar
	value float64 // the bar's length on the chart's scale
	text  string  // the figure at the bar's end
}

// barChart draws bars with canvas rectangles and texts: columns from the
// bottom, or horizontal bars from the left.
type barChart struct {
	widget.BaseWidget
	horizontal bool
	max        float64 // the scale's top; 0: the largest value

	// Owned by the UI thread; rebuilt by setBars.
	bars   []chartBar
	rects  []*canvas.Rectangle
	labels []*canvas.Text
	values []*canvas.Text
	title  *canvas.Text
	empty  *canvas.Text
	axis   *canvas.Line
}

func newBarChart(title string, horizontal bool) *barChart {
	c := &barChart{horizontal: horizontal}
	c.title = canvas.NewText(title, theme.Color(theme.ColorNameForeground))
	c.title.TextStyle = fyne.TextStyle{Bold: true}
	c.empty = canvas.NewText(T("暂无数据"), theme.Color(theme.ColorNamePlaceHolder))
	c.axis = canvas.NewLine(theme.Color(theme.ColorNameShadow))
	c.axis.StrokeWidth = 1
	c.ExtendBaseWidget(c)
	return c
}

// setBars replaces the bars. UI thread.
func (c *barChart) setBars(bars []chartBar) {
	c.bars = bars
	c.rects, c.labels, c.values = nil, nil, nil
	fg := theme.Color(theme.ColorNameForeground)
	quiet := theme.Color(theme.ColorNamePlaceHolder)
	small := theme.CaptionTextSize()
	for _, b := range bars {
		r := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
		c.rects = append(c.rects, r)
		l := canvas.NewText(b.label, quiet)
		l.TextSize = small
		c.labels = append(c.labels, l)
		t := canvas.NewText(b.text, fg)
		t.TextSize = small
		c.values = append(c.values, t)
	}
	c.Refresh()
}

// scale is the value at the top of the chart; never 0.
func (c *barChart) scale() float64 {
	top := c.max
	if top <= 0 {
		for _, b := range c.bars {
			top = max(top, b.value)
		}
	}
	if top <= 0 {
		top = 1
	}
	return top
}

func (c *barChart) CreateRenderer() fyne.WidgetRenderer { return &barChartRenderer{c: c} }

type barChartRenderer struct{ c *barChart }

func (r *barChartRenderer) Destroy() {}

func (r *barChartRenderer) Objects() []fyne.CanvasObject {
	c := r.c
	objs := []fyne.CanvasObject{c.title, c.axis}
	if len(c.bars) == 0 {
		return append(objs, c.empty)
	}
	for i := range c.rects {
		objs = append(objs, c.rects[i], c.labels[i], c.values[i])
	}
	return objs
}

const (
	chartPad     = 6
	chartRowMax  = 26 // a horizontal bar's row at most
	chartMinRow  = 18
	chartHeight  = 220
	chartValueW  = 48 // room for a horizontal bar's figure
	chartMinSlot = 14
	chartMaxBarW = 56 // a column at most, however few
)

func (r *barChartRenderer) MinSize() fyne.Size {
	c := r.c
	th := c.title.MinSize().Height
	if c.horizontal {
		return fyne.NewSize(240, th+chartPad+float32(max(len(c.bars), 3))*chartMinRow)
	}
	return fyne.NewSize(max(240, float32(len(c.bars))*chartMinSlot), chartHeight)
}

func (r *barChartRenderer) Layout(size fyne.Size) {
	c := r.c
	c.title.Move(fyne.NewPos(0, 0))
	c.title.Resize(c.title.MinSize())
	top := c.title.MinSize().Height + chartPad
	if len(c.bars) == 0 {
		c.axis.Hide()
		c.empty.Move(fyne.NewPos(0, top))
		c.empty.Resize(c.empty.MinSize())
		return
	}
	c.axis.Show()
	scale := c.scale()
	frac := func(v float64) float32 { return float32(min(max(v/scale, 0), 1)) }
	n := float32(len(c.bars))
	if c.horizontal {
		var labelW float32
		for _, l := range c.labels {
			labelW = max(labelW, l.MinSize().Width)
		}
		labelW += chartPad
		plotW := max(size.Width-labelW-chartValueW, 1)
		rowH := min((size.Height-top)/n, chartRowMax)
		c.axis.Position1 = fyne.NewPos(labelW, top)
		c.axis.Position2 = fyne.NewPos(labelW, top+rowH*n)
		for i := range c.bars {
			y := top + rowH*float32(i)
			barH := rowH * 0.7
			w := plotW * frac(c.bars[i].value)
			c.rects[i].Move(fyne.NewPos(labelW, y+(rowH-barH)/2))
			c.rects[i].Resize(fyne.NewSize(w, barH))
			lm := c.labels[i].MinSize()
			c.labels[i].Move(fyne.NewPos(labelW-chartPad-lm.Width, y+(rowH-lm.Height)/2))
			c.labels[i].Resize(lm)
			vm := c.values[i].MinSize()
			c.values[i].Move(fyne.NewPos(labelW+w+chartPad/2, y+(rowH-vm.Height)/2))
			c.values[i].Resize(vm)
		}
		return
	}
	labelH := c.labels[0].MinSize().Height
	valueH := c.values[0].MinSize().Height
	bottom := size.Height - labelH - chartPad/2
	plotH := max(bottom-top-valueH, 1)
	slot := size.Width / n
	c.axis.Position1 = fyne.NewPos(0, bottom)
	c.axis.Position2 = fyne.NewPos(size.Width, bottom)
	// Crowded labels: show every k-th, so that they do not overlap.
	var widest float32
	for _, l := range c.labels {
		widest = max(widest, l.MinSize().Width)
	}
	every := 1
	if slot > 0 {
		every = max(1, int((widest+chartPad)/slot)+1)
	}
	for i := range c.bars {
		x := slot * float32(i)
		h := plotH * frac(c.bars[i].value)
		barW := min(slot*0.6, chartMaxBarW)
		c.rects[i].Move(fyne.NewPos(x+(slot-barW)/2, bottom-h))
		c.rects[i].Resize(fyne.NewSize(barW, h))
		lm := c.labels[i].MinSize()
		c.labels[i].Move(fyne.NewPos(x+(slot-lm.Width)/2, bottom+chartPad/2))
		c.labels[i].Resize(lm)
		c.labels[i].Hidden = i%every != 0
		vm := c.values[i].MinSize()
		c.values[i].Move(fyne.NewPos(x+(slot-vm.Width)/2, bottom-h-vm.Height))
		c.values[i].Resize(vm)
		c.values[i].Hidden = vm.Width > slot
	}
}

func (r *barChartRenderer) Refresh() {
	r.Layout(r.c.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

var _ fyne.Widget = (*barChart)(nil)
