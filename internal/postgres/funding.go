package postgres

// Money: 政府购买服务 contracts and their payments, and 工作基金 with their ledgers. Amounts cross this boundary
// as whole 分 (bigint) and are numeric(14,2) in the tables; no float ever holds money.

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// moneySees is the jurisdiction of a contract, fund or round kept by division_code (alias m): the district sees
// every one, a town its own.
var moneySees = scopeWithin("m.division_code")

// moneyKeeps is the test for changing one: the purchaser's own division.
const moneyKeeps = `m.division_code = @scope_div`

func actorID(a portal.Actor) *int64 {
	if a.AccountID == 0 {
		return nil
	}
	return &a.AccountID
}

func fenString(f registry.Fen) string { return f.String() + " 元" }

// CreateContract records a contract bought by the caller's division (district or town) from a live
// organization inside its scope, and returns its id. seen is the form's token (the division's contracts when it
// was shown).
func (db *DB) CreateContract(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.ContractInput) (int64, error) {
	if scope.Tier == portal.TierCommunity || !in.Validate().OK() {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkCultivationToken(ctx, tx, registry.TokenContract, scope.Division, seen); err != nil {
			return err
		}
		community, orgName, err := liveOrgIn(ctx, tx, scope, in.OrgID)
		if err != nil {
			return err
		}
		var platformID *int64
		if in.PlatformID != 0 {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM platforms p WHERE p.id = @id AND `+platformSees+`)`,
				scopeArgs(scope, namedArgs{"id": in.PlatformID})).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return portal.ErrNotFound
			}
			platformID = &in.PlatformID
		}
		beneficiaries := in.Beneficiaries
		if beneficiaries == nil {
			beneficiaries = []string{}
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO contracts (division_code, org_id, platform_id, project, series, beneficiaries, amount,
				starts_on, ends_on, signed_on, deliverables)
			VALUES (@division, @org, @platform, @project, @series, @beneficiaries, (@amount::bigint)::numeric / 100,
				@starts, @ends, @signed, @deliverables)
			RETURNING id`, namedArgs{"division": scope.Division, "org": in.OrgID, "platform": platformID,
			"project": in.Project, "series": in.Series, "beneficiaries": beneficiaries, "amount": int64(in.Amount.Fen),
			"starts": in.StartsOn, "ends": in.EndsOn, "signed": in.SignedOn, "deliverables": in.Deliverables}).Scan(&id)
		if err != nil {
			return err
		}
		detail := in.Project + "，" + orgName + "，" + fenString(in.Amount.Fen)
		if err := cultivationChange(ctx, tx, actor, "contract", id, scope.Division, "签订购买服务合同", "contract.create", detail); err != nil {
			return err
		}
		return insertEvent(ctx, tx, actor, in.OrgID, community, "承接政府购买服务", "", in.Project, fenString(in.Amount.Fen))
	})
	return id, cultivationErr(err)
}

const contractColumns = `m.id, m.division_code, d.name, m.org_id, o.name, coalesce(m.platform_id, 0),
	coalesce(p.name, ''), m.project, m.series, m.beneficiaries, (m.amount * 100)::bigint, (m.paid * 100)::bigint,
	m.starts_on, m.ends_on, m.signed_on, m.deliverables, m.status, m.accepted_on, m.acceptance_note, m.version`

const contractFrom = `FROM contracts m JOIN divisions d ON d.code = m.division_code
	JOIN organizations o ON o.id = m.org_id LEFT JOIN platforms p ON p.id = m.platform_id`

func scanContract(row pgx.CollectableRow) (registry.Contract, error) {
	var c registry.Contract
	var amount, paid int64
	err := row.Scan(&c.ID, &c.DivisionCode, &c.DivisionName, &c.OrgID, &c.OrgName, &c.PlatformID, &c.PlatformName,
		&c.Project, &c.Series, &c.Beneficiaries, &amount, &paid, &c.StartsOn, &c.EndsOn, &c.SignedOn, &c.Deliverables,
		&c.Status, &c.AcceptedOn, &c.AcceptanceNote, &c.Version)
	c.Amount, c.Paid = registry.Fen(amount), registry.Fen(paid)
	return c, err
}

// Contracts lists the contracts inside scope, the latest signed first.
func (db *DB) Contracts(ctx context.Context, scope portal.Scope) ([]registry.Contract, error) {
	rows, _ := db.pool(planFresh).Query(ctx, contractList, scopeArgs(scope, nil))
	cs, err := pgx.CollectRows(rows, scanContract)
	return cs, translate(err)
}

// Contract is one contract inside scope; any other id is ErrNotFound.
func (db *DB) Contract(ctx context.Context, scope portal.Scope, id int64) (registry.Contract, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+contractColumns+` `+contractFrom+`
		WHERE m.id = @id AND `+moneySees, scopeArgs(scope, namedArgs{"id": id}))
	c, err := pgx.CollectExactlyOneRow(rows, scanContract)
	return c, translate(err)
}

// Payments lists a contract's installments, oldest first. The caller has read the contract inside its scope.
func (db *DB) Payments(ctx context.Context, contractID int64) ([]registry.Payment, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT id, paid_on, (amount * 100)::bigint, note FROM contract_payments
		WHERE contract_id = $1 ORDER BY paid_on, id`, contractID)
	ps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.Payment, error) {
		var p registry.Payment
		var amount int64
		err := row.Scan(&p.ID, &p.PaidOn, &amount, &p.Note)
		p.Amount = registry.Fen(amount)
		return p, err
	})
	return ps, translate(err)
}

// AddPayment records an installment of a contract the caller's division bought. seen is how many payments the
// contract's page listed when the form was shown (the form's token): another count is ErrConflict, so a payment
// posted twice, or from a page that is no longer current, is written once. The contract's paid total is kept by a
// trigger under the contract's row lock and bounded by a CHECK: a payment beyond the amount, however many are made
// at once, is ErrPaymentBeyondContract.
func (db *DB) AddPayment(ctx context.Context, scope portal.Scope, actor portal.Actor, contractID int64, seen int, in registry.PaymentInput) error {
	if !in.Validate(registry.MaxFen).OK() {
		return portal.ErrNotAllow
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division string
		if err := tx.QueryRow(ctx, `SELECT m.division_code FROM contracts m WHERE m.id = @id AND `+moneyKeeps+` FOR UPDATE`,
			scopeArgs(scope, namedArgs{"id": contractID})).Scan(&division); err != nil {
			return err
		}
		if err := countToken(ctx, tx, "payment "+strconv.FormatInt(contractID, 10),
			`SELECT count(*) FROM contract_payments WHERE contract_id = $1`, seen, contractID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO contract_payments (contract_id, paid_on, amount, note)
			VALUES ($1, $2, ($3::bigint)::numeric / 100, $4)`, contractID, in.PaidOn, int64(in.Amount.Fen), in.Note); err != nil {
			return err
		}
		return cultivationChange(ctx, tx, actor, "contract", contractID, division, "支付", "contract.payment",
			in.PaidOn.Format("2006-01-02")+" 支付 "+fenString(in.Amount.Fen))
	})
	return cultivationErr(err)
}

// AcceptContract records the 验收 of a contract the caller's division bought, if it is still at version.
func (db *DB) AcceptContract(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.AcceptanceInput) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division string
		var current int
		var starts time.Time
		if err := tx.QueryRow(ctx, `SELECT m.division_code, m.version, m.starts_on FROM contracts m
			WHERE m.id = @id AND `+moneyKeeps+` FOR UPDATE`, scopeArgs(scope, namedArgs{"id": id})).
			Scan(&division, &current, &starts); err != nil {
			return err
		}
		if !in.Validate(starts).OK() {
			return portal.ErrNotAllow
		}
		if current != version {
			return portal.ErrConflict
		}
		if _, err := tx.Exec(ctx, `UPDATE contracts SET status = $2, accepted_on = $3, acceptance_note = $4,
			version = version + 1 WHERE id = $1`, id, in.Status, in.On, in.Note); err != nil {
			return err
		}
		return cultivationChange(ctx, tx, actor, "contract", id, division, "验收", "contract.accept",
			registry.ContractStatusLabel(in.Status)+"："+in.Note)
	})
	return cultivationErr(err)
}

// CreateFund opens a 工作基金 of the caller's division (district or town) and returns its id. seen is how many
// funds the division had when the form was shown (the form's token): another count is ErrConflict, so a form
// posted twice or from a stale page opens nothing.
func (db *DB) CreateFund(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.FundInput) (int64, error) {
	if scope.Tier == portal.TierCommunity || !in.Validate().OK() {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkCultivationToken(ctx, tx, registry.TokenFund, scope.Division, seen); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO funds (division_code, name) VALUES ($1, $2) RETURNING id`,
			scope.Division, in.Name).Scan(&id); err != nil {
			return err
		}
		return cultivationChange(ctx, tx, actor, "fund", id, scope.Division, "设立工作基金", "fund.create", in.Name)
	})
	return id, cultivationErr(err)
}

func scanFund(row pgx.CollectableRow) (registry.Fund, error) {
	var f registry.Fund
	var balance int64
	err := row.Scan(&f.ID, &f.DivisionCode, &f.DivisionName, &f.Name, &balance)
	f.Balance = registry.Fen(balance)
	return f, err
}

// Funds lists the funds inside scope.
func (db *DB) Funds(ctx context.Context, scope portal.Scope) ([]registry.Fund, error) {
	rows, _ := db.pool(planFresh).Query(ctx, fundList, scopeArgs(scope, nil))
	fs, err := pgx.CollectRows(rows, scanFund)
	return fs, translate(err)
}

// Fund is one fund inside scope; any other id is ErrNotFound.
func (db *DB) Fund(ctx context.Context, scope portal.Scope, id int64) (registry.Fund, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT m.id, m.division_code, d.name, m.name, (m.balance * 100)::bigint
		FROM funds m JOIN divisions d ON d.code = m.division_code
		WHERE m.id = @id AND `+moneySees, scopeArgs(scope, namedArgs{"id": id}))
	f, err := pgx.CollectExactlyOneRow(rows, scanFund)
	return f, translate(err)
}

// Movements is a fund's ledger, oldest first. The caller has read the fund inside its scope.
func (db *DB) Movements(ctx context.Context, fundID int64) ([]registry.Movement, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT f.id, f.kind, (f.amount * 100)::bigint, f.on_date, f.donor, f.purpose,
			coalesce(o.name, ''), f.series
		FROM fund_movements f LEFT JOIN organizations o ON o.id = f.org_id
		WHERE f.fund_id = $1 ORDER BY f.on_date, f.id`, fundID)
	ms, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.Movement, error) {
		var m registry.Movement
		var amount int64
		err := row.Scan(&m.ID, &m.Kind, &amount, &m.On, &m.Donor, &m.Purpose, &m.OrgName, &m.Series)
		m.Amount = registry.Fen(amount)
		return m, err
	})
	return ms, translate(err)
}

// AddMovement records money into a fund the caller's division keeps, or a grant out of it to a live group
// inside scope. The balance is kept by a trigger under the fund's row lock and may never go negative: a grant
// beyond it, however many are made at once, is ErrFundOverdrawn.
//
// seen is how many movements the fund's page listed when the form was shown (the form's token): another count is
// ErrConflict, checked under the fund's row lock, so a movement posted twice, or from a page that is no longer
// current, is written once.
func (db *DB) AddMovement(ctx context.Context, scope portal.Scope, actor portal.Actor, fundID int64, seen int, in registry.MovementInput) (int64, error) {
	if !in.Validate(registry.MaxFen).OK() {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division string
		if err := tx.QueryRow(ctx, `SELECT m.division_code FROM funds m WHERE m.id = @id AND `+moneyKeeps+` FOR UPDATE`,
			scopeArgs(scope, namedArgs{"id": fundID})).Scan(&division); err != nil {
			return err
		}
		if err := countToken(ctx, tx, "movement "+strconv.FormatInt(fundID, 10),
			`SELECT count(*) FROM fund_movements WHERE fund_id = $1`, seen, fundID); err != nil {
			return err
		}
		var orgID *int64
		var community, orgName string
		if in.Kind == registry.MovementGrant {
			var err error
			if community, orgName, err = liveOrgIn(ctx, tx, scope, in.OrgID); err != nil {
				return err
			}
			orgID = &in.OrgID
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO fund_movements (fund_id, kind, amount, on_date, donor, purpose, org_id, series, created_by)
			VALUES (@fund, @kind, (@amount::bigint)::numeric / 100, @on, @donor, @purpose, @org, @series, @by)
			RETURNING id`, namedArgs{"fund": fundID, "kind": in.Kind, "amount": int64(in.Amount.Fen),
			"on": in.On, "donor": in.Donor, "purpose": in.Purpose, "org": orgID, "series": in.Series,
			"by": actorID(actor)}).Scan(&id); err != nil {
			return err
		}
		detail := registry.MovementLabel(in.Kind) + " " + fenString(in.Amount.Fen)
		if orgName != "" {
			detail += "，" + orgName
		}
		if in.Donor != "" {
			detail += "，捐赠方 " + in.Donor
		}
		if err := cultivationChange(ctx, tx, actor, "fund", fundID, division, registry.MovementLabel(in.Kind),
			"fund."+in.Kind, detail); err != nil {
			return err
		}
		if orgID == nil {
			return nil
		}
		return insertEvent(ctx, tx, actor, in.OrgID, community, "工作基金资助", "", fenString(in.Amount.Fen), in.Purpose)
	})
	return id, cultivationErr(err)
}

// serialReads is queued first in a batch whose reads must not start parallel workers: the setting lasts until the
// batch's end (one implicit transaction). The money statement below joins three small tables to the 2 M
// organizations; while those tables are small and never analyzed, PostgreSQL guesses them at hundreds of rows and
// plans a parallel join, whose workers took ~30 ms to start for no rows (a serial plan: 0.4 ms).
const serialReads = `SELECT set_config('max_parallel_workers_per_gather', '0', true)`

// MoneyRows is every amount that reached a live or past group inside scope — contracts, 公益创投 awards and fund
// grants — the latest first, capped at limit rows.
func (db *DB) MoneyRows(ctx context.Context, scope portal.Scope, limit int) ([]registry.MoneyRow, error) {
	var out []registry.MoneyRow
	b := &pgx.Batch{}
	b.Queue(serialReads)
	b.Queue(`
		WITH money AS (
			SELECT 'contract' AS source, m.id, m.project AS title, m.deliverables AS description, m.org_id,
				m.division_code AS funder, m.series, m.beneficiaries, m.amount, m.signed_on AS awarded_on,
				m.starts_on, m.ends_on
			FROM contracts m
			UNION ALL
			SELECT 'award', a.id, a.project, a.expected, a.org_id, r.division_code, a.theme, a.beneficiaries,
				a.awarded_amount, a.awarded_on, r.opens_on, r.closes_on
			FROM venture_applications a JOIN venture_rounds r ON r.id = a.round_id
			WHERE a.awarded_amount IS NOT NULL
			UNION ALL
			SELECT 'grant', g.id, coalesce(nullif(g.purpose, ''), '工作基金资助'), g.purpose, g.org_id, f.division_code,
				g.series, '{}'::text[], g.amount, g.on_date, NULL::date, NULL::date
			FROM fund_movements g JOIN funds f ON f.id = g.fund_id
			WHERE g.kind = 'grant'
		)
		SELECT m.source, m.id, m.title, m.description, m.org_id, o.name,
			coalesce(o.uscc, o.filing_no, ''), m.funder, fd.name, o.town_code, t.name, c.name, c.rural, m.series,
			m.beneficiaries, (m.amount * 100)::bigint, m.awarded_on, m.starts_on, m.ends_on
		FROM money m JOIN organizations o ON o.id = m.org_id
			JOIN divisions t ON t.code = o.town_code JOIN divisions c ON c.code = o.community_code
			JOIN divisions fd ON fd.code = m.funder
		WHERE `+scopeOn("o")+`
		ORDER BY m.awarded_on DESC, m.source, m.id DESC
		LIMIT @limit`, scopeArgs(scope, namedArgs{"limit": limit})).Query(func(rows pgx.Rows) error {
		var err error
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.MoneyRow, error) {
			var m registry.MoneyRow
			var amount int64
			err := row.Scan(&m.Source, &m.ID, &m.Title, &m.Description, &m.OrgID, &m.OrgName, &m.OrgCode, &m.FunderCode,
				&m.FunderName, &m.TownCode, &m.TownName, &m.CommunityName, &m.Rural, &m.Series, &m.Beneficiaries, &amount,
				&m.AwardedOn, &m.StartsOn, &m.EndsOn)
			m.Amount = registry.Fen(amount)
			return m, err
		})
		return err
	})
	err := db.pool(planFresh).SendBatch(ctx, b).Close()
	return out, translate(err)
}
