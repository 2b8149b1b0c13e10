package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"servicehall/internal/backup"
)

// backupCmd writes a checked backup now: servicehall backup [--db PATH]
// [--dir DIR] [--list].
func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("servicehall backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("db", "", "hall database file (default: in the user's data directory)")
	dir := fs.String("dir", "", "backup folder (default: $"+backup.DirEnv+", else backups beside the database)")
	list := fs.Bool("list", false, "list the backups instead of writing one")
	if err := fs.Parse(args); err != nil {
		return &UsageError{Msg: "命令行参数有误：" + err.Error()}
	}
	if fs.NArg() > 0 {
		return &UsageError{Msg: "多余的参数：" + strings.Join(fs.Args(), " ")}
	}
	db, err := dbOrDefault(*path)
	if err != nil {
		return err
	}
	d := *dir
	if d == "" {
		d = backup.Dir(db)
	}
	if *list {
		files, err := backup.List(d, db, nil)
		if err != nil {
			return err
		}
		if len(files) == 0 {
			fmt.Fprintf(stdout, "备份文件夹 %s 中没有 %s 的备份\n", d, db)
		}
		for _, f := range files {
			fmt.Fprintf(stdout, "%s  %s  %s\n", f.Time.Format("2006-01-02 15:04:05"), sizeText(f.Size), f.Path)
		}
		return nil
	}
	f, err := backup.Create(ctx, db, backup.Options{Dir: d, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份并通过检查：%s（%s）\n", f.Path, sizeText(f.Size))
	return nil
}

// restoreCmd puts a backup in place of the database: servicehall restore
// [--db PATH] FILE.
func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("servicehall restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("db", "", "hall database file to replace (default: in the user's data directory)")
	if err := fs.Parse(args); err != nil {
		return &UsageError{Msg: "命令行参数有误：" + err.Error()}
	}
	if fs.NArg() != 1 {
		return &UsageError{Msg: "用法：servicehall restore [--db 数据库文件] 备份文件"}
	}
	db, err := dbOrDefault(*path)
	if err != nil {
		return err
	}
	replaced, err := backup.Restore(ctx, db, fs.Arg(0), time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已从 %s 恢复数据库 %s（已通过检查）\n", fs.Arg(0), db)
	if replaced != "" {
		fmt.Fprintf(stdout, "原数据库已保留为 %s\n", replaced)
	}
	return nil
}

func dbOrDefault(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	return DefaultDBPath()
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

// StartBackups writes a backup of the hall's database whenever one is due
// (at the day's close, and at start when the PC was off then) in the
// background. stop ends it and waits for a backup in progress to finish.
func StartBackups(ctx context.Context, dbPath string, logger *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		backup.Run(ctx, dbPath, backup.Options{Logger: logger})
	}()
	return func() {
		cancel()
		<-done
	}
}
