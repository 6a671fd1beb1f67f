// Browser test helpers: one headless Debian Chromium per test, and a tab in its own browser context (its own
// cookie jar) for each person in the test.
package server

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// browserTimeout bounds everything one browser test does, Chromium's start included.
const browserTimeout = 60 * time.Second

// chromiumPath finds Debian's Chromium. A browser test never skips: without Chromium it fails and says how to
// install it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	t.Fatal("browser tests need Debian's Chromium and CJK fonts: apt-get install chromium fonts-noto-cjk")
	return ""
}

// browser is one headless Chromium serving one test's portal.
type browser struct {
	t   *testing.T
	app *app
	ctx context.Context // the browser's first tab; browserTimeout bounds it and everything made from it
}

// newBrowser starts Chromium for a, stopped when the test ends.
func newBrowser(t *testing.T, a *app) *browser {
	t.Helper()
	return newBrowserWithin(t, a, browserTimeout)
}

// newBrowserWithin is newBrowser for a test whose work grows with the portal, such as the link crawl that opens
// every page of a tier: limit bounds everything it does.
func newBrowserWithin(t *testing.T, a *app, limit time.Duration) *browser {
	t.Helper()
	exe := chromiumPath(t)
	profile := t.TempDir() // made first, so that it is removed after Chromium has stopped
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc(); cancel() })
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v (apt-get install chromium fonts-noto-cjk)", exe, err)
	}
	return &browser{t: t, app: a, ctx: bctx}
}

// tab is one person at the browser: a tab in a browser context of its own, so it shares no cookies with the
// other tabs. It answers the confirm() dialogs of data-confirm forms as told and remembers their messages.
type tab struct {
	t   *testing.T
	b   *browser
	ctx context.Context

	dismiss atomic.Bool // answer the next dialogs with 取消 rather than 确定
	mu      sync.Mutex
	dialogs []string
}

// newTab opens a tab for t, which may be a subtest of the browser's test; the tab closes when t ends.
func (b *browser) newTab(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	tb := &tab{t: t, b: b, ctx: ctx}
	// A dialog blocks the click that opened it, so another goroutine answers it.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.dialogs = append(tb.dialogs, ev.Message)
			tb.mu.Unlock()
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog,
				page.HandleJavaScriptDialogParams{Accept: !tb.dismiss.Load()})
		}
	}()
	return tb
}

// dialogMessages are the messages of the dialogs the page has opened so far.
func (tb *tab) dialogMessages() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.dialogs...)
}

// open loads path and returns the response of the page it ends on, after any redirects.
func (tb *tab) open(path string) *network.Response {
	tb.t.Helper()
	res, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.b.app.srv.URL+path))
	if err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
	tb.checkAxe() // a public page must pass axe-core (public_axe_test.go)
	return res
}

// click clicks the element sel, waits for the page it leads to, and returns that page's response.
func (tb *tab) click(sel string) *network.Response {
	tb.t.Helper()
	res, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("click %s: %v", sel, err)
	}
	if res == nil {
		tb.t.Fatalf("click %s: no page loaded", sel)
	}
	tb.checkAxe() // a public page must pass axe-core (public_axe_test.go)
	return res
}

// fill replaces the content of the input sel with text, typed key by key.
func (tb *tab) fill(sel, text string) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		tb.t.Fatalf("typing into %s: %v", sel, err)
	}
}

// js evaluates a JavaScript expression in the page.
func js[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func quoteJS(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// text is the rendered text of the first element matching sel, or "" when there is none; it does not wait.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return js[string](tb, `(e => e ? e.innerText : "")(document.querySelector(`+quoteJS(sel)+`))`)
}

// count is how many elements match sel now.
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	return js[int](tb, `document.querySelectorAll(`+quoteJS(sel)+`).length`)
}

// value is the current value of the form control sel.
func (tb *tab) value(sel string) string {
	tb.t.Helper()
	return js[string](tb, `document.querySelector(`+quoteJS(sel)+`).value`)
}

// url is the address of the page the tab shows.
func (tb *tab) url() *url.URL {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		tb.t.Fatal(err)
	}
	return u
}

// signIn fills in and submits the login form, and returns the response of the page it ends on.
func (tb *tab) signIn(username, password string) *network.Response {
	tb.t.Helper()
	if res := tb.open("/login"); res.Status != 200 {
		tb.t.Fatalf("GET /login: status %d", res.Status)
	}
	tb.fill("#username", username)
	tb.fill("#password", password)
	return tb.click(`form[action="/login"] button[type=submit]`)
}

// screenshot saves a full-page PNG of the current page outside the repository, for a person to look at.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join(os.TempDir(), "portal-screens")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot: %s", p)
}
