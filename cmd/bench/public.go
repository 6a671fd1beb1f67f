// The public side's pages in the load test: the directory searched with a rotation of real terms, profiles
// of varied groups, and the open-data CSV streamed whole.
package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/postgres"
)

// minTerms is the least rotation PERFORMANCE.md accepts for the directory search: one term repeated flatters
// the cache.
const minTerms = 1000

// publicRotations are the directory searches and profiles the load test cycles through: terms of two to four
// characters cut from a sample of the generated names at random places, and the real town and community
// names; and profiles of groups spread over the whole id range.
func publicRotations(dbURL string) (searches, profiles []string, err error) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, dbURL, nil)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	rows, err := db.Pool.Query(ctx, `
		(SELECT name FROM organizations TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 6000)
		UNION ALL (SELECT name FROM divisions WHERE level <> 'district')`)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, nil, err
		}
		names = append(names, strings.TrimPrefix(n, "渝北区"))
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(7, 11))
	seen := map[string]bool{}
	for _, n := range names {
		r := []rune(n)
		if len(r) < 2 {
			continue
		}
		k := min(len(r), 2+rng.IntN(3))
		at := rng.IntN(len(r) - k + 1)
		t := string(r[at : at+k])
		if !seen[t] {
			seen[t] = true
			searches = append(searches, "/orgs?q="+url.QueryEscape(t))
		}
	}
	if len(searches) < minTerms {
		return nil, nil, fmt.Errorf("only %d distinct search terms; the rotation needs %d", len(searches), minTerms)
	}
	var lo, hi int64
	if err := db.Pool.QueryRow(ctx, `SELECT min(id), max(id) FROM organizations`).Scan(&lo, &hi); err != nil {
		return nil, nil, err
	}
	for range minTerms {
		profiles = append(profiles, "/orgs/"+strconv.FormatInt(lo+rng.Int64N(hi-lo+1), 10))
	}
	return searches, profiles, nil
}

// rotationScript writes a wrk script that requests a random path of paths each time, and returns its file.
func rotationScript(dir, name string, paths []string) (string, error) {
	var b strings.Builder
	b.WriteString("local paths = {\n")
	for _, p := range paths {
		b.WriteString("  " + strconv.Quote(p) + ",\n")
	}
	b.WriteString("}\n" +
		"init = function(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end\n" +
		"request = function() return wrk.format(\"GET\", paths[math.random(#paths)]) end\n")
	file := filepath.Join(dir, name+".lua")
	return file, os.WriteFile(file, []byte(b.String()), 0o644)
}

// streamOpenData downloads the open-data CSV of every organization once, reading it as it arrives, and
// reports its size and time; the portal's peak RSS printed at the end includes this download.
func streamOpenData(ctx context.Context, base string, stdout io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/open-data/organizations.csv", nil)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("open data: %d", res.StatusCode)
	}
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nopen data organizations.csv: %d MB in %s\n", n>>20, time.Since(start).Round(time.Millisecond))
	return nil
}
