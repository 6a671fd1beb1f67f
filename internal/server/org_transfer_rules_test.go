package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/seed"
)

// A group with a case still open does not move: the form answers 422 with the case named at the field, the
// reason kept, and nothing written.
func TestOrgTransferRefusedWhileACaseIsOpen(t *testing.T) {
	a := newApp(t, nil)
	var id int64
	var version int
	var name string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT o.id, o.version, o.name FROM applications ap
		JOIN organizations o ON o.id = ap.org_id
		WHERE ap.status IN ('submitted', 'accepted', 'correction') AND o.town_code = $1 ORDER BY ap.id LIMIT 1`,
		seed.TownShuanglonghu).Scan(&id, &version, &name); err != nil {
		t.Fatal(err)
	}
	var community string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT code FROM divisions WHERE parent_code = $1 AND code <> (SELECT community_code FROM organizations WHERE id = $2) ORDER BY code LIMIT 1`,
		seed.TownShuanglonghu, id).Scan(&community); err != nil {
		t.Fatal(err)
	}
	town := a.signedIn("demo-town")
	res := town.post("/town/orgs/"+itoa64(id)+"/transfer", url.Values{"version": {strconv.Itoa(version)},
		"to": {community}, "reason": {"社区调整"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("transfer with an open 登记申请: %d, want 422", res.StatusCode)
	}
	doc := res.doc(t)
	msg := doc.Find(`[data-field="to"] .msg`).Text()
	if !strings.Contains(msg, "登记申请") || !strings.Contains(msg, name) {
		t.Errorf("the message does not name the open case: %q", msg)
	}
	if doc.Find("#reason").Text() != "社区调整" || doc.Find(`#to option[selected]`).AttrOr("value", "") != community {
		t.Error("the input is not kept")
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND version = $2 AND community_code <> $3`, id, version, community); n != 1 {
		t.Error("a refused transfer wrote")
	}
	if n := a.count(`SELECT count(*) FROM org_events WHERE org_id = $1 AND kind IN ('transferred', 'renamed')`, id); n != 0 {
		t.Errorf("a refused transfer wrote %d events", n)
	}
}

// The transfer form of a guided group shows the name it takes in the community chosen (composed again by the
// server on a 422), the transfer renames it with the old name on the timeline; a registered group's form says
// its name changes only by 变更登记.
func TestOrgTransferShowsAndGivesTheNewName(t *testing.T) {
	a := newApp(t, nil)
	id, version := guidedOrgOf(t, a)
	other := otherCommunity(t, a)
	var oldName, otherName string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT o.name, c.name FROM organizations o, divisions c
		WHERE o.id = $1 AND c.code = $2`, id, other).Scan(&oldName, &otherName); err != nil {
		t.Fatal(err)
	}
	var oldCommunity string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT name_community FROM organizations WHERE id = $1`, id).Scan(&oldCommunity); err != nil || oldCommunity == "" {
		t.Fatalf("the demo's guided group is not named after its community: %v", err)
	}
	want := strings.Replace(oldName, oldCommunity, otherName, 1)
	town := a.signedIn("demo-town")
	path := "/town/orgs/" + itoa64(id) + "/transfer"
	page := town.get(path).doc(t)
	box := page.Find("#transfer-rename")
	if box.Length() != 1 || box.AttrOr("data-rename-town", "") != "双龙湖街道" || box.AttrOr("data-rename-district", "") != "渝北区" {
		t.Fatalf("the form cannot compose the new name: %v", box.Nodes)
	}
	if !strings.HasSuffix(oldName, box.AttrOr("data-rename-suffix", "-")) {
		t.Errorf("suffix %q is not the end of %q", box.AttrOr("data-rename-suffix", ""), oldName)
	}
	// A 422 shows the name composed for the community chosen.
	res := town.post(path, url.Values{"version": {strconv.Itoa(version)}, "to": {other}, "reason": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no reason: %d", res.StatusCode)
	}
	if got := strings.TrimSpace(res.doc(t).Find("#transfer-new-name").Text()); got != want {
		t.Errorf("new name shown %q, want %q", got, want)
	}
	res = town.post(path, url.Values{"version": {strconv.Itoa(version)}, "to": {other}, "reason": {"锦华社区拆分"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("transfer: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND name = $2`, id, want); n != 1 {
		t.Fatal("the group was not renamed")
	}
	record := town.get("/town/orgs/" + itoa64(id)).Body
	if !strings.Contains(record, "更名") || !strings.Contains(record, oldName) {
		t.Error("the timeline does not keep the old name")
	}

	var reg int64
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT id FROM organizations WHERE tier = 'registered' AND status = 'normal'
		AND town_code = $1 ORDER BY id LIMIT 1`, seed.TownShuanglonghu).Scan(&reg); err != nil {
		t.Fatal(err)
	}
	page = town.get("/town/orgs/" + itoa64(reg) + "/transfer").doc(t)
	if page.Find("#transfer-rename").Length() != 0 || !strings.Contains(page.Find("#transfer-name-note").Text(), "变更登记") {
		t.Error("a registered group's form does not say its name changes by 变更登记")
	}
}

// closeOpenCasesIn decides every open case of the groups of community, as its clerks would.
func closeOpenCasesIn(t *testing.T, a *app, community string) {
	t.Helper()
	for _, q := range []string{
		`UPDATE filings SET status = 'returned', return_reason = '测试：办结', decided_at = now()
			WHERE status = 'submitted' AND coalesce(org_id, guided_org_id) IN (SELECT id FROM organizations WHERE community_code = $1)`,
		`UPDATE applications SET status = 'rejected', reject_reason = '测试：办结', decided_at = now()
			WHERE status IN ('submitted', 'accepted', 'correction') AND org_id IN (SELECT id FROM organizations WHERE community_code = $1)`,
		`UPDATE major_activities SET status = 'withdrawn'
			WHERE status IN ('submitted', 'changes_requested') AND org_id IN (SELECT id FROM organizations WHERE community_code = $1)`,
	} {
		if _, err := a.db.Pool.Exec(t.Context(), q, community); err != nil {
			t.Fatal(err)
		}
	}
}

// The whole-community move previews, before the clerk confirms, the name each group takes in the community
// chosen: the groups named after their community get the new one, the others say why theirs stays. The
// preview keeps what was chosen and typed, and writes nothing.
func TestCommunityMovePreviewsTheNewNames(t *testing.T) {
	a := newApp(t, nil)
	id, _ := guidedOrgOf(t, a)
	other := otherCommunity(t, a)
	var from, oldName, oldCommunity, otherName string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT o.community_code, o.name, o.name_community, c.name
		FROM organizations o, divisions c WHERE o.id = $1 AND c.code = $2`, id, other).Scan(&from, &oldName, &oldCommunity, &otherName); err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(oldName, oldCommunity, otherName, 1)
	town := a.signedIn("demo-town")
	events := a.count(`SELECT count(*) FROM org_events`)
	path := "/town/orgs/move-community"
	if doc := town.get(path + "?from=" + from).doc(t); doc.Find("#move-preview").Length() != 1 || doc.Find(".move-new-name").Length() != 0 {
		t.Fatal("the page has no preview button, or shows new names before a community is chosen")
	}
	res := town.get(path + "?" + url.Values{"from": {from}, "to": {other}, "orgs": {itoa64(id)}, "reason": {"锦华社区拆分"},
		"preview": {"1"}}.Encode())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", res.StatusCode)
	}
	doc := res.doc(t)
	row := doc.Find("#move-org-" + itoa64(id)).Closest("tr")
	if got := strings.TrimSpace(row.Find(".move-new-name").Text()); got != want {
		t.Errorf("the group's new name shows %q, want %q", got, want)
	}
	if !row.Find("#move-org-"+itoa64(id)).Is("[checked]") || doc.Find("#move-all").Is("[checked]") ||
		strings.TrimSpace(doc.Find("textarea[name=reason]").Text()) != "锦华社区拆分" {
		t.Error("the preview lost what was chosen or typed")
	}
	renamed, kept := doc.Find(".move-new-name").Length(), doc.Find(".move-keeps").Length()
	if renamed == 0 || renamed+kept != doc.Find("input[name=orgs]").Length() || !strings.Contains(doc.Find("#move-renames").Text(), strconv.Itoa(renamed)+" 个组织") {
		t.Errorf("%d new names and %d kept of %d groups; note %q", renamed, kept, doc.Find("input[name=orgs]").Length(), doc.Find("#move-renames").Text())
	}
	if doc.Find(".move-keeps").FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(s.Text(), "变更登记") }).Length() == 0 {
		t.Error("no registered group says its name changes by 变更登记")
	}
	if a.count(`SELECT count(*) FROM org_events`) != events || a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND name = $2`, id, oldName) != 1 {
		t.Fatal("the preview wrote something")
	}
}

// After a transfer renamed a group, its record says plainly that its own 简易章程 and 活动场所 still name the
// community it left, with a link to edit them; the transfer leaves what the group wrote as it was.
func TestRenamedRecordSaysItsTextNamesTheOldCommunity(t *testing.T) {
	a := newApp(t, nil)
	id, version := guidedOrgOf(t, a)
	other := otherCommunity(t, a)
	var oldCommunity string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT name_community FROM organizations WHERE id = $1`, id).Scan(&oldCommunity); err != nil {
		t.Fatal(err)
	}
	venue, charter := oldCommunity+"党群服务中心二楼活动室", "本组织由"+oldCommunity+"居民自愿组成。"
	if _, err := a.db.Pool.Exec(t.Context(), `UPDATE organizations SET venue = $2, charter = $3 WHERE id = $1`, id, venue, charter); err != nil {
		t.Fatal(err)
	}
	town := a.signedIn("demo-town")
	record := "/town/orgs/" + itoa64(id)
	if town.get(record).doc(t).Find("#stale-community-text").Length() != 0 {
		t.Fatal("the note shows before any transfer")
	}
	if res := town.post(record+"/transfer", url.Values{"version": {strconv.Itoa(version)}, "to": {other}, "reason": {"锦华社区拆分"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("transfer: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND venue = $2 AND charter = $3`, id, venue, charter) != 1 {
		t.Fatal("the transfer rewrote what the group wrote")
	}
	note := town.get(record).doc(t).Find("#stale-community-text")
	text := note.Text()
	if !strings.Contains(text, "“"+oldCommunity+"”") || !strings.Contains(text, "简易章程和活动场所") ||
		note.Find("#stale-text-edit").AttrOr("href", "") != record+"/edit" {
		t.Fatalf("the record's note: %q, link %q", text, note.Find("#stale-text-edit").AttrOr("href", ""))
	}
	// Once the text is edited, the note goes.
	if _, err := a.db.Pool.Exec(t.Context(), `UPDATE organizations SET charter = '', venue = '新的活动室' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if town.get(record).doc(t).Find("#stale-community-text").Length() != 0 {
		t.Error("the note stays after the text was edited")
	}
}
