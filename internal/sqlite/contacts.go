package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"servicehall/internal/hall"
)

var _ hall.ContactStore = (*DB)(nil)

// ComplaintContact reads a complaint's contact in full from the
// complaint's own row, the only place it is kept in full: the read behind
// a director's recorded look (hall.Local.ComplaintContact). found is false
// when there is no such complaint.
func (db *DB) ComplaintContact(ctx context.Context, id string) (hall.Contact, bool, error) {
	var c hall.Contact
	err := db.r.QueryRowContext(ctx, `SELECT contact_name, contact_phone FROM complaints WHERE id = ?`, id).Scan(&c.Name, &c.Phone)
	if errors.Is(err, sql.ErrNoRows) {
		return hall.Contact{}, false, nil
	}
	if err != nil {
		return hall.Contact{}, false, fmt.Errorf("complaint %s contact: %w", id, err)
	}
	return c, true, nil
}
