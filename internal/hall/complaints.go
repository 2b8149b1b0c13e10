package hall

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// A complaint is never edited: what happens to it is a status record
// appended after it (clause 4.1.5), and each status record is a leaf of the
// register too. The time limits of the 供电服务"十项承诺" run in working days
// from the complaint: contact the customer within 1, reply within 7.

// ComplaintStep is what a status record says happened.
type ComplaintStep string

// Complaint steps, in their usual order.
const (
	StepContacted ComplaintStep = "contacted" // 已联系客户
	StepReplied   ComplaintStep = "replied"   // 已答复客户
	StepClosed    ComplaintStep = "closed"    // 已办结
)

// Label is the step's Chinese name.
func (s ComplaintStep) Label() string {
	switch s {
	case StepContacted:
		return "已联系客户"
	case StepReplied:
		return "已答复客户"
	case StepClosed:
		return "已办结"
	}
	return string(s)
}

// ComplaintStatus is one status record of a complaint.
type ComplaintStatus struct {
	ID          string        `json:"id"`
	ComplaintID string        `json:"complaint_id"`
	Step        ComplaintStep `json:"step"`
	Note        string        `json:"note"`
	By          string        `json:"by"`
	At          time.Time     `json:"at"`
}

// ComplaintView is a complaint as the director's register shows it: the
// contact masked, its status records, and its limits.
type ComplaintView struct {
	Complaint  Complaint         `json:"complaint"`
	Statuses   []ComplaintStatus `json:"statuses"`
	ContactDue string            `json:"contact_due"` // local date
	ReplyDue   string            `json:"reply_due"`
	Contacted  bool              `json:"contacted"`
	Replied    bool              `json:"replied"`
	Closed     bool              `json:"closed"`
	// Overdue steps as of the moment the view was made.
	ContactOverdue bool `json:"contact_overdue"`
	ReplyOverdue   bool `json:"reply_overdue"`
}

// Complaint time limits in working days.
const (
	ComplaintContactDays = 1
	ComplaintReplyDays   = 7
)

// Complaint status event kind and register leaf kind.
const (
	KindComplaintStatus Kind = "complaint.status"
	LeafComplaintStatus      = "complaint_status"
)

// ComplaintStatusLeaf is the canonical bytes of a status record's leaf.
func ComplaintStatusLeaf(s ComplaintStatus) []byte {
	b, err := json.Marshal(struct {
		Kind        string `json:"kind"`
		ID          string `json:"id"`
		ComplaintID string `json:"complaint_id"`
		Step        string `json:"step"`
		Note        string `json:"note"`
		By          string `json:"by"`
		At          int64  `json:"at"`
	}{LeafComplaintStatus, s.ID, s.ComplaintID, string(s.Step), s.Note, s.By, s.At.UnixMilli()})
	if err != nil {
		panic(err)
	}
	return b
}

// openComplaint is a complaint not yet closed, as memory keeps it.
type openComplaint struct {
	c        Complaint
	statuses []ComplaintStatus
}

func (st *state) view(o *openComplaint, now time.Time) ComplaintView {
	v := ComplaintView{Complaint: o.c, Statuses: slices.Clone(o.statuses)}
	v.Complaint.Contact, v.Complaint.Salt = o.c.Contact.Masked(), nil
	v.ContactDue = st.calendar.AddWorkdays(o.c.CreatedAt, st.loc, ComplaintContactDays)
	v.ReplyDue = st.calendar.AddWorkdays(o.c.CreatedAt, st.loc, ComplaintReplyDays)
	for _, s := range o.statuses {
		switch s.Step {
		case StepContacted:
			v.Contacted = true
		case StepReplied:
			v.Contacted, v.Replied = true, true
		case StepClosed:
			v.Contacted, v.Replied, v.Closed = true, true, true
		}
	}
	today := st.localDay(now)
	v.ContactOverdue = !v.Contacted && today > v.ContactDue
	v.ReplyOverdue = !v.Replied && today > v.ReplyDue
	return v
}

// AddComplaintStatus appends a status record to an open complaint; a
// director or admin only. Closing needs the reply first.
func (tx *Tx) AddComplaintStatus(tok Token, complaintID string, step ComplaintStep, note string) (ComplaintStatus, error) {
	m, err := tx.director(tok)
	if err != nil {
		return ComplaintStatus{}, err
	}
	return tx.addComplaintStatus(m, complaintID, step, note)
}

// AddComplaintStatusAs appends a status record as a given director, for
// trusted in-process callers (the traffic simulator).
func (tx *Tx) AddComplaintStatusAs(by, complaintID string, step ComplaintStep, note string) (ComplaintStatus, error) {
	m, err := tx.trustedDirector(by)
	if err != nil {
		return ComplaintStatus{}, err
	}
	return tx.addComplaintStatus(m, complaintID, step, note)
}

func (tx *Tx) addComplaintStatus(m *Staff, complaintID string, step ComplaintStep, note string) (ComplaintStatus, error) {
	o := tx.st.complaints[complaintID]
	if o == nil {
		return ComplaintStatus{}, ErrUnknownMatter.WithMessage("没有这件未办结的投诉", "no open complaint %s", complaintID)
	}
	if step != StepContacted && step != StepReplied && step != StepClosed {
		return ComplaintStatus{}, ErrInvalid.WithMessage("投诉处理环节有误", "step %q", step)
	}
	note, err := trimmed(note, 1000, "处理情况")
	if err != nil {
		return ComplaintStatus{}, err
	}
	if step == StepClosed && !tx.st.view(o, tx.now()).Replied {
		return ComplaintStatus{}, ErrInvalid.WithMessage("投诉须先答复客户，才能办结", "close before reply")
	}
	id, err := newID()
	if err != nil {
		return ComplaintStatus{}, err
	}
	now := tx.now()
	s := ComplaintStatus{ID: id, ComplaintID: complaintID, Step: step, Note: strings.TrimSpace(note), By: m.No, At: now}
	o.statuses = append(o.statuses, s)
	if step == StepClosed {
		delete(tx.st.complaints, complaintID)
	}
	tx.statuses = append(tx.statuses, s)
	tx.mutated = true
	return s, tx.emit(KindComplaintStatus, now, s)
}

// AddComplaintStatus appends a status record to a complaint.
func (l *Local) AddComplaintStatus(ctx context.Context, tok Token, complaintID string, step ComplaintStep, note string) (ComplaintStatus, error) {
	return do(ctx, l, func(tx *Tx) (ComplaintStatus, error) { return tx.AddComplaintStatus(tok, complaintID, step, note) })
}

// Complaints lists the complaints not yet closed, oldest first, with their
// limits; a director or admin only. Contacts are masked.
func (l *Local) Complaints(ctx context.Context, tok Token) ([]ComplaintView, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.st.lookupDirector(tok)
	if err != nil {
		return nil, err
	}
	now := l.clock.Now()
	out := []ComplaintView{}
	for _, o := range l.st.complaints {
		out = append(out, l.st.view(o, now))
	}
	slices.SortFunc(out, func(a, b ComplaintView) int {
		return cmp.Or(a.Complaint.CreatedAt.Compare(b.Complaint.CreatedAt), cmp.Compare(a.Complaint.ID, b.Complaint.ID))
	})
	return out, nil
}

// historyStore checks that tok is a director's or an admin's and that
// from..to is in order, and returns the store as S, which reads the
// history named what.
func historyStore[S any](l *Local, tok Token, from, to, what string) (S, error) {
	var s S
	l.mu.Lock()
	_, err := l.st.lookupDirector(tok)
	l.mu.Unlock()
	if err != nil {
		return s, err
	}
	if from > to {
		return s, ErrInvalid.WithMessage("开始日期不能晚于结束日期", "from %s after %s", from, to)
	}
	s, ok := l.store.(S)
	if !ok {
		return s, ErrStore.WithMessagef("此数据存储不支持查阅%s", []string{what}, "store is no %T", &s)
	}
	return s, nil
}

// ComplaintStore is a store that reads complaints back, closed ones included.
type ComplaintStore interface {
	ComplaintsBetween(ctx context.Context, from, to string, loc *time.Location) ([]Complaint, []ComplaintStatus, error)
}

// ComplaintHistory lists the complaints taken on days from..to, closed
// ones included, oldest first, contacts masked; a director or admin only.
func (l *Local) ComplaintHistory(ctx context.Context, tok Token, from, to string) ([]ComplaintView, error) {
	cs, err := historyStore[ComplaintStore](l, tok, from, to, "投诉历史")
	if err != nil {
		return nil, err
	}
	complaints, statuses, err := cs.ComplaintsBetween(ctx, from, to, l.st.loc)
	if err != nil {
		return nil, err
	}
	byID := map[string]*openComplaint{}
	for _, c := range complaints {
		byID[c.ID] = &openComplaint{c: c}
	}
	for _, s := range statuses {
		if o := byID[s.ComplaintID]; o != nil {
			o.statuses = append(o.statuses, s)
		}
	}
	l.mu.Lock()
	now := l.clock.Now()
	out := make([]ComplaintView, 0, len(complaints))
	for _, c := range complaints {
		out = append(out, l.st.view(byID[c.ID], now))
	}
	l.mu.Unlock()
	slices.SortFunc(out, func(a, b ComplaintView) int {
		return cmp.Or(a.Complaint.CreatedAt.Compare(b.Complaint.CreatedAt), cmp.Compare(a.Complaint.ID, b.Complaint.ID))
	})
	return out, nil
}
