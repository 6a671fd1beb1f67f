package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// PublicProfile is everything a group's public profile shows — the group (PublicOrganization), its published
// 典型案例 (up to cases), its public photos, its disclosures and its brand projects — in one batch of statements
// that keep their plans: one round trip on one connection. An id outside scope is ErrNotFound.
func (db *DB) PublicProfile(ctx context.Context, scope portal.Scope, id int64, cases int) (registry.PublicProfile, error) {
	var p registry.PublicProfile
	if err := checkScope(scope); err != nil {
		return p, err
	}
	b := &pgx.Batch{}
	queuePublicOrganization(b, scope, id, &p.Org, &p.Photos)
	queuePublishedCases(b, scope, id, nil, cases, &p.Cases)
	queueOrgDisclosures(b, scope, id, &p.Disclosures)
	queueOrgProjects(b, scope, id, true, &p.Brands)
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
