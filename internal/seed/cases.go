package seed

// Demo 典型案例: a few published cases in 双龙湖街道 and 统景镇, one waiting for the district and one returned,
// so that the public list, a profile's section and the district's waiting list show something.

import (
	"context"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

var demoCases = []struct {
	town, title, series, story string
	byDistrict                 bool // written by the district rather than the town
	status                     registry.CaseStatus
	reason                     string
	daysAgo                    int
}{
	{TownShuanglonghu, "楼栋守望，让独居老人不再孤单", "邻里守望",
		"小区里住着不少子女在外地工作的老人。组织成立后，志愿者按楼栋结对，每周上门问候，帮忙买菜、取药、陪同就医。\n" +
			"两年来，结对服务覆盖了社区的大部分独居和高龄老人，遇到突发情况能在第一时间发现并联系家属和社区。\n" +
			"居民说，敲门声成了最让人安心的声音。", false, registry.CasePublished, "", 40},
	{TownShuanglonghu, "议事小院：居民的事居民商量着办", "共建共治共享",
		"停车难、楼道堆物、加装电梯，这些小事常常让邻里之间起摩擦。组织每月在小区院坝召开一次议事会，由居民提出议题、共同商量、形成公约。\n" +
			"一年里，议事会协商解决了停车位划分、公共区域清理等多件事情，形成的居民公约张贴在各单元门口。", false, registry.CasePublished, "", 25},
	{TownTongjing, "乡村文艺队唱响新时代", "文化铸魂",
		"文艺队的成员大多是村里的留守妇女和退休教师。她们利用农闲时间排练，把政策宣传、移风易俗编进快板和小品，在院坝里演给乡亲们看。\n" +
			"每逢节庆，文艺队还到周边村巡回演出，带动更多村民参与文化活动。", false, registry.CasePublished, "", 12},
	{TownTongjing, "护河志愿队守护一江清水", "共创平安",
		"志愿队定期沿河巡查，清理河岸垃圾，劝阻电鱼、乱倒垃圾等行为，并向村委会报告发现的问题。\n" +
			"汛期前后，志愿队协助排查沿河隐患点，提醒村民注意安全。", false, registry.CaseSubmitted, "", 3},
	{TownShuanglonghu, "四点半课堂", "其他",
		"放学后到家长下班之间，孩子们在社区活动室写作业、读书，由志愿者辅导和看护。", false, registry.CaseReturned,
		"请补充服务的人数、持续时间和取得的成效，并附活动照片。", 6},
	{TownTongjing, "山村里的“红白理事会”", "共建共治共享",
		"村里成立红白理事会，由群众推选热心公道的村民组成，帮助操办红白喜事，倡导简办节俭。", true, registry.CaseReturned,
		"正文过短，请写明理事会的做法和移风易俗的成效。", 4},
}

// LoadDemoCases writes the demo cases about live groups of each town, written by the town.
func LoadDemoCases(ctx context.Context, db *postgres.DB, now time.Time) error {
	var loads []postgres.CaseLoad
	used := map[string]int{}
	for _, c := range demoCases {
		orgs, err := db.CaseOrgs(ctx, portal.Scope{Tier: portal.TierTown, Division: c.town})
		if err != nil {
			return err
		}
		if len(orgs) == 0 {
			continue
		}
		org := orgs[used[c.town]%len(orgs)]
		used[c.town] += 7
		at := now.AddDate(0, 0, -c.daysAgo)
		author := c.town
		if c.byDistrict {
			author = DistrictCode
		}
		loads = append(loads, postgres.CaseLoad{
			CaseInput: registry.CaseInput{OrgID: org.ID, Title: c.title, Series: c.series, Story: c.story},
			Author:    author, Status: c.status, Reason: c.reason, SubmittedAt: at.Add(-48 * time.Hour), DecidedAt: at})
	}
	return db.LoadCases(ctx, system, loads)
}
