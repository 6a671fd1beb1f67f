package server

// 骨干人才培训: the town's yearly plan, its sessions and their attendance (typed, or from a sign-in sheet in
// training_import.go), a person's record with the audited reveal and the 培训证明, and the reach page.

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

type trainingPlans interface {
	TrainingPlans(ctx context.Context, scope portal.Scope, year int) ([]registry.TrainingPlan, error)
}

type trainingHomeReader interface {
	trainingPlans
	TrainingSessions(ctx context.Context, scope portal.Scope, year int) ([]registry.TrainingSession, error)
}

type trainingPlanSaver interface {
	trainingPlans
	SaveTrainingPlan(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.TrainingPlanInput) (int64, error)
}

// trainingSessionForms shows the session form: the plan's topics, the rooms the organizer may use and the
// form's token.
type trainingSessionForms interface {
	trainingPlans
	matchingTokens
	TrainingRoomChoices(ctx context.Context, scope portal.Scope) ([]registry.RoomChoice, error)
}

type trainingSessionCreator interface {
	trainingSessionForms
	CreateTrainingSession(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.SessionInput) (int64, error)
}

type trainingSessionReader interface {
	TrainingSession(ctx context.Context, scope portal.Scope, id int64) (registry.TrainingSession, error)
	SessionAttendees(ctx context.Context, scope portal.Scope, sessionID int64) ([]registry.Trainee, error)
	materialReader
}

type attendanceRecorder interface {
	trainingSessionReader
	TrainingOrgs(ctx context.Context, scope portal.Scope, names []string) (map[string]int64, error)
	RecordAttendance(ctx context.Context, scope portal.Scope, actor portal.Actor, sessionID int64, seen int, people []registry.AttendeeInput, source string) (int, error)
}

type traineeReader interface {
	Trainee(ctx context.Context, scope portal.Scope, id int64) (registry.Trainee, []registry.TraineeSession, error)
}

type traineeRevealer interface {
	traineeReader
	RevealTrainee(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, reason string) (string, string, error)
}

type trainingReachReader interface {
	TrainingReach(ctx context.Context, scope portal.Scope, year int) ([]registry.TrainingReach, registry.TrainingReach, error)
	UnreachedOrgs(ctx context.Context, scope portal.Scope, year int, after int64, limit int) ([]registry.UnreachedOrg, error)
}

// unreachedPerPage is how many groups not yet reached the reach page lists at a time.
const unreachedPerPage = 50

// Limits of the training forms.
const (
	sessionTitleMax     = 100
	sessionTextMax      = 200
	sessionMaterialsMax = 2000
	trainingNoteMax     = 2000
	orgNameMax          = 60
)

// trainingYearOf reads the year a page asks for: this year when none is named; ok is false for a year the
// portal has no training for.
// trainingRequest reads a training page's account and year (?year=, this year when none); a year out of range
// has been answered 404 (ok false).
func trainingRequest(w http.ResponseWriter, r *http.Request, rs *responder) (*portal.Account, time.Time, int, bool) {
	now := time.Now()
	year, ok := trainingYearOf(r.URL.Query().Get("year"), now)
	if !ok {
		rs.notFound(w, r)
	}
	return accountFrom(r.Context()), now, year, ok
}

func trainingYearOf(s string, now time.Time) (int, bool) {
	if s == "" {
		return now.In(beijing).Year(), true
	}
	y, err := strconv.Atoi(s)
	return y, err == nil && y >= registry.FirstTrainingYear && y <= now.In(beijing).Year()+1
}

// handleTrainingHome is the area's page: the year's plans against what was held, and the sessions.
func handleTrainingHome(db trainingHomeReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, now, year, ok := trainingRequest(w, r, rs)
		if !ok {
			return
		}
		plans, err := db.TrainingPlans(r.Context(), a.Scope(), year)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		sessions, err := db.TrainingSessions(r.Context(), a.Scope(), year)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := web.TrainingHomeView{Page: web.NewPage("骨干人才培训", a, paths.Training(), takeFlashCtx(r)), Year: year,
			YearOptions: web.TrainingYearOptions(now.In(beijing), year), Action: paths.Training(),
			CanManage: portal.Can(a.Tier, portal.ManageTraining), CanPlan: a.Tier == portal.TierTown,
			Trainees:   paths.TrainingTraineesOf(year, ""),
			PlanHref:   paths.TrainingPlan() + "?year=" + strconv.Itoa(year),
			NewSession: paths.TrainingSessions() + "/new", ReachHref: paths.TrainingReach() + "?year=" + strconv.Itoa(year)}
		for _, p := range plans {
			v.Plans = append(v.Plans, web.NewTrainingPlanRow(p))
		}
		for _, s := range sessions {
			v.Sessions = append(v.Sessions, web.NewTrainingSessionRow(paths, s))
		}
		rs.render(w, r, http.StatusOK, web.TrainingHomePage(v))
	}
}

// ownPlan is the town's plan for year; ID 0 when it has none.
func ownPlan(ctx context.Context, db trainingPlans, a *portal.Account, year int) (registry.TrainingPlan, error) {
	plans, err := db.TrainingPlans(ctx, a.Scope(), year)
	if err != nil {
		return registry.TrainingPlan{}, err
	}
	for _, p := range plans {
		if p.TownCode == a.DivisionCode {
			return p, nil
		}
	}
	return registry.TrainingPlan{}, portal.ErrNotFound
}

func planFormView(a *portal.Account, paths web.Paths, p registry.TrainingPlan) web.TrainingPlanFormView {
	v := web.TrainingPlanFormView{Page: web.NewPage("年度培训计划", a, paths.Training(), ""), Action: paths.TrainingPlan(),
		Cancel: paths.Training(), Year: p.Year, Version: p.Version, Form: web.NewFormData()}
	for i, n := range p.Quarters {
		v.Form.Values["q"+strconv.Itoa(i+1)] = strconv.Itoa(n)
	}
	v.Form.Values["note"] = p.Note
	v.Audiences = web.Checks(registry.TraineeRoles, p.Audiences)
	v.Topics = web.Checks(registry.TrainingTopics, p.Topics)
	return v
}

func handleTrainingPlanForm(db trainingPlans, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		year, ok := trainingYearOf(r.URL.Query().Get("year"), time.Now())
		if !ok {
			rs.notFound(w, r)
			return
		}
		p, err := ownPlan(r.Context(), db, a, year)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.TrainingPlanFormPage(planFormView(a, paths, p)))
	}
}

func handleTrainingPlanSave(db trainingPlanSaver, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		a := accountFrom(r.Context())
		f := newForm(r)
		year, ok := trainingYearOf(f.value("year"), time.Now())
		if !ok {
			rs.notFound(w, r)
			return
		}
		in := registry.TrainingPlanInput{Year: year, Version: f.version("version")}
		v := planFormView(a, paths, registry.TrainingPlan{Year: year, Version: in.Version})
		for i := range in.Quarters {
			name := "q" + strconv.Itoa(i+1)
			v.Form.Values[name], in.Quarters[i] = f.count(name, strconv.Itoa(i+1)+"季度计划场次", 0)
		}
		in.Audiences = f.picks("audiences", registry.TraineeRoles, true, "请选择培训对象")
		in.Topics = f.picks("topics", registry.TrainingTopics, true, "请选择培训内容")
		in.Note = f.text("note", "说明", trainingNoteMax, false)
		v.Form.Values["note"] = in.Note
		v.Audiences, v.Topics = web.Checks(registry.TraineeRoles, in.Audiences), web.Checks(registry.TrainingTopics, in.Topics)
		for k, msg := range in.Validate() {
			f.Problems.Add(k, msg)
		}
		if !f.OK() {
			v.Form.Problems = f.Problems
			rs.render(w, r, http.StatusUnprocessableEntity, web.TrainingPlanFormPage(v))
			return
		}
		if _, err := db.SaveTrainingPlan(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), in); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, strconv.Itoa(year)+" 年度培训计划已保存。")
		redirect(w, r, paths.Training()+"?year="+strconv.Itoa(year))
	}
}

// sessionFormView is the session form offering the topics of this year's plan (all topics without one) and the
// rooms of the support platforms the organizer may use, room selected; it returns the ids of those rooms too.
func sessionFormView(ctx context.Context, db trainingSessionForms, a *portal.Account, paths web.Paths, year int, room string) (web.TrainingSessionFormView, []string, []string, error) {
	v := web.TrainingSessionFormView{Page: web.NewPage("登记培训", a, paths.Training(), ""), Action: paths.TrainingSessions(),
		Cancel: paths.Training(), Form: web.NewFormData()}
	rooms, err := db.TrainingRoomChoices(ctx, a.Scope())
	if err != nil {
		return v, nil, nil, err
	}
	var roomIDs []string
	v.Rooms, roomIDs = idOptions(rooms, func(c registry.RoomChoice) (int64, string) { return c.ID, c.Label }, room)
	topics := registry.TrainingTopics
	if a.Tier == portal.TierDistrict {
		v.PlanNote = "区级培训：各镇街的人员均可参训；培训内容从全部内容中选择"
	} else if p, err := ownPlan(ctx, db, a, year); err != nil {
		return v, nil, nil, err
	} else if p.ID != 0 {
		topics = p.Topics
		v.PlanNote = "按 " + strconv.Itoa(year) + " 年度培训计划的培训内容选择"
	} else {
		v.PlanNote = strconv.Itoa(year) + " 年度尚未制定培训计划"
	}
	v.Topics = web.Checks(topics, nil)
	v.OrganizerKinds = web.Choices(organizerKinds(a), "")
	v.Modes = web.Choices(registry.TrainingModes, "")
	return v, topics, roomIDs, nil
}

func handleTrainingSessionNew(db trainingSessionForms, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, _, _, err := sessionFormView(r.Context(), db, a, paths, time.Now().In(beijing).Year(), "")
		if err == nil {
			v.Seen, err = formToken(r, db, a, registry.TokenSession)
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		kind := organizerKinds(a)[0]
		if a.Tier == portal.TierTown {
			kind = "镇街"
		}
		v.Form.Values["organizer_kind"] = kind
		v.Form.Values["organizer"] = a.DivisionName
		v.OrganizerKinds = web.Choices(organizerKinds(a), kind)
		rs.render(w, r, http.StatusOK, web.TrainingSessionFormPage(v))
	}
}

// readClock reads a time of day (15:04) on day; the message names the input.
func readClock(f *form, name, label string, day *time.Time) time.Time {
	s := f.value(name)
	if s == "" {
		f.Problems.Add(name, "请填写"+label)
		return time.Time{}
	}
	c, err := time.Parse("15:04", s)
	if err != nil {
		f.Problems.Add(name, label+"格式应为 时:分，如 09:00")
		return time.Time{}
	}
	if day == nil {
		return time.Time{}
	}
	return time.Date(day.Year(), day.Month(), day.Day(), c.Hour(), c.Minute(), 0, 0, beijing)
}

func handleTrainingSessionCreate(db trainingSessionCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		a := accountFrom(r.Context())
		f := newForm(r)
		var day *time.Time
		var dateText string
		dateText, day = f.date("date", "日期")
		year := time.Now().In(beijing).Year()
		if day != nil {
			year = day.Year()
		}
		if day != nil && year < registry.FirstTrainingYear {
			f.Problems.Add("date", "日期应在 "+strconv.Itoa(registry.FirstTrainingYear)+" 年以后")
			day = nil
		}
		v, topics, rooms, err := sessionFormView(r.Context(), db, a, paths, year, f.value("room"))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		in := registry.SessionInput{}
		in.Title = f.text("title", "培训名称", sessionTitleMax, true)
		in.OrganizerKind = f.pick("organizer_kind", organizerKinds(a), "请选择举办方")
		in.Organizer = f.text("organizer", "举办单位", sessionTitleMax, true)
		in.Start = readClock(f, "starts", "开始时间", day)
		in.End = readClock(f, "ends", "结束时间", day)
		hoursText := f.value("hours")
		if h, err := strconv.ParseFloat(hoursText, 64); hoursText == "" {
			f.Problems.Add("hours", "请填写学时")
		} else if err != nil {
			f.Problems.Add("hours", "学时应为数字，如 2 或 2.5")
		} else {
			in.Hours = h
		}
		in.Mode = f.pick("mode", registry.TrainingModes, "请选择培训方式")
		in.Topics = f.picks("topics", topics, true, "请从本年度计划的培训内容中选择")
		if f.value("room") != "" {
			in.RoomID, _ = strconv.ParseInt(f.pick("room", rooms, "请从列表中选择支持平台场地"), 10, 64)
		}
		in.Venue = f.text("venue", "培训地点", sessionTextMax, false)
		in.Materials = f.text("materials", "培训资料", sessionMaterialsMax, false)
		for _, k := range []string{"title", "organizer", "starts", "ends", "hours", "venue", "materials"} {
			v.Form.Values[k] = f.value(k)
		}
		v.Form.Values["date"] = dateText
		v.Seen = f.raw("seen")
		v.OrganizerKinds = web.Choices(organizerKinds(a), in.OrganizerKind)
		v.Modes = web.Choices(registry.TrainingModes, in.Mode)
		v.Topics = web.Checks(topics, in.Topics)
		if f.Problems["starts"] == "" && f.Problems["ends"] == "" && f.Problems["hours"] == "" && day != nil {
			for k, msg := range in.Validate() {
				f.Problems.Add(k, msg)
			}
		}
		if !f.OK() {
			v.Form.Problems = f.Problems
			rs.render(w, r, http.StatusUnprocessableEntity, web.TrainingSessionFormPage(v))
			return
		}
		id, err := db.CreateTrainingSession(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), f.version("seen"), in)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "培训“"+in.Title+"”已登记，请登记签到。")
		redirect(w, r, paths.TrainingSession(id))
	}
}

// sessionView is a session's page with its attendance; the forms are empty.
func sessionView(ctx context.Context, db trainingSessionReader, a *portal.Account, paths web.Paths, id int64, flash string) (web.TrainingSessionView, error) {
	s, err := db.TrainingSession(ctx, a.Scope(), id)
	if err != nil {
		return web.TrainingSessionView{}, err
	}
	people, err := db.SessionAttendees(ctx, a.Scope(), id)
	if err != nil {
		return web.TrainingSessionView{}, err
	}
	v := web.TrainingSessionView{Page: web.NewPage(s.Title, a, paths.Training(), flash), Back: paths.Training(),
		Title: s.Title, Town: s.TownName, When: web.NewTrainingSessionRow(paths, s).When, Hours: web.Hours1(s.Hours),
		Mode: s.Mode, Organizer: s.OrganizerKind + "·" + s.Organizer, Topics: strings.Join(s.Topics, "、"),
		Venue: s.Venue, RoomName: s.RoomName, Materials: s.Materials, CanManage: holdsSession(a, s), OrgHint: orgHint(a),
		AddAction: paths.TrainingSession(id) + "/attendees", Import: paths.TrainingSession(id) + "/import",
		Template: paths.AttendanceTemplate(), Add: web.NewFormData(),
		Roles: web.Choices(registry.TraineeRoles, ""), CertLevels: web.Choices(registry.CertLevels, ""),
		AttendanceSeen: strconv.Itoa(s.AttendanceVersion)}
	if s.RoomID != 0 && s.RoomSeen {
		v.RoomHref = paths.Room(s.PlatformID, s.RoomID)
	}
	for _, p := range people {
		v.Attendees = append(v.Attendees, web.NewTraineeRow(paths, p))
	}
	return v, sessionMaterials(ctx, db, a, paths, id, &v)
}

func handleTrainingSessionShow(db trainingSessionReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		v, err := sessionView(r.Context(), db, accountFrom(r.Context()), paths, id, takeFlashCtx(r))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.TrainingSessionPage(v))
	}
}

// resolveOrgs turns the group names of people into the ids of the town's live groups; a name that is none of
// them is a problem of that person, by index.
func resolveOrgs(ctx context.Context, db attendanceRecorder, scope portal.Scope, people []registry.AttendeeInput) (map[int]string, error) {
	var names []string
	for _, p := range people {
		if p.OrgName != "" && !slices.Contains(names, p.OrgName) {
			names = append(names, p.OrgName)
		}
	}
	bad := map[int]string{}
	if len(names) == 0 {
		return bad, nil
	}
	ids, err := db.TrainingOrgs(ctx, scope, names)
	if err != nil {
		return nil, err
	}
	for i := range people {
		if people[i].OrgName == "" {
			continue
		}
		if id, ok := ids[people[i].OrgName]; ok {
			people[i].OrgID = id
		} else {
			bad[i] = orgScopeName(scope) + "在册组织中没有“" + people[i].OrgName + "”，请填写组织全称"
		}
	}
	return bad, nil
}

// handleAttendeeAdd records one person typed in at a session.
func handleAttendeeAdd(db attendanceRecorder, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		a := accountFrom(r.Context())
		v, err := keptSessionView(r.Context(), db, a, paths, id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		in, problems := registry.ReadAttendee(f.value("name"), f.raw("id_number"), f.value("phone"), f.value("role"),
			f.value("cert_level"), f.value("cert_year"), f.now)
		in.OrgName = f.text("org", "所在社区社会组织", orgNameMax, false)
		for k, msg := range problems {
			f.Problems.Add(k, msg)
		}
		people := []registry.AttendeeInput{in}
		if f.OK() {
			bad, err := resolveOrgs(r.Context(), db, a.Scope(), people)
			if err != nil {
				rs.serverError(w, r, err)
				return
			}
			if msg, ok := bad[0]; ok {
				f.Problems.Add(registry.AttOrg, msg)
			}
		}
		if !f.OK() {
			for _, k := range []string{"name", "phone", "org", "cert_year"} {
				v.Add.Values[k] = f.value(k)
			}
			v.Add.Problems = f.Problems
			v.AttendanceSeen = f.raw("seen")
			v.Roles = web.Choices(registry.TraineeRoles, f.value("role"))
			v.CertLevels = web.Choices(registry.CertLevels, f.value("cert_level"))
			rs.render(w, r, http.StatusUnprocessableEntity, web.TrainingSessionPage(v))
			return
		}
		if _, err := db.RecordAttendance(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), id,
			f.version("seen"), people, "逐个登记"); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, in.Name+" 已签到。")
		redirect(w, r, paths.TrainingSession(id))
	}
}

// traineePage reads a person inside the account's scope.
func traineePage(r *http.Request, db traineeReader, paths web.Paths) (web.TraineeView, registry.Trainee, []registry.TraineeSession, error) {
	a := accountFrom(r.Context())
	id, ok := pathID(r, "id")
	if !ok {
		return web.TraineeView{}, registry.Trainee{}, nil, portal.ErrNotFound
	}
	p, sessions, err := db.Trainee(r.Context(), a.Scope(), id)
	if err != nil {
		return web.TraineeView{}, p, nil, err
	}
	v := web.NewTraineeView(web.NewPage(p.Name, a, paths.Training(), takeFlashCtx(r)), paths, p, sessions)
	v.CanReveal = portal.Can(a.Tier, portal.RevealPersonal)
	return v, p, sessions, nil
}

func handleTraineeShow(db traineeReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, _, err := traineePage(r, db, paths)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.TraineePage(v))
	}
}

// handleTraineeReveal shows a person's full 身份证号 and phone, with a reason, audited — as for a leader.
func handleTraineeReveal(db traineeRevealer, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, p, _, err := traineePage(r, db, paths)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		v.RevealReason.Value = reason
		switch n := utf8.RuneCountInString(reason); {
		case n == 0:
			v.RevealReason.Problem = "请写明查看原因"
		case n > 200:
			v.RevealReason.Problem = "原因不能超过 200 字"
		}
		if v.RevealReason.Bad() {
			rs.render(w, r, http.StatusUnprocessableEntity, web.TraineePage(v))
			return
		}
		phone, idNumber, err := db.RevealTrainee(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), p.ID, reason)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v.Revealed = &web.RevealedLeader{Phone: orNone(phone), IDNumber: orNone(idNumber), Reason: reason}
		rs.render(w, r, http.StatusOK, web.TraineePage(v))
	}
}

func orNone(s string) string {
	if s == "" {
		return "未登记"
	}
	return s
}

// handleTraineeCertificate is a person's printable 培训证明.
func handleTraineeCertificate(db traineeReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, p, _, err := traineePage(r, db, paths)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		c := web.TrainingCertificateView{Page: v.Page, Back: paths.Trainee(p.ID), Name: p.Name, IDMask: v.Person.IDMask,
			Role: p.Role, Sessions: v.Sessions, Count: p.Sessions, Hours: web.Hours1(p.Hours), Authority: p.TownName,
			Issued: web.Date(time.Now())}
		c.Page.Title = p.Name + " 培训证明"
		if p.OrgName != "" {
			c.Org = "，" + p.OrgName
		}
		if p.CertLevel != "" {
			c.Cert = "持有" + p.CertLevel + "职业资格（" + strconv.Itoa(p.CertYear) + "年取得）。"
		}
		rs.render(w, r, http.StatusOK, web.TrainingCertificatePage(c))
	}
}

// reachOf reads the reach a request asks for: the caller's own, or the district's drill-down into one of its
// towns (?town=), read with the town's jurisdiction; scope is the one read, town the town drilled into. A town
// that is not the district's is ErrNotFound.
func reachOf(r *http.Request, db trainingReachReader, a *portal.Account, year int) (scope portal.Scope, town string,
	rows []registry.TrainingReach, total registry.TrainingReach, err error) {
	scope = a.Scope()
	if rows, total, err = db.TrainingReach(r.Context(), scope, year); err != nil {
		return
	}
	town = r.URL.Query().Get("town")
	if a.Tier != portal.TierDistrict || town == "" {
		return scope, "", rows, total, nil
	}
	if !slices.ContainsFunc(rows, func(t registry.TrainingReach) bool { return t.Code == town }) {
		return scope, "", nil, total, portal.ErrNotFound
	}
	scope = portal.Scope{Tier: portal.TierTown, Division: town}
	rows, total, err = db.TrainingReach(r.Context(), scope, year)
	return scope, town, rows, total, err
}

// handleTrainingReach is the reach of training: per community (a town's page, or the district's drill-down into
// one of its towns, ?town=), per town (the district's), or the committee's own; below all but the district's own
// page, the groups not yet reached, linked, 50 at a time (?after= the last group of the page before), with
// their exact number from the figures and the whole list as xlsx.
func handleTrainingReach(db trainingReachReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, now, year, ok := trainingRequest(w, r, rs)
		if !ok {
			return
		}
		scope, town, rows, total, err := reachOf(r, db, a, year)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.TrainingReachView{Page: web.NewPage("骨干人才培训覆盖情况", a, paths.Training(), ""), Year: year,
			YearOptions: web.TrainingYearOptions(now.In(beijing), year), Action: paths.TrainingReach(), Export: paths.TrainingExport(year),
			ChildLabel: "村(社区)", Heading: a.DivisionName, Trainees: paths.TrainingTraineesOf(year, "")}
		if town != "" {
			v.Heading, v.Town, v.Back = total.Name, town, paths.TrainingReachOf(year, "")
			v.Trainees = paths.TrainingTraineesOf(year, town)
		} else if a.Tier == portal.TierDistrict {
			v.ChildLabel = "镇街"
		}
		v.Total = web.NewTrainingReachRow(total)
		for _, row := range rows {
			rr := web.NewTrainingReachRow(row)
			if scope.Tier == portal.TierDistrict {
				rr.Href = paths.TrainingReachOf(year, row.Code)
			}
			v.Rows = append(v.Rows, rr)
		}
		if scope.Tier != portal.TierDistrict {
			after := readAfter(r.URL.Query())
			unreached, err := db.UnreachedOrgs(r.Context(), scope, year, after, unreachedPerPage+1)
			if err != nil {
				rs.serverError(w, r, err)
				return
			}
			v.UnreachedExport = paths.TrainingUnreachedExport(year, town)
			here := paths.TrainingReachOf(year, town)
			if after != 0 {
				v.UnreachedFirst = here + "#unreached"
			}
			if len(unreached) > unreachedPerPage {
				unreached = unreached[:unreachedPerPage]
				v.UnreachedNext = here + "&after=" + strconv.FormatInt(unreached[unreachedPerPage-1].ID, 10) + "#unreached"
			}
			v.Unreached = []web.UnreachedRow{}
			for _, u := range unreached {
				v.Unreached = append(v.Unreached, web.UnreachedRow{Href: paths.Org(u.ID), Name: u.Name, Community: u.CommunityName})
			}
		}
		rs.render(w, r, http.StatusOK, web.TrainingReachPage(v))
	}
}

// attendeeProblems joins a person's problems in the order of the sheet's columns.
func attendeeProblems(p rules.Problems) string {
	var out []string
	for _, k := range []string{registry.AttName, registry.AttIDNumber, registry.AttPhone, registry.AttRole,
		registry.AttOrg, registry.AttCertLevel, registry.AttCertYear} {
		if msg, ok := p[k]; ok {
			out = append(out, msg)
		}
	}
	return strings.Join(out, "；")
}
