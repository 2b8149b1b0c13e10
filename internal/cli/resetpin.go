package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// resetPINCmd gives a member of staff a new random PIN at the hall node's
// console: servicehall reset-pin [--db PATH] STAFFNO. It needs the
// database file itself (the node stopped: an open database is refused),
// so it is the way back in when the last administrator has forgotten
// their PIN or is locked out. The PIN is printed once.
func resetPINCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("servicehall reset-pin", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("db", "", "hall database file (default: in the user's data directory)")
	if err := fs.Parse(args); err != nil {
		return &UsageError{Msg: "命令行参数有误：" + err.Error()}
	}
	if fs.NArg() != 1 {
		return &UsageError{Msg: "用法：servicehall reset-pin [--db 路径] 工号"}
	}
	staffNo := strings.TrimSpace(fs.Arg(0))
	db, err := dbOrDefault(*path)
	if err != nil {
		return err
	}
	l, sdb, err := OpenHallWith(ctx, db, "servicehall reset-pin", false)
	if err != nil {
		return err
	}
	defer sdb.Close()
	if !l.Configured() {
		return ErrNotSetUp
	}
	pin, err := randomPIN()
	if err != nil {
		return err
	}
	if err := l.ResetPINAtConsole(ctx, staffNo, pin); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "工号 %s 的新密码：%s（只显示这一次；账号已解锁，原有登录已退出）\n", staffNo, pin)
	return nil
}
