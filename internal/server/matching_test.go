package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/seed"
)

func TestNeedWithoutBeneficiariesIsRefusedAtTheField(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	until := time.Now().In(beijing).AddDate(0, 2, 0).Format("2006-01-02")
	form := url.Values{"community": {seed.CommunityDemo}, "title": {"老年人助餐"}, "series": {"邻里守望"},
		"place": {"社区食堂"}, "frequency": {"每周三次"}, "budget": {"20000"}, "until": {until}}
	form.Set("seen", seenOf(t, c, "/community/matching/needs/new", "#need-form"))
	before := a.count(`SELECT count(*) FROM community_needs`)
	res := c.post("/community/matching/needs", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldMsg(t, res, "beneficiaries"), "请选择服务对象") {
		t.Fatalf("need without 服务对象: status %d", res.StatusCode)
	}
	if v, _ := res.doc(t).Find("#title").Attr("value"); v != "老年人助餐" {
		t.Fatal("title not kept")
	}
	form.Set("budget", "两万")
	form.Set("beneficiaries", "空巢老人")
	if res := c.post("/community/matching/needs", form); res.StatusCode != http.StatusUnprocessableEntity || fieldMsg(t, res, "budget") == "" {
		t.Fatalf("bad budget: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM community_needs`) != before {
		t.Fatal("a refused need was written")
	}
	form.Set("budget", "20000")
	if res := c.post("/community/matching/needs", form); res.StatusCode != http.StatusSeeOther || a.count(`SELECT count(*) FROM community_needs`) != before+1 {
		t.Fatalf("good need: %d", res.StatusCode)
	}
	board := a.signedIn("demo-town").get("/town/matching?beneficiary=" + url.QueryEscape("空巢老人"))
	if !strings.Contains(board.doc(t).Find("#open-needs").Text(), "老年人助餐") {
		t.Fatal("the town's board does not show the committee's need")
	}
	x := a.signedIn("demo-district").get("/district/matching/export.xlsx")
	if x.StatusCode != http.StatusOK || !strings.HasPrefix(x.Body, "PK") {
		t.Fatalf("export: %d", x.StatusCode)
	}
}

func TestTownFairRefusesAnotherTownsProject(t *testing.T) {
	a := newApp(t, nil)
	ctx := context.Background()
	c := a.signedIn("demo-town")
	res := c.post("/town/matching/fairs", url.Values{"title": {"双龙湖街道项目洽谈会"}, "held_on": {time.Now().In(beijing).Format("2006-01-02")}, "venue": {"街道会议室"},
		"seen": {seenOf(t, c, "/town/matching/fairs/new", "#fair-form")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("fair: %d", res.StatusCode)
	}
	fair := res.Header.Get("Location")
	var need, own, other int64
	_ = a.db.Pool.QueryRow(ctx, `SELECT min(id) FROM community_needs WHERE town_code = $1`, seed.TownShuanglonghu).Scan(&need)
	_ = a.db.Pool.QueryRow(ctx, `SELECT min(id) FROM service_projects WHERE town_code = $1`, seed.TownShuanglonghu).Scan(&own)
	_ = a.db.Pool.QueryRow(ctx, `SELECT min(id) FROM service_projects WHERE town_code = $1`, seed.TownTongjing).Scan(&other)
	if need == 0 || own == 0 || other == 0 {
		t.Fatal("demo data lacks needs or projects")
	}
	before := a.count(`SELECT count(*) FROM matches`)
	seen := seenOf(t, c, fair, "#match-form")
	res = c.post(fair+"/matches", url.Values{"need": {strconv.FormatInt(need, 10)}, "project": {strconv.FormatInt(other, 10)}, "outcome": {"volunteer"}, "seen": {seen}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldMsg(t, res, "project"), "只能对接本镇街") {
		t.Fatalf("across towns: %d %q", res.StatusCode, fieldMsg(t, res, "project"))
	}
	res = c.post(fair+"/matches", url.Values{"need": {strconv.FormatInt(need, 10)}, "project": {strconv.FormatInt(own, 10)}, "outcome": {"none"}, "seen": {seen}})
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMsg(t, res, "reason") == "" {
		t.Fatalf("no deal without reason: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM matches`) != before {
		t.Fatal("a refused match was written")
	}
	// a contract outcome names a contract of the project's own group, kept by the town
	var contract, otherGroup int64
	_ = a.db.Pool.QueryRow(ctx, `SELECT min(k.id) FROM contracts k JOIN service_projects p ON p.org_id = k.org_id
		WHERE p.id = $1 AND k.division_code = $2`, own, seed.TownShuanglonghu).Scan(&contract)
	_ = a.db.Pool.QueryRow(ctx, `SELECT min(k.id) FROM contracts k JOIN service_projects p ON p.id = $1
		WHERE k.org_id <> p.org_id AND k.division_code = $2`, own, seed.TownShuanglonghu).Scan(&otherGroup)
	if contract == 0 || otherGroup == 0 {
		t.Fatal("demo data lacks the town's contracts")
	}
	contractMatch := url.Values{"need": {strconv.FormatInt(need, 10)}, "project": {strconv.FormatInt(own, 10)}, "outcome": {"contract"}, "seen": {seen}}
	for value, msg := range map[string]string{"": "请选择所签订的合同", "99999999": "请从列表中选择合同",
		strconv.FormatInt(otherGroup, 10): "不是该服务项目申报组织"} {
		contractMatch.Set("contract", value)
		res = c.post(fair+"/matches", contractMatch)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldMsg(t, res, "contract"), msg) {
			t.Fatalf("contract %q: %d %q", value, res.StatusCode, fieldMsg(t, res, "contract"))
		}
	}
	if a.count(`SELECT count(*) FROM matches`) != before {
		t.Fatal("a refused match was written")
	}
	contractMatch.Set("contract", strconv.FormatInt(contract, 10))
	res = c.post(fair+"/matches", contractMatch)
	if res.StatusCode != http.StatusSeeOther || a.count(`SELECT count(*) FROM matches`) != before+1 {
		t.Fatalf("good match: %d", res.StatusCode)
	}
	contractPath := "/town/funding/contracts/" + strconv.FormatInt(contract, 10)
	if c.get(fair).doc(t).Find(`#fair-matches a[href="`+contractPath+`"]`).Length() != 1 {
		t.Fatal("the fair does not link the match's contract")
	}
	if c.get(contractPath).doc(t).Find(`#contract-matches a[href="`+fair+`"]`).Length() == 0 {
		t.Fatal("the contract does not link back to the fair")
	}
	if a.signedIn("demo-town2").get(fair).StatusCode != http.StatusNotFound {
		t.Fatal("another town reads the fair")
	}
	// The district's fair is shown to a town and a committee, but only the district records matches there.
	var districtFair int64
	_ = a.db.Pool.QueryRow(ctx, `SELECT min(id) FROM matching_events WHERE town_code IS NULL`).Scan(&districtFair)
	dfair := "/town/matching/fairs/" + strconv.FormatInt(districtFair, 10)
	if res := c.get(dfair); res.StatusCode != http.StatusOK || res.doc(t).Find("#match-form").Length() != 0 {
		t.Fatalf("the town's view of the district's fair: %d", res.StatusCode)
	}
	res = c.post(dfair+"/matches", url.Values{"need": {strconv.FormatInt(need, 10)}, "project": {strconv.FormatInt(own, 10)}, "outcome": {"volunteer"}, "seen": {"0"}})
	if res.StatusCode != http.StatusNotFound || a.count(`SELECT count(*) FROM matches`) != before+1 {
		t.Fatalf("a town recorded a match at the district's fair: %d", res.StatusCode)
	}
	if a.signedIn("demo-community").get("/community"+strings.TrimPrefix(fair, "/town")).StatusCode != http.StatusOK {
		t.Fatal("a committee cannot read its town's fair")
	}
	if a.signedIn("demo-community2").get("/community"+strings.TrimPrefix(fair, "/town")).StatusCode != http.StatusNotFound {
		t.Fatal("another town's committee reads the fair")
	}
	// The district designates a brand project; the brand list shows it.
	d := a.signedIn("demo-district")
	seen = seenOf(t, d, "/district/brands", "#brand-form")
	if res := d.post("/district/brands", url.Values{"project": {strconv.FormatInt(own, 10)}, "plan": {""}, "seen": {seen}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("brand without plan: %d", res.StatusCode)
	}
	if res := d.post("/district/brands", url.Values{"project": {strconv.FormatInt(own, 10)}, "plan": {"三年覆盖全街道"}, "seen": {seen}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("brand: %d", res.StatusCode)
	}
	if !strings.Contains(c.get("/town/brands").Body, "三年覆盖全街道") {
		t.Fatal("the town's brand list does not show the plan")
	}
}

// A brand project shows on its group's record (with the group's other projects) and on its public profile (the
// brand alone); another town's clerk does not read the record.
func TestBrandProjectOnRecordAndPublicProfile(t *testing.T) {
	a := newApp(t, nil)
	ctx := context.Background()
	var org, brand int64
	var title, plan string
	if err := a.db.Pool.QueryRow(ctx, `SELECT p.org_id, p.id, p.title, b.plan FROM brand_projects b
		JOIN service_projects p ON p.id = b.project_id WHERE p.town_code = $1 ORDER BY p.id LIMIT 1`,
		seed.TownShuanglonghu).Scan(&org, &brand, &title, &plan); err != nil {
		t.Fatalf("demo brand: %v", err)
	}
	// a second project of the same group, not a brand
	c := a.signedIn("demo-town")
	res := c.post("/town/matching/projects", url.Values{"org": {strconv.FormatInt(org, 10)}, "title": {"邻里互助小组"},
		"aims": {"结对帮扶"}, "activities": {"每周走访"}, "beneficiaries": {"空巢老人"}, "series": {"邻里守望"}, "cost": {"5000"},
		"seen": {seenOf(t, c, "/town/matching/projects/new", "#project-form")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second project: %d", res.StatusCode)
	}
	rec := c.get("/town/orgs/" + strconv.FormatInt(org, 10)).doc(t)
	rows := rec.Find("#org-projects tbody tr")
	if rows.Length() < 2 || !strings.Contains(rows.First().Text(), title) || !strings.Contains(rows.First().Text(), "品牌项目") ||
		!strings.Contains(rows.First().Text(), plan) || !strings.Contains(rec.Find("#org-projects").Text(), "邻里互助小组") {
		t.Fatalf("record's projects: %q", rec.Find("#org-projects").Text())
	}
	pub := a.client().get("/orgs/" + strconv.FormatInt(org, 10))
	if pub.StatusCode != http.StatusOK {
		t.Fatalf("public profile: %d", pub.StatusCode)
	}
	brands := pub.doc(t).Find("#org-brands").Text()
	if !strings.Contains(brands, title) || strings.Contains(brands, "邻里互助小组") {
		t.Fatalf("public brands: %q", brands)
	}
}

// A fair with neither a platform room nor a place, or with a room the form does not offer, is refused at the
// field with the input kept and nothing written.
func TestFairWithoutPlaceIsRefusedAtTheField(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	before := a.count(`SELECT count(*) FROM matching_events`)
	form := url.Values{"title": {"双龙湖街道项目洽谈会"}, "held_on": {time.Now().In(beijing).Format("2006-01-02")},
		"seen": {seenOf(t, c, "/town/matching/fairs/new", "#fair-form")}}
	res := c.post("/town/matching/fairs", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldMsg(t, res, "venue"), "举办地点") {
		t.Fatalf("no place: %d %q", res.StatusCode, fieldMsg(t, res, "venue"))
	}
	if v, _ := res.doc(t).Find("#title").Attr("value"); v != "双龙湖街道项目洽谈会" {
		t.Fatal("title not kept")
	}
	form.Set("room", "99999999")
	if res := c.post("/town/matching/fairs", form); res.StatusCode != http.StatusUnprocessableEntity || fieldMsg(t, res, "room") == "" {
		t.Fatalf("a room not offered: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM matching_events`) != before {
		t.Fatal("a refused fair was written")
	}
}

// seenOf is the token the form sel on page carries.
func seenOf(t testing.TB, c *client, page, sel string) string {
	t.Helper()
	seen, ok := c.get(page).doc(t).Find(sel + " input[name=seen]").Attr("value")
	if !ok {
		t.Fatalf("%s %s has no token", page, sel)
	}
	return seen
}

// Each 供需对接 create form, the 洽谈会's match form too, carries a token: posted without one, with a stale one,
// or a second time, it is a 409 and nothing is written; the form as shown is taken once.
func TestMatchingCreatesCarryAToken(t *testing.T) {
	a := newApp(t, nil)
	until := time.Now().In(beijing).AddDate(0, 2, 0).Format("2006-01-02")
	today := time.Now().In(beijing).Format("2006-01-02")
	var org, project int64
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT min(id) FROM organizations WHERE town_code = $1
		AND status IN ('normal', 'abnormal')`, seed.TownShuanglonghu).Scan(&org)
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT min(p.id) FROM service_projects p WHERE NOT EXISTS
		(SELECT 1 FROM brand_projects b WHERE b.project_id = p.id)`).Scan(&project)
	// a match at the town's fair between one of its open needs and one of its projects
	var fair, need, offer int64
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT e.id, n.id, p.id FROM matching_events e
		JOIN community_needs n ON n.town_code = e.town_code JOIN service_projects p ON p.town_code = e.town_code
		WHERE e.town_code = $1 AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.need_id = n.id AND m.outcome <> 'none')
		  AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.event_id = e.id AND m.need_id = n.id AND m.project_id = p.id)
		ORDER BY e.id, n.id, p.id LIMIT 1`, seed.TownShuanglonghu).Scan(&fair, &need, &offer); err != nil {
		t.Fatal(err)
	}
	fairPage := "/town/matching/fairs/" + strconv.FormatInt(fair, 10)
	for _, tc := range []struct {
		who, page, form, action, count string
		values                         url.Values
	}{
		{"demo-community", "/community/matching/needs/new", "#need-form", "/community/matching/needs", `SELECT count(*) FROM community_needs`,
			url.Values{"community": {seed.CommunityDemo}, "title": {"老年人助餐"}, "beneficiaries": {"空巢老人"}, "series": {"邻里守望"},
				"place": {"社区食堂"}, "frequency": {"每周三次"}, "until": {until}}},
		{"demo-town", "/town/matching/projects/new", "#project-form", "/town/matching/projects", `SELECT count(*) FROM service_projects`,
			url.Values{"org": {strconv.FormatInt(org, 10)}, "title": {"邻里互助小组"}, "aims": {"结对帮扶"}, "activities": {"每周走访"},
				"beneficiaries": {"空巢老人"}, "series": {"邻里守望"}, "cost": {"5000"}}},
		{"demo-town", "/town/matching/fairs/new", "#fair-form", "/town/matching/fairs", `SELECT count(*) FROM matching_events`,
			url.Values{"title": {"双龙湖街道项目洽谈会"}, "held_on": {today}, "venue": {"街道会议室"}}},
		{"demo-town", fairPage, "#match-form", fairPage + "/matches", `SELECT count(*) FROM matches`,
			url.Values{"need": {strconv.FormatInt(need, 10)}, "project": {strconv.FormatInt(offer, 10)}, "outcome": {"volunteer"}}},
		{"demo-district", "/district/brands", "#brand-form", "/district/brands", `SELECT coalesce(sum(version), 0) FROM brand_projects`,
			url.Values{"project": {strconv.FormatInt(project, 10)}, "plan": {"三年覆盖全街道"}}},
	} {
		c := a.signedIn(tc.who)
		before := a.count(tc.count)
		seen := seenOf(t, c, tc.page, tc.form)
		for _, bad := range []string{"", "x", "99"} {
			tc.values.Set("seen", bad)
			if res := c.post(tc.action, tc.values); res.StatusCode != http.StatusConflict {
				t.Fatalf("%s with token %q: %d", tc.action, bad, res.StatusCode)
			}
		}
		if a.count(tc.count) != before {
			t.Fatalf("%s: a refused create wrote", tc.action)
		}
		tc.values.Set("seen", seen)
		if res := c.post(tc.action, tc.values); res.StatusCode != http.StatusSeeOther || a.count(tc.count) != before+1 {
			t.Fatalf("%s with its token: %d", tc.action, res.StatusCode)
		}
		if res := c.post(tc.action, tc.values); res.StatusCode != http.StatusConflict || a.count(tc.count) != before+1 {
			t.Fatalf("%s posted twice: %d", tc.action, res.StatusCode)
		}
	}
}

// The match form offers the 公益创投 applications the town sees in place of a free 申报编号: another town's
// application is refused at the field, another group's too, and a good match links the application's round.
func TestVentureMatchPicksAnApplication(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	ctx := context.Background()
	var fair, need, project, app, otherApp, foreign, round int64
	_ = a.db.Pool.QueryRow(ctx, `SELECT min(id) FROM matching_events WHERE town_code = $1`, seed.TownShuanglonghu).Scan(&fair)
	_ = a.db.Pool.QueryRow(ctx, `SELECT min(id) FROM community_needs WHERE town_code = $1`, seed.TownShuanglonghu).Scan(&need)
	// a project whose group applied to a round of the town, and an application of another group of the town
	if err := a.db.Pool.QueryRow(ctx, `SELECT p.id, a.id, a.round_id FROM service_projects p
		JOIN venture_applications a ON a.org_id = p.org_id
		WHERE p.town_code = $1 ORDER BY p.id LIMIT 1`, seed.TownShuanglonghu).Scan(&project, &app, &round); err != nil {
		t.Fatalf("a demo project with an application: %v", err)
	}
	_ = a.db.Pool.QueryRow(ctx, `SELECT a.id FROM venture_applications a JOIN organizations o ON o.id = a.org_id
		WHERE o.town_code = $1 AND a.org_id <> (SELECT org_id FROM service_projects WHERE id = $2) ORDER BY a.id LIMIT 1`,
		seed.TownShuanglonghu, project).Scan(&otherApp)
	_ = a.db.Pool.QueryRow(ctx, `SELECT a.id FROM venture_applications a JOIN organizations o ON o.id = a.org_id
		WHERE o.town_code = $1 ORDER BY a.id LIMIT 1`, seed.TownTongjing).Scan(&foreign)
	if fair == 0 || need == 0 || otherApp == 0 || foreign == 0 {
		t.Fatalf("demo data: fair %d need %d other %d foreign %d", fair, need, otherApp, foreign)
	}
	page := "/town/matching/fairs/" + strconv.FormatInt(fair, 10)
	doc := c.get(page).doc(t)
	if doc.Find(`#application option[value="`+strconv.FormatInt(app, 10)+`"]`).Length() != 1 ||
		doc.Find(`#application option[value="`+strconv.FormatInt(foreign, 10)+`"]`).Length() != 0 || doc.Find("#reference").Length() != 0 {
		t.Fatal("the match form should offer the town's applications, no other town's, and no free 申报编号")
	}
	matches := func() int { return a.count(`SELECT count(*) FROM matches WHERE event_id = $1`, fair) }
	before := matches()
	form := func(application int64) url.Values {
		return url.Values{"need": {strconv.FormatInt(need, 10)}, "project": {strconv.FormatInt(project, 10)},
			"outcome": {"venture"}, "application": {strconv.FormatInt(application, 10)}, "reason": {"备注"},
			"seen": {seenOf(t, c, page, "#match-form")}}
	}
	for _, tc := range []struct {
		application int64
		want        string
	}{{foreign, "请从列表中选择公益创投申报"}, {otherApp, "所选申报不是该服务项目申报组织的申报"}, {0, "公益创投请选择"}} {
		v := form(tc.application)
		if tc.application == 0 {
			v.Del("application")
		}
		res := c.post(page+"/matches", v)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldMsg(t, res, "application"), tc.want) {
			t.Fatalf("application %d: %d %q", tc.application, res.StatusCode, fieldMsg(t, res, "application"))
		}
		if sel, _ := res.doc(t).Find(`#project option[selected]`).Attr("value"); sel != strconv.FormatInt(project, 10) {
			t.Fatalf("application %d: the project is not kept", tc.application)
		}
	}
	if matches() != before {
		t.Fatal("a refused match was written")
	}
	if res := c.post(page+"/matches", form(app)); res.StatusCode != http.StatusSeeOther || matches() != before+1 {
		t.Fatalf("good match: %d", res.StatusCode)
	}
	href, _ := c.get(page).doc(t).Find(`a[href="/town/funding/rounds/` + strconv.FormatInt(round, 10) + `"]`).Attr("href")
	if href == "" {
		t.Fatal("the match does not link its application's round")
	}
}
