package server

// Corrections (更正) of a published 通知公告 / 政策文件 (by its publisher) and of a published 典型案例 (by the
// district): a form filled with the published text, posted with the version it was built from. The earlier text
// is kept and listed on the staff page; the public page says 更新于.

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// announcementCorrectionRoutes mounts the 更正 of a published notice or policy.
func (s *Server) announcementCorrectionRoutes(a area, paths web.Paths) {
	a.get("/announcements/{id}/edit", portal.PublishAnnouncements, handleAnnouncementCorrectForm(s.db, paths, s.resp))
	a.post("/announcements/{id}/edit", portal.PublishAnnouncements, handleAnnouncementCorrect(s.db, paths, s.resp))
}

// caseCorrectionRoutes mounts the district's 更正 of a published case.
func (s *Server) caseCorrectionRoutes(a area, paths web.Paths) {
	if portal.Can(a.tier, portal.DecideCases) {
		a.get("/cases/{id}/correct", portal.DecideCases, handleCaseCorrectForm(s.db, paths, s.resp))
		a.post("/cases/{id}/correct", portal.DecideCases, handleCaseCorrect(s.db, paths, s.resp))
	}
}

// correctableAnnouncement reads a published notice or policy the caller published; another division's is not
// found, a withdrawn one a conflict.
func correctableAnnouncement(r *http.Request, db announcementReader) (registry.Announcement, error) {
	a := accountFrom(r.Context())
	id, ok := pathID(r, "id")
	if !ok {
		return registry.Announcement{}, portal.ErrNotFound
	}
	x, err := db.Announcement(r.Context(), a.Scope(), id)
	switch {
	case err != nil:
		return x, err
	case x.AuthorCode != a.Scope().Division:
		return x, portal.ErrNotFound
	case x.Withdrawn:
		return x, portal.ErrConflict
	}
	return x, nil
}

func announcementHref(paths web.Paths, id int64) string {
	return paths.Root() + "/announcements/" + strconv.FormatInt(id, 10)
}

func handleAnnouncementCorrectForm(db announcementReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		x, err := correctableAnnouncement(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		href := announcementHref(paths, x.ID)
		p := web.NewPage("更正 · "+x.Title, accountFrom(r.Context()), paths.Root()+"/announcements", "")
		rs.render(w, r, http.StatusOK, web.CorrectionFormPage(web.NewAnnouncementCorrection(p, x, href)))
	}
}

type announcementCorrector interface {
	announcementReader
	CorrectAnnouncement(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.AnnouncementInput, note string) error
}

// handleAnnouncementCorrect saves a 更正: a stale or missing version is 409, bad input 422 with the input kept.
func handleAnnouncementCorrect(db announcementCorrector, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 2<<20)
		a := accountFrom(r.Context())
		x, err := correctableAnnouncement(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		version := f.version("version")
		if version != x.Version {
			rs.conflict(w, r)
			return
		}
		href := announcementHref(paths, x.ID)
		in := registry.AnnouncementInput{Kind: x.Kind, Title: f.value("title"), DocNo: f.value("doc_no"),
			Body: strings.TrimSpace(f.raw("body"))}
		note := f.value("note")
		p := in.Validate()
		registry.CheckCorrectionNote(p, note)
		if !p.OK() {
			v := web.NewAnnouncementCorrection(web.NewPage("更正 · "+x.Title, a, paths.Root()+"/announcements", ""), x, href)
			v.Title.Value, v.Sub.Value, v.Body.Value, v.Note.Value = in.Title, in.DocNo, in.Body, note
			v.SetProblems(p)
			rs.render(w, r, http.StatusUnprocessableEntity, web.CorrectionFormPage(v))
			return
		}
		if err := db.CorrectAnnouncement(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), x.ID, version, in, note); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "“"+in.Title+"”已更正，公开网站显示更正后的内容。")
		redirect(w, r, href)
	}
}

// correctableCase reads a published case inside the district's scope; any other state is a conflict.
func correctableCase(r *http.Request, db caseEditor) (registry.Case, error) {
	a := accountFrom(r.Context())
	id, ok := pathID(r, "id")
	if !ok {
		return registry.Case{}, portal.ErrNotFound
	}
	c, err := db.Case(r.Context(), a.Scope(), id)
	if err == nil && c.Status != registry.CasePublished {
		err = portal.ErrConflict
	}
	return c, err
}

func caseHref(paths web.Paths, id int64) string {
	return paths.Root() + "/cases/" + strconv.FormatInt(id, 10)
}

func handleCaseCorrectForm(db caseEditor, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := correctableCase(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		p := web.NewPage("更正 · "+c.Title, accountFrom(r.Context()), paths.Root()+"/cases", "")
		rs.render(w, r, http.StatusOK, web.CorrectionFormPage(web.NewCaseCorrection(p, c, caseHref(paths, c.ID))))
	}
}

type caseCorrector interface {
	caseEditor
	CorrectCase(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.CaseInput, note string) error
}

// handleCaseCorrect saves the district's 更正 of a published case.
func handleCaseCorrect(db caseCorrector, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
		a := accountFrom(r.Context())
		c, err := correctableCase(r, db)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		version := f.version("version")
		if version != c.Version {
			rs.conflict(w, r)
			return
		}
		in := registry.CaseInput{OrgID: c.OrgID, Title: f.value("title"), Series: f.value("series"),
			Story: strings.TrimSpace(f.raw("story"))}
		note := f.value("note")
		p := in.Validate()
		registry.CheckCorrectionNote(p, note)
		if !p.OK() {
			v := web.NewCaseCorrection(web.NewPage("更正 · "+c.Title, a, paths.Root()+"/cases", ""), c, caseHref(paths, c.ID))
			v.Title.Value, v.Sub.Value, v.Body.Value, v.Note.Value = in.Title, in.Series, in.Story, note
			v.SetProblems(p)
			rs.render(w, r, http.StatusUnprocessableEntity, web.CorrectionFormPage(v))
			return
		}
		if err := db.CorrectCase(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), c.ID, version, in, note); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "典型案例“"+in.Title+"”已更正，公开页面显示更正后的内容。")
		redirect(w, r, caseHref(paths, c.ID))
	}
}

// announcementCorrections is the 更正 part of a notice's staff page: the link when mine may correct it, and
// the earlier versions.
func announcementCorrections(ctx context.Context, db announcementReader, scope portal.Scope, x registry.Announcement, mine bool, href string) (web.CorrectionsView, error) {
	rs, err := db.AnnouncementRevisions(ctx, scope, x.ID)
	if !mine {
		href = ""
	} else {
		href += "/edit"
	}
	return web.NewCorrections(href, "文号", rs), err
}

// caseCorrections is the 更正 part of a case's staff page: the link for the district while published, and the
// earlier versions.
func caseCorrections(ctx context.Context, db caseReader, scope portal.Scope, c registry.Case, decider bool, href string) (web.CorrectionsView, error) {
	rs, err := db.CaseRevisions(ctx, scope, c.ID)
	if !decider {
		href = ""
	} else {
		href += "/correct"
	}
	return web.NewCorrections(href, "主题系列", rs), err
}
