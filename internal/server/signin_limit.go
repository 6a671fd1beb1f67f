package server

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// signInLimiter bounds sign-in attempts per client address: at most perMinute a minute (a bucket that refills
// steadily, so a clerk who mistypes twice is never held up) and at most inFlight at once, so that one address
// flooding the sign-in form cannot fill the hashing queue that everyone's sign-in waits in. Its counts are per
// process: behind a load balancer of n processes an address gets at most n times as many, which still bounds a
// flood; the lockout (kept in the database) is what protects each account.
type signInLimiter struct {
	mu        sync.Mutex
	perMinute float64
	inFlight  int
	clients   map[string]*signInBucket
	now       func() time.Time
}

type signInBucket struct {
	tokens  float64
	at      time.Time
	running int
}

// maxTrackedAddresses bounds the limiter's memory; past it, addresses with a full bucket and nothing running
// are forgotten (they are as good as new).
const maxTrackedAddresses = 10000

func newSignInLimiter(perMinute, inFlight int) *signInLimiter {
	return &signInLimiter{perMinute: float64(perMinute), inFlight: inFlight, clients: map[string]*signInBucket{},
		now: time.Now}
}

// take admits one attempt from addr, or reports how long until one would be admitted.
func (l *signInLimiter) take(addr string) (ok bool, retry time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.clients[addr]
	if b == nil {
		if len(l.clients) >= maxTrackedAddresses {
			l.forget(now)
		}
		b = &signInBucket{tokens: l.perMinute, at: now}
		l.clients[addr] = b
	}
	b.tokens = min(l.perMinute, b.tokens+now.Sub(b.at).Minutes()*l.perMinute)
	b.at = now
	if b.running >= l.inFlight {
		return false, time.Second
	}
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.perMinute * float64(time.Minute))
	}
	b.tokens--
	b.running++
	return true, 0
}

func (l *signInLimiter) done(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.clients[addr]; b != nil && b.running > 0 {
		b.running--
	}
}

func (l *signInLimiter) forget(now time.Time) {
	for addr, b := range l.clients {
		if b.running == 0 && b.tokens+now.Sub(b.at).Minutes()*l.perMinute >= l.perMinute {
			delete(l.clients, addr)
		}
	}
}

// limitSignIn answers 429 with a Chinese page to an address past its sign-in limits.
func (s *Server) limitSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := clientIPFrom(r.Context())
		ok, retry := s.signIns.take(addr)
		if !ok {
			secs := max(1, int(retry.Round(time.Second)/time.Second))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			s.resp.errorPage(w, r, http.StatusTooManyRequests, "登录尝试过于频繁",
				"来自您所在网络地址的登录尝试过多，请 "+strconv.Itoa(secs)+" 秒后再试。如多人共用同一出口地址，请联系系统管理员。")
			return
		}
		defer s.signIns.done(addr)
		next.ServeHTTP(w, r)
	})
}
