package postgres

// The training export: the people trained in a year inside scope, with what they attended that year. Only
// masks of their personal data leave the store.

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// TrainedInYear is the trainees inside scope who attended a session held in year, by town and name, each with
// the sessions and hours of that year.
func (db *DB) TrainedInYear(ctx context.Context, scope portal.Scope, year int) ([]registry.Trainee, error) {
	from, to := trainingYear(year)
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+traineeColumns+`, y.sessions, y.hours
		FROM (SELECT a.trainee_id, count(*)::int AS sessions, sum(s.hours)::float8 AS hours
			FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
			WHERE s.starts_at >= @from AND s.starts_at < @to AND `+scopeWithin("s.town_code")+`
			GROUP BY a.trainee_id) y
		JOIN trainees p ON p.id = y.trainee_id JOIN divisions t ON t.code = p.town_code
		LEFT JOIN organizations o ON o.id = p.org_id
		ORDER BY p.town_code, p.name, p.id LIMIT @limit`,
		scopeArgs(scope, pgx.NamedArgs{"from": from, "to": to, "limit": trainingExportLimit}))
	out, err := pgx.CollectRows(rows, scanTrainee)
	return out, translate(err)
}

// trainingExportLimit bounds the rows of one sheet of the training export.
const trainingExportLimit = 100_000
