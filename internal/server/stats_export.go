package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// writeStatsWorkbook sends the statistics tables as one workbook, a sheet per table. Each sheet opens with title
// rows (the table, jurisdiction, period, units, time of export) so that a clerk can hand it on for 民政事业统计
// as it is. The tables are a few hundred rows at most, so the workbook is built in memory.
func writeStatsWorkbook(w http.ResponseWriter, r *http.Request, rs *responder, s registry.Stats, tables []web.StatTable, now time.Time) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		rs.serverError(w, r, err)
		return
	}
	q := s.Query
	for i, t := range tables {
		sheet := strconv.Itoa(i+1) + "." + t.Title
		if len([]rune(sheet)) > 31 {
			sheet = string([]rune(sheet)[:31])
		}
		if i == 0 {
			err = f.SetSheetName("Sheet1", sheet)
		} else {
			_, err = f.NewSheet(sheet)
		}
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		rows := [][]any{
			{export.Neutralize(s.Division.Name + "社区社会组织统计：" + t.Title)},
			{"统计范围：" + export.Neutralize(s.Division.Name) + "（" + q.Area.Label() + "）"},
			{"统计期间：" + q.Period.Label() + "（组织数为导出时的在册数，活动数字为所选期间）"},
			{"单位：" + t.Unit},
			{"导出时间：" + web.DateTime(now) + "（北京时间）"},
			{},
		}
		var head []any
		for _, c := range t.Columns {
			head = append(head, export.Neutralize(c.Label))
		}
		rows = append(rows, head)
		for _, row := range t.Rows {
			rows = append(rows, statCells(row))
		}
		if t.Total != nil {
			rows = append(rows, statCells(t.Total))
		}
		for n, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, n+1)
			if err := f.SetSheetRow(sheet, cell, &row); err != nil {
				rs.serverError(w, r, err)
				return
			}
		}
		_ = f.SetRowStyle(sheet, 1, 1, bold)
		_ = f.SetRowStyle(sheet, 7, 7, bold)
		_ = f.SetColWidth(sheet, "A", "A", 24)
	}
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	day := now.In(beijing).Format("20060102")
	h.Set("Content-Disposition", export.ContentDisposition(s.Division.Name+"社区社会组织统计"+q.Period.Label()+"-"+day+".xlsx",
		"stats-"+s.Division.Code+"-"+strconv.Itoa(q.Period.Year)+"-"+day+".xlsx"))
	if err := f.Write(w); err != nil {
		rs.log.Error("stats export failed", "request_id", requestIDFrom(r.Context()), "err", err)
	}
}

// statCells is a table row as spreadsheet values: numbers stay numbers, text is neutralised.
func statCells(row []web.StatCell) []any {
	out := make([]any, len(row))
	for i, c := range row {
		if s, ok := c.Value.(string); ok {
			out[i] = export.Neutralize(s)
		} else {
			out[i] = c.Value
		}
	}
	return out
}
