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
