package seed

import (
	"context"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// LoadDemoDisclosures publishes 信息公开 for a few groups: the guided groups of the two demo communities (by
// their committees) and filed groups of the demo towns (by the towns), each with a 年度工作报告, a 收支情况 —
// one of them corrected, so the profile shows a superseded version — and a 重大事项.
func LoadDemoDisclosures(ctx context.Context, db *postgres.DB, now time.Time) error {
	scopes := []portal.Scope{
		{Tier: portal.TierCommunity, Division: CommunityDemo},
		{Tier: portal.TierCommunity, Division: CommunityDemoRural},
		{Tier: portal.TierTown, Division: CommunityDemo[:9]},
		{Tier: portal.TierTown, Division: CommunityDemoRural[:9]},
	}
	year := now.In(portal.Beijing).Year() - 1
	y := strconv.Itoa(year)
	var loads []postgres.DisclosureLoad
	for _, scope := range scopes {
		groups, err := db.DisclosureGroups(ctx, scope, 3)
		if err != nil {
			return err
		}
		for i, g := range groups {
			at := time.Date(year+1, 1, 15+i, 10, 0, 0, 0, portal.Beijing)
			annual := registry.DisclosureInput{Kind: registry.DisclosureAnnual, Title: y + "年度工作报告",
				DisclosedOn: time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC), Demo: true,
				Body: "本年度组织开展邻里互助、文体活动和志愿服务共 " + strconv.Itoa(12+i*5) + " 次，服务居民约 " +
					strconv.Itoa(300+i*120) + " 人次。\n年内召开成员大会 2 次，修订了简易章程。\n（演示数据）"}
			money := registry.DisclosureInput{Kind: registry.DisclosureFinance, Title: y + "年度收支情况",
				DisclosedOn: time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC), Demo: true,
				Body: "资金主要用于社区活动的物资和场地。（演示数据）",
				Lines: []registry.DisclosureLine{
					{Side: registry.SideIncome, Category: "会费", Amount: registry.Fen(120000 + i*10000)},
					{Side: registry.SideIncome, Category: "社区工作基金", Amount: 500000},
					{Side: registry.SideSpending, Category: "活动支出", Amount: registry.Fen(380000 + i*5000)},
					{Side: registry.SideSpending, Category: "场地和物资", Amount: 150000},
				}}
			major := registry.DisclosureInput{Kind: registry.DisclosureMajor, Title: "成员大会选举产生新一届负责人",
				DisclosedOn: time.Date(year, 9, 10+i, 0, 0, 0, 0, time.UTC), Demo: true,
				Body: "经成员大会表决，选举产生新一届负责人，任期三年。（演示数据）"}
			loads = append(loads, postgres.DisclosureLoad{OrgID: g.ID, In: annual, At: at},
				postgres.DisclosureLoad{OrgID: g.ID, In: major, At: at.AddDate(0, -3, 0)})
			l := postgres.DisclosureLoad{OrgID: g.ID, In: money, At: at}
			if i == 0 {
				c := money
				c.Lines = append([]registry.DisclosureLine(nil), money.Lines...)
				c.Lines[2].Amount += 32000
				l.Correction, l.CorrectionReason, l.CorrectedAt = &c, "活动支出漏记一笔 320 元的物资采购，予以补正", at.AddDate(0, 0, 5)
			}
			loads = append(loads, l)
		}
		if err := db.LoadDisclosures(ctx, scope, system, loads); err != nil {
			return err
		}
		loads = loads[:0]
	}
	return nil
}
