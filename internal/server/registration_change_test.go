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

// registeredOrg is a live registered group of 双龙湖街道: its id, version, name parts, code and legal form.
type regFixture struct {
	id                          int64
	version                     int
	zihao, field, form, legal   string
	uscc, leader, name, nameFix string
}

func registeredOrgOf(t *testing.T, a *app) regFixture {
	t.Helper()
	var f regFixture
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT id, version, name_zihao, name_field, name_form, legal_form,
		uscc, leader_name, name, name_prefix || name_community FROM organizations WHERE tier = 'registered'
		AND status = 'normal' AND left(community_code, 9) = $1 ORDER BY id LIMIT 1`, seed.TownShuanglonghu).Scan(
		&f.id, &f.version, &f.zihao, &f.field, &f.form, &f.legal, &f.uscc, &f.leader, &f.name, &f.nameFix); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f regFixture) values() url.Values {
	return url.Values{"version": {strconv.Itoa(f.version)}, "legal_form": {f.legal}, "zihao": {f.zihao},
		"field": {f.field}, "form": {f.form}, "uscc": {f.uscc}, "leader_name": {f.leader},
		"reason": {"理事会换届，负责人变更"}}
}

// The 变更登记 form answers bad input with 422, the message at the field and the input kept, and writes nothing;
// a stale or missing version is 409; a town has no such page; the district's good change lands on the record's
// timeline.
func TestRegistrationChangeForm(t *testing.T) {
	a := newApp(t, nil)
	f := registeredOrgOf(t, a)
	path := "/district/orgs/" + strconv.FormatInt(f.id, 10)
	d := a.signedIn("demo-district")
	if res := d.get(path); res.doc(t).Find(`#registration-change-link[href="`+path+`/registration"]`).Length() != 1 {
		t.Fatal("the record offers the district no 变更登记")
	}
	if res := a.signedIn("demo-town").get("/town/orgs/" + strconv.FormatInt(f.id, 10)); strings.Contains(res.Body, "registration-change-link") {
		t.Error("a town is offered 变更登记")
	}
	events := `SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = 'registration_changed'`
	for name, tc := range map[string]struct{ key, value, field string }{
		"字号 with 中华":   {"zihao", "中华", "zihao"},
		"no leader":    {"leader_name", "", "leader_name"},
		"bad code":     {"uscc", "52500112MJ0000000X", "uscc"},
		"no reason":    {"reason", "", "reason"},
		"unknown form": {"legal_form", "公司", "legal_form"},
		"bad ID":       {"id_number", "500112198506154321", "id_number"},
	} {
		form := f.values()
		form.Set(tc.key, tc.value)
		res := d.post(path+"/registration", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", name, res.StatusCode)
			continue
		}
		doc := res.doc(t)
		if doc.Find(`[data-field="`+tc.field+`"] .msg`).Length() != 1 {
			t.Errorf("%s: no message at %s", name, tc.field)
		}
		if tc.key == "zihao" {
			if v, _ := doc.Find("#zihao").Attr("value"); v != tc.value {
				t.Errorf("%s: the 字号 typed is not kept: %q", name, v)
			}
		}
	}
	if a.count(events, f.id) != 0 || a.count(`SELECT version FROM organizations WHERE id = $1`, f.id) != f.version {
		t.Fatal("a refused 变更登记 wrote something")
	}
	for _, v := range []string{"", strconv.Itoa(f.version - 1)} {
		form := f.values()
		form.Set("version", v)
		if res := d.post(path+"/registration", form); res.StatusCode != http.StatusConflict {
			t.Errorf("version %q: %d, want 409", v, res.StatusCode)
		}
	}
	if res := a.signedIn("demo-town").post("/town/orgs/"+strconv.FormatInt(f.id, 10)+"/registration", f.values()); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("a town posting 变更登记: %d", res.StatusCode)
	}
	form := f.values()
	form.Set("zihao", "新雅")
	form.Set("leader_name", "赵新")
	res := d.post(path+"/registration", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("good 变更登记: %d\n%s", res.StatusCode, res.Body)
	}
	doc := d.get(path).doc(t)
	want := f.nameFix + "新雅" + f.field + f.form
	if h1 := doc.Find("h1").Text(); !strings.Contains(h1, want) {
		t.Errorf("record h1 %q, want %q", h1, want)
	}
	if tl := doc.Find("#timeline").Text(); !strings.Contains(tl, "变更登记") || !strings.Contains(tl, "名称、负责人") ||
		!strings.Contains(tl, "理事会换届") {
		t.Errorf("timeline lacks the 变更登记 row: %q", tl)
	}
	if a.count(events, f.id) != 1 {
		t.Error("no timeline row")
	}
}

// A town's edit form shows a registered group's name and leader read-only and keeps them; a crafted post that
// changes them is 422 with the message at the name, and nothing is written.
func TestTownEditKeepsRegisteredParticulars(t *testing.T) {
	a := newApp(t, nil)
	f := registeredOrgOf(t, a)
	path := "/town/orgs/" + strconv.FormatInt(f.id, 10) + "/edit"
	town := a.signedIn("demo-town")
	doc := town.get(path).doc(t)
	for _, id := range []string{"zihao", "field", "form", "leader_name"} {
		if doc.Find("#org-form #"+id+"[readonly]").Length() != 1 || doc.Find(`#org-form [name="`+id+`"]`).Length() != 0 {
			t.Errorf("#%s is editable on a registered group's edit form", id)
		}
	}
	post := formValuesOf(t, town, path)
	post.Set("venue", "新的活动室")
	post.Set("action", "save")
	if res := town.post(path, post); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("town editing the venue: %d\n%s", res.StatusCode, res.Body)
	}
	if a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND venue = '新的活动室' AND name = $2`, f.id, f.name) != 1 {
		t.Fatal("the venue was not saved, or the name moved")
	}
	post = formValuesOf(t, town, path)
	post.Set("zihao", "私改")
	post.Set("action", "save")
	before := a.count(`SELECT version FROM organizations WHERE id = $1`, f.id)
	res := town.post(path, post)
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-field="name"] .msg`).Length() != 1 {
		t.Fatalf("town renaming a registered group: %d", res.StatusCode)
	}
	if a.count(`SELECT version FROM organizations WHERE id = $1`, f.id) != before {
		t.Fatal("the refused rename wrote")
	}
}

// formValuesOf is what the page's #org-form sends as it stands: its named inputs, chosen options, ticked boxes
// and text areas.
func formValuesOf(t *testing.T, c *client, path string) url.Values {
	t.Helper()
	out := url.Values{}
	doc := c.get(path).doc(t)
	doc.Find("#org-form input[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		val, _ := s.Attr("value")
		switch typ {
		case "checkbox", "radio":
			if _, on := s.Attr("checked"); on {
				out.Add(name, val)
			}
		case "submit":
		default:
			out.Add(name, val)
		}
	})
	doc.Find("#org-form select[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		val, _ := s.Find("option[selected]").Attr("value")
		out.Set(name, val)
	})
	doc.Find("#org-form textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		out.Set(name, s.Text())
	})
	return out
}

// The proof's district 变更登记 in a real browser: from the registered group's record the district opens 变更登记,
// sees the name composed as it types the new 字号, changes the leader, and lands on the record with the new name
// and the timeline row.
func TestBrowserDistrictChangesRegistration(t *testing.T) {
	a := newApp(t, nil)
	f := registeredOrgOf(t, a)
	b := newBrowser(t, a)
	tb := flowSignIn(t, b, "demo-district", "district")
	tb.open("/district/orgs/" + strconv.FormatInt(f.id, 10))
	tb.click("#registration-change-link")
	tb.fill("#zihao", "新雅")
	want := f.nameFix + "新雅" + f.field + f.form
	if got := tb.text("#composed-name"); got != want {
		t.Errorf("composed name while typing = %q, want %q", got, want)
	}
	tb.fill("#leader_name", "赵新")
	tb.write("#reason", "理事会换届，负责人变更")
	tb.screenshot("registration-change")
	if res := tb.click("#registration-submit"); res.Status != 200 {
		t.Fatalf("办理变更登记: status %d", res.Status)
	}
	if h1 := tb.text("h1"); !strings.Contains(h1, want) {
		t.Errorf("record h1 = %q, want %q", h1, want)
	}
	if tl := tb.text("#timeline"); !strings.Contains(tl, "变更登记") || !strings.Contains(tl, "名称、负责人") {
		t.Errorf("timeline = %q", tl)
	}
	if a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND name = $2 AND leader_name = '赵新'`, f.id, want) != 1 {
		t.Error("the change is not in the database")
	}
	tb.screenshot("registration-changed-record")
}
