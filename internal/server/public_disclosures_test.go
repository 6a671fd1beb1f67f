package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/seed"
)

// guidedOrg is the newest live guided group of the demo community.
func guidedOrg(t *testing.T, a *app) int64 {
	t.Helper()
	var id int64
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT max(id) FROM organizations WHERE community_code = $1
		AND tier = 'guided' AND status = 'normal'`, seed.CommunityDemo).Scan(&id); err != nil || id == 0 {
		t.Fatalf("no guided group: %v", err)
	}
	return id
}

// A 收支情况 with a bad amount, a future date and no title is refused at each field with what was typed kept and
// nothing written; the good one is published, shows on the public profile, and a correction with a stale
// version is 409 while the current one keeps the old revision public as superseded.
func TestDisclosureFormBadInputThenCorrection(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	org := guidedOrg(t, a)
	base := "/community/orgs/" + strconv.FormatInt(org, 10) + "/disclosures"
	if res := c.get(base + "/new?kind=finance"); res.StatusCode != http.StatusOK || res.doc(t).Find("#income-0").Length() != 1 {
		t.Fatalf("form: %d", res.StatusCode)
	}
	if res := c.get(base + "/new?kind=nonsense"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown kind: %d", res.StatusCode)
	}
	tomorrow := time.Now().In(beijing).AddDate(0, 0, 1).Format("2006-01-02")
	form := url.Values{"kind": {"finance"}, "title": {""}, "disclosed_on": {tomorrow}, "income-0": {"12,00.5.0"},
		"spending-0": {"800"}, "body": {"物资采购"}}
	before := a.count(`SELECT count(*) FROM org_disclosures`)
	res := c.post(base, form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", res.StatusCode)
	}
	for field, want := range map[string]string{"title": "请填写标题", "disclosed_on": "不能晚于今天", "income-0": "会费应为"} {
		if got := fieldMsg(t, res, field); !strings.Contains(got, want) {
			t.Errorf("%s: message %q, want %q", field, got, want)
		}
	}
	doc := res.doc(t)
	if v, _ := doc.Find("#income-0").Attr("value"); v != "12,00.5.0" {
		t.Errorf("amount not kept: %q", v)
	}
	if v, _ := doc.Find("#spending-0").Attr("value"); v != "800" {
		t.Errorf("spending not kept: %q", v)
	}
	// No amount at all is refused at the table.
	empty := url.Values{"kind": {"finance"}, "title": {"2025年度收支情况"}, "disclosed_on": {"2025-12-31"}}
	if res := c.post(base, empty); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find("#lines .msg").Text(), "至少填写一项") {
		t.Fatalf("no lines: %d", res.StatusCode)
	}
	// One amount typed, unreadable: its own message, not "请至少填写一项".
	oneBad := url.Values{"kind": {"finance"}, "title": {"2025年度收支情况"}, "disclosed_on": {"2025-12-31"}, "income-0": {"abc"}}
	res = c.post(base, oneBad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldMsg(t, res, "income-0"), "会费应为") ||
		strings.Contains(res.doc(t).Find("#lines").Text(), "至少填写一项") {
		t.Fatalf("one unreadable amount: %d %q", res.StatusCode, res.doc(t).Find("#lines").Text())
	}
	if a.count(`SELECT count(*) FROM org_disclosures`) != before {
		t.Fatal("a refused disclosure was written")
	}
	// A committee has no form for a group of another tier: the town's filed group is 404.
	var filed int64
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT max(id) FROM organizations WHERE community_code = $1 AND tier = 'filed'`, seed.CommunityDemo).Scan(&filed)
	if res := c.post("/community/orgs/"+strconv.FormatInt(filed, 10)+"/disclosures", empty); res.StatusCode != http.StatusNotFound {
		t.Fatalf("committee for a filed group: %d", res.StatusCode)
	}

	good := url.Values{"kind": {"finance"}, "title": {"2025年度收支情况（测试）"}, "disclosed_on": {"2025-12-31"},
		"income-0": {"1200"}, "spending-0": {"800.50"}}
	if res := c.post(base, good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("good form: %d %s", res.StatusCode, res.Body)
	}
	var id int64
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT max(id) FROM org_disclosures WHERE org_id = $1`, org).Scan(&id)
	correct := "/community/disclosures/" + strconv.FormatInt(id, 10) + "/correct"
	page := c.get(correct)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("correction form: %d", page.StatusCode)
	}
	if v, _ := page.doc(t).Find("#spending-0").Attr("value"); v != "800.50" {
		t.Fatalf("correction form not filled: %q", v)
	}
	fixed := url.Values{"kind": {"finance"}, "title": {"2025年度收支情况（测试）"}, "disclosed_on": {"2025-12-31"},
		"income-0": {"1200"}, "spending-0": {"950"}, "reason": {"活动支出漏记 149.5 元"}}
	for _, v := range []string{"", "7"} {
		stale := url.Values{}
		for k, x := range fixed {
			stale[k] = x
		}
		if v != "" {
			stale.Set("version", v)
		}
		if res := c.post(correct, stale); res.StatusCode != http.StatusConflict {
			t.Fatalf("version %q: %d", v, res.StatusCode)
		}
	}
	fixed.Set("version", "1")
	noReason := url.Values{}
	for k, x := range fixed {
		noReason[k] = x
	}
	noReason.Set("reason", "")
	if res := c.post(correct, noReason); res.StatusCode != http.StatusUnprocessableEntity || fieldMsg(t, res, "reason") == "" {
		t.Fatalf("no reason: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM org_disclosures`) != before+1 {
		t.Fatal("a refused correction was written")
	}
	if res := c.post(correct, fixed); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correction: %d", res.StatusCode)
	}
	profile := a.client().get("/orgs/" + strconv.FormatInt(org, 10))
	text := profile.doc(t).Find("#disclosures").Text()
	for _, want := range []string{"950.00 元", "800.50 元", "已更正", "活动支出漏记 149.5 元"} {
		if !strings.Contains(text, want) {
			t.Errorf("profile lacks %q", want)
		}
	}
	// The record's page links to the disclosures, and a town sees them read-only.
	rec := c.get("/community/orgs/" + strconv.FormatInt(org, 10))
	if href, _ := rec.doc(t).Find("#disclosures-link").Attr("href"); href != base {
		t.Fatalf("record link %q", href)
	}
	town := a.signedIn("demo-town").get("/town/orgs/" + strconv.FormatInt(org, 10) + "/disclosures")
	if town.StatusCode != http.StatusOK || town.doc(t).Find("#disclosure-new").Length() != 0 || !strings.Contains(town.Body, "950.00 元") {
		t.Fatalf("town's view: %d", town.StatusCode)
	}
}
