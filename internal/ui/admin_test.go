package ui

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/station"
)

// openAdmin opens the admin window on h; setOpt may set the session's
// options first. Service calls run inline.
func openAdmin(t *testing.T, h *halltest.Hall, setOpt func(*Options)) (*admin, fyne.Window) {
	t.Helper()
	s := newTestSession(t, h)
	if setOpt != nil {
		setOpt(&s.opt)
	}
	a := newAdmin(s)
	a.spawn = func(f func()) { f() }
	w := a.window()
	t.Cleanup(func() { closeIfOpen(s.app, w) })
	a.start()
	return a, w
}

func adminSignIn(t *testing.T, a *admin, no, pin string) {
	t.Helper()
	a.staffNo.SetText("")
	a.pin.SetText("")
	test.Type(a.staffNo, no)
	test.Type(a.pin, pin)
	a.pin.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// signedInAdmin is the window with the demo administrator 9001 signed in.
func signedInAdmin(t *testing.T, h *halltest.Hall, setOpt func(*Options)) (*admin, fyne.Window) {
	t.Helper()
	a, w := openAdmin(t, h, setOpt)
	adminSignIn(t, a, "9001", demo.PIN)
	if !a.signedIn {
		t.Fatalf("administrator not signed in: %q", a.signInMsg.Text)
	}
	return a, w
}

func mustConfig(t *testing.T, h *halltest.Hall) hall.Config {
	t.Helper()
	cfg, err := h.Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func adminStaffOf(cfg hall.Config, no string) hall.Staff {
	for _, m := range cfg.Staff {
		if m.No == no {
			return m
		}
	}
	return hall.Staff{}
}

func TestAdminIsARole(t *testing.T) {
	d, ok := findRole(roleTable(), "admin")
	if !ok || !d.available() || d.needsCounter || d.title != "系统设置" {
		t.Fatalf("admin role = %+v, want an available 系统设置 without a counter", d)
	}
}

// Only a system administrator gets in: a clerk and a director are told so,
// and the director's desk session is ended again.
func TestAdminSignInRefusesOthers(t *testing.T) {
	h := halltest.New(t, nil)
	a, w := openAdmin(t, h, nil)
	if got, want := w.Title(), "系统设置 · 城关供电营业厅"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	for _, no := range []string{"1001", "2001"} {
		seq := h.LastSeq()
		adminSignIn(t, a, no, demo.PIN)
		if a.signedIn {
			t.Fatalf("%s signed in to the settings", no)
		}
		if got := a.signInMsg.Text; got != "只有系统管理员可以登录系统设置" {
			t.Errorf("%s's sign-in shows %q", no, got)
		}
		evs, err := h.DB.Events(context.Background(), seq, 100)
		if err != nil {
			t.Fatal(err)
		}
		if no == "2001" && (len(evs) == 0 || evs[len(evs)-1].Kind != hall.KindSignedOut) {
			t.Errorf("the director's session was left open: %d events", len(evs))
		}
	}
	adminSignIn(t, a, "9001", "000000")
	if a.signedIn || !strings.Contains(a.signInMsg.Text, "工号或密码错误") {
		t.Errorf("a wrong PIN: signed in %v, %q", a.signedIn, a.signInMsg.Text)
	}
	adminSignIn(t, a, "9001", demo.PIN)
	if !a.signedIn || a.who.Text != "系统管理员（工号9001）" {
		t.Fatalf("administrator: signed in %v, header %q, message %q", a.signedIn, a.who.Text, a.signInMsg.Text)
	}
	if a.hallName.Text != "城关供电营业厅" || a.hallCode.Text != "DEMO001" || len(a.counterBox.Objects) != 5 ||
		len(a.typeBox.Objects) != 6 || len(a.staffBox.Objects) != len(demo.Config().Staff) {
		t.Errorf("after sign-in: name %q code %q, %d counters, %d types, %d staff", a.hallName.Text, a.hallCode.Text,
			len(a.counterBox.Objects), len(a.typeBox.Objects), len(a.staffBox.Objects))
	}
	test.Tap(a.signOutBtn)
	if a.signedIn || a.signInMsg.Text != "已退出登录" {
		t.Errorf("after sign-out: signed in %v, %q", a.signedIn, a.signInMsg.Text)
	}
}

// The administrator changes the hall's name and hours, a counter, a
// business type and staff in the window; the hall's configuration has it.
func TestAdminEditsTheHall(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	a, w := signedInAdmin(t, h, nil)

	a.hallName.SetText("城关供电营业厅（新址）")
	test.Tap(a.hallSaveBtn)
	if a.hoursOn.Checked || !a.hours[6].Disabled() {
		t.Fatal("a hall without hours shows them kept")
	}
	a.hoursOn.SetChecked(true)
	a.hours[6].SetText("9:00-16:00")
	test.Tap(a.savePolicyBtn)
	cfg := mustConfig(t, h)
	if cfg.Hall.Name != "城关供电营业厅（新址）" || len(cfg.Policy.OpenHours) != 7 || cfg.Policy.OpenHours[6] != "09:00-16:00" || cfg.Policy.OpenHours[0] != "08:30-17:30" {
		t.Fatalf("hall %+v, hours %v (status %q)", cfg.Hall, cfg.Policy.OpenHours, a.statusLine.Text)
	}
	if a.hours[6].Text != "09:00-16:00" || w.Title() != "系统设置 · 城关供电营业厅（新址）" {
		t.Errorf("after saving: Saturday %q, title %q", a.hours[6].Text, w.Title())
	}

	// A new counter, numbered after the others, for two types.
	test.Tap(a.addCounterBtn)
	if a.counterNo.Text != "6" || a.counterName.Text != "6号窗口" {
		t.Errorf("new counter proposed as %q %q", a.counterNo.Text, a.counterName.Text)
	}
	a.counterTypes.SetSelected([]string{"交纳电费", "报修"})
	test.Tap(a.counterOK)
	// Counter 2 renamed, fee only.
	test.Tap(a.editCounterBtn[2])
	a.counterName.SetText("2号综合窗口")
	a.counterTypes.SetSelected([]string{"交纳电费"})
	test.Tap(a.counterOK)
	cfg = mustConfig(t, h)
	if c := cfg.Counters[5]; c.No != 6 || !slices.Equal(c.Types, []string{demo.TypeFee, demo.TypeRepair}) || c.State != hall.CounterClosed {
		t.Errorf("counter 6 = %+v (status %q)", c, a.statusLine.Text)
	}
	if c := cfg.Counters[1]; c.Name != "2号综合窗口" || !slices.Equal(c.Types, []string{demo.TypeFee}) {
		t.Errorf("counter 2 = %+v", c)
	}
	if len(a.counterBox.Objects) != 6 {
		t.Errorf("%d counters listed, want 6", len(a.counterBox.Objects))
	}

	// A business type renamed with a daily limit, and a new one.
	test.Tap(a.editTypeBtn[demo.TypeRepair])
	a.typeName.SetText("故障报修")
	a.typeCap.SetText("40")
	test.Tap(a.typeOK)
	test.Tap(a.addTypeBtn)
	a.typeName.SetText("充电桩报装")
	a.typePrefix.SetText("g")
	test.Tap(a.typeOK)
	cfg = mustConfig(t, h)
	var repair, added hall.BusinessType
	for _, bt := range cfg.Types {
		switch {
		case bt.Code == demo.TypeRepair:
			repair = bt
		case bt.Name == "充电桩报装":
			added = bt
		}
	}
	if repair.Name != "故障报修" || repair.DailyCap != 40 || repair.Prefix != "E" {
		t.Errorf("repair = %+v (status %q)", repair, a.statusLine.Text)
	}
	if added.Prefix != "G" || added.Position != 7 || added.Code == "" || added.Retired {
		t.Errorf("new type = %+v", added)
	}

	// Staff: a new clerk, a deactivation, a PIN reset and an unlock.
	test.Tap(a.addStaffBtn)
	test.Type(a.staffNoEntry, "1006")
	test.Type(a.staffName, "周琳")
	a.staffRole.SetSelectedIndex(0)
	test.Type(a.staffPIN, "2468")
	test.Type(a.staffPIN2, "2468")
	test.Tap(a.staffOK)
	if _, err := h.SignIn(ctx, 6, "1006", "2468"); err != nil {
		t.Errorf("the new clerk cannot sign in: %v (status %q)", err, a.statusLine.Text)
	}
	test.Tap(a.editStaff["1005"])
	a.staffActive.SetChecked(false)
	test.Tap(a.staffOK)
	if m := adminStaffOf(mustConfig(t, h), "1005"); m.Active {
		t.Errorf("1005 still active (status %q)", a.statusLine.Text)
	}
	test.Tap(a.resetPIN["1001"])
	test.Type(a.staffPIN, "97531")
	test.Type(a.staffPIN2, "97531")
	test.Tap(a.staffOK)
	if _, err := h.SignIn(ctx, 1, "1001", "97531"); err != nil {
		t.Errorf("1001 with the reset PIN: %v (status %q)", err, a.statusLine.Text)
	}
	for range hall.MaxPINFailures {
		h.SignIn(ctx, 2, "1002", "000000")
	}
	test.Tap(a.refreshBtn)
	if a.unlock["1002"].Disabled() || !a.unlock["1001"].Disabled() {
		t.Fatalf("unlock buttons: 1002 disabled %v, 1001 disabled %v", a.unlock["1002"].Disabled(), a.unlock["1001"].Disabled())
	}
	test.Tap(a.unlock["1002"])
	if m := adminStaffOf(mustConfig(t, h), "1002"); m.Locked {
		t.Errorf("1002 still locked (status %q)", a.statusLine.Text)
	}
	// The administrator's own role and state are not offered.
	test.Tap(a.editStaff["9001"])
	if !a.staffRole.Disabled() || !a.staffActive.Disabled() {
		t.Error("the administrator may change their own role or state")
	}
	a.hideDialog()
}

// A change the hall refuses shows its Chinese message and changes nothing;
// one the window can tell is wrong never reaches the hall.
func TestAdminFailedSaveChangesNothing(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	if _, err := h.Issue(ctx, demo.TypeChange, hall.Normal); err != nil {
		t.Fatal(err)
	}
	a, _ := signedInAdmin(t, h, nil)
	cfg0, seq0 := mustConfig(t, h), h.LastSeq()

	test.Tap(a.retireBtn[demo.TypeChange])
	test.Tap(a.retireOK)
	if got, want := a.statusLine.Text, "「变更用电」还有客户在等候，暂不能停办"; got != want {
		t.Errorf("retiring a type in use shows %q, want %q", got, want)
	}
	test.Tap(a.addTypeBtn)
	a.typeName.SetText("充电桩报装")
	a.typePrefix.SetText("A")
	test.Tap(a.typeOK)
	if got := a.statusLine.Text; !strings.Contains(got, "前缀A已被「交纳电费」使用") {
		t.Errorf("a prefix in use shows %q", got)
	}
	a.hoursOn.SetChecked(true)
	a.hours[6].SetText("全天")
	test.Tap(a.savePolicyBtn)
	if got := a.statusLine.Text; !strings.Contains(got, "星期六的营业时间格式有误") {
		t.Errorf("bad Saturday hours show %q", got)
	}
	test.Tap(a.addStaffBtn)
	test.Type(a.staffNoEntry, "1001")
	test.Type(a.staffName, "另一个李娜")
	test.Type(a.staffPIN, "2468")
	test.Type(a.staffPIN2, "2468")
	test.Tap(a.staffOK)
	if got := a.statusLine.Text; got != "工号1001已被使用" {
		t.Errorf("a staff number in use shows %q", got)
	}
	a.staffNoEntry.SetText("1009")
	a.staffPIN2.SetText("1357")
	test.Tap(a.staffOK)
	if got := a.statusLine.Text; got != "两次输入的密码不一致" {
		t.Errorf("PINs that differ show %q", got)
	}
	a.staffPIN.SetText("ab")
	a.staffPIN2.SetText("ab")
	test.Tap(a.staffOK)
	if got := a.statusLine.Text; !strings.Contains(got, "4到12位数字") {
		t.Errorf("a PIN of letters shows %q", got)
	}
	a.hallName.SetText("  ")
	test.Tap(a.hallSaveBtn)
	if got := a.statusLine.Text; got != "请填写营业厅名称" {
		t.Errorf("an empty name shows %q", got)
	}
	if cfg := mustConfig(t, h); !reflect.DeepEqual(cfg, cfg0) || h.LastSeq() != seq0 {
		t.Errorf("refused changes changed the hall: seq %d → %d", seq0, h.LastSeq())
	}
}

// The HQ and this PC's tabs keep their settings through the program's
// callbacks, and say when they apply.
func TestAdminHQAndStationSettings(t *testing.T) {
	h := halltest.New(t, nil)
	var hqURL, hqToken string
	saved := station.Defaults()
	saved.Station = "大厅电脑"
	var stationSaves []station.Settings
	failStation := errors.New("disk full")
	a, _ := signedInAdmin(t, h, func(o *Options) {
		o.HQ = &HQSettings{
			Load: func() (string, bool) { return hqURL, hqToken != "" },
			Save: func(url, token string) error {
				if !strings.HasPrefix(url, "http") && url != "" {
					return hall.ErrInvalid.WithMessage("总部地址须以 http:// 或 https:// 开头", "bad url")
				}
				hqURL = url
				if token != "" {
					hqToken = token
				}
				return nil
			},
		}
		o.Station = &StationSettings{
			Load: func() (station.Settings, error) { return saved, nil },
			Save: func(s station.Settings) error {
				if s.Station == "坏" {
					return failStation
				}
				if err := s.Validate(); err != nil {
					return err
				}
				stationSaves = append(stationSaves, s)
				saved = s
				return nil
			},
		}
	})
	if a.hqURL.Text != "" || !strings.Contains(a.hqState.Text, "未设置总部") {
		t.Errorf("HQ tab: %q, %q", a.hqURL.Text, a.hqState.Text)
	}
	a.hqURL.SetText("https://hq.example.cn:8480")
	test.Tap(a.hqSaveBtn)
	if hqURL != "" || a.statusLine.Text != "请填写总部发给本厅的同步凭据" {
		t.Errorf("an address without a credential: saved %q, status %q", hqURL, a.statusLine.Text)
	}
	a.hqToken.SetText("secret-credential")
	test.Tap(a.hqSaveBtn)
	if hqURL != "https://hq.example.cn:8480" || hqToken != "secret-credential" || !strings.Contains(a.statusLine.Text, "下次启动") {
		t.Errorf("saved %q %q, status %q", hqURL, hqToken, a.statusLine.Text)
	}
	if a.hqToken.Text != "" || !strings.Contains(a.hqState.Text, "凭据") {
		t.Errorf("after saving the credential shows %q, state %q", a.hqToken.Text, a.hqState.Text)
	}
	// Another address without the credential again: the kept credential
	// is never handed to it.
	a.hqURL.SetText("https://elsewhere.example.cn")
	test.Tap(a.hqSaveBtn)
	if hqURL != "https://hq.example.cn:8480" || a.statusLine.Text != "总部地址已更改，请重新填写本厅的同步凭据" {
		t.Errorf("a new address with the old credential: kept %q, status %q", hqURL, a.statusLine.Text)
	}
	a.hqURL.SetText("hq.example.cn")
	a.hqToken.SetText("secret-credential")
	test.Tap(a.hqSaveBtn)
	if hqURL != "https://hq.example.cn:8480" || a.statusLine.Text != "总部地址须以 http:// 或 https:// 开头" {
		t.Errorf("a bad address: kept %q, status %q", hqURL, a.statusLine.Text)
	}

	if a.stName.Text != "大厅电脑" || a.stPrinter.SelectedIndex() != 0 || !a.stAddress.Disabled() || a.stLanguage.Selected != "中文" {
		t.Errorf("station tab: %q, printer %d, address disabled %v, language %q", a.stName.Text, a.stPrinter.SelectedIndex(), a.stAddress.Disabled(), a.stLanguage.Selected)
	}
	a.stPrinter.SetSelectedIndex(1)
	if a.stAddress.Disabled() || !a.stDevice.Disabled() {
		t.Error("the network printer's address is not offered")
	}
	a.stAddress.SetText("192.168.1.50")
	a.stVolume.SetText("150")
	test.Tap(a.stSaveBtn)
	if len(stationSaves) != 0 || a.statusLine.Text != "音量须在 0–100 之间" {
		t.Errorf("volume 150: %d saves, status %q", len(stationSaves), a.statusLine.Text)
	}
	a.stVolume.SetText("60")
	a.stLanguage.SetSelectedIndex(1)
	test.Tap(a.stSaveBtn)
	if len(stationSaves) != 1 || !strings.Contains(a.statusLine.Text, "下次启动") {
		t.Fatalf("%d saves, status %q", len(stationSaves), a.statusLine.Text)
	}
	got := stationSaves[0]
	if got.Language != station.LanguageEnglish || got.Printer != (station.Printer{Kind: station.PrinterNetwork, Address: "192.168.1.50", Charset: "gbk"}) ||
		got.Voice.Volume != 60 || got.Station != "大厅电脑" {
		t.Errorf("saved %+v", got)
	}
	a.stName.SetText("坏")
	test.Tap(a.stSaveBtn)
	if len(stationSaves) != 1 || a.statusLine.Text != hall.Message(failStation) {
		t.Errorf("a failed save: %d saves, status %q", len(stationSaves), a.statusLine.Text)
	}
	// The session ended elsewhere (midnight, say): the files stay as they are.
	if err := h.SignOut(context.Background(), a.tok); err != nil {
		t.Fatal(err)
	}
	a.stName.SetText("大厅电脑2")
	test.Tap(a.stSaveBtn)
	a.hqURL.SetText("https://hq.example.cn:8480")
	a.hqToken.SetText("another")
	test.Tap(a.hqSaveBtn)
	if len(stationSaves) != 1 || hqToken != "secret-credential" || a.statusLine.Text != hall.Message(hall.ErrNotSignedIn) {
		t.Errorf("saves after the session ended: %d station saves, HQ credential %q, status %q", len(stationSaves), hqToken, a.statusLine.Text)
	}
}

// On a PC that runs against the hall node there is no HQ to set.
func TestAdminWithoutHQOrStation(t *testing.T) {
	h := halltest.New(t, nil)
	a, _ := signedInAdmin(t, h, nil)
	if a.hqURL != nil || a.stName != nil {
		t.Fatal("HQ and station forms built without their callbacks")
	}
	if !slices.ContainsFunc(shownTexts(a.tabs.Items[4].Content), func(s string) bool { return strings.Contains(s, "营业厅主机") }) {
		t.Errorf("HQ tab says %v", shownTexts(a.tabs.Items[4].Content))
	}
}

// In English, the admin window and its dialogs show no Chinese but the
// hall's own data.
func TestAdminInEnglish(t *testing.T) {
	inEnglish(t)
	h := halltest.New(t, nil)
	opts := func(o *Options) {
		o.HQ = &HQSettings{Load: func() (string, bool) { return "", false }, Save: func(string, string) error { return nil }}
		o.Station = &StationSettings{Load: func() (station.Settings, error) { return station.Defaults(), nil }, Save: func(station.Settings) error { return nil }}
	}
	a, w := openAdmin(t, h, opts)
	if bad := chineseShown(w.Content(), "城关供电营业厅"); len(bad) > 0 {
		t.Errorf("sign-in view shows Chinese: %q", bad)
	}
	adminSignIn(t, a, "1001", demo.PIN)
	if a.signInMsg.Text != "Only a system administrator can sign in to Settings" {
		t.Errorf("a clerk is told %q", a.signInMsg.Text)
	}
	adminSignIn(t, a, "9001", demo.PIN)
	if !a.signedIn {
		t.Fatalf("not signed in: %q", a.signInMsg.Text)
	}
	var data []string
	for _, m := range mustConfig(t, h).Staff {
		data = append(data, m.Name)
	}
	data = append(data, "城关供电营业厅", "号窗口")
	if bad := chineseShown(w.Content(), data...); len(bad) > 0 {
		t.Errorf("settings show Chinese: %q", bad)
	}
	for name, open := range map[string]func(){
		"counter":  func() { test.Tap(a.editCounterBtn[1]) },
		"type":     func() { test.Tap(a.addTypeBtn) },
		"retire":   func() { test.Tap(a.retireBtn[demo.TypeFee]) },
		"staff":    func() { test.Tap(a.addStaffBtn) },
		"edit":     func() { test.Tap(a.editStaff["1001"]) },
		"resetPIN": func() { test.Tap(a.resetPIN["1001"]) },
	} {
		open()
		top := w.Canvas().Overlays().Top()
		if top == nil {
			t.Fatalf("%s: no dialog", name)
		}
		if bad := chineseShown(top, data...); len(bad) > 0 {
			t.Errorf("%s dialog shows Chinese: %q", name, bad)
		}
		a.hideDialog()
	}
	test.Tap(a.retireBtn[demo.TypeFee])
	test.Tap(a.retireOK)
	if bad := chineseShown(a.statusLine); len(bad) > 0 || a.statusLine.Text == "" {
		t.Errorf("a retire shows %q", a.statusLine.Text)
	}
}

// A change asked for while the previous one still runs keeps its dialog
// open with what was typed, says why, and changes nothing.
func TestAdminDialogWaitsForTheChangeBefore(t *testing.T) {
	h := halltest.New(t, nil)
	a, _ := signedInAdmin(t, h, nil)
	test.Tap(a.addCounterBtn)
	a.counterTypes.SetSelected([]string{"交纳电费"})
	a.busy = true // an earlier change has not come back yet
	test.Tap(a.counterOK)
	if a.dialog == nil || a.counterName.Text != "6号窗口" || a.statusLine.Text != "上一项操作还在进行，请稍候再试" {
		t.Fatalf("dialog open %v, name %q, status %q", a.dialog != nil, a.counterName.Text, a.statusLine.Text)
	}
	if cfg := mustConfig(t, h); len(cfg.Counters) != 5 {
		t.Fatalf("%d counters after a refused change", len(cfg.Counters))
	}
	a.busy = false
	test.Tap(a.counterOK)
	if cfg := mustConfig(t, h); len(cfg.Counters) != 6 || a.dialog != nil {
		t.Errorf("%d counters, dialog open %v, once the earlier change is back", len(cfg.Counters), a.dialog != nil)
	}
}
