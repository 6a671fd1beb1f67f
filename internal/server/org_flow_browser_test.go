package server

import (
	"strings"
	"testing"
)

// A town officer opens a group's record, follows 迁移, is told the reason is missing, gives it, confirms, and
// lands on the record showing the transfer on its timeline; the kept counts moved with it.
func TestBrowserTownTransfersAGroup(t *testing.T) {
	a := flowApp(t)
	b := newBrowser(t, a)
	town := flowSignIn(t, b, "demo-town", "town")
	id, _ := guidedOrgOf(t, a)
	other := otherCommunity(t, a)
	otherName := queryString(t, a, `SELECT name FROM divisions WHERE code = $1`, other)
	kept := `SELECT coalesce(sum(n), 0) FROM org_counts WHERE community_code = $1`
	before := a.count(kept, other)

	if res := town.open("/town/orgs/" + itoa64(id)); res.Status != 200 {
		t.Fatalf("record: %d", res.Status)
	}
	if res := town.click("#transfer-link"); res.Status != 200 {
		t.Fatalf("transfer page: %d", res.Status)
	}
	town.setValue("#to", other)
	// The page composes the name the group takes there as the officer chooses (app.js).
	js[bool](town, `document.getElementById("to").dispatchEvent(new Event("change", {bubbles: true})) || true`)
	oldName := queryString(t, a, `SELECT name FROM organizations WHERE id = $1`, id)
	oldCommunity := queryString(t, a, `SELECT name_community FROM organizations WHERE id = $1`, id)
	newName := strings.Replace(oldName, oldCommunity, otherName, 1)
	if got := town.text("#transfer-new-name"); got != newName {
		t.Errorf("the new name shown is %q, want %q", got, newName)
	}
	if res := town.click(`form[action$="/transfer"] button[type=submit]`); res.Status != 422 {
		t.Fatalf("without a reason: %d", res.Status)
	}
	if msg := town.text(`[data-field="reason"] .msg`); msg == "" {
		t.Fatal("no message at the reason")
	}
	if got := town.value("#to"); got != other {
		t.Fatalf("the community chosen is not kept: %q", got)
	}
	town.setValue("#reason", "锦华社区拆分，该组织活动场所划入新社区")
	res := town.click(`form[action$="/transfer"] button[type=submit]`)
	if res.Status != 200 || town.url().Path != "/town/orgs/"+itoa64(id) {
		t.Fatalf("after the transfer: %d at %s; %q", res.Status, town.url(), town.text("main"))
	}
	if msgs := town.dialogMessages(); len(msgs) != 2 || !strings.Contains(msgs[1], "迁移") {
		t.Errorf("the transfer asked %q, want a confirmation each time", msgs)
	}
	if tl := town.text("main"); !strings.Contains(tl, "锦华社区拆分") || !strings.Contains(tl, otherName) {
		t.Errorf("the timeline does not show the transfer: %q", tl)
	}
	if tl := town.text("main"); !strings.Contains(tl, "更名") || !strings.Contains(tl, newName) {
		t.Errorf("the timeline does not show the new name: %q", tl)
	}
	if n := a.count(kept, other); n != before+1 {
		t.Errorf("kept count of %s: %d, want %d", other, n, before+1)
	}
	town.screenshot("org-transfer-done")
}
