package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// orgCountsRecount holds the organization counts kept before the statistics ones (dashboards, lists) against a
// recount; the statistics tables are assertStatCountsEqualRecount's.
func assertOrgCountsEqualRecount(t *testing.T, db *postgres.DB, step string) {
	t.Helper()
	for table, recount := range map[string]string{
		"org_counts": `SELECT community_code, tier, legal_form, status, count(*)::bigint FROM organizations
			GROUP BY 1, 2, 3, 4`,
		"org_town_counts": `SELECT town_code, tier, legal_form, status, count(*)::bigint FROM organizations
			GROUP BY 1, 2, 3, 4`,
	} {
		n := recCount(t, db, `WITH kept AS (SELECT * FROM `+table+` WHERE n <> 0), recount AS (`+recount+`)
			SELECT count(*) FROM ((SELECT * FROM kept EXCEPT ALL SELECT * FROM recount)
				UNION ALL (SELECT * FROM recount EXCEPT ALL SELECT * FROM kept)) x`)
		if n != 0 {
			t.Fatalf("after %s: %d rows of %s differ from a recount", step, n, table)
		}
	}
	assertStatCountsEqualRecount(t, db, step)
}

// A 成立备案 of a group the committee already records moves that record up to 镇街备案: same id, one
// organization before and after, a tier_changed and a filed event, and every kept count equal to a recount.
func TestFilingGuidedGroupKeepsItsRecord(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	guided := recGuided(t, db, "晚霞")
	orgID, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), guided)
	if err != nil {
		t.Fatal(err)
	}
	assertOrgCountsEqualRecount(t, db, "recording the guided group")
	orgs := recCount(t, db, `SELECT count(*) FROM organizations`)
	guidedHere := recCount(t, db, `SELECT coalesce(sum(n), 0) FROM org_counts WHERE community_code = $1 AND tier = 'guided'`, guided.CommunityCode)
	filedHere := recCount(t, db, `SELECT coalesce(sum(n), 0) FROM org_counts WHERE community_code = $1 AND tier = 'filed'`, guided.CommunityCode)

	in := establishInput("晚霞")
	in.NameParts = guided.NameParts
	in.NameParts.Field = "健身"
	in.GuidedOrgID, in.GuidedVersion = orgID, 1
	// Its own name is not in the way of its filing; another group's would be.
	if taken, err := db.NameInUse(ctx, filingTownA, "渝北区双龙湖街道"+guided.NameParts.Community+"晚霞舞蹈队", orgID); err != nil || taken {
		t.Fatalf("own name in use: %v %v", taken, err)
	}
	if taken, err := db.NameInUse(ctx, filingTownA, "渝北区双龙湖街道"+guided.NameParts.Community+"晚霞舞蹈队", 0); err != nil || !taken {
		t.Fatalf("a guided group's name is free: %v %v", taken, err)
	}
	// A stale version of the record, or another town, writes nothing.
	stale := in
	stale.GuidedVersion = 2
	if _, err := db.CreateFiling(ctx, filingTownA, filingActor, stale, nil); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("stale record version: %v", err)
	}
	if _, err := db.CreateFiling(ctx, filingTownB, filingActor, in, nil); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town files the group: %v", err)
	}
	if n := recCount(t, db, `SELECT count(*) FROM filings WHERE guided_org_id = $1`, orgID); n != 0 {
		t.Fatalf("%d filings written by refused submissions", n)
	}
	fid, err := db.CreateFiling(ctx, filingTownA, filingActor, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	// One open filing per group.
	if _, err := db.CreateFiling(ctx, filingTownA, filingActor, in, nil); !errors.Is(err, registry.ErrOpenFiling) {
		t.Fatalf("second open filing of the group: %v", err)
	}
	f, err := db.Filing(ctx, filingTownA, fid)
	if err != nil || f.GuidedOrgID != orgID || f.GuidedOrgName == "" {
		t.Fatalf("filing names its guided record: %+v %v", f, err)
	}
	d, err := db.ApproveFiling(ctx, filingTownA, filingActor, fid, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d.OrgID != orgID {
		t.Fatalf("approval made organization %d, want the guided record %d", d.OrgID, orgID)
	}
	if n := recCount(t, db, `SELECT count(*) FROM organizations`); n != orgs {
		t.Fatalf("%d organizations after filing, %d before: a second record was inserted", n, orgs)
	}
	o, err := db.Organization(ctx, filingTownA, orgID)
	if err != nil {
		t.Fatal(err)
	}
	if o.Tier != registry.TierFiled || o.FilingNo != d.FilingNo || o.NameParts.Field != "健身" || o.Version != 2 ||
		o.LeaderPhone != "138****5678" {
		t.Fatalf("record after filing: %+v", o)
	}
	var kinds []string
	rows, _ := db.Pool.Query(ctx, `SELECT kind || ':' || from_value || '>' || to_value FROM org_events WHERE org_id = $1 ORDER BY id`, orgID)
	for rows.Next() {
		var k string
		_ = rows.Scan(&k)
		kinds = append(kinds, k)
	}
	rows.Close()
	if len(kinds) != 3 || kinds[1] != "tier_changed:guided>filed" || kinds[2] != "filed:>"+d.FilingNo {
		t.Fatalf("timeline %v", kinds)
	}
	if g := recCount(t, db, `SELECT coalesce(sum(n), 0) FROM org_counts WHERE community_code = $1 AND tier = 'guided'`, guided.CommunityCode); g != guidedHere-1 {
		t.Fatalf("guided count %d, want %d", g, guidedHere-1)
	}
	if fl := recCount(t, db, `SELECT coalesce(sum(n), 0) FROM org_counts WHERE community_code = $1 AND tier = 'filed'`, guided.CommunityCode); fl != filedHere+1 {
		t.Fatalf("filed count %d, want %d", fl, filedHere+1)
	}
	assertOrgCountsEqualRecount(t, db, "filing the guided group")
	// The 备案证明 is the record's.
	if c, err := db.Certificate(ctx, filingTownA, fid); err != nil || c.OrgID != orgID {
		t.Fatalf("certificate: %+v %v", c, err)
	}
}

// A guided group that stops being one while its filing waits (ended by its committee) cannot be filed on its
// record: approval writes nothing and says why.
func TestFilingGuidedGroupEndedMeanwhile(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	guided := recGuided(t, db, "朝阳")
	orgID, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), guided)
	if err != nil {
		t.Fatal(err)
	}
	in := establishInput("朝阳")
	in.NameParts = guided.NameParts
	in.NameParts.Field = "健身"
	in.GuidedOrgID, in.GuidedVersion = orgID, 1
	fid, err := db.CreateFiling(ctx, filingTownA, filingActor, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET status = 'dissolved', version = version + 1 WHERE id = $1`, orgID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApproveFiling(ctx, filingTownA, filingActor, fid, 1); !errors.Is(err, registry.ErrNotGuided) {
		t.Fatalf("approving the filing of an ended group: %v", err)
	}
	if f, err := db.Filing(ctx, filingTownA, fid); err != nil || f.Status != registry.FilingSubmitted || f.OrgID != 0 {
		t.Fatalf("filing after refused approval: %+v %v", f, err)
	}
	if n := recCount(t, db, `SELECT count(*) FROM filing_numbers WHERE town_code = $1`, seed.TownShuanglonghu); n != 0 {
		t.Fatalf("a number was taken by a refused approval")
	}
	// A filed group is not a guided one.
	filed := in
	filed.GuidedOrgID, filed.GuidedVersion = orgID, 2
	if _, err := db.CreateFiling(ctx, filingTownA, filingActor, filed, nil); !errors.Is(err, registry.ErrNotGuided) {
		t.Fatalf("filing an ended group: %v", err)
	}
}
