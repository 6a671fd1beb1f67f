package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/seed"
)

// The district's work-report coverage opens a town: each town links to a table of its communities, whose totals
// are the town's row; a town not in the table is 422.
func TestDistrictCoverageOpensATown(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	doc := d.get("/district/work-reports").doc(t)
	row := doc.Find(`#coverage tr[data-code="` + seed.TownShuanglonghu + `"]`)
	href := row.Find("a").AttrOr("href", "")
	if !strings.Contains(href, "town="+seed.TownShuanglonghu) {
		t.Fatalf("the town's row links %q", href)
	}
	live := strings.TrimSpace(row.Find(".live").Text())
	res := d.get(href)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", href, res.StatusCode)
	}
	doc = res.doc(t)
	rows := doc.Find("#coverage tbody tr")
	if rows.Length() == 0 || doc.Find(`#coverage tr[data-code="`+seed.CommunityDemo+`"]`).Length() != 1 {
		t.Fatalf("the town's table lacks its community %s", seed.CommunityDemo)
	}
	rows.Each(func(_ int, s *goquery.Selection) {
		if code := s.AttrOr("data-code", ""); !strings.HasPrefix(code, seed.TownShuanglonghu) || len(code) != 12 {
			t.Errorf("row %q is not a community of the town", code)
		}
	})
	if got := doc.Find("#total-live").Text(); got != live {
		t.Errorf("the town's table counts %s groups, its row in the district's %s", got, live)
	}
	if back := doc.Find("#coverage-back").AttrOr("href", ""); !strings.HasPrefix(back, "/district/work-reports") {
		t.Errorf("no way back: %q", back)
	}
	if doc.Find(`#period-filter input[name=town][value="`+seed.TownShuanglonghu+`"]`).Length() != 1 {
		t.Error("the period switch forgets the town")
	}
	if res := d.get("/district/work-reports?town=500112999"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown town: %d, want 422", res.StatusCode)
	}
}
