package server

import (
	"context"
	"net/http"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/seed"
)

// The money overview lists the contracts 50 at a time, the latest signed first; 下一页 and 第一页 walk them, each
// contract once; a cursor that is not one shows the first page.
func TestFundingOverviewPagesTheContracts(t *testing.T) {
	a := newApp(t, nil)
	if _, err := a.db.Pool.Exec(context.Background(), `
		INSERT INTO contracts (division_code, org_id, project, amount, starts_on, ends_on, signed_on)
		SELECT $1, o.id, '分页测试项目' || i, 1000, date '2022-01-01', date '2022-12-31', date '2022-01-01' + i
		FROM generate_series(1, 60) i,
		     LATERAL (SELECT id FROM organizations WHERE town_code = $1 AND status = 'normal' ORDER BY id LIMIT 1) o`,
		seed.TownShuanglonghu); err != nil {
		t.Fatal(err)
	}
	total := a.count(`SELECT count(*) FROM contracts WHERE division_code = $1`, seed.TownShuanglonghu)
	town := a.signedIn("demo-town")
	seen := map[string]bool{}
	path, pages := "/town/funding", 0
	for path != "" {
		res := town.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		d := res.doc(t)
		rows := d.Find("#contracts tbody tr")
		if rows.Length() == 0 || rows.Length() > 50 {
			t.Fatalf("%s lists %d contracts", path, rows.Length())
		}
		rows.Each(func(_ int, r *goquery.Selection) {
			href, _ := r.Find("a").Attr("href")
			if seen[href] {
				t.Errorf("%s lists %s again", path, href)
			}
			seen[href] = true
		})
		if _, first := d.Find("#page-first").Attr("href"); first != (pages > 0) {
			t.Errorf("page %d: a link to the first page: %v", pages, first)
		}
		path, _ = d.Find("#page-next").Attr("href")
		pages++
	}
	if len(seen) != total || pages != (total+49)/50 {
		t.Errorf("%d contracts in %d pages, the town has %d", len(seen), pages, total)
	}
	if n := town.get("/town/funding?contracts=abc").doc(t).Find("#contracts tbody tr").Length(); n != 50 {
		t.Errorf("a bad cursor lists %d contracts, want the first 50", n)
	}
}
