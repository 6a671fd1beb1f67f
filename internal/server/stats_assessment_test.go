package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/seed"
)

func schemeForm(year string, weights ...string) url.Values {
	f := url.Values{"year": {year}, "level": {"community"}, "version": {"0"}}
	keys := []string{"coverage", "party", "reports", "hours", "fields", "growth", "notices"}
	fulls := []string{"100", "100", "4", "20", "60", "100", "100"}
	for i, k := range keys {
		f.Set("weight_"+k, weights[i])
		f.Set("full_"+k, fulls[i])
	}
	return f
}

// The district's scheme form refuses weights that are negative, not numbers or do not sum to 100, at their
// field, keeps the input and writes nothing; a good one becomes version 1, then 2, the first kept superseded;
// a save over a stale version is 409. The town's sheet ranks its communities with the scheme in use.
func TestAssessmentSchemesAndSheets(t *testing.T) {
	a := newApp(t, nil)
	year := strconv.Itoa(time.Now().In(beijing).Year())
	district := a.signedIn("demo-district")
	for _, c := range []struct {
		weights []string
		field   string
	}{
		{[]string{"30", "-20", "20", "15", "15", "0", "0"}, "weight_party"},
		{[]string{"30", "二十", "20", "15", "15", "0", "0"}, "weight_party"},
		{[]string{"30", "30", "20", "15", "15", "0", "0"}, "weight_coverage"},
	} {
		res := district.post("/district/assessment/schemes", schemeForm(year, c.weights...))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%v: %d", c.weights, res.StatusCode)
		}
		doc := res.doc(t)
		if doc.Find(`[data-field="`+c.field+`"] .msg`).Text() == "" {
			t.Fatalf("%v: no message at %s", c.weights, c.field)
		}
		if got := doc.Find("input#weight_party").AttrOr("value", ""); got != c.weights[1] {
			t.Fatalf("%v: input not kept (%q)", c.weights, got)
		}
	}
	if n := a.count(`SELECT count(*) FROM assessment_schemes`); n != 0 {
		t.Fatalf("a refused form wrote %d schemes", n)
	}
	if res := district.post("/district/assessment/schemes", schemeForm(year, "100", "0", "0", "0", "0", "0", "0")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	second := schemeForm(year, "50", "50", "0", "0", "0", "0", "0")
	second.Set("version", "1")
	if res := district.post("/district/assessment/schemes", second); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save v2: %d", res.StatusCode)
	}
	if res := district.post("/district/assessment/schemes", second); res.StatusCode != http.StatusConflict {
		t.Fatalf("a save over a stale version: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM assessment_schemes WHERE superseded_at IS NOT NULL`); n != 1 {
		t.Fatalf("%d superseded versions, want 1", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'stats.scheme_save'`); n != 2 {
		t.Fatalf("%d audit rows", n)
	}

	// The town's sheet: every community, the scheme in use (v2: coverage 50, party 50), sorted by total.
	town := a.signedIn("demo-town")
	res := town.get("/town/assessment?year=" + year)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("town sheet: %d", res.StatusCode)
	}
	doc := res.doc(t)
	if !strings.Contains(doc.Find("#scheme-note").Text(), "第 2 版") {
		t.Fatalf("scheme note %q", doc.Find("#scheme-note").Text())
	}
	communities := a.count(`SELECT count(*) FROM divisions WHERE parent_code = $1`, seed.TownShuanglonghu)
	rows := doc.Find("#sheet tbody tr")
	if rows.Length() != communities {
		t.Fatalf("%d rows, want %d communities", rows.Length(), communities)
	}
	prev := 101.0
	rows.Each(func(_ int, tr *goquery.Selection) {
		cells := tr.Children()
		total, _ := strconv.ParseFloat(strings.TrimSpace(cells.Last().Text()), 64)
		party, _ := strconv.ParseFloat(strings.TrimSpace(cells.Eq(7).Text()), 64) // after coverage and growth
		coverage, _ := strconv.ParseFloat(strings.TrimSpace(cells.Eq(3).Text()), 64)
		if total > prev+1e-9 || total-(party+coverage) > 0.11 || (party+coverage)-total > 0.11 {
			t.Fatalf("row %q: total %v after %v, parts %v + %v", tr.Text(), total, prev, coverage, party)
		}
		prev = total
	})
	// Inside the scope only; the district's sheet ranks the towns.
	if res := town.get("/town/assessment?division=" + seed.TownTongjing); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another town's sheet: %d", res.StatusCode)
	}
	if n := district.get("/district/assessment?year=" + year).doc(t).Find("#sheet tbody tr").Length(); n != 30 {
		t.Fatalf("the district ranks %d towns", n)
	}
	if res := a.signedIn("demo-community").get("/community/assessment"); res.StatusCode != http.StatusOK {
		t.Fatalf("a committee's own sheet: %d", res.StatusCode)
	}
}

// A scheme saved before an indicator existed opens in the form with that indicator at weight 0, so the next
// version can be saved as it stands.
func TestSchemeFormOffersNewIndicators(t *testing.T) {
	a := newApp(t, nil)
	year := strconv.Itoa(time.Now().In(beijing).Year())
	if _, err := a.db.Pool.Exec(t.Context(), `INSERT INTO assessment_schemes (year, level, version, indicators)
		VALUES ($1, 'community', 1, '[{"key": "coverage", "weight": 60, "full": 100}, {"key": "party", "weight": 40, "full": 100}]')`,
		year); err != nil {
		t.Fatal(err)
	}
	district := a.signedIn("demo-district")
	doc := district.get("/district/assessment/schemes?year=" + year + "&level=community").doc(t)
	if doc.Find("input#weight_growth").AttrOr("value", "") != "0" || doc.Find("input#weight_coverage").AttrOr("value", "") != "60" {
		t.Fatalf("growth %q, coverage %q", doc.Find("input#weight_growth").AttrOr("value", ""),
			doc.Find("input#weight_coverage").AttrOr("value", ""))
	}
	form := url.Values{"year": {year}, "level": {"community"}, "version": {"1"}}
	doc.Find(`form input[name^="weight_"], form input[name^="full_"]`).Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	if res := district.post("/district/assessment/schemes", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the form as it stands: %d", res.StatusCode)
	}
}
