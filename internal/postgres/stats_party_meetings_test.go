package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// assertPartyMeetingCountsEqualRecount compares the kept 三会一课 counts with a recount from the meetings.
func assertPartyMeetingCountsEqualRecount(t *testing.T, step string, count func(string, ...any) int) {
	t.Helper()
	n := count(`WITH kept AS (SELECT community_code, quarter, meetings, attendance, groups_met FROM party_meeting_counts
			WHERE meetings <> 0 OR attendance <> 0 OR groups_met <> 0),
		recount AS (SELECT community_code, date_trunc('quarter', held_on)::date, count(*)::bigint,
			sum(attendance)::bigint, count(DISTINCT org_id)::bigint FROM party_meetings GROUP BY 1, 2)
		SELECT count(*) FROM ((SELECT * FROM kept EXCEPT ALL SELECT * FROM recount)
			UNION ALL (SELECT * FROM recount EXCEPT ALL SELECT * FROM kept)) x`)
	if n != 0 {
		t.Fatalf("after %s: %d rows of party_meeting_counts differ from a recount", step, n)
	}
}

// Meetings recorded, moved to another quarter and removed keep the quarter counts equal to a recount, a group
// meeting twice counting once among the groups that met; the statistics read them per quarter.
func TestPartyMeetingCountsFollowTheMeetings(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	count := func(sql string, args ...any) int { return recCount(t, db, sql, args...) }
	rows, err := db.Pool.Query(ctx, `SELECT id FROM organizations WHERE town_code = $1 AND status = 'normal'
		ORDER BY id LIMIT 2`, seed.TownShuanglonghu)
	if err != nil {
		t.Fatal(err)
	}
	var orgs []int64
	for rows.Next() {
		var id int64
		_ = rows.Scan(&id)
		orgs = append(orgs, id)
	}
	rows.Close()
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET party_status = '单独建立' WHERE id = ANY($1)`, orgs); err != nil {
		t.Fatal(err)
	}
	insert := func(org int64, day string) {
		t.Helper()
		if _, err := db.Pool.Exec(ctx, `INSERT INTO party_meetings (org_id, district_code, town_code, community_code,
			kind, held_on, topic, attendance)
			SELECT id, district_code, town_code, community_code, 'assembly', $2, '学习党章', 12 FROM organizations
			WHERE id = $1`, org, day); err != nil {
			t.Fatal(err)
		}
	}
	insert(orgs[0], "2022-01-10")
	insert(orgs[0], "2022-02-10") // the same group again in the quarter
	insert(orgs[1], "2022-03-01")
	insert(orgs[1], "2022-05-01")
	assertPartyMeetingCountsEqualRecount(t, "recording", count)
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	s, err := db.PartyMeetingStats(ctx, town, seed.TownShuanglonghu, 2022, registry.AreaAll, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	base := s.Quarters // the demo's own meetings, if any, are in these too
	if s.Quarters[0].Meetings < 3 || s.Quarters[0].GroupsMet < 2 || s.Quarters[1].Meetings < 1 || s.WithPartyOrg < 2 {
		t.Fatalf("stats %+v", s)
	}
	// A meeting moved to another quarter, and one removed.
	if _, err := db.Pool.Exec(ctx, `UPDATE party_meetings SET held_on = '2022-04-02' WHERE org_id = $1 AND held_on = '2022-02-10'`, orgs[0]); err != nil {
		t.Fatal(err)
	}
	assertPartyMeetingCountsEqualRecount(t, "moving a meeting", count)
	if _, err := db.Pool.Exec(ctx, `DELETE FROM party_meetings WHERE org_id = $1 AND held_on = '2022-03-01'`, orgs[1]); err != nil {
		t.Fatal(err)
	}
	assertPartyMeetingCountsEqualRecount(t, "removing a meeting", count)
	s, err = db.PartyMeetingStats(ctx, town, seed.TownShuanglonghu, 2022, registry.AreaAll, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if s.Quarters[0].Meetings != base[0].Meetings-2 || s.Quarters[0].GroupsMet != base[0].GroupsMet-1 ||
		s.Quarters[1].Meetings != base[1].Meetings+1 || s.Quarters[1].GroupsMet != base[1].GroupsMet+1 {
		t.Fatalf("after the move and removal: %+v, before %+v", s.Quarters, base)
	}
	if _, err := db.PartyMeetingStats(ctx, town, seed.TownTongjing, 2022, registry.AreaAll, time.Now()); err == nil {
		t.Fatal("a town reads another town's meetings")
	}
}
