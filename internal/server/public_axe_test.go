package server

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axe-core (from the npm registry, installed into tools/axe by `npm ci --prefix tools/axe`, which .ci/run does)
// checks every public page the browser tests open: a serious or critical violation fails the test.
var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axeScript is axe-core's source, read once.
func axeScript(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		var b []byte
		b, axeErr = os.ReadFile(filepath.Join("..", "..", "tools", "axe", "node_modules", "axe-core", "axe.min.js"))
		axeSource = string(b)
	})
	if axeErr != nil {
		t.Fatalf("axe-core is not installed (run: npm ci --prefix tools/axe): %v", axeErr)
	}
	return axeSource
}

// isPublicPath reports whether path is a page of the public side, which must pass axe-core.
func isPublicPath(path string) bool {
	if path == "/" {
		return true
	}
	for _, p := range []string{"/orgs", "/divisions/", "/verify", "/open-data"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// checkAxe runs axe-core on the page the tab shows when it is a public page, and fails the test on every
// serious or critical violation, naming the rule and the elements.
func (tb *tab) checkAxe() {
	tb.t.Helper()
	u := tb.url()
	if !isPublicPath(u.Path) {
		return
	}
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`typeof axe !== "undefined" || (function(){`+axeScript(tb.t)+`;return true})()`)); err != nil {
		tb.t.Fatalf("injecting axe-core into %s: %v", u.Path, err)
	}
	found, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
			.map(v => v.impact + " " + v.id + "（" + v.help + "）: " + v.nodes.slice(0, 5).map(n => n.target.join(" ")).join(", ")))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("running axe-core on %s: %v", u.Path, err)
	}
	for _, v := range found {
		tb.t.Errorf("axe-core on %s: %s", u.RequestURI(), v)
	}
}
