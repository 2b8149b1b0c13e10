package ui

import (
	"context"
	"slices"

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

	// The dialog, while it shows.
	requeueDlg    dialog.Dialog
	requeueChoice *widget.RadioGroup
	requeueOK     *widget.Button
	requeueList   []hall.Ticket // the tickets requeueChoice offers, in order
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

// requeueOption is a ticket as the dialog lists it: number, business and
// when it was passed.
func (cs *counterScreen) requeueOption(t hall.Ticket) string {
	return Tf("%s · %s · %s 过号", t.Number, cs.typeLabel(t.Type), t.EndedAt.In(cs.loc).Format("15:04"))
}

// onRequeue asks the hall for today's 过号 tickets, then which of those
// customers came back.
func (cs *counterScreen) onRequeue() {
	if cs.view != viewMain || cs.tok == "" {
		return
	}
	if !cs.cfg.Policy.AllowRequeue {
		cs.showError(hall.ErrRequeueDisabled)
		return
	}
	cs.caller(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		list, err := svc.NoShows(ctx, tok)
		return func() { cs.showRequeue(list) }, err
	})
}

// showRequeue offers list, the hall's 过号 tickets that may be requeued.
// UI thread.
func (cs *counterScreen) showRequeue(tickets []hall.Ticket) {
	if cs.view != viewMain || cs.tok == "" {
		return
	}
	cs.requeueList = tickets
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
	var list fyne.CanvasObject = container.NewVScroll(cs.requeueChoice)
	if len(options) == 0 {
		list = &widget.Label{Text: T("今天暂无可重新排队的过号号码。"), Wrapping: fyne.TextWrapWord}
	}
	body := container.New(&counterMinWidth{w: 460}, container.NewBorder(container.NewVBox(intro), nil, nil, nil,
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
		return func() { cs.showNote(Tf("%s 已重新排队", back.Number)) }, err
	})
}
