package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

// orgPageSize is the rows of one list page.
const orgPageSize = 50

// orgFilterDivisions gives the divisions a caller may filter a list by.
type orgFilterDivisions interface {
	DivisionsAtLevel(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error)
}

// orgLister is what a list page needs; every method takes the caller's scope.
type orgLister interface {
	orgFilterDivisions
	ListOrganizationsPage(ctx context.Context, scope portal.Scope, f registry.OrgFilter, after int64, limit int) (registry.OrgPage, error)
}

// orgExporter is what an export needs.
type orgExporter interface {
	orgFilterDivisions
	ExportOrganizations(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.OrgFilter, format string,
		fn func(registry.OrgListRow) error) (int, error)
}

// orgQuery is a list's filter read from the query string and checked against the caller's scope: the form
// as typed, the filter for the store, a message per refused value, and the divisions for the selects.
type orgQuery struct {
	form        web.OrgFilterForm
	filter      registry.OrgFilter
	problems    map[string]string
	towns       []portal.Division // nil: no town select
	communities []portal.Division // nil: no community select
}

// readOrgQuery checks every filter value. A division outside the caller's jurisdiction is a refused filter —
// 422 with a message, never an empty or a foreign list — and so is a word that is not on its list or a name
// term of one character, which the bigram index cannot serve and which would match half the registry.
func readOrgQuery(ctx context.Context, db orgFilterDivisions, a *portal.Account, q url.Values) (orgQuery, error) {
	oq := orgQuery{problems: map[string]string{}}
	f := &oq.form
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f.Tier.Value, f.LegalForm.Value, f.Field.Value = get("tier"), get("form"), get("field")
	f.Nature.Value, f.Status.Value, f.Party.Value = get("nature"), get("status"), get("party")
	f.Query.Value, f.Sort.Value = get("q"), get("sort")

	refuse := func(fl *web.Field, key, msg string) {
		fl.Problem = msg
		oq.problems[key] = msg
	}
	d, err := readDivisions(ctx, db, a.Scope(), q, oq.problems, false)
	if err != nil {
		return oq, err
	}
	f.Town, f.Community, oq.towns, oq.communities = d.Town, d.Community, d.Towns, d.Communities
	if a.Tier != portal.TierCommunity {
		oq.communities = nonNilDivisions(oq.communities)
	}

	if v := f.Tier.Value; v != "" && !registry.Tier(v).Valid() {
		refuse(&f.Tier, "tier", "请从列表中选择管理层级")
	}
	if v := f.LegalForm.Value; v != "" && !rules.LegalForm(v).Valid() {
		refuse(&f.LegalForm, "form", "请从列表中选择组织形式")
	}
	if v := f.Field.Value; v != "" && !slices.Contains(registry.Fields, v) {
		refuse(&f.Field, "field", "请从列表中选择服务领域")
	}
	if v := f.Nature.Value; v != "" && !slices.Contains(registry.Natures, v) {
		refuse(&f.Nature, "nature", "请从列表中选择性质")
	}
	if v := f.Status.Value; v != "" && !registry.Status(v).Valid() {
		refuse(&f.Status, "status", "请从列表中选择状态")
	}
	if v := f.Party.Value; v != "" && !slices.Contains(registry.PartyStatuses, v) {
		refuse(&f.Party, "party", "请从列表中选择党建情况")
	}
	if v := f.Sort.Value; v != "" && v != string(registry.SortName) {
		refuse(&f.Sort, "sort", "请从列表中选择排序方式")
	}
	switch n := utf8.RuneCountInString(f.Query.Value); {
	case n == 1:
		refuse(&f.Query, "q", "名称关键词至少需要 2 个字，如“养老”“舞蹈”")
	case n > 40:
		refuse(&f.Query, "q", "名称关键词不能超过 40 个字")
	}

	oq.filter = registry.OrgFilter{TownCode: f.Town.Value, CommunityCode: f.Community.Value,
		Tier: registry.Tier(f.Tier.Value), LegalForm: rules.LegalForm(f.LegalForm.Value), Field: f.Field.Value,
		Nature: f.Nature.Value, Status: registry.Status(f.Status.Value), Party: f.Party.Value, Query: f.Query.Value,
		Sort: registry.OrgSort(f.Sort.Value)}
	return oq, nil
}

// values is the filter as query parameters, for the page and export links; empty values are left out.
func (oq orgQuery) values() url.Values {
	v := url.Values{}
	f := oq.form
	for _, kv := range []struct{ k, v string }{{"town", f.Town.Value}, {"community", f.Community.Value},
		{"tier", f.Tier.Value}, {"form", f.LegalForm.Value}, {"field", f.Field.Value}, {"nature", f.Nature.Value},
		{"status", f.Status.Value}, {"party", f.Party.Value}, {"q", f.Query.Value}, {"sort", f.Sort.Value}} {
		if kv.v != "" {
			v.Set(kv.k, kv.v)
		}
	}
	return v
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

func (oq orgQuery) view(r *http.Request, a *portal.Account, base string) web.OrgListView {
	v := web.NewOrgListView(web.NewPage("社会组织", a, base, takeFlashCtx(r)), base, oq.form, oq.problems,
		oq.towns, oq.communities)
	if portal.Allowed(*a, portal.CreateOrg) {
		v.NewHref = base + "/new"
	}
	if portal.Allowed(*a, portal.ImportOrgs) {
		v.ImportHref = base + "/import"
	}
	return v
}

// handleOrgList is a tier's list of organizations: the filter, the total, and one keyset page newest first
// (or by name). The page after is asked for by the last id shown, so any page costs what the first does.
func handleOrgList(db orgLister, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Orgs()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		q := r.URL.Query()
		oq, err := readOrgQuery(r.Context(), db, a, q)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := oq.view(r, a, base)
		if len(oq.problems) > 0 {
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgListPage(v))
			return
		}
		after := readAfter(q)
		page, err := db.ListOrganizationsPage(r.Context(), a.Scope(), oq.filter, after, orgPageSize+1)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		rows := page.Rows
		// The kept counts give any total of a structural filter for free. A search's total would mean counting
		// its matches (a common word: 100k rows at 2 M organizations), so it is exact only when one page holds
		// every match, and otherwise says there are more than a page.
		var total registry.OrgCount
		switch {
		case page.Kept != nil:
			total = *page.Kept
		case after == 0 && len(rows) <= orgPageSize:
			total = registry.OrgCount{N: len(rows)}
		default:
			total = registry.OrgCount{N: orgPageSize, More: true}
		}
		vals := oq.values()
		if len(rows) > orgPageSize {
			rows = rows[:orgPageSize]
			next := url.Values{}
			for k, vs := range vals {
				next[k] = vs
			}
			next.Set("after", strconv.FormatInt(rows[len(rows)-1].ID, 10))
			v.NextHref = withQuery(base, next)
		}
		if after != 0 {
			v.FirstHref = withQuery(base, vals)
		}
		v.Total = web.OrgListTotal(total.N, total.More)
		v.Rows = rows
		v.ExportXLSX = withQuery(base+"/export.xlsx", vals)
		v.ExportCSV = withQuery(base+"/export.csv", vals)
		rs.render(w, r, http.StatusOK, web.OrgListPage(v))
	}
}

// handleOrgExport streams the list's rows, with the same filter and scope, as an xlsx workbook or a CSV file.
// Personal data is masked exactly as on the page, and every text cell is neutralised against formulas.
//
// The export is a GET: it changes no application state, and the one row it writes — the audit row that
// SECURITY.md 19 asks of every export — is a record of the request, not state of the registry.
func handleOrgExport(db orgExporter, paths web.Paths, format exportFormat, rs *responder) http.HandlerFunc {
	base := paths.Orgs()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		oq, err := readOrgQuery(r.Context(), db, a, r.URL.Query())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if len(oq.problems) > 0 {
			rs.render(w, r, http.StatusUnprocessableEntity, web.OrgListPage(oq.view(r, a, base)))
			return
		}
		streamTable(w, r, rs, a, format, "社会组织名录", "organizations", "社会组织", web.OrgExportHeader,
			func(table export.Table) error {
				cells := make([]any, 0, len(web.OrgExportHeader))
				_, err := db.ExportOrganizations(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())),
					oq.filter, string(format), func(o registry.OrgListRow) error {
						cells = web.OrgExportCells(o, cells)
						return table.Row(cells)
					})
				return err
			})
	}
}
