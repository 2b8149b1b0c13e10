package ui

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/halltest"
)

// The first-run wizard turns what hall IT staff type into the hall's
// configuration, refuses what it cannot use on the step that has it, and
// the hall it saves signs its staff in.
func TestSetupWizardConfiguresANewHall(t *testing.T) {
	h := halltest.New(t, nil) // only for a session; the hall set up is another
	s := newTestSession(t, h)
	fresh := halltest.Reopen(t, filepath.Join(t.TempDir(), "new.db"), h.Clock)
	var saved *SetupResult
	done := false
	w := newSetupWizard(s, Setup{Types: demo.DefaultTypes(), Save: func(ctx context.Context, r SetupResult) error {
		saved = &r
		return fresh.Setup(ctx, r.Config)
	}}, func() { done = true })
	win := w.window()
	defer win.Close()

	finish := func() {
		t.Helper()
		test.Tap(w.fin)
		s.wg.Wait()
	}
	finish()
	if w.tabs.SelectedIndex() != 0 || !strings.Contains(w.msg.Text, "营业厅名称") {
		t.Fatalf("empty form: tab %d, message %q", w.tabs.SelectedIndex(), w.msg.Text)
	}
	test.Type(w.name, "东关供电营业厅")
	test.Type(w.code, "HB0302")
	w.counterCount.SetSelected("2")
	if !w.counterTypes[1].Horizontal {
		t.Error("the Chinese type names do not fit in a row")
	}
	w.counterTypes[1].SetSelected([]string{"报修", "投诉"})
	w.hours[6].SetText("9:00-16:00") // Saturday, sloppy
	w.tabs.SelectIndex(3)
	test.Type(w.dirNo, "2101")
	test.Type(w.dirName, "周明")
	test.Type(w.dirPIN, "246810")
	test.Type(w.admNo, "9101")
	test.Type(w.admPIN, "13579")
	w.clerks.SetText("1101 孙丽\n\n1102　钱军\n")
	test.Type(w.clerkPIN, "1234")

	w.hours[0].SetText("8:30到17:30")
	w.tabs.SelectIndex(0)
	finish()
	if w.tabs.SelectedIndex() != 2 || !strings.Contains(w.msg.Text, "星期日") {
		t.Fatalf("bad Sunday hours: tab %d, message %q", w.tabs.SelectedIndex(), w.msg.Text)
	}
	w.hours[0].SetText("08:30-17:30")
	finish()
	if !done || saved == nil {
		t.Fatalf("not saved: %q", w.msg.Text)
	}
	cfg, err := fresh.Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Hall.Name != "东关供电营业厅" || cfg.Hall.Code != "HB0302" {
		t.Errorf("hall = %+v", cfg.Hall)
	}
	if len(cfg.Counters) != 2 || len(cfg.Counters[0].Types) != 6 || !slices.Equal(cfg.Counters[1].Types, []string{demo.TypeRepair, demo.TypeComplaint}) {
		t.Errorf("counters = %+v", cfg.Counters)
	}
	if got := cfg.Policy.OpenHours; len(got) != 7 || got[0] != "08:30-17:30" || got[6] != "09:00-16:00" {
		t.Errorf("opening hours = %v", got)
	}
	var roles []string
	for _, m := range cfg.Staff {
		roles = append(roles, m.No+":"+m.Name+":"+string(m.Role))
	}
	slices.Sort(roles)
	want := []string{"1101:孙丽:clerk", "1102:钱军:clerk", "2101:周明:director", "9101:系统管理员:admin"}
	if !slices.Equal(roles, want) {
		t.Errorf("staff = %v, want %v", roles, want)
	}
	if _, err := fresh.SignIn(context.Background(), 0, "9101", "13579"); err != nil {
		t.Errorf("the administrator cannot sign in: %v", err)
	}
	if _, err := fresh.SignIn(context.Background(), 2, "1102", "1234"); err != nil {
		t.Errorf("a clerk cannot sign in: %v", err)
	}
}

// In English the wizard shows no Chinese, says what is missing in English,
// and the business types checked by their English names are the hall's
// types; the counters' names stay the hall's Chinese data.
func TestSetupWizardInEnglish(t *testing.T) {
	inEnglish(t)
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	var saved *SetupResult
	w := newSetupWizard(s, Setup{Types: demo.DefaultTypes(), Save: func(ctx context.Context, r SetupResult) error {
		saved = &r
		return nil
	}}, func() {})
	win := w.window()
	defer win.Close()
	if got := win.Title(); got != "First-run setup · Hall service desk" {
		t.Errorf("title %q", got)
	}
	if bad := chineseShown(win.Content()); len(bad) > 0 {
		t.Errorf("the wizard shows Chinese: %q", bad)
	}
	// The longer English names of the types go one under another, so the
	// wizard still fits a 1280-pixel screen.
	if mw := win.Content().MinSize().Width; mw > 1000 || w.counterTypes[0].Horizontal {
		t.Errorf("the English wizard is %.0f wide (type checks in a row: %v)", mw, w.counterTypes[0].Horizontal)
	}
	test.Tap(w.fin)
	s.wg.Wait()
	if w.msg.Text != "Enter the hall's name and code" {
		t.Errorf("empty form: %q", w.msg.Text)
	}
	test.Type(w.name, "东关供电营业厅")
	test.Type(w.code, "HB0302")
	w.counterCount.SetSelected("2")
	cg := w.counterTypes[1]
	if cg.Options[4] == "报修" || hasChinese(cg.Options[4]) {
		t.Fatalf("type options %q", cg.Options)
	}
	cg.SetSelected([]string{cg.Options[4], cg.Options[5]})
	w.hours[6].SetText("9点")
	test.Tap(w.fin)
	s.wg.Wait()
	if w.tabs.SelectedIndex() != 2 || !strings.Contains(w.msg.Text, "Saturday") || hasChinese(w.msg.Text) {
		t.Errorf("bad Saturday hours: tab %d, %q", w.tabs.SelectedIndex(), w.msg.Text)
	}
	w.hours[6].SetText("09:00-16:00")
	test.Type(w.dirNo, "2101")
	test.Type(w.dirName, "周明")
	test.Type(w.dirPIN, "246810")
	test.Type(w.admNo, "9101")
	test.Type(w.admPIN, "13579")
	test.Tap(w.fin)
	s.wg.Wait()
	if saved == nil {
		t.Fatalf("not saved: %q", w.msg.Text)
	}
	c := saved.Config.Counters
	if len(c) != 2 || c[1].Name != "2号窗口" || !slices.Equal(c[1].Types, []string{demo.TypeRepair, demo.TypeComplaint}) || len(c[0].Types) != 6 {
		t.Errorf("counters = %+v", c)
	}
}

// A setup that started the sync to HQ gives the windows their sync line
// without a restart; one without HQ leaves them without it.
func TestSetupHandsOverTheSyncItStarted(t *testing.T) {
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	s.opt.SyncStatus = nil
	s.adoptSetup(Setup{SyncStatus: func() func(context.Context) (SyncState, error) { return nil }})
	if newSyncIndicator(s, false) != nil {
		t.Fatal("a hall set up without HQ shows a sync line")
	}
	reads := 0
	s.adoptSetup(Setup{SyncStatus: func() func(context.Context) (SyncState, error) {
		return func(context.Context) (SyncState, error) { reads++; return SyncState{Backlog: 3}, nil }
	}})
	si := newSyncIndicator(s, false)
	if si == nil {
		t.Fatal("no sync line after a setup that started the sync")
	}
	if st, err := si.status(context.Background()); err != nil || st.Backlog != 3 || reads != 1 {
		t.Errorf("the sync line reads %+v, %v (%d reads), want the started sync's state", st, err, reads)
	}
}
