//go:build windows

package winsvc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/mgr"
)

// Run runs fn as the service name when the service manager started this
// process, until the manager stops it (fn's context ends then) or fn
// returns. It reports false when the process was started otherwise.
func Run(name string, fn func(ctx context.Context) error) (bool, error) {
	in, err := svc.IsWindowsService()
	if err != nil || !in {
		return false, err
	}
	h := &handler{fn: fn}
	if err := svc.Run(name, h); err != nil {
		return true, err
	}
	return true, h.err
}

type handler struct {
	fn  func(ctx context.Context) error
	err error
}

func (h *handler) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.StartPending}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- h.fn(ctx) }()
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	for {
		select {
		case c := <-req:
			switch c.Cmd {
			case svc.Interrogate:
				status <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending, WaitHint: 30_000}
				cancel()
				h.err = <-done
				return false, 0
			}
		case err := <-done:
			// The program ended on its own: a failure makes the service
			// manager's recovery actions restart it.
			h.err = err
			if err != nil {
				return true, 1
			}
			return false, 0
		}
	}
}

// Install registers the service to start automatically at boot, running
// this executable with s.Args as LocalSystem, restarted 10 s, 30 s and
// 60 s after a failure.
func Install(s Spec) error {
	exe, err := os.Executable()
	if err != nil {
		return &Error{Message: "找不到本程序的位置", Err: err}
	}
	if exe, err = filepath.Abs(exe); err != nil {
		return &Error{Message: "找不到本程序的位置", Err: err}
	}
	m, err := mgr.Connect()
	if err != nil {
		return &Error{Message: "无法连接 Windows 服务管理器，请以管理员身份运行", Err: err}
	}
	defer m.Disconnect()
	if old, err := m.OpenService(s.Name); err == nil {
		old.Close()
		return &Error{Message: "服务 " + s.Name + " 已经安装；如需更改，请先卸载", Err: ErrExists}
	}
	sv, err := m.CreateService(s.Name, exe, mgr.Config{
		DisplayName:      s.DisplayName,
		Description:      s.Description,
		StartType:        mgr.StartAutomatic,
		DelayedAutoStart: true,
	}, s.Args...)
	if err != nil {
		return &Error{Message: "无法安装服务 " + s.Name + "，请以管理员身份运行", Err: err}
	}
	defer sv.Close()
	actions := []mgr.RecoveryAction{
		{Type: mgr.ServiceRestart, Delay: 10 * time.Second},
		{Type: mgr.ServiceRestart, Delay: 30 * time.Second},
		{Type: mgr.ServiceRestart, Delay: 60 * time.Second},
	}
	if err := sv.SetRecoveryActions(actions, 24*60*60); err != nil {
		return &Error{Message: "服务已安装，但无法设置故障后自动重启", Err: err}
	}
	// The program ending with an error is a failure too, not only a crash.
	if err := sv.SetRecoveryActionsOnNonCrashFailures(true); err != nil {
		return &Error{Message: "服务已安装，但无法设置故障后自动重启", Err: err}
	}
	if err := sv.Start(); err != nil {
		return &Error{Message: "服务已安装，但未能启动；请查看程序日志", Err: err}
	}
	return nil
}

// Remove stops the service and removes it.
func Remove(name string) error {
	m, err := mgr.Connect()
	if err != nil {
		return &Error{Message: "无法连接 Windows 服务管理器，请以管理员身份运行", Err: err}
	}
	defer m.Disconnect()
	sv, err := m.OpenService(name)
	if err != nil {
		if errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
			return &Error{Message: "服务 " + name + " 没有安装", Err: ErrNotFound}
		}
		return &Error{Message: "无法打开服务 " + name + "，请以管理员身份运行", Err: err}
	}
	defer sv.Close()
	if st, err := sv.Query(); err == nil && st.State != svc.Stopped {
		if _, err := sv.Control(svc.Stop); err != nil {
			return &Error{Message: "无法停止服务 " + name, Err: err}
		}
		for i := 0; i < 60; i++ { // wait for the database to close, up to 30 s
			st, err := sv.Query()
			if err != nil || st.State == svc.Stopped {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	if err := sv.Delete(); err != nil {
		return &Error{Message: "无法卸载服务 " + name, Err: err}
	}
	return nil
}

// Status says whether the service is running.
func Status(name string) (string, error) {
	m, err := mgr.Connect()
	if err != nil {
		return "", &Error{Message: "无法连接 Windows 服务管理器", Err: err}
	}
	defer m.Disconnect()
	sv, err := m.OpenService(name)
	if err != nil {
		if errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
			return "", &Error{Message: "服务 " + name + " 没有安装", Err: ErrNotFound}
		}
		return "", &Error{Message: "无法读取服务 " + name, Err: err}
	}
	defer sv.Close()
	st, err := sv.Query()
	if err != nil {
		return "", &Error{Message: "无法读取服务 " + name, Err: err}
	}
	switch st.State {
	case svc.Running:
		return "运行中", nil
	case svc.Stopped:
		return "已停止", nil
	case svc.StartPending:
		return "正在启动", nil
	case svc.StopPending:
		return "正在停止", nil
	}
	return "其他状态", nil
}
