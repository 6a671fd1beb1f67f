package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// LoadDemoOrganizations puts the demo organizations into the database through the store, so that leader phones
// and 身份证号 are sealed like any others. LoadDemo calls it once, before it records that demo data is loaded.
func LoadDemoOrganizations(ctx context.Context, db *postgres.DB) error {
	orgs, err := DemoOrganizations(Towns(), DemoCommunities(Towns()))
	if err != nil {
		return err
	}
	return db.LoadOrganizations(ctx, portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}, system, orgs)
}

// demoKind is one kind of group: the 业务领域 and 组织形式 of its name, and the 服务领域 and 性质 it records.
type demoKind struct {
	field, form string
	service     string // one of registry.Fields
	nature      string // one of registry.Natures
}

// demoUnregistered are the groups residents form, named the way they name them.
var demoUnregistered = []demoKind{
	{"舞蹈", "队", "文体娱乐", "互助性"}, {"广场舞", "队", "文体娱乐", "互助性"}, {"腰鼓", "队", "文体娱乐", "互助性"},
	{"合唱", "团", "文体娱乐", "互助性"}, {"艺术", "团", "文体娱乐", "互助性"}, {"川剧", "社", "文体娱乐", "互助性"},
	{"书画", "社", "文体娱乐", "互助性"}, {"读书", "会", "科普教育", "互助性"}, {"太极", "队", "文体娱乐", "互助性"},
	{"门球", "队", "文体娱乐", "互助性"}, {"摄影", "俱乐部", "文体娱乐", "互助性"}, {"象棋", "俱乐部", "文体娱乐", "互助性"},
	{"徒步", "队", "文体娱乐", "互助性"}, {"手工", "组", "文体娱乐", "互助性"}, {"编织", "组", "邻里互助", "互助性"},
	{"志愿服务", "队", "志愿服务", "公益性"}, {"治安巡逻", "队", "平安建设", "公益性"}, {"环保", "队", "环境保护", "公益性"},
	{"宣讲", "团", "科普教育", "公益性"}, {"邻里互助", "会", "邻里互助", "互助性"}, {"助老", "队", "养老照护", "公益性"},
	{"关爱", "之家", "儿童关爱", "公益性"}, {"调解", "工作室", "矛盾调解", "公益性"}, {"心理疏导", "工作室", "心理服务", "服务性"},
	{"法律服务", "站", "法律服务", "服务性"}, {"养老服务", "站", "养老照护", "服务性"}, {"红白", "理事会", "为民服务", "互助性"},
	{"乡贤", "参事会", "为民服务", "公益性"}, {"农技", "协会", "农业农村服务", "互助性"}, {"垃圾分类", "队", "环境保护", "公益性"},
}

// demoSocialGroups are 社会团体 the district has registered.
var demoSocialGroups = []demoKind{
	{"养老服务", "协会", "养老照护", "服务性"}, {"文化艺术", "促进会", "文体娱乐", "公益性"},
	{"志愿服务", "联合会", "志愿服务", "公益性"}, {"老年人", "协会", "养老照护", "互助性"},
	{"体育", "协会", "文体娱乐", "互助性"}, {"乡贤", "联谊会", "为民服务", "公益性"},
}

// demoServiceBodies are 民办非企业单位 (社会服务机构) the district has registered.
var demoServiceBodies = []demoKind{
	{"社会工作服务", "中心", "为民服务", "服务性"}, {"养老服务", "中心", "养老照护", "服务性"},
	{"居家养老", "站", "养老照护", "服务性"}, {"康复", "中心", "助残服务", "服务性"},
	{"家庭服务", "中心", "为民服务", "服务性"}, {"心理服务", "中心", "心理服务", "服务性"},
}

// demoZihao are invented 字号; none is a division name or a word only the field may use.
var demoZihao = []string{"馨悦", "和美", "暖阳", "同心圆", "红枫", "益邻", "乐龄", "安心", "彩虹", "晨曦", "春雨",
	"德润", "福满", "惠民", "金秋", "乐活", "邻家", "满天星", "暖心", "启明", "青松", "仁爱", "善行", "向日葵",
	"映山红", "夕阳红", "百合", "常青", "朝晖", "聚力", "康宁", "兰韵", "立新", "绿荫", "睦邻", "清风", "书香",
	"顺心", "桃李", "欣然", "雅韵", "怡然", "悦享", "知音", "众心", "蒲公英", "小橘灯", "银龄", "和风", "星火"}

var demoSurnames = []string{"张", "王", "李", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "胡", "朱",
	"郭", "何", "罗", "高", "林", "谭", "冉", "向", "邓"}

var demoGivenNames = []string{"建华", "秀英", "玉兰", "德明", "桂芳", "国强", "淑珍", "志刚", "红梅", "永福", "春燕",
	"学军", "丽萍", "文彬", "晓燕", "大勇", "光荣", "素芬", "明亮", "小琴", "家贵", "世英", "成林", "翠华"}

var demoMobilePrefixes = []string{"138", "139", "135", "136", "137", "150", "151", "152", "158", "159", "177",
	"180", "181", "186", "187", "189", "199"}

var demoVenues = []string{"党群服务中心活动室", "文化广场", "老年活动中心", "便民服务中心二楼", "新时代文明实践站",
	"居民议事厅", "图书室", "综合文化服务中心"}

// demoEndings are reasons groups stop, as clerks write them.
var demoEndings = []string{
	"成员年龄偏大、活动难以为继，经成员协商一致自行解散",
	"负责人迁居外地，无人接续，经社区两委同意注销",
	"与本社区其他同类队伍合并",
}

// DemoOrganizations invents a few hundred organizations in every demo community of every town: mostly guided
// groups, some filed by their 镇街 with a 备案编号, some registered by the district with a valid 统一社会信用代码,
// a few dissolved or revoked with their reasons. The two demo communities get several each. The same call
// always gives the same organizations (a fixed seed), and every name passes rules.CheckName.
func DemoOrganizations(towns, communities []portal.Division) ([]postgres.OrgLoad, error) {
	rng := rand.New(rand.NewPCG(2021, 114))
	townName := map[string]string{}
	for _, t := range towns {
		townName[t.Code] = t.Name
	}
	epoch := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	names := map[string]bool{}
	filingSeq := map[string]int{}
	var out []postgres.OrgLoad
	var errs []error
	for _, c := range communities {
		n := 1 + rng.IntN(2)
		if c.Code == CommunityDemo || c.Code == CommunityDemoRural {
			n = 7
		}
		for k := range n {
			i := len(out)
			tier := registry.TierGuided
			switch roll := rng.IntN(100); {
			case c.Code == CommunityDemo || c.Code == CommunityDemoRural:
				// a fixed mix, so that every page has something to show for the demo accounts
				tier = []registry.Tier{registry.TierGuided, registry.TierGuided, registry.TierFiled,
					registry.TierGuided, registry.TierRegistered, registry.TierGuided, registry.TierGuided}[k]
			case roll < 20:
				tier = registry.TierFiled
			case roll < 30:
				tier = registry.TierRegistered
			}
			legal, kinds := rules.FormUnregistered, demoUnregistered
			if tier == registry.TierRegistered {
				legal, kinds = rules.FormSocialGroup, demoSocialGroups
				if rng.IntN(2) == 0 {
					legal, kinds = rules.FormPrivateNonEnterprise, demoServiceBodies
				}
			}
			kind := kinds[rng.IntN(len(kinds))]
			parts := rules.NameParts{Prefix: "渝北区" + townName[c.ParentCode], Community: c.Name,
				Field: kind.field, Form: kind.form}
			for try := 0; ; try++ {
				parts.Zihao = demoZihao[(rng.IntN(len(demoZihao))+try)%len(demoZihao)]
				if !names[rules.ComposeName(parts)] {
					break
				}
			}
			name := rules.ComposeName(parts)
			names[name] = true
			if p := rules.CheckName(parts, legal, c.Name); !p.OK() {
				errs = append(errs, fmt.Errorf("demo organization %s: %v", name, p))
				continue
			}
			founded := epoch.AddDate(0, 0, rng.IntN(9*365))
			members := 8 + rng.IntN(70)
			party := registry.PartyStatuses[rng.IntN(len(registry.PartyStatuses))]
			partyMembers := 0
			if party != "未覆盖" {
				partyMembers = 1 + rng.IntN(members/4+1)
			}
			in := registry.OrgInput{
				CommunityCode: c.Code, Tier: tier, LegalForm: legal, NameParts: parts,
				Fields: demoFields(rng, kind.service), Nature: kind.nature,
				Beneficiaries: demoBeneficiaries(rng, c.Rural), FoundedOn: &founded,
				LeaderName:  demoSurnames[rng.IntN(len(demoSurnames))] + demoGivenNames[rng.IntN(len(demoGivenNames))],
				LeaderPhone: demoPhone(rng), Venue: c.Name + demoVenues[rng.IntN(len(demoVenues))],
				Charter: demoCharter(name, c.Name, kind.field), Members: members, Volunteers: rng.IntN(members + 1),
				PartyStatus: party, PartyMembers: partyMembers, Demo: true,
			}
			if tier != registry.TierGuided || rng.IntN(10) < 6 {
				in.LeaderID = demoIDNumber(rng, i)
			}
			switch tier {
			case registry.TierFiled:
				filingSeq[c.ParentCode]++
				year := 2021 + rng.IntN(4)
				in.FilingNo = "渝北社备〔" + strconv.Itoa(year) + "〕" + c.ParentCode[6:] + "-" +
					fmt.Sprintf("%04d", filingSeq[c.ParentCode]) + "号"
				in.GuideUnit = townName[c.ParentCode] + "社区工作办公室"
				in.Funding = "成员自筹、" + communityWord(c) + "支持"
			case registry.TierRegistered:
				in.USCC = rules.MakeUSCC(legal, DistrictCode, "MJY"+fmt.Sprintf("%05d", 10000+i*7))
				in.GuideUnit = "渝北区民政局"
				in.Funding = "会费、服务收入、政府购买服务"
				if rng.IntN(3) == 0 {
					in.Incubation = "渝北区社会组织孵化基地"
				}
			}
			l := postgres.OrgLoad{OrgInput: in}
			switch roll := rng.IntN(100); {
			case k == n-1 && (c.Code == CommunityDemo || c.Code == CommunityDemoRural):
				l.Status, l.StatusReason = registry.StatusDissolved, demoEndings[0]
			case roll < 4:
				l.Status, l.StatusReason = registry.StatusDissolved, demoEndings[rng.IntN(len(demoEndings))]
			case roll < 5 && tier == registry.TierFiled:
				l.Status, l.StatusReason = registry.StatusRevoked, "连续一年未开展活动且无法联系负责人，经镇街核实撤销备案"
			case roll < 8:
				l.Status, l.StatusReason = registry.StatusAbnormal, "近半年未开展活动，正在联系负责人了解情况"
			}
			if l.Status != "" {
				on := founded.AddDate(1, rng.IntN(12), rng.IntN(28))
				if limit := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC); on.After(limit) {
					on = limit
				}
				l.StatusOn = &on
			}
			out = append(out, l)
		}
	}
	return out, errors.Join(errs...)
}

func communityWord(c portal.Division) string {
	if c.Rural {
		return "村委会"
	}
	return "社区"
}

// demoFields is the group's own 服务领域 and, now and then, a second one.
func demoFields(rng *rand.Rand, main string) []string {
	out := []string{main}
	if rng.IntN(3) == 0 {
		if other := registry.Fields[rng.IntN(len(registry.Fields))]; other != main {
			out = append(out, other)
		}
	}
	return out
}

func demoBeneficiaries(rng *rand.Rand, rural bool) []string {
	out := []string{"社区居民"}
	if rural {
		out = []string{"农村留守人员"}
	}
	if b := registry.Beneficiaries[rng.IntN(len(registry.Beneficiaries))]; b != out[0] {
		out = append(out, b)
	}
	return out
}

// demoPhone is a mobile number, or now and then an office landline in 重庆 (023).
func demoPhone(rng *rand.Rand) string {
	if rng.IntN(8) == 0 {
		return fmt.Sprintf("023-6%07d", rng.IntN(10000000))
	}
	return demoMobilePrefixes[rng.IntN(len(demoMobilePrefixes))] + fmt.Sprintf("%08d", rng.IntN(100000000))
}

// demoIDNumber is a valid 身份证号 of someone born 1950–1994 with a 重庆 registration code; i keeps the
// sequence part different between leaders.
func demoIDNumber(rng *rand.Rand, i int) string {
	birth := time.Date(1950+rng.IntN(45), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	area := []string{"500112", "500112", "500221", "500383", "510215"}[rng.IntN(5)]
	return rules.MakeIDNumber(area + birth.Format("20060102") + fmt.Sprintf("%03d", i%1000))
}

func demoCharter(name, community, field string) string {
	return strings.Join([]string{
		"一、本组织名称为" + name + "，由" + community + "居民自愿组成，是在" + community +
			"党组织领导和村(居)委会指导下开展" + field + "活动的社区社会组织。",
		"二、成员自愿加入、自由退出，遵守国家法律法规和居民公约，不从事营利活动。",
		"三、负责人由成员推选产生，每年向" + community + "两委报告一次工作，接受居民评议。",
		"四、活动经费来源于成员自筹和社会捐赠，收支定期向成员公开。",
	}, "\n")
}
