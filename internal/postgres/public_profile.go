package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// PublicProfile is everything a group's public profile shows — the group (PublicOrganization), its published
// 典型案例 (up to cases), its public photos, its disclosures and its brand projects — in statements that keep
// their plans. The group's row says which of the last three sections may hold rows (profileSections), and only
// those are read, in a second round trip: most groups have none, and the three statements that found nothing
// were a third of PostgreSQL's CPU on a profile (0.19-0.22 ms with them, 0.13-0.14 without, over 1,000 groups
// of the bench data). An id outside scope is ErrNotFound.
func (db *DB) PublicProfile(ctx context.Context, scope portal.Scope, id int64, cases int) (registry.PublicProfile, error) {
	p := registry.PublicProfile{Cases: []registry.Case{}, Brands: []registry.Project{}} // as the statements read none
	if err := checkScope(scope); err != nil {
		return p, err
	}
	var has profileSections
	b := &pgx.Batch{}
	queuePublicOrganization(b, scope, id, &p.Org, &p.Photos, &has)
	if err := db.send(ctx, planKept, b); err != nil || has == (profileSections{}) {
		return p, err
	}
	b = &pgx.Batch{}
	if has.cases {
		queuePublishedCases(b, scope, id, nil, cases, &p.Cases)
	}
	if has.disclosures {
		queueOrgDisclosures(b, scope, id, &p.Disclosures)
	}
	if has.brands {
		queueOrgProjects(b, scope, id, true, &p.Brands)
	}
	return p, db.send(ctx, planKept, b)
}

// OrgRecord is what a signed-in record page reads of group id inside scope — the group, its timeline, its
// filings (when filings is true), its latest 评估评议, its service projects, its 三会一课, its 联系人 and its
// 慈善组织认定 decisions — in one round trip,
// each statement as its own method has it. An id outside scope is ErrNotFound.
func (db *DB) OrgRecord(ctx context.Context, scope portal.Scope, id int64, filings bool) (registry.OrgRecord, error) {
	r := registry.OrgRecord{FilingsRead: filings}
	b := &pgx.Batch{}
	queueOrganization(b, scope, id, &r.Org)
	queueOrgEvents(b, scope, id, &r.Events)
	if filings {
		queueOrgFilings(b, scope, id, &r.Filings)
	}
	queueLatestEvaluation(b, scope, id, &r.Evaluation, &r.Evaluated)
	queueOrgProjects(b, scope, id, false, &r.Projects)
	queuePartyMeetings(b, scope, id, &r.Meetings)
	queueOrgContacts(b, scope, id, &r.Contacts)
	queueCharityRecognitions(b, scope, id, &r.Charities)
	return r, db.send(ctx, planKept, b)
}
