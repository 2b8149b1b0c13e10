package hall

import (
	"context"
	"time"
)

// Service is what every window uses to work with the hall. Local implements
// it in-process; a remote client over the hall's LAN implements it too, so a
// window is the same code on the hall node and on any other PC.
type Service interface {
	Overview(ctx context.Context) (Overview, error)
	Config(ctx context.Context) (Config, error)

	// Issue is the kiosk's: it needs no session.
	Issue(ctx context.Context, typeCode string, p Priority) (Ticket, error)

	// Staff sign in at a counter (0: a director's or admin's desk). Every
	// staff action below carries the session's token, and the hall checks
	// it: the counter and the clerk come from the session, never from the
	// caller, so no PC can act as a clerk who is not signed in there.
	SignIn(ctx context.Context, counter int, staffNo, pin string) (Session, error)
	Unlock(ctx context.Context, tok Token, pin string) (Session, error)
	Session(ctx context.Context, tok Token) (Session, error)
	SignOut(ctx context.Context, tok Token) error
	UnlockStaff(ctx context.Context, tok Token, staffNo string) error
	SetPIN(ctx context.Context, tok Token, staffNo, pin string) error

	CounterStatus(ctx context.Context, tok Token) (CounterStatus, error)
	CallNext(ctx context.Context, tok Token) (Call, error)
	Recall(ctx context.Context, tok Token) (Call, error)
	Start(ctx context.Context, tok Token) (Ticket, error)
	Finish(ctx context.Context, tok Token) (ServiceRecord, error)
	NoShow(ctx context.Context, tok Token) (Ticket, error)
	Transfer(ctx context.Context, tok Token, to TransferTarget) (Ticket, error)
	SetCounterState(ctx context.Context, tok Token, counter int, s CounterState) (Counter, error)
	Cancel(ctx context.Context, tok Token, ticketID string) (Ticket, error)
	Requeue(ctx context.Context, tok Token, ticketID string) (Ticket, error)
	// FaultReports lists the fault reports (报修) taken in the days of r,
	// the newest first, contacts masked; a director or admin only.
	FaultReports(ctx context.Context, tok Token, r ReportRange) ([]FaultReport, error)
	// NoShows lists today's 过号 tickets a counter may put back in the
	// queue (not yet requeued), the earliest passed first; none while the
	// hall does not allow requeues. Any signed-in member of staff.
	NoShows(ctx context.Context, tok Token) ([]Ticket, error)

	CloseDay(ctx context.Context, tok Token) (DayClose, error)

	// The clerk's scripts (clauses 4.1.15–4.1.22), editable by a director or admin.
	Scripts(ctx context.Context) (Scripts, error)
	SaveScripts(ctx context.Context, tok Token, s Scripts) error

	// Matters that leave the counter. Each is tied to the counter's current
	// ticket when there is one. Lists show contacts masked; the full
	// contact is only in EscalationRecord, for its owner or a director,
	// and each look is recorded (contacts.go).
	Escalate(ctx context.Context, tok Token, in EscalationInput) (Escalation, error)
	ReplyEscalation(ctx context.Context, tok Token, id, reply string) (Escalation, error)
	Escalations(ctx context.Context, tok Token) ([]Escalation, error) // open ones: a clerk's own, all for a director
	EscalationRecord(ctx context.Context, tok Token, id string) (Escalation, error)
	RecordComplaint(ctx context.Context, tok Token, in ComplaintInput) (Complaint, error)
	RecordFault(ctx context.Context, tok Token, in FaultInput) (FaultReport, error)

	// 代办: the clerk records it for the ticket being served; the customer
	// confirms or declines on the counter's customer-facing screen.
	RecordProxy(ctx context.Context, tok Token, summary string) (Proxy, error)
	PendingProxy(ctx context.Context, counter int) (*Proxy, error)
	DecideProxy(ctx context.Context, counter int, id string, confirm bool) (Proxy, error)

	// The customer's side: the kiosk's queue position, the evaluator's
	// rating of the service that just ended, the counter's name card, and
	// the notices in force. A director posts notices and reads ratings.
	Ahead(ctx context.Context, ticketID string) (int, error)
	PendingRating(ctx context.Context, counter int) (*RatingRequest, error)
	Rate(ctx context.Context, counter int, in RatingInput) (Rating, error)
	RatingSummary(ctx context.Context, tok Token) ([]ClerkRatings, error)
	CounterCard(ctx context.Context, counter int) (CounterCard, error)
	Notices(ctx context.Context) ([]Notice, error)
	PostNotice(ctx context.Context, tok Token, in NoticeInput) (Notice, error)
	EndNotice(ctx context.Context, tok Token, id string) error

	// The duty director's desk.
	SetRoster(ctx context.Context, tok Token, day, staffNo, note string) (RosterDay, error)
	Roster(ctx context.Context, from string, days int) ([]RosterDay, error)
	AddLog(ctx context.Context, tok Token, category, text, amends string) (LogEntry, error)
	Log(ctx context.Context, tok Token, day string) ([]LogEntry, error)
	Handover(ctx context.Context, tok Token, to, note string) (LogEntry, error)
	DeclareEmergency(ctx context.Context, tok Token, text string, until time.Time) (Emergency, error)
	EndEmergency(ctx context.Context, tok Token, note string) error
	EmergencyState(ctx context.Context) (Emergency, error)
	Complaints(ctx context.Context, tok Token) ([]ComplaintView, error)
	AddComplaintStatus(ctx context.Context, tok Token, complaintID string, step ComplaintStep, note string) (ComplaintStatus, error)
	SetCalendar(ctx context.Context, tok Token, c Calendar) error
	BadRatings(ctx context.Context, tok Token) ([]BadRatingView, error)
	AddRatingFollowUp(ctx context.Context, tok Token, ratingID string, kind FollowUpKind, note string) (RatingFollowUp, error)
	WorkingCalendar(ctx context.Context) (Calendar, error)
	// ComplaintHistory lists every complaint taken on days from..to,
	// closed ones included, contacts masked.
	ComplaintHistory(ctx context.Context, tok Token, from, to string) ([]ComplaintView, error)
	// A customer's contact in full, to call them back: a complaint's
	// (closed ones included) or an open bad rating's call-back phone
	// (Phone only). A director or admin only; each look is recorded as a
	// contact.viewed event, which never holds the contact (contacts.go).
	ComplaintContact(ctx context.Context, tok Token, id string) (Contact, error)
	RatingContact(ctx context.Context, tok Token, id string) (Contact, error)

	// Leadership reception days (the schedule is public) and their visits.
	ScheduleReception(ctx context.Context, tok Token, in ReceptionInput) (ReceptionDay, error)
	CancelReception(ctx context.Context, tok Token, id, note string) (ReceptionDay, error)
	Receptions(ctx context.Context, from string, days int) ([]ReceptionDay, error)
	RecordVisit(ctx context.Context, tok Token, in VisitInput) (Visit, error)
	AddVisitNote(ctx context.Context, tok Token, visitID, note string, closing bool) (VisitNote, error)
	Visits(ctx context.Context, tok Token, all bool, from, to string) ([]VisitView, error)
	VisitRecord(ctx context.Context, tok Token, id string) (VisitView, error)

	// The director's on-site patrols.
	RecordPatrol(ctx context.Context, tok Token, in PatrolInput) (Patrol, error)
	Patrols(ctx context.Context, tok Token, from, to string) ([]Patrol, error)

	// Report sums up a range of days (clause 3.2); a director or admin only.
	Report(ctx context.Context, tok Token, r ReportRange) (Report, error)

	// Quarantine lists the records headquarters refused; a director only.
	Quarantine(ctx context.Context, tok Token) ([]QuarantinedRecord, error)

	// Devices of the hall's PCs (ticket printers, speakers): each PC
	// reports its own, without a session; the director sees the faults.
	ReportDevice(ctx context.Context, s DeviceStatus) error
	Devices(ctx context.Context) ([]DeviceStatus, error)

	// The hall's configuration after the setup (admin.go); a system
	// administrator only. Each change is written with its own event and a
	// config.changed event naming the administrator. The hall's code and
	// time zone never change. Staff are never deleted, only deactivated;
	// a new member's first PIN is an argument of its own (Staff carries
	// none), later PINs go through SetPIN.
	SaveHallInfo(ctx context.Context, tok Token, h HallInfo) (HallInfo, error)
	SavePolicy(ctx context.Context, tok Token, p Policy) (Policy, error)
	SaveTypeAs(ctx context.Context, tok Token, bt BusinessType) (BusinessType, error)
	RetireTypeAs(ctx context.Context, tok Token, code string) (BusinessType, error)
	SaveCounterAs(ctx context.Context, tok Token, c Counter) (Counter, error)
	AddStaffAs(ctx context.Context, tok Token, s Staff, pin string) (Staff, error)
	SaveStaffAs(ctx context.Context, tok Token, s Staff) (Staff, error)

	// Subscribe streams every event after afterSeq, in order, then each new
	// one as it is committed, until ctx ends. The channel is closed then.
	Subscribe(ctx context.Context, afterSeq int64) (<-chan Event, error)
}

var _ Service = (*Local)(nil)
