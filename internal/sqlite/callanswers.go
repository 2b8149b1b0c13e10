package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// CallAnswerKeep is how long the answers of LAN calls are kept: far longer
// than any PC goes on retrying a call.
const CallAnswerKeep = 48 * time.Hour

// writeCallKey records, in the change's transaction, that the call named
// key was done, with its answer (status 200) if not nil, and drops the
// records older than CallAnswerKeep.
func writeCallKey(ctx context.Context, tx *sql.Tx, key string, answer []byte) error {
	now := time.Now()
	var status any
	if answer != nil {
		status = http.StatusOK
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO call_answers (key, at, status, body) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		key, now.UnixMilli(), status, answer); err != nil {
		return fmt.Errorf("write call key: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM call_answers WHERE at < ?`, now.Add(-CallAnswerKeep).UnixMilli()); err != nil {
		return fmt.Errorf("drop old call keys: %w", err)
	}
	return nil
}

// SaveCallAnswer keeps the answer the node sent to the call named key,
// whose change was committed with it, in place of any kept before. A key
// without a committed change is left alone: a call that changed nothing
// may simply run again.
func (db *DB) SaveCallAnswer(ctx context.Context, key string, status int, body []byte) error {
	if body == nil {
		body = []byte{}
	}
	if _, err := db.w.ExecContext(ctx, `UPDATE call_answers SET status = ?, body = ? WHERE key = ?`,
		status, body, key); err != nil {
		return fmt.Errorf("save call answer: %w", err)
	}
	return nil
}

// CallAnswer reports whether the call named key was done (its change is
// in this file) and, if the node kept it, the answer it sent: answered is
// false when the node stopped between the commit and keeping the answer.
func (db *DB) CallAnswer(ctx context.Context, key string) (status int, body []byte, done, answered bool, err error) {
	var st sql.NullInt64
	err = db.r.QueryRowContext(ctx, `SELECT status, body FROM call_answers WHERE key = ?`, key).Scan(&st, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, false, false, nil
	}
	if err != nil {
		return 0, nil, false, false, fmt.Errorf("read call answer: %w", err)
	}
	return int(st.Int64), body, true, st.Valid, nil
}
