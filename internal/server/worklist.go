package server

// What the work lists (登记申请, 备案, 重大活动报告) share: town and community filters checked against the
// caller's jurisdiction, keyset page links, and export links that carry the list's filters.

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/web"
)

// workListPageSize is the rows of one work-list page.
const workListPageSize = 50

// readDivisionFilter reads a work list's town and community filters and checks them against the caller's
// jurisdiction: the district may name any of its towns and a community of it, a town only its own communities,
// a committee only itself. A refused value gets its message in problems (the page answers 422) and is never
// passed to the store; the codes returned are "" or inside the scope. The selects offer what the tier may
// choose: the district's community select lists one town's communities, never a whole district's.
func readDivisionFilter(ctx context.Context, db orgFilterDivisions, a *portal.Account, q url.Values, problems map[string]string) (web.DivisionFilter, string, string, error) {
	scope := a.Scope()
	var d web.DivisionFilter
	d.Town.Value, d.Community.Value = strings.TrimSpace(q.Get("town")), strings.TrimSpace(q.Get("community"))
	refuse := func(f *web.Field, key, msg string) {
		f.Problem = msg
		problems[key] = msg
	}
	var communities []portal.Division
	switch scope.Tier {
	case portal.TierDistrict:
		towns, err := db.DivisionsAtLevel(ctx, scope, portal.TierTown)
		if err != nil {
			return d, "", "", err
		}
		d.TownOptions = filterDivisionOptions(towns, d.Town.Value)
		townOfCommunities := ""
		switch c := d.Community.Value; {
		case d.Town.Value != "" && !hasDivision(towns, d.Town.Value):
			refuse(&d.Town, "town", "所选镇街不在您的管辖范围内，请从列表中选择")
		case d.Town.Value != "":
			townOfCommunities = d.Town.Value
		case len(c) == 12 && hasDivision(towns, c[:9]):
			townOfCommunities = c[:9]
		}
		if townOfCommunities != "" {
			communities, err = db.DivisionsAtLevel(ctx, portal.Scope{Tier: portal.TierTown, Division: townOfCommunities},
				portal.TierCommunity)
			if err != nil {
				return d, "", "", err
			}
			d.CommunityOptions = filterDivisionOptions(communities, d.Community.Value)
		}
	case portal.TierTown:
		if d.Town.Value != "" && d.Town.Value != scope.Division {
			refuse(&d.Town, "town", "所选镇街不在您的管辖范围内")
		}
		var err error
		if communities, err = db.DivisionsAtLevel(ctx, scope, portal.TierCommunity); err != nil {
			return d, "", "", err
		}
		d.CommunityOptions = filterDivisionOptions(communities, d.Community.Value)
	default:
		if d.Town.Value != "" && d.Town.Value != scope.Division[:min(9, len(scope.Division))] {
			refuse(&d.Town, "town", "所选镇街不在您的管辖范围内")
		}
		if d.Community.Value != "" && d.Community.Value != scope.Division {
			refuse(&d.Community, "community", "所选社区(村)不在您的管辖范围内")
		}
		return d, d.Town.Value, d.Community.Value, nil
	}
	if d.Community.Value != "" && !hasDivision(communities, d.Community.Value) {
		msg := "所选社区(村)不在您的管辖范围内，请从列表中选择"
		if d.Town.Value != "" && !d.Town.Bad() {
			msg = "所选社区(村)不属于所选镇街"
		}
		refuse(&d.Community, "community", msg)
	}
	if d.Town.Bad() || d.Community.Bad() {
		return d, "", "", nil
	}
	return d, d.Town.Value, d.Community.Value, nil
}

// filterDivisionOptions is a division select with 全部 first and selected marked.
func filterDivisionOptions(ds []portal.Division, selected string) []web.Option {
	out := []web.Option{{Value: "", Label: "全部", Selected: selected == ""}}
	for _, d := range ds {
		out = append(out, web.Option{Value: d.Code, Label: d.Name, Selected: d.Code == selected})
	}
	return out
}

// filterValues is a list's filter as query parameters, from key, value pairs; empty values are left out.
func filterValues(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v
}

// readAfter is a page link's keyset cursor: the last id of the page before, 0 for the first page.
func readAfter(q url.Values) int64 {
	if n, ok := parseID(q.Get("after")); ok {
		return n
	}
	return 0
}

// pageRows trims rows, read with one more than a page holds, to one page, and gives the links around it: the
// next page (after the last id shown) while there are more rows, the first page on any later one, and the
// exports under exportBase; every link keeps the filter vals.
func pageRows[T any](rows []T, id func(T) int64, list, exportBase string, vals url.Values, after int64) ([]T, web.ListPaging) {
	p := web.ListPaging{ExportXLSX: withQuery(exportBase+"/export.xlsx", vals),
		ExportCSV: withQuery(exportBase+"/export.csv", vals)}
	if len(rows) > workListPageSize {
		rows = rows[:workListPageSize]
		next := url.Values{}
		for k, v := range vals {
			next[k] = v
		}
		next.Set("after", strconv.FormatInt(id(rows[len(rows)-1]), 10))
		p.NextHref = withQuery(list, next)
	}
	if after != 0 {
		p.FirstHref = withQuery(list, vals)
	}
	return rows, p
}

// queryRefused answers a work list's request whose filter could not be read (500) or was refused (422 with
// page, which shows the message at each refused filter) and reports whether it did.
func queryRefused(w http.ResponseWriter, r *http.Request, rs *responder, err error, problems map[string]string, page templ.Component) bool {
	switch {
	case err != nil:
		rs.serverError(w, r, err)
	case len(problems) > 0:
		rs.render(w, r, http.StatusUnprocessableEntity, page)
	default:
		return false
	}
	return true
}

// streamRecords sends a work list's export through streamTable: read reads the records (scoped, filtered and
// audited by the store) and hands each to the function it is given, which writes it as one row of cells.
func streamRecords[R any](w http.ResponseWriter, r *http.Request, rs *responder, a *portal.Account, format exportFormat,
	title, asciiName string, header []string, cells func(R, []any) []any, read func(fn func(R) error) error) {
	streamTable(w, r, rs, a, format, title, asciiName, title, header, func(table export.Table) error {
		row := make([]any, 0, len(header))
		return read(func(rec R) error {
			row = cells(rec, row)
			return table.Row(row)
		})
	})
}
