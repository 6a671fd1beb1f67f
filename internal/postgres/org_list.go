// Organization lists, totals and exports: keyset pages newest first, a bigram name search, and a streamed
// export that leaves one audit row.
package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// orgPageColumns are the columns a list page shows, in the order orgPageDest scans them. Only the phone's
// mask is read, never the sealed value, so no list or export can carry a full number (SECURITY.md 15). The
// town and community names come from the division cache, not from a join: joining a page's rows to the
// divisions cost a large share of the page query's time.
const orgPageColumns = `o.id, o.name, o.tier, o.legal_form, o.status, o.town_code, o.community_code, o.fields,
	o.leader_name, o.leader_phone_mask, o.founded_on`

// orgExportColumns are the page's columns, the rest of an export's, and the division names joined by
// orgDivisionJoins: an export reads every row once, where a join costs less than a lookup per row.
const orgExportColumns = orgPageColumns + `, o.nature, o.party_status, o.members, o.volunteers,
	coalesce(o.uscc, ''), coalesce(o.filing_no, ''), o.created_at, t.name, c.name`

// orgPageDest points dest at o's fields in the order of orgPageColumns and returns it, for scanPage.
func orgPageDest(o *registry.OrgPageRow, dest []any) []any {
	return append(dest[:0], &o.ID, &o.Name, (*string)(&o.Tier), (*string)(&o.LegalForm), (*string)(&o.Status),
		&o.TownCode, &o.CommunityCode, &o.Fields, &o.LeaderName, &o.LeaderPhone, &o.FoundedOn)
}

// orgExportDest is orgPageDest for orgExportColumns.
func orgExportDest(o *registry.OrgListRow, dest []any) []any {
	return append(dest[:0], &o.ID, &o.Name, (*string)(&o.Tier), (*string)(&o.LegalForm), (*string)(&o.Status),
		&o.TownCode, &o.CommunityCode, &o.Fields, &o.LeaderName, &o.LeaderPhone, &o.FoundedOn, &o.Nature,
		&o.PartyStatus, &o.Members, &o.Volunteers, &o.USCC, &o.FilingNo, &o.CreatedAt, &o.TownName, &o.CommunityName)
}

// orgDivisionJoins name each row's town and community.
const orgDivisionJoins = `
	JOIN divisions c ON c.code = o.community_code
	JOIN divisions t ON t.code = o.town_code`

// orgWhere is the WHERE clause of an organization statement for scope and f, holding only the clauses that
// apply, with its arguments. Division codes and the name term are parameters. The words of the registry's fixed
// lists (tier, legal form, status, 服务领域, 性质, 党建) are written into the text as literals, each checked
// against its list first, so that each combination of words is a statement of its own: the plan PostgreSQL
// makes once for it and keeps (the Lookups pool) still knows that 已注销 is rare and that its partial index
// applies. A clause per filter, rather than one text in which every filter is a part "(@x is empty OR
// column = @x)", is what lets a kept plan use an index at all.
//
// The name search asks the GIN index on name_bigrams for names holding every two-character piece of the term
// — which serves the usual one-word Chinese search (养老, 舞蹈) that a trigram index cannot — and LIKE
// rechecks the order.
func orgWhere(scope portal.Scope, f registry.OrgFilter, args *stmtArgs) (string, error) {
	if err := checkScope(scope); err != nil {
		return "", err
	}
	var w strings.Builder
	w.WriteString(scopeEquality("o", scope.Division, scope.Tier, args))
	if f.TownCode != "" {
		w.WriteString(" AND o.town_code = " + args.add(f.TownCode))
	}
	if f.CommunityCode != "" {
		w.WriteString(" AND o.community_code = " + args.add(f.CommunityCode))
	}
	if err := f.Check(); err != nil {
		return "", err
	}
	for _, c := range []struct{ column, value string }{
		{"o.tier", string(f.Tier)}, {"o.legal_form", string(f.LegalForm)}, {"o.status", string(f.Status)},
		{"o.nature", f.Nature}, {"o.party_status", f.Party},
	} {
		if c.value != "" {
			w.WriteString(" AND " + c.column + " = " + sqlWord(c.value))
		}
	}
	if f.Field != "" {
		w.WriteString(" AND o.fields @> ARRAY[" + sqlWord(f.Field) + "]")
	}
	if f.Query != "" {
		// LIKE comes first: PostgreSQL tests a row's clauses in the order written when they cost the same, and
		// when a common term (养老) is found by walking the list's own index, testing the name itself is cheaper
		// than taking its bigram array apart, which makes the page's statement markedly faster. Where the bigram
		// index is used, the clause order does not matter.
		like, bigrams := nameSearch(f.Query, args)
		w.WriteString(" AND " + like + " AND " + bigrams)
	}
	return w.String(), nil
}

// nameSearch is a name search's two clauses: LIKE on the name, with the term's own % _ \ taken literally, and
// the bigram array holding every two-character piece of the term, which the GIN index answers.
func nameSearch(term string, args *stmtArgs) (like, bigrams string) {
	return "o.name LIKE '%' || " + args.add(likeEscaper.Replace(term)) + " || '%'",
		"o.name_bigrams @> cso_bigrams(" + args.add(term) + ")"
}

// likeEscaper makes a search term literal inside LIKE, whose escape character is the backslash.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// listQuery is the page query for f's order, with its arguments, and how it is planned.
//
// Keyset pages: the next page starts after the last id seen, so page 40,000 costs what page 1 costs. For the
// name order the cursor is still an id; the page continues after that organization's (name, id). The limit is
// part of the text: a kept plan made for an unknown limit expects a tenth of the rows and sorts them.
//
// Only a name search is planned afresh for its term: whether walking the list's own index or asking the
// bigram index is quicker depends on how common the term is, which only its own plan can tell.
func listQuery(scope portal.Scope, f registry.OrgFilter, after int64, limit int) (string, stmtArgs, planning, error) {
	var args stmtArgs
	where, err := orgWhere(scope, f, &args)
	if err != nil {
		return "", nil, planFresh, err
	}
	sql := "SELECT " + orgPageColumns + " FROM organizations o WHERE " + where
	if after != 0 {
		if f.Sort == registry.SortName {
			sql += " AND (o.name, o.id) > (SELECT a.name, a.id FROM organizations a WHERE a.id = " + args.add(after) + ")"
		} else {
			sql += " AND o.id < " + args.add(after)
		}
	}
	if f.Sort == registry.SortName {
		sql += " ORDER BY o.name, o.id"
	} else {
		sql += " ORDER BY o.id DESC"
	}
	p := planKept
	if f.Query != "" {
		p = planFresh
	}
	return sql + " LIMIT " + strconv.Itoa(limit), args, p, nil
}

// pageQuery is the statement of a list page: listQuery's, or for a search for a common term in the newest
// order the window search's (org_search.go).
func (db *DB) pageQuery(ctx context.Context, scope portal.Scope, f registry.OrgFilter, after int64, limit int) (sql string, args stmtArgs, p planning, err error) {
	walk, err := db.walksWindow(ctx, f, limit)
	if err != nil {
		return "", nil, planFresh, err
	}
	if walk {
		// Its plan is kept: the window is walked whatever the term, and past the window's edge a term is
		// sparse, where the bigram index is the way. Planned afresh, its three readings of the table cost more
		// per request than the walk.
		sql, args, err = windowSearchQuery(scope, f, after, limit)
		return sql, args, planKept, err
	}
	return listQuery(scope, f, after, limit)
}

// keptCountQuery sums the counts that triggers keep, so that a jurisdiction's total costs the same however
// large the registry grows. Its plan is kept like the list's. A district's or a town's total reads the counts
// kept per town, tier, legal form and status (org_town_counts); one community's reads those kept per community
// (org_counts). Codes nest, so a district is a range of town codes, bounded by digits as digitsAfter explains,
// and a town a range of community codes.
func keptCountQuery(scope portal.Scope, f registry.OrgFilter) (string, stmtArgs, error) {
	if err := checkScope(scope); err != nil {
		return "", nil, err
	}
	if err := f.Check(); err != nil {
		return "", nil, err
	}
	var args stmtArgs
	var w strings.Builder
	if scope.Tier != portal.TierCommunity && f.CommunityCode == "" {
		w.WriteString("SELECT coalesce(sum(k.n), 0) FROM org_town_counts k WHERE " + scopeRange("k.town_code", scope.Division, &args))
		if f.TownCode != "" {
			w.WriteString(" AND k.town_code = " + args.add(f.TownCode))
		}
	} else {
		w.WriteString("SELECT coalesce(sum(k.n), 0) FROM org_counts k WHERE " + scopeRange("k.community_code", scope.Division, &args))
		if f.TownCode != "" {
			w.WriteString(" AND " + scopeRange("k.community_code", f.TownCode, &args))
		}
		if f.CommunityCode != "" {
			w.WriteString(" AND k.community_code = " + args.add(f.CommunityCode))
		}
	}
	for _, c := range []struct{ column, value string }{
		{"k.tier", string(f.Tier)}, {"k.legal_form", string(f.LegalForm)}, {"k.status", string(f.Status)},
	} {
		if c.value != "" {
			w.WriteString(" AND " + c.column + " = " + sqlWord(c.value))
		}
	}
	return w.String(), args, nil
}

// ListOrganizations returns up to limit organizations inside scope that match f, after the cursor (0 for the
// first page). Ask for one more than the page shows to learn whether there is a next page.
func (db *DB) ListOrganizations(ctx context.Context, scope portal.Scope, f registry.OrgFilter, after int64, limit int) ([]registry.OrgPageRow, error) {
	page, err := db.listOrganizations(ctx, scope, f, after, limit, false)
	return page.Rows, err
}

// ListOrganizationsPage is ListOrganizations with the list's kept total, both in one round trip: the page query
// and the total go to PostgreSQL as one batch, since every list page shows both.
func (db *DB) ListOrganizationsPage(ctx context.Context, scope portal.Scope, f registry.OrgFilter, after int64, limit int) (registry.OrgPage, error) {
	return db.listOrganizations(ctx, scope, f, after, limit, f.KeptCountable())
}

func (db *DB) listOrganizations(ctx context.Context, scope portal.Scope, f registry.OrgFilter, after int64, limit int, withTotal bool) (registry.OrgPage, error) {
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	page := registry.OrgPage{Rows: make([]registry.OrgPageRow, 0, limit)}
	b := &pgx.Batch{}
	sql, args, p, err := db.pageQuery(ctx, scope, f, after, limit)
	if err != nil {
		return registry.OrgPage{}, err
	}
	b.Queue(sql, args...).Query(scanPage(&page.Rows, orgPageDest))
	if withTotal {
		sql, args, err := keptCountQuery(scope, f)
		if err != nil {
			return registry.OrgPage{}, err
		}
		b.Queue(sql, args...).QueryRow(func(row pgx.Row) error {
			page.Kept = &registry.OrgCount{}
			return row.Scan(&page.Kept.N)
		})
	}
	if err := db.pool(p).SendBatch(ctx, b).Close(); err != nil {
		return registry.OrgPage{}, translate(err)
	}
	err = db.nameRows(ctx, len(page.Rows), func(i int) (string, string, *string, *string) {
		r := &page.Rows[i]
		return r.TownCode, r.CommunityCode, &r.TownName, &r.CommunityName
	})
	return page, err
}

// CountOrganizations is how many organizations inside scope match f. A filter of divisions, tier, legal form
// and status alone — the unfiltered total of a whole district included — is read from the kept counts. Any
// other filter counts the matches through the same indexes as the list, up to CountCap.
func (db *DB) CountOrganizations(ctx context.Context, scope portal.Scope, f registry.OrgFilter) (registry.OrgCount, error) {
	if f.KeptCountable() {
		sql, args, err := keptCountQuery(scope, f)
		if err != nil {
			return registry.OrgCount{}, err
		}
		var n int
		err = db.pool(planKept).QueryRow(ctx, sql, args...).Scan(&n)
		return registry.OrgCount{N: n}, translate(err)
	}
	var args stmtArgs
	where, err := orgWhere(scope, f, &args)
	if err != nil {
		return registry.OrgCount{}, err
	}
	var n int
	err = db.pool(planFresh).QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM organizations o WHERE `+where+
		` LIMIT `+strconv.Itoa(registry.CountCap+1)+`) capped`, args...).Scan(&n)
	return capped(n), translate(err)
}

// ExplainListOrganizations is PostgreSQL's plan (EXPLAIN, text) for the page query ListOrganizations would
// run, with the same arguments; tests use it to show which index a filter relies on. For a statement whose
// plan is kept it is that kept plan, made without the arguments' values, as the Lookups pool makes it.
func (db *DB) ExplainListOrganizations(ctx context.Context, scope portal.Scope, f registry.OrgFilter, after int64, limit int) (string, error) {
	sql, args, p, err := db.pageQuery(ctx, scope, f, after, limit)
	if err != nil {
		return "", err
	}
	if p == planFresh {
		rows, _ := db.pool(planFresh).Query(ctx, "EXPLAIN "+sql, args...)
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		return strings.Join(lines, "\n"), translate(err)
	}
	return db.explainKept(ctx, sql, args)
}

// ExportOrganizations calls fn with every organization inside scope that matches f, newest first, reading
// one row at a time from the database so that two million rows never sit in memory. It stops at fn's first
// error and returns it. It writes one audit row ("org.export") and returns how many rows fn accepted.
//
// The audit row is written after the rows, and even when the export fails half-way, as auditedExport does for
// every list.
func (db *DB) ExportOrganizations(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.OrgFilter, format string, fn func(registry.OrgListRow) error) (int, error) {
	return db.auditedExport(ctx, actor, exportAudit{action: "org.export", objectType: "organization",
		format: format, filter: f.Summary()}, func() (int, error) {
		var args stmtArgs
		where, err := orgWhere(scope, f, &args)
		if err != nil {
			return 0, err
		}
		var dest []any
		// Every matching row in the list's default order, which the scope indexes give without a sort (the
		// joins are memoised nested loops that keep it).
		sql := `SELECT ` + orgExportColumns + ` FROM organizations o` + orgDivisionJoins + `
			WHERE ` + where + ` ORDER BY o.id DESC`
		return eachRow(ctx, db, sql, args,
			func(row pgx.CollectableRow) (registry.OrgListRow, error) {
				var o registry.OrgListRow
				dest = orgExportDest(&o, dest)
				return o, row.Scan(dest...)
			}, fn)
	})
}
