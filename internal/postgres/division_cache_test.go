package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// The division lists and names that list pages read are cached; a change through the same DB shows at once,
// and a change another process makes shows once the cache's time is up.
func TestDivisionCacheFollowsChanges(t *testing.T) {
	ctx := context.Background()
	db, url := testdb.NewWithURL(t)
	other, err := postgres.Open(ctx, url, nil) // another portal process on the same database
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(other.Close)
	ids := insertOrgs(t, db, communityA2, "锦华社区测试缓存志愿服务队")
	actor := portal.Actor{Username: "tester", IP: "127.0.0.1"}

	communities := func() []portal.Division {
		t.Helper()
		ds, err := db.DivisionsAtLevel(ctx, townA, portal.TierCommunity)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	listedName := func() string {
		t.Helper()
		rows, err := db.ListOrganizations(ctx, townA, registry.OrgFilter{CommunityCode: communityA2}, 0, 1)
		if err != nil || len(rows) != 1 || rows[0].ID != ids[0] {
			t.Fatalf("list: %v %+v", err, rows)
		}
		return rows[0].CommunityName
	}
	before, oldName := communities(), listedName() // both now cached
	if oldName == "" || oldName == communityA2 {
		t.Fatalf("community name on the list row: %q", oldName)
	}

	// Through the same DB: a new community and a renamed one show at once.
	added := portal.Division{Code: seed.TownShuanglonghu + "901", Name: "测试新社区", Level: portal.TierCommunity,
		ParentCode: seed.TownShuanglonghu, Kind: "社区", Demo: true}
	if err := db.UpsertDivisions(ctx, actor, []portal.Division{added}); err != nil {
		t.Fatal(err)
	}
	if got := communities(); len(got) != len(before)+1 {
		t.Fatalf("after adding a community through this DB: %d communities, want %d", len(got), len(before)+1)
	}

	// Through another process: the change shows once the cache's time is up, not before.
	renamed := "改名后的社区"
	if _, err := other.Pool.Exec(ctx, `UPDATE divisions SET name = $1 WHERE code = $2`, renamed, communityA2); err != nil {
		t.Fatal(err)
	}
	if got := listedName(); got != oldName {
		t.Fatalf("within the cache's time the list showed %q, want the cached %q", got, oldName)
	}
	postgres.SetDivisionCacheTTL(db, 10*time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	if got := listedName(); got != renamed {
		t.Fatalf("after the cache's time the list showed %q, want %q", got, renamed)
	}
}
