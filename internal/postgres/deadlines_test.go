package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// The district's periods start at the defaults, are saved against the version the clerk saw, and a stale
// version writes nothing.
func TestDeadlineSettingsVersioned(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	actor := portal.Actor{Username: "test", Tier: portal.TierDistrict, Division: seed.DistrictCode, IP: "local"}
	s, err := db.DeadlineSettings(ctx, district)
	if err != nil || s.Version != 0 || s.ReviewDays != registry.DefaultReviewDays {
		t.Fatalf("defaults: %+v %v", s, err)
	}
	if err := db.SetDeadlineSettings(ctx, district, actor, registry.DeadlineSettings{ReviewDays: 10, ReportGraceDays: 5}, 0); err != nil {
		t.Fatal(err)
	}
	// A second form read before the first save is stale.
	err = db.SetDeadlineSettings(ctx, district, actor, registry.DeadlineSettings{ReviewDays: 30, ReportGraceDays: 30}, 0)
	if !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("stale insert: %v", err)
	}
	if err := db.SetDeadlineSettings(ctx, district, actor, registry.DeadlineSettings{ReviewDays: 30, ReportGraceDays: 30}, 5); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("stale update: %v", err)
	}
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	s, err = db.DeadlineSettings(ctx, town) // a town reads its district's periods
	if err != nil || s.Version != 1 || s.ReviewDays != 10 || s.ReportGraceDays != 5 {
		t.Fatalf("after save: %+v %v", s, err)
	}
	if err := db.SetDeadlineSettings(ctx, town, actor, s, 1); !errors.Is(err, portal.ErrNotAllow) {
		t.Fatalf("a town set the periods: %v", err)
	}
	var audits int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'deadlines.set'`).Scan(&audits); err != nil || audits != 1 {
		t.Fatalf("audit rows %d %v", audits, err)
	}
}

// The district's due list holds its open applications, oldest first, due a review period after submission;
// a town's holds its open filings and notices; nobody sees another's items.
func TestDueWorkByTierOldestFirst(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	now := time.Now()
	// One open application submitted 40 days ago: overdue at a 20-day review period, and the oldest.
	var oldID int64
	if err := db.Pool.QueryRow(ctx, `
		UPDATE applications SET submitted_at = now() - interval '40 days'
		WHERE id = (SELECT min(id) FROM applications WHERE status IN ('submitted', 'accepted')) RETURNING id`).Scan(&oldID); err != nil {
		t.Fatal(err)
	}
	set := registry.DefaultDeadlines()
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	items, err := db.DueWork(ctx, district, registry.DueWant{Applications: true}, set, now)
	if err != nil || len(items) == 0 {
		t.Fatalf("district items %v %v", items, err)
	}
	if items[0].ID != oldID || !items[0].Overdue(now) {
		t.Fatalf("first item %+v, want application %d overdue", items[0], oldID)
	}
	for i := 1; i < len(items); i++ {
		if items[i].Due.Before(items[i-1].Due) {
			t.Fatalf("not oldest first: %+v", items)
		}
	}
	var open int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM applications WHERE status IN ('submitted', 'accepted')`).Scan(&open); err != nil {
		t.Fatal(err)
	}
	if want := min(open, registry.DueItemsPerKind); len(items) != want {
		t.Fatalf("%d items, want %d", len(items), want)
	}
	// Town 统景镇 sees only its own filings and notices.
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownTongjing}
	items, err = db.DueWork(ctx, town, registry.DueWant{Filings: true, NoticeReviews: true}, set, now)
	if err != nil {
		t.Fatal(err)
	}
	var want int
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM filings WHERE status = 'submitted' AND town_code = $1)
		+ (SELECT count(*) FROM major_activities WHERE status = 'submitted' AND town_code = $1)`, seed.TownTongjing).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if len(items) != want {
		t.Fatalf("town items %d, want %d", len(items), want)
	}
}

// Reports: the missing of the last ended period per division below, from the kept counts, equal to a recount.
func TestDueWorkReportsMatchCoverage(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	now := time.Now()
	set := registry.DefaultDeadlines()
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	items, err := db.DueWork(ctx, town, registry.DueWant{WorkReports: true, DivisionCounts: true}, set, now)
	if err != nil {
		t.Fatal(err)
	}
	p := registry.PeriodOf(now).Prev()
	recount, err := db.RecountReportCoverage(ctx, town, p)
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, r := range recount {
		missing += r.Missing
	}
	got := 0
	for _, it := range items {
		got += it.Count
		if !it.Due.Equal(set.ReportDue(p)) || it.Period != p.Key() {
			t.Fatalf("item %+v", it)
		}
	}
	if got != missing || missing == 0 {
		t.Fatalf("missing %d, recount %d", got, missing)
	}
	// A community's own count, and its evaluations.
	var community string
	if err := db.Pool.QueryRow(ctx, `SELECT division_code FROM accounts WHERE username = 'demo-community'`).Scan(&community); err != nil {
		t.Fatal(err)
	}
	cs := portal.Scope{Tier: portal.TierCommunity, Division: community}
	items, err = db.DueWork(ctx, cs, registry.DueWant{WorkReports: true, Evaluations: true}, set, now)
	if err != nil {
		t.Fatal(err)
	}
	var evalWant int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM organizations o WHERE community_code = $1
		AND status IN ('normal', 'abnormal') AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.org_id = o.id
		AND e.year = $2)`, community, now.In(portal.Beijing).Year()).Scan(&evalWant); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range items {
		if it.Kind == registry.DueEvaluation && it.Due.Equal(registry.EvaluationDue(now.In(portal.Beijing).Year())) {
			found = it.Count == evalWant
		}
	}
	if evalWant > 0 && !found {
		t.Fatalf("community items %+v, want %d not evaluated this year", items, evalWant)
	}
}
