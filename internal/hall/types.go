package hall

import (
	"fmt"
	"time"
)

// Priority is a ticket's class in the queue.
type Priority int

// The priority classes. Elderly (敬老) and disabled (助残) form one priority
// tier served first-come first-served among themselves.
const (
	Normal   Priority = 0
	Elderly  Priority = 1 // 敬老, clause 4.1.9
	Disabled Priority = 2 // 助残, clause 4.1.8
)

// Valid reports whether p is a known class.
func (p Priority) Valid() bool { return p == Normal || p == Elderly || p == Disabled }

// IsPriority reports whether p is served ahead of normal tickets.
func (p Priority) IsPriority() bool { return p == Elderly || p == Disabled }

// Label is the Chinese name of the class.
func (p Priority) Label() string {
	switch p {
	case Elderly:
		return "敬老"
	case Disabled:
		return "助残"
	default:
		return "普通"
	}
}

// TicketState is where a ticket is in its life.
type TicketState string

// Ticket states. Waiting, Called and Serving are open; the rest are final,
// except NoShow, which a customer who comes back may leave once (Requeue).
const (
	Waiting    TicketState = "waiting"
	Called     TicketState = "called"
	Serving    TicketState = "serving"
	Done       TicketState = "done"
	NoShow     TicketState = "no_show"    // 过号
	Cancelled  TicketState = "cancelled"  // 取消
	Unfinished TicketState = "unfinished" // 未办结: still open when the day closed
)

// Open reports whether the ticket still needs the hall's attention.
func (s TicketState) Open() bool { return s == Waiting || s == Called || s == Serving }

// Label is the Chinese name of the state.
func (s TicketState) Label() string {
	switch s {
	case Waiting:
		return "等候中"
	case Called:
		return "呼叫中"
	case Serving:
		return "办理中"
	case Done:
		return "已办结"
	case NoShow:
		return "过号"
	case Cancelled:
		return "已取消"
	case Unfinished:
		return "未办结"
	}
	return string(s)
}

// BusinessType is a kind of business the hall takes (clause 4.2.1), with its
// own ticket prefix and queue. Code is permanent; name and prefix may change
// and the type may be retired, and tickets keep the code they were issued with.
type BusinessType struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Prefix   string `json:"prefix"`
	Position int    `json:"position"`
	DailyCap int    `json:"daily_cap,omitempty"` // 0: no cap
	Retired  bool   `json:"retired,omitempty"`
}

// CounterState is whether a counter (窗口) takes customers.
type CounterState string

// Counter states.
const (
	CounterOpen   CounterState = "open"
	CounterPaused CounterState = "paused" // 暂停: finishes its customer, calls no one new
	CounterClosed CounterState = "closed"
)

// Valid reports whether s is a known state.
func (s CounterState) Valid() bool {
	return s == CounterOpen || s == CounterPaused || s == CounterClosed
}

// Label is the Chinese name of the state.
func (s CounterState) Label() string {
	switch s {
	case CounterOpen:
		return "开放"
	case CounterPaused:
		return "暂停"
	case CounterClosed:
		return "已关闭"
	}
	return string(s)
}

// Counter is a service window.
type Counter struct {
	No    int          `json:"no"`
	Name  string       `json:"name"`
	Types []string     `json:"types"` // business type codes it serves
	State CounterState `json:"state"`

	// Running state, kept with the counter so that a restart restores it.
	Clerk          string        `json:"clerk,omitempty"`   // staff number of the last clerk who acted here
	Current        string        `json:"current,omitempty"` // ticket ID called or served here
	PriorityRun    int           `json:"priority_run"`      // priority calls in a row while normal tickets waited
	LastServiceDur time.Duration `json:"last_service_dur"`  // of the last finished service, for the apology rule
}

// Serves reports whether the counter takes tickets of the business type.
func (c *Counter) Serves(typeCode string) bool {
	for _, t := range c.Types {
		if t == typeCode {
			return true
		}
	}
	return false
}

// Role is what a member of staff may do.
type Role string

// Staff roles.
const (
	RoleClerk    Role = "clerk"
	RoleDirector Role = "director"
	RoleAdmin    Role = "admin"
)

// Staff is a member of the hall's staff, known by staff number (工号).
type Staff struct {
	No     string `json:"no"`
	Name   string `json:"name"`
	Role   Role   `json:"role"`
	Active bool   `json:"active"`

	// PIN is input only: Setup and SaveStaff hash it; it is never stored
	// or returned.
	PIN string `json:"-"`
	// PINHash is the bcrypt hash of the PIN, kept by the store and never
	// shown or sent.
	PINHash    []byte `json:"-"`
	FailedPINs int    `json:"failed_pins,omitempty"` // wrong PINs in a row
	Locked     bool   `json:"locked,omitempty"`      // too many wrong PINs; a director unlocks
}

// public returns the member of staff without secrets, as screens see it.
func (s Staff) public() Staff {
	s.PIN, s.PINHash = "", nil
	return s
}

// HallInfo names the hall.
type HallInfo struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	TimeZone string `json:"time_zone"` // IANA name; days are cut at its midnight
}

// Policy holds the hall's queue and service rules.
type Policy struct {
	// MaxPriorityRun is how many priority tickets a counter may call in a row
	// while normal tickets it serves are waiting.
	MaxPriorityRun int `json:"max_priority_run"`
	// NoShowAfterRecalls is how many recalls (重呼) must precede a no-show (过号).
	NoShowAfterRecalls int `json:"no_show_after_recalls"`
	// AllowRequeue lets a no-show ticket re-enter the queue once.
	AllowRequeue bool `json:"allow_requeue"`
	// ApologyAfterService: a call after a service longer than this carries
	// the apology flag (clause 4.1.7).
	ApologyAfterService time.Duration `json:"apology_after_service"`
	// ApologyAfterWait: a call for a customer who waited longer than this
	// carries the apology flag.
	ApologyAfterWait time.Duration `json:"apology_after_wait"`
	// RatingWindow is how long after a service ends its customer may rate
	// it; after that it is recorded 未评价. Zero means the default.
	RatingWindow time.Duration `json:"rating_window,omitempty"`
	// OpenHours are the hall's opening hours for each weekday, Sunday
	// first ("08:30-17:30"; clause 4.2.3: the hall opens every day). Empty:
	// not set; otherwise seven entries.
	OpenHours []string `json:"open_hours,omitempty"`
}

// Weekdays names the days of OpenHours, Sunday first.
var Weekdays = [7]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// ParseOpenHours checks one day's opening hours, "HH:MM-HH:MM", and
// returns them in that form.
func ParseOpenHours(s string) (string, error) {
	h, err := parseHours(s)
	if err != nil {
		return "", ErrInvalid.WithMessage("营业时间格式有误，例如 08:30-17:30", "bad opening hours %q", s)
	}
	return h, nil
}

// DefaultRatingWindow is how long a customer has to press a rating button.
const DefaultRatingWindow = 60 * time.Second

// ratingWindow is the window in force.
func (p Policy) ratingWindow() time.Duration {
	if p.RatingWindow <= 0 {
		return DefaultRatingWindow
	}
	return p.RatingWindow
}

// DefaultPolicy is what a new hall starts with.
func DefaultPolicy() Policy {
	return Policy{
		MaxPriorityRun:      2,
		NoShowAfterRecalls:  2,
		AllowRequeue:        true,
		ApologyAfterService: 15 * time.Minute,
		ApologyAfterWait:    20 * time.Minute,
	}
}

// Validate checks the policy's bounds.
func (p Policy) Validate() error {
	switch {
	case p.MaxPriorityRun < 1 || p.MaxPriorityRun > 20:
		return ErrInvalid.WithMessage("连续优先呼叫次数须在1到20之间", "max priority run %d out of 1..20", p.MaxPriorityRun)
	case p.NoShowAfterRecalls < 0 || p.NoShowAfterRecalls > 10:
		return ErrInvalid.WithMessage("过号前重呼次数须在0到10之间", "no-show recalls %d out of 0..10", p.NoShowAfterRecalls)
	case p.ApologyAfterService <= 0 || p.ApologyAfterWait <= 0:
		return ErrInvalid.WithMessage("致歉时长须大于零", "apology thresholds must be positive")
	case p.RatingWindow < 0 || p.RatingWindow > 10*time.Minute:
		return ErrInvalid.WithMessage("评价等待时间须在10分钟以内", "rating window %v", p.RatingWindow)
	case len(p.OpenHours) != 0 && len(p.OpenHours) != 7:
		return ErrInvalid.WithMessage("营业时间须按星期日到星期六逐日填写", "open hours for %d days, want 7", len(p.OpenHours))
	}
	for i, h := range p.OpenHours {
		if _, err := ParseOpenHours(h); err != nil {
			return ErrInvalid.WithMessagef("%s的营业时间格式有误，例如 08:30-17:30", []string{Weekdays[i]}, "bad opening hours %q on day %d", h, i)
		}
	}
	return nil
}

// Ticket is one customer's place in the hall's queue.
type Ticket struct {
	ID       string      `json:"id"`  // UUIDv7
	Day      string      `json:"day"` // local date of issue, 2006-01-02
	Prefix   string      `json:"prefix"`
	Seq      int         `json:"seq"`    // per prefix per day, from 1
	Number   string      `json:"number"` // Prefix + Seq, e.g. A001
	Type     string      `json:"type"`   // current business type code
	Priority Priority    `json:"priority"`
	State    TicketState `json:"state"`

	IssuedAt      time.Time `json:"issued_at"`
	FirstCalledAt time.Time `json:"first_called_at,omitzero"`
	CalledAt      time.Time `json:"called_at,omitzero"`
	StartedAt     time.Time `json:"started_at,omitzero"`
	EndedAt       time.Time `json:"ended_at,omitzero"`

	// Order places the ticket in its queue: lower goes first. A transfer
	// keeps it, so a transferred customer does not queue again; a requeue
	// after a no-show takes a new one.
	Order         int64  `json:"order"`
	Counter       int    `json:"counter,omitempty"`        // where it is called or served
	TargetCounter int    `json:"target_counter,omitempty"` // transferred to this counter only
	Owner         string `json:"owner,omitempty"`          // first clerk, who stays responsible (首问负责)
	Recalls       int    `json:"recalls,omitempty"`
	Requeued      bool   `json:"requeued,omitempty"`
	Transfers     int    `json:"transfers,omitempty"`
	Apologise     bool   `json:"apologise,omitempty"` // the last call carried the apology flag
}

// FormatNumber renders a ticket number: the prefix and at least three digits.
func FormatNumber(prefix string, seq int) string { return fmt.Sprintf("%s%03d", prefix, seq) }

// Waited is how long the customer waited from issue to the first call (or
// until at if not yet called). Transfers do not reset it.
func (t *Ticket) Waited(at time.Time) time.Duration {
	if !t.FirstCalledAt.IsZero() {
		return t.FirstCalledAt.Sub(t.IssuedAt)
	}
	return at.Sub(t.IssuedAt)
}

// Outcome is how a service at a counter ended.
type Outcome string

// Service outcomes.
const (
	OutcomeOpen        Outcome = ""            // still being served
	OutcomeDone        Outcome = "done"        // 办结
	OutcomeTransferred Outcome = "transferred" // passed on, owner unchanged
)

// ServiceRecord is one clerk serving one ticket at one counter.
type ServiceRecord struct {
	ID         string    `json:"id"` // UUIDv7
	TicketID   string    `json:"ticket_id"`
	Number     string    `json:"number"`
	Type       string    `json:"type"`
	Priority   Priority  `json:"priority"`
	Counter    int       `json:"counter"`
	Clerk      string    `json:"clerk"`
	Owner      string    `json:"owner"`
	CalledAt   time.Time `json:"called_at"`
	StartedAt  time.Time `json:"started_at"`
	EndedAt    time.Time `json:"ended_at,omitzero"`
	Outcome    Outcome   `json:"outcome,omitempty"`
	Apologised bool      `json:"apologised,omitempty"` // the call carried the apology flag
}

// Duration is how long the service took, or zero while it runs.
func (s *ServiceRecord) Duration() time.Duration {
	if s.EndedAt.IsZero() {
		return 0
	}
	return s.EndedAt.Sub(s.StartedAt)
}

// Call is the result of calling a ticket to a counter: what the display
// shows and the voice says.
type Call struct {
	Ticket    Ticket `json:"ticket"`
	Counter   int    `json:"counter"`
	Recall    bool   `json:"recall"`    // 重呼
	Apologise bool   `json:"apologise"` // the clerk should apologise for the wait (clause 4.1.7)
}

// TransferTarget says where a ticket goes: another business type, a given
// counter, or both. At least one must be set.
type TransferTarget struct {
	Type    string `json:"type,omitempty"`
	Counter int    `json:"counter,omitempty"`
}

// Config is the hall's whole configuration.
type Config struct {
	Hall     HallInfo       `json:"hall"`
	Policy   Policy         `json:"policy"`
	Types    []BusinessType `json:"types"`
	Counters []Counter      `json:"counters"`
	Staff    []Staff        `json:"staff"`
}

// TypeStat is one business type's figures for today.
type TypeStat struct {
	Type            BusinessType `json:"type"`
	Waiting         int          `json:"waiting"`
	WaitingPriority int          `json:"waiting_priority"`
	Issued          int          `json:"issued"` // numbers handed out today under the type's prefix
}

// CounterView is a counter with what it is doing now.
type CounterView struct {
	Counter Counter `json:"counter"`
	Ticket  *Ticket `json:"ticket,omitempty"` // called or being served
}

// Overview is the hall at a glance.
type Overview struct {
	Hall     HallInfo      `json:"hall"`
	Day      string        `json:"day"`
	Now      time.Time     `json:"now"`
	Types    []TypeStat    `json:"types"`
	Counters []CounterView `json:"counters"`
	Waiting  int           `json:"waiting"`
	LastSeq  int64         `json:"last_seq"`
	// OpenHours are the hall's opening hours (Policy.OpenHours: seven,
	// Sunday first, or none), for the customer screens.
	OpenHours []string `json:"open_hours,omitempty"`
}

// CounterStatus is what the clerk's window shows: the counter, its current
// ticket, what waits for it, and the clerk's own figures for today.
type CounterStatus struct {
	Session    Session       `json:"session"`
	Counter    Counter       `json:"counter"`
	Ticket     *Ticket       `json:"ticket,omitempty"`
	Waiting    []TypeStat    `json:"waiting"`     // the business types this counter serves
	Transfers  int           `json:"transfers"`   // tickets transferred to this counter
	Served     int           `json:"served"`      // services this clerk finished today
	AvgService time.Duration `json:"avg_service"` // their average length
	Now        time.Time     `json:"now"`
}

// DayClose reports a day's close: the tickets that ended 未办结.
type DayClose struct {
	Day        string   `json:"day"`
	Unfinished []string `json:"unfinished"` // ticket numbers
}
