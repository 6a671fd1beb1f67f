package server

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
)

// A filed group's record and its filing know each other: the town reads the filing, prints the 备案证明 and
// starts a 变更/注销备案 from the record; the district reads them without the buttons; a committee, which sees no
// filings, sees neither. Every tier sees the latest 评估评议 and the link to the evaluations.
func TestFiledRecordLinksItsFiling(t *testing.T) {
	a := newApp(t, nil)
	org := a.orgIn(seed.CommunityDemo, "filed")
	sid := strconv.FormatInt(org, 10)
	var filing int64
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT id FROM filings WHERE org_id = $1 AND kind = 'establish'
		AND status = 'approved' AND verify_token IS NOT NULL`, org).Scan(&filing); err != nil {
		t.Fatalf("the demo's filed group %d has no approved 成立备案: %v", org, err)
	}
	fid := strconv.FormatInt(filing, 10)

	town := a.signedIn("demo-town")
	doc := town.get("/town/orgs/" + sid).doc(t)
	if href, _ := doc.Find(`#org-filings a[href="/town/filings/` + fid + `"]`).Attr("href"); href == "" {
		t.Errorf("the town's record does not link its filing %s", fid)
	}
	cert, _ := doc.Find("#certificate-link").Attr("href")
	if cert != "/town/filings/"+fid+"/certificate" {
		t.Errorf("certificate link = %q", cert)
	}
	if res := town.get(cert); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "备案证明") {
		t.Errorf("GET %s: %d", cert, res.StatusCode)
	}
	for id, want := range map[string]string{"#change-filing-link": "/town/filings/new-change?org=" + sid,
		"#cancel-filing-link": "/town/filings/new-cancel?org=" + sid} {
		href, _ := doc.Find(id).Attr("href")
		if href != want {
			t.Errorf("%s = %q, want %q", id, href, want)
			continue
		}
		if res := town.get(href); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", href, res.StatusCode)
		}
	}
	// The filing links back to the record.
	if res := town.get("/town/filings/" + fid); !strings.Contains(res.Body, `href="/town/orgs/`+sid+`"`) {
		t.Errorf("the filing does not link the record /town/orgs/%s", sid)
	}
	// 备案管理 lists the demo's filings.
	if n := town.get("/town/filings").doc(t).Find(`a[href^="/town/filings/"]`).Length(); n == 0 {
		t.Error("the town's 备案管理 lists no filing")
	}
	if ev, _ := doc.Find("#evaluations-link").Attr("href"); ev != "/town/orgs/"+sid+"/evaluations" {
		t.Errorf("evaluations link = %q", ev)
	}

	district := a.signedIn("demo-district")
	doc = district.get("/district/orgs/" + sid).doc(t)
	if doc.Find(`#org-filings a[href="/district/filings/`+fid+`"]`).Length() != 1 ||
		doc.Find("#certificate-link").Length() != 1 {
		t.Error("the district's record does not link the filing and its certificate")
	}
	if doc.Find("#change-filing-link, #cancel-filing-link").Length() != 0 {
		t.Error("the district is offered a 变更/注销备案, which towns file")
	}

	community := a.signedIn("demo-community")
	doc = community.get("/community/orgs/" + sid).doc(t)
	if doc.Find("#org-filings").Length() != 0 {
		t.Error("a committee, which sees no filings, is shown the filing section")
	}
	if ev, _ := doc.Find("#evaluations-link").Attr("href"); ev != "/community/orgs/"+sid+"/evaluations" {
		t.Errorf("committee's evaluations link = %q", ev)
	}
}

// While a 变更备案 is open, the record offers no second one.
func TestFiledRecordHidesFilingWhileOneIsOpen(t *testing.T) {
	a := newApp(t, nil)
	org := a.orgIn(seed.CommunityDemo, "filed")
	sid := strconv.FormatInt(org, 10)
	town := a.signedIn("demo-town")
	res := town.post("/town/filings/new-cancel?org="+sid, map[string][]string{"cancel_on": {"2021-07-01"},
		"reason": {"成员协商一致解散"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("注销备案: %d\n%s", res.StatusCode, res.Body)
	}
	doc := town.get("/town/orgs/" + sid).doc(t)
	if doc.Find("#change-filing-link, #cancel-filing-link").Length() != 0 {
		t.Error("the record offers a 变更/注销备案 while one is open")
	}
	if doc.Find(`#org-filings .status.warn`).Length() != 1 {
		t.Error("the open 注销备案 is not listed as 待审核")
	}
}
