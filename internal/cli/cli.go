// Package cli holds the servicehall subcommands that need no window
// (verify, seed) and the command-line parsing shared with the program's
// main, so that all of it tests without cgo or a display.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"servicehall/internal/backup"
	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/sim"
	"servicehall/internal/sqlite"
)

// Roles a window can open as.
var Roles = []string{"kiosk", "counter", "evaluator", "display", "director", "admin"}

// WindowArgs are the flags of the plain `servicehall` command.
type WindowArgs struct {
	DB      string
	Role    string // "" opens the hall overview
	Counter int
	Version bool
	HQ      string       // headquarters' URL; "" runs without sync
	Hall    string       // a hall node's URL: run against it over the LAN instead of a local file
	Serve   string       // also serve this hall to the LAN on this address (":8420")
	Token   string       // the hall's credential at headquarters
	Station StationFlags // this PC's printer and voice settings
	Demo    bool         // a new database becomes the demo hall instead of asking for the setup
	Lang    string       // the windows' language, zh or en; "" keeps this PC's setting
}

// UsageError is a command line the program cannot use.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// UserMessage is the Chinese text for people.
func (e *UsageError) UserMessage() string { return e.Msg }

// DefaultDBPath is the hall database in the user's data directory:
// $XDG_DATA_HOME/servicehall (~/.local/share/servicehall) on Linux,
// %LOCALAPPDATA%\servicehall on Windows, Application Support on macOS.
func DefaultDBPath() (string, error) {
	var dir string
	switch runtime.GOOS {
	case "windows":
		dir = os.Getenv("LOCALAPPDATA")
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(home, "Library", "Application Support")
	default:
		dir = os.Getenv("XDG_DATA_HOME")
		if dir == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", err
			}
			dir = filepath.Join(home, ".local", "share")
		}
	}
	if dir == "" {
		return "", errors.New("no data directory")
	}
	return filepath.Join(dir, "servicehall", "hall.db"), nil
}

// ParseWindow parses the flags of the plain command.
func ParseWindow(args []string, stderr io.Writer) (WindowArgs, error) {
	var a WindowArgs
	fs := flag.NewFlagSet("servicehall", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&a.DB, "db", "", "hall database file (default: in the user's data directory)")
	fs.StringVar(&a.Role, "role", "", "open one role's window: "+strings.Join(Roles, "|"))
	fs.IntVar(&a.Counter, "counter", 0, "counter number, for --role counter and --role evaluator")
	fs.BoolVar(&a.Version, "version", false, "print the version and exit")
	fs.StringVar(&a.HQ, "hq", "", "headquarters URL: sync the hall's records there in the background")
	fs.StringVar(&a.Hall, "hall", "", "the hall node's URL (http://HOST:8420): run this window against it, after servicehall pair")
	fs.StringVar(&a.Serve, "serve", "", "also serve this hall to the other PCs of the LAN on this address, e.g. :8420")
	fs.StringVar(&a.Token, "token", "", "the hall's credential at headquarters (default: $"+TokenEnv+")")
	fs.BoolVar(&a.Demo, "demo", false, "a new database becomes the demo hall 城关供电营业厅 with two weeks of simulated traffic (make run)")
	fs.StringVar(&a.Lang, "lang", "", "the windows' language: zh or en (default: this PC's settings file, else zh)")
	a.Station.register(fs)
	if err := fs.Parse(args); err != nil {
		return a, &UsageError{Msg: "命令行参数有误：" + err.Error()}
	}
	if a.Lang != "" && a.Lang != "zh" && a.Lang != "en" {
		return a, &UsageError{Msg: "--lang 只能是 zh（中文）或 en（English）"}
	}
	if fs.NArg() > 0 {
		return a, &UsageError{Msg: "未知的子命令：" + fs.Arg(0) + "（可用：setup、service、reset-pin、lan、seed、serve、pair、sync、verify、say、backup、restore、autostart）"}
	}
	if a.Role != "" && !contains(Roles, a.Role) {
		return a, &UsageError{Msg: "未知的角色：" + a.Role + "（可用：" + strings.Join(Roles, "、") + "）"}
	}
	if (a.Role == "counter" || a.Role == "evaluator") && a.Counter < 1 {
		return a, &UsageError{Msg: "请用 --counter N 指定窗口号"}
	}
	if a.Hall != "" && a.Serve != "" {
		return a, &UsageError{Msg: "连接其他营业厅主机（--hall）时，本机不能再作为主机（--serve）"}
	}
	if a.Hall != "" && a.HQ != "" {
		return a, &UsageError{Msg: "连接营业厅主机（--hall）时由主机负责总部同步，不能再用 --hq"}
	}
	if a.HQ != "" && a.Token == "" {
		a.Token = os.Getenv(TokenEnv)
		if a.Token == "" {
			return a, &UsageError{Msg: "使用 --hq 同步时，请用 --token 或环境变量 " + TokenEnv + " 提供本厅的总部同步凭据"}
		}
	}
	if a.DB == "" {
		p, err := DefaultDBPath()
		if err != nil {
			return a, err
		}
		a.DB = p
	}
	return a, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// OpenHall opens the hall at path for the program: it creates the folder
// and, for a new file, the demo hall with two weeks of simulated traffic.
func OpenHall(ctx context.Context, path string, program string) (*hall.Local, *sqlite.DB, error) {
	return OpenHallWith(ctx, path, program, true)
}

// OpenHallWith opens the hall at path for the program, creating the
// folder. A new file becomes the demo hall when withDemo is set (make run);
// otherwise it stays unconfigured (l.Configured() is false) for the
// first-run setup.
func OpenHallWith(ctx context.Context, path string, program string, withDemo bool) (*hall.Local, *sqlite.DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, fmt.Errorf("create data folder: %w", err)
	}
	db, err := sqlite.Open(ctx, path, sqlite.Options{Program: program})
	if err != nil {
		// A damaged file is never reset: name the backup to restore.
		return nil, nil, backup.Explain(ctx, err, path, backup.Dir(path))
	}
	l, err := hall.Open(ctx, db, hall.SystemClock{})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if !l.Configured() && withDemo {
		if _, err := sim.Seed(ctx, db, sim.Options{Days: 14, RandSeed: 1, Now: time.Now(), Config: demo.Config()}); err != nil {
			db.Close()
			return nil, nil, fmt.Errorf("set up demo hall: %w", err)
		}
		// Seed wrote through its own view of the hall; read it back.
		if l, err = hall.Open(ctx, db, hall.SystemClock{}); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	return l, db, nil
}

// Subcommand runs a subcommand that needs no window. It reports false when
// args name none, and the caller opens the window.
func Subcommand(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	if len(args) == 0 {
		return false, nil
	}
	switch args[0] {
	case "verify":
		return true, verify(ctx, args[1:], stdout, stderr)
	case "seed":
		return true, seed(ctx, args[1:], stdout, stderr)
	case "sync":
		return true, syncCmd(ctx, args[1:], stdout, stderr)
	case "say":
		return true, Say(ctx, args[1:], stdout, stderr, nil)
	case "serve":
		return true, serve(ctx, args[1:], stdout, stderr)
	case "pair":
		return true, pair(ctx, args[1:], stdout, stderr, "")
	case "backup":
		return true, backupCmd(ctx, args[1:], stdout, stderr)
	case "restore":
		return true, restoreCmd(ctx, args[1:], stdout, stderr)
	case "autostart":
		return true, autostartCmd(ctx, args[1:], stdout, stderr)
	case "setup":
		return true, setupCmd(ctx, args[1:], stdout, stderr)
	case "service":
		return true, serviceCmd(ctx, args[1:], stdout, stderr)
	case "reset-pin":
		return true, resetPINCmd(ctx, args[1:], stdout, stderr)
	case "lan":
		return true, lanCmd(ctx, args[1:], stdout, stderr)
	}
	return false, nil
}

func verify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("servicehall verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("db", "", "hall database file")
	if err := fs.Parse(args); err != nil {
		return &UsageError{Msg: "命令行参数有误：" + err.Error()}
	}
	if *path == "" {
		return &UsageError{Msg: "请用 --db PATH 指定要检查的数据库文件"}
	}
	r, err := sqlite.Verify(ctx, *path)
	if err != nil {
		return err
	}
	if !r.OK() {
		fmt.Fprintf(stdout, "数据库已损坏：%s\n", r.Path)
		for _, p := range r.Problems {
			fmt.Fprintf(stdout, "  - %s\n", p)
		}
		return &sqlite.DamagedError{Path: r.Path, Problems: r.Problems}
	}
	fmt.Fprintf(stdout, "数据库完好：%s（表结构版本 %d，事件 %d 条，号码 %d 个）\n", r.Path, r.SchemaVersion, r.Events, r.Tickets)
	return nil
}

func seed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("servicehall seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("db", "", "hall database file to fill")
	days := fs.Int("days", 7, "past days to simulate before today")
	rs := fs.Int64("rand-seed", 1, "random seed; the same seed gives the same traffic")
	if err := fs.Parse(args); err != nil {
		return &UsageError{Msg: "命令行参数有误：" + err.Error()}
	}
	if *path == "" {
		return &UsageError{Msg: "请用 --db PATH 指定数据库文件"}
	}
	if *days < 0 || *days > 3660 {
		return &UsageError{Msg: "--days 须在 0 到 3660 之间"}
	}
	if err := os.MkdirAll(filepath.Dir(*path), 0o755); err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, *path, sqlite.Options{Program: "servicehall seed"})
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := sim.Seed(ctx, db, sim.Options{Days: *days, RandSeed: *rs, Now: time.Now(), Config: demo.Config()})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已填充模拟数据：过去 %d 天和今天（共 %d 天），号码 %d 个，办理 %d 次，最后一天 %s\n", *days, sum.Days, sum.Tickets, sum.Services, sum.LastDay)
	return nil
}
