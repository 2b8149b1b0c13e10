package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// The director lists the fault reports the counters took, newest first,
// contacts masked, over the chosen days.
func TestDirectorListsFaultReports(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	h.Clock.Advance(-24 * time.Hour)
	if _, err := h.RecordFault(ctx, h.At(2), hall.FaultInput{What: "电表箱烧焦", Where: "北街8号", Contact: hall.Contact{Phone: "13600003333"}}); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(24 * time.Hour)
	h.SignInDemo(t)
	if _, err := h.RecordFault(ctx, h.At(5), hall.FaultInput{What: "整栋楼停电", Where: "东街12号", Occurred: "半小时前",
		Contact: hall.Contact{Name: "赵磊", Phone: "13700002222"}}); err != nil {
		t.Fatal(err)
	}
	d, _ := signedInDirector(t, h)
	v := d.faultList
	text := strings.Join(shownTexts(v.listBox), "\n")
	if v.summary.Text != "共 1 件" || !strings.Contains(text, "故障：整栋楼停电") || !strings.Contains(text, "5号窗口") ||
		!strings.Contains(text, "赵* 137****2222") || strings.Contains(text, "北街8号") {
		t.Fatalf("today: %q, %q", v.summary.Text, text)
	}
	if strings.Contains(text, "13700002222") || strings.Contains(text, "赵磊") {
		t.Fatalf("a contact in full on the desk: %q", text)
	}
	v.span.SetSelectedIndex(1) // 近7天
	text = strings.Join(shownTexts(v.listBox), "\n")
	if v.summary.Text != "共 2 件" || strings.Index(text, "整栋楼停电") > strings.Index(text, "电表箱烧焦") {
		t.Fatalf("7 days: %q, %q; want both, newest first", v.summary.Text, text)
	}
}

func TestDirectorFaultsTabInEnglish(t *testing.T) {
	inEnglish(t)
	ctx := context.Background()
	h := halltest.New(t, nil)
	what, where := "整栋楼停电", "东街12号"
	if _, err := h.RecordFault(ctx, h.At(5), hall.FaultInput{What: what, Where: where, Contact: hall.Contact{Phone: "13700002222"}}); err != nil {
		t.Fatal(err)
	}
	d, _ := signedInDirector(t, h)
	v, _ := deskTab[*faultListView](t, d)
	assertEnglish(t, "the fault reports tab", v.content, what, where, "陈静")
	assertFits(t, "the fault reports tab", v.content)
}
