package ui

import (
	"context"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

const (
	kioskTitle = "取号机"
	// kioskCardFor is how long a ticket card (or a refusal) stays: long
	// enough to read, short enough that the next customer never sees it.
	kioskCardFor = 10 * time.Second
	// kioskChoiceFor is how long a chosen 敬老/助残 class waits for a
	// business type before it is forgotten, so that a customer who walks
	// away does not hand priority to the next one.
	kioskChoiceFor = 30 * time.Second
	// kioskReloadEvery re-reads the hall although no event came: notices
	// expire and days turn without one.
	kioskReloadEvery = time.Minute
	// kioskTypeHeight is a business type button's least height.
	kioskTypeHeight = 120
	// The 敬老, 助残 and 长者模式 buttons' least size.
	kioskPriorityHeight = 96
	kioskPriorityWidth  = 260

	kioskPickHint     = "请点选您要办理的业务"
	kioskPriorityHint = "老年人、残疾人及行动不便的客户，请先点「敬老优先」或「助残优先」，再点选业务"
	kioskPriorityLine = "优先服务需要其他客户的理解与支持，感谢您的耐心"
	kioskIssuing      = "正在取号，请稍候…"
	kioskWatch        = "请留意叫号屏和语音呼叫"
	// kioskRemember follows a printer fault on the ticket card; the
	// ticket is issued all the same.
	kioskRemember = "%s，请记住您的号码"
	// kioskPrinterDown stays at the foot of the kiosk while the printer is
	// at fault, so the next customers know before they take a number.
	kioskPrinterDown = "%s：取号后小票可能无法打印，请记住屏幕上的号码，或联系工作人员"

	// Opening hours (hall.Policy.OpenHours): the kiosk names today's
	// hours, and outside them shows why no ticket can be taken.
	kioskHours        = "今日营业时间 %s"
	kioskBeforeOpen   = "今日营业时间 %s，%s 开始取号"
	kioskAfterClose   = "今日取号已结束，明日营业时间 %s"
	kioskStillServing = "已取号的客户请留意叫号，我们会为您办理完毕"
)

// kioskView is what the kiosk's body shows.
type kioskView int

const (
	kioskChoose  kioskView = iota // business types
	kioskCard                     // the ticket just issued
	kioskMessage                  // why no ticket was issued
	kioskClosed                   // outside opening hours: no types to tap
)

// Tones of the kiosk's buttons.
var (
	toneType        = buttonTone{fill: custRGB(0x1565C0), ink: colorNameCustOnTone}
	tonePriorityOff = buttonTone{fill: custRGB(0xFFF3E0), stroke: custRGB(0xE65100), ink: colorNameCustWarmInk}
	tonePriorityOn  = buttonTone{fill: custRGB(0xE65100), stroke: custRGB(0xBF360C), ink: colorNameCustOnTone}
)

// kiosk is the ticket machine (取号机): a big button per business type, the
// 敬老 and 助残 classes, and the card of the ticket just issued. It shows
// nothing about any other customer.
type kiosk struct {
	s *session
	// spawn runs the hall calls off the UI thread; after runs the card's
	// timer. Tests replace both.
	spawn func(func())
	after schedFunc
	feed  *custFeed
	// printer runs printing off the UI thread; tests hold the jobs back to
	// see that the card never waits for the printer.
	printer func(func())

	// fullScreen: the window opens full screen, and leaves it only with an
	// administrator's PIN (guard); tests leave it off.
	fullScreen bool
	guard      *screenGuard

	// Owned by the UI thread.
	win     fyne.Window
	frame   *customerFrame
	loc     *time.Location
	tz      string
	policy  hall.Policy // its opening hours
	open    bool        // tickets may be taken now, as of the last tick
	view    kioskView
	busy    bool
	prio    hall.Priority
	gen     int    // of the card or message on show, for its timer
	stop    func() // the card's timer
	choiceN int    // of the chosen class, for its timer
	stopCh  func()

	hallName   *widget.RichText
	date       *widget.RichText
	hours      *widget.RichText // today's opening hours; hidden without
	clock      *widget.RichText
	notices    *noticeBar
	elderly    *toneButton
	disabled   *toneButton
	hint       *widget.RichText
	typeGrid   *fyne.Container
	types      []hall.TypeStat // as the buttons show them
	typeButton map[string]*toneButton
	choose     fyne.CanvasObject
	root       fyne.CanvasObject // the window's content

	card         fyne.CanvasObject
	cardNumber   *widget.RichText
	cardType     *widget.RichText
	cardAhead    *widget.RichText
	cardTime     *widget.RichText
	cardPriority *widget.RichText
	cardPrinter  *widget.RichText // a printer fault, on the card it concerns
	cardDone     *toneButton

	message     fyne.CanvasObject
	messageText *widget.RichText
	messageBack *toneButton

	closed       fyne.CanvasObject
	closedTitle  *widget.RichText
	closedDetail *widget.RichText
	closedNote   *widget.RichText

	status    *widget.RichText // the hall cannot be reached, and why
	statusBox *fyne.Container

	printerLine *widget.RichText // the printer is at fault: until a ticket prints
	printerBox  *fyne.Container
}

// openKioskWindow is the kiosk role's entry in roleTable.
func openKioskWindow(s *session, _ int) (fyne.Window, error) {
	k := newKiosk(s)
	k.fullScreen = true
	w := k.window()
	k.start()
	return w, nil
}

func newKiosk(s *session) *kiosk {
	k := &kiosk{
		s:          s,
		spawn:      s.goBackground,
		printer:    s.goBackground,
		feed:       newCustFeed(s),
		loc:        time.Local,
		open:       true,
		typeButton: map[string]*toneButton{},
	}
	k.after = custAfter(k.feed.ctx, s)
	k.feed.load = k.load
	k.feed.event = func(hall.Event) bool { return true }
	k.feed.reload = func(ctx context.Context) { k.load(ctx) } //nolint:errcheck // load shows its own errors
	k.feed.broken = func(err error) { k.showStatus(feedProblemText(err)) }
	k.build()
	return k
}

func (k *kiosk) build() {
	k.hallName = custText(T(kioskTitle), theme.SizeNameHeadingText, theme.ColorNameForeground, fyne.TextAlignLeading)
	k.date = custText("", theme.SizeNameText, colorNameCustQuiet, fyne.TextAlignTrailing)
	k.hours = custText("", theme.SizeNameText, theme.ColorNameForeground, fyne.TextAlignTrailing)
	k.hours.Hide()
	k.clock = custText("", theme.SizeNameHeadingText, theme.ColorNameForeground, fyne.TextAlignTrailing)
	k.notices = newNoticeBar()
	k.status = custText("", theme.SizeNameText, colorNameCustAttention, fyne.TextAlignCenter)
	k.statusBox = custWrapped(k.status, 90)
	k.statusBox.Hide()
	k.printerLine = custText("", theme.SizeNameText, colorNameCustAttention, fyne.TextAlignCenter)
	k.printerBox = custWrapped(k.printerLine, 90)
	k.printerBox.Hide()

	k.elderly = newToneButton(T("敬老优先"), T("老年人优先办理"), tonePriorityOff, kioskPriorityHeight, func() { k.onPriority(hall.Elderly) })
	k.disabled = newToneButton(T("助残优先"), T("残疾人及行动不便客户"), tonePriorityOff, kioskPriorityHeight, func() { k.onPriority(hall.Disabled) })
	k.hint = custText(T(kioskPriorityHint), theme.SizeNameText, colorNameCustQuiet, fyne.TextAlignLeading)
	pick := custText(T(kioskPickHint), theme.SizeNameSubHeadingText, theme.ColorNameForeground, fyne.TextAlignLeading)
	k.typeGrid = container.NewGridWithColumns(3)
	k.frame = newCustomerFrame(newCustomerTheme(theme.VariantLight), true)
	// In 长者模式 the hint above, which ends the same way, says it: the
	// larger screen needs the line's room.
	k.frame.changed = func(large bool) { pick.Hidden = large }
	priorityRow := container.NewBorder(nil, nil,
		container.NewHBox(custAtLeastWide(kioskPriorityWidth, k.elderly), custAtLeastWide(kioskPriorityWidth, k.disabled)),
		custAtLeastWide(kioskPriorityWidth, k.frame.toggle))
	k.choose = container.NewBorder(container.NewVBox(priorityRow, custWrapped(k.hint, 90), pick), nil, nil, nil, k.typeGrid)

	k.buildCard()
	k.buildMessage()
	k.buildClosed()

	header := container.NewBorder(nil, nil, k.hallName, container.NewHBox(container.NewCenter(container.NewVBox(k.date, k.hours)), k.clock))
	body := container.NewStack(k.choose, k.card, k.message, k.closed)
	footer := container.NewVBox(k.printerBox, k.statusBox)
	content := container.NewPadded(container.NewBorder(container.NewVBox(header, k.notices.box), footer, nil, nil, body))
	k.root = k.frame.wrap(content)
	k.show(kioskChoose)
}

func (k *kiosk) buildCard() {
	k.cardNumber = custText("", sizeNameCustHuge, colorNameCustNumber, fyne.TextAlignCenter)
	k.cardType = custText("", theme.SizeNameSubHeadingText, theme.ColorNameForeground, fyne.TextAlignCenter)
	k.cardAhead = custText("", sizeNameCustBig, theme.ColorNameForeground, fyne.TextAlignCenter)
	k.cardTime = custText("", theme.SizeNameCaptionText, colorNameCustQuiet, fyne.TextAlignCenter)
	k.cardPriority = custText("", theme.SizeNameText, colorNameCustQuiet, fyne.TextAlignCenter)
	k.cardPrinter = custText("", sizeNameCustBig, colorNameCustAttention, fyne.TextAlignCenter)
	k.cardPrinter.Hide()
	k.cardDone = newToneButton(T("完成"), "", toneType, 64, k.clear)
	paper := canvas.NewRectangle(custRGB(0xFFFDF5))
	paper.StrokeColor = custRGB(0x90A4AE)
	paper.StrokeWidth = 2
	paper.CornerRadius = 16
	lines := container.NewVBox(k.cardType, k.cardNumber, k.cardAhead, k.cardTime, k.cardPriority, k.cardPrinter,
		container.NewCenter(custAtLeastWide(280, k.cardDone)))
	ticket := container.NewStack(paper, container.New(layout.NewCustomPaddedLayout(16, 16, 32, 32), lines))
	k.card = container.NewCenter(custAtLeastWide(720, ticket))
}

func (k *kiosk) buildMessage() {
	k.messageText = custText("", sizeNameCustBig, colorNameCustAttention, fyne.TextAlignCenter)
	k.messageBack = newToneButton(T("返回"), "", toneType, 64, k.clear)
	k.message = container.NewCenter(custAtLeastWide(800, container.NewVBox(
		custWrapped(k.messageText, 320), container.NewCenter(custAtLeastWide(280, k.messageBack)))))
}

// buildClosed is what shows outside opening hours: why no ticket can be
// taken now, and when it can.
func (k *kiosk) buildClosed() {
	k.closedTitle = custText(T(hall.ErrClosed.Message), sizeNameCustBig, colorNameCustAttention, fyne.TextAlignCenter)
	k.closedDetail = custText("", theme.SizeNameHeadingText, theme.ColorNameForeground, fyne.TextAlignCenter)
	k.closedNote = custText("", theme.SizeNameSubHeadingText, colorNameCustQuiet, fyne.TextAlignCenter)
	k.closed = container.NewCenter(custAtLeastWide(900, container.NewVBox(
		k.closedTitle, custWrapped(k.closedDetail, 200), custWrapped(k.closedNote, 160))))
}

// window opens the kiosk's window.
func (k *kiosk) window() fyne.Window {
	k.win = k.s.app.NewWindow(T(kioskTitle))
	k.win.SetContent(k.root)
	k.win.Resize(customerWindowSize)
	k.guard = guardFullScreen(k.s, k.win, k.fullScreen, nil)
	k.win.SetOnClosed(func() {
		k.feed.stop()
		k.cancelCard()
		k.cancelChoice()
	})
	return k.win
}

// start follows the hall and runs the clock.
func (k *kiosk) start() {
	k.s.goBackground(k.feed.run)
	ticks := 0
	custEvery(k.feed.ctx, k.s, time.Second, func() {
		k.onTick()
		if ticks++; ticks%int(kioskReloadEvery/time.Second) == 0 {
			k.feed.kick()
		}
	})
}

// onTick shows the time and today's hours, and opens or closes the kiosk
// as the hours begin and end: no restart, no event needed. UI thread.
func (k *kiosk) onTick() {
	now := k.s.now().In(k.loc)
	setCustText(k.clock, now.Format("15:04:05"))
	setCustText(k.date, formatDay(now.Format(time.DateOnly)))
	open, today, ok := k.policy.IssuingAt(now, k.loc)
	if ok {
		setCustText(k.hours, Tf(kioskHours, today.Hours))
		k.hours.Show()
	} else {
		k.hours.Hide()
	}
	k.open = open
	if !open {
		k.showClosedText(now, today)
	}
	switch {
	case k.view == kioskChoose && !open:
		k.setPriority(hall.Normal)
		k.show(kioskClosed)
	case k.view == kioskClosed && open:
		k.show(kioskChoose)
	}
}

// showClosedText says when tickets can be taken again: later today, or
// tomorrow once today's hours are over.
func (k *kiosk) showClosedText(now time.Time, today hall.Opening) {
	if now.Before(today.From) {
		setCustText(k.closedDetail, Tf(kioskBeforeOpen, today.Hours, today.From.Format("15:04")))
		setCustText(k.closedNote, "")
		return
	}
	next, _ := k.policy.NextOpening(now, k.loc)
	setCustText(k.closedDetail, Tf(kioskAfterClose, next.Hours))
	setCustText(k.closedNote, T(kioskStillServing))
}

// load reads the business types and notices off the UI thread and shows
// them.
func (k *kiosk) load(ctx context.Context) (int64, error) {
	o, err := k.s.svc.Overview(ctx)
	if err != nil {
		if ctx.Err() == nil {
			k.s.runOnMain(func() { k.showStatus(errText(err)) })
		}
		return 0, err
	}
	notices, nerr := k.s.svc.Notices(ctx)
	k.s.runOnMain(func() {
		k.policy = hall.Policy{OpenHours: o.OpenHours}
		k.apply(o)
		if nerr == nil {
			k.notices.set(notices, "")
			k.notices.box.Hidden = !k.idle() || !k.notices.shown
		}
	})
	return o.LastSeq, nil
}

// apply shows the hall's business types. UI thread.
func (k *kiosk) apply(o hall.Overview) {
	if o.Hall.TimeZone != k.tz {
		k.tz = o.Hall.TimeZone
		k.loc = custLocation(o.Hall.TimeZone)
	}
	if o.Hall.Name != "" {
		setCustText(k.hallName, o.Hall.Name)
		if k.win != nil {
			k.win.SetTitle(o.Hall.Name + " · " + T(kioskTitle))
		}
	}
	k.onTick()
	k.hideStatus()

	types := slices.DeleteFunc(slices.Clone(o.Types), func(s hall.TypeStat) bool { return s.Type.Retired })
	same := len(types) == len(k.types)
	for i := 0; same && i < len(types); i++ {
		same = types[i].Type.Code == k.types[i].Type.Code
	}
	if !same {
		clear(k.typeButton)
		objs := make([]fyne.CanvasObject, 0, len(types))
		for _, st := range types {
			code := st.Type.Code
			b := newToneButton("", "", toneType, kioskTypeHeight, func() { k.onType(code) })
			k.typeButton[code] = b
			objs = append(objs, b)
		}
		cols := 3
		if len(types) <= 4 {
			cols = 2
		}
		k.typeGrid.Layout = layout.NewGridLayoutWithColumns(cols)
		k.typeGrid.Objects = objs
		k.frame.rethemed()
	}
	k.types = types
	for _, st := range types {
		b := k.typeButton[st.Type.Code]
		name := T(st.Type.Name) // a default type's name translates; a hall's own stays
		if kioskFull(st) {
			b.set(name, T(hall.ErrDailyCap.Message), buttonTone{}, true)
			continue
		}
		detail := Tf("%s 字头", st.Type.Prefix)
		if st.Type.DailyCap > 0 {
			detail = Tf("%s 字头 · 今日余号 %d", st.Type.Prefix, st.Type.DailyCap-st.Issued)
		}
		b.set(name, detail, toneType, false)
	}
	k.typeGrid.Refresh()
}

// kioskFull reports whether a type has handed out today's last number.
func kioskFull(st hall.TypeStat) bool { return st.Type.DailyCap > 0 && st.Issued >= st.Type.DailyCap }

// onPriority chooses, or unchooses, the class of the next ticket.
func (k *kiosk) onPriority(p hall.Priority) {
	if k.busy || k.view != kioskChoose {
		return
	}
	if k.prio == p {
		p = hall.Normal
	}
	k.setPriority(p)
	if p != hall.Normal {
		k.choiceN++
		n := k.choiceN
		k.cancelChoice()
		k.stopCh = k.after(kioskChoiceFor, func() {
			if n == k.choiceN {
				k.setPriority(hall.Normal)
			}
		})
	}
}

func (k *kiosk) setPriority(p hall.Priority) {
	k.prio = p
	k.elderly.set(T("敬老优先"), T("老年人优先办理"), tonePriorityOff, false)
	k.disabled.set(T("助残优先"), T("残疾人及行动不便客户"), tonePriorityOff, false)
	switch p {
	case hall.Elderly:
		k.elderly.set(T("敬老优先"), T("已选择 · 再点一次取消"), tonePriorityOn, false)
	case hall.Disabled:
		k.disabled.set(T("助残优先"), T("已选择 · 再点一次取消"), tonePriorityOn, false)
	}
	hint, ink := T(kioskPriorityHint), colorNameCustQuiet
	if p != hall.Normal {
		hint, ink = Tf("已选择%s优先服务，请点选下方业务取号", T(p.Label())), colorNameCustWarmInk
	} else {
		k.cancelChoice()
	}
	setCustText(k.hint, hint)
	setCustInk(k.hint, ink)
}

func (k *kiosk) cancelChoice() {
	if k.stopCh != nil {
		k.stopCh()
		k.stopCh = nil
	}
}

// onType issues a ticket of the business type in the chosen class.
func (k *kiosk) onType(code string) {
	if k.busy || k.view != kioskChoose {
		return
	}
	var name string
	for _, st := range k.types {
		if st.Type.Code == code {
			name = st.Type.Name
		}
	}
	p := k.prio
	k.busy = true
	setCustText(k.hint, T(kioskIssuing))
	setCustInk(k.hint, theme.ColorNameForeground)
	ctx := k.feed.ctx
	k.spawn(func() {
		t, err := k.s.svc.Issue(ctx, code, p)
		ahead := -1
		if err == nil {
			if n, aerr := k.s.svc.Ahead(ctx, t.ID); aerr == nil {
				ahead = n
			} else {
				fyne.LogError("ahead of "+t.Number, aerr)
			}
		}
		k.s.runOnMain(func() {
			k.busy = false
			k.setPriority(hall.Normal)
			if err != nil {
				// Outside the hours (this PC's clock ahead of the hall's,
				// say): the closed screen follows once the card clears.
				k.showMessage(errText(err))
				return
			}
			k.showCard(t, name, ahead)
			k.print(t, name, ahead)
		})
	})
}

// print prints the ticket just shown, off the UI thread, when a printer is
// configured. The ticket is already issued and on screen: a fault only
// adds a line to its card (which then stays its full time again) and a
// line at the kiosk's foot until a ticket prints, and goes to the
// director. UI thread.
func (k *kiosk) print(t hall.Ticket, typeName string, ahead int) {
	dev := k.s.opt.Devices
	if dev.Print == nil {
		return
	}
	job := PrintJob{Hall: k.hallName.String(), Number: t.Number, Type: typeName, Ahead: ahead, Issued: t.IssuedAt.In(k.loc)}
	if t.Priority.IsPriority() {
		job.Priority = t.Priority.Label()
	}
	gen, ctx := k.gen, k.feed.ctx
	k.printer(func() {
		err := dev.Print(ctx, job)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			fyne.LogError("print ticket "+t.Number, err)
		}
		k.s.runOnMain(func() { k.showPrinter(err, gen) })
		reportDevice(ctx, k.s, hall.DevicePrinter, "kiosk", dev.PrinterTarget, err)
	})
}

// showPrinter shows how printing went: a fault on the card of ticket gen
// if it is still up, and at the kiosk's foot. UI thread.
func (k *kiosk) showPrinter(err error, gen int) {
	if err == nil {
		k.printerBox.Hide()
		return
	}
	msg := errText(err)
	setCustText(k.printerLine, Tf(kioskPrinterDown, msg))
	k.printerBox.Show()
	if gen == k.gen && k.view == kioskCard {
		setCustText(k.cardPrinter, Tf(kioskRemember, msg))
		k.cardPrinter.Show()
		k.clearLater()
	}
}

// showCard shows the ticket just issued until the timer or 完成 clears it.
func (k *kiosk) showCard(t hall.Ticket, typeName string, ahead int) {
	setCustText(k.cardNumber, t.Number)
	kind := T(typeName)
	if t.Priority.IsPriority() {
		kind = Tf("%s · %s优先", T(typeName), T(t.Priority.Label()))
	}
	setCustText(k.cardType, kind)
	if ahead >= 0 {
		setCustText(k.cardAhead, Tf("前方等待%d人", ahead))
		k.cardAhead.Show()
	} else {
		k.cardAhead.Hide()
	}
	setCustText(k.cardTime, Tf("%s · 取号时间 %s", k.hallName.String(), t.IssuedAt.In(k.loc).Format("15:04:05")))
	// A priority ticket's card asks for the others' understanding; a
	// normal one's says where to look.
	if t.Priority.IsPriority() {
		setCustText(k.cardPriority, T(kioskPriorityLine))
		setCustInk(k.cardPriority, colorNameCustWarmInk)
	} else {
		setCustText(k.cardPriority, T(kioskWatch))
		setCustInk(k.cardPriority, colorNameCustQuiet)
	}
	k.show(kioskCard)
	k.clearLater()
}

// showMessage shows why no ticket was issued, large, until it clears.
func (k *kiosk) showMessage(msg string) {
	setCustText(k.messageText, msg)
	k.show(kioskMessage)
	k.clearLater()
}

func (k *kiosk) clearLater() {
	k.cancelCard()
	k.gen++
	gen := k.gen
	k.stop = k.after(kioskCardFor, func() {
		if gen == k.gen {
			k.clear()
		}
	})
}

func (k *kiosk) cancelCard() {
	if k.stop != nil {
		k.stop()
		k.stop = nil
	}
}

// clear takes the card or message away: the next customer sees only the
// business types (or, outside the hours, the closed screen), in the
// standard size: 长者模式 was the last customer's choice.
func (k *kiosk) clear() {
	k.cancelCard()
	k.gen++
	setCustText(k.cardNumber, "")
	setCustText(k.cardType, "")
	setCustText(k.cardAhead, "")
	setCustText(k.cardTime, "")
	setCustText(k.messageText, "")
	setCustText(k.cardPrinter, "")
	k.cardPrinter.Hide()
	if k.frame.large {
		k.frame.setLarge(false)
	}
	k.show(kioskChoose)
	k.onTick() // outside the hours: the closed screen
}

// idle reports whether the kiosk waits for the next customer: the types,
// or the closed screen.
func (k *kiosk) idle() bool { return k.view == kioskChoose || k.view == kioskClosed }

func (k *kiosk) show(v kioskView) {
	k.view = v
	for i, o := range []fyne.CanvasObject{k.choose, k.card, k.message, k.closed} {
		if kioskView(i) == v {
			o.Show()
		} else {
			o.Hide()
		}
	}
	// The card is the customer's moment: notices step aside so that it
	// fits in 长者模式, too.
	k.notices.box.Hidden = !k.idle() || !k.notices.shown
	k.notices.box.Refresh()
	if v == kioskChoose {
		k.setPriority(k.prio)
	}
}

func (k *kiosk) showStatus(msg string) {
	setCustText(k.status, msg)
	k.statusBox.Show()
}

func (k *kiosk) hideStatus() {
	if k.statusBox.Visible() {
		k.statusBox.Hide()
	}
}
