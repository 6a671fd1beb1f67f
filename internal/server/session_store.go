package server

import (
	"context"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
)

// sessionStore keeps sessions in PostgreSQL's sessions table, so that every portal process accepts every
// other's (SECURITY.md 5). The table holds each token's hash, never the token (postgres.SessionKey). A session
// and the account it belongs to are read in one statement, and the account handed to loadAccount through the
// request's context: read apart, session and account were two of a list page's three round trips.
type sessionStore struct {
	db *postgres.DB
}

// cleanSessions deletes expired session rows every interval until stop is called.
func cleanSessions(db *postgres.DB, interval time.Duration) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				_ = db.DeleteExpiredSessions(ctx)
				cancel()
			case <-done:
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

var _ scs.CtxStore = sessionStore{}

// requestSession is what a request knows of its session besides scs's values: the manager, for the flash
// helpers, and the account the store read with the session.
type requestSession struct {
	sm      *scs.SessionManager
	account *portal.Account // the account named by the session row the store read; nil for none
}

func requestSessionFrom(ctx context.Context) *requestSession {
	rs, _ := ctx.Value(keySessions).(*requestSession)
	return rs
}

// unreadCounted tells whether the session store read account id with its session, and with it the account's
// unread 站内消息 (SessionWithAccount).
func unreadCounted(ctx context.Context, id int64) bool {
	rs := requestSessionFrom(ctx)
	return rs != nil && rs.account != nil && rs.account.ID == id
}

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	data, account, found, err := s.db.SessionWithAccount(ctx, token)
	if rs := requestSessionFrom(ctx); rs != nil && err == nil {
		rs.account = account
	}
	return data, found, err
}

// CommitCtx writes the session with the account id its values hold, which is what FindCtx joins on.
func (s sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	var account int64
	if _, values, err := (sessionCodec{}).Decode(b); err == nil {
		account, _ = values[sessAccountID].(int64)
	}
	return s.db.CommitSession(ctx, token, b, expiry, account)
}

func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.db.DeleteSession(ctx, token)
}

func (s sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

func (s sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// withRequestSession gives the request the place where the session store leaves the account it read. It runs
// before scs loads the session.
func (s *Server) withRequestSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keySessions, &requestSession{sm: s.sessions})))
	})
}
