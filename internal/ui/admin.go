package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
	"servicehall/internal/station"
)

const adminTitle = "系统设置"

// admin is the system administrator's window (issue #9): what the
// first-run setup asked for, editable afterwards. A system administrator
// signs in at a desk (counter 0); every change goes through the hall with
// the administrator's token, and the window reads the configuration again
// after each one. Tabs: 营业厅 (name, opening hours, service rules), 窗口, 业务类型, 人员,
// 总部同步 and 本机 (this PC's printer, voice and language).
type admin struct {
	desk

	// Owned by the UI thread.
	data adminData

	// Main view.
	refreshBtn *widget.Button

	adminHall
	adminPolicy
	adminCounters
	adminTypes
	adminStaff
	adminHQ
	adminStation
}

// adminData is what the window shows, read in one go off the UI thread.
type adminData struct {
	cfg hall.Config
	err error // the hall's configuration could not be read

	hqURL   string
	hqToken bool

	station    station.Settings
	stationErr error
}

// openAdminWindow is the admin role's entry in roleTable.
func openAdminWindow(s *session, _ int) (fyne.Window, error) {
	a := newAdmin(s)
	w := a.window()
	a.start()
	return w, nil
}

func newAdmin(s *session) *admin {
	a := &admin{desk: desk{s: s, spawn: s.goBackground}}
	a.leave = a.signedOut
	a.signInView = a.buildSignIn()
	a.mainView = a.buildMain()
	showLine(a.signInMsg, "")
	return a
}

func (a *admin) window() fyne.Window {
	a.win = a.s.app.NewWindow(T(adminTitle))
	a.win.SetOnClosed(a.closed)
	a.showSignIn()
	a.win.Resize(fyne.NewSize(1100, 760))
	return a.win
}

// start reads the hall's name for the sign-in view.
func (a *admin) start() {
	a.s.goBackground(func() { a.s.signOutOnQuit(&a.held) })
	a.spawn(func() {
		cfg, err := a.s.svc.Config(a.s.ctx)
		a.s.runOnMain(func() {
			if err != nil {
				showLine(a.signInMsg, errText(err))
				return
			}
			a.signInTitle.SetText(cfg.Hall.Name)
			a.win.SetTitle(Tf("%s · %s", T(adminTitle), cfg.Hall.Name))
		})
	})
}

// --- Sign-in and sign-out -------------------------------------------------

func (a *admin) buildSignIn() fyne.CanvasObject {
	a.signInTitle = &widget.Label{Text: T("正在读取营业厅设置…"), Alignment: fyne.TextAlignCenter}
	a.staffNo = widget.NewEntry()
	a.staffNo.SetPlaceHolder(T("请输入工号"))
	a.pin = widget.NewPasswordEntry()
	a.pin.SetPlaceHolder(T("请输入密码"))
	a.signInMsg = &widget.Label{Importance: widget.DangerImportance, Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	a.signInBtn = widget.NewButton(T("登录"), a.onSignIn)
	a.signInBtn.Importance = widget.HighImportance
	a.staffNo.OnSubmitted = func(string) { a.onSignIn() }
	a.pin.OnSubmitted = func(string) { a.onSignIn() }
	title := &widget.Label{Text: T(adminTitle), SizeName: theme.SizeNameHeadingText, Alignment: fyne.TextAlignCenter}
	note := &widget.Label{Text: T("仅限系统管理员登录"), Alignment: fyne.TextAlignCenter}
	form := widget.NewForm(widget.NewFormItem(T("工号"), a.staffNo), widget.NewFormItem(T("密码"), a.pin))
	box := container.NewVBox(title, a.signInTitle, note, widget.NewSeparator(), form, a.signInBtn, a.signInMsg)
	return container.NewCenter(container.New(&counterMinWidth{w: 420}, widget.NewCard("", "", box)))
}

// adminsOnly is what anyone but a system administrator is told.
const adminsOnly = "只有系统管理员可以登录系统设置"

func (a *admin) onSignIn() {
	if a.signedIn || a.busy {
		return
	}
	no, pin := a.staffNo.Text, a.pin.Text
	switch {
	case no == "":
		showLine(a.signInMsg, T("请输入工号"))
		a.win.Canvas().Focus(a.staffNo)
		return
	case pin == "":
		showLine(a.signInMsg, T("请输入密码"))
		a.win.Canvas().Focus(a.pin)
		return
	}
	a.busy = true
	a.signInBtn.Disable()
	showLine(a.signInMsg, T("正在登录…"))
	ctx, svc, gen := a.s.ctx, a.s.svc, a.gen
	a.spawn(func() {
		// Counter 0 is a desk: the hall refuses clerks there, and a
		// director signed in is signed out again at once.
		sess, err := svc.SignIn(ctx, 0, no, pin)
		switch {
		case errors.Is(err, hall.ErrDeskForbidden):
			err = errAdminsOnly
		case err == nil && sess.Staff.Role != hall.RoleAdmin:
			a.s.signOutQuietly(ctx, sess.Token)
			err = errAdminsOnly
		}
		var data adminData
		if err == nil {
			data = a.load(ctx)
		}
		a.s.runOnMain(func() {
			if gen != a.gen {
				// The window closed while signing in: end the session
				// nobody will use.
				if err == nil {
					a.spawn(func() { a.s.signOutQuietly(context.WithoutCancel(ctx), sess.Token) })
				}
				return
			}
			a.busy = false
			a.signInBtn.Enable()
			a.pin.SetText("")
			if err != nil {
				showLine(a.signInMsg, errText(err))
				a.win.Canvas().Focus(a.pin)
				return
			}
			a.enter(sess, data)
		})
	})
}

// errAdminsOnly refuses anyone but a system administrator at sign-in.
var errAdminsOnly = hall.ErrNotPermitted.WithMessage(adminsOnly, "only admins open the settings window")

// enter shows the settings after sign-in. UI thread.
func (a *admin) enter(sess hall.Session, data adminData) {
	a.gen++
	a.tok, a.sess = sess.Token, sess
	a.held.set(sess.Token)
	a.staffNo.SetText("")
	showLine(a.signInMsg, "")
	a.who.SetText(Tf("%s（工号%s）", sess.Staff.Name, sess.Staff.No))
	a.signedIn = true
	a.win.SetContent(a.mainView)
	a.showNote(Tf("登录成功，欢迎 %s", sess.Staff.Name))
	a.apply(data, true)
}

// signedOut returns to the sign-in view with a message. UI thread.
func (a *admin) signedOut(msg string) {
	a.gen++
	a.tok, a.sess = "", hall.Session{}
	a.held.set("")
	a.busy = false
	a.hideDialog()
	showLine(a.signInMsg, msg)
	a.showSignIn()
}

// closed signs out when the window closes: the token lives only here.
func (a *admin) closed() {
	a.tok = ""
	a.gen++
	a.s.signOutHeld(&a.held, a.spawn)
}

// --- Main view ----------------------------------------------------------------

func (a *admin) buildMain() fyne.CanvasObject {
	a.who = &widget.Label{Text: "—"}
	a.refreshBtn = widget.NewButtonWithIcon(T("刷新"), theme.ViewRefreshIcon(), func() { a.act(nil) })
	a.signOutBtn = widget.NewButtonWithIcon(T("退出登录"), theme.LogoutIcon(), a.onSignOut)
	header := container.NewHBox(
		&widget.Label{Text: T(adminTitle), SizeName: theme.SizeNameSubHeadingText},
		layout.NewSpacer(), a.who, a.refreshBtn, a.signOutBtn,
	)
	a.statusLine = &widget.Label{Wrapping: fyne.TextWrapWord}
	a.tabs = container.NewAppTabs(
		container.NewTabItem(T("营业厅"), a.buildHallTab()),
		container.NewTabItem(T("窗口"), a.buildCountersTab()),
		container.NewTabItem(T("业务类型"), a.buildTypesTab()),
		container.NewTabItem(T("人员"), a.buildStaffTab()),
		container.NewTabItem(T("总部同步"), a.buildHQTab()),
		container.NewTabItem(T("本机"), a.buildStationTab()),
	)
	return container.NewBorder(
		container.NewVBox(header, widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), a.statusLine),
		nil, nil, a.tabs)
}

func (a *admin) showNote(msg string) {
	a.statusLine.Importance = widget.SuccessImportance
	a.statusLine.SetText(msg)
}

// showDialog shows a form dialog with 取消 and a button that does ok.
// ok returns false to keep the dialog open (a field it cannot use).
func (a *admin) showDialog(title string, body fyne.CanvasObject, okText string, ok func() bool) *widget.Button {
	a.hideDialog()
	okBtn := widget.NewButton(okText, nil)
	okBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(T("取消"), nil)
	dlg := dialog.NewCustomWithoutButtons(title, container.New(&counterMinWidth{w: 520}, body), a.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, okBtn})
	a.dialog = dlg
	cancel.OnTapped = a.hideDialog
	okBtn.OnTapped = func() {
		if ok() {
			a.hideDialog()
		}
	}
	dlg.Show()
	return okBtn
}

// --- Reading and acting -------------------------------------------------------

// load reads what the window shows. Off the UI thread.
func (a *admin) load(ctx context.Context) adminData {
	var x adminData
	x.cfg, x.err = a.s.svc.Config(ctx)
	if hq := a.s.opt.HQ; hq != nil && hq.Load != nil {
		x.hqURL, x.hqToken = hq.Load()
	}
	if st := a.s.opt.Station; st != nil && st.Load != nil {
		x.station, x.stationErr = st.Load()
	}
	return x
}

// adminOp is one change to the hall, run off the UI thread; it returns
// what to do on the UI thread when it succeeded.
type adminOp func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error)

// act runs op, reads the configuration again and shows both. It reports
// whether op started: a dialog stays open, its input kept, while an earlier
// change is still running. UI thread.
func (a *admin) act(op adminOp) bool {
	if !a.signedIn || a.tok == "" {
		return false
	}
	if a.busy {
		a.showProblem(T("上一项操作还在进行，请稍候再试"))
		return false
	}
	a.busy = true
	tok, gen := a.tok, a.gen
	ctx, svc := a.s.ctx, a.s.svc
	a.spawn(func() {
		var (
			done func()
			err  error
		)
		if op != nil {
			done, err = op(ctx, svc, tok)
		}
		data := a.load(ctx)
		a.s.runOnMain(func() {
			a.busy = false
			if gen != a.gen {
				return
			}
			if errors.Is(err, hall.ErrNotSignedIn) {
				a.signedOut(errText(err))
				return
			}
			// 刷新 (no op) fills the forms again too.
			a.apply(data, op == nil)
			if err != nil {
				a.showError(err)
			} else if done != nil {
				done()
			} else if op == nil {
				a.showNote(T("已重新读取设置"))
			}
		})
	})
	return true
}

// apply shows a fresh read. fill (at sign-in and on 刷新) fills the forms
// too, which the reads after a change leave as the administrator typed
// them. UI thread.
func (a *admin) apply(x adminData, fill bool) {
	if x.err != nil {
		a.showError(x.err)
		if x.cfg.Hall.Code == "" {
			return
		}
	}
	a.data = x
	if fill {
		a.fillHall(x.cfg)
		a.fillHQ(x)
		a.fillStation(x)
	}
	a.applyCounters(x.cfg)
	a.applyTypes(x.cfg)
	a.applyStaff(x.cfg)
	a.applyHallCode(x.cfg)
}
