// The fenced hot path: the only statements written as strings at run time. The list and search pages of
// organizations and activity reports write their checked filter words, window size and limit into the text, so
// that each filter shape gets a kept plan of its own on the Lookups pool. Every value written here is a checked
// word of the domain quoted by sqlWord, or a number; what a user types is always a parameter.
package postgres

import (
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

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
			// The cursor's organization is looked up inside the scope too: one outside it gives an empty page,
			// as a missing one does, so a cursor cannot tell whether another jurisdiction's id exists.
			sql += " AND (o.name, o.id) > (SELECT a.name, a.id FROM organizations a WHERE a.id = " + args.add(after) +
				" AND " + scopeEquality("a", scope.Division, scope.Tier, &args) + ")"
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

// windowSearchQuery is the statement of a search that walks the window first. w is the page found in the
// window, as ids: the walk reads only each row's id and name, and the page's columns are read for the matches
// alone (carrying every column of the walked rows through the walk made the statement much slower). The second
// part runs only when w holds less than a page, and reads the bigram index for the rows past the window's
// edge (the id of its last row; 0 when the list ends inside the window). Every row of the second part is
// older than every row of w, so the two together are the page, sorted at the end (at most a page of rows).
// The edge is tested on each match ("o.id + 0") rather than through the primary key: the kept plan, not
// knowing the edge, took it for a third of the table and read every key below it to AND with the term's few
// matches. The edge lies below the cursor, so the rows past it need no cursor clause, which would
// invite the same mistake.
func windowSearchQuery(scope portal.Scope, f registry.OrgFilter, after int64, limit int) (string, stmtArgs, error) {
	var args stmtArgs
	plain := f
	plain.Query = ""
	where, err := orgWhere(scope, plain, &args)
	if err != nil {
		return "", nil, err
	}
	// The window and its edge start after the cursor; the rows past the edge need no cursor of their own.
	window := where
	if after != 0 {
		window += " AND o.id < " + args.add(after)
	}
	like, bigrams := nameSearch(f.Query, &args)
	n := strconv.Itoa(limit)
	return `WITH w AS (
		SELECT o.id FROM (
			SELECT o.id, o.name FROM organizations o WHERE ` + window + ` ORDER BY o.id DESC
			LIMIT ` + strconv.Itoa(searchWindow) + `
		) o WHERE ` + like + ` ORDER BY o.id DESC LIMIT ` + n + `)
	SELECT ` + orgPageColumns + ` FROM (
		SELECT ` + orgPageColumns + ` FROM organizations o WHERE o.id IN (SELECT id FROM w)
		UNION ALL
		(SELECT ` + orgPageColumns + ` FROM organizations o WHERE ` + where + ` AND ` + like + ` AND ` + bigrams + `
			AND o.id + 0 < coalesce((SELECT o.id FROM organizations o WHERE ` + window + `
				ORDER BY o.id DESC OFFSET ` + strconv.Itoa(searchWindow-1) + ` LIMIT 1), 0)
			AND (SELECT count(*) FROM w) < ` + n + `
		ORDER BY o.id DESC LIMIT ` + n + ` - (SELECT count(*) FROM w))
	) o ORDER BY o.id DESC`, args, nil
}

// reportListQueryFor is the page query for f and its arguments, built like the organization lists' (orgWhere)
// so that the Lookups pool keeps one plan per shape: only the clauses that apply, the series and category
// words as checked literals, and the limit in the text.
//
// The jurisdiction and the division filters are one equality on the narrowest of them (reportNarrowest).
// Written as two equalities, a town and one of its communities, the planner took them for independent,
// expected far too few rows and sorted a bitmap scan of the community instead of reading its index in order.
//
// A series or category filter (without a group, whose few reports its own index finds) reads each (series,
// category) pair the filter allows as one ordered range of a (…, series, category, activity_date, id) index,
// only as far as a page, and merges the pairs' pages. One filter word reads at most 8 (or 5) short ranges; a
// combination that nobody files costs an empty range instead of a walk over the whole town.
func reportListQueryFor(scope portal.Scope, f registry.ReportFilter, after registry.ReportCursor, limit int) (string, stmtArgs, error) {
	if err := f.Check(); err != nil {
		return "", nil, err
	}
	div := reportNarrowest(scope, f)
	var args stmtArgs
	var w strings.Builder
	w.WriteString("r.superseded_at IS NULL AND ")
	w.WriteString(scopeEquality("r", div, portal.LevelOfCode(div), &args)) // "false" for a filter outside the scope
	if f.OrgID != 0 {
		w.WriteString(" AND r.org_id = " + args.add(f.OrgID))
	}
	if f.From != nil {
		w.WriteString(" AND r.activity_date >= " + args.add(*f.From) + "::date")
	}
	if f.To != nil {
		w.WriteString(" AND r.activity_date <= " + args.add(*f.To) + "::date")
	}
	if after.ID != 0 {
		w.WriteString(" AND (r.activity_date, r.id) < (" + args.add(after.Date) + "::date, " + args.add(after.ID) + ")")
	}
	order := " ORDER BY r.activity_date DESC, r.id DESC LIMIT " + strconv.Itoa(limit)
	if f.OrgID != 0 || f.Series == "" && f.Category == "" {
		if f.Series != "" {
			w.WriteString(" AND r.series = " + sqlWord(f.Series))
		}
		if f.Category != "" {
			w.WriteString(" AND r.category = " + sqlWord(f.Category))
		}
		return `SELECT ` + reportListColumns + ` FROM ` + reportListFrom + ` WHERE ` + w.String() + order, args, nil
	}
	series, categories := registry.ReportSeries, registry.ReportCategories
	if f.Series != "" {
		series = []string{f.Series}
	}
	if f.Category != "" {
		categories = []string{f.Category}
	}
	return `SELECT ` + reportListColumns + `
	FROM (SELECT x.id, x.activity_date
		FROM unnest(` + sqlWords(series) + `) AS s(series)
		CROSS JOIN unnest(` + sqlWords(categories) + `) AS k(category)
		CROSS JOIN LATERAL (
			SELECT r.id, r.activity_date FROM activity_reports r
			WHERE r.series = s.series AND r.category = k.category AND ` + w.String() + order + `) x
		ORDER BY x.activity_date DESC, x.id DESC LIMIT ` + strconv.Itoa(limit) + `) page,
		` + reportListFrom + `
	WHERE r.id = page.id
	ORDER BY r.activity_date DESC, r.id DESC`, args, nil
}

// reportCountQuery is the statement summing the kept counts for f, or not ok when they cannot answer f or
// when no report can match (a division filter outside the scope). Codes are digits, so the communities inside
// a division are the range [div, digitsAfter(div)) of the primary key (scopeRange): an index range, where
// starts_with tested every row. A whole district or a town reads the counts kept per town instead (migration
// 0013): a town's own rows rather than those of each of its communities, far fewer. The words, checked by the
// caller, are literals as in the list's statement.
func reportCountQuery(scope portal.Scope, f registry.ReportFilter) (string, []any, bool) {
	div := reportNarrowest(scope, f)
	if !f.KeptCountable() || div == "" {
		return "", nil, false
	}
	var args stmtArgs
	var q string
	if len(div) <= 9 {
		q = `SELECT coalesce(sum(k.n), 0) FROM report_town_counts k WHERE ` + scopeRange("k.town_code", div, &args)
	} else {
		q = `SELECT coalesce(sum(k.n), 0) FROM report_counts k WHERE ` + scopeRange("k.community_code", div, &args)
	}
	if f.Series != "" {
		q += ` AND k.series = ` + sqlWord(f.Series)
	}
	if f.Category != "" {
		q += ` AND k.category = ` + sqlWord(f.Category)
	}
	return q, args, true
}

// sqlWord is a word from one of the registry's fixed lists as an SQL string literal. Callers check the word
// against its list first; the quoting keeps even a word that slipped past that a literal.
func sqlWord(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }

// sqlWords is a list of checked words as an SQL text array.
func sqlWords(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = sqlWord(w)
	}
	return "ARRAY[" + strings.Join(quoted, ", ") + "]::text[]"
}
