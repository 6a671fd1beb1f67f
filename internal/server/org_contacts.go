package server

// 联系人 (行动方案 §三(二)3): the committee or town that keeps a group names the staff member who follows it; the
// record shows the current one and those before to every tier that sees the group, and the clerk has a list of
// the groups still without one.

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type orgContactReader interface {
	OrgContacts(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.OrgContact, error)
}

type orgContactStore interface {
	orgContactReader
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
	SetOrgContact(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID, seen int64, c registry.NewContact) (int64, error)
	OrgsWithoutContact(ctx context.Context, scope portal.Scope, after int64) ([]registry.OrgWithoutContact, bool, error)
	ExportOrgsWithoutContact(ctx context.Context, scope portal.Scope, actor portal.Actor, fn func(registry.OrgWithoutContact) error) (int, error)
}

func (s *Server) orgContactRoutes(a area, paths web.Paths) {
	s.orgContactRevealRoute(a, paths)
	a.get("/orgs/without-contact", portal.ViewOrgs, handleOrgsWithoutContact(s.db, paths, s.resp))
	a.get("/orgs/without-contact.xlsx", portal.ViewOrgs, handleOrgsWithoutContactExport(s.db, s.resp))
	a.get("/orgs/{id}/contact", portal.SetOrgContact, handleOrgContactForm(s.db, paths, s.resp))
	a.post("/orgs/{id}/contact", portal.SetOrgContact, handleOrgContactSet(s.db, paths, s.resp))
}

// orgContactsOn adds the 联系人 section to the record of o.
func orgContactsOn(ctx context.Context, db orgContactReader, a *portal.Account, paths web.Paths, v *web.OrgDetailView, o registry.Organization) error {
	cs, err := db.OrgContacts(ctx, a.Scope(), o.ID)
	if err != nil {
		return err
	}
	setHref := ""
	if portal.Allowed(*a, portal.SetOrgContact) && registry.KeepsContact(a.Scope(), o) {
		setHref = paths.OrgContactHref(o.ID)
	}
	v.Contacts = web.NewOrgContactsView(cs, setHref)
	if v.CanReveal && v.Contacts.Current != nil { // the record offers the leader's reveal: the 联系人's too
		v.Contacts.RevealAction = paths.Org(o.ID) + "/contact/reveal"
	}
	return nil
}

// orgContactRevealRoute lets a tier that reveals a leader's phone reveal a 联系人's, the same way.
func (s *Server) orgContactRevealRoute(a area, paths web.Paths) {
	if portal.Can(a.tier, portal.RevealPersonal) {
		a.post("/orgs/{id}/contact/reveal", portal.RevealPersonal, handleOrgContactReveal(s.db, paths, s.resp))
	}
}

type orgContactRevealer interface {
	orgReader
	orgContactReader
	RevealOrgContact(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID int64, reason string) (string, error)
}

// handleOrgContactReveal shows the current 联系人's full phone once on the group's record, after the officer gives
// a reason (422 at the field without one); the store audits it. A tier that may not reveal the group's leader,
// or a group without a 联系人, is 404.
func handleOrgContactReveal(db orgContactRevealer, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, o, err := orgDetail(r.Context(), db, a, paths.Root(), r)
		if err == nil {
			err = orgContactsOn(r.Context(), db, a, paths, &v, o)
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		c := &v.Contacts
		if c.RevealAction == "" {
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		reason := f.text("reason", "查看原因", 200, true)
		c.RevealReason = web.Field{Value: f.value("reason"), Problem: f.Problems["reason"]}
		if c.RevealReason.Bad() {
			v.Problems = map[string]string{"contact_reveal_reason": c.RevealReason.Problem}
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgDetailPage(v))
			return
		}
		phone, err := db.RevealOrgContact(r.Context(), a.Scope(), actorOf(r, a), o.ID, reason)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		c.RevealedPhone, c.RevealedReason, c.RevealReason = phone, reason, web.Field{}
		rs.render(w, r, http.StatusOK, web.OrgDetailPage(v))
	}
}

// contactForm reads the group of the path that the account keeps (another's is 404) and builds its form.
func contactForm(r *http.Request, db orgContactStore, paths web.Paths) (web.OrgContactFormView, registry.Organization, int64, error) {
	a := accountFrom(r.Context())
	id, ok := pathID(r, "id")
	if !ok {
		return web.OrgContactFormView{}, registry.Organization{}, 0, portal.ErrNotFound
	}
	o, err := db.Organization(r.Context(), a.Scope(), id)
	if err == nil && !registry.KeepsContact(a.Scope(), o) {
		err = portal.ErrNotFound
	}
	if err != nil {
		return web.OrgContactFormView{}, o, 0, err
	}
	cs, err := db.OrgContacts(r.Context(), a.Scope(), o.ID)
	if err != nil {
		return web.OrgContactFormView{}, o, 0, err
	}
	section := web.NewOrgContactsView(cs, "")
	var current int64
	for _, c := range cs {
		if c.UntilOn == nil {
			current = c.ID
		}
	}
	return web.OrgContactFormView{Page: web.NewPage("联系人 · "+o.Name, a, paths.Orgs(), ""), OrgName: o.Name,
		OrgHref: paths.Org(o.ID), Action: paths.OrgContactHref(o.ID), Seen: strconv.FormatInt(current, 10),
		Current: section.Current, KindOptions: web.ContactKindOptions(""), Problems: map[string]string{}}, o, current, nil
}

func handleOrgContactForm(db orgContactStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, _, err := contactForm(r, db, paths)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.OrgContactFormPage(v))
	}
}

// handleOrgContactSet sets the 联系人: 422 with the message at the field and the input kept (the phone too, as
// typed, since it goes back only to the clerk who typed it), 409 when the current 联系人 changed since the form
// was read or no token came, or 303 to the record.
func handleOrgContactSet(db orgContactStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		v, o, current, err := contactForm(r, db, paths)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		a := accountFrom(r.Context())
		f := newForm(r)
		seen, ok := parseID(f.raw("current"))
		if f.raw("current") == "0" {
			seen, ok = 0, true
		}
		if !ok || seen != current {
			rs.conflict(w, r)
			return
		}
		in := registry.ContactInput{Name: f.value("contact_name"), Kind: f.value("contact_kind"), Unit: f.value("contact_unit"),
			Phone: f.value("contact_phone"), FromOn: f.value("contact_from")}
		c, problems := in.Parse(f.now)
		if problems.OK() {
			_, err = db.SetOrgContact(r.Context(), a.Scope(), actorOf(r, a), o.ID, seen, c)
			switch {
			case errors.Is(err, registry.ErrContactBeforeCurrent):
				problems.Add("contact_from", "起始日期不能早于现任联系人的起始日期")
			case errors.Is(err, portal.ErrNotAllow):
				rs.notFound(w, r)
				return
			case err != nil:
				rs.fail(w, r, err)
				return
			}
		}
		if !problems.OK() {
			v.Problems = problems
			v.Name = web.Field{Value: in.Name, Problem: problems["contact_name"]}
			v.Kind = web.Field{Value: in.Kind, Problem: problems["contact_kind"]}
			v.KindOptions = web.ContactKindOptions(in.Kind)
			v.Unit = web.Field{Value: in.Unit, Problem: problems["contact_unit"]}
			v.Phone = web.Field{Value: in.Phone, Problem: problems["contact_phone"]}
			v.From = web.Field{Value: in.FromOn, Problem: problems["contact_from"]}
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgContactFormPage(v))
			return
		}
		putFlash(r, "已配备联系人："+c.Name+"。")
		redirect(w, r, paths.Org(o.ID)+"#org-contact")
	}
}

// handleOrgsWithoutContact lists the live groups of the jurisdiction without a 联系人, a page at a time.
func handleOrgsWithoutContact(db orgContactStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		after, _ := parseID(r.URL.Query().Get("after"))
		orgs, more, err := db.OrgsWithoutContact(r.Context(), a.Scope(), after)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		page := web.NewPage("未配备联系人的组织", a, paths.Orgs(), takeFlashCtx(r))
		keeps := func(o registry.OrgWithoutContact) bool { // the record's keeper, as registry.KeepsContact says
			return portal.Allowed(*a, portal.SetOrgContact) && (a.Tier != portal.TierCommunity || o.Tier == registry.TierGuided)
		}
		rs.render(w, r, http.StatusOK, web.OrgsWithoutContactPage(web.NewOrgsWithoutContactView(page, paths, orgs, more, keeps)))
	}
}

// handleOrgsWithoutContactExport is the whole list of groups without a 联系人 (every page of it) as a
// spreadsheet with title rows.
func handleOrgsWithoutContactExport(db orgContactStore, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		now := time.Now()
		title := exportTitle("未配备联系人的组织", a.DivisionName+"辖区内正常活动（含活动异常）的社区社会组织",
			"截至 "+web.DateTime(now)+" 尚无联系人", "每行一个组织", now)
		streamTitledTable(w, r, rs, a, exportXLSX, "未配备联系人的组织", "orgs-without-contact", "未配备联系人", title,
			web.OrgsWithoutContactHeader, func(t export.Table) error {
				_, err := db.ExportOrgsWithoutContact(r.Context(), a.Scope(), actorOf(r, a), func(o registry.OrgWithoutContact) error {
					return t.Row(web.OrgWithoutContactCells(o))
				})
				return err
			})
	}
}
