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

// The 三会一课 figures follow the urban/rural/试点 filter (urban and rural add up to all; 试点 equals a recount
// over the pilot communities' meetings), and the trend holds every quarter from 2021 to now, the selected
// year's quarters equal to its own.
func TestPartyMeetingStatsByAreaAndTrend(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	// Meetings in an urban 社区 of one town and a rural 村 of another, in 2022.
	for _, community := range []string{seed.CommunityDemo, seed.CommunityDemoRural} {
		if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET party_status = '单独建立'
			WHERE id = (SELECT min(id) FROM organizations WHERE community_code = $1 AND status = 'normal')`, community); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Pool.Exec(ctx, `INSERT INTO party_meetings (org_id, district_code, town_code, community_code,
			kind, held_on, topic, attendance)
			SELECT id, district_code, town_code, community_code, 'assembly', '2022-08-10', '学习党章', 9 FROM organizations
			WHERE id = (SELECT min(id) FROM organizations WHERE community_code = $1 AND status = 'normal')`, community); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO stat_pilots (community_code) VALUES ($1) ON CONFLICT DO NOTHING`, seed.CommunityDemoRural); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2023, 5, 1, 12, 0, 0, 0, portal.Beijing)
	read := func(area registry.StatArea) registry.PartyMeetingStats {
		t.Helper()
		s, err := db.PartyMeetingStats(ctx, district, seed.DistrictCode, 2022, area, now)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	all, urban, rural, pilot := read(registry.AreaAll), read(registry.AreaUrban), read(registry.AreaRural), read(registry.AreaPilot)
	if len(all.Trend) != 4+4+2 || all.Trend[0].Year != 2021 || all.Trend[9].Year != 2023 || all.Trend[9].Quarter != 2 {
		t.Fatalf("trend quarters: %d, %+v … %+v", len(all.Trend), all.Trend[0], all.Trend[len(all.Trend)-1])
	}
	if all.Quarters[2].Meetings < 2 || rural.Quarters[2].Meetings < 1 || urban.Quarters[2].Meetings < 1 {
		t.Fatalf("2022Q3: all %+v urban %+v rural %+v", all.Quarters[2], urban.Quarters[2], rural.Quarters[2])
	}
	for i := range all.Trend {
		if all.Trend[i].Meetings != urban.Trend[i].Meetings+rural.Trend[i].Meetings ||
			all.Trend[i].GroupsMet != urban.Trend[i].GroupsMet+rural.Trend[i].GroupsMet {
			t.Fatalf("quarter %d: all %+v ≠ urban %+v + rural %+v", i, all.Trend[i], urban.Trend[i], rural.Trend[i])
		}
	}
	for q := 0; q < 4; q++ {
		if tr := all.Trend[4+q]; tr.Meetings != all.Quarters[q].Meetings || tr.Attendance != all.Quarters[q].Attendance {
			t.Fatalf("2022 quarter %d: trend %+v, year %+v", q+1, tr, all.Quarters[q])
		}
	}
	if all.WithPartyOrg != urban.WithPartyOrg+rural.WithPartyOrg || all.WithPartyOrg < 2 {
		t.Fatalf("groups with a 党组织: all %d urban %d rural %d", all.WithPartyOrg, urban.WithPartyOrg, rural.WithPartyOrg)
	}
	pilotMeetings := recCount(t, db, `SELECT count(*) FROM party_meetings m JOIN stat_pilots p USING (community_code)
		WHERE m.held_on >= '2022-07-01' AND m.held_on < '2022-10-01'`)
	pilotOrgs := recCount(t, db, `SELECT count(*) FROM organizations o JOIN stat_pilots p USING (community_code)
		WHERE o.status IN ('normal', 'abnormal') AND o.party_status IN ('单独建立', '联合建立')`)
	if int(pilot.Quarters[2].Meetings) != pilotMeetings || int(pilot.WithPartyOrg) != pilotOrgs || pilotMeetings < 1 {
		t.Fatalf("试点: %+v with %d, recount %d meetings, %d groups", pilot.Quarters[2], pilot.WithPartyOrg, pilotMeetings, pilotOrgs)
	}

	// The statistics page counts the groups with a 党组织 from its ranking's rows: the same as the statement
	// above at every level and in every area.
	for _, code := range []string{seed.DistrictCode, seed.CommunityDemoRural[:9], seed.CommunityDemo[:9], seed.CommunityDemoRural} {
		for _, area := range []registry.StatArea{registry.AreaAll, registry.AreaUrban, registry.AreaRural, registry.AreaPilot} {
			alone, err := db.PartyMeetingStats(ctx, district, code, 2022, area, now)
			if err != nil {
				t.Fatal(err)
			}
			page, err := db.Stats(ctx, district, registry.StatQuery{Division: code, Period: registry.StatPeriod{Year: 2022},
				Area: area, With: registry.WithPartyMeetings})
			if err != nil {
				t.Fatal(err)
			}
			if page.PartyMeetings.WithPartyOrg != alone.WithPartyOrg {
				t.Fatalf("%s %s: the page counts %d groups with a 党组织, the statement %d", code, area,
					page.PartyMeetings.WithPartyOrg, alone.WithPartyOrg)
			}
		}
	}
}
