// A name search in the newest-first order, bounded whatever the term.
//
// PostgreSQL estimates a search badly in both directions. It takes a term's two-character pieces for
// independent and the LIKE that rechecks them for rarer still, so for a common whole word (舞蹈协会) it expects a
// single name, fetches every match through the bigram index and sorts them, where walking the list from the
// newest would meet a page of them within a few thousand rows. And when it does walk for a common piece,
// nothing stops the walk: a piece common in the older names and absent from the newest was walked through
// most of the table.
//
// So a term that the statistics call common walks a bounded window — the list's newest searchWindow rows
// after the cursor, with its filters, read through the list's own index — and asks the bigram index only for
// what lies beyond the window, and only when the window did not fill the page. One statement does both, so
// they read one snapshot: the window's edge and the rows past it cannot move between them. A term the
// statistics call rare goes to the bigram index at once, as before.
package postgres

import (
	"context"
	"errors"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/registry"
)

// searchWindow is how many of a list's newest rows a search for a common term walks before it asks the bigram
// index. It is chosen so that a fruitless walk of the window costs about what the bigram index takes, cold, to
// fetch a page of a term at the share below which a term is not walked at all (walksWindow).
var searchWindow = 10_000

// bigramStatsTTL is how long the bigram frequencies read from pg_stats are reused. They change only when
// PostgreSQL analyzes the table again, and a stale figure only changes how a search runs, never what it finds.
const bigramStatsTTL = 10 * time.Minute

// bigramStats are the most common two-character pieces of organization names and the share of names holding
// each, as ANALYZE last saw them.
type bigramStats struct {
	mu    sync.Mutex
	since time.Time
	share map[string]float64
	floor float64 // the least share of a listed piece: an unlisted piece is rarer
}

// bigramShares returns the current statistics, reading them again when they are older than bigramStatsTTL. A
// table never analyzed has none (share is nil).
func (db *DB) bigramShares(ctx context.Context) (map[string]float64, float64, error) {
	s := &db.bigrams
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.since.IsZero() && time.Since(s.since) < bigramStatsTTL {
		return s.share, s.floor, nil
	}
	var (
		elems []string
		freqs []float64
	)
	err := db.pool(planKept).QueryRow(ctx, `SELECT coalesce(most_common_elems::text::text[], '{}'),
			coalesce(most_common_elem_freqs::float8[], '{}')
		FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'organizations' AND attname = 'name_bigrams'`).
		Scan(&elems, &freqs)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, translate(err)
	}
	s.share, s.floor = nil, 0
	// most_common_elem_freqs holds one share per element, then the least and the greatest of them and the
	// share of null elements.
	if len(elems) > 0 && len(freqs) == len(elems)+3 {
		s.share = make(map[string]float64, len(elems))
		for i, e := range elems {
			s.share[e] = freqs[i]
		}
		s.floor = freqs[len(elems)]
	}
	s.since = time.Now()
	return s.share, s.floor, nil
}

// termShare is at most the share of names that hold term: the share of its rarest two-character piece, a
// piece missing from the statistics counting as rarer than every listed one. ok is false without statistics.
func termShare(term string, share map[string]float64, floor float64) (upper float64, ok bool) {
	if share == nil || !utf8.ValidString(term) {
		return 0, false
	}
	runes := []rune(term)
	if len(runes) < 2 {
		return 0, false
	}
	upper = 1
	for i := 0; i+1 < len(runes); i++ {
		s, listed := share[string(runes[i:i+2])]
		if !listed {
			s = floor
		}
		upper = min(upper, s)
	}
	return upper, true
}

// walksWindow reports whether a newest-first search for f.Query should walk the window first: when even its
// rarest piece is common enough for searchWindow rows to hold a page of it. A filter on 服务领域, 性质 or 党建
// never walks: no index gives those lists newest first, so gathering even the window's rows of a rare value
// could mean reading most of the jurisdiction. Divisions, tier, legal form and status each have one.
func (db *DB) walksWindow(ctx context.Context, f registry.OrgFilter, limit int) (bool, error) {
	if f.Query == "" || f.Sort != registry.SortNewest || f.Field != "" || f.Nature != "" || f.Party != "" {
		return false, nil
	}
	share, floor, err := db.bigramShares(ctx)
	if err != nil {
		return false, err
	}
	upper, ok := termShare(f.Query, share, floor)
	return ok && upper*float64(searchWindow) >= float64(limit), nil
}
