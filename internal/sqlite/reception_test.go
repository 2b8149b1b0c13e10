package sqlite_test

import (
	"strings"
	"testing"
	"time"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

// hallWithVisit schedules a reception day for today, records a visit with a
// follow-up and a patrol, and closes the database.
func hallWithVisit(t *testing.T) string {
	t.Helper()
	h := halltest.New(t, nil)
	r, err := h.ScheduleReception(ctx, h.At(0), hall.ReceptionInput{Day: "2026-11-27", Hours: "09:00-11:00", Leader: "副总经理 王建国", Place: "二楼接待室"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := h.RecordVisit(ctx, h.At(0), hall.VisitInput{ReceptionID: r.ID, Contact: hall.Contact{Name: "李红梅", Phone: "13812345678"},
		Matter: "小区频繁停电", Commitment: "一周内排查线路", Deadline: "2026-12-04"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.AddVisitNote(ctx, h.At(0), v.ID, "已安排运检班排查", false); err != nil {
		t.Fatal(err)
	}
	if _, err := h.RecordPatrol(ctx, h.At(0), hall.PatrolInput{Results: []hall.PatrolResultInput{{Counter: 1, Failed: []string{"language"}, Note: "注意使用普通话"}}}); err != nil {
		t.Fatal(err)
	}
	h.DB.Close()
	return h.Path
}

func TestVisitRecordsAndPatrolsAreAppendOnlyAndInTheRegister(t *testing.T) {
	path := hallWithVisit(t)
	if r, err := sqlite.Verify(ctx, path); err != nil || !r.OK() {
		t.Fatalf("intact: %+v, %v", r, err)
	}
	raw := rawDB(t, path)
	for _, q := range []string{
		`UPDATE reception_visits SET commitment = '无'`,
		`DELETE FROM reception_visits`,
		`UPDATE reception_notes SET note = 'x'`,
		`DELETE FROM reception_notes`,
		`UPDATE patrol_results SET score = 100`,
		`DELETE FROM patrols`,
		`DELETE FROM reception_days`,
		`UPDATE reception_days SET leader = '别人'`,
	} {
		if _, err := raw.Exec(q); err == nil {
			t.Errorf("the store let %q through", q)
		}
	}
	var phones int
	if err := raw.QueryRow(`SELECT count(*) FROM register_leaves WHERE CAST(leaf AS TEXT) LIKE '%13812345678%' OR CAST(leaf AS TEXT) LIKE '%李红梅%'`).Scan(&phones); err != nil || phones != 0 {
		t.Fatalf("the visitor's contact is in %d leaves (%v): it must enter only as a salted hash", phones, err)
	}
	if r, err := sqlite.Verify(ctx, path); err != nil || !r.OK() {
		t.Fatalf("after refused tampering: %+v, %v", r, err)
	}
}

func TestVerifyCatchesADeletedOrEditedVisit(t *testing.T) {
	for name, tamper := range map[string]string{
		"visit edited":    `DROP TRIGGER reception_visits_immutable_update; UPDATE reception_visits SET commitment = '不予处理'`,
		"contact edited":  `DROP TRIGGER reception_visits_immutable_update; UPDATE reception_visits SET contact_phone = '13900000000'`,
		"note deleted":    `DROP TRIGGER reception_notes_immutable_delete; DELETE FROM reception_notes`,
		"visit and notes": `DROP TRIGGER reception_notes_immutable_delete; DROP TRIGGER reception_visits_immutable_delete; DELETE FROM reception_notes; DELETE FROM reception_visits`,
	} {
		t.Run(name, func(t *testing.T) {
			path := hallWithVisit(t)
			if _, err := rawDB(t, path).Exec(tamper); err != nil {
				t.Fatal(err)
			}
			r, err := sqlite.Verify(ctx, path)
			if err != nil || r.OK() || !strings.Contains(strings.Join(r.Problems, ""), "已被删除或改动") {
				t.Fatalf("%s: %+v, %v", name, r.Problems, err)
			}
		})
	}
}

func TestComplaintHistoryKeepsClosedComplaints(t *testing.T) {
	h := halltest.New(t, nil)
	c, err := h.RecordComplaint(ctx, h.At(1), hall.ComplaintInput{What: "排队时间长", Contact: hall.Contact{Name: "张三", Phone: "13711112222"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []hall.ComplaintStep{hall.StepContacted, hall.StepReplied, hall.StepClosed} {
		if _, err := h.AddComplaintStatus(ctx, h.At(0), c.ID, s, "按规定处理："+s.Label()); err != nil {
			t.Fatal(err)
		}
	}
	h.Clock.Advance(24 * time.Hour) // the next day's complaint is outside the range
	if _, err := h.RecordComplaint(ctx, h.SignInDemoDirector(t), hall.ComplaintInput{What: "第二天的投诉"}); err != nil {
		t.Fatal(err)
	}
	if open, _ := h.Complaints(ctx, h.At(0)); len(open) != 1 {
		t.Fatalf("open = %d, want 1", len(open))
	}
	hist, err := h.ComplaintHistory(ctx, h.At(0), "2026-11-27", "2026-11-27")
	if err != nil || len(hist) != 1 || !hist[0].Closed || len(hist[0].Statuses) != 3 || hist[0].Complaint.Contact.Phone != "137****2222" {
		t.Fatalf("history = %+v, %v", hist, err)
	}
	if both, _ := h.ComplaintHistory(ctx, h.At(0), "2026-11-27", "2026-11-28"); len(both) != 2 {
		t.Fatalf("two days: %d complaints, want 2", len(both))
	}
	if _, err := h.ComplaintHistory(ctx, h.At(0), "2026-11-28", "2026-11-27"); err == nil {
		t.Fatal("a reversed range was accepted")
	}
}
