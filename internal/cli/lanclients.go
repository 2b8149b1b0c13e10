package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"servicehall/internal/sqlite"
)

// lanCmd manages the PCs paired with this hall node:
//
//	servicehall lan list [--db PATH]          every paired PC, revoked ones too
//	servicehall lan revoke [--db PATH] ID     end a PC's credential (a PC stolen, replaced or retired)
//
// It needs the database file itself: stop the node first (an open
// database is refused, as for reset-pin). A revoked PC is refused from the
// node's next start; to come back it pairs again with a new code.
func lanCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const usage = "用法：servicehall lan list [--db 路径] 或 servicehall lan revoke [--db 路径] 电脑编号"
	if len(args) == 0 {
		return &UsageError{Msg: usage}
	}
	verb := args[0]
	if verb != "list" && verb != "revoke" {
		return &UsageError{Msg: "未知的操作：" + verb + "。" + usage}
	}
	fs := flag.NewFlagSet("servicehall lan "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("db", "", "hall database file (default: in the user's data directory)")
	if err := fs.Parse(args[1:]); err != nil {
		return &UsageError{Msg: "命令行参数有误：" + err.Error()}
	}
	if (verb == "list" && fs.NArg() != 0) || (verb == "revoke" && fs.NArg() != 1) {
		return &UsageError{Msg: usage}
	}
	file, err := dbOrDefault(*path)
	if err != nil {
		return err
	}
	if _, err := os.Stat(file); err != nil {
		return &UsageError{Msg: "找不到营业厅数据库文件：" + file + "（用 --db 指定主机的数据库）"}
	}
	db, err := sqlite.Open(ctx, file, sqlite.Options{Program: "servicehall lan " + verb})
	if err != nil {
		return err
	}
	defer db.Close()
	if verb == "revoke" {
		c, err := db.RevokeLANClient(ctx, strings.TrimSpace(fs.Arg(0)), time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已停用：%s（编号 %s，%s 起）。该电脑的连接将被拒绝，须用新的配对码重新配对。\n",
			c.Name, c.ID, c.RevokedAt.Local().Format("2006-01-02 15:04"))
		return nil
	}
	pcs, err := db.LANClients(ctx)
	if err != nil {
		return err
	}
	if len(pcs) == 0 {
		fmt.Fprintln(stdout, "尚无已配对的电脑。")
		return nil
	}
	rows := [][]string{{"编号", "名称", "配对时间", "状态"}}
	for _, c := range pcs {
		state := "有效"
		if c.Revoked {
			state = "已停用（" + c.RevokedAt.Local().Format("2006-01-02 15:04") + "）"
		}
		rows = append(rows, []string{c.ID, c.Name, c.PairedAt.Local().Format("2006-01-02 15:04"), state})
	}
	printColumns(stdout, rows)
	return nil
}

// printColumns prints rows in columns two spaces apart, lined up on a
// console, where a Chinese character takes two columns.
func printColumns(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, cell := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

// displayWidth is how many console columns s takes: two for each Chinese
// (wide) character, one for the others.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115F || (r >= 0x2E80 && r <= 0xA4CF) || (r >= 0xAC00 && r <= 0xD7A3) ||
			(r >= 0xF900 && r <= 0xFAFF) || (r >= 0xFE30 && r <= 0xFE4F) || (r >= 0xFF00 && r <= 0xFF60) || (r >= 0xFFE0 && r <= 0xFFE6)) {
			n += 2
		} else {
			n++
		}
	}
	return n
}
