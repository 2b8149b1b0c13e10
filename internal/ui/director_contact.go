package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// The duty director calls customers back: a complainant within 1 working
// day, every bad rating, an escalated matter's customer (clauses 4.1.4,
// 4.1.5, 4.1.19). The lists show contacts masked; 「查看联系方式」 asks the
// hall for one record's contact in full, which the hall records as a look,
// and shows it in a dialog only. The contact never goes into a label that
// stays on the window: the dialog's labels are emptied when it closes.

// contactViewedNote tells the director that the hall recorded the look.
const contactViewedNote = "本次查看已记录"

// contactRead reads one record's contact in full; the hall records the look.
type contactRead func(ctx context.Context, svc hall.Service, tok hall.Token) (hall.Contact, error)

// contactButton is a record's 「查看联系方式」 button. about says which
// record, in the window's language.
func (d *director) contactButton(about string, read contactRead) *widget.Button {
	return widget.NewButton(T("查看联系方式"), func() { d.showContact(about, read) })
}

// showContact reads a contact in full off the UI thread and shows it in a
// dialog. One look at a time: a second tap while the first is read does
// nothing (each look is recorded). An answer that comes when another
// dialog is open (the director went on meanwhile) is not shown over it:
// the look is recorded, and the status line says so. UI thread.
func (d *director) showContact(about string, read contactRead) {
	if d.looking {
		return
	}
	d.looking = true // cleared by the answer, or by signedOut
	var seq int
	fetch(d, &seq, read, func(c hall.Contact, err error) {
		d.looking = false
		switch {
		case err != nil:
			d.showError(err)
		case d.dialog != nil:
			d.showNote(T("联系方式已读取，但另一个对话框正在使用；请关闭后再查看（本次查看已记录）"))
		default:
			d.contactDialog(about, c)
		}
	})
}

// contactDialog shows a contact in full, as the record has it, with the
// note that the look was recorded. UI thread.
func (d *director) contactDialog(about string, c hall.Contact) {
	var full []*widget.Label
	if c.Name != "" {
		full = append(full, &widget.Label{Text: Tf("联系人：%s", c.Name), TextStyle: fyne.TextStyle{Bold: true}})
	}
	if c.Phone != "" {
		full = append(full, &widget.Label{Text: Tf("联系电话：%s", c.Phone), TextStyle: fyne.TextStyle{Bold: true}, Selectable: true})
	}
	objs := []fyne.CanvasObject{wrapLabel(about)}
	for _, l := range full {
		objs = append(objs, l)
	}
	objs = append(objs, &widget.Label{Text: T(contactViewedNote), Importance: widget.WarningImportance})
	closeBtn := widget.NewButton(T("关闭"), nil)
	closeBtn.Importance = widget.HighImportance
	dlg := dialog.NewCustomWithoutButtons(T("客户联系方式"), container.New(&counterMinWidth{w: 420}, container.NewVBox(objs...)), d.win)
	dlg.SetButtons([]fyne.CanvasObject{closeBtn})
	dlg.SetOnClosed(func() {
		for _, l := range full {
			l.SetText("")
		}
	})
	closeBtn.OnTapped = d.hideDialog
	d.hideDialog()
	d.dialog = dlg
	dlg.Show()
}
