package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
)

// partyGroup is a live group of the demo community, with or without a 党组织, and its record version.
func partyGroup(t *testing.T, a *app, withParty bool) (string, string) {
	t.Helper()
	cond := `party_status IN ('单独建立', '联合建立')`
	if !withParty {
		cond = `party_status NOT IN ('单独建立', '联合建立')`
	}
	var id int64
	var v int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT id, version FROM organizations
		WHERE community_code = $1 AND status = 'normal' AND `+cond+` ORDER BY id LIMIT 1`, seed.CommunityDemo).
		Scan(&id, &v); err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(id, 10), strconv.Itoa(v)
}

// The form: bad input is 422 with the message at the field and the input kept, writing nothing; a missing or
// stale version is 409; a good one is recorded and listed on the group's record.
func TestPartyMeetingForm(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	id, version := partyGroup(t, a, true)
	record := "/community/orgs/" + id
	d := c.get(record).doc(t)
	href, _ := d.Find(`#party-meeting-new`).Attr("href")
	if href != record+"/party-meetings/new" {
		t.Fatalf("record links the form at %q", href)
	}
	if res := c.get(href); res.StatusCode != http.StatusOK {
		t.Fatalf("form: %d", res.StatusCode)
	}
	count := func() int { return a.count(`SELECT count(*) FROM party_meetings WHERE org_id = $1`, id) }
	before := count()
	res := c.post(record+"/party-meetings", url.Values{"version": {version}, "kind": {"lecture"},
		"held_on": {"2099-01-01"}, "topic": {"学习党章"}, "attendance": {"0"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", res.StatusCode)
	}
	doc := res.doc(t)
	if msg := doc.Find(`[data-field="held_on"] .msg`).Text(); !strings.Contains(msg, "不能晚于今天") {
		t.Fatalf("date message %q", msg)
	}
	if msg := doc.Find(`[data-field="attendance"] .msg`).Text(); !strings.Contains(msg, "参加人数") {
		t.Fatalf("attendance message %q", msg)
	}
	if v, _ := doc.Find(`#topic`).Attr("value"); v != "学习党章" {
		t.Fatalf("topic not kept: %q", v)
	}
	if v, _ := doc.Find(`#kind option[selected]`).Attr("value"); v != "lecture" {
		t.Fatalf("kind not kept: %q", v)
	}
	good := url.Values{"kind": {"lecture"}, "held_on": {"2026-06-01"}, "topic": {"学习党章"}, "attendance": {"8"}}
	if res := c.post(record+"/party-meetings", good); res.StatusCode != http.StatusConflict {
		t.Fatalf("no version: %d", res.StatusCode)
	}
	good.Set("version", version+"9")
	if res := c.post(record+"/party-meetings", good); res.StatusCode != http.StatusConflict {
		t.Fatalf("stale version: %d", res.StatusCode)
	}
	if n := count(); n != before {
		t.Fatalf("refused posts wrote %d rows", n-before)
	}
	good.Set("version", version)
	if res := c.post(record+"/party-meetings", good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d", res.StatusCode)
	}
	if n := count(); n != before+1 {
		t.Fatalf("rows %d, want %d", n, before+1)
	}
	if txt := c.get(record).doc(t).Find(`#party-meetings`).Text(); !strings.Contains(txt, "学习党章") || !strings.Contains(txt, "2026年6月1日") {
		t.Fatalf("record section %q", txt)
	}
	// A group without a 党组织 has neither the section's form nor the route.
	none, nv := partyGroup(t, a, false)
	if c.get("/community/orgs/"+none).doc(t).Find(`#party-meeting-new`).Length() != 0 {
		t.Fatal("a group without a 党组织 offers the form")
	}
	if res := c.post("/community/orgs/"+none+"/party-meetings", url.Values{"version": {nv}, "kind": {"lecture"},
		"held_on": {"2026-06-01"}, "topic": {"x"}, "attendance": {"3"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("no 党组织: %d", res.StatusCode)
	}
	// The district reads the section without the form.
	if d := a.signedIn("demo-district").get("/district/orgs/" + id).doc(t); d.Find(`#party-meetings`).Length() != 1 ||
		d.Find(`#party-meeting-new`).Length() != 0 {
		t.Fatal("the district's record: section missing or form offered")
	}
}

// A committee records a 党课 from the group's record, in the browser.
func TestBrowserCommitteeRecordsAPartyLecture(t *testing.T) {
	a := flowApp(t)
	id, _ := partyGroup(t, a, true)
	b := newBrowser(t, a)
	tb := flowSignIn(t, b, "demo-community", "community")
	tb.open("/community/orgs/" + id)
	if res := tb.click(`#party-meeting-new`); res.Status != 200 {
		t.Fatalf("form: %d", res.Status)
	}
	tb.setValue("#kind", "lecture")
	tb.fill("#topic", "学习《中国共产党章程》")
	tb.fill("#attendance", "11")
	tb.screenshot("17b-party-meeting-form")
	if res := tb.click(`#party-meeting-form button[type=submit]`); res.Status != 200 || tb.url().Path != "/community/orgs/"+id {
		t.Fatalf("save: %d at %s; %q", res.Status, tb.url(), tb.text("main"))
	}
	if txt := tb.text("#party-meetings"); !strings.Contains(txt, "学习《中国共产党章程》") || !strings.Contains(txt, "党课") {
		t.Fatalf("section %q", txt)
	}
	tb.screenshot("17b-org-record-party-meetings")
}

// A meeting is corrected from the record: bad input (and a missing reason) is 422 at the field with the input
// kept and nothing written; a missing or stale version is 409; a good correction keeps the old version, listed
// under the form with who replaced it and why, and is audited.
func TestPartyMeetingCorrection(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	id, _ := partyGroup(t, a, true)
	record := "/community/orgs/" + id
	var mid int64
	var topic string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT id, topic FROM party_meetings WHERE org_id = $1 ORDER BY id LIMIT 1`, id).
		Scan(&mid, &topic); err != nil {
		t.Fatal("the demo group has no 三会一课:", err)
	}
	path := record + "/party-meetings/" + strconv.FormatInt(mid, 10)
	if c.get(record).doc(t).Find(`a.party-meeting-correct[href="`+path+`"]`).Length() != 1 {
		t.Fatal("the record does not link the correction")
	}
	form := c.get(path).doc(t)
	if v, _ := form.Find(`#topic`).Attr("value"); v != topic {
		t.Fatalf("the correction form holds %q, want %q", v, topic)
	}
	written := func() int {
		return a.count(`SELECT count(*) FROM party_meeting_revisions`) +
			a.count(`SELECT count(*) FROM audit_log WHERE action = 'party_meeting.correct'`)
	}
	good := url.Values{"version": {"1"}, "kind": {"lecture"}, "held_on": {"2026-06-01"}, "topic": {"学习党章（更正）"},
		"attendance": {"12"}, "reason": {"参加人数记错"}}
	bad := url.Values{}
	for k, v := range good {
		bad[k] = v
	}
	bad.Set("reason", "")
	bad.Set("attendance", "0")
	res := c.post(path, bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", res.StatusCode)
	}
	doc := res.doc(t)
	if !strings.Contains(doc.Find(`[data-field="reason"] .msg`).Text(), "更正原因") ||
		!strings.Contains(doc.Find(`[data-field="attendance"] .msg`).Text(), "参加人数") {
		t.Error("no message at the reason or the attendance")
	}
	if v, _ := doc.Find(`#topic`).Attr("value"); v != "学习党章（更正）" {
		t.Errorf("the input is not kept: %q", v)
	}
	for _, v := range []string{"", "2"} {
		g := url.Values{}
		for k, x := range good {
			g[k] = x
		}
		g.Set("version", v)
		if res := c.post(path, g); res.StatusCode != http.StatusConflict {
			t.Errorf("version %q: %d, want 409", v, res.StatusCode)
		}
	}
	if written() != 0 {
		t.Fatal("a refused correction wrote something")
	}
	if res := c.post(path, good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correct: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM party_meetings WHERE id = $1 AND topic = '学习党章（更正）' AND attendance = 12 AND version = 2`, mid) != 1 {
		t.Fatal("the meeting was not corrected")
	}
	if a.count(`SELECT count(*) FROM party_meeting_revisions WHERE meeting_id = $1 AND version = 1 AND topic = $2`, mid, topic) != 1 ||
		a.count(`SELECT count(*) FROM audit_log WHERE action = 'party_meeting.correct' AND object_id = $1`, id) != 1 {
		t.Fatal("the old version or the audit row is missing")
	}
	revs := c.get(path).doc(t).Find(`#party-meeting-revisions`).Text()
	for _, want := range []string{topic, "参加人数记错", "第 1 版", "社区演示账号"} {
		if !strings.Contains(revs, want) {
			t.Errorf("the history lacks %q: %q", want, revs)
		}
	}
	// The form read before the correction is stale now.
	if res := c.post(path, good); res.StatusCode != http.StatusConflict {
		t.Errorf("a second correction from the old form: %d, want 409", res.StatusCode)
	}
}
