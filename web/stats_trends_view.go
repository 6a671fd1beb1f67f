package web

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// quarterLabel is a quarter as the trend names it: 2021年一季度.
func quarterLabel(p registry.StatPeriod) string {
	return strconv.Itoa(p.Year) + "年" + []string{"一", "二", "三", "四"}[p.Quarter-1] + "季度"
}

// statTrendTables are the trends since 2021 (whatever the period chosen): the quarter trend, 定期工作报告 on time
// and 评估评议 grades.
func statTrendTables(s registry.Stats) []StatTable {
	tr := s.Trends
	var out []StatTable

	quarters := StatTable{ID: "trend", Title: "季度趋势（2021年以来）", Unit: "个、篇、小时",
		Columns: []StatColumn{{Label: "季度"}, {Label: "季末在册组织", Num: true}, {Label: "季末活动异常", Num: true},
			{Label: "累计注销(撤销)", Num: true}, {Label: "党建覆盖率", Num: true}, {Label: "活动报告", Num: true},
			{Label: "志愿者人次", Num: true}, {Label: "志愿服务时长", Num: true}},
		Note: "季末数取每季度最后一个月的月度快照（本季度为当前数）；“未留存”表示该月没有快照。活动数字为各季度内的现行报告。"}
	var labels []string
	var values []float64
	missing := StatCell{Text: "未留存", Value: ""}
	for _, q := range tr.Quarters {
		label := quarterLabel(q.Period)
		row := make([]StatCell, 1, len(quarters.Columns))
		row[0] = textCell(label)
		if q.Snapshot {
			row = append(row, int64Cell(q.Live), int64Cell(q.Abnormal), int64Cell(q.Ended),
				pctCell(percent64(q.PartyCovered, q.Live)))
		} else {
			row = append(row, missing, missing, missing, missing)
		}
		row = append(row, int64Cell(q.Activity.Reports), int64Cell(q.Activity.Volunteers), oneCell(q.Activity.VolunteerHours))
		quarters.Rows = append(quarters.Rows, row)
		labels = append(labels, label)
		values = append(values, float64(q.Live))
	}
	quarters.Chart = NewBarChart("chart-trend", "各季度末在册社区社会组织数", "个", labels, values,
		func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) + " 个" }, 0, "")
	out = append(out, quarters)

	ontime := StatTable{ID: "ontime", Title: "定期工作报告按期报送", Unit: "份",
		Columns: []StatColumn{{Label: "报告期"}, {Label: "已报送", Num: true}, {Label: "按期报送", Num: true},
			{Label: "逾期报送", Num: true}, {Label: "按期率", Num: true}},
		Note: "按期：首次报送在报告期结束（北京时间）之前；更正不改变是否按期。按报送时所在村(社区)统计。"}
	var sum registry.StatOnTime
	labels, values = nil, nil
	for _, o := range tr.OnTime {
		ontime.Rows = append(ontime.Rows, []StatCell{textCell(o.Period.Label()), int64Cell(o.Filed), int64Cell(o.OnTime),
			int64Cell(o.Filed - o.OnTime), pctCell(o.Share())})
		sum.Filed += o.Filed
		sum.OnTime += o.OnTime
		labels = append(labels, o.Period.Label())
		values = append(values, o.Share())
	}
	ontime.Total = []StatCell{textCell("合计"), int64Cell(sum.Filed), int64Cell(sum.OnTime),
		int64Cell(sum.Filed - sum.OnTime), pctCell(sum.Share())}
	ontime.Chart = NewBarChart("chart-ontime", "各报告期定期工作报告按期率", "%", labels, values, fmtPct, 0, "")
	out = append(out, ontime)

	grades := StatTable{ID: "grades", Title: "评估评议等次", Unit: "个",
		Note: "每个组织每年以最新一次评估评议的等次计；按评议时所在村(社区)统计。"}
	grades.Columns = append(grades.Columns, StatColumn{Label: "年度"})
	for _, g := range registry.Grades {
		grades.Columns = append(grades.Columns, StatColumn{Label: g.Label(), Num: true})
	}
	grades.Columns = append(grades.Columns, StatColumn{Label: "合计", Num: true}, StatColumn{Label: "优良率", Num: true})
	total := registry.StatGrades{N: map[registry.Grade]int64{}}
	for _, y := range tr.Grades {
		row := make([]StatCell, 1, len(grades.Columns))
		row[0] = textCell(strconv.Itoa(y.Year) + "年")
		for _, g := range registry.Grades {
			row = append(row, int64Cell(y.N[g]))
			total.N[g] += y.N[g]
		}
		row = append(row, int64Cell(y.Total()), pctCell(goodShare(y)))
		grades.Rows = append(grades.Rows, row)
	}
	trow := []StatCell{textCell("合计")}
	for _, g := range registry.Grades {
		trow = append(trow, int64Cell(total.N[g]))
	}
	grades.Total = append(trow, int64Cell(total.Total()), pctCell(goodShare(total)))
	out = append(out, grades)
	return out
}

// goodShare is the share of 优秀 and 良好 among the groups evaluated, in percent.
func goodShare(g registry.StatGrades) float64 {
	return percent64(g.N[registry.GradeExcellent]+g.N[registry.GradeGood], g.Total())
}

func percent64(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) * 100 / float64(of)
}
