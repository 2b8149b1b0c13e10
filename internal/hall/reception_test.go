package hall_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

func TestReceptionDayIsAnnouncedAWeekAheadAndItsVisitsFollowedUpToTheReply(t *testing.T) {
	h := halltest.New(t, nil) // Friday 2026-11-27, 09:00
	dir := h.At(0)
	in := hall.ReceptionInput{Day: "2026-12-09", Hours: "09:00－11:30", Leader: "副总经理 王建国", Place: "营业厅二楼接待室", Topics: "电费电价、业扩报装"}
	r, err := h.ScheduleReception(ctx, dir, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Hours != "09:00-11:30" || r.By != "2001" {
		t.Fatalf("scheduled = %+v", r)
	}
	// Refusals change nothing.
	for name, bad := range map[string]hall.ReceptionInput{
		"past":       {Day: "2026-11-26", Hours: "09:00-11:00", Leader: "王", Place: "二楼"},
		"same day":   in,
		"bad hours":  {Day: "2026-12-10", Hours: "11:00-09:00", Leader: "王", Place: "二楼"},
		"no leader":  {Day: "2026-12-10", Hours: "09:00-11:00", Place: "二楼"},
		"bad date":   {Day: "12/10", Hours: "09:00-11:00", Leader: "王", Place: "二楼"},
		"no place":   {Day: "2026-12-10", Hours: "09:00-11:00", Leader: "王"},
		"long topic": {Day: "2026-12-10", Hours: "09:00-11:00", Leader: "王", Place: "二楼", Topics: strings.Repeat("电", 201)},
	} {
		if _, err := h.ScheduleReception(ctx, dir, bad); !errors.Is(err, hall.ErrInvalid) || hall.Message(err) == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := h.ScheduleReception(ctx, h.At(1), hall.ReceptionInput{Day: "2026-12-10", Hours: "09:00-11:00", Leader: "王", Place: "二楼"}); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk scheduling: %v", err)
	}
	// Twelve days ahead: not yet announced.
	if ns, _ := h.Notices(ctx); hasKind(ns, hall.NoticeReception) {
		t.Fatalf("announced 12 days ahead: %+v", ns)
	}
	h.Clock.Set(time.Date(2026, 12, 2, 8, 0, 0, 0, halltest.Shanghai(t)))
	ns, err := h.Notices(ctx)
	if err != nil || !hasKind(ns, hall.NoticeReception) {
		t.Fatalf("7 days ahead: %+v, %v", ns, err)
	}
	var text string
	for _, n := range ns {
		if n.Kind == hall.NoticeReception {
			text = n.Text
		}
	}
	if want := "12月9日（周三）09:00-11:30，副总经理 王建国在营业厅二楼接待室接待客户，主题：电费电价、业扩报装"; text != want {
		t.Fatalf("notice = %q, want %q", text, want)
	}
	if sched, err := h.Receptions(ctx, "2026-12-01", 31); err != nil || len(sched) != 1 || sched[0].ID != r.ID {
		t.Fatalf("schedule = %+v, %v", sched, err)
	}
	// Visits only from the day itself.
	visit := hall.VisitInput{ReceptionID: r.ID, Contact: hall.Contact{Name: "李红梅", Phone: "13812345678"},
		Matter: "新建厂房需增容至 400kVA，报装进度慢", Commitment: "三个工作日内安排现场勘查", Deadline: "2026-12-14"}
	dir = h.SignInDemoDirector(t)
	if _, err := h.RecordVisit(ctx, dir, visit); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("a visit before the day: %v", err)
	}
	h.Clock.Set(time.Date(2026, 12, 9, 10, 0, 0, 0, halltest.Shanghai(t)))
	dir = h.SignInDemoDirector(t)
	if ns, _ := h.Notices(ctx); !hasKind(ns, hall.NoticeReception) {
		t.Fatalf("not shown on the day: %+v", ns)
	}
	for name, bad := range map[string]hall.VisitInput{
		"no phone":        {ReceptionID: r.ID, Contact: hall.Contact{Name: "李"}, Matter: "x", Commitment: "y", Deadline: "2026-12-14"},
		"early deadline":  {ReceptionID: r.ID, Contact: visit.Contact, Matter: "x", Commitment: "y", Deadline: "2026-12-08"},
		"no commitment":   {ReceptionID: r.ID, Contact: visit.Contact, Matter: "x", Deadline: "2026-12-14"},
		"unknown day":     {ReceptionID: "nope", Contact: visit.Contact, Matter: "x", Commitment: "y", Deadline: "2026-12-14"},
		"malformed phone": {ReceptionID: r.ID, Contact: hall.Contact{Phone: "13a"}, Matter: "x", Commitment: "y", Deadline: "2026-12-14"},
	} {
		if _, err := h.RecordVisit(ctx, dir, bad); err == nil || hall.Message(err) == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	v, err := h.RecordVisit(ctx, dir, visit)
	if err != nil {
		t.Fatal(err)
	}
	if v.Contact.Phone != "138****5678" || v.Contact.Name != "李**" || v.Leader != "副总经理 王建国" {
		t.Fatalf("visit as returned: %+v (contact must be masked)", v)
	}
	if _, err := h.AddVisitNote(ctx, dir, v.ID, "已转营销部，12月10日现场勘查", false); err != nil {
		t.Fatal(err)
	}
	if _, err := h.AddVisitNote(ctx, dir, v.ID, "   ", true); !errors.Is(err, hall.ErrInvalid) || !strings.Contains(hall.Message(err), "答复") {
		t.Fatalf("closing without the reply: %v", err)
	}
	h = h.Restart(t)
	dir = h.SignInDemoDirector(t)
	open, err := h.Visits(ctx, dir, false, "", "")
	if err != nil || len(open) != 1 || len(open[0].Notes) != 1 || open[0].Closed || open[0].Overdue {
		t.Fatalf("open visits after restart: %+v, %v", open, err)
	}
	if open[0].Visit.Contact.Phone != "138****5678" {
		t.Fatalf("list shows the phone: %+v", open[0].Visit.Contact)
	}
	rec, err := h.VisitRecord(ctx, dir, v.ID)
	if err != nil || rec.Visit.Contact != visit.Contact {
		t.Fatalf("the record itself: %+v, %v", rec.Visit.Contact, err)
	}
	clerk, err := h.SignIn(ctx, 1, "1001", demo.PIN)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.VisitRecord(ctx, clerk.Token, v.ID); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk reading the record: %v", err)
	}
	// Past the deadline: overdue until the reply closes it.
	h.Clock.Set(time.Date(2026, 12, 15, 9, 0, 0, 0, halltest.Shanghai(t)))
	dir = h.SignInDemoDirector(t)
	if open, _ := h.Visits(ctx, dir, false, "", ""); len(open) != 1 || !open[0].Overdue {
		t.Fatalf("past the deadline: %+v", open)
	}
	if _, err := h.AddVisitNote(ctx, dir, v.ID, "已完成勘查并答复客户：12月底前送电", true); err != nil {
		t.Fatal(err)
	}
	if open, _ := h.Visits(ctx, dir, false, "", ""); len(open) != 0 {
		t.Fatalf("closed, still open: %+v", open)
	}
	if _, err := h.AddVisitNote(ctx, dir, v.ID, "再补一句", false); !errors.Is(err, hall.ErrUnknownMatter) {
		t.Fatalf("a note after closing: %v", err)
	}
	all, err := h.Visits(ctx, dir, true, "2026-12-01", "2026-12-31")
	if err != nil || len(all) != 1 || !all[0].Closed || all[0].Overdue || len(all[0].Notes) != 2 || all[0].Visit.Contact.Phone != "138****5678" {
		t.Fatalf("history: %+v, %v", all, err)
	}
	// The day has passed: it is no longer announced.
	if ns, _ := h.Notices(ctx); hasKind(ns, hall.NoticeReception) {
		t.Fatalf("announced after the day: %+v", ns)
	}
}

func TestCancelledReceptionDayIsNotAnnouncedAndTakesNoVisits(t *testing.T) {
	h := halltest.New(t, nil)
	dir := h.At(0)
	r, err := h.ScheduleReception(ctx, dir, hall.ReceptionInput{Day: "2026-11-30", Hours: "14:00-16:00", Leader: "总经理 陈志强", Place: "一楼洽谈区"})
	if err != nil {
		t.Fatal(err)
	}
	if ns, _ := h.Notices(ctx); !hasKind(ns, hall.NoticeReception) {
		t.Fatalf("not announced: %+v", ns)
	}
	if _, err := h.CancelReception(ctx, dir, r.ID, ""); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("cancel without a reason: %v", err)
	}
	c, err := h.CancelReception(ctx, dir, r.ID, "领导参加防汛会议，改期另行通知")
	if err != nil || c.Active() {
		t.Fatalf("cancel: %+v, %v", c, err)
	}
	h = h.Restart(t)
	if ns, _ := h.Notices(ctx); hasKind(ns, hall.NoticeReception) {
		t.Fatalf("a cancelled day announced: %+v", ns)
	}
	sched, _ := h.Receptions(ctx, "2026-11-27", 7)
	if len(sched) != 1 || sched[0].Active() || sched[0].CancelNote == "" {
		t.Fatalf("schedule after restart: %+v", sched)
	}
	if _, err := h.CancelReception(ctx, h.SignInDemoDirector(t), r.ID, "x"); !errors.Is(err, hall.ErrMatterClosed) {
		t.Fatalf("cancel twice: %v", err)
	}
	// The date is free again.
	if _, err := h.ScheduleReception(ctx, h.At(0), hall.ReceptionInput{Day: "2026-11-30", Hours: "09:00-10:00", Leader: "副总经理 王建国", Place: "一楼"}); err != nil {
		t.Fatal(err)
	}
	h.Clock.Set(time.Date(2026, 11, 30, 15, 0, 0, 0, halltest.Shanghai(t)))
	if _, err := h.RecordVisit(ctx, h.SignInDemoDirector(t), hall.VisitInput{ReceptionID: r.ID, Contact: hall.Contact{Phone: "13800000000"},
		Matter: "x", Commitment: "y", Deadline: "2026-12-01"}); !errors.Is(err, hall.ErrMatterClosed) {
		t.Fatalf("a visit on a cancelled day: %v", err)
	}
}

func TestPatrolScoresEachCounterAndClerkAndWritesTheLog(t *testing.T) {
	h := halltest.New(t, nil)
	dir := h.At(0)
	in := hall.PatrolInput{Note: "整体秩序良好", Results: []hall.PatrolResultInput{
		{Counter: 2, Failed: []string{"focus", "appearance", "focus"}, Note: "当班期间使用手机，未佩戴工号牌"},
		{Counter: 1},
	}}
	p, err := h.RecordPatrol(ctx, dir, in)
	if err != nil {
		t.Fatal(err)
	}
	// Six items; two failed: round(100*4/6) = 67.
	if len(p.Results) != 2 || p.Results[0].Counter != 1 || p.Results[0].Score != 100 || p.Results[0].Clerk != "1001" {
		t.Fatalf("results = %+v", p.Results)
	}
	if r := p.Results[1]; r.Clerk != "1002" || r.Score != 67 || strings.Join(r.Failed, ",") != "appearance,focus" {
		t.Fatalf("counter 2 = %+v", r)
	}
	log, err := h.Log(ctx, dir, "2026-11-27")
	if err != nil {
		t.Fatal(err)
	}
	var entry *hall.LogEntry
	for i := range log {
		if log[i].ID == p.LogID {
			entry = &log[i]
		}
	}
	if entry == nil || entry.Category != hall.LogPatrol || !strings.Contains(entry.Text, "2号窗口（1002）67分：仪容仪表、工作纪律") {
		t.Fatalf("log entry = %+v", entry)
	}
	for name, bad := range map[string]hall.PatrolInput{
		"none":         {},
		"no note":      {Results: []hall.PatrolResultInput{{Counter: 1, Failed: []string{"language"}}}},
		"unknown item": {Results: []hall.PatrolResultInput{{Counter: 1, Failed: []string{"smile"}, Note: "x"}}},
		"twice":        {Results: []hall.PatrolResultInput{{Counter: 1}, {Counter: 1}}},
		"nobody":       {Results: []hall.PatrolResultInput{{Counter: 1}, {Counter: 9}}},
	} {
		if _, err := h.RecordPatrol(ctx, dir, bad); err == nil || hall.Message(err) == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A counter nobody is signed in at needs the clerk named.
	if err := h.SignOut(ctx, h.At(3)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.RecordPatrol(ctx, dir, hall.PatrolInput{Results: []hall.PatrolResultInput{{Counter: 3}}}); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("empty counter, no clerk: %v", err)
	}
	h.Clock.Advance(10 * time.Minute)
	if _, err := h.RecordPatrol(ctx, dir, hall.PatrolInput{Results: []hall.PatrolResultInput{{Counter: 3, Clerk: "1003"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.RecordPatrol(ctx, h.At(1), in); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk recording a patrol: %v", err)
	}
	h = h.Restart(t)
	ps, err := h.Patrols(ctx, h.SignInDemoDirector(t), "2026-11-27", "2026-11-27")
	if err != nil || len(ps) != 2 || len(ps[1].Results) != 2 || ps[1].Results[1].Score != 67 || ps[0].Results[0].Clerk != "1003" {
		t.Fatalf("patrols after restart: %+v, %v", ps, err)
	}
}

func hasKind(ns []hall.Notice, k hall.NoticeKind) bool {
	for _, n := range ns {
		if n.Kind == k {
			return true
		}
	}
	return false
}
