// Package config reads every setting of the portal from the environment at once and validates them together.
package config

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the portal. README.md lists them; keep the two in step.
type Config struct {
	Addr              string        // PORTAL_ADDR: where to listen
	DatabaseURL       string        // DATABASE_URL: PostgreSQL as the serving role; empty means the dev command manages its own cluster
	OwnerDatabaseURL  string        // PORTAL_OWNER_DATABASE_URL: PostgreSQL as the role owning the tables (migrations, seeding, purge); empty: DATABASE_URL
	Demo              bool          // PORTAL_DEMO: demo mode (demo accounts, their password shown on the login page)
	DemoAdopt         bool          // PORTAL_DEMO_ADOPT: let demo mode load its accounts into a database it did not create
	SecureCookies     bool          // PORTAL_SECURE_COOKIES: mark the session cookie Secure (serve over TLS)
	IdleTimeout       time.Duration // PORTAL_IDLE_TIMEOUT: a session ends after this long without a request (≤30m)
	SessionLifetime   time.Duration // PORTAL_SESSION_LIFETIME: a session ends this long after sign-in (≤8h)
	LockoutThreshold  int           // PORTAL_LOCKOUT_THRESHOLD: failed sign-ins that lock an account
	LockoutDuration   time.Duration // PORTAL_LOCKOUT_DURATION: how long a locked account stays locked
	SignInRate        int           // PORTAL_SIGNIN_RATE: sign-in attempts a minute one client address may make
	AuditRetention    time.Duration // PORTAL_AUDIT_RETENTION_DAYS: audit rows are kept at least this long (≥180 days)
	HashConcurrency   int           // PORTAL_HASH_CONCURRENCY: argon2id hashes computed at once (memory bound)
	TrustProxyHeaders bool          // PORTAL_TRUST_PROXY: take the client IP from X-Forwarded-For (behind a proxy)
	DBTimeout         time.Duration // PORTAL_DB_TIMEOUT: how long a request waits for the database before 503
	DataKey           []byte        // PORTAL_DATA_KEY: base64 of 32 bytes sealing 负责人 phone and 身份证号; demo mode has a published one
	UploadDir         string        // PORTAL_UPLOAD_DIR: where uploaded documents are stored (never served directly)
	BaseURL           string        // PORTAL_BASE_URL: the public address printed in QR codes on 备案证明
	DebugAddr         string        // PORTAL_DEBUG_ADDR: a loopback address serving Go's profiler (pprof); empty: none
	PublicRate        int           // PORTAL_PUBLIC_RATE: directory searches and number checks per minute per client address; 0: no limit
	PublicConcurrency int           // PORTAL_PUBLIC_CONCURRENCY: public pages served at once; more wait their turn (default: cores + 1)
	MetricsAddr       string        // PORTAL_METRICS_ADDR: where Prometheus metrics are served, never the public address; empty: none
	LogFormat         string        // PORTAL_LOG_FORMAT: text (default) or json, one object a line
}

// DemoDataKey seals personal data in demo mode only. It is published here on purpose: demo data is invented,
// and a real deployment must set PORTAL_DATA_KEY (serve refuses to start without one outside demo mode).
var DemoDataKey = []byte("yubei-demo-key-not-for-real-data")

// Load reads the settings through getenv (os.Getenv in production, a map in tests) and reports every bad one.
func Load(getenv func(string) string) (Config, error) {
	p := parser{getenv: getenv}
	c := Config{
		Addr:              p.str("PORTAL_ADDR", "127.0.0.1:8080"),
		DatabaseURL:       p.str("DATABASE_URL", ""),
		OwnerDatabaseURL:  p.str("PORTAL_OWNER_DATABASE_URL", ""),
		Demo:              p.boolean("PORTAL_DEMO", false),
		DemoAdopt:         p.boolean("PORTAL_DEMO_ADOPT", false),
		SecureCookies:     p.boolean("PORTAL_SECURE_COOKIES", false),
		IdleTimeout:       p.duration("PORTAL_IDLE_TIMEOUT", 30*time.Minute),
		SessionLifetime:   p.duration("PORTAL_SESSION_LIFETIME", 8*time.Hour),
		LockoutThreshold:  p.integer("PORTAL_LOCKOUT_THRESHOLD", 5),
		LockoutDuration:   p.duration("PORTAL_LOCKOUT_DURATION", 15*time.Minute),
		SignInRate:        p.integer("PORTAL_SIGNIN_RATE", 30),
		AuditRetention:    time.Duration(p.integer("PORTAL_AUDIT_RETENTION_DAYS", 365)) * 24 * time.Hour,
		HashConcurrency:   p.integer("PORTAL_HASH_CONCURRENCY", 2),
		TrustProxyHeaders: p.boolean("PORTAL_TRUST_PROXY", false),
		DBTimeout:         p.duration("PORTAL_DB_TIMEOUT", 3*time.Second),
		DataKey:           p.key("PORTAL_DATA_KEY"),
		UploadDir:         p.str("PORTAL_UPLOAD_DIR", "uploads"),
		BaseURL:           strings.TrimRight(p.str("PORTAL_BASE_URL", ""), "/"),
		DebugAddr:         p.str("PORTAL_DEBUG_ADDR", ""),
		PublicRate:        p.integer("PORTAL_PUBLIC_RATE", 60),
		MetricsAddr:       p.str("PORTAL_METRICS_ADDR", ""),
		LogFormat:         p.str("PORTAL_LOG_FORMAT", "text"),
		PublicConcurrency: p.integer("PORTAL_PUBLIC_CONCURRENCY", runtime.GOMAXPROCS(0)+1),
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	if len(c.DataKey) == 0 && c.Demo {
		c.DataKey = DemoDataKey
	}
	p.check(len(c.DataKey) == 32 || len(c.DataKey) == 0, "PORTAL_DATA_KEY must be the base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`)")
	p.check(len(c.DataKey) == 32 || c.Demo, "PORTAL_DATA_KEY is required outside demo mode: it seals 负责人 phone numbers and 身份证号")
	p.check(c.Demo || !bytes.Equal(c.DataKey, DemoDataKey), "PORTAL_DATA_KEY is the published demo key: outside demo mode it would seal real personal data with a key everyone has")
	p.check(c.IdleTimeout > 0 && c.IdleTimeout <= 30*time.Minute, "PORTAL_IDLE_TIMEOUT must be between 1s and 30m")
	p.check(c.SessionLifetime > 0 && c.SessionLifetime <= 8*time.Hour, "PORTAL_SESSION_LIFETIME must be between 1s and 8h")
	p.check(c.LockoutThreshold >= 1 && c.LockoutThreshold <= 20, "PORTAL_LOCKOUT_THRESHOLD must be between 1 and 20")
	p.check(c.LockoutDuration >= time.Second, "PORTAL_LOCKOUT_DURATION must be at least 1s")
	p.check(c.SignInRate >= 1 && c.SignInRate <= 10000, "PORTAL_SIGNIN_RATE must be between 1 and 10000 a minute")
	p.check(c.AuditRetention >= 180*24*time.Hour, "PORTAL_AUDIT_RETENTION_DAYS must be at least 180")
	p.check(c.HashConcurrency >= 1 && c.HashConcurrency <= 64, "PORTAL_HASH_CONCURRENCY must be between 1 and 64")
	p.check(c.DBTimeout > 0 && c.DBTimeout <= 5*time.Second, "PORTAL_DB_TIMEOUT must be between 1ms and 5s")
	p.check(c.PublicRate >= 0 && c.PublicRate <= 100000, "PORTAL_PUBLIC_RATE must be between 0 (no limit) and 100000")
	p.check(c.PublicConcurrency >= 1 && c.PublicConcurrency <= 1000, "PORTAL_PUBLIC_CONCURRENCY must be between 1 and 1000")
	p.check(c.MetricsAddr == "" || !sameAddress(c.MetricsAddr, c.Addr), "PORTAL_METRICS_ADDR must differ from PORTAL_ADDR: metrics are not for the public")
	p.check(c.LogFormat == "text" || c.LogFormat == "json", "PORTAL_LOG_FORMAT must be text or json")
	p.check(c.DebugAddr == "" || isLoopback(c.DebugAddr), "PORTAL_DEBUG_ADDR must be a loopback address such as 127.0.0.1:6060: profiles reveal the program's inner workings")
	return c, errors.Join(p.errs...)
}

// OwnerURL is where migrations, seeding and the audit purge connect: the owner role's URL, or DATABASE_URL
// when a single role both owns and serves (a development database).
func (c Config) OwnerURL() string {
	if c.OwnerDatabaseURL != "" {
		return c.OwnerDatabaseURL
	}
	return c.DatabaseURL
}

// sameAddress reports whether two listen addresses take the same port on overlapping hosts (a wildcard host
// overlaps every host).
func sameAddress(a, b string) bool {
	ha, pa, errA := net.SplitHostPort(a)
	hb, pb, errB := net.SplitHostPort(b)
	if errA != nil || errB != nil {
		return a == b
	}
	wild := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	return pa == pb && (ha == hb || wild(ha) || wild(hb))
}

// isLoopback reports whether addr (host:port) names a loopback host.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type parser struct {
	getenv func(string) string
	errs   []error
}

func (p *parser) str(key, def string) string {
	if v := strings.TrimSpace(p.getenv(key)); v != "" {
		return v
	}
	return def
}

func (p *parser) boolean(key string, def bool) bool {
	v := strings.TrimSpace(p.getenv(key))
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.errs = append(p.errs, fmt.Errorf("%s=%q: want true or false", key, v))
	}
	return b
}

func (p *parser) integer(key string, def int) int {
	v := strings.TrimSpace(p.getenv(key))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.errs = append(p.errs, fmt.Errorf("%s=%q: want a whole number", key, v))
	}
	return n
}

func (p *parser) duration(key string, def time.Duration) time.Duration {
	v := strings.TrimSpace(p.getenv(key))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		p.errs = append(p.errs, fmt.Errorf("%s=%q: want a duration such as 30m or 15s", key, v))
	}
	return d
}

func (p *parser) key(name string) []byte {
	v := strings.TrimSpace(p.getenv(name))
	if v == "" {
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		p.errs = append(p.errs, fmt.Errorf("%s: not valid base64", name))
		return nil
	}
	if len(b) != 32 {
		return []byte{0} // reported by the length check, never used
	}
	return b
}

func (p *parser) check(ok bool, msg string) {
	if !ok {
		p.errs = append(p.errs, errors.New(msg))
	}
}
