package server

// The list of major-activity notices (重大活动报告) and its export: filtered by town, community, kind, state and
// period inside the caller's jurisdiction, the latest reported first, one keyset page at a time. A committee's
// list is at /community/notices, the district's at /district/notices; a town's is /town/notices/list, beside its
// calendar.

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type noticeLister interface {
	orgFilterDivisions
	Notices(ctx context.Context, scope portal.Scope, f registry.NoticeFilter) ([]registry.Notice, error)
	CountNotices(ctx context.Context, scope portal.Scope, f registry.NoticeFilter) (registry.ListTotal, error)
}

type noticeExporter interface {
	orgFilterDivisions
	ExportNotices(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.NoticeFilter,
		format string, fn func(registry.Notice) error) (int, error)
}

// noticeListPath is the tier's list page: the town's /notices is its calendar.
func noticeListPath(base string, tier portal.Tier) string {
	if tier == portal.TierTown {
		return base + "/notices/list"
	}
	return base + "/notices"
}

// readNoticeQuery reads the list's filter into the page (as typed, with a message per refused value) and the
// store's filter, and gives the filter as query parameters for the page and export links.
func readNoticeQuery(r *http.Request, db orgFilterDivisions, a *portal.Account, base string) (web.NoticeListView, registry.NoticeFilter, url.Values, error) {
	q := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	list := noticeListPath(base, a.Tier)
	heading := "重大活动报告"
	switch a.Tier {
	case portal.TierDistrict:
		heading = "重大活动报告（全区）"
	case portal.TierTown:
		heading = "重大活动报告（全部）"
	}
	v := web.NoticeListView{Page: web.NewPage(heading, a, base+"/notices", takeFlashCtx(r)), Heading: heading,
		Base: list, CanCreate: portal.Allowed(*a, portal.SubmitNotices), ShowTown: a.Tier != portal.TierCommunity,
		Problems: map[string]string{}}
	if a.Tier == portal.TierTown {
		v.CalendarHref = base + "/notices"
	}
	var f registry.NoticeFilter
	fl := &v.Filter
	var err error
	if fl.Divisions, f.Town, f.Community, err = readDivisionFilter(r.Context(), db, a, q, v.Problems); err != nil {
		return v, f, nil, err
	}
	refuse := func(field *web.Field, key, msg string) {
		field.Problem = msg
		v.Problems[key] = msg
	}
	fl.Kind.Value, fl.Status.Value, fl.From.Value, fl.To.Value = get("kind"), get("status"), get("from"), get("to")
	if slices.Contains(registry.NoticeKinds, fl.Kind.Value) {
		f.Kind = fl.Kind.Value
	} else if fl.Kind.Value != "" {
		refuse(&fl.Kind, "kind", "请从列表中选择活动类别")
	}
	if s := registry.NoticeStatus(fl.Status.Value); s.Valid() {
		f.Status = s
	} else if fl.Status.Value != "" {
		refuse(&fl.Status, "status", "请从列表中选择状态")
	}
	fl.KindOptions, fl.StatusOptions = web.NoticeKindOptions(f.Kind), web.NoticeStatusOptions(f.Status)
	if fl.From.Value != "" {
		if t, err := time.ParseInLocation(noticeDateLayout, fl.From.Value, beijing); err == nil {
			f.From = &t
		} else {
			refuse(&fl.From, "from", "起始日期格式应为 2021-07-21")
		}
	}
	if fl.To.Value != "" {
		if t, err := time.ParseInLocation(noticeDateLayout, fl.To.Value, beijing); err == nil {
			end := t.AddDate(0, 0, 1) // the whole of the last day
			f.To = &end
		} else {
			refuse(&fl.To, "to", "截止日期格式应为 2021-07-21")
		}
	}
	if f.From != nil && f.To != nil && !f.To.After(*f.From) {
		refuse(&fl.To, "to", "截止日期不能早于起始日期")
	}
	vals := filterValues("town", fl.Divisions.Town.Value, "community", fl.Divisions.Community.Value,
		"kind", fl.Kind.Value, "status", fl.Status.Value, "from", fl.From.Value, "to", fl.To.Value)
	return v, f, vals, nil
}

// handleNoticeList is a committee's own notices, a town's, or the district's read-only list. A filter outside
// the caller's jurisdiction, or a value not on its list, is 422 with the message at the filter, never a list.
func handleNoticeList(db noticeLister, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, f, vals, err := readNoticeQuery(r, db, a, base)
		if queryRefused(w, r, rs, err, v.Problems, web.NoticeListPage(v)) {
			return
		}
		after := readAfter(r.URL.Query())
		f.After, f.Limit = after, workListPageSize+1
		notices, err := db.Notices(r.Context(), a.Scope(), f)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		total, err := db.CountNotices(r.Context(), a.Scope(), f)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		notices, v.Paging = pageRows(notices, func(n registry.Notice) int64 { return n.ID }, v.Base, base+"/notices",
			vals, after)
		v.Paging.Total = web.ListTotal(total.N, total.More, "件报告")
		now := time.Now()
		for _, n := range notices {
			v.Rows = append(v.Rows, web.NewNoticeRow(n, base, now))
		}
		rs.render(w, r, http.StatusOK, web.NoticeListPage(v))
	}
}

// handleNoticeExport streams the list's notices, with the same filter and scope, as an xlsx workbook or a CSV
// file: the contact's phone masked as on the pages, every text cell neutralised against formulas, and one
// audit row however the download ends.
func handleNoticeExport(db noticeExporter, paths web.Paths, format exportFormat, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, f, _, err := readNoticeQuery(r, db, a, base)
		if queryRefused(w, r, rs, err, v.Problems, web.NoticeListPage(v)) {
			return
		}
		streamRecords(w, r, rs, a, format, "重大活动报告", "major-activities", web.NoticeExportHeader,
			web.NoticeExportCells, func(fn func(registry.Notice) error) error {
				_, err := db.ExportNotices(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), f,
					string(format), fn)
				return err
			})
	}
}
