package hall_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// signInAdmin signs the demo administrator 9001 in at a desk.
func signInAdmin(t *testing.T, h *halltest.Hall) hall.Token {
	t.Helper()
	s, err := h.SignIn(ctx, 0, "9001", demo.PIN)
	if err != nil {
		t.Fatalf("sign in 9001: %v", err)
	}
	return s.Token
}

// eventsAfter reads the hall's event log after seq from its store.
func eventsAfter(t *testing.T, h *halltest.Hall, seq int64) []hall.Event {
	t.Helper()
	evs, err := h.DB.Events(ctx, seq, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func findStaff(cfg hall.Config, no string) (hall.Staff, bool) {
	for _, m := range cfg.Staff {
		if m.No == no {
			return m, true
		}
	}
	return hall.Staff{}, false
}

func findCounter(cfg hall.Config, no int) (hall.Counter, bool) {
	for _, c := range cfg.Counters {
		if c.No == no {
			return c, true
		}
	}
	return hall.Counter{}, false
}

func findType(cfg hall.Config, code string) (hall.BusinessType, bool) {
	for _, bt := range cfg.Types {
		if bt.Code == code {
			return bt, true
		}
	}
	return hall.BusinessType{}, false
}

// An administrator changes what the setup wizard asked for; the changes
// are in the event log with the administrator's number, and a restarted
// hall reads them back.
func TestAdminChangesTheHallsConfiguration(t *testing.T) {
	h := halltest.New(t, nil)
	adm := signInAdmin(t, h)
	before := h.LastSeq()

	p := hall.DefaultPolicy()
	p.MaxPriorityRun = 3
	p.OpenHours = []string{"9:00-16:00", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "09:00-16:00"}
	got, err := h.SavePolicy(ctx, adm, p)
	if err != nil || got.OpenHours[0] != "09:00-16:00" {
		t.Fatalf("policy = %+v, %v", got, err)
	}
	// The rename comes after the policy: it must not reset it.
	info, err := h.SaveHallInfo(ctx, adm, hall.HallInfo{Name: "  城关供电营业厅（新址）", Code: "DEMO001"})
	if err != nil || info.Name != "城关供电营业厅（新址）" || info.Code != "DEMO001" || info.TimeZone != "Asia/Shanghai" {
		t.Fatalf("rename = %+v, %v", info, err)
	}
	bt, err := h.SaveTypeAs(ctx, adm, hall.BusinessType{Code: "ev", Name: "充电桩报装", Prefix: "g", Position: 7, DailyCap: 30})
	if err != nil || bt.Prefix != "G" {
		t.Fatalf("new type = %+v, %v", bt, err)
	}
	if _, err := h.SaveTypeAs(ctx, adm, hall.BusinessType{Code: demo.TypeRepair, Name: "故障报修", Prefix: "E", Position: 5}); err != nil {
		t.Fatal(err)
	}
	c, err := h.SaveCounterAs(ctx, adm, hall.Counter{No: 6, Name: "6号窗口", Types: []string{"ev", demo.TypeConnect, "ev"}})
	if err != nil || c.State != hall.CounterClosed || !slices.Equal(c.Types, []string{"ev", demo.TypeConnect}) {
		t.Fatalf("new counter = %+v, %v (closed until a clerk opens it, types once each)", c, err)
	}
	if _, err := h.SaveCounterAs(ctx, adm, hall.Counter{No: 1, Name: "1号综合窗口", Types: []string{demo.TypeFee}}); err != nil {
		t.Fatal(err)
	}
	m, err := h.AddStaffAs(ctx, adm, hall.Staff{No: "1006", Name: "周琳", Role: hall.RoleClerk, Active: true}, "2468")
	if err != nil || m.No != "1006" || m.PINHash != nil {
		t.Fatalf("new clerk = %+v, %v", m, err)
	}
	if _, err := h.SaveStaffAs(ctx, adm, hall.Staff{No: "1002", Name: "王芳芳", Role: hall.RoleDirector, Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.RetireTypeAs(ctx, adm, demo.TypeChange); err != nil {
		t.Fatal(err)
	}

	// Each change has its own event, and a config.changed naming 9001.
	var kinds []hall.Kind
	var changes []string
	for _, e := range eventsAfter(t, h, before) {
		kinds = append(kinds, e.Kind)
		if e.Kind == hall.KindConfigChanged {
			var cc hall.ConfigChange
			if err := e.Decode(&cc); err != nil {
				t.Fatal(err)
			}
			if cc.By != "9001" {
				t.Errorf("config.changed by %q, want 9001", cc.By)
			}
			changes = append(changes, cc.Subject+":"+cc.Key+":"+cc.Action)
		}
		if e.Kind == hall.KindStaffSaved && strings.Contains(string(e.Payload), "pin") && !strings.Contains(string(e.Payload), "failed_pins") {
			t.Errorf("staff.saved carries a PIN: %s", e.Payload)
		}
		if strings.Contains(string(e.Payload), "2468") {
			t.Errorf("an event carries the new PIN: %s", e.Payload)
		}
	}
	for _, k := range []hall.Kind{hall.KindHallSaved, hall.KindPolicySet, hall.KindTypeSaved, hall.KindCounterSaved, hall.KindStaffSaved, hall.KindTypeRetired, hall.KindSessionEnded} {
		if !slices.Contains(kinds, k) {
			t.Errorf("no %s event among %v", k, kinds)
		}
	}
	wantChanges := []string{"policy::changed", "hall:DEMO001:changed", "type:ev:added", "type:repair:changed", "counter:6:added",
		"counter:1:changed", "staff:1006:added", "staff:1002:changed", "type:change:retired"}
	if !slices.Equal(changes, wantChanges) {
		t.Errorf("config.changed = %v, want %v", changes, wantChanges)
	}

	h = h.Restart(t)
	cfg, err := h.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Hall != (hall.HallInfo{Code: "DEMO001", Name: "城关供电营业厅（新址）", TimeZone: "Asia/Shanghai"}) {
		t.Errorf("hall after restart = %+v", cfg.Hall)
	}
	if cfg.Policy.MaxPriorityRun != 3 || !slices.Equal(cfg.Policy.OpenHours, []string{"09:00-16:00", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "09:00-16:00"}) {
		t.Errorf("policy after restart = %+v (the rename must not reset it)", cfg.Policy)
	}
	if bt, _ := findType(cfg, "ev"); bt.Name != "充电桩报装" || bt.Prefix != "G" || bt.DailyCap != 30 {
		t.Errorf("new type after restart = %+v", bt)
	}
	if bt, _ := findType(cfg, demo.TypeRepair); bt.Name != "故障报修" {
		t.Errorf("renamed type after restart = %+v", bt)
	}
	if bt, _ := findType(cfg, demo.TypeChange); !bt.Retired {
		t.Errorf("retired type after restart = %+v", bt)
	}
	if c, ok := findCounter(cfg, 6); !ok || c.Name != "6号窗口" || c.State != hall.CounterClosed {
		t.Errorf("counter 6 after restart = %+v", c)
	}
	if c, _ := findCounter(cfg, 1); c.Name != "1号综合窗口" || !slices.Equal(c.Types, []string{demo.TypeFee}) {
		t.Errorf("counter 1 after restart = %+v", c)
	}
	if m, _ := findStaff(cfg, "1002"); m.Name != "王芳芳" || m.Role != hall.RoleDirector || !m.Active {
		t.Errorf("1002 after restart = %+v", m)
	}
	// The new clerk signs in with the PIN the administrator gave; the
	// clerk made a director signs in at a desk with the PIN they had.
	if _, err := h.SignIn(ctx, 6, "1006", "2468"); err != nil {
		t.Errorf("the new clerk cannot sign in: %v", err)
	}
	if _, err := h.SignIn(ctx, 0, "1002", demo.PIN); err != nil {
		t.Errorf("1002 cannot sign in at a desk as a director: %v", err)
	}
}

// Only an administrator changes the configuration: a clerk, a director
// and a made-up token are refused, and nothing is written.
func TestOnlyAnAdminChangesTheConfiguration(t *testing.T) {
	h := halltest.New(t, nil)
	cfg0, _ := h.Config(ctx)
	seq0 := h.LastSeq()
	for _, who := range []struct {
		name string
		tok  hall.Token
		want error
	}{
		{"clerk", h.At(1), hall.ErrNotPermitted},
		{"director", h.At(0), hall.ErrNotPermitted},
		{"nobody", "made-up", hall.ErrNotSignedIn},
	} {
		tok := who.tok
		calls := map[string]func() error{
			"SaveHallInfo": func() error { _, err := h.SaveHallInfo(ctx, tok, hall.HallInfo{Name: "别的名字"}); return err },
			"SavePolicy":   func() error { _, err := h.SavePolicy(ctx, tok, hall.DefaultPolicy()); return err },
			"SaveTypeAs": func() error {
				_, err := h.SaveTypeAs(ctx, tok, hall.BusinessType{Code: "ev", Name: "充电桩", Prefix: "G"})
				return err
			},
			"RetireTypeAs": func() error { _, err := h.RetireTypeAs(ctx, tok, demo.TypeChange); return err },
			"SaveCounterAs": func() error {
				_, err := h.SaveCounterAs(ctx, tok, hall.Counter{No: 9, Name: "9号窗口", Types: []string{demo.TypeFee}})
				return err
			},
			"AddStaffAs": func() error {
				_, err := h.AddStaffAs(ctx, tok, hall.Staff{No: "1009", Name: "新人", Role: hall.RoleAdmin, Active: true}, "1234")
				return err
			},
			"SaveStaffAs": func() error {
				_, err := h.SaveStaffAs(ctx, tok, hall.Staff{No: "1001", Name: "李娜", Role: hall.RoleAdmin, Active: true})
				return err
			},
		}
		for name, call := range calls {
			err := call()
			if !errors.Is(err, who.want) {
				t.Errorf("%s by %s: %v, want %v", name, who.name, err, who.want)
			}
			if who.want == hall.ErrNotPermitted && hall.Message(err) != "只有系统管理员可以修改营业厅设置" {
				t.Errorf("%s by %s says %q", name, who.name, hall.Message(err))
			}
		}
	}
	cfg, _ := h.Config(ctx)
	if !reflect.DeepEqual(cfg, cfg0) || h.LastSeq() != seq0 {
		t.Errorf("refused calls changed the hall: seq %d → %d", seq0, h.LastSeq())
	}
}

// What the configuration cannot use is refused with a Chinese message,
// and nothing is written.
func TestConfigurationRefusalsChangeNothing(t *testing.T) {
	h := halltest.New(t, nil)
	adm := signInAdmin(t, h)
	// A customer waits for 变更用电 (only counters 3 and 4 serve it).
	if _, err := h.Issue(ctx, demo.TypeChange, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SaveCounterAs(ctx, adm, hall.Counter{No: 3, Name: "3号窗口", Types: []string{demo.TypeConnect}}); err != nil {
		t.Fatalf("counter 4 still serves 变更用电: %v", err)
	}
	cfg0, _ := h.Config(ctx)
	seq0 := h.LastSeq()
	seven := func(day6 string) []string {
		return []string{"08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", day6}
	}
	bad := hall.DefaultPolicy()
	bad.OpenHours = seven("9点到4点")
	for _, tc := range []struct {
		name    string
		call    func() error
		want    error
		message string
	}{
		{"a new hall code", func() error {
			_, err := h.SaveHallInfo(ctx, adm, hall.HallInfo{Name: "城关供电营业厅", Code: "HB0999"})
			return err
		}, hall.ErrHallCodeFixed, "营业厅编码"},
		{"a new time zone", func() error {
			_, err := h.SaveHallInfo(ctx, adm, hall.HallInfo{Name: "城关供电营业厅", TimeZone: "Asia/Urumqi"})
			return err
		}, hall.ErrInvalid, "时区"},
		{"an empty hall name", func() error { _, err := h.SaveHallInfo(ctx, adm, hall.HallInfo{Name: "  "}); return err }, hall.ErrInvalid, "营业厅名称"},
		{"bad Saturday hours", func() error { _, err := h.SavePolicy(ctx, adm, bad); return err }, hall.ErrInvalid, "星期六"},
		{"six days of hours", func() error {
			p := hall.DefaultPolicy()
			p.OpenHours = seven("08:30-17:30")[:6]
			_, err := h.SavePolicy(ctx, adm, p)
			return err
		}, hall.ErrInvalid, "逐日"},
		{"a prefix in use", func() error {
			_, err := h.SaveTypeAs(ctx, adm, hall.BusinessType{Code: "ev", Name: "充电桩", Prefix: "A"})
			return err
		}, hall.ErrDuplicatePrefix, "交纳电费"},
		{"a type without a name", func() error {
			_, err := h.SaveTypeAs(ctx, adm, hall.BusinessType{Code: demo.TypeFee, Name: "", Prefix: "A"})
			return err
		}, hall.ErrInvalid, "业务名称"},
		{"retiring a type customers wait for", func() error { _, err := h.RetireTypeAs(ctx, adm, demo.TypeChange); return err }, hall.ErrTypeInUse, "变更用电"},
		{"retiring an unknown type", func() error { _, err := h.RetireTypeAs(ctx, adm, "nosuch"); return err }, hall.ErrUnknownType, "业务类型"},
		{"the last counter of a waiting type", func() error {
			_, err := h.SaveCounterAs(ctx, adm, hall.Counter{No: 4, Name: "4号窗口", Types: []string{demo.TypeConnect}})
			return err
		}, hall.ErrTypeInUse, "变更用电"},
		{"a counter serving nothing", func() error {
			_, err := h.SaveCounterAs(ctx, adm, hall.Counter{No: 7, Name: "7号窗口"})
			return err
		}, hall.ErrInvalid, "至少要办理一种业务"},
		{"counter number 0", func() error {
			_, err := h.SaveCounterAs(ctx, adm, hall.Counter{No: 0, Name: "窗口", Types: []string{demo.TypeFee}})
			return err
		}, hall.ErrInvalid, "窗口号"},
		{"an unknown type at a counter", func() error {
			_, err := h.SaveCounterAs(ctx, adm, hall.Counter{No: 2, Name: "2号窗口", Types: []string{"nosuch"}})
			return err
		}, hall.ErrUnknownType, "nosuch"},
		{"a staff number in use", func() error {
			_, err := h.AddStaffAs(ctx, adm, hall.Staff{No: "1001", Name: "另一个李娜", Role: hall.RoleClerk, Active: true}, "1234")
			return err
		}, hall.ErrStaffExists, "1001"},
		{"a new member without a PIN", func() error {
			_, err := h.AddStaffAs(ctx, adm, hall.Staff{No: "1009", Name: "新人", Role: hall.RoleClerk, Active: true}, "")
			return err
		}, hall.ErrPINFormat, "初始密码"},
		{"a PIN of letters", func() error {
			_, err := h.AddStaffAs(ctx, adm, hall.Staff{No: "1009", Name: "新人", Role: hall.RoleClerk, Active: true}, "abcd")
			return err
		}, hall.ErrPINFormat, "4到12位数字"},
		{"a bad role", func() error {
			_, err := h.AddStaffAs(ctx, adm, hall.Staff{No: "1009", Name: "新人", Role: "boss", Active: true}, "1234")
			return err
		}, hall.ErrInvalid, "岗位"},
		{"an unknown member", func() error {
			_, err := h.SaveStaffAs(ctx, adm, hall.Staff{No: "7777", Name: "谁", Role: hall.RoleClerk, Active: true})
			return err
		}, hall.ErrUnknownStaff, "工号"},
		{"deactivating oneself", func() error {
			_, err := h.SaveStaffAs(ctx, adm, hall.Staff{No: "9001", Name: "系统管理员", Role: hall.RoleAdmin, Active: false})
			return err
		}, hall.ErrOwnAccount, "本人"},
		{"demoting oneself", func() error {
			_, err := h.SaveStaffAs(ctx, adm, hall.Staff{No: "9001", Name: "系统管理员", Role: hall.RoleDirector, Active: true})
			return err
		}, hall.ErrOwnAccount, "本人"},
	} {
		err := tc.call()
		if !errors.Is(err, tc.want) || !strings.Contains(hall.Message(err), tc.message) {
			t.Errorf("%s: %v (%q), want %v saying %q", tc.name, err, hall.Message(err), tc.want, tc.message)
		}
	}
	cfg, _ := h.Config(ctx)
	if !reflect.DeepEqual(cfg, cfg0) || h.LastSeq() != seq0 {
		t.Errorf("refusals changed the hall: seq %d → %d", seq0, h.LastSeq())
	}
	// The administrator may rename themselves.
	if _, err := h.SaveStaffAs(ctx, adm, hall.Staff{No: "9001", Name: "孙涛", Role: hall.RoleAdmin, Active: true}); err != nil {
		t.Errorf("renaming oneself: %v", err)
	}
}

// A retired type is not given to a counter anew, and the hall keeps one
// type in service.
func TestRetiredTypesAndTheLastTypeInService(t *testing.T) {
	cfg := demo.Config()
	cfg.Types = cfg.Types[:2] // 交纳电费, 新装/增容
	cfg.Counters = []hall.Counter{{No: 1, Name: "1号窗口", Types: []string{demo.TypeFee, demo.TypeConnect}, State: hall.CounterOpen}}
	h := halltest.New(t, &cfg)
	adm := signInAdmin(t, h)
	if _, err := h.RetireTypeAs(ctx, adm, demo.TypeConnect); err != nil {
		t.Fatal(err)
	}
	if _, err := h.RetireTypeAs(ctx, adm, demo.TypeConnect); !errors.Is(err, hall.ErrTypeRetired) {
		t.Errorf("retiring twice: %v", err)
	}
	if _, err := h.RetireTypeAs(ctx, adm, demo.TypeFee); !errors.Is(err, hall.ErrInvalid) || !strings.Contains(hall.Message(err), "至少要保留一种") {
		t.Errorf("retiring the last type in service: %v (%q)", err, hall.Message(err))
	}
	// Counter 1 keeps the retired type it had; counter 2 is not given it.
	if _, err := h.SaveCounterAs(ctx, adm, hall.Counter{No: 1, Name: "1号窗口", Types: []string{demo.TypeFee, demo.TypeConnect}}); err != nil {
		t.Errorf("keeping a retired type: %v", err)
	}
	if _, err := h.SaveCounterAs(ctx, adm, hall.Counter{No: 2, Name: "2号窗口", Types: []string{demo.TypeFee, demo.TypeConnect}}); !errors.Is(err, hall.ErrTypeRetired) ||
		!strings.Contains(hall.Message(err), "新装/增容") {
		t.Errorf("a retired type for a new counter: %v (%q)", err, hall.Message(err))
	}
	// Its name may still be corrected, and it stays retired.
	bt, err := h.SaveTypeAs(ctx, adm, hall.BusinessType{Code: demo.TypeConnect, Name: "新装增容", Prefix: "B", Position: 2})
	if err != nil || !bt.Retired {
		t.Errorf("renaming a retired type = %+v, %v", bt, err)
	}
}

// A member of staff deactivated or given another role is signed out
// everywhere and, deactivated, cannot sign in again.
func TestDeactivatedOrMovedStaffAreSignedOut(t *testing.T) {
	h := halltest.New(t, nil)
	adm := signInAdmin(t, h)
	if _, err := h.SaveStaffAs(ctx, adm, hall.Staff{No: "1001", Name: "李娜", Role: hall.RoleClerk, Active: false}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.CallNext(ctx, h.At(1)); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Errorf("a deactivated clerk's session acts: %v", err)
	}
	if _, err := h.SignIn(ctx, 1, "1001", demo.PIN); !errors.Is(err, hall.ErrBadPIN) {
		t.Errorf("a deactivated clerk signs in: %v", err)
	}
	if _, err := h.SaveStaffAs(ctx, adm, hall.Staff{No: "2001", Name: "赵敏", Role: hall.RoleClerk, Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Session(ctx, h.At(0)); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Errorf("the director made a clerk is still signed in at the desk: %v", err)
	}
	if _, err := h.SignIn(ctx, 0, "2001", demo.PIN); !errors.Is(err, hall.ErrDeskForbidden) {
		t.Errorf("a clerk at the desk: %v", err)
	}
	// Reactivated, the clerk signs in with the PIN they had; a renamed
	// clerk stays signed in.
	if _, err := h.SaveStaffAs(ctx, adm, hall.Staff{No: "1001", Name: "李娜", Role: hall.RoleClerk, Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SignIn(ctx, 1, "1001", demo.PIN); err != nil {
		t.Errorf("the reactivated clerk: %v", err)
	}
	if _, err := h.SaveStaffAs(ctx, adm, hall.Staff{No: "1002", Name: "王芳（二）", Role: hall.RoleClerk, Active: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Session(ctx, h.At(2)); err != nil {
		t.Errorf("a renamed clerk was signed out: %v", err)
	}
}

// A director resets and unlocks clerks and directors, never an
// administrator: that would let them sign in as the administrator and take
// over the configuration. A PIN reset by someone else signs its owner out.
func TestADirectorCannotTakeOverAnAdministrator(t *testing.T) {
	h := halltest.New(t, nil)
	dir := h.At(0) // the duty director 2001 at the desk
	adm := signInAdmin(t, h)
	if err := h.SetPIN(ctx, dir, "9001", "999999"); !errors.Is(err, hall.ErrNotPermitted) || !strings.Contains(hall.Message(err), "系统管理员") {
		t.Fatalf("a director resets the administrator's PIN: %v", err)
	}
	if _, err := h.SignIn(ctx, 0, "9001", "999999"); !errors.Is(err, hall.ErrBadPIN) {
		t.Fatalf("the refused PIN signs in: %v", err)
	}
	// An administrator resets their own PIN and stays signed in.
	if err := h.SetPIN(ctx, adm, "9001", "864200"); err != nil {
		t.Fatalf("the administrator's own PIN: %v", err)
	}
	if _, err := h.Session(ctx, adm); err != nil {
		t.Errorf("a PIN changed by its owner signed them out: %v", err)
	}
	// Lock the administrator out with wrong PINs; the director cannot lift it.
	for range 5 {
		_, _ = h.SignIn(ctx, 0, "9001", "000000")
	}
	if err := h.UnlockStaff(ctx, dir, "9001"); !errors.Is(err, hall.ErrNotPermitted) {
		t.Errorf("a director unlocks the administrator: %v", err)
	}
	// The director still manages a clerk, and the clerk's session ends.
	if err := h.SetPIN(ctx, dir, "1001", "135790"); err != nil {
		t.Fatalf("a director resets a clerk's PIN: %v", err)
	}
	if _, err := h.CallNext(ctx, h.At(1)); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Errorf("the clerk's session outlived the PIN reset: %v", err)
	}
	if _, err := h.SignIn(ctx, 1, "1001", "135790"); err != nil {
		t.Errorf("the clerk's new PIN: %v", err)
	}
}
