package hall_test

import (
	"errors"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

func TestBadRatingsWaitForRectificationAndCallBackWithin15WorkingDays(t *testing.T) {
	h := halltest.New(t, nil)
	rec := serve(t, h, 2, demo.TypeFee)
	r, err := h.Rate(ctx, 2, hall.RatingInput{ServiceID: rec.ID, Level: hall.VeryDissatisfied, Reasons: []string{"服务态度"}, Phone: "13911112222"})
	if err != nil {
		t.Fatal(err)
	}
	good := serve(t, h, 1, demo.TypeFee)
	if _, err := h.Rate(ctx, 1, hall.RatingInput{ServiceID: good.ID, Level: hall.Satisfied}); err != nil {
		t.Fatal(err)
	}
	inbox, err := h.BadRatings(ctx, h.At(0))
	if err != nil || len(inbox) != 1 {
		t.Fatalf("inbox = %+v, %v (only the bad rating belongs there)", inbox, err)
	}
	// Rated on Friday 2026-11-27: 15 working days later is Friday 2026-12-18.
	if v := inbox[0]; v.Rating.ID != r.ID || v.Due != "2026-12-18" || v.Rating.Phone != "139****2222" || v.Overdue {
		t.Fatalf("view = %+v", v)
	}
	if _, err := h.BadRatings(ctx, h.At(2)); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk reading the inbox: %v", err)
	}
	if _, err := h.AddRatingFollowUp(ctx, h.At(0), r.ID, hall.FollowRectified, "已对营业员进行服务规范再培训"); err != nil {
		t.Fatal(err)
	}
	h = h.Restart(t)
	inbox, _ = h.BadRatings(ctx, h.At(0))
	if len(inbox) != 1 || !inbox[0].Rectified || inbox[0].CalledBack {
		t.Fatalf("after rectification and restart: %+v", inbox)
	}
	// Past the limit without a call-back: overdue.
	h.Clock.Advance(22 * 24 * time.Hour)
	tok := h.SignInDemoDirector(t)
	if inbox, _ := h.BadRatings(ctx, tok); len(inbox) != 1 || !inbox[0].Overdue {
		t.Fatalf("past the limit: %+v", inbox)
	}
	if _, err := h.AddRatingFollowUp(ctx, tok, r.ID, hall.FollowCalledBack, "电话回访，客户表示认可"); err != nil {
		t.Fatal(err)
	}
	if inbox, _ := h.BadRatings(ctx, tok); len(inbox) != 0 {
		t.Fatalf("rectified and called back, still in the inbox: %+v", inbox)
	}
	if _, err := h.AddRatingFollowUp(ctx, tok, r.ID, hall.FollowCalledBack, "x"); !errors.Is(err, hall.ErrUnknownMatter) {
		t.Fatalf("a follow-up after closing: %v", err)
	}
}
