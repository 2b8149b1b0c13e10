package hall

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// The register is the tamper-evident record of what must never be hidden
// or destroyed (clause 4.1.5): each complaint (and, with the duty
// director's desk, its status records, the director's log, reception-day
// records and rectifications) is a leaf of one Merkle tree. A leaf is a
// canonical copy of its record in which a customer's personal details
// appear only as a salted hash.

// Leaf kinds.
const (
	LeafComplaint = "complaint"
)

// newSalt returns a random salt for a record's personal details.
func newSalt() ([]byte, error) {
	b := make([]byte, 16)
	_, err := rand.Read(b)
	return b, err
}

// ContactHash is the salted hash that stands for a contact in the
// register: SHA-256 over the salt, the name and the phone.
func ContactHash(salt []byte, c Contact) string {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte{0})
	h.Write([]byte(c.Name))
	h.Write([]byte{0})
	h.Write([]byte(c.Phone))
	return hex.EncodeToString(h.Sum(nil))
}

// complaintLeaf is a complaint as the register keeps it. Field order and
// names are fixed: changing them would change every leaf's hash.
type complaintLeaf struct {
	Kind        string `json:"kind"`
	ID          string `json:"id"`
	TicketID    string `json:"ticket_id"`
	Number      string `json:"number"`
	Counter     int    `json:"counter"`
	Clerk       string `json:"clerk"`
	What        string `json:"what"`
	Where       string `json:"where"`
	Occurred    string `json:"occurred"`
	ContactHash string `json:"contact_hash"`
	CreatedAt   int64  `json:"created_at"` // Unix milliseconds
}

// ComplaintLeaf returns the canonical bytes of a complaint's leaf. salt is
// the complaint's own; an empty contact with no salt hashes to "".
func ComplaintLeaf(c Complaint, salt []byte) []byte {
	l := complaintLeaf{Kind: LeafComplaint, ID: c.ID, TicketID: c.TicketID, Number: c.Number, Counter: c.Counter,
		Clerk: c.Clerk, What: c.What, Where: c.Where, Occurred: c.Occurred, CreatedAt: c.CreatedAt.UnixMilli()}
	if salt != nil {
		l.ContactHash = ContactHash(salt, c.Contact)
	}
	b, err := json.Marshal(l)
	if err != nil { // a struct of strings and ints always marshals
		panic(err)
	}
	return b
}

// RegisterHead is the Merkle tree's size and root after the latest append.
type RegisterHead struct {
	Size int64
	Root [32]byte
	At   time.Time
}
