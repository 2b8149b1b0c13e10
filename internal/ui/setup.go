package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// Setup asks for the first-run setup of a new hall before any window
// opens (Options.Setup).
type Setup struct {
	Types []hall.BusinessType // the business types a hall starts with
	// Save configures the hall and keeps the HQ settings; its *hall.Error
	// is shown in the wizard, which stays open.
	Save func(ctx context.Context, r SetupResult) error
	// SyncStatus, when set, is asked once the setup is saved for the sync
	// to HQ that Save started (nil: the hall was set up without HQ), so the
	// windows show the sync line without a restart.
	SyncStatus func() func(context.Context) (SyncState, error)
}

// adoptSetup takes over what a saved setup started. UI thread, before the
// main window opens.
func (s *session) adoptSetup(setup Setup) {
	if setup.SyncStatus != nil && s.opt.SyncStatus == nil {
		s.opt.SyncStatus = setup.SyncStatus()
	}
}

// SetupResult is what the wizard collected.
type SetupResult struct {
	Config         hall.Config
	HQURL, HQToken string
}

const (
	setupTitle   = "首次设置 · 营业厅服务台"
	setupIntro   = "这是一个新的营业厅数据库。请逐页填写本厅的信息，最后点「完成设置」。"
	setupPrev    = "上一步"
	setupNext    = "下一步"
	setupFinish  = "完成设置"
	setupSaving  = "正在保存…"
	defaultHours = "08:30-17:30"
)

// setupWizard is the first-run form, one tab per step.
type setupWizard struct {
	s     *session
	setup Setup
	win   fyne.Window
	done  func() // after a successful save, on the UI thread

	tabs *container.AppTabs
	prev *widget.Button
	next *widget.Button
	fin  *widget.Button
	msg  *widget.Label

	name, code     *widget.Entry
	counterCount   *widget.Select
	counterBox     *fyne.Container
	counterTypes   []*widget.CheckGroup
	hours          [7]*widget.Entry
	dirNo, dirName *widget.Entry
	dirPIN         *widget.Entry
	admNo, admPIN  *widget.Entry
	clerks         *widget.Entry
	clerkPIN       *widget.Entry
	hqURL, hqToken *widget.Entry
}

func newSetupWizard(s *session, setup Setup, done func()) *setupWizard {
	w := &setupWizard{s: s, setup: setup, done: done}
	w.build()
	return w
}

// newHoursForm is one entry per weekday, Sunday first, each filled with
// hours (or defaultHours): the wizard's page and the admin window's.
func newHoursForm(hours []string) (*widget.Form, [7]*widget.Entry) {
	var entries [7]*widget.Entry
	form := widget.NewForm()
	for i := range entries {
		e := widget.NewEntry()
		e.SetText(defaultHours)
		if i < len(hours) && hours[i] != "" {
			e.SetText(hours[i])
		}
		entries[i] = e
		form.Append(T(hall.Weekdays[i]), e)
	}
	return form, entries
}

// readHours reads the weekday entries as the hall keeps them
// ("08:30-17:30"); bad is the first day that cannot be read, else -1.
func readHours(entries [7]*widget.Entry) (hours []string, bad int) {
	for i, e := range entries {
		h, err := hall.ParseOpenHours(e.Text)
		if err != nil {
			return nil, i
		}
		hours = append(hours, h)
	}
	return hours, -1
}

// badHoursText says which day's hours cannot be read.
func badHoursText(day int) string {
	return Tf("%s的营业时间格式有误，例如 08:30-17:30", T(hall.Weekdays[day]))
}

// newTypeChecks is a check per business type, by its name in the windows'
// language, with the codes in selected checked.
func newTypeChecks(types []hall.BusinessType, selected []string) *widget.CheckGroup {
	names := make([]string, len(types))
	var on []string
	for i, t := range types {
		names[i] = T(t.Name)
		if t.Retired {
			names[i] = Tf("%s（已停办）", T(t.Name))
		}
		if slices.Contains(selected, t.Code) {
			on = append(on, names[i])
		}
	}
	cg := widget.NewCheckGroup(names, nil)
	// In a row when the names fit beside a counter's label (Chinese); one
	// under another when they do not (longer English names), so that the
	// wizard and the settings dialog stay within the screen.
	cg.Horizontal = true
	if cg.MinSize().Width > typeChecksRowWidth {
		cg.Horizontal = false
	}
	cg.SetSelected(on)
	return cg
}

// typeChecksRowWidth is the widest the business types' checks may be in a
// row.
const typeChecksRowWidth = 900

// checkedTypes returns the codes of the types checked in cg, which
// newTypeChecks made from types.
func checkedTypes(cg *widget.CheckGroup, types []hall.BusinessType) []string {
	var codes []string
	for i, t := range types {
		if i < len(cg.Options) && slices.Contains(cg.Selected, cg.Options[i]) {
			codes = append(codes, t.Code)
		}
	}
	return codes
}

func (w *setupWizard) allTypeCodes() []string {
	codes := make([]string, len(w.setup.Types))
	for i, t := range w.setup.Types {
		codes[i] = t.Code
	}
	return codes
}

func (w *setupWizard) build() {
	w.name = widget.NewEntry()
	w.name.SetPlaceHolder(T("例如：城关供电营业厅"))
	w.code = widget.NewEntry()
	w.code.SetPlaceHolder(T("总部分配的营业厅编码，例如 HB0301"))
	hallPage := widget.NewForm(
		widget.NewFormItem(T("营业厅名称"), w.name),
		widget.NewFormItem(T("营业厅编码"), w.code),
	)

	w.counterBox = container.NewVBox()
	opts := make([]string, 20)
	for i := range opts {
		opts[i] = strconv.Itoa(i + 1)
	}
	w.counterCount = widget.NewSelect(opts, func(string) { w.rebuildCounters() })
	w.counterCount.SetSelected("3")
	counterPage := container.NewBorder(
		widget.NewForm(widget.NewFormItem(T("窗口数量"), w.counterCount)), nil, nil, nil,
		container.NewVScroll(w.counterBox))

	hoursForm, hours := newHoursForm(nil)
	w.hours = hours
	hoursPage := container.NewVBox(wrapLabel(T("营业厅每天营业（含周末与节假日），请填写每天的营业时间，格式 08:30-17:30：")), hoursForm)

	w.dirNo, w.dirName, w.dirPIN = widget.NewEntry(), widget.NewEntry(), widget.NewPasswordEntry()
	w.dirNo.SetPlaceHolder(Tf("例如 %s", "2001"))
	w.admNo, w.admPIN = widget.NewEntry(), widget.NewPasswordEntry()
	w.admNo.SetPlaceHolder(Tf("例如 %s", "9001"))
	w.clerks = widget.NewMultiLineEntry()
	w.clerks.SetPlaceHolder(T("每行一人：工号 姓名\n1001 李娜\n1002 王芳"))
	w.clerks.SetMinRowsVisible(5)
	w.clerkPIN = widget.NewPasswordEntry()
	staffPage := widget.NewForm(
		widget.NewFormItem(T("值班主任工号"), w.dirNo),
		widget.NewFormItem(T("值班主任姓名"), w.dirName),
		widget.NewFormItem(T("值班主任密码"), w.dirPIN),
		widget.NewFormItem(T("系统管理员工号"), w.admNo),
		widget.NewFormItem(T("系统管理员密码"), w.admPIN),
		widget.NewFormItem(T("营业员"), w.clerks),
		widget.NewFormItem(T("营业员初始密码"), w.clerkPIN),
	)
	staffPage.Items[6].HintText = T("营业员首次登录后可请值班主任修改；密码为4到12位数字")

	w.hqURL, w.hqToken = widget.NewEntry(), widget.NewPasswordEntry()
	w.hqURL.SetPlaceHolder(T("例如 https://hq.example.cn:8480（暂不连接总部可留空）"))
	hqPage := widget.NewForm(
		widget.NewFormItem(T("总部地址"), w.hqURL),
		widget.NewFormItem(T("本厅同步凭据"), w.hqToken),
	)
	hqPage.Items[1].HintText = T("由总部用 servicehall-hq hall add 生成，只显示一次")

	w.tabs = container.NewAppTabs(
		container.NewTabItem(T("1 营业厅"), container.NewPadded(hallPage)),
		container.NewTabItem(T("2 窗口与业务"), container.NewPadded(counterPage)),
		container.NewTabItem(T("3 营业时间"), container.NewPadded(hoursPage)),
		container.NewTabItem(T("4 人员"), container.NewPadded(staffPage)),
		container.NewTabItem(T("5 总部"), container.NewPadded(hqPage)),
	)
	w.tabs.OnSelected = func(*container.TabItem) { w.steps() }
	w.prev = widget.NewButton(T(setupPrev), func() { w.tabs.SelectIndex(w.tabs.SelectedIndex() - 1) })
	w.next = widget.NewButton(T(setupNext), func() { w.tabs.SelectIndex(w.tabs.SelectedIndex() + 1) })
	w.fin = widget.NewButton(T(setupFinish), w.onFinish)
	w.fin.Importance = widget.HighImportance
	w.msg = widget.NewLabel("")
	w.msg.Wrapping = fyne.TextWrapWord
	w.msg.Importance = widget.DangerImportance
	w.steps()
}

// rebuildCounters lays out one row per counter with the types it serves,
// keeping the choices of the counters that stay.
func (w *setupWizard) rebuildCounters() {
	n, _ := strconv.Atoi(w.counterCount.Selected)
	for len(w.counterTypes) < n {
		w.counterTypes = append(w.counterTypes, newTypeChecks(w.setup.Types, w.allTypeCodes()))
	}
	w.counterTypes = w.counterTypes[:n]
	w.counterBox.RemoveAll()
	w.counterBox.Add(widget.NewLabel(T("每个窗口办理的业务（默认全部）：")))
	for i, cg := range w.counterTypes {
		w.counterBox.Add(container.NewBorder(nil, nil, widget.NewLabel(Tf("%d号窗口", i+1)), nil, cg))
	}
}

// steps enables the buttons for the tab on show.
func (w *setupWizard) steps() {
	i, last := w.tabs.SelectedIndex(), len(w.tabs.Items)-1
	if i <= 0 {
		w.prev.Disable()
	} else {
		w.prev.Enable()
	}
	if i >= last {
		w.next.Disable()
	} else {
		w.next.Enable()
	}
}

func (w *setupWizard) content() fyne.CanvasObject {
	intro := widget.NewLabel(T(setupIntro))
	intro.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(w.prev, w.next, w.fin)
	return container.NewBorder(intro, container.NewVBox(w.msg, container.NewBorder(nil, nil, nil, buttons)), nil, nil, w.tabs)
}

func (w *setupWizard) window() fyne.Window {
	w.win = w.s.app.NewWindow(T(setupTitle))
	w.win.SetContent(w.content())
	w.win.Resize(fyne.NewSize(900, 640))
	return w.win
}

// setupError is a field the wizard cannot use, with the tab to show.
type setupError struct {
	tab int
	msg string
}

func (e *setupError) Error() string       { return e.msg }
func (e *setupError) UserMessage() string { return e.msg }

// result reads the form into a hall configuration.
func (w *setupWizard) result() (SetupResult, error) {
	bad := func(tab int, msg string) (SetupResult, error) { return SetupResult{}, &setupError{tab: tab, msg: msg} }
	var r SetupResult
	cfg := &r.Config
	cfg.Hall = hall.HallInfo{Name: strings.TrimSpace(w.name.Text), Code: strings.TrimSpace(w.code.Text), TimeZone: "Asia/Shanghai"}
	if cfg.Hall.Name == "" || cfg.Hall.Code == "" {
		return bad(0, T("请填写营业厅名称和编码"))
	}
	cfg.Types = slices.Clone(w.setup.Types)
	for i, cg := range w.counterTypes {
		// The counter's name is the hall's data, in Chinese whatever the
		// windows' language: customers read it on the display.
		c := hall.Counter{No: i + 1, Name: fmt.Sprintf("%d号窗口", i+1), State: hall.CounterOpen}
		c.Types = checkedTypes(cg, w.setup.Types)
		if len(c.Types) == 0 {
			return bad(1, Tf("%d号窗口至少要办理一种业务", i+1))
		}
		cfg.Counters = append(cfg.Counters, c)
	}
	cfg.Policy = hall.DefaultPolicy()
	hours, badDay := readHours(w.hours)
	if badDay >= 0 {
		return bad(2, badHoursText(badDay))
	}
	cfg.Policy.OpenHours = hours
	staff := func(no, name string, role hall.Role, pin string) hall.Staff {
		return hall.Staff{No: strings.TrimSpace(no), Name: strings.TrimSpace(name), Role: role, Active: true, PIN: pin}
	}
	if strings.TrimSpace(w.dirNo.Text) == "" || strings.TrimSpace(w.dirName.Text) == "" || w.dirPIN.Text == "" {
		return bad(3, T("请填写值班主任的工号、姓名和密码"))
	}
	if strings.TrimSpace(w.admNo.Text) == "" || w.admPIN.Text == "" {
		return bad(3, T("请填写系统管理员的工号和密码"))
	}
	cfg.Staff = append(cfg.Staff,
		staff(w.dirNo.Text, w.dirName.Text, hall.RoleDirector, w.dirPIN.Text),
		staff(w.admNo.Text, "系统管理员", hall.RoleAdmin, w.admPIN.Text))
	for i, line := range strings.Split(w.clerks.Text, "\n") {
		f := strings.FieldsFunc(line, unicode.IsSpace)
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return bad(3, Tf("营业员第%d行格式有误：须为「工号 姓名」", i+1))
		}
		if w.clerkPIN.Text == "" {
			return bad(3, T("请填写营业员初始密码"))
		}
		cfg.Staff = append(cfg.Staff, staff(f[0], f[1], hall.RoleClerk, w.clerkPIN.Text))
	}
	seen := map[string]bool{}
	for _, m := range cfg.Staff {
		if seen[m.No] {
			return bad(3, Tf("工号重复：%s", m.No))
		}
		seen[m.No] = true
	}
	r.HQURL, r.HQToken = strings.TrimSpace(w.hqURL.Text), strings.TrimSpace(w.hqToken.Text)
	return r, nil
}

// onFinish checks the form and saves it in the background.
func (w *setupWizard) onFinish() {
	r, err := w.result()
	if err != nil {
		w.showError(err)
		return
	}
	w.fin.Disable()
	w.msg.SetText(T(setupSaving))
	w.s.goBackground(func() {
		err := w.setup.Save(w.s.ctx, r)
		w.s.runOnMain(func() {
			w.fin.Enable()
			if err != nil {
				w.showError(err)
				return
			}
			w.msg.SetText("")
			w.done()
		})
	})
}

func (w *setupWizard) showError(err error) {
	if se, ok := err.(*setupError); ok {
		w.tabs.SelectIndex(se.tab)
	}
	w.msg.SetText(errText(err))
}
