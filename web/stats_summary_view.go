package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
)

// StatsSummaryView is the one-page 述职 summary of a community's year for its 社区党组织书记: the figures in
// sentences and in a table, printable on A4.
type StatsSummaryView struct {
	Page
	Heading    string
	BackHref   string
	Paragraphs []string
	Table      StatTable
	AsOf       string
}

// NewStatsSummaryView builds the summary of s, a community's statistics for a whole year.
func NewStatsSummaryView(p Page, s registry.Stats, backHref string, now time.Time) StatsSummaryView {
	c := s.Total
	kind := "社区"
	target, _ := s.Targets.For(s.Division.Code, s.Division.Rural)
	if s.Division.Rural {
		kind = "村"
	}
	year := s.Query.Period.Label()
	v := StatsSummaryView{Page: p, BackHref: backHref, AsOf: Date(now),
		Heading: s.Division.Name + year + "社区社会组织工作情况"}
	v.Page.Title = v.Heading + "（述职摘要）"
	reach := "已达到培育目标"
	if gap := target - float64(c.Live); gap > 0 {
		reach = "距培育目标尚差 " + fmtOne(gap) + " 个"
	}
	tiers := make([]string, 0, len(s.ByTier))
	for _, t := range s.ByTier {
		tiers = append(tiers, t.Label+" "+strconv.Itoa(t.N)+" 个")
	}
	v.Paragraphs = append(v.Paragraphs,
		"截至"+Date(now)+"，本"+kind+"在册社区社会组织 "+strconv.Itoa(c.Live)+" 个（"+strings.Join(tiers, "、")+
			"），培育目标 "+registry.TargetLabel(target)+" 个，"+reach+"。",
		"建立党组织或派有党建指导员的组织 "+strconv.Itoa(c.PartyCovered)+" 个，党建覆盖率 "+fmtPct(c.PartyShare())+
			"；活动异常 "+strconv.Itoa(c.Abnormal)+" 个，已注销或撤销 "+strconv.Itoa(c.Ended)+" 个。")
	if s.Empty() {
		v.Paragraphs = append(v.Paragraphs, year+"本"+kind+"尚无活动报告。")
	} else {
		var series []string
		for _, x := range s.Series {
			if x.Reports > 0 {
				series = append(series, x.Series+" "+fmtInt(x.Reports)+" 次")
			}
		}
		v.Paragraphs = append(v.Paragraphs, year+"，各组织开展并报告活动 "+fmtInt(c.Activity.Reports)+" 次（"+
			strings.Join(series, "、")+"），参与 "+fmtInt(c.Activity.Participants)+" 人次，志愿者 "+
			fmtInt(c.Activity.Volunteers)+" 人次、服务 "+fmtOne(c.Activity.VolunteerHours)+" 小时，受益 "+
			fmtInt(c.Activity.Beneficiaries)+" 人次。")
	}
	var served, unserved []string
	for _, b := range s.Beneficiaries {
		if b.People > 0 {
			served = append(served, b.Target+" "+fmtInt(b.People)+" 人次")
		} else {
			unserved = append(unserved, b.Target)
		}
	}
	line := "服务对象："
	if len(served) > 0 {
		line += strings.Join(served, "、") + "。"
	}
	if len(unserved) > 0 {
		line += "尚未服务到：" + strings.Join(unserved, "、") + "。"
	}
	v.Paragraphs = append(v.Paragraphs, line)
	if len(c.FieldsMissing) > 0 {
		v.Paragraphs = append(v.Paragraphs, "尚无组织的服务领域："+strings.Join(c.FieldsMissing, "、")+"。")
	}
	// The year's 定期工作报告 and 评估评议, from the trends.
	var filed, onTime int64
	for _, o := range s.Trends.OnTime {
		if o.Period.Year == s.Query.Period.Year {
			filed, onTime = filed+o.Filed, onTime+o.OnTime
		}
	}
	var grades registry.StatGrades
	for _, g := range s.Trends.Grades {
		if g.Year == s.Query.Period.Year {
			grades = g
		}
	}
	work := year + "各组织报送定期工作报告 " + fmtInt(filed) + " 份，其中按期报送 " + fmtInt(onTime) + " 份"
	if filed > 0 {
		work += "（按期率 " + fmtPct(percent64(onTime, filed)) + "）"
	}
	work += "；"
	if n := grades.Total(); n > 0 {
		var parts []string
		for _, g := range registry.Grades {
			if grades.N[g] > 0 {
				parts = append(parts, g.Label()+" "+fmtInt(grades.N[g])+" 个")
			}
		}
		work += "评估评议 " + fmtInt(n) + " 个组织，" + strings.Join(parts, "、") + "。"
	} else {
		work += "尚无评估评议结果。"
	}
	v.Paragraphs = append(v.Paragraphs, work)
	v.Table = StatTable{ID: "summary", Title: "主要指标", Unit: "个、人次、小时",
		Columns: []StatColumn{{Label: "指标"}, {Label: "数值", Num: true}}}
	add := func(label string, cell StatCell) {
		v.Table.Rows = append(v.Table.Rows, []StatCell{textCell(label), cell})
	}
	add("在册社区社会组织（个）", intCell(c.Live))
	add("培育目标（个）", oneCell(target))
	add("党建覆盖率", pctCell(c.PartyShare()))
	add(year+"活动报告（次）", int64Cell(c.Activity.Reports))
	add("参与（人次）", int64Cell(c.Activity.Participants))
	add("志愿者（人次）", int64Cell(c.Activity.Volunteers))
	add("志愿服务时长（小时）", oneCell(c.Activity.VolunteerHours))
	add("受益（人次）", int64Cell(c.Activity.Beneficiaries))
	add("尚无组织的服务领域（个）", intCell(len(c.FieldsMissing)))
	add("定期工作报告（份）", int64Cell(filed))
	add("其中按期报送（份）", int64Cell(onTime))
	add("评估评议优良（个）", int64Cell(grades.N[registry.GradeExcellent]+grades.N[registry.GradeGood]))
	return v
}
