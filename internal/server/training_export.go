package server

// The 骨干人才培训 export: a year's sessions, the people trained (masked, as the pages show them) and the reach,
// one sheet each, for the clerks who report in Excel.

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type trainingExporter interface {
	TrainingSessions(ctx context.Context, scope portal.Scope, year int) ([]registry.TrainingSession, error)
	TrainedInYear(ctx context.Context, scope portal.Scope, year int) ([]registry.Trainee, error)
	TrainingReach(ctx context.Context, scope portal.Scope, year int) ([]registry.TrainingReach, registry.TrainingReach, error)
}

// workbookSheet writes header and rows on a new sheet of x; every cell is neutralised text.
func workbookSheet(x *excelize.File, sheet string, header []string, rows [][]string) error {
	if _, err := x.NewSheet(sheet); err != nil {
		return err
	}
	for r, row := range append([][]string{header}, rows...) {
		for c, v := range row {
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return err
			}
			if err := x.SetCellStr(sheet, cell, export.Neutralize(v)); err != nil {
				return err
			}
		}
	}
	return nil
}

// sendWorkbook drops excelize's empty first sheet and downloads x as name (fallback: its ASCII name).
func sendWorkbook(w http.ResponseWriter, r *http.Request, rs *responder, x *excelize.File, name, fallback string) {
	_ = x.DeleteSheet("Sheet1")
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		rs.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", export.ContentDisposition(name, fallback))
	_, _ = w.Write(buf.Bytes())
}

func handleTrainingExport(db trainingExporter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		year, ok := trainingYearOf(r.URL.Query().Get("year"), time.Now())
		if !ok {
			rs.notFound(w, r)
			return
		}
		ctx, scope := r.Context(), a.Scope()
		sessions, err := db.TrainingSessions(ctx, scope, year)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		people, err := db.TrainedInYear(ctx, scope, year)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		reach, total, err := db.TrainingReach(ctx, scope, year)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		x := excelize.NewFile()
		defer func() { _ = x.Close() }()
		var rows [][]string
		for _, s := range sessions {
			sr := web.NewTrainingSessionRow(web.Paths{}, s)
			rows = append(rows, []string{sr.Town, sr.Title, sr.Organizer, sr.When, sr.Hours, sr.Mode,
				strings.Join(s.Topics, "、"), s.Venue, strconv.Itoa(s.Attendees)})
		}
		err = workbookSheet(x, "培训场次", []string{"镇街", "培训名称", "举办方", "时间", "学时", "形式", "主题", "地点", "参训人数"}, rows)
		rows = nil
		for _, p := range people {
			cert := p.CertLevel
			if cert != "" && p.CertYear > 0 {
				cert += "（" + strconv.Itoa(p.CertYear) + "年）"
			}
			rows = append(rows, []string{p.TownName, p.Name, p.IDMask, p.PhoneMask, p.Role, p.OrgName, cert,
				strconv.Itoa(p.Sessions), web.Hours1(p.Hours)})
		}
		if err == nil {
			err = workbookSheet(x, "参训人员", []string{"镇街", "姓名", "身份证号", "电话", "身份", "所在组织", "社会工作者职业资格", "参训场次", "学时"}, rows)
		}
		rows = nil
		if total.Name == "" {
			total.Name = "合计"
		}
		for _, c := range append(reach, total) {
			rr := web.NewTrainingReachRow(c)
			rows = append(rows, []string{rr.Name, strconv.Itoa(rr.Live), strconv.Itoa(rr.Reached), rr.Share,
				strconv.Itoa(rr.Trainees), rr.HoursPerPerson, strconv.Itoa(rr.CertHolders)})
		}
		if err == nil {
			err = workbookSheet(x, "覆盖情况", []string{"区划", "在册组织", "已覆盖组织", "覆盖率", "参训人数", "人均学时", "持证人数"}, rows)
		}
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		sendWorkbook(w, r, rs, x, a.DivisionName+"骨干人才培训-"+strconv.Itoa(year)+".xlsx", "training.xlsx")
	}
}

type unreachedExporter interface {
	auditor
	trainingReachReader
	EachUnreachedOrg(ctx context.Context, scope portal.Scope, year int, after int64, limit int, fn func(registry.UnreachedOrg) error) error
}

// handleUnreachedExport streams every group the reach page lists as not yet reached (the caller's, or the
// district's drill-down into a town, ?town=), with the title rows of the other exports: the clerk who acts on
// the list works through it in Excel. The district's own page lists none, so its export without a town is 404.
func handleUnreachedExport(db unreachedExporter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, now, year, ok := trainingRequest(w, r, rs)
		if !ok {
			return
		}
		scope, _, _, total, err := reachOf(r, db, a, year)
		if err == nil && scope.Tier == portal.TierDistrict {
			err = portal.ErrNotFound
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		what := total.Name + strconv.Itoa(year) + "年尚未覆盖骨干人才培训的组织（共 " + strconv.Itoa(total.LiveOrgs-total.ReachedOrgs) + " 个）"
		title := exportTitle(what, total.Name+"在册组织", strconv.Itoa(year)+"年1月1日至12月31日", "个", now)
		name := "unreached-" + strconv.Itoa(year)
		streamTitledTable(w, r, rs, a, exportXLSX, "尚未覆盖培训的组织", name, "尚未覆盖", title, web.UnreachedExportHeader, func(t export.Table) error {
			n := 0
			err := db.EachUnreachedOrg(r.Context(), scope, year, 0, 0, func(u registry.UnreachedOrg) error {
				n++
				return t.Row(web.UnreachedExportCells(u))
			})
			if err != nil {
				return err
			}
			return auditListExport(r, db, a, "training.export", "training", name, n)
		})
	}
}
