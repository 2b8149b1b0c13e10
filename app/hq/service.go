package main

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"

	"servicehall/internal/hq/pgstore"
	"servicehall/internal/winsvc"
)

// hqService is the Windows service name of headquarters' server.
const hqService = "servicehall-hq"

// serviceCmd installs, removes or runs the server as a Windows service:
// servicehall-hq service install [--db PATH|DSN] [--listen ADDR] | remove |
// status | run [server flags].
func serviceCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return winsvc.Command{
		Spec: winsvc.Spec{
			Name:        hqService,
			DisplayName: "营业厅总部服务 (servicehall-hq)",
			Description: "接收各供电营业厅同步的记录、签署登记簿检查点，并提供总部工作人员页面。",
		},
		Usage: "用法：servicehall-hq service install [--db 路径或DSN] [--listen 127.0.0.1:8480] | remove | status | run",
		Args:  hqServiceArgs,
		Run: func(ctx context.Context, flags []string, stdout, stderr io.Writer) error {
			return run(ctx, flags, stdout, stderr, nil)
		},
		UsageError: func(msg string) error { return usage("%s", msg) },
	}.Do(ctx, args, stdout, stderr)
}

// hqServiceArgs checks the install flags and returns the service's command
// line, with a SQLite file and the log folder as absolute paths (a
// service starts in the system folder), in %ProgramData%\servicehall-hq
// by default.
func hqServiceArgs(args []string, stderr io.Writer) ([]string, error) {
	fs := flag.NewFlagSet("servicehall-hq service install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("db", "", dbUsage)
	listen := fs.String("listen", defaultListen, "address to serve on")
	logDir := fs.String("log-dir", "", "folder of servicehall-hq.log")
	if err := fs.Parse(args); err != nil {
		return nil, usage("命令行参数有误：%v", err)
	}
	if fs.NArg() > 0 {
		return nil, usage("多余的参数：%s", strings.Join(fs.Args(), " "))
	}
	db := *dsn
	if db == "" {
		pd := os.Getenv("ProgramData")
		if pd == "" {
			return nil, usage("请用 --db 指定总部数据库")
		}
		db = filepath.Join(pd, "servicehall-hq", defaultDB)
	}
	out := []string{"service", "run", "--listen", *listen}
	if !pgstore.IsDSN(db) {
		abs, err := filepath.Abs(db)
		if err != nil {
			return nil, usage("数据库路径有误：%s", db)
		}
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return nil, usage("无法创建数据文件夹 %s：%v", filepath.Dir(abs), err)
		}
		db = abs
	}
	out = append(out, "--db", db)
	if *logDir == "" && pgstore.IsDSN(db) {
		// Beside a SQLite file the log is in its folder; with PostgreSQL it
		// would be the service's working folder, the system's.
		if pd := os.Getenv("ProgramData"); pd != "" {
			*logDir = filepath.Join(pd, "servicehall-hq")
		}
	}
	if *logDir != "" {
		abs, err := filepath.Abs(*logDir)
		if err != nil {
			return nil, usage("日志文件夹路径有误：%s", *logDir)
		}
		out = append(out, "--log-dir", abs)
	}
	return out, nil
}
