package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"servicehall/internal/hall"
)

// ErrNotSetUp says the hall node was started on a database that has not
// been through the first-run setup.
var ErrNotSetUp = &UsageError{Msg: "营业厅数据库尚未设置：请先在这台电脑上运行 servicehall（不带参数）完成首次设置向导，或用 --demo 打开演示营业厅"}

// HQConfig is headquarters' address and the hall's credential as the
// first-run setup keeps them: hq.json beside the database, readable by
// its owner only. --hq and --token override it.
type HQConfig struct {
	URL   string `json:"url"`
	Token string `json:"token"`
}

// HQConfigPath is hq.json in the folder of the database at dbPath.
func HQConfigPath(dbPath string) string { return filepath.Join(filepath.Dir(dbPath), "hq.json") }

// LoadHQ returns the kept HQ address and credential; empty when none.
func LoadHQ(dbPath string) (url, token string) {
	b, err := os.ReadFile(HQConfigPath(dbPath))
	if err != nil {
		return "", ""
	}
	var c HQConfig
	if json.Unmarshal(b, &c) != nil || c.URL == "" || c.Token == "" {
		return "", ""
	}
	return c.URL, c.Token
}

// SaveHQ keeps the HQ address and credential; an empty url removes them.
func SaveHQ(dbPath, url, token string) error {
	p := HQConfigPath(dbPath)
	url, token = strings.TrimSpace(url), strings.TrimSpace(token)
	if url == "" {
		err := os.Remove(p)
		if errors.Is(err, os.ErrNotExist) {
			err = nil
		}
		return err
	}
	if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
		return hall.ErrInvalid.WithMessage("总部地址须以 http:// 或 https:// 开头", "bad HQ URL %q", url)
	}
	if token == "" {
		return hall.ErrInvalid.WithMessage("请填写总部发给本厅的同步凭据", "HQ URL without a token")
	}
	b, err := json.MarshalIndent(HQConfig{URL: strings.TrimRight(url, "/"), Token: token}, "", "  ")
	if err != nil {
		return err
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

// FinishSetup configures a new hall from the first-run setup and keeps the
// HQ settings beside its database. The HQ settings are checked first, so
// that a refused setup changes nothing.
func FinishSetup(ctx context.Context, l *hall.Local, dbPath string, cfg hall.Config, hqURL, hqToken string) error {
	if u := strings.TrimSpace(hqURL); u != "" {
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			return hall.ErrInvalid.WithMessage("总部地址须以 http:// 或 https:// 开头", "bad HQ URL %q", u)
		}
		if strings.TrimSpace(hqToken) == "" {
			return hall.ErrInvalid.WithMessage("请填写总部发给本厅的同步凭据", "HQ URL without a token")
		}
	}
	if err := l.Setup(ctx, cfg); err != nil {
		return err
	}
	return SaveHQ(dbPath, hqURL, hqToken)
}
