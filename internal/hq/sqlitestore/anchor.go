package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"servicehall/internal/hq"
)

// SigningKey returns HQ's checkpoint signing key, storing gen's the first
// time.
func (s *Store) SigningKey(ctx context.Context, gen func() (string, string, error)) (string, string, error) {
	var skey, vkey string
	err := s.w.QueryRowContext(ctx, `SELECT skey, vkey FROM signing_key WHERE id = 1`).Scan(&skey, &vkey)
	if err == nil {
		return skey, vkey, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("read signing key: %w", err)
	}
	ns, nv, err := gen()
	if err != nil {
		return "", "", err
	}
	// Another process may have stored one meanwhile: its key wins.
	if _, err := s.w.ExecContext(ctx, `INSERT INTO signing_key (id, skey, vkey, created) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, ns, nv, time.Now().UnixMilli()); err != nil {
		return "", "", fmt.Errorf("store signing key: %w", err)
	}
	if err := s.w.QueryRowContext(ctx, `SELECT skey, vkey FROM signing_key WHERE id = 1`).Scan(&skey, &vkey); err != nil {
		return "", "", fmt.Errorf("read signing key: %w", err)
	}
	return skey, vkey, nil
}

func lastHead(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, hallID int64) (hq.TreeHead, error) {
	var h hq.TreeHead
	var root []byte
	var at int64
	err := q.QueryRowContext(ctx, `SELECT size, root, at FROM tree_heads WHERE hall_id = ? ORDER BY size DESC LIMIT 1`, hallID).Scan(&h.Size, &root, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return hq.TreeHead{}, nil
	}
	if err != nil {
		return h, fmt.Errorf("read tree head: %w", err)
	}
	copy(h.Root[:], root)
	h.At = fromMS(at)
	return h, nil
}

// TreeHead returns the last head HQ signed for a hall.
func (s *Store) TreeHead(ctx context.Context, hallID int64) (hq.TreeHead, error) {
	return lastHead(ctx, s.r, hallID)
}

// AddTreeHead stores a newly signed head if the hall's last is still at
// prevSize.
func (s *Store) AddTreeHead(ctx context.Context, hallID, prevSize int64, h hq.TreeHead) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	last, err := lastHead(ctx, tx, hallID)
	if err != nil {
		return err
	}
	if last.Size != prevSize {
		return hq.ErrHeadMoved
	}
	if last.Size == h.Size {
		if last.Root != h.Root {
			return hq.ErrHeadMoved
		}
		return nil
	}
	if h.Size < last.Size {
		return hq.ErrHeadMoved
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO tree_heads (hall_id, size, root, at) VALUES (?, ?, ?, ?)`,
		hallID, h.Size, h.Root[:], ms(h.At)); err != nil {
		return fmt.Errorf("add tree head: %w", err)
	}
	return tx.Commit()
}

// AddBadHead keeps an inconsistent head and alerts the first time.
func (s *Store) AddBadHead(ctx context.Context, hallID int64, h hq.TreeHead, detail string) (bool, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO bad_heads (hall_id, size, root, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		hallID, h.Size, h.Root[:], ms(h.At))
	if err != nil {
		return false, fmt.Errorf("keep inconsistent head: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO alerts (hall_id, kind, detail, at) VALUES (?, ?, ?, ?)`,
		hallID, hq.AlertTreeInconsistent, detail, ms(h.At)); err != nil {
		return false, fmt.Errorf("alert: %w", err)
	}
	return true, tx.Commit()
}
