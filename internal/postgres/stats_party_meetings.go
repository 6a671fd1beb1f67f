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
	var s registry.PartyMeetingStats
	b := &pgx.Batch{}
	if !scope.Covers(code) {
		queueMeetingStats(b, code, year, &s) // the empty quarters, with nothing sent
		return s, portal.ErrNotFound
	}
	queueMeetingStats(b, code, year, &s)
	return s, translate(db.pool(planFresh).SendBatch(ctx, b).Close())
}

// queueMeetingStats queues the reads of PartyMeetingStats for code, which the caller checked is inside its
// scope (the statistics page reads them in its own batch).
func queueMeetingStats(b *pgx.Batch, code string, year int, s *registry.PartyMeetingStats) {
	*s = registry.PartyMeetingStats{Year: year}
	for q := 1; q <= 4; q++ {
		s.Quarters = append(s.Quarters, registry.PartyMeetingQuarter{Quarter: q})
	}
	args := pgx.NamedArgs{"code": code, "from": time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC),
		"to": time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)}
	b.Queue(`
		SELECT extract(quarter FROM quarter)::int, sum(meetings)::bigint, sum(attendance)::bigint,
		       sum(groups_met)::bigint
		FROM party_meeting_counts
		WHERE starts_with(community_code, @code) AND quarter >= @from AND quarter < @to
		GROUP BY 1`, args).Query(func(rows pgx.Rows) error {
		var q registry.PartyMeetingQuarter
		_, err := pgx.ForEachRow(rows, []any{&q.Quarter, &q.Meetings, &q.Attendance, &q.GroupsMet}, func() error {
			if q.Quarter >= 1 && q.Quarter <= 4 {
				s.Quarters[q.Quarter-1] = q
			}
			return nil
		})
		return err
	})
	// A community reads its own rows; a town or the district the rows kept per town.
	table, column := "org_stat_town_counts", "town_code"
	if portal.LevelOfCode(code) == portal.TierCommunity {
		table, column = "org_stat_counts", "community_code"
	}
	b.Queue(`
		SELECT coalesce(sum(n), 0)::bigint FROM `+table+`
		WHERE starts_with(`+column+`, @code) AND status IN ('normal', 'abnormal')
		  AND party_status IN ('单独建立', '联合建立')`, args).QueryRow(func(row pgx.Row) error {
		return row.Scan(&s.WithPartyOrg)
	})
}
