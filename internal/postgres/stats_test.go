package postgres_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// The kept counts equal a recount after inserts (COPY included), updates and deletes, and OrgTotals reads them
// per scope.
func TestOrgCountsStayEqualToARecount(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	box, _ := sealbox.New(bytes.Repeat([]byte{3}, 32))
	towns := seed.Towns()
	g := seed.NewScaleGenerator(towns, seed.DemoCommunities(towns), box)
	var before int64
	if err := db.Pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM organizations`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if err := db.BulkLoadOrganizations(ctx, seed.ScaleColumns, 3000, func(i int) []any { return g.Row(100000 + i) }, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET status = 'dissolved' WHERE id % 7 = 0`); err != nil {
		t.Fatal(err)
	}
	// Delete only rows of this load: the demo data's groups have reports and applications pointing at them.
	if _, err := db.Pool.Exec(ctx, `DELETE FROM org_events WHERE org_id % 11 = 0 AND org_id > $1`, before); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `DELETE FROM organizations WHERE id % 11 = 0 AND id > $1`, before); err != nil {
		t.Fatal(err)
	}
	// Each table of kept counts against a recount by its own division.
	for division, table := range map[string]string{"community_code": "org_counts", "town_code": "org_town_counts"} {
		var mismatches int
		if err := db.Pool.QueryRow(ctx, `
			WITH recount AS (
				SELECT `+division+`, tier, legal_form, status, count(*) AS n FROM organizations GROUP BY 1, 2, 3, 4),
			kept AS (SELECT `+division+`, tier, legal_form, status, n FROM `+table+` WHERE n <> 0)
			SELECT count(*) FROM (
				(SELECT * FROM recount EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM recount)) x`).
			Scan(&mismatches); err != nil {
			t.Fatal(err)
		}
		if mismatches != 0 {
			t.Fatalf("%d rows of %s differ from a recount", mismatches, table)
		}
	}
	var want int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM organizations WHERE town_code = $1 AND status IN ('normal', 'abnormal')`,
		seed.TownShuanglonghu).Scan(&want); err != nil {
		t.Fatal(err)
	}
	got, err := db.OrgTotals(ctx, portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu})
	if err != nil {
		t.Fatal(err)
	}
	if got.Live != want || want == 0 {
		t.Fatalf("town live total %d, recount %d", got.Live, want)
	}
	sum := 0
	for code, n := range got.ByChild {
		if len(code) != 12 {
			t.Fatalf("a town's children are communities, got %s", code)
		}
		sum += n
	}
	if sum != want {
		t.Fatalf("per-community counts add up to %d, want %d", sum, want)
	}
}

// A count the kept counts cannot answer stops at CountCap and says so, instead of counting every match.
func TestCountStopsAtTheCap(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	box, _ := sealbox.New(bytes.Repeat([]byte{3}, 32))
	towns := seed.Towns()
	g := seed.NewScaleGenerator(towns, seed.DemoCommunities(towns), box)
	if err := db.BulkLoadOrganizations(ctx, seed.ScaleColumns, registry.CountCap+500, func(i int) []any { return g.Row(200000 + i) }, nil); err != nil {
		t.Fatal(err)
	}
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	got, err := db.CountOrganizations(ctx, district, registry.OrgFilter{Query: "渝北"})
	if err != nil {
		t.Fatal(err)
	}
	if got.N != registry.CountCap || !got.More {
		t.Fatalf("count of a word in every name = %+v, want %d and more", got, registry.CountCap)
	}
	exact, err := db.CountOrganizations(ctx, district, registry.OrgFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if exact.More || exact.N <= registry.CountCap {
		t.Fatalf("the kept-count total is capped: %+v", exact)
	}
}
