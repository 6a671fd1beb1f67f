package seed

// Demo data of the cultivation module: platforms at every tier in several towns, rooms and this week's
// bookings, homes (安家), an incubation cohort with its outcomes, 购买服务 contracts with payments and 验收,
// 工作基金 with their ledgers, and a closed and an open 公益创投 round.

import (
	"context"
	"fmt"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// cultivationTowns are the towns that get demo platforms and money: the two demo towns and 回兴街道.
var cultivationTowns = []string{TownShuanglonghu, TownTongjing, "500112004"}

func demoDay(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// seen is the token a cultivation create form of kind under parent carries now (-1, refused, if unreadable).
func seen(ctx context.Context, db *postgres.DB, kind, parent string) int {
	n, err := db.CultivationTokens(ctx, parent, kind)
	if err != nil {
		return -1
	}
	return n[0]
}

func demoYuan(s string) registry.AmountField { return registry.ReadAmount(s) }

// LoadDemoCultivation loads the cultivation demo data relative to now (bookings fall in this week and the next).
func LoadDemoCultivation(ctx context.Context, db *postgres.DB, now time.Time) error {
	district := portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}
	names := map[string]string{}
	for _, code := range cultivationTowns {
		d, err := db.Division(ctx, district, code)
		if err != nil {
			return err
		}
		names[code] = d.Name
	}
	for _, in := range []registry.PlatformInput{
		{Kind: registry.PlatformIncubator, Name: "渝北区社区社会组织孵化基地", Address: "渝北区双龙湖街道宝圣大道", Hours: "周一至周五 9:00–17:30",
			Services: []string{"党建引领", "培育孵化", "资金代管", "人员培训", "场地支持"}, StaffCount: 6, ContactName: "周敏",
			RunBy: registry.RunByEntrusted, OperatorName: "渝北区益民社会工作服务中心", OperatorKind: "社会工作服务机构",
			ContractFrom: demoDay(2022, 1, 1), ContractTo: demoDay(2024, 12, 31), ContractNo: "渝北民委〔2022〕3号"},
		{Kind: registry.PlatformFederation, Name: "渝北区社区社会组织联合会", Services: []string{"党建引领", "人员培训"},
			StaffCount: 3, ContactName: "陈立", RunBy: registry.RunByGovernment},
		{Kind: registry.PlatformInnovation, Name: "渝北区社会工作创新创业基地", Address: "渝北区龙溪街道", Services: []string{"培育孵化", "场地支持"},
			StaffCount: 4, RunBy: registry.RunByGovernment},
	} {
		if _, err := db.CreatePlatform(ctx, district, system, seen(ctx, db, registry.TokenPlatform, DistrictCode), in); err != nil {
			return fmt.Errorf("demo platform %s: %w", in.Name, err)
		}
	}
	for i, town := range cultivationTowns {
		if err := loadTownCultivation(ctx, db, town, names[town], i, now); err != nil {
			return fmt.Errorf("demo cultivation of %s: %w", names[town], err)
		}
	}
	studio := registry.PlatformInput{Kind: registry.PlatformStudio, Name: "社区社会工作室", Hours: "工作日 9:00–17:00",
		Services: []string{"人员培训", "场地支持"}, StaffCount: 2, ContactName: "刘洋", RunBy: registry.RunByGovernment}
	if _, err := db.CreatePlatform(ctx, portal.Scope{Tier: portal.TierCommunity, Division: CommunityDemo}, system,
		seen(ctx, db, registry.TokenPlatform, CommunityDemo), studio); err != nil {
		return err
	}
	if err := loadDemoContacts(ctx, db); err != nil { // 联系人 (org_contacts.go)
		return err
	}
	return loadDemoRounds(ctx, db, district)
}

func loadTownCultivation(ctx context.Context, db *postgres.DB, town, name string, k int, now time.Time) error {
	scope := portal.Scope{Tier: portal.TierTown, Division: town}
	actor := portal.Actor{Username: "system", Tier: portal.TierTown, Division: town, IP: "local"}
	incubator, err := db.CreatePlatform(ctx, scope, actor, seen(ctx, db, registry.TokenPlatform, town), registry.PlatformInput{Kind: registry.PlatformIncubator,
		Name: name + "社区社会组织孵化基地", Address: name + "便民服务中心二楼", Hours: "周一至周六 9:00–18:00",
		Services: []string{"党建引领", "培育孵化", "人员培训", "场地支持"}, StaffCount: 3 + k, ContactName: demoContacts[k],
		RunBy: registry.RunByGovernment})
	if err != nil {
		return err
	}
	facility, err := db.CreatePlatform(ctx, scope, actor, seen(ctx, db, registry.TokenPlatform, town), registry.PlatformInput{Kind: registry.PlatformFacility,
		Name: name + "综合文化服务中心", Address: name + "文化广场旁", Hours: "每天 8:30–21:00",
		Services: []string{"场地支持"}, StaffCount: 2, RunBy: registry.RunByGovernment})
	if err != nil {
		return err
	}
	if _, err := db.CreatePlatform(ctx, scope, actor, seen(ctx, db, registry.TokenPlatform, town), registry.PlatformInput{Kind: registry.PlatformFederation,
		Name: name + "社区社会组织联合会", Services: []string{"党建引领", "资金代管"}, StaffCount: 2,
		RunBy: registry.RunByEntrusted, OperatorName: name + "社会组织服务中心", OperatorKind: "枢纽型社会组织",
		ContractFrom: demoDay(2023, 1, 1), ContractTo: demoDay(2025, 12, 31), ContractNo: "委托协议 2023-0" + fmt.Sprint(k+1)}); err != nil {
		return err
	}
	var rooms []int64
	for _, r := range []struct {
		platform int64
		in       registry.RoomInput
	}{
		{incubator, registry.RoomInput{Name: "多功能活动室", Capacity: 40, Equipment: "投影仪、音响、桌椅 40 套"}},
		{incubator, registry.RoomInput{Name: "议事室", Capacity: 15, Equipment: "会议桌、白板"}},
		{facility, registry.RoomInput{Name: "排练厅", Capacity: 60, Equipment: "镜墙、音响、地胶"}},
	} {
		id, err := db.AddRoom(ctx, scope, actor, r.platform, seen(ctx, db, registry.TokenRoom, fmt.Sprint(r.platform)), r.in)
		if err != nil {
			return err
		}
		rooms = append(rooms, id)
	}
	orgs, err := db.CultivationOrgs(ctx, scope)
	if err != nil || len(orgs) < 8 {
		return fmt.Errorf("too few groups (%d): %v", len(orgs), err)
	}
	// bookings: evenings and weekends of this week and the next, never overlapping
	monday := registry.WeekStart(now)
	titles := []string{"合唱排练", "书法班", "议事协商会", "广场舞排练", "志愿者培训", "亲子阅读会"}
	for d := 0; d < 14; d++ {
		day := monday.AddDate(0, 0, d)
		for slot, hour := range []int{9, 14, 19} {
			if (d+slot+k)%3 == 0 {
				continue
			}
			starts := day.Add(time.Duration(hour) * time.Hour)
			if !starts.After(now) {
				continue
			}
			in := registry.BookingInput{OrgID: orgs[(d+slot)%len(orgs)].ID, Title: titles[(d+slot+k)%len(titles)],
				Starts: starts, Ends: starts.Add(2 * time.Hour)}
			room := rooms[(d+slot)%len(rooms)]
			platform := incubator
			if room == rooms[2] {
				platform = facility
			}
			if _, err := db.BookRoom(ctx, scope, actor, platform, room, seen(ctx, db, registry.TokenBooking, fmt.Sprint(room)), in); err != nil {
				return err
			}
		}
	}
	// 安家
	for i, o := range orgs[:3] {
		in := registry.HousingInput{OrgID: o.ID, From: demoDay(2024, time.Month(1+i*3), 1), To: demoDay(2027, 12, 31),
			Agreement: name + "安家协议〔2024〕" + fmt.Sprint(i+1) + "号"}
		if i == 0 {
			in.RoomID = rooms[2]
		}
		if _, err := db.HouseOrg(ctx, scope, actor, facility, seen(ctx, db, registry.TokenHousing, fmt.Sprint(facility)), in); err != nil {
			return err
		}
	}
	// the cohort: two in incubation, one 出壳 to 镇街备案, one 退出
	mentors := []string{"张晓梅", "李卫东", "王静", "赵磊"}
	for i, o := range orgs[3:7] {
		id, err := db.EnterIncubation(ctx, scope, actor, incubator, seen(ctx, db, registry.TokenIncubation, fmt.Sprint(incubator)), registry.IncubationInput{OrgID: o.ID,
			EnteredOn: demoDay(2024, time.Month(2+i), 10), Mentor: mentors[i], Goals: "完善简易章程和内部管理制度，培养 2 名骨干，一年内达到镇街备案条件"})
		if err != nil {
			return err
		}
		if err := db.AddMilestone(ctx, scope, actor, incubator, id, seen(ctx, db, registry.TokenMilestone, fmt.Sprint(incubator)), registry.MilestoneInput{On: demoDay(2024, time.Month(5+i), 15),
			Note: "制定简易章程，建立成员名册"}); err != nil {
			return err
		}
		switch i {
		case 2:
			err = db.LeaveIncubation(ctx, scope, actor, incubator, id, seen(ctx, db, registry.TokenLeave, fmt.Sprint(incubator)), registry.LeaveInput{Status: registry.IncubationHatched,
				On: demoDay(2025, 3, 1), TierReached: registry.TierFiled})
		case 3:
			err = db.LeaveIncubation(ctx, scope, actor, incubator, id, seen(ctx, db, registry.TokenLeave, fmt.Sprint(incubator)), registry.LeaveInput{Status: registry.IncubationWithdrawn,
				On: demoDay(2024, 11, 20), Reason: "骨干成员外出务工，活动难以为继"})
		}
		if err != nil {
			return err
		}
	}
	return loadTownMoney(ctx, db, scope, actor, name, orgs, facility, k)
}

func loadTownMoney(ctx context.Context, db *postgres.DB, scope portal.Scope, actor portal.Actor, name string, orgs []registry.OrgChoice, platform int64, k int) error {
	contracts := []registry.ContractInput{
		{OrgID: orgs[0].ID, Project: "空巢老人关爱服务", Series: "邻里守望", Beneficiaries: []string{"空巢老人", "特困人员"},
			Amount: demoYuan("48000.00"), StartsOn: demoDay(2025, 1, 1), EndsOn: demoDay(2025, 12, 31), SignedOn: demoDay(2024, 12, 20),
			Deliverables: "每月入户探访 2 次，建立服务台账"},
		{OrgID: orgs[1].ID, PlatformID: platform, Project: "困境儿童课后陪伴", Series: "邻里守望", Beneficiaries: []string{"困境儿童"},
			Amount: demoYuan("36500.50"), StartsOn: demoDay(2026, 3, 1), EndsOn: demoDay(2027, 2, 28), SignedOn: demoDay(2026, 2, 15),
			Deliverables: "每周开展课后陪伴 3 次"},
	}
	for i, in := range contracts {
		id, err := db.CreateContract(ctx, scope, actor, seen(ctx, db, registry.TokenContract, scope.Division), in)
		if err != nil {
			return err
		}
		if err := db.AddPayment(ctx, scope, actor, id, 0, registry.PaymentInput{PaidOn: demoDay(in.StartsOn.Year(), in.StartsOn.Month()+1, 5),
			Amount: demoYuan(registry.Fen(int64(in.Amount.Fen) / 2).Plain()), Note: "首期款"}); err != nil {
			return err
		}
		if i == 0 {
			if err := db.AddPayment(ctx, scope, actor, id, 1, registry.PaymentInput{PaidOn: demoDay(2026, 1, 10),
				Amount: demoYuan((in.Amount.Fen - in.Amount.Fen/2).Plain()), Note: "尾款"}); err != nil {
				return err
			}
			c, err := db.Contract(ctx, scope, id)
			if err != nil {
				return err
			}
			if err := db.AcceptContract(ctx, scope, actor, id, c.Version, registry.AcceptanceInput{Status: registry.ContractAccepted,
				On: demoDay(2026, 1, 8), Note: "服务台账完整，满意度 96%"}); err != nil {
				return err
			}
		}
	}
	fund, err := db.CreateFund(ctx, scope, actor, seen(ctx, db, registry.TokenFund, scope.Division), registry.FundInput{Name: name + "社区发展工作基金"})
	if err != nil {
		return err
	}
	for seen, m := range []registry.MovementInput{
		{Kind: registry.MovementAllocation, Amount: demoYuan("50000"), On: demoDay(2025, 1, 15), Purpose: "年度财政拨款"},
		{Kind: registry.MovementDonation, Amount: demoYuan(fmt.Sprint(8000 + 1000*k)), On: demoDay(2025, 3, 2), Donor: "辖区爱心企业", Purpose: "支持社区文体团队"},
		{Kind: registry.MovementGrant, Amount: demoYuan("6000"), On: demoDay(2025, 4, 1), OrgID: orgs[2].ID, Series: "文化铸魂", Purpose: "购置演出服装和音响"},
		{Kind: registry.MovementGrant, Amount: demoYuan("4500.80"), On: demoDay(2025, 6, 1), OrgID: orgs[5].ID, Series: "共创平安", Purpose: "治安巡逻装备"},
	} {
		if _, err := db.AddMovement(ctx, scope, actor, fund, seen, m); err != nil {
			return err
		}
	}
	return nil
}

func loadDemoRounds(ctx context.Context, db *postgres.DB, district portal.Scope) error {
	criteria := []registry.Criterion{{Name: "需求分析", MaxScore: 20}, {Name: "项目设计", MaxScore: 40}, {Name: "团队能力", MaxScore: 20}, {Name: "预算合理性", MaxScore: 20}}
	closed, err := db.OpenRound(ctx, district, system, seen(ctx, db, registry.TokenRound, DistrictCode), registry.RoundInput{Title: "2025 年渝北区社区公益创投大赛",
		Themes: registry.ThemeSeries, Budget: demoYuan("200000"), OpensOn: demoDay(2025, 3, 1), ClosesOn: demoDay(2025, 4, 30),
		ExcludeOwn: true, Criteria: criteria})
	if err != nil {
		return err
	}
	open, err := db.OpenRound(ctx, district, system, seen(ctx, db, registry.TokenRound, DistrictCode), registry.RoundInput{Title: "2026 年渝北区社区公益创投大赛",
		Themes: []string{"邻里守望", "共建共治共享", "文化铸魂"}, Budget: demoYuan("300000"), OpensOn: demoDay(2026, 10, 1),
		ClosesOn: demoDay(2027, 1, 31), ExcludeOwn: true, Criteria: criteria})
	if err != nil {
		return err
	}
	// The demo towns review both district rounds (each round is at its first version here).
	for _, round := range []int64{closed, open} {
		if err := db.SetRoundReviewers(ctx, district, system, round, 1, cultivationTowns); err != nil {
			return err
		}
	}
	projects := []struct{ theme, project string }{{"邻里守望", "“银龄互助”邻里守望计划"}, {"共建共治共享", "小区自管会议事能力提升"},
		{"共创平安", "“平安楼栋”志愿巡逻"}, {"文化铸魂", "村晚文艺队培育"}}
	for i, town := range cultivationTowns {
		scope := portal.Scope{Tier: portal.TierTown, Division: town}
		orgs, err := db.CultivationOrgs(ctx, scope)
		if err != nil {
			return err
		}
		for j, p := range projects[:2+i%2] {
			in := registry.VentureInput{OrgID: orgs[10+j].ID, Theme: p.theme, Project: p.project, Requested: demoYuan(fmt.Sprint(20000 + 5000*j)),
				BudgetLines: "活动物料 40%；志愿者保险与交通 20%；培训 40%", Beneficiaries: []string{"空巢老人"}, Expected: "服务 200 人次以上"}
			round := closed
			if j == 1 {
				round = open
				in.Theme = "共建共治共享"
			}
			id, err := db.Apply(ctx, scope, system, round, in)
			if err != nil {
				return err
			}
			if round == closed {
				if err := db.Award(ctx, district, system, id, in.Requested.Fen-200000, *demoDay(2025, 6, 1)); err != nil {
					return err
				}
			}
		}
	}
	r, err := db.Round(ctx, district, closed)
	if err != nil {
		return err
	}
	_, err = db.SetRoundStatus(ctx, district, system, closed, r.Version, registry.RoundClosed)
	return err
}
