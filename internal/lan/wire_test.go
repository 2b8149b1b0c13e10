package lan_test

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// A hall error whose message is built from a format crosses the LAN
// intact: code, Chinese message, detail, and the format and arguments a
// window in another language translates.
func TestATypedErrorWithArgumentsCrossesTheWireIntact(t *testing.T) {
	local := halltest.New(t, nil)
	n := newNode(t, halltest.New(t, nil))
	remote := n.pair(t, "1号窗口")

	// The same steps in-process and over the LAN give the same errors.
	steps := []struct {
		name string
		do   func(svc hall.Service) error
		key  string
		args []string
	}{
		{
			name: "a wrong PIN",
			do: func(svc hall.Service) error {
				_, err := svc.SignIn(ctx, 1, "1001", "000000")
				return err
			},
			key:  "%s，还可以再试%s次",
			args: []string{hall.ErrBadPIN.Message, strconv.Itoa(hall.MaxPINFailures - 1)},
		},
		{
			name: "calling at a paused counter",
			do: func(svc hall.Service) error {
				s, err := svc.SignIn(ctx, 1, "1002", demo.PIN)
				if err != nil {
					return err
				}
				if _, err := svc.SetCounterState(ctx, s.Token, 1, hall.CounterPaused); err != nil {
					return err
				}
				_, err = svc.CallNext(ctx, s.Token)
				return err
			},
			key:  "%s未开放（%s），不能呼叫",
			args: []string{"1号窗口", hall.CounterPaused.Label()},
		},
		{
			name: "a fixed message",
			do: func(svc hall.Service) error {
				_, err := svc.Issue(ctx, "no_such_type", hall.Normal)
				return err
			},
		},
	}
	// tr marks what it was asked to translate.
	tr := func(zh string) string { return "<" + zh + ">" }
	for _, s := range steps {
		lerr, rerr := s.do(local), s.do(remote)
		var le, re *hall.Error
		if !errors.As(lerr, &le) || !errors.As(rerr, &re) {
			t.Fatalf("%s: in-process %v, over the LAN %v; want hall errors", s.name, lerr, rerr)
		}
		if !reflect.DeepEqual(le, re) {
			t.Errorf("%s: over the LAN %#v, in-process %#v", s.name, re, le)
		}
		if re.Key != s.key || !slices.Equal(re.Args, s.args) {
			t.Errorf("%s: key %q args %q over the LAN, want %q %q", s.name, re.Key, re.Args, s.key, s.args)
		}
		if hall.Message(rerr) != le.Message || le.Message == "" {
			t.Errorf("%s: message %q over the LAN, %q in-process", s.name, hall.Message(rerr), le.Message)
		}
		// A translation sees the format and each argument.
		want := "<" + le.Message + ">"
		if s.key != "" {
			want = "<" + s.key + ">"
			for _, a := range s.args {
				want = strings.Replace(want, "%s", "<"+a+">", 1)
			}
		}
		if got := hall.MessageIn(rerr, tr); got != want {
			t.Errorf("%s: MessageIn over the LAN = %q, want %q", s.name, got, want)
		}
	}
}
