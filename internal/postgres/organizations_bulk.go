package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/sealbox"
)

// insertOrganizations creates many organizations inside tx as insertOrganization does one — every community
// inside scope, codes taken from the community, personal data sealed and masked, a 'created' timeline row
// each — but with COPY into a temporary table and an INSERT … SELECT per bulkChunk rows, so that a 100,000-row
// import is a few dozen statements for PostgreSQL (and for the statement-level triggers that keep the counts)
// instead of 200,000. After each chunk progress is told how many rows are in (nil: not told).
func insertOrganizations(ctx context.Context, tx pgx.Tx, box *sealbox.Box, scope portal.Scope, actor portal.Actor, ins []registry.OrgInput, progress func(done int)) (int, error) {
	for i, in := range ins {
		if !scope.Covers(in.CommunityCode) || portal.LevelOfCode(in.CommunityCode) != portal.TierCommunity {
			return 0, fmt.Errorf("row %d: %w", i+1, portal.ErrNotFound)
		}
	}
	// The staging table has the organizations' column types and none of their constraints; the INSERT below
	// meets every constraint of the real table.
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE org_bulk ON COMMIT DROP AS
		SELECT 0 AS n, community_code, district_code, town_code, tier, legal_form, name, name_prefix, name_community,
			name_zihao, name_field, name_form, fields, nature, beneficiaries, founded_on, leader_name,
			leader_phone_enc, leader_phone_mask, leader_id_enc, leader_id_mask, venue, charter, members, volunteers,
			funding, guide_unit, party_status, party_members, incubation, publish_contact, demo, created_by
		FROM organizations WITH NO DATA`); err != nil {
		return 0, err
	}
	columns := []string{"n", "community_code", "district_code", "town_code", "tier", "legal_form", "name", "name_prefix",
		"name_community", "name_zihao", "name_field", "name_form", "fields", "nature", "beneficiaries", "founded_on",
		"leader_name", "leader_phone_enc", "leader_phone_mask", "leader_id_enc", "leader_id_mask", "venue", "charter",
		"members", "volunteers", "funding", "guide_unit", "party_status", "party_members", "incubation",
		"publish_contact", "demo", "created_by"}
	var actorID *int64
	if actor.AccountID != 0 {
		actorID = &actor.AccountID
	}
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(ins) {
			return nil, nil
		}
		in := ins[i]
		i++
		if in.PartyStatus == "" {
			in.PartyStatus = "未覆盖"
		}
		return []any{i, in.CommunityCode, in.CommunityCode[:6], in.CommunityCode[:9], string(in.Tier), string(in.LegalForm),
			rules.ComposeName(in.NameParts), in.NameParts.Prefix, in.NameParts.Community, in.NameParts.Zihao,
			in.NameParts.Field, in.NameParts.Form, nonNil(in.Fields), in.Nature, nonNil(in.Beneficiaries), in.FoundedOn,
			in.LeaderName, box.Seal(in.LeaderPhone, "leader_phone"), rules.MaskPhone(in.LeaderPhone),
			box.Seal(in.LeaderID, "leader_id"), maskID(in.LeaderID), in.Venue, in.Charter, in.Members, in.Volunteers,
			in.Funding, in.GuideUnit, in.PartyStatus, in.PartyMembers, in.Incubation, in.PublishContact, in.Demo,
			actorID}, nil
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"org_bulk"}, columns, src); err != nil {
		return 0, translate(err)
	}
	// Each chunk reads its own rows by number rather than scanning the whole staging table again.
	if _, err := tx.Exec(ctx, `CREATE INDEX ON org_bulk (n); ANALYZE org_bulk`); err != nil {
		return 0, err
	}
	// Only communities that exist count; the join drops any other code, and the count check below refuses the
	// whole import rather than leave a row out silently.
	created := 0
	for from := 1; from <= len(ins); from += bulkChunk {
		tag, err := tx.Exec(ctx, `
			WITH created AS (
				INSERT INTO organizations (community_code, district_code, town_code, tier, legal_form, name, name_prefix,
					name_community, name_zihao, name_field, name_form, fields, nature, beneficiaries, founded_on,
					leader_name, leader_phone_enc, leader_phone_mask, leader_id_enc, leader_id_mask, venue, charter,
					members, volunteers, funding, guide_unit, party_status, party_members, incubation, publish_contact,
					demo, created_by)
				SELECT b.community_code, b.district_code, b.town_code, b.tier, b.legal_form, b.name, b.name_prefix,
					b.name_community, b.name_zihao, b.name_field, b.name_form, b.fields, b.nature, b.beneficiaries,
					b.founded_on, b.leader_name, b.leader_phone_enc, b.leader_phone_mask, b.leader_id_enc,
					b.leader_id_mask, b.venue, b.charter, b.members, b.volunteers, b.funding, b.guide_unit,
					b.party_status, b.party_members, b.incubation, b.publish_contact, b.demo, b.created_by
				FROM org_bulk b JOIN divisions d ON d.code = b.community_code AND d.level = 'community'
				WHERE b.n >= @from AND b.n < @to
				ORDER BY b.n
				RETURNING id, community_code, tier)
			INSERT INTO org_events (org_id, community_code, actor_id, actor_name, actor_division, kind, to_value)
			SELECT id, community_code, @actor_id, @actor_name, @actor_division, 'created', tier FROM created`,
			namedArgs{"from": from, "to": from + bulkChunk, "actor_id": actorID, "actor_name": actor.Username,
				"actor_division": actor.Division})
		if err != nil {
			return 0, translate(err)
		}
		created += int(tag.RowsAffected())
		if progress != nil {
			progress(created)
		}
	}
	if created != len(ins) {
		return 0, fmt.Errorf("%d of %d rows name a community that does not exist: %w", len(ins)-created, len(ins), portal.ErrNotFound)
	}
	return len(ins), nil
}

// bulkChunk is how many staged rows one INSERT … SELECT moves: few enough that a clerk watching a 100,000-row
// import sees it advance every second or two, many enough that the statements stay a few dozen.
const bulkChunk = 5000
