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

	cs.greetTicket = &widget.Label{Text: T("尚未呼叫客户"), SizeName: theme.SizeNameSubHeadingText}
	cs.apology = &widget.Label{SizeName: theme.SizeNameHeadingText, Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	cs.apology.Hide()
	cs.greeting = scriptLine(theme.SizeNameHeadingText)
	cs.greetReminder = &widget.Label{Importance: widget.HighImportance, Wrapping: fyne.TextWrapWord}
	cs.tabGreet = container.NewTabItem(T("问候"), page(cs.greetTicket, cs.apology, cs.greeting, cs.greetReminder))

	cs.materialsTitle = &widget.Label{Text: T("呼叫客户后显示本业务所需资料"), Wrapping: fyne.TextWrapWord}
	cs.materialsBox = container.NewVBox()
	cs.materialPhrase = scriptLine(theme.SizeNameHeadingText)
	cs.tabMaterials = container.NewTabItem(T("收资料"), page(cs.materialsTitle, cs.materialsBox, widget.NewSeparator(), cs.materialPhrase))

	cs.tabCash = container.NewTabItem(T("收费找零"), page(cs.buildCash()))

	cs.refusalTitle = &widget.Label{Text: T("对不符合规定的要求，耐心解释："), Wrapping: fyne.TextWrapWord}
	cs.refusal = scriptLine(theme.SizeNameSubHeadingText)
	cs.tabRefusal = container.NewTabItem(T("解释"), page(cs.refusalTitle, cs.refusal))

	cs.tabEscalate = container.NewTabItem(T("升级"), page(cs.buildEscalation()))
	cs.tabProxy = container.NewTabItem(T("代办"), page(cs.buildProxy()))

	cs.complaint = cs.newMatterForm(T("投诉内容"), T("发生地点"), T("发生时间"), T("记录投诉"), cs.onComplaint)
	cs.fault = cs.newMatterForm(T("故障情况"), T("故障地点"), T("停电或发生时间"), T("记录报修"), cs.onFault)
	cs.tabComplaint = container.NewTabItem(T("投诉受理"), page(
		hintText(T("如实记录客户投诉，不得隐瞒。记录后不能修改或删除。")), cs.complaint.object(T("投诉内容"), T("发生地点"), T("发生时间"))))
	cs.tabFault = container.NewTabItem(T("报修受理"), page(
		hintText(T("记录后转95598抢修，请告知客户保持电话畅通。")), cs.fault.object(T("故障情况"), T("故障地点"), T("发生时间"))))

	cs.farewell = scriptLine(theme.SizeNameHeadingText)
	cs.farewellNote = &widget.Label{Wrapping: fyne.TextWrapWord}
	cs.tabBye = container.NewTabItem(T("送别"), page(cs.farewellNote, cs.farewell,
		hintText(T("起身目送客户离开，再呼叫下一位。"))))

	cs.tabs = container.NewAppTabs(cs.tabGreet, cs.tabMaterials, cs.tabCash, cs.tabRefusal,
		cs.tabEscalate, cs.tabProxy, cs.tabComplaint, cs.tabFault, cs.tabBye)
	cs.tabs.SetTabLocation(container.TabLocationLeading)
	cs.tabs.OnSelected = func(*container.TabItem) { cs.touch() }
	return cs.tabs
}

// resetScripts puts the panel in its state before any call. UI thread.
func (cs *counterScreen) resetScripts() {
	cs.greetTicket.SetText(T("尚未呼叫客户"))
	cs.apology.Hide()
	cs.setMaterials("")
	cs.clearCash()
	cs.refusalTitle.SetText(T("对不符合规定的要求，耐心解释："))
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
	cs.refusalTitle.SetText(Tf("%s：对不符合规定的要求，耐心解释：", cs.typeLabel(t.Type)))
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
	cs.greetTicket.SetText(Tf("%s 号 · %s", c.Ticket.Number, cs.typeLabel(c.Ticket.Type)))
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
	showLine(cs.farewellNote, Tf("%s 号已办结，用时 %s。", r.Number, formatServiceTime(r.Duration())))
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
		cs.materialsTitle.SetText(T("呼叫客户后显示本业务所需资料"))
	case len(items) == 0:
		cs.materialsTitle.SetText(Tf("%s：本业务无需收取资料", cs.typeLabel(code)))
	default:
		cs.materialsTitle.SetText(Tf("%s：收到一项勾选一项，办完逐项归还", cs.typeLabel(code)))
	}
	objs := make([]fyne.CanvasObject, 0, len(items))
	for _, item := range items {
		ret := widget.NewButton(T("归还"), nil)
		ret.Disable()
		chk := widget.NewCheck(item, nil)
		chk.OnChanged = func(on bool) {
			cs.touch()
			// A ticked box keeps the focus, which would swallow F1–F8.
			if cs.win != nil {
				cs.win.Canvas().Unfocus()
			}
			if on {
				ret.SetText(T("归还"))
				ret.Enable()
				showLine(cs.materialPhrase, cs.scripts.ReceivePhrase(item))
			} else {
				ret.Disable()
			}
		}
		ret.OnTapped = func() {
			cs.touch()
			ret.SetText(T("已归还"))
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
	cs.cashDue = newKeyEntry(cs, T("例如 120.50"))
	cs.cashReceived = newKeyEntry(cs, T("客户交来的现金"))
	cs.cashDue.OnChanged = func(string) { cs.computeCash() }
	cs.cashReceived.OnChanged = func(string) { cs.computeCash() }
	cs.cashDueErr, cs.cashReceivedErr = fieldErrorLabel(), fieldErrorLabel()
	cs.cashDueDaxie = &widget.Label{}
	cs.cashReceivedDaxie = &widget.Label{}
	cs.cashReceivedPhrase = scriptLine(theme.SizeNameSubHeadingText)
	cs.cashChange = &widget.Label{Text: "—", SizeName: theme.SizeNameHeadingText, Importance: widget.HighImportance}
	cs.cashChangeDaxie = &widget.Label{}
	cs.cashChangePhrase = scriptLine(theme.SizeNameSubHeadingText)
	cs.cashClear = widget.NewButton(T("清空"), func() { cs.touch(); cs.clearCash() })

	form := widget.NewForm(
		widget.NewFormItem(T("应收金额（元）"), container.NewVBox(row(cashColumns, cs.cashDue, cs.cashDueDaxie), cs.cashDueErr)),
		widget.NewFormItem(T("实收金额（元）"), container.NewVBox(row(cashColumns, cs.cashReceived, cs.cashReceivedDaxie), cs.cashReceivedErr)),
	)
	change := container.NewHBox(widget.NewLabel(T("找零（元）")), cs.cashChange, cs.cashChangeDaxie)
	return container.NewVBox(
		hintText(T("唱收唱付：收到现金先唱收，找零时唱付，请客户当面点清。")),
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
	// refused is the format of a refusal, "应收金额：%s" say.
	parse := func(e *keyEntry, errL, daxie *widget.Label, refused string) (hall.Fen, bool) {
		if strings.TrimSpace(e.Text) == "" {
			showLine(errL, "")
			showLine(daxie, "")
			return 0, false
		}
		f, err := hall.ParseYuan(e.Text)
		if err != nil {
			showLine(errL, Tf(refused, errText(err)))
			showLine(daxie, "")
			return 0, false
		}
		showLine(errL, "")
		showLine(daxie, Tf("大写：%s", f.Daxie()))
		return f, true
	}
	due, dueOK := parse(cs.cashDue, cs.cashDueErr, cs.cashDueDaxie, "应收金额：%s")
	received, recOK := parse(cs.cashReceived, cs.cashReceivedErr, cs.cashReceivedDaxie, "实收金额：%s")

	showLine(cs.cashReceivedPhrase, "")
	if recOK {
		showLine(cs.cashReceivedPhrase, Tf("唱收：%s", sc.CashReceivedPhrase(received)))
	}
	cs.cashChange.SetText("—")
	showLine(cs.cashChangeDaxie, "")
	showLine(cs.cashChangePhrase, "")
	if !dueOK || !recOK {
		return
	}
	change, err := hall.MakeChange(due, received)
	if err != nil {
		showLine(cs.cashReceivedErr, errText(err))
		return
	}
	cs.cashChange.SetText(change.String())
	showLine(cs.cashChangeDaxie, Tf("大写：%s", change.Daxie()))
	if change > 0 {
		showLine(cs.cashChangePhrase, Tf("唱付：%s", sc.CashChangePhrase(change)))
	} else {
		showLine(cs.cashChangePhrase, T("无需找零"))
	}
}

// --- 升级 ------------------------------------------------------------------

func (cs *counterScreen) buildEscalation() fyne.CanvasObject {
	cs.escNeed = newKeyMultiLine(cs, T("客户需要解决的问题"))
	cs.escAssignee = newKeyEntry(cs, T("如：营销部、运维检修部、分管副经理"))
	cs.escDue = newKeyEntry(cs, "YYYY-MM-DD")
	cs.escName = newKeyEntry(cs, T("客户姓名"))
	cs.escPhone = newKeyEntry(cs, T("手机或固定电话"))
	cs.escSubmit = widget.NewButton(T("提交升级"), cs.onEscalate)
	cs.escSubmit.Importance = widget.HighImportance
	cs.escMsg = fieldErrorLabel()
	cs.escPhrase = scriptLine(theme.SizeNameSubHeadingText)
	cs.escList = container.NewVBox()
	cs.escReplyBtns = map[string]*widget.Button{}
	form := widget.NewForm(
		widget.NewFormItem(T("客户诉求"), cs.escNeed),
		widget.NewFormItem(T("提交给"), cs.escAssignee),
		widget.NewFormItem(T("答复期限"), cs.escDue),
		widget.NewFormItem(T("联系人"), cs.escName),
		widget.NewFormItem(T("联系电话"), cs.escPhone),
	)
	return container.NewVBox(
		hintText(T("当场解决不了的问题：向客户解释，提交部门或领导，问题解决后及时答复客户（首问负责）。")),
		form, container.NewHBox(cs.escSubmit), cs.escMsg, cs.escPhrase,
		widget.NewSeparator(),
		&widget.Label{Text: T("我的未结升级事项"), TextStyle: fyne.TextStyle{Bold: true}},
		cs.escList,
	)
}

// defaultDue is escalationDays after today, in the hall's time zone.
func (cs *counterScreen) defaultDue() string {
	return cs.s.now().In(cs.loc).AddDate(0, 0, escalationDays).Format(time.DateOnly)
}

// formatDueDate renders 2006-01-02 as 2006年1月2日 (in English 2 Jan
// 2006) for the staff.
func formatDueDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format(T("2006年1月2日"))
}

// customerDueDate renders 2006-01-02 as 2006年1月2日 in any language: it
// fills the hall's own script, which is the customer's Chinese.
func customerDueDate(day string) string {
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
		showLine(cs.escMsg, Tf("答复期限须为日期，格式 YYYY-MM-DD，例如 %s", cs.defaultDue()))
		return
	}
	showLine(cs.escMsg, "")
	showLine(cs.escPhrase, "")
	cs.matter(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		e, err := svc.Escalate(ctx, tok, in)
		if err != nil {
			return func() { showLine(cs.escMsg, errText(err)) }, err
		}
		escs, lerr := svc.Escalations(ctx, tok)
		return func() {
			showLine(cs.escPhrase, Tf("请告知客户：%s", cs.scripts.EscalationPhrase(e.Assignee, customerDueDate(e.Due))))
			for _, en := range []*keyEntry{cs.escNeed, cs.escAssignee, cs.escName, cs.escPhone} {
				en.SetText("")
			}
			cs.escDue.SetText(cs.defaultDue())
			cs.applyEscalations(escs, lerr)
			cs.showNote(Tf("已提交升级：%s，%s前答复", e.Assignee, formatDueDate(e.Due)))
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
		cs.escList.Objects = []fyne.CanvasObject{&widget.Label{Text: errText(err), Importance: widget.DangerImportance}}
		cs.escList.Refresh()
		return
	}
	cs.escs = escs
	cs.escReplyBtns = map[string]*widget.Button{}
	if len(escs) == 0 {
		cs.escList.Objects = []fyne.CanvasObject{hintText(T("暂无未结事项"))}
		cs.escList.Refresh()
		return
	}
	objs := make([]fyne.CanvasObject, 0, 2*len(escs))
	today := cs.s.now().In(cs.loc).Format(time.DateOnly)
	for _, e := range escs {
		head := Tf("提交%s · %s前答复", e.Assignee, formatDueDate(e.Due))
		if e.Number != "" {
			head = Tf("%s 号 · %s", e.Number, head)
		}
		headL := &widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
		if e.Due < today {
			headL.Importance = widget.DangerImportance
			headL.Text += T("（已超期）")
		}
		c := e.Contact.Masked()
		who := Tf("联系人 %s", c.Name)
		if c.Phone != "" {
			who += " · " + c.Phone
		}
		btn := widget.NewButton(T("录入答复"), nil)
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
	cs.replyEntry = newKeyMultiLine(cs, T("已答复客户的内容"))
	cs.replyEntry.SetMinRowsVisible(4)
	cs.replyMsg = fieldErrorLabel()
	cs.replyOK = widget.NewButton(T("保存答复"), nil)
	cs.replyOK.Importance = widget.HighImportance
	cancel := widget.NewButton(T("取消"), nil)
	body := container.New(&counterMinWidth{w: 480}, container.NewVBox(
		&widget.Label{Text: e.Need, Wrapping: fyne.TextWrapWord},
		hintText(T("保存答复后此事项办结。")),
		cs.replyEntry, cs.replyMsg))
	dlg := dialog.NewCustomWithoutButtons(T("录入答复"), body, cs.win)
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
				return func() { showLine(msg, errText(err)) }, nil
			}
			escs, lerr := svc.Escalations(ctx, tok)
			return func() {
				closeDlg()
				cs.applyEscalations(escs, lerr)
				cs.showNote(T("答复已记录，该升级事项已办结"))
			}, nil
		})
	}
	dlg.Show()
	cs.win.Canvas().Focus(cs.replyEntry)
}

// --- 代办 ------------------------------------------------------------------

func (cs *counterScreen) buildProxy() fyne.CanvasObject {
	cs.proxySummary = newKeyMultiLine(cs, T("代客户办理的事项，例如：代为填写用电申请书并签收"))
	cs.proxySubmit = widget.NewButton(T("提交代办记录"), cs.onProxy)
	cs.proxySubmit.Importance = widget.HighImportance
	cs.proxyMsg = fieldErrorLabel()
	cs.proxyScript = scriptLine(theme.SizeNameSubHeadingText)
	cs.proxyScript.Hide()
	cs.proxyState = &widget.Label{Wrapping: fyne.TextWrapWord}
	return container.NewVBox(
		hintText(T("行动不便的客户：主动上前帮助，经客户同意可代为办理；记录后请客户在评价器屏幕上确认。")),
		widget.NewForm(widget.NewFormItem(T("代办事项"), cs.proxySummary)),
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
			return func() { showLine(cs.proxyMsg, errText(err)) }, err
		}
		return func() {
			cs.proxyID = p.ID
			cs.proxySummary.SetText("")
			cs.proxyScript.SetText(Tf("请对客户说：%s", cs.scripts.ProxyConfirm))
			cs.proxyScript.Show()
			cs.proxyState.Importance = widget.WarningImportance
			cs.proxyState.SetText(Tf("%s 号代办：%s\n状态：待客户在屏幕上确认", p.Number, p.Summary))
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
		cs.proxyState.SetText(Tf("%s 号代办：%s\n状态：客户已确认", p.Number, p.Summary))
	case hall.ProxyDeclined:
		cs.proxyState.Importance = widget.DangerImportance
		cs.proxyState.SetText(Tf("%s 号代办：%s\n状态：客户未同意，请与客户沟通", p.Number, p.Summary))
	}
}

// --- 投诉受理, 报修受理 --------------------------------------------------------

func (cs *counterScreen) newMatterForm(whatHint, whereHint, whenHint, submit string, onSubmit func()) *matterForm {
	f := &matterForm{
		what:  newKeyMultiLine(cs, whatHint),
		where: newKeyEntry(cs, whereHint),
		when:  newKeyEntry(cs, whenHint),
		name:  newKeyEntry(cs, T("客户姓名")),
		phone: newKeyEntry(cs, T("手机或固定电话")),
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
		widget.NewFormItem(T("联系人"), f.name),
		widget.NewFormItem(T("联系电话"), f.phone),
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
// since others can see the counter's screen (clause 4.1.4). recorded is
// the format of the line with the time; withContact with the time and
// the contact.
func (cs *counterScreen) confirmation(recorded, withContact string, at time.Time, c hall.Contact) string {
	c = c.Masked()
	hm := at.In(cs.loc).Format("15:04")
	if c.Name != "" || c.Phone != "" {
		return Tf(withContact, hm, strings.TrimSpace(c.Name+" "+c.Phone))
	}
	return Tf(recorded, hm)
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
			return func() { showLine(f.msg, errText(err)) }, err
		}
		return func() {
			f.clear()
			showLine(f.done, cs.confirmation("投诉已记录（%s）。", "投诉已记录（%s），联系人 %s。", c.CreatedAt, c.Contact))
			cs.showNote(T("投诉已记录"))
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
			return func() { showLine(f.msg, errText(err)) }, err
		}
		return func() {
			f.clear()
			showLine(f.done, cs.confirmation("报修已记录（%s）。", "报修已记录（%s），联系人 %s。", r.CreatedAt, r.Contact))
			cs.showNote(T("报修已记录"))
		}, nil
	})
}
