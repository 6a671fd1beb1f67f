package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// LoadDemoWorkReports gives the groups of the other communities of 双龙湖街道 and 统景镇 work reports for past
// periods and evaluations for the last two years, leaving a third of them unreported in the last period, so
// the towns' and the district's missing-report pages have something to show. The demo committees' own
// communities start with none: their clerks try the pages on a clean slate. Everything goes through the same
// store methods as the pages.
func LoadDemoWorkReports(ctx context.Context, db *postgres.DB, now time.Time) error {
	last := registry.PeriodOf(now).Prev()
	var communities []string
	for _, c := range DemoCommunities(Towns()) {
		if (c.ParentCode == TownShuanglonghu || c.ParentCode == TownTongjing) && c.Code != CommunityDemo && c.Code != CommunityDemoRural {
			communities = append(communities, c.Code)
		}
	}
	for _, community := range communities {
		actor := portal.Actor{Username: "demo-seed", Tier: portal.TierCommunity, Division: community, IP: "local"}
		scope := portal.Scope{Tier: portal.TierCommunity, Division: community}
		groups, err := db.ReportGroups(ctx, scope)
		if err != nil {
			return err
		}
		for i, g := range groups {
			if !g.Live {
				continue
			}
			for back, p := 0, last; back < 3; back, p = back+1, p.Prev() {
				if back == 0 && i%3 == 2 {
					continue // not reported yet for the last period
				}
				in := registry.WorkReportInput{OrgID: g.ID, Period: p, Activities: 3 + (i+back)%6, Members: 12 + i*3,
					Summary: fmt.Sprintf("本期组织开展活动 %d 次，参与居民约 %d 人次，按章程召开成员会议 2 次。", 3+(i+back)%6, 40+i*7),
					Plans:   "下期计划结合“邻里守望”主题开展走访慰问，并吸收新成员。"}
				if _, err := db.SubmitWorkReport(ctx, scope, actor, in, demoSubmittedAt(p, i+back, now)); err != nil {
					return fmt.Errorf("demo work report %s %v: %w", g.Name, p, err)
				}
			}
			for back := 1; back <= 2; back++ {
				base := 62 + (i*7+back*5)%35
				scores := map[string]int{}
				for d, dim := range registry.EvaluationDimensions {
					scores[dim.Key] = min(100, base+d*3)
				}
				in := registry.EvaluationInput{OrgID: g.ID, Year: now.Year() - back, Scores: scores,
					Views: "居民评议：活动贴近群众需求，希望增加活动频次。"}
				if _, err := db.Evaluate(ctx, scope, actor, in); err != nil {
					return fmt.Errorf("demo evaluation %s: %w", g.Name, err)
				}
			}
		}
	}
	return nil
}
