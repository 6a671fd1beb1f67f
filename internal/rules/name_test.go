package rules_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/rules"
)

const own = "锦华社区"

func parts(prefix, community, zihao, field, form string) rules.NameParts {
	return rules.NameParts{Prefix: prefix, Community: community, Zihao: zihao, Field: field, Form: form}
}

func TestComposeName(t *testing.T) {
	got := rules.ComposeName(parts("渝北区双龙湖街道", "锦华社区", "夕阳红", "舞蹈", "队"))
	if want := "渝北区双龙湖街道锦华社区夕阳红舞蹈队"; got != want {
		t.Errorf("ComposeName = %q, want %q", got, want)
	}
}

func TestCheckNameValid(t *testing.T) {
	tests := []struct {
		p     rules.NameParts
		legal rules.LegalForm
		own   string
	}{
		{parts("渝北区", own, "", "邻里互助", "协会"), rules.FormSocialGroup, own},
		{parts("渝北区双龙湖街道", own, "", "邻里互助", "协会"), rules.FormSocialGroup, own},
		{parts("渝北区", own, "锦绣", "文化艺术", "联谊会"), rules.FormSocialGroup, own},
		{parts("渝北区", own, "", "中华传统文化", "研究会"), rules.FormSocialGroup, own},
		{parts("渝北区", own, "", "国际友好交流", "促进会"), rules.FormSocialGroup, own},
		{parts("渝北区", own, "", "校友", "同业公会"), rules.FormSocialGroup, own},
		{parts("渝北区", own, "爱心", "养老服务", "中心"), rules.FormPrivateNonEnterprise, own},
		{parts("渝北区统景镇", "石坪村", "康乐", "养老", "院"), rules.FormPrivateNonEnterprise, "石坪村"},
		{parts("渝北区", own, "阳光", "社会工作服务", "中心"), rules.FormPrivateNonEnterprise, own},
		{parts("渝北区", own, "童心", "幼儿", "园"), rules.FormPrivateNonEnterprise, own},
		{parts("渝北区", own, "江北区外", "文化", "馆"), rules.FormPrivateNonEnterprise, own},
		{parts("渝北区", own, "长寿", "健身", "俱乐部"), rules.FormPrivateNonEnterprise, own},
		{parts("渝北区", own, "仁爱", "公益慈善", "基金会"), rules.FormFoundation, own},
		{parts("渝北区双龙湖街道", own, "夕阳红", "舞蹈", "队"), rules.FormUnregistered, own},
		{parts("渝北区", own, "", "邻里守望志愿服务", "队"), rules.FormUnregistered, own},
		{parts("渝北区", own, "老马", "调解", "工作室"), rules.FormUnregistered, own},
		{parts("渝北区统景镇", "石坪村", "", "乡贤", "参事会"), rules.FormUnregistered, "石坪村"},
		{parts("渝北区", own, "", "红白", "理事会"), rules.FormUnregistered, own},
		{parts("渝北区", own, "", "读书", "会"), rules.FormUnregistered, own},
		{parts("渝北区", "石坪村", "", "书画", "社"), rules.FormUnregistered, ""},
		{parts("渝北区", own, "𠀾𠁊", "书画", "社"), rules.FormUnregistered, own}, // Extension B characters
	}
	for _, tt := range tests {
		if probs := rules.CheckName(tt.p, tt.legal, tt.own); !probs.OK() {
			t.Errorf("CheckName(%s, %s) = %v, want OK", rules.ComposeName(tt.p), tt.legal, probs)
		}
	}
}

func TestCheckNameProblems(t *testing.T) {
	ok := parts("渝北区", own, "爱心", "养老服务", "中心")
	with := func(change func(*rules.NameParts)) rules.NameParts {
		p := ok
		change(&p)
		return p
	}
	tests := []struct {
		name  string
		p     rules.NameParts
		legal rules.LegalForm
		want  map[string]string // key → substring of its message
	}{
		{"all empty", rules.NameParts{}, rules.FormPrivateNonEnterprise, map[string]string{
			"name_prefix": "请填写行政区划", "name_community": "请填写社区（村）名称：社区“锦华社区”",
			"zihao": "民办非企业单位名称需要字号", "field": "请填写业务领域", "form": "请填写组织形式"}},
		{"prefix another district", with(func(p *rules.NameParts) { p.Prefix = "江北区" }), rules.FormPrivateNonEnterprise,
			map[string]string{"name_prefix": "应以“渝北区”开头"}},
		{"prefix with city", with(func(p *rules.NameParts) { p.Prefix = "重庆市渝北区" }), rules.FormPrivateNonEnterprise,
			map[string]string{"name_prefix": "应以“渝北区”开头"}},
		{"prefix with something not a town", with(func(p *rules.NameParts) { p.Prefix = "渝北区锦华" }), rules.FormPrivateNonEnterprise,
			map[string]string{"name_prefix": "只能接镇街名称"}},
		{"prefix bare 街道", with(func(p *rules.NameParts) { p.Prefix = "渝北区街道" }), rules.FormPrivateNonEnterprise,
			map[string]string{"name_prefix": "只能接镇街名称"}},
		{"prefix with Latin", with(func(p *rules.NameParts) { p.Prefix = "渝北区A" }), rules.FormPrivateNonEnterprise,
			map[string]string{"name_prefix": "行政区划只能使用汉字，不能含有“A”"}},
		{"other community", with(func(p *rules.NameParts) { p.Community = "金山社区" }), rules.FormPrivateNonEnterprise,
			map[string]string{"name_community": "名称中的社区（村）应为本组织所在社区“锦华社区”"}},
		{"community with space", with(func(p *rules.NameParts) { p.Community = "锦华 社区" }), rules.FormPrivateNonEnterprise,
			map[string]string{"name_community": "不能含有空格"}},
		{"no zihao for 民非", with(func(p *rules.NameParts) { p.Zihao = "" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "民办非企业单位名称需要字号，至少两个汉字"}},
		{"no zihao for 基金会", parts("渝北区", own, "", "公益慈善", "基金会"), rules.FormFoundation,
			map[string]string{"zihao": "基金会名称需要字号"}},
		{"one-character zihao", with(func(p *rules.NameParts) { p.Zihao = "爱" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "字号至少两个汉字"}},
		{"one-character zihao for 社团", parts("渝北区", own, "爱", "邻里互助", "协会"), rules.FormSocialGroup,
			map[string]string{"zihao": "字号至少两个汉字"}},
		{"zihao with digits", with(func(p *rules.NameParts) { p.Zihao = "爱心1" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "字号只能使用汉字，不能含有“1”"}},
		{"zihao with full-width space", with(func(p *rules.NameParts) { p.Zihao = "爱\u3000心" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "全角空格"}},
		{"zihao with punctuation", with(func(p *rules.NameParts) { p.Zihao = "爱心·阳光" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "不能含有“·”"}},
		{"zihao with radical", with(func(p *rules.NameParts) { p.Zihao = "爱⼼" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "不能含有“⼼”"}},
		{"zihao 中国", with(func(p *rules.NameParts) { p.Zihao = "中国心" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "字号不能含有“中国”"}},
		{"zihao 全国", parts("渝北区", own, "全国", "邻里互助", "协会"), rules.FormSocialGroup,
			map[string]string{"zihao": "字号不能含有“全国”"}},
		{"zihao 国际", with(func(p *rules.NameParts) { p.Zihao = "国际爱心" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "“国际”"}},
		{"zihao 世界", with(func(p *rules.NameParts) { p.Zihao = "世界和平" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "“世界”"}},
		{"zihao 中华", parts("渝北区", own, "中华", "舞蹈", "队"), rules.FormUnregistered,
			map[string]string{"zihao": "“中华”"}},
		{"zihao 重庆", with(func(p *rules.NameParts) { p.Zihao = "重庆" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "字号不能使用县级以上行政区划名称“重庆”"}},
		{"zihao 重庆市", with(func(p *rules.NameParts) { p.Zihao = "重庆市" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "县级以上行政区划名称"}},
		{"zihao 渝北", with(func(p *rules.NameParts) { p.Zihao = "渝北" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "县级以上行政区划名称"}},
		{"zihao 四川省", with(func(p *rules.NameParts) { p.Zihao = "四川省" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "县级以上行政区划名称"}},
		{"zihao 内蒙古", with(func(p *rules.NameParts) { p.Zihao = "内蒙古" }), rules.FormPrivateNonEnterprise,
			map[string]string{"zihao": "县级以上行政区划名称"}},
		{"zihao 江北区", parts("渝北区", own, "江北区", "邻里互助", "协会"), rules.FormSocialGroup,
			map[string]string{"zihao": "县级以上行政区划名称"}},
		{"no field", with(func(p *rules.NameParts) { p.Field = "" }), rules.FormPrivateNonEnterprise,
			map[string]string{"field": "请填写业务领域"}},
		{"field 第一", with(func(p *rules.NameParts) { p.Field = "第一养老服务" }), rules.FormPrivateNonEnterprise,
			map[string]string{"field": "业务领域不能含“第一”“最高”“国家级”（现含“第一”）"}},
		{"field 最高", parts("渝北区", own, "", "最高水平舞蹈", "协会"), rules.FormSocialGroup,
			map[string]string{"field": "现含“最高”"}},
		{"field 国家级", with(func(p *rules.NameParts) { p.Field = "国家级养老" }), rules.FormPrivateNonEnterprise,
			map[string]string{"field": "现含“国家级”"}},
		{"field with Latin", with(func(p *rules.NameParts) { p.Field = "AI养老" }), rules.FormPrivateNonEnterprise,
			map[string]string{"field": "业务领域只能使用汉字，不能含有“A”"}},
		{"民非 总中心 in field", with(func(p *rules.NameParts) { p.Field = "养老服务总" }), rules.FormPrivateNonEnterprise,
			map[string]string{"field": "不能在组织形式前加“总”字"}},
		{"民非 总中心 as form", with(func(p *rules.NameParts) { p.Form = "总中心" }), rules.FormPrivateNonEnterprise,
			map[string]string{"form": "民办非企业单位的组织形式不能含“总”字"}},
		{"民非 协会", with(func(p *rules.NameParts) { p.Form = "协会" }), rules.FormPrivateNonEnterprise,
			map[string]string{"form": "民办非企业单位不能使用“协会”作为组织形式，可用：学校、学院、园、医院、中心、院、所、馆、站、社、公寓、俱乐部"}},
		{"社团 中心", parts("渝北区", own, "", "邻里互助", "中心"), rules.FormSocialGroup,
			map[string]string{"form": "社会团体不能使用“中心”作为组织形式，可用：协会、学会"}},
		{"基金会 中心", parts("渝北区", own, "仁爱", "公益慈善", "中心"), rules.FormFoundation,
			map[string]string{"form": "可用：基金会"}},
		{"unregistered 基金会", parts("渝北区", own, "仁爱", "公益慈善", "基金会"), rules.FormUnregistered,
			map[string]string{"form": "未登记团体不能使用“基金会”"}},
		{"unregistered 医院", parts("渝北区", own, "仁爱", "康复", "医院"), rules.FormUnregistered,
			map[string]string{"form": "未登记团体不能使用“医院”"}},
		{"form with Latin", with(func(p *rules.NameParts) { p.Form = "center" }), rules.FormPrivateNonEnterprise,
			map[string]string{"form": "组织形式只能使用汉字"}},
		{"unknown legal form", ok, rules.LegalForm("公司"), map[string]string{"form": "请先选择组织类别"}},
		{"several at once", parts("渝北区", "金山社区", "中国", "第一舞蹈", "中心"), rules.FormUnregistered, map[string]string{
			"name_community": "锦华社区", "zihao": "“中国”", "field": "“第一”"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probs := rules.CheckName(tt.p, tt.legal, own)
			gotKeys := slices.Sorted(maps.Keys(probs))
			wantKeys := slices.Sorted(maps.Keys(tt.want))
			if !slices.Equal(gotKeys, wantKeys) {
				t.Fatalf("keys = %v, want %v (problems %v)", gotKeys, wantKeys, probs)
			}
			for k, sub := range tt.want {
				if !strings.Contains(probs[k], sub) {
					t.Errorf("%s: %q does not contain %q", k, probs[k], sub)
				}
			}
		})
	}
}

func TestCheckNameVillageMessage(t *testing.T) {
	probs := rules.CheckName(parts("渝北区统景镇", "印盒村", "", "乡贤", "参事会"), rules.FormUnregistered, "石坪村")
	if got, want := probs[rules.KeyNameCommunity], "名称中的社区（村）应为本组织所在村“石坪村”"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	probs = rules.CheckName(parts("渝北区", "锦华", "", "读书", "会"), rules.FormUnregistered, "")
	if got := probs[rules.KeyNameCommunity]; !strings.Contains(got, "应以“社区”或“村”结尾") {
		t.Errorf("message = %q", got)
	}
}

func TestListsAreUsable(t *testing.T) {
	fields := rules.Fields()
	seen := map[string]bool{}
	for _, f := range fields {
		if seen[f] {
			t.Errorf("field %q listed twice", f)
		}
		seen[f] = true
		p := parts("渝北区", own, "阳光", f, "中心")
		if probs := rules.CheckName(p, rules.FormPrivateNonEnterprise, own); !probs.OK() {
			t.Errorf("known field %q fails CheckName: %v", f, probs)
		}
	}
	fields[0] = "changed"
	if rules.Fields()[0] == "changed" {
		t.Error("Fields returns the package's own slice")
	}
	for _, legal := range []rules.LegalForm{rules.FormSocialGroup, rules.FormPrivateNonEnterprise, rules.FormFoundation, rules.FormUnregistered} {
		if !legal.Valid() {
			t.Errorf("%s not Valid", legal)
		}
		for _, form := range legal.Forms() {
			p := parts("渝北区", own, "阳光", "文化", form)
			if probs := rules.CheckName(p, legal, own); !probs.OK() {
				t.Errorf("%s form %q fails CheckName: %v", legal, form, probs)
			}
		}
	}
	if rules.LegalForm("").Valid() {
		t.Error("empty legal form is Valid")
	}
}

var prefixes = []string{"渝北区双龙湖街道", "渝北区"}

func TestParseName(t *testing.T) {
	tests := []struct {
		full  string
		legal rules.LegalForm
		own   string
		want  rules.NameParts
	}{
		{"渝北区双龙湖街道锦华社区夕阳红舞蹈队", rules.FormUnregistered, own, parts("渝北区双龙湖街道", own, "夕阳红", "舞蹈", "队")},
		{" 渝北区锦华社区邻里互助协会 ", rules.FormSocialGroup, own, parts("渝北区", own, "", "邻里互助", "协会")},
		{"渝北区锦华社区爱心养老服务中心", rules.FormPrivateNonEnterprise, own, parts("渝北区", own, "爱心", "养老服务", "中心")},
		{"渝北区锦华社区邻里守望志愿服务队", rules.FormUnregistered, own, parts("渝北区", own, "邻里守望", "志愿服务", "队")},
		{"渝北区锦华社区夕阳红广场舞队", rules.FormUnregistered, own, parts("渝北区", own, "夕阳红", "广场舞", "队")},
		{"渝北区锦华社区太极拳协会", rules.FormUnregistered, own, parts("渝北区", own, "", "太极拳", "协会")},
		{"渝北区锦华社区书画研究会", rules.FormSocialGroup, own, parts("渝北区", own, "", "书画", "研究会")},
		{"渝北区统景镇石坪村乡贤参事会", rules.FormUnregistered, "石坪村", parts("渝北区统景镇", "石坪村", "", "乡贤", "参事会")},
		{"渝北区锦华社区仁爱公益慈善基金会", rules.FormFoundation, own, parts("渝北区", own, "仁爱", "公益慈善", "基金会")},
		{"渝北区锦华社区康乐养老院", rules.FormPrivateNonEnterprise, own, parts("渝北区", own, "康乐", "养老", "院")},
		// 民非 needs a 字号, so 居家养老 alone is not taken as the field.
		{"渝北区锦华社区阳光居家养老服务中心", rules.FormPrivateNonEnterprise, own, parts("渝北区", own, "阳光居家", "养老服务", "中心")},
		// 文化艺术 would leave the 字号 重庆, a division name; the valid cut wins.
		{"渝北区锦华社区重庆文化艺术中心", rules.FormPrivateNonEnterprise, own, parts("渝北区", own, "重庆文化", "艺术", "中心")},
		// 公益慈善 + 基金会 and 公益 + 慈善基金会 cannot both be right; only the listed form counts.
		{"渝北区锦华社区邻里互助会", rules.FormSocialGroup, own, parts("渝北区", own, "", "邻里", "互助会")},
	}
	for _, tt := range tests {
		pre := prefixes
		if tt.own == "石坪村" {
			pre = []string{"渝北区", "渝北区统景镇"}
		}
		got, err := rules.ParseName(tt.full, tt.legal, pre, tt.own)
		if err != nil {
			t.Errorf("ParseName(%q) error: %v", tt.full, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseName(%q) = %+v, want %+v", tt.full, got, tt.want)
		}
	}
}

func TestParseNameErrors(t *testing.T) {
	tests := []struct {
		full     string
		legal    rules.LegalForm
		own      string
		wantErr  string
		wantPart rules.NameParts
	}{
		{"", rules.FormUnregistered, own, "名称为空", rules.NameParts{}},
		{"渝北区锦华社区舞蹈队", "", own, "未知的组织类别", rules.NameParts{}},
		{"渝北区锦华社区舞蹈队", rules.FormUnregistered, "", "未指定所在社区", rules.NameParts{}},
		{"江北区锦华社区舞蹈队", rules.FormUnregistered, own, "名称应以“渝北区双龙湖街道”或“渝北区”开头", rules.NameParts{}},
		{"渝北区金山社区舞蹈队", rules.FormUnregistered, own, "行政区划之后应为本组织所在社区“锦华社区”",
			rules.NameParts{Prefix: "渝北区"}},
		{"渝北区锦华社区舞蹈队", rules.FormSocialGroup, own, "名称结尾不是社会团体可用的组织形式（协会、",
			rules.NameParts{Prefix: "渝北区", Community: own}},
		{"渝北区锦华社区夕阳红乒乓队", rules.FormUnregistered, own, "无法从“夕阳红乒乓”中识别业务领域",
			rules.NameParts{Prefix: "渝北区", Community: own, Form: "队"}},
		{"渝北区锦华社区协会", rules.FormSocialGroup, own, "名称缺少业务领域",
			rules.NameParts{Prefix: "渝北区", Community: own, Form: "协会"}},
	}
	for _, tt := range tests {
		got, err := rules.ParseName(tt.full, tt.legal, prefixes, tt.own)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseName(%q) error = %v, want %q", tt.full, err, tt.wantErr)
		}
		if got != tt.wantPart {
			t.Errorf("ParseName(%q) parts = %+v, want %+v", tt.full, got, tt.wantPart)
		}
	}
}

func TestParseNameFallsBackToFirstCut(t *testing.T) {
	// Nothing here can be valid (the 字号 is one character), but the clerk
	// still gets the parts to correct rather than an error.
	got, err := rules.ParseName("渝北区锦华社区新养老服务中心", rules.FormPrivateNonEnterprise, prefixes, own)
	if err != nil {
		t.Fatal(err)
	}
	if want := parts("渝北区", own, "新", "养老服务", "中心"); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// hanziPool feeds the fuzzer characters that sit on the boundaries the
// parser has to find: bits of forms, fields, banned words and divisions.
var hanziPool = []rune("中国华全际世界重庆市渝北区文化艺术养老服务会协心队社站院所馆总第一最高级村锦红阳光爱舞蹈广场互助邻里乡贤参事理志愿团组班园学校研究联合之家工作室")

var legalForms = []rules.LegalForm{rules.FormSocialGroup, rules.FormPrivateNonEnterprise, rules.FormFoundation, rules.FormUnregistered}

var communities = []string{"锦华社区", "石坪村", "中心村", "服务社区"}

func FuzzParseName(f *testing.F) {
	f.Add("渝北区双龙湖街道锦华社区夕阳红舞蹈队", "夕阳红", uint8(0), uint8(0), uint8(3), uint8(0), true)
	f.Add("渝北区锦华社区重庆文化艺术中心", "重庆文化", uint8(50), uint8(4), uint8(1), uint8(0), false)
	f.Add("渝北区中心村邻里互助会", "", uint8(6), uint8(11), uint8(0), uint8(2), false)
	f.Add("渝北区", "\xff", uint8(255), uint8(255), uint8(255), uint8(255), true)
	f.Fuzz(func(t *testing.T, full, zihao string, fieldIdx, formIdx, legalIdx, communityIdx uint8, town bool) {
		legal := legalForms[int(legalIdx)%len(legalForms)]
		community := communities[int(communityIdx)%len(communities)]

		// Anything at all: never panics, and a success only ever splits.
		if p, err := rules.ParseName(full, legal, prefixes, community); err == nil {
			if rules.ComposeName(p) != strings.TrimSpace(full) {
				t.Fatalf("ParseName(%q) = %+v does not compose back", full, p)
			}
			if !slices.Contains(prefixes, p.Prefix) || p.Community != community ||
				!slices.Contains(legal.Forms(), p.Form) || !slices.Contains(rules.Fields(), p.Field) {
				t.Fatalf("ParseName(%q) = %+v has an unlisted part", full, p)
			}
		}

		// Valid parts round-trip, both with the raw fuzz string as 字号 and
		// with one built from characters near the parser's boundaries.
		fields := rules.Fields()
		forms := legal.Forms()
		var built []rune
		for i := 0; i < len(zihao) && i < 6; i++ {
			built = append(built, hanziPool[int(zihao[i])%len(hanziPool)])
		}
		prefix := prefixes[1]
		if town {
			prefix = prefixes[0]
		}
		for _, z := range []string{zihao, string(built)} {
			p := parts(prefix, community, z, fields[int(fieldIdx)%len(fields)], forms[int(formIdx)%len(forms)])
			if !rules.CheckName(p, legal, community).OK() {
				continue
			}
			name := rules.ComposeName(p)
			got, err := rules.ParseName(name, legal, prefixes, community)
			if err != nil {
				t.Fatalf("ParseName(%q) of valid %+v: %v", name, p, err)
			}
			if rules.ComposeName(got) != name {
				t.Fatalf("ParseName(%q) = %+v, composes to %q", name, got, rules.ComposeName(got))
			}
			if probs := rules.CheckName(got, legal, community); !probs.OK() {
				t.Fatalf("ParseName(%q) = %+v, which fails CheckName: %v", name, got, probs)
			}
		}
	})
}

func BenchmarkCheckName(b *testing.B) {
	p := parts("渝北区双龙湖街道", own, "阳光居家", "养老服务", "中心")
	for b.Loop() {
		if !rules.CheckName(p, rules.FormPrivateNonEnterprise, own).OK() {
			b.Fatal("not OK")
		}
	}
}

func BenchmarkParseName(b *testing.B) {
	for b.Loop() {
		if _, err := rules.ParseName("渝北区双龙湖街道锦华社区阳光居家养老服务中心", rules.FormPrivateNonEnterprise, prefixes, own); err != nil {
			b.Fatal(err)
		}
	}
}

// The live preview joins the inputs named by NamePartKeys in order; joining the parts keyed that way must give
// ComposeName's result, so a reordering of either is caught here.
func TestNamePartKeysFollowComposeName(t *testing.T) {
	p := parts("渝北区双龙湖街道", "锦华社区", "夕阳红", "舞蹈", "队")
	byKey := map[string]string{rules.KeyNamePrefix: p.Prefix, rules.KeyNameCommunity: p.Community,
		rules.KeyZihao: p.Zihao, rules.KeyField: p.Field, rules.KeyForm: p.Form}
	joined := ""
	for _, k := range rules.NamePartKeys() {
		joined += byKey[k]
	}
	if joined != rules.ComposeName(p) {
		t.Errorf("parts joined in NamePartKeys order = %q, ComposeName = %q", joined, rules.ComposeName(p))
	}
}
