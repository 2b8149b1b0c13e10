package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"servicehall/internal/hall"
	"servicehall/internal/lan"
	"servicehall/internal/lan/lansqlite"
	"servicehall/internal/logfile"
	"servicehall/internal/sqlite"
)

// The hall of many PCs: `servicehall serve` runs the hall node, the one
// program that opens the hall's database file, and serves the hall to the
// other PCs of the LAN; `servicehall pair` joins a PC to it; `servicehall
// --hall URL` runs any window against it.

// DefaultListen is where the hall node listens unless told otherwise.
const DefaultListen = ":8420"

// ServeArgs are serve's flags.
type ServeArgs struct {
	DB     string
	Listen string
	HQ     string
	Token  string
	Demo   bool
}

func parseServe(args []string, stderr io.Writer) (ServeArgs, error) {
	var a ServeArgs
	fs := flag.NewFlagSet("servicehall serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&a.DB, "db", "", "hall database file (default: in the user's data directory)")
	fs.StringVar(&a.Listen, "listen", DefaultListen, "address to serve the hall on, e.g. :8420 or 192.168.1.10:8420")
	fs.StringVar(&a.HQ, "hq", "", "headquarters URL: sync the hall's records there")
	fs.StringVar(&a.Token, "token", "", "the hall's credential at headquarters (default: $"+TokenEnv+")")
	fs.BoolVar(&a.Demo, "demo", false, "a new database becomes the demo hall")
	if err := fs.Parse(args); err != nil {
		return a, &UsageError{Msg: "命令行参数有误：" + err.Error()}
	}
	if fs.NArg() > 0 {
		return a, &UsageError{Msg: "多余的参数：" + strings.Join(fs.Args(), " ")}
	}
	if a.HQ != "" && a.Token == "" {
		if a.Token = os.Getenv(TokenEnv); a.Token == "" {
			return a, &UsageError{Msg: "使用 --hq 同步时，请用 --token 或环境变量 " + TokenEnv + " 提供本厅的总部同步凭据"}
		}
	}
	if a.DB == "" {
		p, err := DefaultDBPath()
		if err != nil {
			return a, err
		}
		a.DB = p
	}
	return a, nil
}

// serve runs the hall node until ctx ends.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	a, err := parseServe(args, stderr)
	if err != nil {
		return err
	}
	// The log first: a node run as a service has no console, so a refusal
	// to start must reach the log.
	logger, closeLog, err := OpenLog(a.DB, "servicehall-serve", stderr)
	if err != nil {
		return err
	}
	defer closeLog()
	l, db, err := OpenHallWith(ctx, a.DB, "servicehall serve", a.Demo)
	if err != nil {
		logger.Error("hall node not started", "db", a.DB, "err", err)
		return err
	}
	defer db.Close()
	if !l.Configured() {
		logger.Error("hall node not started: the database was never set up", "db", a.DB)
		return ErrNotSetUp
	}
	if a.HQ == "" { // set in the first-run setup
		a.HQ, a.Token = LoadHQ(a.DB)
	}
	logf := logfile.Printf(logger)
	defer StartBackups(ctx, a.DB, logger)()
	n, err := StartNode(ctx, l, db, a.Listen, logf, func(code string, until time.Time) {
		fmt.Fprintf(stdout, "配对码：%s（%s 前有效；在其他电脑上运行 servicehall pair 时输入）\n", code, until.Local().Format("15:04"))
		// A node run as a service has no console: the code is in its log too.
		logger.Info("pairing code", "code", code, "until", until.Local().Format("15:04"))
	})
	if err != nil {
		return err
	}
	if a.HQ != "" {
		if _, err := StartSync(ctx, l, db, a.HQ, a.Token, logf, nil); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "营业厅主机已启动：%s（叫号屏网页：%s/display）\n", n.URL, n.URL)
	logger.Info("hall node started", "url", n.URL, "db", a.DB, "hq", a.HQ != "")
	n.Pairing() // show the first code
	// A housekeeping tick closes the day at midnight in an idle hall.
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case err := <-n.done:
			return err
		case <-tick.C:
			if err := l.Housekeep(ctx); err != nil {
				logf("housekeep: %v", err)
			}
		case <-ctx.Done():
			return n.Close()
		}
	}
}

// Node is the hall served on the LAN from this process.
type Node struct {
	URL  string // http://HOST:PORT as the other PCs reach it
	srv  *lan.Server
	hs   *http.Server
	done chan error
}

// StartNode serves the hall on listen (":8420") until ctx ends or Close.
// onCode, if set, is told each new pairing code.
func StartNode(ctx context.Context, l *hall.Local, db *sqlite.DB, listen string, logf func(string, ...any), onCode func(string, time.Time)) (*Node, error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, &UsageError{Msg: "无法在 " + listen + " 上提供服务（端口被占用或地址有误）：" + err.Error()}
	}
	srv := lan.NewServer(l, lansqlite.Clients(db), lan.ServerOptions{Logf: logf, OnPairingCode: onCode})
	n := &Node{URL: "http://" + hostPort(ln.Addr()), srv: srv, hs: &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}, done: make(chan error, 1)}
	go func() {
		err := n.hs.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		n.done <- err
	}()
	go func() {
		<-ctx.Done()
		n.Close() //nolint:errcheck // shutting down
	}()
	return n, nil
}

// Pairing is the node's address and the pairing code in force.
func (n *Node) Pairing() (addr, code string, until time.Time) {
	code, until = n.srv.PairingCode()
	return n.URL, code, until
}

// Close stops serving, giving open requests a moment to finish.
func (n *Node) Close() error {
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return n.hs.Shutdown(sctx)
}

func hostPort(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") || strings.HasPrefix(s, "0.0.0.0:") {
		_, port, _ := net.SplitHostPort(s)
		if h, err := os.Hostname(); err == nil {
			return net.JoinHostPort(h, port)
		}
	}
	return s
}

// LANConfig is this PC's place in a hall of many PCs: the hall node's
// address and this PC's credential there.
type LANConfig struct {
	Hall       string `json:"hall"`
	Credential string `json:"credential"`
	HallName   string `json:"hall_name,omitempty"`
	Name       string `json:"name,omitempty"`
}

// LANConfigPath is where pair keeps it: servicehall/lan.json in the
// user's config directory.
func LANConfigPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "servicehall", "lan.json"), nil
}

// LoadLANConfig reads the pairing kept at path.
func LoadLANConfig(path string) (LANConfig, error) {
	var c LANConfig
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, &UsageError{Msg: "本机尚未与营业厅主机配对：请先运行 servicehall pair --hall http://主机:8420 --code 配对码 --name 本机名称"}
	}
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil || c.Credential == "" {
		return c, &UsageError{Msg: "配对信息文件已损坏：" + path + "，请重新配对"}
	}
	return c, nil
}

// pair joins this PC to a hall node and keeps the credential.
func pair(ctx context.Context, args []string, stdout, stderr io.Writer, path string) error {
	fs := flag.NewFlagSet("servicehall pair", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("hall", "", "the hall node's address, e.g. http://192.168.1.10:8420")
	code := fs.String("code", "", "the pairing code the hall node shows")
	name := fs.String("name", "", "what this PC is, e.g. 3号窗口 or 取号机")
	if err := fs.Parse(args); err != nil {
		return &UsageError{Msg: "命令行参数有误：" + err.Error()}
	}
	if fs.NArg() > 0 {
		return &UsageError{Msg: "多余的参数：" + strings.Join(fs.Args(), " ")}
	}
	if *url == "" || *code == "" || *name == "" {
		return &UsageError{Msg: "请用 --hall 指定营业厅主机地址，--code 输入主机上显示的配对码，--name 填写本机名称"}
	}
	if path == "" {
		p, err := LANConfigPath()
		if err != nil {
			return err
		}
		path = p
	}
	p, err := lan.Pair(ctx, *url, *code, *name)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(LANConfig{Hall: strings.TrimRight(*url, "/"), Credential: p.Credential, HallName: p.Hall, Name: *name}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已与“%s”配对，本机名称：%s。配对信息保存在 %s\n", p.Hall, *name, path)
	return nil
}

// RemoteHall is the hall node this PC is paired with, as a hall.Service.
func RemoteHall(url, configPath string) (hall.Service, error) {
	if configPath == "" {
		p, err := LANConfigPath()
		if err != nil {
			return nil, err
		}
		configPath = p
	}
	c, err := LoadLANConfig(configPath)
	if err != nil {
		return nil, err
	}
	if url != "" && strings.TrimRight(url, "/") != c.Hall {
		return nil, &UsageError{Msg: "本机配对的是 " + c.Hall + "，不是 " + url + "；如需改连其他主机，请重新配对"}
	}
	return lan.NewClient(c.Hall, c.Credential, lan.ClientOptions{}), nil
}
