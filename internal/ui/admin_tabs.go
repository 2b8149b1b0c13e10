package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// Column weights of the admin window's lists.
var (
	adminCounterColumns = columns{1, 1.4, 4, 1, 1}
	adminTypeColumns    = columns{1.1, 2.4, 1.2, 0.8, 1.2, 1, 1}
	adminStaffColumns   = columns{1, 1.4, 1.2, 1, 3}
)

// --- 营业厅: name, opening hours and service rules ---------------------------

type adminHall struct {
	hallName    *widget.Entry
	hallCode    *widget.Label
	hallSaveBtn *widget.Button
	hours       [7]*widget.Entry
	// hoursOn keeps the hours: unticked, the hall has none and the kiosk
	// issues at any time. Saving the rules never turns hours on by itself.
	hoursOn *widget.Check
}

func (a *admin) buildHallTab() fyne.CanvasObject {
	h := &a.adminHall
	h.hallName = widget.NewEntry()
	h.hallCode = &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}}
	h.hallSaveBtn = widget.NewButton(T("保存名称"), a.onSaveHallName)
	h.hallSaveBtn.Importance = widget.HighImportance
	names := widget.NewForm(
		widget.NewFormItem(T("营业厅名称"), h.hallName),
		widget.NewFormItem(T("营业厅编码"), h.hallCode),
	)
	names.Items[1].HintText = T("由总部分配，是总部识别本厅记录的依据，设置后不能修改")
	hoursForm, hours := newHoursForm(nil)
	h.hours = hours
	// The hours are part of the hall's rules (hall.Policy): one button
	// saves both, and the hall keeps all or none.
	a.savePolicyBtn = widget.NewButton(T("保存营业时间和服务规则"), a.onSavePolicy)
	a.savePolicyBtn.Importance = widget.HighImportance
	h.hoursOn = widget.NewCheck(T("按营业时间出号（不勾选则取号不受时间限制）"), func(on bool) { a.enableHours(on) })
	return container.NewVScroll(container.NewGridWithColumns(2,
		container.NewVBox(section(T("营业厅"), names, container.NewHBox(h.hallSaveBtn)), a.buildPolicySection()),
		container.NewVBox(
			section(T("营业时间"),
				hint(T("营业厅每天营业（含周末与节假日）。取号机只在营业时间内出号，营业结束时仍在等候的客户照常办理。格式 08:30-17:30。")),
				h.hoursOn, hoursForm),
			hint(T("营业时间和左侧的服务规则一起保存，营业厅全部接受或全部不改。")),
			container.NewHBox(a.savePolicyBtn)),
	))
}

// fillHall puts the hall's name, hours and rules in the forms. UI thread.
func (a *admin) fillHall(cfg hall.Config) {
	h := &a.adminHall
	h.hallName.SetText(cfg.Hall.Name)
	h.hoursOn.SetChecked(len(cfg.Policy.OpenHours) > 0)
	a.enableHours(h.hoursOn.Checked)
	for i, e := range h.hours {
		text := defaultHours
		if i < len(cfg.Policy.OpenHours) {
			text = cfg.Policy.OpenHours[i]
		}
		e.SetText(text)
	}
	a.fillPolicy(cfg.Policy)
}

func (a *admin) applyHallCode(cfg hall.Config) { a.hallCode.SetText(cfg.Hall.Code) }

// enableHours lets the weekday entries be edited while hours are kept.
// UI thread.
func (a *admin) enableHours(on bool) {
	for _, e := range a.hours {
		if on {
			e.Enable()
		} else {
			e.Disable()
		}
	}
}

func (a *admin) onSaveHallName() {
	name := strings.TrimSpace(a.hallName.Text)
	if name == "" {
		a.showProblem(T("请填写营业厅名称"))
		return
	}
	a.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		h, err := svc.SaveHallInfo(ctx, tok, hall.HallInfo{Name: name})
		return func() {
			a.hallName.SetText(h.Name)
			a.win.SetTitle(Tf("%s · %s", T(adminTitle), h.Name))
			a.showNote(Tf("营业厅名称已保存：%s", h.Name))
		}, err
	})
}

// --- 窗口 --------------------------------------------------------------------------

type adminCounters struct {
	counterBox     *fyne.Container
	addCounterBtn  *widget.Button
	editCounterBtn map[int]*widget.Button
	// The counter dialog, while it shows.
	counterNo     *widget.Entry
	counterName   *widget.Entry
	counterTypes  *widget.CheckGroup
	counterChoice []hall.BusinessType // the types counterTypes offers, in order
	counterOK     *widget.Button
}

func (a *admin) buildCountersTab() fyne.CanvasObject {
	c := &a.adminCounters
	c.counterBox = container.NewVBox()
	c.addCounterBtn = widget.NewButtonWithIcon(T("新增窗口"), theme.ContentAddIcon(), func() { a.askCounter(nil) })
	head := row(adminCounterColumns, heading(T("窗口号"), fyne.TextAlignLeading), heading(T("名称"), fyne.TextAlignLeading),
		heading(T("办理业务"), fyne.TextAlignLeading), heading(T("当前状态"), fyne.TextAlignLeading), heading("", fyne.TextAlignLeading))
	intro := hint(T("窗口的开放、暂停和关闭由营业员或值班主任在工作中操作，这里只设置窗口名称和办理的业务。新增的窗口处于关闭状态，营业员登录后开放。"))
	return container.NewBorder(container.NewVBox(intro, container.NewHBox(c.addCounterBtn), head, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(c.counterBox))
}

// adminTypeNames lists the names of the business types with the given codes.
func adminTypeNames(cfg hall.Config, codes []string) string {
	var names []string
	for _, code := range codes {
		name := code
		for _, bt := range cfg.Types {
			if bt.Code == code {
				name = T(bt.Name)
				if bt.Retired {
					name = Tf("%s（已停办）", name)
				}
			}
		}
		names = append(names, name)
	}
	return strings.Join(names, T("、"))
}

// adminCounterState is a counter's state as the lists show it.
func adminCounterState(s hall.CounterState) string {
	switch s {
	case hall.CounterOpen:
		return T("开放中")
	case hall.CounterPaused:
		return T("暂停中")
	}
	return T("已关闭")
}

func (a *admin) applyCounters(cfg hall.Config) {
	c := &a.adminCounters
	c.editCounterBtn = map[int]*widget.Button{}
	rows := make([]fyne.CanvasObject, 0, len(cfg.Counters))
	for _, ct := range cfg.Counters {
		ct := ct
		b := widget.NewButtonWithIcon(T("编辑"), theme.DocumentCreateIcon(), func() { a.askCounter(&ct) })
		c.editCounterBtn[ct.No] = b
		rows = append(rows, row(adminCounterColumns,
			&widget.Label{Text: strconv.Itoa(ct.No)},
			&widget.Label{Text: ct.Name, Truncation: fyne.TextTruncateEllipsis},
			&widget.Label{Text: adminTypeNames(cfg, ct.Types), Wrapping: fyne.TextWrapWord},
			&widget.Label{Text: adminCounterState(ct.State)},
			b))
	}
	c.counterBox.Objects = rows
	c.counterBox.Refresh()
}

// adminNextCounterNo is the lowest counter number not in use.
func adminNextCounterNo(cfg hall.Config) int {
	for n := 1; ; n++ {
		if !slices.ContainsFunc(cfg.Counters, func(c hall.Counter) bool { return c.No == n }) {
			return n
		}
	}
}

// askCounter edits a counter, or adds one (ct nil).
func (a *admin) askCounter(ct *hall.Counter) {
	c := &a.adminCounters
	cfg := a.data.cfg
	c.counterNo = widget.NewEntry()
	c.counterName = widget.NewEntry()
	var served []string
	title := T("新增窗口")
	if ct == nil {
		n := adminNextCounterNo(cfg)
		c.counterNo.SetText(strconv.Itoa(n))
		c.counterName.SetText(fmt.Sprintf("%d号窗口", n)) // the hall's data: Chinese, as customers read it
	} else {
		title = Tf("编辑%s", ct.Name)
		c.counterNo.SetText(strconv.Itoa(ct.No))
		c.counterName.SetText(ct.Name)
		served = ct.Types
	}
	// Types in service, and retired ones the counter still has (to take off).
	c.counterChoice = nil
	for _, bt := range cfg.Types {
		if !bt.Retired || slices.Contains(served, bt.Code) {
			c.counterChoice = append(c.counterChoice, bt)
		}
	}
	c.counterTypes = newTypeChecks(c.counterChoice, served)
	var noField fyne.CanvasObject = c.counterNo
	if ct != nil { // the number is the counter's: it does not change
		noField = widget.NewLabel(c.counterNo.Text)
	}
	form := widget.NewForm(
		widget.NewFormItem(T("窗口号"), noField),
		widget.NewFormItem(T("名称"), c.counterName),
	)
	form.Items[1].HintText = T("显示在叫号屏、评价器和窗口牌上")
	body := container.NewVBox(form, widget.NewLabel(T("办理的业务：")), c.counterTypes)
	c.counterOK = a.showDialog(title, body, T("保存"), func() bool {
		no, err := strconv.Atoi(strings.TrimSpace(c.counterNo.Text))
		if err != nil || no < 1 || no > 999 {
			a.showProblem(T("窗口号须在1到999之间"))
			return false
		}
		if ct == nil && slices.ContainsFunc(cfg.Counters, func(x hall.Counter) bool { return x.No == no }) {
			a.showProblem(Tf("%d号窗口已存在，请在列表中编辑", no))
			return false
		}
		name := strings.TrimSpace(c.counterName.Text)
		types := checkedTypes(c.counterTypes, c.counterChoice)
		if len(types) == 0 {
			a.showProblem(T("每个窗口至少要办理一种业务"))
			return false
		}
		return a.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			saved, err := svc.SaveCounterAs(ctx, tok, hall.Counter{No: no, Name: name, Types: types})
			return func() { a.showNote(Tf("已保存窗口：%s", saved.Name)) }, err
		})
	})
}

// --- 业务类型 ---------------------------------------------------------------------

type adminTypes struct {
	typeBox     *fyne.Container
	addTypeBtn  *widget.Button
	editTypeBtn map[string]*widget.Button
	retireBtn   map[string]*widget.Button
	// The type dialog, while it shows.
	typeName     *widget.Entry
	typePrefix   *widget.Entry
	typeCap      *widget.Entry
	typePosition *widget.Entry
	typeOK       *widget.Button
	retireOK     *widget.Button
}

func (a *admin) buildTypesTab() fyne.CanvasObject {
	t := &a.adminTypes
	t.typeBox = container.NewVBox()
	t.addTypeBtn = widget.NewButtonWithIcon(T("新增业务类型"), theme.ContentAddIcon(), func() { a.askType(nil) })
	head := row(adminTypeColumns, heading(T("号码前缀"), fyne.TextAlignLeading), heading(T("名称"), fyne.TextAlignLeading),
		heading(T("每日限号"), fyne.TextAlignLeading), heading(T("排序"), fyne.TextAlignLeading), heading(T("状态"), fyne.TextAlignLeading),
		heading("", fyne.TextAlignLeading), heading("", fyne.TextAlignLeading))
	intro := hint(T("业务类型是取号机上的按钮，每种有自己的号码前缀和队列。业务不删除：停办后不再出号，历史记录保留。"))
	return container.NewBorder(container.NewVBox(intro, container.NewHBox(t.addTypeBtn), head, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(t.typeBox))
}

func (a *admin) applyTypes(cfg hall.Config) {
	t := &a.adminTypes
	t.editTypeBtn, t.retireBtn = map[string]*widget.Button{}, map[string]*widget.Button{}
	rows := make([]fyne.CanvasObject, 0, len(cfg.Types))
	for _, bt := range cfg.Types {
		bt := bt
		limit := T("不限")
		if bt.DailyCap > 0 {
			limit = strconv.Itoa(bt.DailyCap)
		}
		state := &widget.Label{Text: T("在办")}
		if bt.Retired {
			state = &widget.Label{Text: T("已停办"), Importance: widget.LowImportance}
		}
		edit := widget.NewButtonWithIcon(T("编辑"), theme.DocumentCreateIcon(), func() { a.askType(&bt) })
		retire := widget.NewButton(T("停办"), func() { a.askRetire(bt) })
		if bt.Retired {
			retire.Disable()
		}
		t.editTypeBtn[bt.Code], t.retireBtn[bt.Code] = edit, retire
		rows = append(rows, row(adminTypeColumns,
			&widget.Label{Text: bt.Prefix},
			&widget.Label{Text: T(bt.Name), Truncation: fyne.TextTruncateEllipsis},
			&widget.Label{Text: limit},
			&widget.Label{Text: strconv.Itoa(bt.Position)},
			state, edit, retire))
	}
	t.typeBox.Objects = rows
	t.typeBox.Refresh()
}

// adminNewTypeCode is a code for a new business type that no type has: the
// code is permanent and never shown, so people need not choose one.
func adminNewTypeCode(cfg hall.Config) string {
	for n := len(cfg.Types) + 1; ; n++ {
		code := "type" + strconv.Itoa(n)
		if !slices.ContainsFunc(cfg.Types, func(bt hall.BusinessType) bool { return bt.Code == code }) {
			return code
		}
	}
}

// askType edits a business type, or adds one (bt nil).
func (a *admin) askType(bt *hall.BusinessType) {
	t := &a.adminTypes
	cfg := a.data.cfg
	t.typeName, t.typePrefix, t.typeCap, t.typePosition = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	var out hall.BusinessType
	title := T("新增业务类型")
	if bt == nil {
		out.Code = adminNewTypeCode(cfg)
		pos := 0
		for _, x := range cfg.Types {
			pos = max(pos, x.Position)
		}
		t.typePosition.SetText(strconv.Itoa(pos + 1))
		t.typeCap.SetText("0")
	} else {
		out = *bt
		title = Tf("编辑%s", T(bt.Name))
		t.typeName.SetText(bt.Name)
		t.typePrefix.SetText(bt.Prefix)
		t.typeCap.SetText(strconv.Itoa(bt.DailyCap))
		t.typePosition.SetText(strconv.Itoa(bt.Position))
	}
	t.typeName.SetPlaceHolder(T("例如：充电桩报装"))
	t.typePrefix.SetPlaceHolder(T("1到2个大写字母，例如 G"))
	form := widget.NewForm(
		widget.NewFormItem(T("名称"), t.typeName),
		widget.NewFormItem(T("号码前缀"), t.typePrefix),
		widget.NewFormItem(T("每日限号"), t.typeCap),
		widget.NewFormItem(T("排序"), t.typePosition),
	)
	form.Items[1].HintText = T("改前缀后，今天已取的号码不变，新号用新前缀")
	form.Items[2].HintText = T("每天最多出多少个号，0 为不限")
	form.Items[3].HintText = T("取号机上按钮的先后，小的在前")
	t.typeOK = a.showDialog(title, form, T("保存"), func() bool {
		capN, err1 := strconv.Atoi(strings.TrimSpace(t.typeCap.Text))
		pos, err2 := strconv.Atoi(strings.TrimSpace(t.typePosition.Text))
		if err1 != nil || capN < 0 {
			a.showProblem(T("每日限号须为0或正整数"))
			return false
		}
		if err2 != nil {
			a.showProblem(T("排序须为整数"))
			return false
		}
		bt := out
		bt.Name, bt.Prefix, bt.DailyCap, bt.Position = t.typeName.Text, t.typePrefix.Text, capN, pos
		return a.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			saved, err := svc.SaveTypeAs(ctx, tok, bt)
			return func() { a.showNote(Tf("已保存业务类型：%s（前缀 %s）", T(saved.Name), saved.Prefix)) }, err
		})
	})
}

// askRetire asks before a business type stops being issued.
func (a *admin) askRetire(bt hall.BusinessType) {
	msg := wrapLabel(Tf("停办后，取号机不再提供「%s」。\n已取的号码照常办理，历史记录保留。\n停办后不能恢复，确定停办吗？", T(bt.Name)))
	a.adminTypes.retireOK = a.showDialog(T("停办业务"), msg, T("停办"), func() bool {
		return a.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			_, err := svc.RetireTypeAs(ctx, tok, bt.Code)
			return func() { a.showNote(Tf("「%s」已停办", T(bt.Name))) }, err
		})
	})
	a.adminTypes.retireOK.Importance = widget.DangerImportance
	a.adminTypes.retireOK.Refresh()
}

// --- 人员 --------------------------------------------------------------------------

type adminStaff struct {
	staffBox    *fyne.Container
	addStaffBtn *widget.Button
	editStaff   map[string]*widget.Button
	resetPIN    map[string]*widget.Button
	unlock      map[string]*widget.Button
	// The staff dialogs, while they show.
	staffNoEntry *widget.Entry
	staffName    *widget.Entry
	staffRole    *widget.Select
	staffActive  *widget.Check
	staffPIN     *widget.Entry
	staffPIN2    *widget.Entry
	staffOK      *widget.Button
}

// adminRoles in the order the role select offers them.
var adminRoles = []hall.Role{hall.RoleClerk, hall.RoleDirector, hall.RoleAdmin}

// adminRoleText is a role's name.
func adminRoleText(r hall.Role) string {
	switch r {
	case hall.RoleClerk:
		return T("营业员")
	case hall.RoleDirector:
		return T("值班主任")
	case hall.RoleAdmin:
		return T("系统管理员")
	}
	return string(r)
}

func adminRoleSelect(r hall.Role) *widget.Select {
	opts := make([]string, len(adminRoles))
	for i, x := range adminRoles {
		opts[i] = adminRoleText(x)
	}
	sel := widget.NewSelect(opts, nil)
	sel.SetSelectedIndex(max(0, slices.Index(adminRoles, r)))
	return sel
}

func adminSelectedRole(sel *widget.Select) hall.Role {
	i := sel.SelectedIndex()
	if i < 0 || i >= len(adminRoles) {
		return ""
	}
	return adminRoles[i]
}

func (a *admin) buildStaffTab() fyne.CanvasObject {
	s := &a.adminStaff
	s.staffBox = container.NewVBox()
	s.addStaffBtn = widget.NewButtonWithIcon(T("新增人员"), theme.ContentAddIcon(), a.askNewStaff)
	head := row(adminStaffColumns, heading(T("工号"), fyne.TextAlignLeading), heading(T("姓名"), fyne.TextAlignLeading),
		heading(T("岗位"), fyne.TextAlignLeading), heading(T("状态"), fyne.TextAlignLeading), heading("", fyne.TextAlignLeading))
	intro := hint(T("人员不删除：离岗的人员停用后不能再登录，记录中的工号保留。密码只能重置，不能查看。"))
	return container.NewBorder(container.NewVBox(intro, container.NewHBox(s.addStaffBtn), head, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(s.staffBox))
}

func adminStaffState(m hall.Staff) (string, widget.Importance) {
	switch {
	case !m.Active:
		return T("已停用"), widget.LowImportance
	case m.Locked:
		return T("已锁定"), widget.DangerImportance
	}
	return T("在用"), widget.MediumImportance
}

func (a *admin) applyStaff(cfg hall.Config) {
	s := &a.adminStaff
	s.editStaff, s.resetPIN, s.unlock = map[string]*widget.Button{}, map[string]*widget.Button{}, map[string]*widget.Button{}
	rows := make([]fyne.CanvasObject, 0, len(cfg.Staff))
	for _, m := range cfg.Staff {
		m := m
		state, imp := adminStaffState(m)
		edit := widget.NewButtonWithIcon(T("编辑"), theme.DocumentCreateIcon(), func() { a.askEditStaff(m) })
		reset := widget.NewButton(T("重置密码"), func() { a.askResetPIN(m) })
		unlock := widget.NewButton(T("解锁"), func() { a.onUnlock(m) })
		if !m.Locked {
			unlock.Disable()
		}
		s.editStaff[m.No], s.resetPIN[m.No], s.unlock[m.No] = edit, reset, unlock
		rows = append(rows, row(adminStaffColumns,
			&widget.Label{Text: m.No},
			&widget.Label{Text: m.Name, Truncation: fyne.TextTruncateEllipsis},
			&widget.Label{Text: adminRoleText(m.Role)},
			&widget.Label{Text: state, Importance: imp},
			container.NewHBox(edit, reset, unlock)))
	}
	s.staffBox.Objects = rows
	s.staffBox.Refresh()
}

func (a *admin) askNewStaff() {
	s := &a.adminStaff
	s.staffNoEntry, s.staffName = widget.NewEntry(), widget.NewEntry()
	s.staffRole = adminRoleSelect(hall.RoleClerk)
	s.staffPIN, s.staffPIN2 = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	form := widget.NewForm(
		widget.NewFormItem(T("工号"), s.staffNoEntry),
		widget.NewFormItem(T("姓名"), s.staffName),
		widget.NewFormItem(T("岗位"), s.staffRole),
		widget.NewFormItem(T("初始密码"), s.staffPIN),
		widget.NewFormItem(T("再次输入密码"), s.staffPIN2),
	)
	form.Items[0].HintText = T("1到16位字母或数字，设置后不能修改")
	form.Items[3].HintText = T("4到12位数字，请当面告知本人")
	s.staffOK = a.showDialog(T("新增人员"), form, T("保存"), func() bool {
		no := strings.TrimSpace(s.staffNoEntry.Text)
		if slices.ContainsFunc(a.data.cfg.Staff, func(m hall.Staff) bool { return m.No == no }) {
			a.showProblem(Tf("工号%s已被使用", no))
			return false
		}
		if s.staffPIN.Text != s.staffPIN2.Text {
			a.showProblem(T("两次输入的密码不一致"))
			return false
		}
		m := hall.Staff{No: no, Name: s.staffName.Text, Role: adminSelectedRole(s.staffRole), Active: true}
		pin := s.staffPIN.Text
		return a.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			saved, err := svc.AddStaffAs(ctx, tok, m, pin)
			return func() {
				a.showNote(Tf("已新增%s：%s（工号%s）", adminRoleText(saved.Role), saved.Name, saved.No))
			}, err
		})
	})
}

func (a *admin) askEditStaff(m hall.Staff) {
	s := &a.adminStaff
	s.staffName = widget.NewEntry()
	s.staffName.SetText(m.Name)
	s.staffRole = adminRoleSelect(m.Role)
	s.staffActive = widget.NewCheck(T("在用（停用后不能登录）"), nil)
	s.staffActive.SetChecked(m.Active)
	form := widget.NewForm(
		widget.NewFormItem(T("工号"), widget.NewLabel(m.No)),
		widget.NewFormItem(T("姓名"), s.staffName),
		widget.NewFormItem(T("岗位"), s.staffRole),
		widget.NewFormItem(T("状态"), s.staffActive),
	)
	if m.No == a.sess.Staff.No {
		// The hall refuses it too; say so before anyone tries.
		s.staffRole.Disable()
		s.staffActive.Disable()
		form.Items[3].HintText = T("不能停用本人的账号，也不能更改本人的岗位")
	} else {
		form.Items[2].HintText = T("更改岗位或停用后，此人须重新登录")
	}
	s.staffOK = a.showDialog(Tf("编辑%s", m.Name), form, T("保存"), func() bool {
		out := hall.Staff{No: m.No, Name: s.staffName.Text, Role: adminSelectedRole(s.staffRole), Active: s.staffActive.Checked}
		return a.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			saved, err := svc.SaveStaffAs(ctx, tok, out)
			return func() { a.showNote(Tf("已保存：%s（工号%s）", saved.Name, saved.No)) }, err
		})
	})
}

func (a *admin) askResetPIN(m hall.Staff) {
	s := &a.adminStaff
	s.staffPIN, s.staffPIN2 = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	form := widget.NewForm(
		widget.NewFormItem(T("新密码"), s.staffPIN),
		widget.NewFormItem(T("再次输入密码"), s.staffPIN2),
	)
	form.Items[0].HintText = T("4到12位数字，请当面告知本人；重置后账号同时解锁")
	s.staffOK = a.showDialog(Tf("重置%s（工号%s）的密码", m.Name, m.No), form, T("重置密码"), func() bool {
		if s.staffPIN.Text != s.staffPIN2.Text {
			a.showProblem(T("两次输入的密码不一致"))
			return false
		}
		pin := s.staffPIN.Text
		return a.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			err := svc.SetPIN(ctx, tok, m.No, pin)
			return func() { a.showNote(Tf("%s（工号%s）的密码已重置", m.Name, m.No)) }, err
		})
	})
}

func (a *admin) onUnlock(m hall.Staff) {
	a.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		err := svc.UnlockStaff(ctx, tok, m.No)
		return func() { a.showNote(Tf("%s（工号%s）的账号已解锁", m.Name, m.No)) }, err
	})
}
