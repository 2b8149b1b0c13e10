package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
	"servicehall/internal/station"
)

// The admin window's two tabs that are not the hall's database: the HQ
// address and credential kept beside the database (hq.json), and this
// PC's own settings (station.json). Both are kept by the program through
// Options.HQ and Options.Station, and both take effect at its next start.

// --- 总部同步 -----------------------------------------------------------------

type adminHQ struct {
	hqURL     *widget.Entry
	hqToken   *widget.Entry
	hqState   *widget.Label
	hqSaveBtn *widget.Button
}

func (a *admin) buildHQTab() fyne.CanvasObject {
	h := &a.adminHQ
	if a.s.opt.HQ == nil || a.s.opt.HQ.Save == nil {
		return container.NewPadded(wrapLabel(T("本机连接营业厅主机运行，总部同步由主机负责：请在营业厅主机上打开系统设置。")))
	}
	h.hqURL = widget.NewEntry()
	h.hqURL.SetPlaceHolder(T("例如 https://hq.example.cn:8480（不连接总部则留空）"))
	h.hqToken = widget.NewPasswordEntry()
	h.hqState = &widget.Label{Wrapping: fyne.TextWrapWord}
	h.hqSaveBtn = widget.NewButton(T("保存"), a.onSaveHQ)
	h.hqSaveBtn.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(T("总部地址"), h.hqURL),
		widget.NewFormItem(T("本厅同步凭据"), h.hqToken),
	)
	form.Items[1].HintText = T("由总部用 servicehall-hq hall add 生成；已保存的凭据不显示，留空则不变")
	return container.NewVScroll(container.NewVBox(
		section(T("总部同步"),
			hint(T("营业厅的记录在后台同步到总部。保存后，同步在下次启动本程序时按新设置进行；清空地址则不再同步。启动时用 --hq 指定的地址优先于这里的设置。")),
			form, h.hqState, container.NewHBox(h.hqSaveBtn)),
	))
}

// fillHQ shows the kept address. UI thread.
func (a *admin) fillHQ(x adminData) {
	h := &a.adminHQ
	if h.hqURL == nil {
		return
	}
	h.hqURL.SetText(x.hqURL)
	h.hqToken.SetText("")
	switch {
	case x.hqURL == "":
		h.hqState.SetText(T("目前未设置总部，本厅的记录只保存在本机。"))
	case x.hqToken:
		h.hqState.SetText(T("已保存总部地址和本厅同步凭据。"))
	default:
		h.hqState.SetText(T("已保存总部地址，但缺少同步凭据。"))
	}
}

// stillAdmin asks the hall whether tok is still an administrator's session
// before a file of this PC changes: the window may have stayed open past
// midnight (sessions end then) or past the administrator's deactivation.
func stillAdmin(ctx context.Context, svc hall.Service, tok hall.Token) error {
	s, err := svc.Session(ctx, tok)
	if err != nil {
		return err
	}
	if s.Staff.Role != hall.RoleAdmin {
		return errAdminsOnly
	}
	return nil
}

func (a *admin) onSaveHQ() {
	h := &a.adminHQ
	if !a.signedIn || a.busy {
		return
	}
	url, token := strings.TrimSpace(h.hqURL.Text), strings.TrimSpace(h.hqToken.Text)
	if url != "" && token == "" && !a.data.hqToken {
		a.showProblem(T("请填写总部发给本厅的同步凭据"))
		return
	}
	if url != "" && token == "" && strings.TrimRight(url, "/") != strings.TrimRight(a.data.hqURL, "/") {
		// The kept credential is for the old address: never hand it to another.
		a.showProblem(T("总部地址已更改，请重新填写本厅的同步凭据"))
		return
	}
	save := a.s.opt.HQ.Save
	a.busy = true
	gen, tok := a.gen, a.tok
	a.spawn(func() {
		err := stillAdmin(a.s.ctx, a.s.svc, tok)
		if err == nil {
			err = save(url, token)
		}
		data := a.load(a.s.ctx)
		a.s.runOnMain(func() {
			a.busy = false
			if gen != a.gen {
				return
			}
			if err != nil {
				a.showError(err)
				return
			}
			a.data.hqURL, a.data.hqToken = data.hqURL, data.hqToken
			a.fillHQ(data)
			if url == "" {
				a.showNote(T("已清除总部设置：下次启动本程序后不再同步到总部"))
			} else {
				a.showNote(T("总部设置已保存：下次启动本程序时按新设置同步"))
			}
		})
	})
}

// --- 本机 ----------------------------------------------------------------------

type adminStation struct {
	stName     *widget.Entry
	stPrinter  *widget.Select
	stAddress  *widget.Entry
	stDevice   *widget.Entry
	stCharset  *widget.Select
	stVoice    *widget.Check
	stVolume   *widget.Entry
	stRepeat   *widget.Select
	stLanguage *widget.Select
	stState    *widget.Label
	stSaveBtn  *widget.Button
}

// The station tab's choices, in the order the selects offer them.
var (
	adminPrinterKinds = []string{station.PrinterNone, station.PrinterNetwork, station.PrinterDevice}
	adminCharsets     = []string{"gbk", "gb18030"}
	adminLanguages    = []string{station.LanguageChinese, station.LanguageEnglish}
)

func adminPrinterKindText(k string) string {
	switch k {
	case station.PrinterNetwork:
		return T("网络打印机")
	case station.PrinterDevice:
		return T("本机打印机（设备文件）")
	}
	return T("不使用打印机")
}

func adminLanguageText(l string) string {
	if l == station.LanguageEnglish {
		return "English"
	}
	return T("中文")
}

func (a *admin) buildStationTab() fyne.CanvasObject {
	s := &a.adminStation
	if a.s.opt.Station == nil || a.s.opt.Station.Save == nil {
		return container.NewPadded(wrapLabel(T("本机设置不可用。")))
	}
	s.stName = widget.NewEntry()
	kinds := make([]string, len(adminPrinterKinds))
	for i, k := range adminPrinterKinds {
		kinds[i] = adminPrinterKindText(k)
	}
	s.stAddress, s.stDevice = widget.NewEntry(), widget.NewEntry()
	s.stAddress.SetPlaceHolder(T("IP 或主机名，可加 :端口，默认 9100"))
	s.stDevice.SetPlaceHolder(T("例如 /dev/usb/lp0 或 COM3"))
	s.stPrinter = widget.NewSelect(kinds, func(string) { a.showPrinterFields() })
	s.stCharset = widget.NewSelect([]string{"GBK", "GB18030"}, nil)
	s.stVoice = widget.NewCheck(T("叫号时语音播报"), nil)
	s.stVolume = widget.NewEntry()
	s.stRepeat = widget.NewSelect([]string{"1", "2", "3"}, nil)
	langs := make([]string, len(adminLanguages))
	for i, l := range adminLanguages {
		langs[i] = adminLanguageText(l)
	}
	s.stLanguage = widget.NewSelect(langs, nil)
	s.stState = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.stSaveBtn = widget.NewButton(T("保存"), a.onSaveStation)
	s.stSaveBtn.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(T("本机名称"), s.stName),
		widget.NewFormItem(T("取号打印机"), s.stPrinter),
		widget.NewFormItem(T("打印机地址"), s.stAddress),
		widget.NewFormItem(T("设备文件"), s.stDevice),
		widget.NewFormItem(T("打印机编码"), s.stCharset),
		widget.NewFormItem(T("语音"), s.stVoice),
		widget.NewFormItem(T("音量（0–100）"), s.stVolume),
		widget.NewFormItem(T("每次呼叫播报遍数"), s.stRepeat),
		widget.NewFormItem(T("界面语言"), s.stLanguage),
	)
	form.Items[0].HintText = T("值班主任在设备故障提示中看到的名称，例如 取号机1")
	return container.NewVScroll(container.NewVBox(
		section(T("本机"),
			hint(T("这些设置属于这台电脑，不属于营业厅：每台电脑各自设置。保存后在下次启动本程序时生效；启动参数（如 --printer、--lang）优先于这里的设置。")),
			form, s.stState, container.NewHBox(s.stSaveBtn)),
	))
}

// showPrinterFields enables the fields of the printer kind chosen.
func (a *admin) showPrinterFields() {
	s := &a.adminStation
	kind := adminPrinterKinds[max(0, s.stPrinter.SelectedIndex())]
	adminSetEnabled(s.stAddress, kind == station.PrinterNetwork)
	adminSetEnabled(s.stDevice, kind == station.PrinterDevice)
}

func adminSetEnabled(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// fillStation shows this PC's settings. UI thread.
func (a *admin) fillStation(x adminData) {
	s := &a.adminStation
	if s.stName == nil {
		return
	}
	st := x.station
	if x.stationErr != nil {
		s.stState.Importance = widget.DangerImportance
		s.stState.SetText(errText(x.stationErr))
	} else {
		s.stState.Importance = widget.MediumImportance
		s.stState.SetText("")
	}
	s.stName.SetText(st.Station)
	kind := st.Printer.Kind
	if kind == "" {
		kind = station.PrinterNone
	}
	s.stPrinter.SetSelectedIndex(max(0, adminIndex(adminPrinterKinds, kind)))
	s.stAddress.SetText(st.Printer.Address)
	s.stDevice.SetText(st.Printer.Device)
	s.stCharset.SetSelectedIndex(max(0, adminIndex(adminCharsets, strings.ToLower(st.Printer.Charset))))
	s.stVoice.SetChecked(st.Voice.Enabled)
	s.stVolume.SetText(strconv.Itoa(st.Voice.Volume))
	s.stRepeat.SetSelectedIndex(max(0, st.Voice.Repeat-1))
	lang := st.Language
	if lang == "" {
		lang = station.LanguageChinese
	}
	s.stLanguage.SetSelectedIndex(max(0, adminIndex(adminLanguages, lang)))
	a.showPrinterFields()
}

func adminIndex(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// stationForm reads the form into settings, keeping what it does not show.
func (a *admin) stationForm() (station.Settings, bool) {
	s := &a.adminStation
	st := a.data.station
	st.Station = strings.TrimSpace(s.stName.Text)
	kind := adminPrinterKinds[max(0, s.stPrinter.SelectedIndex())]
	st.Printer = station.Printer{Kind: kind, Charset: adminCharsets[max(0, s.stCharset.SelectedIndex())]}
	switch kind {
	case station.PrinterNetwork:
		st.Printer.Address = strings.TrimSpace(s.stAddress.Text)
	case station.PrinterDevice:
		st.Printer.Device = strings.TrimSpace(s.stDevice.Text)
	}
	vol, err := strconv.Atoi(strings.TrimSpace(s.stVolume.Text))
	if err != nil {
		a.showProblem(T("音量须为 0–100 的整数"))
		return st, false
	}
	st.Voice = station.Voice{Enabled: s.stVoice.Checked, Volume: vol, Repeat: max(0, s.stRepeat.SelectedIndex()) + 1}
	st.Language = adminLanguages[max(0, s.stLanguage.SelectedIndex())]
	return st, true
}

func (a *admin) onSaveStation() {
	if !a.signedIn || a.busy {
		return
	}
	st, ok := a.stationForm()
	if !ok {
		return
	}
	save := a.s.opt.Station.Save
	a.busy = true
	gen, tok := a.gen, a.tok
	a.spawn(func() {
		err := stillAdmin(a.s.ctx, a.s.svc, tok)
		if err == nil {
			err = save(st)
		}
		a.s.runOnMain(func() {
			a.busy = false
			if gen != a.gen {
				return
			}
			if err != nil {
				a.showError(err)
				return
			}
			a.data.station, a.data.stationErr = st, nil
			a.adminStation.stState.SetText("")
			a.showNote(T("本机设置已保存：下次启动本程序时生效"))
		})
	})
}
