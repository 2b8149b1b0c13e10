package ui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// What the customer-facing windows (kiosk, hall display, evaluator) share:
// a theme sized to be read from a step away, the 长者模式 option, big
// coloured touch buttons, the notice banner, timers that tests fire by hand
// and the loop that follows the hall's events.

// customerWindowSize is the size of a customer-facing window that is not
// full screen: the common 10-inch kiosk and evaluator panel.
var customerWindowSize = fyne.NewSize(1280, 800)

// Theme names only the customer-facing themes resolve.
const (
	sizeNameCustHuge fyne.ThemeSizeName = "servicehall.huge" // the kiosk's ticket number, the evaluator's counter name
	sizeNameCustBig  fyne.ThemeSizeName = "servicehall.big"  // the kiosk's queue count, the evaluator's prompt
	// sizeNameCustScale is how much the theme enlarges what is not text:
	// touch targets, least widths, the display's self-fitting lines. 1 in
	// the standard theme, largeScale in 长者模式. Sizes are in Fyne's
	// units, so the PC's own scale (FYNE_SCALE) applies on top.
	sizeNameCustScale fyne.ThemeSizeName = "servicehall.scale"

	colorNameCustOnTone    fyne.ThemeColorName = "servicehall.onTone"    // text on a coloured button or banner
	colorNameCustWarmInk   fyne.ThemeColorName = "servicehall.warmInk"   // text of an unselected 敬老/助残 button
	colorNameCustGreyInk   fyne.ThemeColorName = "servicehall.greyInk"   // text of a disabled button
	colorNameCustCoolInk   fyne.ThemeColorName = "servicehall.coolInk"   // text of the unselected 长者模式 button
	colorNameCustNumber    fyne.ThemeColorName = "servicehall.number"    // ticket numbers
	colorNameCustServing   fyne.ThemeColorName = "servicehall.serving"   // 办理中
	colorNameCustQuiet     fyne.ThemeColorName = "servicehall.quiet"     // captions
	colorNameCustAttention fyne.ThemeColorName = "servicehall.attention" // refusals, 今日号已取完
)

// customerTheme is the theme of the customer-facing windows: the hall's
// embedded font, larger text, and one fixed variant whatever the PC's
// preference (a kiosk should not turn dark at night).
type customerTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

var _ fyne.Theme = (*customerTheme)(nil)

func newCustomerTheme(variant fyne.ThemeVariant) *customerTheme {
	return &customerTheme{Theme: newHallTheme(), variant: variant}
}

func (t *customerTheme) dark() bool { return t.variant == theme.VariantDark }

// Size is about one and a half times the hall theme's.
func (t *customerTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 22
	case theme.SizeNameSubHeadingText:
		return 28
	case theme.SizeNameHeadingText:
		return 36
	case theme.SizeNameCaptionText:
		return 18
	case theme.SizeNameInlineIcon:
		return 28
	case theme.SizeNamePadding:
		return 6
	case sizeNameCustHuge:
		return 104
	case sizeNameCustBig:
		return 48
	case sizeNameCustScale:
		return 1
	}
	return t.Theme.Size(n)
}

// Color uses the fixed variant; the display's dark variant is a deep navy,
// as hall displays are, rather than Fyne's grey.
func (t *customerTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	dark := t.dark()
	pick := func(light, darkC color.Color) color.Color {
		if dark {
			return darkC
		}
		return light
	}
	switch n {
	case colorNameCustOnTone:
		return color.White
	case colorNameCustWarmInk:
		return custRGB(0xBF360C)
	case colorNameCustGreyInk:
		return custRGB(0x263238)
	case colorNameCustCoolInk:
		return custRGB(0x0D47A1)
	case colorNameCustNumber:
		return pick(custRGB(0x0D47A1), custRGB(0xFFC400))
	case colorNameCustServing:
		return pick(custRGB(0x2E7D32), custRGB(0x69F0AE))
	case colorNameCustQuiet:
		return pick(custRGB(0x546E7A), custRGB(0xB0BEC5))
	case colorNameCustAttention:
		return pick(custRGB(0xC62828), custRGB(0xFF6E6E))
	}
	if !dark && n == theme.ColorNameForeground {
		return custRGB(0x212121)
	}
	if dark {
		switch n {
		case theme.ColorNameBackground:
			return custRGB(0x0B1A2E)
		case theme.ColorNameOverlayBackground, theme.ColorNameMenuBackground:
			return custRGB(0x13284A)
		case theme.ColorNameForeground:
			return color.White
		case theme.ColorNameSeparator:
			return custRGB(0x2C4A72)
		}
	}
	return t.Theme.Color(n, t.variant)
}

// largeTheme is 长者模式 over any theme: larger text and touch targets, and
// contrast pushed to black on white (white on black for a dark theme).
// Every customer-facing window has it: the kiosk and the evaluator behind
// a button the customer taps, the hall display as this PC's setting (F2).
type largeTheme struct {
	fyne.Theme
}

var _ fyne.Theme = largeTheme{}

// largeScale is how much 长者模式 enlarges text, touch targets and the
// display's lines; the kiosk's ticket number and the evaluator's counter
// name, already readable from afar, keep their size so that the screen
// still fits.
const (
	largeScale     = 1.4
	largeHugeScale = 1
)

// Size enlarges text, icons and inner padding.
func (t largeTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameSubHeadingText, theme.SizeNameHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon, sizeNameCustBig:
		return s * largeScale
	case sizeNameCustScale:
		return max(s, 1) * largeScale
	case sizeNameCustHuge:
		return s * largeHugeScale
	case theme.SizeNameInnerPadding:
		return s * 1.25
	case theme.SizeNameInputBorder:
		return max(s, 2)
	}
	return s
}

// Color draws text and outlines in the strongest colour against the
// background; coloured buttons keep their colours, which are chosen dark
// enough for white text.
func (t largeTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	darkBg := custIsDark(t.Theme.Color(theme.ColorNameBackground, v))
	switch n {
	case theme.ColorNameBackground:
		if darkBg {
			return color.Black
		}
		return color.White
	case theme.ColorNameForeground:
		if darkBg {
			return color.White
		}
		return color.Black
	case theme.ColorNamePlaceHolder, colorNameCustQuiet:
		if darkBg {
			return custRGB(0xE0E0E0)
		}
		return custRGB(0x212121)
	case theme.ColorNameDisabled:
		if darkBg {
			return custRGB(0xBDBDBD)
		}
		return custRGB(0x424242)
	case theme.ColorNameInputBorder, theme.ColorNameSeparator:
		if darkBg {
			return custRGB(0xBDBDBD)
		}
		return custRGB(0x212121)
	}
	return t.Theme.Color(n, v)
}

// isDark reports whether c is closer to black than to white.
func custIsDark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	// Rec. 601 luma on 16-bit channels.
	return 299*r+587*g+114*b < 1000*0x8000
}

func custRGB(hex uint32) color.NRGBA {
	return color.NRGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xff}
}

// custDeepen darkens a colour for 长者模式, so that white text on it
// stands out more.
func custDeepen(c color.Color) color.Color {
	r, g, b, a := c.RGBA()
	const k = 0.72
	return color.NRGBA{R: uint8(float64(r>>8) * k), G: uint8(float64(g>>8) * k), B: uint8(float64(b>>8) * k), A: uint8(a >> 8)}
}

// custScale is sizeNameCustScale in th: 1 in a theme without it.
func custScale(th fyne.Theme) float32 {
	if s := th.Size(sizeNameCustScale); s > 0 {
		return s
	}
	return 1
}

// custScaleOf is the scale of the theme in force where o is shown. A
// container carries no theme of its own: its first leaf or widget does.
func custScaleOf(o fyne.CanvasObject) float32 {
	for {
		c, ok := o.(*fyne.Container)
		if !ok || len(c.Objects) == 0 {
			break
		}
		o = c.Objects[0]
	}
	return custScale(theme.CurrentForWidget(o))
}

// customerFrame holds a customer-facing window's content under its theme,
// on the theme's background, and switches 长者模式 on and off.
type customerFrame struct {
	base     fyne.Theme
	large    bool
	bg       *canvas.Rectangle
	override *container.ThemeOverride
	toggle   *toneButton // nil for a window without the option
	// changed, if set, hears each switch, after the theme is in force:
	// the window rearranges what a theme cannot (the display's layout).
	changed func(large bool)
}

const (
	largeOffLabel = "长者模式"
	largeOnLabel  = "退出长者模式"
	largeOffHint  = "字大 · 清晰"
	largeOnHint   = "恢复标准字号"
)

// Tones of the 长者模式 button.
var (
	toneLargeOff = buttonTone{fill: color.White, stroke: custRGB(0x0D47A1), ink: colorNameCustCoolInk}
	toneLargeOn  = buttonTone{fill: custRGB(0x0D47A1), stroke: custRGB(0x0D47A1), ink: colorNameCustOnTone}
)

// newCustomerFrame starts a frame in base. withToggle adds the 长者模式
// button, which the window places (frame.toggle) before it calls wrap.
func newCustomerFrame(base fyne.Theme, withToggle bool) *customerFrame {
	f := &customerFrame{base: base, bg: canvas.NewRectangle(base.Color(theme.ColorNameBackground, theme.VariantLight))}
	if withToggle {
		f.toggle = newToneButton(T(largeOffLabel), T(largeOffHint), toneLargeOff, 0, func() { f.setLarge(!f.large) })
	}
	return f
}

// wrap puts the window's content under the frame's theme and returns it.
func (f *customerFrame) wrap(content fyne.CanvasObject) fyne.CanvasObject {
	f.override = container.NewThemeOverride(container.NewStack(f.bg, content), f.base)
	return f.override
}

// setLarge switches 长者模式.
func (f *customerFrame) setLarge(on bool) {
	f.large = on
	var th fyne.Theme = f.base
	if on {
		th = largeTheme{Theme: f.base}
	}
	if f.toggle != nil {
		if on {
			f.toggle.set(T(largeOnLabel), T(largeOnHint), toneLargeOn, false)
		} else {
			f.toggle.set(T(largeOffLabel), T(largeOffHint), toneLargeOff, false)
		}
	}
	// The variant is the frame theme's own; the argument is ignored.
	f.bg.FillColor = th.Color(theme.ColorNameBackground, theme.VariantLight)
	f.bg.Refresh()
	f.override.Theme = th
	if f.changed != nil {
		f.changed(on)
	}
	f.override.Refresh()
}

// rethemed applies the theme to objects added since the frame was built.
func (f *customerFrame) rethemed() { f.override.Refresh() }

// custText builds a one-segment rich text in the given size and colour, which
// follow the window's theme (and so 长者模式).
func custText(s string, size fyne.ThemeSizeName, ink fyne.ThemeColorName, align fyne.TextAlign) *widget.RichText {
	rt := widget.NewRichText(&widget.TextSegment{Text: s, Style: widget.RichTextStyle{
		Alignment: align,
		ColorName: ink,
		SizeName:  size,
		TextStyle: fyne.TextStyle{Bold: true},
	}})
	return rt
}

// setCustText changes a text's words, keeping its style.
func setCustText(rt *widget.RichText, s string) {
	seg := rt.Segments[0].(*widget.TextSegment)
	if seg.Text == s {
		return
	}
	seg.Text = s
	rt.Refresh()
}

// setCustInk changes a text's colour.
func setCustInk(rt *widget.RichText, ink fyne.ThemeColorName) {
	seg := rt.Segments[0].(*widget.TextSegment)
	if seg.Style.ColorName == ink {
		return
	}
	seg.Style.ColorName = ink
	rt.Refresh()
}

// buttonTone is a toneButton's colours.
type buttonTone struct {
	fill, stroke color.Color // stroke nil: none
	ink          fyne.ThemeColorName
}

var toneDisabled = buttonTone{fill: custRGB(0xCFD8DC), ink: colorNameCustGreyInk}

// toneButton is a big coloured touch button with a title and a detail line,
// for customers: the kiosk's business types and priority classes, the
// evaluator's ratings. Its text follows the window's theme (长者模式).
type toneButton struct {
	widget.BaseWidget
	OnTapped func()

	tone          buttonTone
	disabled      bool
	minH          float32
	title, detail string
	// grow: minH grows with the theme's scale (长者模式), for the few
	// buttons that have the room (the evaluator's); the others grow with
	// their text only, so that the kiosk still fits its screen.
	grow bool
}

var _ fyne.Tappable = (*toneButton)(nil)

// newToneButton makes a button at least minHeight tall (0: as its text).
func newToneButton(title, detail string, t buttonTone, minHeight float32, tapped func()) *toneButton {
	b := &toneButton{OnTapped: tapped, tone: t, minH: minHeight, title: title, detail: detail}
	b.ExtendBaseWidget(b)
	return b
}

// Tapped runs OnTapped unless the button is disabled.
func (b *toneButton) Tapped(*fyne.PointEvent) {
	if !b.disabled && b.OnTapped != nil {
		b.OnTapped()
	}
}

// Disabled reports whether taps are ignored.
func (b *toneButton) Disabled() bool { return b.disabled }

// set changes the title, detail, colours and whether it takes taps.
func (b *toneButton) set(title, detail string, t buttonTone, disabled bool) {
	if b.title == title && b.detail == detail && b.tone == t && b.disabled == disabled {
		return
	}
	b.title, b.detail, b.tone, b.disabled = title, detail, t, disabled
	b.Refresh()
}

// Title is the button's first line.
func (b *toneButton) Title() string { return b.title }

// Detail is the button's second line.
func (b *toneButton) Detail() string { return b.detail }

func (b *toneButton) current() buttonTone {
	if b.disabled {
		return toneDisabled
	}
	return b.tone
}

func (b *toneButton) CreateRenderer() fyne.WidgetRenderer {
	b.ExtendBaseWidget(b)
	r := &toneRenderer{b: b, rect: canvas.NewRectangle(nil), title: canvas.NewText("", nil), detail: canvas.NewText("", nil)}
	r.rect.CornerRadius = 14
	r.title.Alignment, r.detail.Alignment = fyne.TextAlignCenter, fyne.TextAlignCenter
	r.title.TextStyle.Bold = true
	r.Refresh()
	return r
}

type toneRenderer struct {
	b             *toneButton
	rect          *canvas.Rectangle
	title, detail *canvas.Text
	// The theme's sizes for the two lines; a line too long for the
	// button (a long English name) is drawn smaller, down to toneShrink
	// of its size.
	titleSize, detailSize float32
}

// toneShrink is how far a button's line may shrink to fit its width.
const toneShrink = 0.6

// toneFit is the size at which s, at most full, fits width w, at least
// toneShrink of full.
func toneFit(t *canvas.Text, full, w float32) float32 {
	ts := full
	if need := fyne.MeasureText(t.Text, full, t.TextStyle).Width; need > w && need > 0 {
		ts = max(full*toneShrink, full*w/need)
		for i := 0; i < 10 && ts > full*toneShrink && fyne.MeasureText(t.Text, ts, t.TextStyle).Width > w; i++ {
			ts *= 0.98
		}
	}
	return ts
}

// gap is the space around and between the lines.
func (r *toneRenderer) gap() float32 { return r.b.Theme().Size(theme.SizeNameInnerPadding) }

func (r *toneRenderer) Layout(size fyne.Size) {
	r.rect.Resize(size)
	for _, l := range []struct {
		t    *canvas.Text
		full float32
	}{{r.title, r.titleSize}, {r.detail, r.detailSize}} {
		if ts := toneFit(l.t, l.full, size.Width-2*r.gap()); ts != l.t.TextSize {
			l.t.TextSize = ts
			l.t.Refresh()
		}
	}
	th, dh := r.title.MinSize().Height, float32(0)
	if r.detail.Visible() {
		dh = r.detail.MinSize().Height + r.gap()
	}
	y := (size.Height - th - dh) / 2
	r.title.Move(fyne.NewPos(0, y))
	r.title.Resize(fyne.NewSize(size.Width, th))
	r.detail.Move(fyne.NewPos(0, y+th+r.gap()))
	r.detail.Resize(fyne.NewSize(size.Width, dh-r.gap()))
}

func (r *toneRenderer) MinSize() fyne.Size {
	g := r.gap()
	// As narrow as the lines at their least, as tall as at their full
	// size.
	least := func(t *canvas.Text, full float32) fyne.Size {
		return fyne.NewSize(fyne.MeasureText(t.Text, full*toneShrink, t.TextStyle).Width, fyne.MeasureText(t.Text, full, t.TextStyle).Height)
	}
	t := least(r.title, r.titleSize)
	w, h := t.Width, t.Height
	if r.detail.Visible() {
		d := least(r.detail, r.detailSize)
		w, h = max(w, d.Width), h+g+d.Height
	}
	minH := r.b.minH
	if r.b.grow {
		minH *= custScale(r.b.Theme())
	}
	return fyne.NewSize(w+4*g, max(h+2*g, minH))
}

func (r *toneRenderer) Refresh() {
	th := r.b.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	t := r.b.current()
	// 长者模式: a deeper fill under white text and an outline in the
	// text's colour, for contrast.
	if custScale(th) > 1 && !r.b.disabled {
		if t.ink == colorNameCustOnTone {
			t.fill = custDeepen(t.fill)
		}
		if t.stroke == nil {
			t.stroke = th.Color(theme.ColorNameForeground, v)
		}
	}
	r.rect.FillColor = t.fill
	r.rect.StrokeColor = t.stroke
	r.rect.StrokeWidth = 0
	if t.stroke != nil {
		r.rect.StrokeWidth = 3
	}
	ink := th.Color(t.ink, v)
	r.titleSize, r.detailSize = th.Size(theme.SizeNameSubHeadingText), th.Size(theme.SizeNameText)
	r.title.Text, r.title.Color, r.title.TextSize = r.b.title, ink, r.titleSize
	r.detail.Text, r.detail.Color, r.detail.TextSize = r.b.detail, ink, r.detailSize
	r.detail.Hidden = r.b.detail == ""
	r.rect.Refresh()
	r.title.Refresh()
	r.detail.Refresh()
	r.Layout(r.b.Size())
}

func (r *toneRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.rect, r.title, r.detail}
}

func (r *toneRenderer) Destroy() {}

// noticeBar shows the notices in force: red for an emergency, orange for an
// outage, blue for information. It hides itself when there are none.
type noticeBar struct {
	shown bool // there is something to show
	rect  *canvas.Rectangle
	label *widget.RichText
	box   *fyne.Container
}

func newNoticeBar() *noticeBar {
	n := &noticeBar{rect: canvas.NewRectangle(custRGB(0x1565C0)), label: custText("", theme.SizeNameText, colorNameCustOnTone, fyne.TextAlignLeading)}
	n.box = container.NewStack(n.rect, container.NewPadded(custWrapped(n.label, 110)))
	n.box.Hide()
	return n
}

// Notice colours.
var (
	noticeEmergency = custRGB(0xC62828)
	noticeOutage    = custRGB(0xE65100)
	noticeInfo      = custRGB(0x1565C0)
)

// set shows the notices (emergencies first, as hall.Service returns them)
// and an extra line of the window's own, if any.
func (n *noticeBar) set(notices []hall.Notice, extra string) {
	var lines []string
	fill := noticeInfo
	for i, x := range notices {
		// The notice's own text is data, shown as posted.
		lines = append(lines, Tf("【%s】%s", T(x.Kind.Label()), x.TextIn(T)))
		if i == 0 {
			switch x.Kind {
			case hall.NoticeEmergency:
				fill = noticeEmergency
			case hall.NoticeOutage:
				fill = noticeOutage
			}
		}
	}
	if extra != "" {
		lines = append(lines, extra)
	}
	setCustText(n.label, strings.Join(lines, "\n"))
	if n.rect.FillColor != fill {
		n.rect.FillColor = fill
		n.rect.Refresh()
	}
	n.shown = len(lines) > 0
	if n.shown {
		n.box.Show()
	} else {
		n.box.Hide()
	}
}

// text is what the bar shows.
func (n *noticeBar) text() string {
	if !n.shown {
		return ""
	}
	return n.label.Segments[0].(*widget.TextSegment).Text
}

// schedFunc runs f on the UI thread after d unless stop is called first.
// Windows take it as a field so that tests fire their timers by hand.
type schedFunc func(d time.Duration, f func()) (stop func())

// custAfter is the real schedFunc of a window that lives as long as ctx.
func custAfter(ctx context.Context, s *session) schedFunc {
	return func(d time.Duration, f func()) func() {
		t := time.AfterFunc(d, func() {
			if ctx.Err() == nil {
				s.runOnMain(f)
			}
		})
		return func() { t.Stop() }
	}
}

// custEvery calls f on the UI thread every period until ctx ends.
func custEvery(ctx context.Context, s *session, period time.Duration, f func()) {
	s.goBackground(func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.runOnMain(f)
			}
		}
	})
}

// custLocation is the hall's time zone, or the PC's when it has none.
func custLocation(tz string) *time.Location {
	if tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			return loc
		}
	}
	return time.Local
}

// custFeed keeps a window up to date with the hall for days on end: it loads
// the window's data, follows the event stream, reads the data again after
// each burst of events (and whenever kicked: for notices that expire and
// midnight, which no event announces) and, when the stream ends, starts
// over after a pause.
type custFeed struct {
	s     *session
	retry time.Duration
	kicks chan struct{}
	// ctx is the window's life: it ends with the session or when the
	// window closes (stop), and all the window's background work with it.
	ctx  context.Context
	stop context.CancelFunc

	// load reads and shows the window's data and returns the event to
	// subscribe after.
	load func(ctx context.Context) (afterSeq int64, err error)
	// event sees every event in order, off the UI thread, and reports
	// whether the data must be read again.
	event func(e hall.Event) bool
	// reload reads and shows the data again, off the UI thread.
	reload func(ctx context.Context)
	// broken tells the person, on the UI thread, that live updates
	// stopped: err is nil when the stream just ended.
	broken func(err error)
}

func newCustFeed(s *session) *custFeed { return newFeedIn(s.ctx, s, retryAfter) }

// newFeedIn is a feed whose life is parent's: a signed-in screen's, say.
func newFeedIn(parent context.Context, s *session, retry time.Duration) *custFeed {
	ctx, stop := context.WithCancel(parent)
	return &custFeed{s: s, retry: retry, kicks: make(chan struct{}, 1), ctx: ctx, stop: stop}
}

// kick asks for a reload; safe from any goroutine, never blocks.
func (f *custFeed) kick() {
	select {
	case f.kicks <- struct{}{}:
	default:
	}
}

// run follows the hall until the window's life ends.
func (f *custFeed) run() {
	ctx := f.ctx
	for {
		after, err := f.load(ctx)
		if err == nil {
			var events <-chan hall.Event
			if events, err = f.s.svc.Subscribe(ctx, after); err == nil {
				f.follow(ctx, events)
			}
		}
		if ctx.Err() != nil {
			return
		}
		f.s.runOnMain(func() { f.broken(err) })
		select {
		case <-ctx.Done():
			return
		case <-time.After(f.retry):
		}
	}
}

// follow handles events until the stream closes. A burst of events costs
// at most one reload beyond the one in progress.
func (f *custFeed) follow(ctx context.Context, events <-chan hall.Event) {
	due := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range due {
			f.reload(ctx)
		}
	}()
	mark := func() {
		select {
		case due <- struct{}{}:
		default: // a reload is already due and will see this too
		}
	}
	defer func() {
		close(due)
		<-done
	}()
	for {
		select {
		case e, ok := <-events:
			if !ok {
				return
			}
			if f.event(e) {
				mark()
			}
		case <-f.kicks:
			mark()
		}
	}
}

// counterNameFormat is a counter's default name ("3号窗口").
const counterNameFormat = "%d号窗口"

// custCounterName is how the customer windows name counter no: its own
// name, or, for a counter named in the default way ("3号窗口") or not
// named at all, that name in the windows' language.
func custCounterName(no int, name string) string {
	if name == "" || name == fmt.Sprintf(counterNameFormat, no) {
		return Tf(counterNameFormat, no)
	}
	return name
}

// feedProblemText is what a window says while its live updates are down.
func feedProblemText(err error) string {
	if err == nil {
		return T("实时更新已中断，正在重新连接…")
	}
	return errText(err)
}

// custMinWidth makes its objects at least w wide.
type custMinWidth struct{ w float32 }

func (m *custMinWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	w := m.w
	if len(objs) > 0 {
		w *= custScaleOf(objs[0])
	}
	return fyne.NewSize(max(s.Width, w), s.Height)
}

func (m *custMinWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// custAtLeastWide makes o at least w wide.
func custAtLeastWide(w float32, o fyne.CanvasObject) *fyne.Container {
	return container.New(&custMinWidth{w: w}, o)
}

// custWrapped holds a word-wrapped text: its minimum height is at most maxH.
// A wrapped text asks for one character per line before it has a width,
// which would make the window as tall as the whole text.
func custWrapped(rt *widget.RichText, maxH float32) *fyne.Container {
	rt.Wrapping = fyne.TextWrapWord
	return container.New(&custCapHeight{h: maxH}, rt)
}

type custCapHeight struct{ h float32 }

func (c *custCapHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		if o.Visible() {
			h = max(h, o.MinSize().Height)
		}
	}
	limit := c.h
	if len(objs) > 0 {
		limit *= custScaleOf(objs[0])
	}
	return fyne.NewSize(0, min(h, limit))
}

func (c *custCapHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// fitText is one line of text as large as its space allows, up to maxSize:
// the hall display fills whatever screen it runs on, and a line never
// spills out of its box. Both sizes grow with the theme's scale
// (长者模式).
type fitText struct {
	widget.BaseWidget
	text    string
	ink     fyne.ThemeColorName
	align   fyne.TextAlign
	minSize float32 // the size its minimum is measured at
	maxSize float32
}

func newFitText(s string, ink fyne.ThemeColorName, align fyne.TextAlign, minSize, maxSize float32) *fitText {
	t := &fitText{text: s, ink: ink, align: align, minSize: minSize, maxSize: maxSize}
	t.ExtendBaseWidget(t)
	return t
}

// Text is what it shows.
func (t *fitText) Text() string { return t.text }

// set changes the words and colour.
func (t *fitText) set(s string, ink fyne.ThemeColorName) {
	if t.text == s && t.ink == ink {
		return
	}
	t.text, t.ink = s, ink
	t.Refresh()
}

func (t *fitText) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	r := &fitRenderer{t: t, line: canvas.NewText("", nil), scale: 1}
	r.line.TextStyle.Bold = true
	r.Refresh()
	return r
}

type fitRenderer struct {
	t     *fitText
	line  *canvas.Text
	scale float32 // the theme's, as of the last refresh
}

// fitTextHeight is a line's height for each unit of text size, with room
// for descenders.
const fitTextHeight = 1.45

func (r *fitRenderer) Layout(size fyne.Size) {
	ts := r.t.maxSize * r.scale
	if r.t.text != "" {
		w := fyne.MeasureText(r.t.text, 100, r.line.TextStyle).Width
		if w > 0 {
			ts = min(ts, 100*size.Width/w)
		}
	}
	ts = min(ts, size.Height/fitTextHeight)
	// Glyphs advance in whole pixels, so text measures a little wider
	// than in proportion to its size: step down until it fits.
	for i := 0; i < 10 && ts > 1 && r.t.text != "" && fyne.MeasureText(r.t.text, ts, r.line.TextStyle).Width > size.Width; i++ {
		ts *= 0.98
	}
	if ts < 1 {
		ts = 1
	}
	if r.line.TextSize != ts {
		r.line.TextSize = ts
		r.line.Refresh()
	}
	h := min(size.Height, ts*fitTextHeight)
	r.line.Move(fyne.NewPos(0, (size.Height-h)/2))
	r.line.Resize(fyne.NewSize(size.Width, h))
}

func (r *fitRenderer) MinSize() fyne.Size {
	ms := r.t.minSize * r.scale
	m := fyne.MeasureText(r.t.text, ms, r.line.TextStyle)
	return fyne.NewSize(m.Width, ms*fitTextHeight)
}

func (r *fitRenderer) Refresh() {
	r.line.Text = r.t.text
	r.line.Alignment = r.t.align
	th := r.t.Theme()
	r.scale = custScale(th)
	r.line.Color = th.Color(r.t.ink, fyne.CurrentApp().Settings().ThemeVariant())
	r.line.Refresh()
	r.Layout(r.t.Size())
}

func (r *fitRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.line} }
func (r *fitRenderer) Destroy()                     {}
