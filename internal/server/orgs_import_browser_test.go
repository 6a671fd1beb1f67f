package server

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/ledger"
)

// settle waits for the page in tb (which may be reloading itself) to show want at sel, and fails after wait.
func (tb *tab) settle(sel, want string, wait time.Duration) {
	tb.t.Helper()
	expr := `(e => e ? e.innerText : "")(document.querySelector(` + quoteJS(sel) + `))`
	got := ""
	for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		// A page caught reloading has no document to ask; the next round asks the new one.
		if s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](expr)); err == nil {
			if got = s; strings.Contains(got, want) {
				return
			}
		}
	}
	tb.t.Fatalf("%s shows %q after %v, want %q; the page says %q", sel, got, wait, want, tb.text("main"))
}

// A town officer imports a 台账 in Chromium: a running job's page follows the job by itself, without script
// and without a click; the upload goes to the check's page, the confirmation to the import's, and the finished
// import links to the list.
func TestBrowserTownImportsALedgerWatchingItsProgress(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	tb := flowSignIn(t, b, "demo-town", "town")
	ctx := context.Background()

	id := townJob(t, a.db, 100000)
	if err := a.db.StartImportJob(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := a.db.ImportJobProgress(ctx, id, 30000); err != nil {
		t.Fatal(err)
	}
	tb.open("/town/orgs/import/jobs/" + id)
	tb.settle("#job-rows", "已检查 30,000 / 100,000 行", time.Second)
	if err := a.db.ImportJobProgress(ctx, id, 60000); err != nil {
		t.Fatal(err)
	}
	tb.settle("#job-rows", "已检查 60,000 / 100,000 行", 8*time.Second)
	bar := js[int](tb, `document.querySelector("#job-progress progress").value`)
	if got := tb.text("#job-percent"); got != "（60%）" || bar != 60000 {
		t.Errorf("after reloading itself: %q, bar at %d", got, bar)
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "双龙湖街道台账.xlsx")
	data := ledgerFile(t, ledger.Columns(true), [][]string{ledgerRow("浏览甲", nil), ledgerRow("浏览乙", nil)}, nil)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	tb.open("/town/orgs/import")
	tb.upload("#file", file)
	tb.click(`form[enctype="multipart/form-data"] button[type=submit]`)
	job := tb.url().Path
	if !regexp.MustCompile(`^/town/orgs/import/jobs/[0-9a-f]{32}$`).MatchString(job) {
		t.Fatalf("after the upload: at %s, the page says %q", job, tb.text("main"))
	}
	tb.settle("#import-count", "将导入 2 个组织", 15*time.Second)
	if got := tb.text("#job-status"); !strings.Contains(got, "双龙湖街道台账.xlsx") || !strings.Contains(got, "待确认") {
		t.Errorf("job status %q", got)
	}
	before := a.count(`SELECT count(*) FROM organizations`)
	tb.click("#confirm-import")
	if tb.url().Path != job {
		t.Fatalf("after confirming: at %s", tb.url().Path)
	}
	if msgs := tb.dialogMessages(); len(msgs) != 1 || !strings.Contains(msgs[0], "确定导入这 2 个组织吗") {
		t.Errorf("confirmation dialogs %q", msgs)
	}
	tb.settle("#job-result", "已导入 2 个组织", 15*time.Second)
	if a.count(`SELECT count(*) FROM organizations`) != before+2 {
		t.Error("the import did not create the two groups")
	}
	tb.click("#job-list-link")
	if tb.url().Path != "/town/orgs" {
		t.Errorf("list link went to %s", tb.url().Path)
	}
}
