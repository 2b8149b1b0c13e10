package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// The clerk sees the hall's outage notices, to answer 「什么时候来电？」
// (clause 4.3.1): at sign-in, and again when one is posted or ended.
func TestCounterShowsTheHallsNotices(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	first, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeOutage, Text: "东街片区今日14:00至16:00计划停电", Until: h.Clock.Now().Add(6 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := signedInCounter(t, h)
	if !cs.noticeLine.Visible() || !strings.Contains(cs.noticeLine.Text, "【停电公告】东街片区今日14:00至16:00计划停电（至 ") {
		t.Fatalf("at sign-in: %q (visible %v)", cs.noticeLine.Text, cs.noticeLine.Visible())
	}
	// An emergency is posted: the window reads the notices again on its event.
	if _, err := h.DeclareEmergency(ctx, h.At(0), "城东变电站故障，部分线路停电", h.Clock.Now().Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	refreshAfter(t, h, cs, hall.KindEmergencyStart)
	if !strings.Contains(cs.noticeLine.Text, "城东变电站故障") || cs.noticeLine.Importance != widget.DangerImportance {
		t.Errorf("after the emergency: %q (importance %v)", cs.noticeLine.Text, cs.noticeLine.Importance)
	}
	if err := h.EndEmergency(ctx, h.At(0), "已恢复"); err != nil {
		t.Fatal(err)
	}
	refreshAfter(t, h, cs, hall.KindEmergencyEnd)
	if err := h.EndNotice(ctx, h.At(0), first.ID); err != nil {
		t.Fatal(err)
	}
	refreshAfter(t, h, cs, hall.KindNoticeEnded)
	if cs.noticeLine.Visible() {
		t.Errorf("with no notice left: %q shown", cs.noticeLine.Text)
	}
}

// refreshAfter hands the window the hall's last event of kind, as its live
// feed would, and lets it read again.
func refreshAfter(t *testing.T, h *halltest.Hall, cs *counterScreen, kind hall.Kind) {
	t.Helper()
	evs := eventsOf(t, h, kind)
	if len(evs) == 0 {
		t.Fatalf("no %s event", kind)
	}
	cs.pending.note(evs[len(evs)-1])
	cs.refresh(context.Background(), cs.tok, cs.gen)
}

func TestCounterNoticesInEnglish(t *testing.T) {
	inEnglish(t)
	ctx := context.Background()
	h := halltest.New(t, nil)
	text := "东街片区今日14:00至16:00计划停电"
	if _, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeOutage, Text: text, Until: h.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	cs, _ := signedInCounter(t, h)
	if got := strings.ReplaceAll(cs.noticeLine.Text, text, ""); hasChinese(got) || !strings.Contains(got, "until") {
		t.Errorf("notice line in English: %q", cs.noticeLine.Text)
	}
}

// A notice leaves the line when it ends, although no event says so, and
// one scheduled for later appears when it begins (the idle timer's tick).
func TestCounterNoticeLineFollowsTheClock(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	if _, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeOutage, Text: "东街片区计划停电", Until: h.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeOutage, Text: "西街片区下午停电",
		From: h.Clock.Now().Add(90 * time.Minute), Until: h.Clock.Now().Add(3 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	cs, _ := signedInCounter(t, h)
	if !strings.Contains(cs.noticeLine.Text, "东街") || strings.Contains(cs.noticeLine.Text, "西街") {
		t.Fatalf("at sign-in: %q", cs.noticeLine.Text)
	}
	h.Clock.Advance(70 * time.Minute)
	cs.noticeTick(ctx, cs.gen, false) // a tick between reads
	if cs.noticeLine.Visible() {
		t.Errorf("after the first notice ended: %q shown", cs.noticeLine.Text)
	}
	h.Clock.Advance(30 * time.Minute)
	cs.noticeTick(ctx, cs.gen, true) // a tick that reads
	if !strings.Contains(cs.noticeLine.Text, "西街") {
		t.Errorf("once the second began: %q", cs.noticeLine.Text)
	}
}

// What changed while the live feed was broken is read when it comes back:
// a notice posted and the rules changed in the gap.
func TestCounterCatchesUpAfterAGapInTheEvents(t *testing.T) {
	ctx := context.Background()
	h := halltest.New(t, nil)
	cs, _ := signedInCounter(t, h)
	if _, err := h.DeclareEmergency(ctx, h.At(0), "城东变电站故障", h.Clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	p := hall.DefaultPolicy()
	p.AllowRequeue = false
	if err := h.SetPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	// The feed's load after a reconnect: no event of the gap is handed over.
	cs.pending.markAll()
	cs.refresh(ctx, cs.tok, cs.gen)
	if !strings.Contains(cs.noticeLine.Text, "城东变电站故障") {
		t.Errorf("after the gap: notice line %q", cs.noticeLine.Text)
	}
	if !cs.requeueBtn.Disabled() {
		t.Errorf("after the gap: 过号重排 %q still enabled", cs.requeueBtn.Text)
	}
}
