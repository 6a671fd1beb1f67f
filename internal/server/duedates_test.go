package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// The settings form: bad input is 422 with the message at the field and the input kept, and writes nothing; a
// missing or stale version is 409; a good one is saved and the 工作台 follows it.
func TestDeadlineSettingsForm(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-district")
	page := c.get("/district/deadlines")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("settings page %d", page.StatusCode)
	}
	if v, _ := page.doc(t).Find(`#deadline-form input[name=version]`).Attr("value"); v != "0" {
		t.Fatalf("version %q", v)
	}
	res := c.post("/district/deadlines", url.Values{"version": {"0"}, "review_days": {"0"}, "report_grace_days": {"十五"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", res.StatusCode)
	}
	d := res.doc(t)
	if msg := d.Find(`[data-field="review_days"] .msg`).Text(); !strings.Contains(msg, "1 至 180") {
		t.Fatalf("review message %q", msg)
	}
	if msg := d.Find(`[data-field="report_grace_days"] .msg`).Text(); !strings.Contains(msg, "0 至 90") {
		t.Fatalf("grace message %q", msg)
	}
	if v, _ := d.Find(`#report_grace_days`).Attr("value"); v != "十五" {
		t.Fatalf("input not kept: %q", v)
	}
	if n := a.count(`SELECT count(*) FROM deadline_settings`); n != 0 {
		t.Fatalf("bad input wrote %d rows", n)
	}
	if res := c.post("/district/deadlines", url.Values{"review_days": {"10"}, "report_grace_days": {"5"}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("no version: %d", res.StatusCode)
	}
	if res := c.post("/district/deadlines", url.Values{"version": {"0"}, "review_days": {"10"}, "report_grace_days": {"5"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if res := c.post("/district/deadlines", url.Values{"version": {"0"}, "review_days": {"11"}, "report_grace_days": {"5"}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("stale: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM deadline_settings WHERE review_days = 10 AND version = 1`); n != 1 {
		t.Fatalf("saved rows %d", n)
	}
	if res := a.signedIn("demo-town").get("/district/deadlines"); res.StatusCode == http.StatusOK {
		t.Fatal("a town reached the district's settings")
	}
}

// Each tier's 工作台 lists what it acts on with a due day, the overdue marked, the settings linked for the district.
func TestDashboardListsDueItems(t *testing.T) {
	a := newApp(t, nil)
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE applications SET submitted_at = now() - interval '200 days'
		WHERE id = (SELECT min(id) FROM applications WHERE status IN ('submitted', 'accepted'))`); err != nil {
		t.Fatal(err)
	}
	d := a.signedIn("demo-district").get("/district/").doc(t)
	rows := d.Find(`#due tbody tr`)
	if rows.Length() == 0 {
		t.Fatal("the district's 工作台 lists nothing due")
	}
	first := rows.First()
	if !first.HasClass("overdue") || !strings.Contains(first.Text(), "逾期") || first.AttrOr("data-kind", "") != "登记申请" {
		t.Fatalf("first row %q", first.Text())
	}
	if href := first.Find("a").AttrOr("href", ""); !strings.HasPrefix(href, "/district/applications/") {
		t.Fatalf("link %q", href)
	}
	if d.Find(`#deadline-settings-link`).Length() != 1 {
		t.Fatal("no link to the settings")
	}
	town := a.signedIn("demo-town").get("/town/").doc(t)
	if town.Find(`#deadline-settings-link`).Length() != 0 {
		t.Fatal("a town is offered the district's settings")
	}
	town.Find(`#due tbody tr`).Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("data-kind", "") == "登记申请" {
			t.Fatalf("a town lists the district's applications: %q", s.Text())
		}
	})
}
