package web

// View models of 骨干人才培训: the plan, sessions, trainees, the reach page and the 培训证明.

import (
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
)

// Training is the 骨干人才培训 area; Session one session; Trainee one person; TrainingReach the reach page.
func (p Paths) Training() string         { return p.root + "/training" }
func (p Paths) TrainingPlan() string     { return p.Training() + "/plan" }
func (p Paths) TrainingSessions() string { return p.Training() + "/sessions" }
func (p Paths) TrainingSession(id int64) string {
	return p.TrainingSessions() + "/" + strconv.FormatInt(id, 10)
}
func (p Paths) Trainee(id int64) string {
	return p.Training() + "/trainees/" + strconv.FormatInt(id, 10)
}
func (p Paths) TrainingReach() string { return p.Training() + "/reach" }
func (p Paths) TrainingExport(year int) string {
	return p.Training() + "/export.xlsx?year=" + strconv.Itoa(year)
}
func (p Paths) AttendanceTemplate() string { return p.Training() + "/attendance-template.xlsx" }

// FormData is a form's values as typed and its messages by input name, for forms whose inputs are many and plain.
type FormData struct {
	Values   map[string]string
	Multi    map[string][]string
	Problems map[string]string
}

// NewFormData is an empty form.
func NewFormData() FormData {
	return FormData{Values: map[string]string{}, Multi: map[string][]string{}, Problems: map[string]string{}}
}

// F is the input name as typed with its message.
func (d FormData) F(name string) Field {
	return Field{Value: d.Values[name], Problem: d.Problems[name]}
}

// Hours1 is hours with one decimal where it has one: 2.5, 3.
func Hours1(h float64) string { return strconv.FormatFloat(h, 'f', -1, 64) }

// TrainingYearOptions are the years a training page may show, the chosen one selected.
func TrainingYearOptions(now time.Time, year int) []Option {
	var out []Option
	for y := now.Year() + 1; y >= registry.FirstTrainingYear; y-- {
		s := strconv.Itoa(y)
		out = append(out, Option{Value: s, Label: s + "年", Selected: y == year})
	}
	return out
}

// TrainingHomeView is the area's page: the year's plans and what became of them, and its sessions.
type TrainingHomeView struct {
	Page
	Year        int
	YearOptions []Option
	Action      string
	CanManage   bool
	CanPlan     bool   // a town keeps a yearly plan; the district holds sessions only
	Trainees    string // the digest of the people trained
	PlanHref    string
	NewSession  string
	ReachHref   string
	Plans       []TrainingPlanRow
	Sessions    []TrainingSessionRow
}

// TrainingPlanRow is one town's plan against what it held.
type TrainingPlanRow struct {
	Town      string
	HasPlan   bool
	Quarters  [4]string // "2 / 3": held / planned
	Planned   int
	Held      int
	Audiences string
	Topics    string
	Class     StatusClass
	Status    string
}

// NewTrainingPlanRow formats p.
func NewTrainingPlanRow(p registry.TrainingPlan) TrainingPlanRow {
	r := TrainingPlanRow{Town: p.TownName, HasPlan: p.ID != 0, Planned: p.Planned(), Held: p.HeldTotal(),
		Audiences: strings.Join(p.Audiences, "、"), Topics: strings.Join(p.Topics, "、")}
	for i := range p.Quarters {
		r.Quarters[i] = strconv.Itoa(p.Held[i]) + " / " + strconv.Itoa(p.Quarters[i])
	}
	switch {
	case !r.HasPlan:
		r.Class, r.Status = StatusBad, "未制定计划"
	case r.Held >= r.Planned:
		r.Class, r.Status = StatusOK, "已完成"
	default:
		r.Class, r.Status = StatusWarn, "进行中"
	}
	return r
}

// TrainingSessionRow is a session in a list.
type TrainingSessionRow struct {
	Href, Title, Town, When, Mode, Hours, Organizer string
	Attendees                                       int
}

// NewTrainingSessionRow formats s.
func NewTrainingSessionRow(paths Paths, s registry.TrainingSession) TrainingSessionRow {
	return TrainingSessionRow{Href: paths.TrainingSession(s.ID), Title: s.Title, Town: s.TownName,
		When: sessionWhen(s.Start, s.End), Mode: s.Mode, Hours: Hours1(s.Hours), Organizer: s.OrganizerKind + "·" + s.Organizer,
		Attendees: s.Attendees}
}

func sessionWhen(start, end time.Time) string {
	start, end = start.In(beijing), end.In(beijing)
	return Date(start) + " " + start.Format("15:04") + "–" + end.Format("15:04")
}

// TrainingPlanFormView is the town's plan for a year.
type TrainingPlanFormView struct {
	Page
	Action    string
	Cancel    string
	Year      int
	Version   int
	Form      FormData
	Audiences []Check
	Topics    []Check
}

// TrainingSessionFormView is a new session.
type TrainingSessionFormView struct {
	Page
	Action         string
	Cancel         string
	Form           FormData
	OrganizerKinds []Option
	Modes          []Option
	Topics         []Check
	PlanNote       string
	Seen           string   // the form's token: the sessions its clerk had recorded
	Rooms          []Option // the support platform rooms the organizer may use
}

// TrainingSessionView is one session with its attendance, the forms to add to it and what an import refused.
type TrainingSessionView struct {
	Page
	Back       string
	Title      string
	Town       string
	When       string
	Hours      string
	Mode       string
	Organizer  string
	Topics     string
	Venue      string
	RoomName   string // the support platform's room, linked to its page when the reader may open it
	RoomHref   string
	Materials  string
	Attendees  []TraineeRow
	CanManage  bool
	OrgHint    string // whose groups the attendee's group is looked up among
	AddAction  string
	Add        FormData
	Roles      []Option
	CertLevels []Option
	Import     string
	Template   string
	ImportFile Field
	BadRows    []SheetProblem
	// AttendanceSeen is the attendance forms' token (the session's attendance writes); MaterialSeen the upload
	// form's (the materials listed)
	AttendanceSeen string
	MaterialSeen   string
	// 培训资料 and, for the town keeping the session, the upload form
	Files          []MaterialRow
	MaterialAction string
	MaterialTitle  Field
	MaterialFile   Field
}

// MaterialRow is one 培训资料 in the session's list.
type MaterialRow struct{ Href, Title, Filename, Size, Uploaded string }

// NewMaterialRow formats m.
func NewMaterialRow(paths Paths, m registry.SessionMaterial) MaterialRow {
	return MaterialRow{Href: paths.TrainingSession(m.SessionID) + "/materials/" + strconv.FormatInt(m.ID, 10),
		Title: m.Title, Filename: m.Filename, Size: strconv.FormatFloat(float64(m.SizeBytes)/1024, 'f', 0, 64) + " KB",
		Uploaded: Date(m.UploadedAt)}
}

// SheetProblem is one refused row of a sign-in sheet: its number and every reason.
type SheetProblem struct {
	Row     int
	Name    string
	Reasons string
}

// TraineeRow is a person in a list.
type TraineeRow struct {
	Href, Name, IDMask, Role, Org, Cert, Hours string
	Sessions                                   int
}

// NewTraineeRow formats p.
func NewTraineeRow(paths Paths, p registry.Trainee) TraineeRow {
	return TraineeRow{Href: paths.Trainee(p.ID), Name: p.Name, IDMask: orDash(p.IDMask), Role: p.Role,
		Org: orDash(p.OrgName), Cert: certLabel(p), Hours: Hours1(p.Hours), Sessions: p.Sessions}
}

func certLabel(p registry.Trainee) string {
	if p.CertLevel == "" {
		return "—"
	}
	return p.CertLevel + "（" + strconv.Itoa(p.CertYear) + "年）"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// TraineeView is one person's record: masked personal data, the audited reveal, the sessions attended.
type TraineeView struct {
	Page
	Back         string
	Certificate  string
	Person       TraineeRow
	Town         string
	PhoneMask    string
	OrgHref      string
	CanReveal    bool
	RevealAction string
	RevealReason Field
	Revealed     *RevealedLeader
	Sessions     []TraineeSessionRow
}

// TraineeSessionRow is a session a person attended.
type TraineeSessionRow struct {
	Href, Title, Date, Organizer, Mode, Topics, Hours string
}

// NewTraineeView formats p and the sessions they attended.
func NewTraineeView(page Page, paths Paths, p registry.Trainee, sessions []registry.TraineeSession) TraineeView {
	v := TraineeView{Page: page, Back: paths.Training(), Certificate: paths.Trainee(p.ID) + "/certificate",
		Person: NewTraineeRow(paths, p), Town: p.TownName, PhoneMask: orDash(p.PhoneMask),
		RevealAction: paths.Trainee(p.ID) + "/reveal"}
	if p.OrgID != 0 {
		v.OrgHref = paths.Org(p.OrgID)
	}
	for _, s := range sessions {
		v.Sessions = append(v.Sessions, TraineeSessionRow{Href: paths.TrainingSession(s.SessionID), Title: s.Title,
			Date: Date(s.Start), Organizer: s.Organizer, Mode: s.Mode, Topics: strings.Join(s.Topics, "、"),
			Hours: Hours1(s.Hours)})
	}
	return v
}

// TrainingReachView is the reach of training in a year: per community (town) or per town (district).
type TrainingReachView struct {
	Page
	Year        int
	YearOptions []Option
	Action      string
	Export      string // the year's sessions, people trained and reach as xlsx
	ChildLabel  string
	Total       TrainingReachRow
	Rows        []TrainingReachRow
	Unreached   []UnreachedRow // one page of the groups not yet reached; nil on the district's own page
	Heading     string         // the town drilled into, or the caller's own division
	Town        string         // the town drilled into
	Back        string         // from a drill-down, the district's page
	Trainees    string         // the digest of the people counted here
	// UnreachedFirst and UnreachedNext page the unreached list ("" on the first and the last page);
	// UnreachedExport is the whole list as xlsx.
	UnreachedFirst, UnreachedNext, UnreachedExport string
}

// TrainingReachRow is one division's figures, formatted.
type TrainingReachRow struct {
	Href                                            string // the district's drill-down into a town
	Name, Share, HoursPerPerson                     string
	Live, Reached, Unreached, Trainees, CertHolders int
}

// NewTrainingReachRow formats r.
func NewTrainingReachRow(r registry.TrainingReach) TrainingReachRow {
	return TrainingReachRow{Name: r.Name, Share: strconv.FormatFloat(r.Share(), 'f', 1, 64) + "%",
		HoursPerPerson: strconv.FormatFloat(r.HoursPerPerson(), 'f', 1, 64), Live: r.LiveOrgs,
		Reached: r.ReachedOrgs, Unreached: r.LiveOrgs - r.ReachedOrgs, Trainees: r.Trainees,
		CertHolders: r.CertHolders}
}

// UnreachedRow is a group not yet reached, linked to its record.
type UnreachedRow struct{ Href, Name, Community string }

// TrainingUnreachedExport is the whole list of groups not yet reached in year as xlsx (of a town the district
// drilled into, when one is named).
func (p Paths) TrainingUnreachedExport(year int, town string) string {
	u := p.TrainingReach() + "/unreached.xlsx?year=" + strconv.Itoa(year)
	if town != "" {
		u += "&town=" + town
	}
	return u
}

// UnreachedExportHeader and UnreachedExportCells are the columns of the groups not yet reached.
var UnreachedExportHeader = []string{"村(社区)", "区划代码", "组织名称", "组织编号"}

// UnreachedExportCells is one group not yet reached.
func UnreachedExportCells(u registry.UnreachedOrg) []any {
	return []any{u.CommunityName, u.CommunityCode, u.Name, strconv.FormatInt(u.ID, 10)}
}

// TrainingCertificateView is a person's printable 培训证明.
type TrainingCertificateView struct {
	Page
	Back      string
	Name      string
	IDMask    string
	Role      string
	Org       string
	Cert      string
	Sessions  []TraineeSessionRow
	Count     int
	Hours     string
	Authority string
	Issued    string
}
