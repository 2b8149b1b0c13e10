package hall_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// serve runs one whole service at a counter and returns its record.
func serve(t *testing.T, h *halltest.Hall, counter int, typ string) hall.ServiceRecord {
	t.Helper()
	mustIssue(t, h, typ, hall.Normal)
	mustCall(t, h, counter)
	if _, err := h.Start(ctx, h.At(counter)); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(2 * time.Minute)
	rec, err := h.Finish(ctx, h.At(counter))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestOneRatingPerServiceOnlyWithinItsWindow(t *testing.T) {
	h := halltest.New(t, nil)
	rec := serve(t, h, 1, demo.TypeFee)
	req, err := h.PendingRating(ctx, 1)
	if err != nil || req == nil || req.ServiceID != rec.ID || req.Clerk != "1001" {
		t.Fatalf("pending rating = %+v, %v", req, err)
	}
	// The clerk calling the next customer does not close it.
	mustIssue(t, h, demo.TypeFee, hall.Normal)
	mustCall(t, h, 1)
	if req, _ := h.PendingRating(ctx, 1); req == nil {
		t.Fatal("calling the next ticket closed the pending rating")
	}
	if _, err := h.Rate(ctx, 1, hall.RatingInput{ServiceID: "another", Level: hall.VerySatisfied}); !errors.Is(err, hall.ErrRatingClosed) {
		t.Fatalf("rating another service: %v", err)
	}
	if _, err := h.Rate(ctx, 1, hall.RatingInput{ServiceID: rec.ID, Level: 9}); !errors.Is(err, hall.ErrBadLevel) {
		t.Fatalf("bad level: %v", err)
	}
	r, err := h.Rate(ctx, 1, hall.RatingInput{ServiceID: rec.ID, Level: hall.VerySatisfied})
	if err != nil || r.Level != hall.VerySatisfied || r.Clerk != "1001" {
		t.Fatalf("rate: %+v, %v", r, err)
	}
	if _, err := h.Rate(ctx, 1, hall.RatingInput{ServiceID: rec.ID, Level: hall.Satisfied}); !errors.Is(err, hall.ErrRatingClosed) {
		t.Fatalf("second rating: %v", err)
	}
}

func TestNoAnswerInTimeIsUnratedAndNeverSatisfied(t *testing.T) {
	h := halltest.New(t, nil)
	rec := serve(t, h, 2, demo.TypeFee)
	h.Clock.Advance(hall.DefaultRatingWindow + time.Second)
	if req, _ := h.PendingRating(ctx, 2); req != nil {
		t.Fatal("rating still offered after its window")
	}
	// A late press (a clerk rating their own service, say) is refused.
	if _, err := h.Rate(ctx, 2, hall.RatingInput{ServiceID: rec.ID, Level: hall.VerySatisfied}); !errors.Is(err, hall.ErrRatingClosed) {
		t.Fatalf("late rating: %v", err)
	}
	serve(t, h, 2, demo.TypeFee)
	r2, _ := h.PendingRating(ctx, 2)
	if _, err := h.Rate(ctx, 2, hall.RatingInput{ServiceID: r2.ServiceID, Level: hall.Satisfied}); err != nil {
		t.Fatal(err)
	}
	sum, err := h.RatingSummary(ctx, h.At(0))
	if err != nil || len(sum) != 1 {
		t.Fatalf("summary: %+v, %v", sum, err)
	}
	c := sum[0]
	if c.Clerk != "1002" || c.Total != 2 || c.Unrated != 1 || c.Counts[hall.Satisfied] != 1 || c.SatisfactionRate() != 1 || c.UnratedShare() != 0.5 {
		t.Fatalf("clerk 1002: %+v rate %v", c, c.SatisfactionRate())
	}
	if _, err := h.RatingSummary(ctx, h.At(2)); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk reading the summary: %v", err)
	}
	// The unrated record is in the log, at the deadline.
	evs, _ := h.DB.Events(ctx, 0, 10000)
	var unrated int
	for _, e := range evs {
		var r hall.Rating
		if e.Kind == hall.KindRated && e.Decode(&r) == nil && r.Level == hall.Unrated {
			unrated++
			if r.ServiceID != rec.ID {
				t.Fatalf("unrated record for %s, want %s", r.ServiceID, rec.ID)
			}
		}
	}
	if unrated != 1 {
		t.Fatalf("%d unrated records, want 1", unrated)
	}
}

func TestBadRatingNeedsAReasonAlertsTheDirectorAndMasksThePhone(t *testing.T) {
	h := halltest.New(t, nil)
	rec := serve(t, h, 5, demo.TypeComplaint)
	if _, err := h.Rate(ctx, 5, hall.RatingInput{ServiceID: rec.ID, Level: hall.VeryDissatisfied}); !errors.Is(err, hall.ErrReasonRequired) {
		t.Fatalf("bad rating without a reason: %v", err)
	}
	if _, err := h.Rate(ctx, 5, hall.RatingInput{ServiceID: rec.ID, Level: hall.Dissatisfied, Reasons: []string{"天气不好"}}); !errors.Is(err, hall.ErrInvalid) {
		t.Fatalf("unknown reason: %v", err)
	}
	r, err := h.Rate(ctx, 5, hall.RatingInput{ServiceID: rec.ID, Level: hall.Dissatisfied, Reasons: []string{"等候时间长", "办理效率"}, Phone: "13811112222"})
	if err != nil || r.Phone != "138****2222" {
		t.Fatalf("rate: %+v, %v", r, err)
	}
	evs, _ := h.DB.Events(ctx, 0, 10000)
	alerts := 0
	for _, e := range evs {
		if e.Kind == hall.KindRatingAlert {
			alerts++
		}
		if bytes.Contains(e.Payload, []byte("13811112222")) {
			t.Fatalf("event %d holds the phone in full", e.Seq)
		}
	}
	if alerts != 1 {
		t.Fatalf("%d alerts, want 1", alerts)
	}
}

func TestAPendingRatingSurvivesARestart(t *testing.T) {
	h := halltest.New(t, nil)
	rec := serve(t, h, 3, demo.TypeConnect)
	h = h.Restart(t)
	req, err := h.PendingRating(ctx, 3)
	if err != nil || req == nil || req.ServiceID != rec.ID {
		t.Fatalf("after restart: %+v, %v", req, err)
	}
	if _, err := h.Rate(ctx, 3, hall.RatingInput{ServiceID: rec.ID, Level: hall.Neutral}); err != nil {
		t.Fatal(err)
	}
	h = h.Restart(t)
	sum, _ := h.RatingSummary(ctx, h.At(0))
	if len(sum) != 1 || sum[0].Counts[hall.Neutral] != 1 {
		t.Fatalf("summary after restart: %+v", sum)
	}
}

func TestNoticesAheadAndTheCounterCard(t *testing.T) {
	h := halltest.New(t, nil)
	if _, err := h.PostNotice(ctx, h.At(1), hall.NoticeInput{Kind: hall.NoticeOutage, Text: "x", Until: h.Clock.Now().Add(time.Hour)}); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("clerk posting: %v", err)
	}
	n, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeOutage, Text: "11月28日8:00-12:00 东街线路检修停电", Until: h.Clock.Now().Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeEmergency, Text: "主变故障，部分区域停电，抢修中", Until: h.Clock.Now().Add(time.Hour)})
	got, _ := h.Notices(ctx)
	if len(got) != 2 || got[0].ID != e.ID || got[1].ID != n.ID {
		t.Fatalf("notices = %+v, want the emergency first", got)
	}
	h.Clock.Advance(90 * time.Minute)
	if got, _ := h.Notices(ctx); len(got) != 1 || got[0].ID != n.ID {
		t.Fatalf("after the emergency's end: %+v", got)
	}
	if err := h.EndNotice(ctx, h.At(0), n.ID); err != nil {
		t.Fatal(err)
	}
	h = h.Restart(t)
	if got, _ := h.Notices(ctx); len(got) != 0 {
		t.Fatalf("after ending and restart: %+v", got)
	}

	a1 := mustIssue(t, h, demo.TypeFee, hall.Normal)
	a2 := mustIssue(t, h, demo.TypeFee, hall.Normal)
	a3 := mustIssue(t, h, demo.TypeFee, hall.Elderly)
	mustIssue(t, h, demo.TypeRepair, hall.Normal)
	for _, c := range []struct {
		id   string
		want int
	}{{a1.ID, 1}, {a2.ID, 2}, {a3.ID, 0}} {
		if n, err := h.Ahead(ctx, c.id); err != nil || n != c.want {
			t.Errorf("ahead of %s = %d, %v; want %d", c.id, n, err, c.want)
		}
	}
	card, err := h.CounterCard(ctx, 2)
	if err != nil || card.StaffNo != "1002" || card.StaffName != "王芳" || card.Name != "2号窗口" {
		t.Fatalf("card = %+v, %v", card, err)
	}
	h.SignOut(ctx, h.At(2))
	if card, _ := h.CounterCard(ctx, 2); card.StaffNo != "" {
		t.Fatalf("card after sign-out = %+v", card)
	}
}

func TestHQNoticesPostOnceUnderHQsID(t *testing.T) {
	h := halltest.New(t, nil)
	in := hall.NoticeInput{Kind: hall.NoticeOutage, Text: "95598：11月29日9:00-15:00 西关线检修停电", Until: h.Clock.Now().Add(48 * time.Hour)}
	n1, err := h.PostHQNotice(ctx, "01a2a000-0000-7000-8000-000000000001", in)
	if err != nil || n1.PostedBy != "HQ" || n1.ID != "01a2a000-0000-7000-8000-000000000001" {
		t.Fatalf("post: %+v, %v", n1, err)
	}
	seq := h.LastSeq()
	if _, err := h.PostHQNotice(ctx, n1.ID, in); err != nil || h.LastSeq() != seq {
		t.Fatalf("posting the same notice again wrote something: %v, seq %d -> %d", err, seq, h.LastSeq())
	}
	if got, _ := h.Notices(ctx); len(got) != 1 {
		t.Fatalf("notices = %+v", got)
	}
}

// Ratings nobody pressed are written in the order they ran out, whatever
// the counters' numbers, so that the log's times go forward.
func TestUnratedServicesAreWrittenInTheOrderTheyRanOut(t *testing.T) {
	h := halltest.New(t, nil)
	for _, counter := range []int{1, 2} {
		mustIssue(t, h, demo.TypeFee, hall.Normal)
		mustCall(t, h, counter)
		if _, err := h.Start(ctx, h.At(counter)); err != nil {
			t.Fatal(err)
		}
	}
	h.Clock.Advance(2 * time.Minute)
	for _, counter := range []int{2, 1} { // 2's rating runs out first
		if _, err := h.Finish(ctx, h.At(counter)); err != nil {
			t.Fatal(err)
		}
		h.Clock.Advance(20 * time.Second)
	}
	h.Clock.Advance(hall.DefaultRatingWindow + time.Minute)
	mustIssue(t, h, demo.TypeFee, hall.Normal) // any call writes what ran out
	evs, err := h.DB.Events(ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var counters []int
	var last time.Time
	for _, e := range evs {
		if e.At.Before(last) {
			t.Fatalf("event %d %s at %v before the one before it (%v)", e.Seq, e.Kind, e.At, last)
		}
		last = e.At
		var r hall.Rating
		if e.Kind == hall.KindRated && e.Decode(&r) == nil && r.Level == hall.Unrated {
			counters = append(counters, r.Counter)
		}
	}
	if len(counters) != 2 || counters[0] != 2 || counters[1] != 1 {
		t.Fatalf("unrated written for counters %v, want 2 then 1", counters)
	}
}
