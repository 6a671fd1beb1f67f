package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// A 公益创投 match names the application of the project's own group, one the town sees: another group's
// application, another town's, or none is refused. A match from before applications were linked keeps its free
// 申报编号 and reads as before, across 0089 down and up.
func TestVentureMatchNamesTheProjectsApplication(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	apps, err := db.MatchApplications(ctx, noticeTown)
	if err != nil || len(apps) < 2 {
		t.Fatalf("the demo town's applications: %d, %v", len(apps), err)
	}
	own := apps[0]
	var otherGroup registry.ApplicationChoice
	for _, a := range apps {
		if a.OrgID != own.OrgID {
			otherGroup = a
		}
	}
	var otherTown int64
	if err := db.Pool.QueryRow(ctx, `SELECT a.id FROM venture_applications a JOIN organizations o ON o.id = a.org_id
		WHERE o.town_code = $1 ORDER BY a.id LIMIT 1`, seed.TownTongjing).Scan(&otherTown); err != nil {
		t.Fatalf("an application of 统景镇: %v", err)
	}
	for _, a := range apps {
		if a.ID == otherTown {
			t.Fatal("the town is offered another town's application")
		}
	}
	need, err := db.CreateNeed(ctx, noticeTown, trainingClerk, seenFor(t, db, noticeTown, trainingClerk, registry.TokenNeed),
		registry.NeedInput{CommunityCode: seed.CommunityDemo, Title: "困境儿童课后托管", Beneficiaries: []string{"困境儿童"},
			Series: "共建共治共享", Place: "儿童之家", Frequency: "工作日", Until: time.Now().AddDate(0, 3, 0)})
	if err != nil {
		t.Fatal(err)
	}
	project, err := db.CreateProject(ctx, noticeTown, trainingClerk, seenFor(t, db, noticeTown, trainingClerk, registry.TokenProject),
		registry.ProjectInput{OrgID: own.OrgID, Title: "四点半课堂", Aims: "课后照护", Activities: "作业辅导",
			Beneficiaries: []string{"困境儿童"}, Series: "共建共治共享", Cost: 20000})
	if err != nil {
		t.Fatal(err)
	}
	fair, err := db.CreateFair(ctx, noticeTown, trainingClerk, seenFor(t, db, noticeTown, trainingClerk, registry.TokenFair),
		registry.FairInput{Title: "双龙湖街道项目洽谈会", HeldOn: time.Now(), Venue: "街道会议室"})
	if err != nil {
		t.Fatal(err)
	}
	match := func(application int64) error {
		_, err := db.RecordMatch(ctx, noticeTown, trainingClerk, registry.MatchInput{EventID: fair, Seen: matchesAt(t, db, fair), NeedID: need,
			ProjectID: project, Outcome: registry.OutcomeVenture, ApplicationID: application})
		return err
	}
	for name, id := range map[string]int64{"another group's": otherGroup.ID, "another town's": otherTown, "no": 0} {
		if err := match(id); !errors.Is(err, registry.ErrApplicationOfAnotherGroup) {
			t.Fatalf("%s application: %v", name, err)
		}
	}
	// a match from before 0089, with its free 申报编号, written under 0088; then every migration again
	if err := db.MigrateTo(ctx, 88); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO matches (event_id, need_id, project_id, outcome, reference)
		SELECT $1, n.id, $2, 'venture', 'GYCT-2021-007' FROM community_needs n WHERE n.town_code = $3 AND n.id <> $4
		ORDER BY n.id LIMIT 1`, fair, project, seed.TownShuanglonghu, need); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := match(own.ID); err != nil {
		t.Fatal(err)
	}
	fr, err := db.Fair(ctx, noticeTown, fair)
	if err != nil || len(fr.Matches) != 2 {
		t.Fatalf("the fair's matches: %+v, %v", fr.Matches, err)
	}
	for _, m := range fr.Matches {
		switch {
		case m.Reference == "GYCT-2021-007" && m.ApplicationID == 0:
		case m.ApplicationID == own.ID && m.RoundID != 0 && m.Application != "" && m.ApplicationSeen:
		default:
			t.Fatalf("a match reads %+v", m)
		}
	}
}
