package server

// Support platforms (支持平台): the register, a platform's page with its rooms, homes (安家) and incubation
// cohort, a room's week with its bookings.

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

type platformLister interface {
	Platforms(ctx context.Context, scope portal.Scope, f registry.PlatformFilter) ([]registry.Platform, error)
}

type platformCreator interface {
	CreatePlatform(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.PlatformInput) (int64, error)
}

// cultivationTokens gives a cultivation create form its token (postgres.CultivationTokens).
type cultivationTokens interface {
	CultivationTokens(ctx context.Context, parent string, kinds ...string) ([]int, error)
}

// ownToken is the token of a create form of kind whose parent is the clerk's own division.
func ownToken(ctx context.Context, db cultivationTokens, a *portal.Account, kind string) (string, error) {
	n, err := db.CultivationTokens(ctx, a.DivisionCode, kind)
	if err != nil {
		return "", err
	}
	return strconv.Itoa(n[0]), nil
}

// platformFormKinds are the kinds of the forms a platform's page carries, each with its token.
var platformFormKinds = []string{registry.TokenRoom, registry.TokenHousing, registry.TokenIncubation,
	registry.TokenMilestone, registry.TokenLeave}

// platformReader reads everything a platform's page shows.
type platformReader interface {
	Platform(ctx context.Context, scope portal.Scope, id int64) (registry.Platform, error)
	Rooms(ctx context.Context, scope portal.Scope, platformID int64) ([]registry.Room, error)
	Housings(ctx context.Context, scope portal.Scope, platformID int64) ([]registry.Housing, error)
	Cohort(ctx context.Context, scope portal.Scope, platformID int64) ([]registry.Incubation, error)
	CultivationEvents(ctx context.Context, objectType string, id int64) ([]registry.CultivationEvent, error)
	CultivationOrgs(ctx context.Context, scope portal.Scope) ([]registry.OrgChoice, error)
	PlatformDocuments(ctx context.Context, platformID int64) ([]registry.CultivationDocument, error)
	cultivationTokens
}

type platformWriter interface {
	platformReader
	AddRoom(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID int64, seen int, in registry.RoomInput) (int64, error)
	HouseOrg(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID int64, seen int, in registry.HousingInput) (int64, error)
	EnterIncubation(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID int64, seen int, in registry.IncubationInput) (int64, error)
	AddMilestone(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID, id int64, seen int, in registry.MilestoneInput) error
	LeaveIncubation(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID, id int64, seen int, in registry.LeaveInput) error
}

type roomBooker interface {
	Platform(ctx context.Context, scope portal.Scope, id int64) (registry.Platform, error)
	Room(ctx context.Context, scope portal.Scope, platformID, roomID int64) (registry.Room, error)
	RoomBookings(ctx context.Context, scope portal.Scope, platformID, roomID int64, from, to time.Time) ([]registry.Booking, error)
	roomFairReader
	CultivationOrgs(ctx context.Context, scope portal.Scope) ([]registry.OrgChoice, error)
	BookRoom(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID, roomID int64, seen int, in registry.BookingInput) (int64, error)
	CancelBooking(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID, bookingID int64, reason string) error
	cultivationTokens
}

// formDay reads a required calendar day, past or future.
func formDay(f *form, name, label string) (string, *time.Time) {
	s := f.value(name)
	if s == "" {
		return s, nil // the domain's Validate names the missing date
	}
	d, err := time.ParseInLocation(dateLayout, s, time.UTC)
	if err != nil {
		f.Problems.Add(name, label+"格式应为 年-月-日，如 2021-07-21")
		return s, nil
	}
	return s, &d
}

// formTime reads a time of day from a datetime-local input, in 北京时间; zero when blank or unreadable.
func formTime(f *form, name, label string) (string, time.Time) {
	s := f.value(name)
	if s == "" {
		return s, time.Time{}
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, beijing); err == nil {
			return s, t
		}
	}
	f.Problems.Add(name, label+"格式应为 2021-07-21 09:30")
	return s, time.Time{}
}

// addProblems files the domain's messages after the form reader's own (the reader's come first).
func addProblems(f *form, p rules.Problems) {
	for k, m := range p {
		f.Problems.Add(k, m)
	}
}

func actorOf(r *http.Request, a *portal.Account) portal.Actor {
	return portal.ActorOf(*a, clientIPFrom(r.Context()))
}

func handlePlatformList(db platformLister, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		kind := r.URL.Query().Get("kind")
		if !slices.Contains(registry.PlatformKinds, kind) {
			kind = ""
		}
		list, err := db.Platforms(r.Context(), a.Scope(), registry.PlatformFilter{Kind: kind})
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.PlatformListView{Page: web.NewPage("支持平台", a, paths.Platforms(), takeFlashCtx(r)),
			Heading: "支持平台", Base: paths.Platforms(), KindOptions: web.Choices(registry.PlatformKinds, kind),
			XLSX: paths.PlatformsExport()}
		if kind != "" {
			v.XLSX += "?kind=" + url.QueryEscape(kind)
		}
		if portal.Can(a.Tier, portal.ManagePlatforms) {
			v.NewHref = paths.NewPlatform()
		}
		if portal.Can(a.Tier, portal.SetOrgContact) { // 联系人 (org_contacts.go)
			v.ContactsHref = paths.ContactsWithout()
		}
		if portal.Can(a.Tier, portal.ViewOrgs) { // 慈善组织认定 (charity.go)
			v.CharitiesHref = paths.Charities()
		}
		for _, p := range list {
			v.Rows = append(v.Rows, web.NewPlatformRow(p, paths))
		}
		rs.render(w, r, http.StatusOK, web.PlatformListPage(v))
	}
}

func handlePlatformNew(db cultivationTokens, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v := web.NewPlatformForm(web.NewPage("登记支持平台", a, paths.Platforms(), ""), paths, registry.PlatformKindsFor(a.Tier))
		var err error
		if v.Seen, err = ownToken(r.Context(), db, a, registry.TokenPlatform); err != nil {
			rs.fail(w, r, err)
			return
		}
		if a.Tier == portal.TierCommunity {
			v.KindOptions = web.Choices(registry.PlatformKindsFor(a.Tier), registry.PlatformStudio)
		}
		rs.render(w, r, http.StatusOK, web.PlatformFormPage(v))
	}
}

// readPlatformForm reads the platform form into in, keeping what was typed in v.
func readPlatformForm(f *form, a *portal.Account, v *web.PlatformFormView) registry.PlatformInput {
	in := registry.PlatformInput{Kind: f.value("kind"), Name: f.value("name"), Address: f.value("address"),
		Hours: f.value("hours"), ContactName: f.value("contact_name"), RunBy: f.value("run_by"),
		OperatorName: f.value("operator_name"), OperatorKind: f.value("operator_kind"), ContractNo: f.value("contract_no")}
	in.Services = f.picks("services", registry.PlatformServices, false, "服务内容只能从列表中选择")
	v.StaffCount.Value, in.StaffCount = f.count("staff_count", "工作人员数", 0)
	v.ContractFrom.Value, in.ContractFrom = formDay(f, "contract_from", "委托期限开始日期")
	v.ContractTo.Value, in.ContractTo = formDay(f, "contract_to", "委托期限结束日期")
	addProblems(f, in.Validate(a.Tier))
	return in
}

// platformFormAgain is the platform form with what was typed and the problems, for a 422.
func platformFormAgain(v *web.PlatformFormView, kinds []string, in registry.PlatformInput, problems map[string]string) {
	v.KindOptions, v.Services = web.Choices(kinds, in.Kind), web.Checks(registry.PlatformServices, in.Services)
	v.RunByOptions, v.OperatorKinds = web.RunByChoices(in.RunBy), web.Choices(registry.OperatorKinds, in.OperatorKind)
	v.Name.Value, v.Address.Value, v.Hours.Value = in.Name, in.Address, in.Hours
	v.ContactName.Value, v.OperatorName.Value, v.ContractNo.Value = in.ContactName, in.OperatorName, in.ContractNo
	v.Problems = problems
	for key, fld := range map[string]*web.Field{"name": &v.Name, "address": &v.Address, "hours": &v.Hours,
		"staff_count": &v.StaffCount, "contact_name": &v.ContactName, "operator_name": &v.OperatorName,
		"contract_from": &v.ContractFrom, "contract_to": &v.ContractTo, "contract_no": &v.ContractNo} {
		fld.Problem = problems[key]
	}
}

func handlePlatformCreate(db platformCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		a := accountFrom(r.Context())
		f := newForm(r)
		kinds := registry.PlatformKindsFor(a.Tier)
		v := web.NewPlatformForm(web.NewPage("登记支持平台", a, paths.Platforms(), ""), paths, kinds)
		in := readPlatformForm(f, a, &v)
		v.Seen = f.raw("seen")
		if f.OK() {
			id, err := db.CreatePlatform(r.Context(), a.Scope(), actorOf(r, a), f.version("seen"), in)
			if err == nil {
				putFlash(r, in.Kind+"“"+in.Name+"”已登记。")
				redirect(w, r, paths.Platform(id))
				return
			}
			if !errors.Is(err, registry.ErrPlatformNameTaken) {
				rs.fail(w, r, err)
				return
			}
			f.Problems.Add("name", "本单位已登记同名的支持平台")
		}
		platformFormAgain(&v, kinds, in, f.Problems)
		rs.render(w, r, http.StatusUnprocessableEntity, web.PlatformFormPage(v))
	}
}

// keptPlatform is the platform named in the URL if the caller's division keeps it; any other is ErrNotFound.
func keptPlatform(r *http.Request, db platformEditor, a *portal.Account) (registry.Platform, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return registry.Platform{}, portal.ErrNotFound
	}
	p, err := db.Platform(r.Context(), a.Scope(), id)
	if err == nil && !p.KeptBy(a.Scope()) {
		err = portal.ErrNotFound
	}
	return p, err
}

type platformEditor interface {
	Platform(ctx context.Context, scope portal.Scope, id int64) (registry.Platform, error)
	UpdatePlatform(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.PlatformInput) error
}

func handlePlatformEdit(db platformEditor, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		p, err := keptPlatform(r, db, a)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.NewPlatformEditForm(web.NewPage("修改平台信息", a, paths.Platforms(), ""), paths, registry.PlatformKindsFor(a.Tier), p)
		rs.render(w, r, http.StatusOK, web.PlatformFormPage(v))
	}
}

// handlePlatformUpdate saves the edit form: 422 with the messages at the fields, 409 when the platform changed
// since the form was read (or the version is missing), 303 to the platform's page.
func handlePlatformUpdate(db platformEditor, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		a := accountFrom(r.Context())
		p, err := keptPlatform(r, db, a)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		version := f.version("version")
		kinds := registry.PlatformKindsFor(a.Tier)
		v := web.NewPlatformEditForm(web.NewPage("修改平台信息", a, paths.Platforms(), ""), paths, kinds, p)
		in := readPlatformForm(f, a, &v)
		if f.OK() {
			err := db.UpdatePlatform(r.Context(), a.Scope(), actorOf(r, a), p.ID, version, in)
			if err == nil {
				putFlash(r, "“"+in.Name+"”的信息已保存。")
				redirect(w, r, paths.Platform(p.ID))
				return
			}
			if !errors.Is(err, registry.ErrPlatformNameTaken) {
				rs.fail(w, r, err)
				return
			}
			f.Problems.Add("name", "本单位已登记同名的支持平台")
		}
		v.Version = f.raw("version")
		platformFormAgain(&v, kinds, in, f.Problems)
		rs.render(w, r, http.StatusUnprocessableEntity, web.PlatformFormPage(v))
	}
}

// platformDetail builds a platform's page for the viewer; an id outside the viewer's scope is ErrNotFound.
func platformDetail(ctx context.Context, db platformReader, paths web.Paths, a *portal.Account, id int64, flash string) (web.PlatformDetailView, registry.Platform, error) {
	scope := a.Scope()
	p, err := db.Platform(ctx, scope, id)
	if err != nil {
		return web.PlatformDetailView{}, p, err
	}
	rooms, err := db.Rooms(ctx, scope, id)
	if err != nil {
		return web.PlatformDetailView{}, p, err
	}
	homes, err := db.Housings(ctx, scope, id)
	if err != nil {
		return web.PlatformDetailView{}, p, err
	}
	var cohort []registry.Incubation
	if p.Kind == registry.PlatformIncubator {
		if cohort, err = db.Cohort(ctx, scope, id); err != nil {
			return web.PlatformDetailView{}, p, err
		}
	}
	events, err := db.CultivationEvents(ctx, "platform", id)
	if err != nil {
		return web.PlatformDetailView{}, p, err
	}
	tokens, err := db.CultivationTokens(ctx, strconv.FormatInt(id, 10), platformFormKinds...)
	if err != nil {
		return web.PlatformDetailView{}, p, err
	}
	v := web.NewPlatformDetail(web.NewPage(p.Name, a, paths.Platforms(), flash), paths, p, rooms, homes, cohort, events, time.Now())
	v.Tokens = map[string]string{}
	for i, k := range platformFormKinds {
		v.Tokens[k] = strconv.Itoa(tokens[i])
	}
	keeps := p.KeptBy(scope)
	v.CanAddRoom = keeps && portal.Can(a.Tier, portal.ManagePlatforms)
	v.CanHouse = portal.Can(a.Tier, portal.HouseGroups)
	v.CanIncubate = keeps && v.Incubator && portal.Can(a.Tier, portal.Incubate)
	if v.CanHouse || v.CanIncubate {
		orgs, err := db.CultivationOrgs(ctx, scope)
		if err != nil {
			return web.PlatformDetailView{}, p, err
		}
		v.SelectOrg(orgs)
	}
	return v, p, platformDocuments(ctx, db, &v, p, a)
}

func handlePlatformShow(db platformReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		v, _, err := platformDetail(r.Context(), db, paths, accountFrom(r.Context()), id, takeFlashCtx(r))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.PlatformDetailPage(v))
	}
}

// platformSave saves a form of a platform's page with its token seen, and gives the flash.
type platformSave func(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int) (string, error)

// platformAction is the frame of every form posted to a platform's page: read the page (404 outside scope),
// refuse a token (kind's) that is missing or not the page's now with 409, let read fill the view and the form's
// problems, re-render with 422 when the form is wrong, else save and 303 back to the page with a flash.
func platformAction(db platformWriter, paths web.Paths, rs *responder, kind string, read func(f *form, v *web.PlatformDetailView, p registry.Platform) platformSave) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		a := accountFrom(r.Context())
		v, p, err := platformDetail(r.Context(), db, paths, a, id, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		seen := f.version("seen")
		if strconv.Itoa(seen) != v.Tokens[kind] {
			rs.conflict(w, r)
			return
		}
		save := read(f, &v, p)
		if f.OK() {
			var msg string
			if msg, err = save(r.Context(), a.Scope(), actorOf(r, a), seen); err == nil {
				putFlash(r, msg)
				redirect(w, r, v.Paths.Platform(id))
				return
			}
			if !platformRuleProblem(f, err) {
				rs.fail(w, r, err)
				return
			}
		}
		v.Problems = f.Problems
		for key, fld := range map[string]*web.Field{"room_name": &v.RoomName, "capacity": &v.Capacity,
			"equipment": &v.Equipment, "home_org": &v.HomeOrg, "from_on": &v.HomeFrom, "to_on": &v.HomeTo,
			"agreement": &v.Agreement, "incubate_org": &v.IncubateOrg, "entered_on": &v.EnteredOn, "mentor": &v.Mentor,
			"goals": &v.Goals, "milestone_inc": &v.MilestoneInc, "milestone_on": &v.MilestoneOn,
			"milestone_note": &v.MilestoneNote, "leave_inc": &v.LeaveInc, "leave_status": &v.LeaveStatus,
			"left_on": &v.LeftOn, "tier_reached": &v.TierReached, "leave_reason": &v.LeaveReason} {
			fld.Problem = f.Problems[key]
		}
		rs.render(w, r, http.StatusUnprocessableEntity, web.PlatformDetailPage(v))
	}
}

// platformRuleProblem files the message of a rule the database enforces at the field it concerns, and reports
// whether err was one.
func platformRuleProblem(f *form, err error) bool {
	for _, rule := range []struct {
		err      error
		key, msg string
	}{
		{registry.ErrRoomNameTaken, "room_name", "本平台已有同名活动室"},
		{registry.ErrAlreadyHoused, "to_on", "该组织在这段期限内已有安家场所，期限不能重叠"},
		{registry.ErrAlreadyIncubating, "incubate_org", "该组织正在孵化中，出壳或退出后才能再次入孵"},
		{registry.ErrCultivationOrg, "home_org", "只能选择本辖区内正常活动的社会组织"},
		{registry.ErrIncubationFinished, "leave_inc", "该组织已出壳或退出"},
	} {
		if errors.Is(err, rule.err) {
			f.Problems.Add(rule.key, rule.msg)
			return true
		}
	}
	return false
}

func handleRoomAdd(db platformWriter, paths web.Paths, rs *responder) http.HandlerFunc {
	return platformAction(db, paths, rs, registry.TokenRoom, func(f *form, v *web.PlatformDetailView, p registry.Platform) platformSave {
		in := registry.RoomInput{Name: f.value("room_name"), Equipment: f.value("equipment")}
		v.RoomName.Value, v.Equipment.Value = in.Name, in.Equipment
		v.Capacity.Value, in.Capacity = f.count("capacity", "容纳人数", 1)
		addProblems(f, in.Validate())
		return func(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int) (string, error) {
			_, err := db.AddRoom(ctx, scope, actor, p.ID, seen, in)
			return "活动室“" + in.Name + "”已新增。", err
		}
	})
}

func handleHousingAdd(db platformWriter, paths web.Paths, rs *responder) http.HandlerFunc {
	return platformAction(db, paths, rs, registry.TokenHousing, func(f *form, v *web.PlatformDetailView, p registry.Platform) platformSave {
		in := registry.HousingInput{Agreement: f.value("agreement")}
		v.HomeOrg.Value, v.Agreement.Value = f.value("home_org"), in.Agreement
		in.OrgID, _ = parseID(v.HomeOrg.Value)
		if room := f.value("home_room"); room != "" {
			in.RoomID, _ = parseID(room)
			v.HomeRoom = web.Selected(v.HomeRoom, room)
		}
		v.HomeFrom.Value, in.From = formDay(f, "from_on", "开始日期")
		v.HomeTo.Value, in.To = formDay(f, "to_on", "结束日期")
		addProblems(f, in.Validate())
		return func(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int) (string, error) {
			_, err := db.HouseOrg(ctx, scope, actor, p.ID, seen, in)
			return "已安家于" + p.Name + "。", err
		}
	})
}

func handleIncubationEnter(db platformWriter, paths web.Paths, rs *responder) http.HandlerFunc {
	return platformAction(db, paths, rs, registry.TokenIncubation, func(f *form, v *web.PlatformDetailView, p registry.Platform) platformSave {
		in := registry.IncubationInput{Mentor: f.value("mentor"), Goals: f.value("goals")}
		v.IncubateOrg.Value, v.Mentor.Value, v.Goals.Value = f.value("incubate_org"), in.Mentor, in.Goals
		in.OrgID, _ = parseID(v.IncubateOrg.Value)
		v.EnteredOn.Value, in.EnteredOn = formDay(f, "entered_on", "入孵日期")
		addProblems(f, in.Validate(time.Now()))
		return func(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int) (string, error) {
			_, err := db.EnterIncubation(ctx, scope, actor, p.ID, seen, in)
			return "已入孵。", err
		}
	})
}

// activeEntry finds the incubation in progress named by the form's input key, filing a message when there is none.
func activeEntry(f *form, v *web.PlatformDetailView, key string, fld *web.Field) int64 {
	fld.Value = f.value(key)
	for _, o := range v.ActiveOptions {
		if o.Value == fld.Value {
			id, _ := parseID(o.Value)
			return id
		}
	}
	f.Problems.Add(key, "请选择在孵的社会组织")
	return 0
}

func handleIncubationMilestone(db platformWriter, paths web.Paths, rs *responder) http.HandlerFunc {
	return platformAction(db, paths, rs, registry.TokenMilestone, func(f *form, v *web.PlatformDetailView, p registry.Platform) platformSave {
		inc := activeEntry(f, v, "milestone_inc", &v.MilestoneInc)
		in := registry.MilestoneInput{Note: f.value("milestone_note")}
		v.MilestoneNote.Value = in.Note
		v.MilestoneOn.Value, in.On = formDay(f, "milestone_on", "日期")
		addProblems(f, in.Validate(v.EnteredOf(inc)))
		return func(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int) (string, error) {
			return "阶段成果已记录。", db.AddMilestone(ctx, scope, actor, p.ID, inc, seen, in)
		}
	})
}

func handleIncubationLeave(db platformWriter, paths web.Paths, rs *responder) http.HandlerFunc {
	return platformAction(db, paths, rs, registry.TokenLeave, func(f *form, v *web.PlatformDetailView, p registry.Platform) platformSave {
		inc := activeEntry(f, v, "leave_inc", &v.LeaveInc)
		in := registry.LeaveInput{Status: f.value("leave_status"), TierReached: registry.Tier(f.value("tier_reached")),
			Reason: f.value("leave_reason")}
		v.LeaveStatus.Value, v.TierReached.Value, v.LeaveReason.Value = in.Status, string(in.TierReached), in.Reason
		v.LeftOn.Value, in.On = formDay(f, "left_on", "日期")
		addProblems(f, in.Validate(v.EnteredOf(inc)))
		return func(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int) (string, error) {
			return "已记录" + registry.IncubationStatusLabel(in.Status) + "。", db.LeaveIncubation(ctx, scope, actor, p.ID, inc, seen, in)
		}
	})
}

// roomWeek builds a room's week for the viewer; ids outside the viewer's scope are ErrNotFound.
func roomWeek(r *http.Request, db roomBooker, paths web.Paths, a *portal.Account, monday time.Time, flash string) (web.RoomWeekView, registry.Platform, registry.Room, error) {
	ctx, scope := r.Context(), a.Scope()
	id, ok1 := pathID(r, "id")
	roomID, ok2 := pathID(r, "roomID")
	if !ok1 || !ok2 {
		return web.RoomWeekView{}, registry.Platform{}, registry.Room{}, portal.ErrNotFound
	}
	p, err := db.Platform(ctx, scope, id)
	if err != nil {
		return web.RoomWeekView{}, p, registry.Room{}, err
	}
	room, err := db.Room(ctx, scope, id, roomID)
	if err != nil {
		return web.RoomWeekView{}, p, room, err
	}
	bookings, err := db.RoomBookings(ctx, scope, id, roomID, monday, monday.AddDate(0, 0, 7))
	if err != nil {
		return web.RoomWeekView{}, p, room, err
	}
	canBook := portal.Can(a.Tier, portal.BookRooms)
	canCancel := func(b registry.Booking) bool {
		return canBook && (scope.Covers(b.BookedDivision) || p.KeptBy(scope))
	}
	v := web.NewRoomWeek(web.NewPage(p.Name+" "+room.Name, a, paths.Platforms(), flash), paths, p, room, monday, bookings, canCancel)
	v.CanBook = canBook
	if canBook {
		orgs, err := db.CultivationOrgs(ctx, scope)
		if err != nil {
			return v, p, room, err
		}
		n, err := db.CultivationTokens(ctx, strconv.FormatInt(room.ID, 10), registry.TokenBooking)
		if err != nil {
			return v, p, room, err
		}
		v.Seen = strconv.Itoa(n[0])
		for _, o := range orgs {
			v.OrgOptions = append(v.OrgOptions, web.Option{Value: itoa64(o.ID), Label: o.Name})
		}
	}
	return v, p, room, nil
}

// weekOf reads ?week= (any day of the week wanted), defaulting to this week.
func weekOf(r *http.Request) time.Time { return weekOfValue(r.URL.Query().Get("week")) }

func weekOfValue(s string) time.Time {
	if d, err := time.ParseInLocation(dateLayout, s, beijing); err == nil {
		return registry.WeekStart(d)
	}
	return registry.WeekStart(time.Now())
}

func handleRoomWeek(db roomBooker, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, _, err := roomWeek(r, db, paths, accountFrom(r.Context()), weekOf(r), takeFlashCtx(r))
		if err == nil {
			v.Fairs, err = roomFairs(r, db, accountFrom(r.Context()), paths) // 洽谈会 held here (matching.go)
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.RoomWeekPage(v))
	}
}

func handleBookingCreate(db roomBooker, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		f := newForm(r)
		in := registry.BookingInput{Title: f.value("title")}
		org := f.value("org_id")
		in.OrgID, _ = parseID(org)
		startRaw, starts := formTime(f, "starts_at", "开始时间")
		endRaw, ends := formTime(f, "ends_at", "结束时间")
		in.Starts, in.Ends = starts, ends
		monday := registry.WeekStart(time.Now())
		if !starts.IsZero() {
			monday = registry.WeekStart(starts)
		}
		v, p, room, err := roomWeek(r, db, paths, a, monday, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		// The form's token: the room's bookings when the week was shown. A form posted twice books once.
		seen := f.version("seen")
		if strconv.Itoa(seen) != v.Seen {
			rs.conflict(w, r)
			return
		}
		addProblems(f, in.Validate(time.Now()))
		if f.OK() {
			_, err = db.BookRoom(r.Context(), a.Scope(), actorOf(r, a), p.ID, room.ID, seen, in)
			switch {
			case err == nil:
				putFlash(r, room.Name+"已预约："+in.Title+"。")
				redirect(w, r, paths.RoomWeek(p.ID, room.ID, monday))
				return
			case errors.Is(err, registry.ErrBookingOverlap):
				f.Problems.Add("starts_at", "该时段与已有预约重叠，请换一个时段或另一间活动室")
			case errors.Is(err, registry.ErrCultivationOrg):
				f.Problems.Add("org_id", "只能为本辖区内正常活动的社会组织预约")
			default:
				rs.fail(w, r, err)
				return
			}
		}
		v.Problems = f.Problems
		v.OrgOptions = web.Selected(v.OrgOptions, org)
		v.Org.Problem = f.Problems["org_id"]
		v.Title = web.Field{Value: in.Title, Problem: f.Problems["title"]}
		v.StartsAt = web.Field{Value: startRaw, Problem: f.Problems["starts_at"]}
		v.EndsAt = web.Field{Value: endRaw, Problem: f.Problems["ends_at"]}
		rs.render(w, r, http.StatusUnprocessableEntity, web.RoomWeekPage(v))
	}
}

func handleBookingCancel(db roomBooker, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		id, ok1 := pathID(r, "id")
		roomID, ok2 := pathID(r, "roomID")
		bookingID, ok3 := pathID(r, "bookingID")
		if !ok1 || !ok2 || !ok3 {
			rs.notFound(w, r)
			return
		}
		// The state the page showed is the form's token: a form without it (or a forged one) writes nothing.
		if r.PostFormValue("state") != string(registry.BookingBooked) {
			rs.conflict(w, r)
			return
		}
		f := newForm(r)
		reason := f.text("reason", "取消原因", 200, true)
		if !f.OK() {
			// The booking's week again, the message at the booking's reason and what was typed kept.
			v, _, _, err := roomWeek(r, db, paths, a, weekOfValue(f.value("week")), "")
			if err != nil {
				rs.fail(w, r, err)
				return
			}
			if !v.RefuseCancel(bookingID, f.value("reason"), f.Problems["reason"]) {
				rs.errorPage(w, r, http.StatusUnprocessableEntity, "请填写取消原因", f.Problems["reason"]+"。请返回，填写原因后再取消。")
				return
			}
			if v.Fairs, err = roomFairs(r, db, a, paths); err != nil {
				rs.fail(w, r, err)
				return
			}
			rs.render(w, r, http.StatusUnprocessableEntity, web.RoomWeekPage(v))
			return
		}
		err := db.CancelBooking(r.Context(), a.Scope(), actorOf(r, a), id, bookingID, reason)
		if errors.Is(err, registry.ErrBookingCancelled) {
			rs.conflict(w, r)
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "预约已取消。")
		redirect(w, r, paths.RoomWeek(id, roomID, weekOfValue(f.value("week"))))
	}
}
