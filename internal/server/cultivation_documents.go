package server

// Documents of the cultivation records: a platform's 委托协议, a home's 安家协议, a contract's 验收报告. Stored by
// internal/uploads (content-checked, 10 MB), listed on the record's page, downloaded as attachments by those who
// see the record; another division's record answers 404.

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

const (
	docUploadMaxRequest = uploads.MaxFileSize + 64<<10
	entrustmentUpload   = "entrustment-upload"
	homeUpload          = "home-upload"
	acceptanceUpload    = "acceptance-upload"
)

type cultivationDocAdder interface {
	AddCultivationDocument(ctx context.Context, scope portal.Scope, actor portal.Actor, kind string, parent, id int64, seen int, doc registry.NewDocument) (int64, error)
}

type cultivationDocReader interface {
	CultivationDocument(ctx context.Context, scope portal.Scope, object string, parent, docID int64) (registry.CultivationDocument, error)
}

// platformDocuments adds the platform's documents and the upload forms the viewer may use to its page.
func platformDocuments(ctx context.Context, db platformReader, v *web.PlatformDetailView, p registry.Platform, a *portal.Account) error {
	docs, err := db.PlatformDocuments(ctx, p.ID)
	if err != nil {
		return err
	}
	v.Documents = web.NewDocumentRows(docs, v.Paths.Platform(p.ID))
	seen := strconv.Itoa(len(docs))
	if v.CanAddRoom && p.RunBy == registry.RunByEntrusted {
		v.Uploads = append(v.Uploads, web.DocUpload{ID: entrustmentUpload, Title: "上传委托协议（" + p.OperatorName + "）",
			Action: v.Paths.Platform(p.ID) + "/documents", Seen: seen})
	}
	if v.CanHouse && len(v.Homes) > 0 {
		orgs, err := db.CultivationOrgs(ctx, a.Scope())
		if err != nil {
			return err
		}
		mine := map[string]bool{}
		for _, o := range orgs {
			mine[o.Name] = true
		}
		u := web.DocUpload{ID: homeUpload, Title: "上传安家协议", Action: v.Paths.Platform(p.ID) + "/homes/documents", Seen: seen,
			HomeOptions: []web.Option{}}
		for _, h := range v.Homes {
			if mine[h.Org] {
				u.HomeOptions = append(u.HomeOptions, web.Option{Value: itoa64(h.ID), Label: h.Org + "（" + h.Period + "）"})
			}
		}
		if len(u.HomeOptions) > 0 {
			v.Uploads = append(v.Uploads, u)
		}
	}
	return nil
}

// contractDocuments adds the contract's documents and, for its purchaser, the 验收 report's upload form.
func contractDocuments(ctx context.Context, db contractStore, v *web.ContractDetailView, c registry.Contract) error {
	docs, err := db.ContractDocuments(ctx, c.ID)
	if err != nil {
		return err
	}
	v.Documents = web.NewDocumentRows(docs, v.Paths.Contract(c.ID))
	if v.CanManage {
		v.Uploads = []web.DocUpload{{ID: acceptanceUpload, Title: "上传验收报告", Action: v.Paths.Contract(c.ID) + "/documents",
			Seen: strconv.Itoa(len(docs))}}
	}
	return nil
}

// parseDocUpload reads a multipart upload form; a body over the limit is 413, an unreadable one 400.
func parseDocUpload(w http.ResponseWriter, r *http.Request, rs *responder) bool {
	return parseUpload(w, r, rs, docUploadMaxRequest, "每份文件不超过 10 MB。请返回，压缩或拆分文件后重新上传。", "请返回页面重新选择文件上传。")
}

// uploadedDocument checks the form's file and stores it; a problem goes to the form's field, and nothing is kept.
func uploadedDocument(r *http.Request, up *uploads.Store, f *form, field, kind string) (registry.NewDocument, bool, error) {
	fhs := r.MultipartForm.File["document"]
	if len(fhs) == 0 || fhs[0].Size == 0 && fhs[0].Filename == "" {
		f.Problems.Add(field, "请选择要上传的"+kind+"（PDF、JPG 或 PNG）")
		return registry.NewDocument{}, false, nil
	}
	if err := filingCheckUpload(up, fhs[0]); err != nil {
		f.Problems.Add(field, filingUploadProblem(err))
		return registry.NewDocument{}, false, nil
	}
	if !f.OK() {
		return registry.NewDocument{}, false, nil
	}
	saved, err := filingSaveUpload(up, fhs[0])
	if errors.Is(err, uploads.ErrTooLarge) || errors.Is(err, uploads.ErrType) || errors.Is(err, uploads.ErrEmpty) {
		f.Problems.Add(field, filingUploadProblem(err))
		return registry.NewDocument{}, false, nil
	}
	if err != nil {
		return registry.NewDocument{}, false, err
	}
	return registry.NewDocument{Kind: kind, Filename: saved.Filename, ContentType: saved.ContentType, Size: saved.Size,
		StorageKey: saved.Key, SHA256: saved.SHA256}, true, nil
}

// markUpload puts the form's problems on the upload form uid of a page.
func markUpload(uploads []web.DocUpload, uid string, problems map[string]string) {
	for i := range uploads {
		if uploads[i].ID == uid {
			uploads[i].Problem, uploads[i].HomeProblem = problems[uid+"-file"], problems[uid+"-home"]
		}
	}
}

type platformDocStore interface {
	platformReader
	cultivationDocAdder
}

// handlePlatformDocUpload uploads a platform's 委托协议 (home false) or a home's 安家协议 (home true).
func handlePlatformDocUpload(db platformDocStore, up *uploads.Store, paths web.Paths, home bool, rs *responder) http.HandlerFunc {
	kind, uid := registry.DocEntrustment, entrustmentUpload
	if home {
		kind, uid = registry.DocHomeAgreement, homeUpload
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseDocUpload(w, r, rs) {
			return
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		v, p, err := platformDetail(r.Context(), db, paths, a, id, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		var form *web.DocUpload
		for i := range v.Uploads {
			if v.Uploads[i].ID == uid {
				form = &v.Uploads[i]
			}
		}
		if form == nil {
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		seen := f.version("docs")
		record := p.ID
		if home {
			chosen := f.value("housing_id")
			record, _ = parseID(chosen)
			form.HomeOptions = web.Selected(form.HomeOptions, chosen)
			if !web.HasOption(form.HomeOptions, chosen) {
				f.Problems.Add(uid+"-home", "请选择本辖区安家的社会组织")
			}
		}
		doc, stored, err := uploadedDocument(r, up, f, uid+"-file", kind)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if stored {
			if _, err := db.AddCultivationDocument(r.Context(), a.Scope(), actorOf(r, a), kind, p.ID, record, seen, doc); err != nil {
				_ = up.Remove(doc.StorageKey)
				rs.fail(w, r, err)
				return
			}
			putFlash(r, kind+"“"+doc.Filename+"”已上传。")
			redirect(w, r, paths.Platform(p.ID))
			return
		}
		v.Problems = f.Problems
		markUpload(v.Uploads, uid, f.Problems)
		rs.render(w, r, http.StatusUnprocessableEntity, web.PlatformDetailPage(v))
	}
}

type contractDocStore interface {
	contractStore
	cultivationDocAdder
}

// handleContractDocUpload uploads a contract's 验收报告.
func handleContractDocUpload(db contractDocStore, up *uploads.Store, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseDocUpload(w, r, rs) {
			return
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck
		a := accountFrom(r.Context())
		v, c, err := contractDetail(r, db, paths, a, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if !v.CanManage {
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		seen := f.version("docs")
		doc, stored, err := uploadedDocument(r, up, f, acceptanceUpload+"-file", registry.DocAcceptance)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if stored {
			if _, err := db.AddCultivationDocument(r.Context(), a.Scope(), actorOf(r, a), registry.DocAcceptance, c.ID, c.ID, seen, doc); err != nil {
				_ = up.Remove(doc.StorageKey)
				rs.fail(w, r, err)
				return
			}
			putFlash(r, "验收报告“"+doc.Filename+"”已上传。")
			redirect(w, r, paths.Contract(c.ID))
			return
		}
		v.Problems = f.Problems
		markUpload(v.Uploads, acceptanceUpload, f.Problems)
		rs.render(w, r, http.StatusUnprocessableEntity, web.ContractDetailPage(v))
	}
}

// handleCultivationDocument sends a document of a platform (object "platform") or contract as an attachment,
// only to those who see the record.
func handleCultivationDocument(db cultivationDocReader, up *uploads.Store, object string, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok1 := pathID(r, "id")
		docID, ok2 := pathID(r, "docID")
		if !ok1 || !ok2 {
			rs.notFound(w, r)
			return
		}
		d, err := db.CultivationDocument(r.Context(), accountFrom(r.Context()).Scope(), object, id, docID)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if err := up.Serve(w, r, uploads.File{Key: d.StorageKey, Filename: d.Filename, ContentType: d.ContentType}); err != nil {
			rs.serverError(w, r, err)
		}
	}
}
