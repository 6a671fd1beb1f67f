package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
)

// liveOrgs is the ids of two live groups of the demo community, by name.
func (a *app) liveOrgs(community string) (int64, int64) {
	a.t.Helper()
	rows, err := a.db.Pool.Query(context.Background(), `SELECT id FROM organizations
		WHERE community_code = $1 AND status = 'normal' ORDER BY name, id LIMIT 2`, community)
	if err != nil {
		a.t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			a.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) < 2 {
		a.t.Fatalf("the demo community %s has %d live groups", community, len(ids))
	}
	return ids[0], ids[1]
}

func wrForm(org int64, p registry.Period, revision int, over url.Values) url.Values {
	f := url.Values{"org": {strconv.FormatInt(org, 10)}, "period": {p.Key()}, "revision": {strconv.Itoa(revision)},
		"summary": {"本期开展邻里互助活动 6 次，服务空巢老人 40 人次。"}, "activities": {"6"}, "members": {"18"},
		"plans": {"下期计划增加志愿者培训。"}}
	for k, v := range over {
		f[k] = v
	}
	return f
}

func TestWorkReportsCoverage(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	town := a.signedIn("demo-town")
	town2 := a.signedIn("demo-town2")
	org1, org2 := a.liveOrgs(seed.CommunityDemo)
	s1, s2 := strconv.FormatInt(org1, 10), strconv.FormatInt(org2, 10)
	cur := registry.PeriodOf(time.Now())

	if res := community.get("/community/work-reports/new?org=" + s1 + "&period=" + cur.Key()); res.StatusCode != http.StatusOK {
		t.Fatalf("form: %d", res.StatusCode)
	}
	res := community.post("/community/work-reports", wrForm(org1, cur, 0, nil))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", res.StatusCode, res.Body)
	}
	var stored struct{ community, town string }
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT community_code, town_code FROM work_reports
		WHERE org_id = $1`, org1).Scan(&stored.community, &stored.town); err != nil {
		t.Fatal(err)
	}
	if stored.community != seed.CommunityDemo || stored.town != seed.TownShuanglonghu {
		t.Errorf("stored in %+v", stored)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'workreport.submit'
		AND actor_username = 'demo-community'`); n != 1 {
		t.Errorf("%d audit rows", n)
	}

	page := community.get("/community/work-reports")
	d := page.doc(t)
	if got := d.Find(`#work-reports tr[data-id="` + s1 + `"] td.current .status`).Text(); got != "已报送" {
		t.Errorf("reported group shows %q", got)
	}
	if got := d.Find(`#work-reports tr[data-id="` + s2 + `"] td.current .status`).Text(); got != "未报送" {
		t.Errorf("other group shows %q", got)
	}
	if !strings.Contains(d.Find(".flash").Text(), "已报送") {
		t.Errorf("flash %q", d.Find(".flash").Text())
	}

	// The town's count for the community matches a recount in SQL.
	cov := town.get("/town/work-reports?period=" + cur.Key())
	if cov.StatusCode != http.StatusOK {
		t.Fatalf("town page: %d", cov.StatusCode)
	}
	row := cov.doc(t).Find(`#coverage tr[data-code="` + seed.CommunityDemo + `"]`)
	live := a.count(`SELECT count(*) FROM organizations WHERE community_code = $1 AND status IN ('normal', 'abnormal')`,
		seed.CommunityDemo)
	missing := a.count(`SELECT count(*) FROM organizations o WHERE o.community_code = $1
		AND o.status IN ('normal', 'abnormal') AND NOT EXISTS (SELECT 1 FROM work_reports w WHERE w.org_id = o.id
		AND w.period_year = $2 AND w.period_no = $3)`, seed.CommunityDemo, cur.Year, cur.Half)
	if got := strings.TrimSpace(row.Find(".live").Text()); got != strconv.Itoa(live) {
		t.Errorf("town shows %s live, SQL %d", got, live)
	}
	if got := strings.TrimSpace(row.Find(".missing").Text()); got != strconv.Itoa(missing) || missing != live-1 {
		t.Errorf("town shows %s missing, SQL %d of %d", got, missing, live)
	}
	dist := a.signedIn("demo-district").get("/district/work-reports?period=" + cur.Key())
	if got := strings.TrimSpace(dist.doc(t).Find(`#coverage tr[data-code="` + seed.TownShuanglonghu + `"] .reported`).Text()); got != "1" {
		t.Errorf("district shows %q reported for the town", got)
	}
	if res := town.get("/town/work-reports?period=2999-1"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad period: %d", res.StatusCode)
	}

	// Another town sees none of it, and the community's groups are 404 to it and to another community.
	other := town2.get("/town/work-reports?period=" + cur.Key())
	if other.doc(t).Find(`#coverage tr[data-code="`+seed.CommunityDemo+`"]`).Length() != 0 ||
		strings.Contains(other.Body, seed.CommunityDemo) {
		t.Error("demo-town2 sees demo-community's row")
	}
	if res := town2.get("/town/orgs/" + s1 + "/evaluations"); res.StatusCode != http.StatusNotFound {
		t.Errorf("demo-town2 on the history: %d", res.StatusCode)
	}
	c2 := a.signedIn("demo-community2")
	if res := c2.get("/community/work-reports/new?org=" + s2 + "&period=" + cur.Key()); res.StatusCode != http.StatusNotFound {
		t.Errorf("demo-community2 on the form: %d", res.StatusCode)
	}
	if res := c2.post("/community/work-reports", wrForm(org2, cur, 0, nil)); res.StatusCode != http.StatusNotFound {
		t.Errorf("demo-community2 submits: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM work_reports WHERE org_id = $1`, org2); n != 0 {
		t.Errorf("%d reports written for org2", n)
	}
}

func TestWorkReportInputAndCorrection(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	org1, _ := a.liveOrgs(seed.CommunityDemo)
	cur := registry.PeriodOf(time.Now())

	bad := community.post("/community/work-reports", wrForm(org1, cur, 0,
		url.Values{"summary": {"  "}, "activities": {"abc"}, "members": {"-3"}, "plans": {"保留的计划"}}))
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", bad.StatusCode)
	}
	d := bad.doc(t)
	for _, f := range []string{"summary", "activities", "members"} {
		if d.Find(`[data-field="`+f+`"] .msg`).Length() != 1 {
			t.Errorf("no message at %s", f)
		}
	}
	if d.Find(".errors li").Length() != 3 || d.Find("#plans").Text() != "保留的计划" {
		t.Errorf("summary %d items, plans kept %q", d.Find(".errors li").Length(), d.Find("#plans").Text())
	}
	ahead := registry.Period{Year: cur.Year + 1, Half: 1}
	if res := community.post("/community/work-reports", wrForm(org1, ahead, 0, nil)); res.StatusCode != http.StatusNotFound {
		t.Errorf("future period: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM work_reports WHERE community_code = $1`, seed.CommunityDemo); n != 0 {
		t.Fatalf("%d reports written by refused requests", n)
	}

	if res := community.post("/community/work-reports", wrForm(org1, cur, 0, nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first: %d", res.StatusCode)
	}
	form := community.get("/community/work-reports/new?org=" + strconv.FormatInt(org1, 10) + "&period=" + cur.Key())
	if v, _ := form.doc(t).Find(`input[name="revision"]`).Attr("value"); v != "1" {
		t.Fatalf("correction form carries revision %q", v)
	}
	if res := community.post("/community/work-reports", wrForm(org1, cur, 1, url.Values{"activities": {"7"}})); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correction: %d", res.StatusCode)
	}
	if res := community.post("/community/work-reports", wrForm(org1, cur, 1, nil)); res.StatusCode != http.StatusConflict {
		t.Errorf("stale correction: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM work_reports WHERE org_id = $1`, org1); n != 2 {
		t.Errorf("%d revisions kept", n)
	}
	page := community.get("/community/work-reports").doc(t)
	if got := page.Find(`tr[data-id="` + strconv.FormatInt(org1, 10) + `"] td.current .status`).Text(); got != "已报送（更正 1 次）" {
		t.Errorf("after correction: %q", got)
	}
}

func evalForm(org int64, year, version int, scores [4]string, over url.Values) url.Values {
	f := url.Values{"org": {strconv.FormatInt(org, 10)}, "year": {strconv.Itoa(year)}, "version": {strconv.Itoa(version)},
		"score_governance": {scores[0]}, "score_service": {scores[1]}, "score_satisfaction": {scores[2]},
		"score_party": {scores[3]}, "views": {"居民普遍反映活动丰富。"}, "grade": {""}, "override_reason": {""}}
	for k, v := range over {
		f[k] = v
	}
	return f
}

func TestEvaluations(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	org1, _ := a.liveOrgs(seed.CommunityDemo)
	sid := strconv.FormatInt(org1, 10)
	year := time.Now().In(beijing).Year()

	if res := community.get("/community/evaluations/new?org=" + sid); res.StatusCode != http.StatusOK {
		t.Fatalf("form: %d", res.StatusCode)
	}
	// 89.75 is 良好; raising it to 优秀 needs a reason.
	good := [4]string{"90", "90", "90", "89"}
	res := community.post("/community/evaluations", evalForm(org1, year, 0, good, url.Values{"grade": {"excellent"}}))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("override without reason: %d", res.StatusCode)
	}
	d := res.doc(t)
	if d.Find(`[data-field="override_reason"] .msg`).Length() != 1 || d.Find(`#score_party`).AttrOr("value", "") != "89" {
		t.Error("no message at the reason, or the scores were not kept")
	}
	bad := community.post("/community/evaluations", evalForm(org1, year, 0, [4]string{"101", "", "x", "50"}, nil))
	if bad.StatusCode != http.StatusUnprocessableEntity || bad.doc(t).Find(".errors li").Length() != 3 {
		t.Errorf("bad scores: %d", bad.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM evaluations WHERE community_code = $1`, seed.CommunityDemo); n != 0 {
		t.Fatalf("%d evaluations written by refused requests", n)
	}

	if res := community.post("/community/evaluations", evalForm(org1, year-1, 0, [4]string{"60", "60", "60", "59"}, nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("last year: %d\n%s", res.StatusCode, res.Body)
	}
	if res := community.post("/community/evaluations", evalForm(org1, year, 0, good, nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("this year: %d", res.StatusCode)
	}
	hist := a.signedIn("demo-town").get("/town/orgs/" + sid + "/evaluations")
	if hist.StatusCode != http.StatusOK {
		t.Fatalf("town history: %d", hist.StatusCode)
	}
	rows := hist.doc(t).Find("#evaluations tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("history has %d rows", rows.Length())
	}
	if y, g := rows.Eq(0).Find(".year").Text(), rows.Eq(0).Find(".grade").Text(); y != strconv.Itoa(year)+"年度" || g != "良好" {
		t.Errorf("first row %s %s", y, g)
	}
	if g := rows.Eq(1).Find(".grade").Text(); g != "不合格" {
		t.Errorf("last year's 59.75 graded %s", g)
	}

	// Two re-evaluations of this year from the same version: one wins, the other is told of the conflict.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			codes[i] = community.post("/community/evaluations", evalForm(org1, year, 1,
				[4]string{"95", "95", "95", "95"}, nil)).StatusCode
		}(i)
	}
	wg.Wait()
	if !(codes[0] == http.StatusSeeOther && codes[1] == http.StatusConflict ||
		codes[0] == http.StatusConflict && codes[1] == http.StatusSeeOther) {
		t.Errorf("concurrent re-evaluations: %v", codes)
	}
	if n := a.count(`SELECT count(*) FROM evaluations WHERE org_id = $1 AND year = $2`, org1, year); n != 2 {
		t.Errorf("%d versions of this year", n)
	}

	// The lists show the latest grade, filtered; another town sees nothing of it.
	list := a.signedIn("demo-district").get("/district/evaluations?grade=excellent").doc(t)
	if list.Find(`#evaluations tr[data-org="`+sid+`"]`).Length() != 1 {
		t.Error("the district list does not show the re-evaluated group as 优秀")
	}
	if a.signedIn("demo-district").get("/district/evaluations?grade=good").doc(t).Find(`tr[data-org="`+sid+`"]`).Length() != 0 {
		t.Error("the superseded grade is listed")
	}
	if a.signedIn("demo-town2").get("/town/evaluations").doc(t).Find(`tr[data-org="`+sid+`"]`).Length() != 0 {
		t.Error("demo-town2 lists demo-town's group")
	}
}

func TestMarkAbnormalAfterMissedPeriods(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	_, org2 := a.liveOrgs(seed.CommunityDemo)
	sid := strconv.FormatInt(org2, 10)
	// The group existed long before the periods it missed.
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE organizations SET created_at = '2020-01-01'
		WHERE id = $1`, org2); err != nil {
		t.Fatal(err)
	}
	page := town.get("/town/work-reports")
	row := page.doc(t).Find(`#lapsed tr[data-id="` + sid + `"]`)
	if row.Length() != 1 {
		t.Fatal("the group is not among those that missed their reports")
	}
	version := row.Find(`input[name="version"]`).AttrOr("value", "")
	if res := a.signedIn("demo-town2").post("/town/work-reports/mark-abnormal",
		url.Values{"org": {sid}, "version": {version}, "reason": {"越权"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("demo-town2 marks: %d", res.StatusCode)
	}
	if res := town.post("/town/work-reports/mark-abnormal", url.Values{"org": {sid}, "version": {version},
		"reason": {""}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("no reason: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND status = 'abnormal'`, org2); n != 0 {
		t.Fatal("a refused request changed the status")
	}
	res := town.post("/town/work-reports/mark-abnormal", url.Values{"org": {sid}, "version": {version},
		"reason": {"连续两期未报送，经核实已停止活动"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = 'status_changed'
		AND from_value = 'normal' AND to_value = 'abnormal'`, org2); n != 1 {
		t.Errorf("%d timeline rows", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.status' AND object_id = $1`, sid); n != 1 {
		t.Errorf("%d audit rows", n)
	}
	if res := town.post("/town/work-reports/mark-abnormal", url.Values{"org": {sid}, "version": {version},
		"reason": {"再次标记"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("stale mark: %d", res.StatusCode)
	}
}
