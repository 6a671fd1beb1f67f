package postgres

import (
	"context"
	"time"

	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/portal"
)

// recentImportJobs is how many of an account's 台账 jobs its upload page lists.
const recentImportJobs = 20

// ImportJobs lists the actor's own 台账 jobs still kept (a day), newest first, without what their checks found,
// so that the upload page leads back to a job whose page was left.
func (db *DB) ImportJobs(ctx context.Context, scope portal.Scope, actor portal.Actor) ([]ledger.Job, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT j.id, j.filename, j.state, j.started_at IS NULL, j.rows_done, j.rows_total, j.imported,
			j.state = 'ready' AND (k.token IS NULL OR k.expires_at <= now()), j.created_at, j.heartbeat_at, now()
		FROM import_jobs j LEFT JOIN org_imports k ON k.token = j.kept_token
		WHERE j.account_id = @account_id AND j.tier = @tier AND j.division_code = @division AND j.expires_at > now()
		ORDER BY j.created_at DESC, j.id LIMIT @limit`,
		namedArgs{"account_id": actor.AccountID, "tier": string(scope.Tier), "division": scope.Division,
			"limit": recentImportJobs})
	if err != nil {
		return nil, err
	}
	var out []ledger.Job
	for rows.Next() {
		var (
			j         ledger.Job
			state     string
			beat, now time.Time
		)
		if err := rows.Scan(&j.ID, &j.Filename, &state, &j.Waiting, &j.RowsDone, &j.RowsTotal, &j.Imported,
			&j.Expired, &j.CreatedAt, &beat, &now); err != nil {
			rows.Close()
			return nil, err
		}
		j.State = ledger.JobState(state).Shown(beat, now)
		out = append(out, j)
	}
	return out, rows.Err()
}
