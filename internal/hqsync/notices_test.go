package hqsync_test

import (
	"context"
	"testing"
	"time"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/hq"
	"servicehall/internal/hqsync"
)

func TestPullNoticesPostsEachHQNoticeOnce(t *testing.T) {
	t.Parallel()
	p := startHQ(t, nil)
	h := halltest.New(t, nil)
	// HQ runs on the wall clock; the hall follows it here. That can be
	// another day than the demo's morning, whose sessions the day's change
	// ends: the director signs in again on the hall's day.
	now := time.Now()
	h.Clock.Set(now)
	h.SignInDemoDirector(t)
	for _, text := range []string{"12月1日8:00至12:00城关片区计划停电", "营业厅系统升级"} {
		if _, err := p.store.AddNotice(ctx, hq.Notice{Kind: "outage", Text: text, From: now, Until: now.Add(4 * time.Hour), Created: now}); err != nil {
			t.Fatal(err)
		}
	}
	// Until the hall has a way in for HQ notices, the director's own one
	// stands in; the wiring is this one function either way.
	var posted []string
	post := func(ctx context.Context, n hqsync.Notice) error {
		if n.Text == "营业厅系统升级" {
			return hall.ErrInvalid.WithMessage("公告内容有误", "refused in the test")
		}
		posted = append(posted, n.ID)
		_, err := h.PostNotice(ctx, h.At(0), n.NoticeInput)
		return err
	}
	c := newClient(t, h, fast(p, func(o *hqsync.Options) { o.Now = h.Clock.Now }))
	n, err := c.PullNotices(ctx, post)
	if err != nil || n != 1 {
		t.Fatalf("first pull posted %d (%v), want 1", n, err)
	}
	ns, err := h.Notices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].Text != "12月1日8:00至12:00城关片区计划停电" {
		t.Fatalf("hall notices = %+v", ns)
	}
	// Again: the posted one and the refused one are both remembered.
	if n, err := c.PullNotices(ctx, post); err != nil || n != 0 || len(posted) != 1 {
		t.Fatalf("second pull posted %d (%v), %d calls; want none", n, err, len(posted))
	}
}
