package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path"
	"runtime/debug"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyAccount
	keyClientIP
	keySessions
)

func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

// accountFrom is the signed-in account, or nil.
func accountFrom(ctx context.Context) *portal.Account {
	a, _ := ctx.Value(keyAccount).(*portal.Account)
	return a
}

func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "(unmatched)"
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := randomToken(8)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyRequestID, id)))
	})
}

// securityHeaders sets SECURITY.md 11's headers on every response, with a fresh CSP nonce that templ puts on
// our one script tag.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		nonce := base64.StdEncoding.EncodeToString(b)
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-"+nonce+"'; style-src 'self'; "+
			"img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r.WithContext(templ.WithNonce(r.Context(), nonce)))
	})
}

// hsts tells browsers to come back over TLS only, when the portal is served over TLS (PORTAL_SECURE_COOKIES):
// a year, subdomains included, so that no later visit starts in clear text where it could be intercepted.
func (s *Server) hsts(next http.Handler) http.Handler {
	if !s.cfg.SecureCookies {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		next.ServeHTTP(w, r)
	})
}

// noListing answers 404 for a folder of the static files instead of listing what it holds.
func noListing(rs *responder, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; strings.HasSuffix(p, "/") || path.Ext(p) == "" {
			rs.notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// noStore keeps pages with personal data out of browser and proxy caches.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// crossOriginProtection refuses unsafe cross-origin requests (SECURITY.md 9) with Go's own check of
// Sec-Fetch-Site and Origin against Host.
func crossOriginProtection(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "跨站请求已被拒绝 (cross-origin request refused)", http.StatusForbidden)
	}))
	return cop.Handler(next)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// responseStarted reports whether w (or a writer it wraps) has sent its status already.
func responseStarted(w http.ResponseWriter) bool {
	for w != nil {
		if rec, ok := w.(*statusRecorder); ok {
			return rec.status != 0
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return false
		}
		w = u.Unwrap()
	}
	return false
}

// logRequests logs one line per request: route pattern and path only, never the query string or form (they can
// hold ID numbers or phone numbers, SECURITY.md 17).
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), keyClientIP, clientIP(r, s.cfg.TrustProxyHeaders)))
		next.ServeHTTP(rec, r)
		took := time.Since(start)
		s.metrics.observe(routePattern(r), r.Method, rec.status, took)
		s.resp.log.Info("request", "request_id", requestIDFrom(r.Context()), "method", r.Method,
			"route", routePattern(r), "status", rec.status, "ms", took.Milliseconds())
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.resp.serverError(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// clientIP is the peer's address, or the nearest X-Forwarded-For hop when the portal is told it sits behind a
// proxy that sets it.
func clientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func clientIPFrom(ctx context.Context) string {
	ip, _ := ctx.Value(keyClientIP).(string)
	return ip
}

// Session keys.
const (
	sessAccountID      = "account_id"
	sessSessionVersion = "session_version"
	sessFlash          = "flash"
	sessSeenAt         = "seen_at"      // Unix milliseconds of the last request, for the idle timeout
	sessRole           = "role"         // the 岗位角色 the token was issued for; a change renews the token
	sessSignedInAt     = "signed_in_at" // Unix milliseconds of the sign-in: renewing the token keeps the absolute limit
)

// touchEvery is how stale the last-seen time may grow before a request writes it again: a tenth of the idle
// timeout, at most a minute, so the timeout stays accurate to that margin while an active clerk's session row
// is written about once a minute instead of once per page.
func touchEvery(idle time.Duration) time.Duration {
	return min(idle/10, time.Minute)
}

// loadAccount puts the signed-in account into the request context. A session whose account was disabled, or
// whose session version has moved on (sign-out elsewhere, password change, re-scope), is destroyed here, which
// is how one action ends every session of an account across all portal processes.
func (s *Server) loadAccount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := s.sessions.GetInt64(r.Context(), sessAccountID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		// The store read the account with the session. A row written before sessions named their account
		// (or a test's session without the store) reads it here.
		var a portal.Account
		var err error
		if rs := requestSessionFrom(r.Context()); rs != nil && rs.account != nil && rs.account.ID == id {
			a = *rs.account
		} else {
			a, err = s.db.AccountByID(r.Context(), id)
		}
		switch {
		case errors.Is(err, portal.ErrNotFound):
		case err != nil:
			s.resp.serverError(w, r, err)
			return
		case a.Disabled || a.SessionVersion != s.sessions.GetInt(r.Context(), sessSessionVersion):
		case s.idleFor(r) > s.cfg.IdleTimeout:
		case s.signedInFor(r) > s.cfg.SessionLifetime:
		default:
			// A role changed since the token was issued (by an administrator, in another request) gets a new
			// token on the account's next request (SECURITY.md 3): the old one no longer names a session.
			if s.sessions.GetString(r.Context(), sessRole) != string(a.Role) {
				if err := s.sessions.RenewToken(r.Context()); err != nil {
					s.resp.serverError(w, r, err)
					return
				}
				s.sessions.Put(r.Context(), sessRole, string(a.Role))
			}
			if s.idleFor(r) > touchEvery(s.cfg.IdleTimeout) {
				s.sessions.Put(r.Context(), sessSeenAt, time.Now().UnixMilli())
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyAccount, &a)))
			return
		}
		if err := s.sessions.Destroy(r.Context()); err != nil {
			s.resp.serverError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// idleFor is how long the session has gone without a request; a session that never recorded one is as idle as
// can be.
func (s *Server) idleFor(r *http.Request) time.Duration {
	seen := s.sessions.GetInt64(r.Context(), sessSeenAt)
	if seen == 0 {
		return time.Duration(1<<63 - 1)
	}
	return time.Since(time.UnixMilli(seen))
}

// signedInFor is how long ago the session's account signed in. A renewed token (after a role change or a
// password change) carries a new deadline in scs; the sign-in time keeps the absolute lifetime (SECURITY.md 3)
// counted from the sign-in. A session written before this value existed has only its scs deadline.
func (s *Server) signedInFor(r *http.Request) time.Duration {
	at := s.sessions.GetInt64(r.Context(), sessSignedInAt)
	if at == 0 {
		return 0
	}
	return time.Since(time.UnixMilli(at))
}

// loginURL is where an anonymous request for path goes: the sign-in page, returning to path afterwards.
func loginURL(r *http.Request) string {
	return "/login?next=" + url.QueryEscape(r.URL.RequestURI())
}

func requireSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if accountFrom(r.Context()) == nil {
			http.Redirect(w, r, loginURL(r), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireTier admits only accounts of tier t: anonymous requests go to sign in, other tiers get 403.
func requireTier(t portal.Tier, rs *responder) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := accountFrom(r.Context())
			switch {
			case a == nil:
				http.Redirect(w, r, loginURL(r), http.StatusSeeOther)
			case a.Tier != t:
				rs.forbidden(w, r)
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}

// safeNext accepts only a same-site path for the post-login redirect (SECURITY.md 10); anything else is "".
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return next
}

// takeFlashCtx reads and clears the one-time message the previous request left in the session.
func takeFlashCtx(r *http.Request) string {
	if rs := requestSessionFrom(r.Context()); rs != nil {
		return rs.sm.PopString(r.Context(), sessFlash)
	}
	return ""
}

// putFlash leaves a one-time message for the page the user is redirected to.
func putFlash(r *http.Request, msg string) {
	if rs := requestSessionFrom(r.Context()); rs != nil {
		rs.sm.Put(r.Context(), sessFlash, msg)
	}
}
