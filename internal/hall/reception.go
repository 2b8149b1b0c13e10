package hall

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Leadership reception days (领导接待日, clause 4.2.2): a leader of the
// county company receives customers at the hall on scheduled days. The
// schedule is public, shown at the kiosk and on the display in the week
// before; each visitor's matter is recorded with the leader's commitment
// and a deadline, followed up, and closed only with the reply given to the
// visitor. Visit records and their follow-ups are never edited and are
// leaves of the register; the visitor's contact appears in full only in
// the visit's own record.

// ReceptionDay is one scheduled reception day.
type ReceptionDay struct {
	ID     string    `json:"id"`
	Day    string    `json:"day"`   // local date
	Hours  string    `json:"hours"` // "09:00-11:30"
	Leader string    `json:"leader"`
	Place  string    `json:"place"`
	Topics string    `json:"topics,omitempty"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	// Cancelled is when the day was called off, with why.
	Cancelled  time.Time `json:"cancelled,omitzero"`
	CancelNote string    `json:"cancel_note,omitempty"`
}

// Active reports whether the day still takes place.
func (r ReceptionDay) Active() bool { return r.Cancelled.IsZero() }

// ReceptionInput schedules a reception day.
type ReceptionInput struct {
	Day    string `json:"day"`
	Hours  string `json:"hours"`
	Leader string `json:"leader"`
	Place  string `json:"place"`
	Topics string `json:"topics"`
}

// Visit is one visitor received on a reception day.
type Visit struct {
	ID          string    `json:"id"`
	ReceptionID string    `json:"reception_id"`
	Day         string    `json:"day"` // the reception day's date
	Leader      string    `json:"leader"`
	Contact     Contact   `json:"contact"` // masked except in VisitRecord
	Matter      string    `json:"matter"`
	Commitment  string    `json:"commitment"` // what the leader committed to
	Deadline    string    `json:"deadline"`   // local date
	By          string    `json:"by"`         // who recorded it
	At          time.Time `json:"at"`
	Salt        []byte    `json:"-"`
}

// VisitInput records a visitor.
type VisitInput struct {
	ReceptionID string  `json:"reception_id"`
	Contact     Contact `json:"contact"`
	Matter      string  `json:"matter"`
	Commitment  string  `json:"commitment"`
	Deadline    string  `json:"deadline"`
}

// VisitNote is a follow-up of a visit; a closing note carries the reply
// given to the visitor and closes the visit.
type VisitNote struct {
	ID      string    `json:"id"`
	VisitID string    `json:"visit_id"`
	Closing bool      `json:"closing"`
	Note    string    `json:"note"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// VisitView is a visit with its follow-ups, contact masked.
type VisitView struct {
	Visit   Visit       `json:"visit"`
	Notes   []VisitNote `json:"notes"`
	Closed  bool        `json:"closed"`
	Overdue bool        `json:"overdue"`
}

// Reception event and leaf kinds.
const (
	KindReceptionScheduled Kind = "reception.scheduled"
	KindReceptionCancelled Kind = "reception.cancelled"
	KindVisitRecorded      Kind = "reception.visit"
	KindVisitNote          Kind = "reception.note"

	LeafVisit     = "reception_visit"
	LeafVisitNote = "reception_note"
)

// NoticeReception is the notice kind under which upcoming reception days
// show at the kiosk and on the display.
const NoticeReception NoticeKind = "reception"

// ReceptionNoticeDays is how many days ahead a reception day is announced.
const ReceptionNoticeDays = 7

// VisitLeaf is the canonical bytes of a visit's register leaf; the
// visitor's contact enters it only as a salted hash.
func VisitLeaf(v Visit, salt []byte) []byte {
	l := struct {
		Kind        string `json:"kind"`
		ID          string `json:"id"`
		ReceptionID string `json:"reception_id"`
		Day         string `json:"day"`
		Leader      string `json:"leader"`
		ContactHash string `json:"contact_hash"`
		Matter      string `json:"matter"`
		Commitment  string `json:"commitment"`
		Deadline    string `json:"deadline"`
		By          string `json:"by"`
		At          int64  `json:"at"`
	}{LeafVisit, v.ID, v.ReceptionID, v.Day, v.Leader, "", v.Matter, v.Commitment, v.Deadline, v.By, v.At.UnixMilli()}
	if salt != nil {
		l.ContactHash = ContactHash(salt, v.Contact)
	}
	b, err := json.Marshal(l)
	if err != nil {
		panic(err)
	}
	return b
}

// VisitNoteLeaf is the canonical bytes of a follow-up's register leaf.
func VisitNoteLeaf(n VisitNote) []byte {
	b, err := json.Marshal(struct {
		Kind    string `json:"kind"`
		ID      string `json:"id"`
		VisitID string `json:"visit_id"`
		Closing bool   `json:"closing"`
		Note    string `json:"note"`
		By      string `json:"by"`
		At      int64  `json:"at"`
	}{LeafVisitNote, n.ID, n.VisitID, n.Closing, n.Note, n.By, n.At.UnixMilli()})
	if err != nil {
		panic(err)
	}
	return b
}

// parseHours checks "HH:MM-HH:MM" with the end after the start.
func parseHours(s string) (string, error) {
	s = strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(s), "－", "-"), "：", ":")
	from, to, ok := strings.Cut(s, "-")
	bad := ErrInvalid.WithMessage("接待时间格式有误，例如 09:00-11:30", "bad hours %q", s)
	if !ok {
		return "", bad
	}
	a, err1 := time.Parse("15:04", strings.TrimSpace(from))
	b, err2 := time.Parse("15:04", strings.TrimSpace(to))
	if err1 != nil || err2 != nil {
		return "", bad
	}
	if !b.After(a) {
		return "", ErrInvalid.WithMessage("接待结束时间须晚于开始时间", "hours %q end before start", s)
	}
	return a.Format("15:04") + "-" + b.Format("15:04"), nil
}

func (tx *Tx) parseDay(day, field string) (string, error) {
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(day), tx.st.loc)
	if err != nil {
		return "", ErrInvalid.WithMessagef("%s格式有误，例如 2026-12-01", []string{field}, "bad day %q", day)
	}
	return d.Format(time.DateOnly), nil
}

// ScheduleReception puts a reception day on the schedule; a director or
// admin only. One reception day per date.
func (tx *Tx) ScheduleReception(tok Token, in ReceptionInput) (ReceptionDay, error) {
	m, err := tx.director(tok)
	if err != nil {
		return ReceptionDay{}, err
	}
	return tx.scheduleReception(m, in)
}

// ScheduleReceptionAs schedules as a given director, for trusted in-process callers.
func (tx *Tx) ScheduleReceptionAs(by string, in ReceptionInput) (ReceptionDay, error) {
	m, err := tx.trustedDirector(by)
	if err != nil {
		return ReceptionDay{}, err
	}
	return tx.scheduleReception(m, in)
}

func (tx *Tx) scheduleReception(m *Staff, in ReceptionInput) (ReceptionDay, error) {
	day, err := tx.parseDay(in.Day, "接待日期")
	if err != nil {
		return ReceptionDay{}, err
	}
	now := tx.now()
	if day < tx.st.localDay(now) {
		return ReceptionDay{}, ErrInvalid.WithMessage("已过去的日期不能安排接待日", "reception day %s is past", day)
	}
	hours, err := parseHours(in.Hours)
	if err != nil {
		return ReceptionDay{}, err
	}
	leader, err := trimmed(in.Leader, 40, "接待领导")
	if err != nil {
		return ReceptionDay{}, err
	}
	place, err := trimmed(in.Place, 60, "接待地点")
	if err != nil {
		return ReceptionDay{}, err
	}
	topics := strings.TrimSpace(in.Topics)
	if utf8.RuneCountInString(topics) > 200 {
		return ReceptionDay{}, ErrInvalid.WithMessage("接待主题不能超过200个字", "topics too long")
	}
	for _, r := range tx.st.receptions {
		if r.Day == day && r.Active() {
			return ReceptionDay{}, ErrInvalid.WithMessagef("%s已安排了领导接待日", []string{day}, "reception day %s exists", day)
		}
	}
	id, err := newID()
	if err != nil {
		return ReceptionDay{}, err
	}
	r := &ReceptionDay{ID: id, Day: day, Hours: hours, Leader: leader, Place: place, Topics: topics, By: m.No, At: now}
	tx.st.receptions[r.ID] = r
	tx.receptions = append(tx.receptions, r)
	tx.mutated = true
	return *r, tx.emit(KindReceptionScheduled, now, *r)
}

// CancelReception calls off a reception day that has not passed; the
// reason is required and shown in the schedule.
func (tx *Tx) CancelReception(tok Token, id, note string) (ReceptionDay, error) {
	m, err := tx.director(tok)
	if err != nil {
		return ReceptionDay{}, err
	}
	r := tx.st.receptions[id]
	if r == nil {
		return ReceptionDay{}, ErrUnknownMatter.WithMessage("没有这个接待日", "no reception day %s", id)
	}
	if !r.Active() {
		return ReceptionDay{}, ErrMatterClosed.WithMessage("这个接待日已经取消", "reception %s cancelled", id)
	}
	now := tx.now()
	if r.Day < tx.st.localDay(now) {
		return ReceptionDay{}, ErrInvalid.WithMessage("已过去的接待日不能取消", "reception %s is past", id)
	}
	note, err = trimmed(note, 100, "取消原因")
	if err != nil {
		return ReceptionDay{}, err
	}
	r.Cancelled, r.CancelNote = now, note
	tx.receptions = append(tx.receptions, r)
	tx.mutated = true
	return *r, tx.emit(KindReceptionCancelled, now, struct {
		ReceptionDay
		CancelledBy string `json:"cancelled_by"`
	}{*r, m.No})
}

// RecordVisit records a visitor received on a reception day that has come
// (on the day or later, as records are often written up afterwards).
func (tx *Tx) RecordVisit(tok Token, in VisitInput) (Visit, error) {
	m, err := tx.director(tok)
	if err != nil {
		return Visit{}, err
	}
	return tx.recordVisit(m, in)
}

// RecordVisitAs records a visit as a given director, for trusted in-process callers.
func (tx *Tx) RecordVisitAs(by string, in VisitInput) (Visit, error) {
	m, err := tx.trustedDirector(by)
	if err != nil {
		return Visit{}, err
	}
	return tx.recordVisit(m, in)
}

func (tx *Tx) recordVisit(m *Staff, in VisitInput) (Visit, error) {
	r := tx.st.receptions[in.ReceptionID]
	if r == nil {
		return Visit{}, ErrUnknownMatter.WithMessage("请选择接待日", "no reception day %s", in.ReceptionID)
	}
	if !r.Active() {
		return Visit{}, ErrMatterClosed.WithMessage("这个接待日已经取消，不能登记来访", "reception %s cancelled", r.ID)
	}
	now := tx.now()
	if r.Day > tx.st.localDay(now) {
		return Visit{}, ErrInvalid.WithMessage("接待日还没到，不能登记来访", "reception %s is on %s", r.ID, r.Day)
	}
	contact, err := checkContact(in.Contact, true)
	if err != nil {
		return Visit{}, err
	}
	matter, err := trimmed(in.Matter, 1000, "来访事项")
	if err != nil {
		return Visit{}, err
	}
	commitment, err := trimmed(in.Commitment, 500, "领导承诺")
	if err != nil {
		return Visit{}, err
	}
	deadline, err := tx.parseDay(in.Deadline, "办理期限")
	if err != nil {
		return Visit{}, err
	}
	if deadline < r.Day {
		return Visit{}, ErrInvalid.WithMessage("办理期限不能早于接待日", "deadline %s before %s", deadline, r.Day)
	}
	id, err := newID()
	if err != nil {
		return Visit{}, err
	}
	salt, err := newSalt()
	if err != nil {
		return Visit{}, err
	}
	v := &Visit{ID: id, ReceptionID: r.ID, Day: r.Day, Leader: r.Leader, Contact: contact, Matter: matter,
		Commitment: commitment, Deadline: deadline, By: m.No, At: now, Salt: salt}
	tx.st.visits[v.ID] = &openVisit{v: *v}
	tx.visits = append(tx.visits, v)
	tx.mutated = true
	out := *v
	out.Contact, out.Salt = v.Contact.Masked(), nil
	return out, tx.emit(KindVisitRecorded, now, out)
}

// AddVisitNote follows up a visit; closing records the reply given to the
// visitor and closes it. A closed visit takes no more notes.
func (tx *Tx) AddVisitNote(tok Token, visitID, note string, closing bool) (VisitNote, error) {
	m, err := tx.director(tok)
	if err != nil {
		return VisitNote{}, err
	}
	return tx.addVisitNote(m, visitID, note, closing)
}

// AddVisitNoteAs follows up as a given director, for trusted in-process callers.
func (tx *Tx) AddVisitNoteAs(by, visitID, note string, closing bool) (VisitNote, error) {
	m, err := tx.trustedDirector(by)
	if err != nil {
		return VisitNote{}, err
	}
	return tx.addVisitNote(m, visitID, note, closing)
}

func (tx *Tx) addVisitNote(m *Staff, visitID, note string, closing bool) (VisitNote, error) {
	o := tx.st.visits[visitID]
	if o == nil {
		return VisitNote{}, ErrUnknownMatter.WithMessage("没有这条在办的来访记录", "no open visit %s", visitID)
	}
	field := "跟进情况"
	if closing {
		field = "给来访客户的答复"
	}
	note, err := trimmed(note, 1000, field)
	if err != nil {
		return VisitNote{}, err
	}
	id, err := newID()
	if err != nil {
		return VisitNote{}, err
	}
	now := tx.now()
	n := VisitNote{ID: id, VisitID: visitID, Closing: closing, Note: note, By: m.No, At: now}
	o.notes = append(o.notes, n)
	if closing {
		delete(tx.st.visits, visitID)
	}
	tx.visitNotes = append(tx.visitNotes, n)
	tx.mutated = true
	return n, tx.emit(KindVisitNote, now, n)
}

type openVisit struct {
	v     Visit
	notes []VisitNote
}

// ViewVisit builds the view of a visit from its notes: contact masked,
// closed when a closing note exists, overdue when open past its deadline.
func ViewVisit(v Visit, notes []VisitNote, today string) VisitView {
	out := VisitView{Visit: v, Notes: slices.Clone(notes)}
	out.Visit.Contact, out.Visit.Salt = v.Contact.Masked(), nil
	if out.Notes == nil {
		out.Notes = []VisitNote{}
	}
	for _, n := range notes {
		out.Closed = out.Closed || n.Closing
	}
	out.Overdue = !out.Closed && today > v.Deadline
	return out
}

// receptionNotices are the notices of the active reception days from
// today to ReceptionNoticeDays ahead.
func (st *state) receptionNotices(now time.Time) []Notice {
	today := st.localDay(now)
	last := now.In(st.loc).AddDate(0, 0, ReceptionNoticeDays).Format(time.DateOnly)
	var out []Notice
	for _, r := range st.receptions {
		if !r.Active() || r.Day < today || r.Day > last {
			continue
		}
		d, _ := time.ParseInLocation(time.DateOnly, r.Day, st.loc)
		key, args := receptionNoticeKey(r.Day == today, r.Topics != ""), []string{
			strconv.Itoa(int(d.Month())), strconv.Itoa(d.Day()), weekdayZH[d.Weekday()], r.Hours, r.Leader, r.Place}
		if r.Topics != "" {
			args = append(args, r.Topics)
		}
		n := Notice{ID: "reception:" + r.ID, Kind: NoticeReception, Key: key, Args: args,
			From: d.AddDate(0, 0, -ReceptionNoticeDays), Until: d.AddDate(0, 0, 1), PostedBy: r.By}
		n.Text = n.TextIn(func(s string) string { return s })
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b Notice) int { return a.From.Compare(b.From) })
	return out
}

var weekdayZH = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// receptionNoticeKey is the Chinese format of a reception day's notice:
// month, day, weekday, hours, leader, place[, topics].
func receptionNoticeKey(today, topics bool) string {
	switch {
	case today && topics:
		return "今天 %s月%s日（%s）%s，%s在%s接待客户，主题：%s"
	case today:
		return "今天 %s月%s日（%s）%s，%s在%s接待客户"
	case topics:
		return "%s月%s日（%s）%s，%s在%s接待客户，主题：%s"
	}
	return "%s月%s日（%s）%s，%s在%s接待客户"
}

// VisitStore is a store that reads visits back, closed ones included.
type VisitStore interface {
	// Visits returns the visits of reception days from..to (local dates,
	// inclusive), contacts in full, with every follow-up.
	Visits(ctx context.Context, from, to string) ([]Visit, []VisitNote, error)
	// Visit returns one visit, contact in full, with its follow-ups.
	Visit(ctx context.Context, id string) (Visit, []VisitNote, error)
}

// ScheduleReception schedules a reception day.
func (l *Local) ScheduleReception(ctx context.Context, tok Token, in ReceptionInput) (ReceptionDay, error) {
	return do(ctx, l, func(tx *Tx) (ReceptionDay, error) { return tx.ScheduleReception(tok, in) })
}

// CancelReception calls off a reception day.
func (l *Local) CancelReception(ctx context.Context, tok Token, id, note string) (ReceptionDay, error) {
	return do(ctx, l, func(tx *Tx) (ReceptionDay, error) { return tx.CancelReception(tok, id, note) })
}

// RecordVisit records a visitor.
func (l *Local) RecordVisit(ctx context.Context, tok Token, in VisitInput) (Visit, error) {
	return do(ctx, l, func(tx *Tx) (Visit, error) { return tx.RecordVisit(tok, in) })
}

// AddVisitNote follows up or closes a visit.
func (l *Local) AddVisitNote(ctx context.Context, tok Token, visitID, note string, closing bool) (VisitNote, error) {
	return do(ctx, l, func(tx *Tx) (VisitNote, error) { return tx.AddVisitNote(tok, visitID, note, closing) })
}

// Receptions lists the reception days from a local date for n days,
// cancelled ones included, in date order. The schedule is public.
func (l *Local) Receptions(ctx context.Context, from string, days int) ([]ReceptionDay, error) {
	start, err := time.ParseInLocation(time.DateOnly, from, l.st.loc)
	if err != nil || days < 1 || days > 3660 {
		return nil, ErrInvalid.WithMessage("日期范围有误", "receptions from %q for %d days", from, days)
	}
	last := start.AddDate(0, 0, days-1).Format(time.DateOnly)
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []ReceptionDay{}
	for _, r := range l.st.receptions {
		if r.Day >= from && r.Day <= last {
			out = append(out, *r)
		}
	}
	slices.SortFunc(out, func(a, b ReceptionDay) int { return cmp.Or(cmp.Compare(a.Day, b.Day), a.At.Compare(b.At)) })
	return out, nil
}

// Visits lists visits, contacts masked: the open ones (all=false), or
// every visit of reception days from..to (all=true). A director or admin only.
func (l *Local) Visits(ctx context.Context, tok Token, all bool, from, to string) ([]VisitView, error) {
	l.mu.Lock()
	_, err := l.st.lookupDirector(tok)
	today := l.st.localDay(l.clock.Now())
	var open []VisitView
	if err == nil && !all {
		for _, o := range l.st.visits {
			open = append(open, ViewVisit(o.v, o.notes, today))
		}
	}
	l.mu.Unlock()
	if err != nil {
		return nil, err
	}
	out := open
	if all {
		vs, err := historyStore[VisitStore](l, tok, from, to, "来访记录")
		if err != nil {
			return nil, err
		}
		visits, notes, err := vs.Visits(ctx, from, to)
		if err != nil {
			return nil, err
		}
		byVisit := map[string][]VisitNote{}
		for _, n := range notes {
			byVisit[n.VisitID] = append(byVisit[n.VisitID], n)
		}
		for _, v := range visits {
			out = append(out, ViewVisit(v, byVisit[v.ID], today))
		}
	}
	if out == nil {
		out = []VisitView{}
	}
	slices.SortFunc(out, func(a, b VisitView) int {
		return cmp.Or(cmp.Compare(a.Visit.Day, b.Visit.Day), a.Visit.At.Compare(b.Visit.At), cmp.Compare(a.Visit.ID, b.Visit.ID))
	})
	return out, nil
}

// VisitRecord returns one visit with the visitor's contact in full: the
// record itself, for a director or admin.
func (l *Local) VisitRecord(ctx context.Context, tok Token, id string) (VisitView, error) {
	l.mu.Lock()
	_, err := l.st.lookupDirector(tok)
	today := l.st.localDay(l.clock.Now())
	l.mu.Unlock()
	if err != nil {
		return VisitView{}, err
	}
	vs, ok := l.store.(VisitStore)
	if !ok {
		return VisitView{}, ErrStore.WithMessage("此数据存储不支持查阅来访记录", "store has no Visit")
	}
	v, notes, err := vs.Visit(ctx, id)
	if err != nil {
		return VisitView{}, err
	}
	out := ViewVisit(v, notes, today)
	out.Visit.Contact = v.Contact
	return out, nil
}
