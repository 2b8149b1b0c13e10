package ui

import (
	"context"
	"errors"
	"math"
	"strings"
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
	evaluatorTitle = "评价器"
	// evalMessageFor is how long thanks or a refusal stays before the
	// evaluator goes back to the counter's card.
	evalMessageFor = 5 * time.Second
	// evalReloadEvery re-reads the counter although no event came.
	evalReloadEvery = time.Minute
	// evalLevelHeight is a rating button's least height.
	evalLevelHeight = 190

	evalGreeting   = "欢迎光临，请您对我们的服务进行监督"
	evalPrompt     = "请您对本次服务进行评价"
	evalReasonAsk  = "请选择不满意的原因（可多选）"
	evalReasonNeed = "请至少选择一项原因"
	evalPhoneAsk   = "如需回访，请留下您的联系电话（选填）"
	evalProxyAsk   = "请确认工作人员为您代办的事项"
	evalCountdown  = "请在 %d 秒内完成评价"
	evalSubmit     = "提交评价"
	// evalKeyDelete and evalKeyClear are the phone keypad's own keys.
	evalKeyDelete = "删除"
	evalKeyClear  = "清空"
)

// evalView is what the evaluator shows.
type evalView int

const (
	evalCard    evalView = iota // between services: the counter's card
	evalRating                  // the five buttons
	evalReasons                 // why not satisfied, and a phone for a call-back
	evalProxy                   // a 代办 to confirm
	evalMessage                 // thanks, or why the press did not count
)

// Rating button colours, green to red, each dark enough for white text.
var evalTones = map[hall.RatingLevel]buttonTone{
	hall.VerySatisfied:    {fill: custRGB(0x1B7A35), ink: colorNameCustOnTone},
	hall.Satisfied:        {fill: custRGB(0x4A8A1C), ink: colorNameCustOnTone},
	hall.Neutral:          {fill: custRGB(0x9C6B00), ink: colorNameCustOnTone},
	hall.Dissatisfied:     {fill: custRGB(0xC2410C), ink: colorNameCustOnTone},
	hall.VeryDissatisfied: {fill: custRGB(0xB71C1C), ink: colorNameCustOnTone},
}

var (
	toneConfirm = buttonTone{fill: custRGB(0x1B7A35), ink: colorNameCustOnTone}
	toneDecline = buttonTone{fill: custRGB(0xB71C1C), ink: colorNameCustOnTone}
)

// evalState is what the evaluator read about its counter.
type evalState struct {
	card    hall.CounterCard
	cardErr error
	proxy   *hall.Proxy
	rating  *hall.RatingRequest
	err     error // of the proxy or rating read
}

// evaluator is a counter's satisfaction buttons (评价器) and customer
// screen: the clerk's card between services, the five ratings after one,
// the reasons for a bad one, and 代办 confirmation.
type evaluator struct {
	s       *session
	counter int
	spawn   func(func())
	after   schedFunc
	feed    *custFeed

	// Owned by the UI thread.
	win       fyne.Window
	frame     *customerFrame
	root      fyne.CanvasObject
	loc       *time.Location
	tz        string
	view      evalView
	latest    evalState
	req       *hall.RatingRequest // the request the buttons answer
	answered  string              // service whose rating was recorded or refused: not asked again
	proxy     *hall.Proxy         // the 代办 on show
	level     hall.RatingLevel    // the bad level whose reasons are asked
	busy      bool
	msgGen    int
	stopMsg   func()
	views     map[evalView]fyne.CanvasObject
	hallName  *widget.RichText
	status    *widget.RichText // the hall cannot be reached, and why
	statusBox *fyne.Container

	cardCounter  *widget.RichText
	cardStaff    *widget.RichText
	cardGreeting *widget.RichText

	levelButtons map[hall.RatingLevel]*toneButton
	ratingWho    *widget.RichText
	countdown    *widget.RichText

	reasonTitle  *widget.RichText
	reasons      []*toneButton // one per hall.RatingReasons
	reasonOn     []bool
	reasonHint   *widget.RichText
	phone        *widget.Entry
	keypad       map[string]*widget.Button
	submit       *toneButton
	back         *toneButton
	reasonsCount *widget.RichText

	proxySummary *widget.RichText
	proxyNumber  *widget.RichText
	confirm      *toneButton
	decline      *toneButton

	msgTitle  *widget.RichText
	msgDetail *widget.RichText
}

// openEvaluatorWindow is the evaluator role's entry in roleTable.
func openEvaluatorWindow(s *session, counter int) (fyne.Window, error) {
	e := newEvaluator(s, counter)
	w := e.window()
	e.start()
	return w, nil
}

func newEvaluator(s *session, counter int) *evaluator {
	e := &evaluator{s: s, counter: counter, spawn: s.goBackground, feed: newCustFeed(s), loc: time.Local}
	e.after = custAfter(e.feed.ctx, s)
	e.feed.load = e.load
	e.feed.event = func(hall.Event) bool { return true }
	e.feed.reload = e.check
	e.feed.broken = func(err error) { e.showStatus(feedProblemText(err)) }
	e.build()
	return e
}

func (e *evaluator) build() {
	e.frame = newCustomerFrame(newCustomerTheme(theme.VariantLight), true)
	e.hallName = custText("", theme.SizeNameSubHeadingText, colorNameCustQuiet, fyne.TextAlignLeading)
	e.status = custText("", theme.SizeNameText, colorNameCustAttention, fyne.TextAlignCenter)
	e.statusBox = custWrapped(e.status, 90)
	e.statusBox.Hide()

	e.views = map[evalView]fyne.CanvasObject{
		evalCard:    e.buildCard(),
		evalRating:  e.buildRating(),
		evalReasons: e.buildReasons(),
		evalProxy:   e.buildProxy(),
		evalMessage: e.buildMessage(),
	}
	body := container.NewStack()
	for v := evalCard; v <= evalMessage; v++ {
		body.Add(e.views[v])
	}
	header := container.NewBorder(nil, nil, container.NewCenter(e.hallName), custAtLeastWide(220, e.frame.toggle))
	content := container.NewPadded(container.NewBorder(header, e.statusBox, nil, nil, body))
	e.root = e.frame.wrap(content)
	e.show(evalCard)
}

func (e *evaluator) buildCard() fyne.CanvasObject {
	e.cardCounter = custText(custCounterName(e.counter, ""), sizeNameCustHuge, colorNameCustNumber, fyne.TextAlignCenter)
	e.cardStaff = custText("", sizeNameCustBig, theme.ColorNameForeground, fyne.TextAlignCenter)
	e.cardGreeting = custText(T(evalGreeting), theme.SizeNameHeadingText, theme.ColorNameForeground, fyne.TextAlignCenter)
	plate := canvas.NewRectangle(custRGB(0xF5F9FF))
	plate.StrokeColor = custRGB(0x0D47A1)
	plate.StrokeWidth = 3
	plate.CornerRadius = 16
	lines := container.NewVBox(e.cardCounter, e.cardStaff, widget.NewSeparator(), e.cardGreeting)
	return container.NewCenter(custAtLeastWide(820, container.NewStack(plate, container.New(layout.NewCustomPaddedLayout(32, 32, 48, 48), lines))))
}

func (e *evaluator) buildRating() fyne.CanvasObject {
	prompt := custText(T(evalPrompt), sizeNameCustBig, theme.ColorNameForeground, fyne.TextAlignCenter)
	e.ratingWho = custText("", theme.SizeNameText, colorNameCustQuiet, fyne.TextAlignCenter)
	e.countdown = custText("", theme.SizeNameSubHeadingText, colorNameCustQuiet, fyne.TextAlignCenter)
	e.levelButtons = map[hall.RatingLevel]*toneButton{}
	row := container.NewGridWithColumns(len(hall.Levels))
	for _, l := range hall.Levels {
		detail := ""
		if l.Bad() {
			detail = T("请说明原因")
		}
		b := newToneButton(T(l.Label()), detail, evalTones[l], evalLevelHeight, func() { e.onLevel(l) })
		b.grow = true
		e.levelButtons[l] = b
		row.Add(b)
	}
	return container.NewVBox(layout.NewSpacer(), prompt, e.ratingWho, row, e.countdown, layout.NewSpacer())
}

func (e *evaluator) buildReasons() fyne.CanvasObject {
	e.reasonTitle = custText(T(evalReasonAsk), theme.SizeNameHeadingText, theme.ColorNameForeground, fyne.TextAlignLeading)
	tiles := container.NewGridWithColumns(3)
	for i, r := range hall.RatingReasons {
		b := newToneButton(T(r), "", tonePriorityOff, 68, func() { e.onReason(i) })
		e.reasons = append(e.reasons, b)
		tiles.Add(b)
	}
	e.reasonOn = make([]bool, len(e.reasons))
	e.reasonHint = custText("", theme.SizeNameText, colorNameCustAttention, fyne.TextAlignCenter)
	e.phone = widget.NewEntry()
	e.phone.SetPlaceHolder(T("手机或固定电话"))
	e.keypad = map[string]*widget.Button{}
	keys := container.NewGridWithColumns(4)
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", evalKeyDelete, evalKeyClear} {
		b := widget.NewButton(T(k), func() { e.onKey(k) })
		e.keypad[k] = b
		keys.Add(container.New(&evalMinHeight{h: 50}, b))
	}
	e.back = newToneButton(T("返回重新评价"), "", toneLargeOff, 72, func() { e.show(evalRating) })
	e.submit = newToneButton(T(evalSubmit), "", evalTones[hall.Dissatisfied], 72, e.onSubmitReasons)
	e.reasonsCount = custText("", theme.SizeNameText, colorNameCustQuiet, fyne.TextAlignCenter)

	phone := container.NewBorder(nil, nil, nil, custAtLeastWide(360, keys), container.NewVBox(layout.NewSpacer(),
		custText(T(evalPhoneAsk), theme.SizeNameText, theme.ColorNameForeground, fyne.TextAlignLeading), e.phone, layout.NewSpacer()))
	// The hint takes the countdown's place while it shows: the page has
	// to fit a 1280×800 screen in 长者模式, too.
	buttons := container.NewBorder(nil, nil, custAtLeastWide(240, e.back), custAtLeastWide(280, e.submit),
		container.NewStack(container.NewCenter(e.reasonsCount), container.NewCenter(e.reasonHint)))
	// The reasons take the room left: big targets, the phone below them.
	return container.NewBorder(e.reasonTitle, container.NewVBox(widget.NewSeparator(), phone, buttons), nil, nil, tiles)
}

func (e *evaluator) buildProxy() fyne.CanvasObject {
	title := custText(T(evalProxyAsk), sizeNameCustBig, theme.ColorNameForeground, fyne.TextAlignCenter)
	e.proxyNumber = custText("", theme.SizeNameText, colorNameCustQuiet, fyne.TextAlignCenter)
	e.proxySummary = custText("", theme.SizeNameHeadingText, theme.ColorNameForeground, fyne.TextAlignLeading)
	paper := canvas.NewRectangle(custRGB(0xFFFDF5))
	paper.StrokeColor = custRGB(0x90A4AE)
	paper.StrokeWidth = 2
	paper.CornerRadius = 12
	summary := container.NewStack(paper, container.New(layout.NewCustomPaddedLayout(16, 16, 24, 24), custWrapped(e.proxySummary, 260)))
	e.decline = newToneButton(T("不同意"), "", toneDecline, 110, func() { e.onProxy(false) })
	e.confirm = newToneButton(T("确认"), T("代办内容无误"), toneConfirm, 110, func() { e.onProxy(true) })
	e.decline.grow, e.confirm.grow = true, true
	buttons := container.NewGridWithColumns(2, e.decline, e.confirm)
	return container.NewVBox(layout.NewSpacer(), title, e.proxyNumber, summary, buttons, layout.NewSpacer())
}

func (e *evaluator) buildMessage() fyne.CanvasObject {
	e.msgTitle = custText("", sizeNameCustBig, colorNameCustServing, fyne.TextAlignCenter)
	e.msgDetail = custText("", theme.SizeNameHeadingText, theme.ColorNameForeground, fyne.TextAlignCenter)
	return container.NewVBox(layout.NewSpacer(), custWrapped(e.msgTitle, 200), custWrapped(e.msgDetail, 200), layout.NewSpacer())
}

// window opens the evaluator's window.
func (e *evaluator) window() fyne.Window {
	e.win = e.s.app.NewWindow(Tf("%s（%s）", T(evaluatorTitle), custCounterName(e.counter, "")))
	e.win.SetContent(e.root)
	e.win.Resize(customerWindowSize)
	e.win.SetOnClosed(func() {
		e.feed.stop()
		e.cancelMessage()
	})
	return e.win
}

// start follows the hall; while a rating is open, a tick each second
// counts down and asks again, so a time-out shows although no event
// announces it.
func (e *evaluator) start() {
	e.s.goBackground(e.feed.run)
	ticks := 0
	custEvery(e.feed.ctx, e.s, time.Second, func() {
		e.onTick()
		if ticks++; ticks%int(evalReloadEvery/time.Second) == 0 {
			e.feed.kick()
		}
	})
}

// load reads the hall's name and the counter's state. Feed goroutine.
func (e *evaluator) load(ctx context.Context) (int64, error) {
	o, err := e.s.svc.Overview(ctx)
	if err != nil {
		if ctx.Err() == nil {
			e.s.runOnMain(func() { e.showStatus(errText(err)) })
		}
		return 0, err
	}
	e.s.runOnMain(func() {
		if o.Hall.TimeZone != e.tz {
			e.tz, e.loc = o.Hall.TimeZone, custLocation(o.Hall.TimeZone)
		}
		setCustText(e.hallName, o.Hall.Name)
		if e.win != nil && o.Hall.Name != "" {
			e.win.SetTitle(o.Hall.Name + " · " + Tf("%s（%s）", T(evaluatorTitle), custCounterName(e.counter, "")))
		}
	})
	e.check(ctx)
	return o.LastSeq, nil
}

// check reads what the counter asks of its customer now and shows it.
// Off the UI thread.
func (e *evaluator) check(ctx context.Context) {
	var st evalState
	st.card, st.cardErr = e.s.svc.CounterCard(ctx, e.counter)
	st.proxy, st.err = e.s.svc.PendingProxy(ctx, e.counter)
	if st.err == nil {
		st.rating, st.err = e.s.svc.PendingRating(ctx, e.counter)
	}
	if ctx.Err() != nil {
		return
	}
	e.s.runOnMain(func() { e.apply(st) })
}

// apply shows what was read, unless thanks or a refusal is still showing.
// UI thread.
func (e *evaluator) apply(st evalState) {
	e.latest = st
	e.applyCard(st)
	switch err := evalFirstErr(st.cardErr, st.err); {
	case err != nil:
		e.showStatus(errText(err))
	default:
		e.hideStatus()
	}
	if e.view == evalMessage || e.busy {
		return
	}
	e.settle()
}

func evalFirstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// settle shows the view that the latest state calls for.
func (e *evaluator) settle() {
	st := e.latest
	switch {
	case st.proxy != nil:
		if e.view != evalProxy || e.proxy == nil || e.proxy.ID != st.proxy.ID {
			e.showProxy(*st.proxy)
		}
	case st.rating != nil && st.rating.ServiceID != e.answered:
		same := e.req != nil && e.req.ServiceID == st.rating.ServiceID
		r := *st.rating
		e.req = &r
		if !same || (e.view != evalRating && e.view != evalReasons) {
			e.showRating()
		}
		e.countdownNow()
	default:
		// No question open: a time-out, or nothing happened yet.
		e.show(evalCard)
	}
}

func (e *evaluator) applyCard(st evalState) {
	c := st.card
	if st.cardErr != nil {
		return
	}
	name := custCounterName(e.counter, c.Name)
	setCustText(e.cardCounter, name)
	staff := T("本窗口暂无工作人员")
	if c.StaffNo != "" {
		staff = Tf("工号 %s　%s", c.StaffNo, c.StaffName)
	}
	setCustText(e.cardStaff, staff)
	greeting := T(evalGreeting)
	switch c.State {
	case hall.CounterPaused:
		greeting = T("本窗口暂停服务，请到其他窗口办理")
	case hall.CounterClosed:
		greeting = T("本窗口暂未开放，请到其他窗口办理")
	}
	setCustText(e.cardGreeting, greeting)
	who := name
	if c.StaffNo != "" {
		who = Tf("%s · 工号 %s %s", name, c.StaffNo, c.StaffName)
	}
	setCustText(e.ratingWho, who)
}

// onTick, each second, counts the open rating down and asks the hall
// again: a time-out ends the request without an event. UI thread.
func (e *evaluator) onTick() {
	if e.countdownNow() {
		e.feed.kick()
	}
}

// countdownNow shows the seconds left to rate and reports whether a
// rating is open on screen.
func (e *evaluator) countdownNow() bool {
	if e.req == nil || (e.view != evalRating && e.view != evalReasons) {
		return false
	}
	left := int(math.Ceil(e.req.Deadline.Sub(e.s.now()).Seconds()))
	msg := Tf(evalCountdown, left)
	if left <= 0 {
		msg = T("评价时间已到")
	}
	setCustText(e.countdown, msg)
	setCustText(e.reasonsCount, msg)
	return true
}

func (e *evaluator) showRating() {
	e.level = hall.Unrated
	e.clearReasons()
	e.show(evalRating)
}

// onLevel answers the open request; a bad level first asks why.
func (e *evaluator) onLevel(l hall.RatingLevel) {
	if e.req == nil || e.busy {
		return
	}
	if l.Bad() {
		e.level = l
		e.clearReasons()
		setCustText(e.reasonTitle, Tf("您选择了「%s」，请选择原因（可多选）", T(l.Label())))
		e.show(evalReasons)
		return
	}
	e.rate(hall.RatingInput{ServiceID: e.req.ServiceID, Level: l})
}

func (e *evaluator) chosenReasons() []string {
	var out []string
	for i, on := range e.reasonOn {
		if on {
			out = append(out, hall.RatingReasons[i])
		}
	}
	return out
}

// onReason ticks or unticks a reason.
func (e *evaluator) onReason(i int) {
	e.reasonOn[i] = !e.reasonOn[i]
	e.showReasons()
}

func (e *evaluator) showReasons() {
	for i, b := range e.reasons {
		if e.reasonOn[i] {
			b.set(T(hall.RatingReasons[i]), T("已选"), tonePriorityOn, false)
		} else {
			b.set(T(hall.RatingReasons[i]), "", tonePriorityOff, false)
		}
	}
	e.setReasonHint("")
	if len(e.chosenReasons()) > 0 {
		e.submit.set(T(evalSubmit), "", evalTones[e.level], false)
	} else {
		e.submit.set(T(evalSubmit), T(evalReasonNeed), evalTones[e.level], true)
	}
}

// setReasonHint shows a problem with the reasons page in place of the
// countdown, or the countdown again ("").
func (e *evaluator) setReasonHint(msg string) {
	setCustText(e.reasonHint, msg)
	e.reasonHint.Hidden = msg == ""
	e.reasonsCount.Hidden = msg != ""
	e.reasonHint.Refresh()
	e.reasonsCount.Refresh()
}

func (e *evaluator) onKey(k string) {
	switch k {
	case evalKeyClear:
		e.phone.SetText("")
	case evalKeyDelete:
		if r := []rune(e.phone.Text); len(r) > 0 {
			e.phone.SetText(string(r[:len(r)-1]))
		}
	default:
		if len(e.phone.Text) < 20 {
			e.phone.SetText(e.phone.Text + k)
		}
	}
}

func (e *evaluator) onSubmitReasons() {
	if e.req == nil || e.busy || !e.level.Bad() {
		return
	}
	reasons := e.chosenReasons()
	if len(reasons) == 0 {
		e.showReasons()
		return
	}
	e.rate(hall.RatingInput{ServiceID: e.req.ServiceID, Level: e.level, Reasons: reasons, Phone: strings.TrimSpace(e.phone.Text)})
}

func (e *evaluator) clearReasons() {
	clear(e.reasonOn)
	e.phone.SetText("")
	setCustText(e.reasonTitle, T(evalReasonAsk))
	e.showReasons()
}

// rate sends the rating off the UI thread.
func (e *evaluator) rate(in hall.RatingInput) {
	e.busy = true
	ctx := e.feed.ctx
	e.spawn(func() {
		r, err := e.s.svc.Rate(ctx, e.counter, in)
		e.s.runOnMain(func() {
			e.busy = false
			e.rated(r, err)
		})
	})
}

func (e *evaluator) rated(r hall.Rating, err error) {
	switch {
	case err == nil:
		e.answered = r.ServiceID
		// The phone leaves the screen at once; the thanks shows it masked.
		e.clearReasons()
		title, detail := T("感谢您的评价，欢迎再次光临！"), ""
		if r.Level.Bad() {
			title, detail = T("感谢您的评价！"), T("我们将认真改进")
			if r.Phone != "" {
				detail = Tf("我们将认真改进，并通过 %s 与您联系", r.Phone)
			}
		}
		e.showMessage(title, detail, true)
		e.feed.kick()
	case e.view == evalReasons && (errors.Is(err, hall.ErrReasonRequired) || errors.Is(err, hall.ErrInvalid)):
		// Something to correct on this page: say so and stay.
		e.setReasonHint(errText(err))
	default:
		if errors.Is(err, hall.ErrRatingClosed) && e.req != nil {
			e.answered = e.req.ServiceID
		}
		e.showMessage(errText(err), "", false)
		e.feed.kick()
	}
}

func (e *evaluator) showProxy(p hall.Proxy) {
	e.proxy = &p
	setCustText(e.proxyNumber, Tf("%s号 · %s", p.Number, custCounterName(e.counter, e.latest.card.Name)))
	setCustText(e.proxySummary, p.Summary)
	e.show(evalProxy)
}

// onProxy sends the customer's answer to the 代办 on show.
func (e *evaluator) onProxy(confirm bool) {
	if e.proxy == nil || e.busy {
		return
	}
	id := e.proxy.ID
	e.busy = true
	ctx := e.feed.ctx
	e.spawn(func() {
		_, err := e.s.svc.DecideProxy(ctx, e.counter, id, confirm)
		e.s.runOnMain(func() {
			e.busy = false
			e.proxy = nil
			switch {
			case err != nil:
				e.showMessage(errText(err), "", false)
			case confirm:
				e.showMessage(T("您已确认代办事项"), T("感谢您的信任"), true)
			default:
				e.showMessage(T("您未同意本次代办"), T("工作人员将与您沟通"), true)
			}
			e.feed.kick()
		})
	})
}

// showMessage shows thanks (ok) or a refusal briefly, then whatever the
// counter asks next.
func (e *evaluator) showMessage(title, detail string, ok bool) {
	ink := colorNameCustServing
	if !ok {
		ink = colorNameCustAttention
	}
	setCustText(e.msgTitle, title)
	setCustInk(e.msgTitle, ink)
	setCustText(e.msgDetail, detail)
	e.show(evalMessage)
	e.cancelMessage()
	e.msgGen++
	gen := e.msgGen
	e.stopMsg = e.after(evalMessageFor, func() {
		if gen == e.msgGen {
			e.endMessage()
		}
	})
}

// endMessage leaves thanks or a refusal. The timer calls it; tests too.
// The customer is done: 长者模式, their choice, ends with them.
func (e *evaluator) endMessage() {
	e.cancelMessage()
	e.msgGen++
	if e.frame.large {
		e.frame.setLarge(false)
	}
	e.view = evalCard
	e.settle()
}

func (e *evaluator) cancelMessage() {
	if e.stopMsg != nil {
		e.stopMsg()
		e.stopMsg = nil
	}
}

func (e *evaluator) show(v evalView) {
	e.view = v
	for k, o := range e.views {
		if k == v {
			o.Show()
		} else {
			o.Hide()
		}
	}
	e.countdownNow()
}

func (e *evaluator) showStatus(msg string) {
	setCustText(e.status, msg)
	e.statusBox.Show()
}

func (e *evaluator) hideStatus() {
	if e.statusBox.Visible() {
		e.statusBox.Hide()
	}
}

// evalMinHeight makes its objects at least h tall.
type evalMinHeight struct{ h float32 }

func (m *evalMinHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return fyne.NewSize(s.Width, max(s.Height, m.h))
}

func (m *evalMinHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
