package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/testdb"
)

// TestPageRowsReadAsScanReadsThem: every column a list page decodes by hand (scanPage) comes out as pgx's
// Scan gives it to the record page, over the demo data — organizations with and without a founding date, with
// no 服务领域 and with several, and activity reports with their dates and numbers.
func TestPageRowsReadAsScanReadsThem(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET fields = '{}', founded_on = NULL
		WHERE id IN (SELECT id FROM organizations ORDER BY id LIMIT 3)`); err != nil {
		t.Fatal(err)
	}
	rows, err := db.ListOrganizations(ctx, district, registry.OrgFilter{}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var undated, dated, noFields, severalFields int
	for _, r := range rows {
		rec, err := db.Organization(ctx, district, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		founded := rec.FoundedOn != nil && rec.FoundedOn.Equal(r.FoundedOn) || rec.FoundedOn == nil && r.FoundedOn.IsZero()
		if r.Name != rec.Name || r.Tier != rec.Tier || r.LegalForm != rec.LegalForm || r.Status != rec.Status ||
			r.TownCode != rec.TownCode || r.CommunityCode != rec.CommunityCode || r.TownName != rec.TownName ||
			r.CommunityName != rec.CommunityName || !slices.Equal(r.Fields, rec.Fields) ||
			r.LeaderName != rec.LeaderName || r.LeaderPhone != rec.LeaderPhone || !founded {
			t.Errorf("organization %d:\nlist   %+v\nrecord %+v", r.ID, r, rec)
		}
		if rec.FoundedOn == nil {
			undated++
		} else {
			dated++
		}
		switch {
		case len(r.Fields) == 0:
			noFields++
		case len(r.Fields) > 1:
			severalFields++
		}
	}
	if len(rows) < 100 || undated == 0 || dated == 0 || noFields == 0 || severalFields == 0 {
		t.Fatalf("%d organizations (%d undated, %d dated, %d without 服务领域, %d with several): the demo data "+
			"no longer covers every case", len(rows), undated, dated, noFields, severalFields)
	}

	reports, err := db.ListActivityReports(ctx, district, registry.ReportFilter{}, registry.ReportCursor{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) < 50 {
		t.Fatalf("%d reports in the demo data", len(reports))
	}
	for _, r := range reports {
		rec, err := db.ActivityReport(ctx, district, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.ReportNo != rec.ReportNo || r.Revision != rec.Revision || (r.SupersededAt == nil) != (rec.SupersededAt == nil) ||
			r.OrgID != rec.OrgID || r.OrgName != rec.OrgName || r.TownCode != rec.TownCode ||
			r.CommunityCode != rec.CommunityCode || !r.ActivityDate.Equal(rec.ActivityDate) ||
			r.ActivityDate.Location() != rec.ActivityDate.Location() || r.Title != rec.Title ||
			r.Series != rec.Series || r.Category != rec.Category || r.Participants != rec.Participants ||
			r.Volunteers != rec.Volunteers || r.VolunteerTenths != rec.VolunteerTenths ||
			r.BeneficiariesTotal != rec.BeneficiariesTotal || r.TownName != rec.TownName ||
			r.CommunityName != rec.CommunityName {
			t.Errorf("report %d:\nlist   %+v\nrecord %+v", r.ID, r, rec)
		}
	}
}

// A page whose request goes away at any moment — before, during or after its statements — returns an error or
// its rows, never panics, and leaves every connection to the next request. (A statement cut off before its
// first row has no field descriptions; reading them anyway panicked inside pgx's batch and kept the
// connection, and a few such requests at the end of a load test hung the portal.)
func TestCancelledPagesLeaveThePoolsWhole(t *testing.T) {
	db := testdb.New(t)
	done := make(chan error, 1)
	go func() {
		for i := range 300 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i%100)*20*time.Microsecond)
			_, _ = db.ListOrganizationsPage(ctx, district, registry.OrgFilter{}, 0, 51)
			_, _ = db.ListActivityReportsPage(ctx, district, registry.ReportFilter{}, registry.ReportCursor{}, 51)
			cancel()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for range 20 { // more than either pool holds
			if _, err := db.ListOrganizationsPage(ctx, district, registry.OrgFilter{}, 0, 51); err != nil {
				done <- err
				return
			}
			if _, err := db.ListActivityReportsPage(ctx, district, registry.ReportFilter{}, registry.ReportCursor{}, 51); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("after cancelled pages: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("cancelled pages left the pools without a free connection: still waiting after a minute")
	}
}
