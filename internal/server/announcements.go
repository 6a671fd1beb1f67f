package server

// 通知公告 and 政策文件: the district publishes for the whole district, a town for its own town; attachments go
// to the upload store (internal/uploads), checked by content before anything is kept.

import (
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/uploads"
	"github.com/yubei-cso/portal/web"
)

// announcementRoutes mounts the signed-in pages of 通知公告 and 政策文件 for a tier.
func (s *Server) announcementRoutes(a area, paths web.Paths, up *uploads.Store) {
	a.get("/announcements", portal.ViewAnnouncements, handleAnnouncementList(s.db, paths, s.resp))
	a.get("/announcements/new", portal.PublishAnnouncements, handleAnnouncementNew(paths, s.resp))
	a.post("/announcements", portal.PublishAnnouncements, handleAnnouncementPublish(s.db, up, paths, s.resp))
	a.get("/announcements/{id}", portal.ViewAnnouncements, handleAnnouncementShow(s.db, paths, s.resp))
	a.post("/announcements/{id}/withdraw", portal.PublishAnnouncements, handleAnnouncementWithdraw(s.db, paths, s.resp))
	a.get("/announcements/{id}/documents/{fileID}", portal.ViewAnnouncements, handleAnnouncementFile(s.db, nil, "", up, s.resp))
	s.announcementCorrectionRoutes(a, paths)
}

// announcementListLimit is a signed-in list's page.
const announcementListLimit = 50

type announcementLister interface {
	Announcements(ctx context.Context, scope portal.Scope, kind registry.AnnouncementKind, after int64, limit int) ([]registry.Announcement, error)
}

func handleAnnouncementList(db announcementLister, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root() + "/announcements"
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		q := r.URL.Query()
		kind := registry.AnnouncementKind(q.Get("kind"))
		if !kind.Valid() {
			kind = ""
		}
		var after int64
		if s := q.Get("after"); s != "" {
			id, ok := parseID(s)
			if !ok {
				rs.errorPage(w, r, http.StatusBadRequest, "请求无效", "翻页位置无效，请从第一页查看。")
				return
			}
			after = id
		}
		as, err := db.Announcements(r.Context(), a.Scope(), kind, after, announcementListLimit+1)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.AnnouncementListView{Page: web.NewPage("通知公告和政策文件", a, base, takeFlashCtx(r)), Base: base,
			CanPublish: portal.Allowed(*a, portal.PublishAnnouncements), KindOptions: web.AnnouncementKindOptions(string(kind), "全部类别")}
		if len(as) > announcementListLimit {
			as = as[:announcementListLimit]
			v.NextHref = base + "?kind=" + string(kind) + "&after=" + strconv.FormatInt(as[len(as)-1].ID, 10)
		}
		if after != 0 {
			v.FirstHref = base + "?kind=" + string(kind)
		}
		for _, x := range as {
			v.Rows = append(v.Rows, web.NewAnnouncementRow(x, base))
		}
		rs.render(w, r, http.StatusOK, web.AnnouncementListPage(v))
	}
}

func newAnnouncementForm(a *portal.Account, base string) web.AnnouncementFormView {
	v := web.AnnouncementFormView{Page: web.NewPage("发布通知公告或政策文件", a, base, ""), Action: base, CancelHref: base,
		For: "全区", KindOptions: web.AnnouncementKindOptions("", "")}
	if a.Tier == portal.TierTown {
		v.For = a.DivisionName
	}
	return v
}

func handleAnnouncementNew(paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root() + "/announcements"
	return func(w http.ResponseWriter, r *http.Request) {
		rs.render(w, r, http.StatusOK, web.AnnouncementFormPage(newAnnouncementForm(accountFrom(r.Context()), base)))
	}
}

// announcementMaxRequest bounds the publish form: five attachments and a long text.
const announcementMaxRequest = registry.AnnouncementFilesMax*uploads.MaxFileSize + 2<<20

// checkAnnouncementFiles checks the chosen attachments by their content; nothing is stored.
func checkAnnouncementFiles(up *uploads.Store, mf *multipart.Form, p map[string]string) []*multipart.FileHeader {
	var chosen []*multipart.FileHeader
	for _, fh := range mf.File["files"] {
		if fh.Size == 0 && fh.Filename == "" {
			continue
		}
		chosen = append(chosen, fh)
	}
	if len(chosen) > registry.AnnouncementFilesMax {
		p["files"] = "最多 5 个附件，请重新选择"
		return nil
	}
	for i, fh := range chosen {
		if err := filingCheckUpload(up, fh); err != nil {
			p["files"] = "第 " + strconv.Itoa(i+1) + " 个附件：" + filingUploadProblem(err)
			return nil
		}
	}
	return chosen
}

type announcementPublisher interface {
	PublishAnnouncement(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.AnnouncementInput, files []registry.AnnouncementFileInput) (int64, error)
}

// handleAnnouncementPublish publishes a notice or policy; a form with any problem stores no file and no row.
func handleAnnouncementPublish(db announcementPublisher, up *uploads.Store, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root() + "/announcements"
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, announcementMaxRequest)
		if err := r.ParseMultipartForm(reportFormMemory); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "附件过大", "最多 5 个附件，每个不超过 10 MB。请返回重新选择。")
				return
			}
			rs.errorPage(w, r, http.StatusBadRequest, "无法读取表单", "请返回发布表单重新提交。")
			return
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck
		a := accountFrom(r.Context())
		v := newAnnouncementForm(a, base)
		f := newForm(r)
		v.Kind.Value, v.Title.Value, v.DocNo.Value = f.value("kind"), f.value("title"), f.value("doc_no")
		v.Body.Value = strings.TrimSpace(r.PostFormValue("body"))
		in := registry.AnnouncementInput{Kind: registry.AnnouncementKind(v.Kind.Value), Title: v.Title.Value,
			DocNo: v.DocNo.Value, Body: v.Body.Value}
		p := in.Validate()
		chosen := checkAnnouncementFiles(up, r.MultipartForm, p)
		if len(p) > 0 {
			v.SetProblems(p)
			rs.render(w, r, http.StatusUnprocessableEntity, web.AnnouncementFormPage(v))
			return
		}
		var files []registry.AnnouncementFileInput
		var keys []string
		for _, fh := range chosen {
			st, err := filingSaveUpload(up, fh)
			if err != nil {
				filingRemoveUploads(up, keys)
				rs.serverError(w, r, err)
				return
			}
			keys = append(keys, st.Key)
			files = append(files, registry.AnnouncementFileInput{Filename: st.Filename, ContentType: st.ContentType,
				Size: st.Size, StorageKey: st.Key, SHA256: st.SHA256})
		}
		id, err := db.PublishAnnouncement(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), in, files)
		if err != nil {
			filingRemoveUploads(up, keys)
			rs.fail(w, r, err)
			return
		}
		putFlash(r, in.Kind.Label()+"“"+in.Title+"”已发布。")
		redirect(w, r, base+"/"+strconv.FormatInt(id, 10))
	}
}

type announcementReader interface {
	Announcement(ctx context.Context, scope portal.Scope, id int64) (registry.Announcement, error)
	AnnouncementFiles(ctx context.Context, scope portal.Scope, id int64, published bool) ([]registry.AnnouncementFile, error)
	AnnouncementRevisions(ctx context.Context, scope portal.Scope, id int64) ([]registry.Revision, error)
}

func announcementPage(r *http.Request, db announcementReader, paths web.Paths) (web.AnnouncementView, registry.Announcement, error) {
	a := accountFrom(r.Context())
	id, ok := pathID(r, "id")
	if !ok {
		return web.AnnouncementView{}, registry.Announcement{}, portal.ErrNotFound
	}
	x, err := db.Announcement(r.Context(), a.Scope(), id)
	if err != nil {
		return web.AnnouncementView{}, x, err
	}
	files, err := db.AnnouncementFiles(r.Context(), a.Scope(), id, false)
	if err != nil {
		return web.AnnouncementView{}, x, err
	}
	base := paths.Root() + "/announcements"
	v := web.NewAnnouncementView(web.NewPage(x.Title, a, base, takeFlashCtx(r)), x, files,
		base+"/"+strconv.FormatInt(id, 10), base)
	v.CanWithdraw = !x.Withdrawn && x.AuthorCode == a.Scope().Division && portal.Allowed(*a, portal.PublishAnnouncements)
	v.Corrections, err = announcementCorrections(r.Context(), db, a.Scope(), x, v.CanWithdraw, v.Href)
	return v, x, err
}

func handleAnnouncementShow(db announcementReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, err := announcementPage(r, db, paths)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.AnnouncementPage(v))
	}
}

type announcementWithdrawer interface {
	announcementReader
	WithdrawAnnouncement(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string) error
}

// handleAnnouncementWithdraw is the publisher's 撤回, with a reason and the version it saw; the first post shows
// a confirmation page, and only its post (confirmed=1) withdraws.
func handleAnnouncementWithdraw(db announcementWithdrawer, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		a := accountFrom(r.Context())
		v, x, err := announcementPage(r, db, paths)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		version := f.version("version")
		if !v.CanWithdraw {
			if x.AuthorCode != a.Scope().Division {
				rs.notFound(w, r)
				return
			}
			rs.conflict(w, r)
			return
		}
		if version != x.Version {
			rs.conflict(w, r)
			return
		}
		v.Reason.Value = f.text("reason", "撤回原因", 500, true)
		if !f.OK() {
			v.Reason.Problem, v.Problems = f.Problems["reason"], f.Problems
			rs.render(w, r, http.StatusUnprocessableEntity, web.AnnouncementPage(v))
			return
		}
		if f.raw("confirmed") != "1" {
			// The confirmation step, a page of its own: nothing is written until its button is pressed.
			rs.render(w, r, http.StatusOK, web.AnnouncementWithdrawConfirmPage(v))
			return
		}
		if err := db.WithdrawAnnouncement(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), x.ID, version, v.Reason.Value); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "“"+x.Title+"”已撤回。")
		redirect(w, r, v.Href)
	}
}

type announcementFileStore interface {
	AnnouncementFile(ctx context.Context, scope portal.Scope, id, fileID int64, published bool) (registry.AnnouncementFile, error)
	PublishedAnnouncement(ctx context.Context, scope portal.Scope, kind registry.AnnouncementKind, id int64) (registry.Announcement, error)
}

// handleAnnouncementFile sends an attachment: one the account reads when signed in, or, on the public side (ps
// set), one of a published notice or policy of kind.
func handleAnnouncementFile(db announcementFileStore, ps *publicScoper, kind registry.AnnouncementKind, up *uploads.Store, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok1 := pathID(r, "id")
		fileID, ok2 := pathID(r, "fileID")
		if !ok1 || !ok2 {
			rs.notFound(w, r)
			return
		}
		scope, err := readerScope(r, ps)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if ps != nil {
			if _, err := db.PublishedAnnouncement(r.Context(), scope, kind, id); err != nil {
				rs.fail(w, r, err)
				return
			}
		}
		f, err := db.AnnouncementFile(r.Context(), scope, id, fileID, ps != nil)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if err := up.Serve(w, r, uploads.File{Key: f.StorageKey, Filename: f.Filename, ContentType: f.ContentType}); err != nil {
			rs.log.Warn("announcement file missing", "request_id", requestIDFrom(r.Context()), "file", f.ID)
			rs.notFound(w, r)
		}
	}
}
