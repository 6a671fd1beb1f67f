package server

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// signInLimiter bounds sign-in attempts per client address: at most perMinute a minute (the public pages' token
// bucket, rateLimiter) and at most inFlight at once, so that one address flooding the sign-in form cannot fill
// the hashing queue that everyone's sign-in waits in. Its counts are per process, as rateLimiter's are: behind a
// load balancer of n processes an address gets at most n times as many, which still bounds a flood; the lockout
// (kept in the database) is what protects each account.
type signInLimiter struct {
	rate     *rateLimiter
	mu       sync.Mutex
	inFlight int
	running  map[string]int // attempts being checked, by address; an address leaves when it has none
}

func newSignInLimiter(perMinute, inFlight int) *signInLimiter {
	return &signInLimiter{rate: newRateLimiter(perMinute), inFlight: inFlight, running: map[string]int{}}
}

// take admits one attempt from addr, or says how long until one would be admitted.
func (l *signInLimiter) take(addr string) (ok bool, retry time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running[addr] >= l.inFlight {
		return false, time.Second
	}
	if ok, retry := l.rate.allow(addr, time.Now()); !ok {
		return false, retry
	}
	l.running[addr]++
	return true, 0
}

func (l *signInLimiter) done(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running[addr] <= 1 {
		delete(l.running, addr)
	} else {
		l.running[addr]--
	}
}

// limitSignIn answers 429 with a Chinese page to an address past its sign-in limits.
func (s *Server) limitSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := clientIPFrom(r.Context())
		ok, retry := s.signIns.take(addr)
		if !ok {
			secs := max(1, int(math.Ceil(retry.Seconds())))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			s.resp.errorPage(w, r, http.StatusTooManyRequests, "登录尝试过于频繁",
				"来自您所在网络地址的登录尝试过多，请 "+strconv.Itoa(secs)+" 秒后再试。如多人共用同一出口地址，请联系系统管理员。")
			return
		}
		defer s.signIns.done(addr)
		next.ServeHTTP(w, r)
	})
}
