package postgres

// 供需对接: community needs, the service projects groups offer, matching fairs (洽谈会) and their matches, and
// the district's brand projects. Needs and projects carry their division codes and are bounded by scopeOn; a
// fair carries its town (none for the district's), and a town's fair matches only its own town's needs and
// projects (the store checks it, and a trigger holds it under concurrency).

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// boardLimit caps each list of the board.
const boardLimit = 500

// CreateNeed posts a need for a community inside scope; a community outside it is ErrNotFound. seen is the
// form's token (CreateToken); another count is ErrConflict and writes nothing, as for every create here.
func (db *DB) CreateNeed(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.NeedInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.PostNeeds) {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkCreateToken(ctx, tx, scope, actor, registry.TokenNeed, seen); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO community_needs (district_code, town_code, community_code, posted_tier, title, detail,
				beneficiaries, series, place, frequency, budget, until, created_by)
			SELECT left(d.code, 6), left(d.code, 9), d.code, @tier, @title, @detail, @beneficiaries, @series, @place,
				@frequency, @budget, @until, @by
			FROM divisions d WHERE d.code = @community AND d.level = 'community' AND d.retired_at IS NULL
				AND `+scopeWithin("d.code")+`
			RETURNING id`,
			scopeArgs(scope, namedArgs{"tier": string(scope.Tier), "title": in.Title, "detail": in.Detail,
				"beneficiaries": nonNil(in.Beneficiaries), "series": in.Series, "place": in.Place,
				"frequency": in.Frequency, "budget": in.Budget, "until": in.Until, "by": noticeActorID(actor),
				"community": in.CommunityCode})).Scan(&id)
		if err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "need.post", ObjectType: "community_need",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: in.Title})
	})
	return id, translate(err)
}

// CreateProject records a service project offered by a live group inside scope.
func (db *DB) CreateProject(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.ProjectInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.OfferProjects) {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkCreateToken(ctx, tx, scope, actor, registry.TokenProject, seen); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO service_projects (org_id, district_code, town_code, community_code, title, aims, activities,
				beneficiaries, series, cost, team, created_by)
			SELECT o.id, o.district_code, o.town_code, o.community_code, @title, @aims, @activities, @beneficiaries,
				@series, @cost, @team, @by
			FROM organizations o WHERE o.id = @org AND o.status IN ('normal', 'abnormal') AND `+scopeOn("o")+`
			RETURNING id`,
			scopeArgs(scope, namedArgs{"org": in.OrgID, "title": in.Title, "aims": in.Aims,
				"activities": in.Activities, "beneficiaries": nonNil(in.Beneficiaries), "series": in.Series,
				"cost": in.Cost, "team": in.Team, "by": noticeActorID(actor)})).Scan(&id)
		if err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "project.offer", ObjectType: "service_project",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: in.Title})
	})
	return id, translate(err)
}

// CreateFair records a fair held by the town, or by the district (open to every town's needs and projects).
func (db *DB) CreateFair(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.FairInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.HoldMatchingEvents) {
		return 0, portal.ErrNotAllow
	}
	var town *string
	if scope.Tier == portal.TierTown {
		town = &scope.Division
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkCreateToken(ctx, tx, scope, actor, registry.TokenFair, seen); err != nil {
			return err
		}
		room, venue, err := roomVenue(ctx, tx, scope, in.RoomID, in.Venue, platformSees)
		if err != nil {
			return err
		}
		in.Venue = venue
		err = tx.QueryRow(ctx, `
			INSERT INTO matching_events (district_code, town_code, title, held_on, venue, room_id, created_by)
			VALUES (left(@div, 6), @town, @title, @held_on, @venue, @room, @by) RETURNING id`,
			namedArgs{"div": scope.Division, "town": town, "title": in.Title, "held_on": in.HeldOn,
				"venue": in.Venue, "room": room, "by": noticeActorID(actor)}).Scan(&id)
		if err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "event.create", ObjectType: "matching_event",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: in.Title})
	})
	return id, translate(err)
}

// eventScope is the test of a fair's visibility: the district sees every fair, a town its own and the
// district's, a committee its town's and the district's (where its needs and projects may be on show).
func eventScope(alias string) string {
	holder := "coalesce(" + alias + ".town_code, " + alias + ".district_code)"
	return `(` + scopeTiers + ` AND (starts_with(` + holder + `, @scope_div) OR starts_with(@scope_div, ` + holder + `)))`
}

// eventKeeps is the test for recording a match at a fair: only its holder.
func eventKeeps(alias string) string {
	return `(` + scopeTiers + ` AND coalesce(` + alias + `.town_code, ` + alias + `.district_code) = @scope_div)`
}

// Fairs is the fairs inside scope, the latest first.
func (db *DB) Fairs(ctx context.Context, scope portal.Scope) ([]registry.Fair, error) {
	var out []registry.Fair
	return out, db.sendKept(ctx, scope, func(b *pgx.Batch) { queueFairs(b, scope, &out) })
}

// queueFairs queues Fairs's statement (planKept: written for the scope, see eventKept).
func queueFairs(b *pgx.Batch, scope portal.Scope, out *[]registry.Fair) {
	var args stmtArgs
	sql := `SELECT ` + fairColumns + ` ` + fairFrom + ` WHERE ` + eventKept("e", scope, &args) + `
		ORDER BY e.held_on DESC, e.id DESC LIMIT ` + args.add(boardLimit)
	b.Queue(sql, args...).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, scanEvent)
		return err
	})
}

// eventKept is eventScope for a statement whose plan is kept: a fair's holder (its town, or the district) is
// inside the scope's division or holds it.
func eventKept(alias string, scope portal.Scope, args *stmtArgs) string {
	holder := "coalesce(" + alias + ".town_code, " + alias + ".district_code)"
	div := args.add(scope.Division)
	return `(starts_with(` + holder + `, ` + div + `) OR starts_with(` + div + `, ` + holder + `))`
}

// sendKept sends the statements queue puts in one batch on the kept-plan pool, for a scope checked first (the
// statements written for a scope have no scopeTiers test of their own): a page that reads several lists waits
// for one round trip, and each statement is planned once per connection instead of at every request.
func (db *DB) sendKept(ctx context.Context, scope portal.Scope, queue func(*pgx.Batch)) error {
	if err := checkScope(scope); err != nil {
		return err
	}
	b := &pgx.Batch{}
	queue(b)
	return db.send(ctx, planKept, b)
}

const fairColumns = `e.id, coalesce(e.town_code, ''), coalesce(t.name, '区民政局'), e.title, e.held_on, e.venue,
	coalesce(e.room_id, 0), coalesce(r.platform_id, 0), coalesce(rp.name || ' ' || r.name, '')`

const fairFrom = `FROM matching_events e LEFT JOIN divisions t ON t.code = e.town_code
	LEFT JOIN rooms r ON r.id = e.room_id LEFT JOIN platforms rp ON rp.id = r.platform_id`

func scanEvent(row pgx.CollectableRow) (registry.Fair, error) {
	var e registry.Fair
	err := row.Scan(eventFields(&e)...)
	return e, err
}

// eventFields is where fairColumns scan into e.
func eventFields(e *registry.Fair) []any {
	return []any{&e.ID, &e.TownCode, &e.Holder, &e.Title, &e.HeldOn, &e.Venue, &e.RoomID, &e.PlatformID, &e.RoomName}
}

// RoomChoices is the rooms of the support platforms inside scope a fair may be held in, by platform and name.
func (db *DB) RoomChoices(ctx context.Context, scope portal.Scope) ([]registry.RoomChoice, error) {
	return db.roomChoices(ctx, scope, platformSees)
}

// TrainingRoomChoices is the rooms a training session inside scope may be held in: those of the platforms inside
// scope and those of the district's own platforms (a town often trains in the district's 孵化基地); never
// another town's.
func (db *DB) TrainingRoomChoices(ctx context.Context, scope portal.Scope) ([]registry.RoomChoice, error) {
	return db.roomChoices(ctx, scope, trainingRoomSees)
}

// trainingRoomSees is the rooms a training session may be held in: platformSees, or a platform of the district
// itself (its division is the district's code, the first six digits of every code inside it).
var trainingRoomSees = `(` + platformSees + ` OR (` + scopeTiers + ` AND p.division_code = left(@scope_div, 6)))`

// roomChoices is the rooms of the platforms sees (a test on platforms p), by platform and name.
func (db *DB) roomChoices(ctx context.Context, scope portal.Scope, sees string) ([]registry.RoomChoice, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT r.id, p.id, p.name || ' · ' || r.name || '（容纳 ' || r.capacity || ' 人）'
		FROM rooms r JOIN platforms p ON p.id = r.platform_id
		WHERE `+sees+` ORDER BY p.name, r.name LIMIT @limit`, scopeArgs(scope, namedArgs{"limit": boardLimit}))
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.RoomChoice, error) {
		var c registry.RoomChoice
		err := row.Scan(&c.ID, &c.PlatformID, &c.Label)
		return c, err
	})
	return out, translate(err)
}

// RoomFairs is the fairs inside scope held in one room, the latest first.
func (db *DB) RoomFairs(ctx context.Context, scope portal.Scope, roomID int64) ([]registry.Fair, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+fairColumns+` `+fairFrom+`
		WHERE e.room_id = @room AND `+eventScope("e")+` ORDER BY e.held_on DESC, e.id DESC LIMIT @limit`,
		scopeArgs(scope, namedArgs{"room": roomID, "limit": boardLimit}))
	out, err := pgx.CollectRows(rows, scanEvent)
	return out, translate(err)
}

// fairMatchCount is the token of a fair's match form: the matches recorded at it (@event).
const fairMatchCount = `SELECT count(*) FROM matches WHERE event_id = @event`

// Fair is one fair inside scope with its matches and their count (the match form's token).
func (db *DB) Fair(ctx context.Context, scope portal.Scope, id int64) (registry.Fair, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT `+fairColumns+`, (`+fairMatchCount+`)::int `+fairFrom+`
		WHERE e.id = @id AND `+eventScope("e"), scopeArgs(scope, namedArgs{"id": id, "event": id}))
	e, err := pgx.CollectExactlyOneRow(rows, func(row pgx.CollectableRow) (registry.Fair, error) {
		var e registry.Fair
		err := row.Scan(append(eventFields(&e), &e.MatchCount)...)
		return e, err
	})
	if err != nil {
		return e, translate(err)
	}
	return e, db.sendKept(ctx, scope, func(b *pgx.Batch) {
		queueMatches(b, scope, registry.BoardFilter{}, "m.event_id", id, &e.Matches)
	})
}

// RecordMatch records a match at a fair inside scope between a need and a project the caller sees. At a town's
// fair both must be of that town (ErrMatchAcrossTowns); the same pair twice at one fair is ErrMatchTaken.
func (db *DB) RecordMatch(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.MatchInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.HoldMatchingEvents) {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var eventTown, needTown, projectTown string
		if err := tx.QueryRow(ctx, `SELECT coalesce(e.town_code, '') FROM matching_events e
			WHERE e.id = @id AND `+eventKeeps("e"), scopeArgs(scope, namedArgs{"id": in.EventID})).Scan(&eventTown); err != nil {
			return err
		}
		// the form's token is the fair's matches: a repeat of a post that wrote, or a form shown before another
		// match was recorded, is a conflict that writes nothing
		if err := countToken(ctx, tx, "match "+strconv.FormatInt(in.EventID, 10), fairMatchCount, in.Seen,
			namedArgs{"event": in.EventID}); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT n.town_code FROM community_needs n WHERE n.id = @id AND `+scopeOn("n"),
			scopeArgs(scope, namedArgs{"id": in.NeedID})).Scan(&needTown); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return registry.ErrMatchAcrossTowns
			}
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT p.town_code FROM service_projects p WHERE p.id = @id AND `+scopeOn("p"),
			scopeArgs(scope, namedArgs{"id": in.ProjectID})).Scan(&projectTown); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return registry.ErrMatchAcrossTowns
			}
			return err
		}
		if eventTown != "" && (needTown != eventTown || projectTown != eventTown) {
			return registry.ErrMatchAcrossTowns
		}
		var contract *int64
		if in.Outcome == registry.OutcomeContract {
			// a contract the caller sees, held by the project's own group
			var same bool
			err := tx.QueryRow(ctx, `SELECT m.org_id = (SELECT org_id FROM service_projects WHERE id = @project)
				FROM contracts m WHERE m.id = @id AND `+moneySees,
				scopeArgs(scope, namedArgs{"id": in.ContractID, "project": in.ProjectID})).Scan(&same)
			switch {
			case errors.Is(err, pgx.ErrNoRows) || (err == nil && !same):
				return registry.ErrContractOfAnotherGroup
			case err != nil:
				return err
			}
			contract = &in.ContractID
		}
		var application *int64
		if in.Outcome == registry.OutcomeVenture {
			// an application the caller sees, made by the project's own group
			var same bool
			err := tx.QueryRow(ctx, `SELECT a.org_id = (SELECT org_id FROM service_projects WHERE id = @project)
				`+applicationChoiceFrom+` AND a.id = @id`,
				scopeArgs(scope, namedArgs{"id": in.ApplicationID, "project": in.ProjectID, "reviewing": false})).Scan(&same)
			switch {
			case errors.Is(err, pgx.ErrNoRows) || (err == nil && !same):
				return registry.ErrApplicationOfAnotherGroup
			case err != nil:
				return err
			}
			application = &in.ApplicationID
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO matches (event_id, need_id, project_id, outcome, contract_id, application_id, reason, created_by)
			VALUES (@event, @need, @project, @outcome, @contract, @application, @reason, @by) RETURNING id`,
			namedArgs{"event": in.EventID, "need": in.NeedID, "project": in.ProjectID,
				"outcome": string(in.Outcome), "contract": contract, "application": application, "reason": in.Reason,
				"by": noticeActorID(actor)}).Scan(&id)
		if err != nil {
			return matchErr(err)
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "match.record", ObjectType: "match",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: "需求 " + strconv.FormatInt(in.NeedID, 10) + " ↔ 项目 " + strconv.FormatInt(in.ProjectID, 10) + "：" + in.Outcome.Label()})
	})
	if errors.Is(err, registry.ErrMatchAcrossTowns) || errors.Is(err, registry.ErrMatchTaken) ||
		errors.Is(err, registry.ErrContractOfAnotherGroup) || errors.Is(err, registry.ErrApplicationOfAnotherGroup) {
		return 0, err
	}
	return id, translate(err)
}

// matchErr names the rule a match insert broke.
func matchErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.ConstraintName == "matches_same_town":
			return registry.ErrMatchAcrossTowns
		case pe.ConstraintName == "matches_contract_of_project":
			return registry.ErrContractOfAnotherGroup
		case pe.ConstraintName == "matches_application_of_project":
			return registry.ErrApplicationOfAnotherGroup
		case pe.Code == "23505":
			return registry.ErrMatchTaken
		}
	}
	return err
}

const needColumns = `n.id, n.town_code, t.name, n.community_code, c.name, c.rural, n.title, n.detail, n.beneficiaries,
	n.series, n.place, n.frequency, n.budget::float8, n.until, n.created_at,
	(SELECT count(*) FROM matches m WHERE m.need_id = n.id AND m.outcome <> 'none')::int`

func scanNeed(row pgx.CollectableRow) (registry.Need, error) {
	var n registry.Need
	err := row.Scan(&n.ID, &n.TownCode, &n.TownName, &n.CommunityCode, &n.CommunityName, &n.Rural, &n.Title,
		&n.Detail, &n.Beneficiaries, &n.Series, &n.Place, &n.Frequency, &n.Budget, &n.Until, &n.CreatedAt, &n.Matched)
	return n, err
}

// Needs is the needs inside scope passing f, the latest first; open only: those no fair has matched to a deal.
func (db *DB) Needs(ctx context.Context, scope portal.Scope, f registry.BoardFilter, open bool) ([]registry.Need, error) {
	var out []registry.Need
	return out, db.sendKept(ctx, scope, func(b *pgx.Batch) { queueNeeds(b, scope, f, open, &out) })
}

// boardWhere is the board's test on the needs or projects of alias (with their community c), written for a
// statement whose plan is kept: the scope's one equality and only the filters f sets.
func boardWhere(alias string, scope portal.Scope, f registry.BoardFilter, args *stmtArgs) string {
	w := scopeEquality(alias, scope.Division, scope.Tier, args)
	if f.Beneficiary != "" {
		w += " AND " + args.add(f.Beneficiary) + " = ANY(" + alias + ".beneficiaries)"
	}
	if f.Series != "" {
		w += " AND " + alias + ".series = " + args.add(f.Series)
	}
	if f.Area != "" {
		w += " AND c.rural = " + args.add(f.Area == "rural")
	}
	return w
}

// queueNeeds queues Needs's statement (planKept: written for the scope and the filters set).
func queueNeeds(b *pgx.Batch, scope portal.Scope, f registry.BoardFilter, open bool, out *[]registry.Need) {
	var args stmtArgs
	sql := `SELECT ` + needColumns + `
		FROM community_needs n JOIN divisions t ON t.code = n.town_code JOIN divisions c ON c.code = n.community_code
		WHERE ` + boardWhere("n", scope, f, &args)
	if open {
		sql += ` AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.need_id = n.id AND m.outcome <> 'none')`
	}
	sql += ` ORDER BY n.id DESC LIMIT ` + args.add(boardLimit)
	b.Queue(sql, args...).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, scanNeed)
		return err
	})
}

const projectColumns = `p.id, p.org_id, o.name, p.town_code, t.name, c.name, c.rural, p.title, p.aims, p.activities,
	p.beneficiaries, p.series, p.cost::float8, p.team,
	(SELECT count(*) FROM matches m WHERE m.project_id = p.id AND m.outcome <> 'none')::int,
	b.project_id IS NOT NULL, coalesce(b.plan, '')`

func scanProject(row pgx.CollectableRow) (registry.Project, error) {
	var p registry.Project
	err := row.Scan(&p.ID, &p.OrgID, &p.OrgName, &p.TownCode, &p.TownName, &p.CommunityName, &p.Rural, &p.Title,
		&p.Aims, &p.Activities, &p.Beneficiaries, &p.Series, &p.Cost, &p.Team, &p.Matched, &p.Brand, &p.BrandPlan)
	return p, err
}

const projectFrom = `FROM service_projects p JOIN organizations o ON o.id = p.org_id
	JOIN divisions t ON t.code = p.town_code JOIN divisions c ON c.code = p.community_code
	LEFT JOIN brand_projects b ON b.project_id = p.id`

// Projects is the projects inside scope passing f, the latest first; open only: those no fair has matched to a
// deal; brands only: the brand projects.
func (db *DB) Projects(ctx context.Context, scope portal.Scope, f registry.BoardFilter, open, brands bool) ([]registry.Project, error) {
	var out []registry.Project
	return out, db.sendKept(ctx, scope, func(b *pgx.Batch) { queueProjects(b, scope, f, open, brands, &out) })
}

// queueProjects queues Projects's statement (planKept: written for the scope and the filters set).
func queueProjects(b *pgx.Batch, scope portal.Scope, f registry.BoardFilter, open, brands bool, out *[]registry.Project) {
	var args stmtArgs
	sql := `SELECT ` + projectColumns + ` ` + projectFrom + ` WHERE ` + boardWhere("p", scope, f, &args)
	if open {
		sql += ` AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.project_id = p.id AND m.outcome <> 'none')`
	}
	if brands {
		sql += ` AND b.project_id IS NOT NULL`
	}
	sql += ` ORDER BY p.id DESC LIMIT ` + args.add(boardLimit)
	b.Queue(sql, args...).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, scanProject)
		return err
	})
}

// OrgProjects is the service projects of one group inside scope, brand projects first; brands only: the brand
// projects alone (what its public profile shows).
func (db *DB) OrgProjects(ctx context.Context, scope portal.Scope, orgID int64, brands bool) ([]registry.Project, error) {
	var out []registry.Project
	b := &pgx.Batch{}
	queueOrgProjects(b, scope, orgID, brands, &out)
	return out, db.send(ctx, planKept, b)
}

// queueOrgProjects queues OrgProjects's statement on b (planKept: one group's range of
// service_projects_org_idx, whatever the arguments), to fill out.
func queueOrgProjects(b *pgx.Batch, scope portal.Scope, orgID int64, brands bool, out *[]registry.Project) {
	b.Queue(`SELECT `+projectColumns+` `+projectFrom+`
		WHERE p.org_id = @org AND `+scopeOn("p")+` AND (NOT @brands OR b.project_id IS NOT NULL)
		ORDER BY b.project_id IS NULL, p.id DESC LIMIT @limit`,
		scopeArgs(scope, namedArgs{"org": orgID, "brands": brands, "limit": boardLimit})).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, scanProject)
		return err
	})
}

// Matches is the matches of needs inside scope passing f, the latest first.
func (db *DB) Matches(ctx context.Context, scope portal.Scope, f registry.BoardFilter) ([]registry.Match, error) {
	var out []registry.Match
	return out, db.sendKept(ctx, scope, func(b *pgx.Batch) { queueMatches(b, scope, f, "", 0, &out) })
}

// ContractMatches is the matches inside scope that came to one contract.
func (db *DB) ContractMatches(ctx context.Context, scope portal.Scope, contractID int64) ([]registry.Match, error) {
	var out []registry.Match
	return out, db.sendKept(ctx, scope, func(b *pgx.Batch) {
		queueMatches(b, scope, registry.BoardFilter{}, "m.contract_id", contractID, &out)
	})
}

// MatchingBoard is the board of a scope passing f: the open needs, the open projects, the matches and the fairs,
// read in one round trip.
func (db *DB) MatchingBoard(ctx context.Context, scope portal.Scope, f registry.BoardFilter) (registry.MatchingBoard, error) {
	var m registry.MatchingBoard
	return m, db.sendKept(ctx, scope, func(b *pgx.Batch) {
		queueNeeds(b, scope, f, true, &m.Needs)
		queueProjects(b, scope, f, true, false, &m.Projects)
		queueMatches(b, scope, f, "", 0, &m.Matches)
		queueFairs(b, scope, &m.Fairs)
	})
}

// queueMatches queues the statement of the matches inside scope passing f, the latest first (planKept: written
// for the scope and the filters set); with a column (m.event_id, m.contract_id, a word of this package, never
// input) only those whose column is id. A match is inside the scope when its need or its project is.
func queueMatches(b *pgx.Batch, scope portal.Scope, f registry.BoardFilter, column string, id int64, out *[]registry.Match) {
	var args stmtArgs
	div := args.add(scope.Division)
	where := `(` + scopeEquality("n", scope.Division, scope.Tier, &args) + ` OR ` +
		scopeEquality("p", scope.Division, scope.Tier, &args) + `)`
	if column != "" {
		where += ` AND ` + column + ` = ` + args.add(id)
	}
	if f.Beneficiary != "" {
		where += ` AND ` + args.add(f.Beneficiary) + ` = ANY(n.beneficiaries)`
	}
	if f.Series != "" {
		where += ` AND n.series = ` + args.add(f.Series)
	}
	if f.Area != "" {
		where += ` AND (SELECT c.rural FROM divisions c WHERE c.code = n.community_code) = ` + args.add(f.Area == "rural")
	}
	b.Queue(`
		SELECT m.id, m.event_id, e.title, n.id, n.title, p.id, p.title, o.name, t.name, m.outcome,
			coalesce(m.contract_id, 0), coalesce(k.project, ''), coalesce(m.application_id, 0), coalesce(va.round_id, 0),
			coalesce(va.project || '（' || vr.title || '）', ''),
			coalesce(starts_with(vr.division_code, `+div+`) OR starts_with(`+div+`, vr.division_code), false),
			m.reference, m.reason, m.created_at
		FROM matches m JOIN matching_events e ON e.id = m.event_id LEFT JOIN contracts k ON k.id = m.contract_id
		LEFT JOIN venture_applications va ON va.id = m.application_id LEFT JOIN venture_rounds vr ON vr.id = va.round_id
		JOIN community_needs n ON n.id = m.need_id JOIN service_projects p ON p.id = m.project_id
		JOIN organizations o ON o.id = p.org_id JOIN divisions t ON t.code = n.town_code
		WHERE `+where+`
		ORDER BY m.id DESC LIMIT `+args.add(boardLimit), args...).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.Match, error) {
			var m registry.Match
			var outcome string
			err := row.Scan(&m.ID, &m.EventID, &m.EventTitle, &m.NeedID, &m.NeedTitle, &m.ProjectID, &m.ProjectTitle,
				&m.OrgName, &m.TownName, &outcome, &m.ContractID, &m.Contract, &m.ApplicationID, &m.RoundID, &m.Application,
				&m.ApplicationSeen, &m.Reference, &m.Reason, &m.CreatedAt)
			m.Outcome = registry.Outcome(outcome)
			return m, err
		})
		return err
	})
}

// DesignateBrand makes a project inside scope a brand project with its development plan, or replaces the plan
// of one already designated; seen is the district's designation revisions when the form was shown.
func (db *DB) DesignateBrand(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, projectID int64, plan string) error {
	if !portal.Can(scope.Tier, portal.DesignateBrands) {
		return portal.ErrNotAllow
	}
	return translate(db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkCreateToken(ctx, tx, scope, actor, registry.TokenBrand, seen); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO brand_projects (project_id, plan, designated_by, designated_at)
			SELECT p.id, @plan, @by, @now FROM service_projects p WHERE p.id = @id AND `+scopeOn("p")+`
			ON CONFLICT (project_id) DO UPDATE SET plan = excluded.plan, designated_by = excluded.designated_by,
				designated_at = excluded.designated_at, version = brand_projects.version + 1`,
			scopeArgs(scope, namedArgs{"id": projectID, "plan": plan, "by": noticeActorID(actor), "now": time.Now()}))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return portal.ErrNotFound
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "project.brand", ObjectType: "service_project",
			ObjectID: strconv.FormatInt(projectID, 10), Result: portal.ResultOK, Detail: "认定为品牌项目"})
	}))
}

// applicationChoiceFrom is the 公益创投 applications the caller reads as the keeper of their round or of the
// applying group (funding_venture.go's ventureReads, not as a reviewer), with @reviewing false.
var applicationChoiceFrom = `FROM venture_applications a JOIN venture_rounds m ON m.id = a.round_id
	JOIN organizations o ON o.id = a.org_id
	WHERE ` + roundSees + ` AND ` + fmt.Sprintf(ventureReads, scopeOn("o"))

// MatchApplications is the 公益创投 applications a match recorded by the caller may name, the latest first.
func (db *DB) MatchApplications(ctx context.Context, scope portal.Scope) ([]registry.ApplicationChoice, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT a.id, a.org_id, a.project || '（' || o.name || '，' || m.title || '）'
		`+applicationChoiceFrom+` ORDER BY a.id DESC LIMIT @limit`,
		scopeArgs(scope, namedArgs{"reviewing": false, "limit": boardLimit}))
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.ApplicationChoice, error) {
		var c registry.ApplicationChoice
		err := row.Scan(&c.ID, &c.OrgID, &c.Label)
		return c, err
	})
	return out, translate(err)
}

// roomVenue is a fair's or a session's room (nil for none) and venue: a room of a platform the caller sees (else
// ErrNoRows, so ErrNotFound), whose name stands for the venue when none is typed.
func roomVenue(ctx context.Context, tx pgx.Tx, scope portal.Scope, roomID int64, venue, sees string) (*int64, string, error) {
	if roomID == 0 {
		return nil, venue, nil
	}
	var place string
	if err := tx.QueryRow(ctx, `SELECT p.name || ' ' || r.name FROM rooms r JOIN platforms p ON p.id = r.platform_id
		WHERE r.id = @room AND `+sees, scopeArgs(scope, namedArgs{"room": roomID})).Scan(&place); err != nil {
		return nil, "", err
	}
	if venue == "" {
		venue = place
	}
	return &roomID, venue, nil
}
