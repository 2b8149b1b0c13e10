package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"servicehall/internal/hall"
)

// txHashReader reads the register's stored hashes inside a transaction.
type txHashReader struct {
	ctx context.Context
	q   interface {
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
}

func (r txHashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		var b []byte
		if err := r.q.QueryRowContext(r.ctx, `SELECT hash FROM register_hashes WHERE idx = ?`, idx).Scan(&b); err != nil {
			return nil, fmt.Errorf("register hash %d: %w", idx, err)
		}
		copy(out[i][:], b)
	}
	return out, nil
}

// appendLeaf adds a record to the register inside the caller's transaction:
// its leaf, tlog's new stored hashes, and the new head.
func appendLeaf(ctx context.Context, tx *sql.Tx, kind, recordID string, leaf []byte, at time.Time) error {
	var n int64
	err := tx.QueryRowContext(ctx, `SELECT size FROM register_head WHERE id = 1`).Scan(&n)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("register head: %w", err)
	}
	r := txHashReader{ctx: ctx, q: tx}
	hashes, err := tlog.StoredHashes(n, leaf, r)
	if err != nil {
		return fmt.Errorf("register hashes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO register_leaves (idx, kind, record_id, leaf, at) VALUES (?, ?, ?, ?, ?)`,
		n, kind, recordID, leaf, at.UnixMilli()); err != nil {
		return fmt.Errorf("register leaf: %w", err)
	}
	base := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO register_hashes (idx, hash) VALUES (?, ?)`, base+int64(i), h[:]); err != nil {
			return fmt.Errorf("register hash: %w", err)
		}
	}
	root, err := tlog.TreeHash(n+1, r)
	if err != nil {
		return fmt.Errorf("register root: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO register_head (id, size, root) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET size = excluded.size, root = excluded.root`, n+1, root[:])
	return err
}

// RegisterHead returns the register's size and root.
func (db *DB) RegisterHead(ctx context.Context) (hall.RegisterHead, error) {
	var h hall.RegisterHead
	var root []byte
	err := db.r.QueryRowContext(ctx, `SELECT size, root FROM register_head WHERE id = 1`).Scan(&h.Size, &root)
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil
	}
	copy(h.Root[:], root)
	return h, err
}

// memHashes is tlog's stored hashes recomputed in memory, for verify.
type memHashes []tlog.Hash

func (m memHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		if idx < 0 || idx >= int64(len(m)) {
			return nil, fmt.Errorf("hash %d not computed", idx)
		}
		out[i] = m[idx]
	}
	return out, nil
}

// verifyRegister recomputes the register from its source records: every
// leaf must match its record as stored now, leaves must run 0, 1, 2 …, the
// tree built from them must equal the stored hashes and the head. It names
// the first damaged record.
func verifyRegister(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT l.idx, l.kind, l.record_id, l.leaf,
		c.id, c.ticket_id, c.number, c.counter, c.clerk, c.what, c.place, c.occurred, c.contact_name, c.contact_phone, c.created_at, c.contact_salt
		FROM register_leaves l LEFT JOIN complaints c ON c.id = l.record_id ORDER BY l.idx`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	var computed memHashes
	var n int64
	for rows.Next() {
		var idx int64
		var kind, recordID string
		var leaf []byte
		var cid, ticket, number, clerk, what, place, occurred, name, phone sql.NullString
		var counter, created sql.NullInt64
		var salt []byte
		if err := rows.Scan(&idx, &kind, &recordID, &leaf, &cid, &ticket, &number, &counter, &clerk, &what, &place, &occurred,
			&name, &phone, &created, &salt); err != nil {
			return nil, err
		}
		if idx != n {
			problems = append(problems, fmt.Sprintf("登记簿第 %d 条之前缺少记录（记录被删除或调换顺序）", idx))
			return problems, nil
		}
		if rl, ok := receptionLeaves[kind]; ok {
			want, ok, err := rl.of(ctx, db, recordID)
			if err != nil {
				return nil, err
			}
			if !ok || !bytes.Equal(want, leaf) {
				problems = append(problems, fmt.Sprintf("%s %s 已被删除或改动（登记簿第 %d 条）", rl.name, recordID, idx))
				return problems, nil
			}
		}
		if kind == hall.LeafRatingFollowUp {
			want, ok, err := followUpLeafOf(ctx, db, recordID)
			if err != nil {
				return nil, err
			}
			if !ok || !bytes.Equal(want, leaf) {
				problems = append(problems, fmt.Sprintf("差评整改或回访记录 %s 已被删除或改动（登记簿第 %d 条）", recordID, idx))
				return problems, nil
			}
		}
		if kind == hall.LeafComplaintStatus {
			want, ok, err := statusLeafOf(ctx, db, recordID)
			if err != nil {
				return nil, err
			}
			if !ok || !bytes.Equal(want, leaf) {
				problems = append(problems, fmt.Sprintf("投诉处理记录 %s 已被删除或改动（登记簿第 %d 条）", recordID, idx))
				return problems, nil
			}
		}
		if kind == hall.LeafLog {
			want, ok, err := logLeafOf(ctx, db, recordID)
			if err != nil {
				return nil, err
			}
			if !ok {
				problems = append(problems, fmt.Sprintf("值班日志 %s 已被删除（登记簿第 %d 条）", recordID, idx))
				return problems, nil
			}
			if !bytes.Equal(want, leaf) {
				problems = append(problems, fmt.Sprintf("值班日志 %s 的内容被改动（登记簿第 %d 条）", recordID, idx))
				return problems, nil
			}
		}
		if kind == hall.LeafComplaint {
			if !cid.Valid {
				problems = append(problems, fmt.Sprintf("投诉 %s 已被删除（登记簿第 %d 条）", recordID, idx))
				return problems, nil
			}
			c := hall.Complaint{ID: cid.String, TicketID: ticket.String, Number: number.String, Counter: int(counter.Int64),
				Clerk: clerk.String, What: what.String, Where: place.String, Occurred: occurred.String,
				Contact: hall.Contact{Name: name.String, Phone: phone.String}, CreatedAt: time.UnixMilli(created.Int64).UTC()}
			if !bytes.Equal(hall.ComplaintLeaf(c, salt), leaf) {
				problems = append(problems, fmt.Sprintf("投诉 %s 的内容被改动（登记簿第 %d 条）", recordID, idx))
				return problems, nil
			}
		}
		hs, err := tlog.StoredHashes(n, leaf, computed)
		if err != nil {
			return nil, err
		}
		computed = append(computed, hs...)
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Complaints and log entries must all be in the register.
	var missing int
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM complaints c WHERE NOT EXISTS (SELECT 1 FROM register_leaves l WHERE l.record_id = c.id))
		+ (SELECT count(*) FROM director_log d WHERE NOT EXISTS (SELECT 1 FROM register_leaves l WHERE l.record_id = d.id))
		+ (SELECT count(*) FROM complaint_status s WHERE NOT EXISTS (SELECT 1 FROM register_leaves l WHERE l.record_id = s.id))
		+ (SELECT count(*) FROM rating_followups f WHERE NOT EXISTS (SELECT 1 FROM register_leaves l WHERE l.record_id = f.id))
		+ `+receptionUnregistered).Scan(&missing); err != nil {
		return nil, err
	}
	if missing > 0 {
		problems = append(problems, fmt.Sprintf("有 %d 条投诉不在登记簿中", missing))
	}
	// The stored hashes and the head must be the tree of these leaves.
	hrows, err := db.QueryContext(ctx, `SELECT idx, hash FROM register_hashes ORDER BY idx`)
	if err != nil {
		return nil, err
	}
	defer hrows.Close()
	var i int64
	for hrows.Next() {
		var idx int64
		var h []byte
		if err := hrows.Scan(&idx, &h); err != nil {
			return nil, err
		}
		if idx != i || idx >= int64(len(computed)) || !bytes.Equal(h, computed[idx][:]) {
			return append(problems, fmt.Sprintf("登记簿的哈希树在第 %d 个节点处不一致（记录被删改或调换）", idx)), nil
		}
		i++
	}
	if i != int64(len(computed)) {
		return append(problems, "登记簿的哈希树不完整"), nil
	}
	var size int64
	var root []byte
	err = db.QueryRowContext(ctx, `SELECT size, root FROM register_head WHERE id = 1`).Scan(&size, &root)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if n != 0 {
			problems = append(problems, "登记簿缺少树根记录")
		}
	case err != nil:
		return nil, err
	default:
		want, terr := tlog.TreeHash(n, computed)
		if terr != nil {
			return nil, terr
		}
		if size != n || !bytes.Equal(root, want[:]) {
			problems = append(problems, fmt.Sprintf("登记簿树根与记录不符（记录 %d 条，树根记载 %d 条）", n, size))
		}
	}
	return problems, nil
}
