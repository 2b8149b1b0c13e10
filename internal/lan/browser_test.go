package lan_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// chromium finds Debian's browser; without it the test skips, or fails
// under CI=true, where the Makefile installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed: the browser test cannot run (make test installs it)")
	}
	t.Skip("chromium is not installed")
	return ""
}

// A TV's browser opens /display; once it has loaded, a ticket is called
// through the API and the page shows it.
func TestTheDisplayPageShowsACallLive(t *testing.T) {
	exe := chromium(t)
	h := halltest.New(t, nil)
	n := newNode(t, h)
	pc := n.pair(t, "1号窗口")

	actx, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.WindowSize(1280, 720))...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 60*time.Second)
	defer cancel()

	if err := chromedp.Do(bctx,
		chromedp.Navigate(n.web.URL+"/display"),
		chromedp.Poll[chromedp.Void]("document.body.dataset.ready === '1'", chromedp.WithPollingInterval(50*time.Millisecond)),
	); err != nil {
		t.Fatalf("load the page: %v", err)
	}
	title, err := chromedp.Run(bctx, chromedp.Text("#hall"))
	if err != nil || title != "城关供电营业厅" {
		t.Fatalf("hall name %q, %v", title, err)
	}
	if _, err := pc.Issue(context.Background(), demo.TypeFee, hall.Normal); err != nil {
		t.Fatal(err)
	}
	if _, err := pc.CallNext(context.Background(), h.At(1)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx,
		chromedp.Poll[chromedp.Void](`document.getElementById('banner-number').textContent === 'A001号'`, chromedp.WithPollingInterval(50*time.Millisecond)),
	); err != nil {
		t.Fatalf("the call did not show: %v", err)
	}
	counter, err := chromedp.Run(bctx, chromedp.Text("#banner-counter"))
	if err != nil || counter != "到1号窗口办理" {
		t.Fatalf("banner counter %q, %v", counter, err)
	}
	recent, err := chromedp.Run(bctx, chromedp.Text("#recent"))
	if err != nil || recent == "" {
		t.Fatalf("recent calls %q, %v", recent, err)
	}
	// A counter closed elsewhere turns grey with its state, by the state's
	// code rather than its label.
	if _, err := pc.SetCounterState(context.Background(), h.At(2), 2, hall.CounterClosed); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx,
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll('#counters li.closed')].map((li) => li.textContent).join('|') === '2号窗口'+'`+hall.CounterClosed.Label()+`'`, chromedp.WithPollingInterval(50*time.Millisecond)),
	); err != nil {
		t.Fatalf("the closed counter did not turn grey: %v", err)
	}
	if path := os.Getenv("SERVICEHALL_DISPLAY_SHOT"); path != "" {
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(90))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
