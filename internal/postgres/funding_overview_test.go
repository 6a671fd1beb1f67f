package postgres_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/testdb"
)

// The overview's totals, kept by triggers (migration 0102), equal the money rows added up one by one
// (TotalMoney) for the district and each town, breakdown by breakdown with their row counts; the kept rows equal
// a recount from the money rows in SQL; its groups equal a recount; its lists are the ones each list function
// reads alone. Both hold after every kind of change: a contract, a payment (which changes no total), a 公益创投
// application and its award, a fund's donation and grant, a grant deleted, a group moved to another town (its
// money follows it, 0095) and a community becoming a 村 (its money moves to the rural side).
func TestFundingOverviewTotalsEqualTheRows(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	checkOverview(t, db, "the demo data")
	org := firstOrg(t, db, cultTown)

	id, err := db.CreateContract(ctx, cultTown, cultClerk, tok(t, db, registry.TokenContract, cultTown.Division),
		registry.ContractInput{OrgID: org.ID, Project: "独居老人探访", Series: "邻里守望",
			Beneficiaries: []string{"空巢老人", "困境儿童"}, Amount: yuan(t, "12345.67"), StartsOn: day(2023, 1, 1),
			EndsOn: day(2023, 12, 31), SignedOn: day(2022, 12, 20)})
	if err != nil {
		t.Fatal(err)
	}
	checkOverview(t, db, "a contract")
	kept := keptTotals(t, db)
	if err := db.AddPayment(ctx, cultTown, cultClerk, id, 0, registry.PaymentInput{PaidOn: day(2023, 3, 1), Amount: yuan(t, "100")}); err != nil {
		t.Fatal(err)
	}
	checkOverview(t, db, "a payment")
	if after := keptTotals(t, db); after != kept {
		t.Error("a payment rewrote the kept totals, which it does not change")
	}

	district := reviewer(t, db, "demo-district")
	rid, err := db.OpenRound(ctx, cultDistrict, district, tok(t, db, registry.TokenRound, cultDistrict.Division),
		registry.RoundInput{Title: "总额测试公益创投", Themes: []string{"共创平安"}, Budget: yuan(t, "10000"),
			OpensOn: day(2023, 3, 1), ClosesOn: day(2023, 4, 30), Criteria: []registry.Criterion{{Name: "项目设计", MaxScore: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	orgs, _ := db.CultivationOrgs(ctx, cultCommunity)
	app, err := db.Apply(ctx, cultCommunity, cultCommittee, rid, registry.VentureInput{OrgID: orgs[0].ID, Theme: "共创平安",
		Project: "平安楼栋", Requested: yuan(t, "3000"), Beneficiaries: []string{"困境儿童"}})
	if err != nil {
		t.Fatal(err)
	}
	checkOverview(t, db, "an application not yet awarded")
	if err := db.Award(ctx, cultDistrict, district, app, 250050, time.Now()); err != nil {
		t.Fatal(err)
	}
	checkOverview(t, db, "an award")

	fid, err := db.CreateFund(ctx, cultTown, cultClerk, ownFunds(t, db, cultTown), registry.FundInput{Name: "总额测试工作基金"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddMovement(ctx, cultTown, cultClerk, fid, 0, registry.MovementInput{Kind: registry.MovementDonation,
		Amount: yuan(t, "1000"), On: day(2023, 1, 5), Donor: "某物业公司", Purpose: "文体活动"}); err != nil {
		t.Fatal(err)
	}
	checkOverview(t, db, "a donation")
	grant, err := db.AddMovement(ctx, cultTown, cultClerk, fid, 1, registry.MovementInput{Kind: registry.MovementGrant,
		Amount: yuan(t, "600.5"), On: day(2023, 2, 1), OrgID: org.ID, Purpose: "演出服装", Series: "文化铸魂"})
	if err != nil {
		t.Fatal(err)
	}
	checkOverview(t, db, "a grant")
	if _, err := db.Pool.Exec(ctx, `DELETE FROM fund_movements WHERE id = $1`, grant); err != nil {
		t.Fatal(err)
	}
	checkOverview(t, db, "a grant deleted")

	var to string
	if err := db.Pool.QueryRow(ctx, `SELECT code FROM divisions WHERE parent_code = $1 AND level = 'community' ORDER BY code LIMIT 1`,
		cultTown2.Division).Scan(&to); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET community_code = $2, town_code = left($2, 9) WHERE id = $1`,
		org.ID, to); err != nil {
		t.Fatal(err)
	}
	checkOverview(t, db, "a group moved to another town")

	var community string
	var rural bool
	if err := db.Pool.QueryRow(ctx, `
		SELECT c.code, c.rural FROM contracts m JOIN divisions c ON c.code = m.community_code
		WHERE starts_with(m.community_code, $1) ORDER BY m.id LIMIT 1`, cultTown.Division).Scan(&community, &rural); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE divisions SET rural = NOT rural WHERE code = $1`, community); err != nil {
		t.Fatal(err)
	}
	checkOverview(t, db, "a community's 社区/村 flag changed")
}

// keptTotals is the kept totals' rows as they are stored, with each row's version (xmin): equal before and after
// a statement that wrote none of them.
func keptTotals(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var s string
	if err := db.Pool.QueryRow(context.Background(), `
		SELECT coalesce(string_agg(concat_ws(' ', town_code, rural, by, key, amount, n, xmin), ',' ORDER BY town_code, rural, by, key), '')
		FROM money_totals`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// keptOffRecount counts the kept totals that differ from a recount of the money rows (each with its community's
// town and 社区/村 flag as they are now).
func keptOffRecount(t *testing.T, db *postgres.DB) int {
	t.Helper()
	var off int
	if err := db.Pool.QueryRow(context.Background(), `
		WITH recount AS (
			SELECT left(m.community_code, 9) AS town_code, c.rural, g.by, g.key, sum(m.amount) AS amount, count(*) AS n
			FROM money_amounts m JOIN divisions c ON c.code = m.community_code,
			LATERAL (VALUES ('source', m.source), ('series', m.series)
			         UNION ALL SELECT 'beneficiary', b FROM unnest(m.beneficiaries) b) g (by, key)
			GROUP BY 1, 2, 3, 4),
		kept AS (SELECT * FROM money_totals WHERE n <> 0 OR amount <> 0)
		SELECT count(*) FROM recount r FULL JOIN kept k USING (town_code, rural, by, key)
		WHERE r.amount IS DISTINCT FROM k.amount OR r.n IS DISTINCT FROM k.n`).Scan(&off); err != nil {
		t.Fatal(err)
	}
	return off
}

func checkOverview(t *testing.T, db *postgres.DB, after string) {
	t.Helper()
	ctx := context.Background()
	if off := keptOffRecount(t, db); off != 0 {
		t.Errorf("after %s: %d kept totals differ from a recount of the rows", after, off)
	}
	for _, scope := range []portal.Scope{cultDistrict, cultTown, cultTown2, cultCommunity} {
		o, err := db.FundingOverview(ctx, scope, registry.ContractCursor{}, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if scope.Tier == portal.TierCommunity {
			// No committee's page reads the overview; its scope totals nothing, as it did when summed in SQL.
			if o.Totals.All != 0 || len(o.Totals.ByTown) != 0 || o.Totals.Rural != 0 || o.Totals.Urban != 0 {
				t.Errorf("%v: the overview totals %+v", scope, o.Totals)
			}
		} else {
			rows, err := db.MoneyRows(ctx, scope, 100000)
			if err != nil {
				t.Fatal(err)
			}
			want := registry.TotalMoney(rows)
			if len(rows) == 0 || want.All == 0 || len(want.ByBeneficiary) == 0 {
				t.Fatalf("%v: the demo data has no money to total", scope)
			}
			if !reflect.DeepEqual(o.Totals, want) {
				t.Errorf("after %s, %v: the overview's totals\n%+v\nthe rows added up\n%+v", after, scope, o.Totals, want)
			}
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
		all, _ := db.Contracts(ctx, scope)
		contracts := contractLines(all)
		funds, _ := db.Funds(ctx, scope)
		rounds, _ := db.Rounds(ctx, scope)
		if !reflect.DeepEqual(o.Contracts, contracts) || o.More || !reflect.DeepEqual(o.Funds, funds) || !reflect.DeepEqual(o.Rounds, rounds) {
			t.Errorf("%v: the overview's lists differ from the lists read alone", scope)
		}
		if scope.Tier == portal.TierCommunity {
			if len(contracts)+len(funds) != 0 || len(rounds) == 0 {
				t.Errorf("%v: %d contracts, %d funds, %d rounds; a committee buys and keeps none, and sees the rounds above it",
					scope, len(contracts), len(funds), len(rounds))
			}
			continue
		}
		// Pages of two, each from the last one's cursor, make the whole list once.
		var paged []registry.ContractLine
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

// contractLines is each contract as the overview lists it.
func contractLines(cs []registry.Contract) []registry.ContractLine {
	out := make([]registry.ContractLine, 0, len(cs))
	for _, c := range cs {
		out = append(out, registry.ContractLine{ID: c.ID, DivisionCode: c.DivisionCode, DivisionName: c.DivisionName,
			OrgName: c.OrgName, Project: c.Project, Amount: c.Amount, Paid: c.Paid, StartsOn: c.StartsOn,
			EndsOn: c.EndsOn, SignedOn: c.SignedOn, Status: c.Status})
	}
	return out
}
