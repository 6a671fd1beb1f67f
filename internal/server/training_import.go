package server

// A session's sign-in sheet (签到表): an xlsx of one person a row. As with the 台账 import, every row is checked
// first and every bad row is reported with its reasons; nothing is recorded until all rows are good, and then
// all are recorded in one transaction.

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// Limits of a sign-in sheet: a session's attendance is a few hundred people at most.
const (
	sheetMaxBytes = 2 << 20
	sheetMaxRows  = 2000
)

// sheetLimits bound what a sign-in sheet may inflate to before excelize reads it whole into memory (SECURITY.md
// 14): 2,000 rows of a few dozen short cells are well under a megabyte of XML, so ten at once stay small.
var sheetLimits = ledger.Limits{Noun: "签到表", Unzipped: 8 << 20, PartUnzipped: 4 << 20, Rows: sheetMaxRows, Cells: 100_000}

// sheetColumns are the sign-in sheet's columns, in the template's order; 姓名 and 人员类别 are required.
var sheetColumns = []string{"姓名", "身份证号", "联系电话", "人员类别", "所在组织", "职业资格", "取得年份"}

// sheetRow is a data row of a sign-in sheet: its number in the sheet and the person it names.
type sheetRow struct {
	number int
	person registry.AttendeeInput
	name   string
}

// readSheet reads a sign-in sheet's rows; a file that cannot be read as one is a refusal with its reason.
func readSheet(r io.Reader) ([][]string, string) {
	b, err := io.ReadAll(io.LimitReader(r, sheetMaxBytes+1))
	switch {
	case err != nil || len(b) == 0:
		return nil, "请选择填写好的签到表（.xlsx）"
	case len(b) > sheetMaxBytes:
		return nil, "文件超过 2 MB，请检查是否选错了文件"
	}
	// A bomb is refused by what it inflates to before any of it is parsed.
	var refusal *ledger.Refusal
	if err := ledger.Scan(b, sheetLimits); errors.As(err, &refusal) {
		return nil, refusal.Reason
	} else if err != nil {
		return nil, "文件已损坏或不是 Excel 工作簿（.xlsx）"
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: sheetLimits.Unzipped,
		UnzipXMLSizeLimit: sheetLimits.Unzipped})
	if err != nil {
		return nil, "文件已损坏或不是 Excel 工作簿（.xlsx）"
	}
	defer func() { _ = f.Close() }()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, "工作簿中没有工作表"
	}
	rows, err := f.GetRows(sheets[0])
	switch {
	case err != nil:
		return nil, "无法读取工作表“" + sheets[0] + "”"
	case len(rows) > sheetMaxRows+1:
		return nil, "签到表超过 2000 行，请按场次分别导入"
	case len(rows) < 2:
		return nil, "签到表中没有数据行：请从第 2 行起每行填写一人"
	}
	return rows, ""
}

// sheetPeople checks every data row of a sign-in sheet. It returns the people when all rows are good, else the
// problems of every bad row; a header without the needed columns is a refusal.
func sheetPeople(rows [][]string, f *form) ([]sheetRow, []web.SheetProblem, string) {
	index := map[string]int{}
	for i, h := range rows[0] {
		index[strings.TrimSpace(h)] = i
	}
	var missing []string
	for _, c := range sheetColumns {
		if _, ok := index[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, nil, "第 1 行缺少列：" + strings.Join(missing, "、") + "。请使用下载的签到表模板"
	}
	var out []sheetRow
	var bad []web.SheetProblem
	for n, cells := range rows[1:] {
		get := func(col string) string {
			if i := index[col]; i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		blank := true
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		in, problems := registry.ReadAttendee(get("姓名"), get("身份证号"), get("联系电话"), get("人员类别"),
			get("职业资格"), get("取得年份"), f.now)
		in.OrgName = get("所在组织")
		if len([]rune(in.OrgName)) > orgNameMax {
			problems.Add(registry.AttOrg, "所在组织名称过长")
		}
		row := sheetRow{number: n + 2, person: in, name: get("姓名")}
		if !problems.OK() {
			bad = append(bad, web.SheetProblem{Row: row.number, Name: row.name, Reasons: attendeeProblems(problems)})
		}
		out = append(out, row)
	}
	if len(out) == 0 {
		return nil, nil, "签到表中没有数据行：请从第 2 行起每行填写一人"
	}
	return out, bad, ""
}

// handleAttendanceImport records a session's attendance from a sign-in sheet, all rows or none.
func handleAttendanceImport(db attendanceRecorder, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		a := accountFrom(r.Context())
		v, err := keptSessionView(r.Context(), db, a, paths, id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		refuse := func(msg string) {
			v.ImportFile.Problem = msg
			v.Add.Problems = map[string]string{}
			rs.render(w, r, http.StatusUnprocessableEntity, web.TrainingSessionPage(v))
		}
		r.Body = http.MaxBytesReader(w, r.Body, sheetMaxBytes+64<<10)
		if err := r.ParseMultipartForm(sheetMaxBytes + 64<<10); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				refuse("文件超过 2 MB，请检查是否选错了文件")
				return
			}
			refuse("请选择填写好的签到表（.xlsx）")
			return
		}
		defer func() { _ = r.MultipartForm.RemoveAll() }()
		fhs := r.MultipartForm.File["sheet"]
		if len(fhs) == 0 {
			refuse("请选择填写好的签到表（.xlsx）")
			return
		}
		file, err := fhs[0].Open()
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		rows, msg := readSheet(file)
		_ = file.Close()
		if msg != "" {
			refuse(msg)
			return
		}
		f := newForm(r)
		read, bad, msg := sheetPeople(rows, f)
		if msg != "" {
			refuse(msg)
			return
		}
		people := make([]registry.AttendeeInput, len(read))
		for i, row := range read {
			people[i] = row.person
		}
		unknown, err := resolveOrgs(r.Context(), db, a.Scope(), people)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if len(unknown) > 0 {
			bad = mergeSheetProblems(bad, read, unknown)
		}
		if len(bad) > 0 {
			v.BadRows = bad
			refuse("签到表有 " + strconv.Itoa(len(bad)) + " 行需要修改，全部未导入；改正后请重新上传")
			return
		}
		added, err := db.RecordAttendance(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), id,
			f.version("seen"), people, "导入签到表 "+uploadName(fhs[0].Filename))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "签到表已导入：共 "+strconv.Itoa(len(people))+" 人，新增签到 "+strconv.Itoa(added)+" 人。")
		redirect(w, r, paths.TrainingSession(id))
	}
}

// mergeSheetProblems adds the unknown groups (by index into read) to the rows' problems, keeping row order.
func mergeSheetProblems(bad []web.SheetProblem, read []sheetRow, unknown map[int]string) []web.SheetProblem {
	byRow := map[int]int{}
	for i, b := range bad {
		byRow[b.Row] = i
	}
	for i, row := range read {
		msg, ok := unknown[i]
		if !ok {
			continue
		}
		if j, seen := byRow[row.number]; seen {
			bad[j].Reasons += "；" + msg
			continue
		}
		bad = append(bad, web.SheetProblem{Row: row.number, Name: row.name, Reasons: msg})
	}
	slices.SortFunc(bad, func(a, b web.SheetProblem) int { return a.Row - b.Row })
	return bad
}

// handleAttendanceTemplate downloads an empty sign-in sheet with the columns and a drop-down for 人员类别.
func handleAttendanceTemplate(rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f := excelize.NewFile()
		defer func() { _ = f.Close() }()
		const sheet = "签到表"
		_ = f.SetSheetName("Sheet1", sheet)
		for i, c := range sheetColumns {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			_ = f.SetCellStr(sheet, cell, c)
		}
		_ = f.SetColWidth(sheet, "A", "G", 18)
		_ = f.SetColWidth(sheet, "E", "E", 36)
		for col, list := range map[string][]string{"D": registry.TraineeRoles, "F": registry.CertLevels} {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = col + "2:" + col + "2001"
			_ = dv.SetDropList(list)
			_ = f.AddDataValidation(sheet, dv)
		}
		// 身份证号 and 联系电话 as text, so Excel keeps every digit.
		style, _ := f.NewStyle(&excelize.Style{NumFmt: 49})
		_ = f.SetColStyle(sheet, "B:C", style)
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			rs.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", export.ContentDisposition("培训签到表模板.xlsx", "attendance-template.xlsx"))
		_, _ = w.Write(buf.Bytes())
	}
}
