// The public side's handlers: the directory, a group's profile, division pages, the verification by number
// and the open data. None of them reads a session; publicPage makes their answers cacheable.
package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// publicScoper is the registry's public jurisdiction, read once: the district never changes under a running
// portal.
type publicScoper struct {
	mu    sync.Mutex
	scope portal.Scope
	read  func(ctx context.Context) (portal.Scope, error)
}

func (p *publicScoper) get(ctx context.Context) (portal.Scope, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.scope.Division != "" {
		return p.scope, nil
	}
	s, err := p.read(ctx)
	if err == nil {
		p.scope = s
	}
	return s, err
}

// maxPublicQuery bounds a public page's query string: a filter of every field fits in a few hundred bytes.
const maxPublicQuery = 2048

// badRequest answers 400 with a page saying what was wrong.
func badRequest(w http.ResponseWriter, r *http.Request, rs *responder, msg string) {
	rs.errorPage(w, r, http.StatusBadRequest, "请求无效", msg)
}

// publicQuery reads the query string, or answers 400 when no person could have typed it: too long, or a bad
// escape. (NUL and bytes that are not UTF-8 are refused before any handler, by checkInput.)
func publicQuery(w http.ResponseWriter, r *http.Request, rs *responder) (url.Values, bool) {
	if len(r.URL.RawQuery) > maxPublicQuery {
		badRequest(w, r, rs, "查询条件过长，请缩短后重试。")
		return nil, false
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		badRequest(w, r, rs, "查询条件包含无法识别的字符，请重新输入。")
		return nil, false
	}
	return q, true
}

type publicDirectoryStore interface {
	orgFilterDivisions
	PublicOrganizations(ctx context.Context, scope portal.Scope, f registry.PublicFilter, c registry.PublicCursor, limit int) (registry.PublicPage, error)
}

// handlePublicDirectory is the public directory /orgs: parse → validate → store → render, the town and
// community read by the one division filter at the district's scope.
func handlePublicDirectory(db publicDirectoryStore, ps *publicScoper, limit *rateLimiter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, ok := publicQuery(w, r, rs)
		if !ok {
			return
		}
		scope, err := ps.get(r.Context())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		f := registry.PublicFilter{Query: q.Get("q"), Field: q.Get("field"), Tier: registry.Tier(q.Get("tier")),
			Status: registry.Status(q.Get("status")), Closed: q.Get("closed") == "1", Sort: registry.OrgSort(q.Get("sort"))}
		if f.Clean() != nil {
			badRequest(w, r, rs, "查询条件包含无法识别的字符，请重新输入。")
			return
		}
		var cursor registry.PublicCursor
		if s := q.Get("after"); s != "" {
			if cursor.ID, ok = parseID(s); !ok {
				badRequest(w, r, rs, "翻页参数无效，请从第一页重新查询。")
				return
			}
			cursor.Name = q.Get("after_name")
		}
		problems := f.Validate()
		divisions, err := readDivisions(r.Context(), db, scope, q, problems, false)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		f.TownCode, f.Community = divisions.codes()
		form := web.PublicForm{Query: web.Field{Value: f.Query, Problem: problems["q"]},
			Field: web.Field{Value: f.Field, Problem: problems["field"]}, Tier: web.Field{Value: string(f.Tier), Problem: problems["tier"]},
			Status: web.Field{Value: string(f.Status), Problem: problems["status"]}, Sort: web.Field{Value: string(f.Sort), Problem: problems["sort"]},
			Closed: f.Closed}
		v := web.NewPublicDirectoryView(web.NewPage("社区社会组织名录", nil, "", ""), form, problems, divisions.workList())
		if !problems.OK() {
			rs.render(w, r, http.StatusUnprocessableEntity, web.PublicDirectoryPage(v))
			return
		}
		if f.Query != "" && limit.limited(w, r, rs) {
			return
		}
		page, err := db.PublicOrganizations(r.Context(), scope, f, cursor, registry.PublicPageSize)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v.SetPage(page, cursor.IsZero())
		rs.render(w, r, http.StatusOK, web.PublicDirectoryPage(v))
	}
}

type publicProfileStore interface {
	PublicProfile(ctx context.Context, scope portal.Scope, id int64, cases int) (registry.PublicProfile, error)
}

// profileCases is how many of a group's published cases its profile shows, the latest first.
const profileCases = 10

// handlePublicProfile is a group's public profile /orgs/{id}.
func handlePublicProfile(db publicProfileStore, ps *publicScoper, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		scope, err := ps.get(r.Context())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		// The group, its 典型案例, public photos, 信息公开 and 品牌项目, in one round trip.
		p, err := db.PublicProfile(r.Context(), scope, id, profileCases)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.NewPublicProfileView(web.NewPage(p.Org.Name, nil, "", ""), p.Org)
		v.Cases = web.NewCaseCards(p.Cases)
		v.Photos = web.NewPublicPhotos(id, p.Photos)
		v.Disclosures = web.NewDisclosuresView(p.Disclosures, "")
		v.Brands = web.NewOrgProjects(web.Paths{}, p.Brands)
		rs.render(w, r, http.StatusOK, web.PublicProfilePage(v))
	}
}

type publicDivisionStore interface {
	PublicDivision(ctx context.Context, scope portal.Scope, code string) (registry.PublicDivision, error)
	PublicOrganizations(ctx context.Context, scope portal.Scope, f registry.PublicFilter, c registry.PublicCursor, limit int) (registry.PublicPage, error)
}

// handlePublicDivision is a town's or a community's public page /divisions/{code}.
func handlePublicDivision(db publicDivisionStore, ps *publicScoper, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		code := chi.URLParam(r, "code")
		scope, err := ps.get(r.Context())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if (len(code) != 9 && len(code) != 12) || strings.Trim(code, "0123456789") != "" {
			badRequest(w, r, rs, "区划代码应为 9 位（镇街）或 12 位（社区、村）数字。")
			return
		}
		d, err := db.PublicDivision(r.Context(), scope, code)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		var rows []registry.PublicOrgRow
		if len(code) == 12 {
			page, err := db.PublicOrganizations(r.Context(), scope, registry.PublicFilter{TownCode: d.ParentCode,
				Community: code}, registry.PublicCursor{}, registry.PublicPageSize)
			if err != nil {
				rs.serverError(w, r, err)
				return
			}
			rows = page.Rows
		}
		title := d.Name
		if len(code) == 12 {
			title = d.ParentName + d.Name
		}
		rs.render(w, r, http.StatusOK, web.PublicDivisionPage(web.NewPublicDivisionView(web.NewPage(title, nil, "", ""), d, rows)))
	}
}

type publicChecker interface {
	PublicCheck(ctx context.Context, scope portal.Scope, kind registry.NumberKind, number string) (registry.PublicCheck, error)
}

// handlePublicVerify is the verification by number /verify: the form, and with ?no= its answer.
func handlePublicVerify(db publicChecker, ps *publicScoper, limit *rateLimiter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, ok := publicQuery(w, r, rs)
		if !ok {
			return
		}
		v := web.PublicVerifyView{Page: web.NewPage("备案和登记核验", nil, "", "")}
		raw, asked := q.Get("no"), q.Has("no")
		if !asked {
			rs.render(w, r, http.StatusOK, web.PublicVerifyPage(v))
			return
		}
		v.Number.Value = strings.TrimSpace(raw)
		kind, number, msg := registry.ParseNumber(raw)
		if msg != "" {
			v.Number.Problem = msg
			rs.render(w, r, http.StatusUnprocessableEntity, web.PublicVerifyPage(v))
			return
		}
		if limit.limited(w, r, rs) {
			return
		}
		scope, err := ps.get(r.Context())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v.Checked = true
		c, err := db.PublicCheck(r.Context(), scope, kind, number)
		switch {
		case errors.Is(err, portal.ErrNotFound):
			rs.render(w, r, http.StatusNotFound, web.PublicVerifyPage(v))
			return
		case err != nil:
			rs.serverError(w, r, err)
			return
		}
		v.Found, v.Result = true, web.NewPublicCheckView(c)
		rs.render(w, r, http.StatusOK, web.PublicVerifyPage(v))
	}
}
