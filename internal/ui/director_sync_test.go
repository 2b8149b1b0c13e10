package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

// quarantineTab selects the window's 总部拒收 tab, which reads the list.
func quarantineTab(t *testing.T, d *director) *quarantineView {
	t.Helper()
	for i, it := range d.tabs.Items {
		if v, ok := it.Content.(*quarantineView); ok {
			if !strings.HasPrefix(it.Text, "总部拒收") {
				t.Errorf("tab title %q", it.Text)
			}
			d.tabs.SelectIndex(0)
			d.tabs.SelectIndex(i)
			return v
		}
	}
	t.Fatal("no 总部拒收 tab")
	return nil
}

func TestDirectorSeesTheRecordsHQRefused(t *testing.T) {
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	v := quarantineTab(t, d)
	if rt, ok := v.box.Objects[0].(*widget.RichText); len(v.box.Objects) != 1 || !ok || rt.String() != "没有被总部拒收的记录" || v.count.Text != "共 0 条" {
		t.Fatalf("empty quarantine shows %d rows, count %q", len(v.box.Objects), v.count.Text)
	}
	ctx := context.Background()
	at := h.Clock.Now()
	if err := h.DB.Quarantine(ctx, at,
		sqlite.Quarantined{Seq: 12, UUID: "0193aaaa-0000-7000-8000-000000000012", Kind: "complaint.recorded", Status: "conflict", Reason: "同一记录编号在总部已存有不同的内容"},
		sqlite.Quarantined{Seq: 15, Status: "missing", Reason: "营业厅的事件日志缺少这一序号"},
		sqlite.Quarantined{Seq: 30, UUID: "0193aaaa-0000-7000-8000-000000000030", Kind: "ticket.issued", Status: "rejected", Reason: "记录内容与校验值不符（记录在营业厅被改动或损坏）"},
	); err != nil {
		t.Fatal(err)
	}
	// Opening the tab again reads the list again.
	v = quarantineTab(t, d)
	if len(v.box.Objects) != 3 || len(v.list) != 3 {
		t.Fatalf("quarantine shows %d rows, want 3", len(v.box.Objects))
	}
	for i, want := range [][]string{
		{"12", "客户投诉", "冲突", "同一记录编号在总部已存有不同的内容", at.In(d.loc).Format("15:04")},
		{"15", "缺失的记录", "缺号", "事件日志缺少这一序号"},
		{"30", "排队叫号", "拒收", "校验值不符"},
	} {
		got := logRowText(v.box.Objects[i])
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("row %d %q, want %q", i, got, w)
			}
		}
	}
	if v.count.Text != "共 3 条记录被总部拒收，已隔离" || v.count.Importance != widget.DangerImportance {
		t.Errorf("count %q (importance %v)", v.count.Text, v.count.Importance)
	}
	if title := d.tabs.Selected().Text; title != "总部拒收（3）" {
		t.Errorf("tab title %q, want the count", title)
	}
	// 刷新 reads it again.
	if err := h.DB.Quarantine(ctx, at, sqlite.Quarantined{Seq: 31, Status: "missing", Reason: "营业厅的事件日志缺少这一序号"}); err != nil {
		t.Fatal(err)
	}
	v.refresh.OnTapped()
	if len(v.box.Objects) != 4 || d.tabs.Selected().Text != "总部拒收（4）" {
		t.Fatalf("after 刷新: %d rows, title %q", len(v.box.Objects), d.tabs.Selected().Text)
	}
}
