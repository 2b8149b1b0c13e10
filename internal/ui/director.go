package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

const (
	directorTitle = "值班主任"
	// dayTimeLayout is how the desk writes a moment of a recent day.
	dayTimeLayout = "1月2日 15:04"
	// rosterDays is how many days the roster shows: today and the next 14.
	rosterDays = 15
)

// director is the duty director's desk (clauses 4.2.2, 4.2.3, 4.1.5,
// 4.1.12, 4.1.19): sign-in at counter 0, then the roster and the hall's
// figures, open escalations, the duty log, complaints taken at the desk,
// and notices and emergency mode. It reads everything again after each
// burst of hall events.
type director struct {
	desk
	// follow starts the event stream after sign-in, and the device line
	// at start; tests refresh by hand.
	follow bool
	retry  time.Duration
	// onApplied, if set, is called on the UI thread after each reload is
	// shown. Tests may wait on it.
	onApplied func()
	// badRatings is the 差评处理 tab, read again after every reload.
	badRatings *badRatingsView
	// reception and patrol are the 接待日 and 现场巡查 tabs, read again
	// after every reload.
	reception *receptionView
	patrol    *patrolView
	// scripts and calendar are the 服务话术 and 工作日历 tabs, read at
	// sign-in and on their own button.
	scripts  *scriptsView
	calendar *calendarView
	// faultList is the 报修记录 tab, read again after every reload.
	faultList *faultListView

	// winCtx ends when the window closes: what follows the hall for the
	// window stops with it.
	winCtx    context.Context
	winCancel context.CancelFunc

	// Owned by the UI thread.
	data     deskData
	loc      *time.Location
	stopLive context.CancelFunc
	looking  bool // a contact is being read (查看联系方式)

	// Main view.
	emergency *widget.Label  // the banner while the hall is in emergency mode
	syncLine  *syncIndicator // nil without HQ
	faults    *deviceFaults  // the devices at fault; follows the hall once started

	deskOverview
	deskEscalations
	deskLog
	deskComplaint
	deskNotices
}

// deskData is everything the desk shows, read in one go off the UI thread.
type deskData struct {
	ov        hall.Overview
	cfg       hall.Config
	roster    []hall.RosterDay
	ratings   []hall.ClerkRatings
	escs      []hall.Escalation
	log       []hall.LogEntry
	notices   []hall.Notice
	emergency hall.Emergency
	err       error // the first read that failed
}

// openDirectorWindow is the director role's entry in roleTable.
func openDirectorWindow(s *session, _ int) (fyne.Window, error) {
	d := newDirector(s)
	w := d.window()
	d.start()
	return w, nil
}

func newDirector(s *session) *director {
	d := &director{desk: desk{s: s, spawn: s.goBackground}, follow: true, retry: retryAfter, loc: time.Local}
	d.leave = d.signedOut
	d.winCtx, d.winCancel = context.WithCancel(s.ctx)
	d.signInView = d.buildSignIn()
	d.mainView = d.buildMain()
	showLine(d.signInMsg, "")
	return d
}

func (d *director) window() fyne.Window {
	d.win = d.s.app.NewWindow(T(directorTitle))
	d.win.SetOnClosed(d.closed)
	d.showSignIn()
	d.win.Resize(fyne.NewSize(1200, 760))
	return d.win
}

// start reads the hall's name for the sign-in view.
func (d *director) start() {
	d.s.goBackground(func() { d.s.signOutOnQuit(&d.held) })
	d.syncLine.start()
	if d.follow {
		d.faults.start()
	}
	d.spawn(func() {
		cfg, err := d.s.svc.Config(d.s.ctx)
		d.s.runOnMain(func() {
			if err != nil {
				showLine(d.signInMsg, errText(err))
				return
			}
			d.signInTitle.SetText(Tf("%s · 值班主任台", cfg.Hall.Name))
			d.win.SetTitle(T(directorTitle) + " · " + cfg.Hall.Name)
		})
	})
}

// --- Sign-in and sign-out -------------------------------------------------

func (d *director) buildSignIn() fyne.CanvasObject {
	d.signInTitle = &widget.Label{Text: T("正在读取营业厅设置…"), Alignment: fyne.TextAlignCenter}
	d.staffNo = widget.NewEntry()
	d.staffNo.SetPlaceHolder(T("请输入工号"))
	d.pin = widget.NewPasswordEntry()
	d.pin.SetPlaceHolder(T("请输入密码"))
	d.signInMsg = &widget.Label{Importance: widget.DangerImportance, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	d.signInBtn = widget.NewButton(T("登录"), d.onSignIn)
	d.signInBtn.Importance = widget.HighImportance
	d.staffNo.OnSubmitted = func(string) { d.onSignIn() }
	d.pin.OnSubmitted = func(string) { d.onSignIn() }
	title := &widget.Label{Text: T(directorTitle), SizeName: theme.SizeNameHeadingText, Alignment: fyne.TextAlignCenter}
	form := widget.NewForm(widget.NewFormItem(T("工号"), d.staffNo), widget.NewFormItem(T("密码"), d.pin))
	box := container.NewVBox(title, d.signInTitle, widget.NewSeparator(), form, d.signInBtn, d.signInMsg)
	return container.NewCenter(container.New(&counterMinWidth{w: 420}, widget.NewCard("", "", box)))
}

func (d *director) onSignIn() {
	if d.signedIn || d.busy {
		return
	}
	no, pin := d.staffNo.Text, d.pin.Text
	switch {
	case no == "":
		showLine(d.signInMsg, T("请输入工号"))
		d.win.Canvas().Focus(d.staffNo)
		return
	case pin == "":
		showLine(d.signInMsg, T("请输入密码"))
		d.win.Canvas().Focus(d.pin)
		return
	}
	d.busy = true
	d.signInBtn.Disable()
	showLine(d.signInMsg, T("正在登录…"))
	ctx, svc := d.s.ctx, d.s.svc
	d.spawn(func() {
		// Counter 0 is the director's desk; the hall refuses clerks there.
		sess, err := svc.SignIn(ctx, 0, no, pin)
		var data deskData
		if err == nil {
			data = d.load(ctx, sess.Token)
		}
		d.s.runOnMain(func() {
			d.busy = false
			d.signInBtn.Enable()
			d.pin.SetText("")
			if err != nil {
				showLine(d.signInMsg, errText(err))
				d.win.Canvas().Focus(d.pin)
				return
			}
			d.enter(sess, data)
		})
	})
}

// enter shows the desk after sign-in. UI thread.
func (d *director) enter(sess hall.Session, data deskData) {
	d.gen++
	d.tok, d.sess = sess.Token, sess
	d.held.set(sess.Token)
	d.staffNo.SetText("")
	showLine(d.signInMsg, "")
	d.who.SetText(Tf("%s（工号%s）", sess.Staff.Name, sess.Staff.No))
	d.signedIn = true
	d.win.SetContent(d.mainView)
	d.showNote(Tf("登录成功，欢迎 %s", sess.Staff.Name))
	d.apply(data)
	d.scripts.reload()
	d.calendar.reload()
	if d.follow {
		ctx, cancel := context.WithCancel(d.s.ctx)
		d.stopLive = cancel
		tok, gen := d.tok, d.gen
		d.s.goBackground(func() { d.live(ctx, tok, gen) })
	}
}

// signedOut returns to the sign-in view with a message. UI thread.
func (d *director) signedOut(msg string) {
	if d.stopLive != nil {
		d.stopLive()
		d.stopLive = nil
	}
	d.gen++
	d.tok, d.sess = "", hall.Session{}
	d.held.set("")
	d.busy, d.looking = false, false
	d.hideDialog()
	showLine(d.signInMsg, msg)
	d.showSignIn()
}

// closed signs out when the window closes: the token lives only here.
func (d *director) closed() {
	d.winCancel()
	d.syncLine.close()
	if d.stopLive != nil {
		d.stopLive()
	}
	d.tok = ""
	d.gen++
	d.s.signOutHeld(&d.held, d.spawn)
}

// --- Main view ----------------------------------------------------------------

func (d *director) buildMain() fyne.CanvasObject {
	d.who = &widget.Label{Text: "—"}
	d.signOutBtn = widget.NewButtonWithIcon(T("退出登录"), theme.LogoutIcon(), d.onSignOut)
	d.syncLine = newSyncIndicator(d.s, true)
	d.faults = newDeviceFaults(d.winCtx, d.s)
	header := container.NewHBox(
		&widget.Label{Text: T(directorTitle), SizeName: theme.SizeNameSubHeadingText},
		layout.NewSpacer(), d.syncLine.object(), d.who, d.signOutBtn,
	)
	d.emergency = &widget.Label{Importance: widget.DangerImportance, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	d.emergency.Hide()
	d.statusLine = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	d.tabs = container.NewAppTabs(
		container.NewTabItem(T("总览"), d.buildOverviewTab()),
		container.NewTabItem(T("升级事项"), d.buildEscalationsTab()),
		container.NewTabItem(T("值班日志"), d.buildLogTab()),
		container.NewTabItem(T("投诉登记"), d.buildComplaintTab()),
		container.NewTabItem(T("公告与应急"), d.buildNoticesTab()),
		container.NewTabItem(T("统计报表"), d.buildReportsTab()),
		container.NewTabItem(T("差评处理"), d.buildBadRatingsTab()),
		container.NewTabItem(T("接待日"), d.buildReceptionTab()),
		container.NewTabItem(T("现场巡查"), d.buildPatrolTab()),
		container.NewTabItem(T("报修记录"), d.buildFaultsTab()),
		container.NewTabItem(T("服务话术"), d.buildScriptsTab()),
		container.NewTabItem(T("工作日历"), d.buildCalendarTab()),
		container.NewTabItem(T("总部拒收"), d.buildSyncTab()),
	)
	return container.NewBorder(
		container.NewVBox(header, d.emergency, d.faults.object(), widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), d.statusLine),
		nil, nil, d.tabs)
}

// at is a moment of a recent day in the hall's time: 11月27日 10:00.
func (d *director) at(t time.Time) string { return t.In(d.loc).Format(T(dayTimeLayout)) }

func (d *director) showNote(msg string) {
	d.statusLine.Importance = widget.MediumImportance
	d.statusLine.SetText(msg)
}

// --- Reading and acting -------------------------------------------------------

// load reads everything the desk shows. Off the UI thread.
func (d *director) load(ctx context.Context, tok hall.Token) deskData {
	svc := d.s.svc
	var x deskData
	keep := func(err error) {
		if x.err == nil {
			x.err = err
		}
	}
	var err error
	if x.ov, err = svc.Overview(ctx); err != nil {
		keep(err)
		// Without the hall's day nothing below can be read.
		return x
	}
	x.cfg, err = svc.Config(ctx)
	keep(err)
	x.roster, err = svc.Roster(ctx, x.ov.Day, rosterDays)
	keep(err)
	x.ratings, err = svc.RatingSummary(ctx, tok)
	keep(err)
	x.escs, err = svc.Escalations(ctx, tok)
	keep(err)
	x.log, err = svc.Log(ctx, tok, x.ov.Day)
	keep(err)
	x.notices, err = svc.Notices(ctx)
	keep(err)
	x.emergency, err = svc.EmergencyState(ctx)
	keep(err)
	return x
}

// deskOp is one action against the hall, run off the UI thread; it
// returns what to do on the UI thread when it succeeded.
type deskOp func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error)

// act runs op, reads the desk again and shows both. UI thread.
func (d *director) act(op deskOp) {
	if !d.signedIn || d.busy || d.tok == "" {
		return
	}
	d.busy = true
	tok, gen := d.tok, d.gen
	ctx, svc := d.s.ctx, d.s.svc
	d.spawn(func() {
		var (
			done func()
			err  error
		)
		if op != nil {
			done, err = op(ctx, svc, tok)
		}
		data := d.load(ctx, tok)
		d.s.runOnMain(func() {
			d.busy = false
			if gen != d.gen {
				return
			}
			if err != nil {
				d.showError(err)
			} else if done != nil {
				done()
			}
			d.apply(data)
		})
	})
}

// reload reads the desk again and shows it. UI thread.
func (d *director) reload() { d.act(nil) }

// apply shows a fresh read of the desk. UI thread.
func (d *director) apply(x deskData) {
	if errors.Is(x.err, hall.ErrNotSignedIn) {
		d.signedOut(errText(x.err))
		return
	}
	if x.err != nil {
		d.showError(x.err)
	}
	if x.ov.Day == "" {
		return
	}
	if loc, err := time.LoadLocation(x.cfg.Hall.TimeZone); err == nil && x.cfg.Hall.TimeZone != "" {
		d.loc = loc
	}
	d.data = x
	d.applyEmergency(x.emergency)
	d.applyOverview(x)
	d.applyEscalations(x)
	d.applyLog(x)
	d.applyNotices(x)
	d.faultList.reload()
	if d.onApplied != nil {
		d.onApplied()
	}
}

func (d *director) applyEmergency(em hall.Emergency) {
	if !em.Active {
		d.emergency.Hide()
		return
	}
	d.emergency.SetText(Tf("⚠ 营业厅处于应急状态（自 %s 起）：%s", d.at(em.Since), em.Text))
	d.emergency.Show()
}

// staffName is a staff number's name as the configuration knows it.
func (d *director) staffName(no string) string {
	for _, m := range d.data.cfg.Staff {
		if m.No == no {
			return m.Name
		}
	}
	return no
}

// --- Live updates -----------------------------------------------------------------

// live follows the hall's events and reads the desk after each burst,
// until ctx ends.
func (d *director) live(ctx context.Context, tok hall.Token, gen int) {
	f := newFeedIn(ctx, d.s, d.retry)
	defer f.stop()
	f.load = func(ctx context.Context) (int64, error) {
		o, err := d.s.svc.Overview(ctx)
		if err != nil {
			return 0, err
		}
		d.refresh(ctx, tok, gen)
		return o.LastSeq, nil
	}
	f.event = func(hall.Event) bool { return true }
	f.reload = func(ctx context.Context) { d.refresh(ctx, tok, gen) }
	f.broken = func(err error) {
		if gen == d.gen {
			d.showProblem(feedProblemText(err))
		}
	}
	f.run()
}

// refresh reads the desk off the UI thread and shows it.
func (d *director) refresh(ctx context.Context, tok hall.Token, gen int) {
	data := d.load(ctx, tok)
	if ctx.Err() != nil {
		return
	}
	d.s.runOnMain(func() {
		if gen == d.gen {
			d.apply(data)
		}
	})
}
