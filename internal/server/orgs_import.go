package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/web"
)

// orgImportRoutes mounts the 台账 spreadsheet template and import in a tier's area. A 村(居)委会 imports guided
// groups into its own community, a 镇街 into any of its communities; the district registers nothing this way.
func (s *Server) orgImportRoutes(r chi.Router, tier portal.Tier) {
	if tier == portal.TierDistrict {
		return
	}
	base := "/" + string(tier) + "/orgs"
	r.Get("/orgs/import/template.xlsx", handleOrgImportTemplate(s.db, s.resp))
	r.Get("/orgs/import", handleOrgImportForm(base, s.resp))
	r.Post("/orgs/import", handleOrgImportCheck(s.db, s.box, base, s.resp))
	r.Post("/orgs/import/confirm", handleOrgImportConfirm(s.db, s.box, base, s.resp))
}

// importPlaces gives the communities a clerk may import into.
type importPlaces interface {
	ImportCommunities(ctx context.Context, scope portal.Scope) ([]postgres.ImportCommunity, error)
}

type importChecker interface {
	importPlaces
	TakenNames(ctx context.Context, scope portal.Scope, names []string) ([]string, error)
	KeepImport(ctx context.Context, box *sealbox.Box, scope portal.Scope, actor portal.Actor, orgs []postgres.OrgInput) (string, error)
}

type importConfirmer interface {
	ImportKept(ctx context.Context, box *sealbox.Box, scope portal.Scope, actor portal.Actor, token string) (int, error)
}

// ledgerCommunities are the communities inside the account's scope as the 台账 checker knows them, and the
// account's own when it is a committee.
func ledgerCommunities(ctx context.Context, db importPlaces, a *portal.Account) ([]ledger.Community, *ledger.Community, error) {
	cs, err := db.ImportCommunities(ctx, a.Scope())
	if err != nil {
		return nil, nil, err
	}
	out := make([]ledger.Community, len(cs))
	var own *ledger.Community
	for i, c := range cs {
		out[i] = ledger.Community{Code: c.Code, Name: c.Name, Prefix: c.DistrictName + c.TownName}
		if a.Tier == portal.TierCommunity && c.Code == a.DivisionCode {
			own = &out[i]
		}
	}
	if a.Tier == portal.TierCommunity && own == nil {
		return nil, nil, portal.ErrNotFound
	}
	return out, own, nil
}

// handleOrgImportTemplate sends the 台账 template: a town's lists its communities, a committee's has no
// community column.
func handleOrgImportTemplate(db importPlaces, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		communities, own, err := ledgerCommunities(r.Context(), db, a)
		if err != nil {
			orgFail(rs, w, r, err)
			return
		}
		t := ledger.Template{Communities: communities}
		if own != nil {
			t = ledger.Template{Communities: []ledger.Community{*own}, Committee: true}
		}
		var buf bytes.Buffer
		if err := ledger.WriteTemplate(&buf, t); err != nil {
			rs.serverError(w, r, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		h.Set("Content-Disposition", export.ContentDisposition("社区社会组织台账模板.xlsx", "ledger-template.xlsx"))
		h.Set("Content-Length", strconv.Itoa(buf.Len()))
		_, _ = w.Write(buf.Bytes())
	}
}

func importFormView(a *portal.Account, base string) web.OrgImportView {
	return web.OrgImportView{Page: web.NewPage("台账导入", a, base, ""), Action: base + "/import",
		TemplateHref: base + "/import/template.xlsx", ListHref: base, Committee: a.Tier == portal.TierCommunity}
}

func handleOrgImportForm(base string, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rs.render(w, r, http.StatusOK, web.OrgImportPage(importFormView(accountFrom(r.Context()), base)))
	}
}

// handleOrgImportCheck reads the uploaded 台账 and checks every row. Any bad row: 422 listing every problem,
// nothing kept. All good: the rows are kept (sealed, bound to the account, for an hour) and a preview asks for
// the confirmation. The check is synchronous; a 100,000-row file takes some seconds.
func handleOrgImportCheck(db importChecker, box *sealbox.Box, base string, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v := importFormView(a, base)
		refuse := func(msg string) {
			v.FileProblem = msg
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgImportPage(v))
		}
		r.Body = http.MaxBytesReader(w, r.Body, ledger.MaxFileSize+64<<10)
		if err := r.ParseMultipartForm(ledger.MaxFileSize + 64<<10); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				refuse("文件超过 10 MB，请拆分成几个文件分别导入")
				return
			}
			refuse("请选择要上传的台账文件（.xlsx）")
			return
		}
		defer func() { _ = r.MultipartForm.RemoveAll() }()
		fhs := r.MultipartForm.File["file"]
		if len(fhs) == 0 || fhs[0].Size == 0 && fhs[0].Filename == "" {
			refuse("请选择要上传的台账文件（.xlsx）")
			return
		}
		fh := fhs[0]
		v.Filename = fh.Filename
		if fh.Size > ledger.MaxFileSize {
			refuse("文件超过 10 MB，请拆分成几个文件分别导入")
			return
		}
		f, err := fh.Open()
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		sheet, err := ledger.Read(f)
		_ = f.Close()
		var refusal *ledger.Refusal
		if errors.As(err, &refusal) {
			refuse(refusal.Reason)
			return
		}
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if len(sheet.Rows) == 0 {
			refuse("台账中没有数据行：请从第 2 行起每行填写一个组织")
			return
		}
		communities, own, err := ledgerCommunities(r.Context(), db, a)
		if err != nil {
			orgFail(rs, w, r, err)
			return
		}
		checker := ledger.Checker{Communities: communities, Own: own, Now: time.Now().In(beijing)}
		entries, problems, err := checker.Check(sheet)
		if errors.As(err, &refusal) {
			refuse(refusal.Reason)
			return
		}
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		// Names already used by a live organization of the district: one query for the whole file.
		names := make([]string, len(entries))
		for i, e := range entries {
			names[i] = e.Name()
		}
		taken, err := db.TakenNames(r.Context(), a.Scope(), names)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if len(taken) > 0 {
			for _, e := range entries {
				if slices.Contains(taken, e.Name()) {
					problems = append(problems, ledger.Problem{Row: e.Row, Column: ledger.ColName, Value: e.Name(),
						Reason: msgNameTaken})
				}
			}
		}
		if len(problems) > 0 {
			slices.SortStableFunc(problems, func(x, y ledger.Problem) int { return x.Row - y.Row })
			rows := 0
			for i, p := range problems {
				if i == 0 || problems[i-1].Row != p.Row {
					rows++
				}
			}
			v.SetProblems(problems, rows)
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgImportPage(v))
			return
		}

		orgs := make([]postgres.OrgInput, len(entries))
		for i, e := range entries {
			orgs[i] = postgres.OrgInput{CommunityCode: e.Community.Code, Tier: registry.TierGuided,
				LegalForm: rules.FormUnregistered, NameParts: e.Parts, Fields: e.Fields, Nature: e.Nature,
				FoundedOn: e.FoundedOn, LeaderName: e.LeaderName, LeaderPhone: e.LeaderPhone, LeaderID: e.LeaderID,
				Venue: e.Venue, Members: e.Members, Volunteers: e.Volunteers}
		}
		token, err := db.KeepImport(r.Context(), box, a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), orgs)
		if err != nil {
			orgFail(rs, w, r, err)
			return
		}
		p := web.NewPage("确认导入", a, base, "")
		rs.render(w, r, http.StatusOK, web.OrgImportPreviewPage(web.NewOrgImportPreview(p, entries,
			base+"/import/confirm", token, base+"/import")))
	}
}

// handleOrgImportConfirm imports the rows kept under the posted token, all in one transaction. Another
// account's token, or an expired one, is a 404; a name taken since the check fails the whole import.
func handleOrgImportConfirm(db importConfirmer, box *sealbox.Box, base string, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		a := accountFrom(r.Context())
		token := r.PostFormValue("token")
		if len(token) != 64 {
			rs.notFound(w, r)
			return
		}
		n, err := db.ImportKept(r.Context(), box, a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), token)
		switch {
		case errors.Is(err, postgres.ErrNameTaken):
			rs.errorPage(w, r, http.StatusConflict, "导入未完成",
				"检查之后，台账中有组织名称已被区内其他组织使用，因此本次没有导入任何组织。请重新上传台账，系统会列出重名的行。")
			return
		case err != nil:
			orgFail(rs, w, r, err)
			return
		}
		putFlash(r, "已导入 "+strconv.Itoa(n)+" 个组织。")
		redirect(w, r, base)
	}
}
