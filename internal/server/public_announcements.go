package server

// The public side of 通知公告 (/announcements) and 政策文件 (/policies): lists, pages and attachments of what is
// published, for everyone, cacheable and without a session.

import (
	"context"
	"net/http"
	"strconv"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// publicAnnouncementPage is how many a public list shows at a time.
const publicAnnouncementPage = 20

// publicAnnouncementBase is the public path of each kind.
var publicAnnouncementBase = map[registry.AnnouncementKind]string{registry.KindNotice: "/announcements",
	registry.KindPolicy: "/policies"}

type publicAnnouncementStore interface {
	PublishedAnnouncements(ctx context.Context, scope portal.Scope, kind registry.AnnouncementKind, after *registry.AnnouncementCursor, limit int) ([]registry.Announcement, error)
	PublishedAnnouncement(ctx context.Context, scope portal.Scope, kind registry.AnnouncementKind, id int64) (registry.Announcement, error)
	AnnouncementFiles(ctx context.Context, scope portal.Scope, id int64, published bool) ([]registry.AnnouncementFile, error)
}

// handlePublicAnnouncements is the public list of one kind, the latest first.
func handlePublicAnnouncements(db publicAnnouncementStore, ps *publicScoper, kind registry.AnnouncementKind, rs *responder) http.HandlerFunc {
	base := publicAnnouncementBase[kind]
	return func(w http.ResponseWriter, r *http.Request) {
		q, ok := publicQuery(w, r, rs)
		if !ok {
			return
		}
		c, ok := caseCursor(q.Get("after"))
		if !ok {
			badRequest(w, r, rs, "翻页位置无效，请从第一页查看。")
			return
		}
		var after *registry.AnnouncementCursor
		if c != nil {
			after = &registry.AnnouncementCursor{PublishedAt: c.PublishedAt, ID: c.ID}
		}
		scope, err := ps.get(r.Context())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		as, err := db.PublishedAnnouncements(r.Context(), scope, kind, after, publicAnnouncementPage+1)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.PublicAnnouncementListView{Page: web.NewPage(kind.Label(), nil, "", ""), Heading: kind.Label()}
		v.Intro = "渝北区民政局和各镇街发布的通知公告。"
		if kind == registry.KindPolicy {
			v.Intro = "培育发展社区社会组织的政策文件，含区民政局和各镇街发布的文件。"
		}
		if len(as) > publicAnnouncementPage {
			as = as[:publicAnnouncementPage]
			last := as[len(as)-1]
			v.NextHref = base + "?after=" + strconv.FormatInt(last.PublishedAt.UnixMicro(), 10) + "." + strconv.FormatInt(last.ID, 10)
		}
		if after != nil {
			v.FirstHref = base
		}
		v.Cards = web.NewPublicAnnouncementCards(as, base)
		rs.render(w, r, http.StatusOK, web.PublicAnnouncementListPage(v))
	}
}

// handlePublicAnnouncement is one published notice or policy with its attachments.
func handlePublicAnnouncement(db publicAnnouncementStore, ps *publicScoper, kind registry.AnnouncementKind, rs *responder) http.HandlerFunc {
	base := publicAnnouncementBase[kind]
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
		x, err := db.PublishedAnnouncement(r.Context(), scope, kind, id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		files, err := db.AnnouncementFiles(r.Context(), scope, id, true)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.NewAnnouncementView(web.NewPage(x.Title, nil, "", ""), x, files, base+"/"+strconv.FormatInt(id, 10), base)
		rs.render(w, r, http.StatusOK, web.PublicAnnouncementPage(v))
	}
}

type homeLatestStore interface {
	publishedCaseLister
	PublishedAnnouncements(ctx context.Context, scope portal.Scope, kind registry.AnnouncementKind, after *registry.AnnouncementCursor, limit int) ([]registry.Announcement, error)
}

// homeLatest is the home page's five latest 通知公告 and three latest 典型案例.
func homeLatest(ctx context.Context, db homeLatestStore, scope portal.Scope) (web.HomeLatest, error) {
	as, err := db.PublishedAnnouncements(ctx, scope, registry.KindNotice, nil, 5)
	if err != nil {
		return web.HomeLatest{}, err
	}
	cs, err := db.PublishedCases(ctx, scope, 0, nil, 3)
	return web.HomeLatest{Notices: web.NewPublicAnnouncementCards(as, publicAnnouncementBase[registry.KindNotice]),
		Cases: web.NewCaseCards(cs)}, err
}
