package server

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/seed"
)

// The training export holds the year's sessions the town sees (its own and the district's) and people of the town alone, one row a person however many
// sessions they attended, masked as the pages show them; the reach sheet ends with the town's total.
func TestTrainingExportIsTheTownsYear(t *testing.T) {
	a := newApp(t, nil)
	year := time.Now().In(beijing).Year()
	c := a.signedIn("demo-town")
	reach := c.get("/town/training/reach")
	href, _ := reach.doc(t).Find("#export-xlsx").Attr("href")
	if href != "/town/training/export.xlsx?year="+strconv.Itoa(year) {
		t.Fatalf("export link %q", href)
	}
	res := c.get(href)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "PK") {
		t.Fatalf("export: %d", res.StatusCode)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = x.Close() }()
	people, _ := x.GetRows("参训人员")
	sessions, _ := x.GetRows("培训场次")
	reachRows, _ := x.GetRows("覆盖情况")
	wantPeople := a.count(`SELECT count(DISTINCT a.trainee_id) FROM training_attendance a
		JOIN training_sessions s ON s.id = a.session_id
		WHERE s.town_code = $1 AND extract(year FROM s.starts_at AT TIME ZONE 'Asia/Shanghai') = $2`, seed.TownShuanglonghu, year)
	// the town's sessions and the district's, which the town sees
	wantSessions := a.count(`SELECT count(*) FROM training_sessions s WHERE (s.town_code = $1 OR s.town_code IS NULL)
		AND extract(year FROM s.starts_at AT TIME ZONE 'Asia/Shanghai') = $2`, seed.TownShuanglonghu, year)
	if wantPeople == 0 || len(people)-1 != wantPeople || len(sessions)-1 != wantSessions {
		t.Fatalf("people %d (want %d), sessions %d (want %d)", len(people)-1, wantPeople, len(sessions)-1, wantSessions)
	}
	for _, row := range people[1:] {
		if row[0] != "双龙湖街道" {
			t.Fatalf("another town's trainee: %v", row)
		}
		if len(row) > 2 && strings.Count(row[2], "*") == 0 && row[2] != "" {
			t.Fatalf("an unmasked 身份证号: %v", row)
		}
	}
	if last := reachRows[len(reachRows)-1]; last[0] != "双龙湖街道" || last[1] != reach.doc(t).Find("#total-live").Text() {
		t.Fatalf("reach total %v", last)
	}
	if c.get("/town/training/export.xlsx?year=abc").StatusCode != http.StatusNotFound {
		t.Fatal("a bad year is not refused")
	}
}

// The reach page lists the groups not yet reached 50 at a time: 下一页 walks every one of them once, as many as
// the figures say, and 第一页 goes back; the district's drill-down into the town pages the same groups. The
// export streams the whole list under its title rows, the same groups; the district's own (no town) is 404.
func TestTrainingUnreachedPagesAndExport(t *testing.T) {
	a := newApp(t, nil)
	if _, err := a.db.Pool.Exec(context.Background(), `
		INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name)
		SELECT '500112', '500112002', $1, 'guided', '未登记团体', '锦华社区培训待覆盖第' || i || '队'
		FROM generate_series(1, 120) AS i`, listCommunityA); err != nil {
		t.Fatal(err)
	}
	walk := func(c *client, path string) (map[string]bool, int) {
		seen := map[string]bool{}
		first := c.get(path).doc(t)
		want, _ := strconv.Atoi(first.Find("#unreached-count").Text())
		if first.Find("#page-first").Length() != 0 {
			t.Fatal("the first page links to itself")
		}
		pages := 0
		for d := first; ; pages++ {
			rows := d.Find("#unreached tbody a")
			if rows.Length() > 50 || pages > want/50+1 {
				t.Fatalf("%s page %d lists %d", path, pages, rows.Length())
			}
			rows.Each(func(_ int, s *goquery.Selection) {
				href, _ := s.Attr("href")
				if seen[href] {
					t.Fatalf("%s listed twice", href)
				}
				seen[href] = true
			})
			next, ok := d.Find("#page-next").Attr("href")
			if !ok {
				break
			}
			d = c.get(next).doc(t)
			if first, _ := d.Find("#page-first").Attr("href"); first == "" {
				t.Fatal("a later page has no 第一页")
			}
		}
		if len(seen) != want || want <= 100 || pages < 2 {
			t.Fatalf("%s: %d groups over %d pages, the figures say %d", path, len(seen), pages+1, want)
		}
		return seen, want
	}
	town := a.signedIn("demo-town")
	own, want := walk(town, "/town/training/reach")
	drill, _ := walk(a.signedIn("demo-district"), "/district/training/reach?town="+seed.TownShuanglonghu)
	if len(drill) != len(own) {
		t.Fatalf("the district's drill-down pages %d groups, the town %d", len(drill), len(own))
	}
	href, _ := town.get("/town/training/reach").doc(t).Find("#unreached-xlsx").Attr("href")
	rows := xlsxRows(t, town.get(href), "尚未覆盖")
	if !strings.Contains(rows[0][0], "共 "+strconv.Itoa(want)+" 个") {
		t.Fatalf("title %q", rows[0][0])
	}
	i := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 2 && r[2] == "组织名称" })
	if i < 0 || len(rows)-i-1 != want {
		t.Fatalf("the export lists %d groups after its header at %d, want %d", len(rows)-i-1, i, want)
	}
	for _, r := range rows[i+1:] {
		if !own["/town/orgs/"+r[3]] {
			t.Fatalf("the export lists %v, not on the pages", r)
		}
	}
	d := a.signedIn("demo-district")
	if d.get("/district/training/reach/unreached.xlsx").StatusCode != http.StatusNotFound ||
		d.get("/district/training/reach/unreached.xlsx?town=500112999").StatusCode != http.StatusNotFound {
		t.Fatal("the district's whole list or another district's town is exported")
	}
	if n := len(xlsxRows(t, d.get("/district/training/reach/unreached.xlsx?town="+seed.TownShuanglonghu), "尚未覆盖")); n != len(rows) {
		t.Fatalf("the district's export of the town has %d rows, the town's %d", n, len(rows))
	}
}
