package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"servicehall/internal/checkpoint"
	"servicehall/internal/hall"
)

// Anchoring the register at headquarters. The head the hall sends HQ is
// recomputed from the records themselves (complaints, their status
// records, the director's log, bad-rating follow-ups), not read from
// register_head or register_hashes: a record deleted or edited with raw
// SQL changes the recomputed tree even when the stored leaves and hashes
// are left alone, and HQ, which holds the last head it signed, sees that
// the new head does not extend it.

// leafSources rebuilds a leaf from its record as stored now; ok is false
// when the record is gone.
var leafSources = map[string]func(ctx context.Context, db *sql.DB, id string) ([]byte, bool, error){
	hall.LeafComplaint:       complaintLeafOf,
	hall.LeafComplaintStatus: statusLeafOf,
	hall.LeafLog:             logLeafOf,
	hall.LeafRatingFollowUp:  followUpLeafOf,
}

// leafSource is how a leaf of kind is rebuilt; nil for a kind without a
// known source.
func leafSource(kind string) func(ctx context.Context, db *sql.DB, id string) ([]byte, bool, error) {
	if of, ok := leafSources[kind]; ok {
		return of
	}
	if rl, ok := receptionLeaves[kind]; ok {
		return rl.of
	}
	return nil
}

func complaintLeafOf(ctx context.Context, db *sql.DB, id string) ([]byte, bool, error) {
	var c hall.Complaint
	var counter, created int64
	var salt []byte
	err := db.QueryRowContext(ctx, `SELECT id, ticket_id, number, counter, clerk, what, place, occurred, contact_name, contact_phone, created_at, contact_salt
		FROM complaints WHERE id = ?`, id).Scan(&c.ID, &c.TicketID, &c.Number, &counter, &c.Clerk, &c.What, &c.Where, &c.Occurred,
		&c.Contact.Name, &c.Contact.Phone, &created, &salt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	c.Counter, c.CreatedAt = int(counter), time.UnixMilli(created).UTC()
	return hall.ComplaintLeaf(c, salt), true, nil
}

// goneLeaf stands for a record that is no longer there: any bytes other
// than its leaf make the tree differ from the one HQ signed.
func goneLeaf(kind, id string) []byte {
	b, _ := json.Marshal(struct {
		Kind     string `json:"kind"`
		Gone     string `json:"gone"`
		RecordID string `json:"record_id"`
	}{"gone", kind, id})
	return b
}

// RegisterTree is the register recomputed from its records.
type RegisterTree struct {
	Size    int64
	Root    tlog.Hash
	Changed []string // Chinese: records deleted or changed since their leaf was appended
	hashes  memHashes
}

// ReadHashes makes the tree a tlog.HashReader.
func (t *RegisterTree) ReadHashes(idx []int64) ([]tlog.Hash, error) { return t.hashes.ReadHashes(idx) }

// RootAt is the root of the first n leaves.
func (t *RegisterTree) RootAt(n int64) (tlog.Hash, error) {
	if n < 0 || n > t.Size {
		return tlog.Hash{}, fmt.Errorf("register has %d leaves, not %d", t.Size, n)
	}
	return tlog.TreeHash(n, t.hashes)
}

// Proof is a consistency proof from the first old leaves to the whole tree.
func (t *RegisterTree) Proof(old int64) (tlog.TreeProof, error) {
	if old <= 0 || old >= t.Size {
		return nil, nil
	}
	return tlog.ProveTree(t.Size, old, t.hashes)
}

// RegisterTree recomputes the register from its records, in the order
// the leaves were appended. A record that is gone or changed contributes
// what it is now (a "gone" marker, or its new leaf), so the root differs
// from every root HQ signed while it was there. Kinds without a known
// source use the stored leaf.
func (db *DB) RegisterTree(ctx context.Context) (*RegisterTree, error) {
	return recomputeRegister(ctx, db.r)
}

func recomputeRegister(ctx context.Context, db *sql.DB) (*RegisterTree, error) {
	type leafRow struct {
		kind, id string
		leaf     []byte
	}
	// The leaves first, in one read: a record whose leaf is listed was
	// committed with it, so looking it up afterwards finds it unless it
	// was removed behind the hall's back.
	rows, err := db.QueryContext(ctx, `SELECT kind, record_id, leaf FROM register_leaves ORDER BY idx`)
	if err != nil {
		return nil, fmt.Errorf("read register: %w", err)
	}
	var leaves []leafRow
	for rows.Next() {
		var l leafRow
		if err := rows.Scan(&l.kind, &l.id, &l.leaf); err != nil {
			rows.Close()
			return nil, err
		}
		leaves = append(leaves, l)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	t := &RegisterTree{}
	for i, l := range leaves {
		leaf := l.leaf
		if of := leafSource(l.kind); of != nil {
			want, found, err := of(ctx, db, l.id)
			if err != nil {
				return nil, fmt.Errorf("register leaf %d: %w", i, err)
			}
			switch {
			case !found:
				leaf = goneLeaf(l.kind, l.id)
				t.Changed = append(t.Changed, fmt.Sprintf("登记簿第 %d 条的记录 %s 已被删除", i, l.id))
			case !bytes.Equal(want, l.leaf):
				leaf = want
				t.Changed = append(t.Changed, fmt.Sprintf("登记簿第 %d 条的记录 %s 已被改动", i, l.id))
			}
		}
		hs, err := tlog.StoredHashes(t.Size, leaf, t.hashes)
		if err != nil {
			return nil, err
		}
		t.hashes = append(t.hashes, hs...)
		t.Size++
	}
	if t.Root, err = tlog.TreeHash(t.Size, t.hashes); err != nil {
		return nil, err
	}
	return t, nil
}

// Checkpoint is a checkpoint HQ signed for the register, as kept.
type Checkpoint struct {
	Size        int64
	Root        tlog.Hash
	Note        string
	VerifierKey string
	ReceivedAt  time.Time
}

// Errors of checkpoints.
var (
	// ErrCheckpointKey: a checkpoint signed with another key than the
	// first one the hall kept.
	ErrCheckpointKey = errors.New("checkpoint signed with another HQ key")
	// ErrCheckpointInvalid: the note does not open or says other than
	// what it is kept as.
	ErrCheckpointInvalid = errors.New("invalid checkpoint")
)

// LastCheckpoint returns the newest checkpoint kept; ok is false when HQ
// never signed one.
func (db *DB) LastCheckpoint(ctx context.Context) (Checkpoint, bool, error) {
	return lastCheckpoint(ctx, db.r)
}

func lastCheckpoint(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (Checkpoint, bool, error) {
	var c Checkpoint
	var root []byte
	var at int64
	err := q.QueryRowContext(ctx, `SELECT size, root, note, verifier_key, received_at FROM hq_checkpoints ORDER BY id DESC LIMIT 1`).
		Scan(&c.Size, &root, &c.Note, &c.VerifierKey, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("read last checkpoint: %w", err)
	}
	copy(c.Root[:], root)
	c.ReceivedAt = time.UnixMilli(at).UTC()
	return c, true, nil
}

// pinnedKey is the verifier key of the first checkpoint kept, "" when none.
func pinnedKey(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (string, error) {
	var k string
	err := q.QueryRowContext(ctx, `SELECT verifier_key FROM hq_checkpoints ORDER BY id LIMIT 1`).Scan(&k)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return k, err
}

// AddCheckpoint keeps a checkpoint HQ signed. It opens the note with
// vkey, which must be the key of the first checkpoint kept (the first is
// trusted as it comes), and refuses one that does not say size and root.
func (db *DB) AddCheckpoint(ctx context.Context, note, vkey string, size int64, root tlog.Hash, at time.Time) error {
	c, err := checkpoint.Open(note, vkey)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCheckpointInvalid, err)
	}
	if c.Size != size || c.Root != root {
		return fmt.Errorf("%w: it says %d leaves, the hall sent %d", ErrCheckpointInvalid, c.Size, size)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	pinned, err := pinnedKey(ctx, tx)
	if err != nil {
		return err
	}
	if pinned != "" && pinned != vkey {
		return fmt.Errorf("%w: %q, first %q", ErrCheckpointKey, vkey, pinned)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO hq_checkpoints (size, root, note, verifier_key, received_at) VALUES (?, ?, ?, ?, ?)`,
		size, root[:], note, vkey, at.UnixMilli()); err != nil {
		return fmt.Errorf("keep checkpoint: %w", err)
	}
	return tx.Commit()
}

// verifyCheckpoint checks the register against the newest checkpoint HQ
// signed: its signature with the first key kept, its size within the
// register, and the root of the register recomputed from its records at
// that size. Rebuilding leaves, hashes and head after an edit passes the
// local checks but not this one.
func verifyCheckpoint(ctx context.Context, db *sql.DB) ([]string, error) {
	c, ok, err := lastCheckpoint(ctx, db)
	if err != nil || !ok {
		return nil, err
	}
	pinned, err := pinnedKey(ctx, db)
	if err != nil {
		return nil, err
	}
	signed, err := checkpoint.Open(c.Note, pinned)
	if err != nil {
		return []string{"总部签署的最新登记簿确认书签名无效（确认书或总部密钥被改动）"}, nil
	}
	if signed.Size != c.Size || signed.Root != c.Root {
		return []string{"总部签署的最新登记簿确认书与本厅记载的条数或树根不符"}, nil
	}
	t, err := recomputeRegister(ctx, db)
	if err != nil {
		return nil, err
	}
	if signed.Size > t.Size {
		return []string{fmt.Sprintf("登记簿只有 %d 条，少于总部上次确认的 %d 条（记录被删除）", t.Size, signed.Size)}, nil
	}
	root, err := t.RootAt(signed.Size)
	if err != nil {
		return nil, err
	}
	if root != signed.Root {
		return []string{fmt.Sprintf("登记簿前 %d 条与总部上次确认的不一致（投诉、值班日志等记录被删除或改动）", signed.Size)}, nil
	}
	return nil, nil
}
