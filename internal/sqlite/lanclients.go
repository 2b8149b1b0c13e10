package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// LANClient is a PC paired with this hall node (see internal/lan).
type LANClient struct {
	ID       string
	Name     string
	Hash     string // hex SHA-256 of its credential
	PairedAt time.Time
	Revoked  bool
}

// AddLANClient keeps a newly paired PC's hashed credential.
func (db *DB) AddLANClient(ctx context.Context, c LANClient) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO lan_clients (id, name, cred_hash, paired_at) VALUES (?, ?, ?, ?)`,
		c.ID, c.Name, c.Hash, c.PairedAt.UnixMilli()); err != nil {
		return fmt.Errorf("add LAN client: %w", err)
	}
	return tx.Commit()
}

// FindLANClient finds a paired PC by its credential's hash.
func (db *DB) FindLANClient(ctx context.Context, hash string) (LANClient, bool, error) {
	var c LANClient
	var at int64
	var revoked sql.NullInt64
	err := db.r.QueryRowContext(ctx, `SELECT id, name, cred_hash, paired_at, revoked_at FROM lan_clients WHERE cred_hash = ?`, hash).
		Scan(&c.ID, &c.Name, &c.Hash, &at, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	c.PairedAt, c.Revoked = time.UnixMilli(at).UTC(), revoked.Valid
	return c, true, nil
}
