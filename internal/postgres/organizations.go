package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/sealbox"
)

// orgScope is the jurisdiction test that every query on organizations includes, with the arguments scopeArgs
// adds. The pool plans each execution with its own values (plan_cache_mode=force_custom_plan), so the one
// clause that applies becomes an indexed equality and the others fold away.
const orgScope = `(@scope_tier <> 'district' OR o.district_code = @scope_div)
	AND (@scope_tier <> 'town' OR o.town_code = @scope_div)
	AND (@scope_tier <> 'community' OR o.community_code = @scope_div)`

// scopeArgs adds the scope's arguments for orgScope to args.
func scopeArgs(s portal.Scope, args pgx.NamedArgs) pgx.NamedArgs {
	if args == nil {
		args = pgx.NamedArgs{}
	}
	args["scope_tier"] = string(s.Tier)
	args["scope_div"] = s.Division
	return args
}

// OrgInput is what a form or an import gives to create an organization. Leader phone and ID arrive in plain
// text, already validated; they are sealed and masked here and never stored in the clear.
type OrgInput struct {
	CommunityCode  string
	Tier           registry.Tier
	LegalForm      rules.LegalForm
	NameParts      rules.NameParts
	USCC           string
	FilingNo       string
	Fields         []string
	Nature         string
	Beneficiaries  []string
	FoundedOn      *time.Time
	LeaderName     string
	LeaderPhone    string
	LeaderID       string
	Venue          string
	Charter        string
	Members        int
	Volunteers     int
	Funding        string
	GuideUnit      string
	PartyStatus    string
	PartyMembers   int
	Incubation     string
	PublishContact bool
	Demo           bool
}

// ErrNameTaken says a live organization in the district already has this name.
var ErrNameTaken = &UniqueError{Constraint: "organizations_live_name_key"}

// insertOrganization creates an organization inside tx with its first timeline row ("created"). The community
// must lie inside scope; the district and town codes are taken from the community's own code, never from input.
func insertOrganization(ctx context.Context, tx pgx.Tx, box *sealbox.Box, scope portal.Scope, actor portal.Actor, in OrgInput) (int64, error) {
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
		pgx.NamedArgs{
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
		pgx.NamedArgs{"org_id": orgID, "community": community, "actor_id": actorID, "actor_name": actor.Username,
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
