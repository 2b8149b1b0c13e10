package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// escalationDays is how far ahead the escalation form proposes the reply's
// due date.
const escalationDays = 7

// scriptPanel is the counter window's script panel: one tab per step of
// the service standard, from greeting to farewell (clauses 4.1.15–4.1.22),
// and the forms for matters that leave the counter.
type scriptPanel struct {
	tabs                                                  *container.AppTabs
	tabGreet, tabMaterials, tabCash, tabRefusal           *container.TabItem
	tabEscalate, tabProxy, tabComplaint, tabFault, tabBye *container.TabItem

	// 问候
	greetTicket   *widget.Label
	apology       *widget.Label
	greeting      *widget.Label
	greetReminder *widget.Label

	// 收资料
	materialsTitle  *widget.Label
	materialsBox    *fyne.Container
	materialItems   []string
	materialChecks  []*widget.Check
	materialReturns []*widget.Button
	materialPhrase  *widget.Label

	// 收费找零
	cashDue, cashReceived           *keyEntry
	cashDueErr, cashReceivedErr     *widget.Label
	cashDueDaxie, cashReceivedDaxie *widget.Label
	cashReceivedPhrase              *widget.Label
	cashChange, cashChangeDaxie     *widget.Label
	cashChangePhrase                *widget.Label
	cashClear                       *widget.Button

	// 解释
	refusalTitle, refusal *widget.Label

	// 升级
	escNeed, escAssignee, escDue, escName, escPhone *keyEntry
	escSubmit                                       *widget.Button
	escMsg, escPhrase                               *widget.Label
	escList                                         *fyne.Container
	escs                                            []hall.Escalation
	escReplyBtns                                    map[string]*widget.Button
	// The reply dialog, while it shows.
	replyEntry *keyEntry
	replyOK    *widget.Button
	replyMsg   *widget.Label
	replyDlg   dialog.Dialog

	// 代办
	proxySummary *keyEntry
	proxySubmit  *widget.Button
	proxyMsg     *widget.Label
	proxyScript  *widget.Label
	proxyState   *widget.Label
	proxyID      string

	// 投诉受理, 报修受理
	complaint, fault *matterForm

	// 送别
	farewell     *widget.Label
	farewellNote *widget.Label
}

// matterForm is the complaint or the fault report form: what, where, when
// and how to reach the customer.
type matterForm struct {
	what, where, when, name, phone *keyEntry
	submit                         *widget.Button
	msg                            *widget.Label // why it was refused
	done                           *widget.Label // the confirmation, contact masked
}

// phrase is a line the clerk reads to the customer.
func scriptLine(size fyne.ThemeSizeName) *widget.Label {
	return &widget.Label{SizeName: size, Wrapping: fyne.TextWrapWord}
}

// fieldError is the Chinese reason next to a field.
func fieldErrorLabel() *widget.Label {
	l := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	l.Hide()
	return l
}

func hintText(text string) *widget.RichText {
	h := heading(text, fyne.TextAlignLeading)
	h.Wrapping = fyne.TextWrapWord
	return h
}

func (cs *counterScreen) buildScripts() fyne.CanvasObject {
	page := func(objs ...fyne.CanvasObject) fyne.CanvasObject {
		return container.NewVScroll(container.NewPadded(container.NewVBox(objs...)))
	}

	cs.greetTicket = &widget.Label{Text: "尚未呼叫客户", SizeName: theme.SizeNameSubHeadingText}
	cs.apology = &widget.Label{SizeName: theme.SizeNameHeadingText, Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	cs.apology.Hide()
	cs.greeting = scriptLine(theme.SizeNameHeadingText)
	cs.greetReminder = &widget.Label{Importance: widget.HighImportance, Wrapping: fyne.TextWrapWord}
	cs.tabGreet = container.NewTabItem("问候", page(cs.greetTicket, cs.apology, cs.greeting, cs.greetReminder))

	cs.materialsTitle = &widget.Label{Text: "呼叫客户后显示本业务所需资料", Wrapping: fyne.TextWrapWord}
	cs.materialsBox = container.NewVBox()
	cs.materialPhrase = scriptLine(theme.SizeNameHeadingText)
	cs.tabMaterials = container.NewTabItem("收资料", page(cs.materialsTitle, cs.materialsBox, widget.NewSeparator(), cs.materialPhrase))

	cs.tabCash = container.NewTabItem("收费找零", page(cs.buildCash()))

	cs.refusalTitle = &widget.Label{Text: "对不符合规定的要求，耐心解释：", Wrapping: fyne.TextWrapWord}
	cs.refusal = scriptLine(theme.SizeNameSubHeadingText)
	cs.tabRefusal = container.NewTabItem("解释", page(cs.refusalTitle, cs.refusal))

	cs.tabEscalate = container.NewTabItem("升级", page(cs.buildEscalation()))
	cs.tabProxy = container.NewTabItem("代办", page(cs.buildProxy()))

	cs.complaint = cs.newMatterForm("投诉内容", "发生地点", "发生时间", "记录投诉", cs.onComplaint)
	cs.fault = cs.newMatterForm("故障情况", "故障地点", "停电或发生时间", "记录报修", cs.onFault)
	cs.tabComplaint = container.NewTabItem("投诉受理", page(
		hintText("如实记录客户投诉，不得隐瞒。记录后不能修改或删除。"), cs.complaint.object("投诉内容", "发生地点", "发生时间")))
	cs.tabFault = container.NewTabItem("报修受理", page(
		hintText("记录后转95598抢修，请告知客户保持电话畅通。"), cs.fault.object("故障情况", "故障地点", "发生时间")))

	cs.farewell = scriptLine(theme.SizeNameHeadingText)
	cs.farewellNote = &widget.Label{Wrapping: fyne.TextWrapWord}
	cs.tabBye = container.NewTabItem("送别", page(cs.farewellNote, cs.farewell,
		hintText("起身目送客户离开，再呼叫下一位。")))

	cs.tabs = container.NewAppTabs(cs.tabGreet, cs.tabMaterials, cs.tabCash, cs.tabRefusal,
		cs.tabEscalate, cs.tabProxy, cs.tabComplaint, cs.tabFault, cs.tabBye)
	cs.tabs.SetTabLocation(container.TabLocationLeading)
	cs.tabs.OnSelected = func(*container.TabItem) { cs.touch() }
	return cs.tabs
}

// resetScripts puts the panel in its state before any call. UI thread.
func (cs *counterScreen) resetScripts() {
	cs.greetTicket.SetText("尚未呼叫客户")
	cs.apology.Hide()
	cs.setMaterials("")
	cs.clearCash()
	cs.refusalTitle.SetText("对不符合规定的要求，耐心解释：")
	cs.refusal.SetText(cs.scripts.RefusalFor(""))
	showLine(cs.escPhrase, "")
	showLine(cs.escMsg, "")
	cs.escDue.SetText(cs.defaultDue())
	cs.resetProxy()
	cs.complaint.clear()
	cs.fault.clear()
	showLine(cs.farewellNote, "")
	cs.rescript()
	cs.tabs.Select(cs.tabGreet)
}

// newTicket sets the panel up for a ticket that came to the counter. UI
// thread.
func (cs *counterScreen) newTicket(t *hall.Ticket) {
	cs.setMaterials(t.Type)
	cs.clearCash()
	cs.refusalTitle.SetText(cs.typeLabel(t.Type) + "：对不符合规定的要求，耐心解释：")
	cs.refusal.SetText(cs.scripts.RefusalFor(t.Type))
	showLine(cs.escPhrase, "")
	cs.resetProxy()
	showLine(cs.complaint.done, "")
	showLine(cs.fault.done, "")
	showLine(cs.farewellNote, "")
}

// rescript shows the lines that come straight from the scripts, after they
// were loaded or saved anew. UI thread.
func (cs *counterScreen) rescript() {
	sc := cs.scripts
	cs.greeting.SetText(sc.Greeting)
	cs.greetReminder.SetText(sc.GreetReminder)
	cs.apology.SetText(sc.Apology)
	cs.farewell.SetText(sc.Farewell)
	cs.proxyScript.SetText(sc.ProxyConfirm)
	code := ""
	if t := cs.status.Ticket; t != nil {
		code = t.Type
	}
	cs.refusal.SetText(sc.RefusalFor(code))
	if !slices.Equal(cs.materialItems, sc.MaterialsFor(code)) {
		cs.setMaterials(code)
	}
	cs.computeCash()
}

// showCall shows the greeting for a call; an apology comes first when the
// customer waited long or the previous service ran long (clause 4.1.7).
func (cs *counterScreen) showCall(c hall.Call) {
	cs.greetTicket.SetText(c.Ticket.Number + " 号 · " + cs.typeLabel(c.Ticket.Type))
	if c.Apologise || c.Ticket.Apologise {
		cs.apology.SetText(cs.scripts.Apology)
		cs.apology.Show()
	} else {
		cs.apology.Hide()
	}
	cs.greeting.SetText(cs.scripts.Greeting)
	cs.greetReminder.SetText(cs.scripts.GreetReminder)
	cs.tabs.Select(cs.tabGreet)
}

// showFarewell shows the farewell after a finished service.
func (cs *counterScreen) showFarewell(r hall.ServiceRecord) {
	showLine(cs.farewellNote, r.Number+" 号已办结，用时 "+formatServiceTime(r.Duration())+"。")
	cs.farewell.SetText(cs.scripts.Farewell)
	cs.tabs.Select(cs.tabBye)
}

// --- 收资料 ----------------------------------------------------------------

// setMaterials shows the checklist of a business type's documents.
func (cs *counterScreen) setMaterials(code string) {
	items := slices.Clone(cs.scripts.MaterialsFor(code))
	cs.materialItems = items
	cs.materialChecks = cs.materialChecks[:0]
	cs.materialReturns = cs.materialReturns[:0]
	showLine(cs.materialPhrase, "")
	switch {
	case code == "":
		cs.materialsTitle.SetText("呼叫客户后显示本业务所需资料")
	case len(items) == 0:
		cs.materialsTitle.SetText(cs.typeLabel(code) + "：本业务无需收取资料")
	default:
		cs.materialsTitle.SetText(cs.typeLabel(code) + "：收到一项勾选一项，办完逐项归还")
	}
	objs := make([]fyne.CanvasObject, 0, len(items))
	for _, item := range items {
		ret := widget.NewButton("归还", nil)
		ret.Disable()
		chk := widget.NewCheck(item, nil)
		chk.OnChanged = func(on bool) {
			cs.touch()
			// A ticked box keeps the focus, which would swallow F1–F8.
			if cs.win != nil {
				cs.win.Canvas().Unfocus()
			}
			if on {
				ret.SetText("归还")
				ret.Enable()
				showLine(cs.materialPhrase, cs.scripts.ReceivePhrase(item))
			} else {
				ret.Disable()
			}
		}
		ret.OnTapped = func() {
			cs.touch()
			ret.SetText("已归还")
			ret.Disable()
			showLine(cs.materialPhrase, cs.scripts.ReturnPhrase(item))
		}
		cs.materialChecks = append(cs.materialChecks, chk)
		cs.materialReturns = append(cs.materialReturns, ret)
		objs = append(objs, container.NewBorder(nil, nil, nil, ret, chk))
	}
	cs.materialsBox.Objects = objs
	cs.materialsBox.Refresh()
}

// --- 收费找零 ----------------------------------------------------------------

// cashColumns share a money row between the entry and its 大写.
var cashColumns = columns{1.3, 1}

func (cs *counterScreen) buildCash() fyne.CanvasObject {
	cs.cashDue = newKeyEntry(cs, "例如 120.50")
	cs.cashReceived = newKeyEntry(cs, "客户交来的现金")
	cs.cashDue.OnChanged = func(string) { cs.computeCash() }
	cs.cashReceived.OnChanged = func(string) { cs.computeCash() }
	cs.cashDueErr, cs.cashReceivedErr = fieldErrorLabel(), fieldErrorLabel()
	cs.cashDueDaxie = &widget.Label{}
	cs.cashReceivedDaxie = &widget.Label{}
	cs.cashReceivedPhrase = scriptLine(theme.SizeNameSubHeadingText)
	cs.cashChange = &widget.Label{Text: "—", SizeName: theme.SizeNameHeadingText, Importance: widget.HighImportance}
	cs.cashChangeDaxie = &widget.Label{}
	cs.cashChangePhrase = scriptLine(theme.SizeNameSubHeadingText)
	cs.cashClear = widget.NewButton("清空", func() { cs.touch(); cs.clearCash() })

	form := widget.NewForm(
		widget.NewFormItem("应收金额（元）", container.NewVBox(row(cashColumns, cs.cashDue, cs.cashDueDaxie), cs.cashDueErr)),
		widget.NewFormItem("实收金额（元）", container.NewVBox(row(cashColumns, cs.cashReceived, cs.cashReceivedDaxie), cs.cashReceivedErr)),
	)
	change := container.NewHBox(widget.NewLabel("找零（元）"), cs.cashChange, cs.cashChangeDaxie)
	return container.NewVBox(
		hintText("唱收唱付：收到现金先唱收，找零时唱付，请客户当面点清。"),
		form,
		widget.NewSeparator(),
		cs.cashReceivedPhrase,
		change,
		cs.cashChangePhrase,
		container.NewHBox(cs.cashClear),
	)
}

func (cs *counterScreen) clearCash() {
	cs.cashDue.SetText("")
	cs.cashReceived.SetText("")
	cs.computeCash()
}

// computeCash works out the change in whole fen and the phrases to say.
func (cs *counterScreen) computeCash() {
	sc := cs.scripts
	parse := func(e *keyEntry, errL, daxie *widget.Label, what string) (hall.Fen, bool) {
		if strings.TrimSpace(e.Text) == "" {
			showLine(errL, "")
			showLine(daxie, "")
			return 0, false
		}
		f, err := hall.ParseYuan(e.Text)
		if err != nil {
			showLine(errL, what+"："+hall.Message(err))
			showLine(daxie, "")
			return 0, false
		}
		showLine(errL, "")
		showLine(daxie, "大写："+f.Daxie())
		return f, true
	}
	due, dueOK := parse(cs.cashDue, cs.cashDueErr, cs.cashDueDaxie, "应收金额")
	received, recOK := parse(cs.cashReceived, cs.cashReceivedErr, cs.cashReceivedDaxie, "实收金额")

	showLine(cs.cashReceivedPhrase, "")
	if recOK {
		showLine(cs.cashReceivedPhrase, "唱收："+sc.CashReceivedPhrase(received))
	}
	cs.cashChange.SetText("—")
	showLine(cs.cashChangeDaxie, "")
	showLine(cs.cashChangePhrase, "")
	if !dueOK || !recOK {
		return
	}
	change, err := hall.MakeChange(due, received)
	if err != nil {
		showLine(cs.cashReceivedErr, hall.Message(err))
		return
	}
	cs.cashChange.SetText(change.String())
	showLine(cs.cashChangeDaxie, "大写："+change.Daxie())
	if change > 0 {
		showLine(cs.cashChangePhrase, "唱付："+sc.CashChangePhrase(change))
	} else {
		showLine(cs.cashChangePhrase, "无需找零")
	}
}

// --- 升级 ------------------------------------------------------------------

func (cs *counterScreen) buildEscalation() fyne.CanvasObject {
	cs.escNeed = newKeyMultiLine(cs, "客户需要解决的问题")
	cs.escAssignee = newKeyEntry(cs, "如：营销部、运维检修部、分管副经理")
	cs.escDue = newKeyEntry(cs, "YYYY-MM-DD")
	cs.escName = newKeyEntry(cs, "客户姓名")
	cs.escPhone = newKeyEntry(cs, "手机或固定电话")
	cs.escSubmit = widget.NewButton("提交升级", cs.onEscalate)
	cs.escSubmit.Importance = widget.HighImportance
	cs.escMsg = fieldErrorLabel()
	cs.escPhrase = scriptLine(theme.SizeNameSubHeadingText)
	cs.escList = container.NewVBox()
	cs.escReplyBtns = map[string]*widget.Button{}
	form := widget.NewForm(
		widget.NewFormItem("客户诉求", cs.escNeed),
		widget.NewFormItem("提交给", cs.escAssignee),
		widget.NewFormItem("答复期限", cs.escDue),
		widget.NewFormItem("联系人", cs.escName),
		widget.NewFormItem("联系电话", cs.escPhone),
	)
	return container.NewVBox(
		hintText("当场解决不了的问题：向客户解释，提交部门或领导，问题解决后及时答复客户（首问负责）。"),
		form, container.NewHBox(cs.escSubmit), cs.escMsg, cs.escPhrase,
		widget.NewSeparator(),
		&widget.Label{Text: "我的未结升级事项", TextStyle: fyne.TextStyle{Bold: true}},
		cs.escList,
	)
}

// defaultDue is escalationDays after today, in the hall's time zone.
func (cs *counterScreen) defaultDue() string {
	return cs.s.now().In(cs.loc).AddDate(0, 0, escalationDays).Format(time.DateOnly)
}

// formatDate renders 2006-01-02 as 2006年1月2日 for the customer.
func formatDueDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("2006年1月2日")
}

func (cs *counterScreen) onEscalate() {
	cs.touch()
	if cs.tok == "" || cs.busy {
		return
	}
	in := hall.EscalationInput{
		Need:     strings.TrimSpace(cs.escNeed.Text),
		Assignee: strings.TrimSpace(cs.escAssignee.Text),
		Due:      strings.TrimSpace(cs.escDue.Text),
		Contact:  hall.Contact{Name: strings.TrimSpace(cs.escName.Text), Phone: strings.TrimSpace(cs.escPhone.Text)},
	}
	if _, err := time.Parse(time.DateOnly, in.Due); err != nil {
		showLine(cs.escMsg, "答复期限须为日期，格式 YYYY-MM-DD，例如 "+cs.defaultDue())
		return
	}
	showLine(cs.escMsg, "")
	showLine(cs.escPhrase, "")
	cs.matter(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		e, err := svc.Escalate(ctx, tok, in)
		if err != nil {
			return func() { showLine(cs.escMsg, hall.Message(err)) }, err
		}
		escs, lerr := svc.Escalations(ctx, tok)
		return func() {
			showLine(cs.escPhrase, "请告知客户："+cs.scripts.EscalationPhrase(e.Assignee, formatDueDate(e.Due)))
			for _, en := range []*keyEntry{cs.escNeed, cs.escAssignee, cs.escName, cs.escPhone} {
				en.SetText("")
			}
			cs.escDue.SetText(cs.defaultDue())
			cs.applyEscalations(escs, lerr)
			cs.showNote("已提交升级：" + e.Assignee + "，" + formatDueDate(e.Due) + "前答复")
		}, nil
	})
}

// matter runs a form's service call off the UI thread; the returned
// closure shows the outcome, success or refusal. Unlike caller actions, a
// refusal stays next to the form.
func (cs *counterScreen) matter(op callerOp) {
	if cs.tok == "" || cs.busy {
		return
	}
	cs.busy = true
	tok, gen := cs.tok, cs.gen
	ctx, svc := cs.s.ctx, cs.s.svc
	cs.spawn(func() {
		done, err := op(ctx, svc, tok)
		cs.s.runOnMain(func() {
			cs.busy = false
			if gen != cs.gen {
				return
			}
			if done != nil {
				done()
			}
			// A refusal stays next to the form; only a session that
			// ended leaves the view.
			if errors.Is(err, hall.ErrNotSignedIn) || errors.Is(err, hall.ErrStaffLocked) {
				cs.showError(err)
			}
		})
	})
}

// applyEscalations lists the clerk's open escalations, contacts masked.
func (cs *counterScreen) applyEscalations(escs []hall.Escalation, err error) {
	if err != nil {
		cs.escList.Objects = []fyne.CanvasObject{&widget.Label{Text: hall.Message(err), Importance: widget.DangerImportance}}
		cs.escList.Refresh()
		return
	}
	cs.escs = escs
	cs.escReplyBtns = map[string]*widget.Button{}
	if len(escs) == 0 {
		cs.escList.Objects = []fyne.CanvasObject{hintText("暂无未结事项")}
		cs.escList.Refresh()
		return
	}
	objs := make([]fyne.CanvasObject, 0, 2*len(escs))
	today := cs.s.now().In(cs.loc).Format(time.DateOnly)
	for _, e := range escs {
		head := "提交" + e.Assignee + " · " + formatDueDate(e.Due) + "前答复"
		if e.Number != "" {
			head = e.Number + " 号 · " + head
		}
		headL := &widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
		if e.Due < today {
			headL.Importance = widget.DangerImportance
			headL.Text += "（已超期）"
		}
		c := e.Contact.Masked()
		who := "联系人 " + c.Name
		if c.Phone != "" {
			who += " · " + c.Phone
		}
		btn := widget.NewButton("录入答复", nil)
		id := e.ID
		btn.OnTapped = func() { cs.touch(); cs.askReply(id) }
		cs.escReplyBtns[id] = btn
		body := container.NewVBox(headL, &widget.Label{Text: e.Need, Wrapping: fyne.TextWrapWord}, hintText(who))
		objs = append(objs, container.NewBorder(nil, nil, nil, container.NewCenter(btn), body), widget.NewSeparator())
	}
	cs.escList.Objects = objs
	cs.escList.Refresh()
}

// askReply asks for the reply given to the customer, which closes the
// escalation.
func (cs *counterScreen) askReply(id string) {
	var e hall.Escalation
	for _, x := range cs.escs {
		if x.ID == id {
			e = x
		}
	}
	cs.replyEntry = newKeyMultiLine(cs, "已答复客户的内容")
	cs.replyEntry.SetMinRowsVisible(4)
	cs.replyMsg = fieldErrorLabel()
	cs.replyOK = widget.NewButton("保存答复", nil)
	cs.replyOK.Importance = widget.HighImportance
	cancel := widget.NewButton("取消", nil)
	body := container.New(&counterMinWidth{w: 480}, container.NewVBox(
		&widget.Label{Text: e.Need, Wrapping: fyne.TextWrapWord},
		hintText("保存答复后此事项办结。"),
		cs.replyEntry, cs.replyMsg))
	dlg := dialog.NewCustomWithoutButtons("录入答复", body, cs.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, cs.replyOK})
	cs.replyDlg = dlg
	closeDlg := func() {
		dlg.Hide()
		if cs.replyDlg == dlg {
			cs.replyDlg = nil
		}
	}
	cancel.OnTapped = closeDlg
	cs.replyOK.OnTapped = func() {
		cs.touch()
		reply := strings.TrimSpace(cs.replyEntry.Text)
		msg := cs.replyMsg
		cs.matter(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
			_, err := svc.ReplyEscalation(ctx, tok, id, reply)
			if err != nil {
				return func() { showLine(msg, hall.Message(err)) }, nil
			}
			escs, lerr := svc.Escalations(ctx, tok)
			return func() {
				closeDlg()
				cs.applyEscalations(escs, lerr)
				cs.showNote("答复已记录，该升级事项已办结")
			}, nil
		})
	}
	dlg.Show()
	cs.win.Canvas().Focus(cs.replyEntry)
}

// --- 代办 ------------------------------------------------------------------

func (cs *counterScreen) buildProxy() fyne.CanvasObject {
	cs.proxySummary = newKeyMultiLine(cs, "代客户办理的事项，例如：代为填写用电申请书并签收")
	cs.proxySubmit = widget.NewButton("提交代办记录", cs.onProxy)
	cs.proxySubmit.Importance = widget.HighImportance
	cs.proxyMsg = fieldErrorLabel()
	cs.proxyScript = scriptLine(theme.SizeNameSubHeadingText)
	cs.proxyScript.Hide()
	cs.proxyState = &widget.Label{Wrapping: fyne.TextWrapWord}
	return container.NewVBox(
		hintText("行动不便的客户：主动上前帮助，经客户同意可代为办理；记录后请客户在评价器屏幕上确认。"),
		widget.NewForm(widget.NewFormItem("代办事项", cs.proxySummary)),
		container.NewHBox(cs.proxySubmit), cs.proxyMsg,
		cs.proxyScript, cs.proxyState,
	)
}

func (cs *counterScreen) resetProxy() {
	cs.proxyID = ""
	cs.proxySummary.SetText("")
	showLine(cs.proxyMsg, "")
	cs.proxyScript.Hide()
	cs.proxyState.SetText("")
}

func (cs *counterScreen) onProxy() {
	cs.touch()
	summary := strings.TrimSpace(cs.proxySummary.Text)
	showLine(cs.proxyMsg, "")
	cs.matter(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		p, err := svc.RecordProxy(ctx, tok, summary)
		if err != nil {
			return func() { showLine(cs.proxyMsg, hall.Message(err)) }, err
		}
		return func() {
			cs.proxyID = p.ID
			cs.proxySummary.SetText("")
			cs.proxyScript.SetText("请对客户说：" + cs.scripts.ProxyConfirm)
			cs.proxyScript.Show()
			cs.proxyState.Importance = widget.WarningImportance
			cs.proxyState.SetText(p.Number + " 号代办：" + p.Summary + "\n状态：待客户在屏幕上确认")
		}, nil
	})
}

// applyProxyDecision shows the customer's answer to this window's 代办.
func (cs *counterScreen) applyProxyDecision(p hall.Proxy) {
	if p.ID != cs.proxyID || p.Counter != cs.counter {
		return
	}
	switch p.State {
	case hall.ProxyConfirmed:
		cs.proxyState.Importance = widget.SuccessImportance
		cs.proxyState.SetText(p.Number + " 号代办：" + p.Summary + "\n状态：客户已确认")
	case hall.ProxyDeclined:
		cs.proxyState.Importance = widget.DangerImportance
		cs.proxyState.SetText(p.Number + " 号代办：" + p.Summary + "\n状态：客户未同意，请与客户沟通")
	}
}

// --- 投诉受理, 报修受理 --------------------------------------------------------

func (cs *counterScreen) newMatterForm(whatHint, whereHint, whenHint, submit string, onSubmit func()) *matterForm {
	f := &matterForm{
		what:  newKeyMultiLine(cs, whatHint),
		where: newKeyEntry(cs, whereHint),
		when:  newKeyEntry(cs, whenHint),
		name:  newKeyEntry(cs, "客户姓名"),
		phone: newKeyEntry(cs, "手机或固定电话"),
		msg:   fieldErrorLabel(),
		done:  &widget.Label{Importance: widget.SuccessImportance, Wrapping: fyne.TextWrapWord},
	}
	f.submit = widget.NewButton(submit, func() { cs.touch(); onSubmit() })
	f.submit.Importance = widget.HighImportance
	return f
}

func (f *matterForm) object(what, where, when string) fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem(what, f.what),
		widget.NewFormItem(where, f.where),
		widget.NewFormItem(when, f.when),
		widget.NewFormItem("联系人", f.name),
		widget.NewFormItem("联系电话", f.phone),
	)
	return container.NewVBox(form, container.NewHBox(f.submit), f.msg, f.done)
}

func (f *matterForm) clear() {
	for _, e := range []*keyEntry{f.what, f.where, f.when, f.name, f.phone} {
		e.SetText("")
	}
	showLine(f.msg, "")
}

func (f *matterForm) contact() hall.Contact {
	return hall.Contact{Name: strings.TrimSpace(f.name.Text), Phone: strings.TrimSpace(f.phone.Text)}
}

// confirmation is what the clerk sees after saving: the contact masked,
// since others can see the counter's screen (clause 4.1.4).
func (cs *counterScreen) confirmation(what string, at time.Time, c hall.Contact) string {
	c = c.Masked()
	s := what + "已记录（" + at.In(cs.loc).Format("15:04") + "）"
	if c.Name != "" || c.Phone != "" {
		s += "，联系人 " + strings.TrimSpace(c.Name+" "+c.Phone)
	}
	return s + "。"
}

func (cs *counterScreen) onComplaint() {
	f := cs.complaint
	in := hall.ComplaintInput{What: strings.TrimSpace(f.what.Text), Where: strings.TrimSpace(f.where.Text),
		Occurred: strings.TrimSpace(f.when.Text), Contact: f.contact()}
	showLine(f.msg, "")
	showLine(f.done, "")
	cs.matter(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		c, err := svc.RecordComplaint(ctx, tok, in)
		if err != nil {
			return func() { showLine(f.msg, hall.Message(err)) }, err
		}
		return func() {
			f.clear()
			showLine(f.done, cs.confirmation("投诉", c.CreatedAt, c.Contact))
			cs.showNote("投诉已记录")
		}, nil
	})
}

func (cs *counterScreen) onFault() {
	f := cs.fault
	in := hall.FaultInput{What: strings.TrimSpace(f.what.Text), Where: strings.TrimSpace(f.where.Text),
		Occurred: strings.TrimSpace(f.when.Text), Contact: f.contact()}
	showLine(f.msg, "")
	showLine(f.done, "")
	cs.matter(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		r, err := svc.RecordFault(ctx, tok, in)
		if err != nil {
			return func() { showLine(f.msg, hall.Message(err)) }, err
		}
		return func() {
			f.clear()
			showLine(f.done, cs.confirmation("报修", r.CreatedAt, r.Contact))
			cs.showNote("报修已记录")
		}, nil
	})
}
