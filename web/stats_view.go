// View models of the statistics page (/district/stats, /town/stats, /community/stats): every table the page
// shows is a StatTable, and the xlsx export writes the same tables, so a total on paper is the total on screen.
package web

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// StatCell is one cell: its text on the page, its value in a spreadsheet (int64, float64 or string), and a link.
type StatCell struct {
	Text  string
	Value any
	Href  string
}

// StatColumn is a column heading; SortHref, when set, sorts the table by it.
type StatColumn struct {
	Label    string
	Num      bool
	SortHref string
	Sorted   string // "", "ascending" or "descending", for aria-sort
}

// StatTable is one table of the page and one sheet of its export.
type StatTable struct {
	ID      string
	Title   string
	Unit    string
	Columns []StatColumn
	Rows    [][]StatCell
	Total   []StatCell // nil when a total makes no sense
	Note    string
	Chart   *BarChart
}

// BarChart is a horizontal bar chart drawn on the server as SVG, with its geometry worked out here.
type BarChart struct {
	ID     string
	Title  string
	Unit   string
	Desc   string // the text alternative: every bar's label and value in words
	Width  int
	Height int
	Bars   []Bar
	// BarsPath draws every bar, one rectangle (M x y h w v 16 H x z) each, in the order of Bars.
	BarsPath string
	// MarkX, when set, is a vertical reference line (a target) at that x, labelled MarkLabel.
	MarkX     string
	MarkLabel string
}

// Bar is one bar's labels with their coordinates as SVG attribute strings (the bar itself is in BarsPath).
type Bar struct {
	Label      string
	ValueLabel string
	TextY      string
	ValueX     string
}

const (
	chartLabelW = 170
	chartBarMax = 420
	chartRowH   = 22
	chartTop    = 30
)

// NewBarChart lays out bars for values; mark, when positive, draws a reference line at that value.
func NewBarChart(id, title, unit string, labels []string, values []float64, format func(float64) string, mark float64, markLabel string) *BarChart {
	c := &BarChart{ID: id, Title: title, Unit: unit, Width: chartLabelW + chartBarMax + 90,
		Height: chartTop + chartRowH*len(labels) + 10}
	top := mark
	for _, v := range values {
		top = max(top, v)
	}
	scale := 0.0
	if top > 0 {
		scale = chartBarMax / top
	}
	// The text alternative and the path grow with the bars (a district's chart of 270 communities): built in
	// one buffer each, not by adding strings, which copied the whole text for every bar.
	var desc strings.Builder
	desc.Grow(len(title) + 32*len(labels) + 64)
	desc.WriteString(title + "（单位：" + unit + "）：")
	path := make([]byte, 0, 28*len(labels))
	left := strconv.Itoa(chartLabelW)
	c.Bars = make([]Bar, 0, len(labels))
	for i, l := range labels {
		v := values[i]
		y := chartTop + i*chartRowH
		w := v * scale
		text := format(v)
		c.Bars = append(c.Bars, Bar{Label: l, ValueLabel: text, TextY: strconv.Itoa(y + 15),
			ValueX: strconv.FormatFloat(chartLabelW+w+6, 'f', 1, 64)})
		path = append(path, 'M')
		path = append(path, left...)
		path = append(path, ' ')
		path = strconv.AppendInt(path, int64(y+3), 10)
		path = append(path, 'h')
		path = strconv.AppendFloat(path, w, 'f', 1, 64)
		path = append(path, "v16H"...)
		path = append(path, left...)
		path = append(path, 'z')
		if i > 0 {
			desc.WriteString("；")
		}
		desc.WriteString(l)
		desc.WriteString(" ")
		desc.WriteString(text)
	}
	c.BarsPath = string(path)
	if len(labels) == 0 {
		desc.WriteString("无数据")
	}
	if mark > 0 {
		c.MarkX = strconv.FormatFloat(chartLabelW+mark*scale, 'f', 1, 64)
		c.MarkLabel = markLabel
		desc.WriteString("。" + markLabel)
	}
	desc.WriteString("。")
	c.Desc = desc.String()
	return c
}

// StatsView is the statistics page of one division.
type StatsView struct {
	Page
	Heading     string
	Action      string
	Division    string // the division drilled into; "" for the caller's own
	Crumbs      []NavItem
	Year        Field
	Quarter     Field
	Area        Field
	YearOptions []Option
	QuarterOpts []Option
	AreaOptions []Option
	Problems    map[string]string
	PeriodLabel string
	AreaLabel   string
	Summary     []string
	EmptyNote   string
	TargetNote  string
	TargetsHref string
	ExportHref  string
	SummaryHref string // a community's 述职 summary of the year
	Figures     []StatFigure
	Tables      []StatTable
	// 三会一课 by quarter (stats_party_meetings_view.go)
	PartyMeetings PartyMeetingStatsView
}

// StatFigure is one headline number of the page.
type StatFigure struct{ Key, N, L string }

// StatsSort is the ranking's order: a column key and whether descending.
type StatsSort struct {
	Key  string
	Desc bool
}

// ParseStatsSort reads ?sort=key and ?dir=desc|asc; an unknown key is the code order.
func ParseStatsSort(key, dir string) StatsSort {
	if _, ok := rankingKeys[key]; !ok {
		return StatsSort{}
	}
	return StatsSort{Key: key, Desc: dir != "asc"}
}

// rankingKeys are the sortable ranking columns and the value each sorts by.
var rankingKeys = map[string]func(registry.StatChild) float64{
	"live":      func(c registry.StatChild) float64 { return float64(c.Live) },
	"meet":      func(c registry.StatChild) float64 { return c.MeetShare() },
	"urban":     func(c registry.StatChild) float64 { return c.AvgUrban() },
	"rural":     func(c registry.StatChild) float64 { return c.AvgRural() },
	"party":     func(c registry.StatChild) float64 { return c.PartyShare() },
	"reports":   func(c registry.StatChild) float64 { return float64(c.Activity.Reports) },
	"volunteer": func(c registry.StatChild) float64 { return float64(c.Activity.Volunteers) },
	"hours":     func(c registry.StatChild) float64 { return c.Activity.VolunteerHours },
	"benefit":   func(c registry.StatChild) float64 { return float64(c.Activity.Beneficiaries) },
	"gaps":      func(c registry.StatChild) float64 { return float64(len(c.FieldsMissing)) },
}

func fmtInt(n int64) string      { return strconv.FormatInt(n, 10) }
func fmtOne(v float64) string    { return strconv.FormatFloat(v, 'f', 1, 64) }
func fmtPct(v float64) string    { return strconv.FormatFloat(v, 'f', 1, 64) + "%" }
func round1(v float64) float64   { return float64(int64(v*10+0.5)) / 10 }
func intCell(n int) StatCell     { return StatCell{Text: strconv.Itoa(n), Value: int64(n)} }
func int64Cell(n int64) StatCell { return StatCell{Text: fmtInt(n), Value: n} }
func oneCell(v float64) StatCell { return StatCell{Text: fmtOne(v), Value: round1(v)} }
func pctCell(v float64) StatCell { return StatCell{Text: fmtPct(v), Value: round1(v)} }
func textCell(s string) StatCell { return StatCell{Text: s, Value: s} }

// Stats is a tier's statistics page; its export, 述职 summary and the district's 培育目标 settings hang below it.
func (p Paths) Stats() string { return p.root + "/stats" }

// StatsTargets is the district's 培育目标 settings page.
func (p Paths) StatsTargets() string { return p.Stats() + "/targets" }

// StatsLinks builds the page's URLs: base is /district/stats and the like; division "" is the caller's own.
type StatsLinks struct {
	Base     string
	Own      string // the caller's division
	Division string
	Query    registry.StatQuery
	Sort     StatsSort
}

func (l StatsLinks) values(division string) url.Values {
	v := url.Values{}
	if division != "" && division != l.Own {
		v.Set("division", division)
	}
	v.Set("year", strconv.Itoa(l.Query.Period.Year))
	if l.Query.Period.Quarter > 0 {
		v.Set("quarter", strconv.Itoa(l.Query.Period.Quarter))
	}
	if l.Query.Area != registry.AreaAll {
		v.Set("area", string(l.Query.Area))
	}
	return v
}

// Page is the statistics page of division with the same period and area. Its query is the one
// values(division).Encode() writes (keys in order, values escaped), put together directly: a district's page
// links some 300 divisions, and a map of values sorted and encoded for each cost more than its row.
func (l StatsLinks) Page(division string) string {
	b := make([]byte, 0, len(l.Base)+64)
	b = append(b, l.Base...)
	b = append(b, '?')
	if l.Query.Area != registry.AreaAll {
		b = append(b, "area="...)
		b = append(b, url.QueryEscape(string(l.Query.Area))...)
		b = append(b, '&')
	}
	if division != "" && division != l.Own {
		b = append(b, "division="...)
		b = append(b, url.QueryEscape(division)...)
		b = append(b, '&')
	}
	if l.Query.Period.Quarter > 0 {
		b = append(b, "quarter="...)
		b = strconv.AppendInt(b, int64(l.Query.Period.Quarter), 10)
		b = append(b, '&')
	}
	b = append(b, "year="...)
	b = strconv.AppendInt(b, int64(l.Query.Period.Year), 10)
	return string(b)
}

// Summary is the 述职 summary of a community for the page's year.
func (l StatsLinks) Summary(division string) string {
	v := l.values(division)
	v.Del("quarter")
	v.Del("area")
	return l.Base + "/summary?" + v.Encode()
}

// Export is the xlsx of the current page.
func (l StatsLinks) Export() string { return l.Base + "/export.xlsx?" + l.values(l.Division).Encode() }

func (l StatsLinks) sortHref(key string, cur StatsSort) string {
	v := l.values(l.Division)
	v.Set("sort", key)
	if cur.Key == key && cur.Desc {
		v.Set("dir", "asc")
	} else {
		v.Set("dir", "desc")
	}
	return l.Base + "?" + v.Encode() + "#ranking"
}

// childWord is what the divisions one level below d are called.
func childWord(d portal.Division) string {
	switch d.Level {
	case portal.TierDistrict:
		return "镇街"
	case portal.TierTown:
		return "村(社区)"
	}
	return "本村(社区)"
}

// StatsTables builds every table of the page from s; the export writes the same tables.
func StatsTables(s registry.Stats, l StatsLinks) []StatTable {
	child := childWord(s.Division)
	drill := s.Division.Level != portal.TierCommunity
	var out []StatTable

	// The ranking: one row per division a level down, sortable, each linked to its own page.
	rows := slices.Clone(s.Children)
	if f, ok := rankingKeys[l.Sort.Key]; ok {
		slices.SortStableFunc(rows, func(a, b registry.StatChild) int {
			if l.Sort.Desc {
				return cmp.Compare(f(b), f(a))
			}
			return cmp.Compare(f(a), f(b))
		})
	}
	cols := []struct{ label, key string }{
		{child, ""}, {"村(社区)数", ""}, {"达标村(社区)", ""}, {"达标率", "meet"}, {"社区社会组织", "live"},
		{"城市社区平均", "urban"}, {"农村社区平均", "rural"}, {"党建覆盖率", "party"}, {"活动报告", "reports"},
		{"参与人次", ""}, {"志愿者人次", "volunteer"}, {"志愿服务时长", "hours"}, {"受益人次", "benefit"},
		{"活动异常", ""}, {"已注销(撤销)", ""}, {"空白服务领域", "gaps"},
	}
	rank := StatTable{ID: "ranking", Title: child + "对比", Unit: "个、人次、小时",
		Note: "达标：在册组织（正常与活动异常）不少于培育目标；党建覆盖率：建立党组织或派有党建指导员的组织占在册组织的比例。"}
	for i, c := range cols {
		col := StatColumn{Label: c.label, Num: i > 0}
		if c.key != "" && drill {
			col.SortHref = l.sortHref(c.key, l.Sort)
			if l.Sort.Key == c.key {
				col.Sorted = map[bool]string{true: "descending", false: "ascending"}[l.Sort.Desc]
			}
		}
		rank.Columns = append(rank.Columns, col)
	}
	rowOf := func(c registry.StatChild, href string) []StatCell {
		name := textCell(c.Name)
		name.Href = href
		return []StatCell{name, intCell(c.Communities), intCell(c.MeetTarget), pctCell(c.MeetShare()), intCell(c.Live),
			oneCell(c.AvgUrban()), oneCell(c.AvgRural()), pctCell(c.PartyShare()), int64Cell(c.Activity.Reports),
			int64Cell(c.Activity.Participants), int64Cell(c.Activity.Volunteers), oneCell(c.Activity.VolunteerHours),
			int64Cell(c.Activity.Beneficiaries), intCell(c.Abnormal), intCell(c.Ended), intCell(len(c.FieldsMissing))}
	}
	var labels []string
	var values []float64
	for _, c := range rows {
		if c.Retired {
			// The town's retired communities: their past in the 合计, no live group to chart, no page.
			rank.Rows = append(rank.Rows, rowOf(c, ""))
			rank.Note += "“" + c.Name + "”：已撤销村(社区)撤并前报送的活动和已注销的组织，仍计入本镇街的历史和合计。"
			continue
		}
		href := ""
		if drill {
			href = l.Page(c.Code)
		}
		rank.Rows = append(rank.Rows, rowOf(c, href))
		labels = append(labels, c.Name)
		values = append(values, float64(c.Live))
	}
	if drill {
		rank.Total = rowOf(s.Total, "")
		rank.Chart = NewBarChart("chart-orgs", "各"+child+"社区社会组织数", "个", labels, values,
			func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) + " 个" }, 0, "")
	}
	out = append(out, rank)

	// Communities furthest below their target.
	below := StatTable{ID: "below", Title: "距培育目标最远的村(社区)", Unit: "个",
		Columns: []StatColumn{{Label: "村(社区)"}, {Label: "所属镇街"}, {Label: "类别"}, {Label: "在册组织", Num: true},
			{Label: "培育目标", Num: true}, {Label: "差额", Num: true}, {Label: "述职摘要"}}}
	for _, c := range s.FurthestBelow(10) {
		name := textCell(c.Name)
		if s.Division.Level != portal.TierCommunity {
			name.Href = l.Page(c.Code)
		}
		kind := "社区"
		if c.Rural {
			kind = "村"
		}
		summary := textCell("查看")
		summary.Href = l.Summary(c.Code)
		below.Rows = append(below.Rows, []StatCell{name, textCell(c.TownName), textCell(kind), intCell(c.Live),
			oneCell(c.Target), oneCell(c.Gap()), summary})
	}
	if len(below.Rows) == 0 {
		below.Note = "所有村(社区)均已达到培育目标。"
	}
	out = append(out, below)

	// 服务领域, fewest first.
	fields := StatTable{ID: "fields", Title: "服务领域分布（由少到多）", Unit: "个",
		Columns: []StatColumn{{Label: "服务领域"}, {Label: "在册组织", Num: true}, {Label: "尚无该领域组织的" + child, Num: true}},
		Note:    "一个组织可有多个服务领域，各领域之和可能大于组织总数。"}
	for _, f := range s.Fields {
		fields.Rows = append(fields.Rows, []StatCell{textCell(f.Label), intCell(f.N), intCell(f.Without)})
	}
	out = append(out, fields)

	// 服务对象 coverage by activities.
	ben := StatTable{ID: "beneficiaries", Title: "服务对象覆盖", Unit: "篇、人次",
		Columns: []StatColumn{{Label: "服务对象"}, {Label: "服务该对象的活动报告", Num: true}, {Label: "受益人次", Num: true}}}
	labels, values = nil, nil
	for _, b := range s.Beneficiaries {
		ben.Rows = append(ben.Rows, []StatCell{textCell(b.Target), int64Cell(b.Reports), int64Cell(b.People)})
		labels = append(labels, b.Target)
		values = append(values, float64(b.People))
	}
	ben.Chart = NewBarChart("chart-beneficiaries", "各类服务对象受益人次", "人次", labels, values,
		func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) + " 人次" }, 0, "")
	out = append(out, ben)

	// The 主题系列.
	series := StatTable{ID: "series", Title: "主题系列活动", Unit: "篇、人次、小时",
		Columns: []StatColumn{{Label: "主题系列"}, {Label: "活动报告", Num: true}, {Label: "参与人次", Num: true},
			{Label: "志愿者人次", Num: true}, {Label: "志愿服务时长", Num: true}, {Label: "受益人次", Num: true}}}
	labels, values = nil, nil
	var sum registry.StatActivity
	for _, x := range s.Series {
		series.Rows = append(series.Rows, []StatCell{textCell(x.Series), int64Cell(x.Reports), int64Cell(x.Participants),
			int64Cell(x.Volunteers), oneCell(x.VolunteerHours), int64Cell(x.Beneficiaries)})
		labels = append(labels, x.Series)
		values = append(values, float64(x.Reports))
		sum.Add(x.StatActivity)
	}
	series.Total = []StatCell{textCell("合计"), int64Cell(sum.Reports), int64Cell(sum.Participants), int64Cell(sum.Volunteers),
		oneCell(sum.VolunteerHours), int64Cell(sum.Beneficiaries)}
	series.Chart = NewBarChart("chart-series", "各主题系列活动报告数", "篇", labels, values,
		func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) + " 篇" }, 0, "")
	out = append(out, series)

	// What the live organizations are.
	make4 := func(id, title, label string, cs []registry.StatCount) StatTable {
		t := StatTable{ID: id, Title: title, Unit: "个", Columns: []StatColumn{{Label: label}, {Label: "在册组织", Num: true}}}
		n := 0
		for _, c := range cs {
			t.Rows = append(t.Rows, []StatCell{textCell(c.Label), intCell(c.N)})
			n += c.N
		}
		t.Total = []StatCell{textCell("合计"), intCell(n)}
		return t
	}
	out = append(out, make4("by-tier", "按管理层级", "管理层级", s.ByTier),
		make4("by-form", "按组织形式", "组织形式", s.ByLegalForm),
		make4("by-nature", "按性质", "性质", s.ByNature),
		make4("by-party", "按党建情况", "党建情况", s.ByParty))
	return append(out, statTrendTables(s)...)
}

// StatYearOptions are the years from 2021 to now's.
func StatYearOptions(now time.Time, selected int) []Option {
	var out []Option
	for y := now.In(beijing).Year(); y >= registry.FirstStatYear; y-- {
		out = append(out, Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y) + "年", Selected: y == selected})
	}
	return out
}

// NewStatsView builds the page.
func NewStatsView(p Page, s registry.Stats, l StatsLinks, targetsHref string, problems map[string]string, now time.Time) StatsView {
	q := s.Query
	v := StatsView{Page: p, Heading: s.Division.Name + "社区社会组织统计", Action: l.Base, Problems: problems,
		PeriodLabel: q.Period.Label(), AreaLabel: q.Area.Label(), TargetsHref: targetsHref, ExportHref: l.Export(),
		Year:       Field{Value: strconv.Itoa(q.Period.Year), Problem: problems[registry.KeyStatYear]},
		Quarter:    Field{Value: strconv.Itoa(q.Period.Quarter), Problem: problems[registry.KeyStatQuarter]},
		Area:       Field{Value: string(q.Area), Problem: problems[registry.KeyStatArea]},
		TargetNote: "培育目标：未另行设定时，按" + registry.TargetSource + "；区民政局可按镇街、村(社区)另设目标。"}
	v.Page.Title = v.Heading
	if l.Division != l.Own {
		v.Division = l.Division
	}
	v.YearOptions = StatYearOptions(now, q.Period.Year)
	for i, label := range []string{"全年", "第一季度", "第二季度", "第三季度", "第四季度"} {
		v.QuarterOpts = append(v.QuarterOpts, Option{Value: strconv.Itoa(i), Label: label, Selected: i == q.Period.Quarter})
	}
	for _, a := range registry.StatAreas {
		v.AreaOptions = append(v.AreaOptions, Option{Value: string(a), Label: a.Label(), Selected: a == q.Area})
	}
	for i, d := range s.Trail {
		href := ""
		if i < len(s.Trail)-1 {
			href = l.Page(d.Code)
		}
		v.Crumbs = append(v.Crumbs, NavItem{Label: d.Name, Href: href, Current: i == len(s.Trail)-1})
	}
	t := s.Total
	v.Summary = append(v.Summary,
		s.Division.Name+"（"+q.Area.Label()+"）现有在册社区社会组织 "+strconv.Itoa(t.Live)+" 个，其中活动异常 "+
			strconv.Itoa(t.Abnormal)+" 个；已注销或撤销 "+strconv.Itoa(t.Ended)+" 个。",
		strconv.Itoa(t.Communities)+" 个村(社区)中 "+strconv.Itoa(t.MeetTarget)+" 个达到培育目标（"+fmtPct(t.MeetShare())+
			"）；城市社区平均 "+fmtOne(t.AvgUrban())+" 个，农村社区平均 "+fmtOne(t.AvgRural())+" 个。",
		"党建覆盖率 "+fmtPct(t.PartyShare())+"（"+strconv.Itoa(t.PartyCovered)+" 个组织建立党组织或派有党建指导员）。",
		q.Period.Label()+"共报送活动 "+fmtInt(t.Activity.Reports)+" 篇，参与 "+fmtInt(t.Activity.Participants)+
			" 人次，志愿者 "+fmtInt(t.Activity.Volunteers)+" 人次、服务 "+fmtOne(t.Activity.VolunteerHours)+
			" 小时，受益 "+fmtInt(t.Activity.Beneficiaries)+" 人次。")
	ut, _ := s.Targets.For(s.Division.Code, false)
	rt, _ := s.Targets.For(s.Division.Code, true)
	v.Figures = []StatFigure{
		{"live", strconv.Itoa(t.Live), "在册社区社会组织（个）"},
		{"meet", strconv.Itoa(t.MeetTarget) + "/" + strconv.Itoa(t.Communities), "达到培育目标的村(社区)"},
		{"urban", fmtOne(t.AvgUrban()), "城市社区平均（目标 " + registry.TargetLabel(ut) + "）"},
		{"rural", fmtOne(t.AvgRural()), "农村社区平均（目标 " + registry.TargetLabel(rt) + "）"},
		{"party", fmtPct(t.PartyShare()), "党建覆盖率"},
		{"reports", fmtInt(t.Activity.Reports), q.Period.Label() + "活动报告（篇）"},
		{"volunteers", fmtInt(t.Activity.Volunteers), "志愿者（人次）"},
		{"hours", fmtOne(t.Activity.VolunteerHours), "志愿服务时长（小时）"},
	}
	if s.Empty() {
		v.EmptyNote = q.Period.Label() + "（" + q.Area.Label() + "）尚无活动报告，以下活动数字均为 0。"
	}
	v.Tables = StatsTables(s, l)
	if s.Division.Level == portal.TierCommunity {
		v.SummaryHref = l.Summary(s.Division.Code)
	}
	return v
}
