package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/testdb"
)

// SECURITY.md 3, the part TestLoginRenewsTokenAndSetsCookieFlags leaves out: served over TLS
// (PORTAL_SECURE_COOKIES), the session cookie is Secure; without TLS it is not (a browser would drop it).
func TestSessionCookieIsSecureOverTLS(t *testing.T) {
	for _, tls := range []bool{false, true} {
		a := newApp(t, func(c *config.Config) { c.SecureCookies = tls })
		res := a.client().post("/login", url.Values{"username": {"demo-town"}, "password": {testdb.DemoPassword}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.StatusCode)
		}
		set := strings.Join(res.Header.Values("Set-Cookie"), "\n")
		if !strings.Contains(set, "yubei_session=") || strings.Contains(set, "; Secure") != tls {
			t.Errorf("TLS %v: Set-Cookie %q", tls, set)
		}
	}
}
