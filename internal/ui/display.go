package ui

import (
	"context"
	"slices"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

	"servicehall/internal/hall"
)

const (
	displayTitle = "综合屏"
	// displayEach is how long each call stays highlighted in the banner:
	// about as long as its voice announcement.
	displayEach = 5 * time.Second
	// displayReplay is how far back in the event log the display looks
	// for today's calls when it starts.
	displayReplay = 500
	// displayHistory is how many recent calls the display lists; older
	// ones drop off, so days of running never grow the list.
	displayHistory = 6
	// displayQueueCap bounds the calls waiting for the banner; the oldest
	// give way (they stay in the list of recent calls).
	displayQueueCap = 20
	// displayReloadEvery re-reads the hall although no event came: notices
	// expire and days turn without one.
	displayReloadEvery = time.Minute

	displayIdle         = "请留意叫号，听到您的号码请到对应窗口办理"
	displayPriorityLine = "敬老助残优先服务进行中，感谢您的理解"
	displayNoCalls      = "今日暂无呼叫"
)

// displayCall is one call as the display shows it.
type displayCall struct {
	seq     int64
	day     string
	number  string
	counter int
	recall  bool
}

// Display colours.
var (
	displayBannerOn  = custRGB(0xC62828)
	displayBannerOff = custRGB(0x13284A)
)

// display is the hall display (综合屏): the call being announced, large;
// what every counter is serving; the last calls; waiting counts; notices.
// Simultaneous calls queue up and are highlighted one after another.
type display struct {
	s          *session
	after      schedFunc
	each       time.Duration
	feed       *custFeed
	fullScreen bool
	guard      *screenGuard

	// Owned by the feed's goroutine.
	started     bool
	lastSeen    int64
	replayUntil int64
	replayed    bool
	replay      []displayCall

	// Owned by the UI thread.
	win      fyne.Window
	frame    *customerFrame
	root     fyne.CanvasObject
	loc      *time.Location
	tz       string
	today    string
	names    map[int]string // counter names
	current  *displayCall   // highlighted in the banner
	queue    []displayCall  // waiting for the banner, oldest first
	stepGen  int
	stopStep func()
	history  []displayCall // newest first
	// lastNotices are the notices last read.
	lastNotices []hall.Notice

	hallName    *fitText
	date        *fitText
	clock       *fitText
	bannerRect  *canvas.Rectangle
	banner      *fitText
	counterBox  *fyne.Container
	counterRows []displayCounterRow
	historyRows []*fitText
	waitBox     *fyne.Container
	waitCells   []displayWaitCell
	notices     *noticeBar
	status      *fitText
}

type displayCounterRow struct {
	no                  int
	name, number, state *fitText
}

type displayWaitCell struct {
	code        string
	name, count *fitText
}

// openDisplayWindow is the display role's entry in roleTable.
func openDisplayWindow(s *session, _ int) (fyne.Window, error) {
	d := newDisplay(s)
	d.fullScreen = true
	w := d.window()
	d.start()
	return w, nil
}

func newDisplay(s *session) *display {
	d := &display{s: s, feed: newCustFeed(s), each: displayEach, loc: time.Local, names: map[int]string{}}
	d.after = custAfter(d.feed.ctx, s)
	d.feed.load = d.load
	d.feed.event = d.event
	d.feed.reload = func(ctx context.Context) { d.refresh(ctx) } //nolint:errcheck // refresh shows its own errors
	d.feed.broken = func(err error) { d.showStatus(feedProblemText(err)) }
	d.build()
	return d
}

func (d *display) build() {
	d.hallName = newFitText(displayTitle, theme.ColorNameForeground, fyne.TextAlignLeading, 28, 56)
	d.date = newFitText("", colorNameCustQuiet, fyne.TextAlignTrailing, 18, 30)
	d.clock = newFitText("", theme.ColorNameForeground, fyne.TextAlignTrailing, 28, 56)
	header := container.New(columns{5, 3, 2}, d.hallName, d.date, d.clock)

	d.bannerRect = canvas.NewRectangle(displayBannerOff)
	d.bannerRect.CornerRadius = 12
	d.banner = newFitText(displayIdle, colorNameCustQuiet, fyne.TextAlignCenter, 24, 150)
	banner := container.NewStack(d.bannerRect, container.New(layout.NewCustomPaddedLayout(8, 8, 24, 24), d.banner))

	d.counterBox = container.NewGridWithColumns(1)
	counters := container.NewBorder(d.sectionTitle("窗口"), nil, nil, nil, d.counterBox)
	historyBox := container.NewGridWithColumns(1)
	for range displayHistory {
		r := newFitText("", theme.ColorNameForeground, fyne.TextAlignLeading, 18, 44)
		d.historyRows = append(d.historyRows, r)
		historyBox.Add(r)
	}
	history := container.NewBorder(d.sectionTitle("最近呼叫"), nil, nil, nil, historyBox)
	middle := container.New(columns{3, 2}, d.panel(counters), d.panel(history))

	d.waitBox = container.NewGridWithRows(1)
	waiting := container.NewBorder(nil, nil, newFitText("等候人数", colorNameCustQuiet, fyne.TextAlignLeading, 26, 32), nil, d.waitBox)
	d.notices = newNoticeBar()
	d.status = newFitText("", colorNameCustAttention, fyne.TextAlignCenter, 16, 22)
	d.status.Hide()
	content := container.NewPadded(container.New(displayRows{0.08, 0.2, 0, 0.12, -1, -1},
		header, banner, middle, waiting, d.notices.box, d.status))
	d.frame = newCustomerFrame(newCustomerTheme(theme.VariantDark), false)
	d.root = d.frame.wrap(content)
}

// sectionTitle heads a panel.
func (d *display) sectionTitle(s string) fyne.CanvasObject {
	return newFitText(s, colorNameCustQuiet, fyne.TextAlignLeading, 28, 40)
}

// panel sets a part of the screen on a slightly lighter ground.
func (d *display) panel(o fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(custRGB(0x112746))
	bg.CornerRadius = 10
	return container.NewPadded(container.NewStack(bg, container.NewPadded(o)))
}

// window opens the display's window, full screen outside tests; Esc leaves
// full screen after an administrator's PIN, F11 enters it again.
func (d *display) window() fyne.Window {
	d.win = d.s.app.NewWindow(displayTitle)
	d.win.SetContent(d.root)
	d.win.Resize(customerWindowSize)
	// Esc leaves full screen only with an administrator's PIN; F2 (a key
	// on the remote's keyboard) switches 长者模式 for viewers far away.
	d.guard = guardFullScreen(d.s, d.win, d.fullScreen, func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyF2 {
			d.frame.setLarge(!d.frame.large)
		}
	})
	d.win.SetOnClosed(func() {
		d.feed.stop()
		d.cancelStep()
	})
	return d.win
}

// start follows the hall and runs the clock.
func (d *display) start() {
	d.s.goBackground(d.feed.run)
	ticks := 0
	custEvery(d.feed.ctx, d.s, time.Second, func() {
		d.onTick()
		if ticks++; ticks%int(displayReloadEvery/time.Second) == 0 {
			d.feed.kick()
		}
	})
}

// onTick shows the time and, at midnight, the new date; yesterday's calls
// leave the list. UI thread.
func (d *display) onTick() {
	now := d.s.now().In(d.loc)
	d.clock.set(now.Format("15:04:05"), theme.ColorNameForeground)
	day := now.Format(time.DateOnly)
	d.date.set(formatDay(day), colorNameCustQuiet)
	if day != d.today {
		d.today = day
		d.history = slices.DeleteFunc(d.history, func(c displayCall) bool { return c.day != day })
		d.showHistory()
		d.feed.kick()
	}
}

// load reads the hall, shows it and returns where to follow the events
// from: on the first start far enough back to list today's recent calls;
// after a break, from the last event seen. Feed goroutine.
func (d *display) load(ctx context.Context) (int64, error) {
	o, err := d.refresh(ctx)
	if err != nil {
		return 0, err
	}
	after := d.lastSeen
	if !d.started {
		after = max(0, o.LastSeq-displayReplay)
		d.started = true
	}
	// Calls made before now are history: listed, not announced.
	d.replayUntil, d.replay, d.replayed = o.LastSeq, nil, after >= o.LastSeq
	return after, nil
}

// refresh reads the overview and notices off the UI thread and shows them.
func (d *display) refresh(ctx context.Context) (hall.Overview, error) {
	o, err := d.s.svc.Overview(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.s.runOnMain(func() { d.showStatus(hall.Message(err)) })
		}
		return o, err
	}
	notices, nerr := d.s.svc.Notices(ctx)
	d.s.runOnMain(func() {
		d.apply(o)
		// Notices that cannot be read now stay as they were; the
		// priority line follows the queue regardless.
		if nerr == nil {
			d.lastNotices = notices
		}
		d.notices.set(d.lastNotices, d.priorityLine(o))
	})
	return o, nil
}

// event takes calls from the event stream: those before the start are
// listed at once, later ones queue for the banner. Feed goroutine.
func (d *display) event(e hall.Event) bool {
	d.lastSeen = e.Seq
	var call *displayCall
	if e.Kind == hall.KindTicketCalled || e.Kind == hall.KindTicketRecalled {
		var p hall.TicketEvent
		if err := e.Decode(&p); err == nil {
			c := displayCall{seq: e.Seq, day: p.Ticket.Day, number: p.Ticket.Number, counter: p.Counter, recall: e.Kind == hall.KindTicketRecalled}
			if c.counter == 0 {
				c.counter = p.Ticket.Counter
			}
			call = &c
		}
	}
	if e.Seq <= d.replayUntil {
		if call != nil {
			d.replay = append(d.replay, *call)
		}
		if e.Seq == d.replayUntil {
			d.flushReplay()
		}
		return false // load has shown the hall as of replayUntil
	}
	d.flushReplay()
	if call != nil {
		c := *call
		d.s.runOnMain(func() { d.announce(c) })
	}
	return true
}

func (d *display) flushReplay() {
	if d.replayed {
		return
	}
	calls := d.replay
	d.replay, d.replayed = nil, true
	d.s.runOnMain(func() {
		for _, c := range calls {
			d.remember(c)
		}
		d.showHistory()
	})
}

// announce queues a new call for the banner and lists it. UI thread.
func (d *display) announce(c displayCall) {
	d.remember(c)
	d.showHistory()
	// A recall of a ticket still waiting for the banner replaces it.
	d.queue = slices.DeleteFunc(d.queue, func(q displayCall) bool { return q.number == c.number && q.counter == c.counter })
	d.queue = append(d.queue, c)
	if n := len(d.queue) - displayQueueCap; n > 0 {
		d.queue = d.queue[n:]
	}
	if d.current == nil {
		d.step()
	}
}

// step highlights the next queued call, or rests the banner when none is
// left. The pacing timer calls it; tests call it directly. UI thread.
func (d *display) step() {
	d.cancelStep()
	d.stepGen++
	if len(d.queue) == 0 {
		d.current = nil
		d.bannerRect.FillColor = displayBannerOff
		d.bannerRect.Refresh()
		d.banner.set(displayIdle, colorNameCustQuiet)
		return
	}
	c := d.queue[0]
	d.queue = d.queue[1:]
	d.current = &c
	d.bannerRect.FillColor = displayBannerOn
	d.bannerRect.Refresh()
	d.banner.set(d.callText(c), colorNameCustOnTone)
	// The voice speaks each call as the banner shows it, so sound and
	// screen go in the same order; the banner stays while the voice
	// speaks, so they stay together.
	wait := d.each
	if say := d.s.opt.Devices.Announce; say != nil {
		wait = max(wait, say(c.number, c.counter, c.recall))
	}
	gen := d.stepGen
	d.stopStep = d.after(wait, func() {
		if gen == d.stepGen {
			d.step()
		}
	})
}

func (d *display) cancelStep() {
	if d.stopStep != nil {
		d.stopStep()
		d.stopStep = nil
	}
}

// callText is the banner's sentence, as the voice says it.
func (d *display) callText(c displayCall) string {
	s := "请 " + c.number + " 号 到 " + d.counterName(c.counter) + " 办理"
	if c.recall {
		s += "（重呼）"
	}
	return s
}

func (d *display) counterName(no int) string {
	if n := d.names[no]; n != "" {
		return n
	}
	return strconv.Itoa(no) + "号窗口"
}

// remember puts a call at the top of the recent list; a ticket called
// again moves up rather than being listed twice. UI thread.
func (d *display) remember(c displayCall) {
	if d.today != "" && c.day != "" && c.day != d.today {
		return
	}
	d.history = slices.DeleteFunc(d.history, func(h displayCall) bool { return h.number == c.number && h.day == c.day })
	d.history = slices.Insert(d.history, 0, c)
	if len(d.history) > displayHistory {
		d.history = d.history[:displayHistory]
	}
}

func (d *display) showHistory() {
	for i, r := range d.historyRows {
		switch {
		case i < len(d.history):
			c := d.history[i]
			s := c.number + " → " + d.counterName(c.counter)
			if c.recall {
				s += "（重呼）"
			}
			ink := theme.ColorNameForeground
			if i == 0 {
				ink = colorNameCustNumber
			}
			r.set(s, ink)
		case i == 0:
			r.set(displayNoCalls, colorNameCustQuiet)
		default:
			r.set("", theme.ColorNameForeground)
		}
	}
}

// priorityLine is the notice that priority service is in effect while
// 敬老/助残 tickets wait (clause 4.1.9).
func (d *display) priorityLine(o hall.Overview) string {
	for _, t := range o.Types {
		if t.WaitingPriority > 0 {
			return displayPriorityLine
		}
	}
	return ""
}

// apply shows the hall. UI thread.
func (d *display) apply(o hall.Overview) {
	if o.Hall.TimeZone != d.tz {
		d.tz = o.Hall.TimeZone
		d.loc = custLocation(o.Hall.TimeZone)
	}
	if o.Hall.Name != "" {
		d.hallName.set(o.Hall.Name, theme.ColorNameForeground)
		if d.win != nil {
			d.win.SetTitle(o.Hall.Name + " · " + displayTitle)
		}
	}
	d.hideStatus()
	for _, v := range o.Counters {
		d.names[v.Counter.No] = v.Counter.Name
	}
	d.onTick()
	d.applyCounters(o.Counters)
	d.applyWaiting(o.Types)
	d.showHistory()
	if d.current != nil {
		d.banner.set(d.callText(*d.current), colorNameCustOnTone)
	}
}

func (d *display) applyCounters(views []hall.CounterView) {
	same := len(views) == len(d.counterRows)
	for i := 0; same && i < len(views); i++ {
		same = views[i].Counter.No == d.counterRows[i].no
	}
	if !same {
		d.counterRows = d.counterRows[:0]
		objs := make([]fyne.CanvasObject, 0, len(views))
		for _, v := range views {
			r := displayCounterRow{
				no:     v.Counter.No,
				name:   newFitText("", theme.ColorNameForeground, fyne.TextAlignLeading, 18, 44),
				number: newFitText("", colorNameCustNumber, fyne.TextAlignCenter, 18, 56),
				state:  newFitText("", colorNameCustQuiet, fyne.TextAlignTrailing, 16, 36),
			}
			d.counterRows = append(d.counterRows, r)
			objs = append(objs, container.New(columns{3, 3, 2}, r.name, r.number, r.state))
		}
		d.counterBox.Objects = objs
		d.counterBox.Layout = layout.NewGridLayoutWithRows(max(len(objs), 1))
		d.rethemed()
	}
	for i, v := range views {
		r := d.counterRows[i]
		r.name.set(v.Counter.Name, theme.ColorNameForeground)
		number, state, ink := "—", "", colorNameCustQuiet
		switch t := v.Ticket; {
		case t != nil && t.State == hall.Serving:
			number, state, ink = t.Number, t.State.Label(), colorNameCustServing
		case t != nil:
			number, state, ink = t.Number, t.State.Label(), colorNameCustNumber
		case v.Counter.State == hall.CounterPaused:
			state = "暂停服务"
		case v.Counter.State == hall.CounterClosed:
			state = "未开放"
		default:
			state = "空闲"
		}
		r.number.set(number, ink)
		r.state.set(state, ink)
	}
	d.counterBox.Refresh()
}

func (d *display) applyWaiting(stats []hall.TypeStat) {
	stats = slices.DeleteFunc(slices.Clone(stats), func(s hall.TypeStat) bool { return s.Type.Retired && s.Waiting == 0 })
	same := len(stats) == len(d.waitCells)
	for i := 0; same && i < len(stats); i++ {
		same = stats[i].Type.Code == d.waitCells[i].code
	}
	if !same {
		d.waitCells = d.waitCells[:0]
		objs := make([]fyne.CanvasObject, 0, len(stats))
		for _, s := range stats {
			c := displayWaitCell{
				code:  s.Type.Code,
				name:  newFitText("", colorNameCustQuiet, fyne.TextAlignCenter, 16, 30),
				count: newFitText("", theme.ColorNameForeground, fyne.TextAlignCenter, 20, 44),
			}
			d.waitCells = append(d.waitCells, c)
			objs = append(objs, container.NewGridWithRows(2, c.name, c.count))
		}
		d.waitBox.Objects = objs
		d.waitBox.Layout = layout.NewGridLayoutWithColumns(max(len(objs), 1))
		d.rethemed()
	}
	for i, s := range stats {
		c := d.waitCells[i]
		c.name.set(s.Type.Name, colorNameCustQuiet)
		ink := theme.ColorNameForeground
		if s.Waiting > 0 {
			ink = colorNameCustNumber
		}
		c.count.set(strconv.Itoa(s.Waiting)+"人", ink)
	}
	d.waitBox.Refresh()
}

func (d *display) rethemed() { d.frame.rethemed() }

func (d *display) showStatus(msg string) {
	d.status.set(msg, colorNameCustAttention)
	d.status.Show()
}

func (d *display) hideStatus() {
	if d.status.Visible() {
		d.status.Hide()
	}
}

// displayRows stacks its objects top to bottom: an object with a positive
// share gets that share of the height (at least its minimum), one with a
// negative share its minimum, and those with share 0 split the rest. The
// display so fills any screen in the same proportions.
type displayRows []float32

func (r displayRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		w, h = max(w, m.Width), h+m.Height
		n++
	}
	if n > 1 {
		h += float32(n-1) * theme.Padding()
	}
	return fyne.NewSize(w, h)
}

func (r displayRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	heights := make([]float32, len(objs))
	used, flex, n := float32(0), 0, 0
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		n++
		share := float32(0)
		if i < len(r) {
			share = r[i]
		}
		switch {
		case share > 0:
			heights[i] = max(o.MinSize().Height, share*size.Height)
		case share < 0:
			heights[i] = o.MinSize().Height
		default:
			flex++
			continue
		}
		used += heights[i]
	}
	if n > 1 {
		used += float32(n-1) * pad
	}
	var y float32
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		h := heights[i]
		share := float32(0)
		if i < len(r) {
			share = r[i]
		}
		if share == 0 {
			h = max(o.MinSize().Height, (size.Height-used)/float32(flex))
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + pad
	}
}
