package hall_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// Opening hours are part of the policy: seven days or none, each
// "HH:MM-HH:MM", kept across a restart.
func TestOpeningHours(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	p := hall.DefaultPolicy()
	for _, c := range []struct {
		hours []string
		want  string
	}{
		{[]string{"08:30-17:30"}, "逐日"},
		{[]string{"08:30-17:30", "08:30-17:30", "08:30-17:30", "x", "08:30-17:30", "08:30-17:30", "08:30-17:30"}, "星期三"},
		{[]string{"08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "18:00-09:00"}, "星期六"},
	} {
		p.OpenHours = c.hours
		err := h.SetPolicy(ctx, p)
		if !errors.Is(err, hall.ErrInvalid) || !strings.Contains(hall.Message(err), c.want) {
			t.Errorf("hours %v: %v (%q), want ErrInvalid naming %s", c.hours, err, hall.Message(err), c.want)
		}
	}
	p.OpenHours = []string{"09:00-16:00", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "09:00-16:00"}
	if err := h.SetPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	h = h.Restart(t)
	cfg, err := h.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Policy.OpenHours, p.OpenHours) {
		t.Errorf("after restart: %v, want %v", cfg.Policy.OpenHours, p.OpenHours)
	}
}
