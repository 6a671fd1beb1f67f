package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

type auditRow struct {
	ID            int64
	At            time.Time
	ActorID       *int64
	ActorUsername string
	ActorTier     string
	ActorDivision string
	IP            string
	Action        string
	ObjectType    string
	ObjectID      string
	Result        string
	Detail        string
}

// SearchAudit lists audit rows of actors inside scope, newest first, one page at a time.
func (db *DB) SearchAudit(ctx context.Context, scope portal.Scope, f registry.AuditFilter) ([]portal.AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT id, at, actor_id, actor_username, actor_tier, actor_division, ip, action, object_type, object_id,
		       result, detail
		FROM audit_log
		WHERE (`+scopeWithin("actor_division")+` OR (@scope_tier = 'district' AND actor_division = ''))
		  AND (@actor = '' OR actor_username = @actor)
		  AND (@action = '' OR starts_with(action, @action))
		  AND (@result = '' OR result = @result)
		  AND (@from::timestamptz IS NULL OR at >= @from)
		  AND (@to::timestamptz IS NULL OR at < @to)
		  AND (@before = 0 OR id < @before)
		ORDER BY id DESC
		LIMIT @limit`,
		scopeArgs(scope, namedArgs{"actor": f.Actor,
			"action": f.Action, "result": f.Result, "from": f.From, "to": f.To, "before": f.Before, "limit": f.Limit}))
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[auditRow])
	if err != nil {
		return nil, translate(err)
	}
	out := make([]portal.AuditEntry, len(rs))
	for i, r := range rs {
		var actorID int64
		if r.ActorID != nil {
			actorID = *r.ActorID
		}
		out[i] = portal.AuditEntry{ID: r.ID, At: r.At, Action: r.Action, ObjectType: r.ObjectType,
			ObjectID: r.ObjectID, Result: r.Result, Detail: r.Detail,
			Actor: portal.Actor{AccountID: actorID, Username: r.ActorUsername, Tier: portal.Tier(r.ActorTier),
				Division: r.ActorDivision, IP: r.IP}}
	}
	return out, nil
}

// PurgeAudit deletes audit rows older than keep (never less than the 180-day minimum, which the table's
// trigger enforces as well) and reports how many went.
func (db *DB) PurgeAudit(ctx context.Context, keep time.Duration) (int64, error) {
	if keep < 180*24*time.Hour {
		keep = 180 * 24 * time.Hour
	}
	tag, err := db.pool(planFresh).Exec(ctx, `DELETE FROM audit_log WHERE at < now() - $1::interval`, keep)
	return tag.RowsAffected(), translate(err)
}
