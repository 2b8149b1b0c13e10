package hall

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Every 不满意 or 非常不满意 rating lands in the duty director's inbox: the
// cause is rectified and the customer called back (a 100% call-back),
// within 15 working days. What is done is recorded as follow-up records
// that are never edited; rectifications are leaves of the register.

// FollowUpKind is what a follow-up record says was done.
type FollowUpKind string

// Follow-up kinds.
const (
	FollowRectified  FollowUpKind = "rectified"   // 整改
	FollowCalledBack FollowUpKind = "called_back" // 回访
)

// Label is the kind's Chinese name.
func (k FollowUpKind) Label() string {
	if k == FollowRectified {
		return "整改"
	}
	return "回访"
}

// RatingFollowUp is one follow-up record of a bad rating.
type RatingFollowUp struct {
	ID       string       `json:"id"`
	RatingID string       `json:"rating_id"`
	Kind     FollowUpKind `json:"kind"`
	Note     string       `json:"note"`
	By       string       `json:"by"`
	At       time.Time    `json:"at"`
}

// BadRatingView is a bad rating in the director's inbox, phone masked.
type BadRatingView struct {
	Rating     Rating           `json:"rating"`
	FollowUps  []RatingFollowUp `json:"follow_ups"`
	Due        string           `json:"due"` // local date: 15 working days after the rating
	Rectified  bool             `json:"rectified"`
	CalledBack bool             `json:"called_back"`
	Overdue    bool             `json:"overdue"`
}

// BadRatingDays is the limit for rectification and call-back, in working days.
const BadRatingDays = 15

// Follow-up event and register leaf kinds.
const (
	KindRatingFollowUp Kind = "rating.follow_up"
	LeafRatingFollowUp      = "rating_follow_up"
)

// RatingFollowUpLeaf is the canonical bytes of a follow-up's leaf.
func RatingFollowUpLeaf(f RatingFollowUp) []byte {
	b, err := json.Marshal(struct {
		Kind     string `json:"kind"`
		ID       string `json:"id"`
		RatingID string `json:"rating_id"`
		What     string `json:"what"`
		Note     string `json:"note"`
		By       string `json:"by"`
		At       int64  `json:"at"`
	}{LeafRatingFollowUp, f.ID, f.RatingID, string(f.Kind), f.Note, f.By, f.At.UnixMilli()})
	if err != nil {
		panic(err)
	}
	return b
}

type openBad struct {
	r         Rating
	followUps []RatingFollowUp
}

func (st *state) badView(o *openBad, now time.Time) BadRatingView {
	v := BadRatingView{Rating: o.r, FollowUps: slices.Clone(o.followUps)}
	v.Rating.Phone = MaskPhone(o.r.Phone)
	v.Due = st.calendar.AddWorkdays(o.r.At, st.loc, BadRatingDays)
	for _, f := range o.followUps {
		v.Rectified = v.Rectified || f.Kind == FollowRectified
		v.CalledBack = v.CalledBack || f.Kind == FollowCalledBack
	}
	v.Overdue = !(v.Rectified && v.CalledBack) && st.localDay(now) > v.Due
	return v
}

// AddRatingFollowUp records a rectification or a call-back for a bad
// rating; once both are recorded it leaves the inbox. A director or admin only.
func (tx *Tx) AddRatingFollowUp(tok Token, ratingID string, kind FollowUpKind, note string) (RatingFollowUp, error) {
	m, err := tx.director(tok)
	if err != nil {
		return RatingFollowUp{}, err
	}
	return tx.addRatingFollowUp(m, ratingID, kind, note)
}

// AddRatingFollowUpAs records a follow-up as a given director, for
// trusted in-process callers (the traffic simulator).
func (tx *Tx) AddRatingFollowUpAs(by, ratingID string, kind FollowUpKind, note string) (RatingFollowUp, error) {
	m, err := tx.trustedDirector(by)
	if err != nil {
		return RatingFollowUp{}, err
	}
	return tx.addRatingFollowUp(m, ratingID, kind, note)
}

func (tx *Tx) addRatingFollowUp(m *Staff, ratingID string, kind FollowUpKind, note string) (RatingFollowUp, error) {
	o := tx.st.badRatings[ratingID]
	if o == nil {
		return RatingFollowUp{}, ErrUnknownMatter.WithMessage("没有这条待处理的差评", "no open bad rating %s", ratingID)
	}
	if kind != FollowRectified && kind != FollowCalledBack {
		return RatingFollowUp{}, ErrInvalid.WithMessage("处理类别有误", "follow-up kind %q", kind)
	}
	note, err := trimmed(note, 1000, "处理情况")
	if err != nil {
		return RatingFollowUp{}, err
	}
	id, err := newID()
	if err != nil {
		return RatingFollowUp{}, err
	}
	now := tx.now()
	f := RatingFollowUp{ID: id, RatingID: ratingID, Kind: kind, Note: strings.TrimSpace(note), By: m.No, At: now}
	o.followUps = append(o.followUps, f)
	if v := tx.st.badView(o, now); v.Rectified && v.CalledBack {
		delete(tx.st.badRatings, ratingID)
	}
	tx.followUps = append(tx.followUps, f)
	tx.mutated = true
	return f, tx.emit(KindRatingFollowUp, now, f)
}

// AddRatingFollowUp records a rectification or a call-back.
func (l *Local) AddRatingFollowUp(ctx context.Context, tok Token, ratingID string, kind FollowUpKind, note string) (RatingFollowUp, error) {
	return do(ctx, l, func(tx *Tx) (RatingFollowUp, error) { return tx.AddRatingFollowUp(tok, ratingID, kind, note) })
}

// BadRatings lists the bad ratings still open, oldest first; a director or
// admin only.
func (l *Local) BadRatings(ctx context.Context, tok Token) ([]BadRatingView, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.st.lookupDirector(tok)
	if err != nil {
		return nil, err
	}
	now := l.clock.Now()
	out := []BadRatingView{}
	for _, o := range l.st.badRatings {
		out = append(out, l.st.badView(o, now))
	}
	slices.SortFunc(out, func(a, b BadRatingView) int {
		return cmp.Or(a.Rating.At.Compare(b.Rating.At), cmp.Compare(a.Rating.ID, b.Rating.ID))
	})
	return out, nil
}
