package postgres

// 典型案例 (seed §四(三) 典型引领): cases a town or the district writes about a group, the district's decisions,
// their history, their photos, and the published ones the public side shows.

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

const caseColumns = `c.id, c.org_id, o.name AS org_name, c.town_code, t.name AS town_name, c.community_code,
	cm.name AS community_name, c.author_code, au.name AS author_name, c.title, c.series, c.story, c.status,
	c.reason, c.submitted_at, c.updated_at, c.published_at, c.corrected_at,
	(SELECT count(*) FROM typical_case_photos p WHERE p.case_id = c.id)::int AS photos, c.version`

const caseFrom = `FROM typical_cases c
	JOIN organizations o ON o.id = c.org_id
	JOIN divisions t ON t.code = c.town_code
	JOIN divisions cm ON cm.code = c.community_code
	JOIN divisions au ON au.code = c.author_code`

type caseRow struct {
	ID            int64
	OrgID         int64
	OrgName       string
	TownCode      string
	TownName      string
	CommunityCode string
	CommunityName string
	AuthorCode    string
	AuthorName    string
	Title         string
	Series        string
	Story         string
	Status        string
	Reason        string
	SubmittedAt   time.Time
	UpdatedAt     time.Time
	PublishedAt   *time.Time
	CorrectedAt   *time.Time
	Photos        int
	Version       int
}

func (r caseRow) value() registry.Case {
	return registry.Case{ID: r.ID, OrgID: r.OrgID, OrgName: r.OrgName, TownCode: r.TownCode, TownName: r.TownName,
		CommunityCode: r.CommunityCode, CommunityName: r.CommunityName, AuthorCode: r.AuthorCode,
		AuthorName: r.AuthorName, Title: r.Title, Series: r.Series, Story: r.Story,
		Status: registry.CaseStatus(r.Status), Reason: r.Reason, SubmittedAt: r.SubmittedAt, UpdatedAt: r.UpdatedAt,
		PublishedAt: r.PublishedAt, CorrectedAt: r.CorrectedAt, Photos: r.Photos, Version: r.Version}
}

func collectCases(rows pgx.Rows) ([]registry.Case, error) {
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[caseRow])
	if err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Case, len(rs))
	for i, r := range rs {
		out[i] = r.value()
	}
	return out, nil
}

func oneCase(rows pgx.Rows) (registry.Case, error) {
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[caseRow])
	if err != nil {
		return registry.Case{}, translate(err)
	}
	return r.value(), nil
}

// Cases lists one page of the cases inside scope, newest first, after the cursor.
func (db *DB) Cases(ctx context.Context, scope portal.Scope, f registry.CaseFilter) ([]registry.Case, error) {
	if f.Limit <= 0 || f.Limit > registry.CaseListLimit+1 {
		f.Limit = registry.CaseListLimit + 1
	}
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+caseColumns+` `+caseFrom+`
		WHERE `+scopeOn("c")+`
		  AND (@status = '' OR c.status = @status)
		  AND (@after = 0 OR c.id < @after)
		ORDER BY c.id DESC LIMIT @limit`,
		scopeArgs(scope, namedArgs{"status": string(f.Status), "after": f.After, "limit": f.Limit}))
	return collectCases(rows)
}

// Case is one case inside scope, in any state; any other id is ErrNotFound.
func (db *DB) Case(ctx context.Context, scope portal.Scope, id int64) (registry.Case, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+caseColumns+` `+caseFrom+`
		WHERE c.id = @id AND `+scopeOn("c"), scopeArgs(scope, namedArgs{"id": id}))
	return oneCase(rows)
}

// CaseEvents is the history of a case inside scope, oldest first.
func (db *DB) CaseEvents(ctx context.Context, scope portal.Scope, id int64) ([]registry.CaseEvent, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT e.id, e.at, e.actor_name, coalesce(ac.display_name, ''), e.actor_division, e.from_status,
			e.to_status, e.reason
		FROM typical_case_events e JOIN typical_cases c ON c.id = e.case_id
			LEFT JOIN accounts ac ON ac.id = e.actor_id
		WHERE e.case_id = @id AND `+scopeOn("c")+`
		ORDER BY e.id`, scopeArgs(scope, namedArgs{"id": id}))
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.CaseEvent, error) {
		var e registry.CaseEvent
		var from, to string
		err := row.Scan(&e.ID, &e.At, &e.ActorName, &e.ActorDisplayName, &e.ActorDivision, &from, &to, &e.Reason)
		e.From, e.To = registry.CaseStatus(from), registry.CaseStatus(to)
		return e, err
	})
	return events, translate(err)
}

const casePhotoColumns = `p.id, p.case_id, p.position, p.content_type, p.size_bytes, p.width, p.height,
	p.storage_key, p.thumb_key, p.thumb_type`

// CasePhotos are the photos of a case inside scope, in order; published says whether only a published case's
// count (the public side).
func (db *DB) CasePhotos(ctx context.Context, scope portal.Scope, id int64, published bool) ([]registry.CasePhoto, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+casePhotoColumns+`
		FROM typical_case_photos p JOIN typical_cases c ON c.id = p.case_id
		WHERE p.case_id = @id AND `+scopeOn("c")+` AND (NOT @published OR c.status = 'published')
		ORDER BY p.position`, scopeArgs(scope, namedArgs{"id": id, "published": published}))
	ps, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.CasePhoto])
	return ps, translate(err)
}

// CasePhoto is one photo of a case inside scope (of a published case only, when published); else ErrNotFound.
func (db *DB) CasePhoto(ctx context.Context, scope portal.Scope, id, photoID int64, published bool) (registry.CasePhoto, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+casePhotoColumns+`
		FROM typical_case_photos p JOIN typical_cases c ON c.id = p.case_id
		WHERE p.id = @photo AND p.case_id = @id AND `+scopeOn("c")+`
		  AND (NOT @published OR c.status = 'published')`,
		scopeArgs(scope, namedArgs{"id": id, "photo": photoID, "published": published}))
	p, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[registry.CasePhoto])
	return p, translate(err)
}

// CaseOrgs are the live groups inside scope a case may be written about (the form's choices).
func (db *DB) CaseOrgs(ctx context.Context, scope portal.Scope) ([]registry.NoticeOrg, error) {
	orgs, err := pgx.CollectRows(db.liveOrgChoices(ctx, scope, noticeOrgLimit), pgx.RowToStructByName[registry.NoticeOrg])
	return orgs, translate(err)
}

// PublishedCases lists one page of the published cases inside scope, the latest published first; orgID narrows
// them to one group (its profile), 0 for all. The cursor is the last row's (published_at, id).
func (db *DB) PublishedCases(ctx context.Context, scope portal.Scope, orgID int64, after *registry.CaseCursor, limit int) ([]registry.Case, error) {
	var out []registry.Case
	b := &pgx.Batch{}
	queuePublishedCases(b, scope, orgID, after, limit, &out)
	return out, db.send(ctx, planKept, b)
}

// queuePublishedCases queues PublishedCases's statement on b (planKept), to fill out. The statement is written
// for its shape — every group's or one group's, the first page or after a cursor — with only the clauses that
// apply, so that it keeps its plan: planned afresh for every request, the join of five tables cost the public
// list about twice what running it did (0.4 ms of planning against 0.2 ms).
func queuePublishedCases(b *pgx.Batch, scope portal.Scope, orgID int64, after *registry.CaseCursor, limit int, out *[]registry.Case) {
	args := scopeArgs(scope, namedArgs{"limit": limit})
	where := `c.status = 'published' AND ` + scopeOn("c")
	if orgID != 0 {
		where += ` AND c.org_id = @org`
		args["org"] = orgID
	}
	if after != nil {
		where += ` AND (c.published_at, c.id) < (@after_at, @after_id)`
		args["after_at"], args["after_id"] = after.PublishedAt, after.ID
	}
	b.Queue(`SELECT `+caseColumns+` `+caseFrom+` WHERE `+where+`
		ORDER BY c.published_at DESC, c.id DESC LIMIT @limit`, args).Query(func(rows pgx.Rows) (err error) {
		*out, err = collectCases(rows)
		return err
	})
}

// PublishedCase is one published case inside scope; any other (unpublished ones included) is ErrNotFound.
func (db *DB) PublishedCase(ctx context.Context, scope portal.Scope, id int64) (registry.Case, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+caseColumns+` `+caseFrom+`
		WHERE c.id = @id AND c.status = 'published' AND `+scopeOn("c"), scopeArgs(scope, namedArgs{"id": id}))
	return oneCase(rows)
}

// caseErr translates err, keeping the workflow's own errors.
func caseErr(err error) error {
	if errors.Is(err, registry.ErrCaseOrg) || errors.Is(err, registry.ErrReasonRequired) {
		return err
	}
	return translate(err)
}

func insertCaseEvent(ctx context.Context, tx pgx.Tx, actor portal.Actor, id int64, from, to registry.CaseStatus, reason string, at time.Time) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO typical_case_events (case_id, at, actor_id, actor_name, actor_division, from_status, to_status,
			reason)
		VALUES (@id, @at, @actor_id, @actor_name, @actor_division, @from, @to, @reason)`,
		namedArgs{"id": id, "at": at, "actor_id": noticeActorID(actor), "actor_name": actor.Username,
			"actor_division": actor.Division, "from": string(from), "to": string(to), "reason": reason})
	return err
}

func insertCasePhotos(ctx context.Context, tx pgx.Tx, actor portal.Actor, id int64, first int, photos []registry.ReportPhotoInput) error {
	for i, p := range photos {
		if _, err := tx.Exec(ctx, `
			INSERT INTO typical_case_photos (case_id, position, content_type, size_bytes, width, height,
				storage_key, thumb_key, thumb_type, sha256, uploaded_by)
			VALUES (@id, @position, @content_type, @size, @width, @height, @key, @thumb_key, @thumb_type, @sha256,
				@actor_id)`,
			namedArgs{"id": id, "position": first + i, "content_type": p.ContentType, "size": p.Size,
				"width": p.Width, "height": p.Height, "key": p.StorageKey, "thumb_key": p.ThumbKey,
				"thumb_type": p.ThumbType, "sha256": p.SHA256, "actor_id": noticeActorID(actor)}); err != nil {
			return err
		}
	}
	return nil
}

// CreateCase records a case a town or the district writes about a live group inside its scope (待审核), with
// its photos, its first history row and an audit row, in one transaction. A group outside scope or no longer
// live is ErrCaseOrg.
func (db *DB) CreateCase(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.CaseInput, photos []registry.ReportPhotoInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.WriteCases) {
		return 0, portal.ErrNotAllow
	}
	if p := in.Validate(); !p.OK() || len(photos) > 6 {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		now := time.Now()
		err := tx.QueryRow(ctx, `
			INSERT INTO typical_cases (org_id, district_code, town_code, community_code, author_code, title, series,
				story, submitted_by, submitted_at, updated_at)
			SELECT o.id, o.district_code, o.town_code, o.community_code, @author, @title, @series, @story,
				@actor_id, @now, @now
			FROM organizations o
			WHERE o.id = @org AND o.status IN ('normal', 'abnormal') AND `+scopeOn("o")+`
			RETURNING id`,
			scopeArgs(scope, namedArgs{"org": in.OrgID, "author": scope.Division, "title": in.Title,
				"series": in.Series, "story": in.Story, "actor_id": noticeActorID(actor), "now": now})).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return registry.ErrCaseOrg
		}
		if err != nil {
			return err
		}
		if err := insertCasePhotos(ctx, tx, actor, id, 1, photos); err != nil {
			return err
		}
		if err := insertCaseEvent(ctx, tx, actor, id, "", registry.CaseSubmitted, "", now); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "case.submit", ObjectType: "typical_case",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: in.Series + "：" + in.Title + "；" + strconv.Itoa(len(photos)) + " 张照片"})
	})
	if err != nil {
		return 0, caseErr(err)
	}
	return id, nil
}

var caseActions = map[registry.CaseStatus]string{
	registry.CaseSubmitted: "case.resubmit",
	registry.CasePublished: "case.publish",
	registry.CaseReturned:  "case.return",
	registry.CaseWithdrawn: "case.withdraw",
}

// caseStep locks the case, checks the version the caller saw and the workflow, runs step (which writes the
// step's own changes and gives the history row's reason), then writes the history and audit rows. A stale
// version or a step the state does not allow is ErrConflict, and nothing is written.
func (db *DB) caseStep(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, to registry.CaseStatus, step func(tx pgx.Tx, c registry.Case, now time.Time) (string, error)) error {
	return caseErr(db.inTx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+caseColumns+` `+caseFrom+`
			WHERE c.id = @id AND `+scopeOn("c")+` FOR UPDATE OF c`, scopeArgs(scope, namedArgs{"id": id}))
		c, err := oneCase(rows)
		if err != nil {
			return err
		}
		if c.Version != version || !c.Status.CanBecome(to) {
			return portal.ErrConflict
		}
		now := time.Now()
		reason, err := step(tx, c, now)
		if err != nil {
			return err
		}
		if err := insertCaseEvent(ctx, tx, actor, id, c.Status, to, reason, now); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: caseActions[to], ObjectType: "typical_case",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: string(c.Status) + " → " + string(to) + "；" + c.Title})
	}))
}

// DecideCase is the district's decision on a case: publish a submitted one, return it with a reason, or take a
// published one down with a reason.
func (db *DB) DecideCase(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, to registry.CaseStatus, reason string) error {
	if !portal.Can(scope.Tier, portal.DecideCases) || to == registry.CaseSubmitted || !to.Valid() {
		return portal.ErrNotAllow
	}
	reason = strings.TrimSpace(reason)
	if to != registry.CasePublished && reason == "" {
		return registry.ErrReasonRequired
	}
	if to == registry.CasePublished {
		reason = ""
	}
	return db.caseStep(ctx, scope, actor, id, version, to, func(tx pgx.Tx, _ registry.Case, now time.Time) (string, error) {
		_, err := tx.Exec(ctx, `UPDATE typical_cases SET status = @to, reason = @reason, decided_by = @actor_id,
				decided_at = @now, updated_at = @now,
				published_at = CASE WHEN @to = 'published' THEN @now ELSE published_at END, version = version + 1
			WHERE id = @id`,
			namedArgs{"id": id, "to": string(to), "reason": reason, "actor_id": noticeActorID(actor), "now": now})
		return reason, err
	})
}

// ResubmitCase saves the writer's changes to a returned case, adds new photos after the kept ones, and puts it
// before the district again (待审核). Only the division that wrote the case resubmits it; the group may change
// to another live group inside scope.
func (db *DB) ResubmitCase(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.CaseInput, photos []registry.ReportPhotoInput) error {
	if !portal.Can(scope.Tier, portal.WriteCases) {
		return portal.ErrNotAllow
	}
	if p := in.Validate(); !p.OK() {
		return portal.ErrNotAllow
	}
	return db.caseStep(ctx, scope, actor, id, version, registry.CaseSubmitted, func(tx pgx.Tx, c registry.Case, now time.Time) (string, error) {
		if c.AuthorCode != scope.Division {
			return "", portal.ErrNotFound
		}
		if c.Photos+len(photos) > 6 {
			return "", portal.ErrConflict
		}
		tag, err := tx.Exec(ctx, `
			UPDATE typical_cases c SET org_id = o.id, district_code = o.district_code, town_code = o.town_code,
				community_code = o.community_code, title = @title, series = @series, story = @story,
				status = 'submitted', reason = '', decided_by = NULL, decided_at = NULL, updated_at = @now,
				version = c.version + 1
			FROM organizations o
			WHERE c.id = @id AND o.id = @org AND o.status IN ('normal', 'abnormal') AND `+scopeOn("o"),
			scopeArgs(scope, namedArgs{"id": id, "org": in.OrgID, "title": in.Title, "series": in.Series,
				"story": in.Story, "now": now}))
		if err != nil {
			return "", err
		}
		if tag.RowsAffected() != 1 {
			return "", registry.ErrCaseOrg
		}
		if err := insertCasePhotos(ctx, tx, actor, id, c.Photos+1, photos); err != nil {
			return "", err
		}
		var changed []string
		add := func(differs bool, label string) {
			if differs {
				changed = append(changed, label)
			}
		}
		add(in.OrgID != c.OrgID, "组织")
		add(in.Title != c.Title, "标题")
		add(in.Series != c.Series, "主题系列")
		add(in.Story != c.Story, "正文")
		add(len(photos) > 0, "照片")
		if len(changed) == 0 {
			return "修改后重新提交，未修改内容", nil
		}
		return "修改后重新提交，修改了：" + strings.Join(changed, "、"), nil
	})
}

// CaseLoad is one case of the demo data: written by the division author, in the state it stands.
type CaseLoad struct {
	registry.CaseInput
	Author      string
	Status      registry.CaseStatus
	Reason      string
	SubmittedAt time.Time
	DecidedAt   time.Time
}

// LoadCases inserts demo cases with the history rows that lead to each case's state and one audit row for the
// batch; the groups must be live groups of the district.
func (db *DB) LoadCases(ctx context.Context, actor portal.Actor, cases []CaseLoad) error {
	return caseErr(db.inTx(ctx, func(tx pgx.Tx) error {
		for _, l := range cases {
			var published, decided *time.Time
			if l.Status == registry.CasePublished {
				published = &l.DecidedAt
			}
			if l.Status != registry.CaseSubmitted {
				decided = &l.DecidedAt
			}
			var id int64
			if err := tx.QueryRow(ctx, `
				INSERT INTO typical_cases (org_id, district_code, town_code, community_code, author_code, title,
					series, story, status, reason, submitted_at, updated_at, decided_at, published_at)
				SELECT o.id, o.district_code, o.town_code, o.community_code, @author, @title, @series, @story,
					@status, @reason, @submitted, @updated, @decided_at, @published
				FROM organizations o WHERE o.id = @org
				RETURNING id`,
				namedArgs{"org": l.OrgID, "author": l.Author, "title": l.Title, "series": l.Series,
					"story": l.Story, "status": string(l.Status), "reason": l.Reason, "submitted": l.SubmittedAt,
					"updated": l.DecidedAt, "decided_at": decided, "published": published}).Scan(&id); err != nil {
				return err
			}
			if err := insertCaseEvent(ctx, tx, actor, id, "", registry.CaseSubmitted, "", l.SubmittedAt); err != nil {
				return err
			}
			if l.Status != registry.CaseSubmitted {
				if err := insertCaseEvent(ctx, tx, actor, id, registry.CaseSubmitted, l.Status, l.Reason, l.DecidedAt); err != nil {
					return err
				}
			}
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "case.load", ObjectType: "typical_case",
			Result: portal.ResultOK, Detail: strconv.Itoa(len(cases)) + " rows"})
	}))
}
