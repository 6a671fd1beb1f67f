package server

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/seed"
)

// The district holds a session of its own: the organizer must be the district's (bad input at the field, kept,
// nothing written); its attendance comes from a sheet of people of every town, matched to the towns' records by
// 身份证号; a town sees the session and its own people on it, but records nothing there.
func TestDistrictHoldsASessionForEveryTown(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	if res := d.get("/district/training"); res.StatusCode != http.StatusOK || res.doc(t).Find("#new-session").Length() != 1 ||
		res.doc(t).Find("#edit-plan").Length() != 0 {
		t.Fatalf("the district's training page: %d", res.StatusCode)
	}
	sessions := func() int { return a.count(`SELECT count(*) FROM training_sessions WHERE town_code IS NULL`) }
	before := sessions()
	day := time.Now().In(beijing).AddDate(0, 0, -1).Format("2006-01-02")
	form := url.Values{"title": {"全区骨干示范培训"}, "organizer_kind": {"镇街"}, "organizer": {"渝北区民政局"},
		"date": {day}, "starts": {"09:00"}, "ends": {"12:00"}, "hours": {"3"}, "mode": {"示范培训"}, "topics": {"能力建设"}}
	form.Set("seen", seenOf(t, d, "/district/training/sessions/new", "#session-form"))
	res := d.post("/district/training/sessions", form)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMsg(t, res, "organizer_kind") == "" || sessions() != before {
		t.Fatalf("a district session held by a 镇街: %d", res.StatusCode)
	}
	if v, _ := res.doc(t).Find("#title").Attr("value"); v != "全区骨干示范培训" {
		t.Fatal("title not kept")
	}
	form.Set("organizer_kind", "区民政局")
	res = d.post("/district/training/sessions", form)
	if res.StatusCode != http.StatusSeeOther || sessions() != before+1 {
		t.Fatalf("district session: %d", res.StatusCode)
	}
	page := res.Header.Get("Location")
	id, _ := strconv.ParseInt(page[strings.LastIndex(page, "/")+1:], 10, 64)

	// a person the town trained (same 身份证号) and one of 统景镇's groups, from one sheet
	var townOrg, otherOrg string
	ctx := context.Background()
	_ = a.db.Pool.QueryRow(ctx, `SELECT name FROM organizations WHERE town_code = $1 AND status = 'normal' ORDER BY id LIMIT 1`,
		seed.TownShuanglonghu).Scan(&townOrg)
	_ = a.db.Pool.QueryRow(ctx, `SELECT name FROM organizations WHERE town_code = $1 AND status = 'normal' ORDER BY id LIMIT 1`,
		seed.TownTongjing).Scan(&otherOrg)
	trainees := a.count(`SELECT count(*) FROM trainees`)
	rows := [][]string{
		{"周敏", rules.MakeIDNumber("50011219750101100"), "13900001111", "社区社会组织负责人", townOrg, "", ""}, // a leader 双龙湖街道 trained (the demo)
		{"吴杰", rules.MakeIDNumber("50011219920202002"), "", "社区社会组织负责人", otherOrg, "", ""},
		{"郑洁", "", "", "社区志愿者", "没有这个组织", "", ""},
	}
	res = d.postSheet(page, attendanceSheet(t, rows))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`tr[data-row="4"]`).Text(), "全区在册组织中没有") {
		t.Fatalf("a group of no town: %d %q", res.StatusCode, res.doc(t).Find("#sheet-problems").Text())
	}
	rows[2][4] = ""
	res = d.postSheet(page, attendanceSheet(t, rows))
	if res.StatusCode != http.StatusSeeOther || a.count(`SELECT count(*) FROM training_attendance WHERE session_id = $1`, id) != 3 {
		t.Fatalf("district import: %d %q", res.StatusCode, res.doc(t).Find("#sheet-problems").Text())
	}
	if a.count(`SELECT count(*) FROM trainees`) != trainees+2 {
		t.Fatalf("%d new trainees", a.count(`SELECT count(*) FROM trainees`)-trainees)
	}
	if a.count(`SELECT count(*) FROM trainees WHERE name = '郑洁' AND town_code IS NULL`) != 1 ||
		a.count(`SELECT count(*) FROM trainees WHERE name = '吴杰' AND town_code = $1`, seed.TownTongjing) != 1 {
		t.Fatal("a district attendee's town: the group's, or none")
	}

	// a town reads the session and its own person only, and keeps nothing there
	town := a.signedIn("demo-town")
	tp := "/town/training/sessions/" + strconv.FormatInt(id, 10)
	doc := town.get(tp).doc(t)
	if got := doc.Find("#attendees tbody tr").Text(); !strings.Contains(got, "周敏") || strings.Contains(got, "吴杰") || strings.Contains(got, "郑洁") {
		t.Fatalf("the town sees on the district's session: %q", got)
	}
	if doc.Find("#attendee-form").Length() != 0 || doc.Find("#import-form").Length() != 0 {
		t.Fatal("the town is offered the district session's forms")
	}
	attendance := a.count(`SELECT count(*) FROM training_attendance WHERE session_id = $1`, id)
	if res := town.post(tp+"/attendees", url.Values{"name": {"孙"}, "role": {"社区志愿者"}}); res.StatusCode != http.StatusNotFound ||
		a.count(`SELECT count(*) FROM training_attendance WHERE session_id = $1`, id) != attendance {
		t.Fatalf("a town recorded at the district's session: %d", res.StatusCode)
	}
	if a.signedIn("demo-district").get("/district/training/attendance-template.xlsx").StatusCode != http.StatusOK {
		t.Fatal("the district's sign-in template")
	}
}

// The district's digest lists each person once with who trained them, drills down by town, and the reach page
// links each town to its drill-down (groups not yet reached, linked); a bad town is 404.
func TestDistrictDigestAndDrillDown(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	year := strconv.Itoa(time.Now().In(beijing).Year())
	res := d.get("/district/training/trainees?year=" + year)
	doc := res.doc(t)
	people := a.count(`SELECT count(DISTINCT a.trainee_id) FROM training_attendance a JOIN training_sessions s
		ON s.id = a.session_id WHERE extract(year FROM s.starts_at AT TIME ZONE 'Asia/Shanghai') = $1`, year)
	if res.StatusCode != http.StatusOK || doc.Find("#digest tbody tr").Length() != people {
		t.Fatalf("digest: %d, %d rows, %d people", res.StatusCode, doc.Find("#digest tbody tr").Length(), people)
	}
	// the demo's district session trained people the towns trained too: their row names both
	both := 0
	doc.Find("#digest tbody tr").Each(func(_ int, s *goquery.Selection) {
		if by := s.Find("td").Eq(5).Text(); strings.Contains(by, "区级") && strings.Contains(by, "、") {
			both++
		}
	})
	if both == 0 {
		t.Fatal("no person shows training by the district and a town")
	}
	town := d.get("/district/training/trainees?year=" + year + "&division=" + seed.TownShuanglonghu).doc(t)
	if n := town.Find("#digest tbody tr").Length(); n == 0 || n >= people {
		t.Fatalf("the town's drill-down lists %d of %d", n, people)
	}
	if d.get("/district/training/trainees?division=500112999").StatusCode != http.StatusNotFound {
		t.Fatal("a division not offered")
	}
	reach := d.get("/district/training/reach?year=" + year).doc(t)
	href, _ := reach.Find(`#reach a[href*="town=` + seed.TownShuanglonghu + `"]`).Attr("href")
	drill := d.get(href)
	dd := drill.doc(t)
	if drill.StatusCode != http.StatusOK || dd.Find("#unreached tbody tr").Length() == 0 || dd.Find("#reach-back").Length() != 1 {
		t.Fatalf("drill-down %q: %d", href, drill.StatusCode)
	}
	// the drill-down is the town's own page, figure for figure
	own := a.signedIn("demo-town").get("/town/training/reach?year=" + year).doc(t)
	if dd.Find("#total-reached").Text() != own.Find("#total-reached").Text() || dd.Find("#reach tbody tr").Length() != own.Find("#reach tbody tr").Length() {
		t.Fatal("the district's drill-down differs from the town's page")
	}
	if org, _ := dd.Find("#unreached tbody a").First().Attr("href"); !strings.HasPrefix(org, "/district/orgs/") {
		t.Fatalf("unreached group links to %q", org)
	}
	if d.get("/district/training/reach?town=500112999").StatusCode != http.StatusNotFound {
		t.Fatal("a town not of the district")
	}
}

// A committee reads the training of its own groups' people and its reach, with the groups not yet reached,
// read-only: no forms, no reveal, and another committee's people are 404.
func TestCommitteeTrainingPages(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	home := c.get("/community").doc(t)
	if home.Find(`a[href="/community/training"]`).Length() == 0 {
		t.Fatal("no link to 骨干培训 for the committee")
	}
	page := c.get("/community/training").doc(t)
	if page.Find("#new-session, #edit-plan").Length() != 0 {
		t.Fatal("the committee is offered forms")
	}
	reach := c.get("/community/training/reach")
	rd := reach.doc(t)
	live, _ := strconv.Atoi(rd.Find("#total-live").Text())
	reached, _ := strconv.Atoi(rd.Find("#total-reached").Text())
	if reach.StatusCode != http.StatusOK || live == 0 || rd.Find("#unreached tbody tr").Length() != live-reached {
		t.Fatalf("committee reach: %d, %d live, %d reached", reach.StatusCode, live, reached)
	}
	if href, _ := rd.Find("#unreached tbody a").First().Attr("href"); !strings.HasPrefix(href, "/community/orgs/") {
		t.Fatalf("unreached links to %q", href)
	}
	digest := c.get("/community/training/trainees").doc(t)
	rows := digest.Find("#digest tbody tr")
	want := a.count(`SELECT count(DISTINCT p.id) FROM trainees p JOIN organizations o ON o.id = p.org_id
		JOIN training_attendance x ON x.trainee_id = p.id JOIN training_sessions s ON s.id = x.session_id
		WHERE o.community_code = $1 AND extract(year FROM s.starts_at AT TIME ZONE 'Asia/Shanghai') = $2`,
		seed.CommunityDemo, time.Now().In(beijing).Year())
	if want == 0 || rows.Length() != want {
		t.Fatalf("committee digest: %d rows, want %d", rows.Length(), want)
	}
	person, _ := rows.First().Find("a").Attr("href")
	pp := c.get(person)
	if pp.StatusCode != http.StatusOK || pp.doc(t).Find("#reveal-form").Length() != 0 {
		t.Fatalf("committee person page %q: %d", person, pp.StatusCode)
	}
	if res := c.post(person+"/reveal", url.Values{"reason": {"核对"}}); res.StatusCode != http.StatusNotFound &&
		res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("a committee reveals: %d", res.StatusCode)
	}
	var other int64
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT min(p.id) FROM trainees p JOIN organizations o ON o.id = p.org_id
		WHERE o.community_code <> $1`, seed.CommunityDemo).Scan(&other)
	if c.get("/community/training/trainees/"+strconv.FormatInt(other, 10)).StatusCode != http.StatusNotFound {
		t.Fatal("a committee reads another community's person")
	}
}

// The district's story in a real browser: from its 工作台 it holds a 示范培训, imports a sheet of people of two
// towns (one of them a leader 双龙湖街道 trained before), sees them in the digest once each with both trainers,
// and drills from the district's reach into a town. A committee then opens its own training pages from its nav.
func TestBrowserDistrictTrainsAcrossTowns(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	tb := flowSignIn(t, b, "demo-district", "district")
	now := time.Now().In(beijing)
	ctx := context.Background()
	var townOrg, otherOrg string
	_ = a.db.Pool.QueryRow(ctx, `SELECT name FROM organizations WHERE town_code = $1 AND status = 'normal' ORDER BY id LIMIT 1`,
		seed.TownShuanglonghu).Scan(&townOrg)
	_ = a.db.Pool.QueryRow(ctx, `SELECT name FROM organizations WHERE town_code = $1 AND status = 'normal' ORDER BY id LIMIT 1`,
		seed.TownTongjing).Scan(&otherOrg)

	tb.open("/district")
	tb.click(`nav a[href="/district/training"]`)
	tb.click("#new-session")
	tb.fill("#title", "全区社区社会组织骨干示范培训（第二期）")
	tb.setValue("#organizer_kind", "区民政局")
	tb.setValue("#date", now.Format("2006-01-02"))
	tb.setValue("#starts", "09:00")
	tb.setValue("#ends", "12:00")
	tb.fill("#hours", "3")
	tb.setValue("#mode", "示范培训")
	tb.do(chromedp.Click(chromedp.CSS(`input[name="topics"][value="社会工作知识"]`)))
	if res := tb.click(`#session-form button[type=submit]`); res.Status != 200 || tb.count("#import-form") != 1 {
		t.Fatalf("district session: status %d, %q", res.Status, tb.text("main"))
	}
	sheet := filepath.Join(t.TempDir(), "签到表.xlsx")
	rows := [][]string{
		{"周敏", rules.MakeIDNumber("50011219750101100"), "", "社区社会组织负责人", townOrg, "", ""},
		{"吴杰", rules.MakeIDNumber("50011219920202002"), "", "社区社会组织负责人", otherOrg, "", ""},
	}
	if err := os.WriteFile(sheet, attendanceSheet(t, rows), 0o600); err != nil {
		t.Fatal(err)
	}
	tb.upload("#sheet", sheet)
	if res := tb.click(`#import-form button[type=submit]`); res.Status != 200 || tb.text("#attendee-count") != "2" {
		t.Fatalf("district import: status %d, %q", res.Status, tb.text("main"))
	}
	tb.screenshot("training-district-session")

	tb.open("/district/training")
	tb.click("#trainees-link")
	var row string
	for _, r := range strings.Split(tb.text("#digest tbody"), "\n") {
		if strings.Contains(r, "周敏") {
			row = r
		}
	}
	if !strings.Contains(row, "区级") || !strings.Contains(row, "双龙湖街道") {
		t.Fatalf("the digest's row of a person both trained: %q", row)
	}
	if n := strings.Count(tb.text("#digest tbody"), "周敏"); n != 1 {
		t.Fatalf("she is listed %d times", n)
	}
	tb.screenshot("training-district-digest")
	tb.click("#digest-reach")
	tb.click(`#reach a[href*="town=` + seed.TownShuanglonghu + `"]`)
	if tb.count("#unreached tbody tr") == 0 || tb.count("#reach-back") != 1 {
		t.Fatalf("drill-down: %q", tb.text("main"))
	}
	tb.screenshot("training-district-drilldown")

	c := flowSignIn(t, b, "demo-community", "community")
	c.open("/community")
	c.click(`nav a[href="/community/training"]`)
	c.click("#reach-link")
	if c.count("#unreached tbody a") == 0 || c.count("#new-session") != 0 {
		t.Fatalf("committee reach: %q", c.text("main"))
	}
	c.screenshot("training-committee-reach")
	c.open("/community/training/trainees")
	c.screenshot("training-committee-digest")
}
