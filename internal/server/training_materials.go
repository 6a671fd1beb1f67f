package server

// 培训资料: a town uploads a session's documents (PDF, JPG or PNG, checked by their content in internal/uploads);
// whoever sees the session downloads them as attachments.

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/uploads"
	"github.com/yubei-cso/portal/web"
)

type materialReader interface {
	SessionMaterials(ctx context.Context, scope portal.Scope, sessionID int64) ([]registry.SessionMaterial, error)
}

type materialAdder interface {
	trainingSessionReader
	AddSessionMaterial(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, m registry.SessionMaterial, sha256 string) (int64, error)
}

type materialServer interface {
	SessionMaterial(ctx context.Context, scope portal.Scope, sessionID, id int64) (registry.SessionMaterial, error)
}

// sessionMaterials adds the session's materials, and for the town that keeps it the upload form, to v.
func sessionMaterials(ctx context.Context, db materialReader, a *portal.Account, paths web.Paths, id int64, v *web.TrainingSessionView) error {
	ms, err := db.SessionMaterials(ctx, a.Scope(), id)
	for _, m := range ms {
		v.Files = append(v.Files, web.NewMaterialRow(paths, m))
	}
	v.MaterialAction = paths.TrainingSession(id) + "/materials"
	v.MaterialSeen = strconv.Itoa(len(ms))
	return err
}

func handleSessionMaterialAdd(db materialAdder, up *uploads.Store, paths web.Paths, rs *responder) http.HandlerFunc {
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
		refuse := func(f *form) {
			v.MaterialTitle.Value = f.value("material_title")
			v.MaterialTitle.Problem, v.MaterialFile.Problem = f.Problems["material_title"], f.Problems["material"]
			v.MaterialSeen = f.raw("seen")
			v.Add.Problems = map[string]string{}
			rs.render(w, r, http.StatusUnprocessableEntity, web.TrainingSessionPage(v))
		}
		r.Body = http.MaxBytesReader(w, r.Body, uploads.MaxFileSize+64<<10)
		perr := r.ParseMultipartForm(1 << 20)
		if r.MultipartForm != nil {
			defer func() { _ = r.MultipartForm.RemoveAll() }()
		}
		f := newForm(r)
		title := f.text("material_title", "资料名称", 100, true)
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(perr, &tooLarge):
			f.Problems.Add("material", filingUploadProblem(uploads.ErrTooLarge))
		case perr != nil || len(r.MultipartForm.File["material"]) == 0:
			f.Problems.Add("material", "请选择培训资料文件（PDF、JPG 或 PNG）")
		default:
			if err := filingCheckUpload(up, r.MultipartForm.File["material"][0]); err != nil {
				f.Problems.Add("material", filingUploadProblem(err))
			}
		}
		if !f.OK() {
			refuse(f)
			return
		}
		stored, err := filingSaveUpload(up, r.MultipartForm.File["material"][0])
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		m := registry.SessionMaterial{SessionID: id, Title: title, Filename: stored.Filename,
			ContentType: stored.ContentType, SizeBytes: stored.Size, StorageKey: stored.Key}
		if _, err := db.AddSessionMaterial(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), f.version("seen"), m, stored.SHA256); err != nil {
			_ = up.Remove(stored.Key)
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "培训资料“"+title+"”已上传。")
		redirect(w, r, paths.TrainingSession(id))
	}
}

func handleSessionMaterial(db materialServer, up *uploads.Store, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok1 := pathID(r, "id")
		mid, ok2 := pathID(r, "materialID")
		if !ok1 || !ok2 {
			rs.notFound(w, r)
			return
		}
		m, err := db.SessionMaterial(r.Context(), accountFrom(r.Context()).Scope(), id, mid)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if err := up.Serve(w, r, uploads.File{Key: m.StorageKey, Filename: m.Filename, ContentType: m.ContentType}); err != nil {
			rs.serverError(w, r, err)
		}
	}
}
