package hall

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// NoticeKind is what a notice is about.
type NoticeKind string

// Notice kinds: planned or fault outages (95598 停电信息公告, clause 4.3.1),
// an emergency (clause 4.1.12), or general information.
const (
	NoticeOutage    NoticeKind = "outage"
	NoticeEmergency NoticeKind = "emergency"
	NoticeInfo      NoticeKind = "info"
)

// Label is the kind's Chinese name.
func (k NoticeKind) Label() string {
	switch k {
	case NoticeOutage:
		return "停电公告"
	case NoticeEmergency:
		return "紧急通知"
	case NoticeReception:
		return "领导接待日"
	}
	return "温馨提示"
}

// Notice is shown on the hall display and the kiosk while in force.
type Notice struct {
	ID       string     `json:"id"`
	Kind     NoticeKind `json:"kind"`
	Text     string     `json:"text"`
	From     time.Time  `json:"from"`
	Until    time.Time  `json:"until"`
	PostedBy string     `json:"posted_by"` // staff number, or "HQ"
	Ended    time.Time  `json:"ended,omitzero"`
	// Key and Args, for a notice the hall composes (a reception day), are
	// the Chinese format of Text and what fills it, so that a window in
	// another language can translate it; a notice people wrote has neither.
	Key  string   `json:"key,omitempty"`
	Args []string `json:"args,omitempty"`
}

// TextIn is the notice's text through the translation tr: a composed
// notice is translated whole, with each argument through tr too (a
// weekday, say; names stay as they are); a written one is as written.
func (n Notice) TextIn(tr func(string) string) string {
	if n.Key == "" {
		return n.Text
	}
	args := make([]any, len(n.Args))
	for i, a := range n.Args {
		args[i] = tr(a)
	}
	return fmt.Sprintf(tr(n.Key), args...)
}

// InForce reports whether the notice is shown at t.
func (n Notice) InForce(t time.Time) bool {
	return n.Ended.IsZero() && !t.Before(n.From) && t.Before(n.Until)
}

// NoticeInput is a notice to post.
type NoticeInput struct {
	Kind  NoticeKind `json:"kind"`
	Text  string     `json:"text"`
	From  time.Time  `json:"from"`  // zero: now
	Until time.Time  `json:"until"` // must be after From
}

// Notice event kinds.
const (
	KindNoticePosted Kind = "notice.posted"
	KindNoticeEnded  Kind = "notice.ended"
)

// PostNotice puts up a notice; a director or admin only.
func (tx *Tx) PostNotice(tok Token, in NoticeInput) (Notice, error) {
	m, err := tx.director(tok)
	if err != nil {
		return Notice{}, err
	}
	return tx.postNotice(m.No, in)
}

func (tx *Tx) postNotice(by string, in NoticeInput) (Notice, error) {
	return tx.postNoticeID("", by, in)
}

// postNoticeID posts with a given ID (headquarters' own), or a new one.
func (tx *Tx) postNoticeID(id, by string, in NoticeInput) (Notice, error) {
	if in.Kind != NoticeOutage && in.Kind != NoticeEmergency && in.Kind != NoticeInfo {
		return Notice{}, ErrInvalid.WithMessage("公告类别有误", "notice kind %q", in.Kind)
	}
	text := strings.TrimSpace(in.Text)
	if text == "" || utf8.RuneCountInString(text) > 300 {
		return Notice{}, ErrInvalid.WithMessage("公告内容不能为空，且不超过300个字", "notice text length")
	}
	now := tx.now()
	if in.From.IsZero() {
		in.From = now
	}
	if !in.Until.After(in.From) || !in.Until.After(now) {
		return Notice{}, ErrInvalid.WithMessage("公告的结束时间须晚于开始时间和现在", "notice until %v", in.Until)
	}
	if id == "" {
		var err error
		if id, err = newID(); err != nil {
			return Notice{}, err
		}
	}
	n := &Notice{ID: id, Kind: in.Kind, Text: text, From: in.From.UTC().Truncate(time.Millisecond),
		Until: in.Until.UTC().Truncate(time.Millisecond), PostedBy: by}
	tx.st.notices[n.ID] = n
	tx.notices = append(tx.notices, n)
	tx.mutated = true
	return *n, tx.emit(KindNoticePosted, now, *n)
}

// PostHQNotice posts a notice pulled from headquarters (95598 停电信息公告)
// under headquarters' ID. Posting the same ID again changes nothing, so a
// pull repeated after a crash is harmless.
func (l *Local) PostHQNotice(ctx context.Context, id string, in NoticeInput) (Notice, error) {
	return do(ctx, l, func(tx *Tx) (Notice, error) {
		if err := tx.requireConfigured(); err != nil {
			return Notice{}, err
		}
		if n := tx.st.notices[id]; n != nil {
			return *n, nil
		}
		if strings.TrimSpace(id) == "" {
			return Notice{}, ErrInvalid.WithMessage("总部公告缺少编号", "HQ notice without an id")
		}
		return tx.postNoticeID(id, "HQ", in)
	})
}

// EndNotice takes a notice down early.
func (tx *Tx) EndNotice(tok Token, id string) error {
	if _, err := tx.director(tok); err != nil {
		return err
	}
	n := tx.st.notices[id]
	if n == nil {
		return ErrUnknownMatter
	}
	now := tx.now()
	n.Ended = now
	delete(tx.st.notices, id)
	tx.notices = append(tx.notices, n)
	tx.mutated = true
	return tx.emit(KindNoticeEnded, now, *n)
}

// PostNotice puts up a notice.
func (l *Local) PostNotice(ctx context.Context, tok Token, in NoticeInput) (Notice, error) {
	return do(ctx, l, func(tx *Tx) (Notice, error) { return tx.PostNotice(tok, in) })
}

// EndNotice takes a notice down.
func (l *Local) EndNotice(ctx context.Context, tok Token, id string) error {
	return l.Batch(ctx, func(tx *Tx) error { return tx.EndNotice(tok, id) })
}

// Notices returns the notices in force now, emergencies first.
func (l *Local) Notices(ctx context.Context) ([]Notice, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	out := []Notice{}
	for _, n := range l.st.notices {
		if n.InForce(now) {
			out = append(out, *n)
		}
	}
	out = append(out, l.st.receptionNotices(now)...)
	rank := map[NoticeKind]int{NoticeEmergency: 0, NoticeOutage: 1, NoticeInfo: 2, NoticeReception: 3}
	slices.SortFunc(out, func(a, b Notice) int { return cmp.Or(cmp.Compare(rank[a.Kind], rank[b.Kind]), a.From.Compare(b.From)) })
	return out, nil
}

// CounterCard is what a counter's customer-facing screen shows between
// services: the counter and the clerk's staff number and name, as halls
// display them.
type CounterCard struct {
	Counter   int          `json:"counter"`
	Name      string       `json:"name"`
	State     CounterState `json:"state"`
	StaffNo   string       `json:"staff_no,omitempty"` // empty when nobody is signed in
	StaffName string       `json:"staff_name,omitempty"`
}

// CounterCard returns a counter's card.
func (l *Local) CounterCard(ctx context.Context, counter int) (CounterCard, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.st.counters[counter]
	if c == nil {
		return CounterCard{}, ErrUnknownCounter
	}
	card := CounterCard{Counter: c.No, Name: c.Name, State: c.State}
	for _, s := range l.st.sessions {
		if s.rec.Counter == counter {
			if m := l.st.staff[s.rec.Staff]; m != nil && m.Active {
				card.StaffNo, card.StaffName = m.No, m.Name
			}
		}
	}
	return card, nil
}

// Ahead counts the waiting tickets that will be called before this one if
// no one else arrives: earlier ones of its class and business type, and
// for a normal ticket the priority ones of its type too.
func (l *Local) Ahead(ctx context.Context, ticketID string) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.st.tickets[ticketID]
	if t == nil {
		return 0, ErrUnknownTicket
	}
	if t.State != Waiting {
		return 0, nil
	}
	n := 0
	for _, m := range l.st.q.byTicket {
		o := m.e.t
		if o.ID == t.ID || o.Type != t.Type || o.TargetCounter != t.TargetCounter {
			continue
		}
		op, tp := o.Priority.IsPriority(), t.Priority.IsPriority()
		switch {
		case tp && op && o.Order < t.Order: // a priority ticket waits only for earlier priority ones
			n++
		case !tp && (op || o.Order < t.Order): // a normal one for every priority one and earlier normal ones
			n++
		}
	}
	return n, nil
}
