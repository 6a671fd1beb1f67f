package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/testdb"
)

func yuan(t *testing.T, s string) registry.AmountField {
	t.Helper()
	a := registry.ReadAmount(s)
	if !a.OK {
		t.Fatalf("amount %q unreadable", s)
	}
	return a
}

// race runs fn twice at once and counts the calls that succeeded; every failure must be want.
func race(t *testing.T, want error, fn func(i int) error) int {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	begin := make(chan struct{})
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-begin
			errs[i] = fn(i)
		}()
	}
	close(begin)
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, want):
			t.Fatalf("unexpected error: %v", err)
		}
	}
	return won
}

func TestContractPaymentsNeverExceedAmount(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	org := firstOrg(t, db, cultTown)
	id, err := db.CreateContract(ctx, cultTown, cultClerk, tok(t, db, registry.TokenContract, cultTown.Division), registry.ContractInput{OrgID: org.ID, Project: "空巢老人关爱服务",
		Series: "邻里守望", Beneficiaries: []string{"空巢老人"}, Amount: yuan(t, "50000.10"), StartsOn: day(2023, 1, 1),
		EndsOn: day(2023, 12, 31), SignedOn: day(2022, 12, 20), Deliverables: "每月探访"})
	if err != nil {
		t.Fatal(err)
	}
	pay := func(seen int, s string) error {
		return db.AddPayment(ctx, cultTown, cultClerk, id, seen, registry.PaymentInput{PaidOn: day(2023, 3, 1), Amount: yuan(t, s)})
	}
	if err := pay(0, "20000.05"); err != nil {
		t.Fatal(err)
	}
	if err := pay(1, "30000.06"); !errors.Is(err, registry.ErrPaymentBeyondContract) {
		t.Fatalf("payment beyond the amount: %v", err)
	}
	// the same form posted again (its token says no payment was listed) writes nothing
	if err := pay(0, "10"); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("payment from a stale form: %v", err)
	}
	// two clerks posting the remainder from the same page at once: exactly one payment
	if won := race(t, portal.ErrConflict, func(int) error { return pay(1, "30000.05") }); won != 1 {
		t.Fatalf("%d payments of the remainder, want 1", won)
	}
	c, err := db.Contract(ctx, cultTown, id)
	if err != nil || c.Paid != c.Amount || c.Amount.String() != "50,000.10" {
		t.Fatalf("contract %+v %v", c, err)
	}
	if _, err := db.Contract(ctx, cultTown2, id); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town: %v", err)
	}
	if err := db.AddPayment(ctx, cultTown2, cultClerk2, id, 2, registry.PaymentInput{PaidOn: day(2023, 3, 1), Amount: yuan(t, "1")}); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town paying: %v", err)
	}
	if _, err := db.Contract(ctx, cultDistrict, id); err != nil {
		t.Fatalf("district: %v", err)
	}
	if err := db.AcceptContract(ctx, cultTown, cultClerk, id, c.Version, registry.AcceptanceInput{Status: registry.ContractAccepted,
		On: day(2024, 1, 10), Note: "材料齐全"}); err != nil {
		t.Fatal(err)
	}
	if evs, _ := db.CultivationEvents(ctx, "contract", id); len(evs) != 4 {
		t.Fatalf("timeline: %+v, want signed, 2 payments, 验收", evs)
	}
}

func TestFundNeverOverdrawn(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	org := firstOrg(t, db, cultTown)
	fid, err := db.CreateFund(ctx, cultTown, cultClerk, ownFunds(t, db, cultTown), registry.FundInput{Name: "双龙湖街道测试工作基金"})
	if err != nil {
		t.Fatal(err)
	}
	donation := registry.MovementInput{Kind: registry.MovementDonation,
		Amount: yuan(t, "1000"), On: day(2023, 1, 5), Donor: "某物业公司", Purpose: "支持社区文体团队"}
	if _, err := db.AddMovement(ctx, cultTown, cultClerk, fid, 0, donation); err != nil {
		t.Fatal(err)
	}
	// The form's token: the same form posted again (the page listed no movement) is a conflict, written once.
	if _, err := db.AddMovement(ctx, cultTown, cultClerk, fid, 0, donation); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("a movement posted twice: %v, want ErrConflict", err)
	}
	// Each clerk posts from a page as current as it can be (a stale page is refused and reloaded), so what stops
	// the grants below is the balance alone.
	grant := func(int) error {
		for {
			ms, err := db.Movements(ctx, fid)
			if err != nil {
				return err
			}
			_, err = db.AddMovement(ctx, cultTown, cultClerk, fid, len(ms), registry.MovementInput{Kind: registry.MovementGrant,
				Amount: yuan(t, "600"), On: day(2023, 2, 1), OrgID: org.ID, Purpose: "购置演出服装", Series: "文化铸魂"})
			if !errors.Is(err, portal.ErrConflict) {
				return err
			}
		}
	}
	if won := race(t, registry.ErrFundOverdrawn, grant); won != 1 {
		t.Fatalf("%d grants of 600 from 1000, want exactly 1", won)
	}
	f, err := db.Fund(ctx, cultTown, fid)
	if err != nil || f.Balance.String() != "400.00" {
		t.Fatalf("fund %+v %v", f, err)
	}
	if _, err := db.Fund(ctx, cultTown2, fid); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town: %v", err)
	}
	ms, _ := db.Movements(ctx, fid)
	if len(ms) != 2 {
		t.Fatalf("ledger %+v", ms)
	}
}

func reviewer(t *testing.T, db *postgres.DB, username string) portal.Actor {
	t.Helper()
	a, _, err := db.AccountForLogin(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return portal.ActorOf(a, "127.0.0.1")
}

func TestVentureRound(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	district := reviewer(t, db, "demo-district")
	rid, err := db.OpenRound(ctx, cultDistrict, district, tok(t, db, registry.TokenRound, cultDistrict.Division), registry.RoundInput{Title: "2023 年渝北区社区公益创投",
		Themes: []string{"邻里守望", "文化铸魂"}, Budget: yuan(t, "10000"), OpensOn: day(2023, 3, 1), ClosesOn: day(2023, 4, 30),
		ExcludeOwn: true, Criteria: []registry.Criterion{{Name: "需求分析", MaxScore: 30}, {Name: "项目设计", MaxScore: 70}}})
	if err != nil {
		t.Fatal(err)
	}
	// a committee and another town's committee apply for their groups
	r, err := db.Round(ctx, cultCommunity, rid)
	if err != nil || len(r.Criteria) != 2 {
		t.Fatalf("round %+v %v", r, err)
	}
	orgs, _ := db.CultivationOrgs(ctx, cultCommunity)
	apply := func(org int64, want string) int64 {
		id, err := db.Apply(ctx, cultCommunity, cultCommittee, rid, registry.VentureInput{OrgID: org, Theme: "邻里守望",
			Project: "楼栋互助", BudgetLines: "活动物资 3000 元", Requested: yuan(t, want)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a1, a2 := apply(orgs[0].ID, "6000"), apply(orgs[1].ID, "6000")
	if _, err := db.Apply(ctx, cultCommunity, cultCommittee, rid, registry.VentureInput{OrgID: orgs[0].ID, Theme: "邻里守望",
		Project: "再次申报", Requested: yuan(t, "1")}); !errors.Is(err, registry.ErrAlreadyApplied) {
		t.Fatalf("applying twice: %v", err)
	}
	// the district's reviewer scores once; out of range is refused
	crit := r.Criteria
	if err := db.Score(ctx, cultDistrict, district, a1, map[int64]int{crit[0].ID: 31, crit[1].ID: 60}); !errors.Is(err, registry.ErrScoreOutOfRange) {
		t.Fatalf("score out of range: %v", err)
	}
	if err := db.Score(ctx, cultDistrict, district, a1, map[int64]int{crit[0].ID: 25, crit[1].ID: 60}); err != nil {
		t.Fatal(err)
	}
	if err := db.Score(ctx, cultDistrict, district, a1, map[int64]int{crit[0].ID: 25, crit[1].ID: 60}); !errors.Is(err, registry.ErrAlreadyScored) {
		t.Fatalf("scoring twice: %v", err)
	}
	// before the round names its reviewers, another town scores nothing and reads none of the applications
	if err := db.Score(ctx, cultTown2, reviewer(t, db, "demo-town2"), a1, map[int64]int{crit[0].ID: 15, crit[1].ID: 50}); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a town that is not a reviewer scoring: %v", err)
	}
	if apps, _ := db.VentureApplications(ctx, cultTown2, rid, true); len(apps) != 0 {
		t.Fatalf("a town that is not a reviewer sees %d applications", len(apps))
	}
	r, _ = db.Round(ctx, cultDistrict, rid)
	if err := db.SetRoundReviewers(ctx, cultDistrict, district, rid, r.Version, []string{cultCommunity.Division}); !errors.Is(err, registry.ErrReviewerNotTown) {
		t.Fatalf("a community named as a reviewer: %v", err)
	}
	if err := db.SetRoundReviewers(ctx, cultTown, reviewer(t, db, "demo-town"), rid, r.Version, []string{cultTown2.Division}); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a town naming the district round's reviewers: %v", err)
	}
	if err := db.SetRoundReviewers(ctx, cultDistrict, district, rid, r.Version, []string{cultTown.Division, cultTown2.Division}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRoundReviewers(ctx, cultDistrict, district, rid, r.Version, nil); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("naming reviewers from a stale page: %v", err)
	}
	if r, _ = db.Round(ctx, cultTown2, rid); len(r.Reviewers) != 2 {
		t.Fatalf("reviewers %+v", r.Reviewers)
	}
	// the applicants' own town may not score them in this round
	town := reviewer(t, db, "demo-town")
	if err := db.Score(ctx, cultTown, town, a1, map[int64]int{crit[0].ID: 1, crit[1].ID: 1}); !errors.Is(err, registry.ErrOwnDivision) {
		t.Fatalf("own town scoring: %v", err)
	}
	// another town's officer is a second reviewer
	if err := db.Score(ctx, cultTown2, reviewer(t, db, "demo-town2"), a1, map[int64]int{crit[0].ID: 15, crit[1].ID: 50}); err != nil {
		t.Fatal(err)
	}
	// a named town's reviewers see the district round's applications (they score them), outside the reviewer
	// role its own groups' only (none here), and may not award
	if apps, _ := db.VentureApplications(ctx, cultTown2, rid, true); len(apps) != 2 || apps[0].BudgetLines == "" {
		t.Fatalf("another town's reviewers see %+v, want 2 with their budget lines", apps)
	}
	if apps, _ := db.VentureApplications(ctx, cultTown2, rid, false); len(apps) != 0 {
		t.Fatalf("another town outside the reviewer role sees %d applications, want 0", len(apps))
	}
	if err := db.Award(ctx, cultTown2, cultClerk2, a1, 100, time.Now()); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town awarding: %v", err)
	}
	// two awards of 6000 against a budget of 10000, at once: exactly one
	ids := []int64{a1, a2}
	if won := race(t, registry.ErrAwardBeyondBudget, func(i int) error {
		return db.Award(ctx, cultDistrict, district, ids[i], 600000, time.Now())
	}); won != 1 {
		t.Fatalf("%d awards won, want exactly 1", won)
	}
	r, _ = db.Round(ctx, cultDistrict, rid)
	if r.Awarded.String() != "6,000.00" {
		t.Fatalf("awarded %s", r.Awarded)
	}
	apps, err := db.VentureApplications(ctx, cultDistrict, rid, false)
	if err != nil || len(apps) != 2 || apps[0].Reviewers != 2 || apps[0].Average != 75 {
		t.Fatalf("applications %+v %v", apps, err)
	}
	// the awarded project reports progress through its committee and the district closes it
	var awarded int64
	var seen int
	for _, a := range apps {
		if a.Status == registry.VentureAwarded {
			awarded, seen = a.ID, a.Version
		}
	}
	if err := db.ReportVentureProgress(ctx, cultTown2, cultClerk2, awarded, seen, "已开展活动 6 次"); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town reporting: %v", err)
	}
	// A report names the version the clerk saw: a stale one changes nothing.
	if err := db.ReportVentureProgress(ctx, cultCommunity, cultCommittee, awarded, seen+1, "已开展活动 6 次"); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("a stale progress report: %v, want ErrConflict", err)
	}
	if err := db.ReportVentureProgress(ctx, cultCommunity, cultCommittee, awarded, seen, "已开展活动 6 次"); err != nil {
		t.Fatal(err)
	}
	seen++
	if err := db.CloseVenture(ctx, cultTown, cultClerk, awarded, seen, "结项报告", "优秀"); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a town closing the district's project: %v", err)
	}
	if err := db.CloseVenture(ctx, cultDistrict, district, awarded, seen-1, "结项报告", "优秀"); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("a stale close: %v, want ErrConflict", err)
	}
	if err := db.CloseVenture(ctx, cultDistrict, district, awarded, seen, "服务 320 人次，达到预期", "优秀"); err != nil {
		t.Fatal(err)
	}
	if err := db.CloseVenture(ctx, cultDistrict, district, awarded, seen+1, "再次", "再次"); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("closing twice: %v", err)
	}
}

// TestMoneyTotalsEqualTheirRows: the district's and a town's totals equal the sums of the rows in the tables,
// recomputed here in SQL, and no town's rows include another town's groups.
func TestMoneyTotalsEqualTheirRows(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	for _, scope := range []portal.Scope{cultDistrict, cultTown, cultTown2} {
		rows, err := db.MoneyRows(ctx, scope, 100000)
		if err != nil || len(rows) == 0 {
			t.Fatalf("%v: %d rows, %v", scope, len(rows), err)
		}
		tot := registry.TotalMoney(rows)
		var want, wantRural int64
		if err := db.Pool.QueryRow(ctx, `
			WITH m AS (
				SELECT org_id, amount FROM contracts
				UNION ALL SELECT org_id, awarded_amount FROM venture_applications WHERE awarded_amount IS NOT NULL
				UNION ALL SELECT org_id, amount FROM fund_movements WHERE kind = 'grant')
			SELECT (sum(m.amount) * 100)::bigint, (coalesce(sum(m.amount) FILTER (WHERE c.rural), 0) * 100)::bigint
			FROM m JOIN organizations o ON o.id = m.org_id JOIN divisions c ON c.code = o.community_code
			WHERE starts_with(o.community_code, $1)`, scope.Division).Scan(&want, &wantRural); err != nil {
			t.Fatal(err)
		}
		if int64(tot.All) != want || int64(tot.Rural) != wantRural || tot.Rural+tot.Urban != tot.All {
			t.Errorf("%v: totals %d (rural %d), the tables say %d (rural %d)", scope, tot.All, tot.Rural, want, wantRural)
		}
		for _, list := range [][]registry.MoneyTotal{tot.BySource, tot.ByTown, tot.BySeries} {
			var sum registry.Fen
			for _, x := range list {
				sum += x.Amount
			}
			if sum != tot.All {
				t.Errorf("%v: a breakdown sums to %d of %d", scope, sum, tot.All)
			}
		}
		for _, r := range rows {
			if scope.Tier == portal.TierTown && r.TownCode != scope.Division {
				t.Fatalf("%v sees money of %s", scope, r.TownName)
			}
		}
	}
}

// ownFunds is how many funds the scope's own division has: the fund form's token.
func ownFunds(t *testing.T, db *postgres.DB, scope portal.Scope) int {
	t.Helper()
	fs, err := db.Funds(context.Background(), scope)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range fs {
		if f.DivisionCode == scope.Division {
			n++
		}
	}
	return n
}
