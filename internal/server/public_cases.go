package server

// The public side of 典型案例: the list of published cases, a case's page and its photos. Like every public
// page they read no session and set no cookie, so the same bytes serve everyone (publicPage).

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// publicCasePage is how many cases the public list shows at a time.
const publicCasePage = 20

type publishedCaseLister interface {
	PublishedCases(ctx context.Context, scope portal.Scope, orgID int64, after *registry.CaseCursor, limit int) ([]registry.Case, error)
}

type publicCaseStore interface {
	publishedCaseLister
	PublishedCase(ctx context.Context, scope portal.Scope, id int64) (registry.Case, error)
	CasePhotos(ctx context.Context, scope portal.Scope, id int64, published bool) ([]registry.CasePhoto, error)
}

// caseCursor reads the public list's cursor "<unix microseconds>.<id>"; ok is false when it is garbled.
func caseCursor(s string) (*registry.CaseCursor, bool) {
	if s == "" {
		return nil, true
	}
	at, id, found := strings.Cut(s, ".")
	us, err := strconv.ParseInt(at, 10, 64)
	n, ok := parseID(id)
	if !found || err != nil || !ok || us <= 0 {
		return nil, false
	}
	return &registry.CaseCursor{PublishedAt: time.UnixMicro(us), ID: n}, true
}

// handlePublicCases is /cases: the published cases, the latest first, twenty at a time.
func handlePublicCases(db publicCaseStore, ps *publicScoper, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, ok := publicQuery(w, r, rs)
		if !ok {
			return
		}
		after, ok := caseCursor(q.Get("after"))
		if !ok {
			badRequest(w, r, rs, "翻页位置无效，请从第一页查看。")
			return
		}
		scope, err := ps.get(r.Context())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		cs, err := db.PublishedCases(r.Context(), scope, 0, after, publicCasePage+1)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.PublicCaseListView{Page: web.NewPage("典型案例", nil, "", "")}
		if len(cs) > publicCasePage {
			cs = cs[:publicCasePage]
			last := cs[len(cs)-1]
			v.NextHref = "/cases?after=" + strconv.FormatInt(last.PublishedAt.UnixMicro(), 10) + "." + strconv.FormatInt(last.ID, 10)
		}
		if after != nil {
			v.FirstHref = "/cases"
		}
		v.Cards = web.NewCaseCards(cs)
		rs.render(w, r, http.StatusOK, web.PublicCaseListPage(v))
	}
}

// handlePublicCase is /cases/{id}: a published case, its story and photos; any other id is not found.
func handlePublicCase(db publicCaseStore, ps *publicScoper, rs *responder) http.HandlerFunc {
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
		c, err := db.PublishedCase(r.Context(), scope, id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		photos, err := db.CasePhotos(r.Context(), scope, id, true)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.PublicCasePage(web.NewPublicCaseView(web.NewPage(c.Title, nil, "", ""), c, photos)))
	}
}
