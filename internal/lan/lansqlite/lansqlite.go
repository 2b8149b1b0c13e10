// Package lansqlite keeps the hall node's paired PCs in the hall's SQLite
// file, for lan.Server.
package lansqlite

import (
	"context"

	"servicehall/internal/lan"
	"servicehall/internal/sqlite"
)

// Clients is the lan.ClientStore of a hall database, and its
// lan.AnswerStore.
func Clients(db *sqlite.DB) lan.ClientStore { return clients{db} }

type clients struct{ db *sqlite.DB }

func (c clients) AddLANClient(ctx context.Context, p lan.PairedClient) error {
	return c.db.AddLANClient(ctx, sqlite.LANClient{ID: p.ID, Name: p.Name, Hash: p.Hash, PairedAt: p.PairedAt})
}

func (c clients) LANClient(ctx context.Context, hash string) (lan.PairedClient, bool, error) {
	x, ok, err := c.db.FindLANClient(ctx, hash)
	return lan.PairedClient{ID: x.ID, Name: x.Name, Hash: x.Hash, PairedAt: x.PairedAt, Revoked: x.Revoked}, ok, err
}

var _ lan.AnswerStore = clients{}

func (c clients) CallAnswer(ctx context.Context, key string) (int, []byte, bool, bool, error) {
	return c.db.CallAnswer(ctx, key)
}

func (c clients) SaveCallAnswer(ctx context.Context, key string, status int, body []byte) error {
	return c.db.SaveCallAnswer(ctx, key, status, body)
}
