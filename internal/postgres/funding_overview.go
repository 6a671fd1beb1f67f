package postgres

// The money overview (/district/funding, /town/funding) in one round trip: its totals are summed in PostgreSQL,
// whatever the number of money rows, and its lists are queued in the same batch.

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// The overview's lists, shared with the functions that read each alone (Contracts, Funds, Rounds); each takes
// scopeArgs's arguments.
var (
	contractList = `SELECT ` + contractColumns + ` ` + contractsLatest(`1000`, "") + `
		ORDER BY m.signed_on DESC, m.id DESC`
	fundList = `SELECT m.id, m.division_code, d.name, m.name, (m.balance * 100)::bigint
		FROM funds m JOIN divisions d ON d.code = m.division_code
		WHERE ` + moneySees + ` ORDER BY length(m.division_code), m.division_code, m.name`
	roundList = `SELECT ` + roundColumns + ` FROM venture_rounds m JOIN divisions d ON d.code = m.division_code
		WHERE ` + roundSees + ` ORDER BY m.opens_on DESC, m.id DESC LIMIT 500`
	// ruralGroupShare is how many live groups there are inside scope, and how many of them in a 村, from the
	// kept counts (org_counts).
	ruralGroupShare = `
		SELECT coalesce(sum(k.n), 0)::bigint, coalesce(sum(k.n) FILTER (WHERE d.rural), 0)::bigint
		FROM org_counts k JOIN divisions d ON d.code = k.community_code
		WHERE ` + scopeWithin("k.community_code") + ` AND k.status IN ('normal', 'abnormal')`
)

// moneyTotals is every amount that reached a group inside scope (contracts, 公益创投 awards, fund grants; the
// rows MoneyRows lists) in whole 分, by source, by the group's town, by 主题系列, by urban/rural and by 服务对象,
// with their row counts. It reads the totals kept per town and urban/rural (money_totals, migration 0102), a few
// hundred rows at the district whatever the number of amounts: summing the rows themselves read all 12,000 of
// the bench's on every request. A town's scope is its own rows; the overview is the district's and the towns'.
var moneyTotals = `
	WITH k AS (SELECT * FROM money_totals m WHERE ` + scopeWithin("m.town_code") + `)
	SELECT by, key, (sum(amount) * 100)::bigint, sum(n)::int FROM k GROUP BY by, key HAVING sum(n) <> 0
	UNION ALL
	SELECT 'town', t.name, (s.amount * 100)::bigint, s.n::int
	FROM (SELECT town_code, sum(amount) AS amount, sum(n) AS n FROM k WHERE by = 'source' GROUP BY town_code) s
	JOIN divisions t ON t.code = s.town_code WHERE s.n <> 0
	UNION ALL
	SELECT 'rural', rural::text, (sum(amount) * 100)::bigint, sum(n)::int
	FROM k WHERE by = 'source' GROUP BY rural HAVING sum(n) <> 0`

// contractPage is a page of contracts inside scope from a cursor (@after_on, @after_id; 0 for the first page),
// the latest signed first, one more than @limit to tell whether more follow.
var contractPage = `SELECT ` + contractColumns + ` ` + contractsLatest(`@limit::int + 1`,
	`AND (@after_id::bigint = 0 OR (m.signed_on, m.id) < (@after_on::date, @after_id::bigint))`) + `
	ORDER BY m.signed_on DESC, m.id DESC`

// contractsLatest is contractFrom over the latest signed contracts inside scope only (at most limit, after the
// condition and), so that only those are joined to their groups: joined first, the district's 6,000 contracts
// each read a row of the 2 M organizations before the sort kept 51 (one second).
func contractsLatest(limit, and string) string {
	return `FROM (SELECT * FROM contracts m WHERE ` + moneySees + ` ` + and + `
		ORDER BY m.signed_on DESC, m.id DESC LIMIT ` + limit + `) m
	JOIN divisions d ON d.code = m.division_code
	JOIN organizations o ON o.id = m.org_id LEFT JOIN platforms p ON p.id = m.platform_id`
}

// FundingOverview reads what the money overview shows for scope in one batch: the totals, the live and rural
// groups, a page of at most limit contracts from after, the funds and the rounds. The page used to list 1,000
// contracts (350 KB of HTML at the district with the bench's 6,000).
func (db *DB) FundingOverview(ctx context.Context, scope portal.Scope, after registry.ContractCursor, limit int) (registry.FundingOverview, error) {
	var o registry.FundingOverview
	args := scopeArgs(scope, nil)
	page := scopeArgs(scope, namedArgs{"after_on": after.On, "after_id": after.ID, "limit": limit})
	b := &pgx.Batch{}
	b.Queue(serialReads)
	b.Queue(moneyTotals, args).Query(func(rows pgx.Rows) error {
		var by, key string
		var fen int64
		var n int
		_, err := pgx.ForEachRow(rows, []any{&by, &key, &fen, &n}, func() error {
			o.Totals.AddTotal(by, key, registry.Fen(fen), n)
			return nil
		})
		o.Totals.Sort()
		return err
	})
	b.Queue(ruralGroupShare, args).QueryRow(func(row pgx.Row) error { return row.Scan(&o.Groups, &o.RuralGroups) })
	b.Queue(contractPage, page).Query(func(rows pgx.Rows) (err error) {
		o.Contracts, err = pgx.CollectRows(rows, scanContract)
		if len(o.Contracts) > limit {
			o.Contracts, o.More = o.Contracts[:limit], true
		}
		return err
	})
	b.Queue(fundList, args).Query(func(rows pgx.Rows) (err error) {
		o.Funds, err = pgx.CollectRows(rows, scanFund)
		return err
	})
	b.Queue(roundList, args).Query(func(rows pgx.Rows) (err error) {
		o.Rounds, err = pgx.CollectRows(rows, scanRound)
		return err
	})
	return o, translate(db.pool(planFresh).SendBatch(ctx, b).Close())
}
