// Package winsvc runs the hall node and headquarters' server as Windows
// services: installed with the service manager, started at boot before
// anyone logs in, restarted after a failure, and stopped cleanly (the
// program's context ends, so the database closes). On other systems the
// programs run under systemd (packaging/linux) and this package only says
// so.
package winsvc

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Spec describes a service to install.
type Spec struct {
	Name        string   // servicehall-node, servicehall-hq
	DisplayName string   // shown in services.msc
	Description string   // likewise
	Args        []string // the program's arguments when the service starts
}

// Error is a service operation that failed, with a Chinese message.
type Error struct {
	Message string
	Err     error
}

func (e *Error) Error() string       { return fmt.Sprintf("%s: %v", e.Message, e.Err) }
func (e *Error) Unwrap() error       { return e.Err }
func (e *Error) UserMessage() string { return e.Message }

// Reasons a service operation fails.
var (
	ErrNotWindows = errors.New("windows services need windows")
	ErrExists     = errors.New("service already installed")
	ErrNotFound   = errors.New("service not installed")
)

func notWindows() error {
	return &Error{Message: "Windows 服务只能在 Windows 上安装；Linux 请使用 packaging/linux 中的 systemd 单元", Err: ErrNotWindows}
}

// Command is a program's `service` subcommand, the same for the hall node
// and for headquarters: install, remove, status, or run (what the service
// manager starts).
type Command struct {
	Spec Spec // Args are set by install
	// Usage is the subcommand's usage line, in Chinese.
	Usage string
	// Args checks install's flags and returns the service's command line.
	Args func(flags []string, stderr io.Writer) ([]string, error)
	// Run runs the program with run's flags until ctx ends.
	Run func(ctx context.Context, flags []string, stdout, stderr io.Writer) error
	// UsageError makes a command-line mistake the program's own error.
	UsageError func(msg string) error
}

// Do runs the subcommand args (install, remove, status or run, with its
// flags).
func (c Command) Do(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return c.UsageError(c.Usage)
	}
	name := c.Spec.Name
	switch args[0] {
	case "install":
		run, err := c.Args(args[1:], stderr)
		if err != nil {
			return err
		}
		s := c.Spec
		s.Args = run
		if err := Install(s); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已安装并启动 Windows 服务 %s（开机自动启动，故障后自动重启）。\n", name)
		return nil
	case "remove":
		if err := Remove(name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已停止并卸载 Windows 服务 %s；数据保持不变。\n", name)
		return nil
	case "status":
		st, err := Status(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s：%s\n", name, st)
		return nil
	case "run":
		// Started by the service manager there is no console: output is
		// dropped, and the program's log file has it all.
		handled, err := Run(name, func(ctx context.Context) error {
			return c.Run(ctx, args[1:], io.Discard, io.Discard)
		})
		if handled {
			return err
		}
		return c.Run(ctx, args[1:], stdout, stderr)
	}
	return c.UsageError("未知的 service 子命令：" + args[0] + "（可用：install、remove、status、run）")
}
