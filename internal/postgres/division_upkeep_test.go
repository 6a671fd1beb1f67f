package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

var districtScope = portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}

// addEmptyCommunity adds a 社区 under 双龙湖 with nothing in it and gives its code.
func addEmptyCommunity(t *testing.T, db *postgres.DB, actor portal.Actor) string {
	t.Helper()
	code := seed.TownShuanglonghu + "150"
	if err := db.AddCommunity(context.Background(), districtScope, actor,
		registry.CommunityInput{Town: seed.TownShuanglonghu, Code: code, Name: "新湖社区", Kind: "社区"}); err != nil {
		t.Fatal(err)
	}
	return code
}

// A live group of 双龙湖 (its id), to move into a community.
func liveGroupOfTown(t *testing.T, db *postgres.DB) int64 {
	t.Helper()
	var id int64
	if err := db.Pool.QueryRow(context.Background(), `SELECT id FROM organizations WHERE town_code = $1
		AND status = 'normal' ORDER BY id LIMIT 1`, seed.TownShuanglonghu).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// The district adds, edits and retires a community; each change is audited and in the history; a duplicate
// name or code, a stale version, a community with a live group or an active account are refused.
func TestCommunityUpkeep(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	actor := accountOf(t, db, "demo-district")
	code := addEmptyCommunity(t, db, actor)
	err := db.AddCommunity(ctx, districtScope, actor, registry.CommunityInput{Town: seed.TownShuanglonghu,
		Code: code, Name: "另一社区", Kind: "社区"})
	if !errors.Is(err, registry.ErrDivisionCodeTaken) {
		t.Errorf("a taken code: %v", err)
	}
	err = db.AddCommunity(ctx, districtScope, actor, registry.CommunityInput{Town: seed.TownShuanglonghu,
		Code: seed.TownShuanglonghu + "151", Name: "新湖社区", Kind: "社区"})
	if !errors.Is(err, registry.ErrDivisionNameTaken) {
		t.Errorf("a taken name: %v", err)
	}
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownTongjing}
	if err := db.AddCommunity(ctx, town, actor, registry.CommunityInput{Town: seed.TownShuanglonghu,
		Code: seed.TownShuanglonghu + "152", Name: "外镇社区", Kind: "社区"}); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("another town's scope adding: %v", err)
	}

	c, err := db.Community(ctx, districtScope, code)
	if err != nil || c.Version != 1 || c.Rural || c.Pilot {
		t.Fatalf("the new community: %+v %v", c, err)
	}
	edit := registry.CommunityInput{Name: "新湖村", Kind: "村", Pilot: true}
	if err := db.UpdateCommunity(ctx, districtScope, actor, code, 0, edit); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("a stale version: %v", err)
	}
	if err := db.UpdateCommunity(ctx, districtScope, actor, code, 1, edit); err != nil {
		t.Fatal(err)
	}
	c, _ = db.Community(ctx, districtScope, code)
	if c.Name != "新湖村" || !c.Rural || c.Kind != "村" || !c.Pilot || c.Version != 2 {
		t.Fatalf("after the edit: %+v", c)
	}

	// A live group moved in: retiring is refused.
	org := liveGroupOfTown(t, db)
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET community_code = $1 WHERE id = $2`, code, org); err != nil {
		t.Fatal(err)
	}
	if err := db.RetireCommunity(ctx, districtScope, actor, code, 2); !errors.Is(err, registry.ErrDivisionLiveGroups) {
		t.Fatalf("retiring with a live group: %v", err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET status = 'dissolved', status_on = current_date WHERE id = $1`, org); err != nil {
		t.Fatal(err)
	}
	// An active committee account: refused too.
	if _, err := db.Pool.Exec(ctx, `INSERT INTO accounts (username, display_name, tier, division_code, password_hash)
		VALUES ('xinhu-cc', '新湖村委会', 'community', $1, 'x')`, code); err != nil {
		t.Fatal(err)
	}
	if err := db.RetireCommunity(ctx, districtScope, actor, code, 2); !errors.Is(err, registry.ErrDivisionLiveAccount) {
		t.Fatalf("retiring with an active account: %v", err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE accounts SET disabled = true WHERE username = 'xinhu-cc'`); err != nil {
		t.Fatal(err)
	}
	if err := db.RetireCommunity(ctx, districtScope, actor, code, 2); err != nil {
		t.Fatal(err)
	}
	c, _ = db.Community(ctx, districtScope, code)
	if !c.Retired() {
		t.Fatal("not retired")
	}
	if err := db.UpdateCommunity(ctx, districtScope, actor, code, c.Version, edit); !errors.Is(err, registry.ErrDivisionRetired) {
		t.Errorf("editing a retired community: %v", err)
	}
	// No group enters it any more, and pickers no longer offer it.
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET status = 'normal' WHERE id = $1`, org); err == nil {
		t.Error("a group revived in a retired community")
	}
	ds, err := db.DivisionsAtLevel(ctx, districtScope, portal.TierCommunity)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Code == code {
			t.Error("a retired community is offered")
		}
	}
	history, err := db.DivisionHistory(ctx, districtScope, code)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range history {
		actions = append(actions, e.Action)
		if e.Actor != "区民政局演示账号" || e.Username != "demo-district" {
			t.Errorf("history names %q %q", e.Actor, e.Username)
		}
	}
	if len(actions) != 3 || actions[0] != "division.retire" || actions[1] != "division.update" || actions[2] != "division.create" {
		t.Errorf("history %v", actions)
	}
	if history[1].Detail != "名称 新湖社区 → 新湖村；类型 社区 → 村；试点 否 → 是" {
		t.Errorf("the edit's detail: %q", history[1].Detail)
	}
}

// A group entering a community while the district retires it: whichever commits first, the community never
// ends retired with a live group in it.
func TestRetiringRacesAGroupMovingIn(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	actor := accountOf(t, db, "demo-district")

	// The group moves in first, uncommitted; the retirement waits for it and then refuses.
	code := addEmptyCommunity(t, db, actor)
	org := liveGroupOfTown(t, db)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, `UPDATE organizations SET community_code = $1 WHERE id = $2`, code, org); err != nil {
		t.Fatal(err)
	}
	retired := make(chan error, 1)
	go func() { retired <- db.RetireCommunity(ctx, districtScope, actor, code, 1) }()
	select {
	case err := <-retired:
		t.Fatalf("the retirement did not wait for the group moving in: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-retired; !errors.Is(err, registry.ErrDivisionLiveGroups) {
		t.Fatalf("retiring after a group moved in: %v", err)
	}

	// The retirement first, uncommitted; the group waits for it and then is refused.
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET community_code = $1 WHERE id = $2`,
		seed.CommunityDemo, org); err != nil {
		t.Fatal(err)
	}
	tx2, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx2.Rollback(ctx) //nolint:errcheck
	if _, err := tx2.Exec(ctx, `UPDATE divisions SET retired_at = now() WHERE code = $1`, code); err != nil {
		t.Fatal(err)
	}
	moved := make(chan error, 1)
	go func() {
		_, err := db.Pool.Exec(ctx, `UPDATE organizations SET community_code = $1 WHERE id = $2`, code, org)
		moved <- err
	}()
	select {
	case err := <-moved:
		t.Fatalf("the group did not wait for the retirement: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx2.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-moved; err == nil {
		t.Fatal("a group moved into a community retired meanwhile")
	}
	var live int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM organizations WHERE community_code = $1
		AND status IN ('normal', 'abnormal')`, code).Scan(&live); err != nil || live != 0 {
		t.Fatalf("a retired community holds %d live groups (%v)", live, err)
	}
}
