package hall

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// Kind names what an event records.
type Kind string

// Event kinds. A kind's payload shape is fixed once shipped; a change of shape
// gets a new kind.
const (
	KindHallSetup       Kind = "hall.setup"
	KindPolicySet       Kind = "policy.set"
	KindTypeSaved       Kind = "type.saved"
	KindTypeRetired     Kind = "type.retired"
	KindCounterSaved    Kind = "counter.saved"
	KindCounterState    Kind = "counter.state"
	KindStaffSaved      Kind = "staff.saved"
	KindTicketIssued    Kind = "ticket.issued"
	KindTicketCalled    Kind = "ticket.called"
	KindTicketRecalled  Kind = "ticket.recalled"
	KindTicketStarted   Kind = "ticket.started"
	KindTicketFinished  Kind = "ticket.finished"
	KindTicketNoShow    Kind = "ticket.no_show"
	KindTicketRequeued  Kind = "ticket.requeued"
	KindTicketTransfer  Kind = "ticket.transferred"
	KindTicketCancelled Kind = "ticket.cancelled"
	KindTicketUnfinish  Kind = "ticket.unfinished"
	KindDayClosed       Kind = "day.closed"
	KindDayOpened       Kind = "day.opened"
)

// Event is an immutable fact in the hall's log. The store assigns Seq, which
// is never reused; UUID is a UUIDv7 that stays the record's key everywhere
// (headquarters included); Digest is SHA-256 over UUID, kind, time and
// payload, so a changed row is detectable.
type Event struct {
	Seq     int64           `json:"seq"`
	UUID    string          `json:"uuid"`
	Kind    Kind            `json:"kind"`
	At      time.Time       `json:"at"`
	Payload json.RawMessage `json:"payload"`
	Digest  [32]byte        `json:"-"`
}

// ComputeDigest returns the SHA-256 that Digest must hold.
func (e *Event) ComputeDigest() [32]byte {
	h := sha256.New()
	var n [8]byte
	writeField := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	writeField([]byte(e.UUID))
	writeField([]byte(e.Kind))
	binary.BigEndian.PutUint64(n[:], uint64(e.At.UnixMilli()))
	h.Write(n[:])
	writeField(e.Payload)
	var d [32]byte
	h.Sum(d[:0])
	return d
}

// Decode unmarshals the payload into v.
func (e *Event) Decode(v any) error { return json.Unmarshal(e.Payload, v) }

// newEvent builds an event with a fresh UUIDv7 and its digest.
func newEvent(kind Kind, at time.Time, payload any) (Event, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Event{}, err
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return Event{}, err
	}
	e := Event{UUID: id.String(), Kind: kind, At: at, Payload: b}
	e.Digest = e.ComputeDigest()
	return e, nil
}

// newID returns a fresh UUIDv7 string for a record.
func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

// TicketEvent is the payload of every ticket.* event: the ticket as it is
// after the change, and for calls the call's flags. It never holds customer
// names or phones; tickets carry none.
type TicketEvent struct {
	Ticket    Ticket          `json:"ticket"`
	Counter   int             `json:"counter,omitempty"`
	Clerk     string          `json:"clerk,omitempty"`
	Apologise bool            `json:"apologise,omitempty"`
	Service   *ServiceRecord  `json:"service,omitempty"`
	From      *TransferTarget `json:"from,omitempty"` // for transfers: where it was
}

// CounterEvent is the payload of counter.* events.
type CounterEvent struct {
	Counter Counter `json:"counter"`
	Clerk   string  `json:"clerk,omitempty"`
}
