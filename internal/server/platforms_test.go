package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
)

// cultivationWrites counts every row the cultivation pages write, so a refused form can show it wrote nothing.
func (a *app) cultivationWrites() int {
	return a.count(`SELECT (SELECT count(*) FROM platforms) + (SELECT count(*) FROM rooms) + (SELECT count(*) FROM bookings)
		+ (SELECT count(*) FROM housings) + (SELECT count(*) FROM incubations) + (SELECT count(*) FROM cultivation_events)
		+ (SELECT count(*) FROM audit_log WHERE object_type = 'platform')`)
}

// townIncubator registers an incubator of the demo town with one room through the pages and gives their ids.
func (a *app) townIncubator(town *client, name string) (platform, room string) {
	a.t.Helper()
	res := town.post("/town/platforms", url.Values{"seen": {town.seen("/town/platforms/new", "platform-form")}, "kind": {registry.PlatformIncubator}, "name": {name},
		"address": {"双龙湖街道龙湖路 1 号"}, "services": {"培育孵化", "场地支持"}, "staff_count": {"3"},
		"run_by": {registry.RunByGovernment}})
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("register: %d %s", res.StatusCode, res.Body)
	}
	loc := res.Header.Get("Location")
	platform = loc[strings.LastIndex(loc, "/")+1:]
	res = town.post(loc+"/rooms", url.Values{"seen": {town.seen(loc, "room-form")}, "room_name": {"多功能活动室"}, "capacity": {"40"}, "equipment": {"投影仪"}})
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("add room: %d", res.StatusCode)
	}
	href, ok := town.get(loc).doc(a.t).Find("#rooms a").Attr("href")
	if !ok {
		a.t.Fatal("no room link")
	}
	room = strings.TrimPrefix(strings.Split(href, "?")[0], loc+"/rooms/")
	return platform, room
}

func TestPlatformPagesAndJurisdiction(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	pid, rid := a.townIncubator(town, "双龙湖街道社区社会组织孵化基地（页面）")
	d := town.get("/town/platforms/" + pid).doc(t)
	if d.Find("#platform-name").Text() != "双龙湖街道社区社会组织孵化基地（页面）" || d.Find("#rooms tbody tr").Length() != 1 {
		t.Fatalf("platform page: %q", d.Find("#platform-name").Text())
	}
	if d.Find("#incubate-form").Length() != 1 || d.Find("#home-form").Length() != 1 {
		t.Error("the keeping town has no incubation or 安家 form")
	}
	if !strings.Contains(town.get("/town/platforms").Body, "双龙湖街道社区社会组织孵化基地（页面）") {
		t.Error("the register does not list it")
	}
	// another town: 404 on the page, the room, and every write; the district reads it without forms
	town2 := a.signedIn("demo-town2")
	before := a.cultivationWrites()
	for _, res := range []response{
		town2.get("/town/platforms/" + pid),
		town2.get("/town/platforms/" + pid + "/rooms/" + rid),
		town2.post("/town/platforms/"+pid+"/rooms", url.Values{"room_name": {"会议室"}, "capacity": {"10"}}),
		town2.post("/town/platforms/"+pid+"/rooms/"+rid+"/bookings", url.Values{"title": {"排练"}}),
		town2.post("/town/platforms/"+pid+"/housings", url.Values{"home_org": {"1"}}),
	} {
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("another town: %d, want 404", res.StatusCode)
		}
	}
	if strings.Contains(town2.get("/town/platforms").Body, "（页面）") {
		t.Error("another town's register lists it")
	}
	if a.cultivationWrites() != before {
		t.Error("another town's requests wrote something")
	}
	district := a.signedIn("demo-district")
	dd := district.get("/district/platforms/" + pid).doc(t)
	if dd.Find("#platform-name").Length() != 1 || dd.Find("#room-form").Length() != 0 || dd.Find("#home-form").Length() != 0 {
		t.Error("the district should read the town's platform without its forms")
	}
}

func TestPlatformFormBadInput(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	before := a.cultivationWrites()
	res := town.post("/town/platforms", url.Values{"kind": {registry.PlatformIncubator}, "name": {"双龙湖街道孵化基地"},
		"staff_count": {"-2"}, "run_by": {registry.RunByEntrusted}, "operator_name": {"渝北区社会组织联合会"},
		"operator_kind": {"枢纽型社会组织"}, "contract_from": {"2024-01-01"}, "contract_to": {"2023-12-31"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad platform: %d", res.StatusCode)
	}
	d := res.doc(t)
	if msg := d.Find(`[data-field="contract_to"] .msg`).Text(); !strings.Contains(msg, "不能早于") {
		t.Errorf("end before start: message %q", msg)
	}
	if msg := d.Find(`[data-field="staff_count"] .msg`).Text(); msg == "" {
		t.Error("no message at a negative staff count")
	}
	if v, _ := d.Find("#name").Attr("value"); v != "双龙湖街道孵化基地" {
		t.Errorf("name not kept: %q", v)
	}
	if v, _ := d.Find("#contract_from").Attr("value"); v != "2024-01-01" {
		t.Errorf("date not kept: %q", v)
	}
	if a.cultivationWrites() != before {
		t.Error("a refused platform wrote something")
	}
	// a committee may register only its 社会工作室
	community := a.signedIn("demo-community")
	res = community.post("/community/platforms", url.Values{"kind": {registry.PlatformIncubator}, "name": {"社区孵化基地"},
		"staff_count": {"1"}, "run_by": {registry.RunByGovernment}})
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-field="kind"] .msg`).Text() == "" {
		t.Errorf("committee registering an incubator: %d", res.StatusCode)
	}
}

func TestBookingFormBadInputAndOverlap(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	pid, rid := a.townIncubator(town, "双龙湖街道孵化基地（预约页）")
	community := a.signedIn("demo-community")
	week := community.get("/community/platforms/" + pid + "/rooms/" + rid)
	if week.StatusCode != http.StatusOK {
		t.Fatalf("committee opening the town's room: %d", week.StatusCode)
	}
	org, ok := week.doc(t).Find("#org_id option[value!='']").First().Attr("value")
	if !ok {
		t.Fatal("no group to book for")
	}
	start := registry.WeekStart(time.Now()).AddDate(0, 0, 8).Add(14 * time.Hour)
	at := func(t time.Time) string { return t.In(beijing).Format("2006-01-02T15:04") }
	book := func(s, e time.Time, title string) response {
		return community.post("/community/platforms/"+pid+"/rooms/"+rid+"/bookings", url.Values{"org_id": {org},
			"title": {title}, "starts_at": {at(s)}, "ends_at": {at(e)},
			"seen": {community.seen("/community/platforms/"+pid+"/rooms/"+rid, "booking-form")}})
	}
	if res := book(start, start.Add(2*time.Hour), "书法班"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("booking: %d", res.StatusCode)
	}
	before := a.cultivationWrites()
	// an overlapping booking: 422 at the start, input kept, nothing written
	res := book(start.Add(time.Hour), start.Add(3*time.Hour), "合唱排练")
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("overlap: %d", res.StatusCode)
	}
	d := res.doc(t)
	if msg := d.Find(`[data-field="starts_at"] .msg`).Text(); !strings.Contains(msg, "重叠") {
		t.Errorf("overlap message %q", msg)
	}
	if v, _ := d.Find("#title").Attr("value"); v != "合唱排练" {
		t.Errorf("title not kept: %q", v)
	}
	if v, _ := d.Find("#org_id option[selected]").Attr("value"); v != org {
		t.Errorf("group not kept: %q", v)
	}
	// the end before the start
	res = book(start.Add(5*time.Hour), start.Add(4*time.Hour), "合唱排练")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="ends_at"] .msg`).Text(), "晚于") {
		t.Errorf("end before start: %d", res.StatusCode)
	}
	if a.cultivationWrites() != before {
		t.Error("a refused booking wrote something")
	}
	// the calendar shows the booking on its day; cancelling needs a reason and frees the slot
	cal := community.get("/community/platforms/" + pid + "/rooms/" + rid + "?week=" + start.Format("2006-01-02")).doc(t)
	booking := cal.Find("#week .booking")
	if booking.Length() != 1 || !strings.Contains(booking.Text(), "书法班") {
		t.Fatalf("calendar: %q", cal.Find("#week").Text())
	}
	cancel, _ := booking.Find("form").Attr("action")
	// a refused cancel is the booking's week again: the message at the booking's reason, what was typed kept
	before = a.cultivationWrites()
	day := start.Format("2006-01-02")
	for reason, want := range map[string]string{"": "请填写取消原因", strings.Repeat("因", 201): "不能超过 200 字"} {
		res := community.post(cancel, url.Values{"reason": {reason}, "state": {"booked"}, "week": {day}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("cancel with reason %q: %d, want 422", reason, res.StatusCode)
			continue
		}
		d := res.doc(t)
		at := d.Find(`#week .booking form[action="` + cancel + `"] [data-field="reason"]`)
		if msg := at.Find(".msg").Text(); !strings.Contains(msg, want) {
			t.Errorf("cancel with reason %q: message at the booking's reason %q, want %q (page: %.200s)", reason, msg, want,
				strings.Join(strings.Fields(d.Find("main").Text()), " "))
		}
		if v, _ := at.Find(`input[name="reason"]`).Attr("value"); v != reason {
			t.Errorf("the reason typed was not kept: %q", v)
		}
		if d.Find("#week-range").Length() != 1 {
			t.Error("a refused cancel is not the booking's week")
		}
	}
	if a.cultivationWrites() != before {
		t.Error("a refused cancel wrote something")
	}
	if res := community.post(cancel, url.Values{"reason": {"老师临时有事"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("cancel without the form's token: %d, want 409", res.StatusCode)
	}
	if res := community.post(cancel, url.Values{"reason": {"老师临时有事"}, "week": {start.Format("2006-01-02")}, "state": {"booked"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.StatusCode)
	}
	if res := book(start.Add(time.Hour), start.Add(3*time.Hour), "合唱排练"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("booking the freed slot: %d", res.StatusCode)
	}
}

func TestHousingAndIncubationForms(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	pid, _ := a.townIncubator(town, "双龙湖街道孵化基地（入孵页）")
	page := "/town/platforms/" + pid
	org, _ := town.get(page).doc(t).Find("#home_org option[value!='']").Eq(9).Attr("value")
	before := a.cultivationWrites()
	res := town.post(page+"/housings", url.Values{"seen": {town.seen(page, "home-form")}, "home_org": {org}, "from_on": {"2024-06-01"}, "to_on": {"2024-01-01"}, "agreement": {"安家协议 1 号"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("home ending before it starts: %d", res.StatusCode)
	}
	d := res.doc(t)
	if d.Find(`[data-field="to_on"] .msg`).Text() == "" {
		t.Error("no message at the end date")
	}
	if v, _ := d.Find("#agreement").Attr("value"); v != "安家协议 1 号" {
		t.Errorf("agreement not kept: %q", v)
	}
	if a.cultivationWrites() != before {
		t.Error("a refused home wrote something")
	}
	if res := town.post(page+"/housings", url.Values{"seen": {town.seen(page, "home-form")}, "home_org": {org}, "from_on": {"2024-01-01"}, "to_on": {"2025-12-31"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("home: %d", res.StatusCode)
	}
	res = town.post(page+"/housings", url.Values{"seen": {town.seen(page, "home-form")}, "home_org": {org}, "from_on": {"2025-01-01"}, "to_on": {"2026-12-31"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="to_on"] .msg`).Text(), "重叠") {
		t.Errorf("overlapping home: %d", res.StatusCode)
	}
	if res := town.post(page+"/incubations", url.Values{"seen": {town.seen(page, "incubate-form")}, "incubate_org": {org}, "entered_on": {"2024-02-01"}, "mentor": {"张老师"}, "goals": {"一年内达到备案条件"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enter: %d", res.StatusCode)
	}
	inc, _ := town.get(page).doc(t).Find("#leave_inc option[value!='']").First().Attr("value")
	res = town.post(page+"/incubations/leave", url.Values{"seen": {town.seen(page, "leave-form")}, "leave_inc": {inc}, "leave_status": {registry.IncubationHatched}, "left_on": {"2024-01-01"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("出壳 without a tier, before entry: %d", res.StatusCode)
	}
	d = res.doc(t)
	if d.Find(`[data-field="tier_reached"] .msg`).Text() == "" || d.Find(`[data-field="left_on"] .msg`).Text() == "" {
		t.Error("messages missing at the tier or the date")
	}
	if res := town.post(page+"/incubations/leave", url.Values{"seen": {town.seen(page, "leave-form")}, "leave_inc": {inc}, "leave_status": {registry.IncubationHatched},
		"left_on": {"2024-12-01"}, "tier_reached": {"filed"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("出壳: %d", res.StatusCode)
	}
	if got := town.get(page).doc(t).Find("#outcomes").Text(); !strings.Contains(strings.Join(strings.Fields(got), ""), "出壳1家（其中备案1") {
		t.Errorf("outcomes %q", got)
	}
}
