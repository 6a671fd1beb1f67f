package postgres_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/testdb"
)

// The overview's totals, summed in PostgreSQL, equal the money rows added up one by one (TotalMoney) for the
// district and each town, breakdown by breakdown with their row counts; its groups equal a recount; its lists
// are the ones each list function reads alone.
//
// A group moved to another town takes its money along (migration 0095): the totals still equal the rows after
// the move, which read the group where it is now.
func TestFundingOverviewTotalsEqualTheRows(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	checkOverview(t, db)
	var org int64
	var to string
	if err := db.Pool.QueryRow(ctx, `
		SELECT m.org_id, (SELECT code FROM divisions WHERE parent_code = $2 AND level = 'community' ORDER BY code LIMIT 1)
		FROM contracts m JOIN organizations o ON o.id = m.org_id WHERE o.town_code = $1 ORDER BY m.id LIMIT 1`,
		cultTown.Division, cultTown2.Division).Scan(&org, &to); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET community_code = $2, town_code = left($2, 9) WHERE id = $1`,
		org, to); err != nil {
		t.Fatal(err)
	}
	checkOverview(t, db)
}

func checkOverview(t *testing.T, db *postgres.DB) {
	t.Helper()
	ctx := context.Background()
	for _, scope := range []portal.Scope{cultDistrict, cultTown, cultTown2} {
		o, err := db.FundingOverview(ctx, scope, registry.ContractCursor{}, 1000)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.MoneyRows(ctx, scope, 100000)
		if err != nil {
			t.Fatal(err)
		}
		want := registry.TotalMoney(rows)
		if len(rows) == 0 || want.All == 0 || len(want.ByBeneficiary) == 0 {
			t.Fatalf("%v: the demo data has no money to total", scope)
		}
		if !reflect.DeepEqual(o.Totals, want) {
			t.Errorf("%v: the overview's totals\n%+v\nthe rows added up\n%+v", scope, o.Totals, want)
		}
		var groups, rural int64
		if err := db.Pool.QueryRow(ctx, `
			SELECT count(*), count(*) FILTER (WHERE c.rural) FROM organizations o JOIN divisions c ON c.code = o.community_code
			WHERE starts_with(o.community_code, $1) AND o.status IN ('normal', 'abnormal')`, scope.Division).
			Scan(&groups, &rural); err != nil {
			t.Fatal(err)
		}
		if o.Groups != groups || o.RuralGroups != rural || groups == 0 {
			t.Errorf("%v: %d groups (%d rural), a recount %d (%d)", scope, o.Groups, o.RuralGroups, groups, rural)
		}
		contracts, _ := db.Contracts(ctx, scope)
		funds, _ := db.Funds(ctx, scope)
		rounds, _ := db.Rounds(ctx, scope)
		if !reflect.DeepEqual(o.Contracts, contracts) || o.More || !reflect.DeepEqual(o.Funds, funds) || !reflect.DeepEqual(o.Rounds, rounds) {
			t.Errorf("%v: the overview's lists differ from the lists read alone", scope)
		}
		// Pages of two, each from the last one's cursor, make the whole list once.
		var paged []registry.Contract
		var after registry.ContractCursor
		for pages := 0; ; pages++ {
			p, err := db.FundingOverview(ctx, scope, after, 2)
			if err != nil || len(p.Contracts) > 2 || pages > len(contracts) {
				t.Fatalf("%v: page %d: %d contracts, %v", scope, pages, len(p.Contracts), err)
			}
			paged = append(paged, p.Contracts...)
			if !p.More {
				break
			}
			last := p.Contracts[len(p.Contracts)-1]
			after = registry.ParseContractCursor(registry.ContractCursor{On: last.SignedOn, ID: last.ID}.String())
		}
		if len(contracts) < 3 || !reflect.DeepEqual(paged, contracts) {
			t.Errorf("%v: %d contracts in pages of two, %d in the list", scope, len(paged), len(contracts))
		}
	}
}
