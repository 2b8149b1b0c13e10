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
	ID        string
	Name      string
	Hash      string // hex SHA-256 of its credential
	PairedAt  time.Time
	Revoked   bool
	RevokedAt time.Time // zero while it may connect
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
	if revoked.Valid {
		c.RevokedAt = time.UnixMilli(revoked.Int64).UTC()
	}
	return c, true, nil
}

// LANClientError names a paired PC that is not there.
type LANClientError struct{ ID string }

func (e *LANClientError) Error() string { return fmt.Sprintf("no paired PC %q", e.ID) }

// UserMessage is the Chinese text for people.
func (e *LANClientError) UserMessage() string {
	return fmt.Sprintf("没有编号为 %s 的已配对电脑（servicehall lan list 列出全部）", e.ID)
}

// LANClients lists the PCs ever paired with this hall node, in the order
// they were paired, revoked ones included.
func (db *DB) LANClients(ctx context.Context) ([]LANClient, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, name, cred_hash, paired_at, revoked_at FROM lan_clients ORDER BY paired_at, id`)
	if err != nil {
		return nil, fmt.Errorf("list LAN clients: %w", err)
	}
	defer rows.Close()
	var out []LANClient
	for rows.Next() {
		var c LANClient
		var at int64
		var revoked sql.NullInt64
		if err := rows.Scan(&c.ID, &c.Name, &c.Hash, &at, &revoked); err != nil {
			return nil, err
		}
		c.PairedAt, c.Revoked = time.UnixMilli(at).UTC(), revoked.Valid
		if revoked.Valid {
			c.RevokedAt = time.UnixMilli(revoked.Int64).UTC()
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RevokeLANClient ends the credential of the paired PC id at at: the node
// refuses its calls from then on, and the PC must pair again. Revoking a
// revoked PC keeps its first revocation. *LANClientError if there is no
// such PC.
func (db *DB) RevokeLANClient(ctx context.Context, id string, at time.Time) (LANClient, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return LANClient{}, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE lan_clients SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`, at.UnixMilli(), id)
	if err != nil {
		return LANClient{}, fmt.Errorf("revoke LAN client: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return LANClient{}, err
	} else if n == 0 {
		return LANClient{}, &LANClientError{ID: id}
	}
	var c LANClient
	var paired, revoked int64
	if err := tx.QueryRowContext(ctx, `SELECT id, name, cred_hash, paired_at, revoked_at FROM lan_clients WHERE id = ?`, id).
		Scan(&c.ID, &c.Name, &c.Hash, &paired, &revoked); err != nil {
		return LANClient{}, fmt.Errorf("read LAN client: %w", err)
	}
	c.PairedAt, c.Revoked, c.RevokedAt = time.UnixMilli(paired).UTC(), true, time.UnixMilli(revoked).UTC()
	return c, tx.Commit()
}
