package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// The board, read in one batch with statements written for the scope and the filters set, lists exactly what a
// plain recount of the rows says: for each tier (and a town that sees nothing of another's), under each filter,
// the open needs, the open projects, the matches whose need or project is inside the scope, and the fairs.
func TestMatchingBoardEqualsARecount(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	ids := func(sql string, args ...any) []int64 {
		t.Helper()
		rows, err := db.Pool.Query(ctx, sql, args...)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	// inside says whether a row's division codes fall inside scope, the filter whether a need or project passes
	const inside = `(CASE $1 WHEN 'district' THEN x.district_code WHEN 'town' THEN x.town_code ELSE x.community_code END) = $2`
	const passes = `($3 = '' OR $3 = ANY(x.beneficiaries)) AND ($4 = '' OR x.series = $4)
		AND ($5 = '' OR (SELECT rural FROM divisions WHERE code = x.community_code) = ($5 = 'rural'))`
	scopes := []portal.Scope{noticeDistrict, noticeTown, {Tier: portal.TierTown, Division: seed.TownTongjing},
		{Tier: portal.TierCommunity, Division: seed.CommunityDemo}}
	filters := []registry.BoardFilter{{}, {Area: "rural"}, {Area: "urban"}, {Series: "共创平安"},
		{Beneficiary: "空巢老人"}, {Beneficiary: "残疾人", Area: "urban"}}
	seen := 0
	for _, scope := range scopes {
		for _, f := range filters {
			got, err := db.MatchingBoard(ctx, scope, f)
			if err != nil {
				t.Fatal(err)
			}
			args := []any{string(scope.Tier), scope.Division, f.Beneficiary, f.Series, f.Area}
			needs := ids(`SELECT x.id FROM community_needs x WHERE `+inside+` AND `+passes+`
				AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.need_id = x.id AND m.outcome <> 'none') ORDER BY x.id DESC`, args...)
			projects := ids(`SELECT x.id FROM service_projects x WHERE `+inside+` AND `+passes+`
				AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.project_id = x.id AND m.outcome <> 'none') ORDER BY x.id DESC`, args...)
			matches := ids(`SELECT m.id FROM matches m JOIN community_needs x ON x.id = m.need_id
				JOIN service_projects y ON y.id = m.project_id
				WHERE (`+inside+` OR (CASE $1 WHEN 'district' THEN y.district_code WHEN 'town' THEN y.town_code ELSE y.community_code END) = $2)
				AND `+passes+` ORDER BY m.id DESC`, args...)
			fairs := ids(`SELECT e.id FROM matching_events e WHERE starts_with(coalesce(e.town_code, e.district_code), $1)
				OR starts_with($1, coalesce(e.town_code, e.district_code)) ORDER BY e.held_on DESC, e.id DESC`, scope.Division)
			idsOf := func(n int, id func(int) int64) []int64 {
				var out []int64
				for i := range n {
					out = append(out, id(i))
				}
				return out
			}
			if g := idsOf(len(got.Needs), func(i int) int64 { return got.Needs[i].ID }); !slices.Equal(g, needs) {
				t.Fatalf("%v %+v needs %v, recount %v", scope, f, g, needs)
			}
			if g := idsOf(len(got.Projects), func(i int) int64 { return got.Projects[i].ID }); !slices.Equal(g, projects) {
				t.Fatalf("%v %+v projects %v, recount %v", scope, f, g, projects)
			}
			if g := idsOf(len(got.Matches), func(i int) int64 { return got.Matches[i].ID }); !slices.Equal(g, matches) {
				t.Fatalf("%v %+v matches %v, recount %v", scope, f, g, matches)
			}
			if g := idsOf(len(got.Fairs), func(i int) int64 { return got.Fairs[i].ID }); !slices.Equal(g, fairs) {
				t.Fatalf("%v %+v fairs %v, recount %v", scope, f, g, fairs)
			}
			seen += len(needs) + len(projects) + len(matches)
		}
	}
	if seen == 0 {
		t.Fatal("the demo board is empty: the recount proves nothing")
	}
	if _, err := db.MatchingBoard(ctx, portal.Scope{Tier: portal.TierTown}, registry.BoardFilter{}); err == nil {
		t.Fatal("a scope without a division reads the board")
	}
}
