package server

// 三会一课: a group with a 党组织 records its meetings; its record lists them.

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type partyMeetingReader interface {
	PartyMeetings(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.PartyMeeting, error)
}

type partyMeetingStore interface {
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
	RecordPartyMeeting(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID int64, orgVersion int, m registry.PartyMeeting) (int64, error)
}

func (s *Server) partyMeetingRoutes(a area, paths web.Paths) {
	a.get("/orgs/{id}/party-meetings/new", portal.RecordPartyMeetings, handlePartyMeetingNew(s.db, paths, s.resp))
	a.post("/orgs/{id}/party-meetings", portal.RecordPartyMeetings, handlePartyMeetingCreate(s.db, paths, s.resp))
}

// partyMeetingsOn adds the 三会一课 section to the record of o.
func partyMeetingsOn(ctx context.Context, db partyMeetingReader, a *portal.Account, paths web.Paths, v *web.OrgDetailView, o registry.Organization) error {
	ms, err := db.PartyMeetings(ctx, a.Scope(), o.ID)
	if err != nil {
		return err
	}
	newHref := ""
	if portal.Allowed(*a, portal.RecordPartyMeetings) && o.Status.Live() {
		newHref = paths.Org(o.ID) + "/party-meetings/new"
	}
	v.PartyMeetings = web.NewPartyMeetingsView(o.PartyStatus, ms, newHref)
	return nil
}

// partyMeetingOrg reads the group of the path inside the account's scope; a group with no 党组织 (or no longer
// live) has no form: 404.
func partyMeetingOrg(r *http.Request, db partyMeetingStore) (registry.Organization, error) {
	id, ok := parseID(chi.URLParam(r, "id"))
	if !ok {
		return registry.Organization{}, portal.ErrNotFound
	}
	o, err := db.Organization(r.Context(), accountFrom(r.Context()).Scope(), id)
	if err == nil && (!registry.HasPartyOrg(o.PartyStatus) || !o.Status.Live()) {
		err = portal.ErrNotFound
	}
	return o, err
}

func partyMeetingForm(r *http.Request, o registry.Organization, paths web.Paths) web.PartyMeetingFormView {
	a := accountFrom(r.Context())
	return web.PartyMeetingFormView{Page: web.NewPage("记录三会一课 · "+o.Name, a, paths.Orgs(), ""),
		OrgName: o.Name, OrgHref: paths.Org(o.ID), Action: paths.Org(o.ID) + "/party-meetings",
		Version: strconv.Itoa(o.Version), KindOptions: web.MeetingKindOptions("")}
}

func handlePartyMeetingNew(db partyMeetingStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		o, err := partyMeetingOrg(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := partyMeetingForm(r, o, paths)
		v.HeldOn.Value = time.Now().In(beijing).Format(dateLayout)
		rs.render(w, r, http.StatusOK, web.PartyMeetingFormPage(v))
	}
}

// handlePartyMeetingCreate records a meeting: 422 with the message at the field and the input kept, 409 when
// the group's record changed since the form was read (or no version came), or 303 to the record.
func handlePartyMeetingCreate(db partyMeetingStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		o, err := partyMeetingOrg(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		a := accountFrom(r.Context())
		f := newForm(r)
		version := f.version("version")
		if version < 0 {
			rs.conflict(w, r)
			return
		}
		in := registry.MeetingInput{Kind: f.raw("kind"), HeldOn: f.value("held_on"), Topic: f.value("topic"),
			Attendance: f.value("attendance")}
		m, problems := in.Parse(f.now)
		if problems.OK() {
			_, err = db.RecordPartyMeeting(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), o.ID, version, m)
			if errors.Is(err, registry.ErrNoPartyOrg) {
				problems.Add("kind", "该组织未建立党组织，不能记录三会一课")
			} else if err != nil {
				rs.fail(w, r, err)
				return
			}
		}
		if !problems.OK() {
			v := partyMeetingForm(r, o, paths)
			v.Version = strconv.Itoa(version)
			v.KindOptions = web.MeetingKindOptions(in.Kind)
			v.Kind = web.Field{Value: in.Kind, Problem: problems["kind"]}
			v.HeldOn = web.Field{Value: in.HeldOn, Problem: problems["held_on"]}
			v.Topic = web.Field{Value: in.Topic, Problem: problems["topic"]}
			v.Attendance = web.Field{Value: in.Attendance, Problem: problems["attendance"]}
			v.Problems = problems
			rs.render(w, r, http.StatusUnprocessableEntity, web.PartyMeetingFormPage(v))
			return
		}
		putFlash(r, "已记录"+m.Kind.Label()+"（"+web.Date(m.HeldOn)+"）。")
		redirect(w, r, paths.Org(o.ID)+"#party-meetings")
	}
}
