package ui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"servicehall/assets"
	"servicehall/internal/hall"
	"servicehall/internal/station"
)

// Options for the program's windows.
type Options struct {
	Role      string // "" opens the hall overview; else kiosk|counter|evaluator|display|director|admin
	Counter   int
	Version   string
	DBPath    string
	Housekeep func(context.Context) error // called every minute so an idle hall closes its day at midnight; may be nil

	// SyncStatus reads the hall's sync to headquarters for the counter and
	// director windows' headers; nil (no HQ) shows nothing.
	SyncStatus func(context.Context) (SyncState, error)
	// OfflineAlert is how long events may wait for HQ before the sync line
	// turns into an alert [30 min].
	OfflineAlert time.Duration

	// LAN, when this PC serves the hall to the others (servicehall
	// --serve), tells the overview the node's address and the pairing code.
	LAN func() (addr, code string, until time.Time)

	// Devices are this PC's ticket printer and call voice (devices.go).
	Devices Devices

	// Setup, when set, opens the first-run setup of a new hall before the
	// window asked for (setup.go).
	Setup *Setup

	// HQ reads and keeps the hall's headquarters address and credential
	// for the admin window (admin_local.go); nil on a PC that runs against
	// a hall node, whose node syncs.
	HQ *HQSettings
	// Station reads and keeps this PC's own settings (printer, voice,
	// language) for the admin window; nil: not offered.
	Station *StationSettings
}

// HQSettings are the hall's headquarters address and credential as the
// program keeps them (hq.json beside the database).
type HQSettings struct {
	// Load returns the address kept ("" when none) and whether a
	// credential is kept; the window never shows the credential.
	Load func() (url string, hasToken bool)
	// Save keeps url and token; an empty token keeps the credential kept,
	// an empty url stops the sync. Its errors carry a Chinese message. The
	// sync takes the new settings at the program's next start.
	Save func(url, token string) error
}

// StationSettings are this PC's settings as the program keeps them
// (station.json in the user's config folder).
type StationSettings struct {
	Load func() (station.Settings, error)
	// Save checks and keeps the settings; they apply at the program's next
	// start.
	Save func(station.Settings) error
}

// housekeepEvery is how often Run calls Options.Housekeep.
const housekeepEvery = time.Minute

// Reasons a role's window cannot open; RoleError wraps one of them.
var (
	ErrUnknownRole   = errors.New("unknown role")
	ErrRoleNotBuilt  = errors.New("role has no window yet")
	ErrCounterNeeded = errors.New("role needs a counter number")
)

// RoleError reports that the window of a role cannot open. Run returns it
// before any window opens.
type RoleError struct {
	Role string // as asked for, e.g. "kiosk"
	Err  error  // ErrUnknownRole, ErrRoleNotBuilt or ErrCounterNeeded
}

func (e *RoleError) Error() string { return fmt.Sprintf("open %q window: %v", e.Role, e.Err) }

// Unwrap returns the reason.
func (e *RoleError) Unwrap() error { return e.Err }

// UserMessage is the Chinese text for people.
func (e *RoleError) UserMessage() string {
	name := e.Role
	if d, ok := findRole(roleTable(), e.Role); ok {
		name = Tf("%s（%s）", T(d.title), e.Role)
	}
	switch e.Err {
	case ErrUnknownRole:
		return Tf("未知的角色：%s", e.Role)
	case ErrRoleNotBuilt:
		return Tf("该角色的窗口尚未提供：%s", name)
	case ErrCounterNeeded:
		return Tf("打开%s须指定窗口号", name)
	}
	return Tf("无法打开窗口：%s", name)
}

// session is what every window of one run shares.
type session struct {
	ctx       context.Context // ends when the app quits
	app       fyne.App
	svc       hall.Service
	opt       Options
	runOnMain func(func()) // the hop back to the UI thread; fyne.Do outside tests
	now       func() time.Time
	wg        *sync.WaitGroup // background work that Run waits for at exit
}

// goBackground runs fn in a goroutine that Run waits for before it returns.
func (s *session) goBackground(fn func()) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn()
	}()
}

// roleDef is one role's window. Adding a role's window is adding its open
// function to roleTable.
type roleDef struct {
	id           string
	title        string // Chinese, on buttons and window titles
	needsCounter bool   // counter and evaluator windows belong to one counter
	// open builds the window on the UI thread without blocking: it loads its
	// data in the background (session.goBackground) and may return an error
	// for arguments it cannot use. nil: the window is not built yet.
	open func(s *session, counter int) (fyne.Window, error)
}

// available reports whether the role has a window.
func (d roleDef) available() bool { return d.open != nil }

// roleTable lists the roles in the order of the overview's buttons.
func roleTable() []roleDef {
	return []roleDef{
		{id: "kiosk", title: kioskTitle, open: openKioskWindow},
		{id: "counter", title: counterTitle, needsCounter: true, open: openCounterWindow},
		{id: "evaluator", title: evaluatorTitle, needsCounter: true, open: openEvaluatorWindow},
		{id: "display", title: displayTitle, open: openDisplayWindow},
		{id: "director", title: directorTitle, open: openDirectorWindow},
		{id: "admin", title: adminTitle, open: openAdminWindow},
	}
}

func findRole(defs []roleDef, id string) (roleDef, bool) {
	for _, d := range defs {
		if d.id == id {
			return d, true
		}
	}
	return roleDef{}, false
}

// checkRole returns the definition of the role opt asks for, or a
// *RoleError when it cannot open.
func checkRole(defs []roleDef, opt Options) (roleDef, error) {
	d, ok := findRole(defs, opt.Role)
	switch {
	case !ok:
		return d, &RoleError{Role: opt.Role, Err: ErrUnknownRole}
	case !d.available():
		return d, &RoleError{Role: opt.Role, Err: ErrRoleNotBuilt}
	case d.needsCounter && opt.Counter < 1:
		return d, &RoleError{Role: opt.Role, Err: ErrCounterNeeded}
	}
	return d, nil
}

// Run sets the theme, opens the requested window and runs the app until it
// quits. Cancelling ctx quits the app.
func Run(ctx context.Context, a fyne.App, svc hall.Service, opt Options) error {
	return run(ctx, a, svc, opt, roleTable())
}

func run(parent context.Context, a fyne.App, svc hall.Service, opt Options, defs []roleDef) error {
	var def roleDef
	if opt.Role != "" {
		d, err := checkRole(defs, opt)
		if err != nil {
			return err
		}
		def = d
	}

	a.Settings().SetTheme(newHallTheme())
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	ctx, cancel := context.WithCancel(parent)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	s := &session{ctx: ctx, app: a, svc: svc, opt: opt, runOnMain: fyne.Do, now: time.Now, wg: &wg}

	// openMain opens the window asked for and starts the background work.
	openMain := func() error {
		var (
			w      fyne.Window
			start  func()
			report = func(err error) { fyne.LogError("housekeeping", err) }
		)
		if opt.Role == "" {
			ov := newOverview(s, defs)
			w, start = ov.window(), ov.start
			report = func(err error) {
				fyne.LogError("housekeeping", err)
				s.runOnMain(func() { ov.showError(err) })
			}
		} else {
			var err error
			if w, err = def.open(s, opt.Counter); err != nil {
				return err
			}
		}
		w.SetMaster()
		w.Show()
		// Background work starts once the window is up, so that everything it
		// changes goes through runOnMain.
		if start != nil {
			start()
		}
		if opt.Housekeep != nil {
			s.goBackground(func() { housekeep(ctx, housekeepEvery, opt.Housekeep, report) })
		}
		return nil
	}
	if opt.Setup != nil {
		// A new hall: the first-run setup comes first; closing it quits.
		sw := newSetupWizard(s, *opt.Setup, nil)
		win := sw.window()
		sw.done = func() {
			s.adoptSetup(*opt.Setup)
			if err := openMain(); err != nil {
				sw.showError(err)
				return
			}
			win.Close()
		}
		win.SetCloseIntercept(a.Quit)
		win.Show()
	} else if err := openMain(); err != nil {
		return err
	}
	// The caller's context ending (a signal, say) quits the app.
	stop := context.AfterFunc(parent, func() { s.runOnMain(a.Quit) })
	defer stop()

	a.Run()
	return nil
}

// housekeep calls fn every period until ctx ends, reporting its errors.
func housekeep(ctx context.Context, period time.Duration, fn func(context.Context) error, report func(error)) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := fn(ctx); err != nil && ctx.Err() == nil {
				report(err)
			}
		}
	}
}
