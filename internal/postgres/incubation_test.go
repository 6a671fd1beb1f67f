package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/testdb"
)

func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func TestHousingOneHomeAtATime(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	pid, rid := newPlatformWithRoom(t, db, "双龙湖街道孵化基地（安家）")
	org := firstOrg(t, db, cultCommunity)
	in := registry.HousingInput{OrgID: org.ID, RoomID: rid, From: day(2023, 1, 1), To: day(2023, 12, 31), Agreement: "安家协议 2023-01"}
	if _, err := db.HouseOrg(ctx, cultCommunity, cultCommittee, pid, tok(t, db, registry.TokenHousing, pid), in); err != nil {
		t.Fatal(err)
	}
	in.From, in.To = day(2023, 6, 1), day(2024, 5, 31)
	if _, err := db.HouseOrg(ctx, cultTown, cultClerk, pid, tok(t, db, registry.TokenHousing, pid), in); !errors.Is(err, registry.ErrAlreadyHoused) {
		t.Fatalf("overlapping home: %v", err)
	}
	in.From = day(2024, 1, 1)
	if _, err := db.HouseOrg(ctx, cultTown, cultClerk, pid, tok(t, db, registry.TokenHousing, pid), in); err != nil {
		t.Fatalf("the next year's home: %v", err)
	}
	if _, err := db.HouseOrg(ctx, cultTown2, cultClerk2, pid, tok(t, db, registry.TokenHousing, pid), in); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town: %v", err)
	}
	hs, err := db.Housings(ctx, cultDistrict, pid)
	if err != nil || len(hs) != 2 || hs[0].RoomName != "多功能活动室" || hs[0].OrgName != org.Name {
		t.Fatalf("homes: %+v %v", hs, err)
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = '安家'`, org.ID); n != 2 {
		t.Fatalf("%d 安家 rows on the group's timeline, want 2", n)
	}
}

func TestIncubationCohort(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	pid, _ := newPlatformWithRoom(t, db, "双龙湖街道孵化基地（入孵）")
	orgs, err := db.CultivationOrgs(ctx, cultTown)
	if err != nil || len(orgs) < 2 {
		t.Fatal(orgs, err)
	}
	enter := func(org int64) (int64, error) {
		return db.EnterIncubation(ctx, cultTown, cultClerk, pid, tok(t, db, registry.TokenIncubation, pid), registry.IncubationInput{OrgID: org,
			EnteredOn: day(2022, 3, 1), Mentor: "张老师", Goals: "完善章程，一年内达到镇街备案条件"})
	}
	a, err := enter(orgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := enter(orgs[0].ID); !errors.Is(err, registry.ErrAlreadyIncubating) {
		t.Fatalf("entering twice: %v", err)
	}
	b, err := enter(orgs[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnterIncubation(ctx, cultTown2, cultClerk2, pid, tok(t, db, registry.TokenIncubation, pid), registry.IncubationInput{OrgID: orgs[0].ID,
		EnteredOn: day(2022, 3, 1), Mentor: "王老师", Goals: "目标"}); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town: %v", err)
	}
	if err := db.AddMilestone(ctx, cultTown, cultClerk, pid, a, tok(t, db, registry.TokenMilestone, pid), registry.MilestoneInput{On: day(2022, 6, 1), Note: "制定简易章程"}); err != nil {
		t.Fatal(err)
	}
	if err := db.LeaveIncubation(ctx, cultTown, cultClerk, pid, a, tok(t, db, registry.TokenLeave, pid), registry.LeaveInput{Status: registry.IncubationHatched,
		On: day(2023, 3, 1), TierReached: registry.TierFiled}); err != nil {
		t.Fatal(err)
	}
	if err := db.LeaveIncubation(ctx, cultTown, cultClerk, pid, a, tok(t, db, registry.TokenLeave, pid), registry.LeaveInput{Status: registry.IncubationWithdrawn,
		On: day(2023, 3, 1), Reason: "再次"}); !errors.Is(err, registry.ErrIncubationFinished) {
		t.Fatalf("leaving twice: %v", err)
	}
	if err := db.LeaveIncubation(ctx, cultTown, cultClerk, pid, b, tok(t, db, registry.TokenLeave, pid), registry.LeaveInput{Status: registry.IncubationWithdrawn,
		On: day(2022, 9, 1), Reason: "骨干成员外出务工"}); err != nil {
		t.Fatal(err)
	}
	cohort, err := db.Cohort(ctx, cultDistrict, pid)
	if err != nil {
		t.Fatal(err)
	}
	o := registry.CohortOutcomes(cohort)
	if o.Hatched != 1 || o.Filed != 1 || o.Withdrawn != 1 || o.Active != 0 {
		t.Fatalf("outcomes %+v of %+v", o, cohort)
	}
	for _, i := range cohort {
		if i.ID == a && (len(i.Milestones) != 1 || i.Milestones[0].Note != "制定简易章程") {
			t.Fatalf("milestones: %+v", i.Milestones)
		}
	}
	// only a 孵化基地 incubates
	studio := incubatorInput("双龙湖街道社区社会组织联合会（测试）")
	studio.Kind = registry.PlatformFederation
	fid, err := db.CreatePlatform(ctx, cultTown, cultClerk, tok(t, db, registry.TokenPlatform, cultTown.Division), studio)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnterIncubation(ctx, cultTown, cultClerk, fid, tok(t, db, registry.TokenIncubation, fid), registry.IncubationInput{OrgID: orgs[0].ID,
		EnteredOn: day(2024, 3, 1), Mentor: "王老师", Goals: "目标"}); !errors.Is(err, registry.ErrNotIncubator) {
		t.Fatalf("incubating at a 联合会: %v", err)
	}
}
