package export_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"servicehall/internal/export"
	"servicehall/internal/hall"
)

func sec(n int) time.Duration { return time.Duration(n) * time.Second }

// sample is a two-day report with a clerk whose name a spreadsheet would
// take for a formula.
func sample(t *testing.T) hall.Report {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	var all, c1, c2, day1 hall.RatingCounts
	all[hall.VerySatisfied], all[hall.Satisfied], all[hall.Dissatisfied], all[hall.Unrated] = 1, 1, 1, 1
	c1[hall.VerySatisfied], c1[hall.Dissatisfied], c1[hall.Unrated] = 1, 1, 1
	c2[hall.Satisfied] = 1
	day1 = all
	r := hall.Report{
		Hall:        hall.HallInfo{Code: "DEMO001", Name: "城关供电营业厅", TimeZone: "Asia/Shanghai"},
		Range:       hall.ReportRange{From: "2026-11-27", To: "2026-11-28"},
		GeneratedAt: time.Date(2026, 11, 29, 10, 0, 0, 0, loc).UTC(),
		Today:       "2026-11-29",
		Tickets:     hall.TicketCounts{Issued: 7, Served: 4, NoShow: 1, Cancelled: 1, Unfinished: 1},
		Wait:        hall.DurationStats{N: 5, Mean: sec(744), P90: sec(1140)},
		Service:     hall.DurationStats{N: 4, Mean: sec(497) + 500*time.Millisecond, P90: sec(700)},
		Ratings:     all,
		Priority:    []hall.PriorityReport{{Priority: hall.Elderly, Issued: 1, Served: 1}, {Priority: hall.Disabled}},
		Complaints:  1,
		Escalations: hall.EscalationCounts{Opened: 2, Closed: 1, Open: 1, Overdue: 1},
		ByType: []hall.TypeReport{
			{Code: "fee", Name: "交纳电费", Tickets: hall.TicketCounts{Issued: 4, Served: 2, NoShow: 1, Unfinished: 1},
				Wait: hall.DurationStats{N: 3, Mean: sec(780), P90: sec(1140)}, Service: hall.DurationStats{N: 2, Mean: sec(605), P90: sec(700)}},
			{Code: "connect", Name: "新装/增容"},
			{Code: "old", Name: "旧业务", Retired: true, Tickets: hall.TicketCounts{Issued: 1, Cancelled: 1}},
		},
		ByCounter: []hall.CounterReport{
			{Counter: 1, Name: "1号窗口", Services: hall.ServiceStats{Done: 3, Service: hall.DurationStats{N: 3, Mean: sec(430), P90: sec(510)}, Wait: hall.DurationStats{N: 2, Mean: sec(780), P90: sec(1140)}},
				Patrol: hall.PatrolStats{Checked: 2, MeanScore: 75, Failed: 3}},
			{Counter: 3, Name: "3号窗口"},
		},
		ByClerk: []hall.ClerkReport{
			{Clerk: "1001", Name: "李娜", Services: hall.ServiceStats{Done: 3, Service: hall.DurationStats{N: 3, Mean: sec(430), P90: sec(510)}}, Ratings: c1},
			{Clerk: "1002", Name: "=HYPERLINK(\"x\")", Services: hall.ServiceStats{Done: 1, Transferred: 1}, Ratings: c2, Complaints: 1},
		},
		Daily: []hall.DayReport{
			{Day: "2026-11-27", Issued: 7, Served: 4, Called: 5, MeanWait: sec(744), Ratings: day1},
			{Day: "2026-11-28"},
		},
	}
	r.ByHour = make([]hall.HourReport, 24)
	for h := range r.ByHour {
		r.ByHour[h].Hour = h
	}
	r.ByHour[9] = hall.HourReport{Hour: 9, Issued: 4, Wait: hall.DurationStats{N: 4, Mean: sec(825), P90: sec(1140)}}
	return r
}

var sheets = []string{"概况", "按业务", "按时段", "按窗口", "按人员", "满意度", "每日", "巡查"}

var headers = map[string][]string{
	"按业务": {"业务类型", "取号数", "已办结", "过号", "已取消", "未办结", "等候或办理中", "平均等候（分钟）", "等候P90（分钟）", "办结笔数", "平均办理（分钟）", "办理P90（分钟）"},
	"按时段": {"时段", "取号数", "平均等候（分钟）", "等候P90（分钟）"},
	"按窗口": {"窗口号", "窗口", "办结笔数", "转出笔数", "平均办理（分钟）", "办理P90（分钟）", "客户平均等候（分钟）", "客户等候P90（分钟）", "受检次数", "巡查平均分", "不合格项"},
	"按人员": {"工号", "姓名", "办结笔数", "转出笔数", "平均办理（分钟）", "办理P90（分钟）", "客户平均等候（分钟）", "客户等候P90（分钟）", "评价记录数", "已评价", "满意率", "未评价占比", "投诉", "受检次数", "巡查平均分", "不合格项"},
	"满意度": {"对象", "非常满意", "满意", "基本满意", "不满意", "非常不满意", "未评价", "合计", "已评价", "满意率", "未评价占比"},
	"每日":  {"日期", "取号数", "已办结", "平均等候（分钟）", "已评价", "满意率"},
	"巡查":  {"项目", "数值"},
}

// overviewValue finds an item of the 概况 table.
func overviewValue(t *testing.T, rows [][]string, item string) string {
	t.Helper()
	for _, r := range rows {
		if len(r) > 0 && r[0] == item {
			if len(r) < 2 {
				return ""
			}
			return r[1]
		}
	}
	t.Fatalf("概况 has no %q", item)
	return ""
}

func TestWriteXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, sample(t)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, sheets) {
		t.Fatalf("sheets = %v, want %v", got, sheets)
	}
	rows := map[string][][]string{}
	for _, s := range sheets {
		if rows[s], err = f.GetRows(s); err != nil {
			t.Fatal(err)
		}
		if want, ok := headers[s]; ok && !slices.Equal(rows[s][0], want) {
			t.Errorf("%s header = %v, want %v", s, rows[s][0], want)
		}
	}
	ov := rows["概况"]
	if !slices.Equal(ov[0], []string{"项目", "数值"}) {
		t.Errorf("概况 header = %v", ov[0])
	}
	for item, want := range map[string]string{
		"营业厅":         "城关供电营业厅（DEMO001）",
		"统计期间":        "2026-11-27 至 2026-11-28",
		"统计天数":        "2",
		"生成时间":        "2026-11-29 10:00",
		"取号数":         "7",
		"未办结":         "1",
		"平均等候时长（分钟）":  "12.4", // 744 s
		"等候时长P90（分钟）": "19.0",
		"平均办理时长（分钟）":  "8.3", // 497.5 s shown with one decimal
		"满意率（非常满意+满意）/已评价": "66.7%",
		"未评价占比":  "25.0%",
		"敬老优先办结": "1",
		"助残优先取号": "0",
		"投诉":     "1",
		"升级事项：逾期未答复（截至2026-11-29）": "1",
		"说明": export.P90Note,
	} {
		if got := overviewValue(t, ov, item); got != want {
			t.Errorf("概况 %s = %q, want %q", item, got, want)
		}
	}
	// Numbers are stored as numbers, in full.
	if a, _ := f.GetCellValue("概况", "A14"); a != "平均办理时长（分钟）" {
		t.Fatalf("A14 = %q", a)
	}
	raw, err := f.GetCellValue("概况", "B14", excelize.Options{RawCellValue: true})
	if v, perr := strconv.ParseFloat(raw, 64); err != nil || perr != nil || math.Abs(v-497.5/60) > 1e-12 {
		t.Errorf("service mean stored as %q, %v; want 497.5/60", raw, err)
	}
	if typ, _ := f.GetCellType("概况", "B6"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("取号数 cell type %v", typ)
	}

	fee := rows["按业务"][1]
	if want := []string{"交纳电费", "4", "2", "1", "0", "1", "0", "13.0", "19.0", "2", "10.1", "11.7"}; !slices.Equal(fee, want) {
		t.Errorf("按业务 fee = %v, want %v", fee, want)
	}
	// No waits: empty cells, not zeros.
	if connect := rows["按业务"][2]; !slices.Equal(connect, []string{"新装/增容", "0", "0", "0", "0", "0", "0", "", "", "0"}) {
		t.Errorf("按业务 connect = %v", connect)
	}
	if old := rows["按业务"][3][0]; old != "旧业务（已停办）" {
		t.Errorf("retired type = %q", old)
	}
	if h := rows["按时段"]; len(h) != 25 || !slices.Equal(h[10], []string{"09:00-10:00", "4", "13.8", "19.0"}) || h[24][0] != "23:00-24:00" {
		t.Errorf("按时段 = %d rows, 09h %v", len(h), h[10])
	}
	if c := rows["按窗口"][1]; !slices.Equal(c, []string{"1", "1号窗口", "3", "0", "7.2", "8.5", "13.0", "19.0", "2", "75.0", "3"}) {
		t.Errorf("按窗口 1 = %v", c)
	}
	c1 := rows["按人员"][1]
	if c1[0] != "1001" || c1[1] != "李娜" || c1[8] != "3" || c1[9] != "2" || c1[10] != "50.0%" || c1[11] != "33.3%" {
		t.Errorf("按人员 1001 = %v", c1)
	}
	if name := rows["按人员"][2][1]; name != "=HYPERLINK(\"x\")" {
		t.Errorf("a name like a formula is kept as text: %q", name)
	}
	if formula, _ := f.GetCellFormula("按人员", "B3"); formula != "" {
		t.Errorf("a name became the formula %q", formula)
	}
	if s := rows["满意度"][1]; !slices.Equal(s, []string{"全厅", "1", "1", "0", "1", "0", "1", "4", "3", "66.7%", "25.0%"}) {
		t.Errorf("满意度 全厅 = %v", s)
	}
	if s := rows["满意度"][3]; s[0] != "1002 =HYPERLINK(\"x\")" || s[9] != "100.0%" {
		t.Errorf("满意度 1002 = %v", s)
	}
	d := rows["每日"]
	if !slices.Equal(d[1], []string{"2026-11-27", "7", "4", "12.4", "3", "66.7%"}) || !slices.Equal(d[2], []string{"2026-11-28", "0", "0", "", "0"}) {
		t.Errorf("每日 = %v", d)
	}
}

// readCSV parses the export back into its tables, by title.
func readCSV(t *testing.T, b []byte) (map[string][][]string, []string) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte(export.BOM)) {
		t.Fatalf("no byte order mark: % x", b[:min(len(b), 8)])
	}
	r := csv.NewReader(bytes.NewReader(b[len(export.BOM):]))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]string{}
	var order []string
	cur := ""
	for _, rec := range recs {
		if len(rec) == 1 && strings.HasPrefix(rec[0], "【") && strings.HasSuffix(rec[0], "】") {
			cur = strings.TrimSuffix(strings.TrimPrefix(rec[0], "【"), "】")
			order = append(order, cur)
			continue
		}
		if cur == "" {
			t.Fatalf("a record before the first title: %v", rec)
		}
		out[cur] = append(out[cur], rec)
	}
	return out, order
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, sample(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("\r\n\r\n【按业务】\r\n")) {
		t.Errorf("tables are not separated by an empty line")
	}
	tabs, order := readCSV(t, buf.Bytes())
	if !slices.Equal(order, sheets) {
		t.Fatalf("tables = %v, want %v", order, sheets)
	}
	for s, want := range headers {
		if !slices.Equal(tabs[s][0], want) {
			t.Errorf("%s header = %v, want %v", s, tabs[s][0], want)
		}
	}
	ov := tabs["概况"]
	for item, want := range map[string]string{
		"营业厅":              "城关供电营业厅（DEMO001）",
		"生成时间":             "2026-11-29 10:00",
		"平均等候时长（分钟）":       "12.4",
		"平均办理时长（分钟）":       "8.3",
		"满意率（非常满意+满意）/已评价": "66.7%",
		"未评价占比":            "25.0%",
		"升级事项：新增":          "2",
	} {
		if got := overviewValue(t, ov, item); got != want {
			t.Errorf("概况 %s = %q, want %q", item, got, want)
		}
	}
	if want := []string{"交纳电费", "4", "2", "1", "0", "1", "0", "13.0", "19.0", "2", "10.1", "11.7"}; !slices.Equal(tabs["按业务"][1], want) {
		t.Errorf("按业务 fee = %v, want %v", tabs["按业务"][1], want)
	}
	// Missing figures are empty fields, and every record of a table is as
	// wide as its header.
	if want := []string{"新装/增容", "0", "0", "0", "0", "0", "0", "", "", "0", "", ""}; !slices.Equal(tabs["按业务"][2], want) {
		t.Errorf("按业务 connect = %v, want %v", tabs["按业务"][2], want)
	}
	for s, recs := range tabs {
		for _, rec := range recs[1:] {
			if len(rec) != len(recs[0]) {
				t.Errorf("%s: record %v is not as wide as the header", s, rec)
			}
		}
	}
	if len(tabs["按时段"]) != 25 || len(tabs["每日"]) != 3 {
		t.Errorf("按时段 %d records, 每日 %d", len(tabs["按时段"]), len(tabs["每日"]))
	}
	if got := tabs["按人员"][2][1]; got != "'=HYPERLINK(\"x\")" {
		t.Errorf("a name like a formula = %q, want it defused", got)
	}
	if want := []string{"2026-11-28", "0", "0", "", "0", ""}; !slices.Equal(tabs["每日"][2], want) {
		t.Errorf("每日 28th = %v, want %v", tabs["每日"][2], want)
	}
}

// An empty report (a range with no traffic) still writes every table.
func TestExportAnEmptyReport(t *testing.T) {
	r := hall.Report{Hall: hall.HallInfo{Name: "新厅"}, Range: hall.DayRange("2026-11-27"), ByHour: make([]hall.HourReport, 24),
		Daily: []hall.DayReport{{Day: "2026-11-27"}}}
	var x, c bytes.Buffer
	if err := export.WriteXLSX(&x, r); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteCSV(&c, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, sheets) {
		t.Fatalf("sheets = %v", got)
	}
	tabs, order := readCSV(t, c.Bytes())
	if !slices.Equal(order, sheets) {
		t.Fatalf("tables = %v", order)
	}
	if got := overviewValue(t, tabs["概况"], "满意率（非常满意+满意）/已评价"); got != "" {
		t.Errorf("satisfaction with no ratings = %q, want empty", got)
	}
}
