package hqsync

import (
	"testing"
	"time"
)

func TestBackoffIsFullJitterCappedAndHonoursRetryAfter(t *testing.T) {
	c := &Client{opt: Options{BackoffBase: 2 * time.Second, BackoffMax: 10 * time.Minute}}
	for n := 1; n <= 40; n++ {
		ceil := min(10*time.Minute, 2*time.Second<<min(n-1, 20))
		var most time.Duration
		for range 200 {
			d := c.backoff(n, nil)
			if d < 0 || d > ceil {
				t.Fatalf("failure %d: wait %v outside [0, %v]", n, d, ceil)
			}
			most = max(most, d)
		}
		if most < ceil/4 {
			t.Fatalf("failure %d: 200 waits all under %v: not spread up to %v", n, most, ceil)
		}
	}
	err := &Error{Kind: KindServer, RetryAfter: 90 * time.Second}
	if d := c.backoff(1, err); d < 90*time.Second {
		t.Fatalf("wait %v under HQ's Retry-After of 90 s", d)
	}
	err.RetryAfter = time.Hour
	if d := c.backoff(1, err); d != 10*time.Minute {
		t.Fatalf("wait %v, want Retry-After capped at 10 min", d)
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{"Tue, 01 Dec 2026 08:00:30 GMT", 30 * time.Second, true},
		{"Tue, 01 Dec 2026 07:00:00 GMT", 0, true},
		{"soon", 0, false},
		{"-3", 0, false},
	}
	for _, tt := range tests {
		h := map[string][]string{"Retry-After": {tt.v}}
		if got, ok := retryAfter(h, now); got != tt.want || ok != tt.ok {
			t.Errorf("Retry-After %q = %v %v, want %v %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}
