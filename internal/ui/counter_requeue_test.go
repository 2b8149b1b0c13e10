package ui

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// passThroughWindow calls the next customer at cs's counter, recalls as
// the hall asks and marks them 过号, all through the window's keys.
func passThroughWindow(t *testing.T, cs *counterScreen, w fyne.Window, id string) {
	t.Helper()
	pressKey(w, keyCall)
	if cs.status.Ticket == nil || cs.status.Ticket.ID != id {
		t.Fatalf("did not call %s: %q", id, cs.statusLine.Text)
	}
	pressKey(w, keyRecall)
	pressKey(w, keyRecall)
	pressKey(w, keyNoShow)
	if cs.status.Ticket != nil {
		t.Fatalf("not passed: %q", cs.statusLine.Text)
	}
}

// passAt does the same at counter n through the hall, as another clerk.
func passAt(t *testing.T, h *halltest.Hall, n int, id string) {
	t.Helper()
	ctx := context.Background()
	c, err := h.CallNext(ctx, h.At(n))
	if err != nil || c.Ticket.ID != id {
		t.Fatalf("counter %d called %s (%v), want %s", n, c.Ticket.Number, err, id)
	}
	for range 2 {
		if _, err := h.Recall(ctx, h.At(n)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.NoShow(ctx, h.At(n)); err != nil {
		t.Fatal(err)
	}
}

// A 过号 customer who comes back is put in the queue again from the
// clerk's window: the dialog lists the number, business and time passed,
// and the ticket waits again, after which the dialog no longer offers it.
func TestCounterRequeueNoShow(t *testing.T) {
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	if cs.requeueBtn.Disabled() || cs.requeueBtn.Text != "过号重排 (F7)" {
		t.Fatalf("requeue button %q disabled %v", cs.requeueBtn.Text, cs.requeueBtn.Disabled())
	}
	tk := issueTicket(t, h, demo.TypeFee, hall.Normal)
	passThroughWindow(t, cs, w, tk.ID)
	passed := ticketOf(t, h, tk.ID).EndedAt.In(cs.loc).Format("15:04")

	pressKey(w, keyRequeue)
	if cs.requeueDlg == nil {
		t.Fatal("no requeue dialog")
	}
	if want := []string{"A001 · 交纳电费 · " + passed + " 过号"}; len(cs.requeueChoice.Options) != 1 || cs.requeueChoice.Options[0] != want[0] {
		t.Fatalf("dialog offers %q, want %q", cs.requeueChoice.Options, want)
	}
	if !cs.requeueOK.Disabled() {
		t.Error("confirm enabled before a number is chosen")
	}
	// The caller's keys wait while the dialog shows.
	pressKey(w, keyCall)
	if cs.status.Ticket != nil {
		t.Error("F1 called behind the requeue dialog")
	}
	cs.requeueChoice.SetSelected(cs.requeueChoice.Options[0])
	test.Tap(cs.requeueOK)
	if cs.requeueDlg != nil {
		t.Error("dialog still showing")
	}
	got := ticketOf(t, h, tk.ID)
	if got.State != hall.Waiting || !got.Requeued {
		t.Errorf("stored ticket %s requeued %v, want waiting and requeued", got.State, got.Requeued)
	}
	if cs.statusLine.Text != "A001 已重新排队" {
		t.Errorf("status %q", cs.statusLine.Text)
	}
	if n := cs.status.Waiting[0].Waiting; n != 1 {
		t.Errorf("%d waiting for 交纳电费 after the requeue, want 1", n)
	}
	if len(eventsOf(t, h, hall.KindTicketRequeued)) != 1 {
		t.Error("no requeue event")
	}

	// Passed a second time, the ticket is not offered again.
	passThroughWindow(t, cs, w, tk.ID)
	pressKey(w, keyRequeue)
	if len(cs.requeueChoice.Options) != 0 {
		t.Errorf("dialog offers %q after the second 过号", cs.requeueChoice.Options)
	}
	if texts := shownTexts(counterOverlay(t, w)); !slices.Contains(texts, "今天暂无可重新排队的过号号码。") {
		t.Errorf("empty dialog shows %q", texts)
	}
	cs.hideDialogs()
}

// A second requeue is the hall's to refuse: the window shows its message
// and the ticket stays 过号.
func TestCounterRequeueSecondRefused(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, w := signedInCounter(t, h)
	tk := issueTicket(t, h, demo.TypeFee, hall.Normal)
	passThroughWindow(t, cs, w, tk.ID)
	pressKey(w, keyRequeue)
	cs.requeueChoice.SetSelected(cs.requeueChoice.Options[0])

	// Meanwhile another desk puts the customer back, and counter 2 passes
	// them again.
	if _, err := h.Requeue(ctx, h.At(2), tk.ID); err != nil {
		t.Fatal(err)
	}
	passAt(t, h, 2, tk.ID)

	test.Tap(cs.requeueOK)
	if got, want := cs.statusLine.Text, "A001号已重新排队过一次"; got != want {
		t.Errorf("second requeue shows %q, want %q", got, want)
	}
	if got := ticketOf(t, h, tk.ID); got.State != hall.NoShow {
		t.Errorf("stored state %s, want no_show", got.State)
	}
	if n := len(eventsOf(t, h, hall.KindTicketRequeued)); n != 1 {
		t.Errorf("%d requeue events, want 1", n)
	}
	pressKey(w, keyRequeue)
	if len(cs.requeueChoice.Options) != 0 {
		t.Errorf("a ticket the hall refused is still offered: %q", cs.requeueChoice.Options)
	}
	cs.hideDialogs()
}

// Where the hall does not allow requeues, the button says so and opens
// nothing; a change of the rules reaches a window that follows events.
func TestCounterRequeueDisabled(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cfg, err := h.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Policy
	p.AllowRequeue = false
	if err := h.SetPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	cs, w := signedInCounter(t, h)
	if !cs.requeueBtn.Disabled() || cs.requeueBtn.Text != "过号重排（本厅未开放） (F7)" {
		t.Errorf("requeue button %q disabled %v, want disabled with the reason", cs.requeueBtn.Text, cs.requeueBtn.Disabled())
	}
	pressKey(w, keyRequeue)
	if cs.requeueDlg != nil {
		t.Error("F7 opened the dialog where requeues are not allowed")
	}
	// Asked anyway, the window gives the hall's reason.
	cs.onRequeue()
	if cs.requeueDlg != nil || cs.statusLine.Text != hall.Message(hall.ErrRequeueDisabled) {
		t.Errorf("dialog %v, status %q", cs.requeueDlg != nil, cs.statusLine.Text)
	}

	// The administrator allows requeues: the event turns the button on.
	p.AllowRequeue = true
	if err := h.SetPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	evs := eventsOf(t, h, hall.KindPolicySet)
	cs.pending.note(evs[len(evs)-1])
	cs.refresh(ctx, cs.tok, cs.gen)
	if cs.requeueBtn.Disabled() || cs.requeueBtn.Text != "过号重排 (F7)" {
		t.Errorf("after the rules changed: %q disabled %v", cs.requeueBtn.Text, cs.requeueBtn.Disabled())
	}
}

// The dialog lists the hall's 过号 tickets: those passed at other
// counters, and those passed before this window signed in.
func TestCounterRequeueOffersTheHallsNoShows(t *testing.T) {
	h := halltest.New(t, nil)
	tk := issueTicket(t, h, demo.TypeRepair, hall.Elderly)
	passAt(t, h, 2, tk.ID)
	cs, w := signedInCounter(t, h)
	pressKey(w, keyRequeue)
	if len(cs.requeueChoice.Options) != 1 || cs.requeueChoice.Options[0][:4] != "E001" {
		t.Fatalf("dialog offers %q, want E001", cs.requeueChoice.Options)
	}
	cs.requeueChoice.SetSelected(cs.requeueChoice.Options[0])
	test.Tap(cs.requeueOK)
	if got := ticketOf(t, h, tk.ID); got.State != hall.Waiting {
		t.Errorf("stored state %s, want waiting (status %q)", got.State, cs.statusLine.Text)
	}
}

// The requeue dialog and its outcome in English.
func TestCounterRequeueInEnglish(t *testing.T) {
	inEnglish(t)
	h := halltest.New(t, nil)
	d := newCounterData(t, h)
	cs, w := signedInCounter(t, h)
	if cs.requeueBtn.Text != "Requeue no-show (F7)" {
		t.Errorf("button %q", cs.requeueBtn.Text)
	}
	pressKey(w, keyRequeue)
	d.check("empty requeue dialog", counterOverlay(t, w))
	cs.hideDialogs()

	tk := issueTicket(t, h, demo.TypeFee, hall.Normal)
	passThroughWindow(t, cs, w, tk.ID)
	pressKey(w, keyRequeue)
	d.check("requeue dialog", counterOverlay(t, w))
	cs.requeueChoice.SetSelected(cs.requeueChoice.Options[0])
	test.Tap(cs.requeueOK)
	if got, want := cs.statusLine.Text, "A001 is back in the queue"; got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	// The hall's refusal, in English too.
	pressKey(w, keyRequeue)
	cs.hideDialogs()
	cs.requeue(ticketOf(t, h, tk.ID))
	d.check("refusal", cs.statusLine)

	ctx := context.Background()
	cfg, err := h.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Policy.AllowRequeue = false
	if err := h.SetPolicy(ctx, cfg.Policy); err != nil {
		t.Fatal(err)
	}
	cs.cfg.Policy.AllowRequeue = false
	cs.applyRequeueButton()
	if cs.requeueBtn.Text != "Requeue no-show (not allowed here) (F7)" {
		t.Errorf("disabled button %q", cs.requeueBtn.Text)
	}
}
