package server

// What the work lists (登记申请, 备案, 重大活动报告) share: town and community filters checked against the
// caller's jurisdiction, keyset page links, and export links that carry the list's filters.

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/a-h/templ"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/web"
)

// workListPageSize is the rows of one work-list page.
const workListPageSize = 50

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
