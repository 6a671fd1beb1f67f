package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// The scope clause fails closed: a tier that is not one of the three, or a tier without a division, sees none of
// the demo data that the district sees — on every kind of statement that takes its clause from scope.go.
func TestUnknownTierSeesNothing(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	orgs, err := db.ListOrganizations(ctx, district, registry.OrgFilter{}, 0, 1)
	if err != nil || len(orgs) == 0 {
		t.Fatalf("district lists %d organizations, err %v", len(orgs), err)
	}
	orgID := orgs[0].ID
	// seen counts what scope sees through each clause family: the tier clause (scopeOn) on organizations,
	// applications, filings and notices, and the division prefix (scopeWithin) on divisions, counts and accounts.
	seen := func(scope portal.Scope) map[string]int {
		n := map[string]int{}
		if _, err := db.Organization(ctx, scope, orgID); err == nil {
			n["organization"] = 1
		} else if !errors.Is(err, portal.ErrNotFound) {
			t.Fatal(err)
		}
		apps, err := db.Applications(ctx, scope, registry.ApplicationFilter{})
		must(t, err)
		n["applications"] = len(apps)
		notices, err := db.Notices(ctx, scope, registry.NoticeFilter{})
		must(t, err)
		n["notices"] = len(notices)
		noticeOrgs, err := db.NoticeOrgs(ctx, scope)
		must(t, err)
		n["notice orgs"] = len(noticeOrgs)
		towns, err := db.DivisionsAtLevel(ctx, scope, portal.TierTown)
		must(t, err)
		n["towns"] = len(towns)
		totals, err := db.OrgTotals(ctx, scope)
		must(t, err)
		n["org totals"] = totals.Live
		accounts, err := db.ManagedAccounts(ctx, scope, registry.AccountFilter{})
		must(t, err)
		n["accounts"] = len(accounts)
		return n
	}
	for what, k := range seen(district) {
		if k == 0 {
			t.Errorf("the district sees no %s: the test below would prove nothing", what)
		}
	}
	for _, scope := range []portal.Scope{
		{Tier: "province", Division: seed.DistrictCode},
		{Tier: "", Division: seed.DistrictCode},
		{Tier: portal.TierDistrict},
	} {
		for what, k := range seen(scope) {
			if k != 0 {
				t.Errorf("%+v sees %d %s", scope, k, what)
			}
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
