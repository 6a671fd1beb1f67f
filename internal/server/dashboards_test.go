package server

import (
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// figure reads the number a dashboard shows under label.
func figure(t *testing.T, doc *goquery.Document, label string) int {
	t.Helper()
	var got = -1
	doc.Find(".figure").Each(func(_ int, s *goquery.Selection) {
		if strings.TrimSpace(s.Find(".l").Text()) == label {
			n, err := strconv.Atoi(strings.TrimSpace(s.Find(".n").Text()))
			if err != nil {
				t.Fatalf("figure %s: %v", label, err)
			}
			got = n
		}
	})
	if got < 0 {
		t.Fatalf("the dashboard has no figure %q", label)
	}
	return got
}

// Each dashboard shows its own jurisdiction's figures, read from the database: the same question asked of the
// database directly gives the same numbers, and a town never counts another town's groups.
func TestDashboardsShowTheirOwnFigures(t *testing.T) {
	a := newApp(t, nil)
	cases := []struct {
		user, path, where string
		arg               string
		children          int
	}{
		{"demo-district", "/district/", "district_code = $1", "500112", 30},
		{"demo-town", "/town/", "town_code = $1", "500112002", 9},
		{"demo-town2", "/town/", "town_code = $1", "500112133", 9},
		{"demo-community", "/community/", "community_code = $1", "500112002001", 0},
	}
	for _, c := range cases {
		doc := a.signedIn(c.user).get(c.path).doc(t)
		live := a.count(`SELECT count(*) FROM organizations WHERE `+c.where+` AND status IN ('normal', 'abnormal')`, c.arg)
		if got := figure(t, doc, "社会组织（存续）"); got != live {
			t.Errorf("%s: 社会组织（存续） shows %d, the database has %d", c.user, got, live)
		}
		guided := a.count(`SELECT count(*) FROM organizations WHERE `+c.where+` AND status IN ('normal', 'abnormal') AND tier = 'guided'`, c.arg)
		if got := figure(t, doc, "村居指导"); got != guided {
			t.Errorf("%s: 村居指导 shows %d, the database has %d", c.user, got, guided)
		}
		if got := doc.Find("#children tbody tr").Length(); got != c.children {
			t.Errorf("%s: %d subordinate divisions listed, want %d", c.user, got, c.children)
		}
	}
	// The district's total is the sum of its towns' rows.
	doc := a.signedIn("demo-district").get("/district/").doc(t)
	sum := 0
	doc.Find("#children tbody tr").Each(func(_ int, s *goquery.Selection) {
		n, _ := strconv.Atoi(strings.TrimSpace(s.Find("td.num").Text()))
		sum += n
	})
	if total := figure(t, doc, "社会组织（存续）"); sum != total {
		t.Errorf("towns add up to %d, the district shows %d", sum, total)
	}
}

// The public home page counts the divisions the registry knows.
func TestHomeShowsDivisionCounts(t *testing.T) {
	a := newApp(t, nil)
	doc := a.client().get("/").doc(t)
	if got := figure(t, doc, "镇街"); got != 30 {
		t.Errorf("home shows %d towns, want 30", got)
	}
	if got, want := figure(t, doc, "社区和村"), a.count(`SELECT count(*) FROM divisions WHERE level = 'community'`); got != want || want == 0 {
		t.Errorf("home shows %d communities, the database has %d", got, want)
	}
}
