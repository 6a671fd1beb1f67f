package seed

import (
	"fmt"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/sealbox"
)

// ScaleColumns are the organization columns ScaleRow fills, in order, for COPY.
var ScaleColumns = []string{"district_code", "town_code", "community_code", "tier", "legal_form", "name",
	"name_prefix", "name_community", "name_zihao", "name_field", "name_form", "uscc", "filing_no", "fields",
	"nature", "beneficiaries", "founded_on", "leader_name", "leader_phone_enc", "leader_phone_mask", "members",
	"volunteers", "party_status", "party_members", "status", "status_on", "status_reason", "created_at"}

// scaleSyllables make 字号 for generated organizations: 60×60 two-syllable words, none of them a division name.
var scaleSyllables = []string{"和", "美", "康", "乐", "安", "宁", "福", "善", "仁", "爱", "德", "信", "诚", "勤",
	"朗", "晴", "春", "晨", "秋", "冬", "兰", "竹", "梅", "菊", "松", "柏", "桂", "荷", "枫", "杨", "柳", "梧", "桐",
	"星", "辰", "月", "阳", "光", "彩", "虹", "霞", "云", "雨", "露", "泉", "溪", "源", "茂", "森", "苗", "禾", "丰",
	"盛", "荣", "兴", "旺", "瑞", "祥", "吉", "嘉"}

// ScaleGenerator makes deterministic, valid organizations spread over every community, for load tests at the
// size PERFORMANCE.md sets (2 million). Row i is always the same organization.
type ScaleGenerator struct {
	communities []portal.Division
	towns       map[string]string
	box         *sealbox.Box
	fields      []string
	epoch       time.Time
}

// NewScaleGenerator spreads organizations over communities (with their towns' names for the name prefix).
func NewScaleGenerator(towns, communities []portal.Division, box *sealbox.Box) *ScaleGenerator {
	g := &ScaleGenerator{communities: communities, towns: map[string]string{}, box: box,
		fields: []string{"养老服务", "邻里互助", "志愿服务", "文体娱乐", "舞蹈", "书画", "调解", "环保", "助残",
			"儿童关爱", "科普", "法律服务", "心理服务", "读书", "太极"},
		epoch: time.Date(2021, 7, 21, 9, 0, 0, 0, portal.Beijing)}
	for _, t := range towns {
		g.towns[t.Code] = t.Name
	}
	return g
}

// Row is organization i as COPY values in ScaleColumns order.
func (g *ScaleGenerator) Row(i int) []any {
	ci := i % len(g.communities)
	c := g.communities[ci]
	k := i / len(g.communities) // the organization's number inside its community
	// The field turns with every row so that any field word is spread evenly over time (a name search on it
	// then meets matches at the same rate at every depth of the newest-first list, as real data does): the
	// community's index shifts it, since neighbouring rows share k. For one community the shift is constant,
	// so the pair (k mod 3600, field) stays unique for every k below 3600 × len(fields).
	zihao := scaleSyllables[k%60] + scaleSyllables[(k/60)%60]
	field := g.fields[(k/3600+k+ci)%len(g.fields)]
	if k >= 3600*len(g.fields) {
		panic(fmt.Sprintf("seed: more than %d organizations per community would repeat names", 3600*len(g.fields)))
	}
	tier, legal, form := registry.TierGuided, rules.FormUnregistered, []string{"队", "团", "协会", "社", "组"}[i%5]
	var uscc, filingNo any
	switch r := i % 10; {
	case r == 0:
		tier, legal, form = registry.TierRegistered, rules.FormSocialGroup, "协会"
		uscc = rules.MakeUSCC(legal, DistrictCode, scaleOrgBody(i))
	case r == 1 && i%7 == 0:
		tier, legal, form = registry.TierRegistered, rules.FormPrivateNonEnterprise, "中心"
		uscc = rules.MakeUSCC(legal, DistrictCode, scaleOrgBody(i))
	case r <= 2:
		tier = registry.TierFiled
		year := 2021 + (i/10)%6
		// the real scheme numbers 4 digits per town and year; generated rows use the row number to stay unique
		filingNo = "渝北社备〔" + strconv.Itoa(year) + "〕" + c.ParentCode[6:] + "-" + pad(i, 7) + "号"
	}
	prefix := "渝北区" + g.towns[c.ParentCode]
	name := prefix + c.Name + zihao + field + form
	status, statusOn, statusReason := registry.StatusNormal, any(nil), ""
	switch i % 50 {
	case 7:
		status, statusOn, statusReason = registry.StatusAbnormal, g.epoch.AddDate(3, 0, i%300), "连续两个报告期未报送工作报告"
	case 13:
		status, statusOn, statusReason = registry.StatusDissolved, g.epoch.AddDate(2, 0, i%300), "成员自愿解散"
	}
	phone := "13" + strconv.Itoa(5+i%5) + pad(i%100000000, 8)
	created := g.epoch.Add(time.Duration(i%(5*365*24)) * time.Hour)
	founded := created.AddDate(-(i % 6), 0, 0)
	return []any{
		c.Code[:6], c.Code[:9], c.Code, string(tier), string(legal), name,
		prefix, c.Name, zihao, field, form, uscc, filingNo, []string{registry.Fields[i%len(registry.Fields)]},
		registry.Natures[i%3], []string{registry.Beneficiaries[i%len(registry.Beneficiaries)]}, founded,
		scaleSyllables[i%60] + "某" + scaleSyllables[(i/60)%60], g.box.Seal(phone, "leader_phone"), rules.MaskPhone(phone),
		5 + i%60, i % 30, registry.PartyStatuses[i%4], i % 5, string(status), statusOn, statusReason, created,
	}
}

// scaleOrgBody is 8 distinct characters of the USCC's organization code for row i.
func scaleOrgBody(i int) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := []byte("MJ000000")
	for p, n := 7, i; p >= 2; p-- {
		b[p] = alphabet[n%len(alphabet)]
		n /= len(alphabet)
	}
	return string(b)
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
