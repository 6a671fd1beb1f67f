// Package rules holds the checks the portal applies to what clerks type:
// organization names, 统一社会信用代码, 居民身份证号 and phone numbers. It does
// no I/O, so every rule can be unit- and fuzz-tested on its own.
//
// The name rule comes from 渝北民〔2021〕114号 (the district's 2021–2023 action
// plan for 社区社会组织), §三(四)2 科学登记管理, which follows 渝民办〔2021〕83号:
// a name is made of 行政区划、社区（村）、字号、业务范围（领域）、组织形式, in that
// order; a 社会团体 may leave out the 字号, while a 民办非企业单位 or 基金会 needs a
// 字号 of two or more 汉字. The finer points (no 县级以上 division name as 字号,
// no 中国/全国/中华/国际/世界 outside the field, no 第一/最高/国家级, the lists of
// 组织形式) follow the national name rules for 社会团体 and 民办非企业单位 as the
// design summarizes them. The code checks follow GB 32100-2015, GB 11714 and
// GB 11643.
package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// LegalForm is how an organization stands in law, which decides the 组织形式
// its name may end with and position 2 of its 统一社会信用代码.
type LegalForm string

const (
	FormSocialGroup          LegalForm = "社会团体"
	FormPrivateNonEnterprise LegalForm = "民办非企业单位" // now also called 社会服务机构
	FormFoundation           LegalForm = "基金会"
	// FormUnregistered covers both the groups a 镇街 files (备案) and the
	// small ones a 村(居)委会 guides; neither has a registered legal form.
	FormUnregistered LegalForm = "未登记团体"
)

// orgForms lists the 组织形式 each legal form may use. The registered lists
// are the design's. The unregistered list is wider on purpose: these groups
// are named the way residents name them (舞蹈队, 艺术团, 读书会, 书画社, 调解
// 工作室, 乡贤参事会), and a form that only suits a registered body (基金会,
// 学校, 医院) is left out so a name does not suggest a standing it lacks.
// 理事会, 议事会, 参事会 and 自管会 are covered by 会 already but are listed so
// ParseName splits 乡贤参事会 as 乡贤 + 参事会 rather than guess at 参事.
var orgForms = map[LegalForm][]string{
	FormSocialGroup: {"协会", "学会", "研究会", "促进会", "联合会", "联谊会", "商会",
		"同业公会", "校友会", "慈善会", "福利会", "互助会"},
	FormPrivateNonEnterprise: {"学校", "学院", "园", "医院", "中心", "院", "所", "馆",
		"站", "社", "公寓", "俱乐部"},
	FormFoundation: {"基金会"},
	FormUnregistered: {"队", "团", "班", "组", "社", "会", "站", "协会", "中心",
		"理事会", "议事会", "参事会", "自管会", "俱乐部", "工作室", "之家"},
}

// Valid reports whether f is one of the four legal forms.
func (f LegalForm) Valid() bool {
	_, ok := orgForms[f]
	return ok
}

// Forms returns the 组织形式 a name of this legal form may end with, in the
// order a form's drop-down should offer them.
func (f LegalForm) Forms() []string { return slices.Clone(orgForms[f]) }

// needsZihao is the seed's own distinction: only 社会团体 (and groups that are
// not registered at all) may be named by field alone.
func (f LegalForm) needsZihao() bool {
	return f == FormPrivateNonEnterprise || f == FormFoundation
}

// knownFields are common 业务范围（领域） words. CheckName accepts any field in
// 汉字; this list only lets ParseName find where the 字号 ends in a name read
// from a spreadsheet, so it favours the words groups really use.
var knownFields = []string{
	// 为民服务、邻里
	"为民服务", "便民服务", "社区服务", "综合服务", "邻里互助", "邻里守望", "邻里", "互助",
	"家庭服务", "家政服务", "物业", "居民议事", "议事", "协商",
	// 养老、助残、关爱
	"养老服务", "养老照护", "居家养老", "养老", "助老", "敬老", "老年", "老年人",
	"助残", "扶残", "残疾人", "儿童关爱", "关爱", "青少年服务", "青少年", "妇女儿童",
	"育幼", "托育", "幼儿", "学前教育", "教育",
	// 公益慈善、志愿
	"公益慈善", "慈善", "公益", "志愿服务", "志愿", "社会工作", "社会工作服务", "社工服务",
	// 文体娱乐
	"文体娱乐", "文体", "文化", "文艺", "文化艺术", "艺术", "舞蹈", "广场舞", "秧歌", "腰鼓",
	"合唱", "歌咏", "声乐", "器乐", "乐器", "民乐", "川剧", "戏曲", "曲艺", "书画", "书法",
	"绘画", "摄影", "读书", "朗诵", "诗词", "手工", "编织", "非遗", "民俗",
	"体育", "健身", "太极", "太极拳", "乒乓球", "羽毛球", "篮球", "足球", "门球", "象棋",
	"围棋", "登山", "徒步", "健康", "养生", "康复", "卫生",
	// 平安建设
	"调解", "矛盾调解", "纠纷调解", "人民调解", "平安", "平安建设", "巡逻", "治安巡逻",
	"禁毒", "防灾减灾", "应急救援", "消防", "法律服务", "法律援助", "心理服务", "心理疏导",
	// 农业农村、环境
	"农业", "农技", "农业农村服务", "种植", "养殖", "科普", "科技", "环保", "环境保护",
	"垃圾分类", "乡风文明", "移风易俗", "乡贤", "红白",
	// 就业、其他
	"就业", "创业", "就业创业", "退役军人服务", "宣讲",
}

// Fields returns the 业务领域 words ParseName recognizes, for suggestions in
// the form.
func Fields() []string { return slices.Clone(knownFields) }

// NameParts is an organization name taken apart the way the seed composes it.
type NameParts struct {
	Prefix    string // 行政区划: 渝北区, or 渝北区 and the 镇街, e.g. 渝北区双龙湖街道
	Community string // 社区（村）, e.g. 锦华社区 or 石坪村
	Zihao     string // 字号, the group's own name; may be empty for some forms
	Field     string // 业务范围（领域）, e.g. 邻里互助, 养老服务, 舞蹈
	Form      string // 组织形式, e.g. 协会, 中心, 队
}

// ComposeName joins the parts in the order the seed prescribes.
func ComposeName(p NameParts) string {
	return p.Prefix + p.Community + p.Zihao + p.Field + p.Form
}

// NamePartKeys are the form inputs of the five parts in the order ComposeName joins them. A form's live name
// preview joins these inputs in this order, so the page composes the name the way the server does and the
// server's CheckName then judges exactly what the clerk saw.
func NamePartKeys() []string {
	return []string{KeyNamePrefix, KeyNameCommunity, KeyZihao, KeyField, KeyForm}
}

// districtPrefix is the 行政区划 every name must start with.
const districtPrefix = "渝北区"

// zihaoBanned may appear only inside the field: a local group calling itself
// 中华 or 国际 claims a reach it does not have.
var zihaoBanned = []string{"中国", "全国", "中华", "国际", "世界"}

// fieldBanned are superlatives and ranks no community group may claim.
var fieldBanned = []string{"第一", "最高", "国家级"}

// divisionNames are the 县级以上 division names a 字号 may not be. A full list
// of China's 2,800 county-level names would be data, not a rule; this keeps
// the 34 province-level names (full and short), the country, and every 区县
// of 重庆 in full, since those are the ones a group here would reach for. The
// short names of 重庆's 区县 are left out except 渝北 because several are
// ordinary words (长寿, 江北, 南岸) that groups legitimately use.
var divisionNames = []string{
	"中国", "中华人民共和国", "渝北", "渝北区",
	"北京市", "北京", "天津市", "天津", "河北省", "河北", "山西省", "山西",
	"内蒙古自治区", "内蒙古", "辽宁省", "辽宁", "吉林省", "吉林", "黑龙江省", "黑龙江",
	"上海市", "上海", "江苏省", "江苏", "浙江省", "浙江", "安徽省", "安徽",
	"福建省", "福建", "江西省", "江西", "山东省", "山东", "河南省", "河南",
	"湖北省", "湖北", "湖南省", "湖南", "广东省", "广东", "广西壮族自治区", "广西",
	"海南省", "海南", "重庆市", "重庆", "四川省", "四川", "贵州省", "贵州",
	"云南省", "云南", "西藏自治区", "西藏", "陕西省", "陕西", "甘肃省", "甘肃",
	"青海省", "青海", "宁夏回族自治区", "宁夏", "新疆维吾尔自治区", "新疆",
	"台湾省", "台湾", "香港特别行政区", "香港", "澳门特别行政区", "澳门",
	"万州区", "涪陵区", "渝中区", "大渡口区", "江北区", "沙坪坝区", "九龙坡区", "南岸区",
	"北碚区", "綦江区", "大足区", "巴南区", "黔江区", "长寿区", "江津区", "合川区",
	"永川区", "南川区", "璧山区", "铜梁区", "潼南区", "荣昌区", "开州区", "梁平区",
	"武隆区", "城口县", "丰都县", "垫江县", "忠县", "云阳县", "奉节县", "巫山县",
	"巫溪县", "石柱土家族自治县", "秀山土家族苗族自治县", "酉阳土家族苗族自治县",
	"彭水苗族土家族自治县",
}

// CheckName checks each part of a name against the rules for its legal form.
// ownCommunity is the 社区（村） the organization belongs to; the name must
// carry that one and no other. Pass "" only when it is not known yet, and the
// part then merely has to look like a 社区 or 村. Every message is filed under
// the key of the part that has to change.
//
// Parts are checked as given: trimming what the user typed is the caller's
// job, and a space left inside a part is reported, since it would end up in
// the registered name.
func CheckName(p NameParts, legal LegalForm, ownCommunity string) Problems {
	probs := Problems{}
	checkPrefix(probs, p.Prefix)
	checkCommunity(probs, p.Community, ownCommunity)
	checkZihao(probs, p.Zihao, legal)
	checkField(probs, p.Field, legal)
	checkForm(probs, p.Form, legal)
	return probs
}

func checkPrefix(probs Problems, prefix string) {
	if prefix == "" {
		probs.Add(KeyNamePrefix, "请填写行政区划，如“渝北区”或“渝北区双龙湖街道”")
		return
	}
	if onlyHanzi(probs, KeyNamePrefix, "行政区划", prefix) {
		return
	}
	town, ok := strings.CutPrefix(prefix, districtPrefix)
	if !ok {
		probs.Add(KeyNamePrefix, "行政区划应以“渝北区”开头")
		return
	}
	if town != "" && !isTownName(town) {
		probs.Add(KeyNamePrefix, "“渝北区”之后只能接镇街名称，如“渝北区双龙湖街道”“渝北区统景镇”，也可只写“渝北区”")
	}
}

// isTownName accepts what a 乡级 division of 渝北 is called: something ending
// in 街道 or 镇 with a name before it.
func isTownName(s string) bool {
	n := utf8.RuneCountInString(s)
	return strings.HasSuffix(s, "街道") && n > 2 || strings.HasSuffix(s, "镇") && n > 1
}

func checkCommunity(probs Problems, community, own string) {
	if community == "" {
		if own != "" {
			probs.Add(KeyNameCommunity, "请填写社区（村）名称："+communityWord(own)+"“"+own+"”")
		} else {
			probs.Add(KeyNameCommunity, "请填写社区（村）名称，如“锦华社区”“石坪村”")
		}
		return
	}
	if onlyHanzi(probs, KeyNameCommunity, "社区（村）", community) {
		return
	}
	if own != "" && community != own {
		probs.Add(KeyNameCommunity, "名称中的社区（村）应为本组织所在"+communityWord(own)+"“"+own+"”")
		return
	}
	if own == "" && !strings.HasSuffix(community, "社区") && !strings.HasSuffix(community, "村") {
		probs.Add(KeyNameCommunity, "社区（村）名称应以“社区”或“村”结尾")
	}
}

// communityWord lets a message about 石坪村 say 村 rather than 社区.
func communityWord(own string) string {
	if strings.HasSuffix(own, "村") {
		return "村"
	}
	return "社区"
}

func checkZihao(probs Problems, zihao string, legal LegalForm) {
	if zihao == "" {
		if legal.needsZihao() {
			probs.Add(KeyZihao, string(legal)+"名称需要字号，至少两个汉字")
		}
		return
	}
	if onlyHanzi(probs, KeyZihao, "字号", zihao) {
		return
	}
	if utf8.RuneCountInString(zihao) < 2 {
		probs.Add(KeyZihao, "字号至少两个汉字")
		return
	}
	for _, w := range zihaoBanned {
		if strings.Contains(zihao, w) {
			probs.Add(KeyZihao, "字号不能含有“"+w+"”（“中国”“全国”“中华”“国际”“世界”只能用在业务领域中）")
			return
		}
	}
	if slices.Contains(divisionNames, zihao) {
		probs.Add(KeyZihao, "字号不能使用县级以上行政区划名称“"+zihao+"”")
	}
}

func checkField(probs Problems, field string, legal LegalForm) {
	if field == "" {
		probs.Add(KeyField, "请填写业务领域，如“邻里互助”“养老服务”“舞蹈”")
		return
	}
	if onlyHanzi(probs, KeyField, "业务领域", field) {
		return
	}
	for _, w := range fieldBanned {
		if strings.Contains(field, w) {
			probs.Add(KeyField, "业务领域不能含“第一”“最高”“国家级”（现含“"+w+"”）")
			return
		}
	}
	// A 民办非企业单位 may not set up branches, so nothing in its name may
	// present it as the head office; 总 right before the form is how that
	// would read (养老服务总中心).
	if legal == FormPrivateNonEnterprise && strings.HasSuffix(field, "总") {
		probs.Add(KeyField, "民办非企业单位名称不能在组织形式前加“总”字")
	}
}

func checkForm(probs Problems, form string, legal LegalForm) {
	if form == "" {
		probs.Add(KeyForm, "请填写组织形式，如“协会”“中心”“队”")
		return
	}
	if onlyHanzi(probs, KeyForm, "组织形式", form) {
		return
	}
	allowed, ok := orgForms[legal]
	if !ok {
		probs.Add(KeyForm, "请先选择组织类别（社会团体、民办非企业单位、基金会或未登记团体）")
		return
	}
	if slices.Contains(allowed, form) {
		return
	}
	if legal == FormPrivateNonEnterprise && strings.Contains(form, "总") {
		probs.Add(KeyForm, "民办非企业单位的组织形式不能含“总”字，可用："+strings.Join(allowed, "、"))
		return
	}
	probs.Add(KeyForm, string(legal)+"不能使用“"+form+"”作为组织形式，可用："+strings.Join(allowed, "、"))
}

// onlyHanzi files a problem and reports true when s holds anything but 汉字.
func onlyHanzi(probs Problems, key, label, s string) bool {
	for _, r := range s {
		if !isHanzi(r) {
			probs.Add(key, label+"只能使用汉字，不能含有"+describeRune(r))
			return true
		}
	}
	return false
}

// isHanzi accepts CJK ideographs. unicode.Han alone would also let in the
// Kangxi radicals (U+2F00…), 々, 〇 and the old-Chinese marks, which look like
// characters but are not what a registered name may contain.
func isHanzi(r rune) bool {
	return r >= 0x3400 && unicode.Is(unicode.Han, r) && !(r >= 0x16FE0 && r <= 0x16FFF)
}

// ParseName splits a full name, typically a cell of an imported spreadsheet,
// into its parts. ownPrefixes are the 行政区划 the organization may use, e.g.
// {"渝北区双龙湖街道", "渝北区"}; ownCommunity is its 社区（村）. The 组织形式
// is read off the end from the legal form's list and the 业务领域 is the known
// field word (see Fields) just before it; what is left is the 字号.
//
// Where a name could be cut in more than one way, the longest prefix, form
// and field are tried first and the first cut that CheckName accepts wins, so
// a name that was valid when composed comes back as valid parts. When no cut
// is valid the first possible one is returned, for CheckName to explain.
//
// On error the returned parts hold what was recognized so far, so an import
// can prefill a form for the clerk to finish by hand.
func ParseName(full string, legal LegalForm, ownPrefixes []string, ownCommunity string) (NameParts, error) {
	name := strings.TrimSpace(full)
	var p NameParts
	switch {
	case name == "":
		return p, errors.New("名称为空")
	case !legal.Valid():
		return p, errors.New("未知的组织类别，无法拆分名称")
	case ownCommunity == "":
		return p, errors.New("未指定所在社区（村），无法拆分名称")
	}

	prefixes := byLengthDesc(ownPrefixes)
	forms := byLengthDesc(orgForms[legal])
	fields := byLengthDesc(knownFields)

	var first *NameParts
	matchedPrefix := false
	for _, pre := range prefixes {
		rest, ok := strings.CutPrefix(name, pre)
		if !ok || pre == "" {
			continue
		}
		if !matchedPrefix {
			matchedPrefix = true
			p.Prefix = pre
		}
		rest, ok = strings.CutPrefix(rest, ownCommunity)
		if !ok {
			continue
		}
		if p.Community == "" {
			p.Prefix, p.Community = pre, ownCommunity
		}
		for _, form := range forms {
			body, ok := strings.CutSuffix(rest, form)
			if !ok {
				continue
			}
			if p.Form == "" {
				p.Form = form
			}
			for _, field := range fields {
				zihao, ok := strings.CutSuffix(body, field)
				if !ok {
					continue
				}
				cand := NameParts{Prefix: pre, Community: ownCommunity, Zihao: zihao, Field: field, Form: form}
				if CheckName(cand, legal, ownCommunity).OK() {
					return cand, nil
				}
				if first == nil {
					first = &cand
				}
			}
		}
	}
	switch {
	case first != nil:
		return *first, nil
	case !matchedPrefix:
		return p, fmt.Errorf("名称应以%s开头", quoteJoin(ownPrefixes, "或"))
	case p.Community == "":
		return p, fmt.Errorf("行政区划之后应为本组织所在%s“%s”", communityWord(ownCommunity), ownCommunity)
	case p.Form == "":
		return p, fmt.Errorf("名称结尾不是%s可用的组织形式（%s）", legal, strings.Join(orgForms[legal], "、"))
	}
	rest := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(name, p.Prefix), p.Community), p.Form)
	if rest == "" {
		return p, errors.New("名称缺少业务领域")
	}
	return p, fmt.Errorf("无法从“%s”中识别业务领域，请分别填写字号和业务领域", rest)
}

// byLengthDesc orders candidates longest first (by characters, ties kept in
// their listed order), so 研究会 is tried before 会 and 养老服务 before 服务.
func byLengthDesc(list []string) []string {
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b string) int {
		return utf8.RuneCountInString(b) - utf8.RuneCountInString(a)
	})
	return out
}

func quoteJoin(list []string, sep string) string {
	q := make([]string, 0, len(list))
	for _, s := range list {
		if s != "" {
			q = append(q, "“"+s+"”")
		}
	}
	if len(q) == 0 {
		return "行政区划"
	}
	return strings.Join(q, sep)
}
