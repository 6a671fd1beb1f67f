package web

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// Assessment is a tier's 目标责任考核 score sheet; AssessmentSchemes the district's schemes.
func (p Paths) Assessment() string        { return p.root + "/assessment" }
func (p Paths) AssessmentSchemes() string { return p.Assessment() + "/schemes" }

// AssessmentView is the score sheet of the divisions one level below a division (a community's own sheet at
// the community level): each indicator's value and score, the total and the rank, printable.
type AssessmentView struct {
	Page
	Heading     string
	Action      string
	Division    string
	Crumbs      []NavItem
	YearOptions []Option
	SchemeNote  string
	SchemesHref string
	Sheet       StatTable
}

// NewAssessmentView scores s's children with scheme; links lead to each division's statistics page and sheet.
func NewAssessmentView(p Page, s registry.Stats, scheme registry.Scheme, paths Paths, own string, now time.Time) AssessmentView {
	level := portal.TierCommunity
	if s.Division.Level == portal.TierDistrict {
		level = portal.TierTown
	}
	year := s.Query.Period.Year
	v := AssessmentView{Page: p, Action: paths.Assessment(), YearOptions: StatYearOptions(now, year),
		Heading: s.Division.Name + strconv.Itoa(year) + "年度目标责任考核（" + registry.SchemeLevels[level] + "）"}
	v.Page.Title = v.Heading
	if s.Division.Code != own {
		v.Division = s.Division.Code
	}
	link := func(code string) string {
		q := "?year=" + strconv.Itoa(year)
		if code != own {
			q += "&division=" + code
		}
		return q
	}
	for i, d := range s.Trail {
		href := ""
		if i < len(s.Trail)-1 && d.Level != portal.TierCommunity {
			href = paths.Assessment() + link(d.Code)
		}
		v.Crumbs = append(v.Crumbs, NavItem{Label: d.Name, Href: href, Current: i == len(s.Trail)-1})
	}
	if scheme.Version == 0 {
		v.SchemeNote = "考核方案：默认方案（区民政局尚未制定" + strconv.Itoa(year) + "年度方案）。"
	} else {
		v.SchemeNote = "考核方案：" + strconv.Itoa(year) + "年度第 " + strconv.Itoa(scheme.Version) + " 版（" +
			DateTime(scheme.CreatedAt) + " 由 " + scheme.CreatedName + " 制定）。"
	}
	var parts []string
	for _, si := range scheme.Indicators {
		in := registry.IndicatorOf(si.Key)
		parts = append(parts, in.Label+" "+strconv.Itoa(si.Weight)+" 分（达到 "+registry.TargetLabel(si.Full)+" "+in.Unit+" 得满分）")
	}
	v.SchemeNote += "各项指标及权重：" + strings.Join(parts, "；") + "。得分 = 权重 × 实际值 ÷ 满分值，最高为该项权重。"

	t := StatTable{ID: "sheet", Title: "考核得分", Unit: "分",
		Note: "指标值来自本平台统计：组织数为当前在册数，活动与志愿服务为" + strconv.Itoa(year) + "年全年现行报告。" +
			"新增组织完成率：年内在册组织净增数 ÷ 年初（上年12月月度快照）各村(社区)距培育目标的差额之和，无差额得满分；" +
			"重大活动事前报告率：年内开始的重大活动中在活动开始前报告镇街的比例，无重大活动得满分。名称链接到其统计页面。"}
	t.Columns = append(t.Columns, StatColumn{Label: registry.SchemeLevels[level]}, StatColumn{Label: "名次", Num: true})
	for _, si := range scheme.Indicators {
		in := registry.IndicatorOf(si.Key)
		t.Columns = append(t.Columns, StatColumn{Label: in.Label + "（" + in.Unit + "）", Num: true},
			StatColumn{Label: "得分（" + strconv.Itoa(si.Weight) + "）", Num: true})
	}
	t.Columns = append(t.Columns, StatColumn{Label: "总分", Num: true})
	targets := map[string]float64{}
	for _, c := range s.Communities {
		targets[c.Code] = c.Target
	}
	type scored struct {
		c     registry.StatChild
		vals  registry.AssessedValues
		total float64
	}
	var rows []scored
	for _, c := range s.Children {
		if c.Retired {
			continue // a retired community is assessed no more
		}
		vals := registry.ValuesOf(c, level, targets[c.Code])
		rows = append(rows, scored{c, vals, scheme.Total(vals)})
	}
	slices.SortStableFunc(rows, func(a, b scored) int {
		switch {
		case round1(a.total) > round1(b.total):
			return -1
		case round1(a.total) < round1(b.total):
			return 1
		}
		return strings.Compare(a.c.Code, b.c.Code)
	})
	statsPaths := StatsLinks{Base: paths.Stats(), Own: own, Query: s.Query}
	for i, r := range rows {
		name := textCell(r.c.Name)
		name.Href = statsPaths.Page(r.c.Code)
		rank := i + 1
		if i > 0 && round1(r.total) == round1(rows[i-1].total) {
			rank = rankOf(t.Rows[i-1])
		}
		row := []StatCell{name, intCell(rank)}
		for _, si := range scheme.Indicators {
			row = append(row, oneCell(r.vals[si.Key]), oneCell(si.Score(r.vals[si.Key])))
		}
		row = append(row, oneCell(r.total))
		t.Rows = append(t.Rows, row)
	}
	v.Sheet = t
	return v
}

// rankOf reads the rank cell of a sheet row, so that equal totals share a rank.
func rankOf(row []StatCell) int {
	n, _ := row[1].Value.(int64)
	return int(n)
}

// SchemeFormView is the district's scheme form for one year and level, with the versions kept.
type SchemeFormView struct {
	Page
	Action       string
	SheetHref    string
	Year         Field
	Level        Field
	YearOptions  []Option
	LevelOptions []Option
	Version      int
	Rows         []SchemeFormRow
	Problems     map[string]string
	Versions     []SchemeVersionRow
}

// SchemeFormRow is one indicator's inputs.
type SchemeFormRow struct {
	Key, Label, Unit string
	Weight, Full     Field
}

// SchemeVersionRow is one kept version.
type SchemeVersionRow struct {
	Version string
	InUse   bool
	At, By  string
	Weights string
}

// NewSchemeFormView builds the form from the versions of the year's scheme (the first in use).
func NewSchemeFormView(p Page, paths Paths, versions []registry.Scheme, now time.Time) SchemeFormView {
	cur := versions[0]
	v := SchemeFormView{Page: p, Action: paths.AssessmentSchemes(), SheetHref: paths.Assessment(),
		Year: Field{Value: strconv.Itoa(cur.Year)}, Level: Field{Value: string(cur.Level)}, Version: cur.Version,
		Problems: map[string]string{}}
	for y := now.In(beijing).Year() + 1; y >= registry.FirstStatYear; y-- {
		v.YearOptions = append(v.YearOptions, Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y) + "年", Selected: y == cur.Year})
	}
	for _, l := range []portal.Tier{portal.TierCommunity, portal.TierTown} {
		v.LevelOptions = append(v.LevelOptions, Option{Value: string(l), Label: registry.SchemeLevels[l], Selected: l == cur.Level})
	}
	// Every indicator the portal knows, with the version in use's values; one that version did not weigh (it was
	// saved before the indicator existed) starts at weight 0 with its default full mark.
	for _, in := range registry.Indicators {
		si := registry.SchemeIndicator{Key: in.Key, Full: in.DefaultFull}
		for _, x := range cur.Indicators {
			if x.Key == in.Key {
				si = x
			}
		}
		v.Rows = append(v.Rows, SchemeFormRow{Key: si.Key, Label: in.Label, Unit: in.Unit,
			Weight: Field{Value: strconv.Itoa(si.Weight)}, Full: Field{Value: registry.TargetLabel(si.Full)}})
	}
	for i, s := range versions {
		if s.Version == 0 {
			continue
		}
		var ws []string
		for _, si := range s.Indicators {
			ws = append(ws, registry.IndicatorOf(si.Key).Label+" "+strconv.Itoa(si.Weight))
		}
		v.Versions = append(v.Versions, SchemeVersionRow{Version: "第 " + strconv.Itoa(s.Version) + " 版", InUse: i == 0,
			At: DateTime(s.CreatedAt), By: s.CreatedName, Weights: strings.Join(ws, "、")})
	}
	return v
}

// Refuse puts the typed values and the problems back into the form.
func (v *SchemeFormView) Refuse(weights, fulls map[string]string, p map[string]string) {
	v.Problems = p
	for i := range v.Rows {
		r := &v.Rows[i]
		r.Weight = Field{Value: weights[r.Key], Problem: p["weight_"+r.Key]}
		r.Full = Field{Value: fulls[r.Key], Problem: p["full_"+r.Key]}
	}
	v.Year.Problem, v.Level.Problem = p["year"], p["level"]
}
