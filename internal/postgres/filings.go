package postgres

// 镇街备案: filings (成立/变更/注销备案), their documents, the 备案编号 and the public verification of a 备案证明.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

const filingColumns = `f.id, coalesce(f.org_id, 0) AS org_id, f.town_code, t.name AS town_name, t.kind AS town_kind,
	f.community_code, c.name AS community_name, f.kind, f.status, f.name, f.name_prefix, f.name_community,
	f.name_zihao, f.name_field, f.name_form, f.fields, f.nature, f.beneficiaries, f.founded_on, f.leader_name,
	f.leader_phone_mask, f.leader_id_mask, f.venue, f.charter, f.members, f.volunteers, f.funding, f.guide_unit,
	f.party_status, f.party_members, f.publish_contact, f.changes, f.cancel_on, f.reason, f.return_reason,
	coalesce(o.filing_no, '') AS filing_no, coalesce(o.status, '') AS org_status, coalesce(o.tier, '') AS org_tier,
	coalesce(sa.display_name, '') AS submitted_by_name, coalesce(sa.username, '') AS submitted_by_username,
	f.submitted_at, coalesce(da.display_name, '') AS decided_by_name,
	coalesce(da.username, '') AS decided_by_username, f.decided_at, f.self_decided, f.version,
	coalesce(f.guided_org_id, 0) AS guided_org_id, coalesce(g.name, '') AS guided_org_name`

const filingFrom = `FROM filings f
	JOIN divisions t ON t.code = f.town_code
	JOIN divisions c ON c.code = f.community_code
	LEFT JOIN organizations o ON o.id = f.org_id
	LEFT JOIN organizations g ON g.id = f.guided_org_id
	LEFT JOIN accounts sa ON sa.id = f.submitted_by
	LEFT JOIN accounts da ON da.id = f.decided_by`

type filingRow struct {
	ID                  int64
	OrgID               int64
	TownCode            string
	TownName            string
	TownKind            string
	CommunityCode       string
	CommunityName       string
	Kind                string
	Status              string
	Name                string
	NamePrefix          string
	NameCommunity       string
	NameZihao           string
	NameField           string
	NameForm            string
	Fields              []string
	Nature              string
	Beneficiaries       []string
	FoundedOn           *time.Time
	LeaderName          string
	LeaderPhoneMask     string
	LeaderIDMask        string `db:"leader_id_mask"`
	Venue               string
	Charter             string
	Members             int
	Volunteers          int
	Funding             string
	GuideUnit           string
	PartyStatus         string
	PartyMembers        int
	PublishContact      bool
	Changes             []string
	CancelOn            *time.Time
	Reason              string
	ReturnReason        string
	FilingNo            string
	OrgStatus           string
	OrgTier             string
	SubmittedByName     string
	SubmittedByUsername string
	SubmittedAt         time.Time
	DecidedByName       string
	DecidedByUsername   string
	DecidedAt           *time.Time
	SelfDecided         bool
	Version             int
	GuidedOrgID         int64
	GuidedOrgName       string
}

func (r filingRow) filing() registry.Filing {
	return registry.Filing{ID: r.ID, OrgID: r.OrgID, TownCode: r.TownCode, TownName: r.TownName, TownKind: r.TownKind,
		CommunityCode: r.CommunityCode, CommunityName: r.CommunityName, Kind: registry.FilingKind(r.Kind),
		Status: registry.FilingStatus(r.Status), Name: r.Name,
		NameParts: rules.NameParts{Prefix: r.NamePrefix, Community: r.NameCommunity, Zihao: r.NameZihao,
			Field: r.NameField, Form: r.NameForm},
		Fields: r.Fields, Nature: r.Nature, Beneficiaries: r.Beneficiaries, FoundedOn: r.FoundedOn,
		LeaderName: r.LeaderName, LeaderPhone: r.LeaderPhoneMask, LeaderID: r.LeaderIDMask, Venue: r.Venue,
		Charter: r.Charter, Members: r.Members, Volunteers: r.Volunteers, Funding: r.Funding,
		GuideUnit: r.GuideUnit, PartyStatus: r.PartyStatus, PartyMembers: r.PartyMembers,
		PublishContact: r.PublishContact, Changes: r.Changes, CancelOn: r.CancelOn, Reason: r.Reason,
		ReturnReason: r.ReturnReason, FilingNo: r.FilingNo, OrgStatus: registry.Status(r.OrgStatus),
		OrgTier: registry.Tier(r.OrgTier), SubmittedByName: r.SubmittedByName,
		SubmittedByUsername: r.SubmittedByUsername, SubmittedAt: r.SubmittedAt, DecidedByName: r.DecidedByName,
		DecidedByUsername: r.DecidedByUsername, DecidedAt: r.DecidedAt, SelfDecided: r.SelfDecided,
		Version: r.Version, GuidedOrgID: r.GuidedOrgID, GuidedOrgName: r.GuidedOrgName}
}

const filingFilterClause = `
	  AND (@status = '' OR f.status = @status)
	  AND (@kind = '' OR f.kind = @kind)
	  AND (@town = '' OR f.town_code = @town)
	  AND (@community = '' OR f.community_code = @community)`

// Filings lists one page of the filings inside scope that match f, newest first, after the cursor (the scope
// indexes on (…_code, id DESC) give the order, so any page costs what the first does). Ask for one more row
// than the page shows to learn whether there is a next page.
func (db *DB) Filings(ctx context.Context, scope portal.Scope, f registry.FilingFilter) ([]registry.Filing, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+filingColumns+` `+filingFrom+`
		WHERE `+scopeOn("f")+filingFilterClause+`
		  AND (@after = 0 OR f.id < @after)
		ORDER BY f.id DESC
		LIMIT @limit`, filingArgs(f, scope))
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[filingRow])
	if err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Filing, len(rs))
	for i, r := range rs {
		out[i] = r.filing()
	}
	return out, nil
}

// CountFilings is how many filings inside scope match f (the cursor aside), up to CountCap.
func (db *DB) CountFilings(ctx context.Context, scope portal.Scope, f registry.FilingFilter) (registry.ListTotal, error) {
	return db.cappedTotal(ctx, `SELECT count(*) FROM (SELECT 1 FROM filings f
		WHERE `+scopeOn("f")+filingFilterClause+` LIMIT @cap) capped`, filingArgs(f, scope))
}

// ExportFilings calls fn with every filing inside scope that matches f (the cursor and limit aside), newest
// first, one row at a time, and writes one audit row (filing.export) however it ends; see auditedExport.
// Leader phone and 身份证号 are the stored masks: the sealed values are never read here.
func (db *DB) ExportFilings(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.FilingFilter, format string, fn func(registry.Filing) error) (int, error) {
	f.After = 0
	return db.auditedExport(ctx, actor, exportAudit{action: "filing.export", objectType: "filing", format: format,
		filter: f.Summary()}, func() (int, error) {
		return streamRows(ctx, db, `SELECT `+filingColumns+` `+filingFrom+`
			WHERE `+scopeOn("f")+filingFilterClause+`
			ORDER BY f.id DESC`, filingArgs(f, scope), filingRow.filing, fn)
	})
}

// Filing is one filing inside scope; any other id is ErrNotFound.
func (db *DB) Filing(ctx context.Context, scope portal.Scope, id int64) (registry.Filing, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+filingColumns+` `+filingFrom+`
		WHERE f.id = @id AND `+scopeOn("f"), scopeArgs(scope, namedArgs{"id": id}))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[filingRow])
	if err != nil {
		return registry.Filing{}, translate(err)
	}
	return r.filing(), nil
}

const documentColumns = `d.id, d.filing_id, d.kind, d.filename, d.content_type, d.size_bytes, d.storage_key,
	d.sha256, d.uploaded_at`

// FilingDocuments lists the documents filed with a filing inside scope.
func (db *DB) FilingDocuments(ctx context.Context, scope portal.Scope, filingID int64) ([]registry.Document, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+documentColumns+`
		FROM org_documents d JOIN filings f ON f.id = d.filing_id
		WHERE d.filing_id = @id AND `+scopeOn("f")+`
		ORDER BY d.id`, scopeArgs(scope, namedArgs{"id": filingID}))
	ds, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.Document])
	return ds, translate(err)
}

// FilingDocument is one document of a filing inside scope; a document of another filing is ErrNotFound.
func (db *DB) FilingDocument(ctx context.Context, scope portal.Scope, filingID, docID int64) (registry.Document, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+documentColumns+`
		FROM org_documents d JOIN filings f ON f.id = d.filing_id
		WHERE d.id = @doc AND d.filing_id = @id AND `+scopeOn("f"),
		scopeArgs(scope, namedArgs{"id": filingID, "doc": docID}))
	d, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[registry.Document])
	return d, translate(err)
}

// FilingOrgEvents is the timeline of the organization a filing concerns (empty before an establishment is
// approved), read through both the filing's and the organization's scope.
func (db *DB) FilingOrgEvents(ctx context.Context, scope portal.Scope, filingID int64) ([]registry.FilingOrgEvent, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT e.id, e.org_id, e.at, e.actor_name, coalesce(ac.display_name, ''), e.actor_division, e.kind,
			e.from_value, e.to_value, e.reason
		FROM filings f JOIN organizations o ON o.id = f.org_id JOIN org_events e ON e.org_id = o.id
			LEFT JOIN accounts ac ON ac.id = e.actor_id
		WHERE f.id = @id AND `+scopeOn("f")+` AND `+scopeOn("o")+`
		ORDER BY e.id`, scopeArgs(scope, namedArgs{"id": filingID}))
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.FilingOrgEvent, error) {
		var e registry.FilingOrgEvent
		err := row.Scan(&e.ID, &e.OrgID, &e.At, &e.ActorName, &e.ActorDisplayName, &e.ActorDivision, &e.Kind,
			&e.From, &e.To, &e.Reason)
		return e, err
	})
	return events, translate(err)
}

// FiledOrganization is an organization inside scope, for a 变更 or 注销 filing form.
func (db *DB) FiledOrganization(ctx context.Context, scope portal.Scope, id int64) (registry.FiledOrg, error) {
	var o registry.FiledOrg
	var tier, status string
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT o.id, o.name, coalesce(o.filing_no, ''), o.community_code, o.tier, o.status, o.leader_name,
		       o.leader_phone_mask, o.leader_id_mask, o.venue, o.members, o.volunteers, o.funding, o.guide_unit
		FROM organizations o WHERE o.id = @id AND `+scopeOn("o"), scopeArgs(scope, namedArgs{"id": id})).
		Scan(&o.ID, &o.Name, &o.FilingNo, &o.CommunityCode, &tier, &status, &o.LeaderName, &o.LeaderPhone,
			&o.LeaderID, &o.Venue, &o.Members, &o.Volunteers, &o.Funding, &o.GuideUnit)
	o.Tier, o.Status = registry.Tier(tier), registry.Status(status)
	return o, translate(err)
}

// NameInUse reports whether a live organization, or an establishment filing awaiting review, anywhere in the
// caller's district already has this name. Names are unique district-wide, so the question looks beyond the
// caller's town, but it answers only yes or no. It is a courtesy to the clerk; the unique index on
// organizations decides at approval. except is the guided group a 成立备案 files on its own record (0: none):
// its own name is not in the way.
func (db *DB) NameInUse(ctx context.Context, scope portal.Scope, name string, except int64) (bool, error) {
	if len(scope.Division) < 6 {
		return false, portal.ErrNotFound
	}
	var taken bool
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM organizations
		               WHERE district_code = @district AND name = @name AND status IN ('normal', 'abnormal')
		                 AND id <> @except)
		    OR EXISTS (SELECT 1 FROM filings
		               WHERE district_code = @district AND name = @name AND kind = 'establish'
		                 AND status = 'submitted')`,
		namedArgs{"district": scope.Division[:6], "name": name, "except": except}).Scan(&taken)
	return taken, translate(err)
}

// CreateFiling records a filing submitted by a town officer, with its documents (already stored), and audits
// it. A 成立备案's community must lie inside scope; a 变更 or 注销 filing's organization must be a live filed
// organization inside scope, with no other filing awaiting review (ErrOpenFiling).
func (db *DB) CreateFiling(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.FilingInput, docs []registry.NewDocument) (int64, error) {
	box := db.box
	if !portal.Can(scope.Tier, portal.SubmitFilings) {
		return 0, portal.ErrNotAllow
	}
	var actorID *int64
	if actor.AccountID != 0 {
		actorID = &actor.AccountID
	}
	args := scopeArgs(scope, namedArgs{
		"kind": string(in.Kind), "community": in.CommunityCode, "org_id": in.OrgID,
		"name": rules.ComposeName(in.NameParts), "prefix": in.NameParts.Prefix,
		"name_community": in.NameParts.Community, "zihao": in.NameParts.Zihao, "field": in.NameParts.Field,
		"form": in.NameParts.Form, "fields": nonNil(in.Fields), "nature": in.Nature,
		"beneficiaries": nonNil(in.Beneficiaries), "founded_on": in.FoundedOn, "leader_name": in.LeaderName,
		"phone_enc": box.Seal(in.LeaderPhone, "leader_phone"), "phone_mask": maskPhone(in.LeaderPhone),
		"id_enc": box.Seal(in.LeaderID, "leader_id"), "id_mask": maskID(in.LeaderID),
		"venue": in.Venue, "charter": in.Charter, "members": in.Members, "volunteers": in.Volunteers,
		"funding": in.Funding, "guide_unit": in.GuideUnit, "party_status": partyStatus(in.PartyStatus),
		"party_members": in.PartyMembers, "publish_contact": in.PublishContact, "changes": nonNil(in.Changes),
		"cancel_on": in.CancelOn, "reason": in.Reason, "actor_id": actorID, "guided": nullID(in.GuidedOrgID),
	})
	var id int64
	var community string
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		switch in.Kind {
		case registry.FilingEstablish:
			if in.GuidedOrgID != 0 {
				if err := lockGuided(ctx, tx, scope, in); err != nil {
					return err
				}
			}
			// The community is looked up inside the caller's town; the town and district codes come from it.
			err = tx.QueryRow(ctx, `
				INSERT INTO filings (guided_org_id, district_code, town_code, community_code, kind, name, name_prefix,
					name_community, name_zihao, name_field, name_form, fields, nature, beneficiaries, founded_on,
					leader_name, leader_phone_enc, leader_phone_mask, leader_id_enc, leader_id_mask, venue, charter,
					members, volunteers, funding, guide_unit, party_status, party_members, publish_contact,
					submitted_by)
				SELECT @guided, left(d.code, 6), left(d.code, 9), d.code, 'establish', @name, @prefix,
					@name_community, @zihao, @field, @form, @fields, @nature, @beneficiaries, @founded_on,
					@leader_name, @phone_enc, @phone_mask, @id_enc, @id_mask, @venue, @charter,
					@members, @volunteers, @funding, @guide_unit, @party_status, @party_members, @publish_contact,
					@actor_id
				FROM divisions d
				WHERE d.code = @community AND d.level = 'community' AND d.retired_at IS NULL AND `+scopeWithin("d.code")+`
				RETURNING id, community_code`, args).Scan(&id, &community)
		case registry.FilingChange, registry.FilingCancel:
			var tier, status string
			err = tx.QueryRow(ctx, `SELECT o.tier, o.status FROM organizations o WHERE o.id = @org_id AND `+scopeOn("o"),
				args).Scan(&tier, &status)
			if err != nil {
				return err
			}
			if registry.Tier(tier) != registry.TierFiled || !registry.Status(status).Live() {
				return registry.ErrNotFiled
			}
			// The name and the codes are the organization's; the form names only what changes.
			err = tx.QueryRow(ctx, `
				INSERT INTO filings (org_id, district_code, town_code, community_code, kind, name, leader_name,
					leader_phone_enc, leader_phone_mask, leader_id_enc, leader_id_mask, venue, members, volunteers,
					funding, guide_unit, changes, cancel_on, reason, submitted_by)
				SELECT o.id, o.district_code, o.town_code, o.community_code, @kind, o.name, @leader_name,
					@phone_enc, @phone_mask, @id_enc, @id_mask, @venue, @members, @volunteers,
					@funding, @guide_unit, @changes, @cancel_on, @reason, @actor_id
				FROM organizations o WHERE o.id = @org_id AND `+scopeOn("o")+`
				RETURNING id, community_code`, args).Scan(&id, &community)
		default:
			return fmt.Errorf("CreateFiling: unknown kind %q", in.Kind)
		}
		if err != nil {
			return err
		}
		for _, d := range docs {
			if _, err := tx.Exec(ctx, `
				INSERT INTO org_documents (filing_id, community_code, kind, filename, content_type, size_bytes,
					storage_key, sha256, uploaded_by)
				VALUES (@filing_id, @community, @kind, @filename, @content_type, @size, @key, @sha256, @actor_id)`,
				namedArgs{"filing_id": id, "community": community, "kind": d.Kind, "filename": d.Filename,
					"content_type": d.ContentType, "size": d.Size, "key": d.StorageKey, "sha256": d.SHA256,
					"actor_id": actorID}); err != nil {
				return err
			}
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "filing.create", ObjectType: "filing",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: string(in.Kind) + " " + community + " " + strconv.Itoa(len(docs)) + " documents"})
	})
	if errors.Is(err, registry.ErrNotFiled) || errors.Is(err, registry.ErrNotGuided) {
		return 0, err
	}
	return id, translate(err)
}

// lockGuided locks the guided group a 成立备案 files on its own record, inside scope: it must still be the live
// guided group of the filing's community, at the version the clerk started from (else ErrConflict).
func lockGuided(ctx context.Context, tx pgx.Tx, scope portal.Scope, in registry.FilingInput) error {
	var tier, status, community string
	var version int
	err := tx.QueryRow(ctx, `SELECT o.tier, o.status, o.community_code, o.version FROM organizations o
		WHERE o.id = @id AND `+scopeOn("o")+` FOR UPDATE`, scopeArgs(scope, namedArgs{"id": in.GuidedOrgID})).
		Scan(&tier, &status, &community, &version)
	switch {
	case err != nil:
		return err
	case version != in.GuidedVersion:
		return portal.ErrConflict
	case registry.Tier(tier) != registry.TierGuided || !registry.Status(status).Live() || community != in.CommunityCode:
		return registry.ErrNotGuided
	}
	return nil
}

func maskPhone(p string) string {
	if p == "" {
		return ""
	}
	return rules.MaskPhone(p)
}

func partyStatus(s string) string {
	if s == "" {
		return "未覆盖"
	}
	return s
}

// sealedFiling is a filing locked for a decision, with its sealed personal data.
type sealedFiling struct {
	registry.Filing
	phoneEnc, idEnc []byte
}

// lockFiling locks a submitted filing inside scope for a decision. A filing decided meanwhile, or changed
// since the officer loaded it (another version), is ErrConflict: of two officers acting at once, the second
// waits for the first's row lock, then sees its new version.
func lockFiling(ctx context.Context, tx pgx.Tx, scope portal.Scope, id int64, version int) (sealedFiling, error) {
	var f sealedFiling
	var kind, status string
	var orgID *int64
	err := tx.QueryRow(ctx, `
		SELECT f.id, f.org_id, f.town_code, f.community_code, f.kind, f.status, f.name_prefix, f.name_community,
		       f.name_zihao, f.name_field, f.name_form, f.fields, f.nature, f.beneficiaries, f.founded_on,
		       f.leader_name, f.leader_phone_enc, f.leader_id_enc, f.venue, f.charter, f.members, f.volunteers,
		       f.funding, f.guide_unit, f.party_status, f.party_members, f.publish_contact, f.changes,
		       f.cancel_on, f.reason, f.version, coalesce(f.guided_org_id, 0)
		FROM filings f WHERE f.id = @id AND `+scopeOn("f")+` FOR UPDATE`,
		scopeArgs(scope, namedArgs{"id": id})).Scan(&f.ID, &orgID, &f.TownCode, &f.CommunityCode, &kind,
		&status, &f.NameParts.Prefix, &f.NameParts.Community, &f.NameParts.Zihao, &f.NameParts.Field,
		&f.NameParts.Form, &f.Fields, &f.Nature, &f.Beneficiaries, &f.FoundedOn, &f.LeaderName, &f.phoneEnc,
		&f.idEnc, &f.Venue, &f.Charter, &f.Members, &f.Volunteers, &f.Funding, &f.GuideUnit, &f.PartyStatus,
		&f.PartyMembers, &f.PublishContact, &f.Changes, &f.CancelOn, &f.Reason, &f.Version, &f.GuidedOrgID)
	if err != nil {
		return f, err
	}
	if orgID != nil {
		f.OrgID = *orgID
	}
	f.Kind, f.Status = registry.FilingKind(kind), registry.FilingStatus(status)
	if f.Status != registry.FilingSubmitted || f.Version != version {
		return f, portal.ErrConflict
	}
	return f, nil
}

// ApproveFiling decides a filing 准予备案 in one transaction. A 成立备案 gets the town's next 备案编号 for this year
// (under the counter's row lock), becomes an organization of tier filed with the filing's documents and a
// "filed" timeline row, and its 备案证明 gets a fresh verification token. A 变更备案 updates the organization
// ("filing_changed"); a 注销备案 marks it dissolved with the date and reason ("filing_cancelled"). A stale
// version is ErrConflict; a name taken meanwhile is ErrNameTaken; nothing is written in either case.
func (db *DB) ApproveFiling(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int) (registry.Decision, error) {
	box := db.box
	if !portal.Can(scope.Tier, portal.DecideFilings) {
		return registry.Decision{}, portal.ErrNotAllow
	}
	var d registry.Decision
	var token *string
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		f, err := lockFiling(ctx, tx, scope, id, version)
		if err != nil {
			return err
		}
		self, err := selfDecision(ctx, tx, id, f.TownCode, actor)
		if err != nil {
			return err
		}
		switch f.Kind {
		case registry.FilingEstablish:
			if d.FilingNo, err = nextFilingNo(ctx, tx, f.TownCode); err != nil {
				return err
			}
			if f.GuidedOrgID != 0 {
				d.OrgID = f.GuidedOrgID
				if err := fileGuidedRecord(ctx, tx, scope, actor, f.Filing, d.FilingNo); err != nil {
					return err
				}
			} else if d.OrgID, err = insertFiledOrganization(ctx, tx, box, scope, actor, f, d.FilingNo); err != nil {
				return err
			}
			if err := insertEvent(ctx, tx, actor, d.OrgID, f.CommunityCode, "filed", "", d.FilingNo, ""); err != nil {
				return err
			}
			t := newVerifyToken()
			token = &t
		case registry.FilingChange:
			d.OrgID = f.OrgID
			tag, err := tx.Exec(ctx, applyFilingChanges+scopeOn("o"), scopeArgs(scope, namedArgs{"id": id}))
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return portal.ErrConflict // dissolved or moved up meanwhile
			}
			if err := insertEvent(ctx, tx, actor, f.OrgID, f.CommunityCode, "filing_changed", "",
				registry.ChangeLabels(f.Changes), f.Reason); err != nil {
				return err
			}
		case registry.FilingCancel:
			d.OrgID = f.OrgID
			var from string
			err := tx.QueryRow(ctx, `SELECT o.status FROM organizations o
				WHERE o.id = @org_id AND o.tier = 'filed' AND o.status IN ('normal', 'abnormal') AND `+scopeOn("o")+`
				FOR UPDATE`, scopeArgs(scope, namedArgs{"org_id": f.OrgID})).Scan(&from)
			if errors.Is(err, pgx.ErrNoRows) {
				return portal.ErrConflict
			}
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE organizations SET status = 'dissolved', status_on = @on,
				status_reason = @reason, updated_at = now(), version = version + 1 WHERE id = @org_id`,
				namedArgs{"org_id": f.OrgID, "on": f.CancelOn, "reason": f.Reason}); err != nil {
				return err
			}
			if err := insertEvent(ctx, tx, actor, f.OrgID, f.CommunityCode, "filing_cancelled", from,
				string(registry.StatusDissolved), f.Reason); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE org_documents SET org_id = @org_id WHERE filing_id = @id`,
			namedArgs{"org_id": d.OrgID, "id": id}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE filings SET status = 'approved', org_id = @org_id, verify_token = @token,
				decided_by = @actor_id, decided_at = now(), self_decided = @self, version = version + 1
			WHERE id = @id`, namedArgs{"id": id, "org_id": d.OrgID, "token": token,
			"actor_id": actorRef(actor), "self": self}); err != nil {
			return err
		}
		detail := string(f.Kind) + " org " + strconv.FormatInt(d.OrgID, 10)
		if d.FilingNo != "" {
			detail += " " + d.FilingNo
		}
		if err := notifyOffice(ctx, tx, actor.AccountID, msgFiling, id, "备案已通过审核"); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "filing.approve", ObjectType: "filing",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: detail})
	})
	if err = translate(err); err != nil {
		return registry.Decision{}, err
	}
	return d, nil
}

// nextFilingNo allocates the town's next 备案编号 of the current year (北京时间) under the counter row's lock, which
// the approving transaction holds until it commits: of two approvals at once the second waits, then counts on.
// Numbers already held by organizations (imported or loaded from older records) are stepped over.
func nextFilingNo(ctx context.Context, tx pgx.Tx, town string) (string, error) {
	for {
		var year, seq int
		var taken bool
		err := tx.QueryRow(ctx, `
			INSERT INTO filing_numbers (town_code, year, last)
			VALUES (@town, extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int, 1)
			ON CONFLICT (town_code, year) DO UPDATE SET last = filing_numbers.last + 1
			RETURNING year, last`, namedArgs{"town": town}).Scan(&year, &seq)
		if err != nil {
			return "", err
		}
		no := registry.FormatFilingNo(year, town, seq)
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizations WHERE filing_no = @no)`,
			namedArgs{"no": no}).Scan(&taken); err != nil {
			return "", err
		}
		if !taken {
			return no, nil
		}
	}
}

// ReturnFiling decides a filing 退回 with the officer's reason; nothing else changes.
func (db *DB) ReturnFiling(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string) error {
	if !portal.Can(scope.Tier, portal.DecideFilings) {
		return portal.ErrNotAllow
	}
	return translate(db.inTx(ctx, func(tx pgx.Tx) error {
		f, err := lockFiling(ctx, tx, scope, id, version)
		if err != nil {
			return err
		}
		self, err := selfDecision(ctx, tx, id, f.TownCode, actor)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE filings SET status = 'returned', return_reason = @reason, decided_by = @actor_id,
				decided_at = now(), self_decided = @self, version = version + 1
			WHERE id = @id`, namedArgs{"id": id, "reason": reason, "actor_id": actorRef(actor),
			"self": self}); err != nil {
			return err
		}
		if err := notifyOffice(ctx, tx, actor.AccountID, msgFiling, id, "备案被退回，请按退回理由修改"); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "filing.return", ObjectType: "filing",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: string(f.Kind)})
	}))
}

func actorRef(a portal.Actor) *int64 {
	if a.AccountID == 0 {
		return nil
	}
	return &a.AccountID
}

// newVerifyToken is the secret in a 备案证明's QR code: 128 random bits, so the public page cannot be walked.
func newVerifyToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Certificate is the 备案证明 of the organization an approved filing inside scope concerns: its current data,
// dated by its establishment filing. A filing not approved is ErrNotFound.
func (db *DB) Certificate(ctx context.Context, scope portal.Scope, filingID int64) (registry.Certificate, error) {
	var c registry.Certificate
	var status string
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT o.id, o.name, o.filing_no, o.leader_name, o.venue, o.fields, o.nature, t.name, t.kind, c.name,
		       e.decided_at, o.status, o.status_on, e.verify_token
		FROM filings f
		JOIN organizations o ON o.id = f.org_id
		JOIN filings e ON e.org_id = o.id AND e.kind = 'establish' AND e.status = 'approved'
		JOIN divisions t ON t.code = o.town_code
		JOIN divisions c ON c.code = o.community_code
		WHERE f.id = @id AND f.status = 'approved' AND `+scopeOn("f")+` AND `+scopeOn("o"),
		scopeArgs(scope, namedArgs{"id": filingID})).Scan(&c.OrgID, &c.Name, &c.FilingNo, &c.LeaderName,
		&c.Venue, &c.Fields, &c.Nature, &c.TownName, &c.TownKind, &c.CommunityName, &c.FiledAt, &status,
		&c.StatusOn, &c.VerifyToken)
	c.Status = registry.Status(status)
	return c, translate(err)
}

// Verify looks up a 备案证明 by the token in its QR code. It takes no scope: anyone holding the certificate may
// check it, and the unguessable token is what admits them. An unknown token is ErrNotFound.
func (db *DB) Verify(ctx context.Context, token string) (registry.Verification, error) {
	var v registry.Verification
	var status string
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT o.name, o.filing_no, t.name, t.kind, e.decided_at, o.status, o.status_on,
		       CASE WHEN o.publish_contact THEN o.leader_name ELSE '' END
		FROM filings e
		JOIN organizations o ON o.id = e.org_id
		JOIN divisions t ON t.code = o.town_code
		WHERE e.verify_token = @token AND e.kind = 'establish' AND e.status = 'approved'`,
		namedArgs{"token": token}).Scan(&v.Name, &v.FilingNo, &v.TownName, &v.TownKind, &v.FiledAt, &status,
		&v.StatusOn, &v.LeaderName)
	v.Status = registry.Status(status)
	return v, translate(err)
}

// filingArgs binds the filter and the scope for the list statements.
func filingArgs(f registry.FilingFilter, scope portal.Scope) namedArgs {
	return scopeArgs(scope, namedArgs{"status": string(f.Status), "kind": string(f.Kind), "town": f.Town,
		"community": f.Community, "after": f.After, "limit": f.Limit})
}

// applyFilingChanges copies the items an approved 变更备案 names from the filing onto its organization; the
// caller appends the scope clause. Each item of registry.ChangeItems has its columns here
// (TestFilingChangeStatementCoversEveryItem holds the two lists together).
const applyFilingChanges = `
UPDATE organizations o SET
	leader_name = CASE WHEN 'leader_name' = ANY(f.changes) THEN f.leader_name ELSE o.leader_name END,
	leader_phone_enc = CASE WHEN 'leader_phone' = ANY(f.changes) THEN f.leader_phone_enc
		ELSE o.leader_phone_enc END,
	leader_phone_mask = CASE WHEN 'leader_phone' = ANY(f.changes) THEN f.leader_phone_mask
		ELSE o.leader_phone_mask END,
	leader_id_enc = CASE WHEN 'leader_id' = ANY(f.changes) THEN f.leader_id_enc ELSE o.leader_id_enc END,
	leader_id_mask = CASE WHEN 'leader_id' = ANY(f.changes) THEN f.leader_id_mask
		ELSE o.leader_id_mask END,
	venue = CASE WHEN 'venue' = ANY(f.changes) THEN f.venue ELSE o.venue END,
	members = CASE WHEN 'members' = ANY(f.changes) THEN f.members ELSE o.members END,
	volunteers = CASE WHEN 'volunteers' = ANY(f.changes) THEN f.volunteers ELSE o.volunteers END,
	funding = CASE WHEN 'funding' = ANY(f.changes) THEN f.funding ELSE o.funding END,
	guide_unit = CASE WHEN 'guide_unit' = ANY(f.changes) THEN f.guide_unit ELSE o.guide_unit END,
	updated_at = now(), version = o.version + 1
FROM filings f
WHERE f.id = @id AND o.id = f.org_id AND o.tier = 'filed' AND o.status IN ('normal', 'abnormal')
  AND `
