// Abuse protection for the public directory search and the verification by number: a token bucket per client
// address.
//
// The buckets live in this process's memory, which DESIGN.md otherwise avoids: behind a load balancer each
// process counts on its own, so a client may get up to N times the rate from N processes. That is acceptable
// for what this is — a brake on scrapers and brute-force guessing, not an accounting of anyone's use — and it
// costs no database write per public request, which a shared counter in PostgreSQL would (the directory is
// the page that may see real traffic). A lost bucket (a restart) only forgives a client early.
package server

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// maxBuckets bounds the memory the limiter may take (about 100 bytes a bucket): past it, idle buckets are
// dropped at once, and if none is idle, all of them.
const maxBuckets = 100_000

type rateLimiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// newRateLimiter allows perMinute requests a minute per key, all of them at once if saved up; 0 allows all.
func newRateLimiter(perMinute int) *rateLimiter {
	if perMinute <= 0 {
		return nil
	}
	return &rateLimiter{rate: float64(perMinute) / 60, burst: float64(perMinute), buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket, or says how long until one is there.
func (l *rateLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute || len(l.buckets) >= maxBuckets {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// sweep drops the buckets that have refilled: they hold nothing a new bucket would not.
func (l *rateLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
	l.swept = now
}

// limited answers 429 with a page in Chinese when the client has used its rate, and reports whether it did.
func (l *rateLimiter) limited(w http.ResponseWriter, r *http.Request, rs *responder) bool {
	ok, wait := l.allow(clientIPFrom(r.Context()), time.Now())
	if ok {
		return false
	}
	secs := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	rs.errorPage(w, r, http.StatusTooManyRequests, "查询过于频繁",
		"您的查询次数过多，请在 "+strconv.Itoa(secs)+" 秒后再试。为保障平台正常运行，同一网络地址每分钟的查询次数有限制。")
	return true
}
