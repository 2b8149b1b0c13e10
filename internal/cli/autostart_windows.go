//go:build windows

package cli

import (
	"errors"

	"golang.org/x/sys/windows/registry"
)

// runKey is a value under the user's Run key.
type runKey struct{ name string }

const runKeyPath = `Software\Microsoft\Windows\CurrentVersion\Run`

func newAutostarter(name string) autostarter {
	if name == "" {
		name = "servicehall"
	}
	return runKey{name: name}
}

func (r runKey) where() string { return `HKCU\` + runKeyPath + `\` + r.name }

func (r runKey) set(cmd []string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKeyPath, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	return k.SetStringValue(r.name, quoteArgs(cmd))
}

func (r runKey) remove() (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKeyPath, registry.SET_VALUE)
	if err != nil {
		return false, err
	}
	defer k.Close()
	err = k.DeleteValue(r.name)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

func (r runKey) get() (string, bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKeyPath, registry.QUERY_VALUE)
	if err != nil {
		return "", false, err
	}
	defer k.Close()
	v, _, err := k.GetStringValue(r.name)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	return v, err == nil, err
}
