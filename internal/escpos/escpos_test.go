package escpos_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"servicehall/internal/escpos"
	"servicehall/internal/escpos/escpostest"
)

var issued = time.Date(2025, 3, 18, 9, 41, 0, 0, time.FixedZone("CST", 8*3600))

func sampleTicket() escpos.Ticket {
	return escpos.Ticket{
		Hall:     "城关供电营业厅",
		Number:   "A001",
		Type:     "电费缴纳",
		Ahead:    3,
		Issued:   issued,
		Priority: "敬老",
		Note:     "请留意叫号屏和语音呼叫",
	}
}

func newPrinter(t *testing.T, cfg escpos.Config) *escpos.Printer {
	t.Helper()
	if cfg.StatusTimeout == 0 {
		cfg.StatusTimeout = 2 * time.Second // an answering fake answers at once
	}
	p, err := escpos.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTicketArrivesAsGBKTextInChineseModeWithACut(t *testing.T) {
	fake := escpostest.Start(t, escpostest.Options{})
	p := newPrinter(t, escpos.Config{Addr: fake.Addr})
	if err := p.Print(context.Background(), sampleTicket()); err != nil {
		t.Fatalf("print: %v", err)
	}
	job := fake.WaitJob(t)
	if len(job.Errors) > 0 {
		t.Fatalf("the printer could not parse the stream: %v", job.Errors)
	}
	want := []string{"城关供电营业厅", "您的号码", "A001", "电费缴纳", "【敬老优先】", "前面还有 3 人等候", "取号时间 2025-03-18 09:41", "请留意叫号屏和语音呼叫"}
	if got := job.Lines(); !slices.Equal(got, want) {
		t.Errorf("lines:\n got %q\nwant %q", got, want)
	}
	cmds := job.Cmds()
	// Status first, then the ticket, the cut last, with the status check
	// after it.
	on, off, cut := slices.Index(cmds, "FS &"), slices.Index(cmds, "FS ."), slices.Index(cmds, "GS V")
	if on < 0 || off < 0 || cut < 0 || !(on < off && off < cut) {
		t.Errorf("want FS & … FS . then GS V, got %v", cmds)
	}
	if cmds[0] != "DLE EOT" || cmds[len(cmds)-1] != "DLE EOT" {
		t.Errorf("want status queries before and after the ticket, got %v", cmds)
	}
	// Every line of text lies inside Chinese mode.
	inside := false
	for _, it := range job.Items {
		switch it.Cmd {
		case "FS &":
			inside = true
		case "FS .":
			inside = false
		case "":
			if !inside {
				t.Errorf("text %q outside Chinese mode", it.Text)
			}
		}
	}
	// The number is printed double size, and size is back to normal after.
	for i, it := range job.Items {
		if it.Text == "A001" {
			if prev := job.Items[i-1]; prev.Cmd != "GS !" || prev.Args[0] != 0x11 {
				t.Errorf("number not preceded by GS ! 0x11 but %v", prev)
			}
			if next := job.Items[i+2]; next.Cmd != "GS !" || next.Args[0] != 0 {
				t.Errorf("size not reset after the number: %v", next)
			}
		}
	}
	if c := job.Items[slices.IndexFunc(job.Items, func(it escpostest.Item) bool { return it.Cmd == "GS V" })]; !slices.Equal(c.Args, []byte{66, 0}) {
		t.Errorf("cut args %v, want partial cut after feed [66 0]", c.Args)
	}
}

func TestNormalTicketHasNoPriorityLineAndUnknownAheadIsLeftOut(t *testing.T) {
	fake := escpostest.Start(t, escpostest.Options{})
	p := newPrinter(t, escpos.Config{Addr: fake.Addr})
	tk := sampleTicket()
	tk.Priority, tk.Ahead, tk.Note = "", -1, ""
	if err := p.Print(context.Background(), tk); err != nil {
		t.Fatal(err)
	}
	want := []string{"城关供电营业厅", "您的号码", "A001", "电费缴纳", "取号时间 2025-03-18 09:41"}
	if got := fake.WaitJob(t).Lines(); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestGB18030PrintsWhatGBKCannotAndGBKReplacesIt(t *testing.T) {
	// 𠀾 (U+2003E, CJK Extension B) is in GB18030 only; 喆 is in GBK.
	tk := sampleTicket()
	tk.Hall = "𠀾喆营业厅"
	for _, tc := range []struct {
		charset escpos.Charset
		want    string
	}{
		{escpos.GBK, "?喆营业厅"},
		{escpos.GB18030, "𠀾喆营业厅"},
	} {
		t.Run(string(tc.charset), func(t *testing.T) {
			fake := escpostest.Start(t, escpostest.Options{Charset: string(tc.charset)})
			p := newPrinter(t, escpos.Config{Addr: fake.Addr, Charset: tc.charset})
			if err := p.Print(context.Background(), tk); err != nil {
				t.Fatal(err)
			}
			job := fake.WaitJob(t)
			if len(job.Errors) > 0 {
				t.Fatalf("parse: %v", job.Errors)
			}
			if got := job.Lines()[0]; got != tc.want {
				t.Errorf("hall line %q, want %q", got, tc.want)
			}
		})
	}
	// The GB18030 form of 𠀾 is four bytes: 0x95 0x32 0x8x 0x3x.
	raw := escpos.Render(tk, escpos.GB18030)
	if !strings.Contains(string(raw), "\x95\x32") {
		t.Errorf("no four-byte GB18030 sequence in % x", raw[:24])
	}
}

func TestControlCharactersInTextCannotInjectCommands(t *testing.T) {
	fake := escpostest.Start(t, escpostest.Options{})
	p := newPrinter(t, escpos.Config{Addr: fake.Addr})
	tk := sampleTicket()
	tk.Type = "电费\x1dV\x00缴纳" // would be a full cut
	if err := p.Print(context.Background(), tk); err != nil {
		t.Fatal(err)
	}
	job := fake.WaitJob(t)
	if n := strings.Count(strings.Join(job.Cmds(), ","), "GS V"); n != 1 {
		t.Errorf("%d cuts, want 1: %v", n, job.Cmds())
	}
	if got := job.Lines()[3]; got != "电费 V 缴纳" {
		t.Errorf("type line %q", got)
	}
}

func TestPaperOutIsReportedAndNothingIsPrinted(t *testing.T) {
	fake := escpostest.Start(t, escpostest.Options{Paper: escpostest.PaperOut})
	p := newPrinter(t, escpos.Config{Addr: fake.Addr})
	err := p.Print(context.Background(), sampleTicket())
	if !errors.Is(err, escpos.ErrPaperOut) {
		t.Fatalf("got %v, want paper out", err)
	}
	var pe *escpos.Error
	if !errors.As(err, &pe) || pe.UserMessage() != "打印机缺纸" {
		t.Errorf("message %q", pe.UserMessage())
	}
	if got := fake.WaitJob(t).Lines(); len(got) != 0 {
		t.Errorf("printed %q on a printer without paper", got)
	}
}

func TestSilentPrinterIsNotAFault(t *testing.T) {
	fake := escpostest.Start(t, escpostest.Options{Silent: true})
	p := newPrinter(t, escpos.Config{Addr: fake.Addr, StatusTimeout: 50 * time.Millisecond})
	for range 2 {
		if err := p.Print(context.Background(), sampleTicket()); err != nil {
			t.Fatalf("print on a printer that never answers status: %v", err)
		}
		if got := fake.WaitJob(t).Lines(); len(got) != 8 {
			t.Errorf("got %q", got)
		}
	}
	// After the first silence the printer is not asked before a ticket.
	if cmds := fake.Jobs()[1].Cmds(); cmds[0] != "ESC @" {
		t.Errorf("second ticket starts with %v, want ESC @", cmds[0])
	}
}

func TestUnreachablePrinter(t *testing.T) {
	// A port that was just closed: nothing listens there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := newPrinter(t, escpos.Config{Addr: addr, DialTimeout: time.Second})
	err = p.Print(context.Background(), sampleTicket())
	if !errors.Is(err, escpos.ErrUnreachable) {
		t.Fatalf("got %v, want unreachable", err)
	}
	if escpos.CodeOf(err) != escpos.Unreachable {
		t.Errorf("code %q", escpos.CodeOf(err))
	}
}

func TestPrinterThatClosesMidTicket(t *testing.T) {
	fake := escpostest.Start(t, escpostest.Options{CloseAfter: 40})
	p := newPrinter(t, escpos.Config{Addr: fake.Addr})
	err := p.Print(context.Background(), sampleTicket())
	if !errors.Is(err, escpos.ErrInterrupted) {
		t.Fatalf("got %v, want interrupted", err)
	}
	if slices.Contains(fake.WaitJob(t).Cmds(), "GS V") {
		t.Error("the fake saw the cut although it hung up before")
	}
}

func TestDeviceFile(t *testing.T) {
	dev := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(dev, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p := newPrinter(t, escpos.Config{Device: dev, Charset: escpos.GBK})
	if err := p.Print(context.Background(), sampleTicket()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dev)
	if err != nil {
		t.Fatal(err)
	}
	if want := escpos.Render(sampleTicket(), escpos.GBK); string(got) != string(want) {
		t.Errorf("device got % x\nwant % x", got, want)
	}

	missing := newPrinter(t, escpos.Config{Device: filepath.Join(t.TempDir(), "no-such-lp")})
	if err := missing.Print(context.Background(), sampleTicket()); !errors.Is(err, escpos.ErrUnreachable) {
		t.Errorf("missing device: got %v, want unreachable", err)
	}
}

func TestBadConfigIsExplainedInChinese(t *testing.T) {
	for _, cfg := range []escpos.Config{
		{},
		{Addr: "10.0.0.5", Device: "/dev/usb/lp0"},
		{Addr: "10.0.0.5:99999"},
		{Addr: "10.0.0.5:abc"},
		{Addr: "10.0.0.5", Charset: "big5"},
	} {
		_, err := escpos.New(cfg)
		var pe *escpos.Error
		if !errors.As(err, &pe) || pe.Code != escpos.BadConfig || pe.UserMessage() == "" {
			t.Errorf("%+v: got %v, want a bad config error with a message", cfg, err)
		}
	}
	p, err := escpos.New(escpos.Config{Addr: "10.0.0.5"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Config().Addr; got != "10.0.0.5:9100" {
		t.Errorf("bare host became %q, want the default port", got)
	}
}
