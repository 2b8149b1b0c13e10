package sqlite

import "fmt"

// LockedError says another process owns the database.
type LockedError struct {
	Path   string
	Holder string // what the owner wrote in the lock file: program, host, pid, since
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("database %s is in use by %s", e.Path, e.Holder)
}

// UserMessage is the Chinese text for people.
func (e *LockedError) UserMessage() string {
	return "数据库正被另一个程序使用（" + e.Holder + "），同一个营业厅数据库只能由一个程序打开。请先关闭那个程序，或在其他电脑上用「--hall」连接营业厅主机。"
}

// DamagedError says the file failed SQLite's check or the hall's own.
type DamagedError struct {
	Path     string
	Problems []string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("database %s is damaged: %v", e.Path, e.Problems)
}

// UserMessage is the Chinese text for people.
func (e *DamagedError) UserMessage() string {
	return "数据库文件已损坏，程序不会覆盖它：" + e.Path + "。请联系管理员从最近一次备份恢复。"
}

// SettingsError says a durability setting did not take effect, so the
// program refuses to run rather than risk losing acknowledged records.
type SettingsError struct {
	Pragma    string
	Want, Got string
}

func (e *SettingsError) Error() string {
	return fmt.Sprintf("pragma %s is %q, want %q", e.Pragma, e.Got, e.Want)
}

// UserMessage is the Chinese text for people.
func (e *SettingsError) UserMessage() string {
	return "数据库的安全写入设置未能生效（" + e.Pragma + "），为防止数据丢失，程序拒绝运行。请确认数据库不在网络共享盘上。"
}

// TooNewError says the file was written by a newer program.
type TooNewError struct {
	Version, Known int
}

func (e *TooNewError) Error() string {
	return fmt.Sprintf("database schema version %d is newer than this program's %d", e.Version, e.Known)
}

// UserMessage is the Chinese text for people.
func (e *TooNewError) UserMessage() string {
	return "数据库由更新版本的程序创建，请升级本程序后再打开。"
}
