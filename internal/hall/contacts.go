package hall

import (
	"context"
	"fmt"
	"time"
)

// The duty director calls customers back: a complainant within 1 working
// day (clause 4.1.5), every bad rating (a 100% call-back), the customer of
// an escalated matter (clause 4.1.19). Lists show contacts masked (clause
// 4.1.4); the reads below give one record's contact in full, and each look
// is recorded, in the same transaction, as a contact.viewed event naming
// who looked at which record and when. The event never holds the contact:
// events go to headquarters and to the live screens.

// ContactRecord is the kind of record whose contact was looked at.
type ContactRecord string

// Records with a customer's contact.
const (
	ContactOfComplaint  ContactRecord = "complaint"
	ContactOfRating     ContactRecord = "rating" // a bad rating's call-back phone
	ContactOfEscalation ContactRecord = "escalation"
)

// KindContactViewed records one look at a customer's contact in full.
const KindContactViewed Kind = "contact.viewed"

// ContactViewed is the payload of KindContactViewed: who looked at which
// record, and when; never the contact itself.
type ContactViewed struct {
	Record ContactRecord `json:"record"`
	ID     string        `json:"id"`
	By     string        `json:"by"` // staff number
	At     time.Time     `json:"at"`
}

// ContactStore is a store that reads a complaint's contact in full from
// the complaint's own row, for a complaint memory no longer holds (a
// closed one). found is false when there is no such complaint.
type ContactStore interface {
	ComplaintContact(ctx context.Context, id string) (c Contact, found bool, err error)
}

// ComplaintContact returns a complaint's contact in full, closed
// complaints included, and records the look; a director or admin only.
func (l *Local) ComplaintContact(ctx context.Context, tok Token, id string) (Contact, error) {
	l.mu.Lock()
	_, err := l.st.lookupDirector(tok)
	l.mu.Unlock()
	if err != nil {
		return Contact{}, err
	}
	// Complaints are never edited or deleted, so what the store holds now
	// is what the transaction below may show when memory no longer has it.
	var stored *Contact
	if cs, ok := l.store.(ContactStore); ok {
		c, found, err := cs.ComplaintContact(ctx, id)
		if err != nil {
			return Contact{}, fmt.Errorf("%w: %w", ErrStore, err)
		}
		if found {
			stored = &c
		}
	}
	return lookContact(ctx, l, func(tx *Tx) (Contact, error) { return tx.complaintContact(tok, id, stored) })
}

func (tx *Tx) complaintContact(tok Token, id string, stored *Contact) (Contact, error) {
	m, err := tx.director(tok)
	if err != nil {
		return Contact{}, err
	}
	var c Contact
	switch o := tx.st.complaints[id]; {
	case o != nil:
		c = o.c.Contact
	case stored != nil:
		c = *stored
	default:
		return Contact{}, ErrUnknownMatter.WithMessage("没有这件投诉", "no complaint %s", id)
	}
	if c.Name == "" && c.Phone == "" {
		return Contact{}, ErrInvalid.WithMessage("客户没有留联系方式", "complaint %s has no contact", id)
	}
	return c, tx.contactViewed(m, ContactOfComplaint, id)
}

// RatingContact returns an open bad rating's call-back phone in full (as
// Contact.Phone; a rating has no name) and records the look; a director
// or admin only.
func (l *Local) RatingContact(ctx context.Context, tok Token, id string) (Contact, error) {
	return lookContact(ctx, l, func(tx *Tx) (Contact, error) {
		m, err := tx.director(tok)
		if err != nil {
			return Contact{}, err
		}
		o := tx.st.badRatings[id]
		if o == nil {
			return Contact{}, ErrUnknownMatter.WithMessage("没有这条待处理的差评", "no open bad rating %s", id)
		}
		if o.r.Phone == "" {
			return Contact{}, ErrInvalid.WithMessage("客户没有留回访电话", "bad rating %s has no phone", id)
		}
		return Contact{Phone: o.r.Phone}, tx.contactViewed(m, ContactOfRating, id)
	})
}

// EscalationRecord returns an open escalation with the contact in full,
// for its owner or a director, and records the look.
func (l *Local) EscalationRecord(ctx context.Context, tok Token, id string) (Escalation, error) {
	return lookContact(ctx, l, func(tx *Tx) (Escalation, error) {
		e, m, err := tx.ownEscalation(tok, id)
		if err != nil {
			return Escalation{}, err
		}
		return *e, tx.contactViewed(m, ContactOfEscalation, id)
	})
}

// contactViewed records that m looked at a record's contact in full.
func (tx *Tx) contactViewed(m *Staff, rec ContactRecord, id string) error {
	now := tx.now()
	return tx.emit(KindContactViewed, now, ContactViewed{Record: rec, ID: id, By: m.No, At: now})
}

// lookContact runs a look at a contact in its own transaction, as a call
// of its own: the answer holds the contact in full, so it must not be kept
// with the change as a named call's answer is (callkey.go), which would
// copy the contact out of the record's row. A look sent again after the
// hall node restarted is done, and recorded, again.
func lookContact[T any](ctx context.Context, l *Local, op func(tx *Tx) (T, error)) (T, error) {
	return do(context.WithValue(ctx, callKeyCtx{}, (*callMark)(nil)), l, op)
}
