package config

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsOutsideDemoNeedADataKey(t *testing.T) {
	_, err := Load(env(nil))
	if err == nil || !strings.Contains(err.Error(), "PORTAL_DATA_KEY") {
		t.Fatalf("no data key outside demo mode: err = %v", err)
	}
	c, err := Load(env(map[string]string{"PORTAL_DEMO": "true"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.IdleTimeout != 30*time.Minute || c.SessionLifetime != 8*time.Hour ||
		c.LockoutThreshold != 5 || c.LockoutDuration != 15*time.Minute || c.AuditRetention != 365*24*time.Hour {
		t.Fatalf("defaults: %+v", c)
	}
	if c.PublicConcurrency != runtime.GOMAXPROCS(0)+1 {
		t.Errorf("public pages served at once: %d, want one more than the %d cores", c.PublicConcurrency, runtime.GOMAXPROCS(0))
	}
	if string(c.DataKey) != string(DemoDataKey) || c.BaseURL != "http://127.0.0.1:8080" {
		t.Fatalf("demo key or base URL: %q %q", c.DataKey, c.BaseURL)
	}
}

func TestEveryBadSettingIsReportedAtOnce(t *testing.T) {
	_, err := Load(env(map[string]string{
		"PORTAL_IDLE_TIMEOUT":         "2h",
		"PORTAL_SESSION_LIFETIME":     "9h",
		"PORTAL_LOCKOUT_THRESHOLD":    "many",
		"PORTAL_AUDIT_RETENTION_DAYS": "30",
		"PORTAL_DEMO":                 "maybe",
		"PORTAL_DATA_KEY":             "c2hvcnQ=",
		"PORTAL_PUBLIC_CONCURRENCY":   "0",
	}))
	if err == nil {
		t.Fatal("bad settings accepted")
	}
	for _, want := range []string{"PORTAL_IDLE_TIMEOUT", "PORTAL_SESSION_LIFETIME", "PORTAL_LOCKOUT_THRESHOLD",
		"PORTAL_AUDIT_RETENTION_DAYS", "PORTAL_DEMO", "PORTAL_DATA_KEY", "PORTAL_PUBLIC_CONCURRENCY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
}

func TestARealKeyIsAccepted(t *testing.T) {
	c, err := Load(env(map[string]string{"PORTAL_DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "PORTAL_BASE_URL": "https://cso.example.gov.cn/"}))
	if err != nil {
		t.Fatal(err)
	}
	if string(c.DataKey) != "0123456789abcdef0123456789abcdef" || c.BaseURL != "https://cso.example.gov.cn" {
		t.Fatalf("key %q base %q", c.DataKey, c.BaseURL)
	}
}

func TestTheProfilerListensOnLoopbackOnly(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:6060": true, "localhost:6060": true, "[::1]:6060": true,
		"0.0.0.0:6060": false, ":6060": false, "10.1.2.3:6060": false, "127.0.0.1": false} {
		_, err := Load(env(map[string]string{"PORTAL_DEMO": "true", "PORTAL_DEBUG_ADDR": addr}))
		if (err == nil) != ok {
			t.Errorf("PORTAL_DEBUG_ADDR=%s: err = %v, want accepted %v", addr, err, ok)
		}
	}
}

// Metrics never share the public listener; the log format is text or json.
func TestMetricsStayOffThePublicAddress(t *testing.T) {
	for metrics, ok := range map[string]bool{"127.0.0.1:9090": true, "": true, "127.0.0.1:8080": false,
		"0.0.0.0:8080": false, ":8080": false} {
		_, err := Load(env(map[string]string{"PORTAL_DEMO": "true", "PORTAL_METRICS_ADDR": metrics}))
		if (err == nil) != ok {
			t.Errorf("PORTAL_METRICS_ADDR=%q with PORTAL_ADDR 127.0.0.1:8080: err = %v", metrics, err)
		}
	}
	if _, err := Load(env(map[string]string{"PORTAL_DEMO": "true", "PORTAL_LOG_FORMAT": "xml"})); err == nil {
		t.Error("PORTAL_LOG_FORMAT=xml accepted")
	}
	key := "eXViZWktZGVtby1rZXktbm90LWZvci1yZWFsLWRhdGE=" // the published demo key
	if _, err := Load(env(map[string]string{"PORTAL_DATA_KEY": key})); err == nil {
		t.Error("the published demo key accepted outside demo mode")
	}
}
