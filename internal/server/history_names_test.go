package server

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/seed"
)

// checkWho fails unless the cell names the account by its display name with the username in small print.
func checkWho(t *testing.T, what string, cell *goquery.Selection, display, username string) {
	t.Helper()
	if got := strings.TrimSpace(cell.Find(".who").Text()); got != display {
		t.Errorf("%s names %q, want the display name %q (cell %q)", what, got, display, cell.Text())
	}
	if got := strings.TrimSpace(cell.Find("small.username").Text()); got != username {
		t.Errorf("%s: username in small print %q, want %q", what, got, username)
	}
}

// Every history names people as the application and filing histories do: the record's 档案时间线, and a
// report's 提交人 and 版本记录.
func TestHistoriesNameTheDisplayName(t *testing.T) {
	a := newApp(t, nil)
	display := queryString(t, a, `SELECT display_name FROM accounts WHERE username = 'demo-community'`)
	community := a.signedIn("demo-community")

	res := community.post("/community/orgs", guidedForm(nil))
	if res.StatusCode != 303 {
		t.Fatalf("create: %d", res.StatusCode)
	}
	rows := community.get(res.Header.Get("Location")).doc(t).Find("#timeline tbody tr")
	checkWho(t, "the timeline", rows.Last().Find("td").Eq(1), display, "demo-community")

	res = community.postReportForm("/community/reports", reportForm(a.reportGroup(seed.CommunityDemo), "入户走访"), nil)
	reportIDFrom(t, res)
	doc := community.get(res.Header.Get("Location")).doc(t)
	checkWho(t, "the report's 提交人", doc.Find("#report-submitter"), display, "demo-community")
	checkWho(t, "the report's 版本记录", doc.Find("#history tbody tr").First().Find("td").Eq(2), display, "demo-community")
}
