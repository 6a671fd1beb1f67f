// The public side's reads: the directory, a group's public profile, division pages and the lookups by number.
// Every statement names its columns, and none reads a 负责人's phone or 身份证号; the leader's name only when
// the group chose to publish it.
package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// publicWalk bounds how many index entries one directory page reads when it walks a search key's postings or
// the list in name order: each costs a probe of the organization's row (a few microseconds), so a page never
// costs more than about ten milliseconds whatever the term. A walk that ends before the page fills says so,
// and its cursor continues further back.
var publicWalk = 2000

// probeCap is the count of postings past which a key is common: a name-ordered search or one inside a
// community then walks the list rather than the key, and the two-character table's keys are counted only up
// to it (postingsCount). At most probeKeys keys are weighed, spread over the term: a long term holds many
// pieces, and any rare one serves.
var probeCap = 1000

const probeKeys = 4

// publicSpan is how many postings of each other key of a term a search's second tier reads, in step with its
// walk, to test the candidates against (publicSearch): a denser key's candidates past them are probed one by one.
var publicSpan = 2000

// publicListColumns are what the directory shows of a group; nothing personal.
const publicListColumns = `o.id, o.name, o.tier, o.status, o.status_on, o.status_reason, o.town_code,
	o.community_code, o.fields, o.founded_on`

func scanPublicRows(rows pgx.Rows) ([]registry.PublicOrgRow, error) {
	var out []registry.PublicOrgRow
	var r publicRowReader
	for rows.Next() {
		var o registry.PublicOrgRow
		if err := r.read(rows, &o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, translate(rows.Err())
}

// publicRowReader decodes the directory's rows as scanPage decodes a list's: each column straight from its
// bytes, and the texts of a page sharing a few allocations. Scan was a tenth of the portal's time per search.
type publicRowReader struct{ rowDecoder }

// read decodes the row rows is on into o: lead first (columns a statement puts before publicListColumns), then
// the group's; rows is closed on an error.
func (r *publicRowReader) read(rows pgx.Rows, o *registry.PublicOrgRow, lead ...any) error {
	r.d = append(append(r.d[:0], lead...), &o.ID, &o.Name, (*string)(&o.Tier), (*string)(&o.Status), &o.StatusOn,
		&o.StatusReason, &o.TownCode, &o.CommunityCode, &o.Fields, &o.FoundedOn)
	if err := r.decode(rows, "directory"); err != nil {
		rows.Close()
		return err
	}
	if o.Status.Live() {
		o.StatusReason = ""
	}
	return nil
}

// publicFilters is the part of every directory statement that the filter decides besides the walk itself.
var publicFilters = scopeOn("o") + `
	AND o.status = ANY(@statuses)
	AND (@town = '' OR o.town_code = @town)
	AND (@community = '' OR o.community_code = @community)
	AND (@tier = '' OR o.tier = @tier)
	AND (@field = '' OR @field = ANY(o.fields))
	AND (@term = '' OR strpos(o.name, @term) > 0)`

// searchKeys are the posting keys that can drive a search, in the table postingsOf(f) names: the term's
// distinct pieces of pieceWidth(f) characters, and the 服务领域 filter's key.
func searchKeys(f registry.PublicFilter) []string {
	var keys []string
	r := []rune(f.Query)
	w := pieceWidth(f)
	for i := 0; i+w <= len(r); i++ {
		k := string(r[i : i+w])
		if !contains(keys, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) > probeKeys {
		spread := make([]string, probeKeys)
		for i := range spread {
			spread[i] = keys[i*(len(keys)-1)/(probeKeys-1)]
		}
		keys = spread
	}
	if f.Field != "" {
		keys = append(keys, "f:"+f.Field)
	}
	return keys
}

// pieceWidth is the width of the pieces a search walks: three characters for a term of three or more
// (migration 0100), two otherwise. A term's three-character piece is nearly as rare as the term, where its
// two-character pieces may each be common while the term is rare.
func pieceWidth(f registry.PublicFilter) int {
	if utf8.RuneCountInString(f.Query) >= 3 {
		return 3
	}
	return 2
}

// postingsOf is the posting table whose keys searchKeys(f) are: a word written here, never input.
func postingsOf(f registry.PublicFilter) string {
	if pieceWidth(f) == 3 {
		return "org_trigram_postings"
	}
	return "org_postings"
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// PublicOrganizations is one page of the public directory for filter f after cursor c, in f's order. Its
// cost is bounded by the page and publicWalk, never by the registry's size (see PublicPage.Partial).
func (db *DB) PublicOrganizations(ctx context.Context, scope portal.Scope, f registry.PublicFilter, c registry.PublicCursor, limit int) (registry.PublicPage, error) {
	if err := checkScope(scope); err != nil {
		return registry.PublicPage{}, err
	}
	if f.Query != "" && utf8.RuneCountInString(f.Query) < registry.PublicQueryMin {
		return registry.PublicPage{}, nil
	}
	args := scopeArgs(scope, namedArgs{"statuses": f.Statuses(), "town": f.TownCode, "community": f.Community,
		"tier": string(f.Tier), "field": f.Field, "term": f.Query, "limit": limit + 1, "walk": publicWalk,
		"after": c.ID, "after_name": c.Name})
	var page registry.PublicPage
	var err error
	switch {
	case f.Sort == registry.SortName:
		page, err = db.publicByName(ctx, f, args, limit)
	case f.Query != "" || f.Field != "":
		page, err = db.publicByPostings(ctx, f, args, limit)
	default:
		page, err = db.publicNewest(ctx, args, limit)
	}
	if err != nil {
		return page, err
	}
	err = db.nameRows(ctx, len(page.Rows), func(i int) (string, string, *string, *string) {
		o := &page.Rows[i]
		return o.TownCode, o.CommunityCode, &o.TownName, &o.CommunityName
	})
	return page, err
}

// publicNewest is the unsearched list newest first: the jurisdiction's (or a status's or tier's) own index.
func (db *DB) publicNewest(ctx context.Context, args namedArgs, limit int) (registry.PublicPage, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+publicListColumns+` FROM organizations o
		WHERE `+publicFilters+` AND (@after = 0 OR o.id < @after)
		ORDER BY o.id DESC LIMIT @limit`, args)
	list, err := scanPublicRows(rows)
	if err != nil {
		return registry.PublicPage{}, err
	}
	return pageOf(list, limit, nil), nil
}

// postingsCount is, for each posting table, how many postings key u.k has, as a search weighs its keys: the
// count kept for it (migration 0111) for the three-character table; for the two-character table, whose keys
// drive a search only for a term of two characters (one key, never weighed) or for one with a 服务领域, a count
// up to @cap.
var postingsCount = map[string]string{
	"org_postings":         `(SELECT count(*) FROM (SELECT FROM org_postings p WHERE p.key = u.k LIMIT @cap) x)`,
	"org_trigram_postings": `coalesce((SELECT c.n FROM org_trigram_counts c WHERE c.key = u.k), 0)`,
}

// publicByPostings walks the postings of the search's rarest key newest-first, at most publicWalk of them,
// and keeps the candidates that pass every filter and hold the whole term. Within one community a common key
// (probeCap postings or more) would meet the community's rows too seldom (one in hundreds), so there the
// community's own list is walked instead, with the same bound. The choice of the key, of the walk and the walk's
// edge are one statement (publicSearch): one round trip, planned once per connection.
func (db *DB) publicByPostings(ctx context.Context, f registry.PublicFilter, args namedArgs, limit int) (registry.PublicPage, error) {
	keys := searchKeys(f)
	args["keys"], args["cap"], args["span"], args["first"] = keys, probeCap, publicSpan, min(publicWalk, 6*limit)
	rows, _ := db.pool(planKept).Query(ctx, publicSearch[searchShape{postingsOf(f), len(keys), f.Community != ""}], args)
	return walkedRows(rows, limit)
}

// searchShape is what a search statement is written for: its posting table, its number of keys, and whether it
// is inside one community.
type searchShape struct {
	table     string
	keys      int
	community bool
}

// publicSearch is one page of a search by postings, newest first, and the walk's edge when the page is short:
// the statement for each shape (publicSearchIn), made once.
//
// The walked key (w) is the one of @keys with the fewest postings (postingsCount), the earlier of two that
// tie (not weighed when there is one key only, outside a community). The walk reads at most @walk postings of w
// backwards from the cursor, index only. With one key the walk stops at the page's last row.
//
// With several keys a candidate's row is read only when the candidate holds every other key, except the first
// @limit candidates: for most terms of four characters nearly every posting of the rarer piece holds the term,
// the page fills from those, and testing them first cost more than their rows (0.69 ms of the server's CPU per
// search against 0.32 on the rotation's easy terms). The walk goes in two tiers:
//   - The first reads the first @first postings (six pages' worth) and stops when the page is full. Past the
//     first @limit, a candidate is probed in the next rarest key's postings (w2) by its id before its row is
//     read: the rows of terms one posting in four holds (朗环保协, 冬助残协) or fewer (X社区Y) were most of their
//     cost. A row is a page of the organizations, which mostly lie outside shared buffers; a probe reads a few
//     pages of one key's index, which the next probe reads again. Probing every other key cost terms of eight
//     characters more than their rows.
//   - Only when that falls short does the second walk on below it, to @walk postings in all. Each other key's
//     postings below the first tier are read in step with the walk's, newest first (a merge join: no sort and
//     no hash, and it stops where the walk or the page does), at most @span of them; a candidate below the
//     last of those (the key's @span-th posting, read only when a candidate is not among them) is probed by its
//     id. Its statements are not run otherwise. X社区Y terms, whose rarest piece (心社区, 15,000 postings) holds
//     the term once in about sixty, cost about 3 ms of the server's CPU each with every row of the first tier
//     read and the second tier's postings materialized, sorted and hashed; about 1.8 ms this way. Over the
//     bench's 3,211 terms the rows read fell from 149,600 to 111,000 (four-character terms: 66 to 38 each).
//
// The work is bounded by @walk and @span whatever the keys' sizes and however their ids lie: merging with a
// key's postings from the newest down without a bound, as PostgreSQL chose when left to itself, read 63,000
// postings of 读书 to reach the 32 newest of 安读, and probing every candidate (4 index pages apiece) cost
// 13,000 pages for 屏社区彩, whose two pieces are common and whose 2,000 candidates hold it one in thirty.
//
// Inside a community whose rarest key has @cap postings or more, the community's list is walked instead, at
// most @walk of its groups; which of the two walks runs is decided inside the statement (the other's CTEs are
// never read).
//
// The probes are scalar subqueries on the walk, not joins, so they run on each candidate before its row is
// read; the second tier's merge is fenced (OFFSET 0) below the rows for the same reason. The probe is a scalar
// "SELECT true", not EXISTS, which PostgreSQL may answer by hashing all of the key's postings (160,000 of 服务协
// for one page). A walk continues below the cursor as a bound of the index, not a filter, so that a deep page
// does not read the postings above it. A page shorter than @limit ends with one row marked true: the walk's last
// posting when the walk was cut at @walk (the next page continues below it), none when the walk reached the
// key's end.
var publicSearch = map[searchShape]string{}

func init() {
	for _, table := range []string{"org_postings", "org_trigram_postings"} {
		for n := 0; n <= probeKeys+1; n++ {
			for _, community := range []bool{false, true} {
				publicSearch[searchShape{table, n, community}] = publicSearchIn(table, n, community)
			}
		}
	}
}

// belowCursor is the bound of a newest-first walk: below @after, or everything when there is no cursor.
const belowCursor = `coalesce(nullif(@after::bigint, 0), 9223372036854775807)`

// publicSearchIn is publicSearch over the posting table table for n keys, inside one community or not.
func publicSearchIn(table string, n int, community bool) string {
	walk := `SELECT p.org_id FROM ` + table + ` p
		WHERE p.key = (SELECT k FROM w) AND p.org_id < ` + belowCursor + `
		ORDER BY p.org_id DESC`
	weight := `CASE WHEN cardinality(@keys::text[]) = 1 THEN 0 ELSE ` + postingsCount[table] + ` END`
	if community {
		weight = postingsCount[table]
	}
	head := `WITH w AS MATERIALIZED (
		SELECT k, ` + weight + ` AS n FROM unnest(@keys::text[]) WITH ORDINALITY AS u(k, i)
		ORDER BY n, i LIMIT 1)`
	// when gates a condition on the postings being walked (always, outside a community); CASE keeps the gate
	// first, so that a walk not chosen is never read.
	when := func(cond string) string {
		if !community {
			return cond
		}
		return `CASE WHEN (SELECT n FROM w) < @cap THEN ` + cond + ` ELSE false END`
	}
	var b strings.Builder
	b.WriteString(head)
	if n <= 1 {
		b.WriteString(`,
	page AS MATERIALIZED (
		SELECT ` + publicListColumns + ` FROM (` + walk + ` LIMIT @walk) c JOIN organizations o ON o.id = c.org_id
		WHERE ` + publicFilters + `
		ORDER BY c.org_id DESC LIMIT @limit)`)
		b.WriteString(communityWalk(community) + `
	SELECT false, * FROM page WHERE ` + when("true") + `
	UNION ALL
	` + edgeRow + `(` + walk + ` OFFSET @walk - 1 LIMIT 1) e
	WHERE ` + when(`(SELECT count(*) FROM page) < @limit`))
		return b.String() + communityRows(community)
	}
	// The first tier: the rows of the first @first postings as they come, each past the first @limit probed in the
	// next rarest key (w2) first, until the page fills.
	b.WriteString(`,
	w2 AS MATERIALIZED (
		SELECT k, ` + weight + ` AS n FROM unnest(@keys::text[]) WITH ORDINALITY AS u(k, i)
		ORDER BY n, i OFFSET 1 LIMIT 1),
	unprobed AS MATERIALIZED (SELECT coalesce((SELECT org_id FROM (` + walk + ` OFFSET @limit - 1 LIMIT 1) e), 0) AS org_id),
	page1 AS MATERIALIZED (
		SELECT ` + publicListColumns + ` FROM (` + walk + ` LIMIT @first) c JOIN organizations o ON o.id = c.org_id
		WHERE ` + publicFilters + `
		AND (c.org_id >= (SELECT org_id FROM unprobed)
			OR (SELECT true FROM ` + table + ` x WHERE x.key = (SELECT k FROM w2) AND x.org_id = c.org_id))
		ORDER BY c.org_id DESC LIMIT @limit),
	first AS MATERIALIZED (SELECT org_id FROM (` + walk + ` OFFSET @first - 1 LIMIT 1) e),
	lowest AS MATERIALIZED (SELECT p.org_id FROM ` + table + ` p WHERE p.key = (SELECT k FROM w) ORDER BY p.org_id LIMIT 1)`)
	// The second tier: the walk's postings below the first tier's, each kept when every other key holds it, before
	// its row is read; a key's postings below the first tier are merged with the walk's, at most @span of them, and
	// a candidate below the key's @span-th is probed. None is below w's lowest posting (lowest, one entry of the
	// index), which bounds the keys' reads when w is sparse and the walk reaches its end.
	below := ` AND x.org_id < (SELECT org_id FROM first) AND x.org_id >= (SELECT org_id FROM lowest)
		ORDER BY x.org_id DESC`
	var joins, tests strings.Builder
	for i := 1; i <= n; i++ {
		k, r := `(@keys::text[])[`+strconv.Itoa(i)+`]`, "r_"+strconv.Itoa(i)
		joins.WriteString(`
		LEFT JOIN (SELECT x.org_id FROM ` + table + ` x WHERE ` + k + ` <> (SELECT k FROM w) AND x.key = ` + k + below + `
			LIMIT @span) ` + r + ` ON ` + r + `.org_id = c.org_id`)
		tests.WriteString(`
		AND (` + k + ` = (SELECT k FROM w) OR ` + r + `.org_id IS NOT NULL
			OR c.org_id < coalesce((SELECT x.org_id FROM ` + table + ` x WHERE x.key = ` + k + below + `
				OFFSET @span - 1 LIMIT 1), 0)
			AND (SELECT true FROM ` + table + ` x WHERE x.key = ` + k + ` AND x.org_id = c.org_id))`)
	}
	b.WriteString(`,
	page2 AS MATERIALIZED (
		SELECT ` + publicListColumns + ` FROM (SELECT c.org_id FROM (SELECT p.org_id FROM ` + table + ` p
			WHERE p.key = (SELECT k FROM w) AND p.org_id < (SELECT org_id FROM first)
			ORDER BY p.org_id DESC LIMIT @walk - @first) c` + joins.String() + `
		WHERE true` + tests.String() + `
		ORDER BY c.org_id DESC OFFSET 0) c
		JOIN organizations o ON o.id = c.org_id
		WHERE ` + publicFilters + `
		ORDER BY c.org_id DESC LIMIT @limit - (SELECT count(*) FROM page1))`)
	short := `(SELECT count(*) FROM page1) < @limit`
	// The edge is the walk's last posting when the walk was cut: the @walk-th below the cursor.
	b.WriteString(communityWalk(community) + `
	SELECT false, * FROM page1 WHERE ` + when(`true`) + `
	UNION ALL
	SELECT false, * FROM page2 WHERE ` + when(short) + `
	UNION ALL
	` + edgeRow + `(` + walk + ` OFFSET @walk - 1 LIMIT 1) e
	WHERE ` + when(short+` AND (SELECT count(*) FROM page1) + (SELECT count(*) FROM page2) < @limit`))
	return b.String() + communityRows(community)
}

// edgeRow is a search's row that marks where its walk stopped (e.org_id).
const edgeRow = `SELECT true, e.org_id, '', '', '', NULL::date, '', '', '', NULL::text[], NULL::date FROM `

// communityOrgs is the community's list newest first below the cursor.
const communityOrgs = `SELECT o.id AS org_id FROM organizations o WHERE o.community_code = @community
		AND o.id < ` + belowCursor + ` ORDER BY o.id DESC`

// communityWalk is the CTE of the walk of the community's list (cpage), inside a community only.
func communityWalk(community bool) string {
	if !community {
		return ""
	}
	return `,
	cpage AS MATERIALIZED (
		SELECT ` + publicListColumns + ` FROM (` + communityOrgs + ` LIMIT @walk) c
		JOIN organizations o ON o.id = c.org_id
		WHERE ` + publicFilters + `
		ORDER BY c.org_id DESC LIMIT @limit)`
}

// communityRows are the rows of the community's walk and its edge, when its rarest key is common (a community only).
func communityRows(community bool) string {
	if !community {
		return ""
	}
	return `
	UNION ALL
	SELECT false, * FROM cpage WHERE (SELECT n FROM w) >= @cap
	UNION ALL
	` + edgeRow + `(` + communityOrgs + `
		OFFSET @walk - 1 LIMIT 1) e
	WHERE CASE WHEN (SELECT n FROM w) >= @cap THEN (SELECT count(*) FROM cpage) < @limit ELSE false END`
}

// publicByName is the list in name order, in one statement (byName). A search whose rarest key has fewer than
// probeCap postings reads them all and sorts the matches; otherwise it walks the jurisdiction's name index from
// the cursor, at most publicWalk entries, and keeps the rows that pass every filter. A short page of the walk
// ends with its edge, as a search's does (walkedRows).
func (db *DB) publicByName(ctx context.Context, f registry.PublicFilter, args namedArgs, limit int) (registry.PublicPage, error) {
	keyed := f.Query != "" || f.Field != ""
	if keyed {
		args["keys"], args["cap"] = searchKeys(f), probeCap
	}
	rows, _ := db.pool(planFresh).Query(ctx, byName[byNameShape{postingsOf(f), keyed}], args)
	return walkedRows(rows, limit)
}

// walkedRows is the page a bounded walk's statement returned: its rows, then, when the page is short and the
// walk was cut, one row marked true whose id (and name, in name order) is where the next page continues.
func walkedRows(rows pgx.Rows, limit int) (registry.PublicPage, error) {
	list := make([]registry.PublicOrgRow, 0, limit+1)
	var edge *registry.PublicCursor
	var r publicRowReader
	for rows.Next() {
		var isEdge bool
		var o registry.PublicOrgRow
		if err := r.read(rows, &o, &isEdge); err != nil {
			return registry.PublicPage{}, err
		}
		if isEdge {
			edge = &registry.PublicCursor{ID: o.ID, Name: o.Name}
			continue
		}
		list = append(list, o)
	}
	if err := rows.Err(); err != nil {
		return registry.PublicPage{}, translate(err)
	}
	return pageOf(list, limit, edge), nil
}

// byNameShape is what a name-ordered statement is written for: the posting table of its keys, and whether it
// has keys (a term or a 服务领域) at all.
type byNameShape struct {
	table string
	keyed bool
}

// byName is publicByName's statement for each shape. With keys, the rarest (postingsCount, counted up to @cap
// in the two-character table) decides inside the statement which of the two reads runs; the other's CTE is
// never read. It was two or three statements: the rarest key, then the page, then the walk's edge.
var byName = map[byNameShape]string{}

func init() {
	for _, table := range []string{"org_postings", "org_trigram_postings"} {
		for _, keyed := range []bool{false, true} {
			byName[byNameShape{table, keyed}] = byNameIn(table, keyed)
		}
	}
}

// byNameIn is byName's statement for the posting table table, with keys or without.
func byNameIn(table string, keyed bool) string {
	walk := `SELECT o.name, o.id FROM organizations o
		WHERE ` + scopeOn("o") + ` AND (@town = '' OR o.town_code = @town)
		AND (@community = '' OR o.community_code = @community)
		AND (@after = 0 OR (o.name, o.id) > (@after_name, @after))
		ORDER BY o.name, o.id`
	// The walk's entries are tested for the term on the name the index holds, so that only those holding it
	// cost a read of their row.
	npage := `npage AS MATERIALIZED (
		SELECT ` + publicListColumns + ` FROM (` + walk + ` LIMIT @walk) w
		JOIN organizations o ON o.id = w.id AND (@term = '' OR strpos(w.name, @term) > 0)
		WHERE ` + publicFilters + `
		ORDER BY w.name, w.id LIMIT @limit)`
	edge := `SELECT true, e.id, e.name, '', '', NULL::date, '', '', '', NULL::text[], NULL::date
	FROM (` + walk + ` OFFSET @walk - 1 LIMIT 1) e`
	if !keyed {
		return `WITH ` + npage + `
	SELECT false, * FROM npage
	UNION ALL
	` + edge + `
	WHERE (SELECT count(*) FROM npage) < @limit`
	}
	return `WITH w AS MATERIALIZED (
		SELECT u.k, ` + postingsCount[table] + ` AS n FROM unnest(@keys::text[]) u(k) ORDER BY n, u.k LIMIT 1),
	kpage AS MATERIALIZED (
		SELECT ` + publicListColumns + ` FROM (SELECT p.org_id FROM ` + table + ` p WHERE p.key = (SELECT k FROM w)
			LIMIT @cap) p
		JOIN organizations o ON o.id = p.org_id
		WHERE ` + publicFilters + `
		AND (@after = 0 OR (o.name, o.id) > (@after_name, @after))
		ORDER BY o.name, o.id LIMIT @limit),
	` + npage + `
	SELECT false, * FROM kpage WHERE (SELECT n FROM w) < @cap
	UNION ALL
	SELECT false, * FROM npage WHERE (SELECT n FROM w) >= @cap
	UNION ALL
	` + edge + `
	WHERE (SELECT n FROM w) >= @cap AND (SELECT count(*) FROM npage) < @limit`
}

// pageOf makes a page of list, which holds up to limit+1 rows: a full page continues after its last row; a
// short one continues at edge (the walk's bound) when there is one, and is then Partial.
func pageOf(list []registry.PublicOrgRow, limit int, edge *registry.PublicCursor) registry.PublicPage {
	if len(list) > limit {
		list = list[:limit]
		last := list[limit-1]
		return registry.PublicPage{Rows: list, Next: &registry.PublicCursor{ID: last.ID, Name: last.Name}}
	}
	return registry.PublicPage{Rows: list, Next: edge, Partial: edge != nil}
}

// PublicOrganization is a group's public profile: its public fields, its community's office, its latest
// evaluation grade and its recent activities. An id outside scope is ErrNotFound.
func (db *DB) PublicOrganization(ctx context.Context, scope portal.Scope, id int64) (registry.PublicOrg, error) {
	var o registry.PublicOrg
	if err := checkScope(scope); err != nil {
		return o, err
	}
	b := &pgx.Batch{}
	queuePublicOrganization(b, scope, id, &o, nil, nil)
	return o, db.send(ctx, planKept, b)
}

// profileSections says which of a group's profile sections may hold rows: published 典型案例, disclosures, brand
// projects. It is read with the group's row, without the scope, so it may say yes where the section's own
// statement then finds nothing, never no where it would find something.
type profileSections struct {
	cases, disclosures, brands bool
}

// queuePublicOrganization queues PublicOrganization's two statements on b (planKept), to fill o, and photos
// unless nil (queueRecentReports), and sections unless nil; scope is checked. The group's row failing to come
// (outside scope) fails the batch with ErrNotFound.
func queuePublicOrganization(b *pgx.Batch, scope portal.Scope, id int64, o *registry.PublicOrg, photos *[]registry.PublicPhoto, sections *profileSections) {
	b.Queue(`
		SELECT o.id, o.name, o.tier, o.legal_form, coalesce(o.uscc, ''), coalesce(o.filing_no, ''),
		       o.town_code, t.name, o.community_code, c.name, o.fields, o.nature, o.beneficiaries, o.founded_on,
		       o.status, o.status_on, o.status_reason,
		       CASE WHEN o.publish_contact THEN o.leader_name ELSE '' END, o.demo,
		       coalesce(f.phone, ''), coalesce(f.address, ''), coalesce(f.hours, ''),
		       e.grade, e.year,
		       EXISTS (SELECT FROM typical_cases k WHERE k.org_id = o.id AND k.status = 'published'),
		       EXISTS (SELECT FROM org_disclosures d WHERE d.org_id = o.id),
		       EXISTS (SELECT FROM service_projects p JOIN brand_projects r ON r.project_id = p.id WHERE p.org_id = o.id)
		FROM organizations o
		JOIN divisions t ON t.code = o.town_code
		JOIN divisions c ON c.code = o.community_code
		LEFT JOIN community_offices f ON f.community_code = o.community_code
		LEFT JOIN LATERAL (SELECT grade, year FROM evaluations v WHERE v.org_id = o.id
			ORDER BY year DESC, version DESC LIMIT 1) e ON true
		WHERE o.id = @id AND `+scopeOn("o"), scopeArgs(scope, namedArgs{"id": id})).QueryRow(func(row pgx.Row) error {
		var grade *string
		var gradeYear *int
		var has profileSections
		if err := row.Scan(&o.ID, &o.Name, (*string)(&o.Tier), (*string)(&o.LegalForm), &o.USCC, &o.FilingNo,
			&o.TownCode, &o.TownName, &o.CommunityCode, &o.CommunityName, &o.Fields, &o.Nature, &o.Beneficiaries,
			&o.FoundedOn, (*string)(&o.Status), &o.StatusOn, &o.StatusReason, &o.LeaderName, &o.Demo,
			&o.Office.Phone, &o.Office.Address, &o.Office.Hours, &grade, &gradeYear,
			&has.cases, &has.disclosures, &has.brands); err != nil {
			return err
		}
		if sections != nil {
			*sections = has
		}
		o.Office.CommunityCode, o.Office.CommunityName, o.Office.TownName = o.CommunityCode, o.CommunityName, o.TownName
		if grade != nil {
			o.Grade, o.GradeYear = registry.Grade(*grade), *gradeYear
		}
		if o.Status.Live() {
			o.StatusReason = ""
		}
		return nil
	})
	queueRecentReports(b, scope, id, &o.Activities, photos)
}

// queueRecentReports queues, on b (planKept), the group's latest PublicPhotoReports current reports inside scope
// with their public photos, filling activities and, unless nil, photos (PublicPhotos's rows, at most
// PublicPhotoMax): the profile's activities and photos come from the same reports, so one statement reads them
// once — the reports are what is cold on a profile nobody opened lately. The jurisdiction is tested on the
// group's row (a report lies where its group does), so that the reports' columns come from the index of
// migration 0101 alone.
func queueRecentReports(b *pgx.Batch, scope portal.Scope, id int64, activities *[]registry.PublicActivity, photos *[]registry.PublicPhoto) {
	b.Queue(`SELECT r.title, r.activity_date, r.series, coalesce(ph.ids, '{}'), coalesce(ph.positions, '{}')
		FROM (SELECT r.id, r.title, r.activity_date, r.series FROM activity_reports r
		      WHERE r.org_id = @org AND r.superseded_at IS NULL
		      AND EXISTS (SELECT FROM organizations o WHERE o.id = @org AND `+scopeOn("o")+`)
		      ORDER BY r.activity_date DESC, r.id DESC LIMIT @reports) r
		LEFT JOIN LATERAL (SELECT array_agg(p.id ORDER BY p.position) AS ids, array_agg(p.position ORDER BY p.position) AS positions
			FROM report_photos p WHERE p.report_id = r.id AND p.public) ph ON true
		ORDER BY r.activity_date DESC, r.id DESC`,
		scopeArgs(scope, namedArgs{"org": id, "reports": PublicPhotoReports})).Query(func(rows pgx.Rows) error {
		if photos != nil {
			*photos = []registry.PublicPhoto{} // as PublicPhotos reads none
		}
		for rows.Next() {
			var a registry.PublicActivity
			var ids []int64
			var positions []int
			if err := rows.Scan(&a.Title, &a.Date, &a.Series, &ids, &positions); err != nil {
				return err
			}
			*activities = append(*activities, a)
			for i := range ids {
				if photos != nil && len(*photos) < PublicPhotoMax {
					*photos = append(*photos, registry.PublicPhoto{ID: ids[i], Title: a.Title, Date: a.Date, Position: positions[i]})
				}
			}
		}
		return rows.Err()
	})
}

// PublicCheck looks a group up by its 备案编号 or 统一社会信用代码, as ParseNumber returned it. An unknown number
// is ErrNotFound.
func (db *DB) PublicCheck(ctx context.Context, scope portal.Scope, kind registry.NumberKind, number string) (registry.PublicCheck, error) {
	var c registry.PublicCheck
	if err := checkScope(scope); err != nil {
		return c, err
	}
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT o.id, o.name, o.tier, o.legal_form, coalesce(o.uscc, ''), coalesce(o.filing_no, ''),
		       t.name, c.name, o.status, o.status_on, o.status_reason
		FROM organizations o
		JOIN divisions t ON t.code = o.town_code
		JOIN divisions c ON c.code = o.community_code
		WHERE CASE WHEN @kind = 'filing' THEN o.filing_no = @number ELSE o.uscc = @number END
			AND `+scopeOn("o"), scopeArgs(scope, namedArgs{"kind": string(kind), "number": number})).Scan(
		&c.OrgID, &c.Name, (*string)(&c.Tier), (*string)(&c.LegalForm), &c.USCC, &c.FilingNo, &c.TownName,
		&c.CommunityName, (*string)(&c.Status), &c.StatusOn, &c.StatusReason)
	if c.Status.Live() {
		c.StatusReason = ""
	}
	return c, translate(err)
}

// PublicDivision is a town's or a community's public page: the division, its office, its live groups counted
// from the kept counts, and for a town its communities with theirs.
func (db *DB) PublicDivision(ctx context.Context, scope portal.Scope, code string) (registry.PublicDivision, error) {
	var d registry.PublicDivision
	if err := checkScope(scope); err != nil {
		return d, err
	}
	if !scope.Covers(code) || len(code) == len(scope.Division) {
		return d, portal.ErrNotFound
	}
	err := db.pool(planKept).QueryRow(ctx, `
		SELECT d.code, d.name, d.kind, d.parent_code, p.name, d.rural, d.demo,
		       coalesce(f.phone, ''), coalesce(f.address, ''), coalesce(f.hours, '')
		FROM divisions d JOIN divisions p ON p.code = d.parent_code
		LEFT JOIN community_offices f ON f.community_code = d.code
		WHERE d.code = @code`, namedArgs{"code": code}).Scan(&d.Code, &d.Name, &d.Kind, &d.ParentCode,
		&d.ParentName, &d.Rural, &d.Demo, &d.Office.Phone, &d.Office.Address, &d.Office.Hours)
	if err != nil {
		return d, translate(err)
	}
	d.Office.CommunityCode, d.Office.CommunityName, d.Office.TownName = d.Code, d.Name, d.ParentName
	// Live groups of each child community (a town) or of the community itself, from the kept counts.
	rows, _ := db.pool(planKept).Query(ctx, `
		SELECT d.code, d.name, d.kind,
		       coalesce((SELECT sum(n) FROM org_counts k WHERE k.community_code = d.code
		                 AND k.status IN ('normal', 'abnormal')), 0)::bigint
		FROM divisions d
		WHERE d.parent_code = @code OR (d.code = @code AND d.level = 'community')
		ORDER BY d.code`, namedArgs{"code": code})
	for rows.Next() {
		var c registry.PublicDivisionCount
		if err := rows.Scan(&c.Code, &c.Name, &c.Kind, &c.Live); err != nil {
			rows.Close()
			return d, translate(err)
		}
		d.Live += c.Live
		if c.Code != code {
			d.Children = append(d.Children, c)
		}
	}
	return d, translate(rows.Err())
}

// PublicTownCounts is every town of scope with its live groups, for the directory's filter and the home page.
func (db *DB) PublicTownCounts(ctx context.Context, scope portal.Scope) ([]registry.PublicDivisionCount, error) {
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	rows, _ := db.pool(planKept).Query(ctx, `
		SELECT d.code, d.name, d.kind,
		       coalesce((SELECT sum(n) FROM org_town_counts k WHERE k.town_code = d.code
		                 AND k.status IN ('normal', 'abnormal')), 0)::bigint
		FROM divisions d WHERE d.parent_code = @code ORDER BY d.code`, namedArgs{"code": scope.Division})
	var out []registry.PublicDivisionCount
	for rows.Next() {
		var c registry.PublicDivisionCount
		if err := rows.Scan(&c.Code, &c.Name, &c.Kind, &c.Live); err != nil {
			rows.Close()
			return nil, translate(err)
		}
		out = append(out, c)
	}
	return out, translate(rows.Err())
}

// SetCommunityOffice records a community's public office phone, address and hours, audited.
func (db *DB) SetCommunityOffice(ctx context.Context, scope portal.Scope, actor portal.Actor, o registry.CommunityOffice) error {
	if err := checkScope(scope); err != nil {
		return err
	}
	if !scope.Covers(o.CommunityCode) || len(o.CommunityCode) != 12 {
		return portal.ErrNotFound
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO community_offices (community_code, phone, address, hours, updated_by)
			VALUES (@code, @phone, @address, @hours, @by)
			ON CONFLICT (community_code) DO UPDATE SET phone = excluded.phone, address = excluded.address,
				hours = excluded.hours, updated_at = now(), updated_by = excluded.updated_by`,
			namedArgs{"code": o.CommunityCode, "phone": o.Phone, "address": o.Address, "hours": o.Hours,
				"by": actorRef(actor)}); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "community_office.set",
			ObjectType: "division", ObjectID: o.CommunityCode, Result: portal.ResultOK, Detail: strconv.Quote(o.Phone)})
	})
}

// OpenData calls fn with every organization in scope, oldest first, as the open data carries it. The rows
// stream from the database as fn consumes them, so an extract of millions holds one row at a time, and they are
// read as every export is (eachRow): without the page's statement_timeout, which would cut 2 million rows short.
func (db *DB) OpenData(ctx context.Context, scope portal.Scope, fn func(registry.OpenOrg) error) error {
	if err := checkScope(scope); err != nil {
		return err
	}
	_, err := eachRow(ctx, db, `
		SELECT o.id, o.name, o.tier, o.legal_form, coalesce(o.uscc, ''), coalesce(o.filing_no, ''),
		       o.town_code, t.name, o.community_code, c.name, o.fields, o.nature, o.beneficiaries, o.founded_on,
		       o.status, o.status_on, o.status_reason, coalesce(f.phone, ''), coalesce(f.address, ''), o.updated_at
		FROM organizations o
		JOIN divisions t ON t.code = o.town_code
		JOIN divisions c ON c.code = o.community_code
		LEFT JOIN community_offices f ON f.community_code = o.community_code
		WHERE `+scopeOn("o")+` ORDER BY o.id`, []any{scopeArgs(scope, nil)}, scanOpenOrg, fn)
	return err
}

func scanOpenOrg(row pgx.CollectableRow) (registry.OpenOrg, error) {
	var o registry.OpenOrg
	err := row.Scan(&o.ID, &o.Name, (*string)(&o.Tier), &o.LegalForm, &o.USCC, &o.FilingNo, &o.TownCode,
		&o.TownName, &o.CommunityCode, &o.CommunityName, &o.Fields, &o.Nature, &o.Beneficiaries, &o.FoundedOn,
		(*string)(&o.Status), &o.StatusOn, &o.StatusReason, &o.OfficePhone, &o.OfficeAddress, &o.UpdatedAt)
	return o, err
}

// PublicScope is the jurisdiction the public side shows: the registry's one district. A database holding
// several districts (a province) has no single public scope yet, and says so.
func (db *DB) PublicScope(ctx context.Context) (portal.Scope, error) {
	rows, _ := db.pool(planKept).Query(ctx, `SELECT code FROM divisions WHERE level = 'district' ORDER BY code LIMIT 2`)
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return portal.Scope{}, translate(err)
	}
	if len(codes) != 1 {
		return portal.Scope{}, fmt.Errorf("public scope: %d districts in the registry, want one", len(codes))
	}
	return portal.Scope{Tier: portal.TierDistrict, Division: codes[0]}, nil
}
