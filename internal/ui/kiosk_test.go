package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// openKiosk opens the kiosk of h in a test window with its hall calls run
// inline and its timers fired by hand, and loads the hall.
func openKiosk(t *testing.T, h *halltest.Hall) (*kiosk, fyne.Window, *custTimers) {
	t.Helper()
	s := newTestSession(t, h)
	k := newKiosk(s)
	timers := &custTimers{}
	k.spawn, k.after = custInline, timers.after
	w := k.window()
	t.Cleanup(w.Close)
	kioskReload(t, k)
	return k, w, timers
}

func kioskReload(t *testing.T, k *kiosk) {
	t.Helper()
	if _, err := k.load(k.s.ctx); err != nil {
		t.Fatalf("load: %v", err)
	}
}

func kioskCardText(k *kiosk) (number, kind, ahead string) {
	return custTextOf(k.cardNumber), custTextOf(k.cardType), custTextOf(k.cardAhead)
}

func custTextOf(o interface{ String() string }) string { return o.String() }

func TestKioskShowsTypes(t *testing.T) {
	h := halltest.New(t, nil)
	k, w, _ := openKiosk(t, h)
	if got, want := w.Title(), "城关供电营业厅 · 取号机"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	types := demo.DefaultTypes()
	if len(k.typeButton) != len(types) {
		t.Fatalf("%d type buttons, want %d", len(k.typeButton), len(types))
	}
	for i, bt := range types {
		b := k.typeGrid.Objects[i].(*toneButton)
		if b != k.typeButton[bt.Code] || b.Title() != bt.Name || b.Detail() != bt.Prefix+" 字头" || b.Disabled() {
			t.Errorf("button %d reads %q %q (disabled %v), want %q %q", i, b.Title(), b.Detail(), b.Disabled(), bt.Name, bt.Prefix+" 字头")
		}
	}
	if k.notices.box.Visible() {
		t.Error("notice bar shows with no notices")
	}
	if got := custTextOf(k.clock); got != "09:00:00" {
		t.Errorf("clock %q", got)
	}
	custFits(t, "kiosk", k.root)
	test.AssertRendersToMarkup(t, "kiosk/main.xml", w.Canvas())
}

func TestKioskIssuesEveryType(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	k, _, timers := openKiosk(t, h)
	after := h.LastSeq()

	for _, bt := range demo.DefaultTypes() {
		test.Tap(k.typeButton[bt.Code])
		if k.view != kioskCard {
			t.Fatalf("%s: view %d after a tap, want the card", bt.Code, k.view)
		}
		number, kind, ahead := kioskCardText(k)
		if want := bt.Prefix + "001"; number != want || kind != bt.Name || ahead != "前方等待0人" {
			t.Errorf("%s: card %q %q %q, want %q %q 前方等待0人", bt.Code, number, kind, ahead, want, bt.Name)
		}
		if got := custTextOf(k.cardTime); got != "城关供电营业厅 · 取号时间 09:00:00" {
			t.Errorf("%s: card time %q", bt.Code, got)
		}
		if got := custTextOf(k.cardPriority); got != kioskWatch {
			t.Errorf("%s: a normal ticket's card reads %q, want %q", bt.Code, got, kioskWatch)
		}
		// The card clears itself: the next customer sees only the types.
		if !timers.fire(kioskCardFor) {
			t.Fatalf("%s: no timer clears the card", bt.Code)
		}
		if n, _, _ := kioskCardText(k); k.view != kioskChoose || n != "" {
			t.Fatalf("%s: after the timer view %d, card number %q; want the types and no number", bt.Code, k.view, n)
		}
	}

	issued := custEventsOf[hall.TicketEvent](t, h, after, hall.KindTicketIssued)
	if len(issued) != len(demo.DefaultTypes()) {
		t.Fatalf("%d tickets issued, want %d", len(issued), len(demo.DefaultTypes()))
	}
	for i, bt := range demo.DefaultTypes() {
		if tk := issued[i].Ticket; tk.Type != bt.Code || tk.Priority != hall.Normal || tk.Number != bt.Prefix+"001" {
			t.Errorf("ticket %d is %s %s class %d, want %s normal", i, tk.Number, tk.Type, tk.Priority, bt.Code)
		}
	}
	o, err := h.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range o.Types {
		if st.Issued != 1 || st.Waiting != 1 {
			t.Errorf("%s issued %d waiting %d, want 1 and 1", st.Type.Code, st.Issued, st.Waiting)
		}
	}
}

func TestKioskCountsAhead(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	for range 2 {
		if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
			t.Fatal(err)
		}
	}
	k, _, _ := openKiosk(t, h)
	test.Tap(k.typeButton[demo.TypeFee])
	if n, _, ahead := kioskCardText(k); n != "A003" || ahead != "前方等待2人" {
		t.Errorf("card %q %q, want A003 前方等待2人", n, ahead)
	}
	// 完成 clears the card before its time.
	test.Tap(k.cardDone)
	if k.view != kioskChoose {
		t.Fatalf("view %d after 完成, want the types", k.view)
	}
	// A priority ticket waits only for earlier priority ones.
	test.Tap(k.elderly)
	test.Tap(k.typeButton[demo.TypeFee])
	if n, _, ahead := kioskCardText(k); n != "A004" || ahead != "前方等待0人" {
		t.Errorf("priority card %q %q, want A004 前方等待0人", n, ahead)
	}
}

func TestKioskPriorityClasses(t *testing.T) {
	h := halltest.New(t, nil)
	k, w, timers := openKiosk(t, h)
	after := h.LastSeq()

	for _, c := range []struct {
		button *toneButton
		p      hall.Priority
		code   string
	}{{k.elderly, hall.Elderly, demo.TypeConsult}, {k.disabled, hall.Disabled, demo.TypeRepair}} {
		test.Tap(c.button)
		if k.prio != c.p || c.button.tone != tonePriorityOn {
			t.Fatalf("%s: class %d after a tap, button tone %+v; want it chosen and highlighted", c.p.Label(), k.prio, c.button.tone)
		}
		if got, want := custTextOf(k.hint), "已选择"+c.p.Label()+"优先服务，请点选下方业务取号"; got != want {
			t.Errorf("%s: hint %q, want %q", c.p.Label(), got, want)
		}
		if c.p == hall.Elderly {
			relayout(w)
			test.AssertRendersToMarkup(t, "kiosk/elderly.xml", w.Canvas())
		}
		test.Tap(k.typeButton[c.code])
		_, kind, _ := kioskCardText(k)
		if !strings.HasSuffix(kind, " · "+c.p.Label()+"优先") {
			t.Errorf("%s: card kind %q, want the class named", c.p.Label(), kind)
		}
		if custTextOf(k.cardPriority) != kioskPriorityLine {
			t.Errorf("%s: card lacks the line %q", c.p.Label(), kioskPriorityLine)
		}
		// The class is for one ticket only.
		if k.prio != hall.Normal || c.button.tone != tonePriorityOff {
			t.Errorf("%s: class %d still chosen after the ticket", c.p.Label(), k.prio)
		}
		timers.fire(kioskCardFor)
	}

	issued := custEventsOf[hall.TicketEvent](t, h, after, hall.KindTicketIssued)
	if len(issued) != 2 || issued[0].Ticket.Priority != hall.Elderly || issued[1].Ticket.Priority != hall.Disabled {
		t.Fatalf("issued %+v, want an elderly then a disabled ticket", issued)
	}
	if issued[0].Ticket.Number != "D001" || issued[1].Ticket.Number != "E001" {
		t.Errorf("numbers %s %s, want D001 E001", issued[0].Ticket.Number, issued[1].Ticket.Number)
	}

	// A second tap takes the choice back; a choice nobody uses expires.
	test.Tap(k.elderly)
	test.Tap(k.elderly)
	if k.prio != hall.Normal {
		t.Errorf("class %d after two taps, want normal", k.prio)
	}
	test.Tap(k.disabled)
	if !timers.fire(kioskChoiceFor) {
		t.Fatal("no timer forgets the chosen class")
	}
	if k.prio != hall.Normal || custTextOf(k.hint) != kioskPriorityHint {
		t.Errorf("class %d, hint %q after the choice expired; want normal and the plain hint", k.prio, custTextOf(k.hint))
	}
}

func TestKioskDailyCap(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	fee := demo.DefaultTypes()[0]
	fee.DailyCap = 1
	if _, err := h.SaveType(ctx, fee); err != nil {
		t.Fatal(err)
	}
	k, _, timers := openKiosk(t, h)
	if b := k.typeButton[fee.Code]; b.Disabled() || b.Detail() != "A 字头 · 今日余号 1" {
		t.Fatalf("fee button %q disabled %v before the cap, want enabled with one left", b.Detail(), b.Disabled())
	}
	test.Tap(k.typeButton[fee.Code])
	if n, _, _ := kioskCardText(k); n != "A001" {
		t.Fatalf("card %q, want A001", n)
	}
	timers.fire(kioskCardFor)
	kioskReload(t, k) // as the ticket's event makes the live kiosk do
	b := k.typeButton[fee.Code]
	if !b.Disabled() || b.Detail() != "今日号已取完" {
		t.Fatalf("fee button %q disabled %v at the cap, want disabled with 今日号已取完", b.Detail(), b.Disabled())
	}
	seq := h.LastSeq()
	test.Tap(b)
	if k.view != kioskChoose || h.LastSeq() != seq {
		t.Error("a disabled button issued a ticket")
	}
	if other := k.typeButton[demo.TypeRepair]; other.Disabled() {
		t.Error("an uncapped type is disabled")
	}

	// The cap reached at another kiosk while this one still offered the
	// type: the hall refuses, and the kiosk says so, large.
	fee.DailyCap = 2
	if _, err := h.SaveType(ctx, fee); err != nil {
		t.Fatal(err)
	}
	kioskReload(t, k)
	if _, err := h.Issue(ctx, fee.Code, hall.Normal); err != nil {
		t.Fatal(err)
	}
	test.Tap(k.typeButton[fee.Code])
	if k.view != kioskMessage {
		t.Fatalf("view %d, want the refusal", k.view)
	}
	if got, want := custTextOf(k.messageText), "「交纳电费」今日号已取完"; got != want {
		t.Errorf("refusal %q, want %q", got, want)
	}
	if !timers.fire(kioskCardFor) || k.view != kioskChoose {
		t.Error("the refusal does not clear itself")
	}
}

func TestKioskHidesRetiredTypes(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	k, _, _ := openKiosk(t, h)
	if _, err := h.RetireType(ctx, demo.TypeComplaint); err != nil {
		t.Fatal(err)
	}
	kioskReload(t, k)
	if _, ok := k.typeButton[demo.TypeComplaint]; ok || len(k.typeGrid.Objects) != 5 {
		t.Errorf("%d buttons, retired type shown %v; want 5 without it", len(k.typeGrid.Objects), ok)
	}
}

func TestKioskShowsNotices(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	k, _, _ := openKiosk(t, h)
	until := h.Clock.Now().Add(2 * time.Hour)
	if _, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeOutage, Text: "东街片区今日14:00至16:00计划停电", Until: until}); err != nil {
		t.Fatal(err)
	}
	kioskReload(t, k)
	if got, want := k.notices.text(), "【停电公告】东街片区今日14:00至16:00计划停电"; got != want {
		t.Errorf("notice %q, want %q", got, want)
	}
	if !custSameColor(k.notices.rect.FillColor, noticeOutage) {
		t.Errorf("outage notice colour %v, want orange", k.notices.rect.FillColor)
	}
	if _, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeEmergency, Text: "全县电网故障抢修中，部分业务暂停", Until: until}); err != nil {
		t.Fatal(err)
	}
	kioskReload(t, k)
	if !strings.HasPrefix(k.notices.text(), "【紧急通知】") || !custSameColor(k.notices.rect.FillColor, noticeEmergency) {
		t.Errorf("notice %q colour %v, want the emergency first, in red", k.notices.text(), k.notices.rect.FillColor)
	}
	// Notices end by time, without an event: the minute's reload sees it.
	h.Clock.Advance(3 * time.Hour)
	kioskReload(t, k)
	if k.notices.box.Visible() || k.notices.text() != "" {
		t.Errorf("expired notices still show: %q", k.notices.text())
	}
}

func TestKioskLargeModeFits(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	if _, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeOutage,
		Text:  "因10千伏城东线路检修，城关镇东街、南街片区11月28日8:00至18:00停电，请提前做好准备，给您带来不便敬请谅解。",
		Until: h.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	k, w, _ := openKiosk(t, h)
	test.Tap(k.frame.toggle)
	if !k.frame.large {
		t.Fatal("长者模式 did not switch on")
	}
	custFits(t, "kiosk in 长者模式 with a notice", k.root)
	test.Tap(k.typeButton[demo.TypeConsult])
	custFits(t, "kiosk card in 长者模式", k.root)
	relayout(w)
	test.AssertRendersToMarkup(t, "kiosk/card-large.xml", w.Canvas())
}

func TestKioskShowsHallErrors(t *testing.T) {
	h := halltest.New(t, nil)
	k, _, _ := openKiosk(t, h)
	// The hall's store is gone: the kiosk says so in plain Chinese.
	if err := h.DB.Close(); err != nil {
		t.Fatal(err)
	}
	test.Tap(k.typeButton[demo.TypeFee])
	if k.view != kioskMessage || custTextOf(k.messageText) == "" {
		t.Fatalf("view %d message %q after a failed issue, want the message", k.view, custTextOf(k.messageText))
	}
	if strings.ContainsFunc(custTextOf(k.messageText), func(r rune) bool { return r < 0x80 && r != ' ' }) {
		t.Errorf("message %q is not plain Chinese", custTextOf(k.messageText))
	}
}
