package postgres

// 骨干人才培训: a town's yearly plan, its sessions, the people trained (sealed like a leader's personal data and
// matched across sessions by a keyed digest of the 身份证号) and the reach of training over the live groups.
// A session carries its town, or none when the district holds it (sessionSees: every division of the district
// sees the district's sessions, a committee its town's too). A person is one record in the district, matched by
// the digest; a division sees the people it trained, whose record is its own, or whose group is inside it
// (traineeSees), and a person counts once, where their group (else their town) is.

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// Sealing contexts of a trainee's personal data.
const (
	traineeIDContext    = "trainee_id"
	traineePhoneContext = "trainee_phone"
)

// sessionHolder is the division holding the session of alias: its town, or the district.
func sessionHolder(alias string) string {
	return `coalesce(` + alias + `.town_code, ` + alias + `.district_code)`
}

// sessionSees is the test of a session's visibility: inside the caller's scope, or held above it (the
// district's sessions for a town or committee, and the town's own for its committees).
func sessionSees(alias string) string {
	h := sessionHolder(alias)
	return `(` + scopeTiers + ` AND (starts_with(` + h + `, @scope_div) OR starts_with(@scope_div, ` + h + `)))`
}

// sessionKeeps is the test for writing to a session: only its holder.
func sessionKeeps(alias string) string {
	return `(` + scopeTiers + ` AND ` + sessionHolder(alias) + ` = @scope_div)`
}

// traineeHome is where a person of alias (trainees, with their group as o) counts: their group's community, else
// their town, else (first recorded at a district session, with no group) the district.
const traineeHome = `coalesce(o.community_code, p.town_code, p.district_code)`

// traineeSees is the test of a person's visibility: their record or group is inside the caller's scope, or they
// attended a session held inside it.
func traineeSees(alias string) string {
	return `(` + scopeTiers + ` AND (starts_with(coalesce(` + alias + `.town_code, ` + alias + `.district_code), @scope_div)
		OR EXISTS (SELECT 1 FROM organizations og WHERE og.id = ` + alias + `.org_id AND starts_with(og.community_code, @scope_div))
		OR EXISTS (SELECT 1 FROM training_attendance ax JOIN training_sessions sx ON sx.id = ax.session_id
			WHERE ax.trainee_id = ` + alias + `.id AND starts_with(sx.town_code, @scope_div))))`
}

// trainingYear is the first instant of year and of the next, in 北京时间.
func trainingYear(year int) (time.Time, time.Time) {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, portal.Beijing)
	return from, from.AddDate(1, 0, 0)
}

// SaveTrainingPlan writes the town's plan for in.Year: a new plan when in.Version is 0, else an edit of that
// version (another edit in between is ErrConflict). It returns the plan's id.
func (db *DB) SaveTrainingPlan(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.TrainingPlanInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.ManageTraining) || scope.Tier != portal.TierTown {
		return 0, portal.ErrNotAllow
	}
	args := namedArgs{"town": scope.Division, "year": in.Year, "q1": in.Quarters[0], "q2": in.Quarters[1],
		"q3": in.Quarters[2], "q4": in.Quarters[3], "audiences": nonNil(in.Audiences), "topics": nonNil(in.Topics),
		"note": in.Note, "version": in.Version, "by": noticeActorID(actor)}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if in.Version == 0 {
			err = tx.QueryRow(ctx, `
				INSERT INTO training_plans (district_code, town_code, year, q1, q2, q3, q4, audiences, topics, note,
					updated_by)
				VALUES (left(@town, 6), @town, @year, @q1, @q2, @q3, @q4, @audiences, @topics, @note, @by)
				RETURNING id`, args).Scan(&id)
		} else {
			err = tx.QueryRow(ctx, `
				UPDATE training_plans SET q1 = @q1, q2 = @q2, q3 = @q3, q4 = @q4, audiences = @audiences,
					topics = @topics, note = @note, version = version + 1, updated_by = @by, updated_at = now()
				WHERE town_code = @town AND year = @year AND version = @version
				RETURNING id`, args).Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				return portal.ErrConflict
			}
		}
		if err != nil {
			return conflictOnUnique(err)
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "training.plan", ObjectType: "training_plan",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: strconv.Itoa(in.Year) + " 年培训计划，计划 " + strconv.Itoa(in.Planned()) + " 场"})
	})
	return id, err
}

// TrainingPlans is, for every town inside scope, its plan for year (ID 0: none) and the sessions it held in each
// quarter: the district's view of every town's plan and what became of it, or a town's own.
func (db *DB) TrainingPlans(ctx context.Context, scope portal.Scope, year int) ([]registry.TrainingPlan, error) {
	from, to := trainingYear(year)
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT d.code, d.name, coalesce(p.id, 0), coalesce(p.q1, 0), coalesce(p.q2, 0), coalesce(p.q3, 0),
			coalesce(p.q4, 0), coalesce(p.audiences, '{}'), coalesce(p.topics, '{}'), coalesce(p.note, ''),
			coalesce(p.version, 0), coalesce(p.updated_at, 'epoch'),
			count(s.id) FILTER (WHERE extract(quarter FROM s.starts_at AT TIME ZONE 'Asia/Shanghai') = 1),
			count(s.id) FILTER (WHERE extract(quarter FROM s.starts_at AT TIME ZONE 'Asia/Shanghai') = 2),
			count(s.id) FILTER (WHERE extract(quarter FROM s.starts_at AT TIME ZONE 'Asia/Shanghai') = 3),
			count(s.id) FILTER (WHERE extract(quarter FROM s.starts_at AT TIME ZONE 'Asia/Shanghai') = 4)
		FROM divisions d
		LEFT JOIN training_plans p ON p.town_code = d.code AND p.year = @year
		LEFT JOIN training_sessions s ON s.town_code = d.code AND s.starts_at >= @from AND s.starts_at < @to
		WHERE d.level = 'town' AND `+scopeWithin("d.code")+`
		GROUP BY d.code, d.name, p.id
		ORDER BY d.code`,
		scopeArgs(scope, namedArgs{"year": year, "from": from, "to": to}))
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.TrainingPlan, error) {
		p := registry.TrainingPlan{Year: year}
		err := row.Scan(&p.TownCode, &p.TownName, &p.ID, &p.Quarters[0], &p.Quarters[1], &p.Quarters[2],
			&p.Quarters[3], &p.Audiences, &p.Topics, &p.Note, &p.Version, &p.UpdatedAt, &p.Held[0], &p.Held[1],
			&p.Held[2], &p.Held[3])
		return p, err
	})
	return out, translate(err)
}

// CreateTrainingSession records a session the town held, or (the district's scope) one the district held for
// trainees of every town; it returns its id. seen is the form's token (CreateToken of registry.TokenSession):
// another count is ErrConflict and writes nothing.
func (db *DB) CreateTrainingSession(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.SessionInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.ManageTraining) || scope.Tier == portal.TierCommunity {
		return 0, portal.ErrNotAllow
	}
	var town *string
	if scope.Tier == portal.TierTown {
		town = &scope.Division
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkCreateToken(ctx, tx, scope, actor, registry.TokenSession, seen); err != nil {
			return err
		}
		// a room of a platform the caller may use (another town's is ErrNotFound)
		room, venue, err := roomVenue(ctx, tx, scope, in.RoomID, in.Venue, trainingRoomSees)
		if err != nil {
			return err
		}
		in.Venue = venue
		venueKind := "其他"
		if room != nil {
			venueKind = "平台场地"
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO training_sessions (district_code, town_code, title, organizer_kind, organizer, starts_at,
				ends_at, hours, mode, topics, venue_kind, venue, room_id, materials, created_by)
			VALUES (left(@div, 6), @town, @title, @organizer_kind, @organizer, @starts, @ends, @hours, @mode,
				@topics, @venue_kind, @venue, @room, @materials, @by)
			RETURNING id`,
			namedArgs{"div": scope.Division, "town": town, "title": in.Title, "organizer_kind": in.OrganizerKind,
				"organizer": in.Organizer, "starts": in.Start, "ends": in.End, "hours": in.Hours, "mode": in.Mode,
				"topics": nonNil(in.Topics), "venue_kind": venueKind, "venue": in.Venue, "room": room,
				"materials": in.Materials, "by": noticeActorID(actor)}).Scan(&id)
		if err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "training.session", ObjectType: "training_session",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: in.Title})
	})
	return id, translate(err)
}

var sessionColumns = `s.id, coalesce(s.town_code, ''), coalesce(t.name, '区级'), s.title, s.organizer_kind, s.organizer, s.starts_at, s.ends_at,
	s.hours::float8, s.mode, s.topics, s.venue, s.materials,
	(SELECT count(*) FROM training_attendance a WHERE a.session_id = s.id)::int, s.attendance_version,
	coalesce(s.room_id, 0), coalesce(r.platform_id, 0), coalesce(p.name || ' ' || r.name, ''),
	coalesce(` + platformSees + `, false)`

// sessionFrom is the sessions with their town and room (p, the room's platform).
const sessionFrom = `FROM training_sessions s LEFT JOIN divisions t ON t.code = s.town_code
	LEFT JOIN rooms r ON r.id = s.room_id LEFT JOIN platforms p ON p.id = r.platform_id`

func scanSession(row pgx.CollectableRow) (registry.TrainingSession, error) {
	var s registry.TrainingSession
	err := row.Scan(&s.ID, &s.TownCode, &s.TownName, &s.Title, &s.OrganizerKind, &s.Organizer, &s.Start, &s.End,
		&s.Hours, &s.Mode, &s.Topics, &s.Venue, &s.Materials, &s.Attendees, &s.AttendanceVersion, &s.RoomID,
		&s.PlatformID, &s.RoomName, &s.RoomSeen)
	return s, err
}

// trainingListLimit caps a year's session list.
const trainingListLimit = 500

// TrainingSessions is the sessions inside scope held in year, the latest first.
func (db *DB) TrainingSessions(ctx context.Context, scope portal.Scope, year int) ([]registry.TrainingSession, error) {
	from, to := trainingYear(year)
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+sessionColumns+` `+sessionFrom+`
		WHERE s.starts_at >= @from AND s.starts_at < @to AND `+sessionSees("s")+`
		ORDER BY s.starts_at DESC, s.id DESC LIMIT @limit`,
		scopeArgs(scope, namedArgs{"from": from, "to": to, "limit": trainingListLimit}))
	out, err := pgx.CollectRows(rows, scanSession)
	return out, translate(err)
}

// RoomSessions is the sessions inside scope held in one room, the latest first.
func (db *DB) RoomSessions(ctx context.Context, scope portal.Scope, roomID int64) ([]registry.TrainingSession, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+sessionColumns+` `+sessionFrom+`
		WHERE s.room_id = @room AND `+sessionSees("s")+`
		ORDER BY s.starts_at DESC, s.id DESC LIMIT @limit`,
		scopeArgs(scope, namedArgs{"room": roomID, "limit": trainingListLimit}))
	out, err := pgx.CollectRows(rows, scanSession)
	return out, translate(err)
}

// TrainingSession is one session inside scope; any other id is ErrNotFound.
func (db *DB) TrainingSession(ctx context.Context, scope portal.Scope, id int64) (registry.TrainingSession, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+sessionColumns+` `+sessionFrom+`
		WHERE s.id = @id AND `+sessionSees("s"), scopeArgs(scope, namedArgs{"id": id}))
	s, err := pgx.CollectExactlyOneRow(rows, scanSession)
	return s, translate(err)
}

const traineeColumns = `p.id, coalesce(p.town_code, ''), coalesce(t.name, ''), p.name, p.id_mask, p.phone_mask, p.role, coalesce(p.org_id, 0),
	coalesce(o.name, ''), p.cert_level, coalesce(p.cert_year, 0)`

func scanTrainee(row pgx.CollectableRow) (registry.Trainee, error) {
	var p registry.Trainee
	err := row.Scan(&p.ID, &p.TownCode, &p.TownName, &p.Name, &p.IDMask, &p.PhoneMask, &p.Role, &p.OrgID,
		&p.OrgName, &p.CertLevel, &p.CertYear, &p.Sessions, &p.Hours)
	return p, err
}

// SessionAttendees is who attended a session inside scope, by name, with their sessions and hours overall; at a
// session held above the caller (the district's), only the people the caller sees.
func (db *DB) SessionAttendees(ctx context.Context, scope portal.Scope, sessionID int64) ([]registry.Trainee, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+traineeColumns+`,
			(SELECT count(*) FROM training_attendance x WHERE x.trainee_id = p.id)::int,
			(SELECT coalesce(sum(y.hours), 0)::float8 FROM training_attendance x
				JOIN training_sessions y ON y.id = x.session_id WHERE x.trainee_id = p.id)
		FROM training_attendance a JOIN trainees p ON p.id = a.trainee_id
		LEFT JOIN divisions t ON t.code = p.town_code
		LEFT JOIN organizations o ON o.id = p.org_id
		JOIN training_sessions s ON s.id = a.session_id
		WHERE a.session_id = @id AND `+sessionSees("s")+` AND `+traineeSees("p")+`
		ORDER BY p.name, p.id`, scopeArgs(scope, namedArgs{"id": sessionID}))
	out, err := pgx.CollectRows(rows, scanTrainee)
	return out, translate(err)
}

// TrainingOrgs maps the names of the live groups inside scope among names to their ids, for a sign-in sheet's
// 所在组织 column.
func (db *DB) TrainingOrgs(ctx context.Context, scope portal.Scope, names []string) (map[string]int64, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT o.name, o.id FROM organizations o
		WHERE o.name = ANY(@names) AND o.status IN ('normal', 'abnormal') AND `+scopeOn("o"),
		scopeArgs(scope, namedArgs{"names": nonNil(names)}))
	out := map[string]int64{}
	var name string
	var id int64
	_, err := pgx.ForEachRow(rows, []any{&name, &id}, func() error {
		out[name] = id
		return nil
	})
	return out, translate(err)
}

// RecordAttendance adds people to a session the caller holds (a town's, or the district's), all or none, in one
// transaction with one audit row. A person with a 身份证号 already on the district's list — whichever town
// recorded them — is that record (their role, group and qualification brought up to date; blanks keep what was
// known); anyone else is a new record, of the session's town, or at a district session of their group's town
// (none without a group). A group must be a live group inside scope (else ErrNotFound). Attending the same
// session twice counts once. seen is the session's attendance version the form was shown with: another is
// ErrConflict and writes nothing (a sheet posted twice). It returns how many were added.
func (db *DB) RecordAttendance(ctx context.Context, scope portal.Scope, actor portal.Actor, sessionID int64, seen int, people []registry.AttendeeInput, source string) (int, error) {
	if !portal.Can(scope.Tier, portal.ManageTraining) || scope.Tier == portal.TierCommunity {
		return 0, portal.ErrNotAllow
	}
	box := db.box
	added := 0
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var district string
		var sessionTown *string
		var version int
		if err := tx.QueryRow(ctx, `SELECT s.district_code, s.town_code, s.attendance_version FROM training_sessions s
			WHERE s.id = @id AND `+sessionKeeps("s")+` FOR NO KEY UPDATE`,
			scopeArgs(scope, namedArgs{"id": sessionID})).Scan(&district, &sessionTown, &version); err != nil {
			return err
		}
		if version != seen {
			return portal.ErrConflict
		}
		if _, err := tx.Exec(ctx, `UPDATE training_sessions SET attendance_version = attendance_version + 1
			WHERE id = $1`, sessionID); err != nil {
			return err
		}
		for _, in := range people {
			var org *int64
			town := sessionTown
			if in.OrgID != 0 {
				var orgTown string
				if err := tx.QueryRow(ctx, `SELECT o.id, o.town_code FROM organizations o WHERE o.id = @id
					AND o.status IN ('normal', 'abnormal') AND `+scopeOn("o"),
					scopeArgs(scope, namedArgs{"id": in.OrgID})).Scan(&in.OrgID, &orgTown); err != nil {
					return err
				}
				org = &in.OrgID
				if town == nil {
					town = &orgTown
				}
			}
			var certYear *int
			if in.CertLevel != "" {
				certYear = &in.CertYear
			}
			var id int64
			err := tx.QueryRow(ctx, `
				INSERT INTO trainees (district_code, town_code, name, id_enc, id_mask, id_digest, phone_enc,
					phone_mask, role, org_id, cert_level, cert_year)
				VALUES (@district, @town, @name, @id_enc, @id_mask, @id_digest, @phone_enc, @phone_mask, @role,
					@org, @cert_level, @cert_year)
				ON CONFLICT (district_code, id_digest) DO UPDATE SET name = excluded.name, role = excluded.role,
					town_code = coalesce(trainees.town_code, excluded.town_code),
					org_id = coalesce(excluded.org_id, trainees.org_id),
					phone_enc = coalesce(excluded.phone_enc, trainees.phone_enc),
					phone_mask = CASE WHEN excluded.phone_enc IS NULL THEN trainees.phone_mask ELSE excluded.phone_mask END,
					cert_level = CASE WHEN excluded.cert_level = '' THEN trainees.cert_level ELSE excluded.cert_level END,
					cert_year = CASE WHEN excluded.cert_level = '' THEN trainees.cert_year ELSE excluded.cert_year END
				RETURNING id`,
				namedArgs{"district": district, "town": town, "name": in.Name, "id_enc": box.Seal(in.IDNumber, traineeIDContext),
					"id_mask": maskID(in.IDNumber), "id_digest": box.Digest(in.IDNumber, traineeIDContext),
					"phone_enc": box.Seal(in.Phone, traineePhoneContext), "phone_mask": rules.MaskPhone(in.Phone),
					"role": in.Role, "org": org, "cert_level": in.CertLevel, "cert_year": certYear}).Scan(&id)
			if err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `INSERT INTO training_attendance (session_id, trainee_id) VALUES (@s, @t)
				ON CONFLICT DO NOTHING`, namedArgs{"s": sessionID, "t": id})
			if err != nil {
				return err
			}
			added += int(tag.RowsAffected())
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "training.attendance", ObjectType: "training_session",
			ObjectID: strconv.FormatInt(sessionID, 10), Result: portal.ResultOK,
			Detail: source + "：" + strconv.Itoa(len(people)) + " 人，新增签到 " + strconv.Itoa(added) + " 人次"})
	})
	if err != nil {
		return 0, translate(err)
	}
	return added, nil
}

// Trainee is one person the caller sees with the sessions they attended that the caller sees, the latest
// first. The counts of sessions and hours are the person's whole record in the district.
func (db *DB) Trainee(ctx context.Context, scope portal.Scope, id int64) (registry.Trainee, []registry.TraineeSession, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+traineeColumns+`,
			(SELECT count(*) FROM training_attendance x WHERE x.trainee_id = p.id)::int,
			(SELECT coalesce(sum(y.hours), 0)::float8 FROM training_attendance x
				JOIN training_sessions y ON y.id = x.session_id WHERE x.trainee_id = p.id)
		FROM trainees p LEFT JOIN divisions t ON t.code = p.town_code
		LEFT JOIN organizations o ON o.id = p.org_id
		WHERE p.id = @id AND `+traineeSees("p"), scopeArgs(scope, namedArgs{"id": id}))
	p, err := pgx.CollectExactlyOneRow(rows, scanTrainee)
	if err != nil {
		return p, nil, translate(err)
	}
	rows, _ = db.pool(planFresh).Query(ctx, `
		SELECT s.id, s.title, s.organizer, s.starts_at, s.hours::float8, s.mode, s.topics
		FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
		WHERE a.trainee_id = @id AND `+sessionSees("s")+` ORDER BY s.starts_at DESC, s.id DESC`,
		scopeArgs(scope, namedArgs{"id": id}))
	sessions, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.TraineeSession, error) {
		var s registry.TraineeSession
		err := row.Scan(&s.SessionID, &s.Title, &s.Organizer, &s.Start, &s.Hours, &s.Mode, &s.Topics)
		return s, err
	})
	return p, sessions, translate(err)
}

// RevealTrainee opens a trainee's full 身份证号 and phone for a scope allowed to see them, recording who looked and
// why in the audit log in the same transaction, exactly as RevealLeader does for a leader.
func (db *DB) RevealTrainee(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, reason string) (phone, idNumber string, err error) {
	if !portal.Can(scope.Tier, portal.RevealPersonal) {
		return "", "", portal.ErrNotFound
	}
	if strings.TrimSpace(reason) == "" {
		return "", "", registry.ErrReasonRequired
	}
	box := db.box
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		var phoneEnc, idEnc []byte
		if err := tx.QueryRow(ctx, `SELECT p.phone_enc, p.id_enc FROM trainees p
			WHERE p.id = @id AND `+traineeSees("p"), scopeArgs(scope, namedArgs{"id": id})).Scan(&phoneEnc, &idEnc); err != nil {
			return err
		}
		var err error
		if phone, err = box.Open(phoneEnc, traineePhoneContext); err != nil {
			return err
		}
		if idNumber, err = box.Open(idEnc, traineeIDContext); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "trainee.reveal", ObjectType: "trainee",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: "查看培训人员完整信息：" + reason})
	})
	if err != nil {
		return "", "", translate(err)
	}
	return phone, idNumber, nil
}

// TrainingReach is the reach of training in year inside scope: one row per division one level down (the
// communities of a town, the towns of the district; none for a committee) and the total for the whole scope. A
// group is reached when a person linked to it attended a session in the year, whoever held it; a trainee counts
// once however many sessions — of however many towns — they attended, where their group is (traineeHome).
// People not linked to a group count in the total and, at the district, in their town's row.
// The live groups come from the kept counts (org_counts) and the reached ones from the year's trainees, so the
// page reads what the year's training touched, not every group of the district (at 2 M groups the old read of
// every live group timed out). The live counts are read once (MATERIALIZED): inlined, each division's row read
// the kept counts again, 15 ms for the district's 31 rows. The plan is kept (planned once per connection): no
// clause becomes an index condition by its values (prefix tests on a few hundred kept counts and divisions, the
// year a range on the sessions), and planning it afresh cost 7 ms a request.
func (db *DB) TrainingReach(ctx context.Context, scope portal.Scope, year int) ([]registry.TrainingReach, registry.TrainingReach, error) {
	child := scope.Tier.Below()
	codeLen := 12
	if child == portal.TierTown {
		codeLen = 9
	}
	from, to := trainingYear(year)
	rows, _ := db.pool(planKept).Query(ctx, `
		WITH att AS (
			SELECT p.id, p.cert_level, `+traineeHome+` AS home, sum(s.hours) AS hours
			FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
			JOIN trainees p ON p.id = a.trainee_id
			LEFT JOIN organizations o ON o.id = p.org_id
			WHERE s.starts_at >= @from AND s.starts_at < @to AND `+scopeWithin(traineeHome)+`
			GROUP BY p.id, p.cert_level, o.community_code, p.town_code, p.district_code),
		live AS MATERIALIZED (
			SELECT c.community_code, sum(c.n) AS n FROM org_counts c
			WHERE c.status IN ('normal', 'abnormal') AND `+scopeWithin("c.community_code")+`
			GROUP BY c.community_code),
		reached AS (
			SELECT DISTINCT o.id, o.community_code
			FROM att JOIN trainees p ON p.id = att.id JOIN organizations o ON o.id = p.org_id
			WHERE o.status IN ('normal', 'abnormal') AND `+scopeOn("o")+`)
		SELECT d.code, d.name,
			(SELECT coalesce(sum(live.n), 0) FROM live WHERE starts_with(live.community_code, d.code))::int,
			(SELECT count(*) FROM reached WHERE starts_with(reached.community_code, d.code))::int,
			(SELECT count(*) FROM att WHERE starts_with(att.home, d.code))::int,
			(SELECT coalesce(sum(att.hours), 0) FROM att WHERE starts_with(att.home, d.code))::float8,
			(SELECT count(*) FROM att WHERE att.cert_level <> '' AND starts_with(att.home, d.code))::int
		FROM divisions d
		WHERE d.code = @scope_div OR d.level = @child AND length(d.code) = @len AND `+scopeWithin("d.code")+`
		ORDER BY length(d.code), d.code`,
		scopeArgs(scope, namedArgs{"from": from, "to": to, "child": string(child), "len": codeLen}))
	// a committee (no level below) has its own row alone
	all, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.TrainingReach, error) {
		var r registry.TrainingReach
		err := row.Scan(&r.Code, &r.Name, &r.LiveOrgs, &r.ReachedOrgs, &r.Trainees, &r.Hours, &r.CertHolders)
		return r, err
	})
	if err != nil {
		return nil, registry.TrainingReach{}, translate(err)
	}
	if len(all) == 0 || all[0].Code != scope.Division {
		return nil, registry.TrainingReach{}, portal.ErrNotFound
	}
	return all[1:], all[0], nil
}

// UnreachedOrgs is one page of the live groups inside scope none of whose people attended a session in year, by
// community code, name and id: the limit groups after the group after (0: from the first), for the clerk to act
// on. The totals are the reach's (TrainingReach's live less reached), exact however many pages there are.
func (db *DB) UnreachedOrgs(ctx context.Context, scope portal.Scope, year int, after int64, limit int) ([]registry.UnreachedOrg, error) {
	out := []registry.UnreachedOrg{}
	err := db.EachUnreachedOrg(ctx, scope, year, after, limit, func(u registry.UnreachedOrg) error {
		out = append(out, u)
		return nil
	})
	return out, err
}

// EachUnreachedOrg calls fn with each group UnreachedOrgs would list, as it reads them (limit 0: every one, for
// the export of the whole list).
func (db *DB) EachUnreachedOrg(ctx context.Context, scope portal.Scope, year int, after int64, limit int, fn func(registry.UnreachedOrg) error) error {
	from, to := trainingYear(year)
	if limit <= 0 {
		limit = math.MaxInt32
	}
	// Community by community in code order, each walking the (community_code, name, id) index from the cursor and
	// stopping at the limit, so a page costs what it shows: at 2 M groups one walk over the whole scope (a town's
	// 66,000 groups) was planned as a bitmap read and a sort, 0.5 s. The cursor is the last group of the page
	// before, read back by id (a group that is gone starts over); the row comparison with it is the index's own
	// order, so the cursor's community starts at its place and the later ones at their first group. The
	// jurisdiction is the communities' (scopeWithin on c): a group is inside the scope exactly when its community
	// is, and a second test on the group's town made the planner expect 250 of a community's 7,000 groups and read
	// them all again by bitmap.
	rows, _ := db.pool(planFresh).Query(ctx, `
		WITH cur AS (SELECT coalesce(max(community_code), '') AS code, coalesce(max(name), '') AS name,
				coalesce(max(id), 0) AS id FROM organizations WHERE id = @after)
		SELECT g.id, g.name, g.community_code, c.name FROM cur, divisions c
		CROSS JOIN LATERAL (
			SELECT o.id, o.name, o.community_code FROM organizations o
			WHERE o.community_code = c.code AND (o.community_code, o.name, o.id) > (cur.code, cur.name, cur.id)
			  AND o.status IN ('normal', 'abnormal')
			  AND NOT EXISTS (SELECT 1 FROM trainees p JOIN training_attendance a ON a.trainee_id = p.id
				JOIN training_sessions s ON s.id = a.session_id
				WHERE p.org_id = o.id AND s.starts_at >= @from AND s.starts_at < @to)
			ORDER BY o.name, o.id LIMIT @limit) g
		WHERE length(c.code) = 12 AND c.code >= cur.code AND `+scopeWithin("c.code")+`
		ORDER BY c.code, g.name, g.id LIMIT @limit`,
		scopeArgs(scope, namedArgs{"from": from, "to": to, "after": after, "limit": limit}))
	var u registry.UnreachedOrg
	_, err := pgx.ForEachRow(rows, []any{&u.ID, &u.Name, &u.CommunityCode, &u.CommunityName}, func() error { return fn(u) })
	return translate(err)
}
