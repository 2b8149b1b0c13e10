package ui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"servicehall/internal/demo"
	"servicehall/internal/export"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// reportsTab selects the 统计报表 tab and returns its view.
func reportsTab(t *testing.T, d *director) *reportsView {
	t.Helper()
	for i, it := range d.tabs.Items {
		if it.Text == "统计报表" {
			d.tabs.SelectIndex(i)
			v, ok := it.Content.(*reportsView)
			if !ok {
				t.Fatalf("统计报表 tab holds %T", it.Content)
			}
			return v
		}
	}
	t.Fatal("no 统计报表 tab in the director's window")
	return nil
}

// serveAt1 calls, serves and finishes the next ticket at counter 1, and
// rates the service when level is not Unrated.
func serveAt1(t *testing.T, h *halltest.Hall, took time.Duration, level hall.RatingLevel) {
	t.Helper()
	ctx := context.Background()
	if _, err := h.CallNext(ctx, h.At(1)); err != nil {
		t.Fatalf("call: %v", err)
	}
	if _, err := h.Start(ctx, h.At(1)); err != nil {
		t.Fatalf("start: %v", err)
	}
	h.Clock.Advance(took)
	rec, err := h.Finish(ctx, h.At(1))
	if err != nil {
		t.Fatalf("finish: %v", err)
	}
	if level != hall.Unrated {
		if _, err := h.Rate(ctx, 1, hall.RatingInput{ServiceID: rec.ID, Level: level}); err != nil {
			t.Fatalf("rate: %v", err)
		}
	}
}

// barHeights lays the chart out at size and returns its bars' heights.
func barHeights(t *testing.T, c *barChart, size fyne.Size) []float32 {
	t.Helper()
	test.TempWidgetRenderer(t, c).Layout(size)
	var out []float32
	for _, r := range c.rects {
		out = append(out, r.Size().Height)
	}
	return out
}

func TestDirectorReportsToday(t *testing.T) {
	h := halltest.New(t, nil)
	// 09:00: three fee tickets; two are served, the first rated 非常满意.
	for range 3 {
		issueTicket(t, h, demo.TypeFee, hall.Normal)
	}
	h.Clock.Advance(4 * time.Minute)
	serveAt1(t, h, 6*time.Minute, hall.VerySatisfied)
	serveAt1(t, h, 10*time.Minute, hall.Unrated)
	// 10:05: one more ticket, still waiting.
	h.Clock.Set(halltest.Morning(t).Add(65 * time.Minute))
	issueTicket(t, h, demo.TypeFee, hall.Normal)

	d, _ := signedInDirector(t, h)
	v := reportsTab(t, d)
	test.Tap(v.todayBtn)
	day := today(t, h)
	if v.from.Text != day || v.to.Text != day {
		t.Fatalf("今日 set %q–%q, want %s (status %q)", v.from.Text, v.to.Text, day, d.statusLine.Text)
	}
	if !v.has {
		t.Fatalf("no report shown; status %q", d.statusLine.Text)
	}
	want := map[string]string{"取号": "4", "办结": "2", "过号": "0", "投诉": "0", "满意率": "100.0%"}
	for name, w := range want {
		if got := v.figures[name].Text; got != w {
			t.Errorf("%s shows %q, want %q", name, got, w)
		}
	}
	if got := v.figures["平均办理"].Text; got != "8.0 分钟" {
		t.Errorf("平均办理 shows %q, want 8.0 分钟", got)
	}
	if !strings.Contains(v.rangeLine.Text, day) {
		t.Errorf("range line %q, want %s", v.rangeLine.Text, day)
	}

	// Arrivals: 08 to 18 o'clock, the 9 o'clock bar three times the 10 o'clock one.
	if n := len(v.hours.rects); n != repLastHour-repFirstHour+1 {
		t.Fatalf("%d hour bars, want %d", n, repLastHour-repFirstHour+1)
	}
	hs := barHeights(t, v.hours, fyne.NewSize(440, chartHeight))
	nine, ten := hs[9-repFirstHour], hs[10-repFirstHour]
	for i, ht := range hs {
		if i != 9-repFirstHour && ht >= nine {
			t.Errorf("bar %d时 is %v high, not below the busiest 9时 (%v)", i+repFirstHour, ht, nine)
		}
	}
	if nine <= 0 || ten <= 0 || abs32(nine-3*ten) > 0.5 {
		t.Errorf("9时 bar %v, 10时 bar %v: want 3:1", nine, ten)
	}
	if hs[0] != 0 {
		t.Errorf("8时 bar %v high with nobody arriving", hs[0])
	}
	if got := v.hours.values[9-repFirstHour].Text; got != "3" {
		t.Errorf("9时 figure %q, want 3", got)
	}
	// Waiting by type: one bar for 交纳电费; satisfaction: one day at 100%.
	if len(v.waits.rects) != 1 || v.waits.labels[0].Text == "" {
		t.Errorf("wait bars %d, want one for the fee type", len(v.waits.rects))
	}
	test.TempWidgetRenderer(t, v.waits).Layout(fyne.NewSize(440, 120))
	if w := v.waits.rects[0].Size().Width; w <= 0 {
		t.Errorf("wait bar %v wide, want the whole scale", w)
	}
	if ts := barHeights(t, v.trend, fyne.NewSize(440, chartHeight)); len(ts) != 1 || ts[0] <= 0 {
		t.Errorf("trend bars %v, want one full bar", ts)
	}
	if len(v.counterBox.Objects) == 0 || !strings.Contains(logRowText(v.counterBox.Objects[0]), " | 2 | 0 | 8.0 分钟") {
		t.Errorf("counter rows %d, want counter 1's 2 services first", len(v.counterBox.Objects))
	}
	if len(v.clerkBox.Objects) != 1 || !strings.Contains(logRowText(v.clerkBox.Objects[0]), "1001") {
		t.Errorf("clerk rows %d, want 1001's", len(v.clerkBox.Objects))
	}

	// Export: the workbook read back has 概况 with the issued count.
	xlsx := filepath.Join(t.TempDir(), reportFileName(v.report.Range, exportXLSX))
	if err := v.exportFile(xlsx, exportXLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if idx, err := f.GetSheetIndex("概况"); err != nil || idx < 0 {
		t.Fatalf("no 概况 sheet: %v (sheets %v)", err, f.GetSheetList())
	}
	rows, err := f.GetRows("概况")
	if err != nil || len(rows) < 2 {
		t.Fatalf("概况 rows %v, %v", rows, err)
	}
	csvPath := filepath.Join(t.TempDir(), "r.csv")
	if err := v.exportFile(csvPath, exportCSV); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(csvPath)
	if err != nil || !bytes.HasPrefix(raw, []byte(export.BOM)) || !strings.Contains(string(raw), export.SectionTitle("概况")) {
		t.Errorf("CSV %q…, %v; want the BOM and 【概况】", raw[:min(len(raw), 40)], err)
	}
}

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

func TestDirectorReportsRanges(t *testing.T) {
	h := halltest.New(t, nil) // Friday 2026-11-27
	d, _ := signedInDirector(t, h)
	v := reportsTab(t, d)
	for _, c := range []struct {
		btn      *widget.Button
		from, to string
		days     int
	}{
		{v.weekBtn, "2026-11-23", "2026-11-27", 5},
		{v.monthBtn, "2026-11-01", "2026-11-27", 27},
		{v.lastMonthBtn, "2026-10-01", "2026-10-31", 31},
	} {
		test.Tap(c.btn)
		if v.from.Text != c.from || v.to.Text != c.to || v.report.Range != (hall.ReportRange{From: c.from, To: c.to}) {
			t.Errorf("%s: %s–%s (report %+v), want %s–%s", c.btn.Text, v.from.Text, v.to.Text, v.report.Range, c.from, c.to)
		}
		if len(v.trend.rects) != c.days {
			t.Errorf("%s: %d trend bars, want %d", c.btn.Text, len(v.trend.rects), c.days)
		}
	}

	// A bad range is the hall's message; the report shown stays.
	v.from.SetText("2026-11-30")
	v.to.SetText("2026-11-01")
	test.Tap(v.queryBtn)
	if got := d.statusLine.Text; !strings.Contains(got, "不能晚于") {
		t.Errorf("reversed range shows %q", got)
	}
	v.from.SetText("2026-11-1")
	test.Tap(v.queryBtn)
	if got := d.statusLine.Text; !strings.Contains(got, "格式有误") {
		t.Errorf("bad date shows %q", got)
	}
}

func TestDirectorReportsNeedAQueryAndADirector(t *testing.T) {
	h := halltest.New(t, nil)

	// Only the director's desk has the tab, and a clerk cannot sign in there.
	d, _ := openDirector(t, h)
	directorSignIn(t, d, "1001", demo.PIN)
	if d.signedIn {
		t.Fatal("a clerk signed in at the director's desk")
	}
	v := reportsTab(t, d)
	test.Tap(v.todayBtn)
	if v.has {
		t.Fatal("a report was read without a director signed in")
	}
	// Nor does the hall give a clerk's session the report.
	if _, err := h.Report(context.Background(), h.At(1), hall.DayRange(today(t, h))); !errors.Is(err, hall.ErrNotPermitted) {
		t.Errorf("clerk's report: %v, want ErrNotPermitted", err)
	}

	directorSignIn(t, d, "2001", demo.PIN)
	if err := v.exportFile(filepath.Join(t.TempDir(), "x.xlsx"), exportXLSX); !errors.Is(err, errNoReport) {
		t.Errorf("export before a query: %v, want errNoReport", err)
	}
	test.Tap(v.xlsxBtn)
	if got := d.statusLine.Text; got != errNoReport.Error() {
		t.Errorf("export button before a query shows %q", got)
	}
	test.Tap(v.todayBtn)
	if !v.has {
		t.Fatalf("no report; status %q", d.statusLine.Text)
	}
	// After sign-out and in again, the old report is not exported.
	test.Tap(d.signOutBtn)
	directorSignIn(t, d, "2001", demo.PIN)
	if err := v.exportFile(filepath.Join(t.TempDir(), "x.xlsx"), exportXLSX); !errors.Is(err, errNoReport) {
		t.Errorf("export of the last sign-in's report: %v, want errNoReport", err)
	}
}
