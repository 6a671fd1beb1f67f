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

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/seed"
)

// noticeForm is a valid major-activity notice for demo-community starting in, with overrides.
func noticeForm(in time.Duration, over url.Values) url.Values {
	start := time.Now().Add(in).In(beijing)
	f := url.Values{
		"kind": {"文化演出"}, "title": {"社区文艺汇演"}, "starts_at": {start.Format("2006-01-02T15:04")},
		"ends_at": {start.Add(3 * time.Hour).Format("2006-01-02T15:04")}, "place": {"社区文化广场"},
		"attendance": {"300"}, "org": {""}, "organizer": {"锦华社区居民委员会"},
		"safety": {"志愿者10名维持秩序，设置疏散通道，配备灭火器。"}, "contact_name": {"王芳"}, "phone": {"13812345678"},
	}
	for k, v := range over {
		f[k] = v
	}
	return f
}

// reportNotice has demo-community report an activity starting in and returns the notice's id.
func (a *app) reportNotice(c *client, in time.Duration, over url.Values) int64 {
	a.t.Helper()
	res := c.post("/community/notices", noticeForm(in, over))
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("report: %d\n%s", res.StatusCode, res.Body)
	}
	loc := res.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/community/notices/"), 10, 64)
	if err != nil {
		a.t.Fatalf("redirect to %q", loc)
	}
	return id
}

// noticeState is what a refused request must leave unchanged: the notice's version, its history and its
// audit rows.
func (a *app) noticeState(id int64) (version, events, audits int) {
	a.t.Helper()
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT version FROM major_activities WHERE id = $1`, id).
		Scan(&version); err != nil {
		a.t.Fatal(err)
	}
	events = a.count(`SELECT count(*) FROM major_activity_events WHERE activity_id = $1`, id)
	audits = a.count(`SELECT count(*) FROM audit_log WHERE object_type = 'major_activity' AND object_id = $1`,
		strconv.FormatInt(id, 10))
	return
}

// noticeVersionOn reads the version a form on the page carries.
func noticeVersionOn(t *testing.T, res response, form string) string {
	t.Helper()
	v, ok := res.doc(t).Find(form + ` input[name="version"]`).Attr("value")
	if !ok {
		t.Fatalf("no %s form with a version on the page", form)
	}
	return v
}

func TestNoticeReportedAndAcknowledged(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	town := a.signedIn("demo-town")

	if res := community.get("/community/notices/new"); res.StatusCode != http.StatusOK {
		t.Fatalf("new form: %d", res.StatusCode)
	}
	id := a.reportNotice(community, 5*24*time.Hour, nil)
	sid := strconv.FormatInt(id, 10)
	detail := community.get("/community/notices/" + sid)
	d := detail.doc(t)
	if !strings.Contains(d.Find(".flash").Text(), "已提交") || strings.TrimSpace(d.Find("#notice-status").Text()) != "待确认" {
		t.Errorf("after report: flash %q, status %q", d.Find(".flash").Text(), d.Find("#notice-status").Text())
	}
	if got := strings.TrimSpace(d.Find("#fact-contact-phone").Text()); got != "138****5678" {
		t.Errorf("phone shown as %q", got)
	}
	if strings.Contains(detail.Body, "13812345678") {
		t.Error("the detail page shows the full phone")
	}
	var communityCode, townCode string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT community_code, town_code FROM major_activities
		WHERE id = $1`, id).Scan(&communityCode, &townCode); err != nil {
		t.Fatal(err)
	}
	if communityCode != seed.CommunityDemo || townCode != seed.TownShuanglonghu {
		t.Errorf("stored in %s %s", communityCode, townCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'notice.submit' AND object_id = $1
		AND actor_username = 'demo-community'`, sid); n != 1 {
		t.Errorf("%d notice.submit audit rows", n)
	}

	// The town sees it on its calendar and among those waiting.
	cal := town.get("/town/notices")
	if cal.StatusCode != http.StatusOK {
		t.Fatalf("calendar: %d", cal.StatusCode)
	}
	cd := cal.doc(t)
	if cd.Find(`#calendar tr[data-id="`+sid+`"]`).Length() != 1 || cd.Find(`#waiting tr[data-id="`+sid+`"]`).Length() != 1 {
		t.Fatal("the notice is not on the town's calendar and waiting table")
	}
	if cd.Find(`#waiting tr[data-id="`+sid+`"] .urgent`).Length() != 0 {
		t.Error("a notice five days ahead is marked urgent")
	}

	page := town.get("/town/notices/" + sid)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("town detail: %d", page.StatusCode)
	}
	res := town.post("/town/notices/"+sid+"/acknowledge", url.Values{"version": {noticeVersionOn(t, page, "#acknowledge")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d", res.StatusCode)
	}
	if got := strings.TrimSpace(community.get("/community/notices/" + sid).doc(t).Find("#notice-status").Text()); got != "已确认" {
		t.Errorf("the community sees %q", got)
	}
	list := community.get("/community/notices").doc(t)
	if !strings.Contains(list.Find(`#notices tr[data-id="`+sid+`"]`).Text(), "已确认") {
		t.Error("the community's list does not show 已确认")
	}
	if cal := town.get("/town/notices").doc(t); cal.Find(`#waiting tr[data-id="`+sid+`"]`).Length() != 0 {
		t.Error("an acknowledged notice still waits")
	}

	// The district reads it, and its filters narrow the list.
	district := a.signedIn("demo-district")
	if got := district.get("/district/notices?town=" + seed.TownShuanglonghu + "&status=acknowledged&kind=文化演出").doc(t); got.Find(`#notices tr[data-id="`+sid+`"]`).Length() != 1 {
		t.Error("the district's filtered list misses the notice")
	}
	if got := district.get("/district/notices?town=" + seed.TownTongjing).doc(t); got.Find(`#notices tr[data-id="`+sid+`"]`).Length() != 0 {
		t.Error("the district's list for 统景镇 shows 双龙湖's notice")
	}
	if res := district.get("/district/notices?status=nonsense"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a bad filter: %d", res.StatusCode)
	}
	res = district.get("/district/notices/" + sid)
	if res.StatusCode != http.StatusOK || res.doc(t).Find("#acknowledge, #request-changes, #withdraw").Length() != 0 {
		t.Errorf("district detail: %d, or it offers actions", res.StatusCode)
	}
	// The history and the facts name the committee and the town officer by display name, username beside.
	checkActors(t, res.doc(t).Find("#timeline tbody tr td:nth-child(2)"), []string{"社区演示账号", "双龙湖街道演示账号"},
		[]string{"demo-community", "demo-town"})
	checkActors(t, res.doc(t).Find("#fact-submitted, #fact-decided"), []string{"社区演示账号", "双龙湖街道演示账号"},
		[]string{"demo-community", "demo-town"})
}

func TestNoticeChangesRequestedAndResubmitted(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	town := a.signedIn("demo-town")
	id := a.reportNotice(community, 6*24*time.Hour, nil)
	sid := strconv.FormatInt(id, 10)
	version := noticeVersionOn(t, town.get("/town/notices/"+sid), "#request-changes")

	v0, e0, a0 := a.noticeState(id)
	res := town.post("/town/notices/"+sid+"/request-changes", url.Values{"version": {version}, "reason": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty reason: %d", res.StatusCode)
	}
	if msg := res.doc(t).Find(`[data-field="reason"] .msg`).Text(); !strings.Contains(msg, "请写明") {
		t.Errorf("message at the reason %q", msg)
	}
	if v, e, au := a.noticeState(id); v != v0 || e != e0 || au != a0 {
		t.Error("an empty reason wrote something")
	}

	reason := "请补充疏散通道和现场安保人员安排"
	res = town.post("/town/notices/"+sid+"/request-changes", url.Values{"version": {version}, "reason": {reason}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("request changes: %d", res.StatusCode)
	}
	d := community.get("/community/notices/" + sid).doc(t)
	if strings.TrimSpace(d.Find("#notice-status").Text()) != "需修改" || !strings.Contains(d.Find("#request").Text(), reason) {
		t.Errorf("the community sees %q / %q", d.Find("#notice-status").Text(), d.Find("#request").Text())
	}
	if d.Find("#edit-link").Length() != 1 {
		t.Fatal("no edit link while 需修改")
	}

	edit := community.get("/community/notices/" + sid + "/edit")
	if edit.StatusCode != http.StatusOK {
		t.Fatalf("edit: %d", edit.StatusCode)
	}
	ed := edit.doc(t)
	if v, _ := ed.Find("#title").Attr("value"); v != "社区文艺汇演" {
		t.Errorf("title prefilled %q", v)
	}
	if v, _ := ed.Find("#phone").Attr("value"); v != "138****5678" {
		t.Errorf("phone prefilled %q", v)
	}
	form := url.Values{"version": {noticeVersionOn(t, edit, "#notice-form")}}
	for _, k := range []string{"title", "starts_at", "ends_at", "place", "attendance", "organizer", "contact_name", "phone"} {
		v, _ := ed.Find("#" + k).Attr("value")
		form.Set(k, v)
	}
	form.Set("kind", "文化演出")
	form.Set("safety", "志愿者10名维持秩序，设置疏散通道两处，安保人员6名。")
	res = community.post("/community/notices/"+sid+"/edit", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit: %d\n%s", res.StatusCode, res.Body)
	}
	d = community.get("/community/notices/" + sid).doc(t)
	if strings.TrimSpace(d.Find("#notice-status").Text()) != "待确认" || d.Find("#request").Length() != 0 {
		t.Errorf("after resubmitting: %q", d.Find("#notice-status").Text())
	}
	if !strings.Contains(d.Find("#timeline").Text(), "安全措施") {
		t.Error("the history does not name what changed")
	}
	var mask string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT contact_phone_mask FROM major_activities WHERE id = $1`, id).
		Scan(&mask); err != nil || mask != "138****5678" {
		t.Errorf("the phone was not kept: %q %v", mask, err)
	}
	if town.get("/town/notices").doc(t).Find(`#waiting tr[data-id="`+sid+`"]`).Length() != 1 {
		t.Error("the resubmitted notice is not waiting for the town")
	}
}

func TestNoticePastStartRefused(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	before := a.count(`SELECT count(*) FROM major_activities`)
	audits := a.count(`SELECT count(*) FROM audit_log WHERE object_type = 'major_activity'`)
	res := community.post("/community/notices", noticeForm(-2*time.Hour, nil))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("past start: %d", res.StatusCode)
	}
	d := res.doc(t)
	if msg := d.Find(`[data-field="starts_at"] .msg`).Text(); !strings.Contains(msg, "报告须在活动开始前提交") {
		t.Errorf("message at the start %q", msg)
	}
	if v, _ := d.Find("#title").Attr("value"); v != "社区文艺汇演" {
		t.Errorf("input not kept: %q", v)
	}
	if a.count(`SELECT count(*) FROM major_activities`) != before ||
		a.count(`SELECT count(*) FROM audit_log WHERE object_type = 'major_activity'`) != audits {
		t.Error("a refused notice wrote something")
	}
}

func TestNoticeBadInput(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	before := a.count(`SELECT count(*) FROM major_activities`)
	start := time.Now().Add(48 * time.Hour).In(beijing)
	res := community.post("/community/notices", noticeForm(48*time.Hour, url.Values{
		"kind": {"演唱会"}, "title": {"<script>alert(1)</script>"}, "attendance": {"0"}, "safety": {""},
		"phone": {"12345"}, "ends_at": {start.Add(-time.Hour).Format("2006-01-02T15:04")},
		"org": {"999999999"}, "contact_name": {""},
	}))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", res.StatusCode)
	}
	d := res.doc(t)
	for _, field := range []string{"kind", "attendance", "safety", "phone", "ends_at", "org", "contact_name"} {
		if d.Find(`[data-field="`+field+`"] .msg`).Text() == "" {
			t.Errorf("no message at %s", field)
		}
	}
	if d.Find(".errors li").Length() != 7 {
		t.Errorf("summary lists %d problems, want 7", d.Find(".errors li").Length())
	}
	if v, _ := d.Find("#title").Attr("value"); v != "<script>alert(1)</script>" {
		t.Errorf("title not kept: %q", v)
	}
	if strings.Contains(res.Body, "<script>alert(1)") {
		t.Error("the title renders unescaped")
	}
	if v, _ := d.Find("#phone").Attr("value"); v != "12345" {
		t.Errorf("phone not kept: %q", v)
	}
	if v, _ := d.Find("#place").Attr("value"); v != "社区文化广场" {
		t.Errorf("place not kept: %q", v)
	}
	if a.count(`SELECT count(*) FROM major_activities`) != before {
		t.Error("bad input wrote a notice")
	}
}

func TestNoticeConcurrentAcknowledgements(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	id := a.reportNotice(community, 4*24*time.Hour, nil)
	sid := strconv.FormatInt(id, 10)
	officers := []*client{a.signedIn("demo-town"), a.signedIn("demo-town")}
	versions := make([]string, len(officers))
	for i, c := range officers {
		versions[i] = noticeVersionOn(t, c.get("/town/notices/"+sid), "#acknowledge")
	}
	codes := make([]int, len(officers))
	var wg sync.WaitGroup
	for i, c := range officers {
		wg.Go(func() {
			codes[i] = c.post("/town/notices/"+sid+"/acknowledge", url.Values{"version": {versions[i]}}).StatusCode
		})
	}
	wg.Wait()
	if !(codes[0] == http.StatusSeeOther && codes[1] == http.StatusConflict) &&
		!(codes[0] == http.StatusConflict && codes[1] == http.StatusSeeOther) {
		t.Errorf("answers %v, want one 303 and one 409", codes)
	}
	if n := a.count(`SELECT count(*) FROM major_activity_events WHERE activity_id = $1 AND to_status = 'acknowledged'`, id); n != 1 {
		t.Errorf("%d acknowledgement history rows", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'notice.acknowledge' AND object_id = $1`, sid); n != 1 {
		t.Errorf("%d acknowledgement audit rows", n)
	}
}

func TestNoticeJurisdiction(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	id := a.reportNotice(community, 2*24*time.Hour, nil)
	sid := strconv.FormatInt(id, 10)
	v0, e0, a0 := a.noticeState(id)

	town2 := a.signedIn("demo-town2")
	if res := town2.get("/town/notices/" + sid); res.StatusCode != http.StatusNotFound {
		t.Errorf("demo-town2 reads demo-town's notice: %d", res.StatusCode)
	}
	for _, action := range []string{"acknowledge", "request-changes", "reveal"} {
		res := town2.post("/town/notices/"+sid+"/"+action, url.Values{"version": {"1"}, "reason": {"核实"}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("demo-town2 %s: %d", action, res.StatusCode)
		}
	}
	if town2.get("/town/notices").doc(t).Find(`tr[data-id="`+sid+`"]`).Length() != 0 {
		t.Error("demo-town2's calendar shows demo-town's notice")
	}

	community2 := a.signedIn("demo-community2")
	for _, path := range []string{"/community/notices/" + sid, "/community/notices/" + sid + "/edit"} {
		if res := community2.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("demo-community2 GET %s: %d", path, res.StatusCode)
		}
	}
	if res := community2.post("/community/notices/"+sid+"/withdraw", url.Values{"version": {"1"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("demo-community2 withdraws: %d", res.StatusCode)
	}
	if community2.get("/community/notices").doc(t).Find(`tr[data-id="`+sid+`"]`).Length() != 0 {
		t.Error("demo-community2's list shows demo-community's notice")
	}
	if v, e, au := a.noticeState(id); v != v0 || e != e0 || au != a0 {
		t.Error("requests from outside the jurisdiction wrote something")
	}
	// Another tier's area is 403, whatever the id.
	if res := community.get("/town/notices/" + sid); res.StatusCode != http.StatusForbidden {
		t.Errorf("a committee in the town area: %d", res.StatusCode)
	}
}

func TestNoticeUrgentMarked(t *testing.T) {
	a := newApp(t, nil)
	ctx := context.Background()
	scope := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	before, err := a.db.UrgentNotices(ctx, scope, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	community := a.signedIn("demo-community")
	id := a.reportNotice(community, 2*24*time.Hour, url.Values{"title": {"重阳敬老游园会"}})
	sid := strconv.FormatInt(id, 10)
	if after, _ := a.db.UrgentNotices(ctx, scope, time.Now()); after != before+1 {
		t.Errorf("UrgentNotices %d → %d, want one more", before, after)
	}

	cal := a.signedIn("demo-town").get("/town/notices").doc(t)
	for _, table := range []string{"#waiting", "#calendar"} {
		mark := cal.Find(table + ` tr[data-id="` + sid + `"] .urgent`)
		if mark.Length() != 1 || !mark.HasClass("bad") || strings.TrimSpace(mark.Text()) != "临近未确认" {
			t.Errorf("%s: the urgent notice is not marked 临近未确认", table)
		}
	}
	if !strings.Contains(cal.Find("#urgent-summary").Text(), "临近未确认") {
		t.Error("no urgent summary on the calendar")
	}
}

func TestNoticeWithdrawAndReveal(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	town := a.signedIn("demo-town")
	id := a.reportNotice(community, 3*24*time.Hour, nil)
	sid := strconv.FormatInt(id, 10)

	// The town calls the contact: the full number once, with a reason, audited.
	if res := town.post("/town/notices/"+sid+"/reveal", url.Values{"reason": {""}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("reveal without a reason: %d", res.StatusCode)
	}
	res := town.post("/town/notices/"+sid+"/reveal", url.Values{"reason": {"电话核实安保安排"}})
	if res.StatusCode != http.StatusOK || strings.TrimSpace(res.doc(t).Find("#revealed-phone").Text()) != "13812345678" {
		t.Errorf("reveal: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'notice.reveal' AND object_id = $1`, sid); n != 1 {
		t.Errorf("%d reveal audit rows", n)
	}

	page := community.get("/community/notices/" + sid)
	if page.doc(t).Find("#withdraw[data-confirm], #withdraw form[data-confirm]").Length() == 0 {
		t.Error("withdrawal asks no confirmation")
	}
	res = community.post("/community/notices/"+sid+"/withdraw", url.Values{"version": {noticeVersionOn(t, page, "#withdraw")},
		"reason": {"因天气原因取消"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.StatusCode)
	}
	if got := strings.TrimSpace(community.get("/community/notices/" + sid).doc(t).Find("#notice-status").Text()); got != "已撤回" {
		t.Errorf("after withdrawing: %q", got)
	}
	if town.get("/town/notices").doc(t).Find(`tr[data-id="`+sid+`"]`).Length() != 0 {
		t.Error("a withdrawn notice stays on the town's calendar")
	}
	if res := town.post("/town/notices/"+sid+"/acknowledge", url.Values{"version": {"2"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("acknowledging a withdrawn notice: %d", res.StatusCode)
	}
}
