package postgres

// 培训资料: documents of a training session. The file is in the uploads folder; the row names it. The holder (a
// town, or the district for its own sessions) adds them; whoever sees the session reads them.

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// AddSessionMaterial records a stored file as a material of a session the caller holds; any
// other session is ErrNotFound. seen is how many materials the session's page listed: another count is
// ErrConflict and writes nothing (a file posted twice, or a stale page).
func (db *DB) AddSessionMaterial(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, m registry.SessionMaterial, sha256 string) (int64, error) {
	if !portal.Can(scope.Tier, portal.ManageTraining) {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var held bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM training_sessions s WHERE s.id = @session AND `+
			sessionKeeps("s")+`)`, scopeArgs(scope, namedArgs{"session": m.SessionID})).Scan(&held); err != nil {
			return err
		}
		if !held {
			return portal.ErrNotFound
		}
		if err := countToken(ctx, tx, "training material "+strconv.FormatInt(m.SessionID, 10),
			`SELECT count(*) FROM training_materials WHERE session_id = @session`,
			seen, namedArgs{"session": m.SessionID}); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO training_materials (session_id, title, filename, content_type, size_bytes, storage_key, sha256, created_by)
			SELECT s.id, @title, @filename, @type, @size, @key, @sha, @by FROM training_sessions s
			WHERE s.id = @session AND `+sessionKeeps("s")+`
			RETURNING id`, scopeArgs(scope, namedArgs{"session": m.SessionID, "title": m.Title,
			"filename": m.Filename, "type": m.ContentType, "size": m.SizeBytes, "key": m.StorageKey, "sha": sha256,
			"by": noticeActorID(actor)})).Scan(&id)
		if err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "training.material", ObjectType: "training_session",
			ObjectID: strconv.FormatInt(m.SessionID, 10), Result: portal.ResultOK, Detail: m.Title + "（" + m.Filename + "）"})
	})
	return id, translate(err)
}

const materialColumns = `m.id, m.session_id, m.title, m.filename, m.content_type, m.size_bytes, m.storage_key, m.uploaded_at`

func scanMaterial(row pgx.CollectableRow) (registry.SessionMaterial, error) {
	var m registry.SessionMaterial
	err := row.Scan(&m.ID, &m.SessionID, &m.Title, &m.Filename, &m.ContentType, &m.SizeBytes, &m.StorageKey, &m.UploadedAt)
	return m, err
}

// SessionMaterials is the materials of a session inside scope, oldest first.
func (db *DB) SessionMaterials(ctx context.Context, scope portal.Scope, sessionID int64) ([]registry.SessionMaterial, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+materialColumns+`
		FROM training_materials m JOIN training_sessions s ON s.id = m.session_id
		WHERE m.session_id = @session AND `+sessionSees("s")+` ORDER BY m.id`,
		scopeArgs(scope, namedArgs{"session": sessionID}))
	out, err := pgx.CollectRows(rows, scanMaterial)
	return out, translate(err)
}

// SessionMaterial is one material of a session inside scope; a material of another session is ErrNotFound.
func (db *DB) SessionMaterial(ctx context.Context, scope portal.Scope, sessionID, id int64) (registry.SessionMaterial, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+materialColumns+`
		FROM training_materials m JOIN training_sessions s ON s.id = m.session_id
		WHERE m.id = @id AND m.session_id = @session AND `+sessionSees("s"),
		scopeArgs(scope, namedArgs{"session": sessionID, "id": id}))
	m, err := pgx.CollectExactlyOneRow(rows, scanMaterial)
	return m, translate(err)
}
