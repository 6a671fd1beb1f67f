package postgres

// 公益创投: rounds, applications through a committee or town, reviewers' scores, and awards within the budget.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// roundSees: a round is seen inside the division that opened it (the district sees all) and by every division
// under it, which may apply to it.
var roundSees = `(` + scopeTiers + ` AND (starts_with(m.division_code, @scope_div) OR starts_with(@scope_div, m.division_code)))`

// OpenRound opens a round of the caller's division (district or town) with its criteria and returns its id.
// seen is the form's token (the division's rounds when it was shown).
func (db *DB) OpenRound(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.RoundInput) (int64, error) {
	if scope.Tier == portal.TierCommunity || !in.Validate().OK() {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkCultivationToken(ctx, tx, registry.TokenRound, scope.Division, seen); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO venture_rounds (division_code, title, themes, budget, opens_on, closes_on, exclude_own)
			VALUES (@division, @title, @themes, (@budget::bigint)::numeric / 100, @opens, @closes, @exclude)
			RETURNING id`, namedArgs{"division": scope.Division, "title": in.Title, "themes": in.Themes,
			"budget": int64(in.Budget.Fen), "opens": in.OpensOn, "closes": in.ClosesOn, "exclude": in.ExcludeOwn}).
			Scan(&id); err != nil {
			return err
		}
		for _, c := range in.Criteria {
			if _, err := tx.Exec(ctx, `INSERT INTO venture_criteria (round_id, name, max_score) VALUES ($1, $2, $3)`,
				id, c.Name, c.MaxScore); err != nil {
				return err
			}
		}
		return cultivationChange(ctx, tx, actor, "round", id, scope.Division, "发布公益创投", "round.open",
			in.Title+"，资助总额 "+fenString(in.Budget.Fen)+"，主题 "+strings.Join(in.Themes, "、"))
	})
	return id, cultivationErr(err)
}

// roundColumns are a round's columns (alias m) with its division's name (alias d), which scanRound reads.
var roundColumns = roundColumnsNaming("d.name")

// roundColumnsNaming is roundColumns with the division's name given by name: an empty literal where the
// caller names the divisions from the division cache.
func roundColumnsNaming(name string) string {
	return `m.id, m.division_code, ` + name + `, m.title, m.themes, (m.budget * 100)::bigint,
	(m.awarded * 100)::bigint, m.opens_on, m.closes_on, m.exclude_own, m.status, m.version`
}

func scanRound(row pgx.CollectableRow) (registry.Round, error) {
	var r registry.Round
	var budget, awarded int64
	err := row.Scan(&r.ID, &r.DivisionCode, &r.DivisionName, &r.Title, &r.Themes, &budget, &awarded, &r.OpensOn,
		&r.ClosesOn, &r.ExcludeOwn, &r.Status, &r.Version)
	r.Budget, r.Awarded = registry.Fen(budget), registry.Fen(awarded)
	return r, err
}

// Rounds lists the rounds inside scope or above it, the latest first.
func (db *DB) Rounds(ctx context.Context, scope portal.Scope) ([]registry.Round, error) {
	rows, _ := db.pool(planFresh).Query(ctx, roundList, scopeArgs(scope, nil))
	rs, err := pgx.CollectRows(rows, scanRound)
	return rs, translate(err)
}

// Round is one round inside or above scope, with its criteria; any other id is ErrNotFound.
func (db *DB) Round(ctx context.Context, scope portal.Scope, id int64) (registry.Round, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+roundColumns+` FROM venture_rounds m JOIN divisions d ON d.code = m.division_code
		WHERE m.id = @id AND `+roundSees, scopeArgs(scope, namedArgs{"id": id}))
	r, err := pgx.CollectExactlyOneRow(rows, scanRound)
	if err != nil {
		return registry.Round{}, translate(err)
	}
	rows, _ = db.pool(planFresh).Query(ctx, `SELECT id, name, max_score FROM venture_criteria WHERE round_id = $1 ORDER BY id`, id)
	if r.Criteria, err = pgx.CollectRows(rows, pgx.RowToStructByPos[registry.Criterion]); err != nil {
		return r, translate(err)
	}
	rows, _ = db.pool(planFresh).Query(ctx, `SELECT v.division_code, d.name FROM venture_reviewers v
		JOIN divisions d ON d.code = v.division_code WHERE v.round_id = $1 ORDER BY v.division_code`, id)
	r.Reviewers, err = pgx.CollectRows(rows, pgx.RowToStructByPos[registry.RoundReviewer])
	return r, translate(err)
}

// ventureReads is who reads an application (alias a, its round m, its group o), with scopeArgs's arguments and
// @reviewing: the round's keeper and the tiers above it read every one; a committee or town the applications of
// its own groups; and a town the round names as a reviewer, when the caller reads in the reviewer role
// (@reviewing), every one of the round.
const ventureReads = `(starts_with(m.division_code, @scope_div) OR ` + `%s` + ` OR (@reviewing::boolean AND @scope_tier = 'town'
	AND EXISTS (SELECT 1 FROM venture_reviewers v WHERE v.round_id = m.id AND v.division_code = @scope_div)))`

// SetRoundReviewers names the towns that review a district round its keeper keeps, if the round is still at
// version (else ErrConflict); a code that is not a town of the district is ErrReviewerNotTown. The towns no longer
// named keep the scores they gave but read only their own groups' applications from then on.
func (db *DB) SetRoundReviewers(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, towns []string) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division string
		var seen int
		if err := tx.QueryRow(ctx, `SELECT division_code, version FROM venture_rounds m
			WHERE m.id = @id AND `+moneyKeeps+` FOR UPDATE`, scopeArgs(scope, namedArgs{"id": id})).
			Scan(&division, &seen); err != nil {
			return err
		}
		if seen != version {
			return portal.ErrConflict
		}
		if towns == nil {
			towns = []string{}
		}
		var names []string
		if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(name ORDER BY code), '{}') FROM divisions
			WHERE code = ANY($1) AND level = 'town' AND parent_code = $2`, towns, division).Scan(&names); err != nil {
			return err
		}
		if len(names) != len(towns) {
			return registry.ErrReviewerNotTown
		}
		if _, err := tx.Exec(ctx, `DELETE FROM venture_reviewers WHERE round_id = $1 AND NOT (division_code = ANY($2))`, id, towns); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO venture_reviewers (round_id, division_code, named_by)
			SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING`, id, towns, actorID(actor)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE venture_rounds SET version = version + 1 WHERE id = $1`, id); err != nil {
			return err
		}
		detail := "无（仅本级评审）"
		if len(names) > 0 {
			detail = strings.Join(names, "、")
		}
		return cultivationChange(ctx, tx, actor, "round", id, division, "确定评审镇街", "round.reviewers", detail)
	})
	return cultivationErr(err)
}

// Apply submits a live group inside scope to an open round the caller may see, and returns the application's id.
func (db *DB) Apply(ctx context.Context, scope portal.Scope, actor portal.Actor, roundID int64, in registry.VentureInput) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division, status string
		var themes []string
		if err := tx.QueryRow(ctx, `SELECT m.division_code, m.status, m.themes FROM venture_rounds m
			WHERE m.id = @id AND `+roundSees+` FOR SHARE`, scopeArgs(scope, namedArgs{"id": roundID})).
			Scan(&division, &status, &themes); err != nil {
			return err
		}
		if !in.Validate(themes).OK() {
			return portal.ErrNotAllow
		}
		if status != registry.RoundOpen {
			return registry.ErrRoundClosed
		}
		community, orgName, err := liveOrgIn(ctx, tx, scope, in.OrgID)
		if err != nil {
			return err
		}
		beneficiaries := in.Beneficiaries
		if beneficiaries == nil {
			beneficiaries = []string{}
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO venture_applications (round_id, org_id, theme, project, budget_lines, requested,
				beneficiaries, expected, submitted_by, submitted_division)
			VALUES (@round, @org, @theme, @project, @lines, (@requested::bigint)::numeric / 100, @beneficiaries,
				@expected, @by, @division)
			RETURNING id`, namedArgs{"round": roundID, "org": in.OrgID, "theme": in.Theme, "project": in.Project,
			"lines": in.BudgetLines, "requested": int64(in.Requested.Fen), "beneficiaries": beneficiaries,
			"expected": in.Expected, "by": actorID(actor), "division": scope.Division}).Scan(&id); err != nil {
			return err
		}
		if err := cultivationChange(ctx, tx, actor, "round", roundID, division, "申报", "venture.apply",
			orgName+"：“"+in.Project+"”，申请 "+fenString(in.Requested.Fen)); err != nil {
			return err
		}
		return insertEvent(ctx, tx, actor, in.OrgID, community, "申报公益创投", "", in.Project, fenString(in.Requested.Fen))
	})
	return id, cultivationErr(err)
}

// VentureApplications lists a round's applications the caller may see, the best average first: the round's
// keeper and the district see all; a committee or town its own groups'; a town the round names as a reviewer,
// reading in the reviewer role (reviewing), all of them. What a reviewer reads is what scoring needs (project,
// budget lines, 服务对象, expected results): nothing personal about the groups' leaders is selected here.
func (db *DB) VentureApplications(ctx context.Context, scope portal.Scope, roundID int64, reviewing bool) ([]registry.VentureApplication, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT a.id, a.round_id, a.org_id, o.name, o.community_code, a.theme, a.project, a.budget_lines,
			(a.requested * 100)::bigint, a.beneficiaries, a.expected, a.status, coalesce((a.awarded_amount * 100)::bigint, 0),
			a.awarded_on, (SELECT count(DISTINCT s.reviewer_id) FROM venture_scores s WHERE s.application_id = a.id),
			coalesce((SELECT sum(s.score)::float8 / count(DISTINCT s.reviewer_id) FROM venture_scores s
				WHERE s.application_id = a.id), 0),
			a.progress, a.final_report, a.evaluation, a.version
		FROM venture_applications a JOIN venture_rounds m ON m.id = a.round_id JOIN organizations o ON o.id = a.org_id
		WHERE a.round_id = @id AND `+roundSees+` AND `+fmt.Sprintf(ventureReads, scopeOn("o"))+`
		ORDER BY 16 DESC, a.id`, scopeArgs(scope, namedArgs{"id": roundID, "reviewing": reviewing}))
	apps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.VentureApplication, error) {
		var a registry.VentureApplication
		var requested, awarded int64
		err := row.Scan(&a.ID, &a.RoundID, &a.OrgID, &a.OrgName, &a.CommunityCode, &a.Theme, &a.Project, &a.BudgetLines,
			&requested, &a.Beneficiaries, &a.Expected, &a.Status, &awarded, &a.AwardedOn, &a.Reviewers, &a.Average,
			&a.Progress, &a.FinalReport, &a.Evaluation, &a.Version)
		a.Requested, a.AwardedAmount = registry.Fen(requested), registry.Fen(awarded)
		return a, err
	})
	return apps, translate(err)
}

// Score records one reviewer's scores of an application to a round the reviewer's division keeps, or that names
// the reviewer's town as a reviewer (ErrNotReviewer otherwise; an application the reviewer does not see is
// ErrNotFound):
// each criterion once (ErrAlreadyScored), inside its range (ErrScoreOutOfRange), and, if the round says so,
// never for a group of the reviewer's own town or community (ErrOwnDivision).
func (db *DB) Score(ctx context.Context, scope portal.Scope, actor portal.Actor, applicationID int64, scores map[int64]int) error {
	if actor.AccountID == 0 {
		return portal.ErrNotAllow
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division, community, orgName, status string
		var roundID int64
		var excludeOwn, named bool
		if err := tx.QueryRow(ctx, `
			SELECT m.id, m.division_code, m.exclude_own, o.community_code, o.name, a.status,
				starts_with(m.division_code, @scope_div) OR EXISTS (SELECT 1 FROM venture_reviewers v
					WHERE v.round_id = m.id AND v.division_code = @scope_div)
			FROM venture_applications a JOIN venture_rounds m ON m.id = a.round_id JOIN organizations o ON o.id = a.org_id
			WHERE a.id = @id AND `+roundSees+` AND `+fmt.Sprintf(ventureReads, scopeOn("o")),
			scopeArgs(scope, namedArgs{"id": applicationID, "reviewing": true})).
			Scan(&roundID, &division, &excludeOwn, &community, &orgName, &status, &named); err != nil {
			return err
		}
		if !named {
			return registry.ErrNotReviewer
		}
		if excludeOwn && scope.Tier != portal.TierDistrict && strings.HasPrefix(community, scope.Division) {
			return registry.ErrOwnDivision
		}
		if status != registry.VentureSubmitted {
			return portal.ErrConflict
		}
		rows, _ := tx.Query(ctx, `SELECT id, name, max_score FROM venture_criteria WHERE round_id = $1 ORDER BY id`, roundID)
		criteria, err := pgx.CollectRows(rows, pgx.RowToStructByPos[registry.Criterion])
		if err != nil {
			return err
		}
		typed := map[int64]bool{}
		for id := range scores {
			typed[id] = true
		}
		if !registry.ScoreProblems(criteria, scores, typed).OK() {
			return registry.ErrScoreOutOfRange
		}
		total := 0
		for _, c := range criteria {
			if _, err := tx.Exec(ctx, `INSERT INTO venture_scores (application_id, reviewer_id, criterion_id, max_score, score)
				VALUES ($1, $2, $3, $4, $5)`, applicationID, actor.AccountID, c.ID, c.MaxScore, scores[c.ID]); err != nil {
				return err
			}
			total += scores[c.ID]
		}
		return cultivationChange(ctx, tx, actor, "round", roundID, division, "评审打分", "venture.score",
			orgName+" 得分 "+strconv.Itoa(total))
	})
	return cultivationErr(err)
}

// Award awards an application of a round the caller's division keeps. The round's awarded total is kept by a
// trigger under the round's row lock and bounded by its budget: two awards that together exceed it cannot both
// commit (ErrAwardBeyondBudget).
func (db *DB) Award(ctx context.Context, scope portal.Scope, actor portal.Actor, applicationID int64, amount registry.Fen, on time.Time) error {
	if amount <= 0 {
		return portal.ErrNotAllow
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division, community, orgName, status string
		var roundID, orgID int64
		if err := tx.QueryRow(ctx, `
			SELECT m.id, m.division_code, a.org_id, o.community_code, o.name, a.status
			FROM venture_applications a JOIN venture_rounds m ON m.id = a.round_id JOIN organizations o ON o.id = a.org_id
			WHERE a.id = @id AND `+moneyKeeps+` FOR UPDATE OF a`, scopeArgs(scope, namedArgs{"id": applicationID})).
			Scan(&roundID, &division, &orgID, &community, &orgName, &status); err != nil {
			return err
		}
		if status != registry.VentureSubmitted {
			return portal.ErrConflict
		}
		if _, err := tx.Exec(ctx, `UPDATE venture_applications SET status = 'awarded',
			awarded_amount = ($2::bigint)::numeric / 100, awarded_on = $3, version = version + 1 WHERE id = $1`,
			applicationID, int64(amount), on); err != nil {
			return err
		}
		if err := cultivationChange(ctx, tx, actor, "round", roundID, division, "立项资助", "venture.award",
			orgName+" 立项，资助 "+fenString(amount)); err != nil {
			return err
		}
		return insertEvent(ctx, tx, actor, orgID, community, "公益创投立项", "", fenString(amount), "")
	})
	return cultivationErr(err)
}

// SetRoundStatus moves a round the caller's division keeps, if it is still at version, to 评审中 (no more
// applications) or 已结束; ending it records the applications still waiting as 未立项 (declined), each on its
// group's timeline. A step RoundMoves does not allow is ErrRoundMove. It returns how many were declined.
func (db *DB) SetRoundStatus(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, status string) (int, error) {
	var declined int
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division, current string
		var seen int
		if err := tx.QueryRow(ctx, `SELECT division_code, status, version FROM venture_rounds m
			WHERE m.id = @id AND `+moneyKeeps+` FOR UPDATE`, scopeArgs(scope, namedArgs{"id": id})).
			Scan(&division, &current, &seen); err != nil {
			return err
		}
		if seen != version {
			return portal.ErrConflict
		}
		if !slices.Contains(registry.RoundMoves[current], status) {
			return registry.ErrRoundMove
		}
		if _, err := tx.Exec(ctx, `UPDATE venture_rounds SET status = $2, version = version + 1 WHERE id = $1`, id, status); err != nil {
			return err
		}
		label := "截止申报，进入评审"
		if status == registry.RoundClosed {
			label = "结束"
			rows, _ := tx.Query(ctx, `UPDATE venture_applications a SET status = 'declined', version = a.version + 1
				FROM organizations o WHERE o.id = a.org_id AND a.round_id = $1 AND a.status = 'submitted'
				RETURNING a.org_id, o.community_code, a.project`, id)
			type declinedApp struct {
				Org       int64
				Community string
				Project   string
			}
			apps, err := pgx.CollectRows(rows, pgx.RowToStructByPos[declinedApp])
			if err != nil {
				return err
			}
			for _, a := range apps {
				if err := insertEvent(ctx, tx, actor, a.Org, a.Community, "公益创投未立项", "", "", a.Project); err != nil {
					return err
				}
			}
			declined = len(apps)
			label += "，" + strconv.Itoa(declined) + " 个申报项目未立项"
		}
		return cultivationChange(ctx, tx, actor, "round", id, division, label, "round.status", label)
	})
	return declined, cultivationErr(err)
}

// ReportVentureProgress records the progress of an awarded project of a group inside scope (its committee or
// town reports it).
// version is the application's version as the clerk saw it; a changed one is ErrConflict.
func (db *DB) ReportVentureProgress(ctx context.Context, scope portal.Scope, actor portal.Actor, applicationID int64, version int, progress string) error {
	if strings.TrimSpace(progress) == "" {
		return portal.ErrNotAllow
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var roundID int64
		var division, orgName string
		if err := tx.QueryRow(ctx, `
			UPDATE venture_applications a SET progress = @progress, version = a.version + 1
			FROM venture_rounds m, organizations o
			WHERE a.id = @id AND m.id = a.round_id AND o.id = a.org_id AND a.status = 'awarded' AND `+scopeOn("o")+`
			  AND a.version = @version
			RETURNING m.id, m.division_code, o.name`, scopeArgs(scope, namedArgs{"id": applicationID, "progress": progress,
			"version": version})).Scan(&roundID, &division, &orgName); err != nil {
			return staleVenture(ctx, tx, err, `EXISTS (SELECT 1 FROM venture_applications a JOIN organizations o ON o.id = a.org_id
				WHERE a.id = @id AND a.status = 'awarded' AND `+scopeOn("o")+`)`, scopeArgs(scope, namedArgs{"id": applicationID}))
		}
		return cultivationChange(ctx, tx, actor, "round", roundID, division, "项目进展", "venture.progress", orgName+"："+progress)
	})
	return cultivationErr(err)
}

// CloseVenture closes an awarded project of a round the caller's division keeps, with the final report and the
// evaluation (结项).
// version is the application's version as the clerk saw it; a changed one is ErrConflict.
func (db *DB) CloseVenture(ctx context.Context, scope portal.Scope, actor portal.Actor, applicationID int64, version int, final, evaluation string) error {
	if strings.TrimSpace(final) == "" || strings.TrimSpace(evaluation) == "" {
		return portal.ErrNotAllow
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var roundID, orgID int64
		var division, orgName, community string
		if err := tx.QueryRow(ctx, `
			UPDATE venture_applications a SET status = 'closed', final_report = @final, evaluation = @evaluation,
				version = a.version + 1
			FROM venture_rounds m, organizations o
			WHERE a.id = @id AND m.id = a.round_id AND o.id = a.org_id AND a.status = 'awarded' AND `+moneyKeeps+`
			  AND a.version = @version
			RETURNING m.id, m.division_code, o.id, o.name, o.community_code`,
			scopeArgs(scope, namedArgs{"id": applicationID, "final": final, "evaluation": evaluation, "version": version})).
			Scan(&roundID, &division, &orgID, &orgName, &community); err != nil {
			return staleVenture(ctx, tx, err, `EXISTS (SELECT 1 FROM venture_applications a JOIN venture_rounds m ON m.id = a.round_id
				WHERE a.id = @id AND a.status = 'awarded' AND `+moneyKeeps+`)`, scopeArgs(scope, namedArgs{"id": applicationID}))
		}
		if err := cultivationChange(ctx, tx, actor, "round", roundID, division, "结项", "venture.close",
			orgName+" 结项，评价："+evaluation); err != nil {
			return err
		}
		return insertEvent(ctx, tx, actor, orgID, community, "公益创投结项", "", evaluation, final)
	})
	return cultivationErr(err)
}

// staleVenture tells, after an update of an awarded application matched no row, whether the application is still
// there for the caller (exists: its version moved on, ErrConflict) or not (err as it was: not found).
func staleVenture(ctx context.Context, tx pgx.Tx, err error, exists string, args namedArgs) error {
	if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	var there bool
	if qerr := tx.QueryRow(ctx, `SELECT `+exists, args).Scan(&there); qerr != nil {
		return qerr
	}
	if there {
		return portal.ErrConflict
	}
	return err
}
