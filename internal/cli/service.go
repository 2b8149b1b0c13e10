package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"

	"servicehall/internal/winsvc"
)

// NodeService is the hall node's Windows service name.
const NodeService = "servicehall-node"

// serviceCmd installs, removes or runs the hall node as a Windows service:
// servicehall service install [--db PATH] [--listen ADDR] | remove | status
// | run [serve flags]. The service runs `servicehall service run` with the
// flags given at install; the HQ address and credential come from hq.json
// beside the database (the setup writes it), never from the command line.
func serviceCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return winsvc.Command{
		Spec: winsvc.Spec{
			Name:        NodeService,
			DisplayName: "营业厅主机 (servicehall)",
			Description: "供电营业厅服务台的营业厅主机：保存本厅数据、为厅内各电脑提供服务并同步到总部。",
		},
		Usage:      "用法：servicehall service install [--db 路径] [--listen :8420] | remove | status | run",
		Args:       nodeServiceArgs,
		Run:        serve,
		UsageError: func(msg string) error { return &UsageError{Msg: msg} },
	}.Do(ctx, args, stdout, stderr)
}

// nodeServiceArgs checks the install flags and returns the service's
// command line: the database as an absolute path (a service starts in the
// system folder), in %ProgramData%\servicehall by default.
func nodeServiceArgs(args []string, stderr io.Writer) ([]string, error) {
	dbGiven := slices.ContainsFunc(args, func(a string) bool {
		return a == "--db" || a == "-db" || len(a) > 5 && (a[:5] == "--db=" || a[:4] == "-db=")
	})
	a, err := parseServe(args, stderr)
	if err != nil {
		return nil, err
	}
	if a.HQ != "" || a.Token != "" || a.Demo {
		return nil, &UsageError{Msg: "服务不接受 --hq、--token 或 --demo：总部设置由首次设置写入数据库旁的 hq.json"}
	}
	db := a.DB
	if !dbGiven {
		pd := os.Getenv("ProgramData")
		if pd == "" {
			return nil, &UsageError{Msg: "请用 --db 指定营业厅数据库的位置"}
		}
		db = filepath.Join(pd, "servicehall", "hall.db")
	}
	if db, err = filepath.Abs(db); err != nil {
		return nil, &UsageError{Msg: "数据库路径有误：" + a.DB}
	}
	return []string{"service", "run", "--db", db, "--listen", a.Listen}, nil
}
