package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/seed"
)

// A committee ends (注销) a guided group it keeps: bad input is 422 with the messages at the fields, the input
// kept and nothing written; a good form dissolves it with a timeline row and an audit row. It cannot end a
// filed group, nor bring one back.
func TestCommitteeEndsItsGuidedGroup(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	id := a.orgIn(seed.CommunityDemo, "guided")
	path := "/community/orgs/" + strconv.FormatInt(id, 10)
	doc := c.get(path).doc(t)
	if action, _ := doc.Find("#end-org form").Attr("action"); action != path+"/end" {
		t.Fatalf("the record offers no 注销 form (action %q)", action)
	}
	if doc.Find("#end-org form[data-confirm]").Length() != 1 {
		t.Error("注销 asks no confirmation")
	}
	version := doc.Find("#end-org input[name=version]").AttrOr("value", "")
	v0, e0, au0 := a.orgState(id)
	tomorrow := time.Now().In(beijing).AddDate(0, 0, 1).Format(dateLayout)
	for _, tc := range []struct{ on, reason, field string }{
		{"", "成员协商一致自行解散", "status_on"},
		{tomorrow, "成员协商一致自行解散", "status_on"},
		{"2021-07-21", "", "status_reason"},
		{"2021-07-21", strings.Repeat("散", 201), "status_reason"},
	} {
		res := c.post(path+"/end", url.Values{"version": {version}, "status_on": {tc.on}, "reason": {tc.reason}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%+v: %d, want 422", tc, res.StatusCode)
			continue
		}
		d := res.doc(t)
		if d.Find(`#end-org .field.bad #`+tc.field).Length() != 1 {
			t.Errorf("%+v: no message at %s", tc, tc.field)
		}
		if got := d.Find("#end-org #status_reason").AttrOr("value", "?"); got != tc.reason {
			t.Errorf("%+v: reason kept as %q", tc, got)
		}
		if v, e, au := a.orgState(id); v != v0 || e != e0 || au != au0 {
			t.Errorf("%+v: wrote something", tc)
		}
	}
	res := c.post(path+"/end", url.Values{"version": {version}, "status_on": {"2021-07-21"}, "reason": {"成员协商一致自行解散"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("end: %d %s", res.StatusCode, res.Body)
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND status = 'dissolved'
		AND status_reason = '成员协商一致自行解散'`, id); n != 1 {
		t.Fatal("the group is not dissolved")
	}
	if v, e, au := a.orgState(id); v != v0+1 || e != e0+1 || au != au0+1 {
		t.Errorf("ending wrote version %d→%d, %d→%d events, %d→%d audit rows", v0, v, e0, e, au0, au)
	}
	if doc := c.get(path).doc(t); doc.Find("#end-org").Length() != 0 {
		t.Error("an ended group still offers 注销")
	}
	// Again on the stale version: the record is ended, nothing to do.
	if res := c.post(path+"/end", url.Values{"version": {version}, "status_on": {"2021-07-21"}, "reason": {"再次"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("ending an ended group: %d, want 404", res.StatusCode)
	}
	// A filed group is the town's to end.
	filed := "/community/orgs/" + strconv.FormatInt(a.orgIn(seed.CommunityDemo, "filed"), 10)
	if c.get(filed).doc(t).Find("#end-org").Length() != 0 {
		t.Error("the committee is offered 注销 of a filed group")
	}
	if res := c.post(filed+"/end", url.Values{"version": {"1"}, "status_on": {"2021-07-21"}, "reason": {"越权"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("ending a filed group: %d, want 404", res.StatusCode)
	}
}

// The proof's browser flow: a committee ends its group from the record, confirming first.
func TestBrowserCommitteeEndsItsGroup(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	tb := flowSignIn(t, b, "demo-community", "community")
	id := a.orgIn(seed.CommunityDemo, "guided")
	path := "/community/orgs/" + strconv.FormatInt(id, 10)
	tb.open("/community/orgs")
	tb.click(`#orgs a[href="` + path + `"]`)
	tb.setValue("#status_on", "2021-07-21")
	tb.fill("#status_reason", "成员协商一致自行解散")
	if res := tb.click(`#end-org button[type=submit]`); res.Status != 200 || tb.url().Path != path {
		t.Fatalf("注销: status %d at %s: %q", res.Status, tb.url(), tb.text("main"))
	}
	if msgs := tb.dialogMessages(); len(msgs) != 1 || !strings.Contains(msgs[0], "确定注销") {
		t.Errorf("dialogs %q, want the 注销 confirmation", msgs)
	}
	if got := tb.text("#org-status"); got != "已注销" {
		t.Errorf("status after 注销 = %q", got)
	}
	if tl := tb.text("#timeline"); !strings.Contains(tl, "成员协商一致自行解散") {
		t.Errorf("the timeline lacks the reason: %q", tl)
	}
}
