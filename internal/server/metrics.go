package server

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// metrics counts requests by route pattern, method and status, and times them by route pattern, for Prometheus.
// It is written out in Prometheus's text format (version 0.0.4) by hand: a few counters and histograms do not
// justify a client library and its dependencies. Route patterns, not paths, are the labels, so the number of
// series is bounded by the URL map.
type metrics struct {
	mu       sync.Mutex
	requests map[requestKey]uint64
	latency  map[string]*histogram // by route pattern
}

type requestKey struct {
	route, method string
	status        int
}

// latencyBuckets are upper bounds in seconds: PERFORMANCE.md's page budgets sit in the lower ones, the database
// timeout in the upper ones.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[requestKey]uint64{}, latency: map[string]*histogram{}}
}

// observe records one finished request.
func (m *metrics) observe(route, method string, status int, took time.Duration) {
	if status == 0 {
		status = http.StatusOK // nothing written: net/http answers 200
	}
	secs := took.Seconds()
	i := sort.SearchFloat64s(latencyBuckets, secs)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{route, method, status}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		m.latency[route] = h
	}
	h.counts[i]++
	h.sum += secs
	h.n++
}

// MetricsHandler serves the portal's metrics in Prometheus's text format. It is never part of Handler: the
// command serves it on PORTAL_METRICS_ADDR, an address of its own that config keeps apart from the public one.
func (s *Server) MetricsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		s.writeMetrics(w)
	})
}

func (s *Server) writeMetrics(w io.Writer) {
	m := s.metrics
	m.mu.Lock()
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.route != b.route {
			return a.route < b.route
		}
		if a.method != b.method {
			return a.method < b.method
		}
		return a.status < b.status
	})
	fmt.Fprintln(w, "# HELP portal_http_requests_total HTTP requests answered, by route pattern, method and status.")
	fmt.Fprintln(w, "# TYPE portal_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "portal_http_requests_total{route=%s,method=%s,status=\"%d\"} %d\n",
			label(k.route), label(k.method), k.status, m.requests[k])
	}
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	fmt.Fprintln(w, "# HELP portal_http_request_duration_seconds Time to answer a request, by route pattern.")
	fmt.Fprintln(w, "# TYPE portal_http_request_duration_seconds histogram")
	for _, r := range routes {
		h := m.latency[r]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "portal_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", label(r),
				strconv.FormatFloat(le, 'g', -1, 64), cum)
		}
		fmt.Fprintf(w, "portal_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", label(r), h.n)
		fmt.Fprintf(w, "portal_http_request_duration_seconds_sum{route=%s} %g\n", label(r), h.sum)
		fmt.Fprintf(w, "portal_http_request_duration_seconds_count{route=%s} %d\n", label(r), h.n)
	}
	m.mu.Unlock()

	gauge := func(name, help string, values map[string]float64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
		names := make([]string, 0, len(values))
		for k := range values {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if k == "" {
				fmt.Fprintf(w, "%s %g\n", name, values[k])
			} else {
				fmt.Fprintf(w, "%s{%s} %g\n", name, k, values[k])
			}
		}
	}
	pools := map[string]*pgxpool.Pool{"main": s.db.Pool, "lookups": s.db.Lookups}
	acquired, idle, total, maxConns, waiting := map[string]float64{}, map[string]float64{}, map[string]float64{},
		map[string]float64{}, map[string]float64{}
	for name, p := range pools {
		st := p.Stat()
		l := "pool=" + label(name)
		acquired[l], idle[l], total[l] = float64(st.AcquiredConns()), float64(st.IdleConns()), float64(st.TotalConns())
		maxConns[l], waiting[l] = float64(st.MaxConns()), float64(st.EmptyAcquireCount())
	}
	gauge("portal_db_pool_acquired_connections", "Database connections in use.", acquired)
	gauge("portal_db_pool_idle_connections", "Database connections open and idle.", idle)
	gauge("portal_db_pool_total_connections", "Database connections open.", total)
	gauge("portal_db_pool_max_connections", "Database connections the pool may open.", maxConns)
	gauge("portal_db_pool_empty_acquire_total", "Times a request waited for a connection (a counter, kept by the pool).", waiting)
	gauge("portal_import_jobs_running", "台账 jobs running in this process.", map[string]float64{"": float64(len(s.imports.slots))})
	gauge("portal_import_jobs_admitted", "台账 jobs running or waiting in this process.", map[string]float64{"": float64(len(s.imports.admitted))})
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge("portal_go_heap_inuse_bytes", "Bytes of the Go heap in use.", map[string]float64{"": float64(ms.HeapInuse)})
	gauge("portal_go_goroutines", "Goroutines.", map[string]float64{"": float64(runtime.NumGoroutine())})
}

// label quotes a label value as the text format wants it.
func label(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v) + `"`
}
