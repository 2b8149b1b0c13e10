//go:build !windows

package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// xdgAutostart is an XDG autostart entry: a .desktop file in
// $XDG_CONFIG_HOME/autostart (~/.config/autostart).
type xdgAutostart struct{ dir string }

func newAutostarter(dir string) autostarter {
	if dir == "" {
		if cfg, err := os.UserConfigDir(); err == nil {
			dir = filepath.Join(cfg, "autostart")
		}
	}
	return xdgAutostart{dir: dir}
}

func (x xdgAutostart) path() string  { return filepath.Join(x.dir, "servicehall.desktop") }
func (x xdgAutostart) where() string { return x.path() }

func (x xdgAutostart) set(cmd []string) error {
	if x.dir == "" {
		return errors.New("no config folder")
	}
	if err := os.MkdirAll(x.dir, 0o755); err != nil {
		return err
	}
	desktop := "[Desktop Entry]\nType=Application\nName=营业厅服务台\nComment=servicehall\n" +
		"Exec=" + quoteArgs(cmd) + "\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
	tmp := x.path() + ".tmp"
	if err := os.WriteFile(tmp, []byte(desktop), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, x.path())
}

func (x xdgAutostart) remove() (bool, error) {
	err := os.Remove(x.path())
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

func (x xdgAutostart) get() (string, bool, error) {
	b, err := os.ReadFile(x.path())
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if cmd, ok := strings.CutPrefix(line, "Exec="); ok {
			return cmd, true, nil
		}
	}
	return "", false, nil
}
