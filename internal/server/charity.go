package server

// 慈善组织认定: the district records that a registered group is recognized as a 慈善组织 (or that the
// recognition is revoked) with the date, the deciding body and the document; the record shows it to every tier
// that sees the group, and the district keeps a register of the decisions.

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/uploads"
	"github.com/yubei-cso/portal/web"
)

const charityUpload = "charity_file"

type charityReader interface {
	CharityRecognitions(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.CharityRecognition, error)
}

type charityStore interface {
	orgShower
	charityReader
	Charities(ctx context.Context, scope portal.Scope) ([]registry.CharityRecognition, error)
	CharityDocument(ctx context.Context, scope portal.Scope, orgID, docID int64) (registry.CharityRecognition, error)
	RecordCharity(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID int64, seen int, c registry.CharityRecognition, doc registry.NewDocument) (int64, error)
}

func (s *Server) charityRoutes(a area, paths web.Paths, up *uploads.Store) {
	a.post("/orgs/{id}/charity", portal.RecognizeCharity, handleCharityRecord(s.db, up, paths, s.resp))
	s.charityReadRoutes(a, paths, up)
}

// charityReadRoutes let every tier read the register of its groups' decisions and download the documents of the
// decisions about a group it sees.
func (s *Server) charityReadRoutes(a area, paths web.Paths, up *uploads.Store) {
	a.get("/charities", portal.ViewOrgs, handleCharities(s.db, paths, s.resp))
	a.get("/charities.xlsx", portal.ViewOrgs, handleCharitiesExport(s.db, s.resp))
	a.get("/orgs/{id}/charity/documents/{docID}", portal.ViewOrgs, handleCharityDocument(s.db, up, s.resp))
}

// charityOn adds the 慈善组织认定 section to the record of o: every tier that sees the group downloads the
// documents; the form is the district reviewers'.
func charityOn(ctx context.Context, db charityReader, a *portal.Account, paths web.Paths, v *web.OrgDetailView, o registry.Organization) error {
	cs, err := db.CharityRecognitions(ctx, a.Scope(), o.ID)
	if err != nil {
		return err
	}
	action := ""
	if portal.Allowed(*a, portal.RecognizeCharity) && o.Status.Live() {
		action = paths.OrgCharity(o.ID)
	}
	v.Charity = web.NewCharitySection(paths, o.Tier == registry.TierRegistered && o.Status.Live(), cs,
		portal.Can(a.Tier, portal.ViewOrgs), action)
	return nil
}

// handleCharityRecord records the next decision about a registered group with its document: bad input is 422 at
// the field with the input kept and no file kept; a stale or missing token (the decisions the page listed) 409.
func handleCharityRecord(db charityStore, up *uploads.Store, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseDocUpload(w, r, rs) {
			return
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck
		a := accountFrom(r.Context())
		v, o, err := orgDetail(r.Context(), db, a, base, r)
		if err == nil {
			err = orgLinks(r.Context(), db, a, paths, &v, o)
		}
		if err == nil {
			err = charityOn(r.Context(), db, a, paths, &v, o)
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if v.Charity.Form == nil {
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		seen := f.version("decisions")
		if seen != len(v.Charity.Rows) {
			rs.conflict(w, r)
			return
		}
		current := ""
		if len(v.Charity.Rows) > 0 {
			current = registry.CharityRecognized
			if v.Charity.Rows[0].Status == registry.CharityStatusLabel(registry.CharityRevoked) {
				current = registry.CharityRevoked
			}
		}
		in := registry.CharityInput{Status: f.value("charity_status"), DecidedOn: f.value("charity_on"),
			Body: f.value("charity_body"), Note: f.value("charity_note")}
		c, problems := in.Parse(current, f.now)
		for k, m := range problems {
			f.Problems.Add(k, m)
		}
		doc, stored, err := uploadedDocument(r, up, f, charityUpload, "认定文书")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if stored {
			_, err = db.RecordCharity(r.Context(), a.Scope(), actorOf(r, a), o.ID, seen, c, doc)
			if err == nil {
				putFlash(r, registry.CharityStatusLabel(c.Status)+"已记录。")
				redirect(w, r, paths.Org(o.ID)+"#org-charity")
				return
			}
			_ = up.Remove(doc.StorageKey)
			if errors.Is(err, registry.ErrNotRegistered) {
				err = portal.ErrNotFound
			}
			rs.fail(w, r, err)
			return
		}
		form := v.Charity.Form
		v.Problems = f.Problems
		form.Status.Problem = f.Problems["charity_status"]
		form.On = web.Field{Value: in.DecidedOn, Problem: f.Problems["charity_on"]}
		form.Body = web.Field{Value: in.Body, Problem: f.Problems["charity_body"]}
		form.Note = web.Field{Value: in.Note, Problem: f.Problems["charity_note"]}
		form.File.Problem = f.Problems[charityUpload]
		rs.render(w, r, http.StatusUnprocessableEntity, web.OrgDetailPage(v))
	}
}

func handleCharities(db charityStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		cs, err := db.Charities(r.Context(), a.Scope())
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.CharitiesPage(web.NewCharitiesView(web.NewPage("慈善组织认定", a, paths.Orgs(), ""), paths, cs)))
	}
}

// handleCharityDocument sends a decision's document as an attachment to a tier that sees the group; a group
// outside the caller's jurisdiction, or another id, is 404.
func handleCharityDocument(db charityStore, up *uploads.Store, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok1 := pathID(r, "id")
		docID, ok2 := pathID(r, "docID")
		if !ok1 || !ok2 {
			rs.notFound(w, r)
			return
		}
		d, err := db.CharityDocument(r.Context(), accountFrom(r.Context()).Scope(), id, docID)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if err := up.Serve(w, r, uploads.File{Key: d.StorageKey, Filename: d.Filename, ContentType: d.ContentType}); err != nil {
			rs.serverError(w, r, err)
		}
	}
}

type charitiesExporter interface {
	auditor
	Charities(ctx context.Context, scope portal.Scope) ([]registry.CharityRecognition, error)
}

// handleCharitiesExport is the register the caller's page lists, as a titled spreadsheet.
func handleCharitiesExport(db charitiesExporter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		cs, err := db.Charities(r.Context(), a.Scope())
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		now := time.Now()
		title := exportTitle(a.DivisionName+"慈善组织认定名册", a.DivisionName+"，有认定记录的社会组织（每个组织最近一次决定）",
			"截至 "+web.Date(now), "个（每行一个组织）", now)
		streamTitledTable(w, r, rs, a, exportXLSX, "慈善组织认定", "charities", "慈善组织认定", title, web.CharityExportHeader, func(t export.Table) error {
			for _, c := range cs {
				if err := t.Row(web.CharityExportCells(c)); err != nil {
					return err
				}
			}
			return auditListExport(r, db, a, "charity.export", "organization", "charities", len(cs))
		})
	}
}
