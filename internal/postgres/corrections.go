package postgres

// Corrections (更正) of a published 通知公告 / 政策文件 and of a published 典型案例: the new text replaces the old in
// place, the old text is kept as a revision row with the corrector and the note, and an audit row is written,
// all in one transaction.

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// CorrectAnnouncement is the publisher's 更正 of its own published notice or policy (the kind stays; the
// attachments stay). A stale version or a withdrawn one is ErrConflict; another division's is ErrNotFound.
func (db *DB) CorrectAnnouncement(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.AnnouncementInput, note string) error {
	if !portal.Can(scope.Tier, portal.PublishAnnouncements) {
		return portal.ErrNotAllow
	}
	p := in.Validate()
	registry.CheckCorrectionNote(p, note)
	if !p.OK() {
		return portal.ErrNotAllow
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var old registry.Announcement
		var status string
		if err := tx.QueryRow(ctx, `SELECT a.author_code, a.status, a.version, a.kind, a.title, a.doc_no, a.body
			FROM announcements a WHERE a.id = @id AND `+announcementScope+` FOR UPDATE`,
			scopeArgs(scope, namedArgs{"id": id})).Scan(&old.AuthorCode, &status, &old.Version,
			(*string)(&old.Kind), &old.Title, &old.DocNo, &old.Body); err != nil {
			return err
		}
		if old.AuthorCode != scope.Division {
			return portal.ErrNotFound
		}
		if old.Version != version || status != "published" || old.Kind != in.Kind {
			return portal.ErrConflict
		}
		if _, err := tx.Exec(ctx, `INSERT INTO announcement_revisions (announcement_id, version, title, doc_no, body,
				replaced_by, replaced_by_name, note)
			VALUES (@id, @version, @title, @doc_no, @body, @actor_id, @actor_name, @note)`,
			namedArgs{"id": id, "version": old.Version, "title": old.Title, "doc_no": old.DocNo, "body": old.Body,
				"actor_id": noticeActorID(actor), "actor_name": actor.Username, "note": strings.TrimSpace(note)}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE announcements SET title = @title, doc_no = @doc_no, body = @body,
				corrected_at = now(), version = version + 1 WHERE id = @id`,
			namedArgs{"id": id, "title": in.Title, "doc_no": in.DocNo, "body": in.Body}); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "announcement.correct",
			ObjectType: "announcement", ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: "第 " + strconv.Itoa(old.Version) + " 版更正：" + strings.TrimSpace(note)})
	})
	return translate(err)
}

// AnnouncementRevisions are the earlier versions of a notice or policy the account reads, newest first.
func (db *DB) AnnouncementRevisions(ctx context.Context, scope portal.Scope, id int64) ([]registry.Revision, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT r.version, r.title, r.doc_no AS sub, r.body, r.replaced_at,
			r.replaced_by_name, r.note
		FROM announcement_revisions r JOIN announcements a ON a.id = r.announcement_id
		WHERE r.announcement_id = @id AND `+announcementScope+` ORDER BY r.version DESC`,
		scopeArgs(scope, namedArgs{"id": id}))
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByNameLax[registry.Revision])
	return rs, translate(err)
}

// CorrectCase is the district's 更正 of a published case's title, 主题系列 and story (the group and the photos
// stay), with a history row and an audit row. A stale version or a case not published is ErrConflict.
func (db *DB) CorrectCase(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.CaseInput, note string) error {
	if !portal.Can(scope.Tier, portal.DecideCases) {
		return portal.ErrNotAllow
	}
	note = strings.TrimSpace(note)
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+caseColumns+` `+caseFrom+`
			WHERE c.id = @id AND `+scopeOn("c")+` FOR UPDATE OF c`, scopeArgs(scope, namedArgs{"id": id}))
		c, err := oneCase(rows)
		if err != nil {
			return err
		}
		in.OrgID = c.OrgID
		p := in.Validate()
		registry.CheckCorrectionNote(p, note)
		if !p.OK() {
			return portal.ErrNotAllow
		}
		if c.Version != version || c.Status != registry.CasePublished {
			return portal.ErrConflict
		}
		now := time.Now()
		if _, err := tx.Exec(ctx, `INSERT INTO typical_case_revisions (case_id, version, title, series, story,
				replaced_at, replaced_by, replaced_by_name, note)
			VALUES (@id, @version, @title, @series, @story, @now, @actor_id, @actor_name, @note)`,
			namedArgs{"id": id, "version": c.Version, "title": c.Title, "series": c.Series, "story": c.Story,
				"now": now, "actor_id": noticeActorID(actor), "actor_name": actor.Username, "note": note}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE typical_cases SET title = @title, series = @series, story = @story,
				corrected_at = @now, updated_at = @now, version = version + 1 WHERE id = @id`,
			namedArgs{"id": id, "title": in.Title, "series": in.Series, "story": in.Story, "now": now}); err != nil {
			return err
		}
		if err := insertCaseEvent(ctx, tx, actor, id, registry.CasePublished, registry.CasePublished, "更正："+note, now); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "case.correct", ObjectType: "typical_case",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: "第 " + strconv.Itoa(c.Version) + " 版更正：" + note})
	})
	return caseErr(err)
}

// CaseRevisions are the earlier published versions of a case inside scope, newest first.
func (db *DB) CaseRevisions(ctx context.Context, scope portal.Scope, id int64) ([]registry.Revision, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT r.version, r.title, r.series AS sub, r.story AS body,
			r.replaced_at, r.replaced_by_name, r.note
		FROM typical_case_revisions r JOIN typical_cases c ON c.id = r.case_id
		WHERE r.case_id = @id AND `+scopeOn("c")+` ORDER BY r.version DESC`,
		scopeArgs(scope, namedArgs{"id": id}))
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByNameLax[registry.Revision])
	return rs, translate(err)
}
