package server

// 区划管理 (issue 17): the district keeps the 社区/村 list in the browser — adds one under a town, renames it,
// sets it 社区 or 村 and 试点, and retires one no live group is left in. Every change is audited and shown in
// the community's history.

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

func (s *Server) divisionRoutes(a area, paths web.Paths) {
	a.get("/divisions", portal.ManageDivisions, handleDivisionList(s.db, paths, s.resp))
	a.get("/divisions/new", portal.ManageDivisions, handleCommunityNew(s.db, paths, s.resp))
	a.post("/divisions", portal.ManageDivisions, handleCommunityAdd(s.db, paths, s.resp))
	a.get("/divisions/{code}", portal.ManageDivisions, handleCommunityPage(s.db, paths, s.resp))
	a.post("/divisions/{code}", portal.ManageDivisions, handleCommunitySave(s.db, paths, s.resp))
	a.post("/divisions/{code}/retire", portal.ManageDivisions, handleCommunityRetire(s.db, paths, s.resp))
}

type divisionStore interface {
	DivisionsAtLevel(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error)
	Communities(ctx context.Context, scope portal.Scope, town string) ([]registry.Community, error)
	Community(ctx context.Context, scope portal.Scope, code string) (registry.Community, error)
	AddCommunity(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.CommunityInput) error
	UpdateCommunity(ctx context.Context, scope portal.Scope, actor portal.Actor, code string, version int, in registry.CommunityInput) error
	RetireCommunity(ctx context.Context, scope portal.Scope, actor portal.Actor, code string, version int) error
	DivisionHistory(ctx context.Context, scope portal.Scope, code string) ([]registry.DivisionEvent, error)
}

func divisionsPath(paths web.Paths) string { return paths.Root() + "/divisions" }

// handleDivisionList is one town's 社区/村 (the first town when none is picked).
func handleDivisionList(db divisionStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		towns, err := db.DivisionsAtLevel(r.Context(), a.Scope(), portal.TierTown)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		town := r.URL.Query().Get("town")
		if town == "" && len(towns) > 0 {
			town = towns[0].Code
		}
		list, err := db.Communities(r.Context(), a.Scope(), town)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		base := divisionsPath(paths)
		rs.render(w, r, http.StatusOK, web.DivisionListPage(web.NewDivisionList(
			web.NewPage("区划管理", a, base, takeFlashCtx(r)), base, towns, town, list)))
	}
}

func handleCommunityNew(db divisionStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		towns, err := db.DivisionsAtLevel(r.Context(), a.Scope(), portal.TierTown)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		base := divisionsPath(paths)
		in := registry.CommunityInput{Town: r.URL.Query().Get("town"), Kind: "社区"}
		rs.render(w, r, http.StatusOK, web.CommunityNewPage(web.NewCommunityForm(
			web.NewPage("新增社区（村）", a, base, ""), base, towns, in, nil)))
	}
}

func communityInput(f *form) registry.CommunityInput {
	return registry.CommunityInput{Town: f.value("town"), Code: f.value("code"), Name: f.value("name"),
		Kind: f.value("kind"), Pilot: f.value("pilot") == "yes"}
}

// handleCommunityAdd adds a 社区/村: 422 with the message at the field and the input kept, or 303 to its page.
func handleCommunityAdd(db divisionStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseSettingsForm(w, r, rs) {
			return
		}
		a := accountFrom(r.Context())
		in := communityInput(newForm(r))
		problems := in.Validate(true)
		if problems.OK() {
			err := db.AddCommunity(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), in)
			switch {
			case errors.Is(err, registry.ErrDivisionCodeTaken):
				problems.Add("code", "区划代码 "+in.Code+" 已在使用，请核对统计用区划代码")
			case errors.Is(err, registry.ErrDivisionNameTaken):
				problems.Add("name", "该镇街已有名为“"+in.Name+"”的社区（村）")
			case errors.Is(err, portal.ErrNotFound):
				problems.Add("town", "请选择所属镇街")
			case err != nil:
				rs.fail(w, r, err)
				return
			}
		}
		base := divisionsPath(paths)
		if !problems.OK() {
			towns, err := db.DivisionsAtLevel(r.Context(), a.Scope(), portal.TierTown)
			if err != nil {
				rs.fail(w, r, err)
				return
			}
			rs.render(w, r, http.StatusUnprocessableEntity, web.CommunityNewPage(web.NewCommunityForm(
				web.NewPage("新增社区（村）", a, base, ""), base, towns, in, problems)))
			return
		}
		putFlash(r, in.Name+"已新增。")
		redirect(w, r, base+"/"+in.Code)
	}
}

// communityOf reads the community named in the path, or answers 404.
func communityOf(w http.ResponseWriter, r *http.Request, db divisionStore, rs *responder) (registry.Community, bool) {
	code := chi.URLParam(r, "code")
	if portal.LevelOfCode(code) != portal.TierCommunity {
		rs.notFound(w, r)
		return registry.Community{}, false
	}
	c, err := db.Community(r.Context(), accountFrom(r.Context()).Scope(), code)
	if err != nil {
		rs.fail(w, r, err)
		return c, false
	}
	return c, true
}

// communityForChange reads a change's form and the community it changes; a version other than the one kept
// (or none) is 409 and the handler stops.
func communityForChange(w http.ResponseWriter, r *http.Request, db divisionStore, rs *responder) (registry.Community, *form, bool) {
	if !parseSettingsForm(w, r, rs) {
		return registry.Community{}, nil, false
	}
	c, ok := communityOf(w, r, db, rs)
	if !ok {
		return c, nil, false
	}
	f := newForm(r)
	if f.version("version") != c.Version {
		rs.conflict(w, r)
		return c, nil, false
	}
	return c, f, true
}

// renderCommunity shows the community's page with its edit form (in: as typed, or as kept) and its history.
func renderCommunity(w http.ResponseWriter, r *http.Request, db divisionStore, paths web.Paths, rs *responder,
	c registry.Community, status int, in registry.CommunityInput, problems map[string]string, flash string) {
	a := accountFrom(r.Context())
	history, err := db.DivisionHistory(r.Context(), a.Scope(), c.Code)
	if err != nil {
		rs.fail(w, r, err)
		return
	}
	base := divisionsPath(paths)
	rs.render(w, r, status, web.CommunityPage(web.NewCommunityView(
		web.NewPage(c.TownName+" "+c.Name, a, base, flash), base, c, in, problems, history)))
}

func handleCommunityPage(db divisionStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := communityOf(w, r, db, rs)
		if !ok {
			return
		}
		in := registry.CommunityInput{Name: c.Name, Kind: c.Kind, Pilot: c.Pilot}
		renderCommunity(w, r, db, paths, rs, c, http.StatusOK, in, nil, takeFlashCtx(r))
	}
}

// handleCommunitySave renames the community and sets its kind and 试点 mark; the form names the version it showed.
func handleCommunitySave(db divisionStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, f, ok := communityForChange(w, r, db, rs)
		if !ok {
			return
		}
		a := accountFrom(r.Context())
		version := c.Version
		in := communityInput(f)
		problems := in.Validate(false)
		if problems.OK() {
			err := db.UpdateCommunity(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), c.Code, version, in)
			switch {
			case errors.Is(err, registry.ErrDivisionNameTaken):
				problems.Add("name", "该镇街已有名为“"+in.Name+"”的社区（村）")
			case errors.Is(err, registry.ErrDivisionRetired):
				problems.Add("name", "该社区（村）已撤销，不能再修改")
			case err != nil:
				rs.fail(w, r, err)
				return
			}
		}
		if !problems.OK() {
			renderCommunity(w, r, db, paths, rs, c, http.StatusUnprocessableEntity, in, problems, "")
			return
		}
		putFlash(r, in.Name+"已保存。")
		redirect(w, r, divisionsPath(paths)+"/"+c.Code)
	}
}

// handleCommunityRetire retires the community once no live group and no active account is left in it; else
// 422 with what is left, and nothing written.
func handleCommunityRetire(db divisionStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, _, ok := communityForChange(w, r, db, rs)
		if !ok {
			return
		}
		a := accountFrom(r.Context())
		version := c.Version
		err := db.RetireCommunity(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), c.Code, version)
		msg := ""
		switch {
		case errors.Is(err, registry.ErrDivisionLiveGroups):
			msg = "该社区（村）仍有正常或活动异常的社会组织，请先将其迁往其他社区（村）或办结注销后再撤销。"
		case errors.Is(err, registry.ErrDivisionLiveAccount):
			msg = "该社区（村）仍有在用的村(居)委会账号，请先在账号管理中停用或调整其所属区划后再撤销。"
		case errors.Is(err, registry.ErrDivisionRetired):
			msg = "该社区（村）已撤销。"
		case err != nil:
			rs.fail(w, r, err)
			return
		}
		if msg != "" {
			in := registry.CommunityInput{Name: c.Name, Kind: c.Kind, Pilot: c.Pilot}
			renderCommunity(w, r, db, paths, rs, c, http.StatusUnprocessableEntity, in, map[string]string{"retire": msg}, "")
			return
		}
		putFlash(r, c.Name+"已撤销：已有记录仍显示其名称，新的登记、备案和台账不再可选。")
		redirect(w, r, divisionsPath(paths)+"/"+c.Code)
	}
}
