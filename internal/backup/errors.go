package backup

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"servicehall/internal/sqlite"
)

// Error is a backup or restore that failed; nothing half-written is left
// under a backup's or the database's name.
type Error struct {
	Msg string // Chinese, for people
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return "backup: " + e.Err.Error()
	}
	return "backup: " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// UserMessage is the Chinese text for people.
func (e *Error) UserMessage() string { return e.Msg }

// InUseError says restore refused because a program holds the database.
type InUseError struct{ Locked *sqlite.LockedError }

func (e *InUseError) Error() string { return "restore refused: " + e.Locked.Error() }

func (e *InUseError) Unwrap() error { return e.Locked }

// UserMessage is the Chinese text for people.
func (e *InUseError) UserMessage() string {
	return "不能恢复：数据库正被运行中的程序使用（" + e.Locked.Holder + "）。请先关闭本机所有营业厅程序（包括营业厅主机服务），再运行恢复。"
}

// DamagedError is a damaged database at start, with the newest backup that
// passes verify, so that the person at the PC knows what to restore.
type DamagedError struct {
	Damaged *sqlite.DamagedError
	Dir     string // the backup folder searched
	Last    *File  // nil: no good backup found
}

func (e *DamagedError) Error() string {
	last := "none"
	if e.Last != nil {
		last = e.Last.Path
	}
	return fmt.Sprintf("%v (last good backup: %s)", e.Damaged, last)
}

func (e *DamagedError) Unwrap() error { return e.Damaged }

// UserMessage is the Chinese text for people.
func (e *DamagedError) UserMessage() string {
	msg := "数据库文件已损坏，程序不会覆盖它：" + e.Damaged.Path + "。"
	if e.Last == nil {
		return msg + "备份文件夹 " + e.Dir + " 中没有可用的备份。请联系管理员。"
	}
	return msg + "最近一次完好的备份是 " + filepath.Base(e.Last.Path) + "（" + e.Last.Time.Format("2006-01-02 15:04") + "，位于 " + e.Dir + "）。" +
		"恢复方法：关闭所有营业厅程序后运行 servicehall restore --db " + e.Damaged.Path + " " + e.Last.Path
}

// Explain turns a damaged database's error into a *DamagedError naming the
// last good backup in dir; any other error is returned as it is.
func Explain(ctx context.Context, err error, dbPath, dir string) error {
	var d *sqlite.DamagedError
	if !errors.As(err, &d) {
		return err
	}
	out := &DamagedError{Damaged: d, Dir: dir}
	if f, ok := LastGood(ctx, dir, dbPath, nil); ok {
		out.Last = &f
	}
	return out
}
