package server

// 典型案例 (seed §四(三) 典型引领): a town or the district writes a case about a group of its jurisdiction, with
// photos; the district publishes it, returns it with a reason, or takes a published one down.

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/photos"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// caseRoutes mounts the 典型案例 pages of a tier; the capability table decides which forms it offers.
func (s *Server) caseRoutes(a area, paths web.Paths, ph *photos.Store) {
	a.get("/cases", portal.ViewCases, handleCaseList(s.db, paths, s.resp))
	a.get("/cases/new", portal.WriteCases, handleCaseNew(s.db, paths, s.resp))
	a.post("/cases", portal.WriteCases, handleCaseCreate(s.db, ph, paths, s.resp))
	a.get("/cases/{id}", portal.ViewCases, handleCaseShow(s.db, paths, s.resp))
	a.get("/cases/{id}/edit", portal.WriteCases, handleCaseEdit(s.db, paths, s.resp))
	a.post("/cases/{id}/edit", portal.WriteCases, handleCaseResubmit(s.db, ph, paths, s.resp))
	a.get("/cases/{id}/photos/{photoID}", portal.ViewCases, handleCasePhoto(s.db, nil, ph, false, s.resp))
	a.get("/cases/{id}/photos/{photoID}/thumb", portal.ViewCases, handleCasePhoto(s.db, nil, ph, true, s.resp))
	if portal.Can(a.tier, portal.DecideCases) {
		a.post("/cases/{id}/publish", portal.DecideCases, handleCaseDecide(s.db, paths, registry.CasePublished, s.resp))
		a.post("/cases/{id}/return", portal.DecideCases, handleCaseDecide(s.db, paths, registry.CaseReturned, s.resp))
		a.post("/cases/{id}/withdraw", portal.DecideCases, handleCaseDecide(s.db, paths, registry.CaseWithdrawn, s.resp))
	}
	s.caseCorrectionRoutes(a, paths)
}

type caseLister interface {
	Cases(ctx context.Context, scope portal.Scope, f registry.CaseFilter) ([]registry.Case, error)
}

// handleCaseList is the list of cases inside the jurisdiction, newest first, a page at a time.
func handleCaseList(db caseLister, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root() + "/cases"
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		q := r.URL.Query()
		f := registry.CaseFilter{Status: registry.CaseStatus(q.Get("status")), Limit: registry.CaseListLimit + 1}
		if f.Status != "" && !f.Status.Valid() {
			f.Status = ""
		}
		if s := q.Get("after"); s != "" {
			id, ok := parseID(s)
			if !ok {
				rs.errorPage(w, r, http.StatusBadRequest, "请求无效", "翻页位置无效，请从第一页查看。")
				return
			}
			f.After = id
		}
		cs, err := db.Cases(r.Context(), a.Scope(), f)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.CaseListView{Page: web.NewPage("典型案例", a, base, takeFlashCtx(r)), Base: base,
			CanWrite: portal.Allowed(*a, portal.WriteCases), StatusOptions: web.CaseStatusOptions(f.Status)}
		if len(cs) > registry.CaseListLimit {
			cs = cs[:registry.CaseListLimit]
			v.NextHref = base + "?status=" + string(f.Status) + "&after=" + strconv.FormatInt(cs[len(cs)-1].ID, 10)
		}
		if f.After != 0 {
			v.FirstHref = base + "?status=" + string(f.Status)
		}
		for _, c := range cs {
			v.Rows = append(v.Rows, web.NewCaseRow(c, paths.Root()))
		}
		rs.render(w, r, http.StatusOK, web.CaseListPage(v))
	}
}

type caseFormStore interface {
	CaseOrgs(ctx context.Context, scope portal.Scope) ([]registry.NoticeOrg, error)
}

func newCaseForm(a *portal.Account, base string) web.CaseFormView {
	v := web.CaseFormView{Page: web.NewPage("撰写典型案例", a, base, ""), Heading: "撰写典型案例", Action: base,
		CancelHref: base, PhotoRoom: photos.MaxCount}
	return v
}

func handleCaseNew(db caseFormStore, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root() + "/cases"
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		orgs, err := db.CaseOrgs(r.Context(), a.Scope())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := newCaseForm(a, base)
		v.Org.Value = r.URL.Query().Get("org")
		v.SetChoices(orgs)
		rs.render(w, r, http.StatusOK, web.CaseFormPage(v))
	}
}

// parseCaseForm reads a multipart case form, answering 413 or 400 itself when it cannot.
func parseCaseForm(w http.ResponseWriter, r *http.Request, rs *responder) bool {
	r.Body = http.MaxBytesReader(w, r.Body, reportMaxRequest)
	if err := r.ParseMultipartForm(reportFormMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "上传的照片过大",
				"最多 6 张照片，每张不超过 5 MB。请返回，压缩照片后重新提交（需重新选择照片）。")
			return false
		}
		rs.errorPage(w, r, http.StatusBadRequest, "无法读取表单", "请返回典型案例表单重新提交。")
		return false
	}
	return true
}

// readCaseForm reads the case's fields into v and the input.
func readCaseForm(r *http.Request, v *web.CaseFormView) (registry.CaseInput, map[string]string) {
	f := newForm(r)
	v.Org.Value = f.value("org")
	v.Title.Value = f.value("title")
	v.Series.Value = f.value("series")
	v.Story.Value = strings.TrimSpace(r.PostFormValue("story"))
	org, _ := parseID(v.Org.Value)
	in := registry.CaseInput{OrgID: org, Title: v.Title.Value, Series: v.Series.Value, Story: v.Story.Value}
	p := in.Validate()
	if v.Org.Value != "" && org == 0 {
		p["org"] = "请从列表中选择本辖区的组织"
	}
	return in, p
}

// caseSave reads the photos of a form that passed its checks and stores them; ok is false when it answered.
func caseSave(w http.ResponseWriter, r *http.Request, rs *responder, ph *photos.Store, room int, p map[string]string) ([]registry.ReportPhotoInput, []string, bool) {
	prepared, err := readReportPhotos(r, ph, room, p)
	if err != nil {
		rs.serverError(w, r, err)
		return nil, nil, false
	}
	if len(p) > 0 {
		return nil, nil, true
	}
	ins, keys, err := saveReportPhotos(ph, prepared)
	if err != nil {
		rs.serverError(w, r, err)
		return nil, nil, false
	}
	return ins, keys, true
}

type caseCreator interface {
	caseFormStore
	CreateCase(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.CaseInput, photos []registry.ReportPhotoInput) (int64, error)
}

// handleCaseCreate submits a new case. Everything, photos included, is checked before anything is kept; the
// photo files are removed again if the rows fail.
func handleCaseCreate(db caseCreator, ph *photos.Store, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root() + "/cases"
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseCaseForm(w, r, rs) {
			return
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck
		a := accountFrom(r.Context())
		orgs, err := db.CaseOrgs(r.Context(), a.Scope())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := newCaseForm(a, base)
		in, p := readCaseForm(r, &v)
		ins, keys, ok := caseSave(w, r, rs, ph, photos.MaxCount, p)
		if !ok {
			return
		}
		if len(p) == 0 && finishCaseForm(w, r, rs, ph, keys, p, "典型案例“"+in.Title+"”已提交，等待区民政局审核。", func() (string, error) {
			id, err := db.CreateCase(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), in, ins)
			return base + "/" + strconv.FormatInt(id, 10), err
		}) {
			return
		}
		v.SetChoices(orgs)
		v.SetProblems(p)
		rs.render(w, r, http.StatusUnprocessableEntity, web.CaseFormPage(v))
	}
}

type caseReader interface {
	Case(ctx context.Context, scope portal.Scope, id int64) (registry.Case, error)
	CaseEvents(ctx context.Context, scope portal.Scope, id int64) ([]registry.CaseEvent, error)
	CasePhotos(ctx context.Context, scope portal.Scope, id int64, published bool) ([]registry.CasePhoto, error)
	CaseRevisions(ctx context.Context, scope portal.Scope, id int64) ([]registry.Revision, error)
}

// caseDetail reads a case inside the caller's scope and builds its page.
func caseDetail(r *http.Request, db caseReader, paths web.Paths) (web.CaseDetailView, registry.Case, error) {
	a := accountFrom(r.Context())
	id, ok := pathID(r, "id")
	if !ok {
		return web.CaseDetailView{}, registry.Case{}, portal.ErrNotFound
	}
	c, err := db.Case(r.Context(), a.Scope(), id)
	if err != nil {
		return web.CaseDetailView{}, c, err
	}
	events, err := db.CaseEvents(r.Context(), a.Scope(), id)
	if err != nil {
		return web.CaseDetailView{}, c, err
	}
	ps, err := db.CasePhotos(r.Context(), a.Scope(), id, false)
	if err != nil {
		return web.CaseDetailView{}, c, err
	}
	base := paths.Root()
	v := web.NewCaseDetail(web.NewPage("典型案例 · "+c.Title, a, base+"/cases", takeFlashCtx(r)), base, c, ps, events)
	decide := portal.Allowed(*a, portal.DecideCases)
	v.CanDecide = decide && c.Status == registry.CaseSubmitted
	v.CanWithdraw = decide && c.Status == registry.CasePublished
	v.CanEdit = portal.Allowed(*a, portal.WriteCases) && c.Status == registry.CaseReturned && c.AuthorCode == a.Scope().Division
	v.Corrections, err = caseCorrections(r.Context(), db, a.Scope(), c, v.CanWithdraw, v.Href)
	return v, c, err
}

func handleCaseShow(db caseReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, err := caseDetail(r, db, paths)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.CaseDetailPage(v))
	}
}

type caseDecider interface {
	caseReader
	DecideCase(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, to registry.CaseStatus, reason string) error
}

var caseDecisionDone = map[registry.CaseStatus]string{
	registry.CasePublished: "已发布，公开网站上可以看到了。",
	registry.CaseReturned:  "已退回撰写单位修改。",
	registry.CaseWithdrawn: "已从公开网站撤下。",
}

// handleCaseDecide is the district's 发布, 退回 (with a reason) or 撤下 (with a reason).
func handleCaseDecide(db caseDecider, paths web.Paths, to registry.CaseStatus, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		a := accountFrom(r.Context())
		v, c, err := caseDetail(r, db, paths)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		version := f.version("version")
		if version != c.Version || !c.Status.CanBecome(to) {
			rs.conflict(w, r)
			return
		}
		var reason string
		if to != registry.CasePublished {
			name, label, field := "reason", "退回意见", &v.ReturnReason
			if to == registry.CaseWithdrawn {
				name, label, field = "withdraw_reason", "撤下原因", &v.WithdrawReason
			}
			reason = f.text(name, label, registry.CaseReasonMax, true)
			field.Value = reason
			if !f.OK() {
				field.Problem = f.Problems[name]
				v.Problems = f.Problems
				rs.render(w, r, http.StatusUnprocessableEntity, web.CaseDetailPage(v))
				return
			}
		}
		if err := db.DecideCase(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), c.ID, version, to, reason); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "典型案例“"+c.Title+"”"+caseDecisionDone[to])
		redirect(w, r, v.Href)
	}
}

// caseEditForm is the form of a returned case, filled from the case.
func caseEditForm(a *portal.Account, paths web.Paths, c registry.Case) web.CaseFormView {
	base := paths.Root() + "/cases"
	href := base + "/" + strconv.FormatInt(c.ID, 10)
	v := newCaseForm(a, base)
	v.Page.Title, v.Heading = "修改典型案例", "修改并重新提交：“"+c.Title+"”"
	v.Action, v.CancelHref, v.Editing, v.Version, v.Returned = href+"/edit", href, true, c.Version, c.Reason
	v.KeptPhotos, v.PhotoRoom = c.Photos, photos.MaxCount-c.Photos
	return v
}

type caseEditor interface {
	caseFormStore
	Case(ctx context.Context, scope portal.Scope, id int64) (registry.Case, error)
}

// editableCase reads a case the caller may edit and resubmit (its own, 已退回); anything else is not found.
func editableCase(r *http.Request, db caseEditor) (registry.Case, error) {
	a := accountFrom(r.Context())
	id, ok := pathID(r, "id")
	if !ok {
		return registry.Case{}, portal.ErrNotFound
	}
	c, err := db.Case(r.Context(), a.Scope(), id)
	if err == nil && c.AuthorCode != a.Scope().Division {
		err = portal.ErrNotFound
	}
	return c, err
}

func handleCaseEdit(db caseEditor, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		c, err := editableCase(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if c.Status != registry.CaseReturned {
			rs.conflict(w, r)
			return
		}
		orgs, err := db.CaseOrgs(r.Context(), a.Scope())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := caseEditForm(a, paths, c)
		v.Org.Value, v.Title.Value, v.Series.Value, v.Story.Value = strconv.FormatInt(c.OrgID, 10), c.Title, c.Series, c.Story
		v.SetChoices(orgs)
		rs.render(w, r, http.StatusOK, web.CaseFormPage(v))
	}
}

type caseResubmitter interface {
	caseEditor
	ResubmitCase(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.CaseInput, photos []registry.ReportPhotoInput) error
}

// handleCaseResubmit saves the writer's changes to a returned case and puts it before the district again.
func handleCaseResubmit(db caseResubmitter, ph *photos.Store, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseCaseForm(w, r, rs) {
			return
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck
		a := accountFrom(r.Context())
		c, err := editableCase(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		version := newForm(r).version("version")
		if version != c.Version || !c.Status.CanBecome(registry.CaseSubmitted) {
			rs.conflict(w, r)
			return
		}
		orgs, err := db.CaseOrgs(r.Context(), a.Scope())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := caseEditForm(a, paths, c)
		in, p := readCaseForm(r, &v)
		ins, keys, ok := caseSave(w, r, rs, ph, v.PhotoRoom, p)
		if !ok {
			return
		}
		if len(p) == 0 && finishCaseForm(w, r, rs, ph, keys, p, "典型案例“"+in.Title+"”已重新提交，等待区民政局审核。", func() (string, error) {
			return v.CancelHref, db.ResubmitCase(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), c.ID, version, in, ins)
		}) {
			return
		}
		v.SetChoices(orgs)
		v.SetProblems(p)
		rs.render(w, r, http.StatusUnprocessableEntity, web.CaseFormPage(v))
	}
}

type casePhotoStore interface {
	CasePhoto(ctx context.Context, scope portal.Scope, id, photoID int64, published bool) (registry.CasePhoto, error)
}

// handleCasePhoto sends a photo or its thumbnail of a case: inside the caller's scope when signed in, or of a
// published case on the public side (ps set). The stored content type is sent, never sniffed.
func handleCasePhoto(db casePhotoStore, ps *publicScoper, ph *photos.Store, thumb bool, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok1 := pathID(r, "id")
		photoID, ok2 := pathID(r, "photoID")
		if !ok1 || !ok2 {
			rs.notFound(w, r)
			return
		}
		scope, err := readerScope(r, ps)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		p, err := db.CasePhoto(r.Context(), scope, id, photoID, ps != nil)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		key, ct := p.StorageKey, p.ContentType
		if thumb {
			key, ct = p.ThumbKey, p.ThumbType
		}
		name := "case-" + strconv.FormatInt(p.CaseID, 10) + "-photo-" + strconv.Itoa(p.Position)
		if thumb {
			name += "-thumb"
		}
		sendPhoto(w, r, rs, ph, p.ID, key, ct, name)
	}
}

// readerScope is whose records a file request reads: the public scope on the public side (ps set), else the
// signed-in account's.
func readerScope(r *http.Request, ps *publicScoper) (portal.Scope, error) {
	if ps != nil {
		return ps.get(r.Context())
	}
	return accountFrom(r.Context()).Scope(), nil
}

// finishCaseForm ends a case form whose input passed: save runs the store; on success the flash and the
// redirect, else the photo files are removed again and a group refused by the store is a message at its field.
// It reports whether it answered.
func finishCaseForm(w http.ResponseWriter, r *http.Request, rs *responder, ph *photos.Store, keys []string, p map[string]string, flash string, save func() (string, error)) bool {
	to, err := save()
	if err == nil {
		putFlash(r, flash)
		redirect(w, r, to)
		return true
	}
	_ = ph.Remove(keys...)
	if !errors.Is(err, registry.ErrCaseOrg) {
		rs.fail(w, r, err)
		return true
	}
	p["org"] = "该组织不是本辖区存续的组织，请重新选择"
	return false
}
