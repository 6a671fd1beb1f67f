package server

// 信息公开 by a group: the signed-in pages where its committee (or its town, for a filed or registered group)
// publishes and corrects the group's disclosures, and the section of its public profile that shows them.

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// disclosureRoutes mounts a tier's 信息公开 pages: every tier reads them from a group's record; the tiers that
// publish get the forms.
func (s *Server) disclosureRoutes(a area, paths web.Paths) {
	a.get("/orgs/{id}/disclosures", portal.ViewDisclosures, handleOrgDisclosures(s.db, paths, s.resp))
	if portal.Can(a.tier, portal.PublishDisclosures) {
		a.get("/orgs/{id}/disclosures/new", portal.PublishDisclosures, handleDisclosureNew(s.db, paths, s.resp))
		a.post("/orgs/{id}/disclosures", portal.PublishDisclosures, handleDisclosurePublish(s.db, paths, s.resp))
		a.get("/disclosures/{id}/correct", portal.PublishDisclosures, handleDisclosureCorrectForm(s.db, paths, s.resp))
		a.post("/disclosures/{id}/correct", portal.PublishDisclosures, handleDisclosureCorrect(s.db, paths, s.resp))
	}
}

type orgDisclosureReader interface {
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
	OrgDisclosures(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.Disclosure, error)
}

func disclosuresPath(paths web.Paths, orgID int64) string { return paths.Org(orgID) + "/disclosures" }

// mayPublishFor reports whether the signed-in account publishes for o: its tier may, and the group is of the
// tier it publishes for.
func mayPublishFor(a *portal.Account, o registry.Organization) bool {
	return portal.Allowed(*a, portal.PublishDisclosures) && registry.MayDisclose(a.Tier, o.Tier)
}

// handleOrgDisclosures is a group's 信息公开 with its history, reached from the group's record.
func handleOrgDisclosures(db orgDisclosureReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		o, err := db.Organization(r.Context(), a.Scope(), id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		list, err := db.OrgDisclosures(r.Context(), a.Scope(), id)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := web.OrgDisclosuresView{Page: web.NewPage(o.Name+" · 信息公开", a, paths.Orgs(), takeFlashCtx(r)),
			OrgName: o.Name, OrgHref: paths.Org(id), ListHref: paths.Orgs(), PublicHref: "/orgs/" + itoa64(id)}
		correctBase := ""
		if mayPublishFor(a, o) {
			correctBase = paths.Root() + "/disclosures"
			for _, k := range registry.DisclosureKinds {
				v.NewLinks = append(v.NewLinks, web.NavItem{Label: "发布" + k.Label(),
					Href: disclosuresPath(paths, id) + "/new?kind=" + string(k)})
			}
		} else if o.Tier == registry.TierGuided {
			v.Who = "村居指导的组织由所在社区（村）委会公开其信息。"
		} else {
			v.Who = "备案和登记的组织由所在镇街公开其信息。"
		}
		v.Disclosures = web.NewDisclosuresView(list, correctBase)
		rs.render(w, r, http.StatusOK, web.OrgDisclosuresPage(v))
	}
}

type disclosurePublisher interface {
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
	PublishDisclosure(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID int64, in registry.DisclosureInput) (int64, error)
}

// disclosureOrg reads the group a form publishes for; a group outside scope is 404 and one the tier does not
// publish for is 403.
func disclosureOrg(w http.ResponseWriter, r *http.Request, db interface {
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
}, rs *responder, id int64) (registry.Organization, bool) {
	a := accountFrom(r.Context())
	o, err := db.Organization(r.Context(), a.Scope(), id)
	if err != nil {
		rs.fail(w, r, err)
		return o, false
	}
	if !mayPublishFor(a, o) {
		notTheirs(w, r, rs)
		return o, false
	}
	return o, true
}

func newDisclosureForm(a *portal.Account, paths web.Paths, o registry.Organization, kind registry.DisclosureKind, heading string) web.DisclosureFormView {
	v := web.NewDisclosureForm(web.NewPage(heading, a, paths.Orgs(), ""), kind)
	v.OrgName, v.OrgHref, v.BackHref = o.Name, paths.Org(o.ID), disclosuresPath(paths, o.ID)
	v.Action = disclosuresPath(paths, o.ID)
	return v
}

// handleDisclosureNew is the empty form for one kind (?kind=annual|finance|major).
func handleDisclosureNew(db disclosurePublisher, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(r, "id")
		kind := registry.DisclosureKind(r.URL.Query().Get("kind"))
		if !ok || !kind.Valid() {
			rs.notFound(w, r)
			return
		}
		o, ok := disclosureOrg(w, r, db, rs, id)
		if !ok {
			return
		}
		v := newDisclosureForm(accountFrom(r.Context()), paths, o, kind, "发布"+kind.Label())
		v.Date.Value = time.Now().In(beijing).Format(dateLayout)
		rs.render(w, r, http.StatusOK, web.DisclosureFormPage(v))
	}
}

// readDisclosureForm reads the form into in and v (kept for a refusal); problems are at the inputs.
func readDisclosureForm(f *form, v *web.DisclosureFormView, kind registry.DisclosureKind) registry.DisclosureInput {
	in := registry.DisclosureInput{Kind: kind}
	in.Title = f.text("title", "标题", registry.DisclosureTitleMax, true)
	v.Title.Value = in.Title
	body := f.text("body", "内容", registry.DisclosureBodyMax, kind != registry.DisclosureFinance)
	in.Body, v.Body.Value = body, body
	date, on := f.date("disclosed_on", "日期")
	v.Date.Value = date
	if on != nil {
		in.DisclosedOn = *on
	}
	typed := 0 // amounts typed, readable or not
	if kind == registry.DisclosureFinance {
		read := func(list []web.MoneyInput, side string) {
			for i := range list {
				m := &list[i]
				m.Value = f.value(m.Name)
				if m.Value == "" {
					continue
				}
				typed++
				amount, ok := registry.ParseYuan(m.Value)
				if !ok || amount > registry.DisclosureAmountMax {
					f.Problems.Add(m.Name, m.Category+"应为 0 至 10 亿元之间的金额，最多两位小数，如 3500 或 1200.50")
					continue
				}
				in.Lines = append(in.Lines, registry.DisclosureLine{Side: side, Category: m.Category, Amount: amount})
			}
		}
		read(v.Income, registry.SideIncome)
		read(v.Spending, registry.SideSpending)
	}
	today := time.Now().In(beijing)
	y, m, d := today.Date()
	for k, msg := range in.Validate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		if k == "lines" && len(in.Lines) == 0 && typed > 0 {
			continue // the amount typed has its own message at its input; "请至少填写一项" would be wrong
		}
		f.Problems.Add(k, msg)
	}
	return in
}

// showDisclosureProblems answers 422 with the messages at their inputs and everything typed kept.
func showDisclosureProblems(w http.ResponseWriter, r *http.Request, rs *responder, v web.DisclosureFormView, p map[string]string) {
	v.Problems = p
	v.Title.Problem, v.Date.Problem, v.Body.Problem, v.Reason.Problem = p["title"], p["disclosed_on"], p["body"], p["reason"]
	v.LinesProblem = p["lines"]
	for _, list := range [][]web.MoneyInput{v.Income, v.Spending} {
		for i := range list {
			list[i].Problem = p[list[i].Name]
		}
	}
	rs.render(w, r, http.StatusUnprocessableEntity, web.DisclosureFormPage(v))
}

// handleDisclosurePublish publishes a disclosure of the group.
func handleDisclosurePublish(db disclosurePublisher, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		o, ok := disclosureOrg(w, r, db, rs, id)
		if !ok {
			return
		}
		a := accountFrom(r.Context())
		f := newForm(r)
		kind := registry.DisclosureKind(f.raw("kind"))
		if !kind.Valid() {
			rs.badRequest(w, r)
			return
		}
		v := newDisclosureForm(a, paths, o, kind, "发布"+kind.Label())
		in := readDisclosureForm(f, &v, kind)
		if !f.OK() {
			showDisclosureProblems(w, r, rs, v, f.Problems)
			return
		}
		if _, err := db.PublishDisclosure(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), id, in); err != nil {
			disclosureFail(w, r, rs, err)
			return
		}
		putFlash(r, kind.Label()+"“"+in.Title+"”已公开。")
		redirect(w, r, disclosuresPath(paths, id))
	}
}

func disclosureFail(w http.ResponseWriter, r *http.Request, rs *responder, err error) {
	if errors.Is(err, registry.ErrMayNotDisclose) {
		notTheirs(w, r, rs)
		return
	}
	rs.fail(w, r, err)
}

// notTheirs answers a form for a group the tier does not publish for: there is no such form for it (404), and
// the page says who publishes instead.
func notTheirs(w http.ResponseWriter, r *http.Request, rs *responder) {
	rs.errorPage(w, r, http.StatusNotFound, "没有这个表单",
		"村居指导的组织由所在社区（村）委会公开其信息，备案和登记的组织由所在镇街公开其信息。")
}

type disclosureCorrector interface {
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
	Disclosure(ctx context.Context, scope portal.Scope, id int64) (registry.Disclosure, error)
	CorrectDisclosure(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string, in registry.DisclosureInput) (int64, error)
}

// correctionForm loads the revision id and its group and builds the correction form around them. A revision
// already superseded is 409: only the current one is corrected.
func correctionForm(w http.ResponseWriter, r *http.Request, db disclosureCorrector, paths web.Paths, rs *responder) (web.DisclosureFormView, registry.Disclosure, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		rs.notFound(w, r)
		return web.DisclosureFormView{}, registry.Disclosure{}, false
	}
	a := accountFrom(r.Context())
	d, err := db.Disclosure(r.Context(), a.Scope(), id)
	if err != nil {
		rs.fail(w, r, err)
		return web.DisclosureFormView{}, d, false
	}
	o, ok := disclosureOrg(w, r, db, rs, d.OrgID)
	if !ok {
		return web.DisclosureFormView{}, d, false
	}
	v := newDisclosureForm(a, paths, o, d.Kind, "更正"+d.Kind.Label())
	v.Correct, v.Version = true, strconv.Itoa(d.Version)
	v.Action = paths.Root() + "/disclosures/" + itoa64(id) + "/correct"
	return v, d, true
}

func handleDisclosureCorrectForm(db disclosureCorrector, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, d, ok := correctionForm(w, r, db, paths, rs)
		if !ok {
			return
		}
		if !d.Current() {
			rs.conflict(w, r)
			return
		}
		v.SetFrom(d)
		rs.render(w, r, http.StatusOK, web.DisclosureFormPage(v))
	}
}

// handleDisclosureCorrect publishes the next revision; the version the form showed must still be current.
func handleDisclosureCorrect(db disclosureCorrector, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		v, d, ok := correctionForm(w, r, db, paths, rs)
		if !ok {
			return
		}
		f := newForm(r)
		version := f.version("version")
		if version != d.Version || !d.Current() {
			rs.conflict(w, r)
			return
		}
		a := accountFrom(r.Context())
		reason := f.text("reason", "更正说明", registry.DisclosureReasonMax, true)
		v.Reason.Value = reason
		in := readDisclosureForm(f, &v, d.Kind)
		if !f.OK() {
			showDisclosureProblems(w, r, rs, v, f.Problems)
			return
		}
		if _, err := db.CorrectDisclosure(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), d.ID, version, reason, in); err != nil {
			disclosureFail(w, r, rs, err)
			return
		}
		putFlash(r, d.Kind.Label()+"已更正，原版本仍公开并标明“已更正”。")
		redirect(w, r, disclosuresPath(paths, d.OrgID))
	}
}
