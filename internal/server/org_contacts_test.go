package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/seed"
)

// TestOrgContact: a committee gives its group a 联系人 (bad input is 422 at the field with the input kept and
// nothing written; a missing or stale token is 409), changes it (the earlier one is kept), the tiers above read it
// with the phone masked, and the list of groups without a 联系人 loses the group.
func TestOrgContact(t *testing.T) {
	a := newApp(t, nil)
	org := strconv.Itoa(a.count(`SELECT o.id FROM organizations o JOIN accounts a ON a.division_code = o.community_code
		WHERE a.username = 'demo-community' AND o.tier = 'guided' AND o.status = 'normal'
		  AND NOT EXISTS (SELECT 1 FROM org_contacts c WHERE c.org_id = o.id) ORDER BY o.id LIMIT 1`))
	writes := func() int {
		return a.count(`SELECT (SELECT count(*) FROM org_contacts WHERE org_id = $1) + (SELECT count(*) FROM org_events WHERE org_id = $1)`, org)
	}
	community := a.signedIn("demo-community")
	record := "/community/orgs/" + org
	d := community.get(record).doc(t)
	if d.Find("#no-contact").Length() != 1 {
		t.Fatal("the record does not say the group has no 联系人")
	}
	href, _ := d.Find("#set-contact").Attr("href")
	if href != record+"/contact" {
		t.Fatalf("the record links %q to set the 联系人", href)
	}
	list := community.get("/community/orgs/without-contact").doc(t)
	if list.Find(`#orgs-without-contact a[href="`+record+`"]`).Length() != 1 {
		t.Fatal("the group is not on the list of groups without a 联系人")
	}
	form := community.get(href).doc(t)
	token, _ := form.Find(`#contact-form input[name="current"]`).Attr("value")
	if token != "0" {
		t.Fatalf("the form's token is %q, want 0", token)
	}

	before := writes()
	bad := url.Values{"current": {"0"}, "contact_name": {"王小红"}, "contact_kind": {"居民"}, "contact_unit": {""},
		"contact_phone": {"12345"}, "contact_from": {"2099-01-01"}}
	res := community.post(href, bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d, want 422", res.StatusCode)
	}
	d = res.doc(t)
	for field, want := range map[string]string{"contact_kind": "类别", "contact_unit": "单位", "contact_phone": "电话", "contact_from": "晚于今天"} {
		if msg := d.Find(`[data-field="` + field + `"] .msg`).Text(); !strings.Contains(msg, want) {
			t.Errorf("%s: message %q, want it to say %q", field, msg, want)
		}
	}
	if v, _ := d.Find("#contact_name").Attr("value"); v != "王小红" {
		t.Errorf("the name is not kept: %q", v)
	}
	if v, _ := d.Find("#contact_phone").Attr("value"); v != "12345" {
		t.Errorf("the phone is not kept: %q", v)
	}
	if writes() != before {
		t.Fatal("a refused 联系人 wrote something")
	}

	good := url.Values{"contact_name": {"王小红"}, "contact_kind": {"社区工作人员"}, "contact_unit": {"社区居委会 社区专干"},
		"contact_phone": {"13912345678"}, "contact_from": {"2026-01-05"}}
	if res := community.post(href, good); res.StatusCode != http.StatusConflict {
		t.Fatalf("no token: %d, want 409", res.StatusCode)
	}
	good.Set("current", "0")
	if res := community.post(href, good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("setting the 联系人: %d", res.StatusCode)
	}
	if res := community.post(href, good); res.StatusCode != http.StatusConflict {
		t.Fatalf("the same form posted again: %d, want 409", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM org_contacts WHERE org_id = $1`, org); n != 1 {
		t.Fatalf("%d 联系人 rows after a double post, want 1", n)
	}

	// the tiers above read it, phone masked; the district does not set it; another town does not see it
	for _, c := range []struct{ user, path string }{{"demo-town", "/town/orgs/" + org}, {"demo-district", "/district/orgs/" + org}} {
		res := a.signedIn(c.user).get(c.path)
		d := res.doc(t)
		if got := d.Find("#contact-name").Text(); got != "王小红" {
			t.Errorf("%s reads the 联系人 %q", c.user, got)
		}
		if got := d.Find("#contact-phone").Text(); got != "139****5678" || strings.Contains(res.Body, "13912345678") {
			t.Errorf("%s reads the phone %q (and the full number: %v)", c.user, got, strings.Contains(res.Body, "13912345678"))
		}
		if c.user == "demo-district" && d.Find("#set-contact").Length() != 0 {
			t.Error("the district is offered to set the 联系人")
		}
	}
	town2 := a.signedIn("demo-town2")
	for _, res := range []response{town2.get("/town/orgs/" + org + "/contact"), town2.post("/town/orgs/"+org+"/contact", good)} {
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("another town: %d, want 404", res.StatusCode)
		}
	}
	if strings.Contains(community.get("/community/orgs/without-contact").Body, `href="`+record+`"`) {
		t.Error("the group is still on the list of groups without a 联系人")
	}

	// a change: starting before the current one is 422; a proper change keeps the earlier one
	token, _ = community.get(href).doc(t).Find(`#contact-form input[name="current"]`).Attr("value")
	change := url.Values{"current": {token}, "contact_name": {"刘强"}, "contact_kind": {"社会工作者"}, "contact_unit": {"社会工作室"},
		"contact_phone": {"023-67891234"}, "contact_from": {"2025-12-01"}}
	res = community.post(href, change)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="contact_from"] .msg`).Text(), "现任") {
		t.Fatalf("a change starting before the current one: %d", res.StatusCode)
	}
	change.Set("contact_from", "2026-02-01")
	if res := community.post(href, change); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("changing the 联系人: %d", res.StatusCode)
	}
	d = community.get(record).doc(t)
	if d.Find("#contact-name").Text() != "刘强" || d.Find("#earlier-contacts tbody tr").Length() != 1 ||
		!strings.Contains(d.Find("#earlier-contacts").Text(), "2026年1月5日 至 2026年2月1日") {
		t.Fatalf("after the change the record shows %q / %q", d.Find("#contact-name").Text(), d.Find("#earlier-contacts").Text())
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.contact' AND object_id = $1`, org); n != 2 {
		t.Errorf("%d audit rows, want 2", n)
	}
	if n := a.count(`SELECT count(*) FROM org_events WHERE kind = '联系人' AND org_id = $1`, org); n != 2 {
		t.Errorf("%d timeline rows, want 2", n)
	}
}

// TestOrgContactReveal: a 联系人's phone is masked on the record; the tiers that reveal the group's leader reveal
// it the same way — a POST with a reason (none is 422 at the field, no audit row), shown once, one audit row with
// the reason — while a committee has no such form and another town gets 404.
func TestOrgContactReveal(t *testing.T) {
	a := newApp(t, nil)
	// the demo committee gives one of its groups a 联系人
	org := strconv.Itoa(a.count(`SELECT o.id FROM organizations o JOIN accounts a ON a.division_code = o.community_code
		WHERE a.username = 'demo-community' AND o.status = 'normal'
		  AND NOT EXISTS (SELECT 1 FROM org_contacts c WHERE c.org_id = o.id) ORDER BY o.id LIMIT 1`))
	community := a.signedIn("demo-community")
	if res := community.post("/community/orgs/"+org+"/contact", url.Values{"current": {"0"}, "contact_name": {"王小红"},
		"contact_kind": {"社区工作人员"}, "contact_unit": {"社区居委会 社区专干"}, "contact_phone": {"13912345678"},
		"contact_from": {"2026-01-05"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("setting the 联系人: %d", res.StatusCode)
	}
	reveals := func() int { return a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.contact.reveal'`) }
	town := a.signedIn("demo-town")
	record := "/town/orgs/" + org
	d := town.get(record).doc(t)
	masked := d.Find("#contact-phone").Text()
	if !strings.Contains(masked, "*") {
		t.Fatalf("the 联系人's phone is shown as %q, not masked", masked)
	}
	action, ok := d.Find("#contact-reveal").Attr("action")
	if !ok || action != record+"/contact/reveal" || d.Find("#reveal").Length() != 1 {
		t.Fatalf("the town's record offers the 联系人's reveal at %q (leader's reveal shown: %v)", action, d.Find("#reveal").Length() == 1)
	}
	res := town.post(action, url.Values{"reason": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-field="contact_reveal_reason"] .msg`).Text() == "" {
		t.Fatalf("a reveal without a reason: %d", res.StatusCode)
	}
	if reveals() != 0 {
		t.Fatal("a refused reveal was audited")
	}
	res = town.post(action, url.Values{"reason": {"联系核实组织活动情况"}})
	full := res.doc(t).Find("#contact-phone-full").Text()
	if res.StatusCode != http.StatusOK || full == "" || strings.Contains(full, "*") || rules.MaskPhone(full) != masked {
		t.Fatalf("the reveal: %d, phone %q (masked %q)", res.StatusCode, full, masked)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.contact.reveal' AND object_id = $1
		AND detail LIKE '%联系核实组织活动情况'`, org); n != 1 {
		t.Errorf("%d audit rows of the reveal, want 1", n)
	}
	if strings.Contains(town.get(record).Body, full) {
		t.Error("the full phone is shown again after the reveal")
	}
	if full != "13912345678" {
		t.Errorf("revealed %q, want the phone the committee typed", full)
	}
	// a committee reads masks only; another town does not see the group
	if cd := community.get("/community/orgs/" + org).doc(t); cd.Find("#contact-phone").Text() != masked || cd.Find("#contact-reveal").Length() != 0 {
		t.Error("the committee is offered the reveal")
	}
	if res := community.post("/community/orgs/"+org+"/contact/reveal", url.Values{"reason": {"核实"}}); res.StatusCode < 400 {
		t.Errorf("a committee's reveal: %d", res.StatusCode)
	}
	if res := a.signedIn("demo-town2").post(action, url.Values{"reason": {"核实"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town's reveal: %d, want 404", res.StatusCode)
	}
	if reveals() != 1 {
		t.Errorf("%d reveals audited, want 1", reveals())
	}
}

// TestOrgsWithoutContactExport: the list of groups without a 联系人 downloads from its page as a titled xlsx
// holding every such group of the jurisdiction (a recount), in the page's order, and the export is audited.
func TestOrgsWithoutContactExport(t *testing.T) {
	a := newApp(t, nil)
	for _, c := range []struct{ user, tier, division string }{{"demo-town", "town", seed.TownShuanglonghu},
		{"demo-community", "community", seed.CommunityDemo}} {
		client := a.signedIn(c.user)
		page := client.get("/" + c.tier + "/orgs/without-contact").doc(t)
		href, ok := page.Find("#without-contact-xlsx").Attr("href")
		if !ok {
			t.Fatalf("%s: no export link", c.user)
		}
		rows := titleRows(t, xlsxRows(t, client.get(href), "未配备联系人"), "未配备联系人的组织")
		if strings.Join(rows[0], ",") != "组织名称,管理层级,镇街,社区（村）" {
			t.Fatalf("%s: header %q", c.user, rows[0])
		}
		want := a.count(`SELECT count(*) FROM organizations o WHERE starts_with(o.community_code, $1)
			AND o.status IN ('normal', 'abnormal')
			AND NOT EXISTS (SELECT 1 FROM org_contacts k WHERE k.org_id = o.id AND k.until_on IS NULL)`, c.division)
		if len(rows)-1 != want || want == 0 {
			t.Errorf("%s: the sheet has %d groups, a recount %d", c.user, len(rows)-1, want)
		}
		page.Find("#orgs-without-contact tbody tr").Each(func(i int, tr *goquery.Selection) {
			if i+1 < len(rows) && (rows[i+1][0] != tr.Find("td").Eq(0).Text() || rows[i+1][3] != tr.Find("td").Eq(2).Text()) {
				t.Errorf("%s: sheet row %d %q, the page's %q", c.user, i+1, rows[i+1], tr.Text())
			}
		})
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.contact.export'`); n != 2 {
		t.Errorf("%d export audit rows, want 2", n)
	}
}
