package postgres

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

// divisionCacheTTL is how long a division list or name read from PostgreSQL is reused. Divisions change a few
// times a year, by `portal divisions import` in another process; such a change shows on every page within this
// time. A change made through the same DB clears the cache at once.
const divisionCacheTTL = time.Minute

// divisionCacheMaxNames bounds the names kept: a province's communities fit, and beyond that the cache starts
// over rather than grow.
const divisionCacheMaxNames = 200_000

// divisionCache keeps the division lists that every list page's filter offers and the names that every list row
// shows. A list page asked PostgreSQL for them on every request — planning and executing the towns of a filter,
// and as much again joining the page's rows to their names, a large share of the page's database time — for
// answers that almost never change.
type divisionCache struct {
	mu    sync.Mutex
	ttl   time.Duration
	since time.Time // when the cached answers were first read; all of them expire together
	lists map[divisionListKey][]portal.Division
	names map[string]string
}

type divisionListKey struct {
	level   portal.Level
	within  string
	retired bool // the retired divisions rather than the live ones
}

func newDivisionCache() *divisionCache { return &divisionCache{ttl: divisionCacheTTL} }

// fresh drops everything once it has been kept longer than the TTL. The caller holds mu.
func (c *divisionCache) fresh(now time.Time) {
	if c.lists == nil || now.Sub(c.since) > c.ttl || len(c.names) > divisionCacheMaxNames {
		c.since = now
		c.lists = map[divisionListKey][]portal.Division{}
		c.names = map[string]string{}
	}
}

// clear forgets everything, after this process changed divisions.
func (c *divisionCache) clear() {
	c.mu.Lock()
	c.lists = nil
	c.mu.Unlock()
}

func (c *divisionCache) list(k divisionListKey) ([]portal.Division, bool) {
	ds, ok := c.shared(k)
	return slices.Clone(ds), ok
}

// shared is the kept list itself, for callers that only read it: a list is replaced when it is kept again,
// never changed in place.
func (c *divisionCache) shared(k divisionListKey) ([]portal.Division, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fresh(time.Now())
	ds, ok := c.lists[k]
	return ds, ok
}

func (c *divisionCache) keepList(k divisionListKey, ds []portal.Division) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fresh(time.Now())
	c.lists[k] = slices.Clone(ds)
	for _, d := range ds {
		c.names[d.Code] = d.Name
	}
}

// missing returns the codes whose names are not cached, and names those that are through set.
func (c *divisionCache) missing(codes []string, set func(code, name string)) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fresh(time.Now())
	var miss []string
	for _, code := range codes {
		if name, ok := c.names[code]; ok {
			set(code, name)
		} else if !slices.Contains(miss, code) {
			miss = append(miss, code)
		}
	}
	return miss
}

func (c *divisionCache) keepNames(names map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fresh(time.Now())
	for code, name := range names {
		c.names[code] = name
	}
}

// divisionNames gives the name of each code in codes, from the cache or, for the codes it lacks, from one query.
// A code that names no division is left out of the result.
func (db *DB) divisionNames(ctx context.Context, codes []string) (map[string]string, error) {
	names := make(map[string]string, len(codes))
	miss := db.divisions.missing(codes, func(code, name string) { names[code] = name })
	if len(miss) == 0 {
		return names, nil
	}
	rows, _ := db.pool(planKept).Query(ctx, `SELECT code, name FROM divisions WHERE code = ANY($1)`, miss)
	found := make(map[string]string, len(miss))
	var code, name string
	_, err := pgx.ForEachRow(rows, []any{&code, &name}, func() error {
		found[code] = name
		names[code] = name
		return nil
	})
	if err != nil {
		return nil, translate(err)
	}
	db.divisions.keepNames(found)
	return names, nil
}

// divisionName is the name of one division, from the cache when it holds it; "" for a code that names none.
func (db *DB) divisionName(ctx context.Context, code string) (string, error) {
	if name, ok := db.divisions.name(code); ok {
		return name, nil
	}
	names, err := db.divisionNames(ctx, []string{code})
	return names[code], err
}

// name is code's cached name, and whether the cache holds it.
func (c *divisionCache) name(code string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fresh(time.Now())
	name, ok := c.names[code]
	return name, ok
}

// nameRows fills the town and community names of n list rows from the division cache; at gives row i's codes
// and where its names go. The names the cache holds are filled under one lock with nothing allocated; the
// codes it lacks are read in one query.
func (db *DB) nameRows(ctx context.Context, n int, at func(i int) (town, community string, townName, communityName *string)) error {
	miss := db.divisions.fillNames(n, at)
	if len(miss) == 0 {
		return nil
	}
	names, err := db.divisionNames(ctx, miss)
	if err != nil {
		return err
	}
	for i := range n {
		town, community, townName, communityName := at(i)
		if name, ok := names[town]; ok {
			*townName = name
		}
		if name, ok := names[community]; ok {
			*communityName = name
		}
	}
	return nil
}

// fillNames sets the names it holds for rows as nameRows describes, and returns the codes it lacks.
func (c *divisionCache) fillNames(n int, at func(i int) (town, community string, townName, communityName *string)) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fresh(time.Now())
	var miss []string
	for i := range n {
		town, community, townName, communityName := at(i)
		for _, d := range [2]struct {
			code string
			name *string
		}{{town, townName}, {community, communityName}} {
			if name, ok := c.names[d.code]; ok {
				*d.name = name
			} else if !slices.Contains(miss, d.code) {
				miss = append(miss, d.code)
			}
		}
	}
	return miss
}
