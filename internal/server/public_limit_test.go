package server

import (
	"testing"
	"time"
)

func TestRateLimiterRefillsPerClient(t *testing.T) {
	l := newRateLimiter(60) // one a second, sixty saved up
	now := time.Unix(1_700_000_000, 0)
	for i := range 60 {
		if ok, _ := l.allow("a", now); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.allow("a", now)
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("past the burst: ok %v, wait %v", ok, wait)
	}
	if ok, _ := l.allow("b", now); !ok {
		t.Fatal("another client is refused")
	}
	if ok, _ := l.allow("a", now.Add(1100*time.Millisecond)); !ok {
		t.Fatal("a second later, still refused")
	}
	l.sweep(now.Add(2 * time.Minute))
	if len(l.buckets) != 0 {
		t.Errorf("refilled buckets kept: %d", len(l.buckets))
	}
	if ok, _ := newRateLimiter(0).allow("a", now); !ok {
		t.Error("no limit refuses")
	}
}
