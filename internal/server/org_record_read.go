package server

import (
	"context"
	"net/http"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// orgRecordReader reads at once what a record page shows of one group (postgres.DB.OrgRecord).
type orgRecordReader interface {
	OrgRecord(ctx context.Context, scope portal.Scope, id int64, filings bool) (registry.OrgRecord, error)
}

// readRecord is the record page's store for one request: the group of the path, its timeline, filings,
// latest 评估评议, projects, 三会一课, 联系人 and 慈善 decisions read in one round trip, and served from memory to
// the helpers that build the page (orgDetail, orgLinks, partyMeetingsOn, orgContactsOn, charityOn), which ask
// for them one by one. Reads of another group or
// scope, and reads it holds nothing for, go to the store itself.
type readRecord struct {
	orgShower
	scope portal.Scope
	rec   registry.OrgRecord
}

// prefetchRecord reads the record of the path's group for account a; a group outside a's scope (or a bad id)
// is ErrNotFound, as Organization says it.
func prefetchRecord(r *http.Request, db interface {
	orgShower
	orgRecordReader
}, a *portal.Account) (*readRecord, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return nil, portal.ErrNotFound
	}
	rec, err := db.OrgRecord(r.Context(), a.Scope(), id, portal.Allowed(*a, portal.ViewFilings))
	if err != nil {
		return nil, err
	}
	return &readRecord{orgShower: db, scope: a.Scope(), rec: rec}, nil
}

func (p *readRecord) holds(scope portal.Scope, id int64) bool {
	return scope == p.scope && id == p.rec.Org.ID
}

func (p *readRecord) Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error) {
	if p.holds(scope, id) {
		return p.rec.Org, nil
	}
	return p.orgShower.Organization(ctx, scope, id)
}

func (p *readRecord) OrgEvents(ctx context.Context, scope portal.Scope, id int64) ([]registry.Event, error) {
	if p.holds(scope, id) {
		return p.rec.Events, nil
	}
	return p.orgShower.OrgEvents(ctx, scope, id)
}

func (p *readRecord) OrgFilings(ctx context.Context, scope portal.Scope, id int64) ([]registry.OrgFiling, error) {
	if p.holds(scope, id) && p.rec.FilingsRead {
		return p.rec.Filings, nil
	}
	return p.orgShower.OrgFilings(ctx, scope, id)
}

func (p *readRecord) LatestEvaluation(ctx context.Context, scope portal.Scope, id int64) (registry.OrgEvaluation, bool, error) {
	if p.holds(scope, id) {
		return p.rec.Evaluation, p.rec.Evaluated, nil
	}
	return p.orgShower.LatestEvaluation(ctx, scope, id)
}

func (p *readRecord) OrgProjects(ctx context.Context, scope portal.Scope, id int64, brands bool) ([]registry.Project, error) {
	if p.holds(scope, id) && !brands {
		return p.rec.Projects, nil
	}
	return p.orgShower.OrgProjects(ctx, scope, id, brands)
}

func (p *readRecord) OrgContacts(ctx context.Context, scope portal.Scope, id int64) ([]registry.OrgContact, error) {
	if p.holds(scope, id) {
		return p.rec.Contacts, nil
	}
	return p.orgShower.OrgContacts(ctx, scope, id)
}

func (p *readRecord) CharityRecognitions(ctx context.Context, scope portal.Scope, id int64) ([]registry.CharityRecognition, error) {
	if p.holds(scope, id) {
		return p.rec.Charities, nil
	}
	return p.orgShower.CharityRecognitions(ctx, scope, id)
}

func (p *readRecord) PartyMeetings(ctx context.Context, scope portal.Scope, id int64) ([]registry.PartyMeeting, error) {
	if p.holds(scope, id) {
		return p.rec.Meetings, nil
	}
	return p.orgShower.PartyMeetings(ctx, scope, id)
}
