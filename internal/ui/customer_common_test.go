package ui

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"image/color"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"golang.org/x/image/font/sfnt"

	"servicehall/assets"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// custTimers stands in for a window's schedFunc: tests fire the timers
// by hand instead of waiting.
type custTimers struct {
	timers []*custTimer
}

type custTimer struct {
	d       time.Duration
	f       func()
	stopped bool
	fired   bool
}

func (ft *custTimers) after(d time.Duration, f func()) func() {
	t := &custTimer{d: d, f: f}
	ft.timers = append(ft.timers, t)
	return func() { t.stopped = true }
}

// live returns the timers neither stopped nor fired.
func (ft *custTimers) live() []*custTimer {
	var out []*custTimer
	for _, t := range ft.timers {
		if !t.stopped && !t.fired {
			out = append(out, t)
		}
	}
	return out
}

// fire runs the oldest live timer of duration d and reports whether there
// was one.
func (ft *custTimers) fire(d time.Duration) bool {
	for _, t := range ft.live() {
		if t.d == d {
			t.fired = true
			t.f()
			return true
		}
	}
	return false
}

// custInline runs background work on the test's goroutine.
func custInline(f func()) { f() }

// serve takes a ticket of typeCode through a whole service at counter n,
// which leaves a rating request open there.
func custServe(t *testing.T, h *halltest.Hall, typeCode string, n int) hall.ServiceRecord {
	t.Helper()
	ctx := context.Background()
	if _, err := h.Issue(ctx, typeCode, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, err := h.CallNext(ctx, h.At(n)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Start(ctx, h.At(n)); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(3 * time.Minute)
	rec, err := h.Finish(ctx, h.At(n))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// custEventsOf returns the hall's events of a kind after seq, decoded.
func custEventsOf[T any](t *testing.T, h *halltest.Hall, after int64, kind hall.Kind) []T {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	last := h.LastSeq()
	var out []T
	if last <= after {
		return out
	}
	events, err := h.Subscribe(ctx, after)
	if err != nil {
		t.Fatal(err)
	}
	for e := range events {
		if e.Kind == kind {
			var v T
			if err := e.Decode(&v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		if e.Seq >= last {
			break
		}
	}
	return out
}

// fits reports whether the window's content fits the customer screen:
// a window whose content needs more grows past the screen's edge.
func custFits(t *testing.T, what string, o fyne.CanvasObject) {
	t.Helper()
	if m := o.MinSize(); m.Width > customerWindowSize.Width || m.Height > customerWindowSize.Height {
		t.Errorf("%s needs %v, more than the %v screen", what, m, customerWindowSize)
	}
}

func TestCustomerThemeKeepsItsVariant(t *testing.T) {
	light, dark := newCustomerTheme(theme.VariantLight), newCustomerTheme(theme.VariantDark)
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		if !custIsDark(dark.Color(theme.ColorNameBackground, v)) {
			t.Errorf("dark theme has a light background under variant %d", v)
		}
		if custIsDark(light.Color(theme.ColorNameBackground, v)) {
			t.Errorf("light theme has a dark background under variant %d", v)
		}
	}
	if got := light.Font(fyne.TextStyle{Bold: true}).Name(); got != assets.FontRegularName {
		t.Errorf("font %q, want the embedded %q", got, assets.FontRegularName)
	}
	for _, n := range []fyne.ThemeSizeName{sizeNameCustHuge, sizeNameCustBig} {
		if light.Size(n) <= light.Size(theme.SizeNameHeadingText) {
			t.Errorf("size %s = %v, not above the heading's", n, light.Size(n))
		}
	}
}

func TestLargeTheme(t *testing.T) {
	for _, base := range []*customerTheme{newCustomerTheme(theme.VariantLight), newCustomerTheme(theme.VariantDark)} {
		lt := largeTheme{Theme: base}
		for _, n := range []fyne.ThemeSizeName{theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText, sizeNameCustBig} {
			if got, was := lt.Size(n), base.Size(n); got <= was {
				t.Errorf("长者模式 size %s = %v, want more than %v", n, got, was)
			}
		}
		bg := lt.Color(theme.ColorNameBackground, theme.VariantLight)
		fg := lt.Color(theme.ColorNameForeground, theme.VariantLight)
		want := [2]color.Color{color.White, color.Black}
		if base.dark() {
			want = [2]color.Color{color.Black, color.White}
		}
		if !custSameColor(bg, want[0]) || !custSameColor(fg, want[1]) {
			t.Errorf("长者模式 over dark=%v: background %v text %v, want %v on %v", base.dark(), bg, fg, want[1], want[0])
		}
		// Coloured buttons keep their colours.
		if got := lt.Color(colorNameCustOnTone, theme.VariantLight); !custSameColor(got, color.White) {
			t.Errorf("text on a coloured button is %v, want white", got)
		}
	}
}

func custSameColor(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

func TestCustomerFrameTogglesLargeMode(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(newHallTheme())
	f := newCustomerFrame(newCustomerTheme(theme.VariantLight), true)
	b := newToneButton("交纳电费", "A 字头", toneType, 0, nil)
	w := test.NewTempWindow(t, f.wrap(b))
	w.Resize(customerWindowSize)
	before := b.MinSize()

	test.Tap(f.toggle)
	if _, ok := f.override.Theme.(largeTheme); !ok || !f.large {
		t.Fatalf("after a tap the theme is %T, want largeTheme", f.override.Theme)
	}
	if got := f.toggle.Title(); got != largeOnLabel {
		t.Errorf("toggle reads %q, want %q", got, largeOnLabel)
	}
	if after := b.MinSize(); after.Width <= before.Width || after.Height <= before.Height {
		t.Errorf("button grew from %v to %v in 长者模式, want larger", before, after)
	}
	test.Tap(f.toggle)
	if _, ok := f.override.Theme.(*customerTheme); !ok || f.large {
		t.Errorf("after a second tap the theme is %T, want the base theme", f.override.Theme)
	}
	if got := b.MinSize(); got != before {
		t.Errorf("button is %v after leaving 长者模式, want %v", got, before)
	}
}

func TestToneButtonIgnoresTapsWhenDisabled(t *testing.T) {
	test.NewTempApp(t)
	taps := 0
	b := newToneButton("报修", "", toneType, 0, func() { taps++ })
	test.Tap(b)
	b.set("报修", hall.ErrDailyCap.Message, toneType, true)
	test.Tap(b)
	if taps != 1 {
		t.Errorf("%d taps counted, want 1", taps)
	}
	if b.Detail() != "今日号已取完" {
		t.Errorf("detail %q", b.Detail())
	}
}

func TestNoticeBar(t *testing.T) {
	test.NewTempApp(t)
	n := newNoticeBar()
	n.set(nil, "")
	if n.box.Visible() {
		t.Error("bar shows with no notices")
	}
	n.set([]hall.Notice{
		{Kind: hall.NoticeEmergency, Text: "主变故障抢修中"},
		{Kind: hall.NoticeOutage, Text: "东街片区计划停电"},
	}, displayPriorityLine)
	if !n.box.Visible() {
		t.Fatal("bar hidden with notices")
	}
	if want := "【紧急通知】主变故障抢修中\n【停电公告】东街片区计划停电\n" + displayPriorityLine; n.text() != want {
		t.Errorf("bar reads %q, want %q", n.text(), want)
	}
	if !custSameColor(n.rect.FillColor, noticeEmergency) {
		t.Errorf("bar colour %v, want the emergency red", n.rect.FillColor)
	}
	n.set([]hall.Notice{{Kind: hall.NoticeOutage, Text: "东街片区计划停电"}}, "")
	if !custSameColor(n.rect.FillColor, noticeOutage) {
		t.Errorf("bar colour %v, want the outage orange", n.rect.FillColor)
	}
}

// custEndingService is a real hall whose event streams end after a few
// events, as a remote hall's do when the network drops.
type custEndingService struct {
	hall.Service
	mu         sync.Mutex
	after      int // events per stream
	subscribed []int64
}

func (s *custEndingService) Subscribe(ctx context.Context, afterSeq int64) (<-chan hall.Event, error) {
	s.mu.Lock()
	s.subscribed = append(s.subscribed, afterSeq)
	s.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	in, err := s.Service.Subscribe(ctx, afterSeq)
	if err != nil {
		cancel()
		return nil, err
	}
	out := make(chan hall.Event)
	go func() {
		defer close(out)
		defer cancel()
		for i := 0; i < s.after; i++ {
			e, ok := <-in
			if !ok {
				return
			}
			select {
			case out <- e:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

func TestFeedStartsOverWhenTheStreamEnds(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	svc := &custEndingService{Service: h.Local, after: 1}
	s.svc = svc
	liveCtx, stop := context.WithCancel(s.ctx)
	s.ctx = liveCtx

	start := h.LastSeq()
	f := newCustFeed(s)
	f.retry = time.Millisecond
	type seen struct {
		loads  int
		broken int
		seqs   []int64
	}
	var (
		mu    sync.Mutex
		state seen
	)
	progress := make(chan struct{}, 100)
	note := func() {
		select {
		case progress <- struct{}{}:
		default:
		}
	}
	f.load = func(ctx context.Context) (int64, error) {
		mu.Lock()
		defer mu.Unlock()
		state.loads++
		if n := len(state.seqs); n > 0 {
			return state.seqs[n-1], nil
		}
		return start, nil
	}
	f.event = func(e hall.Event) bool {
		mu.Lock()
		state.seqs = append(state.seqs, e.Seq)
		mu.Unlock()
		note()
		return true
	}
	f.reload = func(context.Context) {}
	f.broken = func(err error) {
		mu.Lock()
		state.broken++
		mu.Unlock()
		if got := feedProblemText(err); got != "实时更新已中断，正在重新连接…" {
			t.Errorf("broken stream says %q", got)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.run()
	}()
	for range 3 {
		if _, err := h.Issue(ctx, "fee", hall.Normal); err != nil {
			t.Fatal(err)
		}
	}
	want := []int64{start + 1, start + 2, start + 3}
	for {
		mu.Lock()
		n := len(state.seqs)
		mu.Unlock()
		if n >= len(want) {
			break
		}
		select {
		case <-progress:
		case <-time.After(10 * time.Second):
			t.Fatalf("feed saw %d of %d events", n, len(want))
		}
	}
	stop()
	<-done
	mu.Lock()
	defer mu.Unlock()
	for i, seq := range want {
		if state.seqs[i] != seq {
			t.Fatalf("events %v, want %v in order, none missed or twice", state.seqs, want)
		}
	}
	if state.loads < 3 || state.broken < 2 {
		t.Errorf("%d loads and %d breaks for streams of one event, want at least 3 and 2", state.loads, state.broken)
	}
}

// TestCustomerTextHasGlyphs checks that every character the customer
// windows write is in the embedded font: a customer's PC may have no
// Chinese font to fall back on, and a missing glyph draws a box.
func TestCustomerTextHasGlyphs(t *testing.T) {
	f, err := sfnt.Parse(assets.FontRegular)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		switch {
		case name == "customer_common.go", name == "kiosk.go", name == "display.go", name == "evaluator.go":
		default:
			continue
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			for _, r := range s {
				if r < 0x80 && (unicode.IsControl(r) || r == ' ') {
					continue
				}
				checked++
				if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
					t.Errorf("%s: %q has no glyph for %q (U+%04X)", fset.Position(lit.Pos()), s, r, r)
				}
			}
			return true
		})
	}
	if checked == 0 {
		t.Fatal("no text checked")
	}
	// And what the hall itself supplies.
	for _, s := range append(append([]string{}, hall.RatingReasons...), hall.ErrRatingClosed.Message, hall.ErrDailyCap.Message, "→（重呼）「」·—") {
		for _, r := range s {
			if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
				t.Errorf("%q has no glyph for %q", s, r)
			}
		}
	}
}
