package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// serving signs in at counter 1 and starts serving a new ticket of typ.
func servingCounter(t *testing.T, h *halltest.Hall, typ string) (*counterScreen, hall.Ticket) {
	t.Helper()
	cs, w := signedInCounter(t, h)
	tk := issueTicket(t, h, typ, hall.Normal)
	pressKey(w, keyCall)
	pressKey(w, keyStart)
	if cs.status.Ticket == nil || cs.status.Ticket.State != hall.Serving {
		t.Fatalf("not serving: %s", cs.statusLine.Text)
	}
	return cs, tk
}

func TestCounterMaterials(t *testing.T) {
	h := halltest.New(t, nil)
	cs, _ := servingCounter(t, h, demo.TypeFee)
	if got, want := cs.materialItems, []string{"电费通知单"}; len(got) != 1 || got[0] != want[0] {
		t.Fatalf("materials %q, want %q", got, want)
	}
	ret := cs.materialReturns[0]
	if !ret.Disabled() {
		t.Error("归还 enabled before the document was received")
	}
	test.Tap(cs.materialChecks[0])
	if got, want := cs.materialPhrase.Text, "收到您电费通知单。"; got != want {
		t.Errorf("receive phrase %q, want %q", got, want)
	}
	test.Tap(ret)
	if got, want := cs.materialPhrase.Text, "这是您的电费通知单，请收好。"; got != want {
		t.Errorf("return phrase %q, want %q", got, want)
	}
	if !ret.Disabled() || ret.Text != "已归还" {
		t.Errorf("归还 button after return: disabled %v text %q", ret.Disabled(), ret.Text)
	}

	// A consult ticket has no documents; the list resets.
	pressKey(cs.win, keyFinish)
	issueTicket(t, h, demo.TypeConsult, hall.Normal)
	pressKey(cs.win, keyCall)
	if len(cs.materialChecks) != 0 || cs.materialPhrase.Text != "" {
		t.Errorf("materials not reset: %d items, phrase %q", len(cs.materialChecks), cs.materialPhrase.Text)
	}
	if got := cs.materialsTitle.Text; got != "业务咨询与查询：本业务无需收取资料" {
		t.Errorf("materials title %q", got)
	}
}

func TestCounterMaterialsForConnect(t *testing.T) {
	h := halltest.New(t, nil)
	cs, w := openCounter(t, h, 3)
	signIn(t, cs, "1003", demo.PIN)
	issueTicket(t, h, demo.TypeConnect, hall.Normal)
	pressKey(w, keyCall)
	want := hall.DefaultScripts().MaterialsFor(demo.TypeConnect)
	if len(cs.materialChecks) != len(want) {
		t.Fatalf("%d materials, want %d", len(cs.materialChecks), len(want))
	}
	test.Tap(cs.materialChecks[1])
	if got := cs.materialPhrase.Text; got != "收到您"+want[1]+"。" {
		t.Errorf("receive phrase %q", got)
	}
	if got := cs.refusal.Text; got != hall.DefaultScripts().RefusalFor(demo.TypeConnect) {
		t.Errorf("refusal %q", got)
	}
}

func TestCounterCash(t *testing.T) {
	h := halltest.New(t, nil)
	cs, _ := servingCounter(t, h, demo.TypeFee)
	test.Type(cs.cashDue, "120.50")
	test.Type(cs.cashReceived, "200")
	for _, c := range []struct{ name, got, want string }{
		{"change", cs.cashChange.Text, "79.50"},
		{"change phrase", cs.cashChangePhrase.Text, "唱付：这是您的找零79.50元，请点清。"},
		{"received phrase", cs.cashReceivedPhrase.Text, "唱收：收到您200.00元。"},
		{"change daxie", cs.cashChangeDaxie.Text, "大写：柒拾玖元伍角"},
		{"due daxie", cs.cashDueDaxie.Text, "大写：壹佰贰拾元伍角"},
		{"received daxie", cs.cashReceivedDaxie.Text, "大写：贰佰元整"},
		{"due error", cs.cashDueErr.Text, ""},
		{"received error", cs.cashReceivedErr.Text, ""},
	} {
		if c.got != c.want {
			t.Errorf("%s shows %q, want %q", c.name, c.got, c.want)
		}
	}

	cs.cashReceived.SetText("120.50")
	if cs.cashChange.Text != "0.00" || cs.cashChangePhrase.Text != "无需找零" {
		t.Errorf("exact payment: change %q phrase %q", cs.cashChange.Text, cs.cashChangePhrase.Text)
	}

	// A new ticket clears the calculator.
	pressKey(cs.win, keyFinish)
	issueTicket(t, h, demo.TypeFee, hall.Normal)
	pressKey(cs.win, keyCall)
	if cs.cashDue.Text != "" || cs.cashChange.Text != "—" {
		t.Errorf("calculator not reset: due %q change %q", cs.cashDue.Text, cs.cashChange.Text)
	}
}

func TestCounterCashRefusesBadInput(t *testing.T) {
	h := halltest.New(t, nil)
	cs, _ := signedInCounter(t, h)
	tests := []struct {
		due, received       string
		wantDue, wantRecvd  string
		wantChange          string
		wantReceivedPhrases string
	}{
		{"-5", "", "应收金额：金额不能为负数", "", "—", ""},
		{"1.005", "", "应收金额：金额最多精确到分（小数点后两位）", "", "—", ""},
		{"12a", "", "应收金额：金额格式有误，请输入数字，例如 120.50", "", "—", ""},
		{"100", "80", "", "实收金额少于应收金额，还差 20.00 元", "—", "唱收：收到您80.00元。"},
		{"１２０．５", "２００元", "", "", "79.50", "唱收：收到您200.00元。"},
		{"100", "-1", "", "实收金额：金额不能为负数", "—", ""},
	}
	for _, tt := range tests {
		cs.cashDue.SetText(tt.due)
		cs.cashReceived.SetText(tt.received)
		if cs.cashDueErr.Text != tt.wantDue || cs.cashReceivedErr.Text != tt.wantRecvd ||
			cs.cashChange.Text != tt.wantChange || cs.cashReceivedPhrase.Text != tt.wantReceivedPhrases {
			t.Errorf("due %q received %q: errors %q / %q, change %q, phrase %q; want %q / %q, %q, %q",
				tt.due, tt.received, cs.cashDueErr.Text, cs.cashReceivedErr.Text, cs.cashChange.Text, cs.cashReceivedPhrase.Text,
				tt.wantDue, tt.wantRecvd, tt.wantChange, tt.wantReceivedPhrases)
		}
	}
	test.Tap(cs.cashClear)
	if cs.cashDue.Text != "" || cs.cashReceived.Text != "" || cs.cashReceivedErr.Text != "" {
		t.Error("清空 left something")
	}
}

func TestCounterEscalation(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, tk := servingCounter(t, h, demo.TypeFee)
	if got, want := cs.escDue.Text, "2026-12-04"; got != want {
		t.Errorf("default due %q, want %q", got, want)
	}
	if got := cs.escList.Objects; len(got) != 1 {
		t.Errorf("open escalations listed: %d rows, want the empty note", len(got))
	}

	cs.escDue.SetText("12/04")
	test.Tap(cs.escSubmit)
	if !strings.Contains(cs.escMsg.Text, "YYYY-MM-DD") {
		t.Errorf("bad date shows %q", cs.escMsg.Text)
	}
	cs.escDue.SetText("2026-12-04")
	test.Tap(cs.escSubmit)
	if cs.escMsg.Text == "" {
		t.Error("an empty need was accepted")
	}

	cs.escNeed.SetText("电表显示与账单读数不一致，需要现场核查")
	cs.escAssignee.SetText("营销部")
	cs.escName.SetText("张三")
	cs.escPhone.SetText("13812345678")
	test.Tap(cs.escSubmit)
	if cs.escMsg.Text != "" {
		t.Fatalf("escalation refused: %s", cs.escMsg.Text)
	}
	if got, want := cs.escPhrase.Text, "请告知客户：您的问题我已经详细记录，并提交给营销部，我们会在2026年12月4日前给您答复，请您保持电话畅通。"; got != want {
		t.Errorf("phrase %q, want %q", got, want)
	}
	if cs.escNeed.Text != "" || cs.escPhone.Text != "" {
		t.Error("form not cleared after saving")
	}
	evs := eventsOf(t, h, hall.KindEscalated)
	if len(evs) != 1 {
		t.Fatalf("%d escalation events, want 1", len(evs))
	}
	if p := string(evs[0].Payload); !strings.Contains(p, "138****5678") || strings.Contains(p, "13812345678") {
		t.Errorf("escalation event payload %s, want the phone masked", p)
	}
	escs, err := h.Escalations(ctx, cs.tok)
	if err != nil || len(escs) != 1 {
		t.Fatalf("stored escalations %v (%v), want 1", escs, err)
	}
	e := escs[0]
	if e.Owner != "1001" || e.Assignee != "营销部" || e.Due != "2026-12-04" || e.TicketID != tk.ID {
		t.Errorf("stored escalation %+v", e)
	}
	full, err := h.EscalationRecord(ctx, cs.tok, e.ID)
	if err != nil || full.Contact.Phone != "13812345678" || full.Contact.Name != "张三" {
		t.Errorf("full record contact %+v (%v)", full.Contact, err)
	}
	btn := cs.escReplyBtns[e.ID]
	if btn == nil {
		t.Fatal("no 录入答复 button for the escalation")
	}
	listed := labelsUnder(cs.escList)
	if !strings.Contains(listed, "138****5678") || strings.Contains(listed, "13812345678") || !strings.Contains(listed, "张*") {
		t.Errorf("list shows %q, want the contact masked", listed)
	}

	test.Tap(btn)
	if cs.replyDlg == nil {
		t.Fatal("no reply dialog")
	}
	test.Tap(cs.replyOK)
	if cs.replyMsg.Text == "" || cs.replyDlg == nil {
		t.Error("an empty reply was accepted")
	}
	cs.replyEntry.SetText("已现场核查，电表正常，已向客户解释")
	test.Tap(cs.replyOK)
	if cs.replyDlg != nil {
		t.Errorf("reply dialog still open: %q", cs.replyMsg.Text)
	}
	if escs, _ := h.Escalations(ctx, cs.tok); len(escs) != 0 {
		t.Errorf("%d open escalations after the reply", len(escs))
	}
	if n := len(eventsOf(t, h, hall.KindEscalationReply)); n != 1 {
		t.Errorf("%d reply events, want 1", n)
	}
	if len(cs.escReplyBtns) != 0 {
		t.Error("replied escalation still listed")
	}
}

// labelText joins the text of every label under o.
func labelsUnder(o fyne.CanvasObject) string {
	var parts []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *widget.Label:
			parts = append(parts, v.Text)
		case *widget.RichText:
			parts = append(parts, v.String())
		}
	}
	walk(o)
	return strings.Join(parts, "\n")
}

func TestCounterComplaintAndFault(t *testing.T) {
	h := halltest.New(t, nil)
	cs, _ := signedInCounter(t, h)

	f := cs.complaint
	test.Tap(f.submit)
	if f.msg.Text == "" {
		t.Error("an empty complaint was accepted")
	}
	f.what.SetText("抄表员态度恶劣")
	f.where.SetText("城关镇幸福小区")
	f.when.SetText("11月25日上午")
	f.name.SetText("王五")
	f.phone.SetText("13912345678")
	test.Tap(f.submit)
	if f.msg.Text != "" {
		t.Fatalf("complaint refused: %s", f.msg.Text)
	}
	if got, want := f.done.Text, "投诉已记录（09:00），联系人 王* 139****5678。"; got != want {
		t.Errorf("confirmation %q, want %q", got, want)
	}
	if f.what.Text != "" {
		t.Error("complaint form not cleared")
	}
	evs := eventsOf(t, h, hall.KindComplaintRecord)
	if len(evs) != 1 {
		t.Fatalf("%d complaint events, want 1", len(evs))
	}
	var c hall.Complaint
	if err := evs[0].Decode(&c); err != nil {
		t.Fatal(err)
	}
	if c.What != "抄表员态度恶劣" || c.Clerk != "1001" || c.Counter != 1 || c.Contact.Phone != "139****5678" {
		t.Errorf("complaint event %+v", c)
	}

	h.Clock.Advance(5 * time.Minute)
	g := cs.fault
	g.what.SetText("整栋楼停电")
	g.where.SetText("城关镇建设路12号")
	g.when.SetText("今天早上8点")
	g.name.SetText("赵六")
	g.phone.SetText("13712345678")
	test.Tap(g.submit)
	if g.msg.Text != "" {
		t.Fatalf("fault report refused: %s", g.msg.Text)
	}
	if got, want := g.done.Text, "报修已记录（09:05），联系人 赵* 137****5678。"; got != want {
		t.Errorf("confirmation %q, want %q", got, want)
	}
	evs = eventsOf(t, h, hall.KindFaultRecorded)
	if len(evs) != 1 {
		t.Fatalf("%d fault events, want 1", len(evs))
	}
	if p := string(evs[0].Payload); !strings.Contains(p, "137****5678") || strings.Contains(p, "13712345678") {
		t.Errorf("fault event payload %s, want the phone masked", p)
	}
}

func TestCounterProxy(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)

	// Only while serving.
	cs.proxySummary.SetText("代为填写用电申请书")
	test.Tap(cs.proxySubmit)
	if cs.proxyMsg.Text == "" {
		t.Error("代办 accepted with nobody being served")
	}

	issueTicket(t, h, demo.TypeFee, hall.Disabled)
	pressKey(w, keyCall)
	pressKey(w, keyStart)
	cs.proxySummary.SetText("代为填写用电申请书并签收")
	test.Tap(cs.proxySubmit)
	if cs.proxyMsg.Text != "" {
		t.Fatalf("代办 refused: %s", cs.proxyMsg.Text)
	}
	if got, want := cs.proxyScript.Text, "请对客户说："+hall.DefaultScripts().ProxyConfirm; got != want || !cs.proxyScript.Visible() {
		t.Errorf("proxy script %q (visible %v), want %q", got, cs.proxyScript.Visible(), want)
	}
	if !strings.Contains(cs.proxyState.Text, "待客户在屏幕上确认") {
		t.Errorf("proxy state %q", cs.proxyState.Text)
	}
	p, err := h.PendingProxy(ctx, 1)
	if err != nil || p == nil || p.Summary != "代为填写用电申请书并签收" || p.State != hall.ProxyPending {
		t.Fatalf("pending proxy %+v (%v)", p, err)
	}

	// The customer confirms on the customer screen; the event reaches the window.
	if _, err := h.DecideProxy(ctx, 1, p.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, e := range eventsOf(t, h, hall.KindProxyDecided) {
		cs.pending.note(e)
	}
	cs.refresh(cs.s.ctx, cs.tok, cs.gen)
	if !strings.Contains(cs.proxyState.Text, "客户已确认") {
		t.Errorf("proxy state after confirmation %q", cs.proxyState.Text)
	}
}

func TestCounterServingGolden(t *testing.T) {
	h := halltest.New(t, nil)
	cs, _ := servingCounter(t, h, demo.TypeFee)
	w := cs.win
	test.Tap(cs.materialChecks[0])
	cs.tabs.Select(cs.tabCash)
	cs.cashDue.SetText("120.50")
	cs.cashReceived.SetText("200")
	relayout(w)
	test.AssertRendersToMarkup(t, "counter/serving_cash.xml", w.Canvas())
}
