package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

var (
	repCommunityA = portal.Scope{Tier: portal.TierCommunity, Division: seed.CommunityDemo}
	repCommunityB = portal.Scope{Tier: portal.TierCommunity, Division: seed.CommunityDemoRural}
	repActor      = portal.Actor{Username: "test", IP: "127.0.0.1"}
)

func repInput(org int64, day time.Time) registry.ReportInput {
	return registry.ReportInput{OrgID: org, ActivityDate: day, Title: "测试活动", Place: "活动室", Series: "邻里守望",
		Category: "走访慰问", Participants: 20, Volunteers: 5, VolunteerTenths: 125,
		Beneficiaries: map[string]int{"空巢老人": 7, "困境儿童": 2}, Description: "测试"}
}

func repGroup(t *testing.T, db *postgres.DB, scope portal.Scope) int64 {
	t.Helper()
	gs, err := db.ReportGroups(context.Background(), scope)
	if err != nil || len(gs) == 0 {
		t.Fatalf("groups of %s: %v %v", scope.Division, gs, err)
	}
	return gs[0].ID
}

func repIDs(rs []registry.ActivityReport) map[int64]bool {
	m := map[int64]bool{}
	for _, r := range rs {
		m[r.ID] = true
	}
	return m
}

// Reports take their jurisdiction from their group; every read is bounded by the caller's scope; a correction
// keeps the old revision as history and two corrections of one revision cannot both win.
func TestActivityReportScopeAndRevisions(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	orgA, orgB := repGroup(t, db, repCommunityA), repGroup(t, db, repCommunityB)
	day := time.Date(2025, 3, 8, 0, 0, 0, 0, time.UTC)

	if _, err := db.CreateActivityReport(ctx, repCommunityA, repActor, repInput(orgB, day), nil); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a group of another community: want ErrNotFound, got %v", err)
	}
	if _, err := db.CreateActivityReport(ctx, townA, repActor, repInput(orgA, day), nil); !errors.Is(err, portal.ErrNotAllow) {
		t.Fatalf("a town filing: want ErrNotAllow, got %v", err)
	}
	id, err := db.CreateActivityReport(ctx, repCommunityA, repActor, repInput(orgA, day), []registry.ReportPhotoInput{{
		ContentType: "image/png", Size: 10, Width: 2, Height: 2, StorageKey: "0123456789abcdef0123456789abcdef",
		ThumbKey: "fedcba9876543210fedcba9876543210", ThumbType: "image/jpeg", SHA256: "x"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.ActivityReport(ctx, townA, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.CommunityCode != seed.CommunityDemo || r.TownCode != seed.TownShuanglonghu || r.BeneficiariesTotal != 9 ||
		r.VolunteerTenths != 125 || r.Beneficiaries["空巢老人"] != 7 || r.Revision != 1 || !r.Current() {
		t.Fatalf("stored report: %+v", r)
	}
	for _, s := range []portal.Scope{townB, repCommunityB} {
		if _, err := db.ActivityReport(ctx, s, id); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("%s reads another jurisdiction's report: %v", s.Division, err)
		}
		if ps, err := db.ReportPhotos(ctx, s, id); err != nil || len(ps) != 0 {
			t.Errorf("%s sees photos of another jurisdiction: %v %v", s.Division, ps, err)
		}
		rs, err := db.ListActivityReports(ctx, s, registry.ReportFilter{}, registry.ReportCursor{}, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if repIDs(rs)[id] {
			t.Errorf("%s lists another jurisdiction's report", s.Division)
		}
	}
	if _, err := db.ReportPhoto(ctx, townA, id, 1<<40); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("a missing photo: %v", err)
	}

	newID, err := db.CorrectActivityReport(ctx, repCommunityA, repActor, id, r.Version, "更正人数", repInput(orgA, day), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CorrectActivityReport(ctx, repCommunityA, repActor, id, r.Version, "再次更正", repInput(orgA, day), nil, nil); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("a stale correction: want ErrConflict, got %v", err)
	}
	if _, err := db.CorrectActivityReport(ctx, repCommunityB, repActor, newID, 1, "越权", repInput(orgB, day), nil, nil); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a correction from another community: want ErrNotFound, got %v", err)
	}
	revs, err := db.ReportRevisions(ctx, district, r.ReportNo)
	if err != nil || len(revs) != 2 || revs[0].ID != id || revs[0].Current() || *revs[0].SupersededBy != newID ||
		revs[1].ID != newID || !revs[1].Current() || revs[1].Revision != 2 {
		t.Fatalf("revisions: %+v %v", revs, err)
	}
	rs, err := db.ListActivityReports(ctx, townA, registry.ReportFilter{OrgID: orgA}, registry.ReportCursor{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if ids := repIDs(rs); ids[id] || !ids[newID] {
		t.Errorf("the list should show the current revision only: %v", ids)
	}
	// List rows carry their town's and community's names (from the division cache), as the report itself does.
	for _, row := range rs {
		if row.TownName != r.TownName || row.CommunityName != r.CommunityName || row.TownName == "" || row.CommunityName == "" {
			t.Errorf("list row %d names %q %q, the report %q %q", row.ID, row.TownName, row.CommunityName,
				r.TownName, r.CommunityName)
		}
	}
	var audits int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('report.create', 'report.correct')`).
		Scan(&audits); err != nil || audits != 2 {
		t.Errorf("audit rows: %d %v", audits, err)
	}
}

// Keyset pages walk a group's history newest activity first, each report once, whatever the page size.
func TestActivityReportKeysetPages(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	org := repGroup(t, db, repCommunityA)
	var loads []postgres.ReportLoad
	for i := range 130 {
		// Many reports share a day, so the id must break ties.
		in := repInput(org, time.Date(2022, 1, 1+i/3, 0, 0, 0, 0, time.UTC))
		loads = append(loads, postgres.ReportLoad{ReportInput: in, SubmittedAt: time.Now()})
	}
	if err := db.LoadActivityReports(ctx, district, repActor, loads); err != nil {
		t.Fatal(err)
	}
	var want int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM activity_reports WHERE org_id = $1 AND superseded_at IS NULL`, org).
		Scan(&want); err != nil {
		t.Fatal(err)
	}
	f := registry.ReportFilter{OrgID: org}
	seen := map[int64]bool{}
	var cur registry.ReportCursor
	var prev *registry.ActivityReport
	for {
		page, err := db.ListActivityReports(ctx, townA, f, cur, 50)
		if err != nil {
			t.Fatal(err)
		}
		for i := range page {
			r := page[i]
			if seen[r.ID] {
				t.Fatalf("report %d listed twice", r.ID)
			}
			seen[r.ID] = true
			if prev != nil && (r.ActivityDate.After(prev.ActivityDate) || r.ActivityDate.Equal(prev.ActivityDate) && r.ID > prev.ID) {
				t.Fatalf("out of order: %v/%d after %v/%d", r.ActivityDate, r.ID, prev.ActivityDate, prev.ID)
			}
			prev = &r
		}
		if len(page) < 50 {
			break
		}
		cur = registry.ReportCursor{Date: page[len(page)-1].ActivityDate, ID: page[len(page)-1].ID}
	}
	if len(seen) != want || want < 130 {
		t.Fatalf("paged %d reports, want %d", len(seen), want)
	}
	from, to := time.Date(2022, 1, 5, 0, 0, 0, 0, time.UTC), time.Date(2022, 1, 6, 0, 0, 0, 0, time.UTC)
	rs, err := db.ListActivityReports(ctx, repCommunityA, registry.ReportFilter{OrgID: org, From: &from, To: &to,
		Series: "邻里守望"}, registry.ReportCursor{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.ActivityDate.Before(from) || r.ActivityDate.After(to) {
			t.Errorf("period filter let through %v", r.ActivityDate)
		}
	}
	if len(rs) < 6 {
		t.Errorf("period filter found %d reports, want at least 6", len(rs))
	}
	plan, err := db.ExplainListActivityReports(ctx, townA, registry.ReportFilter{}, registry.ReportCursor{}, 51)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(plan)
}
