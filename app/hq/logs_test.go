package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"servicehall/internal/backup"
	"servicehall/internal/cli"
	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
	"servicehall/internal/lan"
	"servicehall/internal/logfile"
)

// The customer's details the test puts into the hall. The ID-like number is
// given as a contact number, as customers sometimes do.
const (
	custName  = "王建国"
	custPhone = "13812345678"
	custID    = "110101199003071234"
)

// Customers' names, phones and ID numbers never reach the logs of the hall
// program, the hall node or HQ, nor the live event stream: the test first
// puts them into the hall's database through the node, confirms they are
// stored there, syncs everything to HQ, then scans every log file, the
// consoles and every event for them.
func TestLogsAndEventsCarryNoCustomerData(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	root := t.TempDir()

	// HQ, with its log beside its database.
	hqDB := filepath.Join(root, "hq", "hq.db")
	os.MkdirAll(filepath.Dir(hqDB), 0o755)
	out, err := runHQ(t, "hall", "add", "--db", hqDB, "城关")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	hqCtx, stopHQ := context.WithCancel(ctx)
	defer stopHQ()
	var hqOut, hqErr lockedBuffer
	addr, hqDone := make(chan string, 1), make(chan error, 1)
	go func() {
		hqDone <- run(hqCtx, []string{"--db", hqDB, "--listen", "127.0.0.1:0"}, &hqOut, &hqErr, func(a string) { addr <- a })
	}()
	var hqURL string
	select {
	case a := <-addr:
		hqURL = "http://" + a
	case err := <-hqDone:
		t.Fatalf("HQ ended: %v\n%s", err, hqErr.String())
	}

	// The hall's database, set up; then the hall node serving it and syncing.
	h := halltest.New(t, nil)
	hallDB := h.Path
	h.DB.Close()
	nodeCtx, stopNode := context.WithCancel(ctx)
	defer stopNode()
	var nodeOut, nodeErr lockedBuffer
	nodeDone := make(chan error, 1)
	go func() {
		_, err := cli.Subcommand(nodeCtx, []string{"serve", "--db", hallDB, "--listen", "127.0.0.1:0", "--hq", hqURL, "--token", token}, &nodeOut, &nodeErr)
		nodeDone <- err
	}()
	m := waitMatch(t, &nodeOut, nodeDone, regexp.MustCompile(`营业厅主机已启动：(\S+)（`))
	nodeURL := m[1]
	code := waitMatch(t, &nodeOut, nodeDone, regexp.MustCompile(`配对码：(\d{6})`))[1]
	p, err := lan.Pair(ctx, nodeURL, code, "测试机")
	if err != nil {
		t.Fatal(err)
	}
	svc := lan.NewClient(nodeURL, p.Credential, lan.ClientOptions{})
	subCtx, stopSub := context.WithCancel(ctx)
	defer stopSub()
	events, err := svc.Subscribe(subCtx, 0)
	if err != nil {
		t.Fatal(err)
	}

	// A director records a complaint with the customer's name and phone, a
	// clerk an escalation with the ID-like number as the contact; refused
	// attempts carry them too.
	dir, err := svc.SignIn(ctx, 0, "2001", demo.PIN)
	if err != nil {
		t.Fatal(err)
	}
	clerk, err := svc.SignIn(ctx, 1, "1001", demo.PIN)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RecordComplaint(ctx, dir.Token, hall.ComplaintInput{What: "停电未提前通知", Contact: hall.Contact{Name: custName, Phone: custPhone}}); err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(halltest.Shanghai(t)).Format("2006-01-02")
	if _, err := svc.Escalate(ctx, clerk.Token, hall.EscalationInput{Need: "核对电费", Assignee: "营销部", Due: today, Contact: hall.Contact{Name: custName, Phone: custID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RecordComplaint(ctx, dir.Token, hall.ComplaintInput{What: "x", Contact: hall.Contact{Name: custName, Phone: custPhone + "abc"}}); err == nil {
		t.Fatal("a bad phone was accepted")
	}
	if _, err := svc.SignIn(ctx, 2, custPhone, "000000"); err == nil {
		t.Fatal("a phone number signed in as staff")
	}

	// The live stream, until it has carried both records.
	var stream bytes.Buffer
	seen := map[hall.Kind]bool{}
	for !seen[hall.KindComplaintRecord] || !seen[hall.KindEscalated] {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("event stream ended")
			}
			seen[ev.Kind] = true
			b, _ := json.Marshal(ev)
			stream.Write(b)
			stream.WriteByte('\n')
		case <-ctx.Done():
			t.Fatalf("the stream did not carry the records; saw %v", seen)
		}
	}
	stopSub() // an open stream would hold the node's shutdown
	for range events {
	}
	stopNode()
	if err := <-nodeDone; err != nil {
		t.Fatalf("serve: %v\n%s", err, nodeErr.String())
	}

	// The details are in the hall's database, in full.
	raw, err := os.ReadFile(hallDB)
	if err != nil {
		t.Fatal(err)
	}
	// What the last checkpoint has not moved into the file is in its WAL.
	if wal, err := os.ReadFile(hallDB + "-wal"); err == nil {
		raw = append(raw, wal...)
	}
	for _, s := range []string{custName, custPhone, custID} {
		if !bytes.Contains(raw, []byte(s)) {
			t.Fatalf("%s is not in the hall's database: the scan below would prove nothing", s)
		}
	}

	// The hall program's own paths: its log, slog as the default logger (as
	// main sets it, so Fyne's log.Printf goes there), the background sync
	// that makes sure HQ has every record, and a backup.
	l, db, err := cli.OpenHall(ctx, hallDB, "servicehall")
	if err != nil {
		t.Fatal(err)
	}
	logger, closeLog, err := cli.OpenLog(hallDB, "servicehall", nil)
	if err != nil {
		t.Fatal(err)
	}
	prev := slog.Default()
	slog.SetDefault(logger)
	defer slog.SetDefault(prev)
	logger.Info("servicehall started", "version", "test")
	log.Printf("a window's error that quotes a customer: call back %s, id %s", custPhone, custID)
	syncCtx, stopSync := context.WithCancel(ctx)
	c, err := cli.StartSync(syncCtx, l, db, hqURL, token, logfile.Printf(logger), nil)
	if err != nil {
		t.Fatal(err)
	}
	for {
		if st, err := c.Status(ctx); err == nil && st.Backlog == 0 && st.AckedThrough >= l.LastSeq() {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("HQ never acknowledged every event")
		case <-time.After(50 * time.Millisecond):
		}
	}
	stopSync()
	if _, err := backup.Create(ctx, hallDB, backup.Options{Logger: logger}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	closeLog()
	stopHQ()
	if err := <-hqDone; err != nil {
		t.Fatalf("HQ: %v", err)
	}

	// The scan.
	logs := map[string]string{}
	for _, pattern := range []string{filepath.Join(logfile.Dir(hallDB), "*.log*"), filepath.Join(filepath.Dir(hqDB), "*.log*")} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			logs[filepath.Base(f)] = string(b)
		}
	}
	for name, want := range map[string]string{
		"servicehall.log":       "backup written",
		"servicehall-serve.log": "hall node started",
		"servicehall-hq.log":    "hq started",
	} {
		if !strings.Contains(logs[name], want) {
			t.Errorf("%s lacks %q: the scan would not cover it\n%s", name, want, logs[name])
		}
	}
	if !strings.Contains(logs["servicehall.log"], "138****5678") {
		t.Errorf("the quoted phone was not masked in servicehall.log:\n%s", logs["servicehall.log"])
	}
	logs["event stream"] = stream.String()
	logs["node console"] = nodeOut.String() + nodeErr.String()
	logs["HQ console"] = hqOut.String() + hqErr.String()
	for name, text := range logs {
		for _, s := range []string{custName, custPhone, custID} {
			if strings.Contains(text, s) {
				t.Errorf("%s contains the customer's %q:\n%s", name, s, text)
			}
		}
	}
	if !strings.Contains(stream.String(), hall.MaskPhone(custPhone)) {
		t.Errorf("the stream does not carry the masked contact %s", hall.MaskPhone(custPhone))
	}
}

// waitMatch waits until re matches what the process wrote, or it ends.
func waitMatch(t *testing.T, out *lockedBuffer, done chan error, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m
		}
		select {
		case err := <-done:
			t.Fatalf("ended before printing %s: %v\n%s", re, err, out.String())
		case <-deadline:
			t.Fatalf("no %s in:\n%s", re, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
