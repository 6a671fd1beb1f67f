package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
)

// The district's evaluation list pages past its 500 rows, each group once, and narrows by town, community and
// year as well as grade; a filter outside the lists is 422 with the message at the field.
func TestEvaluationListFiltersAndPages(t *testing.T) {
	a := newApp(t, nil)
	orgListInsert(t, a, seed.CommunityDemo, numbered("评估组", "队", 120)...)
	if _, err := a.db.Pool.Exec(t.Context(), `INSERT INTO evaluations (org_id, district_code, town_code, community_code, year, version, scores, average,
			computed_grade, grade)
		SELECT o.id, o.district_code, o.town_code, o.community_code, 2021, 1, '{}', 80, 'good', 'good'
		FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.org_id = o.id)`); err != nil {
		t.Fatal(err)
	}
	total := a.count(`SELECT count(DISTINCT org_id) FROM evaluations`)
	if total <= registry.EvaluationListLimit {
		t.Fatalf("only %d evaluated groups; the test needs more than a page", total)
	}
	d := a.signedIn("demo-district")

	seen := map[string]bool{}
	path, pages := "/district/evaluations", 0
	for path != "" {
		res := d.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		doc := res.doc(t)
		rows := doc.Find("#evaluations tbody tr")
		if rows.Length() > registry.EvaluationListLimit {
			t.Fatalf("a page of %d rows", rows.Length())
		}
		rows.Each(func(_ int, s *goquery.Selection) {
			org := s.AttrOr("data-org", "")
			if seen[org] {
				t.Errorf("group %s listed twice", org)
			}
			seen[org] = true
		})
		path = doc.Find("#page-next").AttrOr("href", "")
		if pages++; pages > 5 {
			t.Fatal("the pages do not end")
		}
	}
	if len(seen) != total || pages != 2 {
		t.Errorf("walked %d groups on %d pages, want %d on 2", len(seen), pages, total)
	}

	// By town: only 统景镇's groups, and the community select lists its communities.
	doc := d.get("/district/evaluations?town=" + seed.TownTongjing).doc(t)
	want := a.count(`SELECT count(DISTINCT org_id) FROM evaluations WHERE town_code = $1`, seed.TownTongjing)
	if n := doc.Find("#evaluations tbody tr").Length(); n != want || n == 0 {
		t.Errorf("统景镇: %d rows, want %d", n, want)
	}
	if doc.Find(`#community option[value="`+seed.CommunityDemoRural+`"]`).Length() != 1 {
		t.Error("the community select does not offer 统景镇's communities")
	}
	// By community and year.
	doc = d.get("/district/evaluations?community=" + seed.CommunityDemo + "&year=2021").doc(t)
	want = a.count(`SELECT count(DISTINCT org_id) FROM evaluations WHERE community_code = $1 AND year = 2021`, seed.CommunityDemo)
	if n := doc.Find("#evaluations tbody tr").Length(); n != min(want, registry.EvaluationListLimit) || n == 0 {
		t.Errorf("community and year: %d rows, want %d", n, want)
	}
	if href := doc.Find("#export-xlsx").AttrOr("href", ""); !strings.Contains(href, "community="+seed.CommunityDemo) ||
		!strings.Contains(href, "year=2021") {
		t.Errorf("the export does not carry the filter: %q", href)
	}
	// Bad filters.
	for q, field := range map[string]string{"year=1999": "year", "grade=top": "grade", "town=500112999": "town"} {
		res := d.get("/district/evaluations?" + q)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", q, res.StatusCode)
			continue
		}
		if res.doc(t).Find(`.field.bad #`+field).Length() != 1 {
			t.Errorf("%s: no message at %s", q, field)
		}
	}
}
