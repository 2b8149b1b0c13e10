// Package winsvc runs the hall node and headquarters' server as Windows
// services: installed with the service manager, started at boot before
// anyone logs in, restarted after a failure, and stopped cleanly (the
// program's context ends, so the database closes). On other systems the
// programs run under systemd (packaging/linux) and this package only says
// so.
package winsvc

import (
	"errors"
	"fmt"
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
