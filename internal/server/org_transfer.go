package server

// Transfer between communities (issue 13): from a group's record a town moves it to another of its communities
// and the district to any community; the whole-community page moves all or some groups of one community at once
// (a community split or merged). Each form carries a version (one group) or a token (a community's groups):
// anything changed meanwhile is 409 and nothing moves.

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

// orgFlow is what a record offers to move its group: a 成立备案 on the record for a live guided group (a town
// that files), a transfer for a tier that transfers.
func orgFlow(a *portal.Account, paths web.Paths, o registry.Organization) web.OrgFlow {
	var f web.OrgFlow
	if o.Tier == registry.TierGuided && o.Status.Live() && portal.Allowed(*a, portal.SubmitFilings) {
		f.FileHref = paths.Filings() + "/new?org=" + itoa64(o.ID)
	}
	if portal.Allowed(*a, portal.TransferOrgs) {
		f.TransferHref = paths.Org(o.ID) + "/transfer"
	}
	return f
}

// orgFlowOn adds to the record of o what moves it (orgFlow) and, after a transfer renamed it, the note that its
// own 简易章程 or 活动场所 still name the community it left, with the edit form for a caller who may edit. The
// events are the record's own, read with it.
func orgFlowOn(ctx context.Context, db interface {
	OrgEvents(ctx context.Context, scope portal.Scope, id int64) ([]registry.Event, error)
}, a *portal.Account, paths web.Paths, v *web.OrgDetailView, o registry.Organization) error {
	v.Flow = orgFlow(a, paths, o)
	events, err := db.OrgEvents(ctx, a.Scope(), o.ID)
	if err != nil {
		return err
	}
	if old, fields := registry.StaleCommunityText(o, events); old != "" {
		v.Flow.StaleText = &web.StaleText{Old: old, Fields: fields}
		if v.CanEdit {
			v.Flow.StaleText.EditHref = v.Href + "/edit"
		}
	}
	return nil
}

// transferStore is what the transfer pages need.
type transferStore interface {
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
	DivisionsAtLevel(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error)
	TransferOrg(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, t registry.Transfer) error
	CommunityGroups(ctx context.Context, scope portal.Scope, from string) ([]registry.TransferCandidate, string, error)
	MoveCommunityGroups(ctx context.Context, scope portal.Scope, actor portal.Actor, m registry.CommunityMove) (int, error)
}

// communityOptions are the communities inside scope, grouped by town for the district, with selected chosen
// and except left out.
func communityOptions(ctx context.Context, db transferStore, scope portal.Scope, selected, except string) ([]web.Option, error) {
	communities, err := db.DivisionsAtLevel(ctx, scope, portal.TierCommunity)
	if err != nil {
		return nil, err
	}
	towns := map[string]string{}
	if scope.Tier == portal.TierDistrict {
		ts, err := db.DivisionsAtLevel(ctx, scope, portal.TierTown)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			towns[t.Code] = t.Name
		}
	}
	var opts []web.Option
	for _, c := range communities {
		if c.Code != except {
			opts = append(opts, web.Option{Value: c.Code, Label: c.Name, Selected: c.Code == selected,
				Group: towns[c.ParentCode]})
		}
	}
	return opts, nil
}

func communityMoveHref(paths web.Paths, from string) string {
	return paths.Orgs() + "/move-community?from=" + from
}

// transferView is the transfer form of o.
func transferView(ctx context.Context, db transferStore, a *portal.Account, paths web.Paths, o registry.Organization, to string) (web.TransferView, error) {
	opts, err := communityOptions(ctx, db, a.Scope(), to, o.CommunityCode)
	return web.TransferView{Page: web.NewPage("迁移 "+o.Name, a, paths.Orgs(), ""),
		Action: paths.Org(o.ID) + "/transfer", OrgHref: paths.Org(o.ID), Name: o.Name,
		Current: o.TownName + o.CommunityName, Version: o.Version, To: web.Field{Value: to}, ToOptions: opts,
		Problems: map[string]string{}, CommunityMoveHref: communityMoveHref(paths, o.CommunityCode),
		Rename: transferRename(o, opts, to), Registered: o.Tier == registry.TierRegistered}, err
}

// transferRename is what the form needs to show o's name in the community chosen, nil when its name stays.
// The options carry each community's name and, for the district, its town as the group.
func transferRename(o registry.Organization, opts []web.Option, to string) *web.TransferRename {
	if !registry.NameFollowsCommunity(o) {
		return nil
	}
	p := o.NameParts
	r := &web.TransferRename{Town: o.TownName, Suffix: p.Zihao + p.Field + p.Form}
	if district, ok := strings.CutSuffix(p.Prefix, o.TownName); ok && o.TownName != "" {
		r.District = district
	} else {
		r.Prefix = p.Prefix
	}
	for _, opt := range opts {
		if opt.Value == to && to != "" {
			town := o.TownName
			if opt.Group != "" {
				town = opt.Group
			}
			parts, _ := registry.TransferredName(o, town, opt.Label)
			r.NewName = rules.ComposeName(parts)
		}
	}
	return r
}

func transferOrg(r *http.Request, db transferStore) (registry.Organization, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return registry.Organization{}, portal.ErrNotFound
	}
	return db.Organization(r.Context(), accountFrom(r.Context()).Scope(), id)
}

func handleOrgTransferForm(db transferStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		o, err := transferOrg(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v, err := transferView(r.Context(), db, accountFrom(r.Context()), paths, o, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v.Flash = takeFlashCtx(r)
		rs.render(w, r, http.StatusOK, web.OrgTransferPage(v))
	}
}

// handleOrgTransfer moves the group: 422 with the messages at the fields and the input kept, 409 for a stale
// version, 303 to the record.
func handleOrgTransfer(db transferStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		o, err := transferOrg(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		a := accountFrom(r.Context())
		f := newForm(r)
		t := registry.Transfer{To: f.value("to"), Reason: f.text("reason", "迁移原因", registry.TransferReasonMax, false)}
		problems := t.Validate()
		if problems.OK() {
			err = db.TransferOrg(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), o.ID,
				f.version("version"), t)
			switch {
			case errors.Is(err, registry.ErrSameCommunity):
				problems.Add("to", "该组织已在所选社区（村），请选择其他社区（村）")
			case errors.Is(err, registry.ErrOpenCase) || errors.Is(err, registry.ErrNameTaken):
				problems.Add("to", transferRefusal(err))
			case errors.Is(err, portal.ErrNotFound) && t.To != "":
				// the group was found above: it is the community that is not the caller's
				problems.Add("to", "请选择本辖区内的社区（村）")
			case err != nil:
				rs.fail(w, r, err)
				return
			}
		}
		if !problems.OK() {
			v, verr := transferView(r.Context(), db, a, paths, o, t.To)
			if verr != nil {
				rs.fail(w, r, verr)
				return
			}
			v.Version = f.version("version")
			v.Problems, v.To.Problem = problems, problems["to"]
			v.Reason = web.Field{Value: t.Reason, Problem: problems["reason"]}
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgTransferPage(v))
			return
		}
		putFlash(r, "已迁移："+o.Name+"。")
		redirect(w, r, paths.Org(o.ID))
	}
}

// transferRefusal is the message at the field for a transfer the store refused: an open case (named), or a
// new name another live group holds.
func transferRefusal(err error) string {
	if oc := (*registry.OpenCaseError)(nil); errors.As(err, &oc) {
		return oc.Case.Problem()
	}
	return "按命名规则，迁入后组织名称中的社区（村）随之改变，而改变后的名称已被区内其他组织使用。请先在档案中更换字号，或选择其他社区（村）。"
}

// communityMoveView is the whole-community page for community from ("" before one is chosen), with the groups
// chosen ticked (all when none is).
func communityMoveView(ctx context.Context, db transferStore, a *portal.Account, paths web.Paths, from, to string, chosen []int64, all bool) (web.CommunityMoveView, error) {
	scope := a.Scope()
	v := web.CommunityMoveView{Page: web.NewPage("整体迁移社区（村）的组织", a, paths.Orgs(), ""),
		Action: paths.Orgs() + "/move-community", From: web.Field{Value: from}, To: web.Field{Value: to},
		All: all, Problems: map[string]string{}, ListHref: paths.Orgs()}
	var err error
	if v.FromOptions, err = communityOptions(ctx, db, scope, from, ""); err != nil {
		return v, err
	}
	if from == "" {
		return v, nil
	}
	for _, o := range v.FromOptions {
		if o.Value == from {
			v.FromName = o.Group + o.Label
		}
	}
	if v.FromName == "" {
		return v, portal.ErrNotFound
	}
	groups, token, err := db.CommunityGroups(ctx, scope, from)
	if err != nil {
		return v, err
	}
	v.Token = token
	if v.ToOptions, err = communityOptions(ctx, db, scope, to, from); err != nil {
		return v, err
	}
	var target *web.Option
	for i, o := range v.ToOptions {
		if o.Value == to && to != "" {
			target = &v.ToOptions[i]
			v.ToName = o.Group + o.Label
		}
	}
	for _, g := range groups {
		label, class := g.Status.Label(), web.StatusClassOf(g.Status)
		mg := web.MoveGroup{ID: itoa64(g.ID), Name: g.Name, Href: paths.Org(g.ID),
			Tier: g.Tier.Label(), Status: label, Class: class, Checked: all || slices.Contains(chosen, g.ID)}
		if target != nil {
			mg.NewName, mg.Keeps = movedName(g, *target)
			if mg.NewName != "" {
				v.Renames++
			}
		}
		v.Groups = append(v.Groups, mg)
	}
	return v, nil
}

// movedName is the name group g takes in the community of option to (its town is the option's group for the
// district, else g's own), or why it keeps its name: the rule the move itself applies (registry.TransferredName).
func movedName(g registry.TransferCandidate, to web.Option) (string, string) {
	town := g.TownName
	if to.Group != "" {
		town = to.Group
	}
	if name, ok := g.NameIn(town, to.Label); ok {
		return name, ""
	}
	switch {
	case g.Tier == registry.TierRegistered && g.Status.Live():
		return "", "名称不变；如需改为迁入地，须办理变更登记"
	case !g.Status.Live():
		return "", "已注销或撤销，名称不变"
	}
	return "", "名称不含社区（村）名，不变"
}

func handleCommunityMoveForm(db transferStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		from := q.Get("from")
		// 预览迁入后名称 sends the move's form here unsent: the names the groups take in the community chosen,
		// with what the clerk chose and typed kept.
		preview := q.Get("preview") != ""
		var chosen []int64
		for _, s := range q["orgs"] {
			if id, ok := parseID(s); ok {
				chosen = append(chosen, id)
			}
		}
		v, err := communityMoveView(r.Context(), db, accountFrom(r.Context()), paths, from, q.Get("to"), chosen,
			!preview || q.Get("all") != "")
		if preview {
			v.Reason = web.Field{Value: q.Get("reason")}
		}
		v.Flash = takeFlashCtx(r)
		if errors.Is(err, portal.ErrNotFound) {
			v.From.Problem, v.FromName, v.Groups = "请选择本辖区内的社区（村）", "", nil
			rs.render(w, r, http.StatusOK, web.CommunityMovePage(v))
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.CommunityMovePage(v))
	}
}

// handleCommunityMove moves the chosen groups of a community: 422 with the messages at the fields and the
// choices kept, 409 when the community's groups changed since the page was shown, 303 to the page of the
// community they moved to.
func handleCommunityMove(db transferStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		a := accountFrom(r.Context())
		f := newForm(r)
		m := registry.CommunityMove{From: f.value("from"), To: f.value("to"), All: f.raw("all") != "",
			Token: f.raw("token"), Reason: f.text("reason", "迁移原因", registry.TransferReasonMax, false)}
		for _, s := range f.values["orgs"] {
			id, ok := parseID(s)
			if !ok {
				rs.conflict(w, r) // not a group the page offered
				return
			}
			m.IDs = append(m.IDs, id)
		}
		problems := m.Validate()
		moved := 0
		var err error
		if problems.OK() {
			moved, err = db.MoveCommunityGroups(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), m)
			switch {
			case errors.Is(err, portal.ErrNotFound):
				problems.Add("to", "请选择本辖区内的社区（村）")
			case errors.Is(err, registry.ErrOpenCase) || errors.Is(err, registry.ErrNameTaken):
				problems.Add("to", transferRefusal(err))
			case err != nil:
				rs.fail(w, r, err)
				return
			}
		}
		if !problems.OK() {
			v, verr := communityMoveView(r.Context(), db, a, paths, m.From, m.To, m.IDs, m.All)
			if verr != nil {
				rs.fail(w, r, verr)
				return
			}
			v.Token = m.Token // a stale one stays stale
			v.Problems, v.To.Problem, v.OrgsProblem = problems, problems["to"], problems["orgs"]
			v.Reason = web.Field{Value: m.Reason, Problem: problems["reason"]}
			rs.render(w, r, http.StatusUnprocessableEntity, web.CommunityMovePage(v))
			return
		}
		putFlash(r, "已迁移 "+strconv.Itoa(moved)+" 个组织。")
		redirect(w, r, communityMoveHref(paths, m.To))
	}
}
