package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ownerLock makes one process the only owner of a hall's database. The lock
// file sits beside the database and names its holder, so that a second
// process can say who has it. The operating system drops the lock when the
// holder exits, even by kill -9, so a stale file never blocks a restart.
type ownerLock struct {
	f *os.File
}

func lockPath(dbPath string) string { return dbPath + ".lock" }

func acquire(dbPath, program string) (*ownerLock, error) {
	p := lockPath(dbPath)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	held, err := lockFile(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	if held {
		b, _ := os.ReadFile(p)
		f.Close()
		holder := strings.TrimSpace(string(b))
		if holder == "" {
			holder = "未知程序"
		}
		return nil, &LockedError{Path: dbPath, Holder: holder}
	}
	host, _ := os.Hostname()
	exe, _ := os.Executable()
	info := fmt.Sprintf("%s, 主机 %s, 进程 %d, 自 %s 起", firstNonEmpty(program, filepath.Base(exe)), host, os.Getpid(), time.Now().Format("2006-01-02 15:04:05"))
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(info+"\n"), 0)
		_ = f.Sync()
	}
	return &ownerLock{f: f}, nil
}

func (l *ownerLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	// Closing the file drops the lock; the file stays, harmless, for next time.
	err := l.f.Close()
	l.f = nil
	return err
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
