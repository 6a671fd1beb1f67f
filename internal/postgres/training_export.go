package postgres

// The training export: the people trained in a year inside scope, with what they attended that year. Only
// masks of their personal data leave the store.

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// TrainedInYear is the trainees the caller sees (traineeSees) who attended a session held in year, by whomever,
// by town and name, each with the sessions and hours of that year.
func (db *DB) TrainedInYear(ctx context.Context, scope portal.Scope, year int) ([]registry.Trainee, error) {
	from, to := trainingYear(year)
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+traineeColumns+`, y.sessions, y.hours
		FROM (SELECT a.trainee_id, count(*)::int AS sessions, sum(s.hours)::float8 AS hours
			FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
			WHERE s.starts_at >= @from AND s.starts_at < @to
			GROUP BY a.trainee_id) y
		JOIN trainees p ON p.id = y.trainee_id LEFT JOIN divisions t ON t.code = p.town_code
		LEFT JOIN organizations o ON o.id = p.org_id
		WHERE `+traineeSees("p")+`
		ORDER BY p.town_code, p.name, p.id LIMIT @limit`,
		scopeArgs(scope, namedArgs{"from": from, "to": to, "limit": trainingExportLimit}))
	out, err := pgx.CollectRows(rows, scanTrainee)
	return out, translate(err)
}

// trainingExportLimit bounds the rows of one sheet of the training export.
const trainingExportLimit = 100_000

// TraineeDigest is the people the caller sees who attended a session in year, counted where they belong
// (traineeHome) inside division (a code inside scope; the scope's own for all), by town and name: each once with
// the year's sessions and hours and the holders of those sessions (towns, 区级) — one person's training across
// towns for the district's digest and its drill-down.
//
// Its plan is kept (planned once per connection): no clause of it becomes an index condition by its values (the
// year is a range on the sessions whatever it is; the jurisdiction and the division are prefix tests on a few
// rows), and planning the eight-table statement afresh was most of what the page cost.
func (db *DB) TraineeDigest(ctx context.Context, scope portal.Scope, year int, division string) ([]registry.Trainee, error) {
	from, to := trainingYear(year)
	rows, _ := db.pool(planKept).Query(ctx, `SELECT `+traineeColumns+`, y.sessions, y.hours, y.holders
		FROM (SELECT a.trainee_id, count(*)::int AS sessions, sum(s.hours)::float8 AS hours,
				array_agg(DISTINCT coalesce(h.name, '区级') ORDER BY coalesce(h.name, '区级')) AS holders
			FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
			LEFT JOIN divisions h ON h.code = s.town_code
			WHERE s.starts_at >= @from AND s.starts_at < @to
			GROUP BY a.trainee_id) y
		JOIN trainees p ON p.id = y.trainee_id LEFT JOIN divisions t ON t.code = p.town_code
		LEFT JOIN organizations o ON o.id = p.org_id
		WHERE `+traineeSees("p")+` AND starts_with(`+traineeHome+`, @division)
		ORDER BY p.town_code NULLS LAST, p.name, p.id LIMIT @limit`,
		scopeArgs(scope, namedArgs{"from": from, "to": to, "division": division, "limit": registry.TraineeDigestLimit}))
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.Trainee, error) {
		var p registry.Trainee
		err := row.Scan(&p.ID, &p.TownCode, &p.TownName, &p.Name, &p.IDMask, &p.PhoneMask, &p.Role, &p.OrgID,
			&p.OrgName, &p.CertLevel, &p.CertYear, &p.Sessions, &p.Hours, &p.TrainedBy)
		return p, err
	})
	return out, translate(err)
}
