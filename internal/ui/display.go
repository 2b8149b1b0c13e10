package ui

import (
	"context"
	"image/color"
	"slices"
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
	displayHours        = "营业时间 %s"

	// 长者模式 (largeTheme) makes every line of the display at least
	// largeScale times as large. The screen then holds about half as
	// much: the date and the waiting strip leave the screen; the counters
	// and the waiting counts share one panel, a page at a time; the
	// recent calls list fewer rows; the banner says only number and
	// counter.
	//
	// The display has no touch screen: 长者模式 is this PC's setting,
	// kept in the program's preferences (displayLargePref) and switched
	// with F2 on its keyboard, as a hall that puts one display by the
	// seats of its older customers would set it once.
	displayLargePref     = "display.large"
	displayIdleLarge     = "请留意屏幕和语音叫号"
	displayHistoryLarge  = 3
	displayPageEvery     = 8 * time.Second
	displayCountersTitle = "各窗口"
	displayWaitingTitle  = "等候人数"
	displayHistoryTitle  = "最近呼叫"
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
	policy   hall.Policy // its opening hours
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
	hours       *fitText // today's opening hours; hidden without
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

	// The two arrangements of the same widgets: standard and 长者模式;
	// body holds the one in force.
	body       *fyne.Container
	stdTree    fyne.CanvasObject
	largeTree  fyne.CanvasObject
	pager      *displayPager
	pagerBox   *fyne.Container
	stopPage   func()
	historyBox *fyne.Container // the standard list
	historyBig *fyne.Container // the 长者模式 list
	panels     []*canvas.Rectangle
}

type displayCounterRow struct {
	no                  int
	name, number, state *fitText
	box                 *fyne.Container
}

type displayWaitCell struct {
	code        string
	name, count *fitText
	box         *fyne.Container
}

// Row layouts of the standard screen and of 长者模式: in 长者模式 a
// counter's state gets as much room as its name, and a business type's
// count stands beside its name, a line of the pager.
var (
	displayCounterCols      = columns{3, 3, 2}
	displayCounterColsLarge = columns{3, 3, 3}
	displayWaitColsLarge    = columns{5, 3}
)

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
	d.hallName = newFitText(T(displayTitle), theme.ColorNameForeground, fyne.TextAlignLeading, 28, 56)
	d.date = newFitText("", colorNameCustQuiet, fyne.TextAlignTrailing, 18, 30)
	d.hours = newFitText("", colorNameCustQuiet, fyne.TextAlignTrailing, 16, 30)
	d.hours.Hide()
	d.clock = newFitText("", theme.ColorNameForeground, fyne.TextAlignTrailing, 28, 56)

	d.bannerRect = canvas.NewRectangle(displayBannerOff)
	d.bannerRect.CornerRadius = 12
	d.banner = newFitText(T(displayIdle), colorNameCustQuiet, fyne.TextAlignCenter, 24, 150)
	banner := container.NewStack(d.bannerRect, container.New(layout.NewCustomPaddedLayout(8, 8, 24, 24), d.banner))

	for range displayHistory {
		d.historyRows = append(d.historyRows, newFitText("", theme.ColorNameForeground, fyne.TextAlignLeading, 18, 44))
	}
	d.notices = newNoticeBar()
	d.status = newFitText("", colorNameCustAttention, fyne.TextAlignCenter, 16, 22)
	d.status.Hide()
	historyTitle := d.sectionTitle(T(displayHistoryTitle))

	// The standard screen: everything at once.
	d.counterBox = container.NewGridWithColumns(1)
	counters := container.NewBorder(d.sectionTitle(T(displayCountersTitle)), nil, nil, nil, d.counterBox)
	d.historyBox = container.NewGridWithColumns(1)
	for _, r := range d.historyRows {
		d.historyBox.Add(r)
	}
	history := container.NewBorder(historyTitle, nil, nil, nil, d.historyBox)
	d.waitBox = container.NewGridWithRows(1)
	waiting := container.NewBorder(nil, nil, newFitText(T(displayWaitingTitle), colorNameCustQuiet, fyne.TextAlignLeading, 26, 32), nil, d.waitBox)
	d.stdTree = container.New(displayRows{0.08, 0.2, 0, 0.12, -1, -1},
		container.New(columns{5, 3, 2}, d.hallName, container.New(displayRows{0, 0}, d.date, d.hours), d.clock),
		banner,
		container.New(columns{3, 2}, d.panel(counters), d.panel(history)),
		waiting, d.notices.box, d.status)

	// 长者模式: the same widgets, fewer at a time.
	d.pager = &displayPager{title: d.sectionTitle(""), titles: [2]string{displayCountersTitle, displayWaitingTitle}}
	d.pagerBox = container.New(d.pager)
	d.historyBig = container.NewGridWithColumns(1)
	for _, r := range d.historyRows[:displayHistoryLarge] {
		d.historyBig.Add(r)
	}
	d.largeTree = container.New(displayRows{0.115, 0.3, 0, -1, -1},
		container.New(columns{5, 3, 2}, d.hallName, d.hours, d.clock),
		banner,
		container.New(columns{3, 2}, d.panel(d.pagerBox), d.panel(container.NewBorder(historyTitle, nil, nil, nil, d.historyBig))),
		d.notices.box, d.status)
	d.rebuildPager()

	d.body = container.NewStack(d.stdTree)
	d.frame = newCustomerFrame(newCustomerTheme(theme.VariantDark), false)
	d.frame.changed = d.arrange
	d.root = d.frame.wrap(container.NewPadded(d.body))
}

// arrange puts the display in 长者模式 or back: the frame's theme has
// already changed. UI thread.
func (d *display) arrange(large bool) {
	tree, counterCols := d.stdTree, displayCounterCols
	if large {
		tree, counterCols = d.largeTree, displayCounterColsLarge
	}
	for _, r := range d.counterRows {
		r.box.Layout = counterCols
		r.box.Show()
	}
	for _, c := range d.waitCells {
		c.box.Layout = layout.NewGridLayoutWithRows(2)
		if large {
			c.box.Layout = displayWaitColsLarge
		}
		c.box.Show()
	}
	for _, p := range d.panels {
		p.FillColor, p.StrokeColor, p.StrokeWidth = displayPanel, nil, 0
		if large {
			p.FillColor, p.StrokeColor, p.StrokeWidth = color.Black, displayPanelOutline, 2
		}
		p.Refresh()
	}
	d.body.Objects = []fyne.CanvasObject{tree}
	d.cancelPage()
	if large {
		d.pager.page = 0
		d.schedulePage()
	}
	d.showBanner()
	d.showHistory()
	d.body.Refresh()
}

// schedulePage turns the pager's page every displayPageEvery while in
// 长者模式.
func (d *display) schedulePage() {
	d.stopPage = d.after(displayPageEvery, func() {
		d.stopPage = nil
		if d.frame.large {
			d.nextPage()
			d.schedulePage()
		}
	})
}

// nextPage shows the pager's next page. UI thread.
func (d *display) nextPage() {
	d.pager.page++
	d.pagerBox.Refresh()
}

func (d *display) cancelPage() {
	if d.stopPage != nil {
		d.stopPage()
		d.stopPage = nil
	}
}

// rebuildPager gives the pager the current counter rows and waiting
// cells.
func (d *display) rebuildPager() {
	d.pager.groups[0] = d.pager.groups[0][:0]
	d.pager.groups[1] = d.pager.groups[1][:0]
	objs := []fyne.CanvasObject{d.pager.title}
	for _, r := range d.counterRows {
		d.pager.groups[0] = append(d.pager.groups[0], r.box)
		objs = append(objs, r.box)
	}
	for _, c := range d.waitCells {
		d.pager.groups[1] = append(d.pager.groups[1], c.box)
		objs = append(objs, c.box)
	}
	d.pagerBox.Objects = objs
}

// sectionTitle heads a panel.
func (d *display) sectionTitle(s string) *fitText {
	return newFitText(s, colorNameCustQuiet, fyne.TextAlignLeading, 28, 40)
}

// Panel grounds: slightly lighter than the screen; in 长者模式 black,
// outlined, for contrast.
var (
	displayPanel        = custRGB(0x112746)
	displayPanelOutline = custRGB(0xBDBDBD)
)

// panel sets a part of the screen on its own ground.
func (d *display) panel(o fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(displayPanel)
	bg.CornerRadius = 10
	d.panels = append(d.panels, bg)
	return container.NewPadded(container.NewStack(bg, container.NewPadded(o)))
}

// window opens the display's window, full screen outside tests; Esc leaves
// full screen after an administrator's PIN, F11 enters it again.
func (d *display) window() fyne.Window {
	d.win = d.s.app.NewWindow(T(displayTitle))
	d.win.SetContent(d.root)
	d.win.Resize(customerWindowSize)
	// Esc leaves full screen only with an administrator's PIN; F2 (a key
	// on the remote's keyboard) switches 长者模式, and this PC keeps it.
	d.guard = guardFullScreen(d.s, d.win, d.fullScreen, func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyF2 {
			d.frame.setLarge(!d.frame.large)
			d.s.app.Preferences().SetBool(displayLargePref, d.frame.large)
		}
	})
	d.win.SetOnClosed(func() {
		d.feed.stop()
		d.cancelStep()
		d.cancelPage()
	})
	if d.s.app.Preferences().Bool(displayLargePref) {
		d.frame.setLarge(true)
	}
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
	if today, ok := d.policy.OpeningOn(now, d.loc); ok {
		d.hours.set(Tf(displayHours, today.Hours), colorNameCustQuiet)
		d.hours.Show()
	} else {
		d.hours.Hide()
	}
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
			d.s.runOnMain(func() { d.showStatus(errText(err)) })
		}
		return o, err
	}
	notices, nerr := d.s.svc.Notices(ctx)
	d.s.runOnMain(func() {
		d.policy = hall.Policy{OpenHours: o.OpenHours}
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
		d.showBanner()
		return
	}
	c := d.queue[0]
	d.queue = d.queue[1:]
	d.current = &c
	d.showBanner()
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

// showBanner shows the call in the banner, or the banner at rest.
func (d *display) showBanner() {
	if d.current == nil {
		idle := displayIdle
		if d.frame.large {
			idle = displayIdleLarge
		}
		d.bannerRect.FillColor = displayBannerOff
		d.bannerRect.Refresh()
		d.banner.set(T(idle), colorNameCustQuiet)
		return
	}
	d.bannerRect.FillColor = displayBannerOn
	d.bannerRect.Refresh()
	d.banner.set(d.callText(*d.current), colorNameCustOnTone)
}

// callText is the banner's sentence, as the voice says it (in Chinese
// whatever the screen's language); in 长者模式 only the number and the
// counter, larger.
func (d *display) callText(c displayCall) string {
	name := d.counterName(c.counter)
	switch {
	case d.frame.large && c.recall:
		return Tf("重呼 %s → %s", c.number, name)
	case d.frame.large:
		return c.number + " → " + name
	case c.recall:
		return Tf("请 %s 号 到 %s 办理（重呼）", c.number, name)
	}
	return Tf("请 %s 号 到 %s 办理", c.number, name)
}

func (d *display) counterName(no int) string { return custCounterName(no, d.names[no]) }

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
			ink := theme.ColorNameForeground
			if i == 0 {
				ink = colorNameCustNumber
			}
			switch {
			case c.recall && d.frame.large:
				// No room for the word: a recall shows in its own colour.
				ink = colorNameCustAttention
			case c.recall:
				s = Tf("%s → %s（重呼）", c.number, d.counterName(c.counter))
			}
			r.set(s, ink)
		case i == 0:
			r.set(T(displayNoCalls), colorNameCustQuiet)
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
			return T(displayPriorityLine)
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
			d.win.SetTitle(o.Hall.Name + " · " + T(displayTitle))
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
		d.showBanner()
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
		cols := displayCounterCols
		if d.frame.large {
			cols = displayCounterColsLarge
		}
		for _, v := range views {
			r := displayCounterRow{
				no:     v.Counter.No,
				name:   newFitText("", theme.ColorNameForeground, fyne.TextAlignLeading, 18, 44),
				number: newFitText("", colorNameCustNumber, fyne.TextAlignCenter, 18, 56),
				state:  newFitText("", colorNameCustQuiet, fyne.TextAlignTrailing, 16, 36),
			}
			r.box = container.New(cols, r.name, r.number, r.state)
			d.counterRows = append(d.counterRows, r)
			objs = append(objs, r.box)
		}
		d.counterBox.Objects = objs
		d.counterBox.Layout = layout.NewGridLayoutWithRows(max(len(objs), 1))
		d.rebuildPager()
		d.rethemed()
	}
	for i, v := range views {
		r := d.counterRows[i]
		r.name.set(custCounterName(v.Counter.No, v.Counter.Name), theme.ColorNameForeground)
		number, state, ink := "—", "", colorNameCustQuiet
		switch t := v.Ticket; {
		case t != nil && t.State == hall.Serving:
			number, state, ink = t.Number, T(t.State.Label()), colorNameCustServing
		case t != nil:
			number, state, ink = t.Number, T(t.State.Label()), colorNameCustNumber
		case v.Counter.State == hall.CounterPaused:
			state = T(v.Counter.State.Label())
		case v.Counter.State == hall.CounterClosed:
			state = T("未开放")
		default:
			state = T("空闲")
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
				name:  newFitText("", colorNameCustQuiet, fyne.TextAlignCenter, 10, 30),
				count: newFitText("", theme.ColorNameForeground, fyne.TextAlignCenter, 20, 44),
			}
			c.box = container.NewGridWithRows(2, c.name, c.count)
			if d.frame.large {
				c.box.Layout = displayWaitColsLarge
			}
			d.waitCells = append(d.waitCells, c)
			objs = append(objs, c.box)
		}
		d.waitBox.Objects = objs
		d.waitBox.Layout = layout.NewGridLayoutWithColumns(max(len(objs), 1))
		d.rebuildPager()
		d.rethemed()
	}
	for i, s := range stats {
		c := d.waitCells[i]
		c.name.set(T(s.Type.Name), colorNameCustQuiet)
		ink := theme.ColorNameForeground
		if s.Waiting > 0 {
			ink = colorNameCustNumber
		}
		c.count.set(Tf("%d人", s.Waiting), ink)
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

// displayPager shows, in 长者模式, the counters and then the waiting
// counts a page at a time, under a title naming what the page shows: as
// many lines to a page as fit at full size, at least one. Its objects are
// the title, then the lines of groups[0] and groups[1].
type displayPager struct {
	title  *fitText
	titles [2]string // the groups' titles, untranslated
	groups [2][]fyne.CanvasObject
	page   int // turned by the display's timer, wrapping round
	// shown is what the last layout showed: the group, the lines and the
	// lines to a page.
	shownGroup int
	shown      []fyne.CanvasObject
	perPage    int
}

// displayLineHeight is the height a pager line needs for its number at
// full size (the standard counter number's 56), before the theme's scale.
const displayLineHeight = 56 * fitTextHeight

func (p *displayPager) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := p.title.MinSize()
	var line fyne.Size
	for _, o := range objs[1:] {
		line = line.Max(o.MinSize())
	}
	return fyne.NewSize(max(s.Width, line.Width), s.Height+theme.Padding()+line.Height)
}

func (p *displayPager) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	th := p.title.MinSize().Height
	area := size.Height - th - theme.Padding()
	per := max(1, int(area/(displayLineHeight*custScaleOf(p.title))))
	// The pages: each group's lines, per to a page.
	type page struct {
		group int
		lines []fyne.CanvasObject
	}
	var pages []page
	for g, lines := range p.groups {
		for i := 0; i < len(lines); i += per {
			pages = append(pages, page{g, lines[i:min(i+per, len(lines))]})
		}
	}
	for _, o := range objs[1:] {
		o.Hide()
	}
	p.title.Move(fyne.NewPos(0, 0))
	p.title.Resize(fyne.NewSize(size.Width, th))
	p.shown, p.perPage = nil, per
	if len(pages) == 0 {
		p.title.set("", colorNameCustQuiet)
		return
	}
	pg := pages[p.page%len(pages)]
	p.shownGroup, p.shown = pg.group, pg.lines
	p.title.set(T(p.titles[pg.group]), colorNameCustQuiet)
	lineH := area / float32(per)
	for i, o := range pg.lines {
		o.Show()
		o.Move(fyne.NewPos(0, th+theme.Padding()+float32(i)*lineH))
		o.Resize(fyne.NewSize(size.Width, lineH))
	}
}
