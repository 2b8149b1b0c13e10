package hall_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

var ctx = context.Background()

const clerk1, clerk3 = "1001", "1003"

func mustIssue(t *testing.T, h *halltest.Hall, typ string, p hall.Priority) hall.Ticket {
	t.Helper()
	tk, err := h.Issue(ctx, typ, p)
	if err != nil {
		t.Fatalf("issue %s: %v", typ, err)
	}
	return tk
}

func mustCall(t *testing.T, h *halltest.Hall, counter int) hall.Call {
	t.Helper()
	c, err := h.CallNext(ctx, h.At(counter))
	if err != nil {
		t.Fatalf("call next at %d: %v", counter, err)
	}
	return c
}

func TestNumbersPerPrefixPerDayResetAtLocalMidnight(t *testing.T) {
	h := halltest.New(t, nil)
	var got []string
	for _, typ := range []string{demo.TypeFee, demo.TypeFee, demo.TypeConnect, demo.TypeFee} {
		got = append(got, mustIssue(t, h, typ, hall.Normal).Number)
	}
	if want := []string{"A001", "A002", "B001", "A003"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("numbers = %v, want %v", got, want)
	}
	// 23:59:59 Shanghai is still the same day.
	h.Clock.Set(time.Date(2026, 11, 27, 23, 59, 59, 0, halltest.Shanghai(t)))
	if n := mustIssue(t, h, demo.TypeFee, hall.Normal).Number; n != "A004" {
		t.Fatalf("before midnight got %s, want A004", n)
	}
	// 00:00 Shanghai is 16:00 UTC: a new day, numbers start again.
	h.Clock.Set(time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC))
	tk := mustIssue(t, h, demo.TypeFee, hall.Normal)
	if tk.Number != "A001" || tk.Day != "2026-11-28" {
		t.Fatalf("after midnight got %s on %s, want A001 on 2026-11-28", tk.Number, tk.Day)
	}
	ov, err := h.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Waiting != 1 {
		t.Fatalf("waiting after midnight = %d, want 1 (yesterday's tickets end 未办结)", ov.Waiting)
	}
}

func TestPriorityIsBoundedSoNormalTicketsAreNotStarved(t *testing.T) {
	for _, maxRun := range []int{1, 2, 3} {
		t.Run("max"+string(rune('0'+maxRun)), func(t *testing.T) {
			h := halltest.New(t, nil)
			p := hall.DefaultPolicy()
			p.MaxPriorityRun = maxRun
			if err := h.SetPolicy(ctx, p); err != nil {
				t.Fatal(err)
			}
			// Two normal tickets first, then six priority tickets.
			mustIssue(t, h, demo.TypeFee, hall.Normal)
			mustIssue(t, h, demo.TypeFee, hall.Normal)
			for i := 0; i < 6; i++ {
				pr := hall.Elderly
				if i%2 == 1 {
					pr = hall.Disabled
				}
				mustIssue(t, h, demo.TypeFee, pr)
			}
			var classes []bool
			for i := 0; i < 8; i++ {
				c := mustCall(t, h, 1)
				classes = append(classes, c.Ticket.Priority.IsPriority())
				if _, err := h.Start(ctx, h.At(1)); err != nil {
					t.Fatal(err)
				}
				if _, err := h.Finish(ctx, h.At(1)); err != nil {
					t.Fatal(err)
				}
			}
			// Expected: maxRun priority, one normal, maxRun priority, one normal, rest priority.
			var want []bool
			prio, norm := 6, 2
			for len(want) < 8 {
				for i := 0; i < maxRun && prio > 0; i++ {
					want = append(want, true)
					prio--
				}
				if norm > 0 {
					want = append(want, false)
					norm--
				}
			}
			if !reflect.DeepEqual(classes, want) {
				t.Fatalf("priority sequence = %v, want %v", classes, want)
			}
		})
	}
}

func TestCounterCallsOnlyItsTypesFirstComeFirstServed(t *testing.T) {
	h := halltest.New(t, nil)
	b1 := mustIssue(t, h, demo.TypeConnect, hall.Normal) // counter 3 serves it, counter 1 does not
	a1 := mustIssue(t, h, demo.TypeFee, hall.Normal)
	d1 := mustIssue(t, h, demo.TypeConsult, hall.Normal)
	if c := mustCall(t, h, 1); c.Ticket.ID != a1.ID {
		t.Fatalf("counter 1 called %s, want %s", c.Ticket.Number, a1.Number)
	}
	if c := mustCall(t, h, 3); c.Ticket.ID != b1.ID {
		t.Fatalf("counter 3 called %s, want %s", c.Ticket.Number, b1.Number)
	}
	if c := mustCall(t, h, 4); c.Ticket.ID != d1.ID {
		t.Fatalf("counter 4 called %s, want %s", c.Ticket.Number, d1.Number)
	}
	if _, err := h.CallNext(ctx, h.At(2)); !errors.Is(err, hall.ErrNothingWaiting) {
		t.Fatalf("counter 2 with nothing of its types: err = %v, want ErrNothingWaiting", err)
	}
}

func TestIllegalStepsAreTypedErrorsAndChangeNothing(t *testing.T) {
	h := halltest.New(t, nil)
	tk := mustIssue(t, h, demo.TypeFee, hall.Normal)
	if _, err := h.SetCounterState(ctx, h.At(0), 2, hall.CounterClosed); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SetCounterState(ctx, h.At(0), 5, hall.CounterPaused); err != nil {
		t.Fatal(err)
	}
	mustCall(t, h, 1) // counter 1 now has A001 called
	tests := []struct {
		name string
		op   func() error
		want error
	}{
		{"unknown type", func() error { _, err := h.Issue(ctx, "nope", hall.Normal); return err }, hall.ErrUnknownType},
		{"bad priority", func() error { _, err := h.Issue(ctx, demo.TypeFee, 7); return err }, hall.ErrInvalidPriority},
		{"closed counter", func() error { _, err := h.CallNext(ctx, h.At(2)); return err }, hall.ErrCounterNotOpen},
		{"paused counter", func() error { _, err := h.CallNext(ctx, h.At(5)); return err }, hall.ErrCounterNotOpen},
		{"no session", func() error { _, err := h.CallNext(ctx, ""); return err }, hall.ErrNotSignedIn},
		{"forged token", func() error { _, err := h.CallNext(ctx, "forged"); return err }, hall.ErrNotSignedIn},
		{"director's desk cannot call", func() error { _, err := h.CallNext(ctx, h.At(0)); return err }, hall.ErrDeskForbidden},
		{"clerk closes another counter", func() error { _, err := h.SetCounterState(ctx, h.At(3), 4, hall.CounterClosed); return err }, hall.ErrWrongCounter},
		{"clerk closes the day", func() error { _, err := h.CloseDay(ctx, h.At(3)); return err }, hall.ErrNotPermitted},
		{"busy counter", func() error { _, err := h.CallNext(ctx, h.At(1)); return err }, hall.ErrCounterBusy},
		{"nothing waiting", func() error { _, err := h.CallNext(ctx, h.At(3)); return err }, hall.ErrNothingWaiting},
		{"finish before start", func() error { _, err := h.Finish(ctx, h.At(1)); return err }, hall.ErrNotServing},
		{"no-show before recalls", func() error { _, err := h.NoShow(ctx, h.At(1)); return err }, hall.ErrRecallFirst},
		{"recall with nobody called", func() error { _, err := h.Recall(ctx, h.At(3)); return err }, hall.ErrNoCurrentTicket},
		{"start with nobody called", func() error { _, err := h.Start(ctx, h.At(3)); return err }, hall.ErrNoCurrentTicket},
		{"cancel a called ticket", func() error { _, err := h.Cancel(ctx, h.At(0), tk.ID); return err }, hall.ErrNotWaiting},
		{"requeue a called ticket", func() error { _, err := h.Requeue(ctx, h.At(0), tk.ID); return err }, hall.ErrNotNoShow},
		{"cancel unknown ticket", func() error { _, err := h.Cancel(ctx, h.At(0), "x"); return err }, hall.ErrUnknownTicket},
		{"close a busy counter", func() error { _, err := h.SetCounterState(ctx, h.At(0), 1, hall.CounterClosed); return err }, hall.ErrCounterBusy},
		{"transfer nowhere", func() error { _, err := h.Transfer(ctx, h.At(1), hall.TransferTarget{}); return err }, hall.ErrInvalid},
		{"transfer to own counter", func() error {
			_, err := h.Transfer(ctx, h.At(1), hall.TransferTarget{Counter: 1})
			return err
		}, hall.ErrInvalid},
		{"transfer to closed counter", func() error {
			_, err := h.Transfer(ctx, h.At(1), hall.TransferTarget{Counter: 2})
			return err
		}, hall.ErrCounterNotOpen},
		{"bad policy", func() error { return h.SetPolicy(ctx, hall.Policy{}) }, hall.ErrInvalid},
		{"duplicate prefix", func() error {
			_, err := h.SaveType(ctx, hall.BusinessType{Code: "x", Name: "新业务", Prefix: "A"})
			return err
		}, hall.ErrDuplicatePrefix},
		{"setup twice", func() error { return h.Setup(ctx, demo.Config()) }, hall.ErrAlreadyConfigured},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := h.Overview(ctx)
			seq := h.LastSeq()
			err := tt.op()
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if hall.Message(err) == "" || hall.ErrorCode(err) == "" {
				t.Fatalf("error %v has no Chinese message or code", err)
			}
			after, _ := h.Overview(ctx)
			before.Now, after.Now = time.Time{}, time.Time{}
			if h.LastSeq() != seq || !reflect.DeepEqual(before, after) {
				t.Fatalf("refused step changed the hall: seq %d -> %d", seq, h.LastSeq())
			}
		})
	}
}

func TestRecallNoShowAndOneRequeue(t *testing.T) {
	h := halltest.New(t, nil)
	a1 := mustIssue(t, h, demo.TypeFee, hall.Normal)
	a2 := mustIssue(t, h, demo.TypeFee, hall.Normal)
	mustCall(t, h, 1)
	for i := 1; i <= 2; i++ {
		c, err := h.Recall(ctx, h.At(1))
		if err != nil {
			t.Fatal(err)
		}
		if !c.Recall || c.Ticket.Recalls != i {
			t.Fatalf("recall %d: got recall=%v count=%d", i, c.Recall, c.Ticket.Recalls)
		}
	}
	ns, err := h.NoShow(ctx, h.At(1))
	if err != nil || ns.State != hall.NoShow {
		t.Fatalf("no-show: %v, state %s", err, ns.State)
	}
	rq, err := h.Requeue(ctx, h.At(0), a1.ID)
	if err != nil || rq.State != hall.Waiting || rq.Number != "A001" {
		t.Fatalf("requeue: %v, %+v", err, rq)
	}
	// A requeued ticket goes to the back: A002 comes first.
	if c := mustCall(t, h, 1); c.Ticket.ID != a2.ID {
		t.Fatalf("after requeue called %s, want A002", c.Ticket.Number)
	}
	if _, err := h.Start(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Finish(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	mustCall(t, h, 1) // A001 again
	h.Recall(ctx, h.At(1))
	h.Recall(ctx, h.At(1))
	if _, err := h.NoShow(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Requeue(ctx, h.At(0), a1.ID); !errors.Is(err, hall.ErrRequeueUsed) {
		t.Fatalf("second requeue: err = %v, want ErrRequeueUsed", err)
	}
	// Passed twice, A001 is not offered again.
	if got, err := h.NoShows(ctx, h.At(2)); err != nil || len(got) != 0 {
		t.Fatalf("no-shows after the second 过号: %+v, %v", got, err)
	}
}

// The 过号 tickets offered for requeueing: today's, not yet requeued, the
// earliest passed first; none while the hall allows no requeue, and none
// of yesterday's.
func TestNoShowsOffersTodaysPassedTickets(t *testing.T) {
	h := halltest.New(t, nil)
	pass := func(counter int, typ string) hall.Ticket {
		t.Helper()
		mustIssue(t, h, typ, hall.Normal)
		mustCall(t, h, counter)
		for range hall.DefaultPolicy().NoShowAfterRecalls {
			if _, err := h.Recall(ctx, h.At(counter)); err != nil {
				t.Fatal(err)
			}
		}
		tk, err := h.NoShow(ctx, h.At(counter))
		if err != nil {
			t.Fatal(err)
		}
		h.Clock.Advance(time.Minute)
		return tk
	}
	a1 := pass(1, demo.TypeFee)
	c1 := pass(3, demo.TypeChange)
	got, err := h.NoShows(ctx, h.At(1))
	if err != nil || len(got) != 2 || got[0].ID != a1.ID || got[1].ID != c1.ID {
		t.Fatalf("no-shows = %+v, %v; want A001 then C001", got, err)
	}
	adm := signInAdmin(t, h)
	p := hall.DefaultPolicy()
	p.AllowRequeue = false
	if _, err := h.SavePolicy(ctx, adm, p); err != nil {
		t.Fatal(err)
	}
	if got, err := h.NoShows(ctx, h.At(1)); err != nil || len(got) != 0 {
		t.Fatalf("with requeues not allowed: %+v, %v", got, err)
	}
	p.AllowRequeue = true
	if _, err := h.SavePolicy(ctx, adm, p); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(24 * time.Hour)
	h.SignInDemo(t)
	if got, err := h.NoShows(ctx, h.At(1)); err != nil || len(got) != 0 {
		t.Fatalf("the next day: %+v, %v; want none of yesterday's", got, err)
	}
}

func TestTransferKeepsOwnerPlaceAndIssueTime(t *testing.T) {
	h := halltest.New(t, nil)
	first := mustIssue(t, h, demo.TypeFee, hall.Normal)
	h.Clock.Advance(time.Minute)
	mustIssue(t, h, demo.TypeChange, hall.Normal) // C001 waits at counter 3 before the transfer
	h.Clock.Advance(time.Minute)
	mustCall(t, h, 1)
	if _, err := h.Start(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(3 * time.Minute)
	moved, err := h.Transfer(ctx, h.At(1), hall.TransferTarget{Type: demo.TypeChange})
	if err != nil {
		t.Fatal(err)
	}
	if moved.Number != first.Number || moved.Type != demo.TypeChange || moved.Owner != clerk1 || moved.Transfers != 1 {
		t.Fatalf("transferred ticket = %+v", moved)
	}
	// Counter 3 gets the transferred customer before C001: no queueing again.
	c := mustCall(t, h, 3)
	if c.Ticket.ID != first.ID {
		t.Fatalf("counter 3 called %s, want the transferred %s", c.Ticket.Number, first.Number)
	}
	if !c.Ticket.IssuedAt.Equal(first.IssuedAt) || c.Ticket.Owner != clerk1 {
		t.Fatalf("issue time or owner changed: %+v", c.Ticket)
	}
	if w := c.Ticket.Waited(h.Clock.Now()); w != 2*time.Minute {
		t.Fatalf("waited = %v, want 2m (issue to first call)", w)
	}
	if _, err := h.Start(ctx, h.At(3)); err != nil {
		t.Fatal(err)
	}
	rec, err := h.Finish(ctx, h.At(3))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Clerk != clerk3 || rec.Owner != clerk1 {
		t.Fatalf("service record clerk=%s owner=%s, want %s/%s", rec.Clerk, rec.Owner, clerk3, clerk1)
	}

	// A transfer to a counter reaches only that counter.
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	mustCall(t, h, 1)
	if _, err := h.Transfer(ctx, h.At(1), hall.TransferTarget{Counter: 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.CallNext(ctx, h.At(2)); !errors.Is(err, hall.ErrNothingWaiting) {
		t.Fatalf("counter 2 took a ticket sent to counter 4: %v", err)
	}
	// Counter 4 serves 变更用电 too: C001 was issued before A002, so it comes first.
	var calledAt4 []string
	for i := 0; i < 2; i++ {
		calledAt4 = append(calledAt4, mustCall(t, h, 4).Ticket.Number)
		if _, err := h.Transfer(ctx, h.At(4), hall.TransferTarget{Counter: 3}); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"C001", "A002"}; !reflect.DeepEqual(calledAt4, want) {
		t.Fatalf("counter 4 called %v, want %v", calledAt4, want)
	}
}

func TestApologyAfterLongServiceOrLongWait(t *testing.T) {
	h := halltest.New(t, nil)
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	if c := mustCall(t, h, 1); c.Apologise {
		t.Fatal("first call of the day apologised")
	}
	h.Start(ctx, h.At(1))
	h.Clock.Advance(16 * time.Minute) // longer than 15 minutes
	if _, err := h.Finish(ctx, h.At(1)); err != nil {
		t.Fatal(err)
	}
	c := mustCall(t, h, 1)
	if !c.Apologise {
		t.Fatal("call after a 16-minute service did not carry the apology flag")
	}
	h.Start(ctx, h.At(1))
	h.Clock.Advance(time.Minute)
	rec, _ := h.Finish(ctx, h.At(1))
	if !rec.Apologised {
		t.Fatal("service record lost the apology flag")
	}
	// The third customer has now waited 17 minutes: under 20, no apology.
	if c := mustCall(t, h, 1); c.Apologise {
		t.Fatal("apologised after a short service and a 17-minute wait")
	}
	h.Start(ctx, h.At(1))
	h.Finish(ctx, h.At(1))
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	h.Clock.Advance(21 * time.Minute)
	if c := mustCall(t, h, 1); !c.Apologise {
		t.Fatal("a 21-minute wait did not carry the apology flag")
	}
}

func TestCloseDayEndsWaitingTicketsUnfinishedWithARecord(t *testing.T) {
	h := halltest.New(t, nil)
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	mustIssue(t, h, demo.TypeRepair, hall.Elderly)
	mustCall(t, h, 1)
	h.Start(ctx, h.At(1)) // A001 being served: it goes on
	mustCall(t, h, 2)     // A002 called, not yet come
	dc, err := h.CloseDay(ctx, h.At(0))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"A002", "E001"}; !sameSet(dc.Unfinished, want) {
		t.Fatalf("unfinished = %v, want %v", dc.Unfinished, want)
	}
	ov, _ := h.Overview(ctx)
	if ov.Waiting != 0 || ov.Counters[1].Ticket != nil {
		t.Fatalf("after close: waiting %d, counter 2 ticket %v", ov.Waiting, ov.Counters[1].Ticket)
	}
	if ov.Counters[0].Ticket == nil || ov.Counters[0].Ticket.State != hall.Serving {
		t.Fatal("the service in progress was cut off by the close")
	}
	evs, err := h.DB.Events(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[hall.Kind]int{}
	for _, e := range evs {
		kinds[e.Kind]++
	}
	if kinds[hall.KindTicketUnfinish] != 2 || kinds[hall.KindDayClosed] != 1 {
		t.Fatalf("event kinds = %v, want 2 unfinished and 1 day.closed", kinds)
	}
	if _, err := h.Finish(ctx, h.At(1)); err != nil {
		t.Fatalf("finishing the last service after close: %v", err)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

func TestRestartRestoresTheQueueExactly(t *testing.T) {
	script := func(h *halltest.Hall) {
		for i := 0; i < 6; i++ {
			mustIssue(t, h, demo.TypeFee, hall.Normal)
			mustIssue(t, h, demo.TypeConsult, hall.Priority(i%3))
			h.Clock.Advance(time.Minute)
		}
		mustCall(t, h, 1)
		h.Start(ctx, h.At(1))
		mustCall(t, h, 4)
		h.Recall(ctx, h.At(4))
		mustCall(t, h, 5)
		h.SetCounterState(ctx, h.At(0), 2, hall.CounterPaused)
	}
	// The same day twice: one hall restarts in the middle, the other does not.
	steady, restarted := halltest.New(t, nil), halltest.New(t, nil)
	script(steady)
	script(restarted)
	before, _ := restarted.Overview(ctx)
	cfgBefore, _ := restarted.Config(ctx)
	restarted = restarted.Restart(t)
	after, _ := restarted.Overview(ctx)
	cfgAfter, _ := restarted.Config(ctx)
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("overview changed across restart:\nbefore %+v\nafter  %+v", before, after)
	}
	if !reflect.DeepEqual(cfgBefore, cfgAfter) {
		t.Fatalf("config changed across restart")
	}
	// And the hall goes on as if nothing happened: the same calls in the same order.
	rest := func(h *halltest.Hall) []string {
		var got []string
		if _, err := h.Finish(ctx, h.At(1)); err != nil {
			t.Fatalf("finish after restart: %v", err)
		}
		h.Start(ctx, h.At(4))
		h.Finish(ctx, h.At(4))
		got = append(got, mustIssue(t, h, demo.TypeFee, hall.Elderly).Number)
		for i := 0; i < 4; i++ {
			for _, c := range []int{1, 4} {
				call, err := h.CallNext(ctx, h.At(c))
				if errors.Is(err, hall.ErrNothingWaiting) {
					got = append(got, "-")
					continue
				}
				got = append(got, call.Ticket.Number)
				h.Start(ctx, h.At(c))
				h.Finish(ctx, h.At(c))
			}
		}
		return got
	}
	want, got := rest(steady), rest(restarted)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after restart the hall called %v, without restart %v", got, want)
	}
}

func TestRenameAddRetireTypesKeepsHistory(t *testing.T) {
	h := halltest.New(t, nil)
	old := mustIssue(t, h, demo.TypeRepair, hall.Normal)
	if _, err := h.RetireType(ctx, demo.TypeRepair); !errors.Is(err, hall.ErrTypeInUse) {
		t.Fatalf("retiring a type with waiting tickets: %v", err)
	}
	if _, err := h.Cancel(ctx, h.At(0), old.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SaveType(ctx, hall.BusinessType{Code: demo.TypeRepair, Name: "故障报修", Prefix: "R", Position: 5}); err != nil {
		t.Fatal(err)
	}
	if tk := mustIssue(t, h, demo.TypeRepair, hall.Normal); tk.Number != "R001" {
		t.Fatalf("renamed type issued %s, want R001", tk.Number)
	}
	if _, err := h.SaveType(ctx, hall.BusinessType{Code: "einvoice", Name: "电子发票", Prefix: "G", Position: 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.RetireType(ctx, demo.TypeComplaint); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Issue(ctx, demo.TypeComplaint, hall.Normal); !errors.Is(err, hall.ErrTypeRetired) {
		t.Fatalf("issuing a retired type: %v", err)
	}
	// The retired prefix F is free for a new type; history stays.
	if _, err := h.SaveType(ctx, hall.BusinessType{Code: "evcharge", Name: "充电桩报装", Prefix: "F", Position: 8}); err != nil {
		t.Fatalf("reusing a retired prefix: %v", err)
	}
	h2 := h.Restart(t)
	cfg, _ := h2.Config(ctx)
	byCode := map[string]hall.BusinessType{}
	for _, bt := range cfg.Types {
		byCode[bt.Code] = bt
	}
	if !byCode[demo.TypeComplaint].Retired || byCode[demo.TypeRepair].Name != "故障报修" || byCode["einvoice"].Prefix != "G" {
		t.Fatalf("types after restart: %+v", cfg.Types)
	}
	got, err := h2.Ticket(ctx, old.ID)
	if err != nil || got.Number != "E001" || got.Type != demo.TypeRepair {
		t.Fatalf("old ticket after rename: %+v, %v", got, err)
	}
}

func TestSubscribeDeliversEveryEventInOrder(t *testing.T) {
	h := halltest.New(t, nil)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// From the first event: the hall's setup and the demo sign-ins come first.
	all, err := h.Subscribe(sctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if e := <-all; e.Kind != hall.KindHallSetup || e.Seq != 1 {
		t.Fatalf("first event = %s seq %d, want hall.setup seq 1", e.Kind, e.Seq)
	}
	ch, err := h.Subscribe(sctx, h.LastSeq())
	if err != nil {
		t.Fatal(err)
	}
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	mustCall(t, h, 1)
	mustCall(t, h, 2)
	want := []hall.Kind{hall.KindTicketIssued, hall.KindTicketIssued, hall.KindTicketCalled, hall.KindTicketCalled}
	var last int64
	for i, k := range want {
		e := <-ch
		if e.Kind != k || e.Seq <= last {
			t.Fatalf("event %d = %s seq %d, want %s after %d", i, e.Kind, e.Seq, k, last)
		}
		if e.ComputeDigest() != e.Digest {
			t.Fatalf("event %d digest does not match its content", e.Seq)
		}
		last = e.Seq
	}
	var te hall.TicketEvent
	// The last two are the two calls, one after the other, counters 1 and 2.
	evs, _ := h.DB.Events(ctx, last-2, 2)
	for i, e := range evs {
		if err := e.Decode(&te); err != nil || te.Counter != i+1 {
			t.Fatalf("call event %d: counter %d, %v", i, te.Counter, err)
		}
	}
	cancel()
	for range ch { // drains and ends: the channel closes with the context
	}
	for range all {
	}
}

func TestFailedCommitLeavesMemoryAsTheStore(t *testing.T) {
	h := halltest.New(t, nil)
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	before, _ := h.Overview(ctx)
	cctx, cancel := context.WithCancel(ctx)
	cancel() // the store refuses to begin
	if _, err := h.Issue(cctx, demo.TypeFee, hall.Normal); !errors.Is(err, hall.ErrStore) {
		t.Fatalf("issue with a dead context: %v, want ErrStore", err)
	}
	after, _ := h.Overview(ctx)
	before.Now, after.Now = time.Time{}, time.Time{}
	if !reflect.DeepEqual(before, after) {
		t.Fatal("memory changed although nothing was written")
	}
	if tk := mustIssue(t, h, demo.TypeFee, hall.Normal); tk.Number != "A002" {
		t.Fatalf("next number after a failed commit = %s, want A002", tk.Number)
	}
}

func TestDailyCapStopsIssuingUntilTomorrow(t *testing.T) {
	h := halltest.New(t, nil)
	if _, err := h.SaveType(ctx, hall.BusinessType{Code: demo.TypeConnect, Name: "新装/增容", Prefix: "B", Position: 2, DailyCap: 2}); err != nil {
		t.Fatal(err)
	}
	mustIssue(t, h, demo.TypeConnect, hall.Normal)
	mustIssue(t, h, demo.TypeConnect, hall.Elderly)
	_, err := h.Issue(ctx, demo.TypeConnect, hall.Normal)
	if !errors.Is(err, hall.ErrDailyCap) || hall.Message(err) != "「新装/增容」今日号已取完" {
		t.Fatalf("third ticket: %v (%q), want ErrDailyCap", err, hall.Message(err))
	}
	// The cap survives a restart, and lifts at midnight.
	h = h.Restart(t)
	if _, err := h.Issue(ctx, demo.TypeConnect, hall.Normal); !errors.Is(err, hall.ErrDailyCap) {
		t.Fatalf("after restart: %v, want ErrDailyCap", err)
	}
	h.Clock.Advance(24 * time.Hour)
	if tk := mustIssue(t, h, demo.TypeConnect, hall.Normal); tk.Number != "B001" {
		t.Fatalf("next day got %s, want B001", tk.Number)
	}
}

func TestOneDayClosedRecordPerDay(t *testing.T) {
	h := halltest.New(t, nil)
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	if _, err := h.CloseDay(ctx, h.At(0)); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(24 * time.Hour)
	mustIssue(t, h, demo.TypeFee, hall.Normal) // opens the next day
	evs, _ := h.DB.Events(ctx, 0, 1000)
	var closes []hall.DayClose
	for _, e := range evs {
		if e.Kind == hall.KindDayClosed {
			var dc hall.DayClose
			if err := e.Decode(&dc); err != nil {
				t.Fatal(err)
			}
			closes = append(closes, dc)
		}
	}
	if len(closes) != 1 || closes[0].Day != "2026-11-27" || closes[0].Unfinished == nil || len(closes[0].Unfinished) != 1 {
		t.Fatalf("day.closed records = %+v, want one for 2026-11-27 with A001 unfinished", closes)
	}
}
