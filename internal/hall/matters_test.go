package hall_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

func TestMasking(t *testing.T) {
	tests := []struct{ in, phone, name string }{
		{"13812345678", "138****5678", ""},
		{"0571-8765432", "057*****5432", ""},
		{"95598", "***98", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := hall.MaskPhone(tt.in); got != tt.phone {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.phone)
		}
	}
	names := map[string]string{"张三": "张*", "欧阳娜娜": "欧***", "李": "*", "": ""}
	for in, want := range names {
		if got := hall.MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscalationStaysWithItsOwnerUntilTheReply(t *testing.T) {
	h := halltest.New(t, nil)
	mustIssue(t, h, demo.TypeConsult, hall.Normal)
	c := mustCall(t, h, 1)
	in := hall.EscalationInput{Need: "要求核查上月电费异常", Assignee: "营销部电费班", Due: "2026-12-04",
		Contact: hall.Contact{Name: "王建国", Phone: "13812345678"}}
	bad := in
	bad.Due = "2026-11-01"
	if _, err := h.Escalate(ctx, h.At(1), bad); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("due in the past: %v", err)
	}
	bad = in
	bad.Contact.Phone = ""
	if _, err := h.Escalate(ctx, h.At(1), bad); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("no phone to reply to: %v", err)
	}
	e, err := h.Escalate(ctx, h.At(1), in)
	if err != nil {
		t.Fatal(err)
	}
	if e.Owner != "1001" || e.Number != c.Ticket.Number || e.Contact.Phone != "138****5678" || e.Contact.Name != "王**" {
		t.Fatalf("escalation = %+v", e)
	}
	// Another clerk neither sees it nor closes it; the director sees all.
	if l, _ := h.Escalations(ctx, h.At(2)); len(l) != 0 {
		t.Fatalf("clerk 1002 sees %d escalations of 1001", len(l))
	}
	if _, err := h.ReplyEscalation(ctx, h.At(2), e.ID, "已答复"); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("another clerk replying: %v", err)
	}
	if l, _ := h.Escalations(ctx, h.At(0)); len(l) != 1 || l[0].Contact.Phone != "138****5678" {
		t.Fatalf("director's list = %+v", l)
	}
	full, err := h.EscalationRecord(ctx, h.At(1), e.ID)
	if err != nil || full.Contact.Phone != "13812345678" {
		t.Fatalf("owner's record: %+v, %v", full, err)
	}
	// Open across a restart; closed only with a reply.
	h = h.Restart(t)
	if _, err := h.ReplyEscalation(ctx, h.At(1), e.ID, "  "); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("empty reply: %v", err)
	}
	r, err := h.ReplyEscalation(ctx, h.At(1), e.ID, "经核查为抄表差错，已退补，电话告知客户")
	if err != nil || !r.Closed() || r.RepliedBy != "1001" {
		t.Fatalf("reply: %+v, %v", r, err)
	}
	if l, _ := h.Escalations(ctx, h.At(1)); len(l) != 0 {
		t.Fatalf("closed escalation still listed: %+v", l)
	}
	// No event carries the phone or the name in full.
	evs, _ := h.DB.Events(ctx, 0, 10000)
	for _, ev := range evs {
		if bytes.Contains(ev.Payload, []byte("13812345678")) || bytes.Contains(ev.Payload, []byte("王建国")) {
			t.Fatalf("event %d (%s) holds the customer's contact in full", ev.Seq, ev.Kind)
		}
	}
}

func TestComplaintsAndFaultReportsAreRecordedMasked(t *testing.T) {
	h := halltest.New(t, nil)
	if _, err := h.RecordComplaint(ctx, h.At(5), hall.ComplaintInput{What: " "}); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("empty complaint: %v", err)
	}
	c, err := h.RecordComplaint(ctx, h.At(5), hall.ComplaintInput{What: "抄表员态度恶劣", Where: "城关镇幸福小区", Occurred: "11月25日上午",
		Contact: hall.Contact{Name: "赵磊", Phone: "13900001111"}})
	if err != nil || c.Contact.Phone != "139****1111" || c.Clerk != "1005" {
		t.Fatalf("complaint: %+v, %v", c, err)
	}
	if _, err := h.RecordFault(ctx, h.At(5), hall.FaultInput{What: "整栋楼停电", Where: "东街12号"}); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("fault without a phone: %v", err)
	}
	f, err := h.RecordFault(ctx, h.At(0), hall.FaultInput{What: "整栋楼停电", Where: "东街12号", Occurred: "半小时前",
		Contact: hall.Contact{Phone: "13700002222"}})
	if err != nil || f.Counter != 0 || f.Contact.Phone != "137****2222" {
		t.Fatalf("fault from the director's desk: %+v, %v", f, err)
	}
	evs, _ := h.DB.Events(ctx, 0, 10000)
	kinds := map[hall.Kind]bool{}
	for _, ev := range evs {
		kinds[ev.Kind] = true
		if bytes.Contains(ev.Payload, []byte("13900001111")) || bytes.Contains(ev.Payload, []byte("13700002222")) {
			t.Fatalf("event %d holds a phone in full", ev.Seq)
		}
	}
	if !kinds[hall.KindComplaintRecord] || !kinds[hall.KindFaultRecorded] {
		t.Fatalf("events: %v", kinds)
	}
}

func TestProxyWaitsForTheCustomersConfirmation(t *testing.T) {
	h := halltest.New(t, nil)
	mustIssue(t, h, demo.TypeChange, hall.Disabled)
	mustCall(t, h, 3)
	if _, err := h.RecordProxy(ctx, h.At(3), "代填变更用电申请书"); !errors.Is(err, hall.ErrNotServing) {
		t.Fatalf("proxy before serving: %v", err)
	}
	h.Start(ctx, h.At(3))
	p, err := h.RecordProxy(ctx, h.At(3), "代填变更用电申请书，代为复印身份证件")
	if err != nil || p.State != hall.ProxyPending {
		t.Fatalf("record proxy: %+v, %v", p, err)
	}
	if _, err := h.RecordProxy(ctx, h.At(3), "再一条"); !errors.Is(err, hall.ErrProxyPending) {
		t.Fatalf("second pending proxy: %v", err)
	}
	h = h.Restart(t)
	got, err := h.PendingProxy(ctx, 3)
	if err != nil || got == nil || got.ID != p.ID {
		t.Fatalf("pending after restart: %+v, %v", got, err)
	}
	if _, err := h.DecideProxy(ctx, 4, p.ID, true); !errors.Is(err, hall.ErrUnknownMatter) {
		t.Fatalf("confirming at another counter: %v", err)
	}
	d, err := h.DecideProxy(ctx, 3, p.ID, true)
	if err != nil || d.State != hall.ProxyConfirmed {
		t.Fatalf("confirm: %+v, %v", d, err)
	}
	if got, _ := h.PendingProxy(ctx, 3); got != nil {
		t.Fatalf("still pending: %+v", got)
	}
}

func TestScriptsAreHallDataWithDefaults(t *testing.T) {
	h := halltest.New(t, nil)
	s, err := h.Scripts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Greeting != "您好！请坐。" || s.ReceivePhrase("身份证件") != "收到您身份证件。" ||
		s.CashChangePhrase(7950) != "这是您的找零79.50元，请点清。" || len(s.MaterialsFor(demo.TypeConnect)) == 0 {
		t.Fatalf("defaults: %+v", s)
	}
	s.Farewell = "请慢走，欢迎再来！"
	s.Materials[demo.TypeRepair] = []string{"故障照片"}
	if err := h.SaveScripts(ctx, h.At(1), s); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk editing scripts: %v", err)
	}
	broken := s
	broken.CashChange = "找零，请点清"
	if err := h.SaveScripts(ctx, h.At(0), broken); !errors.Is(err, hall.ErrInvalid) || !strings.Contains(hall.Message(err), "{amount}") {
		t.Fatalf("script without its placeholder: %v", err)
	}
	if err := h.SaveScripts(ctx, h.At(0), s); err != nil {
		t.Fatal(err)
	}
	h = h.Restart(t)
	got, _ := h.Scripts(ctx)
	if got.Farewell != "请慢走，欢迎再来！" || got.MaterialsFor(demo.TypeRepair)[0] != "故障照片" {
		t.Fatalf("after restart: %+v", got)
	}
}
