package postgres

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
	"github.com/yubei-cso/portal/internal/sealbox"
)

// insertOrganization creates an organization inside tx with its first timeline row ("created"). The community
// must lie inside scope; the district and town codes are taken from the community's own code, never from input.
func insertOrganization(ctx context.Context, tx pgx.Tx, box *sealbox.Box, scope portal.Scope, actor portal.Actor, in registry.OrgInput) (int64, error) {
	if !scope.Covers(in.CommunityCode) || portal.LevelOfCode(in.CommunityCode) != portal.TierCommunity {
		return 0, portal.ErrNotFound
	}
	if in.PartyStatus == "" {
		in.PartyStatus = "未覆盖"
	}
	var uscc, filingNo *string
	if in.USCC != "" {
		uscc = &in.USCC
	}
	if in.FilingNo != "" {
		filingNo = &in.FilingNo
	}
	var actorID *int64
	if actor.AccountID != 0 {
		actorID = &actor.AccountID
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name,
			name_prefix, name_community, name_zihao, name_field, name_form, uscc, filing_no, fields, nature,
			beneficiaries, founded_on, leader_name, leader_phone_enc, leader_phone_mask, leader_id_enc,
			leader_id_mask, venue, charter, members, volunteers, funding, guide_unit, party_status, party_members,
			incubation, publish_contact, demo, created_by)
		SELECT left(d.code, 6), left(d.code, 9), d.code, @tier, @legal_form, @name,
			@prefix, @community, @zihao, @field, @form, @uscc, @filing_no, @fields, @nature,
			@beneficiaries, @founded_on, @leader_name, @phone_enc, @phone_mask, @id_enc,
			@id_mask, @venue, @charter, @members, @volunteers, @funding, @guide_unit, @party_status, @party_members,
			@incubation, @publish_contact, @demo, @actor_id
		FROM divisions d WHERE d.code = @community_code AND d.level = 'community'
		RETURNING id`,
		namedArgs{
			"community_code": in.CommunityCode, "tier": string(in.Tier), "legal_form": string(in.LegalForm),
			"name": rules.ComposeName(in.NameParts), "prefix": in.NameParts.Prefix,
			"community": in.NameParts.Community, "zihao": in.NameParts.Zihao, "field": in.NameParts.Field,
			"form": in.NameParts.Form, "uscc": uscc, "filing_no": filingNo, "fields": nonNil(in.Fields),
			"nature": in.Nature, "beneficiaries": nonNil(in.Beneficiaries), "founded_on": in.FoundedOn,
			"leader_name": in.LeaderName,
			"phone_enc":   box.Seal(in.LeaderPhone, "leader_phone"), "phone_mask": rules.MaskPhone(in.LeaderPhone),
			"id_enc": box.Seal(in.LeaderID, "leader_id"), "id_mask": maskID(in.LeaderID),
			"venue": in.Venue, "charter": in.Charter, "members": in.Members, "volunteers": in.Volunteers,
			"funding": in.Funding, "guide_unit": in.GuideUnit, "party_status": in.PartyStatus,
			"party_members": in.PartyMembers, "incubation": in.Incubation, "publish_contact": in.PublishContact,
			"demo": in.Demo, "actor_id": actorID,
		}).Scan(&id)
	if err != nil {
		return 0, translate(err)
	}
	if err := insertEvent(ctx, tx, actor, id, in.CommunityCode, "created", "", string(in.Tier), ""); err != nil {
		return 0, err
	}
	return id, nil
}

// insertEvent adds one row to an organization's timeline.
func insertEvent(ctx context.Context, tx pgx.Tx, actor portal.Actor, orgID int64, community, kind, from, to, reason string) error {
	var actorID *int64
	if actor.AccountID != 0 {
		actorID = &actor.AccountID
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO org_events (org_id, community_code, actor_id, actor_name, actor_division, kind, from_value,
			to_value, reason)
		VALUES (@org_id, @community, @actor_id, @actor_name, @actor_division, @kind, @from, @to, @reason)`,
		namedArgs{"org_id": orgID, "community": community, "actor_id": actorID, "actor_name": actor.Username,
			"actor_division": actor.Division, "kind": kind, "from": from, "to": to, "reason": reason})
	return translate(err)
}

func maskID(id string) string {
	if id == "" {
		return ""
	}
	return rules.MaskIDNumber(id)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// orgColumns are the columns an organization is read with. Leader phone and ID come as their masks only: the
// sealed values leave the database through RevealLeader alone.
const orgColumns = `o.id, o.district_code, o.town_code, t.name AS town_name, o.community_code,
	c.name AS community_name, o.tier, o.legal_form, o.name, o.name_prefix, o.name_community, o.name_zihao,
	o.name_field, o.name_form, coalesce(o.uscc, '') AS uscc, coalesce(o.filing_no, '') AS filing_no, o.fields,
	o.nature, o.beneficiaries, o.founded_on, o.leader_name, o.leader_phone_mask, o.leader_id_mask, o.venue,
	o.charter, o.members, o.volunteers, o.funding, o.guide_unit, o.party_status, o.party_members, o.incubation,
	o.publish_contact, o.status, o.status_on, o.status_reason, o.demo, o.created_at, o.updated_at, o.version`

// orgFrom joins the divisions whose names an organization is shown with.
const orgFrom = `organizations o
	JOIN divisions c ON c.code = o.community_code
	JOIN divisions t ON t.code = o.town_code`

type orgRow struct {
	ID              int64
	DistrictCode    string
	TownCode        string
	TownName        string
	CommunityCode   string
	CommunityName   string
	Tier            string
	LegalForm       string
	Name            string
	NamePrefix      string
	NameCommunity   string
	NameZihao       string
	NameField       string
	NameForm        string
	USCC            string
	FilingNo        string
	Fields          []string
	Nature          string
	Beneficiaries   []string
	FoundedOn       *time.Time
	LeaderName      string
	LeaderPhoneMask string
	LeaderIDMask    string
	Venue           string
	Charter         string
	Members         int
	Volunteers      int
	Funding         string
	GuideUnit       string
	PartyStatus     string
	PartyMembers    int
	Incubation      string
	PublishContact  bool
	Status          string
	StatusOn        *time.Time
	StatusReason    string
	Demo            bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int
}

func (r orgRow) organization() registry.Organization {
	return registry.Organization{ID: r.ID, DistrictCode: r.DistrictCode, TownCode: r.TownCode,
		TownName: r.TownName, CommunityCode: r.CommunityCode, CommunityName: r.CommunityName,
		Tier: registry.Tier(r.Tier), LegalForm: rules.LegalForm(r.LegalForm), Name: r.Name,
		NameParts: rules.NameParts{Prefix: r.NamePrefix, Community: r.NameCommunity, Zihao: r.NameZihao,
			Field: r.NameField, Form: r.NameForm},
		USCC: r.USCC, FilingNo: r.FilingNo, Fields: r.Fields, Nature: r.Nature, Beneficiaries: r.Beneficiaries,
		FoundedOn: r.FoundedOn, LeaderName: r.LeaderName, LeaderPhone: r.LeaderPhoneMask,
		LeaderID: r.LeaderIDMask, Venue: r.Venue, Charter: r.Charter, Members: r.Members,
		Volunteers: r.Volunteers, Funding: r.Funding, GuideUnit: r.GuideUnit, PartyStatus: r.PartyStatus,
		PartyMembers: r.PartyMembers, Incubation: r.Incubation, PublishContact: r.PublishContact,
		Status: registry.Status(r.Status), StatusOn: r.StatusOn, StatusReason: r.StatusReason, Demo: r.Demo,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Version: r.Version}
}

// CreateOrganization records a new organization with its first timeline row and an audit row, in one
// transaction. A duplicate live name is ErrNameTaken; a community outside scope is ErrNotFound.
func (db *DB) CreateOrganization(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.OrgInput) (int64, error) {
	box := db.box
	if !registry.MayCreate(scope, in.Tier, in.LegalForm) {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if id, err = insertOrganization(ctx, tx, box, scope, actor, in); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.create", ObjectType: "organization",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: string(in.Tier)})
	})
	if err != nil {
		return 0, translate(err)
	}
	return id, nil
}

// Organization is one organization inside scope, with leader phone and ID masked; any other id is ErrNotFound.
// A read by key: it keeps its plan (planKept), since planning it afresh cost more than running it.
func (db *DB) Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error) {
	var o registry.Organization
	b := &pgx.Batch{}
	queueOrganization(b, scope, id, &o)
	return o, db.send(ctx, planKept, b)
}

// queueOrganization queues Organization's statement on b (planKept), to fill o; no row fails the batch with
// ErrNotFound.
func queueOrganization(b *pgx.Batch, scope portal.Scope, id int64, o *registry.Organization) {
	b.Queue(`SELECT `+orgColumns+` FROM `+orgFrom+` WHERE o.id = @id AND `+scopeOn("o"),
		scopeArgs(scope, namedArgs{"id": id})).Query(func(rows pgx.Rows) error {
		r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[orgRow])
		if err == nil {
			*o = r.organization()
		}
		return err
	})
}

type eventRow struct {
	ID            int64
	OrgID         int64
	At            time.Time
	ActorName     string
	ActorDisplay  string
	ActorDivision string
	Kind          string
	FromValue     string
	ToValue       string
	Reason        string
}

// OrgEvents is the timeline of an organization inside scope, oldest first; outside scope it is empty. A read
// by key, like Organization.
func (db *DB) OrgEvents(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.Event, error) {
	var out []registry.Event
	b := &pgx.Batch{}
	queueOrgEvents(b, scope, orgID, &out)
	return out, db.send(ctx, planKept, b)
}

// queueOrgEvents queues OrgEvents's statement on b (planKept), to fill out.
func queueOrgEvents(b *pgx.Batch, scope portal.Scope, orgID int64, out *[]registry.Event) {
	b.Queue(`
		SELECT e.id, e.org_id, e.at, e.actor_name, coalesce(ac.display_name, '') AS actor_display,
			e.actor_division, e.kind, e.from_value, e.to_value, e.reason
		FROM org_events e JOIN organizations o ON o.id = e.org_id LEFT JOIN accounts ac ON ac.id = e.actor_id
		WHERE e.org_id = @id AND `+scopeOn("o")+`
		ORDER BY e.id`,
		scopeArgs(scope, namedArgs{"id": orgID})).Query(func(rows pgx.Rows) error {
		rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[eventRow])
		if err != nil {
			return err
		}
		*out = make([]registry.Event, len(rs))
		for i, r := range rs {
			(*out)[i] = registry.Event{ID: r.ID, OrgID: r.OrgID, At: r.At, ActorName: r.ActorName,
				ActorDisplay: r.ActorDisplay, ActorDivision: r.ActorDivision, Kind: r.Kind, From: r.FromValue, To: r.ToValue, Reason: r.Reason}
		}
		return nil
	})
}

// lockedOrg is the current state of an organization, read FOR UPDATE at the start of a change, with the sealed
// values a change may keep. Other stores' transitions (registration applications) lock through it too.
type lockedOrg struct {
	org      registry.Organization
	phoneEnc []byte
	idEnc    []byte
}

type lockedOrgRow struct {
	orgRow
	LeaderPhoneEnc []byte
	LeaderIDEnc    []byte
}

// lockOrganization reads an organization inside scope and locks its row until tx ends.
func lockOrganization(ctx context.Context, tx pgx.Tx, scope portal.Scope, id int64) (lockedOrg, error) {
	rows, _ := tx.Query(ctx, `SELECT `+orgColumns+`, o.leader_phone_enc, o.leader_id_enc
		FROM `+orgFrom+` WHERE o.id = @id AND `+scopeOn("o")+` FOR UPDATE OF o`, scopeArgs(scope, namedArgs{"id": id}))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[lockedOrgRow])
	if err != nil {
		return lockedOrg{}, translate(err)
	}
	return lockedOrg{org: r.organization(), phoneEnc: r.LeaderPhoneEnc, idEnc: r.LeaderIDEnc}, nil
}

// UpdateOrganization saves an edit of an organization inside scope that the scope may edit. version is the
// one the editor saw: a different one is ErrConflict and nothing is written. Management tier, legal form,
// codes, community and the 行政区划/社区 parts of the name are not changed by editing; a leader phone or ID
// left empty keeps the stored one. It returns the labels of the fields that changed (none: nothing written);
// a change leaves an "updated" timeline row naming them and an audit row.
func (db *DB) UpdateOrganization(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.OrgInput) ([]string, error) {
	box := db.box
	var changed []string
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := lockOrganization(ctx, tx, scope, id)
		if err != nil {
			return err
		}
		o := cur.org
		if !registry.RightsOn(scope, o).Edit {
			return portal.ErrNotAllow
		}
		if o.Version != version {
			return portal.ErrConflict
		}
		in.NameParts.Prefix, in.NameParts.Community = o.NameParts.Prefix, o.NameParts.Community
		if o.Tier == registry.TierRegistered {
			oldID, _ := box.Open(cur.idEnc, "leader_id")
			if registeredParticularChanged(o, in, oldID) {
				return registry.ErrRegisteredParticular
			}
		}
		phoneEnc, idEnc := cur.phoneEnc, cur.idEnc
		phoneMask, idMask := o.LeaderPhone, o.LeaderID
		changed = changedFields(o, in)
		if in.LeaderPhone != "" {
			old, err := box.Open(cur.phoneEnc, "leader_phone")
			if err != nil || old != in.LeaderPhone {
				changed = append(changed, "负责人电话")
				phoneEnc, phoneMask = box.Seal(in.LeaderPhone, "leader_phone"), rules.MaskPhone(in.LeaderPhone)
			}
		}
		if in.LeaderID != "" {
			old, err := box.Open(cur.idEnc, "leader_id")
			if err != nil || old != in.LeaderID {
				changed = append(changed, "负责人身份证号")
				idEnc, idMask = box.Seal(in.LeaderID, "leader_id"), maskID(in.LeaderID)
			}
		}
		if len(changed) == 0 {
			return nil
		}
		if in.PartyStatus == "" {
			in.PartyStatus = o.PartyStatus
		}
		_, err = tx.Exec(ctx, `
			UPDATE organizations SET name = @name, name_zihao = @zihao, name_field = @field, name_form = @form,
				fields = @fields, nature = @nature, beneficiaries = @beneficiaries, founded_on = @founded_on,
				leader_name = @leader_name, leader_phone_enc = @phone_enc, leader_phone_mask = @phone_mask,
				leader_id_enc = @id_enc, leader_id_mask = @id_mask, venue = @venue, charter = @charter,
				members = @members, volunteers = @volunteers, funding = @funding, guide_unit = @guide_unit,
				party_status = @party_status, party_members = @party_members, incubation = @incubation,
				publish_contact = @publish_contact, updated_at = now(), version = version + 1
			WHERE id = @id`,
			namedArgs{"id": id, "name": rules.ComposeName(in.NameParts), "zihao": in.NameParts.Zihao,
				"field": in.NameParts.Field, "form": in.NameParts.Form, "fields": nonNil(in.Fields),
				"nature": in.Nature, "beneficiaries": nonNil(in.Beneficiaries), "founded_on": in.FoundedOn,
				"leader_name": in.LeaderName, "phone_enc": phoneEnc, "phone_mask": phoneMask, "id_enc": idEnc,
				"id_mask": idMask, "venue": in.Venue, "charter": in.Charter, "members": in.Members,
				"volunteers": in.Volunteers, "funding": in.Funding, "guide_unit": in.GuideUnit,
				"party_status": in.PartyStatus, "party_members": in.PartyMembers, "incubation": in.Incubation,
				"publish_contact": in.PublishContact})
		if err != nil {
			return err
		}
		what := strings.Join(changed, "、")
		if err := insertEvent(ctx, tx, actor, id, o.CommunityCode, "updated", "", "", what); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.update", ObjectType: "organization",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: what})
	})
	if err != nil {
		return nil, translate(err)
	}
	return changed, nil
}

// changedFields names, in the words of the form, the fields in that differ from o (leader phone and ID aside:
// they are sealed, and the caller compares them opened).
func changedFields(o registry.Organization, in registry.OrgInput) []string {
	var out []string
	add := func(differs bool, label string) {
		if differs {
			out = append(out, label)
		}
	}
	add(rules.ComposeName(in.NameParts) != o.Name, "名称")
	add(!slices.Equal(nonNil(in.Fields), nonNil(o.Fields)), "服务领域")
	add(in.Nature != o.Nature, "性质")
	add(!slices.Equal(nonNil(in.Beneficiaries), nonNil(o.Beneficiaries)), "服务对象")
	add(!sameDate(in.FoundedOn, o.FoundedOn), "成立日期")
	add(in.LeaderName != o.LeaderName, "负责人姓名")
	add(in.Venue != o.Venue, "活动场所")
	add(in.Charter != o.Charter, "简易章程")
	add(in.Members != o.Members, "成员人数")
	add(in.Volunteers != o.Volunteers, "志愿者人数")
	add(in.Funding != o.Funding, "活动资金来源")
	add(in.GuideUnit != o.GuideUnit, "指导单位")
	add(in.PartyStatus != "" && in.PartyStatus != o.PartyStatus, "党组织")
	add(in.PartyMembers != o.PartyMembers, "党员人数")
	add(in.Incubation != o.Incubation, "孵化基地")
	add(in.PublishContact != o.PublishContact, "公开负责人")
	return out
}

// sameDate compares two optional calendar dates (a date column comes back at midnight UTC).
func sameDate(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// ChangeOrgStatus moves an organization inside scope to status to as of on, with a timeline row (from → to and
// the reason) and an audit row. version is the one the clerk saw: a different one is ErrConflict. Bringing a
// dissolved group back to life fails with ErrNameTaken when a live group has taken its name since.
func (db *DB) ChangeOrgStatus(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, to registry.Status, on time.Time, reason string) error {
	if !to.Valid() {
		return portal.ErrNotAllow
	}
	if to != registry.StatusNormal && strings.TrimSpace(reason) == "" {
		return registry.ErrReasonRequired
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := lockOrganization(ctx, tx, scope, id)
		if err != nil {
			return err
		}
		o := cur.org
		if rights := registry.RightsOn(scope, o); !rights.ChangeStatus && !(rights.End && to == registry.StatusDissolved) {
			return portal.ErrNotAllow
		}
		if o.Version != version || o.Status == to {
			return portal.ErrConflict
		}
		if _, err := tx.Exec(ctx, `
			UPDATE organizations SET status = @status, status_on = @on, status_reason = @reason,
				updated_at = now(), version = version + 1
			WHERE id = @id`,
			namedArgs{"id": id, "status": string(to), "on": on, "reason": reason}); err != nil {
			return err
		}
		if err := insertEvent(ctx, tx, actor, id, o.CommunityCode, "status_changed", string(o.Status), string(to),
			reason); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.status", ObjectType: "organization",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: string(o.Status) + " → " + string(to)})
	})
	return translate(err)
}

// RevealLeader opens the leader's full phone number and 身份证号 for a scope allowed to see them, and records
// who looked, at what and why in the audit log, in the same transaction (SECURITY.md 15, 19).
func (db *DB) RevealLeader(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, reason string) (phone, idNumber string, err error) {
	box := db.box
	if strings.TrimSpace(reason) == "" {
		return "", "", registry.ErrReasonRequired
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var phoneEnc, idEnc []byte
		var tier string
		err := tx.QueryRow(ctx, `SELECT o.tier, o.leader_phone_enc, o.leader_id_enc FROM organizations o
			WHERE o.id = @id AND `+scopeOn("o"), scopeArgs(scope, namedArgs{"id": id})).Scan(&tier, &phoneEnc, &idEnc)
		if err != nil {
			return err
		}
		if !registry.RightsOn(scope, registry.Organization{Tier: registry.Tier(tier)}).Reveal {
			return portal.ErrNotFound // a tier that may not reveal is not offered the action at all
		}
		if phone, err = box.Open(phoneEnc, "leader_phone"); err != nil {
			return err
		}
		if idNumber, err = box.Open(idEnc, "leader_id"); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.reveal", ObjectType: "organization",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: "查看负责人完整信息：" + reason})
	})
	if err != nil {
		return "", "", translate(err)
	}
	return phone, idNumber, nil
}

// OrgLoad is one organization of a bulk load (the demo data, an import): its input and the standing it
// arrives with.
type OrgLoad struct {
	registry.OrgInput
	Status       registry.Status // "" or normal for a live group
	StatusOn     *time.Time
	StatusReason string
}

// LoadOrganizations inserts orgs inside scope in one transaction, through insertOrganization so that phones and
// 身份证号 are sealed, with timeline rows for each 备案, 登记 and status, and one audit row for the batch.
func (db *DB) LoadOrganizations(ctx context.Context, scope portal.Scope, actor portal.Actor, orgs []OrgLoad) error {
	box := db.box
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		for _, l := range orgs {
			id, err := insertOrganization(ctx, tx, box, scope, actor, l.OrgInput)
			if err != nil {
				return err
			}
			switch {
			case l.FilingNo != "":
				err = insertEvent(ctx, tx, actor, id, l.CommunityCode, "filed", "", l.FilingNo, "")
			case l.USCC != "":
				err = insertEvent(ctx, tx, actor, id, l.CommunityCode, "registered", "", l.USCC, "")
			}
			if err != nil {
				return err
			}
			if l.Status == "" || l.Status == registry.StatusNormal {
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE organizations SET status = @status, status_on = @on,
				status_reason = @reason, version = version + 1 WHERE id = @id`,
				namedArgs{"id": id, "status": string(l.Status), "on": l.StatusOn, "reason": l.StatusReason}); err != nil {
				return err
			}
			if err := insertEvent(ctx, tx, actor, id, l.CommunityCode, "status_changed", string(registry.StatusNormal),
				string(l.Status), l.StatusReason); err != nil {
				return err
			}
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.load", ObjectType: "organization",
			Result: portal.ResultOK, Detail: strconv.Itoa(len(orgs)) + " rows"})
	})
	return translate(err)
}

// CommunityPlace is the place of a community inside scope; anything else is ErrNotFound.
func (db *DB) CommunityPlace(ctx context.Context, scope portal.Scope, code string) (registry.Place, error) {
	var p registry.Place
	if !scope.Covers(code) || portal.LevelOfCode(code) != portal.TierCommunity {
		return p, portal.ErrNotFound
	}
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT d.name, t.name, c.name
		FROM divisions c JOIN divisions t ON t.code = c.parent_code JOIN divisions d ON d.code = t.parent_code
		WHERE c.code = $1 AND c.level = 'community'`, code).Scan(&p.DistrictName, &p.TownName, &p.CommunityName)
	return p, translate(err)
}
