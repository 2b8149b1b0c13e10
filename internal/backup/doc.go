// Package backup owns the hall database's backups: consistent copies made
// with SQLite's VACUUM INTO, verified before they are renamed into place,
// named by local date and time, rotated (14 daily, 12 monthly), and
// restored only over a database that no program holds.
package backup
