package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// autostart makes the program start when this PC's user logs in:
//
//	servicehall autostart on [window flags…]   e.g. on --role kiosk
//	servicehall autostart off
//	servicehall autostart status
//
// On Linux it writes an XDG autostart entry (~/.config/autostart/
// servicehall.desktop); on Windows a value under the user's Run key
// (HKCU\Software\Microsoft\Windows\CurrentVersion\Run), which starts the
// windowed program 营业厅服务台.exe when it sits beside this one. The hall
// node and servicehall-hq run as services instead (packaging/).
func autostartCmd(_ context.Context, args []string, stdout, stderr io.Writer) error {
	return autostart(args, stdout, stderr, newAutostarter(""))
}

// GUIExeName is the windowed Windows program that fyne package builds.
const GUIExeName = "营业厅服务台.exe"

// autostarter keeps the log-in entry for one system.
type autostarter interface {
	set(command []string) error // command[0] is the program
	remove() (bool, error)
	get() (string, bool, error) // the command line kept, if any
	where() string
}

func autostart(args []string, stdout, stderr io.Writer, as autostarter) error {
	usage := &UsageError{Msg: "用法：servicehall autostart on [窗口参数，如 --role kiosk] | off | status"}
	if len(args) == 0 {
		return usage
	}
	switch args[0] {
	case "on":
		// The flags are checked now, not at the next log-in.
		if _, err := ParseWindow(args[1:], stderr); err != nil {
			return err
		}
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		if runtime.GOOS == "windows" {
			if gui := filepath.Join(filepath.Dir(exe), GUIExeName); fileExists(gui) {
				exe = gui
			}
		}
		if err := as.set(append([]string{exe}, args[1:]...)); err != nil {
			return &UsageError{Msg: "无法设置开机登录后自动启动：" + err.Error()}
		}
		fmt.Fprintf(stdout, "已设置：登录后自动启动 %s（%s）\n", strings.Join(append([]string{exe}, args[1:]...), " "), as.where())
	case "off":
		if len(args) > 1 {
			return usage
		}
		had, err := as.remove()
		if err != nil {
			return &UsageError{Msg: "无法取消自动启动：" + err.Error()}
		}
		if had {
			fmt.Fprintf(stdout, "已取消登录后自动启动（%s）\n", as.where())
		} else {
			fmt.Fprintln(stdout, "本来就没有设置登录后自动启动")
		}
	case "status":
		cmd, ok, err := as.get()
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(stdout, "未设置登录后自动启动")
			return nil
		}
		fmt.Fprintf(stdout, "登录后自动启动：%s（%s）\n", cmd, as.where())
	default:
		return usage
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// quoteArgs joins a command line, quoting what has spaces or quotes.
func quoteArgs(cmd []string) string {
	out := make([]string, len(cmd))
	for i, a := range cmd {
		if a == "" || strings.ContainsAny(a, " \t\"\\'") {
			a = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(a) + `"`
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}
