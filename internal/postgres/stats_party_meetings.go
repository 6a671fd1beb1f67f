package postgres

// 三会一课 in the statistics (issue 13, migration 0065): a division's meetings per quarter from the kept counts,
// never from the meetings themselves.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// PartyMeetingStats are the 三会一课 of the groups of division code (inside scope, else ErrNotFound) in year,
// by quarter, and the live groups with a 党组织 there now. A few kept rows per community and quarter.
func (db *DB) PartyMeetingStats(ctx context.Context, scope portal.Scope, code string, year int) (registry.PartyMeetingStats, error) {
	s := registry.PartyMeetingStats{Year: year}
	for q := 1; q <= 4; q++ {
		s.Quarters = append(s.Quarters, registry.PartyMeetingQuarter{Quarter: q})
	}
	if !scope.Covers(code) {
		return s, portal.ErrNotFound
	}
	args := pgx.NamedArgs{"code": code, "from": time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC),
		"to": time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)}
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT extract(quarter FROM quarter)::int, sum(meetings)::bigint, sum(attendance)::bigint,
		       sum(groups_met)::bigint
		FROM party_meeting_counts
		WHERE starts_with(community_code, @code) AND quarter >= @from AND quarter < @to
		GROUP BY 1`, args)
	var q registry.PartyMeetingQuarter
	if _, err := pgx.ForEachRow(rows, []any{&q.Quarter, &q.Meetings, &q.Attendance, &q.GroupsMet}, func() error {
		if q.Quarter >= 1 && q.Quarter <= 4 {
			s.Quarters[q.Quarter-1] = q
		}
		return nil
	}); err != nil {
		return s, translate(err)
	}
	// A community reads its own rows; a town or the district the rows kept per town.
	table, column := "org_stat_town_counts", "town_code"
	if portal.LevelOfCode(code) == portal.TierCommunity {
		table, column = "org_stat_counts", "community_code"
	}
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT coalesce(sum(n), 0)::bigint FROM `+table+`
		WHERE starts_with(`+column+`, @code) AND status IN ('normal', 'abnormal')
		  AND party_status IN ('单独建立', '联合建立')`, args).Scan(&s.WithPartyOrg)
	return s, translate(err)
}
