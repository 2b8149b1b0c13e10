package lan_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/lan"
)

// BenchmarkTwentyCountersOverTheLAN: 20 counters call, start and finish
// continuously against one hall node on loopback, each from its own paired
// client with its own live stream. Reported: calls_per_s; p99_push_ms, the
// time from a call's request to the last of the 20 streams having its
// event (goal p99 under 200 ms); lost_events, calls some stream never
// delivered (goal 0).
func BenchmarkTwentyCountersOverTheLAN(b *testing.B) {
	const counters = 20
	cfg := demo.Config()
	cfg.Counters, cfg.Staff = nil, cfg.Staff[5:] // keep the director and the admin
	for no := 1; no <= counters; no++ {
		cfg.Counters = append(cfg.Counters, hall.Counter{No: no, Name: fmt.Sprintf("%d号窗口", no), Types: []string{demo.TypeFee}, State: hall.CounterOpen})
		cfg.Staff = append(cfg.Staff, hall.Staff{No: fmt.Sprintf("3%03d", no), Name: fmt.Sprintf("营业员%d", no), Role: hall.RoleClerk, Active: true, PIN: demo.PIN})
	}
	h := halltest.New(b, &cfg)
	n := newNode(b, h)
	ctx := context.Background()
	b.StopTimer()
	for range b.N {
		if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
			b.Fatal(err)
		}
	}
	o, err := h.Overview(ctx)
	if err != nil {
		b.Fatal(err)
	}
	type pc struct {
		c   *lan.Client
		tok hall.Token
	}
	pcs := make([]pc, counters)
	for i := range pcs {
		c := n.pairB(b, fmt.Sprintf("%d号窗口", i+1))
		s, err := c.SignIn(ctx, i+1, fmt.Sprintf("3%03d", i+1), demo.PIN)
		if err != nil {
			b.Fatal(err)
		}
		pcs[i] = pc{c, s.Token}
	}
	// Every PC's stream: when each call event arrived.
	var (
		mu       sync.Mutex
		sent     = map[string]time.Time{} // ticket number → call request time
		arrivals = map[string][]time.Time{}
	)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var streams sync.WaitGroup
	for i := range pcs {
		events, err := pcs[i].c.Subscribe(sctx, o.LastSeq)
		if err != nil {
			b.Fatal(err)
		}
		streams.Add(1)
		go func() {
			defer streams.Done()
			for e := range events {
				if e.Kind != hall.KindTicketCalled {
					continue
				}
				now := time.Now()
				var p hall.TicketEvent
				if e.Decode(&p) == nil {
					mu.Lock()
					arrivals[p.Ticket.Number] = append(arrivals[p.Ticket.Number], now)
					mu.Unlock()
				}
			}
		}()
	}
	var calls atomic.Int64
	var wg sync.WaitGroup
	b.StartTimer()
	start := time.Now()
	for i := range pcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := pcs[i]
			for calls.Add(1) <= int64(b.N) {
				t0 := time.Now()
				c, err := p.c.CallNext(ctx, p.tok)
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				sent[c.Ticket.Number] = t0
				mu.Unlock()
				if _, err := p.c.Start(ctx, p.tok); err != nil {
					b.Error(err)
					return
				}
				if _, err := p.c.Finish(ctx, p.tok); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	// Let the streams drain: every call should reach every PC.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		done := 0
		for num := range sent {
			if len(arrivals[num]) >= counters {
				done++
			}
		}
		all := done == len(sent)
		mu.Unlock()
		if all {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	streams.Wait()
	var lat []time.Duration
	lost := 0
	for num, t0 := range sent {
		a := arrivals[num]
		lost += counters - min(len(a), counters)
		if len(a) == 0 {
			continue
		}
		last := a[0]
		for _, x := range a {
			if x.After(last) {
				last = x
			}
		}
		lat = append(lat, last.Sub(t0))
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[(99*len(lat)+99)/100-1].Microseconds())/1000, "p99_push_ms")
	}
	b.ReportMetric(float64(len(sent))/elapsed.Seconds(), "calls_per_s")
	b.ReportMetric(float64(lost), "lost_events")
	b.ReportMetric(0, "ns/op")
}

func (n *node) pairB(b *testing.B, name string) *lan.Client {
	b.Helper()
	code, _ := n.srv.PairingCode()
	p, err := lan.Pair(context.Background(), n.web.URL, code, name)
	if err != nil {
		b.Fatal(err)
	}
	return lan.NewClient(n.web.URL, p.Credential, lan.ClientOptions{})
}
