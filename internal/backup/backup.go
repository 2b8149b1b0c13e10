package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"servicehall/internal/sqlite"
)

// DirEnv names a backup folder other than the default, for every program
// that opens the hall's database on this PC.
const DirEnv = "SERVICEHALL_BACKUP_DIR"

// Keep counts of the default rotation.
const (
	KeepDaily   = 14
	KeepMonthly = 12
)

// stampLayout names a backup by its local date and time.
const stampLayout = "20060102-150405"

// Options say where backups go and how many are kept.
type Options struct {
	Dir         string         // "" is Dir(dbPath)
	Loc         *time.Location // names and days; nil is time.Local
	KeepDaily   int            // newest backup of each of the last N days that have one; 0 is KeepDaily
	KeepMonthly int            // newest backup of each of the last N months that have one; 0 is KeepMonthly
	// CloseAt is the hall's closing time as an offset from local midnight: a
	// backup is due when none was written since the last closing time. 0
	// (midnight) backs up at the day's close and at the first start of a day.
	CloseAt time.Duration
	Now     func() time.Time // nil is time.Now
	Logger  *slog.Logger     // nil is slog.Default()
}

func (o Options) withDefaults(dbPath string) Options {
	if o.Dir == "" {
		o.Dir = Dir(dbPath)
	}
	if o.Loc == nil {
		o.Loc = time.Local
	}
	if o.KeepDaily == 0 {
		o.KeepDaily = KeepDaily
	}
	if o.KeepMonthly == 0 {
		o.KeepMonthly = KeepMonthly
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Dir is the backup folder of the database at dbPath: $SERVICEHALL_BACKUP_DIR
// when set, else "backups" beside the database.
func Dir(dbPath string) string {
	if d := strings.TrimSpace(os.Getenv(DirEnv)); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(dbPath), "backups")
}

// File is one backup.
type File struct {
	Path string
	Time time.Time // when it was taken, from its name
	Size int64
}

// stem is the database's file name without its extension: hall.db → hall.
func stem(dbPath string) string {
	b := filepath.Base(dbPath)
	return strings.TrimSuffix(b, filepath.Ext(b))
}

func namePattern(stem string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(stem) + `-(\d{8}-\d{6})(?:-(\d+))?\.db$`)
}

// List returns the backups of the database at dbPath found in dir, newest
// first. Files that are not backups of it are ignored.
func List(dir, dbPath string, loc *time.Location) ([]File, error) {
	if loc == nil {
		loc = time.Local
	}
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	re := namePattern(stem(dbPath))
	var out []File
	for _, e := range ents {
		m := re.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		t, err := time.ParseInLocation(stampLayout, m[1], loc)
		if err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, File{Path: filepath.Join(dir, e.Name()), Time: t, Size: info.Size()})
	}
	slices.SortFunc(out, func(a, b File) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return strings.Compare(b.Path, a.Path)
	})
	return out, nil
}

// Create writes a backup of the database at dbPath: SQLite's VACUUM INTO a
// temporary file in the backup folder (a consistent snapshot, safe beside a
// running program), checked with sqlite.Verify, synced, and renamed into
// place. Then it rotates the folder. Nothing half-written is ever left
// under a backup's name.
func Create(ctx context.Context, dbPath string, opt Options) (File, error) {
	opt = opt.withDefaults(dbPath)
	if _, err := os.Stat(dbPath); err != nil {
		return File{}, &Error{Msg: "要备份的数据库文件不存在：" + dbPath, Err: err}
	}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return File{}, &Error{Msg: "无法创建备份文件夹：" + opt.Dir, Err: err}
	}
	now := opt.Now().In(opt.Loc)
	final, err := freeName(opt.Dir, stem(dbPath), now)
	if err != nil {
		return File{}, err
	}
	tmp := filepath.Join(opt.Dir, "."+filepath.Base(final)+".tmp")
	removeDB(tmp)
	defer removeDB(tmp)
	if err := vacuumInto(ctx, dbPath, tmp); err != nil {
		return File{}, &Error{Msg: "备份失败：无法读取数据库 " + dbPath, Err: err}
	}
	if err := check(ctx, tmp); err != nil {
		return File{}, err
	}
	if err := syncFile(tmp); err != nil {
		return File{}, &Error{Msg: "备份失败：无法写入备份文件夹 " + opt.Dir, Err: err}
	}
	if err := os.Rename(tmp, final); err != nil {
		return File{}, &Error{Msg: "备份失败：无法写入备份文件夹 " + opt.Dir, Err: err}
	}
	syncDir(opt.Dir)
	info, err := os.Stat(final)
	if err != nil {
		return File{}, err
	}
	f := File{Path: final, Time: now.Truncate(time.Second), Size: info.Size()}
	opt.Logger.Info("backup written", "file", final, "bytes", f.Size)
	removed, err := Rotate(opt.Dir, dbPath, opt.Loc, opt.KeepDaily, opt.KeepMonthly)
	for _, r := range removed {
		opt.Logger.Info("backup rotated out", "file", r)
	}
	if err != nil {
		return f, err
	}
	return f, nil
}

// freeName is the backup's name for now; a second backup within the same
// second gets a suffix.
func freeName(dir, stem string, now time.Time) (string, error) {
	base := stem + "-" + now.Format(stampLayout)
	for i := 0; i < 100; i++ {
		name := base + ".db"
		if i > 0 {
			name = fmt.Sprintf("%s-%d.db", base, i)
		}
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
	}
	return "", &Error{Msg: "备份文件夹中同一时刻的备份过多：" + dir}
}

func vacuumInto(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(src)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", dst)
	return err
}

// check runs the hall's full verify on a file that no program uses yet.
func check(ctx context.Context, path string) error {
	// Verify takes a lock file beside what it checks: remove it after,
	// unless it was there before.
	if _, err := os.Stat(path + ".lock"); errors.Is(err, fs.ErrNotExist) {
		defer os.Remove(path + ".lock")
	}
	r, err := sqlite.Verify(ctx, path)
	if err != nil {
		return &Error{Msg: "备份文件未通过检查：" + err.Error(), Err: err}
	}
	if !r.OK() {
		return &Error{Msg: "备份文件未通过检查：" + strings.Join(r.Problems, "；"), Err: &sqlite.DamagedError{Path: path, Problems: r.Problems}}
	}
	return nil
}

// Rotate keeps the newest backup of each of the last keepDaily days and of
// each of the last keepMonthly months (local time) and removes the others.
func Rotate(dir, dbPath string, loc *time.Location, keepDaily, keepMonthly int) ([]string, error) {
	files, err := List(dir, dbPath, loc)
	if err != nil {
		return nil, err
	}
	keep := map[string]bool{}
	days, months := map[string]bool{}, map[string]bool{}
	for _, f := range files { // newest first
		t := f.Time
		if d := t.Format("2006-01-02"); !days[d] && len(days) < keepDaily {
			days[d] = true
			keep[f.Path] = true
		}
		if m := t.Format("2006-01"); !months[m] && len(months) < keepMonthly {
			months[m] = true
			keep[f.Path] = true
		}
	}
	var removed []string
	var errs []error
	for _, f := range files {
		if keep[f.Path] {
			continue
		}
		if err := os.Remove(f.Path); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, f.Path)
	}
	return removed, errors.Join(errs...)
}

// LastClose is the latest closing time at or before now.
func LastClose(now time.Time, closeAt time.Duration, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.Local
	}
	n := now.In(loc)
	c := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc).Add(closeAt)
	if c.After(n) {
		c = time.Date(n.Year(), n.Month(), n.Day()-1, 0, 0, 0, 0, loc).Add(closeAt)
	}
	return c
}

// Due reports whether a backup is due: none was taken since the last
// closing time. That is the day's close while the program runs, and the
// next start when the PC was off at closing time.
func Due(dbPath string, opt Options) (bool, error) {
	opt = opt.withDefaults(dbPath)
	files, err := List(opt.Dir, dbPath, opt.Loc)
	if err != nil {
		return false, err
	}
	last := LastClose(opt.Now(), opt.CloseAt, opt.Loc)
	return len(files) == 0 || files[0].Time.Before(last), nil
}

// IfDue writes a backup when one is due. It reports whether it wrote one.
func IfDue(ctx context.Context, dbPath string, opt Options) (File, bool, error) {
	due, err := Due(dbPath, opt)
	if err != nil || !due {
		return File{}, false, err
	}
	f, err := Create(ctx, dbPath, opt)
	return f, err == nil, err
}

// Run checks every minute until ctx ends whether a backup is due and
// writes it; the first check, a minute after start, catches the close
// missed while the PC was off without slowing the start. Failures are
// logged and retried at the next check.
func Run(ctx context.Context, dbPath string, opt Options) {
	opt = opt.withDefaults(dbPath)
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if _, _, err := IfDue(ctx, dbPath, opt); err != nil && ctx.Err() == nil {
			opt.Logger.Error("backup failed", "err", err)
		}
	}
}

// Restore puts the backup file in place of the database at dbPath. It
// refuses while a program holds the database (*InUseError), checks a copy
// of the backup with sqlite.Verify before anything is replaced, keeps the
// replaced database (and its WAL) beside it as dbPath.replaced-STAMP, and
// renames the checked copy into place. It returns the replaced file's
// name, "" when there was none.
func Restore(ctx context.Context, dbPath, file string, now time.Time) (string, error) {
	if _, err := os.Stat(file); err != nil {
		return "", &Error{Msg: "找不到备份文件：" + file, Err: err}
	}
	unlock, err := sqlite.Lock(dbPath, "servicehall restore")
	if err != nil {
		var le *sqlite.LockedError
		if errors.As(err, &le) {
			return "", &InUseError{Locked: le}
		}
		return "", err
	}
	defer unlock()
	tmp := dbPath + ".restoring"
	removeDB(tmp)
	defer removeDB(tmp)
	if err := copyFile(file, tmp); err != nil {
		return "", &Error{Msg: "无法复制备份文件到 " + filepath.Dir(dbPath), Err: err}
	}
	if err := check(ctx, tmp); err != nil {
		var be *Error
		if errors.As(err, &be) {
			be.Msg = "备份文件 " + file + " 未通过检查，没有恢复：" + strings.TrimPrefix(be.Msg, "备份文件未通过检查：")
		}
		return "", err
	}
	replaced := ""
	if _, err := os.Stat(dbPath); err == nil {
		replaced = dbPath + ".replaced-" + now.Format(stampLayout)
		if err := os.Rename(dbPath, replaced); err != nil {
			return "", &Error{Msg: "无法移开当前数据库 " + dbPath, Err: err}
		}
	}
	// The old file's WAL belongs to it: left beside the restored file,
	// SQLite would apply it there.
	for _, suf := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(dbPath + suf); err == nil {
			if replaced == "" {
				err = os.Remove(dbPath + suf)
			} else {
				err = os.Rename(dbPath+suf, replaced+suf)
			}
			if err != nil {
				return replaced, &Error{Msg: "无法移开当前数据库的日志文件 " + dbPath + suf, Err: err}
			}
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return replaced, &Error{Msg: "无法放入恢复的数据库（原数据库已保存为 " + replaced + "）", Err: err}
	}
	syncDir(filepath.Dir(dbPath))
	return replaced, nil
}

// LastGood is the newest backup of the database at dbPath in dir that
// passes verify; ok is false when there is none.
func LastGood(ctx context.Context, dir, dbPath string, loc *time.Location) (File, bool) {
	files, _ := List(dir, dbPath, loc)
	for _, f := range files {
		if err := check(ctx, f.Path); err == nil {
			return f, true
		}
	}
	return File{}, false
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename durable where the system allows it (not on Windows).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// removeDB removes a database file with its WAL, shared-memory and lock files.
func removeDB(path string) {
	for _, suf := range []string{"", "-wal", "-shm", "-journal", ".lock"} {
		_ = os.Remove(path + suf)
	}
}
