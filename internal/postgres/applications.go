package postgres

// 登记申请: registration applications, submitted by a 镇街 or 村(居)委会 on a group's behalf and reviewed by the
// district, with their step-by-step history.

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

const applicationColumns = `a.id, a.new_group, coalesce(a.org_id, 0) AS org_id, coalesce(o.name, '') AS org_name,
	coalesce(o.tier, '') AS org_tier, a.district_code, a.town_code, t.name AS town_name, a.community_code,
	c.name AS community_name, a.status, a.legal_form, a.name, a.name_prefix, a.name_community, a.name_zihao,
	a.name_field, a.name_form, a.fields, a.nature, a.leader_name, a.leader_phone_mask, a.leader_id_mask, a.publish_contact, a.venue,
	a.members, a.supervisor, a.statement, a.correction, a.reject_reason, coalesce(a.uscc, '') AS uscc,
	coalesce(sa.display_name, '') AS submitted_by_name, coalesce(sa.username, '') AS submitted_by_username,
	a.submitted_at, a.updated_at, coalesce(da.display_name, '') AS decided_by_name,
	coalesce(da.username, '') AS decided_by_username, a.decided_at, a.version`

const applicationFrom = `FROM applications a
	JOIN divisions t ON t.code = a.town_code
	JOIN divisions c ON c.code = a.community_code
	LEFT JOIN organizations o ON o.id = a.org_id
	LEFT JOIN accounts sa ON sa.id = a.submitted_by
	LEFT JOIN accounts da ON da.id = a.decided_by`

type applicationRow struct {
	ID                  int64
	NewGroup            bool
	OrgID               int64
	OrgName             string
	OrgTier             string
	DistrictCode        string
	TownCode            string
	TownName            string
	CommunityCode       string
	CommunityName       string
	Status              string
	LegalForm           string
	Name                string
	NamePrefix          string
	NameCommunity       string
	NameZihao           string
	NameField           string
	NameForm            string
	Fields              []string
	Nature              string
	LeaderName          string
	LeaderPhoneMask     string
	LeaderIDMask        string `db:"leader_id_mask"`
	PublishContact      bool
	Venue               string
	Members             int
	Supervisor          string
	Statement           string
	Correction          string
	RejectReason        string
	USCC                string
	SubmittedByName     string
	SubmittedByUsername string
	SubmittedAt         time.Time
	UpdatedAt           time.Time
	DecidedByName       string
	DecidedByUsername   string
	DecidedAt           *time.Time
	Version             int
}

func (r applicationRow) application() registry.Application {
	return registry.Application{ID: r.ID, NewGroup: r.NewGroup, OrgID: r.OrgID, OrgName: r.OrgName,
		OrgTier: registry.Tier(r.OrgTier), DistrictCode: r.DistrictCode, TownCode: r.TownCode, TownName: r.TownName,
		CommunityCode: r.CommunityCode, CommunityName: r.CommunityName, Status: registry.ApplicationStatus(r.Status),
		LegalForm: rules.LegalForm(r.LegalForm), Name: r.Name,
		NameParts: rules.NameParts{Prefix: r.NamePrefix, Community: r.NameCommunity, Zihao: r.NameZihao,
			Field: r.NameField, Form: r.NameForm},
		Fields: r.Fields, Nature: r.Nature, LeaderName: r.LeaderName, LeaderPhone: r.LeaderPhoneMask,
		LeaderID: r.LeaderIDMask, PublishContact: r.PublishContact, Venue: r.Venue, Members: r.Members, Supervisor: r.Supervisor,
		Statement: r.Statement, Correction: r.Correction, RejectReason: r.RejectReason, USCC: r.USCC,
		SubmittedByName: r.SubmittedByName, SubmittedByUsername: r.SubmittedByUsername,
		SubmittedAt: r.SubmittedAt, UpdatedAt: r.UpdatedAt, DecidedByName: r.DecidedByName,
		DecidedByUsername: r.DecidedByUsername, DecidedAt: r.DecidedAt, Version: r.Version}
}

const applicationFilterClause = `
	  AND (@status = '' OR a.status = @status)
	  AND (@town = '' OR a.town_code = @town)
	  AND (@community = '' OR a.community_code = @community)`

// Applications lists one page of the applications inside scope that match f, newest first, after the cursor:
// the next page starts after the last id seen, so page 100 costs what page 1 costs. Ask for one more row than
// the page shows to learn whether there is a next page.
func (db *DB) Applications(ctx context.Context, scope portal.Scope, f registry.ApplicationFilter) ([]registry.Application, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+applicationColumns+` `+applicationFrom+`
		WHERE `+scopeOn("a")+applicationFilterClause+`
		  AND (@after = 0 OR a.id < @after)
		ORDER BY a.id DESC
		LIMIT @limit`, applicationArgs(f, scope))
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[applicationRow])
	if err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Application, len(rs))
	for i, r := range rs {
		out[i] = r.application()
	}
	return out, nil
}

// CountApplications is how many applications inside scope match f (the cursor aside), up to CountCap.
func (db *DB) CountApplications(ctx context.Context, scope portal.Scope, f registry.ApplicationFilter) (registry.ListTotal, error) {
	return db.cappedTotal(ctx, `SELECT count(*) FROM (SELECT 1 FROM applications a
		WHERE `+scopeOn("a")+applicationFilterClause+` LIMIT @cap) capped`, applicationArgs(f, scope))
}

// ExportApplications calls fn with every application inside scope that matches f (the cursor and limit aside),
// newest first, one row at a time, and writes one audit row (application.export) however it ends; see
// auditedExport. Leader phone and 身份证号 are the stored masks: the sealed values are never read here.
func (db *DB) ExportApplications(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.ApplicationFilter, format string, fn func(registry.Application) error) (int, error) {
	f.After = 0
	return db.auditedExport(ctx, actor, exportAudit{action: "application.export", objectType: "application",
		format: format, filter: f.Summary()}, func() (int, error) {
		return streamRows(ctx, db, `SELECT `+applicationColumns+` `+applicationFrom+`
			WHERE `+scopeOn("a")+applicationFilterClause+`
			ORDER BY a.id DESC`, applicationArgs(f, scope), applicationRow.application, fn)
	})
}

// Application is one application inside scope; any other id is ErrNotFound.
func (db *DB) Application(ctx context.Context, scope portal.Scope, id int64) (registry.Application, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+applicationColumns+` `+applicationFrom+`
		WHERE a.id = @id AND `+scopeOn("a"), scopeArgs(scope, namedArgs{"id": id}))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[applicationRow])
	if err != nil {
		return registry.Application{}, translate(err)
	}
	return r.application(), nil
}

// ApplicationEvents is the history of an application inside scope, oldest first; outside scope it is empty.
func (db *DB) ApplicationEvents(ctx context.Context, scope portal.Scope, id int64) ([]registry.ApplicationEvent, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT e.id, e.at, e.actor_name, coalesce(ac.display_name, ''), e.actor_division, e.from_status,
			e.to_status, e.reason
		FROM application_events e JOIN applications a ON a.id = e.application_id
			LEFT JOIN accounts ac ON ac.id = e.actor_id
		WHERE e.application_id = @id AND `+scopeOn("a")+`
		ORDER BY e.id`, scopeArgs(scope, namedArgs{"id": id}))
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.ApplicationEvent, error) {
		var e registry.ApplicationEvent
		var from, to string
		err := row.Scan(&e.ID, &e.At, &e.ActorName, &e.ActorDisplayName, &e.ActorDivision, &from, &to, &e.Reason)
		e.From, e.To = registry.ApplicationStatus(from), registry.ApplicationStatus(to)
		return e, err
	})
	return events, translate(err)
}

// ApplicableOrgs lists the organizations inside scope that may apply for registration, by name; at most limit.
func (db *DB) ApplicableOrgs(ctx context.Context, scope portal.Scope, limit int) ([]registry.ApplicableOrg, error) {
	return db.applicableOrgs(ctx, scope, 0, limit)
}

// ApplicableOrgByID is one organization inside scope that may apply for registration; any other is ErrNotFound.
func (db *DB) ApplicableOrgByID(ctx context.Context, scope portal.Scope, id int64) (registry.ApplicableOrg, error) {
	orgs, err := db.applicableOrgs(ctx, scope, id, 1)
	if err != nil {
		return registry.ApplicableOrg{}, err
	}
	if len(orgs) == 0 {
		return registry.ApplicableOrg{}, portal.ErrNotFound
	}
	return orgs[0], nil
}

func (db *DB) applicableOrgs(ctx context.Context, scope portal.Scope, id int64, limit int) ([]registry.ApplicableOrg, error) {
	if limit <= 0 || limit > 2000 {
		limit = 1000
	}
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT o.id, o.name, o.tier, o.community_code, o.name_prefix, o.name_community, o.name_zihao, o.name_field,
		       o.name_form, o.fields, o.nature, o.leader_name, o.venue, o.members, o.guide_unit
		FROM organizations o
		WHERE `+scopeOn("o")+`
		  AND (@id = 0 OR o.id = @id)
		  AND o.tier IN ('guided', 'filed') AND o.status IN ('normal', 'abnormal')
		  AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.org_id = o.id
		                  AND a.status IN ('submitted', 'accepted', 'correction'))
		ORDER BY o.name, o.id
		LIMIT @limit`, scopeArgs(scope, namedArgs{"id": id, "limit": limit}))
	orgs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.ApplicableOrg, error) {
		var o registry.ApplicableOrg
		var tier string
		p := &o.NameParts
		err := row.Scan(&o.ID, &o.Name, &tier, &o.CommunityCode, &p.Prefix, &p.Community, &p.Zihao, &p.Field,
			&p.Form, &o.Fields, &o.Nature, &o.LeaderName, &o.Venue, &o.Members, &o.GuideUnit)
		o.Tier = registry.Tier(tier)
		return o, err
	})
	return orgs, translate(err)
}

// mayApplyForRegistration is whether a scope may submit and correct applications: the 镇街 and the 村(居)委会; the district
// reviews them.
func mayApplyForRegistration(scope portal.Scope) bool {
	return portal.Can(scope.Tier, portal.SubmitApplications)
}

func insertApplicationEvent(ctx context.Context, tx pgx.Tx, actor portal.Actor, id int64, from, to registry.ApplicationStatus, reason string) error {
	var actorID *int64
	if actor.AccountID != 0 {
		actorID = &actor.AccountID
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO application_events (application_id, actor_id, actor_name, actor_division, from_status,
			to_status, reason)
		VALUES (@id, @actor_id, @actor_name, @actor_division, @from, @to, @reason)`,
		namedArgs{"id": id, "actor_id": actorID, "actor_name": actor.Username,
			"actor_division": actor.Division, "from": string(from), "to": string(to), "reason": reason})
	return err
}

// CreateApplication records an application submitted by a town officer or a committee (待受理) with its first
// history row and an audit row. For an existing group, the organization must be a live guided or filed group
// inside scope (ErrNotApplicable) with no application under way (ErrOpenApplication), and the application
// belongs to its community; for a new group the community must lie inside scope.
func (db *DB) CreateApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.ApplicationInput) (int64, error) {
	box := db.box
	if !mayApplyForRegistration(scope) {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var orgID *int64
		if in.OrgID != 0 {
			cur, err := lockOrganization(ctx, tx, scope, in.OrgID)
			if err != nil {
				return err
			}
			o := cur.org
			if !o.Status.Live() || (o.Tier != registry.TierGuided && o.Tier != registry.TierFiled) {
				return registry.ErrNotApplicable
			}
			in.CommunityCode, orgID = o.CommunityCode, &in.OrgID
		}
		if !scope.Covers(in.CommunityCode) || portal.LevelOfCode(in.CommunityCode) != portal.TierCommunity {
			return portal.ErrNotFound
		}
		var submittedBy *int64
		if actor.AccountID != 0 {
			submittedBy = &actor.AccountID
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO applications (new_group, org_id, district_code, town_code, community_code, legal_form, name,
				name_prefix, name_community, name_zihao, name_field, name_form, fields, nature, leader_name,
				leader_phone_enc, leader_phone_mask, leader_id_enc, leader_id_mask, publish_contact, venue, members,
				supervisor, statement, submitted_by)
			SELECT @new_group, @org_id, left(d.code, 6), left(d.code, 9), d.code, @legal_form, @name,
				@prefix, @community, @zihao, @field, @form, @fields, @nature, @leader_name,
				@phone_enc, @phone_mask, @id_enc, @id_mask, @publish_contact, @venue, @members,
				@supervisor, @statement, @submitted_by
			FROM divisions d WHERE d.code = @community_code AND d.level = 'community' AND d.retired_at IS NULL
			RETURNING id`,
			namedArgs{"new_group": orgID == nil, "org_id": orgID, "community_code": in.CommunityCode,
				"legal_form": string(in.LegalForm), "name": rules.ComposeName(in.NameParts),
				"prefix": in.NameParts.Prefix, "community": in.NameParts.Community, "zihao": in.NameParts.Zihao,
				"field": in.NameParts.Field, "form": in.NameParts.Form, "fields": nonNil(in.Fields),
				"nature": in.Nature, "leader_name": in.LeaderName,
				"phone_enc": box.Seal(in.LeaderPhone, "leader_phone"), "phone_mask": rules.MaskPhone(in.LeaderPhone),
				"id_enc": box.Seal(in.LeaderID, "leader_id"), "id_mask": maskID(in.LeaderID),
				"publish_contact": in.PublishContact, "venue": in.Venue, "members": in.Members,
				"supervisor": in.Supervisor, "statement": in.Statement, "submitted_by": submittedBy}).Scan(&id)
		if err != nil {
			return err
		}
		if err := insertApplicationEvent(ctx, tx, actor, id, "", registry.AppSubmitted, ""); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "application.submit",
			ObjectType: "application", ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: rules.ComposeName(in.NameParts)})
	})
	if err != nil {
		return 0, translate(err)
	}
	return id, nil
}

// lockedApplication is an application's current state with its sealed leader data, read FOR UPDATE.
type lockedApplication struct {
	app      registry.Application
	phoneEnc []byte
	idEnc    []byte
}

// lockApplication reads an application inside scope and locks its row until tx ends. A second reviewer acting
// on the same application waits here and then reads the first one's result, so the version check that follows
// lets exactly one of them through.
func lockApplication(ctx context.Context, tx pgx.Tx, scope portal.Scope, id int64) (lockedApplication, error) {
	rows, _ := tx.Query(ctx, `SELECT `+applicationColumns+` `+applicationFrom+`
		WHERE a.id = @id AND `+scopeOn("a")+` FOR UPDATE OF a`, scopeArgs(scope, namedArgs{"id": id}))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[applicationRow])
	if err != nil {
		return lockedApplication{}, translate(err)
	}
	l := lockedApplication{app: r.application()}
	err = tx.QueryRow(ctx, `SELECT leader_phone_enc, leader_id_enc FROM applications WHERE id = $1`, id).
		Scan(&l.phoneEnc, &l.idEnc)
	return l, translate(err)
}

// applicationTransition locks the application, checks the version the caller saw and that the workflow allows
// the step, and runs step, which writes the step's own changes and says why (the history row's reason), before
// the history and audit rows. Any failure leaves nothing written.
func (db *DB) applicationTransition(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, to registry.ApplicationStatus, step func(tx pgx.Tx, l lockedApplication) (string, error)) error {
	return translate(db.inTx(ctx, func(tx pgx.Tx) error {
		l, err := lockApplication(ctx, tx, scope, id)
		if err != nil {
			return err
		}
		if l.app.Version != version || !l.app.Status.CanBecome(to) {
			return portal.ErrConflict
		}
		reason, err := step(tx, l)
		if err != nil {
			return err
		}
		if err := insertApplicationEvent(ctx, tx, actor, id, l.app.Status, to, reason); err != nil {
			return err
		}
		if err := notifyNews(ctx, tx, actor.AccountID, msgApplication, id, applicationNews, to); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "application." + string(to),
			ObjectType: "application", ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: string(l.app.Status) + " → " + string(to)})
	}))
}

// AcceptApplication is 受理: the district takes up a submitted application. A stale version or a step the
// workflow does not allow is ErrConflict, and nothing is written.
func (db *DB) AcceptApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int) error {
	if !portal.Can(scope.Tier, portal.ReviewApplications) {
		return portal.ErrNotAllow
	}
	return db.applicationTransition(ctx, scope, actor, id, version, registry.AppAccepted, func(tx pgx.Tx, _ lockedApplication) (string, error) {
		_, err := tx.Exec(ctx, `UPDATE applications SET status = 'accepted', updated_at = now(),
			version = version + 1 WHERE id = $1`, id)
		return "", err
	})
}

// ReturnApplication is 退回补正: the district names what the applicant must correct.
func (db *DB) ReturnApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, correction string) error {
	if !portal.Can(scope.Tier, portal.ReviewApplications) {
		return portal.ErrNotAllow
	}
	if strings.TrimSpace(correction) == "" {
		return registry.ErrReasonRequired
	}
	return db.applicationTransition(ctx, scope, actor, id, version, registry.AppCorrection, func(tx pgx.Tx, _ lockedApplication) (string, error) {
		_, err := tx.Exec(ctx, `UPDATE applications SET status = 'correction', correction = @correction,
			updated_at = now(), version = version + 1 WHERE id = @id`,
			namedArgs{"id": id, "correction": correction})
		return correction, err
	})
}

// RejectApplication is 不予登记, with the written reason.
func (db *DB) RejectApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string) error {
	if !portal.Can(scope.Tier, portal.ReviewApplications) {
		return portal.ErrNotAllow
	}
	if strings.TrimSpace(reason) == "" {
		return registry.ErrReasonRequired
	}
	return db.applicationTransition(ctx, scope, actor, id, version, registry.AppRejected, func(tx pgx.Tx, _ lockedApplication) (string, error) {
		var decidedBy *int64
		if actor.AccountID != 0 {
			decidedBy = &actor.AccountID
		}
		_, err := tx.Exec(ctx, `UPDATE applications SET status = 'rejected', reject_reason = @reason,
			decided_by = @decided_by, decided_at = now(), updated_at = now(), version = version + 1 WHERE id = @id`,
			namedArgs{"id": id, "reason": reason, "decided_by": decidedBy})
		return reason, err
	})
}

// ApproveApplication is 准予登记 with the 统一社会信用代码 the district issued (already checked with
// rules.CheckUSCC). In the same transaction the group becomes a registered organization: an existing group moves
// up to 登记 with the application's legal form, name and data (timeline: tier_changed, registered); a new group
// is created as registered (timeline: created, registered). A code in use is ErrUSCCTaken, a name a live
// organization holds ErrNameTaken, an existing group no longer guided or filed and live ErrNotApplicable; in
// each case nothing is written. It returns the registered organization's id.
func (db *DB) ApproveApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, uscc string) (int64, error) {
	box := db.box
	if !portal.Can(scope.Tier, portal.ReviewApplications) {
		return 0, portal.ErrNotAllow
	}
	uscc = rules.NormalizeUSCC(uscc)
	var orgID int64
	err := db.applicationTransition(ctx, scope, actor, id, version, registry.AppApproved, func(tx pgx.Tx, l lockedApplication) (string, error) {
		a := l.app
		reason := "登记申请第 " + strconv.FormatInt(id, 10) + " 号准予登记"
		if a.NewGroup {
			phone, err := box.Open(l.phoneEnc, "leader_phone")
			if err != nil {
				return "", err
			}
			leaderID, err := box.Open(l.idEnc, "leader_id")
			if err != nil {
				return "", err
			}
			orgID, err = insertOrganization(ctx, tx, box, scope, actor, registry.OrgInput{CommunityCode: a.CommunityCode,
				Tier: registry.TierRegistered, LegalForm: a.LegalForm, NameParts: a.NameParts, USCC: uscc,
				Fields: a.Fields, Nature: a.Nature, LeaderName: a.LeaderName, LeaderPhone: phone,
				LeaderID: leaderID, PublishContact: a.PublishContact, Venue: a.Venue, Members: a.Members,
				GuideUnit: a.Supervisor})
			if err != nil {
				return "", err
			}
		} else {
			orgID = a.OrgID
			cur, err := lockOrganization(ctx, tx, scope, orgID)
			if err != nil {
				return "", err
			}
			o := cur.org
			if !o.Status.Live() || (o.Tier != registry.TierGuided && o.Tier != registry.TierFiled) {
				return "", registry.ErrNotApplicable
			}
			// The sealed values move as they are: organizations seal with the same key and context.
			if _, err := tx.Exec(ctx, `
				UPDATE organizations SET tier = 'registered', legal_form = @legal_form, uscc = @uscc, name = @name,
					name_prefix = @prefix, name_community = @community, name_zihao = @zihao, name_field = @field,
					name_form = @form, fields = @fields, nature = @nature, leader_name = @leader_name,
					leader_phone_enc = @phone_enc, leader_phone_mask = @phone_mask, leader_id_enc = @id_enc,
					leader_id_mask = @id_mask, publish_contact = @publish_contact, venue = @venue,
					members = @members, guide_unit = @guide_unit, updated_at = now(), version = version + 1
				WHERE id = @id`,
				namedArgs{"id": orgID, "legal_form": string(a.LegalForm), "uscc": uscc, "name": a.Name,
					"prefix": a.NameParts.Prefix, "community": a.NameParts.Community, "zihao": a.NameParts.Zihao,
					"field": a.NameParts.Field, "form": a.NameParts.Form, "fields": nonNil(a.Fields),
					"nature": a.Nature, "leader_name": a.LeaderName, "phone_enc": l.phoneEnc,
					"phone_mask": a.LeaderPhone, "id_enc": l.idEnc, "id_mask": a.LeaderID, "venue": a.Venue,
					"publish_contact": a.PublishContact, "members": a.Members, "guide_unit": a.Supervisor}); err != nil {
				return "", err
			}
			if err := insertEvent(ctx, tx, actor, orgID, a.CommunityCode, "tier_changed", string(o.Tier),
				string(registry.TierRegistered), reason); err != nil {
				return "", err
			}
		}
		if err := insertEvent(ctx, tx, actor, orgID, a.CommunityCode, "registered", "", uscc, reason); err != nil {
			return "", err
		}
		var decidedBy *int64
		if actor.AccountID != 0 {
			decidedBy = &actor.AccountID
		}
		_, err := tx.Exec(ctx, `UPDATE applications SET status = 'approved', uscc = @uscc, org_id = @org_id,
			decided_by = @decided_by, decided_at = now(), updated_at = now(), version = version + 1 WHERE id = @id`,
			namedArgs{"id": id, "uscc": uscc, "org_id": orgID, "decided_by": decidedBy})
		return "统一社会信用代码 " + uscc, err
	})
	if err != nil {
		return 0, err
	}
	return orgID, nil
}

// ResubmitApplication saves the applicant's corrections to an application returned for correction (待补正) and
// puts it back before the reviewer as 已受理. version is the one the applicant saw. The organization and the
// community stay the application's; an empty phone or ID keeps the stored one. The history row names the fields
// that changed.
func (db *DB) ResubmitApplication(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.ApplicationInput) error {
	box := db.box
	if !mayApplyForRegistration(scope) {
		return portal.ErrNotAllow
	}
	return db.applicationTransition(ctx, scope, actor, id, version, registry.AppAccepted, func(tx pgx.Tx, l lockedApplication) (string, error) {
		a := l.app
		phoneEnc, phoneMask, idEnc, idMask := l.phoneEnc, a.LeaderPhone, l.idEnc, a.LeaderID
		in.NameParts.Prefix, in.NameParts.Community = a.NameParts.Prefix, a.NameParts.Community
		changed := applicationChanges(a, in)
		if in.LeaderPhone != "" {
			if old, err := box.Open(l.phoneEnc, "leader_phone"); err != nil || old != in.LeaderPhone {
				changed = append(changed, "负责人电话")
				phoneEnc, phoneMask = box.Seal(in.LeaderPhone, "leader_phone"), rules.MaskPhone(in.LeaderPhone)
			}
		}
		if in.LeaderID != "" {
			if old, err := box.Open(l.idEnc, "leader_id"); err != nil || old != in.LeaderID {
				changed = append(changed, "负责人身份证号")
				idEnc, idMask = box.Seal(in.LeaderID, "leader_id"), maskID(in.LeaderID)
			}
		}
		_, err := tx.Exec(ctx, `
			UPDATE applications SET status = 'accepted', legal_form = @legal_form, name = @name,
				name_zihao = @zihao, name_field = @field, name_form = @form, fields = @fields, nature = @nature,
				leader_name = @leader_name, leader_phone_enc = @phone_enc, leader_phone_mask = @phone_mask,
				leader_id_enc = @id_enc, leader_id_mask = @id_mask, publish_contact = @publish_contact, venue = @venue,
				members = @members, supervisor = @supervisor, statement = @statement, updated_at = now(),
				version = version + 1
			WHERE id = @id`,
			namedArgs{"id": id, "legal_form": string(in.LegalForm), "name": rules.ComposeName(in.NameParts),
				"zihao": in.NameParts.Zihao, "field": in.NameParts.Field, "form": in.NameParts.Form,
				"fields": nonNil(in.Fields), "nature": in.Nature, "leader_name": in.LeaderName,
				"phone_enc": phoneEnc, "phone_mask": phoneMask, "id_enc": idEnc, "id_mask": idMask,
				"publish_contact": in.PublishContact, "venue": in.Venue, "members": in.Members,
				"supervisor": in.Supervisor, "statement": in.Statement})
		if len(changed) == 0 {
			return "补正后重新提交，未修改内容", err
		}
		return "补正后重新提交，修改了：" + strings.Join(changed, "、"), err
	})
}

// applicationChanges names, in the words of the form, what in changes of a (leader phone and ID aside: they are
// sealed, and the caller compares them opened).
func applicationChanges(a registry.Application, in registry.ApplicationInput) []string {
	var out []string
	add := func(differs bool, label string) {
		if differs {
			out = append(out, label)
		}
	}
	add(in.LegalForm != a.LegalForm, "组织类别")
	add(rules.ComposeName(in.NameParts) != a.Name, "名称")
	add(!slices.Equal(nonNil(in.Fields), nonNil(a.Fields)), "服务领域")
	add(in.Nature != a.Nature, "性质")
	add(in.LeaderName != a.LeaderName, "负责人姓名")
	add(in.PublishContact != a.PublishContact, "公开负责人")
	add(in.Venue != a.Venue, "活动场所")
	add(in.Members != a.Members, "成员人数")
	add(in.Supervisor != a.Supervisor, "业务主管单位")
	add(in.Statement != a.Statement, "申请说明")
	return out
}

// applicationArgs binds the filter and the scope for the list statements.
func applicationArgs(f registry.ApplicationFilter, scope portal.Scope) namedArgs {
	return scopeArgs(scope, namedArgs{"status": string(f.Status), "town": f.Town, "community": f.Community,
		"after": f.After, "limit": f.Limit})
}
