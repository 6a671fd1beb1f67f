package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// LoadDemoMatching gives the training demo towns community needs and service projects, a town 洽谈会 in the two
// demo towns with a contract, a 公益创投 application and a no-deal, and one brand project, so the boards show
// open needs, open projects and matches of every outcome. Everything goes through the store methods.
func LoadDemoMatching(ctx context.Context, db *postgres.DB, now time.Time) error {
	district := portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}
	districtActor := portal.Actor{Username: "demo-seed", Tier: portal.TierDistrict, Division: DistrictCode, IP: "local"}
	needs := []registry.NeedInput{
		{Title: "独居老人助餐送餐", Beneficiaries: []string{"空巢老人"}, Series: "邻里守望", Place: "社区老年食堂", Frequency: "每周五次"},
		{Title: "困境儿童课后托管", Beneficiaries: []string{"困境儿童"}, Series: "共建共治共享", Place: "社区儿童之家", Frequency: "工作日下午"},
		{Title: "楼栋矛盾纠纷调解", Beneficiaries: []string{"残疾人", "空巢老人"}, Series: "共创平安", Place: "小区议事厅", Frequency: "每月两次"},
	}
	projects := []registry.ProjectInput{
		{Title: "银龄食堂助餐服务", Aims: "让独居老人每天吃上热饭", Activities: "中餐配送、上门探访", Beneficiaries: []string{"空巢老人"}, Series: "邻里守望", Cost: 48000, Team: "负责人 1 名，志愿者 12 名"},
		{Title: "四点半课堂", Aims: "为困境儿童提供课后照护", Activities: "作业辅导、阅读分享", Beneficiaries: []string{"困境儿童"}, Series: "共建共治共享", Cost: 26000, Team: "退休教师 5 名"},
		{Title: "邻里文化节", Aims: "丰富居民文化生活", Activities: "文艺汇演、书画展", Beneficiaries: []string{"低保对象"}, Series: "文化铸魂", Cost: 15000, Team: "文艺骨干 20 名"},
	}
	for ti, town := range demoTrainingTowns {
		scope := portal.Scope{Tier: portal.TierTown, Division: town}
		actor := portal.Actor{Username: "demo-seed", Tier: portal.TierTown, Division: town, IP: "local"}
		communities, err := db.DivisionsAtLevel(ctx, scope, portal.TierCommunity)
		if err != nil || len(communities) == 0 {
			return fmt.Errorf("demo matching %s: %d communities, %v", town, len(communities), err)
		}
		groups, err := db.ReportGroups(ctx, scope)
		if err != nil || len(groups) == 0 {
			return fmt.Errorf("demo matching %s: %d groups, %v", town, len(groups), err)
		}
		var needIDs, projectIDs []int64
		for i, in := range needs {
			in.CommunityCode = communities[(i+ti)%len(communities)].Code
			in.Until = now.AddDate(0, 2+i, 0)
			if i != 2 {
				budget := float64(20000 + 10000*i)
				in.Budget = &budget
			}
			id, err := db.CreateNeed(ctx, scope, actor, matchingSeen(ctx, db, scope, actor, registry.TokenNeed), in)
			if err != nil {
				return fmt.Errorf("demo need %s: %w", town, err)
			}
			needIDs = append(needIDs, id)
		}
		// the second project is offered by a group that applied to a 公益创投 round, where one did: its match
		// names that application
		apps, err := db.MatchApplications(ctx, scope)
		if err != nil {
			return err
		}
		for i, in := range projects {
			in.OrgID = groups[(i*2+ti)%len(groups)].ID
			if i == 1 && len(apps) > 0 {
				in.OrgID = apps[0].OrgID
			}
			id, err := db.CreateProject(ctx, scope, actor, matchingSeen(ctx, db, scope, actor, registry.TokenProject), in)
			if err != nil {
				return fmt.Errorf("demo project %s: %w", town, err)
			}
			projectIDs = append(projectIDs, id)
		}
		if ti > 1 {
			continue // the other towns' needs and projects stay open
		}
		fair, err := db.CreateFair(ctx, scope, actor, matchingSeen(ctx, db, scope, actor, registry.TokenFair), registry.FairInput{Title: "社区服务项目洽谈会",
			HeldOn: now.AddDate(0, 0, -20-ti), RoomID: firstRoom(ctx, db, scope), Venue: "镇街党群服务中心"})
		if err != nil {
			return err
		}
		// the contract the first match came to, signed by the town with the project's group
		signed, ends := now.AddDate(0, 0, -15-ti), now.AddDate(1, 0, 0)
		contract, err := db.CreateContract(ctx, scope, actor, seen(ctx, db, registry.TokenContract, town), registry.ContractInput{
			OrgID: groups[ti%len(groups)].ID, Project: projects[0].Title, Series: projects[0].Series,
			Beneficiaries: projects[0].Beneficiaries, Amount: registry.ReadAmount("45000"),
			StartsOn: &signed, EndsOn: &ends, SignedOn: &signed, Deliverables: "每周五天中餐配送，每月上门探访一次"})
		if err != nil {
			return fmt.Errorf("demo matching contract %s: %w", town, err)
		}
		for i, m := range []registry.MatchInput{
			{NeedID: needIDs[0], ProjectID: projectIDs[0], Outcome: registry.OutcomeContract, ContractID: contract},
			ventureMatch(needIDs[1], projectIDs[1], apps),
			{NeedID: needIDs[2], ProjectID: projectIDs[2], Outcome: registry.OutcomeNone, Reason: "项目内容与需求不符"},
		} {
			m.EventID, m.Seen = fair, i // the fair is new: the matches before this one are its token
			if _, err := db.RecordMatch(ctx, scope, actor, m); err != nil {
				return fmt.Errorf("demo match %s: %w", town, err)
			}
		}
		if ti == 0 {
			if err := db.DesignateBrand(ctx, district, districtActor, matchingSeen(ctx, db, district, districtActor, registry.TokenBrand), projectIDs[0], "三年内覆盖街道全部社区，建立助餐志愿者队伍并形成服务标准。"); err != nil {
				return err
			}
		}
	}
	_, err := db.CreateFair(ctx, district, districtActor, matchingSeen(ctx, db, district, districtActor, registry.TokenFair), registry.FairInput{Title: "渝北区社区服务项目洽谈会",
		HeldOn: now.AddDate(0, 0, -10), RoomID: firstRoom(ctx, db, district), Venue: "区社会组织孵化基地"})
	return err
}

// matchingSeen is the form token a create of kind carries (a failed read gives -1, which the create refuses).
func matchingSeen(ctx context.Context, db *postgres.DB, scope portal.Scope, actor portal.Actor, kind string) int {
	n, err := db.CreateToken(ctx, scope, actor, kind)
	if err != nil {
		return -1
	}
	return n
}

// firstRoom is the first support platform room inside scope, 0 for none (the fair then has only its venue).
func firstRoom(ctx context.Context, db *postgres.DB, scope portal.Scope) int64 {
	rooms, err := db.RoomChoices(ctx, scope)
	if err != nil || len(rooms) == 0 {
		return 0
	}
	return rooms[0].ID
}

// ventureMatch is the demo's 公益创投 match of need and project, naming the first of apps (the project's group's
// application); without one, the match is 志愿服务.
func ventureMatch(need, project int64, apps []registry.ApplicationChoice) registry.MatchInput {
	if len(apps) == 0 {
		return registry.MatchInput{NeedID: need, ProjectID: project, Outcome: registry.OutcomeVolunteer}
	}
	return registry.MatchInput{NeedID: need, ProjectID: project, Outcome: registry.OutcomeVenture, ApplicationID: apps[0].ID}
}
