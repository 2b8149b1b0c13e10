package lan_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"servicehall/internal/demo"
	"servicehall/internal/hall"
	"servicehall/internal/halltest"
)

// pageSizes reads the rendered font size of each of the display page's
// texts, by element, and whether the page fits the window: everything
// shown lies within it, and each list shows at least one row.
const pageSizes = `(() => {
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const out = {};
  const pick = (name, sel) => { const el = document.querySelector(sel); if (el) out[name] = px(el); };
  pick("hall", "#hall"); pick("clock", "#clock"); pick("line", "#banner-line");
  pick("number", "#banner-number"); pick("counter", "#banner-counter");
  pick("title", "h2"); pick("counters", "#counters li span"); pick("recent", "#recent li span");
  pick("notice", "#notices div"); pick("waiting", "footer .type"); pick("count", "footer .type b");
  const shown = (el) => el.offsetParent !== null && getComputedStyle(el).visibility !== "hidden";
  const inside = (el) => { const r = el.getBoundingClientRect(); return r.bottom <= window.innerHeight + 1 && r.right <= window.innerWidth + 1; };
  const parts = ["header", "#notices", "#banner", "footer", "#banner-number", "#banner-counter"].map((s) => document.querySelector(s));
  const rows = [...document.querySelectorAll("#counters li, #recent li")].filter(shown);
  out.outside = [...parts, ...rows].filter((el) => !inside(el)).map((el) => el.id || el.tagName + ":" + el.textContent);
  out.fits = out.outside.length === 0 && document.documentElement.scrollWidth <= window.innerWidth + 1;
  out.countersShown = [...document.querySelectorAll("#counters li")].filter(shown).length;
  out.recentShown = [...document.querySelectorAll("#recent li")].filter(shown).length;
  out.elder = document.body.classList.contains("elder");
  return out;
})()`

// /display?elder=1 is the page's 长者模式: every text at least 1.4 times
// its standard size, fewer recent calls, and the page still fits a
// 1280×800 and a 1920×1080 screen. F2 switches it, and ?elder=0 back.
func TestTheDisplayPageHasAnElderMode(t *testing.T) {
	exe := chromium(t)
	ctx := context.Background()
	h := halltest.New(t, nil)
	if _, err := h.PostNotice(ctx, h.At(0), hall.NoticeInput{Kind: hall.NoticeOutage, Text: "东街片区今日14:00至16:00计划停电", Until: h.Clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := h.Issue(ctx, demo.TypeFee, hall.Normal); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []int{1, 2, 1, 2, 1} {
		if _, err := h.Recall(ctx, h.At(n)); err == nil {
			continue
		}
		if _, err := h.CallNext(ctx, h.At(n)); err != nil {
			t.Fatal(err)
		}
	}
	// announce makes a call for the banner, once the page is listening.
	announce := func() {
		t.Helper()
		if _, err := h.Recall(ctx, h.At(3)); err == nil {
			return
		}
		if _, err := h.Issue(ctx, demo.TypeConnect, hall.Normal); err != nil {
			t.Fatal(err)
		}
		if _, err := h.CallNext(ctx, h.At(3)); err != nil {
			t.Fatal(err)
		}
	}
	n := newNode(t, h)
	for _, size := range [][2]int{{1280, 800}, {1920, 1080}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			actx, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
				chromedp.ExecPath(exe), chromedp.WindowSize(size[0], size[1]))...)
			defer cancel()
			bctx, cancel := chromedp.NewContext(actx)
			defer cancel()
			bctx, cancel = context.WithTimeout(bctx, 60*time.Second)
			defer cancel()
			read := func(url string) map[string]any {
				t.Helper()
				if err := chromedp.Do(bctx,
					chromedp.Navigate(url),
					chromedp.Poll[chromedp.Void]("document.body.dataset.ready === '1' && document.querySelectorAll('#recent li').length > 0", chromedp.WithPollingInterval(50*time.Millisecond)),
				); err != nil {
					t.Fatalf("load %s: %v", url, err)
				}
				// A call on the banner: the page at its fullest.
				announce()
				if err := chromedp.Do(bctx,
					chromedp.Poll[chromedp.Void]("document.getElementById('banner-number').textContent !== '' && document.getElementById('banner').className !== 'rest'", chromedp.WithPollingInterval(50*time.Millisecond)),
				); err != nil {
					t.Fatalf("the call did not show on %s: %v", url, err)
				}
				got, err := chromedp.Run(bctx, chromedp.Evaluate[map[string]any](pageSizes))
				if err != nil {
					t.Fatalf("read %s: %v", url, err)
				}
				return got
			}
			std := read(n.web.URL + "/display?elder=0")
			large := read(n.web.URL + "/display?elder=1")
			if std["elder"] != false || large["elder"] != true {
				t.Fatalf("elder class: %v with ?elder=0, %v with ?elder=1", std["elder"], large["elder"])
			}
			for _, k := range []string{"hall", "clock", "line", "number", "counter", "title", "counters", "recent", "notice", "waiting", "count"} {
				a, _ := std[k].(float64)
				b, _ := large[k].(float64)
				if a == 0 || b < 1.4*a-0.01 {
					t.Errorf("%s: %.1fpx in elder mode, %.1fpx standard: want at least 1.4×", k, b, a)
				}
			}
			if large["fits"] != true || std["fits"] != true {
				t.Errorf("the page overflows the window: standard %v, elder %v", std["outside"], large["outside"])
			}
			for _, m := range []map[string]any{std, large} {
				if c, r := m["countersShown"].(float64), m["recentShown"].(float64); c < 2 || r < 2 {
					t.Errorf("elder %v: %v counters and %v recent calls shown, want at least 2 of each", m["elder"], c, r)
				}
			}
			if path := os.Getenv("SERVICEHALL_DISPLAY_ELDER_SHOT"); path != "" && size[0] == 1280 {
				png, err := chromedp.Run(bctx, chromedp.FullScreenshot(90))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			// F2 switches it; the browser keeps the choice for the next load.
			f2 := func() bool {
				t.Helper()
				on, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`document.dispatchEvent(new KeyboardEvent("keydown", {key: "F2"})); document.body.classList.contains("elder")`))
				if err != nil {
					t.Fatal(err)
				}
				return on
			}
			if f2() {
				t.Error("F2 left elder mode on")
			}
			if read(n.web.URL + "/display")["elder"] != false {
				t.Error("elder mode came back after F2 turned it off")
			}
			if !f2() || read(n.web.URL + "/display")["elder"] != true {
				t.Error("F2 did not turn elder mode on for the next load")
			}
		})
	}
}
