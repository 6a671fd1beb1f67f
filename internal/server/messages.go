package server

// 站内消息: each account's inbox, its unread count in every page's header, and marking a message read.

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type messageStore interface {
	Messages(ctx context.Context, account int64, before int64) ([]registry.Message, error)
	MarkMessageRead(ctx context.Context, actor portal.Actor, id int64, version int) error
}

func (s *Server) messageRoutes(a area, paths web.Paths) {
	a.get("/messages", portal.ViewMessages, handleInbox(s.db, paths, s.resp))
	a.post("/messages/{id}/read", portal.ViewMessages, handleMessageRead(s.db, paths, s.resp))
}

// loadUnread reads the signed-in account's unread count for the header: one indexed count, bounded.
func (s *Server) loadUnread(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The session store counted them with the session and the account (one statement); an account read
		// apart from its session (loadAccount's fallback) is counted here.
		if a := accountFrom(r.Context()); a != nil && !unreadCounted(r.Context(), a.ID) {
			n, err := s.db.UnreadMessages(r.Context(), a.ID)
			if err != nil {
				s.resp.fail(w, r, err)
				return
			}
			a.Unread = n
		}
		next.ServeHTTP(w, r)
	})
}

func handleInbox(db messageStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		before := int64(0)
		if n, ok := parseID(r.URL.Query().Get("before")); ok {
			before = n
		}
		ms, err := db.Messages(r.Context(), a.ID, before)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.NewInboxView(ms, paths)
		v.Page = web.NewPage("站内消息", a, paths.Root()+"/messages", takeFlashCtx(r))
		if before != 0 {
			v.FirstHref = paths.Root() + "/messages"
		}
		rs.render(w, r, http.StatusOK, web.InboxPage(v))
	}
}

// handleMessageRead marks one of the account's messages read; the version is the message's as the inbox showed
// it (409 when missing or stale, 404 for another's message). It goes on to the message's record when asked.
func handleMessageRead(db messageStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		a := accountFrom(r.Context())
		id, ok := parseID(chi.URLParam(r, "id"))
		if !ok {
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		version := f.version("version")
		if version < 0 {
			rs.conflict(w, r)
			return
		}
		if err := db.MarkMessageRead(r.Context(), portal.ActorOf(*a, clientIPFrom(r.Context())), id, version); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "消息已标为已读。")
		redirect(w, r, paths.Root()+"/messages#m"+strconv.FormatInt(id, 10))
	}
}
