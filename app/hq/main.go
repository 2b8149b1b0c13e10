// Command servicehall-hq is headquarters' side of the hall sync: it takes
// halls' event batches, keeps them in its own database, and hands halls
// outage notices. It needs no window and no cgo.
//
//	servicehall-hq [--db PATH|URL] [--listen ADDR]         serve (default 127.0.0.1:8480)
//	servicehall-hq hall add [--db PATH|URL] NAME           register a hall; prints its credential once
//	servicehall-hq hall list [--db PATH|URL]
//	servicehall-hq notice add [--db PATH|URL] --kind outage --from T --until T [--hall NAME]... TEXT
//	servicehall-hq staff add [--db PATH|URL] NAME          an HQ staff account for the page; prints its password once
//	servicehall-hq key [--db PATH|URL]                     print HQ's checkpoint verifier key
//
// --db is a SQLite file (the default, servicehall-hq.db) or a PostgreSQL
// URL, postgres://USER@HOST:PORT/DB?sslmode=…; keep its password out of
// the process list in PGPASSWORD or ~/.pgpass.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the page's Asia/Shanghai on any system

	"servicehall/internal/hall"
	"servicehall/internal/hq"
	"servicehall/internal/hq/pgstore"
	"servicehall/internal/hq/sqlitestore"
	"servicehall/internal/logfile"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

const (
	defaultDB     = "servicehall-hq.db"
	defaultListen = "127.0.0.1:8480"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "servicehall-hq:", hall.Message(err))
		fmt.Fprintln(os.Stderr, "detail:", err)
		stop()
		os.Exit(1)
	}
}

// usageError is a command line the program cannot use.
type usageError struct{ msg string }

func (e *usageError) Error() string       { return e.msg }
func (e *usageError) UserMessage() string { return e.msg }

func usage(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// run is the program; ready, when set, learns the address the server
// listens on.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(addr string)) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "hall":
			if len(args) > 1 && args[1] == "add" {
				return hallAdd(ctx, args[2:], stdout, stderr)
			}
			if len(args) > 1 && args[1] == "list" {
				return hallList(ctx, args[2:], stdout, stderr)
			}
			return usage("用法：servicehall-hq hall add [--db PATH] 营业厅名称，或 hall list")
		case "notice":
			if len(args) > 1 && args[1] == "add" {
				return noticeAdd(ctx, args[2:], stdout, stderr)
			}
			return usage("用法：servicehall-hq notice add [--db PATH] --kind outage --from 时间 --until 时间 [--hall 名称] 公告内容")
		case "staff":
			if len(args) > 1 && args[1] == "add" {
				return staffAdd(ctx, args[2:], stdout, stderr)
			}
			return usage("用法：servicehall-hq staff add [--db PATH] 姓名")
		case "key":
			return keyCmd(ctx, args[1:], stdout, stderr)
		case "service":
			return serviceCmd(ctx, args[1:], stdout, stderr)
		}
		return usage("未知的子命令：%s（可用：hall add、hall list、notice add、staff add、key、service；不带子命令则启动服务）", args[0])
	}
	fs := flag.NewFlagSet("servicehall-hq", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("db", defaultDB, dbUsage)
	listen := fs.String("listen", defaultListen, "address to serve on")
	showVersion := fs.Bool("version", false, "print the version and exit")
	logDir := fs.String("log-dir", "", "folder of servicehall-hq.log (default: beside a SQLite database, else the current folder)")
	if err := fs.Parse(args); err != nil {
		return usage("命令行参数有误：%v", err)
	}
	if fs.NArg() > 0 {
		return usage("多余的参数：%s", strings.Join(fs.Args(), " "))
	}
	if *showVersion {
		fmt.Fprintln(stdout, "servicehall-hq", version)
		return nil
	}
	store, err := openStorage(ctx, *dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	dir := *logDir
	if dir == "" {
		dir = "."
		if !pgstore.IsDSN(*dsn) {
			dir = filepath.Dir(*dsn)
		}
	}
	slogger, rot, err := logfile.Open(dir, "servicehall-hq", logfile.Options{Console: stderr})
	if err != nil {
		return usage("无法写入日志文件夹 %s：%v", dir, err)
	}
	defer rot.Close()
	logger := slog.NewLogLogger(slogger.Handler(), slog.LevelError)
	slogger.Info("hq started", "addr", ln.Addr().String(), "db", displayDB(*dsn), "version", version)
	srv := &http.Server{
		Handler:           hq.NewServer(store, hq.Options{Logf: logfile.Printf(slogger)}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          logger,
	}
	fmt.Fprintf(stdout, "总部同步服务已启动：http://%s（数据库 %s，版本 %s）\n", ln.Addr(), displayDB(*dsn), version)
	if ready != nil {
		ready(ln.Addr().String())
	}
	err = hq.Serve(ctx, srv, func() error { return srv.Serve(ln) })
	fmt.Fprintln(stdout, "总部同步服务已停止")
	return err
}

const dbUsage = "HQ database: a SQLite file, or a PostgreSQL URL postgres://USER@HOST:PORT/DB"

// pgOptions are the PostgreSQL storage's options; tests on a throwaway
// server (fsync off) relax them.
var pgOptions pgstore.Options

// openStorage opens HQ's storage named by dsn: a PostgreSQL URL
// (postgres:// or postgresql://) or a SQLite file path.
func openStorage(ctx context.Context, dsn string) (hq.Storage, error) {
	if pgstore.IsDSN(dsn) {
		return pgstore.OpenOptions(ctx, dsn, pgOptions)
	}
	if dsn == "" {
		return nil, usage("请用 --db 指定总部数据库文件或 PostgreSQL 地址")
	}
	return sqlitestore.Open(ctx, dsn)
}

// displayDB is dsn for printing: a URL's password hidden.
func displayDB(dsn string) string {
	if pgstore.IsDSN(dsn) {
		return pgstore.Redact(dsn)
	}
	return dsn
}

// storeFlags is the flag set of a subcommand on HQ's storage, with --db.
func storeFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs, fs.String("db", defaultDB, dbUsage)
}

// parseArgs parses a subcommand's flags and checks its arguments: none
// (n 0), one that is not blank (n 1, else the usage line wrong), or any
// number (n -1).
func parseArgs(fs *flag.FlagSet, args []string, n int, wrong string) error {
	if err := fs.Parse(args); err != nil {
		return usage("命令行参数有误：%v", err)
	}
	switch {
	case n == 0 && fs.NArg() > 0:
		return usage("多余的参数：%s", strings.Join(fs.Args(), " "))
	case n == 1 && (fs.NArg() != 1 || strings.TrimSpace(fs.Arg(0)) == ""):
		return usage("%s", wrong)
	}
	return nil
}

func hallAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := storeFlags("servicehall-hq hall add", stderr)
	if err := parseArgs(fs, args, 1, "请给出一个营业厅名称：servicehall-hq hall add [--db PATH] 名称"); err != nil {
		return err
	}
	name := strings.TrimSpace(fs.Arg(0))
	store, err := openStorage(ctx, *dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	tok, err := hq.NewToken()
	if err != nil {
		return err
	}
	h, err := store.AddHall(ctx, name, hq.HashToken(tok), time.Now())
	if errors.Is(err, hq.ErrHallExists) {
		return usage("营业厅“%s”已登记过；凭据只在登记时显示一次", name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已登记营业厅“%s”（编号 %d）。以下是它的同步凭据，只显示这一次，请妥善交给该厅：\n", h.Name, h.ID)
	fmt.Fprintln(stdout, tok)
	return nil
}

func hallList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := storeFlags("servicehall-hq hall list", stderr)
	if err := parseArgs(fs, args, 0, ""); err != nil {
		return err
	}
	store, err := openStorage(ctx, *dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	hs, err := store.Halls(ctx)
	if err != nil {
		return err
	}
	for _, h := range hs {
		c, err := store.Cursor(ctx, h.ID)
		if err != nil {
			return err
		}
		contact := "从未同步"
		if !c.LastContact.IsZero() {
			contact = "最近联系 " + c.LastContact.Local().Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(stdout, "%d\t%s\t已确认至第 %d 条\t%s\n", h.ID, h.Name, c.AckedThrough, contact)
	}
	return nil
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func noticeAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := storeFlags("servicehall-hq notice add", stderr)
	kind := fs.String("kind", string(hall.NoticeOutage), "outage, emergency or info")
	from := fs.String("from", "", `start, "2006-01-02 15:04" in --tz or RFC 3339 (default: now)`)
	until := fs.String("until", "", `end, "2006-01-02 15:04" in --tz or RFC 3339`)
	tz := fs.String("tz", "Asia/Shanghai", "time zone of --from and --until")
	var halls listFlag
	fs.Var(&halls, "hall", "a hall's name; repeat for several (default: every hall)")
	if err := parseArgs(fs, args, -1, ""); err != nil {
		return err
	}
	text := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if text == "" {
		return usage("请给出公告内容")
	}
	switch hall.NoticeKind(*kind) {
	case hall.NoticeOutage, hall.NoticeEmergency, hall.NoticeInfo:
	default:
		return usage("公告类别须为 outage、emergency 或 info")
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return usage("无法识别的时区：%s", *tz)
	}
	now := time.Now()
	start, end := now, time.Time{}
	if *from != "" {
		if start, err = parseTime(*from, loc); err != nil {
			return err
		}
	}
	if end, err = parseTime(*until, loc); err != nil {
		return err
	}
	if !end.After(start) || !end.After(now) {
		return usage("公告的结束时间须晚于开始时间和现在")
	}
	store, err := openStorage(ctx, *dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	n := hq.Notice{Kind: *kind, Text: text, From: start, Until: end, Created: now}
	for _, name := range halls {
		h, err := store.HallByName(ctx, name)
		if errors.Is(err, hq.ErrUnknownHall) {
			return usage("没有名为“%s”的营业厅", name)
		}
		if err != nil {
			return err
		}
		n.Halls = append(n.Halls, h.ID)
	}
	n, err = store.AddNotice(ctx, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已发布公告 %s（%s 至 %s）\n", n.ID, n.From.In(loc).Format("2006-01-02 15:04"), n.Until.In(loc).Format("2006-01-02 15:04"))
	return nil
}

func parseTime(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, usage("请用 --until 指定公告的结束时间")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, usage("无法识别的时间：%s（格式如 2026-12-01 08:00）", s)
}

func staffAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := storeFlags("servicehall-hq staff add", stderr)
	if err := parseArgs(fs, args, 1, "请给出一个用户名：servicehall-hq staff add [--db PATH] 姓名"); err != nil {
		return err
	}
	name := strings.TrimSpace(fs.Arg(0))
	store, err := openStorage(ctx, *dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	pw, err := hq.NewPassword()
	if err != nil {
		return err
	}
	hash, err := hq.HashPassword(pw)
	if err != nil {
		return err
	}
	st, err := store.AddStaff(ctx, name, hash, time.Now())
	if errors.Is(err, hq.ErrStaffExists) {
		return usage("用户名“%s”已存在；密码只在创建时显示一次", name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已创建总部人员账号“%s”（编号 %d），登录 /staff/ 页面。以下是密码，只显示这一次：\n", st.Name, st.ID)
	fmt.Fprintln(stdout, pw)
	return nil
}

func keyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := storeFlags("servicehall-hq key", stderr)
	if err := parseArgs(fs, args, 0, ""); err != nil {
		return err
	}
	store, err := openStorage(ctx, *dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	vkey, err := hq.VerifierKey(ctx, store)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, vkey)
	return nil
}
