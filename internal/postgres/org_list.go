// Organization lists, totals and exports: keyset pages newest first, a bigram name search, and a streamed
// export that leaves one audit row.
package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// OrgFilter narrows a list of organizations. Empty fields do not filter. The handler checks every value
// (divisions inside the caller's scope, known words, a name term of at least two characters) before it gets
// here; the scope clause still bounds every query whatever the filter says.
type OrgFilter struct {
	TownCode      string
	CommunityCode string
	Tier          registry.Tier   // 管理层级
	LegalForm     rules.LegalForm // 组织形式
	Field         string          // one 服务领域 the group lists among its fields
	Nature        string          // 性质
	Status        registry.Status
	Party         string // 党建 status
	Query         string // part of the name, two characters or more
	Sort          OrgSort
}

// OrgSort is the order of a list; both orders page by keyset.
type OrgSort string

const (
	SortNewest OrgSort = ""     // newest first, by id: the default, served by the scope indexes
	SortName   OrgSort = "name" // by name (code-point order), then id
)

// Summary describes the filter for the audit log; it holds codes and words from fixed lists and the name
// term, never personal data.
func (f OrgFilter) Summary() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("town", f.TownCode)
	add("community", f.CommunityCode)
	add("tier", string(f.Tier))
	add("form", string(f.LegalForm))
	add("field", f.Field)
	add("nature", f.Nature)
	add("status", string(f.Status))
	add("party", f.Party)
	add("q", f.Query)
	add("sort", string(f.Sort))
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, " ")
}

// OrgListRow is one organization as lists and exports show it: the registry's own type with the listed
// columns filled (the 负责人 phone masked). The record page reads the rest.
type OrgListRow = registry.Organization

// orgListRow is the row as the list queries select it.
type orgListRow struct {
	ID              int64
	Name            string
	Tier            string
	LegalForm       string
	Status          string
	TownCode        string
	TownName        string
	CommunityCode   string
	CommunityName   string
	Fields          []string
	Nature          string
	PartyStatus     string
	Members         int
	Volunteers      int
	USCC            string
	FilingNo        string
	LeaderName      string
	LeaderPhoneMask string
	FoundedOn       *time.Time
	CreatedAt       time.Time
}

func (r orgListRow) organization() OrgListRow {
	return OrgListRow{ID: r.ID, Name: r.Name, Tier: registry.Tier(r.Tier), LegalForm: rules.LegalForm(r.LegalForm),
		Status: registry.Status(r.Status), TownCode: r.TownCode, TownName: r.TownName,
		CommunityCode: r.CommunityCode, CommunityName: r.CommunityName, Fields: r.Fields, Nature: r.Nature,
		PartyStatus: r.PartyStatus, Members: r.Members, Volunteers: r.Volunteers, USCC: r.USCC,
		FilingNo: r.FilingNo, LeaderName: r.LeaderName, LeaderPhone: r.LeaderPhoneMask, FoundedOn: r.FoundedOn,
		CreatedAt: r.CreatedAt}
}

// orgPageColumns are the columns of a list page, in the order scanOrgPageRow reads them. Only the phone's mask
// is read, never the sealed value, so no list or export can carry a full number (SECURITY.md 15). The town and
// community names come from the division cache, not from a join: joining 50 rows to the divisions cost a
// third of the page query's time.
const orgPageColumns = `o.id, o.name, o.tier, o.legal_form, o.status, o.town_code, o.community_code, o.fields,
	o.nature, o.party_status, o.members, o.volunteers, coalesce(o.uscc, ''), coalesce(o.filing_no, ''),
	o.leader_name, o.leader_phone_mask, o.founded_on, o.created_at`

// orgExportColumns are orgPageColumns with the division names joined by orgDivisionJoins: an export reads
// every row once, where a join costs less than a lookup per row.
const orgExportColumns = orgPageColumns + `, t.name, c.name`

// scan reads the columns of orgPageColumns, then the extra destinations (the export's names). Scanning into
// the fields directly costs a sixth of what matching columns to fields by name did for every page.
func (r *orgListRow) scan(row pgx.Row, extra ...any) error {
	dest := []any{&r.ID, &r.Name, &r.Tier, &r.LegalForm, &r.Status, &r.TownCode, &r.CommunityCode, &r.Fields,
		&r.Nature, &r.PartyStatus, &r.Members, &r.Volunteers, &r.USCC, &r.FilingNo, &r.LeaderName,
		&r.LeaderPhoneMask, &r.FoundedOn, &r.CreatedAt}
	return row.Scan(append(dest, extra...)...)
}

// orgDivisionJoins name each row's town and community.
const orgDivisionJoins = `
	JOIN divisions c ON c.code = o.community_code
	JOIN divisions t ON t.code = o.town_code`

// orgFilterClause is the filter, each part written "(@x = ” OR …)" so that the custom plan of each
// execution (plan_cache_mode=force_custom_plan) keeps only the parts that apply. The name search asks the
// GIN index on name_bigrams for names holding every two-character piece of the term — which serves the
// usual one-word Chinese search (养老, 舞蹈) that a trigram index cannot — and LIKE rechecks the order.
const orgFilterClause = `
	  AND (@town = '' OR o.town_code = @town)
	  AND (@community = '' OR o.community_code = @community)
	  AND (@tier = '' OR o.tier = @tier)
	  AND (@legal_form = '' OR o.legal_form = @legal_form)
	  AND (@field = '' OR o.fields @> ARRAY[@field::text])
	  AND (@nature = '' OR o.nature = @nature)
	  AND (@status = '' OR o.status = @status)
	  AND (@party = '' OR o.party_status = @party)
	  AND (@q = '' OR (o.name_bigrams @> cso_bigrams(@q) AND o.name LIKE '%' || @q_like || '%'))`

// Keyset pages: the next page starts after the last id seen, so page 40,000 costs what page 1 costs. For the
// name order the cursor is still an id; the page continues after that organization's (name, id).
const (
	orgListNewest = `
	SELECT ` + orgPageColumns + ` FROM organizations o
	WHERE ` + orgScope + orgFilterClause + `
	  AND (@after = 0 OR o.id < @after)
	ORDER BY o.id DESC
	LIMIT @limit`
	orgListByName = `
	SELECT ` + orgPageColumns + ` FROM organizations o
	WHERE ` + orgScope + orgFilterClause + `
	  AND (@after = 0 OR (o.name, o.id) > (SELECT a.name, a.id FROM organizations a WHERE a.id = @after))
	ORDER BY o.name, o.id
	LIMIT @limit`
	// orgExportQuery streams every matching row in the list's default order, which the scope indexes give
	// without a sort (the joins are memoised nested loops that keep it).
	orgExportQuery = `
	SELECT ` + orgExportColumns + `
	FROM organizations o` + orgDivisionJoins + `
	WHERE ` + orgScope + orgFilterClause + `
	ORDER BY o.id DESC`
	orgCappedCountQuery = `
	SELECT count(*) FROM (SELECT 1 FROM organizations o
	WHERE ` + orgScope + orgFilterClause + `
	LIMIT @cap) capped`
	// orgKeptCountQuery sums the counts that triggers keep per community, tier, legal form and status
	// (org_counts), so a jurisdiction's total costs the same at 2 M organizations as at 200. Codes nest, so
	// jurisdiction and the town filter are prefix tests on the community code.
	orgKeptCountQuery = `
	SELECT coalesce(sum(k.n), 0) FROM org_counts k
	WHERE starts_with(k.community_code, @scope_div)
	  AND (@town = '' OR starts_with(k.community_code, @town))
	  AND (@community = '' OR k.community_code = @community)
	  AND (@tier = '' OR k.tier = @tier)
	  AND (@legal_form = '' OR k.legal_form = @legal_form)
	  AND (@status = '' OR k.status = @status)`
)

// likeEscaper makes a search term literal inside LIKE, whose escape character is the backslash.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// filterArgs adds the filter's arguments for orgFilterClause.
func filterArgs(f OrgFilter, args pgx.NamedArgs) pgx.NamedArgs {
	args["town"] = f.TownCode
	args["community"] = f.CommunityCode
	args["tier"] = string(f.Tier)
	args["legal_form"] = string(f.LegalForm)
	args["field"] = f.Field
	args["nature"] = f.Nature
	args["status"] = string(f.Status)
	args["party"] = f.Party
	args["q"] = f.Query
	args["q_like"] = likeEscaper.Replace(f.Query)
	return args
}

// listQuery is the page query for f's order with its arguments.
func listQuery(scope portal.Scope, f OrgFilter, after int64, limit int) (string, pgx.NamedArgs) {
	args := filterArgs(f, scopeArgs(scope, nil))
	args["after"] = after
	args["limit"] = limit
	if f.Sort == SortName {
		return orgListByName, args
	}
	return orgListNewest, args
}

// ListOrganizations returns up to limit organizations inside scope that match f, after the cursor (0 for the
// first page). Ask for one more than the page shows to learn whether there is a next page.
func (db *DB) ListOrganizations(ctx context.Context, scope portal.Scope, f OrgFilter, after int64, limit int) ([]OrgListRow, error) {
	page, err := db.listOrganizations(ctx, scope, f, after, limit, false)
	return page.Rows, err
}

// OrgPage is one list page and, when the kept counts answer the filter (OrgFilter.KeptCountable), the list's
// exact total.
type OrgPage struct {
	Rows []OrgListRow
	Kept *OrgCount // nil: the filter needs counting, which a page does not pay for
}

// ListOrganizationsPage is ListOrganizations with the list's kept total, both in one round trip: the page query
// and the total go to PostgreSQL as one batch, since every list page shows both.
func (db *DB) ListOrganizationsPage(ctx context.Context, scope portal.Scope, f OrgFilter, after int64, limit int) (OrgPage, error) {
	return db.listOrganizations(ctx, scope, f, after, limit, f.KeptCountable())
}

func (db *DB) listOrganizations(ctx context.Context, scope portal.Scope, f OrgFilter, after int64, limit int, withTotal bool) (OrgPage, error) {
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	var rs []orgListRow
	var page OrgPage
	b := &pgx.Batch{}
	sql, args := listQuery(scope, f, after, limit)
	b.Queue(sql, args).Query(func(rows pgx.Rows) error {
		var err error
		rs, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (orgListRow, error) {
			var r orgListRow
			return r, r.scan(row)
		})
		return err
	})
	if withTotal {
		b.Queue(orgKeptCountQuery, filterArgs(f, scopeArgs(scope, nil))).QueryRow(func(row pgx.Row) error {
			page.Kept = &OrgCount{}
			return row.Scan(&page.Kept.N)
		})
	}
	if err := db.Pool.SendBatch(ctx, b).Close(); err != nil {
		return OrgPage{}, translate(err)
	}
	codes := make([]string, 0, 2*len(rs))
	for _, r := range rs {
		codes = append(codes, r.TownCode, r.CommunityCode)
	}
	names, err := db.divisionNames(ctx, codes)
	if err != nil {
		return OrgPage{}, err
	}
	page.Rows = make([]OrgListRow, len(rs))
	for i, r := range rs {
		r.TownName, r.CommunityName = names[r.TownCode], names[r.CommunityCode]
		page.Rows[i] = r.organization()
	}
	return page, nil
}

// CountOrganizations is how many organizations inside scope match f. A filter of divisions, tier, legal form
// and status alone — the unfiltered total of a whole district included — is read from the kept counts. Any
// other filter counts the matches through the same indexes as the list, up to CountCap.
func (db *DB) CountOrganizations(ctx context.Context, scope portal.Scope, f OrgFilter) (OrgCount, error) {
	var n int
	if f.KeptCountable() {
		err := db.Pool.QueryRow(ctx, orgKeptCountQuery, filterArgs(f, scopeArgs(scope, nil))).Scan(&n)
		return OrgCount{N: n}, translate(err)
	}
	return db.cappedTotal(ctx, orgCappedCountQuery, filterArgs(f, scopeArgs(scope, nil)))
}

// KeptCountable reports whether the kept counts answer this filter's total exactly, whatever the registry's
// size: a filter of divisions, tier, legal form and status only.
func (f OrgFilter) KeptCountable() bool {
	return f.Field == "" && f.Nature == "" && f.Party == "" && f.Query == ""
}

// CountCap bounds a count that the kept counts cannot answer (a name search, or a filter on 服务领域, 性质 or
// 党建): counting every match of a common word among 2 M names took 100 ms to 2 s, for a number nobody
// reads past "more than a thousand". The list itself is unaffected; it pages through every match.
const CountCap = 1000

// OrgCount is a list's total: exact, or at least N when More is set.
type OrgCount struct {
	N    int
	More bool
}

// ExplainListOrganizations is PostgreSQL's plan (EXPLAIN, text) for the page query ListOrganizations would
// run, with the same arguments; tests and the benchmark use it to show which index a filter relies on.
func (db *DB) ExplainListOrganizations(ctx context.Context, scope portal.Scope, f OrgFilter, after int64, limit int) (string, error) {
	sql, args := listQuery(scope, f, after, limit)
	rows, _ := db.Pool.Query(ctx, "EXPLAIN "+sql, args)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", translate(err)
	}
	return strings.Join(lines, "\n"), nil
}

// ExportOrganizations calls fn with every organization inside scope that matches f, newest first, reading
// one row at a time from the database so that two million rows never sit in memory. It stops at fn's first
// error and returns it. It writes one audit row ("org.export") and returns how many rows fn accepted.
//
// The audit row is written after the rows, and even when the export fails half-way, as auditedExport does for
// every list.
func (db *DB) ExportOrganizations(ctx context.Context, scope portal.Scope, actor portal.Actor, f OrgFilter, format string, fn func(OrgListRow) error) (int, error) {
	return db.auditedExport(ctx, actor, exportAudit{action: "org.export", objectType: "organization",
		format: format, filter: f.Summary()}, func() (int, error) {
		return eachRow(ctx, db, orgExportQuery, filterArgs(f, scopeArgs(scope, nil)),
			func(row pgx.CollectableRow) (OrgListRow, error) {
				var r orgListRow
				err := r.scan(row, &r.TownName, &r.CommunityName)
				return r.organization(), err
			}, fn)
	})
}
