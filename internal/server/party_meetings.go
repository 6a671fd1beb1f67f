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
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

type partyMeetingReader interface {
	PartyMeetings(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.PartyMeeting, error)
}

type partyMeetingStore interface {
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
	RecordPartyMeeting(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID int64, orgVersion int, m registry.PartyMeeting) (int64, error)
	// issue 17: corrections keep the version they replace
	PartyMeeting(ctx context.Context, scope portal.Scope, orgID, id int64) (registry.PartyMeeting, error)
	PartyMeetingRevisions(ctx context.Context, scope portal.Scope, id int64) ([]registry.PartyMeetingRevision, error)
	CorrectPartyMeeting(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID, id int64, version int, m registry.PartyMeeting, reason string) error
}

func (s *Server) partyMeetingRoutes(a area, paths web.Paths) {
	a.get("/orgs/{id}/party-meetings/new", portal.RecordPartyMeetings, handlePartyMeetingNew(s.db, paths, s.resp))
	a.post("/orgs/{id}/party-meetings", portal.RecordPartyMeetings, handlePartyMeetingCreate(s.db, paths, s.resp))
	a.get("/orgs/{id}/party-meetings/{mid}", portal.RecordPartyMeetings, handlePartyMeetingCorrection(s.db, paths, s.resp))
	a.post("/orgs/{id}/party-meetings/{mid}", portal.RecordPartyMeetings, handlePartyMeetingCorrect(s.db, paths, s.resp))
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
			meetingFields(&v, in, problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.PartyMeetingFormPage(v))
			return
		}
		putFlash(r, "已记录"+m.Kind.Label()+"（"+web.Date(m.HeldOn)+"）。")
		redirect(w, r, paths.Org(o.ID)+"#party-meetings")
	}
}

// partyMeetingCorrectionForm is the correction form of meeting m of group o, filled with what the clerk typed
// (in) or, for a fresh form, with the meeting as kept; the replaced versions are listed below it.
func partyMeetingCorrectionForm(r *http.Request, db partyMeetingStore, o registry.Organization, m registry.PartyMeeting, paths web.Paths, in registry.MeetingInput, reason string) (web.PartyMeetingFormView, error) {
	revisions, err := db.PartyMeetingRevisions(r.Context(), accountFrom(r.Context()).Scope(), m.ID)
	if err != nil {
		return web.PartyMeetingFormView{}, err
	}
	v := partyMeetingForm(r, o, paths)
	v.Page.Title = "更正三会一课 · " + o.Name
	v.Action = paths.Org(o.ID) + "/party-meetings/" + strconv.FormatInt(m.ID, 10)
	v.Version = strconv.Itoa(m.Version)
	v.Correcting = true
	meetingFields(&v, in, nil)
	v.Reason.Value = reason
	v.Revisions = web.NewPartyMeetingRevisionRows(revisions)
	return v, nil
}

// partyMeetingOf reads the group and the meeting of the path; either missing or outside scope is 404.
func partyMeetingOf(r *http.Request, db partyMeetingStore) (registry.Organization, registry.PartyMeeting, error) {
	o, err := partyMeetingOrg(r, db)
	if err != nil {
		return o, registry.PartyMeeting{}, err
	}
	id, ok := parseID(chi.URLParam(r, "mid"))
	if !ok {
		return o, registry.PartyMeeting{}, portal.ErrNotFound
	}
	m, err := db.PartyMeeting(r.Context(), accountFrom(r.Context()).Scope(), o.ID, id)
	return o, m, err
}

func handlePartyMeetingCorrection(db partyMeetingStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		o, m, err := partyMeetingOf(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		in := registry.MeetingInput{Kind: string(m.Kind), HeldOn: m.HeldOn.Format(dateLayout), Topic: m.Topic,
			Attendance: strconv.Itoa(m.Attendance)}
		v, err := partyMeetingCorrectionForm(r, db, o, m, paths, in, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.PartyMeetingFormPage(v))
	}
}

// handlePartyMeetingCorrect corrects a meeting: 422 with the message at the field and the input kept, 409 when
// the meeting was corrected since the form was read (or no version came), or 303 to the record.
func handlePartyMeetingCorrect(db partyMeetingStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		o, m, err := partyMeetingOf(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		a := accountFrom(r.Context())
		f := newForm(r)
		version := f.version("version")
		if version != m.Version {
			rs.conflict(w, r)
			return
		}
		in := registry.MeetingInput{Kind: f.raw("kind"), HeldOn: f.value("held_on"), Topic: f.value("topic"),
			Attendance: f.value("attendance")}
		reason := f.value("reason")
		corrected, problems := in.Parse(f.now)
		if p := registry.CorrectionReasonProblem(reason); p != "" {
			problems.Add("reason", p)
		}
		if problems.OK() {
			err = db.CorrectPartyMeeting(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), o.ID, m.ID, version, corrected, reason)
			if errors.Is(err, registry.ErrNoPartyOrg) {
				problems.Add("kind", "该组织未建立党组织，不能更正三会一课")
			} else if err != nil {
				rs.fail(w, r, err)
				return
			}
		}
		if !problems.OK() {
			v, err := partyMeetingCorrectionForm(r, db, o, m, paths, in, reason)
			if err != nil {
				rs.fail(w, r, err)
				return
			}
			meetingFields(&v, in, problems)
			v.Reason.Problem = problems["reason"]
			rs.render(w, r, http.StatusUnprocessableEntity, web.PartyMeetingFormPage(v))
			return
		}
		putFlash(r, "已更正"+corrected.Kind.Label()+"（"+web.Date(corrected.HeldOn)+"），原记录已作为历史版本保留。")
		redirect(w, r, paths.Org(o.ID)+"#party-meetings")
	}
}

// meetingFields fills the form's fields with the meeting as typed and each field's problem.
func meetingFields(v *web.PartyMeetingFormView, in registry.MeetingInput, problems rules.Problems) {
	v.KindOptions = web.MeetingKindOptions(in.Kind)
	v.Kind = web.Field{Value: in.Kind, Problem: problems["kind"]}
	v.HeldOn = web.Field{Value: in.HeldOn, Problem: problems["held_on"]}
	v.Topic = web.Field{Value: in.Topic, Problem: problems["topic"]}
	v.Attendance = web.Field{Value: in.Attendance, Problem: problems["attendance"]}
	v.Problems = problems
}
