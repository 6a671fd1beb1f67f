package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/rules"
)

// 准予登记 checks the code before it asks: a bad or taken code is a 422 with the message at the field and the code
// kept, and nothing is written; a good one shows the confirmation page with the checked code, still writing
// nothing; the confirmation approves.
func TestApplicationApproveChecksTheCodeFirst(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	id := appAccepted(t, a, d, "启航")
	path := "/district/applications/" + id
	version := appVersion(t, d, path, "#approve")
	if action, _ := d.get(path).doc(t).Find("#approve form").Attr("action"); action != path+"/approve/check" {
		t.Fatalf("the approve form posts to %q, want the check", action)
	}
	var taken string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT uscc FROM organizations WHERE uscc IS NOT NULL
		AND legal_form = '社会团体' LIMIT 1`).Scan(&taken); err != nil {
		t.Fatal(err)
	}
	audits := a.count(`SELECT count(*) FROM audit_log`)
	for _, bad := range []string{"", "123", rules.MakeUSCC(rules.FormPrivateNonEnterprise, "500112", "MJH22222"), taken} {
		res := d.post(path+"/approve/check", url.Values{"version": {version}, "uscc": {bad}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("check %q: %d, want 422", bad, res.StatusCode)
			continue
		}
		doc := res.doc(t)
		if msg := doc.Find(`[data-field=uscc] .msg, .field.bad .msg`).First().Text(); !strings.Contains(msg, "统一社会信用代码") {
			t.Errorf("check %q: message at the field %q", bad, msg)
		}
		if got := doc.Find("#uscc").AttrOr("value", "?"); got != bad {
			t.Errorf("check %q: the field keeps %q", bad, got)
		}
		if doc.Find("#approve-confirm").Length() != 0 {
			t.Errorf("check %q: offered the confirmation", bad)
		}
	}
	good := rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH22222")
	res := d.post(path+"/approve/check", url.Values{"version": {version}, "uscc": {good}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("check a good code: %d", res.StatusCode)
	}
	doc := res.doc(t)
	if got := doc.Find("#checked-uscc").Text(); got != good {
		t.Errorf("the confirmation shows %q, want %q", got, good)
	}
	if got := doc.Find(`#approve-confirm input[name=uscc]`).AttrOr("value", ""); got != good {
		t.Errorf("the confirmation carries %q", got)
	}
	if doc.Find("#approve-confirm[data-confirm]").Length() != 0 {
		t.Error("the confirmation page still needs JavaScript's confirm()")
	}
	if n := a.count(`SELECT count(*) FROM audit_log`); n != audits {
		t.Errorf("checking wrote %d audit rows", n-audits)
	}
	if n := a.count(`SELECT count(*) FROM applications WHERE id::text = $1 AND status = 'accepted'`, id); n != 1 {
		t.Fatal("checking changed the application")
	}
	form := url.Values{}
	doc.Find("#approve-confirm input").Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	if res := d.post(path+"/approve", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", res.StatusCode, appProblems(res))
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE uscc = $1 AND tier = 'registered'`, good); n != 1 {
		t.Fatal("the confirmation did not register the group")
	}
	// A second check of the decided application is a conflict.
	if res := d.post(path+"/approve/check", url.Values{"version": {version}, "uscc": {good}}); res.StatusCode != http.StatusConflict {
		t.Errorf("check after the decision: %d", res.StatusCode)
	}
}
