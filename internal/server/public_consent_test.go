package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/seed"
)

// A committee records a group with its consent to publish the leader's name: the public profile shows that
// name, and only that; taking the consent back on the edit form hides it again. Without the box ticked (the
// default) the name never shows.
func TestPublishContactConsent(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	if doc := c.get("/community/orgs/new").doc(t); doc.Find("#publish_contact").Length() != 1 {
		t.Fatal("the form has no consent box")
	} else if _, on := doc.Find("#publish_contact").Attr("checked"); on {
		t.Error("the consent box starts ticked")
	}
	res := c.post("/community/orgs", guidedForm(url.Values{"publish_contact": {"1"}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	public := "/orgs/" + strings.TrimPrefix(loc, "/community/orgs/")
	visitor := a.client()
	body := visitor.get(public).Body
	if !strings.Contains(body, "王秀英") || strings.Contains(body, "13812345678") || strings.Contains(body, "138****5678") {
		t.Fatal("the published profile does not show the leader's name alone")
	}
	ed := c.get(loc + "/edit").doc(t)
	if _, on := ed.Find("#publish_contact").Attr("checked"); !on {
		t.Error("the edit form forgets the consent")
	}
	version, _ := ed.Find(`input[name=version]`).Attr("value")
	res = c.post(loc+"/edit", guidedForm(url.Values{"version": {version}, "phone": {""}, "id_number": {""}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	if strings.Contains(visitor.get(public).Body, "王秀英") {
		t.Error("the name still shows after the consent was taken back")
	}
}

// A registration application carries the consent too: submitted with it, the registered organization the
// district approves publishes its leader's name.
func TestApplicationCarriesPublishConsent(t *testing.T) {
	a := newApp(t, nil)
	c, d := a.signedIn("demo-community"), a.signedIn("demo-district")
	if c.get("/community/applications/new").doc(t).Find("#publish_contact").Length() != 1 {
		t.Fatal("the application form has no consent box")
	}
	form := appValidForm(seed.CommunityDemo, "明理")
	form.Set("publish_contact", "1")
	id := appIDFromLocation(t, c.post("/community/applications", form))
	dpath := "/district/applications/" + id
	if res := d.post(dpath+"/accept", url.Values{"version": {appVersion(t, d, dpath, "#accept")}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	uscc := rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH54321")
	if res := d.post(dpath+"/approve", url.Values{"version": {appVersion(t, d, dpath, "#approve")}, "uscc": {uscc}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.StatusCode, appProblems(res))
	}
	var orgID int64
	var published bool
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT id, publish_contact FROM organizations WHERE uscc = $1`,
		uscc).Scan(&orgID, &published); err != nil {
		t.Fatal(err)
	}
	if !published || !strings.Contains(a.client().get("/orgs/"+strconv.FormatInt(orgID, 10)).Body, "李德明") {
		t.Error("the approved organization does not publish the consented leader's name")
	}
}
