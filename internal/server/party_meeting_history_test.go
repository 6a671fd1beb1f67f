package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// The district reads a 三会一课 meeting's corrections: the group's record links each meeting's 更正记录 (and
// offers no correction); the page shows the meeting as it stands and the version the committee's correction
// replaced, with the reason and who corrected it. Another town's district path is out of reach for a town
// (no such route), and a meeting of another group is 404.
func TestDistrictReadsAPartyMeetingsCorrections(t *testing.T) {
	a := newApp(t, nil)
	id, _ := partyGroup(t, a, true)
	var mid int64
	var topic string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT id, topic FROM party_meetings WHERE org_id = $1 ORDER BY id LIMIT 1`, id).
		Scan(&mid, &topic); err != nil {
		t.Fatal("the demo group has no 三会一课:", err)
	}
	c := a.signedIn("demo-community")
	correct := "/community/orgs/" + id + "/party-meetings/" + strconv.FormatInt(mid, 10)
	if res := c.post(correct, url.Values{"version": {"1"}, "kind": {"lecture"}, "held_on": {"2026-06-01"},
		"topic": {"学习党章（更正）"}, "attendance": {"12"}, "reason": {"参加人数记错"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correct: %d", res.StatusCode)
	}

	d := a.signedIn("demo-district")
	record := d.get("/district/orgs/" + id).doc(t)
	history := "/district/orgs/" + id + "/party-meetings/" + strconv.FormatInt(mid, 10) + "/history"
	if record.Find(`a.party-meeting-history[href="`+history+`"]`).Length() != 1 {
		t.Fatal("the district's record does not link the meeting's 更正记录")
	}
	if record.Find(`a.party-meeting-correct`).Length() != 0 {
		t.Error("the district is offered a correction")
	}
	res := d.get(history)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("history: %d", res.StatusCode)
	}
	doc := res.doc(t)
	if cur := doc.Find("#party-meeting-current").Text(); !strings.Contains(cur, "学习党章（更正）") {
		t.Errorf("the current meeting: %q", cur)
	}
	revs := doc.Find("#party-meeting-revisions").Text()
	for _, want := range []string{topic, "参加人数记错", "第 1 版", "社区演示账号"} {
		if !strings.Contains(revs, want) {
			t.Errorf("the history lacks %q: %q", want, revs)
		}
	}
	if doc.Find("form[method=post]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return !strings.HasSuffix(s.AttrOr("action", ""), "/logout")
	}).Length() != 0 {
		t.Error("the history page carries a form")
	}
	tb := flowSignIn(t, newBrowser(t, a), "demo-district", "district")
	tb.open("/district/orgs/" + id)
	tb.click(`a.party-meeting-history[href="` + history + `"]`)
	if tb.url().Path != history || !strings.Contains(tb.text("#party-meeting-revisions"), "参加人数记错") {
		t.Errorf("the district's browser reached %s: %q", tb.url().Path, tb.text("main"))
	}
	tb.screenshot("17-party-meeting-history")
	// Another group's id with this meeting: 404; the town has no such page.
	other, _ := partyGroup(t, a, false)
	if res := d.get("/district/orgs/" + other + "/party-meetings/" + strconv.FormatInt(mid, 10) + "/history"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a meeting under another group: %d, want 404", res.StatusCode)
	}
	if res := a.signedIn("demo-town").get("/town/orgs/" + id + "/party-meetings/" + strconv.FormatInt(mid, 10) + "/history"); res.StatusCode != http.StatusNotFound {
		t.Errorf("the town's path: %d, want 404", res.StatusCode)
	}
}
