package ui

import (
	"context"
	"errors"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// keyRequeue opens the 过号重排 dialog: F7 is the one function key the
// physical caller leaves free.
const keyRequeue = fyne.KeyF7

// counterRequeue puts a 过号 customer who came back into the queue again
// (clause 4.1.7: once per ticket, if the hall allows it).
type counterRequeue struct {
	requeueBtn *widget.Button
	// noShows are the 过号 tickets this window knows of.
	noShows *noShowBook

	// The dialog, while it shows.
	requeueDlg    dialog.Dialog
	requeueChoice *widget.RadioGroup
	requeueOK     *widget.Button
	requeueList   []hall.Ticket // the tickets requeueChoice offers, in order
}

// noShowBook keeps the 过号 tickets the window has seen: its own, and
// every counter's from the hall's events while the window follows them.
// The hall offers no read of a day's tickets, so a ticket passed before
// the window started following is not in it. Safe for the event goroutine
// and the UI thread.
type noShowBook struct {
	mu      sync.Mutex
	tickets map[string]hall.Ticket
}

// note keeps the tickets of 过号 and requeue events: a requeued ticket is
// waiting again, and one passed a second time carries Requeued.
func (b *noShowBook) note(e hall.Event) {
	if e.Kind != hall.KindTicketNoShow && e.Kind != hall.KindTicketRequeued {
		return
	}
	var te hall.TicketEvent
	if e.Decode(&te) == nil && te.Ticket.ID != "" {
		b.put(te.Ticket)
	}
}

// put keeps t's latest state.
func (b *noShowBook) put(t hall.Ticket) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tickets == nil {
		b.tickets = map[string]hall.Ticket{}
	}
	b.tickets[t.ID] = t
}

// forget drops a ticket the hall will not requeue.
func (b *noShowBook) forget(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.tickets, id)
}

// requeueable lists day's 过号 tickets not yet requeued, in the order
// they were passed. Tickets of other days are dropped: the hall's queue
// is one day's.
func (b *noShowBook) requeueable(day string) []hall.Ticket {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []hall.Ticket
	for id, t := range b.tickets {
		switch {
		case t.Day != day:
			delete(b.tickets, id)
		case t.State == hall.NoShow && !t.Requeued:
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b hall.Ticket) int { return a.EndedAt.Compare(b.EndedAt) })
	return out
}

// applyRequeueButton enables 过号重排 while the hall allows requeues, and
// says so on the button when it does not. UI thread.
func (cs *counterScreen) applyRequeueButton() {
	if !cs.cfg.Policy.AllowRequeue {
		cs.requeueBtn.SetText(keyLabel(T("过号重排（本厅未开放）"), keyRequeue))
		cs.requeueBtn.Disable()
		return
	}
	cs.requeueBtn.SetText(keyLabel(T("过号重排"), keyRequeue))
	if cs.tok != "" {
		cs.requeueBtn.Enable()
	} else {
		cs.requeueBtn.Disable()
	}
}

// today is the hall's date now, as tickets carry it.
func (cs *counterScreen) today() string {
	now := cs.status.Now
	if !cs.hasStatus {
		now = cs.s.now()
	}
	return now.In(cs.loc).Format("2006-01-02")
}

// requeueOption is a ticket as the dialog lists it: number, business and
// when it was passed.
func (cs *counterScreen) requeueOption(t hall.Ticket) string {
	return Tf("%s · %s · %s 过号", t.Number, cs.typeLabel(t.Type), t.EndedAt.In(cs.loc).Format("15:04"))
}

// onRequeue asks which 过号 customer came back.
func (cs *counterScreen) onRequeue() {
	if cs.view != viewMain || cs.tok == "" {
		return
	}
	if !cs.cfg.Policy.AllowRequeue {
		cs.showError(hall.ErrRequeueDisabled)
		return
	}
	cs.requeueList = cs.noShows.requeueable(cs.today())
	options := make([]string, len(cs.requeueList))
	for i, t := range cs.requeueList {
		options[i] = cs.requeueOption(t)
	}
	cs.requeueOK = widget.NewButton(T("确认重排"), nil)
	cs.requeueOK.Importance = widget.HighImportance
	cs.requeueOK.Disable()
	cs.requeueChoice = widget.NewRadioGroup(options, func(string) {
		if cs.requeueChoice.Selected != "" {
			cs.requeueOK.Enable()
		} else {
			cs.requeueOK.Disable()
		}
	})
	cancel := widget.NewButton(T("取消"), nil)

	intro := &widget.Label{Text: T("请选择回来的客户的号码。重新排队后排在同类业务队尾，每个号码只能重新排队一次。"), Wrapping: fyne.TextWrapWord}
	// The window learns of 过号 from the hall's events: say what it lists.
	scope := hint(T("列表只含本窗口登录以来各窗口的过号号码。"))
	var list fyne.CanvasObject = container.NewVScroll(cs.requeueChoice)
	if len(options) == 0 {
		list = &widget.Label{Text: T("今天暂无可重新排队的过号号码。"), Wrapping: fyne.TextWrapWord}
	}
	body := container.New(&counterMinWidth{w: 460}, container.NewBorder(container.NewVBox(intro, scope), nil, nil, nil,
		container.New(&atLeastTall{h: 160}, list)))
	dlg := dialog.NewCustomWithoutButtons(T("过号重新排队"), body, cs.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, cs.requeueOK})
	cs.requeueDlg = dlg
	closeDlg := func() {
		dlg.Hide()
		if cs.requeueDlg == dlg {
			cs.requeueDlg = nil
		}
	}
	cancel.OnTapped = closeDlg
	cs.requeueOK.OnTapped = func() {
		cs.touch()
		i := slices.Index(cs.requeueChoice.Options, cs.requeueChoice.Selected)
		if i < 0 {
			return
		}
		t := cs.requeueList[i]
		closeDlg()
		cs.requeue(t)
	}
	dlg.Show()
}

// requeue puts t back in its queue and shows the outcome.
func (cs *counterScreen) requeue(t hall.Ticket) {
	cs.caller(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		back, err := svc.Requeue(ctx, tok, t.ID)
		if err == nil {
			cs.noShows.put(back)
		} else if errors.Is(err, hall.ErrRequeueUsed) || errors.Is(err, hall.ErrNotNoShow) || errors.Is(err, hall.ErrUnknownTicket) {
			// The hall will not take this ticket back: stop offering it.
			cs.noShows.forget(t.ID)
		}
		return func() { cs.showNote(Tf("%s 已重新排队", back.Number)) }, err
	})
}
