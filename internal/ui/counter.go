package ui

import (
	"context"
	"errors"
	"image/color"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

const (
	counterTitle = "柜台呼叫器"
	// defaultIdleLock is how long the counter window waits without input
	// before it hides the main view behind the PIN (customer data stays on
	// screen otherwise while the clerk is away).
	defaultIdleLock = 5 * time.Minute
	// idleCheckEvery is how often the idle timer looks at the clock.
	idleCheckEvery = 10 * time.Second
	// signOutTimeout bounds the sign-out when the window closes.
	signOutTimeout = 5 * time.Second
	// numberTextSize is the current ticket's number: readable from the
	// clerk's chair at a glance.
	numberTextSize = 80
)

// counterView is which of the counter window's views shows.
type counterView int

const (
	viewSignIn counterView = iota
	viewMain
	viewLocked
)

// The caller's function keys, as on a physical 呼叫器.
const (
	keyCall     = fyne.KeyF1
	keyRecall   = fyne.KeyF2
	keyNoShow   = fyne.KeyF3
	keyTransfer = fyne.KeyF4
	keyPause    = fyne.KeyF5
	keyStart    = fyne.KeyF6
	keyFinish   = fyne.KeyF8
	// keyRequeue (F7) is in counter_requeue.go.
)

// counterScreen is the clerk's window at one counter: sign-in, the caller
// with its function keys, and the script panel that walks the clerk from
// greeting to farewell.
type counterScreen struct {
	s        *session
	counter  int
	idleLock time.Duration
	// spawn runs service calls off the UI thread; tests run them inline.
	spawn func(func())
	// follow starts the event stream and the idle timer after sign-in;
	// tests drive both by hand.
	follow bool
	// onStatus, if set, is called on the UI thread after each status is
	// shown. Tests wait on it.
	onStatus func(hall.CounterStatus)
	// retry is the pause before the event stream is joined again.
	retry time.Duration

	// Owned by the UI thread.
	win       fyne.Window
	view      counterView
	gen       int // bumped at each sign-in and sign-out; stale answers are dropped
	busy      bool
	tok       hall.Token
	sess      hall.Session
	cfg       hall.Config
	loc       *time.Location
	scripts   hall.Scripts
	status    hall.CounterStatus
	hasStatus bool
	lastCall  *hall.Call // the last call made here, for its apology flag
	ticketID  string     // the ticket the script panel was set up for
	lastInput time.Time
	stopLive  context.CancelFunc
	pending   *pendingReloads
	held      heldToken

	signInView fyne.CanvasObject
	mainView   fyne.CanvasObject
	lockView   fyne.CanvasObject

	// Sign-in view.
	signInTitle *widget.Label
	staffNo     *widget.Entry
	pin         *widget.Entry
	signInBtn   *widget.Button
	signInMsg   *widget.Label

	// Lock view.
	lockWho     *widget.Label
	lockPIN     *widget.Entry
	unlockBtn   *widget.Button
	lockSignOut *widget.Button
	lockMsg     *widget.Label

	// Main view: header.
	clerkLabel   *widget.Label
	counterLabel *widget.Label
	signOutBtn   *widget.Button
	// The current ticket.
	number      *canvas.Text
	typeName    *widget.Label
	priority    *widget.Label
	ticketState *widget.Label
	waited      *widget.Label
	recalls     *widget.Label
	// The caller's buttons, by function key.
	callBtn, recallBtn, noShowBtn, transferBtn, pauseBtn, startBtn, finishBtn *widget.Button
	// What waits for this counter and the clerk's day.
	waitingBox *fyne.Container
	stats      *widget.Label
	statusLine *widget.Label
	noticeLine *widget.Label  // the notices in force; hidden while none
	notices    []hall.Notice  // as last read
	syncLine   *syncIndicator // nil without HQ

	// The transfer dialog, while it shows.
	transferType    *widget.Select
	transferCounter *widget.Select
	transferOK      *widget.Button
	transferDlg     dialog.Dialog

	counterRequeue
	scriptPanel
}

// pendingReloads records which kinds of events arrived since the last
// refresh, so that one refresh reloads what they touched.
type pendingReloads struct {
	mu          sync.Mutex
	scripts     bool
	escalations bool
	decided     []hall.Proxy // 代办 the customers decided on
	policy      *hall.Policy // the hall's rules, when they changed
	notices     bool
	config      bool // read the rules again (after a gap in the events)
}

// markAll asks for everything the events keep up to date: after the live
// feed was broken, the events of the gap are not replayed.
func (p *pendingReloads) markAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.scripts, p.escalations, p.notices, p.config = true, true, true, true
}

func (p *pendingReloads) note(e hall.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e.Kind {
	case hall.KindScriptsSaved:
		p.scripts = true
	case hall.KindPolicySet:
		// The rules decide whether 过号重排 is offered.
		var pol hall.Policy
		if e.Decode(&pol) == nil {
			p.policy = &pol
		}
	case hall.KindEscalated, hall.KindEscalationReply:
		p.escalations = true
	case hall.KindNoticePosted, hall.KindNoticeEnded, hall.KindEmergencyStart, hall.KindEmergencyEnd,
		hall.KindReceptionScheduled, hall.KindReceptionCancelled, hall.KindDayOpened:
		p.notices = true
	case hall.KindProxyDecided:
		var d hall.Proxy
		if e.Decode(&d) == nil {
			p.decided = append(p.decided, d)
		}
	}
}

func (p *pendingReloads) take() (scripts, escalations, notices, config bool, decided []hall.Proxy, policy *hall.Policy) {
	p.mu.Lock()
	defer p.mu.Unlock()
	scripts, escalations, notices, config, decided, policy = p.scripts, p.escalations, p.notices, p.config, p.decided, p.policy
	p.scripts, p.escalations, p.notices, p.config, p.decided, p.policy = false, false, false, false, nil, nil
	return
}

// openCounterWindow is the counter role's entry in roleTable.
func openCounterWindow(s *session, counter int) (fyne.Window, error) {
	cs := newCounterScreen(s, counter)
	w := cs.window()
	cs.start()
	return w, nil
}

func newCounterScreen(s *session, counter int) *counterScreen {
	cs := &counterScreen{
		s:        s,
		counter:  counter,
		idleLock: defaultIdleLock,
		spawn:    s.goBackground,
		follow:   true,
		retry:    retryAfter,
		loc:      time.Local,
		scripts:  hall.DefaultScripts(),
		pending:  &pendingReloads{},
	}
	cs.signInView = cs.buildSignIn()
	cs.lockView = cs.buildLock()
	cs.mainView = cs.buildMain()
	for _, l := range []*widget.Label{
		cs.signInMsg, cs.lockMsg, cs.materialPhrase, cs.cashDueErr, cs.cashReceivedErr, cs.cashDueDaxie,
		cs.cashReceivedDaxie, cs.cashReceivedPhrase, cs.cashChangeDaxie, cs.cashChangePhrase, cs.escMsg,
		cs.escPhrase, cs.proxyMsg, cs.complaint.msg, cs.complaint.done, cs.fault.msg, cs.fault.done, cs.farewellNote,
	} {
		showLine(l, l.Text)
	}
	return cs
}

// show sets an optional line's text and hides it while empty, so that
// blank lines take no room.
func showLine(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// window opens the counter's window on the sign-in view.
func (cs *counterScreen) window() fyne.Window {
	cs.win = cs.s.app.NewWindow(Tf("柜台呼叫器（%d号窗口）", cs.counter))
	cs.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) { cs.functionKey(k.Name) })
	cs.win.SetOnClosed(cs.closed)
	cs.showView(viewSignIn)
	cs.win.Resize(fyne.NewSize(1200, 760))
	return cs.win
}

// start reads the hall's configuration for the sign-in view.
func (cs *counterScreen) start() {
	cs.s.goBackground(func() { cs.s.signOutOnQuit(&cs.held) })
	cs.syncLine.start()
	cs.spawn(func() {
		cfg, err := cs.s.svc.Config(cs.s.ctx)
		cs.s.runOnMain(func() {
			if err != nil {
				showLine(cs.signInMsg, errText(err))
				return
			}
			cs.applyConfig(cfg)
		})
	})
}

// The token lives only in this window's memory, so a session left behind
// when the window closes or the program quits would have no holder: both
// sign out.

// closed signs out when the window closes. UI thread.
func (cs *counterScreen) closed() {
	cs.syncLine.close()
	if cs.stopLive != nil {
		cs.stopLive()
	}
	cs.tok = ""
	cs.gen++
	cs.s.signOutHeld(&cs.held, cs.spawn)
}

// signOutQuietly ends tok's session for a window that is going: one
// already ended is fine, any other failure is only logged.
func (s *session) signOutQuietly(ctx context.Context, tok hall.Token) {
	ctx, cancel := context.WithTimeout(ctx, signOutTimeout)
	defer cancel()
	if err := s.svc.SignOut(ctx, tok); err != nil && !errors.Is(err, hall.ErrNotSignedIn) {
		fyne.LogError("sign out", err)
	}
}

// signOutHeld signs out the token a closing window holds, off the UI
// thread through spawn. UI thread.
func (s *session) signOutHeld(h *heldToken, spawn func(func())) {
	if tok := h.take(); tok != "" {
		ctx := context.WithoutCancel(s.ctx)
		spawn(func() { s.signOutQuietly(ctx, tok) })
	}
}

// signOutOnQuit signs out the held token when the program quits; the glfw
// driver closes no window then. Run it with goBackground.
func (s *session) signOutOnQuit(h *heldToken) {
	<-s.ctx.Done()
	if tok := h.take(); tok != "" {
		s.signOutQuietly(context.WithoutCancel(s.ctx), tok)
	}
}

// heldToken is the signed-in token as the quit handler sees it, off the
// UI thread.
type heldToken struct {
	mu  sync.Mutex
	tok hall.Token
}

func (h *heldToken) set(t hall.Token) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tok = t
}

// take returns the token and forgets it, so that only one sign-out runs.
func (h *heldToken) take() hall.Token {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.tok
	h.tok = ""
	return t
}

func (cs *counterScreen) showView(v counterView) {
	cs.view = v
	switch v {
	case viewSignIn:
		cs.win.SetContent(cs.signInView)
		cs.win.Canvas().Focus(cs.staffNo)
	case viewLocked:
		cs.win.SetContent(cs.lockView)
		cs.win.Canvas().Focus(cs.lockPIN)
	default:
		cs.win.SetContent(cs.mainView)
	}
}

// applyConfig shows the hall and counter names and keeps the business
// types and counters for the transfer dialog.
func (cs *counterScreen) applyConfig(cfg hall.Config) {
	cs.cfg = cfg
	cs.loc = time.Local
	if loc, err := time.LoadLocation(cfg.Hall.TimeZone); err == nil && cfg.Hall.TimeZone != "" {
		cs.loc = loc
	}
	name, ok := cs.counterName()
	if !ok {
		showLine(cs.signInMsg, errText(hall.ErrUnknownCounter))
		cs.signInBtn.Disable()
		return
	}
	cs.signInBtn.Enable()
	cs.signInTitle.SetText(cfg.Hall.Name + " · " + name)
	cs.win.SetTitle(T(counterTitle) + " · " + name)
}

func (cs *counterScreen) counterName() (string, bool) {
	for _, c := range cs.cfg.Counters {
		if c.No == cs.counter {
			return c.Name, true
		}
	}
	return Tf("%d号窗口", cs.counter), false
}

// typeLabel is the name of a business type code, in the windows'
// language (a hall's own names stay as they are).
func (cs *counterScreen) typeLabel(code string) string {
	for _, t := range cs.cfg.Types {
		if t.Code == code {
			return T(t.Name)
		}
	}
	for _, w := range cs.status.Waiting {
		if w.Type.Code == code {
			return T(w.Type.Name)
		}
	}
	return code
}

// --- Views -------------------------------------------------------------

func (cs *counterScreen) buildSignIn() fyne.CanvasObject {
	cs.signInTitle = &widget.Label{Text: T("正在读取营业厅设置…"), Alignment: fyne.TextAlignCenter}
	cs.staffNo = widget.NewEntry()
	cs.staffNo.SetPlaceHolder(T("请输入工号"))
	cs.pin = widget.NewPasswordEntry()
	cs.pin.SetPlaceHolder(T("请输入密码"))
	cs.signInMsg = &widget.Label{Importance: widget.DangerImportance, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	cs.signInBtn = widget.NewButton(T("登录"), cs.onSignIn)
	cs.signInBtn.Importance = widget.HighImportance
	cs.staffNo.OnSubmitted = func(string) { cs.onSignIn() }
	cs.pin.OnSubmitted = func(string) { cs.onSignIn() }

	title := &widget.Label{Text: T(counterTitle), SizeName: theme.SizeNameHeadingText, Alignment: fyne.TextAlignCenter}
	form := widget.NewForm(widget.NewFormItem(T("工号"), cs.staffNo), widget.NewFormItem(T("密码"), cs.pin))
	box := container.NewVBox(title, cs.signInTitle, widget.NewSeparator(), form, cs.signInBtn, cs.signInMsg)
	return container.NewCenter(container.New(&counterMinWidth{w: 420}, widget.NewCard("", "", box)))
}

func (cs *counterScreen) buildLock() fyne.CanvasObject {
	cs.lockWho = &widget.Label{Alignment: fyne.TextAlignCenter}
	cs.lockPIN = widget.NewPasswordEntry()
	cs.lockPIN.SetPlaceHolder(T("请输入密码解锁"))
	cs.lockPIN.OnSubmitted = func(string) { cs.onUnlock() }
	cs.unlockBtn = widget.NewButton(T("解锁"), cs.onUnlock)
	cs.unlockBtn.Importance = widget.HighImportance
	cs.lockSignOut = widget.NewButton(T("退出登录"), cs.onSignOut)
	cs.lockMsg = &widget.Label{Importance: widget.DangerImportance, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	title := &widget.Label{Text: T("屏幕已锁定"), SizeName: theme.SizeNameHeadingText, Alignment: fyne.TextAlignCenter}
	hint := heading(T("长时间未操作，已隐藏业务内容。请输入密码继续。"), fyne.TextAlignCenter)
	box := container.NewVBox(title, cs.lockWho, hint, widget.NewSeparator(),
		widget.NewForm(widget.NewFormItem(T("密码"), cs.lockPIN)),
		container.NewGridWithColumns(2, cs.lockSignOut, cs.unlockBtn), cs.lockMsg)
	return container.NewCenter(container.New(&counterMinWidth{w: 420}, widget.NewCard("", "", box)))
}

func (cs *counterScreen) buildMain() fyne.CanvasObject {
	cs.clerkLabel = &widget.Label{Text: "—"}
	cs.counterLabel = &widget.Label{Text: "—", TextStyle: fyne.TextStyle{Bold: true}}
	cs.signOutBtn = widget.NewButtonWithIcon(T("退出登录"), theme.LogoutIcon(), cs.onSignOut)
	cs.stats = &widget.Label{Text: Tf("今日已办结 %d 笔", 0)}
	cs.syncLine = newSyncIndicator(cs.s, false)
	header := container.NewHBox(
		&widget.Label{Text: T(counterTitle), SizeName: theme.SizeNameSubHeadingText},
		cs.counterLabel, layout.NewSpacer(), cs.syncLine.object(), cs.stats, widget.NewSeparator(), cs.clerkLabel, cs.signOutBtn,
	)

	cs.number = canvas.NewText("—", theme.Color(theme.ColorNamePrimary))
	cs.number.TextSize = numberTextSize
	cs.number.TextStyle.Bold = true
	cs.number.Alignment = fyne.TextAlignCenter
	cs.typeName = &widget.Label{SizeName: theme.SizeNameSubHeadingText, Alignment: fyne.TextAlignCenter, Truncation: fyne.TextTruncateEllipsis}
	cs.priority = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	cs.ticketState = &widget.Label{SizeName: theme.SizeNameSubHeadingText, Alignment: fyne.TextAlignCenter}
	cs.waited = &widget.Label{}
	cs.recalls = &widget.Label{}
	ticket := widget.NewCard("", "", container.NewVBox(
		container.NewBorder(nil, nil, heading(T("当前号码"), fyne.TextAlignLeading), cs.ticketState),
		cs.number,
		cs.typeName,
		container.NewCenter(container.NewHBox(cs.priority, cs.waited, cs.recalls)),
	))

	btn := func(text string, key fyne.KeyName, fn func()) *widget.Button {
		b := widget.NewButton(keyLabel(text, key), func() { cs.touch(); fn() })
		b.Disable()
		return b
	}
	cs.callBtn = btn(T("呼叫下一位"), keyCall, cs.onCall)
	cs.callBtn.Importance = widget.HighImportance
	cs.recallBtn = btn(T("重呼"), keyRecall, cs.onRecall)
	cs.noShowBtn = btn(T("过号"), keyNoShow, cs.onNoShow)
	cs.transferBtn = btn(T("转移"), keyTransfer, cs.onTransfer)
	cs.pauseBtn = btn(T("暂停服务"), keyPause, cs.onPause)
	cs.startBtn = btn(T("开始办理"), keyStart, cs.onStart)
	cs.startBtn.Importance = widget.SuccessImportance
	cs.finishBtn = btn(T("结束服务"), keyFinish, cs.onFinish)
	cs.finishBtn.Importance = widget.SuccessImportance
	cs.requeueBtn = btn(T("过号重排"), keyRequeue, cs.onRequeue)
	tall := func(o fyne.CanvasObject) fyne.CanvasObject { return container.New(&atLeastTall{h: 52}, o) }
	// Laid out as a physical caller: call and recall on top, the service
	// in the middle, the rarer keys below.
	buttons := container.NewGridWithColumns(3,
		tall(cs.callBtn), tall(cs.recallBtn), tall(cs.noShowBtn),
		tall(cs.startBtn), tall(cs.finishBtn), tall(cs.transferBtn),
		tall(cs.pauseBtn), tall(cs.requeueBtn),
	)

	cs.waitingBox = container.NewVBox()
	queue := widget.NewCard("", "", container.NewVBox(heading(T("等候本窗口"), fyne.TextAlignLeading), cs.waitingBox))

	left := container.NewVBox(ticket, buttons, queue)
	cs.statusLine = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	right := cs.buildScripts()
	split := container.NewHSplit(container.NewVScroll(left), right)
	split.Offset = 0.42
	// The outage and emergency notices the clerk answers customers from
	// (clause 4.3.1): hidden while there are none.
	cs.noticeLine = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}
	cs.noticeLine.Hide()
	return container.NewBorder(
		container.NewVBox(header, cs.noticeLine, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), cs.statusLine),
		nil, nil, split)
}

// applyNotices shows the hall's notices in force, emergencies first, each
// with when it ends; a failed read clears the line rather than leave an
// earlier one up. UI thread.
func (cs *counterScreen) applyNotices(notices []hall.Notice, err error) {
	if err != nil {
		notices = nil
	}
	cs.notices = notices
	cs.showNotices()
}

// noticeReadEvery is how many idle-timer ticks pass between two reads of
// the hall's notices, for one that begins with no event to say so.
const noticeReadEvery = 6

// noticeTick keeps the notice line current between events: it leaves out
// what has ended and, when read, reads the hall's notices again for one
// that has begun. Off the UI thread.
func (cs *counterScreen) noticeTick(ctx context.Context, gen int, read bool) {
	var (
		notices []hall.Notice
		err     error
	)
	if read {
		notices, err = cs.s.svc.Notices(ctx)
	}
	cs.s.runOnMain(func() {
		if gen != cs.gen || ctx.Err() != nil {
			return
		}
		if read {
			cs.applyNotices(notices, err)
		} else {
			cs.showNotices()
		}
	})
}

// showNotices shows those of the notices read that are in force now: one
// that has ended, or not begun, is left out, although no event says so.
// Called again by the idle timer's tick. UI thread.
func (cs *counterScreen) showNotices() {
	var lines []string
	emergency := false
	now := cs.s.now()
	for _, n := range cs.notices {
		if (!n.Until.IsZero() && !now.Before(n.Until)) || (!n.From.IsZero() && now.Before(n.From)) {
			continue
		}
		until := ""
		if !n.Until.IsZero() {
			until = Tf("（至 %s）", n.Until.In(cs.loc).Format("01-02 15:04"))
		}
		lines = append(lines, Tf("【%s】%s%s", T(n.Kind.Label()), n.TextIn(T), until))
		emergency = emergency || n.Kind == hall.NoticeEmergency
	}
	cs.noticeLine.Importance = widget.WarningImportance
	if emergency {
		cs.noticeLine.Importance = widget.DangerImportance
	}
	cs.noticeLine.SetText(strings.Join(lines, "\n"))
	cs.noticeLine.Hidden = len(lines) == 0
	cs.noticeLine.Refresh()
}

// keyLabel is a button's text with its function key: 「呼叫下一位 (F1)」.
func keyLabel(text string, key fyne.KeyName) string { return text + " (" + string(key) + ")" }

// --- Sign-in, lock, sign-out --------------------------------------------

func (cs *counterScreen) onSignIn() {
	if cs.view != viewSignIn || cs.busy || cs.signInBtn.Disabled() {
		return
	}
	no, pin := cs.staffNo.Text, cs.pin.Text
	switch {
	case no == "":
		showLine(cs.signInMsg, T("请输入工号"))
		cs.win.Canvas().Focus(cs.staffNo)
		return
	case pin == "":
		showLine(cs.signInMsg, T("请输入密码"))
		cs.win.Canvas().Focus(cs.pin)
		return
	}
	cs.busy = true
	cs.signInBtn.Disable()
	showLine(cs.signInMsg, T("正在登录…"))
	ctx, svc, counter := cs.s.ctx, cs.s.svc, cs.counter
	cs.spawn(func() {
		sess, err := svc.SignIn(ctx, counter, no, pin)
		var in signedIn
		if err == nil {
			in = cs.load(ctx, sess.Token)
		}
		cs.s.runOnMain(func() {
			cs.busy = false
			cs.signInBtn.Enable()
			cs.pin.SetText("")
			if err != nil {
				showLine(cs.signInMsg, errText(err))
				cs.win.Canvas().Focus(cs.pin)
				return
			}
			cs.signedIn(sess, in)
		})
	})
}

// signedIn is what the window reads right after sign-in.
type signedIn struct {
	cfg        hall.Config
	cfgErr     error
	scripts    hall.Scripts
	scriptsErr error
	status     hall.CounterStatus
	statusErr  error
	escs       []hall.Escalation
	escsErr    error
	notices    []hall.Notice
	noticesErr error
}

// load reads everything the main view shows. Off the UI thread.
func (cs *counterScreen) load(ctx context.Context, tok hall.Token) signedIn {
	var in signedIn
	svc := cs.s.svc
	in.cfg, in.cfgErr = svc.Config(ctx)
	in.scripts, in.scriptsErr = svc.Scripts(ctx)
	in.status, in.statusErr = svc.CounterStatus(ctx, tok)
	in.escs, in.escsErr = svc.Escalations(ctx, tok)
	in.notices, in.noticesErr = svc.Notices(ctx)
	return in
}

func (cs *counterScreen) signedIn(sess hall.Session, in signedIn) {
	cs.gen++
	cs.tok, cs.sess = sess.Token, sess
	cs.held.set(sess.Token)
	cs.lastCall, cs.ticketID, cs.hasStatus = nil, "", false
	cs.status = hall.CounterStatus{}
	cs.staffNo.SetText("")
	showLine(cs.signInMsg, "")
	if in.cfgErr == nil {
		cs.applyConfig(in.cfg)
	}
	who := Tf("%s（工号%s）", sess.Staff.Name, sess.Staff.No)
	cs.clerkLabel.SetText(who)
	name, _ := cs.counterName()
	cs.lockWho.SetText(who + " · " + name)
	cs.showNote(Tf("登录成功，欢迎 %s", sess.Staff.Name))
	switch {
	case in.scriptsErr != nil:
		cs.scripts = hall.DefaultScripts()
		cs.showProblem(Tf("话术读取失败，暂用默认话术：%s", errText(in.scriptsErr)))
	default:
		cs.scripts = in.scripts
	}
	cs.resetScripts()
	if in.cfgErr != nil {
		cs.showError(in.cfgErr)
	}
	cs.applyEscalations(in.escs, in.escsErr)
	cs.applyNotices(in.notices, in.noticesErr)
	cs.touch()
	cs.showView(viewMain)
	cs.applyStatus(in.status, in.statusErr)
	if cs.follow {
		cs.startLive()
	}
}

// startLive follows the hall's events and runs the idle timer for the
// session. UI thread.
func (cs *counterScreen) startLive() {
	if cs.tok == "" {
		return
	}
	ctx, cancel := context.WithCancel(cs.s.ctx)
	cs.stopLive = cancel
	tok, gen := cs.tok, cs.gen
	cs.s.goBackground(func() { cs.live(ctx, tok, gen) })
	cs.s.goBackground(func() { cs.idleTimer(ctx, gen) })
}

// signedOut returns to the sign-in view with a message. UI thread.
func (cs *counterScreen) signedOut(msg string) {
	if cs.stopLive != nil {
		cs.stopLive()
		cs.stopLive = nil
	}
	cs.gen++
	cs.tok, cs.sess = "", hall.Session{}
	cs.held.set("")
	cs.busy = false
	cs.hideDialogs()
	cs.lockPIN.SetText("")
	showLine(cs.lockMsg, "")
	showLine(cs.signInMsg, msg)
	cs.showView(viewSignIn)
}

func (cs *counterScreen) onSignOut() {
	if cs.tok == "" || cs.busy {
		return
	}
	tok := cs.tok
	cs.busy = true
	ctx, svc := cs.s.ctx, cs.s.svc
	cs.spawn(func() {
		err := svc.SignOut(ctx, tok)
		cs.s.runOnMain(func() {
			cs.busy = false
			if err != nil && !errors.Is(err, hall.ErrNotSignedIn) {
				cs.showError(err)
				showLine(cs.lockMsg, errText(err))
				return
			}
			cs.signedOut(T("已退出登录"))
		})
	})
}

// touch records input: the idle lock counts from the last one.
func (cs *counterScreen) touch() { cs.lastInput = cs.s.now() }

// checkIdle locks the window when the clerk has been away for idleLock.
// UI thread.
func (cs *counterScreen) checkIdle() {
	if cs.view == viewMain && cs.idleLock > 0 && cs.s.now().Sub(cs.lastInput) >= cs.idleLock {
		cs.lockNow()
	}
}

// lockNow hides the main view behind the PIN. UI thread.
func (cs *counterScreen) lockNow() {
	if cs.view != viewMain {
		return
	}
	cs.hideDialogs()
	cs.lockPIN.SetText("")
	showLine(cs.lockMsg, "")
	cs.showView(viewLocked)
}

func (cs *counterScreen) idleTimer(ctx context.Context, gen int) {
	t := time.NewTicker(idleCheckEvery)
	defer t.Stop()
	for ticks := 1; ; ticks++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			cs.s.runOnMain(func() {
				if gen == cs.gen {
					cs.checkIdle()
				}
			})
			cs.noticeTick(ctx, gen, ticks%noticeReadEvery == 0)
		}
	}
}

func (cs *counterScreen) onUnlock() {
	if cs.view != viewLocked || cs.busy {
		return
	}
	pin := cs.lockPIN.Text
	if pin == "" {
		showLine(cs.lockMsg, T("请输入密码"))
		return
	}
	cs.busy = true
	cs.unlockBtn.Disable()
	tok, gen := cs.tok, cs.gen
	ctx, svc := cs.s.ctx, cs.s.svc
	cs.spawn(func() {
		_, err := svc.Unlock(ctx, tok, pin)
		cs.s.runOnMain(func() {
			cs.busy = false
			cs.unlockBtn.Enable()
			if gen != cs.gen {
				return
			}
			cs.lockPIN.SetText("")
			switch {
			case errors.Is(err, hall.ErrStaffLocked), errors.Is(err, hall.ErrNotSignedIn):
				cs.signedOut(errText(err))
			case err != nil:
				showLine(cs.lockMsg, errText(err))
				cs.win.Canvas().Focus(cs.lockPIN)
			default:
				showLine(cs.lockMsg, "")
				cs.touch()
				cs.showView(viewMain)
			}
		})
	})
}

func (cs *counterScreen) hideDialogs() {
	if cs.transferDlg != nil {
		cs.transferDlg.Hide()
		cs.transferDlg = nil
	}
	if cs.replyDlg != nil {
		cs.replyDlg.Hide()
		cs.replyDlg = nil
	}
	if cs.requeueDlg != nil {
		cs.requeueDlg.Hide()
		cs.requeueDlg = nil
	}
}

// --- The caller ---------------------------------------------------------

// functionKey runs the caller action of a function key and reports whether
// the key is one of the caller's. UI thread.
func (cs *counterScreen) functionKey(k fyne.KeyName) bool {
	var b *widget.Button
	switch k {
	case keyCall:
		b = cs.callBtn
	case keyRecall:
		b = cs.recallBtn
	case keyNoShow:
		b = cs.noShowBtn
	case keyTransfer:
		b = cs.transferBtn
	case keyPause:
		b = cs.pauseBtn
	case keyStart:
		b = cs.startBtn
	case keyFinish:
		b = cs.finishBtn
	case keyRequeue:
		b = cs.requeueBtn
	default:
		return false
	}
	// A dialog in front takes no caller keys: F8 must not finish a
	// service behind the transfer dialog.
	if cs.view == viewMain && cs.transferDlg == nil && cs.replyDlg == nil && cs.requeueDlg == nil && !b.Disabled() && b.OnTapped != nil {
		b.OnTapped()
	}
	return true
}

// callerOp is one caller action against the hall. It runs off the UI
// thread and returns what to show on success (on the UI thread).
type callerOp func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error)

// caller runs op, then reads the counter's status, and shows both.
func (cs *counterScreen) caller(op callerOp) {
	if cs.view != viewMain || cs.busy || cs.tok == "" {
		return
	}
	cs.busy = true
	tok, gen := cs.tok, cs.gen
	ctx, svc := cs.s.ctx, cs.s.svc
	cs.spawn(func() {
		done, err := op(ctx, svc, tok)
		st, serr := svc.CounterStatus(ctx, tok)
		cs.s.runOnMain(func() {
			cs.busy = false
			if gen != cs.gen {
				return
			}
			if err != nil {
				cs.showError(err)
			} else if done != nil {
				done()
			}
			if err == nil || !errors.Is(err, hall.ErrNotSignedIn) {
				cs.applyStatus(st, serr)
			}
		})
	})
}

func (cs *counterScreen) onCall() {
	cs.caller(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		c, err := svc.CallNext(ctx, tok)
		return func() {
			cs.lastCall = &c
			cs.showNote(Tf("已呼叫 %s 号", c.Ticket.Number))
			cs.showCall(c)
		}, err
	})
}

func (cs *counterScreen) onRecall() {
	cs.caller(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		c, err := svc.Recall(ctx, tok)
		return func() {
			if cs.lastCall != nil && cs.lastCall.Ticket.ID == c.Ticket.ID {
				c.Apologise = c.Apologise || cs.lastCall.Apologise
			}
			cs.lastCall = &c
			cs.showNote(Tf("已重呼 %s 号（第%d次）", c.Ticket.Number, c.Ticket.Recalls))
		}, err
	})
}

func (cs *counterScreen) onNoShow() {
	cs.caller(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		t, err := svc.NoShow(ctx, tok)
		return func() { cs.showNote(Tf("%s 号已过号", t.Number)) }, err
	})
}

func (cs *counterScreen) onStart() {
	cs.caller(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		t, err := svc.Start(ctx, tok)
		return func() {
			cs.showNote(Tf("开始办理 %s 号", t.Number))
			if len(cs.scripts.MaterialsFor(t.Type)) > 0 {
				cs.tabs.Select(cs.tabMaterials)
			}
		}, err
	})
}

func (cs *counterScreen) onFinish() {
	cs.caller(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		r, err := svc.Finish(ctx, tok)
		return func() {
			cs.showNote(Tf("%s 号已办结，用时 %s", r.Number, formatServiceTime(r.Duration())))
			cs.showFarewell(r)
		}, err
	})
}

func (cs *counterScreen) onPause() {
	to := hall.CounterPaused
	if cs.status.Counter.State != hall.CounterOpen {
		to = hall.CounterOpen
	}
	counter := cs.counter
	cs.caller(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		c, err := svc.SetCounterState(ctx, tok, counter, to)
		return func() { cs.showNote(stateNote(c.Name, c.State)) }, err
	})
}

// stateNote tells the clerk the counter's new state.
func stateNote(name string, s hall.CounterState) string {
	switch s {
	case hall.CounterOpen:
		return Tf("%s已恢复服务", name)
	case hall.CounterPaused:
		return Tf("%s已暂停服务", name)
	case hall.CounterClosed:
		return Tf("%s已关闭", name)
	}
	return Tf("%s已%s", name, T(s.Label()))
}

// clerkCounterState is a counter's state for the clerk. Closed reads as
// 已关闭: the domain's 关闭 is also the word on Close buttons.
func clerkCounterState(s hall.CounterState) string {
	if s == hall.CounterClosed {
		return T("已关闭")
	}
	return T(s.Label())
}

// onTransfer asks where the current customer goes.
func (cs *counterScreen) onTransfer() {
	t := cs.status.Ticket
	if cs.view != viewMain || t == nil {
		return
	}
	var (
		typeCodes []string
		typeNames []string
		counters  []int
		names     []string
	)
	for _, bt := range cs.cfg.Types {
		if bt.Retired || bt.Code == t.Type {
			continue
		}
		typeCodes = append(typeCodes, bt.Code)
		typeNames = append(typeNames, T(bt.Name))
	}
	for _, c := range cs.cfg.Counters {
		if c.No == cs.counter || c.State == hall.CounterClosed {
			continue
		}
		counters = append(counters, c.No)
		names = append(names, c.Name)
	}
	cs.transferType = widget.NewSelect(typeNames, nil)
	cs.transferType.PlaceHolder = T("不改变业务类型")
	cs.transferCounter = widget.NewSelect(names, nil)
	cs.transferCounter.PlaceHolder = T("不指定窗口")
	cs.transferOK = widget.NewButton(T("确认转移"), nil)
	cs.transferOK.Importance = widget.HighImportance
	cs.transferOK.Disable()
	enable := func(string) { cs.transferOK.Enable() }
	cs.transferType.OnChanged = enable
	cs.transferCounter.OnChanged = enable
	cancel := widget.NewButton(T("取消"), nil)

	intro := &widget.Label{Text: Tf("%s 号（%s）转移后保留原排队顺序，您仍是首问负责人。", t.Number, cs.typeLabel(t.Type)), Wrapping: fyne.TextWrapWord}
	form := widget.NewForm(
		widget.NewFormItem(T("转到业务"), cs.transferType),
		widget.NewFormItem(T("转到窗口"), cs.transferCounter),
	)
	body := container.New(&counterMinWidth{w: 460}, container.NewVBox(intro, form))
	dlg := dialog.NewCustomWithoutButtons(T("转移客户"), body, cs.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, cs.transferOK})
	cs.transferDlg = dlg
	closeDlg := func() {
		dlg.Hide()
		if cs.transferDlg == dlg {
			cs.transferDlg = nil
		}
	}
	cancel.OnTapped = closeDlg
	cs.transferOK.OnTapped = func() {
		cs.touch()
		var to hall.TransferTarget
		if i := cs.transferType.SelectedIndex(); i >= 0 {
			to.Type = typeCodes[i]
		}
		if i := cs.transferCounter.SelectedIndex(); i >= 0 {
			to.Counter = counters[i]
		}
		closeDlg()
		cs.caller(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			tt, err := svc.Transfer(ctx, tok, to)
			return func() {
				where := cs.typeLabel(tt.Type)
				if to.Counter != 0 {
					for i, no := range counters {
						if no == to.Counter {
							where += " · " + names[i]
						}
					}
				}
				cs.showNote(Tf("%s 号已转移到 %s", tt.Number, where))
			}, err
		})
	}
	dlg.Show()
}

// --- Status -------------------------------------------------------------

// applyStatus shows the counter's status, or why it could not be read.
// UI thread.
func (cs *counterScreen) applyStatus(st hall.CounterStatus, err error) {
	if err != nil {
		cs.showError(err)
		return
	}
	// A slower reader must not put an older status over a newer one.
	if cs.hasStatus && st.Now.Before(cs.status.Now) {
		return
	}
	cs.status, cs.hasStatus = st, true
	name := st.Counter.Name
	cs.counterLabel.Importance = counterImportance(st.Counter.State)
	cs.counterLabel.SetText(name + " · " + clerkCounterState(st.Counter.State))
	if st.Counter.State == hall.CounterOpen {
		cs.pauseBtn.SetText(keyLabel(T("暂停服务"), keyPause))
	} else {
		cs.pauseBtn.SetText(keyLabel(T("恢复服务"), keyPause))
	}
	cs.applyTicket(st)
	cs.applyWaiting(st)
	stats := Tf("今日已办结 %d 笔", st.Served)
	if st.Served > 0 {
		stats = Tf("今日已办结 %d 笔 · 平均用时 %s", st.Served, formatServiceTime(st.AvgService))
	}
	cs.stats.SetText(stats)
	cs.enableButtons()
	if cs.onStatus != nil {
		cs.onStatus(st)
	}
}

func (cs *counterScreen) applyTicket(st hall.CounterStatus) {
	t := st.Ticket
	if t == nil {
		cs.number.Text = "—"
		cs.number.Color = theme.Color(theme.ColorNamePlaceHolder)
		cs.number.Refresh()
		cs.typeName.SetText("")
		cs.priority.SetText("")
		cs.waited.SetText("")
		cs.recalls.SetText("")
		idle := T("空闲")
		if st.Counter.State != hall.CounterOpen {
			idle = Tf("窗口%s", clerkCounterState(st.Counter.State))
		}
		cs.ticketState.Importance = widget.MediumImportance
		cs.ticketState.SetText(idle)
		return
	}
	if t.ID != cs.ticketID {
		cs.ticketID = t.ID
		cs.newTicket(t)
	}
	cs.number.Text = t.Number
	cs.number.Color = numberColor(t.State)
	cs.number.Refresh()
	cs.typeName.SetText(cs.typeLabel(t.Type))
	cs.priority.Importance = widget.MediumImportance
	if t.Priority.IsPriority() {
		cs.priority.Importance = widget.WarningImportance
		cs.priority.SetText(Tf("★ %s优先", T(t.Priority.Label())))
	} else {
		cs.priority.SetText(T(t.Priority.Label()))
	}
	cs.ticketState.Importance = ticketImportance(t.State)
	cs.ticketState.SetText(T(t.State.Label()))
	cs.waited.SetText(Tf("已等候 %d 分钟", int(t.Waited(st.Now)/time.Minute)))
	cs.recalls.SetText(Tf("重呼 %d 次", t.Recalls))
	if cs.lastCall == nil || cs.lastCall.Ticket.ID != t.ID {
		// Called before this window knew (a restart): the ticket still
		// carries the call's apology flag.
		c := hall.Call{Ticket: *t, Counter: cs.counter, Apologise: t.Apologise}
		cs.lastCall = &c
		cs.showCall(c)
	}
}

func numberColor(s hall.TicketState) color.Color {
	if s == hall.Serving {
		return theme.Color(theme.ColorNameSuccess)
	}
	return theme.Color(theme.ColorNamePrimary)
}

func (cs *counterScreen) applyWaiting(st hall.CounterStatus) {
	objs := make([]fyne.CanvasObject, 0, len(st.Waiting)+2)
	total := st.Transfers
	for _, w := range st.Waiting {
		total += w.Waiting
		n := &widget.Label{Text: Tf("%d 人", w.Waiting), Alignment: fyne.TextAlignTrailing}
		if w.Waiting > 0 {
			n.Importance = widget.HighImportance
		}
		p := &widget.Label{Alignment: fyne.TextAlignTrailing}
		if w.WaitingPriority > 0 {
			p.Text = Tf("其中敬老/助残 %d 人", w.WaitingPriority)
			p.Importance = widget.WarningImportance
		}
		objs = append(objs, row(waitColumns, &widget.Label{Text: T(w.Type.Name), Truncation: fyne.TextTruncateEllipsis}, n, p))
	}
	tr := &widget.Label{Text: Tf("%d 人", st.Transfers), Alignment: fyne.TextAlignTrailing}
	if st.Transfers > 0 {
		tr.Importance = widget.HighImportance
	}
	objs = append(objs, row(waitColumns, widget.NewLabel(T("转来本窗口")), tr, widget.NewLabel("")))
	sum := &widget.Label{Text: Tf("合计 %d 人等候", total), TextStyle: fyne.TextStyle{Bold: true}}
	objs = append(objs, sum)
	cs.waitingBox.Objects = objs
	cs.waitingBox.Refresh()
}

var waitColumns = columns{2.2, 1, 2}

// enableButtons enables the caller's buttons the state allows.
func (cs *counterScreen) enableButtons() {
	set := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	st := cs.status
	var called, serving bool
	if t := st.Ticket; t != nil {
		called, serving = t.State == hall.Called, t.State == hall.Serving
	}
	idle := st.Ticket == nil
	set(cs.callBtn, idle && st.Counter.State == hall.CounterOpen)
	set(cs.recallBtn, called)
	set(cs.noShowBtn, called)
	set(cs.startBtn, called)
	set(cs.transferBtn, called || serving)
	set(cs.finishBtn, serving)
	set(cs.pauseBtn, true)
	cs.applyRequeueButton()
}

// showError shows err in the status line; a session that ended returns
// the window to sign-in. UI thread.
func (cs *counterScreen) showError(err error) {
	if errors.Is(err, hall.ErrNotSignedIn) || errors.Is(err, hall.ErrStaffLocked) {
		cs.signedOut(errText(err))
		return
	}
	cs.showProblem(errText(err))
}

func (cs *counterScreen) showProblem(msg string) {
	cs.statusLine.Importance = widget.DangerImportance
	cs.statusLine.SetText(msg)
}

func (cs *counterScreen) showNote(msg string) {
	cs.statusLine.Importance = widget.MediumImportance
	cs.statusLine.SetText(msg)
}

// formatServiceTime renders a service time: 45秒, 7分30秒, 1小时5分 (in
// English 45 s, 7 min 30 s, 1 h 5 min).
func formatServiceTime(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return Tf("%d秒", int(d/time.Second))
	case d < time.Hour:
		if sec := int(d % time.Minute / time.Second); sec > 0 {
			return Tf("%d分%d秒", int(d/time.Minute), sec)
		}
		return Tf("%d分", int(d/time.Minute))
	}
	if m := int(d % time.Hour / time.Minute); m > 0 {
		return Tf("%d小时%d分", int(d/time.Hour), m)
	}
	return Tf("%d小时", int(d/time.Hour))
}

// --- Live updates -------------------------------------------------------

// live follows the hall's events and reads the counter's status after
// each burst, until ctx ends or the session does.
func (cs *counterScreen) live(ctx context.Context, tok hall.Token, gen int) {
	f := newFeedIn(ctx, cs.s, cs.retry)
	defer f.stop()
	first := true // loads run one after another on the feed's goroutine
	f.load = func(ctx context.Context) (int64, error) {
		// CounterStatus carries no event sequence; the overview does.
		o, err := cs.s.svc.Overview(ctx)
		if err != nil {
			return 0, err
		}
		// After a broken stream, what changed in between reaches no
		// event handler: read it all again. The first read comes just
		// after sign-in, which read it all.
		if !first {
			cs.pending.markAll()
		}
		first = false
		cs.refresh(ctx, tok, gen)
		return o.LastSeq, nil
	}
	f.event = func(e hall.Event) bool {
		cs.pending.note(e)
		return true
	}
	f.reload = func(ctx context.Context) { cs.refresh(ctx, tok, gen) }
	f.broken = func(err error) {
		if gen == cs.gen {
			cs.showProblem(feedProblemText(err))
		}
	}
	f.run()
}

// refresh reads the counter's status, and whatever recent events touched,
// off the UI thread and shows them.
func (cs *counterScreen) refresh(ctx context.Context, tok hall.Token, gen int) {
	svc := cs.s.svc
	reloadScripts, reloadEscs, reloadNotices, reloadConfig, decided, policy := cs.pending.take()
	st, err := svc.CounterStatus(ctx, tok)
	if ctx.Err() != nil {
		return
	}
	var (
		sc      hall.Scripts
		scErr   error
		escs    []hall.Escalation
		escsErr error
	)
	if reloadScripts {
		sc, scErr = svc.Scripts(ctx)
	}
	if reloadEscs {
		escs, escsErr = svc.Escalations(ctx, tok)
	}
	var (
		notices    []hall.Notice
		noticesErr error
	)
	if reloadNotices {
		notices, noticesErr = svc.Notices(ctx)
	}
	if reloadConfig {
		if cfg, err := svc.Config(ctx); err == nil {
			policy = &cfg.Policy
		}
	}
	cs.s.runOnMain(func() {
		if gen != cs.gen {
			return
		}
		if reloadScripts {
			if scErr != nil {
				cs.showError(scErr)
			} else {
				cs.scripts = sc
				cs.rescript()
			}
		}
		if reloadEscs && !errors.Is(escsErr, hall.ErrNotSignedIn) {
			cs.applyEscalations(escs, escsErr)
		}
		for _, d := range decided {
			cs.applyProxyDecision(d)
		}
		if policy != nil {
			cs.cfg.Policy = *policy
			cs.applyRequeueButton()
		}
		if reloadNotices {
			cs.applyNotices(notices, noticesErr)
		}
		cs.applyStatus(st, err)
	})
}

// --- Layout helpers ----------------------------------------------------

// atLeastTall makes its single object at least h tall: the caller's buttons
// are big enough to hit without looking.
type atLeastTall struct{ h float32 }

func (m *atLeastTall) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].MinSize()
	return fyne.NewSize(s.Width, max(s.Height, m.h))
}

func (m *atLeastTall) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// counterMinWidth makes its single object at least w wide.
type counterMinWidth struct{ w float32 }

func (m *counterMinWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].MinSize()
	return fyne.NewSize(max(s.Width, m.w), s.Height)
}

func (m *counterMinWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// keyEntry is an Entry that passes the caller's function keys to the
// window and counts typing as activity: a focused field would otherwise
// swallow F1–F8.
type keyEntry struct {
	widget.Entry
	cs *counterScreen
}

func newKeyEntry(cs *counterScreen, placeholder string) *keyEntry {
	e := &keyEntry{cs: cs}
	e.Wrapping = fyne.TextWrapOff
	e.PlaceHolder = placeholder
	e.ExtendBaseWidget(e)
	return e
}

func newKeyMultiLine(cs *counterScreen, placeholder string) *keyEntry {
	e := newKeyEntry(cs, placeholder)
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(2)
	return e
}

// TypedKey hands function keys to the caller.
func (e *keyEntry) TypedKey(k *fyne.KeyEvent) {
	e.cs.touch()
	if e.cs.functionKey(k.Name) {
		return
	}
	e.Entry.TypedKey(k)
}

// TypedRune counts as activity.
func (e *keyEntry) TypedRune(r rune) {
	e.cs.touch()
	e.Entry.TypedRune(r)
}
