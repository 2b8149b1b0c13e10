package ui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// custLine is one line of text as rendered: the widget it belongs to (its
// owner), its words, its size and where it is in the window.
type custLine struct {
	owner fyne.CanvasObject
	index int // among its owner's lines
	text  string
	size  float32
	pos   fyne.Position
	box   fyne.Size
}

// custRenderedLines walks what is visible in o, as laid out, and lists its
// lines of text.
func custRenderedLines(o fyne.CanvasObject) []custLine {
	var out []custLine
	var walk func(o, owner fyne.CanvasObject, at fyne.Position)
	walk = func(o, owner fyne.CanvasObject, at fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		pos := at.Add(o.Position())
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text != "" {
				n := 0
				for _, l := range out {
					if l.owner == owner {
						n++
					}
				}
				out = append(out, custLine{owner: owner, index: n, text: x.Text, size: x.TextSize, pos: pos, box: x.Size()})
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c, owner, pos)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c, x, pos)
			}
		}
	}
	walk(o, nil, fyne.Position{})
	return out
}

// custLarger is how much larger 长者模式 must make each line (issue #9).
const custLarger = 1.4

// custCheckLarger checks that every line shown in 长者模式 (large) is at
// least custLarger times as large as the same line of the same widget in
// the standard screen (std) — its largest line if the line is new, a text
// wrapped anew, say — or failing that a line of the same words, except the
// owners in keep, which keep their size; and reports the lines it
// compared.
func custCheckLarger(t *testing.T, what string, std, large []custLine, keep ...fyne.CanvasObject) int {
	t.Helper()
	compared := 0
	for _, l := range large {
		kept := false
		for _, k := range keep {
			kept = kept || k == l.owner
		}
		if kept {
			continue
		}
		var was float32
		for _, s := range std {
			if s.owner == l.owner && s.index == l.index {
				was = s.size
			}
		}
		if was == 0 {
			for _, s := range std {
				if s.owner == l.owner {
					was = max(was, s.size)
				}
			}
		}
		if was == 0 {
			for _, s := range std {
				if s.text == l.text {
					was = max(was, s.size)
				}
			}
		}
		if was == 0 {
			t.Errorf("%s: %q (%T) shows only in 长者模式: nothing to compare", what, l.text, l.owner)
			continue
		}
		compared++
		if l.size < was*custLarger-0.01 {
			t.Errorf("%s: %q is %.1f in 长者模式, the standard screen's %.1f: want at least %.1f", what, l.text, l.size, was, was*custLarger)
		}
	}
	return compared
}

// custCheckInside checks that every line lies within the window and that
// its words fit its box.
func custCheckInside(t *testing.T, what string, lines []custLine, size fyne.Size) {
	t.Helper()
	for _, l := range lines {
		if l.pos.X < -0.5 || l.pos.Y < -0.5 || l.pos.X+l.box.Width > size.Width+0.5 || l.pos.Y+l.box.Height > size.Height+0.5 {
			t.Errorf("%s: %q at %v size %v leaves the %v window", what, l.text, l.pos, l.box, size)
		}
		if w := fyne.MeasureText(l.text, l.size, fyne.TextStyle{Bold: true}).Width; w > l.box.Width+1 {
			t.Errorf("%s: %q needs %.0f wide at %.1f, its box is %.0f", what, l.text, w, l.size, l.box.Width)
		}
	}
}

// custLinesOf returns the lines showing words.
func custLinesOf(lines []custLine, words string) []custLine {
	var out []custLine
	for _, l := range lines {
		if l.text == words {
			out = append(out, l)
		}
	}
	return out
}

// largeDisplayHall is a busy hall for the display: hours, a notice, calls
// at three counters, a priority ticket waiting and a paused counter.
func largeDisplayHall(t *testing.T) *halltest.Hall {
	t.Helper()
	ctx := context.Background()
	h := halltest.New(t, nil)
	custSetHours(t, h, "08:30-17:30")
	if _, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeOutage, Text: "东街片区今日14:00至16:00计划停电", Until: h.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	custIssue(t, h, hall.Normal, demo.TypeFee, demo.TypeConnect, demo.TypeComplaint, demo.TypeFee, demo.TypeRepair)
	custIssue(t, h, hall.Elderly, demo.TypeConsult)
	if _, err := h.SetCounterState(ctx, h.At(0), 4, hall.CounterPaused); err != nil {
		t.Fatal(err)
	}
	return h
}

// custSetHours gives h the same opening hours every day.
func custSetHours(t *testing.T, h *halltest.Hall, hours string) {
	t.Helper()
	ctx := context.Background()
	cfg, err := h.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Policy
	p.OpenHours = []string{hours, hours, hours, hours, hours, hours, hours}
	if err := h.SetPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
}

// In 长者模式 every line of the hall display is at least custLarger times
// as large as on the standard screen, on a 1280×800 and a 1920×1080
// screen: the number being called, the counters, the recent calls, the
// waiting counts, the notice, the clock and the hours. Whatever does not
// fit at that size takes turns (the counters, then the waiting counts, a
// page at a time) and nothing leaves the screen.
func TestDisplayLargeModeEnlargesEveryLine(t *testing.T) {
	for _, size := range []fyne.Size{customerWindowSize, fyne.NewSize(1920, 1080)} {
		t.Run(fmt.Sprintf("%vx%v", size.Width, size.Height), func(t *testing.T) {
			h := largeDisplayHall(t)
			d, w, timers := openDisplay(t, h)
			displayCalls(t, h, 1, 3, 5)
			displayCatchUp(t, d, false)
			w.Resize(size)
			relayout(w)
			std := custRenderedLines(w.Content())
			custCheckInside(t, "standard", std, size)
			if len(custLinesOf(std, "营业时间 08:30-17:30")) != 1 {
				t.Errorf("the standard screen does not show today's hours")
			}

			d.frame.setLarge(true)
			relayout(w)
			// Every page of the pager, and the banner on each call.
			pages := d.pager.pagesFor(d.pager.perPage)
			if pages < 2 {
				t.Errorf("%d pages for %d counters and %d types", pages, len(d.counterRows), len(d.waitCells))
			}
			seen := map[fyne.CanvasObject]bool{}
			compared := 0
			for p := range pages + 1 {
				large := custRenderedLines(w.Content())
				what := fmt.Sprintf("page %d, banner %q", p+1, d.banner.Text())
				compared += custCheckLarger(t, what, std, large)
				custCheckInside(t, what, large, size)
				for _, o := range d.pager.shown {
					seen[o] = true
				}
				for _, words := range []string{"城关供电营业厅", "09:00:00", "营业时间 08:30-17:30", "【停电公告】东街片区今日14:00至16:00计划停电"} {
					if len(custLinesOf(large, words)) != 1 {
						t.Errorf("%s: %q is not on the screen", what, words)
					}
				}
				if !timers.fire(displayPageEvery) {
					t.Fatalf("%s: no timer turns the page", what)
				}
				relayout(w)
			}
			if compared < 40 {
				t.Errorf("only %d lines compared", compared)
			}
			for _, r := range d.counterRows {
				if !seen[r.box] {
					t.Errorf("counter %d never shows in 长者模式", r.no)
				}
			}
			for _, c := range d.waitCells {
				if !seen[c.box] {
					t.Errorf("waiting count of %s never shows in 长者模式", c.name.Text())
				}
			}
			// The banner: the call in large figures, a recall marked.
			// Counter 1 calls the 敬老 ticket D001 first.
			if got := d.banner.Text(); got != "D001 → 1号窗口" {
				t.Errorf("banner %q in 长者模式", got)
			}
			if got := displayHistoryText(d); len(got) != displayHistoryLarge || got[0] != "F001 → 5号窗口" {
				t.Errorf("recent calls in 长者模式 %q, want the %d newest", got, displayHistoryLarge)
			}

			// Back to the standard screen: as it was.
			d.frame.setLarge(false)
			relayout(w)
			again := custRenderedLines(w.Content())
			if len(again) != len(std) {
				t.Errorf("%d lines after 长者模式, %d before", len(again), len(std))
			}
			if timers.fire(displayPageEvery) {
				t.Error("the page still turns on the standard screen")
			}
		})
	}
}

// pagesFor is how many pages the pager has at per lines to a page.
func (p *displayPager) pagesFor(per int) int {
	n := 0
	for _, g := range p.groups {
		n += (len(g) + per - 1) / per
	}
	return n
}

// The display has no touch screen: F2 on its keyboard switches 长者模式,
// and the PC keeps the choice for the display's next start.
func TestDisplayLargeModeIsThisPCsSetting(t *testing.T) {
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	open := func() (*display, fyne.Window) {
		d := newDisplay(s)
		d.after = (&custTimers{}).after
		w := d.window()
		t.Cleanup(w.Close)
		return d, w
	}
	d, w := open()
	if d.frame.large {
		t.Fatal("a new display starts in 长者模式")
	}
	w.Canvas().(test.WindowlessCanvas).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF2})
	if !d.frame.large || !s.app.Preferences().Bool(displayLargePref) {
		t.Fatalf("after F2: large %v, kept %v; want both", d.frame.large, s.app.Preferences().Bool(displayLargePref))
	}
	d2, w2 := open()
	if !d2.frame.large || d2.body.Objects[0] != d2.largeTree {
		t.Error("the next display of this PC does not open in 长者模式")
	}
	w2.Canvas().(test.WindowlessCanvas).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF2})
	if d2.frame.large || s.app.Preferences().Bool(displayLargePref) {
		t.Error("a second F2 left 长者模式 on")
	}
}

// On the kiosk every line grows by custLarger in 长者模式 but the ticket
// number, already huge; buttons take white text on a deeper colour with
// an outline; the screen still fits. The next customer starts in the
// standard size.
func TestKioskLargeModeEnlargesEveryLine(t *testing.T) {
	h := halltest.New(t, nil)
	custSetHours(t, h, "08:30-17:30")
	k, w, timers := openKiosk(t, h)
	relayout(w)
	std := custRenderedLines(w.Content())
	fill := test.WidgetRenderer(k.typeButton[demo.TypeFee]).Objects()[0].(*canvas.Rectangle).FillColor

	test.Tap(k.frame.toggle)
	relayout(w)
	large := custRenderedLines(w.Content())
	if n := custCheckLarger(t, "kiosk", std, large); n < 15 {
		t.Errorf("only %d lines compared", n)
	}
	custCheckInside(t, "kiosk", large, customerWindowSize)
	custFits(t, "kiosk in 长者模式", k.root)
	rect := test.WidgetRenderer(k.typeButton[demo.TypeFee]).Objects()[0].(*canvas.Rectangle)
	if custContrast(rect.FillColor, color.White) <= custContrast(fill, color.White) || rect.StrokeWidth == 0 {
		t.Errorf("type button %v (outline %v) in 长者模式, was %v: want a deeper fill and an outline", rect.FillColor, rect.StrokeWidth, fill)
	}
	if c := custContrast(rect.FillColor, color.White); c < 7 {
		t.Errorf("white on the type button's %v: contrast %.1f, want at least 7", rect.FillColor, c)
	}

	// The card: all but the number larger.
	test.Tap(k.typeButton[demo.TypeFee])
	relayout(w)
	card := custRenderedLines(w.Content())
	k.frame.setLarge(false)
	relayout(w)
	cardStd := custRenderedLines(w.Content())
	k.frame.setLarge(true)
	relayout(w)
	if n := custCheckLarger(t, "kiosk card", cardStd, card, k.cardNumber); n < 4 {
		t.Errorf("only %d card lines compared", n)
	}
	// The next customer: the standard size again.
	timers.fire(kioskCardFor)
	if k.frame.large || k.view != kioskChoose {
		t.Errorf("large %v view %d after the card, want the standard types", k.frame.large, k.view)
	}
}

// On the evaluator the rating buttons grow, their text by custLarger, on
// deeper colours; every line but the counter's name grows too; the
// customer who chose it takes it with them.
func TestEvaluatorLargeModeEnlargesEveryLine(t *testing.T) {
	h := halltest.New(t, nil)
	e, w, timers := openEvaluator(t, h, 1)
	custServe(t, h, demo.TypeFee, 1)
	evalCheck(e)
	relayout(w)
	std := custRenderedLines(w.Content())
	b := e.levelButtons[hall.Neutral]
	was := b.Size()
	fill := test.WidgetRenderer(b).Objects()[0].(*canvas.Rectangle).FillColor

	test.Tap(e.frame.toggle)
	relayout(w)
	large := custRenderedLines(w.Content())
	if n := custCheckLarger(t, "rating", std, large); n < 10 {
		t.Errorf("only %d lines compared", n)
	}
	custCheckInside(t, "rating", large, customerWindowSize)
	if got := b.Size(); got.Height < was.Height*custLarger-0.5 {
		t.Errorf("rating button %v in 长者模式, was %v: want %v× as tall", got, was, custLarger)
	}
	if c := custContrast(test.WidgetRenderer(b).Objects()[0].(*canvas.Rectangle).FillColor, color.White); c < 7 || c <= custContrast(fill, color.White) {
		t.Errorf("white on the 基本满意 button: contrast %.1f, want at least 7 and more than before", c)
	}
	// Every page of the evaluator fits 1280×800 in 长者模式.
	test.Tap(e.levelButtons[hall.Dissatisfied])
	relayout(w)
	custCheckInside(t, "reasons", custRenderedLines(w.Content()), customerWindowSize)
	custFits(t, "reasons", e.root)
	test.Tap(e.back)
	test.Tap(e.levelButtons[hall.Satisfied])
	timers.fire(evalMessageFor)
	if e.frame.large {
		t.Error("长者模式 stays on for the next customer")
	}
}

// custContrast is the WCAG contrast ratio of two colours.
func custContrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, bl, _ := c.RGBA()
		lin := func(v uint32) float64 {
			x := float64(v) / 0xffff
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(bl)
	}
	la, lb := lum(a), lum(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
