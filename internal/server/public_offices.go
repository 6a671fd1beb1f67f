package server

// How a resident reaches a group through its community: the town (or the district) records each 村(居)委会's
// public office phone, address and hours, which the group's public profile and the community's page show.

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// officeRoutes mounts the community office pages of a tier that sets them.
func (s *Server) officeRoutes(a area, paths web.Paths) {
	a.get("/offices", portal.SetOffices, handleOfficeList(s.db, paths, s.resp))
	a.get("/offices/{code}", portal.SetOffices, handleOfficeForm(s.db, paths, s.resp))
	a.post("/offices/{code}", portal.SetOffices, handleOfficeSave(s.db, paths, s.resp))
}

type officeStore interface {
	CommunityOffices(ctx context.Context, scope portal.Scope) ([]registry.CommunityOffice, error)
	CommunityOffice(ctx context.Context, scope portal.Scope, code string) (registry.CommunityOffice, error)
	SaveCommunityOffice(ctx context.Context, scope portal.Scope, actor portal.Actor, o registry.CommunityOffice, version int) error
}

func officesPath(paths web.Paths) string { return paths.Root() + "/offices" }

// handleOfficeList is every community of the jurisdiction with its office.
func handleOfficeList(db officeStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		list, err := db.CommunityOffices(r.Context(), a.Scope())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := web.NewOfficeList(web.NewPage("社区办公信息", a, officesPath(paths), takeFlashCtx(r)), officesPath(paths), list)
		rs.render(w, r, http.StatusOK, web.OfficeListPage(v))
	}
}

func officeOf(w http.ResponseWriter, r *http.Request, db officeStore, rs *responder) (registry.CommunityOffice, bool) {
	code := chi.URLParam(r, "code")
	if len(code) != 12 {
		rs.notFound(w, r)
		return registry.CommunityOffice{}, false
	}
	o, err := db.CommunityOffice(r.Context(), accountFrom(r.Context()).Scope(), code)
	if err != nil {
		rs.fail(w, r, err)
		return o, false
	}
	return o, true
}

func handleOfficeForm(db officeStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		o, ok := officeOf(w, r, db, rs)
		if !ok {
			return
		}
		a := accountFrom(r.Context())
		v := web.NewOfficeForm(web.NewPage(o.CommunityName+" · 办公信息", a, officesPath(paths), ""), officesPath(paths), o)
		rs.render(w, r, http.StatusOK, web.OfficeFormPage(v))
	}
}

// handleOfficeSave records the office; the form names the version it showed (0: none recorded).
func handleOfficeSave(db officeStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		o, ok := officeOf(w, r, db, rs)
		if !ok {
			return
		}
		a := accountFrom(r.Context())
		f := newForm(r)
		version := f.version("version")
		if version != o.Version {
			rs.conflict(w, r)
			return
		}
		in := o
		in.Phone = f.text("phone", "办公电话", 20, false)
		in.Address = f.text("address", "办公地址", registry.OfficeAddressMax, false)
		in.Hours = f.text("hours", "办公时间", registry.OfficeHoursMax, false)
		for k, msg := range in.Validate() {
			f.Problems.Add(k, msg)
		}
		if !f.OK() {
			v := web.NewOfficeForm(web.NewPage(o.CommunityName+" · 办公信息", a, officesPath(paths), ""), officesPath(paths), in)
			v.Version = strconv.Itoa(version)
			v.SetProblems(f.Problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.OfficeFormPage(v))
			return
		}
		if err := db.SaveCommunityOffice(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), in, version); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, in.CommunityName+"的办公信息已保存，将显示在该社区（村）和其社会组织的公开信息页上。")
		redirect(w, r, officesPath(paths))
	}
}
