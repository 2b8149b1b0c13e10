package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"servicehall/internal/demo"
	"servicehall/internal/escpos"
	"servicehall/internal/escpos/escpostest"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// openPrintingKiosk opens a kiosk whose printer is a real escpos.Printer
// talking to a fake printer on loopback. Print jobs are held back until
// the test runs them, to show that the card never waits for the printer.
func openPrintingKiosk(t *testing.T, h *halltest.Hall, fake *escpostest.Printer) (*kiosk, *[]func()) {
	t.Helper()
	p, err := escpos.New(escpos.Config{Addr: fake.Addr, StatusTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSession(t, h)
	s.opt.Devices = Devices{
		Station:       "取号机1",
		PrinterTarget: p.String(),
		Print: func(ctx context.Context, j PrintJob) error {
			return p.Print(ctx, escpos.Ticket{Hall: j.Hall, Number: j.Number, Type: j.Type, Ahead: j.Ahead, Issued: j.Issued, Priority: j.Priority})
		},
	}
	k := newKiosk(s)
	timers := &custTimers{}
	var held []func()
	k.spawn, k.after = custInline, timers.after
	k.printer = func(f func()) { held = append(held, f) }
	w := k.window()
	t.Cleanup(w.Close)
	kioskReload(t, k)
	return k, &held
}

func runHeld(held *[]func()) {
	jobs := *held
	*held = nil
	for _, f := range jobs {
		f()
	}
}

func TestKioskPrintsTheTicketItShows(t *testing.T) {
	h := halltest.New(t, nil)
	fake := escpostest.Start(t, escpostest.Options{})
	k, held := openPrintingKiosk(t, h, fake)
	test.Tap(k.elderly)
	test.Tap(k.typeButton[demo.TypeFee])
	// The card is up before anything printed.
	if n, _, _ := kioskCardText(k); n != "A001" || k.view != kioskCard || len(*held) != 1 {
		t.Fatalf("card %q (view %d) with %d print jobs waiting; want A001 shown, one job held", n, k.view, len(*held))
	}
	runHeld(held)
	job := fake.WaitJob(t)
	lines := strings.Join(job.Lines(), "|")
	for _, want := range []string{"城关供电营业厅", "A001", "交纳电费", "【敬老优先】", "前面还有 0 人等候"} {
		if !strings.Contains(lines, want) {
			t.Errorf("printed %q, missing %q", lines, want)
		}
	}
	if k.cardPrinter.Visible() || k.printerBox.Visible() {
		t.Error("a printer fault is shown after a good print")
	}
	devs, err := h.Devices(context.Background())
	if err != nil || len(devs) != 1 || !devs[0].OK || devs[0].Station != "取号机1" || devs[0].Target != fake.Addr {
		t.Errorf("devices %+v, %v; want the kiosk's printer reported well", devs, err)
	}
}

func TestAPrinterFaultNeverCostsTheCustomerTheirPlace(t *testing.T) {
	h := halltest.New(t, nil)
	fake := escpostest.Start(t, escpostest.Options{Paper: escpostest.PaperOut})
	k, held := openPrintingKiosk(t, h, fake)
	test.Tap(k.typeButton[demo.TypeFee])
	runHeld(held)
	if n, _, _ := kioskCardText(k); n != "A001" || k.view != kioskCard {
		t.Fatalf("card %q, view %d: the ticket must stay on screen", n, k.view)
	}
	if got := custTextOf(k.cardPrinter); !k.cardPrinter.Visible() || got != "打印机缺纸，请记住您的号码" {
		t.Errorf("card's printer line %q (visible %v)", got, k.cardPrinter.Visible())
	}
	if !k.printerBox.Visible() || !strings.HasPrefix(custTextOf(k.printerLine), "打印机缺纸：") {
		t.Errorf("foot line %q (visible %v)", custTextOf(k.printerLine), k.printerBox.Visible())
	}
	// The ticket is in the queue.
	o, err := h.Overview(context.Background())
	if err != nil || o.Waiting != 1 {
		t.Errorf("waiting %d, %v; want the ticket in the queue", o.Waiting, err)
	}
	// The director learns of it.
	devs, _ := h.Devices(context.Background())
	if len(devs) != 1 || devs[0].OK || devs[0].Fault != "paper_out" || devs[0].Message != "打印机缺纸" {
		t.Errorf("devices %+v", devs)
	}
	f := &deviceFaults{s: newTestSession(t, h), label: widget.NewLabel("")}
	f.refresh(context.Background())
	if !f.label.Visible() || !strings.Contains(f.label.Text, "取号机1 的小票打印机：打印机缺纸") {
		t.Errorf("director's line %q (visible %v)", f.label.Text, f.label.Visible())
	}
	// The next customer's card starts clean; the foot line stays until a
	// ticket prints.
	test.Tap(k.cardDone)
	if k.cardPrinter.Visible() || !k.printerBox.Visible() {
		t.Error("after 完成: want the card's fault gone and the foot line kept")
	}
}

func TestAnUnreachablePrinterIsShownToo(t *testing.T) {
	h := halltest.New(t, nil)
	fake := escpostest.Start(t, escpostest.Options{})
	fake.Close() // nothing listens there any more
	k, held := openPrintingKiosk(t, h, fake)
	test.Tap(k.typeButton[demo.TypeConnect])
	runHeld(held)
	if got := custTextOf(k.cardPrinter); got != "打印机未连接，请记住您的号码" {
		t.Errorf("card's printer line %q", got)
	}
	if n, _, _ := kioskCardText(k); n != "B001" {
		t.Errorf("card number %q", n)
	}
}

func TestDeviceFaultText(t *testing.T) {
	loc := halltest.Shanghai(t)
	now := time.Date(2026, 11, 27, 11, 0, 0, 0, loc)
	devs := []hall.DeviceStatus{
		{Station: "取号机1", Kind: hall.DevicePrinter, Message: "打印机缺纸", At: time.Date(2026, 11, 27, 10, 32, 0, 0, loc)},
		{Station: "综合屏", Kind: hall.DeviceSpeaker, Message: "没有可用的声音设备，语音叫号无法播放", At: time.Date(2026, 11, 26, 16, 5, 0, 0, loc)},
		{Station: "取号机2", Kind: hall.DevicePrinter, OK: true},
	}
	want := "设备故障：取号机1 的小票打印机：打印机缺纸（10:32 起）；综合屏 的语音叫号：没有可用的声音设备，语音叫号无法播放（11月26日 16:05 起）"
	if got := deviceFaultText(devs, now); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := deviceFaultText(devs[2:], now); got != "" {
		t.Errorf("no faults: got %q", got)
	}
}

// The display speaks each call as its banner shows it, in the same order,
// and keeps the banner up while the voice speaks.
func TestDisplaySpeaksEachCallInTurn(t *testing.T) {
	h := halltest.New(t, nil)
	s := newTestSession(t, h)
	var spoken []string
	speech := 7 * time.Second // longer than the banner's own turn
	s.opt.Devices.Announce = func(number string, counter int, recall bool) time.Duration {
		spoken = append(spoken, fmt.Sprintf("%s→%d recall=%v", number, counter, recall))
		return speech
	}
	d := newDisplay(s)
	timers := &custTimers{}
	d.after = timers.after
	w := d.window()
	t.Cleanup(w.Close)
	displayCatchUp(t, d, true)

	custIssue(t, h, hall.Normal, demo.TypeFee, demo.TypeConnect)
	displayCalls(t, h, 1, 3)
	if _, err := h.Recall(context.Background(), h.At(1)); err != nil {
		t.Fatal(err)
	}
	displayCatchUp(t, d, false)
	want := []string{"A001→1 recall=false", "B001→3 recall=false", "A001→1 recall=true"}
	for i := range want {
		if len(spoken) != i+1 {
			t.Fatalf("after %d banners, %d calls spoken: %q", i+1, len(spoken), spoken)
		}
		if timers.fire(displayEach) {
			t.Fatal("the banner moved on while the voice was still speaking")
		}
		if !timers.fire(speech) {
			t.Fatalf("call %d: no pacing timer of the speech's length", i+1)
		}
	}
	if fmt.Sprint(spoken) != fmt.Sprint(want) {
		t.Errorf("spoken %q, want %q", spoken, want)
	}
}
