package hall

import (
	"context"
	"time"
)

// Store keeps the hall durably. Commit writes a whole Change in one
// transaction or nothing; the events get their sequence numbers there.
type Store interface {
	// Load returns the configuration, every ticket of the most recent day
	// that has tickets, and the tickets that counters are calling or
	// serving. Every open ticket is among these: a day's waiting and called
	// tickets end 未办结 in the transaction that opens the next day.
	Load(ctx context.Context) (Snapshot, error)
	// Commit applies the change atomically and durably, and returns the
	// sequence numbers given to its events, in order.
	Commit(ctx context.Context, c *Change) ([]int64, error)
	// Events returns up to limit events with Seq > afterSeq, in order.
	Events(ctx context.Context, afterSeq int64, limit int) ([]Event, error)
}

// Snapshot is what a store holds, as the domain needs it to resume.
type Snapshot struct {
	Configured  bool
	Hall        HallInfo
	Policy      Policy
	Types       []BusinessType
	Counters    []Counter
	Staff       []Staff
	Tickets     []Ticket        // all of the latest day, and counters' current ones
	Services    []ServiceRecord // services not yet ended, and those of the latest day's tickets
	Sessions    []SessionRecord // sessions not yet ended
	Scripts     *Scripts        // nil: the defaults
	Escalations []Escalation    // open ones, contacts in full
	Proxies     []Proxy         // pending ones
	Ratings     []Rating        // of the latest day's services, phones in full
	Notices     []Notice        // not ended
	Roster      []RosterDay     // every day set
	Calendar    *Calendar       // nil: weekdays only
	// Complaints not yet closed, contacts in full, and their status records.
	OpenComplaints    []Complaint
	ComplaintStatuses []ComplaintStatus
	// Bad ratings not yet rectified and called back, and their follow-ups.
	OpenBadRatings  []Rating
	RatingFollowUps []RatingFollowUp
	LogIDs          []string // every log entry's ID
	// Every reception day; the visits not yet closed, contacts in full,
	// and their follow-ups.
	Receptions []ReceptionDay
	OpenVisits []Visit
	VisitNotes []VisitNote
	Emergency  *Emergency  // nil: none
	Numbers    []DayNumber // last numbers handed out, for the latest day
	LastSeq    int64
}

// DayNumber is the last sequence handed out for a prefix on a day.
type DayNumber struct {
	Day    string
	Prefix string
	Last   int
}

// Change is everything one transaction writes: rows to upsert and events to
// append. The store applies it in full or not at all.
type Change struct {
	Hall     *HallInfo
	Policy   *Policy
	Types    []BusinessType
	Counters []Counter
	Staff    []Staff
	Tickets  []Ticket
	Services []ServiceRecord
	Sessions []SessionRecord
	// Matters, with contacts in full: the store keeps them only in the
	// matter's own row.
	Escalations []Escalation
	Proxies     []Proxy
	Complaints  []Complaint
	Faults      []FaultReport
	Ratings     []Rating
	Notices     []Notice
	Roster      []RosterDay
	Logs        []LogEntry
	Statuses    []ComplaintStatus
	FollowUps   []RatingFollowUp
	Receptions  []ReceptionDay // scheduled or cancelled
	Visits      []Visit        // contacts in full
	VisitNotes  []VisitNote
	Patrols     []Patrol
	Calendar    *Calendar
	Emergency   *Emergency // set when the mode changes
	Scripts     *Scripts
	Events      []Event
	// CallKey names the call this change is the work of (WithCallKey), ""
	// for none: the store keeps it with the change, so a call sent again
	// after a restart is known to be done. CallAnswer, if not nil, is the
	// answer to keep with it (a successful answer's body).
	CallKey    string
	CallAnswer []byte
}

func deref[T any](ps []*T) []T {
	if len(ps) == 0 {
		return nil
	}
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

// Empty reports whether the change writes nothing.
func (c *Change) Empty() bool {
	return c.Hall == nil && c.Policy == nil && len(c.Types) == 0 && len(c.Counters) == 0 &&
		len(c.Staff) == 0 && len(c.Tickets) == 0 && len(c.Services) == 0 && len(c.Sessions) == 0 && len(c.Events) == 0 &&
		len(c.Escalations) == 0 && len(c.Proxies) == 0 && len(c.Complaints) == 0 && len(c.Faults) == 0 && c.Scripts == nil &&
		len(c.Ratings) == 0 && len(c.Notices) == 0 && len(c.Roster) == 0 && len(c.Logs) == 0 && c.Emergency == nil &&
		len(c.Statuses) == 0 && c.Calendar == nil && len(c.FollowUps) == 0 &&
		len(c.Receptions) == 0 && len(c.Visits) == 0 && len(c.VisitNotes) == 0 && len(c.Patrols) == 0
}

// Clock tells the time. Tests and the simulator inject their own.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }
