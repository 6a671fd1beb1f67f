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

func TestMatchingAcrossTownsIsRefusedAtATownsFair(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	orgOf := func(town string) int64 {
		var id int64
		if err := db.Pool.QueryRow(ctx, `SELECT min(id) FROM organizations WHERE town_code = $1 AND status = 'normal'`, town).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	need := func(scope portal.Scope, community string) int64 {
		id, err := db.CreateNeed(ctx, scope, trainingClerk, seenFor(t, db, scope, trainingClerk, registry.TokenNeed), registry.NeedInput{CommunityCode: community, Title: "老年人助餐",
			Beneficiaries: []string{"空巢老人"}, Series: "邻里守望", Place: "社区食堂", Frequency: "每周三次",
			Until: time.Now().AddDate(0, 3, 0)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	project := func(scope portal.Scope, org int64) int64 {
		id, err := db.CreateProject(ctx, scope, trainingClerk, seenFor(t, db, scope, trainingClerk, registry.TokenProject), registry.ProjectInput{OrgID: org, Title: "银龄助餐",
			Aims: "解决独居老人吃饭难", Activities: "每周三次送餐", Beneficiaries: []string{"空巢老人"}, Series: "邻里守望", Cost: 30000})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	n1 := need(noticeCommunity, seed.CommunityDemo)
	n2 := need(noticeCommunity2, seed.CommunityDemoRural)
	p1 := project(noticeTown, orgOf(seed.TownShuanglonghu))
	p2 := project(noticeTown2, orgOf(seed.TownTongjing))
	if _, err := db.CreateNeed(ctx, noticeCommunity, trainingClerk, seenFor(t, db, noticeCommunity, trainingClerk, registry.TokenNeed), registry.NeedInput{CommunityCode: seed.CommunityDemoRural,
		Title: "x", Beneficiaries: []string{"残疾人"}, Series: "其他", Place: "x", Frequency: "x", Until: time.Now()}); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("need for another community: %v", err)
	}
	townFair, err := db.CreateFair(ctx, noticeTown, trainingClerk, seenFor(t, db, noticeTown, trainingClerk, registry.TokenFair), registry.FairInput{Title: "双龙湖街道项目洽谈会", HeldOn: time.Now(), Venue: "街道会议室"})
	if err != nil {
		t.Fatal(err)
	}
	districtFair, err := db.CreateFair(ctx, noticeDistrict, trainingClerk, seenFor(t, db, noticeDistrict, trainingClerk, registry.TokenFair), registry.FairInput{Title: "全区项目洽谈会", HeldOn: time.Now(), Venue: "区民政局"})
	if err != nil {
		t.Fatal(err)
	}
	// A town's fair: another town's project is refused, its own pair is matched once.
	if _, err := db.RecordMatch(ctx, noticeTown, trainingClerk, registry.MatchInput{EventID: townFair, Seen: matchesAt(t, db, townFair), NeedID: n1, ProjectID: p2,
		Outcome: registry.OutcomeVolunteer}); !errors.Is(err, registry.ErrMatchAcrossTowns) {
		t.Fatalf("town fair across towns: %v", err)
	}
	contract := demoContract(t, db, noticeTown, orgOf(seed.TownShuanglonghu))
	if _, err := db.RecordMatch(ctx, noticeTown, trainingClerk, registry.MatchInput{EventID: townFair, Seen: matchesAt(t, db, townFair), NeedID: n1, ProjectID: p1,
		Outcome: registry.OutcomeContract, ContractID: contract}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordMatch(ctx, noticeTown, trainingClerk, registry.MatchInput{EventID: townFair, Seen: matchesAt(t, db, townFair), NeedID: n1, ProjectID: p1,
		Outcome: registry.OutcomeContract, ContractID: contract}); !errors.Is(err, registry.ErrMatchTaken) {
		t.Fatalf("same pair twice: %v", err)
	}
	// The trigger holds the rule even for a writer that skips the store's check.
	if _, err := db.Pool.Exec(ctx, `INSERT INTO matches (event_id, need_id, project_id, outcome) VALUES ($1, $2, $3, 'volunteer')`,
		townFair, n2, p1); err == nil {
		t.Fatal("the database let a town's fair match another town's need")
	}
	// Another town sees neither the fair nor may it use it.
	if _, err := db.Fair(ctx, noticeTown2, townFair); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("other town reads fair: %v", err)
	}
	// The district's fair matches across towns.
	if _, err := db.RecordMatch(ctx, noticeDistrict, trainingClerk, registry.MatchInput{EventID: districtFair, Seen: matchesAt(t, db, districtFair), NeedID: n2, ProjectID: p1,
		Outcome: registry.OutcomeNone, Reason: "服务半径过远"}); err != nil {
		t.Fatal(err)
	}
	open, err := db.Needs(ctx, noticeDistrict, registry.BoardFilter{}, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range open {
		if n.ID == n1 {
			t.Fatal("a need matched to a contract is listed as open")
		}
	}
	found := false
	for _, n := range open {
		found = found || n.ID == n2
	}
	if !found {
		t.Fatal("a need with no deal is not listed as open")
	}
	rural, _ := db.Needs(ctx, noticeDistrict, registry.BoardFilter{Area: "rural"}, false)
	for _, n := range rural {
		if !n.Rural {
			t.Fatalf("urban need %d under the rural filter", n.ID)
		}
	}
	if err := db.DesignateBrand(ctx, noticeDistrict, trainingClerk, seenFor(t, db, noticeDistrict, trainingClerk, registry.TokenBrand), p1, "三年内覆盖全街道"); err != nil {
		t.Fatal(err)
	}
	project(noticeTown, orgOf(seed.TownShuanglonghu)) // a second project, not a brand
	projects, _ := db.OrgProjects(ctx, noticeTown, orgOf(seed.TownShuanglonghu), false)
	if len(projects) < 2 || !projects[0].Brand || projects[0].BrandPlan != "三年内覆盖全街道" {
		t.Fatalf("org projects: %+v", projects)
	}
	brands, _ := db.OrgProjects(ctx, noticeDistrict, orgOf(seed.TownShuanglonghu), true)
	for _, p := range brands {
		if !p.Brand {
			t.Fatalf("a project not designated among the brands: %+v", p)
		}
	}
	if len(brands) == 0 || len(brands) >= len(projects) {
		t.Fatalf("brands %d of %d projects", len(brands), len(projects))
	}
}

// demoContract signs a contract of org in scope.
func demoContract(t *testing.T, db *postgres.DB, scope portal.Scope, org int64) int64 {
	t.Helper()
	on, ends := time.Now(), time.Now().AddDate(1, 0, 0)
	id, err := db.CreateContract(context.Background(), scope, trainingClerk, tok(t, db, registry.TokenContract, scope.Division), registry.ContractInput{OrgID: org,
		Project: "银龄助餐", Amount: registry.ReadAmount("30000"), StartsOn: &on, EndsOn: &ends, SignedOn: &on})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A 政府购买服务 match names a contract the caller sees, held by the project's own group; the contract lists the
// match. A fair held in a platform's room is listed on the room; another town's room is not the town's to use.
func TestMatchNamesItsGroupsContractAndFairItsRoom(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	var orgA, orgB, orgOther int64
	if err := db.Pool.QueryRow(ctx, `SELECT min(id), max(id) FROM organizations WHERE town_code = $1 AND status = 'normal'`,
		seed.TownShuanglonghu).Scan(&orgA, &orgB); err != nil || orgA == orgB {
		t.Fatalf("two groups: %v", err)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT min(id) FROM organizations WHERE town_code = $1 AND status = 'normal'`,
		seed.TownTongjing).Scan(&orgOther); err != nil {
		t.Fatal(err)
	}
	need, err := db.CreateNeed(ctx, noticeCommunity, trainingClerk, seenFor(t, db, noticeCommunity, trainingClerk, registry.TokenNeed), registry.NeedInput{CommunityCode: seed.CommunityDemo,
		Title: "老年人助餐", Beneficiaries: []string{"空巢老人"}, Series: "邻里守望", Place: "社区食堂", Frequency: "每周三次",
		Until: time.Now().AddDate(0, 3, 0)})
	if err != nil {
		t.Fatal(err)
	}
	project, err := db.CreateProject(ctx, noticeTown, trainingClerk, seenFor(t, db, noticeTown, trainingClerk, registry.TokenProject), registry.ProjectInput{OrgID: orgA, Title: "银龄助餐",
		Aims: "解决独居老人吃饭难", Activities: "每周三次送餐", Beneficiaries: []string{"空巢老人"}, Series: "邻里守望", Cost: 30000})
	if err != nil {
		t.Fatal(err)
	}
	own, otherGroup := demoContract(t, db, noticeTown, orgA), demoContract(t, db, noticeTown, orgB)
	otherTown := demoContract(t, db, noticeTown2, orgOther)

	rooms, err := db.RoomChoices(ctx, noticeTown)
	if err != nil || len(rooms) == 0 {
		t.Fatalf("town rooms: %d, %v", len(rooms), err)
	}
	otherRooms, _ := db.RoomChoices(ctx, noticeTown2)
	if len(otherRooms) > 0 {
		if _, err := db.CreateFair(ctx, noticeTown, trainingClerk, seenFor(t, db, noticeTown, trainingClerk, registry.TokenFair), registry.FairInput{Title: "x", HeldOn: time.Now(),
			RoomID: otherRooms[0].ID}); !errors.Is(err, portal.ErrNotFound) {
			t.Fatalf("fair in another town's room: %v", err)
		}
	}
	fair, err := db.CreateFair(ctx, noticeTown, trainingClerk, seenFor(t, db, noticeTown, trainingClerk, registry.TokenFair), registry.FairInput{Title: "双龙湖街道项目洽谈会",
		HeldOn: time.Now(), RoomID: rooms[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	fr, err := db.Fair(ctx, noticeTown, fair)
	if err != nil || fr.RoomID != rooms[0].ID || fr.Venue == "" {
		t.Fatalf("fair's room: %+v, %v", fr, err)
	}
	held, err := db.RoomFairs(ctx, noticeTown, rooms[0].ID)
	if err != nil || len(held) == 0 || held[0].ID != fair {
		t.Fatalf("room fairs: %+v, %v", held, err)
	}
	others, _ := db.RoomFairs(ctx, noticeTown2, rooms[0].ID)
	for _, f := range others {
		if f.TownCode == seed.TownShuanglonghu {
			t.Fatal("another town sees the town's fair through the room")
		}
	}

	match := func(contract int64) error {
		_, err := db.RecordMatch(ctx, noticeTown, trainingClerk, registry.MatchInput{EventID: fair, Seen: matchesAt(t, db, fair), NeedID: need,
			ProjectID: project, Outcome: registry.OutcomeContract, ContractID: contract})
		return err
	}
	for name, c := range map[string]int64{"another group's": otherGroup, "another town's": otherTown, "no": 0} {
		if err := match(c); !errors.Is(err, registry.ErrContractOfAnotherGroup) {
			t.Fatalf("%s contract: %v", name, err)
		}
	}
	// The database holds both rules for a writer that skips the store.
	if _, err := db.Pool.Exec(ctx, `INSERT INTO matches (event_id, need_id, project_id, outcome, contract_id)
		VALUES ($1, $2, $3, 'contract', $4)`, fair, need, project, otherGroup); err == nil {
		t.Fatal("the database let a match name another group's contract")
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO matches (event_id, need_id, project_id, outcome)
		VALUES ($1, $2, $3, 'contract')`, fair, need, project); err == nil {
		t.Fatal("the database let a contract match name no contract")
	}
	if err := match(own); err != nil {
		t.Fatal(err)
	}
	linked, err := db.ContractMatches(ctx, noticeTown, own)
	if err != nil || len(linked) != 1 || linked[0].NeedID != need || linked[0].EventID != fair {
		t.Fatalf("contract's matches: %+v, %v", linked, err)
	}
	if linked, _ := db.ContractMatches(ctx, noticeTown2, own); len(linked) != 0 {
		t.Fatal("another town sees the contract's match")
	}
}

// seenFor is the token a matching create form of kind carries for actor.
func seenFor(t *testing.T, db *postgres.DB, scope portal.Scope, actor portal.Actor, kind string) int {
	t.Helper()
	n, err := db.CreateToken(context.Background(), scope, actor, kind)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// matchesAt is the token of a fair's match form: the matches recorded at it.
func matchesAt(t *testing.T, db *postgres.DB, fair int64) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM matches WHERE event_id = $1`, fair).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
