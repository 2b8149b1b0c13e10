// Package hqsync is the hall's side of the sync with headquarters: a Client
// that pushes the hall's event log to HQ in batches and moves the hall's
// cursor only to what HQ acknowledged, quarantines what HQ refuses, keeps
// trying with backoff while HQ is unreachable, and pulls HQ's notices.
// It needs the hall's database (*sqlite.DB), not the hall in memory, so it
// runs inside the program or as `servicehall sync` alike.
package hqsync
