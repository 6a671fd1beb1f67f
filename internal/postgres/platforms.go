package postgres

// Support platforms, their rooms and the bookings of those rooms (seed §三(一)2), and the timeline every
// cultivation object shares.

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// platformSees is the jurisdiction test of platforms, with scopeArgs: a division sees the platforms inside it;
// a committee sees its town's too, whose rooms it books for its groups. The district sees all.
var platformSees = `(` + scopeTiers + ` AND (starts_with(p.division_code, @scope_div)
	OR (@scope_tier = 'community' AND p.division_code = left(@scope_div, 9))))`

// platformKeeps is the test for changing a platform: only the division that keeps it.
const platformKeeps = `p.division_code = @scope_div`

const platformColumns = `p.id, p.division_code, d.name AS division_name, p.kind, p.name, p.address, p.hours,
	p.services, p.staff_count, p.contact_name, p.run_by, p.operator_name, p.operator_kind, p.contract_from,
	p.contract_to, p.contract_no, (SELECT count(*) FROM rooms r WHERE r.platform_id = p.id) AS rooms,
	p.updated_at, p.version`

const platformFrom = `FROM platforms p JOIN divisions d ON d.code = p.division_code`

type platformRow struct {
	ID           int64
	DivisionCode string
	DivisionName string
	Kind         string
	Name         string
	Address      string
	Hours        string
	Services     []string
	StaffCount   int
	ContactName  string
	RunBy        string
	OperatorName string
	OperatorKind string
	ContractFrom *time.Time
	ContractTo   *time.Time
	ContractNo   string
	Rooms        int
	UpdatedAt    time.Time
	Version      int
}

func (r platformRow) platform() registry.Platform {
	return registry.Platform{ID: r.ID, DivisionCode: r.DivisionCode, DivisionName: r.DivisionName,
		Tier: portal.LevelOfCode(r.DivisionCode), Kind: r.Kind, Name: r.Name, Address: r.Address, Hours: r.Hours,
		Services: r.Services, StaffCount: r.StaffCount, ContactName: r.ContactName, RunBy: r.RunBy,
		OperatorName: r.OperatorName, OperatorKind: r.OperatorKind, ContractFrom: r.ContractFrom,
		ContractTo: r.ContractTo, ContractNo: r.ContractNo, Rooms: r.Rooms, UpdatedAt: r.UpdatedAt, Version: r.Version}
}

// cultivationSentinels names the domain error each constraint of the cultivation tables stands for.
var cultivationSentinels = map[string]error{
	"platforms_division_code_name_key":    registry.ErrPlatformNameTaken,
	"rooms_platform_name_key":             registry.ErrRoomNameTaken,
	"bookings_no_overlap":                 registry.ErrBookingOverlap,
	"housings_one_home":                   registry.ErrAlreadyHoused,
	"incubations_one_open":                registry.ErrAlreadyIncubating,
	"contracts_paid_within_amount":        registry.ErrPaymentBeyondContract,
	"funds_balance_not_negative":          registry.ErrFundOverdrawn,
	"funds_division_code_name_key":        registry.ErrFundNameTaken,
	"venture_rounds_awards_within_budget": registry.ErrAwardBeyondBudget,
	"venture_scores_once":                 registry.ErrAlreadyScored,
	"venture_scores_in_range":             registry.ErrScoreOutOfRange,
	"venture_applications_one_per_org":    registry.ErrAlreadyApplied,
}

// cultivationErr translates err, naming the rule a constraint of the cultivation tables stands for: unique and
// exclusion violations (23505, 23P01) and the CHECKs that bound kept totals (23514).
func cultivationErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "23P01" || pe.Code == "23514") {
		if sentinel, ok := cultivationSentinels[pe.ConstraintName]; ok {
			return sentinel
		}
	}
	return translate(err)
}

// cultivationEvent adds one row to the timeline of a platform, contract, round or fund.
func cultivationEvent(ctx context.Context, tx pgx.Tx, actor portal.Actor, objectType string, id int64, division, kind, detail string) error {
	var actorID *int64
	if actor.AccountID != 0 {
		actorID = &actor.AccountID
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO cultivation_events (object_type, object_id, division_code, actor_id, actor_name,
			actor_division, kind, detail)
		VALUES (@type, @id, @division, @actor_id, @actor_name, @actor_division, @kind, @detail)`,
		namedArgs{"type": objectType, "id": id, "division": division, "actor_id": actorID,
			"actor_name": actor.Username, "actor_division": actor.Division, "kind": kind, "detail": detail})
	return err
}

// cultivationChange writes the timeline row and the audit row of one change, in the change's transaction.
func cultivationChange(ctx context.Context, tx pgx.Tx, actor portal.Actor, objectType string, id int64, division, kind, action, detail string) error {
	if err := cultivationEvent(ctx, tx, actor, objectType, id, division, kind, detail); err != nil {
		return err
	}
	return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: action, ObjectType: objectType,
		ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: detail})
}

// CultivationEvents is the timeline of one object, oldest first. The caller has read the object inside its
// scope already; this only reads its rows.
func (db *DB) CultivationEvents(ctx context.Context, objectType string, id int64) ([]registry.CultivationEvent, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT at, actor_name, actor_division, kind, detail FROM cultivation_events
		WHERE object_type = $1 AND object_id = $2 ORDER BY id`, objectType, id)
	evs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[registry.CultivationEvent])
	return evs, translate(err)
}

func platformArgs(in registry.PlatformInput, args namedArgs) namedArgs {
	services := in.Services
	if services == nil {
		services = []string{}
	}
	for k, v := range map[string]any{"kind": in.Kind, "name": in.Name, "address": in.Address, "hours": in.Hours,
		"services": services, "staff_count": in.StaffCount, "contact_name": in.ContactName, "run_by": in.RunBy,
		"operator_name": in.OperatorName, "operator_kind": in.OperatorKind, "contract_from": in.ContractFrom,
		"contract_to": in.ContractTo, "contract_no": in.ContractNo} {
		args[k] = v
	}
	if in.RunBy != registry.RunByEntrusted {
		args["operator_name"], args["operator_kind"], args["contract_no"] = "", "", ""
		args["contract_from"], args["contract_to"] = nil, nil
	}
	return args
}

// CreatePlatform registers a platform kept by the caller's own division and returns its id. seen is the form's
// token (the division's platforms when it was shown; cultivation_tokens.go).
func (db *DB) CreatePlatform(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.PlatformInput) (int64, error) {
	if !in.Validate(scope.Tier).OK() {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkCultivationToken(ctx, tx, registry.TokenPlatform, scope.Division, seen); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO platforms (division_code, kind, name, address, hours, services, staff_count, contact_name,
				run_by, operator_name, operator_kind, contract_from, contract_to, contract_no)
			VALUES (@division, @kind, @name, @address, @hours, @services, @staff_count, @contact_name, @run_by,
				@operator_name, @operator_kind, @contract_from, @contract_to, @contract_no)
			RETURNING id`, platformArgs(in, namedArgs{"division": scope.Division})).Scan(&id)
		if err != nil {
			return err
		}
		return cultivationChange(ctx, tx, actor, "platform", id, scope.Division, "登记平台", "platform.create",
			in.Kind+" "+in.Name+"，"+registry.RunByLabel(in.RunBy))
	})
	return id, cultivationErr(err)
}

// UpdatePlatform changes a platform the caller keeps, if it is still at version.
func (db *DB) UpdatePlatform(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.PlatformInput) error {
	if !in.Validate(scope.Tier).OK() {
		return portal.ErrNotAllow
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var current int
		err := tx.QueryRow(ctx, `SELECT version FROM platforms p WHERE id = @id AND `+platformKeeps+` FOR UPDATE`,
			scopeArgs(scope, namedArgs{"id": id})).Scan(&current)
		if err != nil {
			return err
		}
		if current != version {
			return portal.ErrConflict
		}
		_, err = tx.Exec(ctx, `
			UPDATE platforms SET kind = @kind, name = @name, address = @address, hours = @hours,
				services = @services, staff_count = @staff_count, contact_name = @contact_name, run_by = @run_by,
				operator_name = @operator_name, operator_kind = @operator_kind, contract_from = @contract_from,
				contract_to = @contract_to, contract_no = @contract_no, updated_at = now(), version = version + 1
			WHERE id = @id`, platformArgs(in, namedArgs{"id": id}))
		if err != nil {
			return err
		}
		return cultivationChange(ctx, tx, actor, "platform", id, scope.Division, "修改平台信息", "platform.update",
			in.Kind+" "+in.Name+"，"+registry.RunByLabel(in.RunBy))
	})
	return cultivationErr(err)
}

// platformListLimit caps the register; a district has a few hundred platforms at most.
const platformListLimit = 1000

// Platforms lists the platforms inside scope that match f, the district's first, then by division and name.
func (db *DB) Platforms(ctx context.Context, scope portal.Scope, f registry.PlatformFilter) ([]registry.Platform, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+platformColumns+` `+platformFrom+`
		WHERE `+platformSees+`
		  AND (@kind = '' OR p.kind = @kind)
		  AND (@division = '' OR starts_with(p.division_code, @division))
		ORDER BY length(p.division_code), p.division_code, p.name
		LIMIT @limit`, scopeArgs(scope, namedArgs{"kind": f.Kind, "division": f.Division, "limit": platformListLimit}))
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[platformRow])
	if err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Platform, len(rs))
	for i, r := range rs {
		out[i] = r.platform()
	}
	return out, nil
}

// Platform is one platform inside scope; any other id is ErrNotFound.
func (db *DB) Platform(ctx context.Context, scope portal.Scope, id int64) (registry.Platform, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+platformColumns+` `+platformFrom+`
		WHERE p.id = @id AND `+platformSees, scopeArgs(scope, namedArgs{"id": id}))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[platformRow])
	if err != nil {
		return registry.Platform{}, translate(err)
	}
	return r.platform(), nil
}

// platformParent is a platform as the parent of a form token.
func platformParent(id int64) string { return strconv.FormatInt(id, 10) }

// lockKeptPlatform locks a platform the caller keeps and gives its division and kind.
func lockKeptPlatform(ctx context.Context, tx pgx.Tx, scope portal.Scope, id int64) (division, kind string, err error) {
	err = tx.QueryRow(ctx, `SELECT p.division_code, p.kind FROM platforms p WHERE p.id = @id AND `+platformKeeps+`
		FOR SHARE`, scopeArgs(scope, namedArgs{"id": id})).Scan(&division, &kind)
	return division, kind, err
}

// AddRoom adds a room to a platform the caller keeps and returns its id. seen is the form's token (the
// platform's rooms when it was shown).
func (db *DB) AddRoom(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID int64, seen int, in registry.RoomInput) (int64, error) {
	if !in.Validate().OK() {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		division, _, err := lockKeptPlatform(ctx, tx, scope, platformID)
		if err != nil {
			return err
		}
		if err := checkCultivationToken(ctx, tx, registry.TokenRoom, platformParent(platformID), seen); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO rooms (platform_id, name, capacity, equipment)
			VALUES ($1, $2, $3, $4) RETURNING id`, platformID, in.Name, in.Capacity, in.Equipment).Scan(&id)
		if err != nil {
			return err
		}
		return cultivationChange(ctx, tx, actor, "platform", platformID, division, "新增活动室", "room.create",
			in.Name+"（容纳 "+strconv.Itoa(in.Capacity)+" 人）")
	})
	return id, cultivationErr(err)
}

// Rooms lists the rooms of a platform inside scope, by name.
func (db *DB) Rooms(ctx context.Context, scope portal.Scope, platformID int64) ([]registry.Room, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT r.id, r.platform_id, r.name, r.capacity, r.equipment
		FROM rooms r JOIN platforms p ON p.id = r.platform_id
		WHERE r.platform_id = @id AND `+platformSees+`
		ORDER BY r.name, r.id`, scopeArgs(scope, namedArgs{"id": platformID}))
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[registry.Room])
	return rs, translate(err)
}

// Room is one room of a platform inside scope; any other id is ErrNotFound.
func (db *DB) Room(ctx context.Context, scope portal.Scope, platformID, roomID int64) (registry.Room, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT r.id, r.platform_id, r.name, r.capacity, r.equipment
		FROM rooms r JOIN platforms p ON p.id = r.platform_id
		WHERE r.id = @room AND r.platform_id = @id AND `+platformSees,
		scopeArgs(scope, namedArgs{"id": platformID, "room": roomID}))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[registry.Room])
	return r, translate(err)
}

// cultivationOrgLimit caps the group select of a form.
const cultivationOrgLimit = 2000

// CultivationOrgs lists the live groups inside scope, by name, that a booking, a home or an incubation may name.
func (db *DB) CultivationOrgs(ctx context.Context, scope portal.Scope) ([]registry.OrgChoice, error) {
	orgs, err := pgx.CollectRows(db.liveOrgChoices(ctx, scope, cultivationOrgLimit), pgx.RowToStructByPos[registry.OrgChoice])
	return orgs, translate(err)
}

// liveOrgIn checks inside tx that orgID is a live group inside scope, and gives its community and name.
func liveOrgIn(ctx context.Context, tx pgx.Tx, scope portal.Scope, orgID int64) (community, name string, err error) {
	err = tx.QueryRow(ctx, `SELECT o.community_code, o.name FROM organizations o
		WHERE o.id = @id AND o.status IN ('normal', 'abnormal') AND `+scopeOn("o")+` FOR SHARE`,
		scopeArgs(scope, namedArgs{"id": orgID})).Scan(&community, &name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", registry.ErrCultivationOrg
	}
	return community, name, err
}

// BookRoom books a room of a platform inside scope for a live group inside scope and returns the booking's id.
// Two bookings of one room that overlap cannot both commit: the second is ErrBookingOverlap. seen is the form's
// token (the room's bookings when its week was shown): a form posted twice books once.
func (db *DB) BookRoom(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID, roomID int64, seen int, in registry.BookingInput) (int64, error) {
	if !in.Validate(time.Now()).OK() {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division, roomName string
		err := tx.QueryRow(ctx, `SELECT p.division_code, r.name FROM rooms r JOIN platforms p ON p.id = r.platform_id
			WHERE r.id = @room AND r.platform_id = @id AND `+platformSees,
			scopeArgs(scope, namedArgs{"id": platformID, "room": roomID})).Scan(&division, &roomName)
		if err != nil {
			return err
		}
		if err := checkCultivationToken(ctx, tx, registry.TokenBooking, strconv.FormatInt(roomID, 10), seen); err != nil {
			return err
		}
		community, orgName, err := liveOrgIn(ctx, tx, scope, in.OrgID)
		if err != nil {
			return err
		}
		var actorID *int64
		if actor.AccountID != 0 {
			actorID = &actor.AccountID
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO bookings (room_id, org_id, title, during, booked_by, booked_name, booked_division)
			VALUES (@room, @org, @title, tstzrange(@starts, @ends, '[)'), @by, @name, @division)
			RETURNING id`, namedArgs{"room": roomID, "org": in.OrgID, "title": in.Title, "starts": in.Starts,
			"ends": in.Ends, "by": actorID, "name": actor.Username, "division": scope.Division}).Scan(&id)
		if err != nil {
			return err
		}
		when := in.Starts.In(portal.Beijing).Format("2006-01-02 15:04") + "–" + in.Ends.In(portal.Beijing).Format("15:04")
		if err := cultivationChange(ctx, tx, actor, "platform", platformID, division, "预约活动室", "booking.create",
			roomName+" "+when+" "+orgName+"：“"+in.Title+"”"); err != nil {
			return err
		}
		return insertEvent(ctx, tx, actor, in.OrgID, community, "预约活动室", "", roomName+" "+when, in.Title)
	})
	return id, cultivationErr(err)
}

// CancelBooking cancels a live booking with a reason. The division that booked it, or the one that keeps the
// platform, may cancel; anyone else gets ErrNotFound.
func (db *DB) CancelBooking(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID, bookingID int64, reason string) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division, status, roomName, title, community string
		var orgID int64
		err := tx.QueryRow(ctx, `
			SELECT p.division_code, b.status, r.name, b.title, b.org_id, o.community_code
			FROM bookings b JOIN rooms r ON r.id = b.room_id JOIN platforms p ON p.id = r.platform_id
				JOIN organizations o ON o.id = b.org_id
			WHERE b.id = @booking AND p.id = @id AND `+platformSees+`
			  AND (starts_with(b.booked_division, @scope_div) OR `+platformKeeps+`)
			FOR UPDATE OF b`, scopeArgs(scope, namedArgs{"id": platformID, "booking": bookingID})).
			Scan(&division, &status, &roomName, &title, &orgID, &community)
		if err != nil {
			return err
		}
		if status != registry.BookingBooked {
			return registry.ErrBookingCancelled
		}
		if _, err := tx.Exec(ctx, `UPDATE bookings SET status = 'cancelled', cancel_reason = $2,
			cancelled_at = now() WHERE id = $1`, bookingID, reason); err != nil {
			return err
		}
		if err := cultivationChange(ctx, tx, actor, "platform", platformID, division, "取消预约", "booking.cancel",
			roomName+"：“"+title+"”，原因："+reason); err != nil {
			return err
		}
		return insertEvent(ctx, tx, actor, orgID, community, "取消活动室预约", "", roomName+"：“"+title+"”", reason)
	})
	return cultivationErr(err)
}

const bookingColumns = `b.id, b.room_id, r.name AS room_name, r.platform_id, b.org_id, o.name AS org_name, b.title,
	lower(b.during) AS starts, upper(b.during) AS ends, b.booked_name, b.booked_division, b.booked_at, b.status,
	b.cancel_reason, b.cancelled_at`

// RoomBookings lists the bookings of a room inside scope that overlap [from, to), cancelled ones included,
// earliest first: a week's calendar.
func (db *DB) RoomBookings(ctx context.Context, scope portal.Scope, platformID, roomID int64, from, to time.Time) ([]registry.Booking, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+bookingColumns+`
		FROM bookings b JOIN rooms r ON r.id = b.room_id JOIN platforms p ON p.id = r.platform_id
			JOIN organizations o ON o.id = b.org_id
		WHERE b.room_id = @room AND r.platform_id = @id AND `+platformSees+`
		  AND b.during && tstzrange(@from, @to, '[)')
		ORDER BY lower(b.during), b.id
		LIMIT 500`, scopeArgs(scope, namedArgs{"id": platformID, "room": roomID, "from": from, "to": to}))
	bs, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.Booking])
	return bs, translate(err)
}
