package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// Leaving a customer-facing window's full screen (Esc) or closing it takes
// a system administrator's staff number and PIN, so that a customer at the
// kiosk or a passer-by at the display's keyboard cannot reach the desktop.
const (
	guardTitle     = "管理员验证"
	guardHint      = "退出全屏或关闭窗口须由系统管理员输入工号和密码"
	guardNotAdmin  = "只有系统管理员可以退出全屏或关闭窗口"
	guardStaffNo   = "工号"
	guardPIN       = "密码"
	guardConfirm   = "确定"
	guardCancel    = "取消"
	guardLeaveFull = "退出全屏"
	guardClose     = "关闭窗口"
)

// screenGuard keeps a window full screen until an administrator lets it go.
type screenGuard struct {
	s   *session
	win fyne.Window

	// shown is the dialog on screen, if any, for tests.
	shown dialog.Dialog
	// lastErr is the last refusal shown, for tests.
	lastErr string
}

// guardFullScreen makes win full screen and puts Esc and closing behind an
// administrator's PIN; F11 goes full screen again. other, if not nil,
// hears every other key.
func guardFullScreen(s *session, win fyne.Window, full bool, other func(*fyne.KeyEvent)) *screenGuard {
	g := &screenGuard{s: s, win: win}
	win.SetFullScreen(full)
	win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyEscape:
			if win.FullScreen() {
				g.ask(guardLeaveFull, func() { win.SetFullScreen(false) })
			}
		case fyne.KeyF11:
			win.SetFullScreen(true)
		default:
			if other != nil {
				other(k)
			}
		}
	})
	win.SetCloseIntercept(func() { g.ask(guardClose, win.Close) })
	return g
}

// ask shows the staff number and PIN form; an administrator's pass runs then.
func (g *screenGuard) ask(action string, then func()) {
	no := widget.NewEntry()
	pin := widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem("", widget.NewLabel(T(guardHint))),
		widget.NewFormItem(T(guardStaffNo), no),
		widget.NewFormItem(T(guardPIN), pin),
	}
	d := dialog.NewForm(T(guardTitle)+" · "+T(action), T(guardConfirm), T(guardCancel), items, func(ok bool) {
		g.shown = nil
		if ok {
			g.check(no.Text, pin.Text, then)
		}
	}, g.win)
	g.shown = d
	d.Show()
	g.win.Canvas().Focus(no)
}

// check signs the staff member in at a desk to test the PIN (wrong PINs
// count towards the lockout as anywhere), signs the session out again,
// and runs then for an administrator.
func (g *screenGuard) check(no, pin string, then func()) {
	ctx := g.s.ctx
	g.s.goBackground(func() {
		sess, err := g.s.svc.SignIn(ctx, 0, no, pin)
		if errors.Is(err, hall.ErrDeskForbidden) { // a clerk: right PIN, wrong role
			err = hall.ErrNotPermitted.WithMessage(guardNotAdmin, "staff %s is a clerk", no)
		}
		if err == nil {
			_ = g.s.svc.SignOut(ctx, sess.Token)
			if sess.Staff.Role != hall.RoleAdmin {
				err = hall.ErrNotPermitted.WithMessage(guardNotAdmin, "staff %s is not an administrator", no)
			}
		}
		g.s.runOnMain(func() {
			if err != nil {
				g.lastErr = errText(err)
				dialog.ShowInformation(T(guardTitle), g.lastErr, g.win)
				return
			}
			g.lastErr = ""
			then()
		})
	})
}
