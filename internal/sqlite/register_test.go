package sqlite_test

import (
	"fmt"
	"strings"
	"testing"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/sqlite"
)

// hallWithComplaints records n complaints and closes the database.
func hallWithComplaints(t *testing.T, n int) (string, hall.RegisterHead) {
	t.Helper()
	h := halltest.New(t, nil)
	for i := 0; i < n; i++ {
		if _, err := h.RecordComplaint(ctx, h.At(1+i%5), hall.ComplaintInput{What: fmt.Sprintf("第%d条投诉：等候时间过长", i+1),
			Where: "营业厅", Contact: hall.Contact{Name: "王建国", Phone: fmt.Sprintf("1381234%04d", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	head, err := h.DB.RegisterHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h.DB.Close()
	return h.Path, head
}

func TestRegisterGrowsWithEveryComplaint(t *testing.T) {
	_, head := hallWithComplaints(t, 7)
	if head.Size != 7 || head.Root == ([32]byte{}) {
		t.Fatalf("head = %+v, want size 7 and a root", head)
	}
	_, head2 := hallWithComplaints(t, 7)
	if head2.Root == head.Root {
		t.Fatal("two registers of different complaints (other salts, IDs) have the same root")
	}
}

func TestVerifyNamesTheFirstDamagedRecordInTheRegister(t *testing.T) {
	dropTriggers := `DROP TRIGGER complaints_immutable_update; DROP TRIGGER complaints_immutable_delete;
		DROP TRIGGER register_leaves_immutable_update; DROP TRIGGER register_leaves_immutable_delete;
		DROP TRIGGER register_hashes_immutable_update; DROP TRIGGER register_hashes_immutable_delete;`
	tests := []struct {
		name   string
		tamper string
		want   string
	}{
		{"intact", "", ""},
		{"complaint deleted", `DELETE FROM complaints WHERE id = (SELECT record_id FROM register_leaves WHERE idx = 2)`, "已被删除（登记簿第 2 条）"},
		{"complaint edited", `UPDATE complaints SET what = '已处理' WHERE id = (SELECT record_id FROM register_leaves WHERE idx = 3)`, "内容被改动（登记簿第 3 条）"},
		{"contact edited", `UPDATE complaints SET contact_phone = '13900000000' WHERE id = (SELECT record_id FROM register_leaves WHERE idx = 1)`, "内容被改动（登记簿第 1 条）"},
		{"leaf deleted", `DELETE FROM register_leaves WHERE idx = 4`, "第 5 条之前缺少记录"},
		{"last leaf deleted", `DELETE FROM register_leaves WHERE idx = 5`, "不在登记簿中"},
		{"leaves reordered", `UPDATE register_leaves SET idx = idx + 100 WHERE idx IN (1, 2);
			UPDATE register_leaves SET idx = 2 WHERE idx = 101; UPDATE register_leaves SET idx = 1 WHERE idx = 102;`, "哈希树"},
		{"leaf and complaint rewritten together", `UPDATE complaints SET what = 'x' WHERE id = (SELECT record_id FROM register_leaves WHERE idx = 0);
			UPDATE register_leaves SET leaf = CAST(replace(CAST(leaf AS TEXT), '第1条投诉：等候时间过长', 'x') AS BLOB) WHERE idx = 0`, "哈希树"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, _ := hallWithComplaints(t, 6)
			if tt.tamper != "" {
				if _, err := rawDB(t, path).Exec(dropTriggers + tt.tamper); err != nil {
					t.Fatal(err)
				}
			}
			r, err := sqlite.Verify(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if !r.OK() {
					t.Fatalf("intact register: %v", r.Problems)
				}
				return
			}
			if r.OK() || !strings.Contains(strings.Join(r.Problems, "\n"), tt.want) {
				t.Fatalf("problems = %v, want one saying %q", r.Problems, tt.want)
			}
		})
	}
}

func TestVerifyCatchesAnEditedLogEntry(t *testing.T) {
	h := halltest.New(t, nil)
	if _, err := h.AddLog(ctx, h.At(0), hall.LogIncident, "14:20 二楼停电，启动应急预案", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := h.RecordComplaint(ctx, h.At(0), hall.ComplaintInput{What: "停电未提前通知"}); err != nil {
		t.Fatal(err)
	}
	path := h.Path
	h.DB.Close()
	if r, err := sqlite.Verify(ctx, path); err != nil || !r.OK() {
		t.Fatalf("intact: %+v, %v", r, err)
	}
	raw := rawDB(t, path)
	if _, err := raw.Exec(`UPDATE director_log SET text = 'x'`); err == nil {
		t.Fatal("a log entry was edited in place")
	}
	if _, err := raw.Exec(`DROP TRIGGER director_log_immutable_update; UPDATE director_log SET text = '一切正常'`); err != nil {
		t.Fatal(err)
	}
	r, err := sqlite.Verify(ctx, path)
	if err != nil || r.OK() || !strings.Contains(strings.Join(r.Problems, ""), "值班日志") {
		t.Fatalf("edited log: %+v, %v", r.Problems, err)
	}
}

func TestVerifyCatchesAnEditedComplaintStatus(t *testing.T) {
	h := halltest.New(t, nil)
	c, err := h.RecordComplaint(ctx, h.At(0), hall.ComplaintInput{What: "营业员态度生硬"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.AddComplaintStatus(ctx, h.At(0), c.ID, hall.StepContacted, "已联系客户并致歉"); err != nil {
		t.Fatal(err)
	}
	path := h.Path
	h.DB.Close()
	if r, err := sqlite.Verify(ctx, path); err != nil || !r.OK() {
		t.Fatalf("intact: %+v, %v", r.Problems, err)
	}
	raw := rawDB(t, path)
	if _, err := raw.Exec(`DELETE FROM complaint_status`); err == nil {
		t.Fatal("a status record was deleted")
	}
	if _, err := raw.Exec(`DROP TRIGGER complaint_status_immutable_update; UPDATE complaint_status SET step = 'replied'`); err != nil {
		t.Fatal(err)
	}
	r, err := sqlite.Verify(ctx, path)
	if err != nil || r.OK() || !strings.Contains(strings.Join(r.Problems, ""), "投诉处理记录") {
		t.Fatalf("edited status: %+v, %v", r.Problems, err)
	}
}
