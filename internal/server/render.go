package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/yubei-cso/portal/internal/auth"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/web"
)

// responder renders pages and the plain error pages; it is the one place that logs a failed request.
type responder struct {
	log *slog.Logger
	// ping asks the database whether it answers, for errors whose type does not say (a connection closed
	// under a query can surface in several shapes).
	ping func(ctx context.Context) error
}

// render writes a page with status. Pages are rendered to a buffer first so that a failure half-way shows an
// error page rather than half a page.
func (rs *responder) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	// Rendering reads memory only; a request whose database deadline has just passed still gets its page.
	if err := c.Render(context.WithoutCancel(r.Context()), buf); err != nil {
		rs.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The length is known, so the page goes out in one piece rather than in chunks.
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// serverError logs err with the request id and route and shows a plain page: 503 when the database cannot be
// reached, 500 otherwise. The user never sees err.Error().
func (rs *responder) serverError(w http.ResponseWriter, r *http.Request, err error) {
	status, heading, msg := http.StatusInternalServerError, "系统错误", "处理请求时发生错误，请稍后重试。"
	switch {
	case errors.Is(err, context.Canceled):
		return // the client went away
	case postgres.IsBadInput(err):
		// A value the database cannot keep (too long for an index, a number out of range): the input's fault.
		rs.log.Warn("request refused by the database", "request_id", requestIDFrom(r.Context()), "method", r.Method,
			"route", routePattern(r), "err", err)
		rs.badRequest(w, r)
		return
	case errors.Is(err, auth.ErrBusy):
		status, heading, msg = http.StatusServiceUnavailable, "系统繁忙", "当前登录请求过多，请稍后重试。"
	case postgres.IsUnavailable(err) || rs.databaseDown(r.Context()):
		status, heading, msg = http.StatusServiceUnavailable, "服务暂时不可用", "数据库暂时无法连接，请稍后重试。您已提交的数据不会丢失。"
	}
	rs.log.Error("request failed", "request_id", requestIDFrom(r.Context()), "method", r.Method,
		"route", routePattern(r), "status", status, "err", err)
	rs.errorPage(w, r, status, heading, msg)
}

func (rs *responder) databaseDown(ctx context.Context) bool {
	if rs.ping == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancel()
	return rs.ping(ctx) != nil
}

func (rs *responder) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	// A response already under way (a download cut short by the client going away) cannot become an error page:
	// its status is sent, and writing another would only make net/http log a superfluous WriteHeader.
	if responseStarted(w) {
		rs.log.Warn("error after the response started", "request_id", requestIDFrom(r.Context()),
			"route", routePattern(r), "status", status)
		return
	}
	// An error is no page to keep: the same request may answer otherwise a moment later (public pages are
	// otherwise cacheable).
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	v := web.ErrorView{Page: web.NewPage(heading, accountFrom(r.Context()), "", ""), Status: status,
		Heading: heading, Message: msg, RequestID: requestIDFrom(r.Context())}
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := web.ErrorPage(v).Render(context.WithoutCancel(r.Context()), buf); err != nil {
		http.Error(w, heading, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// notFound answers 404; an object outside the caller's jurisdiction gets the same answer as a missing one.
func (rs *responder) notFound(w http.ResponseWriter, r *http.Request) {
	rs.errorPage(w, r, http.StatusNotFound, "页面不存在", "您访问的页面或记录不存在，或不在您的管辖范围内。")
}

// badRequest answers input that no form of the portal produces (NUL bytes, bytes that are not UTF-8, values
// out of every range): 400, nothing written.
func (rs *responder) badRequest(w http.ResponseWriter, r *http.Request) {
	rs.errorPage(w, r, http.StatusBadRequest, "请求无效",
		"提交的内容含有无法识别的字符（如空字符或非 UTF-8 编码）或超出允许的长度、范围，未作任何修改。请检查后重新提交。")
}

func (rs *responder) forbidden(w http.ResponseWriter, r *http.Request) {
	rs.errorPage(w, r, http.StatusForbidden, "无权访问", "您的账号无权访问该页面。")
}

func (rs *responder) conflict(w http.ResponseWriter, r *http.Request) {
	rs.errorPage(w, r, http.StatusConflict, "操作冲突",
		"该记录刚刚已被其他人修改，您的操作没有生效。请返回并刷新页面，查看最新状态后再操作。")
}

// fail maps a store error to its page: out of scope or missing → 404, stale version → 409, else 500/503.
func (rs *responder) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, portal.ErrNotFound):
		rs.notFound(w, r)
	case errors.Is(err, portal.ErrConflict):
		rs.conflict(w, r)
	default:
		rs.serverError(w, r, err)
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) { s.resp.notFound(w, r) }

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	s.resp.errorPage(w, r, http.StatusMethodNotAllowed, "不支持的请求", "该页面不支持此请求方式。")
}

// redirect answers a successful form with 303 and a flash message for the next page.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
