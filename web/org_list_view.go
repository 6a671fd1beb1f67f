package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// OrgFilterForm is a list's filter as the user gave it, each value with its message when it was refused.
type OrgFilterForm struct {
	Town      Field
	Community Field
	Tier      Field // 管理层级
	LegalForm Field // 组织形式
	Field     Field // 服务领域
	Nature    Field
	Status    Field
	Party     Field
	Query     Field
	Sort      Field
}

// OrgListView is a tier's list of organizations: the filter form, the total, one keyset page of rows, and the
// links to the next page, back to the first, and to the exports of the same filter.
type OrgListView struct {
	Page
	Base             string // /district/orgs, /town/orgs or /community/orgs
	Form             OrgFilterForm
	Problems         map[string]string
	TownOptions      []Option // nil: the tier has one town, no select
	CommunityOptions []Option // nil: the tier is one community, no select
	CommunityHint    string
	TierOptions      []Option
	LegalFormOptions []Option
	FieldOptions     []Option
	NatureOptions    []Option
	StatusOptions    []Option
	PartyOptions     []Option
	SortOptions      []Option
	Total            string // 共 N 个组织; empty when the filter was refused
	Rows             []registry.OrgPageRow
	NextHref         string
	FirstHref        string
	ExportXLSX       string
	ExportCSV        string
	NewHref          string // 新建组织, for a tier that records guided groups
	ImportHref       string // 台账导入, for a tier that imports its ledger
}

// NewOrgListView builds the form part of a list page; towns and communities are the divisions the caller may
// filter by (nil hides that select; the district's communities are one town's, empty until a town is chosen).
// Rows, total and links are added by the handler.
func NewOrgListView(p Page, base string, form OrgFilterForm, problems map[string]string, towns, communities []portal.Division) OrgListView {
	v := OrgListView{Page: p, Base: base, Form: form, Problems: problems}
	if towns != nil {
		v.TownOptions = []Option{{Value: "", Label: "全部镇街", Selected: form.Town.Value == ""}}
		for _, d := range towns {
			v.TownOptions = append(v.TownOptions, Option{Value: d.Code, Label: d.Name, Selected: d.Code == form.Town.Value})
		}
	}
	if communities != nil {
		v.CommunityOptions = []Option{{Value: "", Label: "全部社区(村)", Selected: form.Community.Value == ""}}
		for _, d := range communities {
			v.CommunityOptions = append(v.CommunityOptions, Option{Value: d.Code, Label: d.Name,
				Selected: d.Code == form.Community.Value})
		}
		if towns != nil && len(communities) == 0 {
			v.CommunityHint = "先选择镇街并查询，再选社区(村)"
		}
	}
	v.TierOptions = orgListTiers.selecting(form.Tier.Value)
	v.LegalFormOptions = orgListForms.selecting(form.LegalForm.Value)
	v.FieldOptions = orgListFields.selecting(form.Field.Value)
	v.NatureOptions = orgListNatures.selecting(form.Nature.Value)
	v.StatusOptions = orgListStatuses.selecting(form.Status.Value)
	v.PartyOptions = orgListParties.selecting(form.Party.Value)
	v.SortOptions = []Option{{Value: "", Label: "最新建档在前", Selected: form.Sort.Value == ""},
		{Value: "name", Label: "按名称", Selected: form.Sort.Value == "name"}}
	return v
}

func orgListWords(words []string) []Option {
	out := make([]Option, len(words))
	for i, w := range words {
		out[i] = Option{Value: w, Label: w}
	}
	return out
}

// orgListWithAll puts a "全部" choice first and marks selected.
func orgListWithAll(opts []Option, selected string) []Option {
	out := make([]Option, 0, len(opts)+1)
	out = append(out, Option{Value: "", Label: "全部", Selected: selected == ""})
	for _, o := range opts {
		o.Selected = o.Value == selected
		out = append(out, o)
	}
	return out
}

// fixedOptions are the choices of a select over one of the registry's fixed lists, "全部" first and selected.
// Every unfiltered list page shows them as they are, so they are made once and shared; a page that has chosen
// one gets its own copy with that one selected. Nothing may change a shared slice.
type fixedOptions []Option

func newFixedOptions(opts []Option) fixedOptions { return orgListWithAll(opts, "") }

func (f fixedOptions) selecting(value string) []Option {
	if value == "" {
		return f
	}
	return orgListWithAll(f[1:], value)
}

var (
	orgListTiers = newFixedOptions(func() []Option {
		var out []Option
		for _, t := range registry.Tiers {
			out = append(out, Option{Value: string(t), Label: t.Label()})
		}
		return out
	}())
	orgListForms = newFixedOptions(orgListWords([]string{string(rules.FormSocialGroup),
		string(rules.FormPrivateNonEnterprise), string(rules.FormFoundation), string(rules.FormUnregistered)}))
	orgListFields   = newFixedOptions(orgListWords(registry.Fields))
	orgListNatures  = newFixedOptions(orgListWords(registry.Natures))
	orgListParties  = newFixedOptions(orgListWords(registry.PartyStatuses))
	orgListStatuses = newFixedOptions(func() []Option {
		var out []Option
		for _, s := range registry.Statuses {
			out = append(out, Option{Value: string(s), Label: s.Label()})
		}
		return out
	}())
)

// OrgListTotal is the summary line of a list; more says the count stopped at n.
func OrgListTotal(n int, more bool) string {
	if more {
		return "符合条件的组织超过 " + strconv.Itoa(n) + " 个（可继续翻页查看，或增加筛选条件缩小范围）"
	}
	return "共 " + strconv.Itoa(n) + " 个组织"
}

// OrgListStatus is a status word with its colour: 正常 green, 活动异常 amber, 已注销 and 已撤销 red.
func OrgListStatus(s registry.Status) (string, StatusClass) {
	switch s {
	case registry.StatusNormal:
		return s.Label(), StatusOK
	case registry.StatusAbnormal:
		return s.Label(), StatusWarn
	}
	return s.Label(), StatusBad
}

// orgListISODate is a date as spreadsheets sort it, 2021-07-21, in 北京时间; nil is "".
func orgListISODate(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(beijing).Format("2006-01-02")
}

// OrgExportHeader is the header row of an organization export. Personal data appears masked only.
var OrgExportHeader = []string{"系统编号", "名称", "管理层级", "组织形式", "统一社会信用代码", "备案编号", "所在镇街",
	"社区(村)", "服务领域", "性质", "党建", "成员人数", "志愿者人数", "负责人", "负责人电话（已隐去部分号码）", "状态",
	"成立日期", "建档日期"}

// OrgExportCells is one organization as an export row, appended to dst[:0] so that a long export reuses one
// slice. Text is neutralised against formulas by the export package, not here.
func OrgExportCells(o registry.Organization, dst []any) []any {
	created := o.CreatedAt
	return append(dst[:0], o.ID, o.Name, o.Tier.Label(), string(o.LegalForm), o.USCC, o.FilingNo, o.TownName,
		o.CommunityName, strings.Join(o.Fields, "、"), o.Nature, o.PartyStatus, o.Members, o.Volunteers,
		o.LeaderName, o.LeaderPhone, o.Status.Label(), orgListISODate(o.FoundedOn), orgListISODate(&created))
}

// Divisions is the list's town and community filter.
func (v OrgListView) Divisions() DivisionFilter {
	return DivisionFilter{Town: v.Form.Town, TownOptions: v.TownOptions, Community: v.Form.Community,
		CommunityOptions: v.CommunityOptions}
}
