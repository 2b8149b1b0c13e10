// Package logfile owns the programs' log files: structured lines (log/slog)
// in a size-rotated file in the data directory, with customers' phone and
// identity-card numbers masked wherever they would slip into a line.
package logfile

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// Defaults of the rotation.
const (
	MaxBytes = 5 << 20 // a file is rotated once it passes this size
	Keep     = 5       // rotated files kept: NAME.log.1 (newest) … NAME.log.5
)

// Dir is the log folder of the program whose database is dbPath: "logs"
// beside it, in the data directory.
func Dir(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), "logs") }

// Rotator is an io.Writer to a file that it rotates by size: when a write
// would take the file past MaxBytes, NAME.log becomes NAME.log.1, .1
// becomes .2 and so on, and the oldest beyond Keep is removed. Safe for
// concurrent use; one process per file.
type Rotator struct {
	Path     string
	MaxBytes int64
	Keep     int

	mu   sync.Mutex
	f    *os.File
	size int64
}

// NewRotator opens (appending) the file at path, creating its folder.
func NewRotator(path string, maxBytes int64, keep int) (*Rotator, error) {
	if maxBytes <= 0 {
		maxBytes = MaxBytes
	}
	if keep <= 0 {
		keep = Keep
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create log folder: %w", err)
	}
	r := &Rotator{Path: path, MaxBytes: maxBytes, Keep: keep}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Rotator) open() error {
	f, err := os.OpenFile(r.Path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("open log file: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	r.f, r.size = f, info.Size()
	return nil
}

// Write appends p, rotating first when p would take the file past MaxBytes.
func (r *Rotator) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return 0, os.ErrClosed
	}
	if r.size > 0 && r.size+int64(len(p)) > r.MaxBytes {
		if err := r.rotate(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

func (r *Rotator) rotate() error {
	if err := r.f.Close(); err != nil {
		return err
	}
	r.f = nil
	os.Remove(r.Path + "." + strconv.Itoa(r.Keep))
	for i := r.Keep - 1; i >= 1; i-- {
		os.Rename(r.Path+"."+strconv.Itoa(i), r.Path+"."+strconv.Itoa(i+1)) // a missing one is fine
	}
	if err := os.Rename(r.Path, r.Path+".1"); err != nil {
		return fmt.Errorf("rotate log file: %w", err)
	}
	return r.open()
}

// Close closes the file.
func (r *Rotator) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

// Options of Open.
type Options struct {
	MaxBytes int64     // 0: MaxBytes
	Keep     int       // 0: Keep
	Console  io.Writer // also write each line here (stderr), nil: the file only
	Level    slog.Level
}

// Open starts the log NAME.log in dir: text lines of key=value pairs,
// masked by Redact. Close the returned Rotator at exit.
func Open(dir, name string, opt Options) (*slog.Logger, *Rotator, error) {
	r, err := NewRotator(filepath.Join(dir, name+".log"), opt.MaxBytes, opt.Keep)
	if err != nil {
		return nil, nil, err
	}
	ho := &slog.HandlerOptions{Level: opt.Level}
	var h slog.Handler = slog.NewTextHandler(r, ho)
	if opt.Console != nil {
		h = slog.NewMultiHandler(h, slog.NewTextHandler(opt.Console, ho))
	}
	return slog.New(NewRedactor(h)), r, nil
}

// Printf adapts a logger to the func(format, args...) the packages take.
func Printf(l *slog.Logger) func(string, ...any) {
	return func(format string, args ...any) {
		l.Log(context.Background(), slog.LevelInfo, fmt.Sprintf(format, args...))
	}
}
