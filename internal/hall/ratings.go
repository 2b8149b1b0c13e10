package hall

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// RatingLevel is a customer's rating on the five-level scale of
// government-service 好差评, or Unrated when no button was pressed in time.
type RatingLevel int

// The levels. Unrated is never counted as satisfied.
const (
	Unrated          RatingLevel = 0
	VeryDissatisfied RatingLevel = 1 // 非常不满意
	Dissatisfied     RatingLevel = 2 // 不满意
	Neutral          RatingLevel = 3 // 基本满意
	Satisfied        RatingLevel = 4 // 满意
	VerySatisfied    RatingLevel = 5 // 非常满意
)

// Levels lists the buttons, best first, as the evaluator shows them.
var Levels = []RatingLevel{VerySatisfied, Satisfied, Neutral, Dissatisfied, VeryDissatisfied}

// Label is the level's Chinese name.
func (l RatingLevel) Label() string {
	switch l {
	case VerySatisfied:
		return "非常满意"
	case Satisfied:
		return "满意"
	case Neutral:
		return "基本满意"
	case Dissatisfied:
		return "不满意"
	case VeryDissatisfied:
		return "非常不满意"
	}
	return "未评价"
}

// Bad reports whether the level needs a reason and alerts the director.
func (l RatingLevel) Bad() bool { return l == Dissatisfied || l == VeryDissatisfied }

// RatingReasons are the reasons a customer can give for a bad rating.
var RatingReasons = []string{"等候时间长", "服务态度", "业务不熟练", "办理效率", "其他"}

// RatingRequest is the question the counter's evaluator asks after a
// service ends: open until Deadline.
type RatingRequest struct {
	ServiceID string    `json:"service_id"`
	TicketID  string    `json:"ticket_id"`
	Number    string    `json:"number"`
	Counter   int       `json:"counter"`
	Clerk     string    `json:"clerk"`
	OpenedAt  time.Time `json:"opened_at"`
	Deadline  time.Time `json:"deadline"`
}

// Rating is a customer's answer, or the record that none came.
type Rating struct {
	ID        string      `json:"id"`
	ServiceID string      `json:"service_id"`
	TicketID  string      `json:"ticket_id"`
	Number    string      `json:"number"`
	Counter   int         `json:"counter"`
	Clerk     string      `json:"clerk"`
	Level     RatingLevel `json:"level"`
	Reasons   []string    `json:"reasons,omitempty"`
	Phone     string      `json:"phone,omitempty"` // for a call-back; masked outside the record
	At        time.Time   `json:"at"`
}

// RatingInput is what the customer pressed.
type RatingInput struct {
	ServiceID string      `json:"service_id"`
	Level     RatingLevel `json:"level"`
	Reasons   []string    `json:"reasons,omitempty"`
	Phone     string      `json:"phone,omitempty"`
}

// ClerkRatings sums up one clerk's ratings today.
type ClerkRatings struct {
	Clerk   string              `json:"clerk"`
	Name    string              `json:"name"`
	Counts  map[RatingLevel]int `json:"counts"`
	Total   int                 `json:"total"`
	Unrated int                 `json:"unrated"`
}

// Rated is the services a customer rated: 未评价 excluded.
func (c ClerkRatings) Rated() int { return c.Total - c.Unrated }

// SatisfactionRate is (非常满意 + 满意) / rated services, 0 when none was
// rated: the report's 满意率 (RatingCounts.SatisfactionRate), so the
// director's today figures and the day's report agree. Services left
// 未评价 are shown apart, by UnratedShare.
func (c ClerkRatings) SatisfactionRate() float64 {
	if r := c.Rated(); r > 0 {
		return float64(c.Counts[Satisfied]+c.Counts[VerySatisfied]) / float64(r)
	}
	return 0
}

// UnratedShare is the share of services nobody rated.
func (c ClerkRatings) UnratedShare() float64 {
	if c.Total == 0 {
		return 0
	}
	return float64(c.Unrated) / float64(c.Total)
}

// Rating errors.
var (
	ErrRatingClosed   = newError("rating_closed", "本次服务的评价已结束")
	ErrReasonRequired = newError("reason_required", "请选择不满意的原因")
	ErrBadLevel       = newError("bad_level", "请选择评价等级")
)

// Rating event kinds: rated, expired unrated, and the director's alert for
// a bad rating.
const (
	KindRated       Kind = "rating.recorded"
	KindRatingAlert Kind = "rating.alert"
)

// openRating asks for a rating of a finished service. An older request still
// open at the counter ends unrated: its customer has gone.
func (tx *Tx) openRating(s *ServiceRecord, now time.Time) error {
	if old := tx.st.ratingReq[s.Counter]; old != nil {
		if err := tx.recordRating(old, RatingInput{ServiceID: old.ServiceID}, now); err != nil {
			return err
		}
	}
	tx.st.ratingReq[s.Counter] = &RatingRequest{ServiceID: s.ID, TicketID: s.TicketID, Number: s.Number,
		Counter: s.Counter, Clerk: s.Clerk, OpenedAt: now, Deadline: now.Add(tx.st.policy.ratingWindow())}
	return nil
}

// expireRatings records 未评价 for requests past their deadline, at the
// deadline. It runs at the start of every operation.
func (tx *Tx) expireRatings(now time.Time) error {
	var due []*RatingRequest
	for _, r := range tx.st.ratingReq {
		if now.After(r.Deadline) {
			due = append(due, r)
		}
	}
	// In the order they ran out, so that the log's times go forward.
	slices.SortFunc(due, func(a, b *RatingRequest) int {
		return cmp.Or(a.Deadline.Compare(b.Deadline), cmp.Compare(a.Counter, b.Counter))
	})
	for _, r := range due {
		if err := tx.recordRating(r, RatingInput{ServiceID: r.ServiceID}, r.Deadline); err != nil {
			return err
		}
	}
	return nil
}

// recordRating writes a rating (Unrated when in.Level is 0) and closes the
// request.
func (tx *Tx) recordRating(r *RatingRequest, in RatingInput, at time.Time) error {
	id, err := newID()
	if err != nil {
		return err
	}
	rt := &Rating{ID: id, ServiceID: r.ServiceID, TicketID: r.TicketID, Number: r.Number, Counter: r.Counter,
		Clerk: r.Clerk, Level: in.Level, Reasons: in.Reasons, Phone: in.Phone, At: at}
	delete(tx.st.ratingReq, r.Counter)
	tx.st.countRating(rt)
	if rt.Level.Bad() {
		tx.st.badRatings[rt.ID] = &openBad{r: *rt}
	}
	tx.ratings = append(tx.ratings, rt)
	tx.mutated = true
	pub := *rt
	pub.Phone = MaskPhone(rt.Phone)
	if err := tx.emit(KindRated, at, pub); err != nil {
		return err
	}
	if rt.Level.Bad() {
		return tx.emit(KindRatingAlert, at, pub)
	}
	return nil
}

// Rate records the customer's rating of the service that just ended at the
// counter: only that service, only within its window, only once.
func (tx *Tx) Rate(counter int, in RatingInput) (Rating, error) {
	if err := tx.requireConfigured(); err != nil {
		return Rating{}, err
	}
	r := tx.st.ratingReq[counter]
	if r == nil || r.ServiceID != in.ServiceID {
		return Rating{}, ErrRatingClosed
	}
	if in.Level < VeryDissatisfied || in.Level > VerySatisfied {
		return Rating{}, ErrBadLevel
	}
	var reasons []string
	for _, x := range in.Reasons {
		if !slices.Contains(RatingReasons, x) {
			return Rating{}, ErrInvalid.WithMessage("不满意原因有误", "unknown reason %q", x)
		}
		if !slices.Contains(reasons, x) {
			reasons = append(reasons, x)
		}
	}
	if in.Level.Bad() && len(reasons) == 0 {
		return Rating{}, ErrReasonRequired
	}
	if !in.Level.Bad() {
		reasons = nil
	}
	in.Phone = strings.TrimSpace(in.Phone)
	if !validPhone(in.Phone) {
		return Rating{}, ErrInvalid.WithMessage("联系电话格式有误", "bad phone")
	}
	in.Reasons = reasons
	now := tx.now()
	if err := tx.recordRating(r, in, now); err != nil {
		return Rating{}, err
	}
	out := *tx.ratings[len(tx.ratings)-1]
	out.Phone = MaskPhone(out.Phone)
	return out, nil
}

func (st *state) countRating(r *Rating) {
	c := st.ratingDay[r.Clerk]
	if c == nil {
		c = map[RatingLevel]int{}
		st.ratingDay[r.Clerk] = c
	}
	c[r.Level]++
}

// PendingRating returns the rating request open at a counter, or nil.
func (l *Local) PendingRating(ctx context.Context, counter int) (*RatingRequest, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := l.st.ratingReq[counter]
	if r == nil || l.clock.Now().After(r.Deadline) {
		return nil, nil
	}
	rr := *r
	return &rr, nil
}

// Rate records a customer's rating from the counter's evaluator.
func (l *Local) Rate(ctx context.Context, counter int, in RatingInput) (Rating, error) {
	return do(ctx, l, func(tx *Tx) (Rating, error) { return tx.Rate(counter, in) })
}

// RatingSummary sums up today's ratings per clerk; a director or admin only.
func (l *Local) RatingSummary(ctx context.Context, tok Token) ([]ClerkRatings, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.st.lookupDirector(tok)
	if err != nil {
		return nil, err
	}
	out := []ClerkRatings{}
	for clerk, counts := range l.st.ratingDay {
		c := ClerkRatings{Clerk: clerk, Counts: map[RatingLevel]int{}}
		if s := l.st.staff[clerk]; s != nil {
			c.Name = s.Name
		}
		for lv, n := range counts {
			c.Counts[lv] = n
			c.Total += n
		}
		c.Unrated = counts[Unrated]
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b ClerkRatings) int { return cmp.Compare(a.Clerk, b.Clerk) })
	return out, nil
}
