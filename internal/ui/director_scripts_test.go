package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// typeRow is the tab's row of a business type.
func (v *scriptsView) typeRow(t *testing.T, code string) *typeScriptRow {
	t.Helper()
	for _, r := range v.types {
		if r.code == code {
			return r
		}
	}
	t.Fatalf("no row for %s", code)
	return nil
}

// entryOf is the entry of the phrase named name.
func (v *scriptsView) entryOf(t *testing.T, name string) int {
	t.Helper()
	for i, p := range scriptPhrases {
		if p.name == name {
			return i
		}
	}
	t.Fatalf("no phrase %s", name)
	return -1
}

func TestDirectorEditsTheScripts(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	v := d.scripts
	def := hall.DefaultScripts()
	greet := v.entries[v.entryOf(t, "问候语")]
	if greet.Text != def.Greeting || len(v.types) != len(demo.DefaultTypes()) {
		t.Fatalf("read at sign-in: greeting %q, %d type rows", greet.Text, len(v.types))
	}
	if got := v.typeRow(t, demo.TypeConnect).materials.Text; got != strings.Join(def.Materials[demo.TypeConnect], "\n") {
		t.Fatalf("新装 materials %q", got)
	}

	// A reload of the desk keeps what the director is typing.
	greet.SetText("您好，欢迎光临！请坐。")
	d.reload()
	if greet.Text != "您好，欢迎光临！请坐。" {
		t.Fatalf("a reload replaced the typing: %q", greet.Text)
	}

	fee := v.typeRow(t, demo.TypeFee)
	fee.materials.SetText("电费通知单\n\n  缴费卡  \n")
	consult := v.typeRow(t, demo.TypeConsult)
	consult.refusal.SetText("这项业务请到供电所办理，我给您写下地址。")
	test.Tap(v.save)
	sc, err := h.Scripts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Greeting != "您好，欢迎光临！请坐。" || strings.Join(sc.Materials[demo.TypeFee], "|") != "电费通知单|缴费卡" ||
		sc.RefusalByType[demo.TypeConsult] != "这项业务请到供电所办理，我给您写下地址。" || sc.Farewell != def.Farewell {
		t.Fatalf("saved %+v", sc)
	}
	if !strings.Contains(d.statusLine.Text, "服务话术已保存") {
		t.Errorf("status %q", d.statusLine.Text)
	}
	if n := len(eventsOf(t, h, hall.KindScriptsSaved)); n != 1 {
		t.Errorf("%d scripts.saved events, want 1", n)
	}

	// A phrase without its placeholder is refused with the hall's reason;
	// nothing is saved.
	v.entries[v.entryOf(t, "收资料用语")].SetText("收到您的资料。")
	test.Tap(v.save)
	if got := d.statusLine.Text; got != "收资料用语须包含{item}" {
		t.Errorf("status %q, want the hall's refusal", got)
	}
	if again, _ := h.Scripts(ctx); again.Receive != def.Receive {
		t.Errorf("a refused save changed the hall's scripts: %q", again.Receive)
	}

	// 填入默认话术 fills the defaults in; 重新读取 shows the hall's again.
	test.Tap(v.reread)
	if greet.Text != "您好，欢迎光临！请坐。" || v.entries[v.entryOf(t, "收资料用语")].Text != def.Receive {
		t.Errorf("after 重新读取: greeting %q", greet.Text)
	}
	test.Tap(v.reset)
	if greet.Text != def.Greeting {
		t.Errorf("after 填入默认话术: greeting %q", greet.Text)
	}
}

func TestDirectorScriptsTabInEnglish(t *testing.T) {
	inEnglish(t)
	h := halltest.New(t, nil)
	d, _ := signedInDirector(t, h)
	v, _ := deskTab[*scriptsView](t, d)
	def := hall.DefaultScripts()
	data := []string{def.Greeting, def.GreetReminder, def.Apology, def.Receive, def.Return, def.CashReceived,
		def.CashChange, def.Refusal, def.Escalation, def.ProxyConfirm, def.Farewell}
	for _, r := range def.RefusalByType {
		data = append(data, r)
	}
	for _, m := range def.Materials {
		data = append(data, m...)
	}
	// Longer texts first: one may contain another (原户主身份证明, 户主身份证).
	slices.SortFunc(data, func(a, b string) int { return len(b) - len(a) })
	assertEnglish(t, "the scripts tab", v.content, data...)
	assertFits(t, "the scripts tab", v.content)
}
