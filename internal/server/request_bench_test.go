package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"
	"time"
)

// discardWriter is a ResponseWriter that keeps the status and forgets the body, so that a benchmark counts the
// portal's own work and not a recorder's buffer.
type discardWriter struct {
	header http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header { return w.header }
func (w *discardWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
func (w *discardWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += len(p)
	return len(p), nil
}

// cpuTime is the user and system CPU this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchSignedInPage serves path to username's session through the whole handler chain — session, account,
// the page's statements on a real PostgreSQL, rendering — without the network. Besides time and allocations it
// reports cpu-ns/op: the portal's own CPU per request (PostgreSQL runs in its own processes), which is what
// the load test's ratio to nginx comes down to on a machine the two share.
func benchSignedInPage(b *testing.B, username, path string) {
	a := newApp(b, nil)
	c := a.signedIn(username)
	u, _ := url.Parse(a.srv.URL)
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for _, ck := range c.http.Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	h := a.srv.Config.Handler
	serve := func() *discardWriter {
		w := &discardWriter{header: http.Header{}}
		h.ServeHTTP(w, req)
		return w
	}
	if w := serve(); w.status != http.StatusOK || w.n < 1000 {
		b.Fatalf("%s as %s: status %d, %d bytes", path, username, w.status, w.n)
	}
	b.ReportAllocs()
	// Requests in parallel, as under load: served one at a time, the runtime spins while each waits for
	// PostgreSQL, and that spinning would be most of the CPU measured.
	b.SetParallelism(8)
	b.ResetTimer()
	start := cpuTime(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if w := serve(); w.status != http.StatusOK {
				b.Errorf("%s: status %d", path, w.status)
				return
			}
		}
	})
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
}

func BenchmarkRequestDistrictOrgList(b *testing.B) {
	benchSignedInPage(b, "demo-district", "/district/orgs")
}

func BenchmarkRequestTownReportList(b *testing.B) {
	benchSignedInPage(b, "demo-town", "/town/reports")
}
