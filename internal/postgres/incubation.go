package postgres

// Incubation at a 孵化基地: entry, milestones, and leaving as 出壳 or 退出.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// EnterIncubation enters a live group inside scope into incubation at a 孵化基地 the caller keeps and returns
// the incubation's id. A group is incubated at one base at a time (ErrAlreadyIncubating). seen is the form's
// token (the base's entries when it was shown).
func (db *DB) EnterIncubation(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID int64, seen int, in registry.IncubationInput) (int64, error) {
	if !in.Validate(time.Now()).OK() {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		division, kind, err := lockKeptPlatform(ctx, tx, scope, platformID)
		if err != nil {
			return err
		}
		if err := checkCultivationToken(ctx, tx, registry.TokenIncubation, platformParent(platformID), seen); err != nil {
			return err
		}
		if kind != registry.PlatformIncubator {
			return registry.ErrNotIncubator
		}
		community, orgName, err := liveOrgIn(ctx, tx, scope, in.OrgID)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO incubations (platform_id, org_id, entered_on, mentor, goals)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, platformID, in.OrgID, in.EnteredOn, in.Mentor, in.Goals).Scan(&id)
		if err != nil {
			return err
		}
		if err := cultivationChange(ctx, tx, actor, "platform", platformID, division, "入孵", "incubation.enter",
			orgName+" 入孵，导师 "+in.Mentor); err != nil {
			return err
		}
		return insertEvent(ctx, tx, actor, in.OrgID, community, "入孵", "", in.EnteredOn.Format("2006-01-02"), in.Goals)
	})
	return id, cultivationErr(err)
}

// lockedIncubation is an incubation locked for a change by the keeper of its base.
type lockedIncubation struct {
	division, orgName, community, status string
	orgID                                int64
	entered                              time.Time
}

func lockIncubation(ctx context.Context, tx pgx.Tx, scope portal.Scope, platformID, id int64) (lockedIncubation, error) {
	var l lockedIncubation
	err := tx.QueryRow(ctx, `
		SELECT p.division_code, o.name, o.community_code, i.status, i.org_id, i.entered_on
		FROM incubations i JOIN platforms p ON p.id = i.platform_id JOIN organizations o ON o.id = i.org_id
		WHERE i.id = @inc AND i.platform_id = @id AND `+platformKeeps+`
		FOR UPDATE OF i`, scopeArgs(scope, namedArgs{"id": platformID, "inc": id})).
		Scan(&l.division, &l.orgName, &l.community, &l.status, &l.orgID, &l.entered)
	return l, err
}

// AddMilestone records a milestone of an incubation at a base the caller keeps. seen is the form's token (the
// base's milestones when it was shown).
func (db *DB) AddMilestone(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID, id int64, seen int, in registry.MilestoneInput) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		l, err := lockIncubation(ctx, tx, scope, platformID, id)
		if err != nil {
			return err
		}
		if err := checkCultivationToken(ctx, tx, registry.TokenMilestone, platformParent(platformID), seen); err != nil {
			return err
		}
		if !in.Validate(l.entered).OK() {
			return portal.ErrNotAllow
		}
		if l.status != registry.IncubationActive {
			return registry.ErrIncubationFinished
		}
		if _, err := tx.Exec(ctx, `INSERT INTO incubation_milestones (incubation_id, on_date, note) VALUES ($1, $2, $3)`,
			id, in.On, in.Note); err != nil {
			return err
		}
		return cultivationChange(ctx, tx, actor, "platform", platformID, l.division, "孵化阶段成果", "incubation.milestone",
			l.orgName+"："+in.Note)
	})
	return cultivationErr(err)
}

// LeaveIncubation ends an incubation at a base the caller keeps: 出壳 with the tier reached, or 退出. seen is the
// form's token (the base's departures when it was shown).
func (db *DB) LeaveIncubation(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID, id int64, seen int, in registry.LeaveInput) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		l, err := lockIncubation(ctx, tx, scope, platformID, id)
		if err != nil {
			return err
		}
		if err := checkCultivationToken(ctx, tx, registry.TokenLeave, platformParent(platformID), seen); err != nil {
			return err
		}
		if !in.Validate(l.entered).OK() {
			return portal.ErrNotAllow
		}
		if l.status != registry.IncubationActive {
			return registry.ErrIncubationFinished
		}
		tier, reason := "", in.Reason
		if in.Status == registry.IncubationHatched {
			tier, reason = string(in.TierReached), ""
		}
		if _, err := tx.Exec(ctx, `UPDATE incubations SET status = $2, left_on = $3, tier_reached = $4, reason = $5,
			version = version + 1 WHERE id = $1`, id, in.Status, in.On, tier, reason); err != nil {
			return err
		}
		label := registry.IncubationStatusLabel(in.Status)
		detail := l.orgName + " " + label
		if tier != "" {
			detail += "，达到" + registry.Tier(tier).Label()
		}
		if reason != "" {
			detail += "，原因：" + reason
		}
		if err := cultivationChange(ctx, tx, actor, "platform", platformID, l.division, label, "incubation.leave", detail); err != nil {
			return err
		}
		return insertEvent(ctx, tx, actor, l.orgID, l.community, label, "在孵", label, detail)
	})
	return cultivationErr(err)
}

// Cohort is every incubation at a platform inside scope, the current ones first, with their milestones.
func (db *DB) Cohort(ctx context.Context, scope portal.Scope, platformID int64) ([]registry.Incubation, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT i.id, i.platform_id, i.org_id, o.name, i.entered_on, i.mentor, i.goals, i.status, i.left_on,
			i.tier_reached, i.reason, i.version
		FROM incubations i JOIN platforms p ON p.id = i.platform_id JOIN organizations o ON o.id = i.org_id
		WHERE i.platform_id = @id AND `+platformSees+`
		ORDER BY i.status <> 'incubating', i.entered_on DESC, i.id DESC
		LIMIT 500`, scopeArgs(scope, namedArgs{"id": platformID}))
	cohort, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.Incubation, error) {
		var i registry.Incubation
		var tier string
		err := row.Scan(&i.ID, &i.PlatformID, &i.OrgID, &i.OrgName, &i.EnteredOn, &i.Mentor, &i.Goals, &i.Status,
			&i.LeftOn, &tier, &i.Reason, &i.Version)
		i.TierReached = registry.Tier(tier)
		return i, err
	})
	if err != nil || len(cohort) == 0 {
		return cohort, translate(err)
	}
	ids := make([]int64, len(cohort))
	at := map[int64]int{}
	for k, i := range cohort {
		ids[k], at[i.ID] = i.ID, k
	}
	rows, _ = db.pool(planFresh).Query(ctx, `SELECT incubation_id, on_date, note FROM incubation_milestones
		WHERE incubation_id = ANY($1) ORDER BY on_date, id`, ids)
	var incID int64
	var m registry.Milestone
	_, err = pgx.ForEachRow(rows, []any{&incID, &m.On, &m.Note}, func() error {
		k := at[incID]
		cohort[k].Milestones = append(cohort[k].Milestones, m)
		return nil
	})
	return cohort, translate(err)
}
