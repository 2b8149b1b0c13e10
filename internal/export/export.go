// Package export writes a hall's report (hall.Report, clause 3.2: 检查与考核)
// as files that the company's staff open in a spreadsheet program: an Excel
// workbook (WriteXLSX) and CSV (WriteCSV).
//
// Both carry the same eight tables, in this order, each with a header row
// in Chinese:
//
//	概况    the range's totals: 项目 | 数值
//	按业务  one row per business type
//	按时段  one row per hour of the day, 0 to 23 (local hour of issue)
//	按窗口  one row per counter
//	按人员  one row per clerk
//	满意度  全厅 and then each clerk: counts per rating level and the rates
//	每日    one row per day of the range, for trend charts
//	巡查    the patrols: totals, then how often each checklist item failed
//
// Durations are in minutes; rates are shares of 1 (the workbook formats
// them as percentages, the CSV writes them as "66.7%"). A figure that does
// not exist, such as a mean wait where nobody was called or a satisfaction
// rate where nobody rated, is left empty rather than written as 0.
//
// P90 is nearest-rank: the value at rank ⌈0.9·n⌉ of the values in ascending
// order (see hall.Summarize); the 概况 table says so in a note row.
package export

import (
	"strconv"
	"time"

	"servicehall/internal/hall"
)

// kind is how a cell's value is written.
type kind int

const (
	blank   kind = iota // no value
	text                // a string
	count               // an integer
	minutes             // a duration in minutes, or any number, written with one decimal
	rate                // a share of 1, written as a percentage
)

type cell struct {
	kind kind
	s    string
	n    int
	f    float64
}

func txt(s string) cell { return cell{kind: text, s: s} }
func num(n int) cell    { return cell{kind: count, n: n} }

// mins is a duration in minutes, blank when there is no value behind it
// (n == 0).
func mins(d time.Duration, n int) cell {
	if n == 0 {
		return cell{}
	}
	return cell{kind: minutes, f: d.Minutes()}
}

// score is a mean patrol score, blank when nobody was inspected.
func score(s hall.PatrolStats) cell {
	if s.Checked == 0 {
		return cell{}
	}
	return cell{kind: minutes, f: s.MeanScore}
}

var patrolHeader = []string{"受检次数", "巡查平均分", "不合格项"}

func patrolCells(s hall.PatrolStats) []cell {
	return []cell{num(s.Checked), score(s), num(s.Failed)}
}

// share is part/whole, blank when whole is 0.
func share(part, whole int) cell {
	if whole == 0 {
		return cell{}
	}
	return cell{kind: rate, f: float64(part) / float64(whole)}
}

// table is one sheet of the workbook, one section of the CSV.
type table struct {
	name   string
	header []string
	rows   [][]cell
	widths []float64 // column widths in the workbook, in characters
}

// Sheet names, in the workbook's order.
const (
	SheetOverview = "概况"
	SheetTypes    = "按业务"
	SheetHours    = "按时段"
	SheetCounters = "按窗口"
	SheetClerks   = "按人员"
	SheetRatings  = "满意度"
	SheetDaily    = "每日"
	SheetPatrols  = "巡查"
)

// P90Note explains the percentile, in the 概况 table.
const P90Note = "P90（第90百分位）按最近秩法：将数值升序排列，取第⌈0.9×n⌉个值"

// location is the hall's time zone, for the report's own time.
func location(r hall.Report) *time.Location {
	if r.Hall.TimeZone != "" {
		if loc, err := time.LoadLocation(r.Hall.TimeZone); err == nil {
			return loc
		}
	}
	return r.GeneratedAt.Location()
}

func tables(r hall.Report) []table {
	return []table{overview(r), byType(r), byHour(r), byCounter(r), byClerk(r), ratings(r), daily(r), patrols(r)}
}

func overview(r hall.Report) table {
	t := table{name: SheetOverview, header: []string{"项目", "数值"}, widths: []float64{36, 40}}
	add := func(label string, c cell) { t.rows = append(t.rows, []cell{txt(label), c}) }
	name := r.Hall.Name
	if r.Hall.Code != "" {
		name += "（" + r.Hall.Code + "）"
	}
	add("营业厅", txt(name))
	add("统计期间", txt(r.Range.From+" 至 "+r.Range.To))
	add("统计天数", num(r.Range.Days()))
	add("生成时间", txt(r.GeneratedAt.In(location(r)).Format("2006-01-02 15:04")))
	add("取号数", num(r.Tickets.Issued))
	add("已办结", num(r.Tickets.Served))
	add("过号", num(r.Tickets.NoShow))
	add("已取消", num(r.Tickets.Cancelled))
	add("未办结", num(r.Tickets.Unfinished))
	add("等候或办理中", num(r.Tickets.Open))
	add("平均等候时长（分钟）", mins(r.Wait.Mean, r.Wait.N))
	add("等候时长P90（分钟）", mins(r.Wait.P90, r.Wait.N))
	add("平均办理时长（分钟）", mins(r.Service.Mean, r.Service.N))
	add("办理时长P90（分钟）", mins(r.Service.P90, r.Service.N))
	add("评价记录数（含未评价）", num(r.Ratings.Total()))
	add("已评价", num(r.Ratings.Rated()))
	add("满意率（非常满意+满意）/已评价", share(r.Ratings.Satisfied(), r.Ratings.Rated()))
	add("未评价占比", share(r.Ratings[hall.Unrated], r.Ratings.Total()))
	for _, p := range r.Priority {
		add(p.Priority.Label()+"优先取号", num(p.Issued))
		add(p.Priority.Label()+"优先办结", num(p.Served))
	}
	add("投诉", num(r.Complaints))
	add("升级事项：新增", num(r.Escalations.Opened))
	add("升级事项：已答复", num(r.Escalations.Closed))
	add("升级事项：未答复", num(r.Escalations.Open))
	add("升级事项：逾期未答复（截至"+r.Today+"）", num(r.Escalations.Overdue))
	add("说明", txt(P90Note))
	return t
}

func byType(r hall.Report) table {
	t := table{name: SheetTypes,
		header: []string{"业务类型", "取号数", "已办结", "过号", "已取消", "未办结", "等候或办理中",
			"平均等候（分钟）", "等候P90（分钟）", "办结笔数", "平均办理（分钟）", "办理P90（分钟）"},
		widths: []float64{22, 10, 10, 8, 8, 8, 12, 16, 16, 10, 16, 16}}
	for _, x := range r.ByType {
		name := x.Name
		if x.Retired {
			name += "（已停办）"
		}
		t.rows = append(t.rows, []cell{txt(name), num(x.Tickets.Issued), num(x.Tickets.Served), num(x.Tickets.NoShow),
			num(x.Tickets.Cancelled), num(x.Tickets.Unfinished), num(x.Tickets.Open),
			mins(x.Wait.Mean, x.Wait.N), mins(x.Wait.P90, x.Wait.N),
			num(x.Service.N), mins(x.Service.Mean, x.Service.N), mins(x.Service.P90, x.Service.N)})
	}
	return t
}

// HourLabel names an hour of the day: 09:00-10:00.
func HourLabel(h int) string {
	two := func(n int) string {
		if n < 10 {
			return "0" + strconv.Itoa(n)
		}
		return strconv.Itoa(n)
	}
	return two(h) + ":00-" + two(h+1) + ":00"
}

func byHour(r hall.Report) table {
	t := table{name: SheetHours, header: []string{"时段", "取号数", "平均等候（分钟）", "等候P90（分钟）"},
		widths: []float64{14, 10, 16, 16}}
	for _, x := range r.ByHour {
		t.rows = append(t.rows, []cell{txt(HourLabel(x.Hour)), num(x.Issued), mins(x.Wait.Mean, x.Wait.N), mins(x.Wait.P90, x.Wait.N)})
	}
	return t
}

var serviceHeader = []string{"办结笔数", "转出笔数", "平均办理（分钟）", "办理P90（分钟）", "客户平均等候（分钟）", "客户等候P90（分钟）"}

func serviceCells(s hall.ServiceStats) []cell {
	return []cell{num(s.Done), num(s.Transferred), mins(s.Service.Mean, s.Service.N), mins(s.Service.P90, s.Service.N),
		mins(s.Wait.Mean, s.Wait.N), mins(s.Wait.P90, s.Wait.N)}
}

func byCounter(r hall.Report) table {
	t := table{name: SheetCounters, header: append(append([]string{"窗口号", "窗口"}, serviceHeader...), patrolHeader...),
		widths: []float64{8, 14, 10, 10, 16, 16, 20, 20, 10, 12, 10}}
	for _, x := range r.ByCounter {
		t.rows = append(t.rows, append(append([]cell{num(x.Counter), txt(x.Name)}, serviceCells(x.Services)...), patrolCells(x.Patrol)...))
	}
	return t
}

func byClerk(r hall.Report) table {
	t := table{name: SheetClerks,
		header: append(append(append([]string{"工号", "姓名"}, serviceHeader...), "评价记录数", "已评价", "满意率", "未评价占比", "投诉"), patrolHeader...),
		widths: []float64{8, 10, 10, 10, 16, 16, 20, 20, 12, 8, 10, 12, 8, 10, 12, 10}}
	for _, x := range r.ByClerk {
		row := append([]cell{txt(x.Clerk), txt(x.Name)}, serviceCells(x.Services)...)
		row = append(row, num(x.Ratings.Total()), num(x.Ratings.Rated()),
			share(x.Ratings.Satisfied(), x.Ratings.Rated()), share(x.Ratings[hall.Unrated], x.Ratings.Total()), num(x.Complaints))
		t.rows = append(t.rows, append(row, patrolCells(x.Patrol)...))
	}
	return t
}

// ratingLevels are the columns of the 满意度 table: the buttons best
// first, then 未评价.
var ratingLevels = append(append([]hall.RatingLevel{}, hall.Levels...), hall.Unrated)

func ratings(r hall.Report) table {
	t := table{name: SheetRatings, header: []string{"对象"}, widths: []float64{16}}
	for _, l := range ratingLevels {
		t.header = append(t.header, l.Label())
		t.widths = append(t.widths, 10)
	}
	t.header = append(t.header, "合计", "已评价", "满意率", "未评价占比")
	t.widths = append(t.widths, 8, 8, 10, 12)
	add := func(who string, c hall.RatingCounts) {
		row := []cell{txt(who)}
		for _, l := range ratingLevels {
			row = append(row, num(c[l]))
		}
		row = append(row, num(c.Total()), num(c.Rated()), share(c.Satisfied(), c.Rated()), share(c[hall.Unrated], c.Total()))
		t.rows = append(t.rows, row)
	}
	add("全厅", r.Ratings)
	for _, x := range r.ByClerk {
		add(x.Clerk+" "+x.Name, x.Ratings)
	}
	return t
}

func daily(r hall.Report) table {
	t := table{name: SheetDaily, header: []string{"日期", "取号数", "已办结", "平均等候（分钟）", "已评价", "满意率"},
		widths: []float64{12, 10, 10, 16, 10, 10}}
	for _, d := range r.Daily {
		t.rows = append(t.rows, []cell{txt(d.Day), num(d.Issued), num(d.Served), mins(d.MeanWait, d.Called),
			num(d.Ratings.Rated()), share(d.Ratings.Satisfied(), d.Ratings.Rated())})
	}
	return t
}

// patrols is the 巡查 table: the range's totals, then how often each
// checklist item was not met.
func patrols(r hall.Report) table {
	t := table{name: SheetPatrols, header: []string{"项目", "数值"}, widths: []float64{60, 12}}
	p := r.Patrols
	t.rows = append(t.rows,
		[]cell{txt("巡查次数"), num(p.Patrols)},
		[]cell{txt("受检窗口次数"), num(p.Checked)},
		[]cell{txt("平均得分"), score(hall.PatrolStats{Checked: p.Checked, MeanScore: p.MeanScore})})
	for _, it := range p.ByItem {
		t.rows = append(t.rows, []cell{txt("不合格：" + it.Label), num(it.Failed)})
	}
	return t
}
