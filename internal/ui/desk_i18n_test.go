package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

// English-mode tests of the director's reports, reception and quarantine
// tabs, the sync line and the hall overview.

// deskHall and deskCounters are the demo hall's own names: data, shown as
// they are in any language.
var (
	deskHall     = "城关供电营业厅"
	deskCounters = []string{"1号窗口", "2号窗口", "3号窗口", "4号窗口", "5号窗口"}
)

// deskChinese lists the texts shown in obj that keep Chinese once the data
// strings are taken out of them: stricter than chineseShown, which lets a
// text through whole when it contains a data string.
func deskChinese(obj fyne.CanvasObject, data ...string) []string {
	var bad []string
	for _, s := range shownTexts(obj) {
		rest := s
		for _, d := range data {
			rest = strings.ReplaceAll(rest, d, "")
		}
		if hasChinese(rest) && !slices.Contains(bad, s) {
			bad = append(bad, s)
		}
	}
	return bad
}

// assertEnglish fails when obj shows Chinese beyond the data strings.
func assertEnglish(t *testing.T, what string, obj fyne.CanvasObject, data ...string) {
	t.Helper()
	if obj == nil {
		t.Fatalf("%s: nothing shown", what)
	}
	if len(shownTexts(obj)) == 0 {
		t.Fatalf("%s shows no text", what)
	}
	if bad := deskChinese(obj, data...); len(bad) > 0 {
		t.Errorf("%s shows Chinese in English mode: %q", what, bad)
	}
}

// deskMaxWidth is the width the overview opens at (the director's window
// opens at 1200): English text must not make a window or tab wider.
const deskMaxWidth = 1120

// assertFits fails when obj needs more width than deskMaxWidth.
func assertFits(t *testing.T, what string, obj fyne.CanvasObject) {
	t.Helper()
	if w := obj.MinSize().Width; w > deskMaxWidth {
		t.Errorf("%s needs %v wide in English, more than %d", what, w, deskMaxWidth)
	}
}

// deskTab selects the director's tab holding a V and returns it with its
// tab item. It selects another tab first, so that a tab that reads its
// list when shown reads it now.
func deskTab[V fyne.CanvasObject](t *testing.T, d *director) (V, *container.TabItem) {
	t.Helper()
	for i, it := range d.tabs.Items {
		if v, ok := it.Content.(V); ok {
			d.tabs.SelectIndex(0)
			d.tabs.SelectIndex(i)
			return v, it
		}
	}
	var zero V
	t.Fatalf("no %T tab", zero)
	return zero, nil
}

// topOverlay is the dialog in front of w.
func topOverlay(t *testing.T, w fyne.Window) fyne.CanvasObject {
	t.Helper()
	o := w.Canvas().Overlays().Top()
	if o == nil {
		t.Fatal("no dialog shown")
	}
	return o
}

func TestDeskReportsInEnglish(t *testing.T) {
	inEnglish(t)
	h := halltest.New(t, nil)
	for range 3 {
		issueTicket(t, h, demo.TypeFee, hall.Normal)
	}
	issueTicket(t, h, demo.TypeConsult, hall.Elderly)
	h.Clock.Advance(4 * time.Minute)
	serveAt1(t, h, 6*time.Minute, hall.VerySatisfied) // the elderly customer goes first
	serveAt1(t, h, 10*time.Minute, hall.Unrated)

	d, _ := signedInDirector(t, h)
	v, _ := deskTab[*reportsView](t, d)
	assertEnglish(t, "the empty reports tab", v)
	if got := v.rangeLine.Text; got != "Choose a range and run the query" {
		t.Errorf("range line before a query %q", got)
	}
	test.Tap(v.xlsxBtn)
	if got := d.statusLine.Text; got != "Run a report first, then export it" {
		t.Errorf("export before a query shows %q", got)
	}

	test.Tap(v.todayBtn)
	if !v.has {
		t.Fatalf("no report; status %q", d.statusLine.Text)
	}
	assertEnglish(t, "the reports tab", v, append([]string{deskHall, "李娜"}, deskCounters...)...)
	assertEnglish(t, "the status line", d.statusLine)
	if got := d.statusLine.Text; got != "Report generated: "+today(t, h) {
		t.Errorf("status %q", got)
	}
	for name, want := range map[string]string{"平均办理": "8.0 min", "取号": "4", "满意率": "100.0%", "升级事项": "0 new · 0 overdue", "现场巡查": "0 times"} {
		if got := v.figures[name].Text; got != want {
			t.Errorf("%s shows %q, want %q", name, got, want)
		}
	}
	if got := v.hours.labels[9-repFirstHour].Text; got != "9:00" {
		t.Errorf("9 o'clock column labelled %q", got)
	}
	if !strings.Contains(v.rangeLine.Text, "(days: 1)") || !strings.Contains(v.rangeLine.Text, "generated") {
		t.Errorf("range line %q", v.rangeLine.Text)
	}
	assertFits(t, "the reports tab", v)
	if got := reportFileName(hall.ReportRange{From: "2026-11-01", To: "2026-11-30"}, exportCSV); got != "Report_2026-11-01_2026-11-30.csv" {
		t.Errorf("suggested file name %q", got)
	}
}

func TestDeskReceptionInEnglish(t *testing.T) {
	inEnglish(t)
	ctx := context.Background()
	h := halltest.New(t, nil) // Friday 2026-11-27
	d, w := signedInDirector(t, h)
	v, _ := deskTab[*receptionView](t, d)
	v.reload()
	assertEnglish(t, "the empty reception tab", v)

	data := []string{"副总经理 王建国", "二楼接待室", "电费电价", "李**", "小区频繁停电", "一周内排查线路", "已转营销部", "赵敏", "领导出差"}
	v.askSchedule()
	assertEnglish(t, "the schedule dialog", topOverlay(t, w))
	fill(t, v, map[string]string{"day": "2026-11-27", "hours": "09:00-11:30", "leader": "副总经理 王建国", "place": "二楼接待室", "topics": "电费电价"})
	if got := d.statusLine.Text; got != "Leadership reception day on 2026-11-27 scheduled" {
		t.Fatalf("status %q", got)
	}
	v.askSchedule()
	fill(t, v, map[string]string{"day": "2026-12-04", "hours": "09:00-11:30", "leader": "副总经理 王建国", "place": "二楼接待室"})
	sched, err := h.Receptions(ctx, "2026-11-27", 8)
	if err != nil || len(sched) != 2 {
		t.Fatalf("schedule %+v, %v", sched, err)
	}
	v.askCancel(sched[1].ID)
	assertEnglish(t, "the cancel dialog", topOverlay(t, w))
	fill(t, v, map[string]string{"note": "领导出差"})
	if got := d.statusLine.Text; got != "Reception day cancelled" {
		t.Fatalf("status %q", got)
	}

	v.askVisit(sched[0].ID)
	assertEnglish(t, "the visit dialog", topOverlay(t, w))
	fill(t, v, map[string]string{"name": "李红梅", "phone": "13812345678", "matter": "小区频繁停电", "commitment": "一周内排查线路", "deadline": "2026-12-04"})
	if got := d.statusLine.Text; got != "Visit recorded" {
		t.Fatalf("status %q", got)
	}
	open, err := h.Visits(ctx, h.At(0), false, "", "")
	if err != nil || len(open) != 1 {
		t.Fatalf("visits %+v, %v", open, err)
	}
	h.Clock.Advance(time.Hour)
	v.askNote(open[0].Visit.ID, false)
	assertEnglish(t, "the follow-up dialog", topOverlay(t, w))
	fill(t, v, map[string]string{"note": ""})
	if got := d.statusLine.Text; got != "Please describe the follow-up" {
		t.Errorf("empty follow-up shows %q", got)
	}
	fill(t, v, map[string]string{"note": "已转营销部"})
	if got := d.statusLine.Text; got != "Follow-up added" {
		t.Fatalf("status %q", got)
	}
	assertEnglish(t, "the reception tab", v, data...)
	if got := v.count.Text; got != "1 open" {
		t.Errorf("count %q", got)
	}
	sc := allText(v.schedBox)
	for _, want := range []string{"27 Nov 2026 (Fri) 09:00-11:30", "Cancelled: 领导出差"} {
		if !strings.Contains(sc, want) {
			t.Errorf("schedule %q, want %q", sc, want)
		}
	}
	if got := allText(v.visitBox); !strings.Contains(got, "Follow-up: 已转营销部 (赵敏, 11/27 10:00)") {
		t.Errorf("visit %q", got)
	}

	v.showRecord(open[0].Visit.ID)
	assertEnglish(t, "the visit record", topOverlay(t, w), append(data, "李红梅")...)
	d.hideDialog()
	v.askNote(open[0].Visit.ID, true)
	assertEnglish(t, "the reply dialog", topOverlay(t, w))
	fill(t, v, map[string]string{"note": "已转营销部"})
	v.all.SetChecked(true)
	assertEnglish(t, "the visit history", v, data...)
	assertFits(t, "the reception tab", v)
	if got := v.count.Text; got != "1 in total, 1 closed, 0 open" {
		t.Errorf("history count %q", got)
	}
}

func TestDeskQuarantineInEnglish(t *testing.T) {
	inEnglish(t)
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	v, it := deskTab[*quarantineView](t, d)
	assertEnglish(t, "the empty quarantine tab", v)
	if v.count.Text != "None" || it.Text != "Refused by HQ" {
		t.Errorf("empty quarantine: count %q, tab %q", v.count.Text, it.Text)
	}
	at := h.Clock.Now()
	if err := h.DB.Quarantine(context.Background(), at,
		sqlite.Quarantined{Seq: 12, UUID: "0193aaaa-0000-7000-8000-000000000012", Kind: "complaint.recorded", Status: "conflict", Reason: "同一记录编号在总部已存有不同的内容"},
		sqlite.Quarantined{Seq: 15, Status: "missing", Reason: "营业厅的事件日志缺少这一序号"},
		sqlite.Quarantined{Seq: 30, UUID: "0193aaaa-0000-7000-8000-000000000030", Kind: "ticket.issued", Status: "rejected", Reason: "记录内容与校验值不符（记录在营业厅被改动或损坏）"},
		sqlite.Quarantined{Seq: 31, UUID: "0193aaaa-0000-7000-8000-000000000031", Kind: "reception.scheduled", Status: "rejected", Reason: "记录内容过大"},
	); err != nil {
		t.Fatal(err)
	}
	v, it = deskTab[*quarantineView](t, d)
	if len(v.list) != 4 {
		t.Fatalf("%d records shown, want 4", len(v.list))
	}
	assertEnglish(t, "the quarantine tab", v)
	if it.Text != "Refused by HQ (4)" || v.count.Text != "4 records refused by HQ in total, quarantined" {
		t.Errorf("tab %q, count %q", it.Text, v.count.Text)
	}
	assertFits(t, "the quarantine tab", v)
	if got := logRowText(v.box.Objects[1]); !strings.Contains(got, "Missing record") {
		t.Errorf("missing number's row %q", got)
	}
}

func TestDeskSyncLineInEnglish(t *testing.T) {
	inEnglish(t)
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		st    SyncState
		want  string
		alert bool
	}{
		{SyncState{}, "HQ sync: OK", false},
		{SyncState{LastSuccess: now.Add(-time.Minute)}, "HQ sync: OK · last 08:59", false},
		{SyncState{LastSuccess: now.Add(-20 * time.Hour)}, "HQ sync: OK · last 11/26 13:00", false},
		{SyncState{Backlog: 3, LastSuccess: now.Add(-time.Minute)}, "HQ sync: 3 to send", false},
		{SyncState{Backlog: 3, LastSuccess: now.Add(-time.Minute), LastError: "总部暂时无法处理，稍后会自动重试"}, "HQ sync: 3 to send (HQ cannot process this right now; will retry a…)", false},
		{SyncState{Backlog: 5, LastError: "无法连接总部，记录已保存在本厅，恢复连接后会自动补传"}, "HQ sync never succeeded: 5 to send, kept safe in the hall", true},
		{SyncState{Backlog: 5, LastSuccess: now.Add(-(2*time.Hour + 15*time.Minute))}, "HQ sync down for 2 h 15 min, records kept safe in the hall", true},
		{SyncState{Backlog: 5, LastSuccess: now.Add(-50 * time.Hour)}, "HQ sync down for 2 d 2 h, records kept safe in the hall", true},
	} {
		text, alert := syncText(c.st, now, 30*time.Minute)
		if text != c.want || alert != c.alert || hasChinese(text) {
			t.Errorf("syncText(%+v) = %q, %v; want %q, %v", c.st, text, alert, c.want, c.alert)
		}
	}
	if got := quarantineText(2); got != "2 records refused by HQ" {
		t.Errorf("quarantineText(2) = %q", got)
	}
	if got := spanText(42 * time.Minute); got != "42 min" {
		t.Errorf("spanText(42m) = %q", got)
	}

	// The director's header.
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	fake := &fakeSync{}
	fake.set(SyncState{LastSuccess: h.Clock.Now(), Quarantined: 2}, nil)
	s.opt.SyncStatus = fake.status
	d := newDirector(s)
	shown := make(chan struct{}, 1)
	d.syncLine.ticks = make(chan time.Time)
	d.syncLine.onShown = func() { shown <- struct{}{} }
	d.syncLine.start()
	t.Cleanup(d.syncLine.close)
	select {
	case <-shown:
	case <-time.After(5 * time.Second):
		t.Fatal("the sync line was not refreshed")
	}
	var texts []string
	for _, l := range visibleLabels(d.syncLine.object()) {
		texts = append(texts, l.Text)
	}
	want := "HQ sync: OK · last " + h.Clock.Now().In(s.now().Location()).Format("15:04") + "|2 records refused by HQ"
	if got := strings.Join(texts, "|"); got != want {
		t.Errorf("director's sync lines = %q, want %q", got, want)
	}
}

func TestDeskOverviewInEnglish(t *testing.T) {
	inEnglish(t)
	ctx := context.Background()
	h := halltest.New(t, nil)
	ov, w := openOverview(t, h, roleTable())
	ov.s.opt.LAN = func() (string, string, time.Time) {
		return "http://192.168.1.20:8470", "4821", time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC)
	}
	if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Issue(ctx, demo.TypeConsult, hall.Elderly); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, err := h.CallNext(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SetCounterState(ctx, h.At(0), 3, hall.CounterPaused); err != nil {
		t.Fatal(err)
	}
	mustRefresh(t, ov)
	ov.showLAN()
	assertEnglish(t, "the overview", w.Content(), append([]string{deskHall}, deskCounters...)...)
	assertFits(t, "the overview", w.Content())
	if got, want := w.Title(), deskHall+" · Hall service desk"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if got := ov.date.Text; got != "Friday, 27 November 2026" {
		t.Errorf("date %q", got)
	}
	if got := ov.lan.Text; got != "This PC is the hall host: http://192.168.1.20:8470 · Display web page http://192.168.1.20:8470/display · Pairing code 4821 (valid until "+time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC).In(ov.loc).Format("15:04")+")" {
		t.Errorf("LAN line %q", got)
	}
	if got := ov.counterRows[3].ticketState.Text; got != "Idle" {
		t.Errorf("an open counter with no ticket shows %q", got)
	}
	ov.showError(hall.ErrNotSignedIn)
	assertEnglish(t, "the overview's error", ov.status)

	// The counter picker.
	test.Tap(ov.roleButtons["counter"])
	if ov.picker == nil {
		t.Fatal("no counter picker")
	}
	assertEnglish(t, "the counter picker", topOverlay(t, w), deskCounters...)
	if ov.picker.PlaceHolder != "Choose a counter" {
		t.Errorf("picker placeholder %q", ov.picker.PlaceHolder)
	}

	for _, c := range []struct{ day, want string }{
		{"2027-01-03", "Sunday, 3 January 2027"},
		{"bad", "bad"},
	} {
		if got := formatDay(c.day); got != c.want {
			t.Errorf("formatDay(%q) = %q, want %q", c.day, got, c.want)
		}
	}
}
