package ui

import (
	"context"
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// The administrator changes two service rules; they are saved with the
// hours in one SavePolicy and the others stay as they were.
func TestAdminSavesServiceRules(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	// A threshold that is not a whole number of minutes survives the form.
	p0 := mustConfig(t, h).Policy
	p0.ApologyAfterService = 90 * time.Second
	if err := h.SetPolicy(ctx, p0); err != nil {
		t.Fatal(err)
	}
	a, _ := signedInAdmin(t, h, nil)
	for _, c := range []struct{ name, got, want string }{
		{"priority run", a.priorityRun.Text, "2"},
		{"recalls", a.noShowRecalls.Text, "2"},
		{"apology after service", a.apologyService.Text, "1.5"},
		{"apology after wait", a.apologyWait.Text, "20"},
		{"rating window", a.ratingWindow.Text, "0"},
	} {
		if c.got != c.want {
			t.Errorf("%s shows %q, want %q", c.name, c.got, c.want)
		}
	}
	if !a.allowRequeue.Checked {
		t.Error("requeue shown as not allowed")
	}
	seq0 := len(eventsOf(t, h, hall.KindPolicySet))

	a.priorityRun.SetText("3")
	a.apologyWait.SetText(" 30 ")
	test.Tap(a.savePolicyBtn)
	got := mustConfig(t, h).Policy
	want := p0
	want.MaxPriorityRun, want.ApologyAfterWait = 3, 30*time.Minute
	want.OpenHours = got.OpenHours
	if !reflect.DeepEqual(got, want) {
		t.Errorf("saved policy %+v, want %+v (status %q)", got, want, a.statusLine.Text)
	}
	if len(got.OpenHours) != 0 {
		t.Errorf("hours %v turned on by saving the rules of a hall without any", got.OpenHours)
	}
	if a.statusLine.Text != "营业时间和服务规则已保存" || a.apologyWait.Text != "30" {
		t.Errorf("status %q, wait shows %q", a.statusLine.Text, a.apologyWait.Text)
	}
	if n := len(eventsOf(t, h, hall.KindPolicySet)) - seq0; n != 1 {
		t.Errorf("%d policy events, want one for hours and rules", n)
	}

	// Requeues turned off, and a rating window in seconds.
	a.allowRequeue.SetChecked(false)
	a.ratingWindow.SetText("90")
	test.Tap(a.savePolicyBtn)
	got = mustConfig(t, h).Policy
	if got.AllowRequeue || got.RatingWindow != 90*time.Second || got.MaxPriorityRun != 3 {
		t.Errorf("after the second save: %+v (status %q)", got, a.statusLine.Text)
	}
}

// A rule the hall refuses shows its message and nothing is saved, the
// hours typed with it neither; a field that is not a number never reaches
// the hall.
func TestAdminServiceRulesRefused(t *testing.T) {
	h := halltest.New(t, nil)
	a, _ := signedInAdmin(t, h, nil)
	cfg0, seq0 := mustConfig(t, h), h.LastSeq()

	a.hours[6].SetText("09:00-16:00")
	a.priorityRun.SetText("0")
	test.Tap(a.savePolicyBtn)
	if got, want := a.statusLine.Text, "连续优先呼叫次数须在1到20之间"; got != want {
		t.Errorf("a priority run of 0 shows %q, want %q", got, want)
	}
	if a.priorityRun.Text != "0" {
		t.Errorf("the refused value was replaced by %q", a.priorityRun.Text)
	}
	a.priorityRun.SetText("2")
	a.apologyService.SetText("0")
	test.Tap(a.savePolicyBtn)
	if got, want := a.statusLine.Text, "致歉时长须大于零"; got != want {
		t.Errorf("an apology threshold of 0 shows %q, want %q", got, want)
	}
	a.apologyService.SetText("十五")
	test.Tap(a.savePolicyBtn)
	if got, want := a.statusLine.Text, "「办理超时致歉」须填写分钟数"; got != want {
		t.Errorf("minutes in words show %q, want %q", got, want)
	}
	a.apologyService.SetText("15")
	a.noShowRecalls.SetText("2.5")
	test.Tap(a.savePolicyBtn)
	if got, want := a.statusLine.Text, "「过号前须重呼」须填写整数"; got != want {
		t.Errorf("a fraction of a recall shows %q, want %q", got, want)
	}
	if cfg := mustConfig(t, h); !reflect.DeepEqual(cfg, cfg0) || h.LastSeq() != seq0 {
		t.Errorf("refused rules changed the hall: policy %+v, seq %d → %d", cfg.Policy, seq0, h.LastSeq())
	}
}

// The service rules and a refusal in English.
func TestAdminServiceRulesInEnglish(t *testing.T) {
	inEnglish(t)
	h := halltest.New(t, nil)
	a, _ := signedInAdmin(t, h, nil)
	cfg := mustConfig(t, h)
	tab := a.tabs.Items[0]
	if tab.Text != "Hall" {
		t.Errorf("first tab %q", tab.Text)
	}
	if bad := chineseShown(tab.Content, cfg.Hall.Name); len(bad) > 0 {
		t.Errorf("hall tab shows Chinese: %q", bad)
	}
	texts := shownTexts(tab.Content)
	for _, want := range []string{"Service rules", "Priority calls in a row", "min", "Save opening hours and service rules"} {
		found := false
		for _, s := range texts {
			found = found || s == want
		}
		if !found {
			t.Errorf("hall tab lacks %q", want)
		}
	}
	a.noShowRecalls.SetText("11")
	test.Tap(a.savePolicyBtn)
	if bad := chineseShown(a.statusLine); len(bad) > 0 || a.statusLine.Text == "" {
		t.Errorf("the refusal shows %q", a.statusLine.Text)
	}
	a.noShowRecalls.SetText("x")
	test.Tap(a.savePolicyBtn)
	if got, want := a.statusLine.Text, "\"Recalls before a no-show\" must be a whole number"; got != want {
		t.Errorf("a word for recalls shows %q, want %q", got, want)
	}
}

// Saving a rule in a hall without opening hours keeps it without: the
// kiosk goes on issuing at any time. Hours come and go with their tick.
func TestAdminRulesDoNotTurnHoursOn(t *testing.T) {
	h := halltest.New(t, nil)
	a, _ := signedInAdmin(t, h, nil)
	a.allowRequeue.SetChecked(false)
	test.Tap(a.savePolicyBtn)
	cfg := mustConfig(t, h)
	if cfg.Policy.AllowRequeue || len(cfg.Policy.OpenHours) != 0 {
		t.Fatalf("after saving a rule: requeue %v, hours %v (status %q)", cfg.Policy.AllowRequeue, cfg.Policy.OpenHours, a.statusLine.Text)
	}
	a.hoursOn.SetChecked(true)
	test.Tap(a.savePolicyBtn)
	if cfg := mustConfig(t, h); len(cfg.Policy.OpenHours) != 7 {
		t.Fatalf("ticked: hours %v", cfg.Policy.OpenHours)
	}
	a.hoursOn.SetChecked(false)
	test.Tap(a.savePolicyBtn)
	if cfg := mustConfig(t, h); len(cfg.Policy.OpenHours) != 0 || a.hoursOn.Checked {
		t.Fatalf("unticked: hours %v, box %v", cfg.Policy.OpenHours, a.hoursOn.Checked)
	}
}
