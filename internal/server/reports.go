package server

// 活动报告 (DESIGN.md workflow 4): a 村(居)委会 files activity reports for the groups of its community and corrects
// them (each correction is a new revision; the old ones stay as history); towns read their town's reports, the
// district all of them. Every tier lists, filters and exports, and reads a group's report history.

import (
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/photos"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

// reportPathsFor are a tier's report addresses; files is whether the tier files reports (only 村(居)委会 do).
func reportPathsFor(p web.Paths, files bool) reportPaths {
	return reportPaths{base: p.Reports(), orgBase: p.Orgs(), files: files}
}

// reportPaths are a tier's report addresses, and whether the tier files reports.
type reportPaths struct {
	base    string // /community/reports
	orgBase string // /community/orgs; a group's history is orgBase/{id}/reports
	files   bool
}

const reportPageSize = 50

// reportFilterStore is what reading a list's filter needs.
type reportFilterStore interface {
	DivisionsAtLevel(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error)
	ReportGroups(ctx context.Context, scope portal.Scope) ([]registry.ReportGroup, error)
	Organization(ctx context.Context, scope portal.Scope, id int64) (registry.Organization, error)
}

type reportLister interface {
	reportFilterStore
	ListActivityReportsPage(ctx context.Context, scope portal.Scope, f registry.ReportFilter, after registry.ReportCursor, limit int) (registry.ReportPage, error)
}

type reportExporter interface {
	reportFilterStore
	ExportActivityReports(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.ReportFilter, format string,
		fn func(registry.ActivityReport) error) (int, error)
}

// reportQuery is a list's filter read from the query string and checked against the caller's scope.
type reportQuery struct {
	form        web.ReportFilterForm
	filter      registry.ReportFilter
	problems    map[string]string
	towns       []portal.Division
	communities []portal.Division
	groups      []registry.ReportGroup // a community's groups, for its select
	orgName     string
}

const reportDateLayout = "2006-01-02"

// readReportQuery checks every filter value. A division or group outside the caller's jurisdiction is a refused
// filter — 422 with a message, never an empty or a foreign list. fixedOrg (non-zero on a group's history page)
// is the group the page is about, already checked.
func readReportQuery(ctx context.Context, db reportFilterStore, a *portal.Account, q url.Values, fixedOrg int64) (reportQuery, error) {
	scope := a.Scope()
	rq := reportQuery{problems: map[string]string{}}
	f := &rq.form
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f.Org.Value = get("org")
	f.Series.Value, f.Category.Value, f.From.Value, f.To.Value = get("series"), get("category"), get("from"), get("to")
	refuse := func(fl *web.Field, key, msg string) {
		fl.Problem = msg
		rq.problems[key] = msg
	}
	d, err := readDivisions(ctx, db, scope, q, rq.problems, true)
	if err != nil {
		return rq, err
	}
	f.Town, f.Community, rq.towns, rq.communities = d.Town, d.Community, d.Towns, d.Communities
	if scope.Tier == portal.TierCommunity && fixedOrg == 0 {
		if rq.groups, err = db.ReportGroups(ctx, scope); err != nil {
			return rq, err
		}
		if rq.groups == nil {
			rq.groups = []registry.ReportGroup{}
		}
	}
	if fixedOrg != 0 {
		f.Org.Value = ""
		rq.filter.OrgID = fixedOrg
	} else if f.Org.Value != "" {
		id, ok := parseID(f.Org.Value)
		var o registry.Organization
		var err error
		if ok {
			o, err = db.Organization(ctx, scope, id)
			if err != nil && !errors.Is(err, portal.ErrNotFound) {
				return rq, err
			}
		}
		if err != nil || !ok {
			refuse(&f.Org, "org", "所选组织不在您的管辖范围内，请从列表中选择")
		} else {
			rq.filter.OrgID, rq.orgName = o.ID, o.Name
			if rq.groups != nil && !slices.ContainsFunc(rq.groups, func(g registry.ReportGroup) bool { return g.ID == o.ID }) {
				rq.groups = append(rq.groups, registry.ReportGroup{ID: o.ID, Name: o.Name})
			}
		}
	}
	if v := f.Series.Value; v != "" && !slices.Contains(registry.ReportSeries, v) {
		refuse(&f.Series, "series", "请从列表中选择主题系列")
	}
	if v := f.Category.Value; v != "" && !slices.Contains(registry.ReportCategories, v) {
		refuse(&f.Category, "category", "请从列表中选择活动类别")
	}
	day := func(fl *web.Field, key, label string) *time.Time {
		if fl.Value == "" {
			return nil
		}
		d, err := time.Parse(reportDateLayout, fl.Value)
		if err != nil || d.Year() < 2000 || d.Year() > 2999 {
			refuse(fl, key, label+"格式应为 年-月-日，如 2021-07-21")
			return nil
		}
		return &d
	}
	rq.filter.From, rq.filter.To = day(&f.From, "from", "起始日期"), day(&f.To, "to", "截止日期")
	if rq.filter.From != nil && rq.filter.To != nil && rq.filter.To.Before(*rq.filter.From) {
		refuse(&f.To, "to", "截止日期不能早于起始日期")
	}
	rq.filter.TownCode, rq.filter.CommunityCode = f.Town.Value, f.Community.Value
	rq.filter.Series, rq.filter.Category = f.Series.Value, f.Category.Value
	return rq, nil
}

// values is the filter as query parameters, for page and export links; empty values are left out.
func (rq reportQuery) values() url.Values {
	v := url.Values{}
	f := rq.form
	for _, kv := range []struct{ k, v string }{{"town", f.Town.Value}, {"community", f.Community.Value},
		{"org", f.Org.Value}, {"series", f.Series.Value}, {"category", f.Category.Value}, {"from", f.From.Value},
		{"to", f.To.Value}} {
		if kv.v != "" {
			v.Set(kv.k, kv.v)
		}
	}
	return v
}

// view builds the list page's frame; action is where the filter form goes.
func (rq reportQuery) view(r *http.Request, a *portal.Account, p reportPaths, heading, action string) web.ReportListView {
	v := web.ReportListView{Page: web.NewPage(heading, a, p.base, takeFlashCtx(r)), Heading: heading,
		Action: action, Form: rq.form, Problems: rq.problems, ShowTown: a.Tier == portal.TierDistrict,
		ShowCommunity: a.Tier != portal.TierCommunity, ShowOrg: true}
	web.NewReportFilter(&v, rq.towns, rq.communities, rq.groups)
	if rq.orgName != "" && v.OrgOptions == nil {
		v.OrgFixed = rq.orgName
		vals := rq.values()
		vals.Del("org")
		v.ClearOrgHref = withQuery(action, vals)
	}
	if p.files {
		v.NewHref = p.base + "/new"
	}
	return v
}

// readReportCursor reads the keyset cursor "2021-07-21_123" of the page asked for; anything else is the first page.
func readReportCursor(s string) registry.ReportCursor {
	date, id, ok := strings.Cut(s, "_")
	if !ok {
		return registry.ReportCursor{}
	}
	d, err := time.Parse(reportDateLayout, date)
	n, ok := parseID(id)
	if err != nil || !ok {
		return registry.ReportCursor{}
	}
	return registry.ReportCursor{Date: d, ID: n}
}

// listReports fills v with one keyset page of the filter's reports; path is the list's own address.
func listReports(ctx context.Context, db reportLister, a *portal.Account, rq reportQuery, q url.Values, v *web.ReportListView, path, itemBase string) error {
	after := readReportCursor(q.Get("after"))
	page, err := db.ListActivityReportsPage(ctx, a.Scope(), rq.filter, after, reportPageSize+1)
	if err != nil {
		return err
	}
	// The total comes from the kept counts; a filter they cannot answer shows one only when a single page
	// holds every match.
	rows, count := page.Rows, page.Count
	switch {
	case count.Known:
		v.Total = web.ReportTotal(count.N)
	case after.ID == 0 && len(rows) <= reportPageSize:
		v.Total = web.ReportTotal(len(rows))
	}
	vals := rq.values()
	if len(rows) > reportPageSize {
		rows = rows[:reportPageSize]
		last := rows[len(rows)-1]
		next := url.Values{}
		for k, vs := range vals {
			next[k] = vs
		}
		next.Set("after", web.ReportDate(last.ActivityDate)+"_"+strconv.FormatInt(last.ID, 10))
		v.NextHref = withQuery(path, next)
	}
	if after.ID != 0 {
		v.FirstHref = withQuery(path, vals)
	}
	v.Empty = len(rows) == 0
	v.Rows = make([]web.ReportListItem, len(rows))
	for i, x := range rows {
		v.Rows[i] = web.NewReportListItem(x, itemBase)
	}
	return nil
}

func reportExportLinks(v *web.ReportListView, base string, rq reportQuery) {
	vals := rq.values()
	if rq.filter.OrgID != 0 {
		vals.Set("org", strconv.FormatInt(rq.filter.OrgID, 10))
	}
	v.ExportXLSX = withQuery(base+"/export.xlsx", vals)
	v.ExportCSV = withQuery(base+"/export.csv", vals)
}

// handleReportList is a tier's list of current reports, newest activity first, one keyset page at a time.
func handleReportList(db reportLister, p reportPaths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		q := r.URL.Query()
		rq, err := readReportQuery(r.Context(), db, a, q, 0)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := rq.view(r, a, p, "活动报告", p.base)
		if len(rq.problems) > 0 {
			rs.render(w, r, http.StatusUnprocessableEntity, web.ReportListPage(v))
			return
		}
		if err := listReports(r.Context(), db, a, rq, q, &v, p.base, p.base); err != nil {
			rs.serverError(w, r, err)
			return
		}
		reportExportLinks(&v, p.base, rq)
		rs.render(w, r, http.StatusOK, web.ReportListPage(v))
	}
}

// handleOrgReports is one group's report history: the group must lie inside the caller's scope (else 404).
func handleOrgReports(db reportLister, p reportPaths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		o, err := db.Organization(r.Context(), a.Scope(), id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		q := r.URL.Query()
		rq, err := readReportQuery(r.Context(), db, a, q, o.ID)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		path := p.orgBase + "/" + itoa64(o.ID) + "/reports"
		v := rq.view(r, a, p, o.Name+" · 活动报告", path)
		v.Crumbs = []web.NavItem{{Label: "社会组织", Href: p.orgBase}, {Label: o.Name, Href: p.orgBase + "/" + itoa64(o.ID)}}
		v.TownOptions, v.CommunityOptions, v.ShowOrg, v.ShowTown, v.ShowCommunity = nil, nil, false, false, false
		v.NewHref = ""
		if len(rq.problems) > 0 {
			rs.render(w, r, http.StatusUnprocessableEntity, web.ReportListPage(v))
			return
		}
		if err := listReports(r.Context(), db, a, rq, q, &v, path, p.base); err != nil {
			rs.serverError(w, r, err)
			return
		}
		reportExportLinks(&v, p.base, rq)
		rs.render(w, r, http.StatusOK, web.ReportListPage(v))
	}
}

// handleReportExport streams the list's current reports, with the same filter and scope, as xlsx or CSV; every
// text cell is neutralised against formulas and one audit row records the export.
func handleReportExport(db reportExporter, p reportPaths, format exportFormat, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		rq, err := readReportQuery(r.Context(), db, a, r.URL.Query(), 0)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if len(rq.problems) > 0 {
			rs.render(w, r, http.StatusUnprocessableEntity, web.ReportListPage(rq.view(r, a, p, "活动报告", p.base)))
			return
		}
		header := web.ReportExportHeader()
		streamTable(w, r, rs, a, format, "活动报告", "activity-reports", "活动报告", header,
			func(table export.Table) error {
				cells := make([]any, 0, len(header))
				_, err := db.ExportActivityReports(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())),
					rq.filter, string(format), func(x registry.ActivityReport) error {
						cells = web.ReportExportCells(x, cells)
						return table.Row(cells)
					})
				return err
			})
	}
}

// reportReader is what a report's page reads.
type reportReader interface {
	ActivityReport(ctx context.Context, scope portal.Scope, id int64) (registry.ActivityReport, error)
	ReportRevisions(ctx context.Context, scope portal.Scope, reportNo int64) ([]registry.ActivityReport, error)
	ReportPhotos(ctx context.Context, scope portal.Scope, reportID int64) ([]registry.ReportPhoto, error)
	photoMarkReader
}

// handleReportShow is one revision of a report — current or from the history — with photos and all revisions.
func handleReportShow(db reportReader, p reportPaths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		scope := a.Scope()
		rep, err := db.ActivityReport(r.Context(), scope, id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		all, err := db.ReportRevisions(r.Context(), scope, rep.ReportNo)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		ps, err := db.ReportPhotos(r.Context(), scope, rep.ID)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := web.NewReportDetail(web.NewPage("活动报告 · "+rep.Title, a, p.base, takeFlashCtx(r)), p.base, p.orgBase,
			rep, all, ps, p.files)
		if !addPhotoMarks(w, r, rs, db, p, rep, ps, &v) {
			return
		}
		rs.render(w, r, http.StatusOK, web.ReportDetailPage(v))
	}
}

type reportPhotoStore interface {
	ReportPhoto(ctx context.Context, scope portal.Scope, reportID, photoID int64) (registry.ReportPhoto, error)
}

// handleReportPhoto sends a photo or its thumbnail of a report inside the caller's scope (else 404), with the
// stored content type, never sniffed, as an attachment that an <img> still shows.
func handleReportPhoto(db reportPhotoStore, ph *photos.Store, thumb bool, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok1 := pathID(r, "id")
		photoID, ok2 := pathID(r, "photoID")
		if !ok1 || !ok2 {
			rs.notFound(w, r)
			return
		}
		p, err := db.ReportPhoto(r.Context(), a.Scope(), id, photoID)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		key, ct := p.StorageKey, p.ContentType
		if thumb {
			key, ct = p.ThumbKey, p.ThumbType
		}
		name := "activity-report-" + itoa64(p.ReportID) + "-photo-" + strconv.Itoa(p.Position)
		if thumb {
			name += "-thumb"
		}
		sendPhoto(w, r, rs, ph, p.ID, key, ct, name)
	}
}

// reportFormStore is what the report forms need.
type reportFormStore interface {
	ReportGroups(ctx context.Context, scope portal.Scope) ([]registry.ReportGroup, error)
}

func handleReportNew(db reportFormStore, p reportPaths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		groups, err := db.ReportGroups(r.Context(), a.Scope())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := web.NewReportForm(web.NewPage("填报活动报告", a, p.base, ""), p.base, p.base)
		v.Crumbs = []web.NavItem{{Label: "活动报告", Href: p.base}}
		v.Group.Value = r.URL.Query().Get("org")
		v.SetChoices(groups)
		rs.render(w, r, http.StatusOK, web.ReportFormPage(v))
	}
}

// Limits of a report form: six photos of at most photos.MaxSize each and the text around them. A request
// beyond this is refused whole (413) before any of it is read into the form.
const (
	reportMaxRequest = photos.MaxCount*photos.MaxSize + 2<<20
	reportFormMemory = 1 << 20 // parts beyond this wait in temporary files, removed after the request
)

// parseReportForm reads a multipart report form, answering 413 or 400 itself when it cannot.
func parseReportForm(w http.ResponseWriter, r *http.Request, rs *responder) bool {
	r.Body = http.MaxBytesReader(w, r.Body, reportMaxRequest)
	if err := r.ParseMultipartForm(reportFormMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "上传的照片过大",
				"最多 6 张照片，每张不超过 5 MB。请返回，压缩照片后重新提交（需重新选择照片）。")
			return false
		}
		rs.errorPage(w, r, http.StatusBadRequest, "无法读取表单", "请返回活动报告表单重新提交。")
		return false
	}
	return true
}

// reportCount reads a whole number of people, 0 … 1,000,000; blank is 0 unless required.
func reportCount(r *http.Request, name, label string, required bool, f *web.Field, problems rules.Problems) int {
	f.Value = strings.TrimSpace(r.PostFormValue(name))
	if f.Value == "" {
		if required {
			problems.Add(name, "请填写"+label)
		}
		return 0
	}
	n, err := strconv.Atoi(f.Value)
	if err != nil || n < 0 || n > 1000000 {
		problems.Add(name, label+"应为 0 到 1000000 之间的整数")
		return 0
	}
	return n
}

// reportHours reads 志愿服务时长 as tenths of an hour: 12, 12.5; at most one decimal, at most 999999.9.
func reportHours(s string) (int64, bool) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > 6 || (hasFrac && len(frac) != 1) {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || strings.HasPrefix(whole, "+") || strings.HasPrefix(whole, "-") {
		return 0, false
	}
	var d int64
	if hasFrac {
		if frac[0] < '0' || frac[0] > '9' {
			return 0, false
		}
		d = int64(frac[0] - '0')
	}
	return w*10 + d, true
}

// reportText trims a value and files a problem when it is too long or, if required, empty.
func reportText(r *http.Request, name, label string, required bool, max int, f *web.Field, problems rules.Problems) string {
	f.Value = strings.TrimSpace(r.PostFormValue(name))
	switch {
	case required && f.Value == "":
		problems.Add(name, "请填写"+label)
	case utf8.RuneCountInString(f.Value) > max:
		problems.Add(name, label+"不能超过 "+strconv.Itoa(max)+" 字")
	}
	return f.Value
}

// readReportForm checks every field of a report form against the community's groups and today's date in
// 北京时间, filling v with what was typed.
func readReportForm(r *http.Request, v *web.ReportFormView, groups []registry.ReportGroup, now time.Time) (registry.ReportInput, rules.Problems) {
	problems := rules.Problems{}
	var in registry.ReportInput
	v.Group.Value = strings.TrimSpace(r.PostFormValue("org"))
	if id, err := strconv.ParseInt(v.Group.Value, 10, 64); err == nil &&
		slices.ContainsFunc(groups, func(g registry.ReportGroup) bool { return g.ID == id }) {
		in.OrgID = id
	} else if v.Group.Value == "" {
		problems.Add("org", "请选择组织")
	} else {
		problems.Add("org", "请从列表中选择本社区(村)存续的组织")
	}
	v.Date.Value = strings.TrimSpace(r.PostFormValue("activity_date"))
	if v.Date.Value == "" {
		problems.Add("activity_date", "请填写活动日期")
	} else if d, err := time.Parse(reportDateLayout, v.Date.Value); err != nil {
		problems.Add("activity_date", "活动日期格式应为 年-月-日，如 2021-07-21")
	} else if y, m, dd := now.Date(); d.After(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)) {
		problems.Add("activity_date", "活动日期不能晚于今天")
	} else if d.Year() < 2000 {
		problems.Add("activity_date", "活动日期不能早于 2000 年")
	} else {
		in.ActivityDate = d
	}
	in.Title = reportText(r, "title", "活动名称", true, 60, &v.Title, problems)
	in.Place = reportText(r, "place", "活动地点", true, 100, &v.Place, problems)
	v.Series.Value = r.PostFormValue("series")
	if !slices.Contains(registry.ReportSeries, v.Series.Value) {
		problems.Add("series", "请选择主题系列")
	}
	v.Category.Value = r.PostFormValue("category")
	if !slices.Contains(registry.ReportCategories, v.Category.Value) {
		problems.Add("category", "请选择活动类别")
	}
	in.Series, in.Category = v.Series.Value, v.Category.Value
	in.Participants = reportCount(r, "participants", "参与人数", true, &v.Participants, problems)
	if problems["participants"] == "" && in.Participants == 0 {
		problems.Add("participants", "参与人数至少为 1")
	}
	in.Volunteers = reportCount(r, "volunteers", "志愿者人数", false, &v.Volunteers, problems)
	v.Hours.Value = strings.TrimSpace(r.PostFormValue("volunteer_hours"))
	if v.Hours.Value != "" {
		t, ok := reportHours(v.Hours.Value)
		switch {
		case !ok:
			problems.Add("volunteer_hours", "志愿服务时长应为不小于 0 的数，最多一位小数，如 12.5")
		case t > 0 && in.Volunteers == 0 && problems["volunteers"] == "":
			problems.Add("volunteers", "填写了志愿服务时长，请填写志愿者人数")
		case t > int64(in.Volunteers)*24*10 && problems["volunteers"] == "":
			problems.Add("volunteer_hours", "志愿服务时长不能超过 志愿者人数 × 24 小时")
		default:
			in.VolunteerTenths = t
		}
	}
	in.Beneficiaries = map[string]int{}
	var bad []string
	for i := range v.Beneficiaries {
		b := &v.Beneficiaries[i]
		n := reportCount(r, b.Name, b.Label+"人数", false, &b.Field, problems)
		if msg := problems[b.Name]; msg != "" {
			b.Field.Problem = msg
			bad = append(bad, b.Label)
		} else if n > 0 {
			in.Beneficiaries[b.Label] = n
		}
	}
	if len(bad) > 0 {
		v.BenefProblem = "受益人数应为 0 到 1000000 之间的整数：" + strings.Join(bad, "、")
	}
	in.Description = reportText(r, "description", "活动内容", false, 2000, &v.Description, problems)
	return in, problems
}

// reportPhotoProblem is the message for a photo that is refused.
func reportPhotoProblem(n int, filename string, err error) string {
	which := "第 " + strconv.Itoa(n) + " 张照片（" + strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, filename) + "）"
	switch {
	case errors.Is(err, photos.ErrTooLarge):
		return which + "超过 5 MB，请压缩后重新选择"
	case errors.Is(err, photos.ErrEmpty):
		return which + "是空文件，请重新选择"
	case errors.Is(err, photos.ErrPixels):
		return which + "像素过多（超过 2500 万像素），请缩小后重新选择"
	default:
		return which + "不是 JPG 或 PNG 图片（按文件内容识别，改扩展名无效），请重新选择"
	}
}

// preparedReportPhoto is a photo that passed its checks, with the form part to read it again from when it is saved.
type preparedReportPhoto struct {
	fh *multipart.FileHeader
	p  photos.Prepared
}

// readReportPhotos checks the chosen photos (at most room of them) by their content and makes thumbnails;
// nothing is stored. A refused photo is a message at the photos field.
func readReportPhotos(r *http.Request, ph *photos.Store, room int, problems rules.Problems) ([]preparedReportPhoto, error) {
	var chosen []*multipart.FileHeader
	for _, fh := range r.MultipartForm.File["photos"] {
		if fh.Size == 0 && fh.Filename == "" {
			continue // the browser sends an empty part when no file is chosen
		}
		chosen = append(chosen, fh)
	}
	if len(chosen) > room {
		problems.Add("photos", "每份报告最多 "+strconv.Itoa(photos.MaxCount)+" 张照片，本次最多还能选择 "+
			strconv.Itoa(room)+" 张，请重新选择")
		return nil, nil
	}
	var out []preparedReportPhoto
	for i, fh := range chosen {
		if fh.Size > photos.MaxSize {
			problems.Add("photos", reportPhotoProblem(i+1, fh.Filename, photos.ErrTooLarge))
			return nil, nil
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		p, err := ph.Prepare(r.Context(), f)
		f.Close()
		switch {
		case errors.Is(err, photos.ErrType), errors.Is(err, photos.ErrTooLarge), errors.Is(err, photos.ErrEmpty),
			errors.Is(err, photos.ErrPixels):
			problems.Add("photos", reportPhotoProblem(i+1, fh.Filename, err))
			return nil, nil
		case err != nil:
			return nil, err
		}
		out = append(out, preparedReportPhoto{fh: fh, p: p})
	}
	return out, nil
}

// saveReportPhotos stores checked photos; on failure it removes what it stored and says so.
func saveReportPhotos(ph *photos.Store, prepared []preparedReportPhoto) ([]registry.ReportPhotoInput, []string, error) {
	var ins []registry.ReportPhotoInput
	var keys []string
	for _, pp := range prepared {
		f, err := pp.fh.Open()
		if err != nil {
			_ = ph.Remove(keys...)
			return nil, nil, err
		}
		st, err := ph.Save(pp.p, f)
		f.Close()
		if err != nil {
			_ = ph.Remove(keys...)
			return nil, nil, err
		}
		keys = append(keys, st.Key, st.ThumbKey)
		ins = append(ins, registry.ReportPhotoInput{ContentType: st.ContentType, Size: st.Size, Width: st.Width,
			Height: st.Height, StorageKey: st.Key, ThumbKey: st.ThumbKey, ThumbType: st.ThumbType, SHA256: st.SHA256})
	}
	return ins, keys, nil
}

// showReportProblems puts every message at its field and re-renders the form with 422; files must be chosen again.
func showReportProblems(w http.ResponseWriter, r *http.Request, rs *responder, v *web.ReportFormView, problems rules.Problems, groups []registry.ReportGroup) {
	v.Problems = problems
	v.Resubmit = true
	fields := map[string]*web.Field{"org": &v.Group, "activity_date": &v.Date, "title": &v.Title, "place": &v.Place,
		"series": &v.Series, "category": &v.Category, "participants": &v.Participants, "volunteers": &v.Volunteers,
		"volunteer_hours": &v.Hours, "description": &v.Description, "correction_reason": &v.Reason,
		"photos": &v.Photos}
	for k, msg := range problems {
		if f, ok := fields[k]; ok {
			f.Problem = msg
		}
	}
	v.SetChoices(groups)
	rs.render(w, r, http.StatusUnprocessableEntity, web.ReportFormPage(*v))
}

type reportCreator interface {
	reportFormStore
	CreateActivityReport(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.ReportInput,
		photos []registry.ReportPhotoInput) (int64, error)
}

// handleReportCreate files a report. Everything is checked — photos by their content, decoded whole — before
// anything is kept, so a refused form leaves no row and no file; photos are stored before the rows that name
// them and removed again if the rows fail.
func handleReportCreate(db reportCreator, ph *photos.Store, p reportPaths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseReportForm(w, r, rs) {
			return
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck
		a := accountFrom(r.Context())
		scope := a.Scope()
		groups, err := db.ReportGroups(r.Context(), scope)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := web.NewReportForm(web.NewPage("填报活动报告", a, p.base, ""), p.base, p.base)
		v.Crumbs = []web.NavItem{{Label: "活动报告", Href: p.base}}
		in, problems := readReportForm(r, &v, groups, time.Now().In(beijing))
		prepared, err := readReportPhotos(r, ph, photos.MaxCount, problems)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if len(problems) > 0 {
			showReportProblems(w, r, rs, &v, problems, groups)
			return
		}
		stored, keys, err := saveReportPhotos(ph, prepared)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		id, err := db.CreateActivityReport(r.Context(), scope, portal.ActorOf(*a, clientIPFrom(r.Context())), in, stored)
		if err != nil {
			_ = ph.Remove(keys...)
			if errors.Is(err, portal.ErrNotFound) {
				problems.Add("org", "所选组织已不在本社区(村)存续，请重新选择")
				showReportProblems(w, r, rs, &v, problems, groups)
				return
			}
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "活动报告已提交。")
		redirect(w, r, p.base+"/"+itoa64(id))
	}
}

type reportCorrector interface {
	reportFormStore
	reportReader
	CorrectActivityReport(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int,
		reason string, in registry.ReportInput, keep []int64, photos []registry.ReportPhotoInput) (int64, error)
}

// reportCorrectionForm loads the revision to correct and the form around it: the community's live groups plus the
// report's own group, and the revision's photos to keep.
func reportCorrectionForm(ctx context.Context, db reportCorrector, a *portal.Account, p reportPaths, id int64) (web.ReportFormView, registry.ActivityReport, []registry.ReportGroup, []registry.ReportPhoto, error) {
	scope := a.Scope()
	rep, err := db.ActivityReport(ctx, scope, id)
	if err != nil {
		return web.ReportFormView{}, rep, nil, nil, err
	}
	groups, err := db.ReportGroups(ctx, scope)
	if err != nil {
		return web.ReportFormView{}, rep, nil, nil, err
	}
	if !slices.ContainsFunc(groups, func(g registry.ReportGroup) bool { return g.ID == rep.OrgID }) {
		groups = append(groups, registry.ReportGroup{ID: rep.OrgID, Name: rep.OrgName})
	}
	ps, err := db.ReportPhotos(ctx, scope, id)
	if err != nil {
		return web.ReportFormView{}, rep, nil, nil, err
	}
	href := p.base + "/" + itoa64(id)
	v := web.NewReportForm(web.NewPage("更正活动报告", a, p.base, ""), href+"/correct", href)
	v.Crumbs = []web.NavItem{{Label: "活动报告", Href: p.base}, {Label: rep.Title, Href: href}}
	v.Correcting = true
	v.Version = strconv.Itoa(rep.Version)
	for _, ph := range ps {
		v.KeptPhotos = append(v.KeptPhotos, web.KeptPhoto{ID: itoa64(ph.ID), Kept: true,
			Thumb: href + "/photos/" + itoa64(ph.ID) + "/thumb", Label: "照片 " + strconv.Itoa(ph.Position)})
	}
	return v, rep, groups, ps, nil
}

func handleReportCorrectForm(db reportCorrector, p reportPaths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		v, rep, groups, _, err := reportCorrectionForm(r.Context(), db, a, p, id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if !rep.Current() {
			putFlash(r, "该报告已有更新的版本，请在最新版本上更正。")
			redirect(w, r, p.base+"/"+itoa64(*rep.SupersededBy))
			return
		}
		web.FillReportForm(&v, rep)
		v.SetChoices(groups)
		rs.render(w, r, http.StatusOK, web.ReportFormPage(v))
	}
}

// handleReportCorrect files the next revision of a report. The version in the form makes two corrections of one
// revision safe: the second gets 409 and nothing of it is kept.
func handleReportCorrect(db reportCorrector, ph *photos.Store, p reportPaths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		if !parseReportForm(w, r, rs) {
			return
		}
		defer r.MultipartForm.RemoveAll() //nolint:errcheck
		v, _, groups, old, err := reportCorrectionForm(r.Context(), db, a, p, id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		in, problems := readReportForm(r, &v, groups, time.Now().In(beijing))
		v.Reason.Value = strings.TrimSpace(r.PostFormValue("correction_reason"))
		switch n := utf8.RuneCountInString(v.Reason.Value); {
		case n == 0:
			problems.Add("correction_reason", "请填写更正说明")
		case n > 500:
			problems.Add("correction_reason", "更正说明不能超过 500 字")
		}
		var keep []int64
		for i := range v.KeptPhotos {
			k := &v.KeptPhotos[i]
			k.Kept = slices.Contains(r.PostForm["keep_photo"], k.ID)
			if k.Kept {
				keep = append(keep, old[i].ID)
			}
		}
		version := newForm(r).version("version")
		v.Version = strconv.Itoa(version)
		prepared, err := readReportPhotos(r, ph, photos.MaxCount-len(keep), problems)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if len(problems) > 0 {
			showReportProblems(w, r, rs, &v, problems, groups)
			return
		}
		stored, keys, err := saveReportPhotos(ph, prepared)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		newID, err := db.CorrectActivityReport(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())),
			id, version, v.Reason.Value, in, keep, stored)
		if err != nil {
			_ = ph.Remove(keys...)
			if errors.Is(err, portal.ErrNotFound) {
				// The revision is in scope (read above), so what vanished is the group.
				problems.Add("org", "所选组织已不在本社区(村)存续，请重新选择")
				showReportProblems(w, r, rs, &v, problems, groups)
				return
			}
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "更正已提交，原版本已作为历史保留。")
		redirect(w, r, p.base+"/"+itoa64(newID))
	}
}
