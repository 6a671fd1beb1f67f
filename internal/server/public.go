package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/scs/v2"

	"github.com/yubei-cso/portal/internal/auth"
	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

func handleHealthz() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	}
}

type readiness interface {
	Ready(ctx context.Context) error
}

// handleReadyz answers 200 when the database answers within two seconds, else 503.
func handleReadyz(db readiness) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := db.Ready(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unavailable\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	}
}

type homeStore interface {
	DivisionCounts(ctx context.Context) (towns, communities int, err error)
	PublicTownCounts(ctx context.Context, scope portal.Scope) ([]registry.PublicDivisionCount, error)
	homeLatestStore
}

// handleHome is the public front door: a search box, the registry's figures and its groups counted by town.
func handleHome(db homeStore, ps *publicScoper, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		towns, communities, err := db.DivisionCounts(r.Context())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		scope, err := ps.get(r.Context())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		counts, err := db.PublicTownCounts(r.Context(), scope)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		a := accountFrom(r.Context())
		v := web.NewHomeView(web.NewPage("首页", a, "", ""), towns, communities, counts)
		if v.Latest, err = homeLatest(r.Context(), db, scope); err != nil {
			rs.serverError(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.HomePage(v))
	}
}

// loginView is the sign-in page; in demo mode it lists the demo accounts and their password.
func loginView(cfg config.Config, demo web.DemoLogin, a *portal.Account) web.LoginView {
	v := web.LoginView{Page: web.NewPage("登录", a, "", ""), Demo: cfg.Demo}
	if cfg.Demo {
		v.DemoPassword, v.DemoAccounts = demo.Password, demo.Accounts
	}
	return v
}

func handleLoginPage(cfg config.Config, demo web.DemoLogin, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := loginView(cfg, demo, accountFrom(r.Context()))
		v.Next = safeNext(r.URL.Query().Get("next"))
		v.LoggedOut = r.URL.Query().Get("out") == "1"
		rs.render(w, r, http.StatusOK, web.LoginPage(v))
	}
}

type loginStore interface {
	AccountForLogin(ctx context.Context, username string) (portal.Account, string, error)
	RecordSignIn(ctx context.Context, actor portal.Actor, action string, passwordOK bool, threshold int, lockFor time.Duration) (postgres.SignInOutcome, error)
	Audit(ctx context.Context, e portal.AuditEntry) error
}

// loginFailed is the one message for every failed sign-in: it must not tell whether the username exists, or
// whether it is locked or disabled (SECURITY.md 2).
const loginFailed = "用户名或密码错误，或账号已被锁定、停用。连续 5 次密码错误将锁定 15 分钟。"

// maxUsernameLen bounds what a sign-in form's username may be; account names are at most 40 characters.
const maxUsernameLen = 64

func handleLoginPost(cfg config.Config, demo web.DemoLogin, db loginStore, sm *scs.SessionManager, h *auth.Hasher, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		username := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
		password := r.PostFormValue("password")
		next := safeNext(r.PostFormValue("next"))
		fail := func(status int, msg string) {
			v := loginView(cfg, demo, nil)
			v.Username, v.Next, v.Error = username, next, msg
			rs.render(w, r, status, web.LoginPage(v))
		}
		if username == "" || password == "" {
			fail(http.StatusUnprocessableEntity, "请输入用户名和密码。")
			return
		}
		if !textOK(username, maxUsernameLen) || !utf8.ValidString(password) || strings.ContainsRune(password, 0) {
			username = ""
			fail(http.StatusUnprocessableEntity, "用户名或密码含有无法识别的字符，请重新输入。")
			return
		}
		ip := clientIPFrom(r.Context())
		a, hash, err := db.AccountForLogin(r.Context(), username)
		if err != nil && !errors.Is(err, portal.ErrNotFound) {
			rs.serverError(w, r, err)
			return
		}
		known := err == nil
		if !known {
			hash = "" // still spend the time of one hash, so the answer's timing says nothing
		}
		ok, err := h.Verify(r.Context(), password, hash)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if !known {
			// The username is kept only as a short keyed digest: whatever was typed (a password in the wrong
			// box, a flood of junk) neither fills nor leaks through the append-only audit log.
			if err := db.Audit(r.Context(), portal.AuditEntry{Actor: portal.Actor{Username: unknownUsername(cfg.DataKey, username), IP: ip},
				Action: "login.failed", ObjectType: "account", Result: portal.ResultFailed, Detail: "用户名不存在"}); err != nil {
				rs.serverError(w, r, err)
				return
			}
			fail(http.StatusUnauthorized, loginFailed)
			return
		}
		// The lock and the disabled flag are decided now, after the wait for a hashing slot, under the
		// account's row lock (SECURITY.md 2): a burst of guesses cannot outrun the lockout.
		actor := portal.ActorOf(a, ip)
		outcome, err := db.RecordSignIn(r.Context(), actor, "login", ok, cfg.LockoutThreshold, cfg.LockoutDuration)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if outcome != postgres.SignInOK {
			fail(http.StatusUnauthorized, loginFailed)
			return
		}
		// A new token at sign-in defeats session fixation (SECURITY.md 3).
		if err := sm.RenewToken(r.Context()); err != nil {
			rs.serverError(w, r, err)
			return
		}
		sm.Put(r.Context(), sessAccountID, a.ID)
		sm.Put(r.Context(), sessSessionVersion, a.SessionVersion)
		sm.Put(r.Context(), sessRole, string(a.Role))
		sm.Put(r.Context(), sessSeenAt, time.Now().UnixMilli())
		sm.Put(r.Context(), sessSignedInAt, time.Now().UnixMilli())
		if next == "" || next == "/" {
			next = "/" + string(a.Tier)
		}
		redirect(w, r, next)
	}
}

// unknownUsername is how the audit log names a sign-in attempt for a username that does not exist: a fixed
// length digest keyed with the data key, so that the same junk shows as the same name to an auditor, but what
// was typed cannot be read back or guessed from a dictionary.
func unknownUsername(key []byte, username string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(username))
	return "未知用户#" + hex.EncodeToString(m.Sum(nil))[:16]
}

// textOK reports whether a submitted value is text the portal can keep: valid UTF-8, no NUL byte (PostgreSQL
// refuses both), at most max bytes.
func textOK(v string, max int) bool {
	return len(v) <= max && utf8.ValidString(v) && !strings.ContainsRune(v, 0)
}

type sessionEnder interface {
	EndSessions(ctx context.Context, actor portal.Actor, action string) error
}

// handleLogout ends every session of the account (SECURITY.md 4) and this one's cookie.
func handleLogout(db sessionEnder, sm *scs.SessionManager, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a := accountFrom(r.Context()); a != nil {
			if err := db.EndSessions(r.Context(), portal.ActorOf(*a, clientIPFrom(r.Context())), "logout"); err != nil {
				rs.serverError(w, r, err)
				return
			}
		}
		if err := sm.Destroy(r.Context()); err != nil {
			rs.serverError(w, r, err)
			return
		}
		redirect(w, r, "/login?out=1")
	}
}

func handlePasswordPage(rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := web.PasswordView{Page: web.NewPage("修改密码", accountFrom(r.Context()), "", "")}
		rs.render(w, r, http.StatusOK, web.PasswordPage(v))
	}
}

type passwordStore interface {
	AccountForLogin(ctx context.Context, username string) (portal.Account, string, error)
	RecordSignIn(ctx context.Context, actor portal.Actor, action string, passwordOK bool, threshold int, lockFor time.Duration) (postgres.SignInOutcome, error)
	ChangeOwnPassword(ctx context.Context, actor portal.Actor, hash string) (int, error)
}

// handlePasswordChange sets the user's own password; every other session of theirs ends, this one is renewed.
func handlePasswordChange(cfg config.Config, db passwordStore, sm *scs.SessionManager, h *auth.Hasher, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		current, pw, confirm := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm")
		problems := map[string]string{}
		_, hash, err := db.AccountForLogin(r.Context(), a.Username)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		ok, err := h.Verify(r.Context(), current, hash)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		// A guess at the current password counts toward the lockout like a sign-in, and is audited: a
		// session left open must not become an unlimited password oracle.
		actor := portal.ActorOf(*a, clientIPFrom(r.Context()))
		outcome, err := db.RecordSignIn(r.Context(), actor, "account.password", ok, cfg.LockoutThreshold, cfg.LockoutDuration)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		switch outcome {
		case postgres.SignInFailed:
			problems["current"] = "当前密码不正确"
		case postgres.SignInLocked, postgres.SignInDisabled:
			problems["current"] = "当前密码错误次数过多，账号已锁定，请稍后再试或联系管理员解锁"
		}
		if p := portal.PasswordProblem(pw, a.Username); p != "" {
			problems["password"] = p
		} else if pw == current {
			problems["password"] = "新密码不能与当前密码相同"
		}
		if confirm != pw {
			problems["confirm"] = "两次输入的新密码不一致"
		}
		if len(problems) > 0 {
			v := web.PasswordView{Page: web.NewPage("修改密码", a, "", ""), Problems: problems}
			rs.render(w, r, http.StatusUnprocessableEntity, web.PasswordPage(v))
			return
		}
		newHash, err := h.Hash(r.Context(), pw)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		version, err := db.ChangeOwnPassword(r.Context(), actor, newHash)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if err := sm.RenewToken(r.Context()); err != nil {
			rs.serverError(w, r, err)
			return
		}
		sm.Put(r.Context(), sessSessionVersion, version)
		putFlash(r, "密码已修改，您在其他设备上的登录已结束。")
		redirect(w, r, "/"+string(a.Tier))
	}
}
