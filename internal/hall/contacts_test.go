package hall_test

import (
	"bytes"
	"errors"
	"testing"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// viewedLooks decodes the contact.viewed events after seq.
func viewedLooks(t *testing.T, h *halltest.Hall, after int64) ([]hall.ContactViewed, []hall.Event) {
	t.Helper()
	evs, err := h.DB.Events(ctx, after, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var looks []hall.ContactViewed
	var raw []hall.Event
	for _, e := range evs {
		if e.Kind != hall.KindContactViewed {
			continue
		}
		var v hall.ContactViewed
		if err := e.Decode(&v); err != nil {
			t.Fatal(err)
		}
		looks = append(looks, v)
		raw = append(raw, e)
	}
	return looks, raw
}

// lastSeq is the hall's last event.
func lastSeq(t *testing.T, h *halltest.Hall) int64 {
	t.Helper()
	o, err := h.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return o.LastSeq
}

// noContactIn fails the test if an event after seq holds any of the texts.
func noContactIn(t *testing.T, h *halltest.Hall, after int64, texts ...string) {
	t.Helper()
	evs, err := h.DB.Events(ctx, after, 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		for _, s := range texts {
			if bytes.Contains(e.Payload, []byte(s)) {
				t.Errorf("event %d (%s) holds %q: %s", e.Seq, e.Kind, s, e.Payload)
			}
		}
	}
}

// refusedWritesNothing checks that err is want and no event was written after seq.
func refusedWritesNothing(t *testing.T, h *halltest.Hall, seq int64, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: %v, want %v", what, err, want)
	}
	if got := lastSeq(t, h); got != seq {
		t.Errorf("%s wrote events %d → %d", what, seq, got)
	}
}

func TestDirectorSeesAComplaintsContactInFullAndTheLookIsRecorded(t *testing.T) {
	h := halltest.New(t, nil)
	full := hall.Contact{Name: "欧阳娜娜", Phone: "13912345678"}
	c, err := h.RecordComplaint(ctx, h.At(1), hall.ComplaintInput{What: "等候时间过长", Contact: full})
	if err != nil {
		t.Fatal(err)
	}
	seq := lastSeq(t, h)

	_, err = h.ComplaintContact(ctx, h.At(1), c.ID)
	refusedWritesNothing(t, h, seq, "a clerk", err, hall.ErrNotPermitted)
	_, err = h.ComplaintContact(ctx, h.At(0), "no-such-complaint")
	refusedWritesNothing(t, h, seq, "an unknown complaint", err, hall.ErrUnknownMatter)

	got, err := h.ComplaintContact(ctx, h.At(0), c.ID)
	if err != nil || got != full {
		t.Fatalf("director's look = %+v, %v; want %+v", got, err, full)
	}
	looks, _ := viewedLooks(t, h, seq)
	want := hall.ContactViewed{Record: hall.ContactOfComplaint, ID: c.ID, By: "2001", At: h.Clock.Now().UTC()}
	if len(looks) != 1 || looks[0] != want {
		t.Fatalf("looks recorded %+v, want %+v", looks, want)
	}
	noContactIn(t, h, 0, full.Phone, full.Name)

	// Closed, the complaint is in the store only: still there to look at,
	// after a restart too, and each look is recorded.
	for _, step := range []hall.ComplaintStep{hall.StepContacted, hall.StepReplied, hall.StepClosed} {
		if _, err := h.AddComplaintStatus(ctx, h.At(0), c.ID, step, "已电话联系客户"); err != nil {
			t.Fatal(err)
		}
	}
	h = h.Restart(t)
	tok := h.SignInDemoDirector(t)
	if got, err := h.ComplaintContact(ctx, tok, c.ID); err != nil || got != full {
		t.Fatalf("a closed complaint's contact = %+v, %v", got, err)
	}
	if looks, _ := viewedLooks(t, h, 0); len(looks) != 2 || looks[1].ID != c.ID {
		t.Fatalf("looks recorded %+v, want two", looks)
	}
	noContactIn(t, h, 0, full.Phone, full.Name)
}

func TestAComplaintWithoutAContactHasNothingToLookAt(t *testing.T) {
	h := halltest.New(t, nil)
	c, err := h.RecordComplaint(ctx, h.At(1), hall.ComplaintInput{What: "等候时间过长"})
	if err != nil {
		t.Fatal(err)
	}
	seq := lastSeq(t, h)
	_, err = h.ComplaintContact(ctx, h.At(0), c.ID)
	refusedWritesNothing(t, h, seq, "no contact", err, hall.ErrInvalid)
}

func TestDirectorSeesABadRatingsCallBackPhoneAndTheLookIsRecorded(t *testing.T) {
	h := halltest.New(t, nil)
	rec := serve(t, h, 2, demo.TypeFee)
	r, err := h.Rate(ctx, 2, hall.RatingInput{ServiceID: rec.ID, Level: hall.Dissatisfied, Reasons: []string{"服务态度"}, Phone: "13911112222"})
	if err != nil {
		t.Fatal(err)
	}
	seq := lastSeq(t, h)
	_, err = h.RatingContact(ctx, h.At(2), r.ID)
	refusedWritesNothing(t, h, seq, "a clerk", err, hall.ErrNotPermitted)
	_, err = h.RatingContact(ctx, h.At(0), "no-such-rating")
	refusedWritesNothing(t, h, seq, "an unknown rating", err, hall.ErrUnknownMatter)

	got, err := h.RatingContact(ctx, h.At(0), r.ID)
	if err != nil || got != (hall.Contact{Phone: "13911112222"}) {
		t.Fatalf("director's look = %+v, %v", got, err)
	}
	looks, raw := viewedLooks(t, h, seq)
	if len(looks) != 1 || looks[0].Record != hall.ContactOfRating || looks[0].ID != r.ID || looks[0].By != "2001" {
		t.Fatalf("looks recorded %+v", looks)
	}
	if bytes.Contains(raw[0].Payload, []byte("13911112222")) {
		t.Fatalf("the look's event holds the phone: %s", raw[0].Payload)
	}
	noContactIn(t, h, 0, "13911112222")

	// Without a phone there is nothing to call back.
	rec = serve(t, h, 1, demo.TypeFee)
	r2, err := h.Rate(ctx, 1, hall.RatingInput{ServiceID: rec.ID, Level: hall.VeryDissatisfied, Reasons: []string{"等候时间长"}})
	if err != nil {
		t.Fatal(err)
	}
	seq = lastSeq(t, h)
	_, err = h.RatingContact(ctx, h.At(0), r2.ID)
	refusedWritesNothing(t, h, seq, "no phone", err, hall.ErrInvalid)
}

func TestEveryLookAtAnEscalationsContactIsRecorded(t *testing.T) {
	h := halltest.New(t, nil)
	full := hall.Contact{Name: "王建国", Phone: "13812345678"}
	e, err := h.Escalate(ctx, h.At(1), hall.EscalationInput{Need: "电表走字异常，申请校验", Assignee: "计量班",
		Due: h.Clock.Now().In(halltest.Shanghai(t)).Format("2006-01-02"), Contact: full})
	if err != nil {
		t.Fatal(err)
	}
	seq := lastSeq(t, h)
	_, err = h.EscalationRecord(ctx, h.At(2), e.ID)
	refusedWritesNothing(t, h, seq, "another clerk", err, hall.ErrNotPermitted)
	_, err = h.EscalationRecord(ctx, h.At(0), "no-such-escalation")
	refusedWritesNothing(t, h, seq, "an unknown escalation", err, hall.ErrUnknownMatter)

	for _, tok := range []hall.Token{h.At(0), h.At(1)} { // the director, the owner
		got, err := h.EscalationRecord(ctx, tok, e.ID)
		if err != nil || got.Contact != full || got.ID != e.ID {
			t.Fatalf("record = %+v, %v", got, err)
		}
	}
	looks, _ := viewedLooks(t, h, seq)
	if len(looks) != 2 || looks[0].By != "2001" || looks[1].By != "1001" ||
		looks[0].Record != hall.ContactOfEscalation || looks[0].ID != e.ID {
		t.Fatalf("looks recorded %+v", looks)
	}
	noContactIn(t, h, 0, full.Phone, full.Name)
}

// A look sent as a named call (a PC's, over the LAN) is not kept as the
// call's answer: that would copy the contact out of the record's row.
func TestALooksAnswerIsNotKeptWithTheCall(t *testing.T) {
	h := halltest.New(t, nil)
	c, err := h.RecordComplaint(ctx, h.At(1), hall.ComplaintInput{What: "等候时间过长", Contact: hall.Contact{Phone: "13912345678"}})
	if err != nil {
		t.Fatal(err)
	}
	cctx := hall.WithCallKey(ctx, "pc1:ComplaintContact:k1", func(any) []byte { return []byte(`{"result":["kept"]}`) })
	if _, err := h.ComplaintContact(cctx, h.At(0), c.ID); err != nil {
		t.Fatal(err)
	}
	if hall.CallCommitted(cctx) || hall.CallAnswerKept(cctx) != nil {
		t.Fatalf("the look was kept as the call's answer (committed %v, answer %q)", hall.CallCommitted(cctx), hall.CallAnswerKept(cctx))
	}
	if looks, _ := viewedLooks(t, h, 0); len(looks) != 1 {
		t.Fatalf("looks recorded %+v", looks)
	}
}
