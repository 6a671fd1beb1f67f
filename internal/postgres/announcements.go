package postgres

// 通知公告 and 政策文件: published by the district for the whole district or by a town for its town, with
// attachments, withdrawn by their publisher with a reason.

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

const announcementColumns = `a.id, a.kind, coalesce(a.town_code, '') AS town_code, a.author_code,
	CASE WHEN au.level = 'district' THEN au.name || '民政局' ELSE au.name END AS author_name, a.title, a.doc_no,
	a.body, a.status = 'withdrawn' AS withdrawn, a.reason, a.published_at, a.withdrawn_at, a.corrected_at,
	(SELECT count(*) FROM announcement_files f WHERE f.announcement_id = a.id)::int AS files, a.version`

const announcementFrom = `FROM announcements a JOIN divisions au ON au.code = a.author_code`

// announcementScope is what an account reads: the district all of its district's; a town the district-wide
// ones and its own town's.
const announcementScope = `(@scope_tier IN ('district', 'town') AND a.district_code = left(@scope_div, 6)
	AND (@scope_tier = 'district' OR a.town_code IS NULL OR a.town_code = @scope_div))`

func collectAnnouncements(rows pgx.Rows) ([]registry.Announcement, error) {
	as, err := pgx.CollectRows(rows, pgx.RowToStructByNameLax[registry.Announcement])
	return as, translate(err)
}

func oneAnnouncement(rows pgx.Rows) (registry.Announcement, error) {
	a, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByNameLax[registry.Announcement])
	return a, translate(err)
}

// Announcements lists one page of the notices and policies an account reads, newest first, after the cursor
// (an id); kind "" is both.
func (db *DB) Announcements(ctx context.Context, scope portal.Scope, kind registry.AnnouncementKind, after int64, limit int) ([]registry.Announcement, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+announcementColumns+` `+announcementFrom+`
		WHERE `+announcementScope+` AND (@kind = '' OR a.kind = @kind) AND (@after = 0 OR a.id < @after)
		ORDER BY a.id DESC LIMIT @limit`,
		scopeArgs(scope, namedArgs{"kind": string(kind), "after": after, "limit": limit}))
	return collectAnnouncements(rows)
}

// Announcement is one notice or policy the account reads; any other id is ErrNotFound.
func (db *DB) Announcement(ctx context.Context, scope portal.Scope, id int64) (registry.Announcement, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+announcementColumns+` `+announcementFrom+`
		WHERE a.id = @id AND `+announcementScope, scopeArgs(scope, namedArgs{"id": id}))
	return oneAnnouncement(rows)
}

// PublishedAnnouncements lists one page of the published ones of kind inside the (district) scope, newest first.
func (db *DB) PublishedAnnouncements(ctx context.Context, scope portal.Scope, kind registry.AnnouncementKind, after *registry.AnnouncementCursor, limit int) ([]registry.Announcement, error) {
	// Written for its shape (first page or after a cursor) with only the clauses that apply, so that it keeps
	// its plan (planKept) rather than being planned again for every request.
	args := scopeArgs(scope, namedArgs{"kind": string(kind), "limit": limit})
	where := `a.status = 'published' AND a.kind = @kind AND ` + announcementScope
	if after != nil {
		where += ` AND (a.published_at, a.id) < (@after_at, @after_id)`
		args["after_at"], args["after_id"] = after.PublishedAt, after.ID
	}
	rows, _ := db.pool(planKept).Query(ctx, `SELECT `+announcementColumns+` `+announcementFrom+` WHERE `+where+`
		ORDER BY a.published_at DESC, a.id DESC LIMIT @limit`, args)
	return collectAnnouncements(rows)
}

// PublishedAnnouncement is one published notice or policy of kind; anything else is ErrNotFound.
func (db *DB) PublishedAnnouncement(ctx context.Context, scope portal.Scope, kind registry.AnnouncementKind, id int64) (registry.Announcement, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+announcementColumns+` `+announcementFrom+`
		WHERE a.id = @id AND a.kind = @kind AND a.status = 'published' AND `+announcementScope,
		scopeArgs(scope, namedArgs{"id": id, "kind": string(kind)}))
	return oneAnnouncement(rows)
}

// AnnouncementFiles are the attachments of one the account reads (of a published one, when published).
func (db *DB) AnnouncementFiles(ctx context.Context, scope portal.Scope, id int64, published bool) ([]registry.AnnouncementFile, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT f.id, f.announcement_id, f.position, f.filename,
			f.content_type, f.size_bytes, f.storage_key
		FROM announcement_files f JOIN announcements a ON a.id = f.announcement_id
		WHERE f.announcement_id = @id AND `+announcementScope+` AND (NOT @published OR a.status = 'published')
		ORDER BY f.position`, scopeArgs(scope, namedArgs{"id": id, "published": published}))
	fs, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.AnnouncementFile])
	return fs, translate(err)
}

// AnnouncementFile is one attachment (of a published one of kind, when published); else ErrNotFound.
func (db *DB) AnnouncementFile(ctx context.Context, scope portal.Scope, id, fileID int64, published bool) (registry.AnnouncementFile, error) {
	fs, err := db.AnnouncementFiles(ctx, scope, id, published)
	if err != nil {
		return registry.AnnouncementFile{}, err
	}
	for _, f := range fs {
		if f.ID == fileID {
			return f, nil
		}
	}
	return registry.AnnouncementFile{}, portal.ErrNotFound
}

// PublishAnnouncement publishes a notice or policy for the publisher's own division (the district's, or a
// town's), with its attachments and an audit row, in one transaction.
func (db *DB) PublishAnnouncement(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.AnnouncementInput, files []registry.AnnouncementFileInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.PublishAnnouncements) || len(files) > registry.AnnouncementFilesMax {
		return 0, portal.ErrNotAllow
	}
	if p := in.Validate(); !p.OK() {
		return 0, portal.ErrNotAllow
	}
	return db.insertAnnouncement(ctx, scope.Division, actor, in, files, time.Now())
}

func (db *DB) insertAnnouncement(ctx context.Context, author string, actor portal.Actor, in registry.AnnouncementInput, files []registry.AnnouncementFileInput, at time.Time) (int64, error) {
	var town *string
	if len(author) == 9 {
		town = &author
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			INSERT INTO announcements (kind, district_code, town_code, author_code, title, doc_no, body,
				published_at, published_by)
			VALUES (@kind, left(@author, 6), @town, @author, @title, @doc_no, @body, @at, @actor_id)
			RETURNING id`,
			namedArgs{"kind": string(in.Kind), "author": author, "town": town, "title": in.Title,
				"doc_no": in.DocNo, "body": in.Body, "at": at, "actor_id": noticeActorID(actor)}).Scan(&id); err != nil {
			return err
		}
		for i, f := range files {
			if _, err := tx.Exec(ctx, `
				INSERT INTO announcement_files (announcement_id, position, filename, content_type, size_bytes,
					storage_key, sha256, uploaded_by)
				VALUES (@id, @position, @filename, @ct, @size, @key, @sha, @actor_id)`,
				namedArgs{"id": id, "position": i + 1, "filename": f.Filename, "ct": f.ContentType,
					"size": f.Size, "key": f.StorageKey, "sha": f.SHA256, "actor_id": noticeActorID(actor)}); err != nil {
				return err
			}
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "announcement.publish",
			ObjectType: "announcement", ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: in.Kind.Label() + "：" + in.Title + "；" + strconv.Itoa(len(files)) + " 个附件"})
	})
	return id, translate(err)
}

// WithdrawAnnouncement is the publisher's 撤回 of its own published notice or policy, with a reason. A stale
// version, one already withdrawn, or another division's is refused (ErrConflict, ErrNotFound).
func (db *DB) WithdrawAnnouncement(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string) error {
	if !portal.Can(scope.Tier, portal.PublishAnnouncements) {
		return portal.ErrNotAllow
	}
	if strings.TrimSpace(reason) == "" {
		return registry.ErrReasonRequired
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var author, status string
		var v int
		if err := tx.QueryRow(ctx, `SELECT a.author_code, a.status, a.version FROM announcements a
			WHERE a.id = @id AND `+announcementScope+` FOR UPDATE`, scopeArgs(scope, namedArgs{"id": id})).
			Scan(&author, &status, &v); err != nil {
			return err
		}
		if author != scope.Division {
			return portal.ErrNotFound
		}
		if v != version || status != "published" {
			return portal.ErrConflict
		}
		if _, err := tx.Exec(ctx, `UPDATE announcements SET status = 'withdrawn', reason = @reason,
			withdrawn_at = now(), withdrawn_by = @actor_id, version = version + 1 WHERE id = @id`,
			namedArgs{"id": id, "reason": reason, "actor_id": noticeActorID(actor)}); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "announcement.withdraw",
			ObjectType: "announcement", ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: reason})
	})
	if err == registry.ErrReasonRequired {
		return err
	}
	return translate(err)
}

// LoadAnnouncement publishes one demo notice or policy as of at, without attachments.
func (db *DB) LoadAnnouncement(ctx context.Context, author string, actor portal.Actor, in registry.AnnouncementInput, at time.Time) error {
	_, err := db.insertAnnouncement(ctx, author, actor, in, nil, at)
	return err
}
