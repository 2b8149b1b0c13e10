package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// The director's 工作日历 tab: the State Council's holidays and the
// weekend days worked in exchange (调休), which the working-day limits of
// the 十项承诺 count with (a complainant contacted within 1 working day, a
// reply within 7, a bad rating's correction within 15). Monday to Friday
// work unless listed as holidays. Like the scripts, the tab reads the hall
// at sign-in and on 重新读取 only.

// maxCalendarRange is the longest run of days one line may name.
const maxCalendarRange = 31

// calendarRangeSeps separate the ends of a run of dates: ~ ～ 至 - —.
// (Written as runes: they are not text for people.)
var calendarRangeSeps = []string{"~", string(rune(0xFF5E)), string(rune(0x81F3)), " - ", string(rune(0x2014))}

// calendarView is the 工作日历 tab's state. UI thread.
type calendarView struct {
	widget.BaseWidget
	d        *director
	holidays *widget.Entry
	workdays *widget.Entry
	summary  *widget.Label
	save     *widget.Button
	reread   *widget.Button
	seq      int
	content  fyne.CanvasObject
}

func (d *director) buildCalendarTab() fyne.CanvasObject {
	v := &calendarView{d: d, summary: widget.NewLabel("")}
	v.holidays = widget.NewMultiLineEntry()
	v.holidays.SetPlaceHolder(T("每行一个日期或一段日期，如\n2027-01-01\n2027-02-06~2027-02-13"))
	v.holidays.SetMinRowsVisible(12)
	v.workdays = widget.NewMultiLineEntry()
	v.workdays.SetPlaceHolder(T("调休上班的周六、周日，如\n2027-02-14"))
	v.workdays.SetMinRowsVisible(12)
	v.save = widget.NewButton(T("保存日历"), v.onSave)
	v.save.Importance = widget.HighImportance
	v.reread = widget.NewButton(T("重新读取"), v.reload)
	intro := wrapLabel(T("按国务院办公厅每年公布的放假安排填写。周一至周五为工作日，列为节假日的除外；列为调休上班的周六、周日为工作日。投诉1个工作日内联系、7个工作日内答复，差评15个工作日内整改，均按此日历计算。"))
	v.content = container.NewVScroll(container.NewVBox(
		section(T("工作日历"), intro,
			container.NewGridWithColumns(2,
				container.NewBorder(widget.NewLabel(T("节假日（放假的日期）")), nil, nil, nil, v.holidays),
				container.NewBorder(widget.NewLabel(T("调休上班日")), nil, nil, nil, v.workdays)),
			v.summary),
		container.NewHBox(v.save, v.reread),
	))
	v.ExtendBaseWidget(v)
	d.calendar = v
	return v
}

// CreateRenderer shows the tab's content.
func (v *calendarView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// reload reads the hall's calendar and shows it. UI thread.
func (v *calendarView) reload() {
	fetch(v.d, &v.seq, func(ctx context.Context, svc hall.Service, _ hall.Token) (hall.Calendar, error) {
		return svc.WorkingCalendar(ctx)
	}, func(c hall.Calendar, err error) {
		if err != nil {
			v.d.showError(err)
			return
		}
		v.show(c)
	})
}

// show puts c in the entries. UI thread.
func (v *calendarView) show(c hall.Calendar) {
	v.holidays.SetText(strings.Join(c.Holidays, "\n"))
	v.workdays.SetText(strings.Join(c.Workdays, "\n"))
	v.summary.SetText(Tf("已保存：节假日 %d 天，调休上班 %d 天", len(c.Holidays), len(c.Workdays)))
}

func (v *calendarView) onSave() {
	var c hall.Calendar
	var err error
	if c.Holidays, err = parseCalendarDays(v.holidays.Text); err != nil {
		v.d.showProblem(Tf("节假日：%s", errText(err)))
		return
	}
	if c.Workdays, err = parseCalendarDays(v.workdays.Text); err != nil {
		v.d.showProblem(Tf("调休上班日：%s", errText(err)))
		return
	}
	v.d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		err := svc.SetCalendar(ctx, tok, c)
		return func() {
			v.show(c)
			v.d.showNote(T("工作日历已保存，各项时限从现在起按新日历计算"))
		}, err
	})
}

// parseCalendarDays reads one date (2027-01-01) or one range
// (2027-02-06~2027-02-13, also with 至 or a dash between) a line, and
// returns the dates in order, each once. Blank lines are skipped.
func parseCalendarDays(text string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		from, to := line, line
		for _, sep := range calendarRangeSeps {
			if a, b, ok := strings.Cut(line, sep); ok {
				from, to = strings.TrimSpace(a), strings.TrimSpace(b)
				break
			}
		}
		start, err1 := time.Parse(time.DateOnly, from)
		end, err2 := time.Parse(time.DateOnly, to)
		switch {
		case err1 != nil || err2 != nil:
			return nil, hall.ErrInvalid.WithMessagef("日期格式有误：%s（应为 2027-01-01 或 2027-02-06~2027-02-13）", []string{line}, "calendar line %q", line)
		case end.Before(start):
			return nil, hall.ErrInvalid.WithMessagef("日期段的结束早于开始：%s", []string{line}, "calendar range %q backwards", line)
		case end.Sub(start) >= maxCalendarRange*24*time.Hour:
			return nil, hall.ErrInvalid.WithMessagef("一段日期不能超过31天：%s", []string{line}, "calendar range %q too long", line)
		}
		for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
			if day := d.Format(time.DateOnly); !seen[day] {
				seen[day] = true
				out = append(out, day)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}
