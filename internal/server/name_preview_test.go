package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// Every form that takes name parts carries the live preview over the five parts, in the order the rules join
// them, each part an input on the page: the committee's new group, the town's and the committee's 登记申请, and
// the town's 成立备案.
func TestNamePreviewOnEveryNameForm(t *testing.T) {
	a := newApp(t, nil)
	want := strings.Join(rules.NamePartKeys(), " ")
	for _, tc := range []struct{ user, path string }{
		{"demo-community", "/community/orgs/new"},
		{"demo-community", "/community/applications/new"},
		{"demo-town", "/town/applications/new"},
		{"demo-town", "/town/filings/new"},
	} {
		res := a.signedIn(tc.user).get(tc.path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tc.path, res.StatusCode)
		}
		d := res.doc(t)
		got, _ := d.Find("form #composed-name").Attr("data-name-preview")
		if got != want {
			t.Errorf("%s: preview joins %q, want %q", tc.path, got, want)
		}
		for _, id := range rules.NamePartKeys() {
			if d.Find("form #"+id).Length() != 1 {
				t.Errorf("%s: no name part #%s in the form", tc.path, id)
			}
		}
		if strings.Contains(d.Find("main").Text(), "提交后显示") {
			t.Errorf("%s still says the name shows only after submitting", tc.path)
		}
	}
}

// Without JavaScript the server shows the composed name after a submit, with the rules' message at the part,
// and the 社区（村） part follows the chosen community.
func TestFilingFormShowsComposedNameAfterSubmit(t *testing.T) {
	a, _ := filingApp(t)
	town := a.signedIn("demo-town")
	form := filingForm("中华")
	before := a.count(`SELECT count(*) FROM filings`)
	res := town.postMultipart("/town/filings", form, nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad 字号: %d", res.StatusCode)
	}
	d := res.doc(t)
	community := divisionNameOfCode(t, a, seed.CommunityDemo)
	want := rules.ComposeName(rules.NameParts{Prefix: "渝北区双龙湖街道", Community: community, Zihao: "中华",
		Field: "舞蹈", Form: "队"})
	if got := d.Find("#composed-name").Text(); got != want {
		t.Errorf("composed name after submit = %q, want %q", got, want)
	}
	if v, _ := d.Find("#name_community").Attr("value"); v != community {
		t.Errorf("社区（村） part = %q, want %q", v, community)
	}
	if msg := d.Find(`[data-field=zihao] .msg`).Text(); msg == "" {
		t.Error("no message at the 字号")
	}
	if a.count(`SELECT count(*) FROM filings`) != before {
		t.Error("a refused filing was written")
	}
}

// The town's 登记申请 shows the composed name after a submit that fails elsewhere.
func TestApplicationFormShowsComposedNameAfterSubmit(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	res := town.post("/town/applications", url.Values{"community": {seed.CommunityDemo}, "legal_form": {"社会团体"},
		"zihao": {"馨悦"}, "field": {"邻里互助"}, "form": {"协会"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete application: %d", res.StatusCode)
	}
	want := "渝北区双龙湖街道" + divisionNameOfCode(t, a, seed.CommunityDemo) + "馨悦邻里互助协会"
	if got := res.doc(t).Find("#composed-name").Text(); got != want {
		t.Errorf("composed name after submit = %q, want %q", got, want)
	}
}

func divisionNameOfCode(t *testing.T, a *app, code string) string {
	t.Helper()
	var name string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT name FROM divisions WHERE code = $1`, code).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

// choose picks value in the select sel the way a clerk does, so the page's input listeners run.
func (tb *tab) choose(sel, value string) {
	tb.t.Helper()
	js[bool](tb, `(s => { s.value = `+quoteJS(value)+`; s.dispatchEvent(new Event("input", {bubbles: true}));
		s.dispatchEvent(new Event("change", {bubbles: true})); return true })(document.querySelector(`+quoteJS(sel)+`))`)
}

// In a real browser the 登记申请 and 成立备案 forms compose the name as the community is picked and the parts are
// typed, and what they show is what the server's rules compose.
func TestBrowserNameComposedLiveOnApplicationAndFilingForms(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	tb := b.newTab(t)
	tb.signIn("demo-town", testdb.DemoPassword)
	community := divisionNameOfCode(t, a, seed.CommunityDemo)
	for _, tc := range []struct{ path, form string }{
		{"/town/applications/new", "协会"},
		{"/town/filings/new", "队"},
	} {
		tb.open(tc.path)
		tb.choose("#community", seed.CommunityDemo)
		tb.fill("#zihao", "馨悦")
		tb.fill("#field", "邻里互助")
		if tb.count("select#form") == 1 {
			tb.choose("#form", tc.form)
		} else {
			tb.fill("#form", tc.form)
		}
		want := rules.ComposeName(rules.NameParts{Prefix: "渝北区双龙湖街道", Community: community, Zihao: "馨悦",
			Field: "邻里互助", Form: tc.form})
		if got := tb.text("#composed-name"); got != want {
			t.Errorf("%s: composed name while typing = %q, want %q", tc.path, got, want)
		}
		if got := tb.value("#name_community"); got != community {
			t.Errorf("%s: 社区（村） part = %q, want %q", tc.path, got, community)
		}
		tb.choose("#community", "")
		if got := tb.text("#composed-name"); strings.Contains(got, community) {
			t.Errorf("%s: with no community chosen the name still has it: %q", tc.path, got)
		}
	}
	tb.screenshot("filing-form-live-name")
}
