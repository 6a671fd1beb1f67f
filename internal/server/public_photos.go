package server

// Photos on the public profile: a committee marks which photos of a current activity report the public may
// see, and the profile shows and serves the marked photos of the group's latest reports — the stored files,
// from which internal/photos removed the GPS position and every other identifying tag when they were saved.

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/yubei-cso/portal/internal/photos"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type publicPhotoStore interface {
	PublicPhoto(ctx context.Context, scope portal.Scope, orgID, photoID int64) (registry.ReportPhoto, error)
}

// handlePublicPhoto sends a photo marked public, or its thumbnail, of a group's current report; anything else
// is 404.
func handlePublicPhoto(db publicPhotoStore, ps *publicScoper, ph *photos.Store, thumb bool, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		org, ok1 := pathID(r, "id")
		photoID, ok2 := pathID(r, "photoID")
		if !ok1 || !ok2 {
			rs.notFound(w, r)
			return
		}
		scope, err := ps.get(r.Context())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		p, err := db.PublicPhoto(r.Context(), scope, org, photoID)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		key, ct := p.StorageKey, p.ContentType
		if thumb {
			key, ct = p.ThumbKey, p.ThumbType
		}
		sendPhoto(w, r, rs, ph, photoID, key, ct, "")
	}
}

type photoMarkReader interface {
	PublicPhotoIDs(ctx context.Context, scope portal.Scope, reportID int64) ([]int64, error)
}

// addPhotoMarks fills a report page's form that marks its photos public, for the committee on a current
// revision with photos; false means it answered the request with an error.
func addPhotoMarks(w http.ResponseWriter, r *http.Request, rs *responder, db photoMarkReader, p reportPaths, rep registry.ActivityReport, ps []registry.ReportPhoto, v *web.ReportDetailView) bool {
	a := accountFrom(r.Context())
	if !p.files || !rep.Current() || len(ps) == 0 || !portal.Allowed(*a, portal.SubmitReports) {
		return true
	}
	public, err := db.PublicPhotoIDs(r.Context(), a.Scope(), rep.ID)
	if err != nil {
		rs.serverError(w, r, err)
		return false
	}
	f := web.PhotoPublicForm{Action: p.base + "/" + itoa64(rep.ID) + "/photos/public", Version: strconv.Itoa(rep.Version)}
	for _, ph := range ps {
		f.Photos = append(f.Photos, web.PhotoMark{ID: itoa64(ph.ID), Label: "照片 " + strconv.Itoa(ph.Position),
			Thumb: p.base + "/" + itoa64(rep.ID) + "/photos/" + itoa64(ph.ID) + "/thumb", Public: slices.Contains(public, ph.ID)})
	}
	v.PublicMark = f
	return true
}

type photoMarker interface {
	SetPhotosPublic(ctx context.Context, scope portal.Scope, actor portal.Actor, reportID int64, version int, public []int64) error
}

// handlePhotosPublic marks which photos of a current report the public profile shows; the form names the
// report's version, and a stale or missing one is 409.
func handlePhotosPublic(db photoMarker, p reportPaths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		var ids []int64
		for _, s := range f.values["public"] {
			pid, ok := parseID(s)
			if !ok {
				rs.badRequest(w, r)
				return
			}
			ids = append(ids, pid)
		}
		if err := db.SetPhotosPublic(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), id, f.version("version"), ids); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "已更新公开展示的照片："+strconv.Itoa(len(ids))+" 张照片显示在该组织的公开信息页上。")
		redirect(w, r, p.base+"/"+itoa64(id))
	}
}
