package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
)

// The director's 服务话术 tab (clauses 4.1.15–4.1.22): the phrases the
// counter window prompts its clerk with — greeting, apology, 唱收唱付,
// the patient refusal, farewell — and, per business type, the documents
// to receive and the refusal that replaces the general one. The hall keeps
// them (hall.Scripts); every counter uses a saved change from its next
// call on. The tab reads them at sign-in and on 重新读取 only, so a reload
// of the desk never overwrites what the director is typing.

// scriptPhrase is one phrase of hall.Scripts: its name (as the hall's
// refusals name it), what it must contain, and where it lives.
type scriptPhrase struct {
	name  string
	hint  string
	field func(*hall.Scripts) *string
}

// scriptPhrases are the phrases in the order of a service.
var scriptPhrases = []scriptPhrase{
	{"问候语", "叫号时", func(s *hall.Scripts) *string { return &s.Greeting }},
	{"起立问候提示", "叫号时提示营业员的动作", func(s *hall.Scripts) *string { return &s.GreetReminder }},
	{"致歉语", "客户久等或上一位办理较久时", func(s *hall.Scripts) *string { return &s.Apology }},
	{"收资料用语", "须包含 {item}", func(s *hall.Scripts) *string { return &s.Receive }},
	{"还资料用语", "须包含 {item}", func(s *hall.Scripts) *string { return &s.Return }},
	{"唱收用语", "须包含 {amount}", func(s *hall.Scripts) *string { return &s.CashReceived }},
	{"唱付用语", "须包含 {amount}", func(s *hall.Scripts) *string { return &s.CashChange }},
	{"解释语", "客户要求不符合规定时", func(s *hall.Scripts) *string { return &s.Refusal }},
	{"升级答复用语", "须包含 {assignee}，可含 {due}", func(s *hall.Scripts) *string { return &s.Escalation }},
	{"代办确认语", "请客户确认代办时", func(s *hall.Scripts) *string { return &s.ProxyConfirm }},
	{"送别语", "办结时", func(s *hall.Scripts) *string { return &s.Farewell }},
}

// typeScriptRow is one business type's own lines.
type typeScriptRow struct {
	code      string
	refusal   *widget.Entry // "" uses the general 解释语
	materials *widget.Entry // one document a line
}

// scriptsView is the 服务话术 tab's state. UI thread.
type scriptsView struct {
	widget.BaseWidget
	d       *director
	entries []*widget.Entry // by scriptPhrases index
	typeBox *fyne.Container
	types   []*typeScriptRow
	loaded  hall.Scripts // as last read or saved
	seq     int
	save    *widget.Button
	reread  *widget.Button
	reset   *widget.Button // fills the defaults in, unsaved
	content fyne.CanvasObject
}

func (d *director) buildScriptsTab() fyne.CanvasObject {
	v := &scriptsView{d: d, typeBox: container.NewVBox()}
	form := widget.NewForm()
	for _, l := range scriptPhrases {
		e := widget.NewMultiLineEntry()
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(2)
		v.entries = append(v.entries, e)
		form.Append(T(l.name), container.NewVBox(e, &widget.Label{Text: T(l.hint), Importance: widget.LowImportance}))
	}
	v.save = widget.NewButton(T("保存话术"), v.onSave)
	v.save.Importance = widget.HighImportance
	v.reread = widget.NewButton(T("重新读取"), v.reload)
	v.reset = widget.NewButton(T("填入默认话术"), func() { v.fill(hall.DefaultScripts()) })
	intro := wrapLabel(T("营业员叫号、收资料、唱收唱付、解释和送别时，窗口按这里的话术提示。保存后各窗口从下一次叫号起使用；{item}、{amount}、{assignee}、{due} 由窗口填入资料名称、金额、承办部门和答复期限。"))
	v.content = container.NewVScroll(container.NewVBox(
		section(T("服务话术"), intro, form),
		section(T("各业务的应收资料和解释语"),
			wrapLabel(T("应收资料每行一项；解释语留空则使用上面的通用解释语。")), v.typeBox),
		container.NewHBox(v.save, v.reread, v.reset),
	))
	v.ExtendBaseWidget(v)
	d.scripts = v
	return v
}

// CreateRenderer shows the tab's content.
func (v *scriptsView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// reload reads the hall's scripts and shows them, replacing what is typed.
// UI thread.
func (v *scriptsView) reload() {
	fetch(v.d, &v.seq, func(ctx context.Context, svc hall.Service, _ hall.Token) (hall.Scripts, error) {
		return svc.Scripts(ctx)
	}, func(sc hall.Scripts, err error) {
		if err != nil {
			v.d.showError(err)
			return
		}
		v.loaded = sc
		v.fill(sc)
	})
}

// fill puts sc in the entries, with a row for each business type in
// service. UI thread.
func (v *scriptsView) fill(sc hall.Scripts) {
	for i, l := range scriptPhrases {
		v.entries[i].SetText(*l.field(&sc))
	}
	v.types = v.types[:0]
	var rows []fyne.CanvasObject
	for _, bt := range v.d.data.cfg.Types {
		if bt.Retired {
			continue
		}
		r := &typeScriptRow{code: bt.Code, refusal: widget.NewMultiLineEntry(), materials: widget.NewMultiLineEntry()}
		r.refusal.Wrapping = fyne.TextWrapWord
		r.refusal.SetPlaceHolder(T("留空：使用通用解释语"))
		r.refusal.SetText(sc.RefusalByType[bt.Code])
		r.materials.SetPlaceHolder(T("每行一项，如 户主身份证"))
		r.materials.SetText(strings.Join(sc.Materials[bt.Code], "\n"))
		r.materials.SetMinRowsVisible(5)
		v.types = append(v.types, r)
		rows = append(rows, container.NewVBox(
			&widget.Label{Text: Tf("%s（%s）", T(bt.Name), bt.Prefix), TextStyle: fyne.TextStyle{Bold: true}},
			container.NewGridWithColumns(2,
				container.NewBorder(widget.NewLabel(T("应收资料")), nil, nil, nil, r.materials),
				container.NewBorder(widget.NewLabel(T("解释语")), nil, nil, nil, r.refusal)),
			widget.NewSeparator()))
	}
	if len(rows) == 0 {
		rows = append(rows, heading(T("营业厅尚未设置业务类型"), fyne.TextAlignLeading))
	}
	v.typeBox.Objects = rows
	v.typeBox.Refresh()
}

// scripts is what the tab shows, as hall.Scripts. Types the tab does not
// list (retired ones) keep what the hall had for them.
func (v *scriptsView) scripts() hall.Scripts {
	var sc hall.Scripts
	for i, l := range scriptPhrases {
		*l.field(&sc) = strings.TrimSpace(v.entries[i].Text)
	}
	sc.RefusalByType, sc.Materials = map[string]string{}, map[string][]string{}
	for code, r := range v.loaded.RefusalByType {
		sc.RefusalByType[code] = r
	}
	for code, m := range v.loaded.Materials {
		sc.Materials[code] = slices.Clone(m)
	}
	for _, r := range v.types {
		delete(sc.RefusalByType, r.code)
		delete(sc.Materials, r.code)
		if t := strings.TrimSpace(r.refusal.Text); t != "" {
			sc.RefusalByType[r.code] = t
		}
		var items []string
		for _, line := range strings.Split(r.materials.Text, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				items = append(items, line)
			}
		}
		if len(items) > 0 {
			sc.Materials[r.code] = items
		}
	}
	return sc
}

func (v *scriptsView) onSave() {
	sc := v.scripts()
	v.d.act(func(ctx context.Context, svc hall.Service, tok hall.Token) (func(), error) {
		err := svc.SaveScripts(ctx, tok, sc)
		return func() {
			v.loaded = sc
			v.d.showNote(T("服务话术已保存，各窗口从下一次叫号起使用"))
		}, err
	})
}
