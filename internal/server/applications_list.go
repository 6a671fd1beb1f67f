package server

// The list of registration applications (登记申请) and its export: filtered by town, community and state inside
// the caller's jurisdiction, newest first, one keyset page at a time.

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type applicationLister interface {
	orgFilterDivisions
	Applications(ctx context.Context, scope portal.Scope, f registry.ApplicationFilter) ([]registry.Application, error)
	CountApplications(ctx context.Context, scope portal.Scope, f registry.ApplicationFilter) (registry.ListTotal, error)
}

type applicationExporter interface {
	orgFilterDivisions
	ExportApplications(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.ApplicationFilter,
		format string, fn func(registry.Application) error) (int, error)
}

// readApplicationQuery reads the list's filter into the page (as typed, with a message per refused value) and
// the store's filter, and gives the filter as query parameters for the page and export links.
func readApplicationQuery(r *http.Request, db orgFilterDivisions, a *portal.Account, base string) (web.ApplicationsView, registry.ApplicationFilter, url.Values, error) {
	heading := "登记申请"
	if a.Tier == portal.TierDistrict {
		heading = "登记申请审查"
	}
	list := base + "/applications"
	v := web.ApplicationsView{Page: web.NewPage(heading, a, list, takeFlashCtx(r)), Base: list, Heading: heading,
		CanCreate: portal.Allowed(*a, portal.SubmitApplications), Problems: map[string]string{}}
	q := r.URL.Query()
	var f registry.ApplicationFilter
	var err error
	v.Divisions, f.Town, f.Community, err = readDivisionFilter(r.Context(), db, a, q, v.Problems)
	if err != nil {
		return v, f, nil, err
	}
	v.Status.Value = strings.TrimSpace(q.Get("status"))
	if s := registry.ApplicationStatus(v.Status.Value); s.Valid() {
		f.Status = s
	} else if v.Status.Value != "" {
		v.Status.Problem = "请从列表中选择状态"
		v.Problems["status"] = v.Status.Problem
	}
	v.StatusOptions = web.ApplicationStatusOptions(f.Status)
	vals := filterValues("town", v.Divisions.Town.Value, "community", v.Divisions.Community.Value,
		"status", v.Status.Value)
	return v, f, vals, nil
}

// handleApplicationList is a tier's applications, newest first: the district's review queue (filter 待受理 to
// work it), or a town's or committee's own. A filter outside the caller's jurisdiction is 422, never a list.
func handleApplicationList(db applicationLister, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, f, vals, err := readApplicationQuery(r, db, a, base)
		if queryRefused(w, r, rs, err, v.Problems, web.ApplicationsPage(v)) {
			return
		}
		after := readAfter(r.URL.Query())
		f.After, f.Limit = after, workListPageSize+1
		apps, err := db.Applications(r.Context(), a.Scope(), f)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		total, err := db.CountApplications(r.Context(), a.Scope(), f)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		apps, v.Paging = pageRows(apps, func(a registry.Application) int64 { return a.ID }, v.Base, v.Base, vals, after)
		v.Paging.Total = web.ListTotal(total.N, total.More, "件申请")
		for _, app := range apps {
			v.Rows = append(v.Rows, web.NewApplicationRow(app, v.Base))
		}
		rs.render(w, r, http.StatusOK, web.ApplicationsPage(v))
	}
}

// handleApplicationExport streams the list's applications, with the same filter and scope, as an xlsx workbook
// or a CSV file: leader phone and 身份证号 masked as on the pages, every text cell neutralised against formulas,
// and one audit row however the download ends. Like the organization export it is a GET: the audit row records
// the request and changes nothing of the registry.
func handleApplicationExport(db applicationExporter, paths web.Paths, format exportFormat, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, f, _, err := readApplicationQuery(r, db, a, base)
		if queryRefused(w, r, rs, err, v.Problems, web.ApplicationsPage(v)) {
			return
		}
		streamRecords(w, r, rs, a, format, "登记申请", "applications", web.ApplicationExportHeader,
			web.ApplicationExportCells, func(fn func(registry.Application) error) error {
				_, err := db.ExportApplications(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())),
					f, string(format), fn)
				return err
			})
	}
}
