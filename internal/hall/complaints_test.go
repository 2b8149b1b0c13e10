package hall_test

import (
	"errors"
	"testing"
	"time"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

func TestWorkingDaysSkipWeekendsAndHolidaysAndCountMakeUpDays(t *testing.T) {
	loc := halltest.Shanghai(t)
	cal := hall.Calendar{Holidays: []string{"2026-12-01"}, Workdays: []string{"2026-12-06"}}
	fri := time.Date(2026, 11, 27, 16, 30, 0, 0, loc) // a Friday afternoon
	tests := []struct {
		cal  hall.Calendar
		n    int
		want string
	}{
		{hall.Calendar{}, 1, "2026-11-30"}, // over the weekend to Monday
		{hall.Calendar{}, 7, "2026-12-08"},
		{cal, 1, "2026-11-30"},
		{cal, 2, "2026-12-02"}, // Tuesday the 1st is a holiday
		{cal, 5, "2026-12-06"}, // Sunday the 6th is a make-up working day
		{cal, 7, "2026-12-08"},
	}
	for _, tt := range tests {
		if got := tt.cal.AddWorkdays(fri, loc, tt.n); got != tt.want {
			t.Errorf("AddWorkdays(%d) with %v = %s, want %s", tt.n, tt.cal, got, tt.want)
		}
	}
	if err := (hall.Calendar{Holidays: []string{"12/01"}}).Validate(); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("bad date accepted: %v", err)
	}
}

func TestComplaintStatusRecordsAndTimeLimits(t *testing.T) {
	h := halltest.New(t, nil)
	h.Clock.Set(time.Date(2026, 11, 27, 16, 0, 0, 0, halltest.Shanghai(t))) // Friday
	if err := h.SetCalendar(ctx, h.At(0), hall.Calendar{Holidays: []string{"2026-12-01"}}); err != nil {
		t.Fatal(err)
	}
	c, err := h.RecordComplaint(ctx, h.At(5), hall.ComplaintInput{What: "停电未提前通知", Contact: hall.Contact{Name: "王建国", Phone: "13812345678"}})
	if err != nil {
		t.Fatal(err)
	}
	views, err := h.Complaints(ctx, h.At(0))
	if err != nil || len(views) != 1 {
		t.Fatalf("complaints: %+v, %v", views, err)
	}
	v := views[0]
	if v.ContactDue != "2026-11-30" || v.ReplyDue != "2026-12-09" || v.Complaint.Contact.Phone != "138****5678" || v.ContactOverdue {
		t.Fatalf("view = %+v", v)
	}
	if _, err := h.Complaints(ctx, h.At(5)); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk reading the register: %v", err)
	}
	if _, err := h.AddComplaintStatus(ctx, h.At(0), c.ID, hall.StepClosed, "结案"); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("closing before the reply: %v", err)
	}
	// Tuesday: the contact limit (Monday) has passed.
	h.Clock.Advance(4 * 24 * time.Hour)
	views, _ = h.Complaints(ctx, h.At(0))
	if !views[0].ContactOverdue || views[0].ReplyOverdue {
		t.Fatalf("on Tuesday: %+v", views[0])
	}
	tok := h.SignInDemoDirector(t) // the day's turn ended the director's session
	if _, err := h.AddComplaintStatus(ctx, tok, c.ID, hall.StepContacted, "已电话联系客户，致歉并说明原因"); err != nil {
		t.Fatal(err)
	}
	h = h.Restart(t)
	if _, err := h.AddComplaintStatus(ctx, tok, c.ID, hall.StepReplied, "答复：已调整停电通知流程"); err != nil {
		t.Fatal(err)
	}
	views, _ = h.Complaints(ctx, tok)
	if len(views) != 1 || len(views[0].Statuses) != 2 || !views[0].Replied || views[0].ContactOverdue {
		t.Fatalf("after contact and reply: %+v", views)
	}
	if _, err := h.AddComplaintStatus(ctx, tok, c.ID, hall.StepClosed, "客户满意，结案"); err != nil {
		t.Fatal(err)
	}
	if views, _ := h.Complaints(ctx, tok); len(views) != 0 {
		t.Fatalf("closed complaint still listed: %+v", views)
	}
	if _, err := h.AddComplaintStatus(ctx, tok, c.ID, hall.StepContacted, "x"); !errors.Is(err, hall.ErrUnknownMatter) {
		t.Fatalf("a status after closing: %v", err)
	}
}
