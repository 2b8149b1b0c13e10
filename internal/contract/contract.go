// Package contract is the one test suite of hall.Service's contract: what
// every implementation must do, whether the hall is in-process
// (hall.Local) or on a hall node across the LAN (lan.Client). Run calls it
// from each implementation's tests; add here what windows rely on.
package contract

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// Harness is one implementation under test and the hall behind it.
type Harness struct {
	Svc  hall.Service
	Hall *halltest.Hall // its clock, and the demo staff's tokens (signed in on the same hall)
}

// Factory makes a fresh demo hall (halltest.New) and the implementation on it.
type Factory func(t *testing.T) Harness

// Run runs the contract against the implementation newHarness makes.
func Run(t *testing.T, newHarness Factory) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Harness)
	}{
		{"TicketLifecycle", ticketLifecycle},
		{"TypedErrorsKeepTheirCodeAndChinese", typedErrors},
		{"SessionsDecideWhoActs", sessions},
		{"SubscribeStreamsEventsInOrder", subscribe},
		{"ContactsStayMasked", contactsMasked},
		{"ContactLooksAreRecorded", contactLooks},
		{"NilAndPointerResults", nilResults},
		{"DeskRoundTrip", deskRoundTrip},
		{"AdminChangesTheConfiguration", adminConfig},
		{"NoShowsCanBePutBack", noShowsBack},
		{"FaultReportsAreListedMasked", faultReports},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newHarness(t)) })
	}
}

var ctx = context.Background()

func ticketLifecycle(t *testing.T, h Harness) {
	s := h.Svc
	tk, err := s.Issue(ctx, demo.TypeFee, hall.Elderly)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Number != "A001" || tk.Priority != hall.Elderly || tk.State != hall.Waiting || !tk.IssuedAt.Equal(h.Hall.Clock.Now()) {
		t.Fatalf("issued %+v at %v", tk, h.Hall.Clock.Now())
	}
	if n, err := s.Ahead(ctx, tk.ID); err != nil || n != 0 {
		t.Fatalf("ahead = %d, %v", n, err)
	}
	call, err := s.CallNext(ctx, h.Hall.At(1))
	if err != nil || call.Ticket.ID != tk.ID || call.Counter != 1 {
		t.Fatalf("call = %+v, %v", call, err)
	}
	if _, err := s.Start(ctx, h.Hall.At(1)); err != nil {
		t.Fatal(err)
	}
	h.Hall.Clock.Advance(3 * time.Minute)
	rec, err := s.Finish(ctx, h.Hall.At(1))
	if err != nil || rec.Counter != 1 || rec.Clerk != "1001" || rec.EndedAt.Sub(rec.StartedAt) != 3*time.Minute {
		t.Fatalf("finish = %+v, %v", rec, err)
	}
	st, err := s.CounterStatus(ctx, h.Hall.At(1))
	if err != nil || st.Ticket != nil || st.Counter.No != 1 {
		t.Fatalf("status = %+v, %v", st, err)
	}
	o, err := s.Overview(ctx)
	if err != nil || o.Waiting != 0 || o.LastSeq == 0 || o.Hall.Name != "城关供电营业厅" {
		t.Fatalf("overview = %+v, %v", o, err)
	}
}

// noShowsBack: a 过号 ticket is offered for requeueing until it is
// requeued, to any signed-in member of staff.
func noShowsBack(t *testing.T, h Harness) {
	s := h.Svc
	tk, err := s.Issue(ctx, demo.TypeFee, hall.Normal)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CallNext(ctx, h.Hall.At(1)); err != nil {
		t.Fatal(err)
	}
	for range hall.DefaultPolicy().NoShowAfterRecalls {
		if _, err := s.Recall(ctx, h.Hall.At(1)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.NoShow(ctx, h.Hall.At(1)); err != nil {
		t.Fatal(err)
	}
	got, err := s.NoShows(ctx, h.Hall.At(2))
	if err != nil || len(got) != 1 || got[0].ID != tk.ID || got[0].State != hall.NoShow {
		t.Fatalf("no-shows seen from counter 2: %+v, %v", got, err)
	}
	if _, err := s.NoShows(ctx, hall.Token("not-a-session")); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Fatalf("a made-up token: %v", err)
	}
	if _, err := s.Requeue(ctx, h.Hall.At(2), tk.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := s.NoShows(ctx, h.Hall.At(0)); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("no-shows after the requeue: %+v, %v; want an empty list", got, err)
	}
}

// faultReports: the day's fault reports, newest first, contacts masked,
// for a director only.
func faultReports(t *testing.T, h Harness) {
	s := h.Svc
	first, err := s.RecordFault(ctx, h.Hall.At(5), hall.FaultInput{What: "整栋楼停电", Where: "东街12号", Contact: hall.Contact{Name: "赵磊", Phone: "13700002222"}})
	if err != nil {
		t.Fatal(err)
	}
	h.Hall.Clock.Advance(time.Minute)
	second, err := s.RecordFault(ctx, h.Hall.At(4), hall.FaultInput{What: "电线冒火花", Where: "西街3号", Contact: hall.Contact{Phone: "13900001111"}})
	if err != nil {
		t.Fatal(err)
	}
	day := h.Hall.Clock.Now().In(halltest.Shanghai(t)).Format(time.DateOnly)
	got, err := s.FaultReports(ctx, h.Hall.At(0), hall.DayRange(day))
	if err != nil || len(got) != 2 || got[0].ID != second.ID || got[1].ID != first.ID {
		t.Fatalf("fault reports = %+v, %v; want the two, newest first", got, err)
	}
	if got[1].Contact.Phone != "137****2222" || got[1].Contact.Name != "赵*" || got[1].Where != "东街12号" || got[1].Clerk != "1005" {
		t.Fatalf("listed %+v, want the contact masked", got[1])
	}
	if _, err := s.FaultReports(ctx, h.Hall.At(1), hall.DayRange(day)); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk listing fault reports: %v", err)
	}
	if got, err := s.FaultReports(ctx, h.Hall.At(0), hall.DayRange("2026-01-01")); err != nil || len(got) != 0 {
		t.Fatalf("another day: %+v, %v", got, err)
	}
}

func typedErrors(t *testing.T, h Harness) {
	s := h.Svc
	_, err := s.CallNext(ctx, h.Hall.At(1))
	if !errors.Is(err, hall.ErrNothingWaiting) || hall.Message(err) != "当前没有等候本窗口的客户" {
		t.Fatalf("call on an empty queue: %v (%q)", err, hall.Message(err))
	}
	if _, err := s.SignIn(ctx, 1, "1001", "000000"); !errors.Is(err, hall.ErrBadPIN) || hall.Message(err) == "" {
		t.Fatalf("a wrong PIN: %v", err)
	}
	if _, err := s.Issue(ctx, "no-such-type", hall.Normal); !errors.Is(err, hall.ErrUnknownType) {
		t.Fatalf("an unknown type: %v", err)
	}
	if _, err := s.Report(ctx, h.Hall.At(0), hall.ReportRange{From: "2026-11-30", To: "2026-11-01"}); !errors.Is(err, hall.ErrReportOrder) ||
		!strings.Contains(hall.Message(err), "不能晚于") {
		t.Fatalf("a reversed report range: %v", err)
	}
}

func sessions(t *testing.T, h Harness) {
	s := h.Svc
	if _, err := s.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CallNext(ctx, hall.Token("not-a-session")); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Fatalf("a made-up token: %v", err)
	}
	if _, err := s.Complaints(ctx, h.Hall.At(1)); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk reading the register: %v", err)
	}
	sess, err := s.SignIn(ctx, 2, "1002", demo.PIN)
	if err != nil || sess.Counter != 2 || sess.Staff.No != "1002" || sess.Token == "" {
		t.Fatalf("sign in = %+v, %v", sess, err)
	}
	call, err := s.CallNext(ctx, sess.Token)
	if err != nil || call.Counter != 2 {
		t.Fatalf("call from the new session = %+v, %v (counter from the session)", call, err)
	}
	if err := s.SignOut(ctx, sess.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Recall(ctx, sess.Token); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Fatalf("after sign-out: %v", err)
	}
}

func subscribe(t *testing.T, h Harness) {
	s := h.Svc
	o, err := s.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events, err := s.Subscribe(sctx, o.LastSeq)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, typ := range []string{demo.TypeFee, demo.TypeConsult, demo.TypeFee} {
		tk, err := s.Issue(ctx, typ, hall.Normal)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, tk.Number)
	}
	var got []string
	last := o.LastSeq
	for e := range events {
		if e.Seq <= last {
			t.Fatalf("event %d after %d: out of order or repeated", e.Seq, last)
		}
		last = e.Seq
		if e.Kind == hall.KindTicketIssued {
			var p hall.TicketEvent
			if err := e.Decode(&p); err != nil {
				t.Fatal(err)
			}
			got = append(got, p.Ticket.Number)
		}
		if len(got) == len(want) {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("streamed %v, want %v", got, want)
	}
	cancel()
	for range events { // the stream ends with the context
	}
}

func contactsMasked(t *testing.T, h Harness) {
	s := h.Svc
	c, err := s.RecordComplaint(ctx, h.Hall.At(1), hall.ComplaintInput{What: "等候时间过长", Contact: hall.Contact{Name: "王建国", Phone: "13812345678"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Contact.Phone != "138****5678" || c.Contact.Name != "王**" {
		t.Fatalf("complaint as returned: %+v", c.Contact)
	}
	list, err := s.Complaints(ctx, h.Hall.At(0))
	if err != nil || len(list) != 1 || list[0].Complaint.Contact.Phone != "138****5678" {
		t.Fatalf("register: %+v, %v", list, err)
	}
}

// contactLooks: a director sees a complaint's contact and a bad rating's
// call-back phone in full, a clerk is refused, and each look is a
// contact.viewed event that holds no contact.
func contactLooks(t *testing.T, h Harness) {
	s := h.Svc
	full := hall.Contact{Name: "王建国", Phone: "13812345678"}
	c, err := s.RecordComplaint(ctx, h.Hall.At(1), hall.ComplaintInput{What: "等候时间过长", Contact: full})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	for _, step := range []func(context.Context, hall.Token) error{
		func(ctx context.Context, tok hall.Token) error { _, err := s.CallNext(ctx, tok); return err },
		func(ctx context.Context, tok hall.Token) error { _, err := s.Start(ctx, tok); return err },
		func(ctx context.Context, tok hall.Token) error { _, err := s.Finish(ctx, tok); return err },
	} {
		if err := step(ctx, h.Hall.At(2)); err != nil {
			t.Fatal(err)
		}
	}
	req, err := s.PendingRating(ctx, 2)
	if err != nil || req == nil {
		t.Fatalf("pending rating = %+v, %v", req, err)
	}
	r, err := s.Rate(ctx, 2, hall.RatingInput{ServiceID: req.ServiceID, Level: hall.VeryDissatisfied, Reasons: []string{"服务态度"}, Phone: "13911112222"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := s.ComplaintContact(ctx, h.Hall.At(1), c.ID); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk looking at a complaint's contact: %v", err)
	}
	if _, err := s.RatingContact(ctx, h.Hall.At(2), r.ID); !errors.Is(err, hall.ErrNotPermitted) {
		t.Fatalf("a clerk looking at a call-back phone: %v", err)
	}
	if _, err := s.ComplaintContact(ctx, h.Hall.At(0), "no-such-complaint"); !errors.Is(err, hall.ErrUnknownMatter) || hall.Message(err) != "没有这件投诉" {
		t.Fatalf("an unknown complaint: %v (%q)", err, hall.Message(err))
	}
	if got, err := s.ComplaintContact(ctx, h.Hall.At(0), c.ID); err != nil || got != full {
		t.Fatalf("complaint contact = %+v, %v", got, err)
	}
	if got, err := s.RatingContact(ctx, h.Hall.At(0), r.ID); err != nil || got != (hall.Contact{Phone: "13911112222"}) {
		t.Fatalf("call-back phone = %+v, %v", got, err)
	}

	evs, err := h.Hall.DB.Events(ctx, o.LastSeq, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var looks []hall.ContactViewed
	for _, e := range evs {
		if strings.Contains(string(e.Payload), full.Phone) || strings.Contains(string(e.Payload), full.Name) ||
			strings.Contains(string(e.Payload), "13911112222") {
			t.Errorf("event %d (%s) holds a contact in full: %s", e.Seq, e.Kind, e.Payload)
		}
		if e.Kind == hall.KindContactViewed {
			var v hall.ContactViewed
			if err := e.Decode(&v); err != nil {
				t.Fatal(err)
			}
			looks = append(looks, v)
		}
	}
	if len(looks) != 2 || looks[0].Record != hall.ContactOfComplaint || looks[0].ID != c.ID || looks[0].By != "2001" ||
		looks[1].Record != hall.ContactOfRating || looks[1].ID != r.ID {
		t.Fatalf("looks recorded %+v, want the complaint's then the rating's, by 2001", looks)
	}
}

func nilResults(t *testing.T, h Harness) {
	s := h.Svc
	if r, err := s.PendingRating(ctx, 1); err != nil || r != nil {
		t.Fatalf("no service yet: %+v, %v", r, err)
	}
	if _, err := s.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CallNext(ctx, h.Hall.At(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start(ctx, h.Hall.At(1)); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Finish(ctx, h.Hall.At(1))
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.PendingRating(ctx, 1)
	if err != nil || r == nil || r.ServiceID != rec.ID {
		t.Fatalf("after a service: %+v, %v", r, err)
	}
	if p, err := s.PendingProxy(ctx, 1); err != nil || p != nil {
		t.Fatalf("no 代办: %+v, %v", p, err)
	}
}

func deskRoundTrip(t *testing.T, h Harness) {
	s := h.Svc
	dir := h.Hall.At(0)
	day := h.Hall.Clock.Now().In(halltest.Shanghai(t)).AddDate(0, 0, 3).Format(time.DateOnly)
	if _, err := s.ScheduleReception(ctx, dir, hall.ReceptionInput{Day: day, Hours: "09:00-11:00", Leader: "副总经理 王建国", Place: "二楼"}); err != nil {
		t.Fatal(err)
	}
	ns, err := s.Notices(ctx)
	if err != nil || !slices.ContainsFunc(ns, func(n hall.Notice) bool { return n.Kind == hall.NoticeReception }) {
		t.Fatalf("notices = %+v, %v", ns, err)
	}
	e, err := s.AddLog(ctx, dir, hall.LogIncident, "14:20 二楼停电", "")
	if err != nil {
		t.Fatal(err)
	}
	log, err := s.Log(ctx, dir, e.Day)
	if err != nil || !slices.ContainsFunc(log, func(x hall.LogEntry) bool { return x.ID == e.ID && x.Text == "14:20 二楼停电" }) {
		t.Fatalf("log = %+v, %v", log, err)
	}
	rep, err := s.Report(ctx, dir, hall.DayRange(e.Day))
	if err != nil || rep.Range.From != e.Day || len(rep.ByHour) != 24 {
		t.Fatalf("report = %+v, %v", rep.Range, err)
	}
}

// adminConfig: the administrator changes the hall's configuration (a
// staff member's first PIN crosses as its own argument), others are
// refused, a refused change writes nothing, and what was saved is in the
// store the hall reopens from.
func adminConfig(t *testing.T, h Harness) {
	s := h.Svc
	for name, tok := range map[string]hall.Token{"clerk": h.Hall.At(1), "director": h.Hall.At(0)} {
		if _, err := s.SaveCounterAs(ctx, tok, hall.Counter{No: 6, Name: "6号窗口", Types: []string{demo.TypeFee}}); !errors.Is(err, hall.ErrNotPermitted) ||
			hall.Message(err) != "只有系统管理员可以修改营业厅设置" {
			t.Fatalf("a %s adding a counter: %v (%q)", name, err, hall.Message(err))
		}
		if _, err := s.AddStaffAs(ctx, tok, hall.Staff{No: "1006", Name: "周琳", Role: hall.RoleAdmin, Active: true}, "2468"); !errors.Is(err, hall.ErrNotPermitted) {
			t.Fatalf("a %s adding staff: %v", name, err)
		}
	}
	adm, err := s.SignIn(ctx, 0, "9001", demo.PIN)
	if err != nil {
		t.Fatal(err)
	}
	tok := adm.Token

	// Refused changes write nothing.
	cfg0, err := s.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	o0, _ := s.Overview(ctx)
	bad := hall.DefaultPolicy()
	bad.OpenHours = []string{"08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "整天"}
	if _, err := s.SavePolicy(ctx, tok, bad); !errors.Is(err, hall.ErrInvalid) || !strings.Contains(hall.Message(err), "星期六") {
		t.Fatalf("bad Saturday hours: %v (%q)", err, hall.Message(err))
	}
	if _, err := s.AddStaffAs(ctx, tok, hall.Staff{No: "1001", Name: "李娜", Role: hall.RoleClerk, Active: true}, "2468"); !errors.Is(err, hall.ErrStaffExists) {
		t.Fatalf("a staff number in use: %v", err)
	}
	if _, err := s.SaveHallInfo(ctx, tok, hall.HallInfo{Name: "城关供电营业厅", Code: "HB0001"}); !errors.Is(err, hall.ErrHallCodeFixed) {
		t.Fatalf("a new hall code: %v", err)
	}
	if cfg, _ := s.Config(ctx); !reflect.DeepEqual(cfg, cfg0) {
		t.Fatalf("refused changes changed the configuration")
	}
	if o, _ := s.Overview(ctx); o.LastSeq != o0.LastSeq {
		t.Fatalf("refused changes wrote events: %d → %d", o0.LastSeq, o.LastSeq)
	}

	// The administrator's changes.
	if _, err := s.SaveHallInfo(ctx, tok, hall.HallInfo{Name: "城关供电营业厅（新址）"}); err != nil {
		t.Fatal(err)
	}
	p := hall.DefaultPolicy()
	p.OpenHours = []string{"09:00-16:00", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "08:30-17:30", "9:00-16:00"}
	if got, err := s.SavePolicy(ctx, tok, p); err != nil || got.OpenHours[6] != "09:00-16:00" {
		t.Fatalf("policy = %+v, %v", got, err)
	}
	if _, err := s.SaveTypeAs(ctx, tok, hall.BusinessType{Code: "ev", Name: "充电桩报装", Prefix: "G", Position: 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveCounterAs(ctx, tok, hall.Counter{No: 6, Name: "6号窗口", Types: []string{"ev", demo.TypeFee}}); err != nil {
		t.Fatal(err)
	}
	if m, err := s.AddStaffAs(ctx, tok, hall.Staff{No: "1006", Name: "周琳", Role: hall.RoleClerk, Active: true}, "2468"); err != nil || m.No != "1006" {
		t.Fatalf("add staff = %+v, %v", m, err)
	}
	if _, err := s.SaveStaffAs(ctx, tok, hall.Staff{No: "1005", Name: "陈静", Role: hall.RoleClerk, Active: false}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RetireTypeAs(ctx, tok, demo.TypeChange); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignIn(ctx, 6, "1006", "2468"); err != nil {
		t.Fatalf("the new clerk signs in with the PIN given: %v", err)
	}
	if _, err := s.Session(ctx, h.Hall.At(5)); !errors.Is(err, hall.ErrNotSignedIn) {
		t.Fatalf("the deactivated clerk is still signed in: %v", err)
	}

	// What the window reads, and what a reopened hall reads from its store.
	cfg, err := s.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := h.Hall.DB.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for src, c := range map[string]hall.Config{"Config": cfg, "store": {Hall: snap.Hall, Policy: snap.Policy, Types: snap.Types, Counters: snap.Counters, Staff: snap.Staff}} {
		if c.Hall.Name != "城关供电营业厅（新址）" || c.Hall.Code != "DEMO001" {
			t.Errorf("%s: hall %+v", src, c.Hall)
		}
		if want := append(p.OpenHours[:6:6], "09:00-16:00"); !slices.Equal(c.Policy.OpenHours, want) {
			t.Errorf("%s: hours %v", src, c.Policy.OpenHours)
		}
		if !slices.ContainsFunc(c.Types, func(bt hall.BusinessType) bool { return bt.Code == "ev" && bt.Name == "充电桩报装" && !bt.Retired }) ||
			!slices.ContainsFunc(c.Types, func(bt hall.BusinessType) bool { return bt.Code == demo.TypeChange && bt.Retired }) {
			t.Errorf("%s: types %+v", src, c.Types)
		}
		if !slices.ContainsFunc(c.Counters, func(x hall.Counter) bool { return x.No == 6 && slices.Equal(x.Types, []string{"ev", demo.TypeFee}) }) {
			t.Errorf("%s: counters %+v", src, c.Counters)
		}
		if !slices.ContainsFunc(c.Staff, func(m hall.Staff) bool { return m.No == "1006" && m.Name == "周琳" && m.Active }) ||
			!slices.ContainsFunc(c.Staff, func(m hall.Staff) bool { return m.No == "1005" && !m.Active }) {
			t.Errorf("%s: staff %+v", src, c.Staff)
		}
	}
	for _, m := range cfg.Staff {
		if m.PINHash != nil || m.PIN != "" {
			t.Errorf("Config shows %s's PIN", m.No)
		}
	}
}
