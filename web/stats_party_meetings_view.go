package web

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// PartyMeetingStatsView is the 三会一课 section of the statistics page: the selected year's quarters and the
// trend since 2021 (with its chart), for the area the page's filter chose, and the export of both.
type PartyMeetingStatsView struct {
	Year         string
	AreaLabel    string
	WithPartyOrg string
	Tables       []StatTable
	ExportHref   string
	None         bool // no meeting recorded in the year: the page says so
}

// NewPartyMeetingStatsView formats s; links are the page's (the export keeps its division, year and area).
func NewPartyMeetingStatsView(s registry.PartyMeetingStats, links StatsLinks) PartyMeetingStatsView {
	v := PartyMeetingStatsView{Year: strconv.Itoa(s.Year), AreaLabel: s.Area.Label(),
		WithPartyOrg: strconv.FormatInt(s.WithPartyOrg, 10), Tables: PartyMeetingTables(s), None: true,
		ExportHref: links.Base + "/party-meetings.xlsx?" + links.values(links.Division).Encode()}
	for _, q := range s.Quarters {
		v.None = v.None && q.Meetings == 0
	}
	return v
}

// PartyMeetingTables are the section's tables, the page's and the export's alike: the year by quarter with
// its total, and every quarter since 2021 with a chart of the meetings.
func PartyMeetingTables(s registry.PartyMeetingStats) []StatTable {
	cols := func(first string) []StatColumn {
		return []StatColumn{{Label: first}, {Label: "会议次数", Num: true}, {Label: "参加人次", Num: true},
			{Label: "召开组织数", Num: true}, {Label: "召开组织占比", Num: true}}
	}
	row := func(label string, q registry.PartyMeetingQuarter) []StatCell {
		share := StatCell{Text: "—", Value: ""}
		if s.WithPartyOrg > 0 {
			share = pctCell(s.Share(q))
		}
		return []StatCell{textCell(label), int64Cell(q.Meetings), int64Cell(q.Attendance), int64Cell(q.GroupsMet), share}
	}
	note := "召开组织占比：本季度至少召开一次三会一课的组织占现有建有党组织（单独建立或联合建立）的在册组织（" +
		strconv.FormatInt(s.WithPartyOrg, 10) + " 个）的比例；会议计入记录时组织所在的社区（村）。"
	year := StatTable{ID: "party-meetings", Title: "三会一课（" + strconv.Itoa(s.Year) + "年，按季度）", Unit: "次、人次、个",
		Columns: cols("季度"), Note: note + "合计行的召开组织数为各季度之和（一个组织可在几个季度召开）。"}
	var total registry.PartyMeetingQuarter
	for _, q := range s.Quarters {
		year.Rows = append(year.Rows, row("第"+strconv.Itoa(q.Quarter)+"季度", q))
		total.Meetings += q.Meetings
		total.Attendance += q.Attendance
		total.GroupsMet += q.GroupsMet
	}
	year.Total = []StatCell{textCell("全年合计"), int64Cell(total.Meetings), int64Cell(total.Attendance),
		int64Cell(total.GroupsMet), {Text: "—", Value: ""}}

	trend := StatTable{ID: "party-meetings-trend", Title: "三会一课季度趋势（" + strconv.Itoa(registry.FirstStatYear) + "年以来）",
		Unit: "次、人次、个", Columns: cols("季度"), Note: note}
	var labels []string
	var values []float64
	for _, q := range s.Trend {
		label := quarterLabel(registry.StatPeriod{Year: q.Year, Quarter: q.Quarter})
		trend.Rows = append(trend.Rows, row(label, q))
		labels = append(labels, label)
		values = append(values, float64(q.Meetings))
	}
	trend.Chart = NewBarChart("chart-party-meetings", "各季度三会一课会议次数", "次", labels, values,
		func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) + " 次" }, 0, "")
	return []StatTable{year, trend}
}
