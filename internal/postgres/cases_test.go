package postgres_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/testdb"
)

var (
	caseTownWriter = portal.Actor{Username: "demo-town", Tier: portal.TierTown, Division: noticeTown.Division, IP: "127.0.0.1"}
	caseDistrict   = portal.Actor{Username: "demo-district", Tier: portal.TierDistrict, Division: noticeDistrict.Division, IP: "127.0.0.1"}
)

// caseOrg is a live group of scope.
func caseOrg(t *testing.T, db *postgres.DB, scope portal.Scope) int64 {
	t.Helper()
	orgs, err := db.CaseOrgs(context.Background(), scope)
	if err != nil || len(orgs) == 0 {
		t.Fatalf("no group to write about: %v", err)
	}
	return orgs[0].ID
}

func caseInput(org int64) registry.CaseInput {
	return registry.CaseInput{OrgID: org, Title: "楼栋里的守望人", Series: "邻里守望",
		Story: strings.Repeat("志愿者每周走访独居老人，帮助买菜、陪伴聊天。", 3)}
}

// A town writes a case, the district returns it, the town resubmits, the district publishes it and later takes
// it down: each step moves the version, leaves a history row and an audit row, and only a published case is public.
func TestCaseWorkflow(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	org := caseOrg(t, db, noticeTown)
	id, err := db.CreateCase(ctx, noticeTown, caseTownWriter, caseInput(org), nil)
	if err != nil {
		t.Fatal(err)
	}
	public, err := db.PublicScope(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishedCase(ctx, public, id); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a submitted case is public: %v", err)
	}
	if err := db.DecideCase(ctx, noticeDistrict, caseDistrict, id, 1, registry.CaseReturned, " "); !errors.Is(err, registry.ErrReasonRequired) {
		t.Fatalf("return without reason: %v", err)
	}
	if err := db.DecideCase(ctx, noticeDistrict, caseDistrict, id, 1, registry.CaseReturned, "请补充活动照片"); err != nil {
		t.Fatal(err)
	}
	// the stale version (1) is refused and writes nothing
	if err := db.DecideCase(ctx, noticeDistrict, caseDistrict, id, 1, registry.CasePublished, ""); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("stale version: %v", err)
	}
	// a town may not decide; another town does not see the case
	if err := db.DecideCase(ctx, noticeTown, caseTownWriter, id, 2, registry.CasePublished, ""); !errors.Is(err, portal.ErrNotAllow) {
		t.Fatalf("town decides: %v", err)
	}
	if _, err := db.Case(ctx, noticeTown2, id); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town sees the case: %v", err)
	}
	in := caseInput(org)
	in.Title = "楼栋里的守望人（修改）"
	photo := registry.ReportPhotoInput{ContentType: "image/jpeg", Size: 10, Width: 4, Height: 3,
		StorageKey: strings.Repeat("a", 32), ThumbKey: strings.Repeat("b", 32), ThumbType: "image/jpeg", SHA256: "x"}
	if err := db.ResubmitCase(ctx, noticeTown, caseTownWriter, id, 2, in, []registry.ReportPhotoInput{photo}); err != nil {
		t.Fatal(err)
	}
	if err := db.DecideCase(ctx, noticeDistrict, caseDistrict, id, 3, registry.CasePublished, ""); err != nil {
		t.Fatal(err)
	}
	c, err := db.PublishedCase(ctx, public, id)
	if err != nil || c.Title != in.Title || c.Photos != 1 || c.PublishedAt == nil {
		t.Fatalf("published case: %+v %v", c, err)
	}
	list, err := db.PublishedCases(ctx, public, org, nil, 10)
	if err != nil || len(list) == 0 || list[0].ID != id {
		t.Fatalf("the group's published cases: %v %v", list, err)
	}
	if ps, err := db.CasePhotos(ctx, public, id, true); err != nil || len(ps) != 1 {
		t.Fatalf("public photos: %v %v", ps, err)
	}
	if err := db.DecideCase(ctx, noticeDistrict, caseDistrict, id, 4, registry.CaseWithdrawn, "内容需更新"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishedCase(ctx, public, id); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a withdrawn case is public: %v", err)
	}
	if _, err := db.CasePhoto(ctx, public, id, 1, true); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a withdrawn case's photo is public: %v", err)
	}
	events, err := db.CaseEvents(ctx, noticeTown, id)
	if err != nil || len(events) != 5 {
		t.Fatalf("history: %d rows, %v", len(events), err)
	}
	if events[1].Reason != "请补充活动照片" || !strings.Contains(events[2].Reason, "标题") || !strings.Contains(events[2].Reason, "照片") {
		t.Errorf("history reasons: %+v", events)
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM audit_log WHERE object_type = 'typical_case' AND object_id = $1`, strconv.FormatInt(id, 10)); n != 5 {
		t.Errorf("audit rows: %d", n)
	}
}

// A case about a group outside the writer's town, or one that does not exist, is refused and writes nothing.
func TestCaseOutsideScope(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	other := caseOrg(t, db, noticeTown2)
	before := noticeCount(t, db, `SELECT count(*) FROM typical_cases`)
	if _, err := db.CreateCase(ctx, noticeTown, caseTownWriter, caseInput(other), nil); !errors.Is(err, registry.ErrCaseOrg) {
		t.Fatalf("a group of another town: %v", err)
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM typical_cases`); n != before {
		t.Fatalf("%d rows written", n-before)
	}
}

// Two district officers decide the same case at once: exactly one gets through.
func TestCaseDecideOnce(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	id, err := db.CreateCase(ctx, noticeTown, caseTownWriter, caseInput(caseOrg(t, db, noticeTown)), nil)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, to := range []registry.CaseStatus{registry.CasePublished, registry.CaseReturned} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.DecideCase(ctx, noticeDistrict, caseDistrict, id, 1, to, "理由")
		}()
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("both or neither got through: %v", errs)
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM typical_case_events WHERE case_id = $1`, id); n != 2 {
		t.Fatalf("%d history rows", n)
	}
}
