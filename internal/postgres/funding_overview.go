package postgres

// The money overview (/district/funding, /town/funding) in one round trip: its totals are summed in PostgreSQL
// from the kept totals, whatever the number of money rows, and its lists are queued in the same batch. Every
// statement is written for the caller's tier with only the clauses that apply, so that it keeps its plan
// (planKept): planned afresh at each request, planning was a third of the page's database time.

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// The lists that the functions reading each alone send (Contracts, Funds, Rounds); each takes scopeArgs's
// arguments.
var (
	contractList = `SELECT ` + contractColumns + ` ` + contractsLatest(`1000`, "") + `
		ORDER BY m.signed_on DESC, m.id DESC`
	fundList = `SELECT m.id, m.division_code, d.name, m.name, (m.balance * 100)::bigint
		FROM funds m JOIN divisions d ON d.code = m.division_code
		WHERE ` + moneySees + ` ORDER BY length(m.division_code), m.division_code, m.name`
	roundList = `SELECT ` + roundColumns + ` FROM venture_rounds m JOIN divisions d ON d.code = m.division_code
		WHERE ` + roundSees + ` ORDER BY m.opens_on DESC, m.id DESC LIMIT 500`
)

// contractsLatest is contractFrom over the latest signed contracts inside scope only (at most limit, after the
// condition and), so that only those are joined to their groups: joined first, the district's 6,000 contracts
// each read a row of the 2 M organizations before the sort kept 51 (one second).
func contractsLatest(limit, and string) string {
	return `FROM (SELECT * FROM contracts m WHERE ` + moneySees + ` ` + and + `
		ORDER BY m.signed_on DESC, m.id DESC LIMIT ` + limit + `) m
	JOIN divisions d ON d.code = m.division_code
	JOIN organizations o ON o.id = m.org_id LEFT JOIN platforms p ON p.id = m.platform_id`
}

// purchaserKept is moneySees for a statement whose plan is kept, on alias's division_code: a contract's, fund's
// or round's, which is the district's or a town's own code (a CHECK keeps it six or nine digits long). Inside
// the district is every code that starts with its six digits (indexed with the signing order for contracts,
// 0116), inside a town its own code alone, inside a committee none.
func purchaserKept(alias string, scope portal.Scope, args *stmtArgs) string {
	switch scope.Tier {
	case portal.TierDistrict:
		return "left(" + alias + ".division_code, 6) = " + args.add(scope.Division)
	case portal.TierTown:
		return alias + ".division_code = " + args.add(scope.Division)
	}
	return "false"
}

// roundKept is roundSees for a statement whose plan is kept: the rounds opened inside scope (purchaserKept) and
// those opened by a division above it (the district, a committee's town), which its groups may apply to.
func roundKept(alias string, scope portal.Scope, args *stmtArgs) string {
	var above []string
	for _, n := range []int{6, 9} {
		if len(scope.Division) > n {
			above = append(above, scope.Division[:n])
		}
	}
	within := purchaserKept(alias, scope, args)
	if len(above) == 0 {
		return within
	}
	return "(" + within + " OR " + alias + ".division_code = ANY(" + args.add(above) + "))"
}

// FundingOverview reads what the money overview shows for scope in one batch: the totals, the live and rural
// groups, a page of at most limit contracts from after, the funds and the rounds. The page used to list 1,000
// contracts (350 KB of HTML at the district with the bench's 6,000). The names of the divisions (purchasers,
// funds' and rounds' divisions, the totals' towns) come from the division cache.
func (db *DB) FundingOverview(ctx context.Context, scope portal.Scope, after registry.ContractCursor, limit int) (registry.FundingOverview, error) {
	var o registry.FundingOverview
	var towns []townMoney
	err := db.sendKept(ctx, scope, func(b *pgx.Batch) {
		b.Queue(serialReads)
		queueMoneyTotals(b, scope, &o.Totals, &towns)
		// The live groups inside scope from the kept counts (org_counts, whose community is a group's, a division
		// by its foreign key), and those in a 村: the rural communities are one hashed set, read once. Joined to
		// divisions, the kept plan (which guesses a scope of a few rows) looked each of the district's 324 counts'
		// community up by its key.
		var args stmtArgs
		b.Queue(`SELECT coalesce(sum(k.n), 0)::bigint,
				coalesce(sum(k.n) FILTER (WHERE k.community_code IN (SELECT code FROM divisions WHERE rural)), 0)::bigint
			FROM org_counts k
			WHERE `+scopeRange("k.community_code", scope.Division, &args)+` AND k.status IN ('normal', 'abnormal')`,
			args...).QueryRow(func(row pgx.Row) error { return row.Scan(&o.Groups, &o.RuralGroups) })
		queueContractLines(b, scope, after, limit, &o)
		args = nil
		b.Queue(`SELECT m.id, m.division_code, '', m.name, (m.balance * 100)::bigint FROM funds m
			WHERE `+purchaserKept("m", scope, &args)+` ORDER BY length(m.division_code), m.division_code, m.name`,
			args...).Query(func(rows pgx.Rows) (err error) {
			o.Funds, err = pgx.CollectRows(rows, scanFund)
			return err
		})
		args = nil
		b.Queue(`SELECT `+roundColumnsNaming("''")+` FROM venture_rounds m
			WHERE `+roundKept("m", scope, &args)+` ORDER BY m.opens_on DESC, m.id DESC LIMIT 500`,
			args...).Query(func(rows pgx.Rows) (err error) {
			o.Rounds, err = pgx.CollectRows(rows, scanRound)
			return err
		})
	})
	if err != nil {
		return o, err
	}
	codes := make([]string, 0, len(o.Contracts)+len(o.Funds)+len(o.Rounds)+len(towns))
	for _, c := range o.Contracts {
		codes = append(codes, c.DivisionCode)
	}
	for _, f := range o.Funds {
		codes = append(codes, f.DivisionCode)
	}
	for _, r := range o.Rounds {
		codes = append(codes, r.DivisionCode)
	}
	for _, t := range towns {
		codes = append(codes, t.code)
	}
	names, err := db.divisionNames(ctx, codes)
	if err != nil {
		return o, err
	}
	for i := range o.Contracts {
		o.Contracts[i].DivisionName = names[o.Contracts[i].DivisionCode]
	}
	for i := range o.Funds {
		o.Funds[i].DivisionName = names[o.Funds[i].DivisionCode]
	}
	for i := range o.Rounds {
		o.Rounds[i].DivisionName = names[o.Rounds[i].DivisionCode]
	}
	for _, t := range towns {
		if name, ok := names[t.code]; ok {
			o.Totals.AddTotal("town", name, t.amount, t.n)
		}
		o.Totals.AddTotal("rural", strconv.FormatBool(t.rural), t.amount, t.n)
	}
	o.Totals.Sort()
	return o, nil
}

// townMoney is the money that reached a town's groups on one side (社区 or 村), from the kept totals.
type townMoney struct {
	code   string
	rural  bool
	amount registry.Fen
	n      int
}

// queueMoneyTotals queues the totals of every amount that reached a group inside scope (contracts, 公益创投
// awards, fund grants; the rows MoneyRows lists) in whole 分 with their row counts: by source, by 主题系列 and
// by 服务对象 into t, and by town and urban/rural into towns, which the caller names and adds. They are read from
// the totals kept per town and urban/rural (money_totals, migration 0102), a few hundred rows at the district
// whatever the number of amounts: summing the rows themselves read all 12,000 of the bench's on every request. A
// town's scope is its own rows, a committee's none; the overview is the district's and the towns'.
func queueMoneyTotals(b *pgx.Batch, scope portal.Scope, t *registry.MoneyTotals, towns *[]townMoney) {
	var args stmtArgs
	within := scopeRange("m.town_code", scope.Division, &args)
	b.Queue(`SELECT by, key, (sum(amount) * 100)::bigint, sum(n)::int FROM money_totals m WHERE `+within+`
		GROUP BY by, key HAVING sum(n) <> 0`, args...).Query(func(rows pgx.Rows) error {
		var by, key string
		var fen int64
		var n int
		_, err := pgx.ForEachRow(rows, []any{&by, &key, &fen, &n}, func() error {
			t.AddTotal(by, key, registry.Fen(fen), n)
			return nil
		})
		return err
	})
	// The sources' rows count each amount once; the town and the side are those of the group it reached.
	b.Queue(`SELECT town_code, rural, (sum(amount) * 100)::bigint, sum(n)::int FROM money_totals m
		WHERE `+within+` AND by = 'source' GROUP BY town_code, rural HAVING sum(n) <> 0`, args...).Query(func(rows pgx.Rows) error {
		var m townMoney
		var fen int64
		_, err := pgx.ForEachRow(rows, []any{&m.code, &m.rural, &fen, &m.n}, func() error {
			m.amount = registry.Fen(fen)
			*towns = append(*towns, m)
			return nil
		})
		return err
	})
}

// queueContractLines queues the page of at most limit contracts inside scope from after (the zero cursor for the
// first), the latest signed first, as the overview lists them, and whether more follow; the caller names their
// purchasers. Only the page's contracts are joined to their groups.
func queueContractLines(b *pgx.Batch, scope portal.Scope, after registry.ContractCursor, limit int, o *registry.FundingOverview) {
	var args stmtArgs
	where := purchaserKept("m", scope, &args)
	if after.ID != 0 {
		where += ` AND (m.signed_on, m.id) < (` + args.add(after.On) + `::date, ` + args.add(after.ID) + `::bigint)`
	}
	b.Queue(`SELECT m.id, m.division_code, o.name, m.project, (m.amount * 100)::bigint, (m.paid * 100)::bigint,
			m.starts_on, m.ends_on, m.signed_on, m.status
		FROM (SELECT * FROM contracts m WHERE `+where+`
			ORDER BY m.signed_on DESC, m.id DESC LIMIT `+args.add(limit+1)+`) m
		JOIN organizations o ON o.id = m.org_id
		ORDER BY m.signed_on DESC, m.id DESC`, args...).Query(func(rows pgx.Rows) (err error) {
		o.Contracts, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.ContractLine, error) {
			var c registry.ContractLine
			var amount, paid int64
			err := row.Scan(&c.ID, &c.DivisionCode, &c.OrgName, &c.Project, &amount, &paid, &c.StartsOn, &c.EndsOn,
				&c.SignedOn, &c.Status)
			c.Amount, c.Paid = registry.Fen(amount), registry.Fen(paid)
			return c, err
		})
		if len(o.Contracts) > limit {
			o.Contracts, o.More = o.Contracts[:limit], true
		}
		return err
	})
}
