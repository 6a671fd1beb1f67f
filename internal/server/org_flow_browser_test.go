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
	town.screenshot("org-transfer-form")
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

// The demo's moves show on their timelines (seed.LoadDemoOrgMoves): the district opens the transferred group's
// record (迁移 and 更名 with the old name) and the record filed on its guided one (管理层级变更 and 备案); the
// statistics page's 三会一课 section, filtered to rural 村, carries its trend chart with title and text
// alternative and its export link.
func TestBrowserDemoMovesAndPartyMeetingTrend(t *testing.T) {
	a := flowApp(t)
	b := newBrowser(t, a)
	district := flowSignIn(t, b, "demo-district", "district")
	moved := queryString(t, a, `SELECT org_id::text FROM org_events WHERE kind = 'renamed' ORDER BY id LIMIT 1`)
	old := queryString(t, a, `SELECT from_value FROM org_events WHERE kind = 'renamed' ORDER BY id LIMIT 1`)
	if res := district.open("/district/orgs/" + moved); res.Status != 200 {
		t.Fatalf("record: %d", res.Status)
	}
	if tl := district.text("main"); !strings.Contains(tl, "更名") || !strings.Contains(tl, old) || !strings.Contains(tl, "迁移") {
		t.Errorf("the demo transfer's timeline: %q", tl)
	}
	district.screenshot("demo-transfer-timeline")
	filed := queryString(t, a, `SELECT f.org_id::text FROM filings f WHERE f.guided_org_id = f.org_id AND f.status = 'approved' LIMIT 1`)
	if res := district.open("/district/orgs/" + filed); res.Status != 200 {
		t.Fatalf("record: %d", res.Status)
	}
	if tl := district.text("main"); !strings.Contains(tl, "沿用原村居指导档案") {
		t.Errorf("the demo guided filing's timeline: %q", tl)
	}
	district.screenshot("demo-guided-filing-timeline")
	if res := district.open("/district/stats?year=2022&area=rural"); res.Status != 200 {
		t.Fatalf("stats: %d", res.Status)
	}
	if title := js[string](district, `document.querySelector("#chart-party-meetings title").textContent`); !strings.Contains(title, "三会一课") {
		t.Errorf("chart title %q", title)
	}
	if js[int](district, `document.querySelectorAll("#party-meetings-trend tbody tr").length`) < 8 {
		t.Error("the trend table is missing")
	}
	js[bool](district, `document.querySelectorAll("main > *").forEach(e => { if (e.id !== "stats-party-meetings") e.style.display = "none" }) || true`)
	district.screenshot("stats-party-meetings") // the section alone: the whole page is 12,000 px tall
}
