package seed

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// demoReportKind is a kind of activity a group reports: its 主题系列, 活动类别, a title and a line of description.
type demoReportKind struct {
	series, category, title, text string
	benef                         []string // the 服务对象 groups it usually serves
}

var demoReportKinds = []demoReportKind{
	{"邻里守望", "走访慰问", "走访慰问空巢老人", "志愿者分组入户，为空巢老人送去慰问品，测量血压，了解生活困难并登记在册。",
		[]string{"空巢老人", "特困人员"}},
	{"邻里守望", "志愿服务", "结对帮扶困境儿童课业辅导", "结对志愿者每周为困境儿童辅导作业，开展亲情陪伴和心理疏导。",
		[]string{"困境儿童", "进城务工人员及随迁子女"}},
	{"邻里守望", "志愿服务", "助残志愿服务进家庭", "为辖区残疾人提供代购代办、陪同就医和康复训练协助。", []string{"残疾人", "低保对象"}},
	{"共建共治共享", "协商议事", "居民议事会：小区停车秩序协商", "召集居民代表、物业和业委会协商停车位划线方案，形成议事纪要并公示。",
		[]string{"社区居民"}},
	{"共建共治共享", "环境整治", "楼栋环境卫生大扫除", "清理楼道堆放杂物和绿化带垃圾，宣传垃圾分类知识。", []string{"社区居民", "空巢老人"}},
	{"共创平安", "矛盾调解", "邻里纠纷调解", "调解员上门了解楼上楼下漏水纠纷，组织双方协商达成一致。", []string{"社区居民"}},
	{"共创平安", "志愿服务", "夜间治安巡逻", "治安巡逻队分三组巡查辖区重点路段和背街小巷，排查安全隐患。", []string{"社区居民"}},
	{"共创平安", "培训讲座", "反电信诈骗宣传讲座", "民警讲解常见诈骗手法，志愿者协助老年居民安装国家反诈中心应用。",
		[]string{"空巢老人", "社区居民"}},
	{"文化铸魂", "文体活动", "广场舞展演", "组织辖区文艺队伍开展广场舞展演，丰富居民精神文化生活。", []string{"社区居民", "空巢老人"}},
	{"文化铸魂", "培训讲座", "家风家训宣讲", "宣讲团讲述身边好家风故事，倡导文明新风。", []string{"社区居民", "农村留守人员"}},
	{"文化铸魂", "文体活动", "传统节日邻里共享活动", "邀请留守老人和儿童一起做节令美食、讲节日习俗。", []string{"农村留守人员", "困境儿童"}},
	{"其他", "其他", "健康义诊进社区", "联系社区卫生服务中心开展义诊，提供血压血糖测量和用药咨询。", []string{"空巢老人", "低保对象", "残疾人"}},
	{"其他", "培训讲座", "就业技能培训", "为进城务工人员开展家政服务技能培训，介绍就业岗位信息。", []string{"进城务工人员及随迁子女", "低保对象"}},
}

// demoReportCommunities are the communities whose groups get demo reports: both demo communities, their
// neighbours in the same towns, and one community in a few other towns, so that town and district lists differ.
func demoReportCommunities(communities []portal.Division) []string {
	out := []string{CommunityDemo, CommunityDemoRural, TownShuanglonghu + "002", TownShuanglonghu + "003",
		TownTongjing + "201"}
	seen := map[string]bool{}
	for _, c := range out {
		seen[c] = true
	}
	towns := map[string]bool{TownShuanglonghu: true, TownTongjing: true}
	for _, c := range communities {
		if len(towns) >= 8 {
			break
		}
		if !towns[c.ParentCode] && !seen[c.Code] {
			towns[c.ParentCode] = true
			out = append(out, c.Code)
		}
	}
	return out
}

// LoadDemoReports files demo activity reports for the live groups of several communities, in every 主题系列,
// dated from 2021 to mid-2026, a few of them corrected once. The same database gets the same reports. LoadDemo
// calls it once, after the organizations.
func LoadDemoReports(ctx context.Context, db *postgres.DB) error {
	rng := rand.New(rand.NewPCG(2021, 4))
	start := time.Date(2021, 1, 4, 0, 0, 0, 0, time.UTC)
	end := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	if today := time.Now().UTC().Truncate(24 * time.Hour); today.Before(end) {
		end = today
	}
	span := int(end.Sub(start).Hours() / 24)
	beijing := portal.Beijing
	var loads []postgres.ReportLoad
	k := 0
	for _, code := range demoReportCommunities(DemoCommunities(Towns())) {
		groups, err := db.ReportGroups(ctx, portal.Scope{Tier: portal.TierCommunity, Division: code})
		if err != nil {
			return err
		}
		perGroup := 3
		if code == CommunityDemo || code == CommunityDemoRural {
			perGroup = 8
		}
		for _, g := range groups {
			for range perGroup {
				kind := demoReportKinds[k%len(demoReportKinds)]
				k++
				day := start.AddDate(0, 0, rng.IntN(span+1))
				participants := 8 + rng.IntN(80)
				volunteers := 2 + rng.IntN(min(participants, 25))
				in := registry.ReportInput{OrgID: g.ID, ActivityDate: day, Title: kind.title,
					Place: demoVenues[rng.IntN(len(demoVenues))], Series: kind.series, Category: kind.category,
					Participants: participants, Volunteers: volunteers,
					VolunteerTenths: int64(volunteers * (10 + 5*rng.IntN(6))), Beneficiaries: map[string]int{},
					Description: kind.text, Demo: true}
				for _, b := range kind.benef {
					in.Beneficiaries[b] = 1 + rng.IntN(30)
				}
				if rng.IntN(4) == 0 {
					b := registry.Beneficiaries[rng.IntN(len(registry.Beneficiaries))]
					in.Beneficiaries[b] += 1 + rng.IntN(10)
				}
				at := time.Date(day.Year(), day.Month(), day.Day(), 10, rng.IntN(60), 0, 0, beijing).
					AddDate(0, 0, 1+rng.IntN(4))
				l := postgres.ReportLoad{ReportInput: in, SubmittedAt: at}
				if k%9 == 0 {
					// Every ninth report was corrected once: the first revision stays as its history.
					c := in
					c.Beneficiaries = map[string]int{}
					for b, n := range in.Beneficiaries {
						c.Beneficiaries[b] = n + 2
					}
					c.Participants = in.Participants + 5
					l.Correction = &c
					l.CorrectionReason = "补录当天现场登记的受益人数和参与人数"
					l.CorrectedAt = at.AddDate(0, 0, 2)
				}
				loads = append(loads, l)
			}
		}
	}
	return db.LoadActivityReports(ctx, portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}, system, loads)
}
