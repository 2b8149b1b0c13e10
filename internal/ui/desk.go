package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// desk is what the duty director's and the system administrator's windows
// share: a member of staff signed in at a desk (counter 0), one service
// call at a time, one dialog in front, a status line. Each window embeds
// it and gives leave, which returns it to its sign-in view.
type desk struct {
	s *session
	// spawn runs service calls off the UI thread; tests run them inline.
	spawn func(func())
	// leave returns the window to its sign-in view with a message. UI
	// thread.
	leave func(msg string)

	// Owned by the UI thread.
	win      fyne.Window
	signedIn bool
	gen      int // bumped at each sign-in and sign-out; stale answers are dropped
	busy     bool
	tok      hall.Token
	sess     hall.Session
	held     heldToken
	dialog   dialog.Dialog // the dialog in front, if any

	signInView fyne.CanvasObject
	mainView   fyne.CanvasObject

	// Sign-in view.
	signInTitle *widget.Label
	staffNo     *widget.Entry
	pin         *widget.Entry
	signInBtn   *widget.Button
	signInMsg   *widget.Label

	// Main view.
	who        *widget.Label
	signOutBtn *widget.Button
	statusLine *widget.Label
	tabs       *container.AppTabs
}

func (k *desk) showSignIn() {
	k.signedIn = false
	k.win.SetContent(k.signInView)
	k.win.Canvas().Focus(k.staffNo)
}

func (k *desk) showError(err error) { k.showProblem(errText(err)) }

func (k *desk) showProblem(msg string) {
	k.statusLine.Importance = widget.DangerImportance
	k.statusLine.SetText(msg)
}

func (k *desk) hideDialog() {
	if k.dialog != nil {
		k.dialog.Hide()
		k.dialog = nil
	}
}

// onSignOut ends the session at the hall, then leaves. UI thread.
func (k *desk) onSignOut() {
	if k.tok == "" || k.busy {
		return
	}
	tok := k.tok
	k.busy = true
	ctx, svc := k.s.ctx, k.s.svc
	k.spawn(func() {
		err := svc.SignOut(ctx, tok)
		k.s.runOnMain(func() {
			k.busy = false
			if err != nil && !errors.Is(err, hall.ErrNotSignedIn) {
				k.showError(err)
				return
			}
			k.leave(T("已退出登录"))
		})
	})
}
