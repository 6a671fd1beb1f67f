package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
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
