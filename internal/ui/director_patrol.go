package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// The director's 现场巡查 tab (检查与考核, clauses 3.2, 4.1.13, 4.1.14,
// 4.1.21): the checklist as a grid, one row per counter with the clerk
// signed in there, where the director ticks what is not met and writes
// what to correct; submitting records the patrol (and a 现场巡查 log
// entry) and scores each counter. Below, the last week's patrols.

// patrolListDays is how many days of patrols the tab lists.
const patrolListDays = 7

// patrolRow is one counter's row of the checklist. UI thread.
type patrolRow struct {
	counter int
	check   *widget.Check // inspect this counter
	clerk   *widget.Label
	clerkNo string
	failed  []*widget.Check // by PatrolChecklist index: ticked = not met
	note    *widget.Entry
}

// patrolView is the 现场巡查 tab's state. UI thread.
type patrolView struct {
	widget.BaseWidget
	d       *director
	grid    *fyne.Container
	rows    []*patrolRow
	general *widget.Entry
	submit  *widget.Button
	listBox *fyne.Container
	seq     int
	list    []hall.Patrol
	content fyne.CanvasObject
}

func (d *director) buildPatrolTab() fyne.CanvasObject {
	v := &patrolView{d: d, grid: container.NewVBox(), listBox: container.NewVBox()}
	v.general = widget.NewEntry()
	v.general.SetPlaceHolder(T("总体情况（可不填），如 营业秩序良好"))
	v.submit = widget.NewButton(T("提交巡查记录"), v.onSubmit)
	v.submit.Importance = widget.HighImportance
	var items []string
	for i, it := range hall.PatrolChecklist {
		// A clause list is written 4.1.15、4.1.16.
		clause := strings.ReplaceAll(it.Clause, "、", T("、"))
		items = append(items, Tf("%d. %s（%s）", i+1, T(it.Label), clause))
	}
	intro := wrapLabel(T("逐个窗口对照下列项目检查，勾选“不合格”的项目并写明整改要求；得分为合格项目所占比例。提交后记入值班日志，不可修改。") + "\n" +
		strings.Join(items, "\n"))
	v.content = container.NewVScroll(container.NewVBox(
		section(T("现场巡查"), intro, widget.NewSeparator(), v.grid, v.general, container.NewHBox(v.submit)),
		section(Tf("近%d天的巡查记录", patrolListDays), v.listBox)))
	v.ExtendBaseWidget(v)
	d.patrol = v
	return v
}

// CreateRenderer shows the tab's content.
func (v *patrolView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

// reload updates the grid's counters and clerks (keeping what the director
// has ticked) and reads the recent patrols. UI thread.
func (v *patrolView) reload() {
	d := v.d
	v.syncGrid(d.data.ov.Counters)
	today := d.data.ov.Day
	if today == "" {
		return
	}
	fetch(d, &v.seq, func(ctx context.Context, svc hall.Service, tok hall.Token) ([]hall.Patrol, error) {
		return svc.Patrols(ctx, tok, addDays(today, -patrolListDays+1), today)
	}, v.applyList)
}

// syncGrid makes one row per counter, in counter order.
func (v *patrolView) syncGrid(counters []hall.CounterView) {
	byNo := map[int]*patrolRow{}
	for _, r := range v.rows {
		byNo[r.counter] = r
	}
	var rows []*patrolRow
	objs := []fyne.CanvasObject{}
	for _, cv := range counters {
		c := cv.Counter
		r := byNo[c.No]
		if r == nil {
			r = v.newRow(c.No)
			r.check.SetChecked(c.State == hall.CounterOpen)
		}
		r.clerkNo = c.Clerk
		who := T("无人签到")
		if c.State != hall.CounterClosed && c.Clerk != "" {
			who = Tf("%s（%s）", v.d.staffName(c.Clerk), c.Clerk)
		} else {
			r.clerkNo = ""
		}
		r.clerk.SetText(who)
		rows = append(rows, r)
		boxes := make([]fyne.CanvasObject, len(r.failed))
		for i, f := range r.failed {
			boxes[i] = f
		}
		head := container.NewHBox(r.check, r.clerk)
		objs = append(objs, container.NewVBox(head, container.NewGridWithColumns(3, boxes...), r.note, widget.NewSeparator()))
	}
	v.rows = rows
	if len(objs) == 0 {
		objs = append(objs, heading(T("营业厅尚未设置窗口"), fyne.TextAlignLeading))
	}
	v.grid.Objects = objs
	v.grid.Refresh()
}

func (v *patrolView) newRow(no int) *patrolRow {
	r := &patrolRow{counter: no, clerk: &widget.Label{}, note: widget.NewEntry()}
	r.check = widget.NewCheck(v.d.counterName(no), nil)
	r.note.SetPlaceHolder(T("整改要求（有不合格项时必填）"))
	for i, it := range hall.PatrolChecklist {
		r.failed = append(r.failed, widget.NewCheck(Tf("%d %s 不合格", i+1, T(it.Short)), nil))
	}
	return r
}

// input is the patrol as ticked, and the first problem with it.
func (v *patrolView) input() (hall.PatrolInput, string) {
	in := hall.PatrolInput{Note: v.general.Text}
	for _, r := range v.rows {
		if !r.check.Checked {
			continue
		}
		res := hall.PatrolResultInput{Counter: r.counter, Clerk: r.clerkNo, Note: r.note.Text}
		for i, f := range r.failed {
			if f.Checked {
				res.Failed = append(res.Failed, hall.PatrolChecklist[i].Code)
			}
		}
		if len(res.Failed) > 0 && strings.TrimSpace(res.Note) == "" {
			return in, Tf("%s有不合格项，请写明整改要求", v.d.counterName(r.counter))
		}
		in.Results = append(in.Results, res)
	}
	if len(in.Results) == 0 {
		return in, T("请至少勾选一个受检窗口")
	}
	return in, ""
}

func (v *patrolView) onSubmit() {
	d := v.d
	in, problem := v.input()
	if problem != "" {
		d.showProblem(problem)
		return
	}
	d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		p, err := svc.RecordPatrol(ctx, tok, in)
		return func() {
			v.clear()
			d.showNote(Tf("巡查记录已提交：检查 %d 个窗口，已记入值班日志", len(p.Results)))
		}, err
	})
}

// clear empties the ticks and notes after a patrol is recorded.
func (v *patrolView) clear() {
	for _, r := range v.rows {
		for _, f := range r.failed {
			f.SetChecked(false)
		}
		r.note.SetText("")
	}
	v.general.SetText("")
}

func (v *patrolView) applyList(list []hall.Patrol, err error) {
	d := v.d
	if err != nil {
		d.showError(err)
		return
	}
	v.list = list
	objs := []fyne.CanvasObject{}
	for _, p := range list {
		objs = append(objs, &widget.Label{Text: d.at(p.At) + " · " + d.staffName(p.By), TextStyle: fyne.TextStyle{Bold: true}})
		for _, r := range p.Results {
			line := Tf("%s · %s（%s）· %d分", d.counterName(r.Counter), d.staffName(r.Clerk), r.Clerk, r.Score)
			imp := widget.SuccessImportance
			if len(r.Failed) > 0 {
				labels := make([]string, len(r.Failed))
				for i, code := range r.Failed {
					labels[i] = T(hall.PatrolItemShort(code))
				}
				line += Tf(" · 不合格：%s · 整改：%s", strings.Join(labels, T("、")), r.Note)
				imp = widget.DangerImportance
			}
			objs = append(objs, &widget.Label{Text: line, Importance: imp, Wrapping: fyne.TextWrapWord})
		}
		if p.Note != "" {
			objs = append(objs, wrapLabel(Tf("总体情况：%s", p.Note)))
		}
		objs = append(objs, widget.NewSeparator())
	}
	if len(objs) == 0 {
		objs = append(objs, heading(T("近期没有巡查记录"), fyne.TextAlignLeading))
	}
	v.listBox.Objects = objs
	v.listBox.Refresh()
}
