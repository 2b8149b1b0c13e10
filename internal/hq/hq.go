package hq

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"servicehall/internal/hq/wire"
)

// Hall is a business hall that HQ knows, with its credential stored hashed.
type Hall struct {
	ID      int64
	Name    string
	Created time.Time
}

// StoredRecord is one of a hall's events as HQ keeps it.
type StoredRecord struct {
	HallID     int64
	Seq        int64
	UUID       string
	Kind       string
	At         time.Time
	Payload    []byte
	SHA256     [32]byte
	ReceivedAt time.Time
}

// Cursor is how far HQ holds a hall's log: every number up to AckedThrough
// is stored, or settled as rejected, conflicting or missing.
type Cursor struct {
	HallID       int64
	AckedThrough int64
	LastContact  time.Time     // zero: never
	ClockSkew    time.Duration // hall clock minus HQ clock at the last batch
	// HallLastSeq is the newest number of the hall's own log when it last
	// sent a batch (0: not said), so HallLastSeq-AckedThrough is its
	// backlog as far as HQ knows.
	HallLastSeq int64
}

// Staff is a member of HQ's staff who signs in to HQ's page.
type Staff struct {
	ID      int64
	Name    string
	Created time.Time
}

// Alert is something HQ staff must look at: a record refused, a conflict,
// a hole in a hall's log.
type Alert struct {
	ID     int64
	HallID int64
	Kind   string // one of the Alert* constants
	Detail string // Chinese
	At     time.Time
}

// Alert kinds.
const (
	AlertConflict = "conflict"     // same uuid or seq, other content
	AlertRejected = "rejected"     // a record refused for what it is
	AlertMissing  = "missing"      // the hall declares a number missing from its log
	AlertLost     = "lost_at_hall" // the hall declares missing a number HQ holds
	// AlertTreeInconsistent: the hall's register is not an extension of
	// the last head HQ signed for it (records deleted or changed).
	AlertTreeInconsistent = "tree_inconsistent"
)

// TreeHead is a hall's register head: its size and root, and when HQ
// received it.
type TreeHead struct {
	Size int64
	Root [32]byte
	At   time.Time
}

// Notice is an outage or other notice for halls.
type Notice struct {
	ID      string // UUIDv7
	Kind    string // outage, emergency, info
	Text    string
	From    time.Time
	Until   time.Time
	Halls   []int64 // nil: every hall
	Created time.Time
}

// Outcome is what applying a batch did.
type Outcome struct {
	Gap          bool // nothing applied: the batch starts after AckedThrough+1
	AckedThrough int64
	Results      []wire.Result
}

// Conflict reports whether a record of the batch conflicted.
func (o Outcome) Conflict() bool {
	for _, r := range o.Results {
		if r.Status == wire.StatusConflict {
			return true
		}
	}
	return false
}

// Errors of storages.
var (
	ErrUnknownHall = errors.New("unknown hall")
	ErrHallExists  = errors.New("hall name already registered")
	// ErrUnknownStaff: no such staff member, or no live session.
	ErrUnknownStaff = errors.New("unknown staff or session")
	// ErrStaffExists: the staff name is taken.
	ErrStaffExists = errors.New("staff name already registered")
	// ErrHeadMoved: the hall's last signed head is no longer the one a new
	// head was checked against (another anchor of the hall came between).
	ErrHeadMoved = errors.New("the hall's signed tree head moved")
)

// Storage keeps HQ's halls, records, cursors, alerts and notices.
// Implementations must apply a batch in one transaction, cursor included,
// and must let concurrent batches of one hall see each other's effect
// (serialise them), so the cursor is never ahead of what is stored.
type Storage interface {
	AddHall(ctx context.Context, name string, tokenHash [32]byte, now time.Time) (Hall, error)
	// HallByToken returns ErrUnknownHall for a hash no hall has.
	HallByToken(ctx context.Context, tokenHash [32]byte) (Hall, error)
	HallByName(ctx context.Context, name string) (Hall, error)
	Halls(ctx context.Context) ([]Hall, error)
	// ApplyBatch applies a batch whose shape wire.DecodeBatch checked;
	// verdicts[i] is wire.CheckRecord of Records[i]. It loads what the hall
	// already has for the batch's numbers and uuids, lets Decide choose, and
	// writes the plan.
	ApplyBatch(ctx context.Context, hallID int64, b *wire.Batch, verdicts []string, now time.Time) (Outcome, error)
	AddNotice(ctx context.Context, n Notice) (Notice, error)
	// Notices returns the notices for a hall that have not ended by now.
	Notices(ctx context.Context, hallID int64, now time.Time) ([]Notice, error)

	Records(ctx context.Context, hallID, afterSeq int64, limit int) ([]StoredRecord, error)
	// RecordsAt returns a hall's records of the given kinds whose own time
	// is in [from, to), in order of number.
	RecordsAt(ctx context.Context, hallID int64, kinds []string, from, to time.Time) ([]StoredRecord, error)
	Cursor(ctx context.Context, hallID int64) (Cursor, error)
	Alerts(ctx context.Context, hallID int64) ([]Alert, error)

	// SigningKey returns HQ's checkpoint signing key and its verifier key
	// (golang.org/x/mod/sumdb/note). The first call stores the pair gen
	// makes; callers racing on an empty store all get the one stored.
	SigningKey(ctx context.Context, gen func() (skey, vkey string, err error)) (skey, vkey string, err error)
	// TreeHead returns the last head HQ signed for a hall; Size 0: none.
	TreeHead(ctx context.Context, hallID int64) (TreeHead, error)
	// AddTreeHead stores h as the hall's newest signed head, provided the
	// last one is still at prevSize (ErrHeadMoved otherwise). Heads are
	// kept forever; h of the same size and root as the last is a no-op.
	AddTreeHead(ctx context.Context, hallID, prevSize int64, h TreeHead) error
	// AddBadHead keeps a head found inconsistent with the last signed one
	// and, the first time that size and root are seen for the hall, raises
	// an AlertTreeInconsistent alert with detail, in one transaction. It
	// reports whether the alert is new.
	AddBadHead(ctx context.Context, hallID int64, h TreeHead, detail string) (bool, error)

	// AddStaff registers a member of HQ's staff with a bcrypt hash of the
	// password (ErrStaffExists for a name taken).
	AddStaff(ctx context.Context, name string, pwHash []byte, now time.Time) (Staff, error)
	// StaffPassword returns a staff member and the password hash
	// (ErrUnknownStaff for an unknown name).
	StaffPassword(ctx context.Context, name string) (Staff, []byte, error)
	// AddStaffSession keeps a session under the hash of its cookie.
	AddStaffSession(ctx context.Context, tokenHash [32]byte, staffID int64, now, expires time.Time) error
	// StaffSession returns the staff member of a session alive at now
	// (ErrUnknownStaff otherwise).
	StaffSession(ctx context.Context, tokenHash [32]byte, now time.Time) (Staff, error)
	// EndStaffSession ends a session; ending an unknown one is no error.
	EndStaffSession(ctx context.Context, tokenHash [32]byte) error

	Close() error
}

// tokenPrefix marks HQ credentials so that one pasted in the wrong place is
// recognisable.
const tokenPrefix = "shq_"

// NewToken returns a fresh hall credential: 256 random bits.
func NewToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// HashToken is what HQ stores of a credential. The token has 256 bits of
// entropy, so a plain SHA-256 is enough: there is nothing to guess.
func HashToken(token string) [32]byte {
	return sha256.Sum256([]byte(strings.TrimSpace(token)))
}
