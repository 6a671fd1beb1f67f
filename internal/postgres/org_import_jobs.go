// 台账 jobs: the background check of an uploaded 台账 and the import of a confirmed one, with the progress and
// heartbeat that let any portal process show how far a job has come.
package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/sealbox"
)

// importJobTTL is how long a job's page stays; the rows it checked are kept only importTTL.
const importJobTTL = "1 day"

func jobSealContext(id string) string { return "import_job:" + id }

// ownJob is the condition that job row j is the actor's, in scope: another account's job, even of the same
// division, is not found.
const ownJob = `j.id = @id AND j.account_id = @account_id AND j.tier = @tier AND j.division_code = @division`

func ownJobArgs(scope portal.Scope, actor portal.Actor, id string) namedArgs {
	return namedArgs{"id": id, "account_id": actor.AccountID, "tier": string(scope.Tier),
		"division": scope.Division}
}

// CreateImportJob starts the check of a 台账 named filename for actor, expecting about rows rows, and returns
// the job's id. Expired jobs of anyone are cleared on the way.
func (db *DB) CreateImportJob(ctx context.Context, scope portal.Scope, actor portal.Actor, filename string, rows int) (string, error) {
	if !registry.MayImport(scope) || actor.AccountID == 0 {
		return "", portal.ErrNotAllow
	}
	id := randomHex(16)
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM import_jobs WHERE expires_at < now()`); err != nil {
			return err
		}
		args := ownJobArgs(scope, actor, id)
		args["filename"], args["rows"], args["ttl"] = filename, rows, importJobTTL
		_, err := tx.Exec(ctx, `
			INSERT INTO import_jobs (id, account_id, tier, division_code, filename, rows_total, expires_at)
			VALUES (@id, @account_id, @tier, @division, @filename, @rows, now() + @ttl::interval)`, args)
		return err
	})
	if err != nil {
		return "", translate(err)
	}
	return id, nil
}

// ImportJob reads the actor's job id. Another account's job, or an unknown or expired one, is ErrNotFound.
func (db *DB) ImportJob(ctx context.Context, scope portal.Scope, actor portal.Actor, id string) (ledger.Job, error) {
	box := db.box
	var (
		j      ledger.Job
		state  string
		beat   time.Time
		now    time.Time
		result []byte
	)
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT j.filename, j.state, j.started_at IS NULL, j.rows_done, j.rows_total, j.imported, j.message, j.result,
			j.state = 'ready' AND (k.token IS NULL OR k.expires_at <= now()), j.created_at, j.heartbeat_at, now()
		FROM import_jobs j LEFT JOIN org_imports k ON k.token = j.kept_token
		WHERE `+ownJob+` AND j.expires_at > now()`, ownJobArgs(scope, actor, id)).
		Scan(&j.Filename, &state, &j.Waiting, &j.RowsDone, &j.RowsTotal, &j.Imported, &j.Message, &result,
			&j.Expired, &j.CreatedAt, &beat, &now)
	if err != nil {
		return ledger.Job{}, translate(err)
	}
	j.ID = id
	// The database's clock judges the heartbeat, so that processes whose clocks differ agree.
	j.State = ledger.JobState(state).Shown(beat, now)
	if result != nil {
		plain, err := box.Open(result, jobSealContext(id))
		if err != nil {
			return ledger.Job{}, err
		}
		if err := json.Unmarshal([]byte(plain), &j.Result); err != nil {
			return ledger.Job{}, err
		}
	}
	return j, nil
}

// The calls below are made by the worker running job id, never with an id from a request.

// StartImportJob records that a worker has picked job id up.
func (db *DB) StartImportJob(ctx context.Context, id string) error {
	_, err := db.pool(planFresh).Exec(ctx, `UPDATE import_jobs SET started_at = now(), heartbeat_at = now()
		WHERE id = @id AND state IN ('checking', 'importing')`, namedArgs{"id": id})
	return translate(err)
}

// ImportJobProgress records that done rows of job id are checked or imported, and renews its heartbeat.
func (db *DB) ImportJobProgress(ctx context.Context, id string, done int) error {
	_, err := db.pool(planFresh).Exec(ctx, `UPDATE import_jobs SET rows_done = @done, heartbeat_at = now()
		WHERE id = @id AND state IN ('checking', 'importing')`, namedArgs{"id": id, "done": done})
	return translate(err)
}

// ImportJobHeartbeat renews the heartbeat of job id while it runs.
func (db *DB) ImportJobHeartbeat(ctx context.Context, id string) error {
	_, err := db.pool(planFresh).Exec(ctx, `UPDATE import_jobs SET heartbeat_at = now()
		WHERE id = @id AND state IN ('checking', 'importing')`, namedArgs{"id": id})
	return translate(err)
}

// FailImportJob stops job id with message for the clerk. Nothing of it is imported: a failed import rolled
// its transaction back.
func (db *DB) FailImportJob(ctx context.Context, id, message string) error {
	_, err := db.pool(planFresh).Exec(ctx, `UPDATE import_jobs SET state = 'failed', message = @message, finished_at = now()
		WHERE id = @id AND state IN ('checking', 'importing')`, namedArgs{"id": id, "message": message})
	return translate(err)
}

// RejectImportJob ends the check of job id with the problems result lists; nothing is kept.
func (db *DB) RejectImportJob(ctx context.Context, id string, result ledger.Result) error {
	box := db.box
	sealed, err := sealResult(box, id, result)
	if err != nil {
		return err
	}
	_, err = db.pool(planFresh).Exec(ctx, `UPDATE import_jobs SET state = 'rejected', result = @result, rows_done = @rows,
			rows_total = @rows, finished_at = now()
		WHERE id = @id AND state = 'checking'`, namedArgs{"id": id, "result": sealed, "rows": result.Rows})
	return translate(err)
}

// ReadyImportJob ends the clean check of job id: the rows are kept for the actor's confirmation (see
// keepImport) and the job waits for it, both in one transaction.
func (db *DB) ReadyImportJob(ctx context.Context, scope portal.Scope, actor portal.Actor, id string, result ledger.Result, orgs []registry.OrgInput) error {
	box := db.box
	sealed, err := sealResult(box, id, result)
	if err != nil {
		return err
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if err := unboundedStatements(ctx, tx); err != nil {
			return err
		}
		token, err := keepImport(ctx, tx, box, scope, actor, orgs)
		if err != nil {
			return err
		}
		args := ownJobArgs(scope, actor, id)
		args["result"], args["rows"], args["token"] = sealed, result.Rows, token
		tag, err := tx.Exec(ctx, `UPDATE import_jobs j SET state = 'ready', result = @result, kept_token = @token,
				rows_done = @rows, rows_total = @rows, finished_at = now()
			WHERE `+ownJob+` AND state = 'checking'`, args)
		if err == nil && tag.RowsAffected() == 0 {
			return portal.ErrNotFound
		}
		return err
	})
	return translate(err)
}

func sealResult(box *sealbox.Box, id string, result ledger.Result) ([]byte, error) {
	b, err := json.Marshal(result)
	if err != nil {
		return nil, err
	}
	return box.Seal(string(b), jobSealContext(id)), nil
}

// ConfirmImportJob moves the actor's checked job id on to its import and gives how many rows it will import.
// Another account's job or an unknown one is ErrNotFound; one not waiting for the confirmation (already
// confirmed, rejected, or its kept rows expired) is ErrConflict. Only one confirmation of a job wins.
func (db *DB) ConfirmImportJob(ctx context.Context, scope portal.Scope, actor portal.Actor, id string) (int, error) {
	args := ownJobArgs(scope, actor, id)
	args["ttl"] = importJobTTL
	var rows int
	err := db.pool(planFresh).QueryRow(ctx, `
		UPDATE import_jobs j SET state = 'importing', rows_done = 0, started_at = NULL, heartbeat_at = now(),
			finished_at = NULL, expires_at = now() + @ttl::interval
		FROM org_imports k
		WHERE `+ownJob+` AND j.state = 'ready' AND k.token = j.kept_token AND k.expires_at > now()
		RETURNING j.rows_total`, args).Scan(&rows)
	if !errors.Is(err, pgx.ErrNoRows) {
		return rows, translate(err)
	}
	var exists bool
	if err := db.pool(planFresh).QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM import_jobs j WHERE `+ownJob+`)`,
		ownJobArgs(scope, actor, id)).Scan(&exists); err != nil {
		return 0, translate(err)
	}
	if exists {
		return 0, portal.ErrConflict
	}
	return 0, portal.ErrNotFound
}

// RunImportJob imports the rows kept for the actor's confirmed job id in one transaction, with one audit row,
// and marks the job done in that same transaction, so that a job shows done exactly when its organizations
// exist. Progress is told after each chunk of rows. A name taken since the check is ErrNameTaken; then, as on
// any error, nothing is imported and the job is left for the caller to fail.
func (db *DB) RunImportJob(ctx context.Context, scope portal.Scope, actor portal.Actor, id string, progress func(done int)) (int, error) {
	box := db.box
	if !registry.MayImport(scope) {
		return 0, portal.ErrNotAllow
	}
	var n int
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := unboundedStatements(ctx, tx); err != nil {
			return err
		}
		// The job row is not locked until the end: the worker's progress and heartbeat update it meanwhile.
		var token *string
		if err := tx.QueryRow(ctx, `SELECT j.kept_token FROM import_jobs j WHERE `+ownJob+` AND j.state = 'importing'`,
			ownJobArgs(scope, actor, id)).Scan(&token); err != nil {
			return err
		}
		if token == nil {
			return portal.ErrNotFound
		}
		var err error
		if n, err = importKept(ctx, tx, box, scope, actor, *token, progress); err != nil {
			return err
		}
		args := ownJobArgs(scope, actor, id)
		args["n"] = n
		_, err = tx.Exec(ctx, `UPDATE import_jobs j SET state = 'done', imported = @n, rows_done = @n,
				heartbeat_at = now(), finished_at = now()
			WHERE `+ownJob, args)
		return err
	})
	if err != nil {
		return 0, translate(err)
	}
	return n, nil
}
