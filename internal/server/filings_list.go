package server

// The list of filings (备案) and its export: filtered by town, community, kind and state inside the caller's
// jurisdiction, newest first, one keyset page at a time.

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type filingLister interface {
	orgFilterDivisions
	Filings(ctx context.Context, scope portal.Scope, f registry.FilingFilter) ([]registry.Filing, error)
	CountFilings(ctx context.Context, scope portal.Scope, f registry.FilingFilter) (registry.ListTotal, error)
}

type filingExporter interface {
	orgFilterDivisions
	ExportFilings(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.FilingFilter,
		format string, fn func(registry.Filing) error) (int, error)
}

var filingStatuses = []registry.FilingStatus{registry.FilingSubmitted, registry.FilingApproved, registry.FilingReturned}

// readFilingQuery reads the list's filter into the page (as typed, with a message per refused value) and the
// store's filter, and gives the filter as query parameters for the page and export links.
func readFilingQuery(r *http.Request, db orgFilterDivisions, a *portal.Account, base string, canFile bool) (web.FilingsView, registry.FilingFilter, url.Values, error) {
	v := web.FilingsView{Page: web.NewPage("备案管理", a, base, takeFlashCtx(r)), Base: base, CanFile: canFile,
		ShowTown: a.Tier == portal.TierDistrict, Problems: map[string]string{}}
	q := r.URL.Query()
	var f registry.FilingFilter
	var err error
	v.Divisions, f.Town, f.Community, err = readDivisionFilter(r.Context(), db, a, q, v.Problems)
	if err != nil {
		return v, f, nil, err
	}
	v.Status.Value, v.Kind.Value = strings.TrimSpace(q.Get("status")), strings.TrimSpace(q.Get("kind"))
	if s := registry.FilingStatus(v.Status.Value); slices.Contains(filingStatuses, s) {
		f.Status = s
	} else if v.Status.Value != "" {
		v.Status.Problem = "请从列表中选择状态"
		v.Problems["status"] = v.Status.Problem
	}
	if k := registry.FilingKind(v.Kind.Value); slices.Contains(web.FilingKinds, k) {
		f.Kind = k
	} else if v.Kind.Value != "" {
		v.Kind.Problem = "请从列表中选择备案类型"
		v.Problems["kind"] = v.Kind.Problem
	}
	v.StatusOptions, v.KindOptions = web.FilingStatusOptions(f.Status), web.FilingKindOptions(f.Kind)
	vals := filterValues("town", v.Divisions.Town.Value, "community", v.Divisions.Community.Value,
		"kind", v.Kind.Value, "status", v.Status.Value)
	return v, f, vals, nil
}

// handleFilingList is a town's filings (or, read-only, the district's), newest first. A filter outside the
// caller's jurisdiction is 422, never a list.
func handleFilingList(db filingLister, paths web.Paths, canFile bool, rs *responder) http.HandlerFunc {
	base := paths.Filings()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, f, vals, err := readFilingQuery(r, db, a, base, canFile)
		if queryRefused(w, r, rs, err, v.Problems, web.FilingsPage(v)) {
			return
		}
		after := readAfter(r.URL.Query())
		f.After, f.Limit = after, workListPageSize+1
		filings, err := db.Filings(r.Context(), a.Scope(), f)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		total, err := db.CountFilings(r.Context(), a.Scope(), f)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		filings, v.Paging = pageRows(filings, func(f registry.Filing) int64 { return f.ID }, base, base, vals, after)
		v.Paging.Total = web.ListTotal(total.N, total.More, "件备案")
		for _, fl := range filings {
			v.Rows = append(v.Rows, web.NewFilingRow(fl, base))
		}
		rs.render(w, r, http.StatusOK, web.FilingsPage(v))
	}
}

// handleFilingExport streams the list's filings, with the same filter and scope, as an xlsx workbook or a CSV
// file: leader phone and 身份证号 masked as on the pages, every text cell neutralised against formulas, and one
// audit row however the download ends.
func handleFilingExport(db filingExporter, paths web.Paths, format exportFormat, rs *responder) http.HandlerFunc {
	base := paths.Filings()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, f, _, err := readFilingQuery(r, db, a, base, portal.Allowed(*a, portal.SubmitFilings))
		if queryRefused(w, r, rs, err, v.Problems, web.FilingsPage(v)) {
			return
		}
		streamRecords(w, r, rs, a, format, "备案记录", "filings", web.FilingExportHeader, web.FilingExportCells,
			func(fn func(registry.Filing) error) error {
				_, err := db.ExportFilings(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), f,
					string(format), fn)
				return err
			})
	}
}
