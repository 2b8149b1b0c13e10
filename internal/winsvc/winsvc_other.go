//go:build !windows

package winsvc

import "context"

// Run reports false: outside Windows no service manager starts the
// program, and the caller runs it in the foreground.
func Run(name string, fn func(ctx context.Context) error) (bool, error) { return false, nil }

// Install is for Windows only.
func Install(s Spec) error { return notWindows() }

// Remove is for Windows only.
func Remove(name string) error { return notWindows() }

// Status is for Windows only.
func Status(name string) (string, error) { return "", notWindows() }
