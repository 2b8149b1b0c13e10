package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
)

// Report is what Verify found.
type Report struct {
	Path          string
	SchemaVersion int
	Events        int64
	Tickets       int64
	Problems      []string // empty when the database is sound
}

// OK reports whether no problem was found.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Verify checks a hall's database without changing it: SQLite's full
// integrity_check and foreign keys, then the hall's own rules: every event's
// digest matches its content, sequence numbers have no gap (events are never
// deleted), every ticket has its issue event, ticket numbers agree with
// their prefix and sequence, and no day's counter is behind its tickets.
// It takes the owner's lock, so it refuses a database that a running hall
// holds. An error means the check could not run; problems found are in the
// report.
func Verify(ctx context.Context, path string) (Report, error) {
	r := Report{Path: path}
	if _, err := os.Stat(path); err != nil {
		return r, fmt.Errorf("verify: %w", err)
	}
	lock, err := acquire(path, "servicehall verify")
	if err != nil {
		return r, err
	}
	defer lock.release()
	db, err := sql.Open("sqlite", dsn(path, "_pragma=busy_timeout(10000)", "_pragma=query_only(1)"))
	if err != nil {
		return r, err
	}
	defer db.Close()
	// Reads only; the register check reads a record while iterating leaves.
	db.SetMaxOpenConns(4)

	problems, err := pragmaCheck(ctx, db, "integrity_check")
	if err != nil {
		r.Problems = append(r.Problems, "SQLite 无法读取文件: "+err.Error())
		return r, nil
	}
	r.Problems = append(r.Problems, problems...)
	if len(problems) > 0 {
		return r, nil // the rest would read damaged pages
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&r.SchemaVersion); err != nil {
		return r, err
	}
	if r.SchemaVersion == 0 {
		r.Problems = append(r.Problems, "不是营业厅数据库（没有表结构）")
		return r, nil
	}
	if r.SchemaVersion > SchemaVersion() {
		return r, &TooNewError{Version: r.SchemaVersion, Known: SchemaVersion()}
	}
	checks := []struct {
		problem string
		query   string
	}{
		{"外键不一致", `SELECT count(*) FROM pragma_foreign_key_check`},
		{"号码与前缀、序号不符", `SELECT count(*) FROM tickets WHERE number <> prefix || printf('%03d', seq)`},
		{"号码缺少取号记录（事件日志被删改）", `SELECT (SELECT count(*) FROM tickets) - (SELECT count(*) FROM events WHERE kind = 'ticket.issued')`},
		{"事件日志末尾的记录被删除", `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) - coalesce((SELECT max(seq) FROM events), 0)`},
		{"办理记录指向不存在的号码", `SELECT count(*) FROM services s WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.id = s.ticket_id)`},
	}
	for _, c := range checks {
		var n int64
		if err := db.QueryRowContext(ctx, c.query).Scan(&n); err != nil {
			return r, fmt.Errorf("verify %s: %w", c.problem, err)
		}
		if n != 0 {
			r.Problems = append(r.Problems, fmt.Sprintf("%s：%d 处", c.problem, n))
		}
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM tickets`).Scan(&r.Tickets); err != nil {
		return r, err
	}
	p, n, err := verifyEvents(ctx, db)
	if err != nil {
		return r, err
	}
	r.Events = n
	r.Problems = append(r.Problems, p...)
	if r.SchemaVersion >= 10 {
		p, err := verifyRegister(ctx, db)
		if err != nil {
			return r, fmt.Errorf("verify register: %w", err)
		}
		r.Problems = append(r.Problems, p...)
	}
	if r.SchemaVersion >= 12 {
		p, err := verifyCheckpoint(ctx, db)
		if err != nil {
			return r, fmt.Errorf("verify against HQ's checkpoint: %w", err)
		}
		r.Problems = append(r.Problems, p...)
	}
	return r, nil
}

// verifyEvents recomputes every digest and checks that sequence numbers run
// without a gap.
func verifyEvents(ctx context.Context, db *sql.DB) ([]string, int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT seq, uuid, kind, at, payload, sha256 FROM events ORDER BY seq`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var problems []string
	var n, prev int64
	bad := 0
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, 0, err
		}
		n++
		if e.Seq != prev+1 {
			problems = append(problems, fmt.Sprintf("事件日志缺号：%d 之后是 %d（记录被删除）", prev, e.Seq))
		}
		prev = e.Seq
		if d := e.ComputeDigest(); !bytes.Equal(d[:], e.Digest[:]) {
			if bad < 10 {
				problems = append(problems, fmt.Sprintf("事件 %d（%s）内容与校验值不符（记录被改动）", e.Seq, e.Kind))
			}
			bad++
		}
	}
	if bad > 10 {
		problems = append(problems, fmt.Sprintf("另有 %d 条事件内容与校验值不符", bad-10))
	}
	return problems, n, rows.Err()
}
