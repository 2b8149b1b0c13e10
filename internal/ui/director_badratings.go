package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// The director's 差评处理 tab: every 不满意 or 非常不满意 rating still open,
// oldest first, with its limit, its follow-up records and the buttons that
// append a rectification or a call-back. Once both are recorded the rating
// leaves the inbox. Nothing here edits or deletes a record.

// badRatingNote is the line that explains the inbox.
const badRatingNote = "每一条“不满意”或“非常不满意”的评价都须整改，并在15个工作日内完成100%回访；整改和回访记录一经追加，不得修改或删除。"

// badRatingsView is the 差评处理 tab's state. UI thread.
type badRatingsView struct {
	widget.BaseWidget
	d     *director
	count *widget.Label
	box   *fyne.Container
	seq   int // bumped at each read; older answers are dropped
	list  []hall.BadRatingView
	btns  map[string]*badRatingButtons // by rating ID
	// The note dialog, while it shows.
	note *widget.Entry
	ok   *widget.Button

	content fyne.CanvasObject
}

// badRatingButtons are one bad rating's buttons; view shows the
// call-back phone in full (nil when the customer left none).
type badRatingButtons struct {
	rectify, callBack *widget.Button
	view              *widget.Button
}

// buildBadRatingsTab is the 差评处理 tab. It reads the inbox again after
// every reload of the desk.
func (d *director) buildBadRatingsTab() fyne.CanvasObject {
	v := newBadRatingsView(d)
	d.badRatings = v
	return v
}

func newBadRatingsView(d *director) *badRatingsView {
	v := &badRatingsView{d: d, count: &widget.Label{}, box: container.NewVBox(), btns: map[string]*badRatingButtons{}}
	v.content = container.NewVScroll(container.NewVBox(
		section(T("待处理的差评（按评价先后）"), wrapLabel(T(badRatingNote)), v.count, widget.NewSeparator(), v.box)))
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer shows the tab's content.
func (v *badRatingsView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// reload reads the open bad ratings and shows them. UI thread.
func (v *badRatingsView) reload() {
	fetch(v.d, &v.seq, func(ctx context.Context, svc hall.Service, tok hall.Token) ([]hall.BadRatingView, error) {
		return svc.BadRatings(ctx, tok)
	}, v.apply)
}

// apply shows a fresh read of the inbox. UI thread.
func (v *badRatingsView) apply(list []hall.BadRatingView, err error) {
	if err != nil {
		v.d.showError(err)
		return
	}
	v.list = list
	v.btns = map[string]*badRatingButtons{}
	rows := make([]fyne.CanvasObject, 0, len(list))
	late := 0
	for _, b := range list {
		if b.Overdue {
			late++
		}
		rows = append(rows, v.row(b))
	}
	if len(rows) == 0 {
		rows = append(rows, heading(T("没有待处理的差评"), fyne.TextAlignLeading))
	}
	v.box.Objects = rows
	v.box.Refresh()
	text := Tf("待处理 %d 条", len(list))
	v.count.Importance = widget.MediumImportance
	if late > 0 {
		text = Tf("待处理 %d 条，其中超期 %d 条", len(list), late)
		v.count.Importance = widget.DangerImportance
	}
	v.count.SetText(text)
}

// row is one bad rating of the inbox.
func (v *badRatingsView) row(b hall.BadRatingView) fyne.CanvasObject {
	d := v.d
	r := b.Rating
	head := d.matterHead(r.At, r.Number, r.Counter, r.Clerk)
	reasons := T("未选")
	if len(r.Reasons) > 0 {
		reasons = ratingReasons(r.Reasons)
	}
	phone := r.Phone
	if phone == "" {
		phone = T("未留")
	}
	objs := []fyne.CanvasObject{
		&widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}},
		// The reasons take the rest of the row (an HBox would give a
		// truncating label no width at all).
		container.NewBorder(nil, nil,
			&widget.Label{Text: T(r.Level.Label()), Importance: widget.DangerImportance, TextStyle: fyne.TextStyle{Bold: true}}, nil,
			&widget.Label{Text: Tf("原因：%s", reasons), Truncation: fyne.TextTruncateEllipsis}),
		&widget.Label{Text: Tf("回访电话：%s", phone)},
		container.NewHBox(
			&widget.Label{Text: Tf("期限：%s", formatDueDate(b.Due))}, limitMark(false, b.Overdue),
			&widget.Label{Text: T("整改")}, limitMark(b.Rectified, false),
			&widget.Label{Text: T("回访")}, limitMark(b.CalledBack, false)),
	}
	if len(b.FollowUps) == 0 {
		objs = append(objs, heading(T("尚无处理记录"), fyne.TextAlignLeading))
	}
	for _, f := range b.FollowUps {
		objs = append(objs, wrapLabel(d.recordLine(f.Kind.Label(), f.Note, f.By, f.At)))
	}
	id := r.ID
	btns := &badRatingButtons{
		rectify:  widget.NewButton(T("记录整改"), func() { v.ask(id, hall.FollowRectified) }),
		callBack: widget.NewButton(T("记录回访"), func() { v.ask(id, hall.FollowCalledBack) }),
	}
	if b.Rectified {
		btns.rectify.Disable()
	}
	if b.CalledBack {
		btns.callBack.Disable()
	}
	row := []fyne.CanvasObject{btns.rectify, btns.callBack}
	// The inbox shows the phone masked: the full one is a recorded look.
	if r.Phone != "" {
		btns.view = d.contactButton(Tf("评价：%s（%s）", T(r.Level.Label()), reasons), func(ctx context.Context, svc hall.Service, tok hall.Token) (hall.Contact, error) {
			return svc.RatingContact(ctx, tok, id)
		})
		row = append([]fyne.CanvasObject{btns.view}, row...)
	}
	v.btns[id] = btns
	objs = append(objs, container.NewHBox(row...), widget.NewSeparator())
	return container.NewVBox(objs...)
}

// ratingReasons lists a rating's reasons in the windows' language.
func ratingReasons(reasons []string) string {
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = T(r)
	}
	return strings.Join(out, T("、"))
}

// followUpText is, for each kind, the dialog's title, the entry's
// placeholder and the note shown once it is recorded.
var followUpText = map[hall.FollowUpKind][3]string{
	hall.FollowRectified:  {"记录整改", "整改情况，如 已对营业员进行服务规范再培训", "已记录整改"},
	hall.FollowCalledBack: {"记录回访", "回访情况，如 已电话回访，客户表示认可", "已记录回访"},
}

// ask asks for the note of a follow-up record and appends it.
func (v *badRatingsView) ask(id string, kind hall.FollowUpKind) {
	var b hall.BadRatingView
	for _, x := range v.list {
		if x.Rating.ID == id {
			b = x
		}
	}
	about := Tf("评价：%s（%s）", T(b.Rating.Level.Label()), ratingReasons(b.Rating.Reasons))
	v.note, v.ok = v.d.askNote(followUpText[kind], about, func(ctx context.Context, svc hall.Service, tok hall.Token, note string) error {
		_, err := svc.AddRatingFollowUp(ctx, tok, id, kind, note)
		return err
	})
}
