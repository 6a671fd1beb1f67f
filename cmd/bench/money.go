package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
)

// The bench's money (issue 15): the 2 M database had no contracts, awards or grants, so the funding overview
// was measured summing nothing. benchMoney writes a bounded set once, in set-based statements: 6,000 政府购买服务
// contracts (a fifth bought by the district, the rest by the group's town) with two payments each, a 工作基金 per
// town and the district with an allocation and 4,500 grants, and a closed 公益创投 round per town with 1,500
// awards: 12,000 amounts that reached groups, about 400 per town, spread over 2021–2026, every 主题系列 and
// several 服务对象 — some six years of a district's money at a generous rate. Rows are marked demo and named 压测.
const (
	benchContracts = 6000
	benchGrants    = 4500
	benchAwards    = 1500
)

var benchMoneySQL = []string{
	`INSERT INTO contracts (division_code, org_id, project, series, beneficiaries, amount, starts_on, ends_on,
		signed_on, deliverables, demo)
	SELECT CASE WHEN o.i % 5 = 0 THEN o.district_code ELSE o.town_code END, o.id, '压测购买服务项目' || o.i,
	       (ARRAY['', '邻里守望', '共建共治共享', '共创平安', '文化铸魂'])[1 + o.i % 5], ` + benchBeneficiaries + `,
	       (20000 + o.i * 7919 % 180000)::numeric(14, 2), x.d, x.d + 180, x.d, '压测交付成果', true
	FROM (SELECT id, town_code, district_code, row_number() OVER (ORDER BY id) AS i FROM organizations
	      WHERE status = 'normal' AND id % 331 = 0 ORDER BY id LIMIT @contracts) o,
	     LATERAL (SELECT date '2021-01-04' + (o.i * 37 % 2150)::int AS d) x`,
	`INSERT INTO contract_payments (contract_id, paid_on, amount, note)
	SELECT id, signed_on + 30, round(amount * 0.4, 2), '压测首期' FROM contracts WHERE demo AND project LIKE '压测%'
	UNION ALL
	SELECT id, signed_on + 150, round(amount * 0.3, 2), '压测二期' FROM contracts WHERE demo AND project LIKE '压测%'`,
	`INSERT INTO funds (division_code, name, demo)
	SELECT code, '压测工作基金', true FROM divisions WHERE level IN ('district', 'town')`,
	`INSERT INTO fund_movements (fund_id, kind, amount, on_date, purpose)
	SELECT id, 'allocation', 50000000, date '2021-01-01', '压测拨款' FROM funds WHERE name = '压测工作基金'`,
	`INSERT INTO fund_movements (fund_id, kind, amount, on_date, purpose, org_id, series)
	SELECT f.id, 'grant', (2000 + o.i * 104729 % 48000)::numeric(14, 2), date '2021-02-01' + (o.i * 13 % 2100)::int,
	       '压测资助', o.id, (ARRAY['', '邻里守望', '共建共治共享', '共创平安', '文化铸魂'])[1 + o.i % 5]
	FROM (SELECT id, town_code, row_number() OVER (ORDER BY id) AS i FROM organizations
	      WHERE status = 'normal' AND id % 337 = 0 ORDER BY id LIMIT @grants) o
	JOIN funds f ON f.division_code = o.town_code AND f.name = '压测工作基金'`,
	`INSERT INTO venture_rounds (division_code, title, themes, budget, opens_on, closes_on, status, demo)
	SELECT code, '压测公益创投', '{邻里守望,共建共治共享,共创平安,文化铸魂}', 100000000, date '2022-03-01',
	       date '2022-05-31', 'closed', true
	FROM divisions WHERE level IN ('district', 'town')`,
	`INSERT INTO venture_applications (round_id, org_id, theme, project, requested, beneficiaries, expected,
		submitted_division, status, awarded_amount, awarded_on)
	SELECT r.id, o.id, (ARRAY['邻里守望', '共建共治共享', '共创平安', '文化铸魂'])[1 + o.i % 4], '压测创投项目' || o.i,
	       (10000 + o.i * 6151 % 40000)::numeric(14, 2), ` + benchBeneficiaries + `, '压测预期成效',
	       o.community_code, 'awarded', (10000 + o.i * 6151 % 40000)::numeric(14, 2), date '2022-06-15'
	FROM (SELECT id, town_code, community_code, row_number() OVER (ORDER BY id) AS i FROM organizations
	      WHERE status = 'normal' AND id % 347 = 0 ORDER BY id LIMIT @awards) o
	JOIN venture_rounds r ON r.division_code = o.town_code AND r.title = '压测公益创投'`,
	`ANALYZE contracts, contract_payments, funds, fund_movements, venture_rounds, venture_applications`,
}

// benchBeneficiaries gives row o.i its 服务对象: one, two, none or another two.
const benchBeneficiaries = `CASE o.i % 4 WHEN 0 THEN '{低保对象}'::text[] WHEN 1 THEN '{空巢老人,残疾人}'::text[]
	WHEN 2 THEN '{}'::text[] ELSE '{困境儿童,进城务工人员及随迁子女}'::text[] END`

// benchMoney writes the bench's money unless a contract exists already, in one transaction.
func benchMoney(ctx context.Context, dbURL string, stdout io.Writer) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var have bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM contracts)`).Scan(&have); err != nil || have {
		return err
	}
	start := time.Now()
	args := pgx.NamedArgs{"contracts": benchContracts, "grants": benchGrants, "awards": benchAwards}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, q := range benchMoneySQL {
			if _, err := tx.Exec(ctx, q, args); err != nil {
				return fmt.Errorf("bench money: %w", err)
			}
		}
		return nil
	})
	if err == nil {
		fmt.Fprintf(stdout, "money: %d contracts, %d grants, %d awards in %s\n", benchContracts, benchGrants, benchAwards,
			time.Since(start).Round(time.Millisecond))
	}
	return err
}
