package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// The register of complaints not yet closed, under the complaint form
// (clause 4.1.5): each complaint with its time limits and its status
// records, and the buttons that append the next status record. Nothing
// here edits or deletes: a status record is appended after the complaint.

const (
	// complaintHistoryDays is how far back the register's history reaches.
	complaintHistoryDays = 90
	complaintOverdue     = "已超期"
	complaintDoneMark    = "✓"
	// complaintRegisterNote is the line that explains the register.
	complaintRegisterNote = "投诉及其处理记录一经登记，不得修改或删除：联系、答复、办结均作为新的处理记录追加，全部保存在防篡改登记簿中（总部留有副本）。"
)

type complaintRegister struct {
	crCount *widget.Label
	crBox   *fyne.Container
	crSeq   int // bumped at each read; older answers are dropped
	crList  []hall.ComplaintView
	// crHistory shows every complaint of the last complaintHistoryDays,
	// closed ones included, instead of the open ones.
	crHistory *widget.Check
	crBtns    map[string]*complaintButtons // by complaint ID
	// The note dialog, while it shows.
	crNote *widget.Entry
	crOK   *widget.Button
}

// complaintButtons are one complaint's buttons, one for each step, and
// view, which shows the contact in full to call the customer back (nil
// when the customer left none).
type complaintButtons struct {
	contact, reply, close *widget.Button
	view                  *widget.Button
}

// buildComplaintRegister is the register's section of the complaint tab.
func (d *director) buildComplaintRegister() fyne.CanvasObject {
	c := &d.complaintRegister
	c.crCount = &widget.Label{}
	c.crBox = container.NewVBox()
	c.crBtns = map[string]*complaintButtons{}
	c.crHistory = widget.NewCheck(Tf("显示近%d天的全部投诉（含已办结）", complaintHistoryDays), func(bool) { d.reloadComplaints() })
	return section(T("投诉登记簿（按登记先后）"), wrapLabel(T(complaintRegisterNote)), c.crHistory, c.crCount, widget.NewSeparator(), c.crBox)
}

// reloadComplaints reads the open complaints and shows them; it follows
// every reload of the desk. UI thread.
func (d *director) reloadComplaints() {
	c := &d.complaintRegister
	history, today := c.crHistory.Checked, d.data.ov.Day
	fetch(d, &c.crSeq, func(ctx context.Context, svc hall.Service, tok hall.Token) ([]hall.ComplaintView, error) {
		if history && today != "" {
			return svc.ComplaintHistory(ctx, tok, addDays(today, -complaintHistoryDays+1), today)
		}
		return svc.Complaints(ctx, tok)
	}, d.applyComplaints)
}

// applyComplaints shows a fresh read of the register. UI thread.
func (d *director) applyComplaints(list []hall.ComplaintView, err error) {
	if err != nil {
		d.showError(err)
		return
	}
	c := &d.complaintRegister
	c.crList = list
	c.crBtns = map[string]*complaintButtons{}
	rows := make([]fyne.CanvasObject, 0, len(list))
	late := 0
	for _, v := range list {
		if v.ContactOverdue || v.ReplyOverdue {
			late++
		}
		rows = append(rows, d.complaintRow(v))
	}
	open := 0
	for _, v := range list {
		if !v.Closed {
			open++
		}
	}
	if len(rows) == 0 {
		rows = append(rows, heading(T("没有未办结的投诉"), fyne.TextAlignLeading))
	}
	c.crBox.Objects = rows
	c.crBox.Refresh()
	var text string
	switch {
	case c.crHistory.Checked && late > 0:
		text = Tf("近%d天共 %d 件，已办结 %d 件，未办结 %d 件，其中超期 %d 件", complaintHistoryDays, len(list), len(list)-open, open, late)
	case c.crHistory.Checked:
		text = Tf("近%d天共 %d 件，已办结 %d 件，未办结 %d 件", complaintHistoryDays, len(list), len(list)-open, open)
	case late > 0:
		text = Tf("未办结 %d 件，其中超期 %d 件", open, late)
	default:
		text = Tf("未办结 %d 件", open)
	}
	c.crCount.Importance = widget.MediumImportance
	if late > 0 {
		c.crCount.Importance = widget.DangerImportance
	}
	c.crCount.SetText(text)
}

// complaintRow is one complaint of the register.
func (d *director) complaintRow(v hall.ComplaintView) fyne.CanvasObject {
	cp := v.Complaint
	head := d.matterHead(cp.CreatedAt, cp.Number, cp.Counter, cp.Clerk)

	objs := []fyne.CanvasObject{
		&widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}},
		&widget.Label{Text: Tf("投诉内容：%s", cp.What), Truncation: fyne.TextTruncateEllipsis},
	}
	var where []string
	if cp.Where != "" {
		where = append(where, Tf("地点：%s", cp.Where))
	}
	if cp.Occurred != "" {
		where = append(where, Tf("发生时间：%s", cp.Occurred))
	}
	if len(where) > 0 {
		objs = append(objs, &widget.Label{Text: strings.Join(where, T("　")), Truncation: fyne.TextTruncateEllipsis})
	}
	who := strings.TrimSpace(cp.Contact.Name + " " + cp.Contact.Phone)
	if who == "" {
		who = T("未留")
	}
	objs = append(objs,
		&widget.Label{Text: Tf("联系人：%s", who)},
		container.NewHBox(
			&widget.Label{Text: Tf("联系期限：%s", formatDueDate(v.ContactDue))}, limitMark(v.Contacted, v.ContactOverdue),
			&widget.Label{Text: Tf("答复期限：%s", formatDueDate(v.ReplyDue))}, limitMark(v.Replied, v.ReplyOverdue)),
	)
	if len(v.Statuses) == 0 {
		objs = append(objs, heading(T("尚无处理记录"), fyne.TextAlignLeading))
	}
	for _, s := range v.Statuses {
		objs = append(objs, wrapLabel(d.recordLine(s.Step.Label(), s.Note, s.By, s.At)))
	}

	id := cp.ID
	b := &complaintButtons{
		contact: widget.NewButton(T("记录联系"), func() { d.askComplaintStep(id, hall.StepContacted) }),
		reply:   widget.NewButton(T("记录答复"), func() { d.askComplaintStep(id, hall.StepReplied) }),
		close:   widget.NewButton(T("办结"), func() { d.askComplaintStep(id, hall.StepClosed) }),
	}
	b.close.Importance = widget.HighImportance
	// The register shows the contact masked: the full one is a recorded look.
	if cp.Contact != (hall.Contact{}) {
		b.view = d.contactButton(Tf("投诉内容：%s", cp.What), func(ctx context.Context, svc hall.Service, tok hall.Token) (hall.Contact, error) {
			return svc.ComplaintContact(ctx, tok, id)
		})
	}
	if !v.Contacted {
		b.reply.Disable()
	}
	if !v.Replied {
		b.close.Disable()
	}
	d.complaintRegister.crBtns[id] = b
	var btns []fyne.CanvasObject
	if b.view != nil {
		btns = append(btns, b.view)
	}
	if v.Closed {
		closed := &widget.Label{Text: T("已办结"), Importance: widget.SuccessImportance, TextStyle: fyne.TextStyle{Bold: true}}
		objs = append(objs, container.NewHBox(append([]fyne.CanvasObject{closed}, btns...)...), widget.NewSeparator())
		return container.NewVBox(objs...)
	}
	btns = append(btns, b.contact, b.reply, b.close)
	objs = append(objs, container.NewHBox(btns...), widget.NewSeparator())
	return container.NewVBox(objs...)
}

// limitMark is a limit's mark: a green ✓ when done, a red 已超期 when
// overdue, nothing while it runs.
func limitMark(done, overdue bool) fyne.CanvasObject {
	switch {
	case done:
		return &widget.Label{Text: complaintDoneMark, Importance: widget.SuccessImportance, TextStyle: fyne.TextStyle{Bold: true}}
	case overdue:
		return &widget.Label{Text: T(complaintOverdue), Importance: widget.DangerImportance, TextStyle: fyne.TextStyle{Bold: true}}
	}
	return &widget.Label{}
}

// counterName is a counter's name; 0 is the director's desk.
func (d *director) counterName(no int) string {
	if no == 0 {
		return T("值班主任台")
	}
	for _, c := range d.data.ov.Counters {
		if c.Counter.No == no && c.Counter.Name != "" {
			return c.Counter.Name
		}
	}
	return Tf("%d号窗口", no)
}

// matterHead is the first line of a complaint or a bad rating: when, the
// ticket's number if any, where and whose.
func (d *director) matterHead(at time.Time, number string, counter int, clerk string) string {
	head := d.at(at)
	if number != "" {
		head += " · " + Tf("号码 %s", number)
	}
	return head + " · " + d.counterName(counter) + " · " + Tf("%s（工号%s）", d.staffName(clerk), clerk)
}

// recordLine is one follow-up record of a matter: its kind (a standard
// name from the hall), the note, who and when.
func (d *director) recordLine(kind, note, by string, at time.Time) string {
	return Tf("%s：%s（%s，%s）", T(kind), note, d.staffName(by), d.at(at))
}

// complaintStepText is, for each step, the dialog's title, the entry's
// placeholder and the note shown once it is recorded.
var complaintStepText = map[hall.ComplaintStep][3]string{
	hall.StepContacted: {"记录联系", "联系客户的情况，如 已电话联系客户，说明处理安排", "已记录联系客户"},
	hall.StepReplied:   {"记录答复", "答复客户的内容", "已记录答复客户"},
	hall.StepClosed:    {"办结", "办结说明，如 客户对处理结果表示满意", "投诉已办结，记录保留在登记簿中"},
}

// askComplaintStep asks for the note of a status record and appends it.
func (d *director) askComplaintStep(id string, step hall.ComplaintStep) {
	var v hall.ComplaintView
	for _, x := range d.complaintRegister.crList {
		if x.Complaint.ID == id {
			v = x
		}
	}
	text := complaintStepText[step]
	c := &d.complaintRegister
	c.crNote, c.crOK = d.askNote(text, Tf("投诉内容：%s", v.Complaint.What), func(ctx context.Context, svc hall.Service, tok hall.Token, note string) error {
		_, err := svc.AddComplaintStatus(ctx, tok, id, step, note)
		return err
	})
}

// askNote shows the dialog that appends a record to a matter: text is
// its title, the entry's placeholder and the note shown once it is
// recorded (each a catalogue key); about says which matter, in the
// windows' language. An empty note is asked for again.
// It returns the entry and the OK button.
func (d *director) askNote(text [3]string, about string, add func(ctx context.Context, svc hall.Service, tok hall.Token, note string) error) (*widget.Entry, *widget.Button) {
	entry := widget.NewMultiLineEntry()
	entry.SetPlaceHolder(T(text[1]))
	entry.SetMinRowsVisible(4)
	ok := widget.NewButton(T("追加记录"), nil)
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton(T("取消"), nil)
	intro := wrapLabel(Tf("%s\n处理记录追加后不可修改或删除。", about))
	body := container.New(&counterMinWidth{w: 480}, container.NewVBox(intro, entry))
	dlg := dialog.NewCustomWithoutButtons(T(text[0]), body, d.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, ok})
	d.dialog = dlg
	cancel.OnTapped = d.hideDialog
	ok.OnTapped = func() {
		note := entry.Text
		if strings.TrimSpace(note) == "" {
			d.showProblem(T("请填写处理情况"))
			return
		}
		d.hideDialog()
		d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			return func() { d.showNote(T(text[2])) }, add(ctx, svc, tok, note)
		})
	}
	dlg.Show()
	return entry, ok
}
