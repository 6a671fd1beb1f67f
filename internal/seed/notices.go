package seed

import (
	"context"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// demoActivity is one kind of major activity a community reports, as committees write them.
type demoActivity struct {
	kind, title, place string
	attendance         int
	safety             string
	hours              int // how long it lasts
}

var demoActivities = []demoActivity{
	{"节庆活动", "中秋邻里团圆会", "文化广场", 300, "设安全责任人1名、志愿者10名维持秩序；划定疏散通道并保持畅通；配备灭火器4具；社区卫生服务站派医护人员值守。", 3},
	{"文化演出", "社区文艺汇演", "党群服务中心广场", 500, "舞台由具备资质的单位搭建并验收；设置进出口分流；安排治安巡逻队12人值守；制定踩踏、火灾应急预案。", 3},
	{"体育竞赛", "趣味运动会", "社区运动场", 200, "赛前检查场地器材；每个项目设裁判和安全员；配备急救箱和医护志愿者；高温时段调整赛程。", 4},
	{"人员集会", "居民议事大会", "居民议事厅", 120, "控制入场人数不超过场所容量；安排专人引导就座；保持安全出口畅通；会前检查电器线路。", 2},
	{"节庆活动", "重阳敬老游园会", "老年活动中心", 250, "老人分组由志愿者陪同；场地铺设防滑垫；医护人员现场值守；准备轮椅和休息区。", 3},
	{"文化演出", "坝坝舞展演", "文化广场", 400, "音响音量控制在规定范围内；场地四周设隔离带；安排志愿者15人疏导人流；22点前结束。", 2},
	{"体育竞赛", "门球友谊赛", "门球场", 80, "赛前检查场地；配备急救箱；提醒参赛老人量力而行；安排医护志愿者1名。", 5},
	{"人员集会", "消防安全宣传集会", "便民服务中心前坪", 150, "邀请消防站现场指导；设置演示隔离区；演示用灭火器由专人操作；活动区域远离停车场。", 2},
	{"节庆活动", "春节迎新游园活动", "新时代文明实践站", 350, "游园区域划分单向通道；设置失物招领和走失儿童求助点；配备灭火器6具；治安巡逻队全程值守。", 4},
	{"文化演出", "川剧票友专场", "综合文化服务中心", 180, "室内场所核定容量200人，凭票入场；检查消防设施和应急照明；安排引导员4名。", 3},
}

var demoContacts = []string{"张建华", "王秀英", "李德明", "刘桂芳", "陈国强", "杨淑珍", "黄志刚", "赵红梅", "周永福", "吴春燕"}

// demoNoticeStep is where a demo notice stands: its state and how many days from the load its activity starts.
type demoNoticeStep struct {
	status registry.NoticeStatus
	days   int // negative: already held
	reason string
}

// demoNoticeSteps are demo-community's notices: every state, two upcoming ones the town has not acknowledged
// within three days of their start, and ones already held.
var demoNoticeSteps = []demoNoticeStep{
	{registry.NoticeSubmitted, 2, ""},
	{registry.NoticeSubmitted, 9, ""},
	{registry.NoticeAcknowledged, 5, ""},
	{registry.NoticeChangesRequested, 12, "请补充现场安保人员安排和疏散通道示意，并说明如遇降雨的备用场地。"},
	{registry.NoticeWithdrawn, 7, "因天气原因取消"},
	{registry.NoticeAcknowledged, -20, ""},
	{registry.NoticeSubmitted, 1, ""},
	{registry.NoticeAcknowledged, 30, ""},
}

// otherNoticeSteps cycle through the other demo communities of 双龙湖街道 and 统景镇.
var otherNoticeSteps = []demoNoticeStep{
	{registry.NoticeSubmitted, 1, ""},
	{registry.NoticeAcknowledged, 6, ""},
	{registry.NoticeSubmitted, 15, ""},
	{registry.NoticeChangesRequested, 10, "预计参加人数较多，请补充交通疏导和应急预案。"},
	{registry.NoticeAcknowledged, -10, ""},
	{registry.NoticeWithdrawn, 4, "场地临时另有安排，活动延期另行报告"},
	{registry.NoticeSubmitted, 2, ""},
	{registry.NoticeAcknowledged, 21, ""},
	{registry.NoticeSubmitted, -3, ""},
}

// LoadDemoNotices puts demo major-activity notices, dated relative to now, into the communities of 双龙湖街道 and
// 统景镇, through the store so that contact phones are sealed like any others. LoadDemo calls it once, after the
// demo organizations, whose groups some notices name as organizer.
func LoadDemoNotices(ctx context.Context, db *postgres.DB, now time.Time) error {
	var notices []postgres.NoticeLoad
	k := 0
	for _, c := range DemoCommunities(Towns()) {
		if c.ParentCode != TownShuanglonghu && c.ParentCode != TownTongjing {
			continue
		}
		orgs, err := db.NoticeOrgs(ctx, portal.Scope{Tier: portal.TierCommunity, Division: c.Code})
		if err != nil {
			return err
		}
		steps := demoNoticeSteps
		if c.Code != CommunityDemo {
			// two or three notices each, in turn through every state
			n := 2 + k%2
			steps = nil
			for i := 0; i < n; i++ {
				steps = append(steps, otherNoticeSteps[(k+i)%len(otherNoticeSteps)])
			}
		}
		committee := c.Name + "居民委员会"
		if c.Rural {
			committee = c.Name + "村民委员会"
		}
		for i, s := range steps {
			notices = append(notices, demoNotice(c.Code, committee, orgs, s, k+i, now))
		}
		k += len(steps)
	}
	return db.LoadNotices(ctx, portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}, system, notices)
}

// demoNotice is the n-th demo notice: an activity starting s.days from now at 09:00 or 19:00 北京时间.
func demoNotice(community, committee string, orgs []registry.NoticeOrg, s demoNoticeStep, n int, now time.Time) postgres.NoticeLoad {
	a := demoActivities[n%len(demoActivities)]
	bj := now.In(beijingTime)
	hour := 9
	if a.kind == "文化演出" {
		hour = 19
	}
	start := time.Date(bj.Year(), bj.Month(), bj.Day()+s.days, hour, 0, 0, 0, beijingTime)
	in := registry.NoticeInput{Kind: a.kind, Title: strconv.Itoa(start.Year()) + "年" + a.title, StartsAt: start,
		EndsAt: start.Add(time.Duration(a.hours) * time.Hour), Place: a.place, Attendance: a.attendance,
		Organizer: committee, Safety: a.safety, ContactName: demoContacts[n%len(demoContacts)],
		ContactPhone: demoMobilePrefixes[n%len(demoMobilePrefixes)] + pad4(n*37%10000) + pad4(n*7919%10000)}
	// Every other notice is organized by one of the community's groups.
	if len(orgs) > 0 && n%2 == 0 {
		o := orgs[n%len(orgs)]
		in.OrgID, in.Organizer = o.ID, o.Name
	}
	// Reported a week ahead (or, for the upcoming ones, some hours before the load); decided a day later.
	submitted := start.AddDate(0, 0, -7)
	if submitted.After(now) || s.days >= 0 {
		submitted = now.Add(-time.Duration(2+n%48) * time.Hour)
	}
	decided := submitted.Add(20 * time.Hour)
	if decided.After(now) {
		decided = now.Add(-time.Minute)
	}
	return postgres.NoticeLoad{NoticeInput: in, CommunityCode: community, Status: s.status, Reason: s.reason,
		SubmittedAt: submitted, DecidedAt: decided}
}

// beijingTime is 北京时间, in which demo activities start on the hour.
var beijingTime = portal.Beijing

func pad4(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}
