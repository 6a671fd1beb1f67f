package postgres

// 三会一课 in the statistics (issue 13, migration 0065): a division's meetings per quarter from the kept counts,
// never from the meetings themselves, for urban 社区, rural 村 or the district's 试点 as the page's filter asks,
// with the quarterly trend since 2021.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// PartyMeetingStats are the 三会一课 of the groups of division code (inside scope, else ErrNotFound) in year,
// by quarter, every quarter from 2021 to the one now, and the live groups with a 党组织 there now; area narrows
// all of them to urban 社区, rural 村 or the 试点 communities. A few kept rows per community and quarter.
func (db *DB) PartyMeetingStats(ctx context.Context, scope portal.Scope, code string, year int, area registry.StatArea, now time.Time) (registry.PartyMeetingStats, error) {
	var s registry.PartyMeetingStats
	b := &pgx.Batch{}
	queueMeetingStats(b, code, year, area, now, &s)
	queuePartyOrgs(b, code, area, &s)
	if !scope.Covers(code) {
		return s, portal.ErrNotFound // the empty quarters, with nothing sent
	}
	return s, translate(db.pool(planFresh).SendBatch(ctx, b).Close())
}

// queueMeetingStats queues the reads of PartyMeetingStats for code, which the caller checked is inside its
// scope (the statistics page reads them in its own batch).
func queueMeetingStats(b *pgx.Batch, code string, year int, area registry.StatArea, now time.Time, s *registry.PartyMeetingStats) {
	*s = registry.PartyMeetingStats{Year: year, Area: area}
	for q := 1; q <= 4; q++ {
		s.Quarters = append(s.Quarters, registry.PartyMeetingQuarter{Quarter: q})
	}
	at := now.In(portal.Beijing)
	index := map[[2]int]int{}
	for y := registry.FirstStatYear; y <= at.Year(); y++ {
		for q := 1; q <= 4 && (y < at.Year() || q <= (int(at.Month())+2)/3); q++ {
			index[[2]int{y, q}] = len(s.Trend)
			s.Trend = append(s.Trend, registry.PartyMeetingQuarter{Year: y, Quarter: q})
		}
	}
	args := namedArgs{"code": code, "code_end": digitsAfter(code), "area": string(area),
		"from": time.Date(registry.FirstStatYear, 1, 1, 0, 0, 0, 0, time.UTC)}
	b.Queue(`
		SELECT extract(year FROM c.quarter)::int, extract(quarter FROM c.quarter)::int, sum(c.meetings)::bigint,
		       sum(c.attendance)::bigint, sum(c.groups_met)::bigint
		FROM party_meeting_counts c JOIN divisions v ON v.code = c.community_code
		WHERE c.community_code >= @code AND c.community_code < @code_end AND c.quarter >= @from
		  AND (@area IN ('', 'pilot') OR v.rural = (@area = 'rural'))
		  AND (@area <> 'pilot' OR EXISTS (SELECT 1 FROM stat_pilots p WHERE p.community_code = c.community_code))
		GROUP BY 1, 2`, args).Query(func(rows pgx.Rows) error {
		var q registry.PartyMeetingQuarter
		_, err := pgx.ForEachRow(rows, []any{&q.Year, &q.Quarter, &q.Meetings, &q.Attendance, &q.GroupsMet}, func() error {
			if i, ok := index[[2]int{q.Year, q.Quarter}]; ok {
				s.Trend[i] = q
			}
			if q.Year == year && q.Quarter >= 1 && q.Quarter <= 4 {
				s.Quarters[q.Quarter-1] = q
				s.Quarters[q.Quarter-1].Year = 0
			}
			return nil
		})
		return err
	})
}

// queuePartyOrgs reads into s the live groups of code in area with a 党组织 now. A community reads its own
// rows; a town or the district the rows kept per town and urban/rural, or, for the 试点, the pilot communities'
// own rows (the town rows do not know which communities are pilots). The statistics page counts them from the
// rows of its ranking instead (Stats), which it reads anyway.
func queuePartyOrgs(b *pgx.Batch, code string, area registry.StatArea, s *registry.PartyMeetingStats) {
	args := namedArgs{"code": code, "area": string(area)}
	sql := `SELECT coalesce(sum(c.n), 0)::bigint FROM org_stat_town_counts c
		WHERE starts_with(c.town_code, @code) AND (@area = '' OR c.rural = (@area = 'rural'))`
	if portal.LevelOfCode(code) == portal.TierCommunity || area == registry.AreaPilot {
		sql = `SELECT coalesce(sum(c.n), 0)::bigint FROM org_stat_counts c JOIN divisions v ON v.code = c.community_code
			WHERE starts_with(c.community_code, @code) AND (@area IN ('', 'pilot') OR v.rural = (@area = 'rural'))
			  AND (@area <> 'pilot' OR EXISTS (SELECT 1 FROM stat_pilots p WHERE p.community_code = c.community_code))`
	}
	b.Queue(sql+`
		AND c.status IN ('normal', 'abnormal') AND c.party_status IN ('单独建立', '联合建立')`, args).QueryRow(func(row pgx.Row) error {
		return row.Scan(&s.WithPartyOrg)
	})
}
