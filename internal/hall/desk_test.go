package hall_test

import (
	"errors"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

func TestRosterFlagsDaysWithoutADirector(t *testing.T) {
	h := halltest.New(t, nil)
	if _, err := h.SetRoster(ctx, h.At(1), "2026-11-28", "2001", ""); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("clerk setting the roster: %v", err)
	}
	if _, err := h.SetRoster(ctx, h.At(0), "2026-11-28", "1001", ""); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("a clerk on the director's roster: %v", err)
	}
	for _, d := range []string{"2026-11-27", "2026-11-28", "2026-11-30"} { // a Sunday gap on the 29th
		if _, err := h.SetRoster(ctx, h.At(0), d, "2001", "白班"); err != nil {
			t.Fatal(err)
		}
	}
	h = h.Restart(t)
	days, err := h.Roster(ctx, "2026-11-27", 5)
	if err != nil {
		t.Fatal(err)
	}
	var gaps []string
	for _, d := range days {
		if d.Gap() {
			gaps = append(gaps, d.Day)
		}
	}
	if len(gaps) != 2 || gaps[0] != "2026-11-29" || gaps[1] != "2026-12-01" || days[0].Name != "赵敏" {
		t.Fatalf("gaps = %v, days = %+v", gaps, days)
	}
}

func TestLogEntriesAreAmendedNeverEdited(t *testing.T) {
	h := halltest.New(t, nil)
	e1, err := h.AddLog(ctx, h.At(0), hall.LogPatrol, "10:00 巡查，3号窗口桌面杂乱", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.AddLog(ctx, h.At(0), "闲聊", "x", ""); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("unknown category: %v", err)
	}
	if _, err := h.AddLog(ctx, h.At(0), hall.LogOther, "更正", "no-such-entry"); !errors.Is(err, hall.ErrUnknownMatter) {
		t.Fatalf("amending nothing: %v", err)
	}
	h = h.Restart(t)
	e2, err := h.AddLog(ctx, h.At(0), hall.LogPatrol, "更正：是4号窗口", e1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Handover(ctx, h.At(0), "2001", "今日投诉1件，已登记"); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("a handover to oneself: %v", err)
	}
	if _, err := h.Handover(ctx, h.At(0), "1001", "交给营业员"); !errors.Is(err, hall.ErrUnknownStaff) {
		t.Fatalf("a handover to a clerk: %v", err)
	}
	if _, err := h.Handover(ctx, h.At(0), "2002", "今日投诉1件，已登记"); err != nil {
		t.Fatal(err)
	}
	got, err := h.Log(ctx, h.At(0), "2026-11-27")
	if err != nil || len(got) != 3 || got[0].ID != e1.ID || got[1].Amends != e1.ID || got[0].Text != "10:00 巡查，3号窗口桌面杂乱" {
		t.Fatalf("log = %+v, %v", got, err)
	}
	if e2.Author != "2001" || got[2].Category != hall.LogHandover {
		t.Fatalf("entries = %+v", got)
	}
	if _, err := h.Log(ctx, h.At(1), "2026-11-27"); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("clerk reading the log: %v", err)
	}
}

func TestEmergencyModeOpensAConsultationQueueAndEndsLogged(t *testing.T) {
	h := halltest.New(t, nil)
	em, err := h.DeclareEmergency(ctx, h.At(0), "110千伏城关变电站故障，城区大面积停电", h.Clock.Now().Add(6*time.Hour))
	if err != nil || !em.Active {
		t.Fatalf("declare: %+v, %v", em, err)
	}
	notices, _ := h.Notices(ctx)
	if len(notices) != 1 || notices[0].Kind != hall.NoticeEmergency {
		t.Fatalf("notices = %+v", notices)
	}
	tk, err := h.Issue(ctx, hall.EmergencyType.Code, hall.Normal)
	if err != nil {
		t.Fatalf("issuing 停电咨询: %v", err)
	}
	sc, _ := h.Scripts(ctx)
	if got := sc.RefusalFor(hall.EmergencyType.Code); got == sc.Refusal {
		t.Fatal("counters have no scripted answer for the incident")
	}
	// Any counter takes the emergency ticket.
	if c := mustCall(t, h, 3); c.Ticket.ID != tk.ID {
		t.Fatalf("counter 3 called %s, want %s", c.Ticket.Number, tk.Number)
	}
	h = h.Restart(t)
	if st, _ := h.EmergencyState(ctx); !st.Active {
		t.Fatal("emergency mode lost in a restart")
	}
	if err := h.EndEmergency(ctx, h.At(0), "已恢复供电"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Issue(ctx, hall.EmergencyType.Code, hall.Normal); !errors.Is(err, hall.ErrTypeRetired) {
		t.Fatalf("停电咨询 after the end: %v", err)
	}
	if n, _ := h.Notices(ctx); len(n) != 0 {
		t.Fatalf("notice still up: %+v", n)
	}
	log, _ := h.Log(ctx, h.At(0), "2026-11-27")
	if len(log) != 2 || log[0].Category != hall.LogIncident || log[1].Text != "结束应急状态：已恢复供电" {
		t.Fatalf("log = %+v", log)
	}
	_ = demo.TypeFee
}

func TestReportsAreTheDirectorsOnly(t *testing.T) {
	h := halltest.New(t, nil)
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	mustIssue(t, h, demo.TypeRepair, hall.Elderly)
	r := hall.ReportRange{From: "2026-11-27", To: "2026-11-27"}
	if _, err := h.Report(ctx, h.At(1), r); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("clerk reading reports: %v", err)
	}
	if _, err := h.Report(ctx, h.At(0), hall.ReportRange{From: "2026-11-28", To: "2026-11-27"}); err == nil {
		t.Fatal("a range that ends before it starts was accepted")
	}
	rep, err := h.Report(ctx, h.At(0), r)
	if err != nil || rep.Tickets.Issued != 2 {
		t.Fatalf("report: %+v, %v", rep.Tickets, err)
	}
}
