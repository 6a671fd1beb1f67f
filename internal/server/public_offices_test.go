package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
)

// A town sets a community's office: a mobile number or an overlong address is refused at its field with what
// was typed kept and nothing written; a stale version is 409; the saved office shows on the community's page.
func TestOfficeFormBadInputStaleAndSaved(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	list := c.get("/town/offices")
	if list.StatusCode != http.StatusOK {
		t.Fatalf("list: %d", list.StatusCode)
	}
	path := "/town/offices/" + seed.CommunityDemo
	if href, _ := list.doc(t).Find(`#offices a[href="` + path + `"]`).Attr("href"); href != path {
		t.Fatal("the list has no edit link for the demo community")
	}
	form := c.get(path).doc(t)
	version, _ := form.Find(`input[name=version]`).Attr("value")
	countSame := func() int {
		return a.count(`SELECT count(*) FROM community_offices WHERE community_code = $1 AND phone = '023-67001234'`, seed.CommunityDemo)
	}
	bad := url.Values{"version": {version}, "phone": {"13912345678"}, "address": {strings.Repeat("路", 101)}, "hours": {"工作日"}}
	res := c.post(path, bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad office: %d", res.StatusCode)
	}
	if !strings.Contains(fieldMsg(t, res, "phone"), "座机") || !strings.Contains(fieldMsg(t, res, "address"), "不能超过 100 字") {
		t.Fatalf("messages: %q %q", fieldMsg(t, res, "phone"), fieldMsg(t, res, "address"))
	}
	if v, _ := res.doc(t).Find("#phone").Attr("value"); v != "13912345678" {
		t.Fatalf("phone not kept: %q", v)
	}
	before := a.count(`SELECT count(*) FROM audit_log WHERE action = 'community_office.set'`)
	good := url.Values{"version": {version}, "phone": {"023-67001234"}, "address": {"锦华社区党群服务中心"}, "hours": {"工作日"}}
	for _, v := range []string{"", "99"} {
		stale := url.Values{"phone": good["phone"], "address": good["address"]}
		if v != "" {
			stale.Set("version", v)
		}
		if res := c.post(path, stale); res.StatusCode != http.StatusConflict {
			t.Fatalf("version %q: %d", v, res.StatusCode)
		}
	}
	if countSame() != 0 || a.count(`SELECT count(*) FROM audit_log WHERE action = 'community_office.set'`) != before {
		t.Fatal("a refused office was written")
	}
	if res := c.post(path, good); res.StatusCode != http.StatusSeeOther || countSame() != 1 {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if res := c.post(path, good); res.StatusCode != http.StatusConflict {
		t.Fatalf("the same form twice: %d", res.StatusCode)
	}
	if !strings.Contains(a.client().get("/divisions/"+seed.CommunityDemo).doc(t).Find("#office").Text(), "023-67001234") {
		t.Fatal("the community's page does not show the saved office")
	}
	// Another town's community is not found.
	if res := c.get("/town/offices/" + seed.CommunityDemoRural); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another town's community: %d", res.StatusCode)
	}
}
