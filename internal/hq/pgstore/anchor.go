package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"servicehall/internal/hq"
)

// SigningKey returns HQ's checkpoint signing key, storing gen's the first
// time.
func (s *Store) SigningKey(ctx context.Context, gen func() (string, string, error)) (string, string, error) {
	var skey, vkey string
	err := s.pool.QueryRow(ctx, `SELECT skey, vkey FROM signing_key WHERE id = 1`).Scan(&skey, &vkey)
	if err == nil {
		return skey, vkey, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return "", "", fmt.Errorf("read signing key: %w", err)
	}
	ns, nv, err := gen()
	if err != nil {
		return "", "", err
	}
	// Another process may have stored one meanwhile: its key wins.
	if _, err := s.pool.Exec(ctx, `INSERT INTO signing_key (id, skey, vkey, created) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING`,
		ns, nv, ts(time.Now())); err != nil {
		return "", "", fmt.Errorf("store signing key: %w", err)
	}
	if err := s.pool.QueryRow(ctx, `SELECT skey, vkey FROM signing_key WHERE id = 1`).Scan(&skey, &vkey); err != nil {
		return "", "", fmt.Errorf("read signing key: %w", err)
	}
	return skey, vkey, nil
}

type rowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func lastHead(ctx context.Context, q rowQuerier, hallID int64) (hq.TreeHead, error) {
	var h hq.TreeHead
	var root []byte
	query := `SELECT size, root, at FROM tree_heads WHERE hall_id = $1 ORDER BY size DESC LIMIT 1`
	err := q.QueryRow(ctx, query, hallID).Scan(&h.Size, &root, &h.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return hq.TreeHead{}, nil
	}
	if err != nil {
		return h, fmt.Errorf("read tree head: %w", err)
	}
	copy(h.Root[:], root)
	h.At = h.At.UTC()
	return h, nil
}

// TreeHead returns the last head HQ signed for a hall.
func (s *Store) TreeHead(ctx context.Context, hallID int64) (hq.TreeHead, error) {
	return lastHead(ctx, s.pool, hallID)
}

// AddTreeHead stores a newly signed head if the hall's last is still at
// prevSize. The hall's row is locked, so anchors of one hall are
// serialised.
func (s *Store) AddTreeHead(ctx context.Context, hallID, prevSize int64, h hq.TreeHead) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM halls WHERE id = $1 FOR NO KEY UPDATE`, hallID).Scan(&id); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return hq.ErrUnknownHall
		}
		return fmt.Errorf("lock hall: %w", err)
	}
	last, err := lastHead(ctx, tx, hallID)
	if err != nil {
		return err
	}
	if last.Size != prevSize || h.Size < last.Size || (h.Size == last.Size && h.Root != last.Root) {
		return hq.ErrHeadMoved
	}
	if h.Size == last.Size {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO tree_heads (hall_id, size, root, at) VALUES ($1, $2, $3, $4)`,
		hallID, h.Size, h.Root[:], ts(h.At)); err != nil {
		return fmt.Errorf("add tree head: %w", err)
	}
	return tx.Commit(ctx)
}

// AddBadHead keeps an inconsistent head and alerts the first time.
func (s *Store) AddBadHead(ctx context.Context, hallID int64, h hq.TreeHead, detail string) (bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback(ctx)
	ct, err := tx.Exec(ctx, `INSERT INTO bad_heads (hall_id, size, root, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
		hallID, h.Size, h.Root[:], ts(h.At))
	if err != nil {
		return false, fmt.Errorf("keep inconsistent head: %w", err)
	}
	if ct.RowsAffected() == 0 {
		return false, nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO alerts (hall_id, kind, detail, at) VALUES ($1, $2, $3, $4)`,
		hallID, hq.AlertTreeInconsistent, esc(detail), ts(h.At)); err != nil {
		return false, fmt.Errorf("alert: %w", err)
	}
	return true, tx.Commit(ctx)
}
