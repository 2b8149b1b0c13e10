package hall

import (
	"errors"
	"fmt"
	"testing"
)

func TestAMessageBuiltFromAFormatKeepsItsKeyAndArguments(t *testing.T) {
	args := []string{"3"}
	e := ErrInvalid.WithMessagef("%s号窗口重复填写", args, "counter %d twice", 3)
	args[0] = "changed"
	if e.Message != "3号窗口重复填写" || e.Key != "%s号窗口重复填写" || len(e.Args) != 1 || e.Args[0] != "3" || e.Detail != "counter 3 twice" {
		t.Fatalf("%#v", e)
	}
	if !errors.Is(e, ErrInvalid) || errors.Is(e, ErrStore) || Message(e) != e.Message {
		t.Fatalf("%v: Is or Message broken", e)
	}
	// A fixed message replaces the format.
	if f := e.WithMessage("输入有误", "x"); f.Key != "" || f.Args != nil || f.Message != "输入有误" {
		t.Fatalf("%#v", f)
	}
}

func TestMessageInTranslatesTheFormatAndItsArguments(t *testing.T) {
	en := map[string]string{
		"%s未开放（%s），不能呼叫": "%s is not open (%s) and cannot call",
		"暂停":             "Paused",
		"没有这个窗口":         "No such counter",
		genericMessage:   "The operation failed",
	}
	tr := func(zh string) string {
		if s, ok := en[zh]; ok {
			return s
		}
		return zh
	}
	keyed := ErrCounterNotOpen.WithMessagef("%s未开放（%s），不能呼叫", []string{"Counter 1", "暂停"}, "counter 1 is paused")
	for _, c := range []struct {
		err      error
		zh, want string
	}{
		{keyed, "Counter 1未开放（暂停），不能呼叫", "Counter 1 is not open (Paused) and cannot call"},
		{fmt.Errorf("wrapped: %w", keyed), "Counter 1未开放（暂停），不能呼叫", "Counter 1 is not open (Paused) and cannot call"},
		{ErrUnknownCounter, "没有这个窗口", "No such counter"},
		{ErrUnknownStaff, "没有这个工号", "没有这个工号"}, // outside the catalogue: Chinese
		{errors.New("boom"), genericMessage, "The operation failed"},
		{nil, "", ""},
	} {
		if got := MessageIn(c.err, tr); got != c.want {
			t.Errorf("MessageIn(%v) = %q, want %q", c.err, got, c.want)
		}
		if got := MessageIn(c.err, func(s string) string { return s }); got != c.zh || got != Message(c.err) {
			t.Errorf("MessageIn(%v) untranslated = %q, Message %q, want %q", c.err, got, Message(c.err), c.zh)
		}
	}
}
