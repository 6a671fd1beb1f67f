package postgres

// Guided → filed on the same record (issue 13): a 成立备案 of a group the committee already records moves that
// record up a tier when approved, so the kept counts move it from guided to filed instead of counting it twice.

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/sealbox"
)

// insertFiledOrganization creates the organization of an approved 成立备案 of a new group, with number no.
func insertFiledOrganization(ctx context.Context, tx pgx.Tx, box *sealbox.Box, scope portal.Scope, actor portal.Actor, f sealedFiling, no string) (int64, error) {
	phone, err := box.Open(f.phoneEnc, "leader_phone")
	if err != nil {
		return 0, err
	}
	idNo, err := box.Open(f.idEnc, "leader_id")
	if err != nil {
		return 0, err
	}
	return insertOrganization(ctx, tx, box, scope, actor, registry.OrgInput{
		CommunityCode: f.CommunityCode, Tier: registry.TierFiled, LegalForm: rules.FormUnregistered,
		NameParts: f.NameParts, FilingNo: no, Fields: f.Fields, Nature: f.Nature,
		Beneficiaries: f.Beneficiaries, FoundedOn: f.FoundedOn, LeaderName: f.LeaderName,
		LeaderPhone: phone, LeaderID: idNo, Venue: f.Venue, Charter: f.Charter, Members: f.Members,
		Volunteers: f.Volunteers, Funding: f.Funding, GuideUnit: f.GuideUnit, PartyStatus: f.PartyStatus,
		PartyMembers: f.PartyMembers, PublishContact: f.PublishContact})
}

// fileGuidedRecord moves the guided group f names up to 镇街备案 with number no: the record keeps its id, its
// history and everything filed about it, and takes the filing's particulars (name, leader, sealed phone and
// 身份证号 as the filing sealed them, venue, members …). A record no longer a live guided group of the filing's
// community is ErrNotGuided (the caller's transaction then writes nothing). The timeline gets tier_changed.
func fileGuidedRecord(ctx context.Context, tx pgx.Tx, scope portal.Scope, actor portal.Actor, f registry.Filing, no string) error {
	cur, err := lockOrganization(ctx, tx, scope, f.GuidedOrgID)
	if err != nil {
		return err
	}
	o := cur.org
	if o.Tier != registry.TierGuided || !o.Status.Live() || o.CommunityCode != f.CommunityCode {
		return registry.ErrNotGuided
	}
	if _, err := tx.Exec(ctx, `
		UPDATE organizations o SET tier = 'filed', legal_form = @legal_form, filing_no = @no, name = f.name,
			name_prefix = f.name_prefix, name_community = f.name_community, name_zihao = f.name_zihao,
			name_field = f.name_field, name_form = f.name_form, fields = f.fields, nature = f.nature,
			beneficiaries = f.beneficiaries, founded_on = f.founded_on, leader_name = f.leader_name,
			leader_phone_enc = f.leader_phone_enc, leader_phone_mask = f.leader_phone_mask,
			leader_id_enc = f.leader_id_enc, leader_id_mask = f.leader_id_mask, venue = f.venue,
			charter = f.charter, members = f.members, volunteers = f.volunteers, funding = f.funding,
			guide_unit = f.guide_unit, party_status = f.party_status, party_members = f.party_members,
			publish_contact = f.publish_contact, updated_at = now(), version = o.version + 1
		FROM filings f
		WHERE f.id = @filing AND o.id = @org`,
		namedArgs{"filing": f.ID, "org": o.ID, "no": no,
			"legal_form": string(rules.FormUnregistered)}); err != nil {
		return err
	}
	return insertEvent(ctx, tx, actor, o.ID, o.CommunityCode, "tier_changed", string(registry.TierGuided),
		string(registry.TierFiled), "成立备案第 "+strconv.FormatInt(f.ID, 10)+" 号准予备案，沿用原村居指导档案")
}
