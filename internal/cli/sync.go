package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"servicehall/internal/hall"
	"servicehall/internal/hqsync"
	"servicehall/internal/sqlite"
)

// TokenEnv is read for the HQ credential when --token is not given, which
// keeps it out of the process list.
const TokenEnv = "SERVICEHALL_HQ_TOKEN"

// SyncError says `sync --once` ended with events HQ has not acknowledged.
type SyncError struct {
	Msg string // Chinese
	Err error
}

func (e *SyncError) Error() string {
	if e.Err != nil {
		return "sync incomplete: " + e.Err.Error()
	}
	return "sync incomplete"
}

func (e *SyncError) Unwrap() error { return e.Err }

// UserMessage is the Chinese text for people.
func (e *SyncError) UserMessage() string { return e.Msg }

// syncCmd runs the hall's side of the HQ sync without a window:
// --once drains the backlog and exits, otherwise it runs until stopped.
func syncCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("servicehall sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("db", "", "hall database file")
	hqURL := fs.String("hq", "", "headquarters URL, e.g. https://hq.example:8480")
	token := fs.String("token", "", "the hall's HQ credential (default: $"+TokenEnv+")")
	once := fs.Bool("once", false, "send everything, then exit: 0 only when HQ has acknowledged every event")
	retries := fs.Int("retries", 3, "quick retries of one request before backing off")
	timeout := fs.Duration("timeout", time.Minute, "time limit of one HTTP attempt")
	if err := fs.Parse(args); err != nil {
		return &UsageError{Msg: "命令行参数有误：" + err.Error()}
	}
	if fs.NArg() > 0 {
		return &UsageError{Msg: "多余的参数：" + strings.Join(fs.Args(), " ")}
	}
	if *path == "" {
		return &UsageError{Msg: "请用 --db PATH 指定营业厅数据库文件"}
	}
	if u, err := url.Parse(*hqURL); *hqURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &UsageError{Msg: "请用 --hq URL 指定总部地址，例如 https://hq.example:8480"}
	}
	if *token == "" {
		*token = os.Getenv(TokenEnv)
	}
	if strings.TrimSpace(*token) == "" {
		return &UsageError{Msg: "请用 --token 或环境变量 " + TokenEnv + " 提供本厅的总部同步凭据"}
	}
	if *retries < 0 || *timeout <= 0 {
		return &UsageError{Msg: "--retries 不能为负数，--timeout 须大于 0"}
	}
	if _, err := os.Stat(*path); err != nil {
		return &UsageError{Msg: "营业厅数据库文件不存在：" + *path}
	}
	db, err := sqlite.Open(ctx, *path, sqlite.Options{Program: "servicehall sync"})
	if err != nil {
		return err
	}
	defer db.Close()
	n := *retries
	if n == 0 {
		n = -1 // hqsync's "none"
	}
	opt := hqsync.Options{
		URL: *hqURL, Token: *token, UserAgent: "servicehall sync", Retries: n, AttemptTimeout: *timeout,
		Logf: func(f string, a ...any) { fmt.Fprintf(stderr, f+"\n", a...) },
	}
	if !*once {
		// Running on, it also brings HQ's notices into the hall.
		l, err := hall.Open(ctx, db, hall.SystemClock{})
		if err != nil {
			return err
		}
		opt.PostNotice = func(ctx context.Context, n hqsync.Notice) error {
			_, err := l.PostHQNotice(ctx, n.ID, n.NoticeInput)
			return err
		}
	}
	c, err := hqsync.New(db, opt)
	if err != nil {
		return err
	}
	if !*once {
		fmt.Fprintf(stdout, "开始向总部同步：%s（按 Ctrl-C 停止）\n", *hqURL)
		err := c.Run(ctx)
		if errors.Is(err, context.Canceled) {
			err = nil
		}
		if st, serr := c.Status(context.WithoutCancel(ctx)); serr == nil {
			fmt.Fprintf(stdout, "已停止同步：总部确认至第 %d 条事件，尚有 %d 条未确认\n", st.AckedThrough, st.Backlog)
		}
		return err
	}
	derr := c.DrainOnce(ctx)
	var aerr error
	if derr == nil {
		aerr = c.Anchor(ctx)
	}
	st, err := c.Status(context.WithoutCancel(ctx))
	if err != nil {
		return errors.Join(derr, err)
	}
	if derr != nil || st.Backlog > 0 {
		return &SyncError{Err: derr, Msg: fmt.Sprintf("同步未完成：%s。总部确认至第 %d 条事件，尚有 %d 条未确认，记录仍安全保存在本厅。",
			hall.Message(derr), st.AckedThrough, st.Backlog)}
	}
	fmt.Fprintf(stdout, "已全部送达总部：确认至第 %d 条事件\n", st.AckedThrough)
	if aerr != nil {
		return &SyncError{Err: aerr, Msg: "事件已全部送达总部，但本厅登记簿未能通过总部核对：" + hall.Message(aerr)}
	}
	if cp, ok, err := db.LastCheckpoint(ctx); err == nil && ok {
		fmt.Fprintf(stdout, "登记簿已由总部签署确认：共 %d 条\n", cp.Size)
	}
	if st.Quarantined > 0 {
		fmt.Fprintf(stdout, "注意：共有 %d 条记录被总部拒收或与总部冲突，已隔离在本厅，请值班主任查看\n", st.Quarantined)
	}
	return nil
}

// StartSync runs the hall's sync to headquarters in the background until ctx
// ends: it pushes every new event soon after it is committed and posts the
// notices headquarters publishes into the hall.
// onAttempt, if not nil, hears of every push.
func StartSync(ctx context.Context, l *hall.Local, db *sqlite.DB, hqURL, token string, logf func(string, ...any), onAttempt func(hqsync.Attempt)) (*hqsync.Client, error) {
	c, err := hqsync.New(db, hqsync.Options{
		URL: hqURL, Token: token, UserAgent: "servicehall", Logf: logf, OnAttempt: onAttempt,
		PostNotice: func(ctx context.Context, n hqsync.Notice) error {
			_, err := l.PostHQNotice(ctx, n.ID, n.NoticeInput)
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	go func() { _ = c.Run(ctx) }()
	// Wake the sync on every commit rather than waiting for its idle timer.
	events, err := l.Subscribe(ctx, l.LastSeq())
	if err != nil {
		return nil, err
	}
	go func() {
		for range events {
			c.Kick()
		}
	}()
	return c, nil
}
