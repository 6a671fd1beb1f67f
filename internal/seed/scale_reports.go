package seed

// Generated activity reports for load tests: about five per live organization, spread from the group's creation
// (2021 at the earliest) to the day before generation, each filed by its community's committee account.

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// ReportScaleColumns are the activity_reports columns ReportScaleGenerator.Rows fills, in order, for COPY.
var ReportScaleColumns = []string{"id", "report_no", "revision", "superseded_by", "superseded_at",
	"correction_reason", "org_id", "district_code", "town_code", "community_code", "activity_date", "title", "place",
	"series", "category", "participants", "volunteers", "volunteer_hours", "beneficiaries", "beneficiaries_total",
	"description", "submitted_by", "submitted_by_name", "submitted_at", "version"}

// scaleReportKinds extend the demo's kinds so that every 主题系列 and most 活动类别 pairs occur, unevenly, as they
// would in real reports.
var scaleReportKinds = append(append([]demoReportKind{}, demoReportKinds...),
	demoReportKind{"邻里守望", "走访慰问", "重阳节慰问高龄老人", "为辖区八十岁以上老人送去重阳糕和慰问金，陪老人拉家常。", []string{"空巢老人"}},
	demoReportKind{"邻里守望", "培训讲座", "老年人智能手机使用培训", "志愿者手把手教老年人使用健康码、视频通话和网上缴费。", []string{"空巢老人"}},
	demoReportKind{"邻里守望", "文体活动", "四点半课堂", "放学后为双职工家庭和留守儿童提供作业辅导和阅读活动。", []string{"困境儿童", "农村留守人员"}},
	demoReportKind{"共建共治共享", "志愿服务", "共享工具箱进小区", "在小区设置共享工具箱，志愿者登记借还并提供小家电维修。", []string{"社区居民"}},
	demoReportKind{"共建共治共享", "培训讲座", "垃圾分类入户宣传", "志愿者入户讲解分类方法，发放分类指引和厨余垃圾桶。", []string{"社区居民"}},
	demoReportKind{"共建共治共享", "矛盾调解", "物业服务质量评议会", "组织业主代表与物业公司面对面，逐条回应居民诉求。", []string{"社区居民"}},
	demoReportKind{"共创平安", "环境整治", "消防通道清理行动", "清理楼道和消防通道堆放杂物，检查灭火器有效期。", []string{"社区居民"}},
	demoReportKind{"共创平安", "走访慰问", "独居老人安全隐患排查", "入户检查燃气、电线和防滑设施，为独居老人留下联系卡。", []string{"空巢老人", "特困人员"}},
	demoReportKind{"共创平安", "协商议事", "平安院落共建议事会", "院落居民商定门禁管理和夜间照明改造方案。", []string{"社区居民"}},
	demoReportKind{"文化铸魂", "志愿服务", "图书漂流站整理", "志愿者整理捐赠图书，登记借阅并开展亲子共读。", []string{"困境儿童", "社区居民"}},
	demoReportKind{"文化铸魂", "走访慰问", "文艺小分队进院坝", "文艺队到院坝为留守老人演出川剧和金钱板。", []string{"农村留守人员", "空巢老人"}},
	demoReportKind{"文化铸魂", "协商议事", "村规民约修订座谈", "召集村民代表讨论修订村规民约中的红白喜事条款。", []string{"社区居民", "农村留守人员"}},
	demoReportKind{"其他", "环境整治", "河道垃圾清捡", "志愿者沿河清捡垃圾，劝导沿岸商户规范倾倒。", []string{"社区居民"}},
	demoReportKind{"其他", "文体活动", "社区运动会", "开展趣味接力、拔河和象棋比赛，邻里家庭组队参加。", []string{"社区居民", "残疾人"}},
)

// scaleVenues are places in a community where groups meet; a report's place is the community's name and one of them.
var scaleVenues = []string{"党群服务中心", "新时代文明实践站", "文化广场", "居民活动室", "小区中心花园", "院坝", "老年活动中心",
	"综合文化服务中心"}

// ScaleOrg is a live organization a generated report is filed for.
type ScaleOrg struct {
	ID        int64
	Community int32 // index into the generator's communities
	Since     int32 // first day it may report: days after scaleReportStart
}

// CommitteeAccount is the 村(居)委会 account that files a community's generated reports.
type CommitteeAccount struct {
	ID       int64
	Username string
}

var scaleReportStart = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

// ReportScaleGenerator makes deterministic, valid activity reports: report k always belongs to the same live
// organization and has the same content (for a given day of generation, which bounds its dates). About one in
// a hundred was corrected once and is two rows, its first revision superseded by the second.
type ReportScaleGenerator struct {
	orgs        []ScaleOrg
	communities []portal.Division
	accounts    []CommitteeAccount // by community index
	now         time.Time
	lastDay     int32 // days after scaleReportStart: the day before generation
}

// NewReportScaleGenerator spreads reports over orgs, filed by accounts (one per community, in the order of
// communities), with activity dates before now's day in 北京时间.
func NewReportScaleGenerator(orgs []ScaleOrg, communities []portal.Division, accounts []CommitteeAccount, now time.Time) *ReportScaleGenerator {
	y, m, d := now.In(portal.Beijing).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &ReportScaleGenerator{orgs: orgs, communities: communities, accounts: accounts, now: now,
		lastDay: int32(today.Sub(scaleReportStart).Hours()/24) - 1}
}

// SinceDay is the ScaleOrg.Since of a group created at t: the day of its creation in 北京时间, or 2021-01-01.
func SinceDay(t time.Time) int32 {
	y, m, d := t.In(portal.Beijing).Date()
	return max(0, int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(scaleReportStart).Hours()/24))
}

// mix is splitmix64: a well-spread hash of the report number, from which every choice is drawn.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Corrected reports whether report k was corrected once (and so is two rows).
func (g *ReportScaleGenerator) Corrected(k int) bool { return mix(uint64(k))%100 == 42 }

// Rows are report k's revisions as COPY values in ReportScaleColumns order: its number is reportNo and its rows
// take ids from id on. It returns nil when there is no live organization to report for.
func (g *ReportScaleGenerator) Rows(k int, reportNo, id int64) [][]any {
	if len(g.orgs) == 0 {
		return nil
	}
	o := g.orgs[k%len(g.orgs)]
	round := k / len(g.orgs)
	h := mix(uint64(k))
	c := g.communities[o.Community]
	acct := g.accounts[o.Community]
	kind := scaleReportKinds[(h>>8)%uint64(len(scaleReportKinds))]
	since := min(o.Since, g.lastDay)
	day := scaleReportStart.AddDate(0, 0, int(since)+int((h>>16)%uint64(g.lastDay-since+1)))
	participants := 8 + int((h>>24)%120)
	if (h>>32)%50 == 0 {
		participants = 200 + int((h>>24)%600) // a large event now and then
	}
	volunteers := 1 + participants/6 + int((h>>40)%5)
	tenths := int64(volunteers) * int64(10+(h>>44)%31) // 1.0–4.0 hours each
	benef := map[string]int{}
	for i, b := range kind.benef {
		benef[b] = 1 + int((h>>(48+4*uint(i)))%uint64(participants))
	}
	if (h>>60)%4 == 0 {
		b := registry.Beneficiaries[(h>>52)%uint64(len(registry.Beneficiaries))]
		benef[b] += 1 + int((h>>56)%10)
	}
	title := kind.title
	if round > 0 && (h>>20)%3 == 0 {
		title += "（第" + strconv.Itoa(round+1) + "期）"
	}
	filed := time.Date(day.Year(), day.Month(), day.Day(), 9+int((h>>12)%9), int((h>>4)%60), 0, 0, portal.Beijing).
		AddDate(0, 0, 1+int((h>>2)%5))
	if filed.After(g.now) {
		filed = g.now
	}
	row := func(id int64, revision int, participants int, benef map[string]int) []any {
		return []any{id, reportNo, revision, nil, nil, "", o.ID, c.Code[:6], c.Code[:9], c.Code, day, title,
			c.Name + scaleVenues[(h>>36)%uint64(len(scaleVenues))], kind.series, kind.category, participants,
			volunteers, float64(tenths) / 10, benefJSON(benef),
			total(benef), kind.text, acct.ID, acct.Username, filed, 1}
	}
	first := row(id, 1, participants, benef)
	if !g.Corrected(k) {
		return [][]any{first}
	}
	// The committee corrected the numbers a few days later; the first revision stays as history.
	at := filed.AddDate(0, 0, 2)
	if at.After(g.now) {
		at = g.now
	}
	fixed := map[string]int{}
	for b, n := range benef {
		fixed[b] = n + 2
	}
	second := row(id+1, 2, participants+3, fixed)
	second[5] = "补录现场登记的参与人数和受益人数"
	second[23] = at
	first[3], first[4], first[24] = id+1, at, 2
	return [][]any{first, second}
}

// benefJSON is the beneficiaries object as JSON text; its keys are fixed words, so no escaping is needed.
func benefJSON(m map[string]int) string {
	var b strings.Builder
	b.WriteByte('{')
	for _, k := range registry.Beneficiaries { // a fixed order, so the same report is the same text
		n, ok := m[k]
		if !ok {
			continue
		}
		if b.Len() > 1 {
			b.WriteString(", ")
		}
		b.WriteString(`"` + k + `": ` + strconv.Itoa(n))
	}
	b.WriteByte('}')
	return b.String()
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// ReportGenResult says what GenerateReports did.
type ReportGenResult struct {
	Before int // reports that existed
	Rows   int // rows written: reports and their corrections
	Orgs   int // live organizations reported for
}

// GenerateReports appends n activity reports (postgres.BulkLoadActivityReports) for the live organizations of
// communities, filed by one disabled committee account per community, dated before now. Report k is the same
// report on every run, so a later run continues where the last one stopped; groups of communities not in
// communities get none.
func GenerateReports(ctx context.Context, db *postgres.DB, communities []portal.Division, n int, now time.Time,
	progress func(done int)) (ReportGenResult, error) {
	var res ReportGenResult
	committees, err := db.EnsureGenCommittees(ctx)
	if err != nil {
		return res, err
	}
	index := map[string]int32{}
	accounts := make([]CommitteeAccount, len(communities))
	for i, c := range communities {
		index[c.Code] = int32(i)
	}
	for _, c := range committees {
		if i, ok := index[c.CommunityCode]; ok {
			accounts[i] = CommitteeAccount{ID: c.ID, Username: c.Username}
		}
	}
	var orgs []ScaleOrg
	err = db.EachLiveOrg(ctx, func(id int64, community string, created time.Time) {
		if i, ok := index[community]; ok && accounts[i].ID != 0 {
			orgs = append(orgs, ScaleOrg{ID: id, Community: i, Since: SinceDay(created)})
		}
	})
	if err != nil {
		return res, err
	}
	if len(orgs) == 0 {
		return res, errors.New("no live organizations to report for: generate organizations first")
	}
	if res.Before, err = db.CountCurrentReports(ctx); err != nil {
		return res, err
	}
	g := NewReportScaleGenerator(orgs, communities, accounts, now)
	res.Orgs = len(orgs)
	res.Rows, err = db.BulkLoadActivityReports(ctx, ReportScaleColumns, n,
		func(i int, no, id int64) [][]any { return g.Rows(res.Before+i, no, id) }, progress)
	return res, err
}
