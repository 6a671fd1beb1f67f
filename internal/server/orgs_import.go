package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// importPlaces gives the communities a clerk may import into.
type importPlaces interface {
	ImportCommunities(ctx context.Context, scope portal.Scope) ([]registry.ImportCommunity, error)
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

// importJobLister lists an account's own 台账 jobs.
type importJobLister interface {
	ImportJobs(ctx context.Context, scope portal.Scope, actor portal.Actor) ([]ledger.Job, error)
}

// handleOrgImportForm is the upload form, with the account's 台账 jobs of the last day so a job's page is found
// again by a link.
func handleOrgImportForm(db importJobLister, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Orgs()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		jobs, err := db.ImportJobs(r.Context(), a.Scope(), portal.ActorOf(*a, ""))
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := importFormView(a, base)
		for _, j := range jobs {
			v.Jobs = append(v.Jobs, web.NewOrgImportJobRow(j, jobHref(base, j.ID)))
		}
		rs.render(w, r, http.StatusOK, web.OrgImportPage(v))
	}
}

// jobHref is the page of 台账 job id.
func jobHref(base, id string) string { return base + "/import/jobs/" + id }

// jobID is the job id of the request's path, if it has the shape of one.
func jobID(r *http.Request) (string, bool) {
	id := chi.URLParam(r, "id")
	if len(id) != 32 {
		return "", false
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return "", false
		}
	}
	return id, true
}

// uploadName is the name of the clerk's file as the job page shows it: without a folder, at most 100 characters.
func uploadName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	return name
}

// ledgerUploadStore is what the upload of a 台账 reads and writes before its check runs on.
type ledgerUploadStore interface {
	importPlaces
	ledgerCheckStore
	CreateImportJob(ctx context.Context, scope portal.Scope, actor portal.Actor, filename string, rows int) (string, error)
}

// handleOrgImportUpload takes an uploaded 台账. What can be judged of the file at once — its type by content,
// size, rows and columns, formulas, header — is judged here: a refused file gets 422 with the reason at the
// file field and nothing is written. Otherwise a job is started that checks every row in the background, and
// the clerk is sent to its page to watch the progress.
func handleOrgImportUpload(db ledgerUploadStore, workers *importWorkers, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Orgs()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v := importFormView(a, base)
		answer := func(status int, msg string) {
			v.FileProblem = msg
			rs.render(w, r, status, web.OrgImportPage(v))
		}
		refuse := func(msg string) { answer(http.StatusUnprocessableEntity, msg) }
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
		v.Filename = uploadName(fh.Filename)
		if fh.Size > ledger.MaxFileSize {
			refuse("文件超过 10 MB，请拆分成几个文件分别导入")
			return
		}
		f, err := fh.Open()
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		book, err := ledger.Open(f)
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
		started := false
		defer func() {
			if !started {
				book.Close()
			}
		}()
		communities, own, err := ledgerCommunities(r.Context(), db, a)
		if err != nil {
			orgFail(rs, w, r, err)
			return
		}
		check, err := ledger.Checker{Communities: communities, Own: own, Now: time.Now().In(beijing)}.Begin(book.Columns)
		if errors.As(err, &refusal) {
			refuse(refusal.Reason)
			return
		}
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if !workers.admit() {
			answer(http.StatusServiceUnavailable, "系统正在处理其他台账，请 1 分钟后重新上传。")
			return
		}
		scope, actor := a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context()))
		id, err := db.CreateImportJob(r.Context(), scope, actor, v.Filename, book.Declared)
		if err != nil {
			workers.release()
			orgFail(rs, w, r, err)
			return
		}
		started = true
		workers.run(db, id, func(ctx context.Context) error {
			return checkLedger(ctx, db, scope, actor, id, book, check)
		})
		redirect(w, r, jobHref(base, id))
	}
}

type importJobReader interface {
	ImportJob(ctx context.Context, scope portal.Scope, actor portal.Actor, id string) (ledger.Job, error)
}

// handleOrgImportJob shows a 台账 job: its progress while it runs, then the bad rows, the rows to confirm or
// the result. Another account's job is a 404, even in the same division.
func handleOrgImportJob(db importJobReader, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Orgs()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok := jobID(r)
		if !ok {
			rs.notFound(w, r)
			return
		}
		j, err := db.ImportJob(r.Context(), a.Scope(), portal.ActorOf(*a, ""), id)
		if err != nil {
			orgFail(rs, w, r, err)
			return
		}
		p := web.NewPage("台账导入", a, base, "")
		rs.render(w, r, http.StatusOK, web.OrgImportJobPage(web.NewOrgImportJob(p, j, importFormView(a, base),
			jobHref(base, id)+"/confirm")))
	}
}

// ledgerConfirmStore is what the confirmation of a checked 台账 writes.
type ledgerConfirmStore interface {
	ledgerImportStore
	ConfirmImportJob(ctx context.Context, scope portal.Scope, actor portal.Actor, id string) (int, error)
}

// handleOrgImportConfirm starts the import of a checked job's rows, all in one transaction, and sends the clerk
// back to the job's page to watch it. Another account's job is a 404; a job not waiting for the confirmation
// (confirmed already, or its check expired) just shows its page again.
func handleOrgImportConfirm(db ledgerConfirmStore, workers *importWorkers, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Orgs()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		a := accountFrom(r.Context())
		id, ok := jobID(r)
		if !ok {
			rs.notFound(w, r)
			return
		}
		if !workers.admit() {
			rs.errorPage(w, r, http.StatusServiceUnavailable, "系统繁忙",
				"系统正在处理其他台账。本次检查结果仍然保留，请 1 分钟后返回上一页再点“确认导入”。")
			return
		}
		scope, actor := a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context()))
		_, err := db.ConfirmImportJob(r.Context(), scope, actor, id)
		switch {
		case errors.Is(err, portal.ErrConflict):
			workers.release()
			redirect(w, r, jobHref(base, id))
			return
		case err != nil:
			workers.release()
			orgFail(rs, w, r, err)
			return
		}
		workers.run(db, id, func(ctx context.Context) error {
			return importLedger(ctx, db, scope, actor, id)
		})
		redirect(w, r, jobHref(base, id))
	}
}
