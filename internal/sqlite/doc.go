// Package sqlite keeps a hall in one SQLite file (modernc.org/sqlite, pure
// Go): the hall.Store with its event log, embedded numbered migrations, the
// single-owner lock, and the checks that refuse a file that is damaged or
// was opened without durable settings.
package sqlite
