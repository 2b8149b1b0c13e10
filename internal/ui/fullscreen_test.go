package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"servicehall/internal/demo"
	"servicehall/internal/halltest"
)

// The kiosk and the display leave full screen, and close, only for a
// system administrator's staff number and PIN.
func TestFullScreenLeavesOnlyForAnAdministrator(t *testing.T) {
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	for _, role := range []string{"kiosk", "display"} {
		t.Run(role, func(t *testing.T) {
			var w fyne.Window
			var g *screenGuard
			switch role {
			case "kiosk":
				k := newKiosk(s)
				k.fullScreen = true
				w = k.window()
				g = k.guard
			case "display":
				d := newDisplay(s)
				d.fullScreen = true
				w = d.window()
				g = d.guard
			}
			defer w.Close()
			if !w.FullScreen() {
				t.Fatal("the window did not open full screen")
			}
			w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
			if g.shown == nil {
				t.Fatal("Esc did not ask for an administrator")
			}
			for _, c := range []struct{ no, pin, wantErr string }{
				{"1001", demo.PIN, guardNotAdmin}, // a clerk
				{"2001", demo.PIN, guardNotAdmin}, // the duty director
				{"9001", "000000", "工号或密码错误"},     // an administrator's wrong PIN
				{"9001", demo.PIN, ""},            // the administrator
			} {
				g.check(c.no, c.pin, func() { w.SetFullScreen(false) })
				s.wg.Wait()
				if !strings.HasPrefix(g.lastErr, c.wantErr) || (c.wantErr == "") != (g.lastErr == "") {
					t.Errorf("%s/%s: refusal %q, want %q", c.no, c.pin, g.lastErr, c.wantErr)
				}
				if got, want := w.FullScreen(), c.wantErr != ""; got != want {
					t.Errorf("%s/%s: full screen = %v, want %v", c.no, c.pin, got, want)
				}
			}
			// F11 goes back to full screen without a PIN.
			w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF11})
			if !w.FullScreen() {
				t.Error("F11 did not go full screen again")
			}
		})
	}
	// The administrator's checks left no session behind.
	if _, err := h.Local.SignIn(context.Background(), 0, "9001", demo.PIN); err != nil {
		t.Fatalf("administrator locked out by the checks: %v", err)
	}
}
