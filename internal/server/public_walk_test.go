package server

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/config"
)

// Patterns of personal data: mobile numbers whole or masked, landlines (allowed only as a community office's
// public phone), and 身份证号 whole or masked.
var (
	mobilePattern   = regexp.MustCompile(`(^|[^0-9A-Za-z])1[3-9][0-9](?:[0-9]{4}|\*{4})[0-9]{4}([^0-9A-Za-z]|$)`)
	landlinePattern = regexp.MustCompile(`(?:^|[^0-9A-Za-z-])(0[0-9]{2,3}-[0-9]{7,8})(?:[^0-9A-Za-z]|$)`)
	idPattern       = regexp.MustCompile(`(^|[^0-9A-Za-z])[0-9]{6}(?:[0-9]{8}|\*{8})[0-9]{3}[0-9Xx]([^0-9A-Za-z]|$)|[0-9]{3}\*{6,}[0-9]{3}[0-9Xx]`)
)

// publicPrefixes are the links the walk follows: every public page. /login and the tier areas are not walked.
var publicPrefixes = []string{"/orgs", "/divisions/", "/verify", "/open-data", "/cases", "/announcements", "/policies"}

// An anonymous visitor walks every public page and download of the seeded registry — the directory with every
// page of every town and community, every profile and division, every verification by number and by QR
// token, the open data — and none of them holds a leader's name the group did not choose to publish, a phone
// number other than a community office's, or a 身份证号; no photo it serves holds a GPS Exif tag (a committee
// first publishes a photo taken with one).
func TestNoPersonalDataOnPublicPages(t *testing.T) {
	a := newApp(t, func(c *config.Config) { c.PublicRate = 0; c.UploadDir = t.TempDir() })
	ctx := context.Background()
	publishGPSPhoto(t, a)
	rowsOf := func(sql string) []string {
		rows, err := a.db.Pool.Query(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	// Text the public pages show by design, in which a two-character name may occur by chance (王 in 王家街道).
	shown := strings.Join(rowsOf(`SELECT name FROM organizations UNION ALL SELECT name FROM divisions
		UNION ALL SELECT title FROM activity_reports UNION ALL SELECT address FROM community_offices
		UNION ALL SELECT status_reason FROM organizations`), "\n")
	published := map[string]bool{}
	for _, n := range rowsOf(`SELECT leader_name FROM organizations WHERE publish_contact`) {
		published[n] = true
	}
	var secretNames []string
	for _, n := range rowsOf(`SELECT DISTINCT leader_name FROM organizations WHERE NOT publish_contact AND leader_name <> ''
		UNION SELECT DISTINCT leader_name FROM filings WHERE leader_name <> ''`) {
		if !published[n] && !strings.Contains(shown, n) {
			secretNames = append(secretNames, n)
		}
	}
	if len(secretNames) < 50 {
		t.Fatalf("only %d leader names to look for: the walk would prove little", len(secretNames))
	}
	offices := map[string]bool{}
	for _, p := range rowsOf(`SELECT phone FROM community_offices WHERE phone <> ''`) {
		offices[p] = true
	}
	if len(offices) == 0 {
		t.Fatal("no community office phones: the seed gives every demo community one")
	}

	c := a.client()
	seen := map[string]bool{}
	queue := []string{"/", "/orgs", "/orgs?closed=1", "/verify", "/open-data"}
	for _, n := range rowsOf(`SELECT filing_no FROM organizations WHERE filing_no IS NOT NULL
		UNION ALL SELECT uscc FROM organizations WHERE uscc IS NOT NULL`) {
		queue = append(queue, "/verify?no="+url.QueryEscape(n))
	}
	for _, tok := range rowsOf(`SELECT verify_token FROM filings WHERE verify_token IS NOT NULL`) {
		queue = append(queue, "/verify/"+tok)
	}
	check := func(path, body string) {
		for _, n := range secretNames {
			if strings.Contains(body, n) {
				t.Errorf("%s shows the leader name %s", path, n)
			}
		}
		if m := mobilePattern.FindString(body); m != "" {
			t.Errorf("%s shows a mobile number %q", path, m)
		}
		for _, m := range landlinePattern.FindAllStringSubmatch(body, -1) {
			if !offices[m[1]] {
				t.Errorf("%s shows a phone number %q that is no community office's", path, m[1])
			}
		}
		if m := idPattern.FindString(body); m != "" {
			t.Errorf("%s shows a 身份证号 pattern %q", path, m)
		}
	}
	pages, photos := 0, 0
	for len(queue) > 0 && pages < 5000 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		res := c.get(path)
		pages++
		if res.StatusCode >= 500 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		if strings.HasPrefix(res.Header.Get("Content-Type"), "image/") {
			photos++
			if hasGPSExif([]byte(res.Body)) {
				t.Errorf("%s is a photo with a GPS Exif tag", path)
			}
			continue
		}
		check(path, res.Body)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		res.doc(t).Find("a[href], img[src]").Each(func(_ int, s *goquery.Selection) {
			href, ok := s.Attr("href")
			if !ok {
				href, _ = s.Attr("src")
			}
			for _, p := range publicPrefixes {
				if strings.HasPrefix(href, p) && !seen[href] {
					queue = append(queue, href)
				}
			}
		})
	}
	var profiles, divisions, downloads int
	for p := range seen {
		switch {
		case strings.Contains(p, "/photos/"):
		case strings.HasPrefix(p, "/orgs/"):
			profiles++
		case strings.HasPrefix(p, "/divisions/"):
			divisions++
		case strings.HasPrefix(p, "/open-data/"):
			downloads++
		}
	}
	var orgs, communities int
	if err := a.db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM organizations),
		(SELECT count(*) FROM divisions WHERE level <> 'district')`).Scan(&orgs, &communities); err != nil {
		t.Fatal(err)
	}
	if photos < 2 {
		t.Errorf("the walk fetched %d photos, want the published photo and its thumbnail", photos)
	}
	if profiles != orgs || divisions != communities || downloads != 6 {
		t.Errorf("the walk reached %d of %d profiles, %d of %d division pages, %d downloads", profiles, orgs,
			divisions, communities, downloads)
	}
	t.Logf("walked %d public pages and downloads, looking for %d leader names", pages, len(secretNames))
}

// The patterns find a number standing as a number — after Chinese text, a colon, a space — and not a run of
// digits inside a random token such as a certificate's /verify/ address, which once failed the walk by chance.
func TestPersonalDataPatterns(t *testing.T) {
	for _, c := range []struct {
		text string
		re   *regexp.Regexp
		want bool
	}{
		{"联系电话18252045563。", mobilePattern, true},
		{"电话：182****5563", mobilePattern, true},
		{"18252045563", mobilePattern, true},
		{"/verify/f18252045563ab0c", mobilePattern, false},
		{"身份证号500112198801011234", idPattern, true},
		{"500112********1234", idPattern, true},
		{"/verify/e500112198801011234f", idPattern, false},
		{"办公电话 023-67812345", landlinePattern, true},
	} {
		if got := c.re.MatchString(c.text); got != c.want {
			t.Errorf("%q: matched %v, want %v", c.text, got, c.want)
		}
	}
}
