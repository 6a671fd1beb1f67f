package registry

// 骨干人才培训 (action plan §三(二)1): a town's yearly plan, the sessions it holds, the people trained and their
// attendance, and the reach of the training over the town's live groups.

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/rules"
)

// The lists of the training forms, in the action plan's words.
var (
	// TrainingModes are the ways a session is held (§三(二)1 "示范培训、网上课堂、新媒体教学").
	TrainingModes = []string{"示范培训", "网上课堂", "新媒体教学", "其他"}
	// TrainingTopics are what a plan and its sessions teach.
	TrainingTopics = []string{"党的建设", "培育发展", "能力建设", "日常运作", "社会工作知识", "应急处置", "其他"}
	// TraineeRoles are who is trained; they are also the plan's 培训对象.
	TraineeRoles = []string{"城乡社区工作者", "儿童主任", "社区社会组织负责人", "社区社会工作者", "社区志愿者"}
	// CertLevels are the 社会工作者职业资格, blank for none.
	CertLevels = []string{"助理社会工作师", "社会工作师", "高级社会工作师"}
	// OrganizerKinds are who ran a session.
	OrganizerKinds = []string{"区民政局", "镇街", "支持平台"}
)

// Limits of training input.
const (
	SessionHoursMin   = 0.5
	SessionHoursMax   = 12
	PlannedPerQuarter = 100
	FirstTrainingYear = 2021
	CertYearMin       = 2008 // the first national 社会工作者职业水平考试
)

// Errors of training.
var (
	// ErrTraineeTaken says a person with this 身份证号 is already on the town's list.
	ErrTraineeTaken = errors.New("a trainee with this ID number exists")
)

// TrainingPlanInput is a town's plan for one year.
type TrainingPlanInput struct {
	Year      int
	Quarters  [4]int // sessions planned per quarter
	Audiences []string
	Topics    []string
	Note      string
	Version   int // the version the clerk edited, 0 for a new plan
}

// Validate checks what the form reader cannot: the plan must plan something.
func (in TrainingPlanInput) Validate() rules.Problems {
	p := rules.Problems{}
	if in.Quarters == [4]int{} {
		p.Add("q1", "请至少在一个季度计划培训场次")
	}
	for i, n := range in.Quarters {
		if n < 0 || n > PlannedPerQuarter {
			p.Add("q"+strconv.Itoa(i+1), "每季度计划场次应为 0 至 "+strconv.Itoa(PlannedPerQuarter))
		}
	}
	if in.Year < FirstTrainingYear || in.Year > 2200 {
		p.Add("year", "年度应为 "+strconv.Itoa(FirstTrainingYear)+" 年以后")
	}
	return p
}

// Planned is the sessions planned in the year.
func (in TrainingPlanInput) Planned() int {
	return in.Quarters[0] + in.Quarters[1] + in.Quarters[2] + in.Quarters[3]
}

// TrainingPlan is a town's plan with what became of it: the sessions held per quarter.
type TrainingPlan struct {
	ID        int64
	TownCode  string
	TownName  string
	Year      int
	Quarters  [4]int
	Held      [4]int
	Audiences []string
	Topics    []string
	Note      string
	Version   int
	UpdatedAt time.Time
}

// Planned is the sessions planned in the year; HeldTotal those held.
func (p TrainingPlan) Planned() int {
	return p.Quarters[0] + p.Quarters[1] + p.Quarters[2] + p.Quarters[3]
}
func (p TrainingPlan) HeldTotal() int { return p.Held[0] + p.Held[1] + p.Held[2] + p.Held[3] }

// SessionInput is one training session as entered.
type SessionInput struct {
	Title         string
	OrganizerKind string
	Organizer     string
	Start, End    time.Time // 北京时间
	Hours         float64   // 学时 credited to each attendee
	Mode          string
	Topics        []string
	Venue         string
	RoomID        int64 // a support platform's room, 0 for a place typed alone
	Materials     string
}

// Validate checks the rules between fields: a session ends after it starts, on the same day, and credits no
// more hours than it lasted.
func (in SessionInput) Validate() rules.Problems {
	p := rules.Problems{}
	switch {
	case !in.End.After(in.Start):
		p.Add("ends", "结束时间应晚于开始时间")
	case in.End.Sub(in.Start) > 24*time.Hour:
		p.Add("ends", "一场培训不能超过 24 小时，多日培训请按天分场录入")
	}
	switch {
	case in.Hours < SessionHoursMin || in.Hours > SessionHoursMax:
		p.Add("hours", "学时应在 0.5 至 12 之间")
	case in.Hours*2 != float64(int(in.Hours*2)):
		p.Add("hours", "学时以 0.5 为单位")
	case p["ends"] == "" && in.Hours > in.End.Sub(in.Start).Hours():
		p.Add("hours", "学时不能超过培训时长（"+strconv.FormatFloat(in.End.Sub(in.Start).Hours(), 'f', 1, 64)+" 小时）")
	}
	if len(in.Topics) == 0 {
		p.Add("topics", "请至少选择一项培训内容")
	}
	return p
}

// TrainingSession is a session with its attendance count.
type TrainingSession struct {
	ID            int64
	TownCode      string
	TownName      string
	Title         string
	OrganizerKind string
	Organizer     string
	Start, End    time.Time
	Hours         float64
	Mode          string
	Topics        []string
	Venue         string
	Materials     string
	Attendees     int
	// AttendanceVersion counts the attendance writes: the token of the attendance forms
	AttendanceVersion int
	// the support platform's room it was held in (0: a place typed alone), and whether the reader may open
	// that room's page
	RoomID, PlatformID int64
	RoomName           string
	RoomSeen           bool
}

// Quarter is the quarter of the year the session was held in, 1–4.
func (s TrainingSession) Quarter() int { return QuarterOf(s.Start) }

// QuarterOf is the quarter t falls in, in 北京时间.
func QuarterOf(t time.Time) int {
	return (int(t.In(portal.Beijing).Month())-1)/3 + 1
}

// AttendeeInput is one person attending a session, typed or read from a sign-in sheet.
type AttendeeInput struct {
	Name      string
	IDNumber  string // normalized; "" when not given
	Phone     string // normalized; "" when not given
	Role      string
	OrgID     int64  // the group the person leads or serves, 0 for none
	OrgName   string // the group as named on a sign-in sheet, resolved to OrgID by the store's caller
	CertLevel string
	CertYear  int
}

// Attendee field keys, shared by the form and the sign-in sheet's problems.
const (
	AttName      = "name"
	AttIDNumber  = "id_number"
	AttPhone     = "phone"
	AttRole      = "role"
	AttOrg       = "org"
	AttCertLevel = "cert_level"
	AttCertYear  = "cert_year"
)

// ReadAttendee checks one person's raw values (as typed or as in a sheet's cells) and returns them normalized.
// Problems are keyed by the Att* keys; a bad 身份证号 or phone is never repeated in a message.
func ReadAttendee(name, idNumber, phone, role, certLevel, certYear string, now time.Time) (AttendeeInput, rules.Problems) {
	p := rules.Problems{}
	in := AttendeeInput{Name: strings.TrimSpace(name), Role: strings.TrimSpace(role), CertLevel: strings.TrimSpace(certLevel)}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		p.Add(AttName, "请填写姓名")
	case n > 40:
		p.Add(AttName, "姓名不能超过 40 字")
	}
	if strings.TrimSpace(idNumber) != "" {
		if err := rules.CheckIDNumber(idNumber, now); err != nil {
			p.Add(AttIDNumber, "身份证号"+err.Error())
		} else {
			in.IDNumber = rules.NormalizeIDNumber(idNumber)
		}
	}
	if strings.TrimSpace(phone) != "" {
		if err := rules.CheckPhone(phone); err != nil {
			p.Add(AttPhone, "联系电话："+err.Error())
		} else {
			in.Phone = rules.NormalizePhone(phone)
		}
	}
	if !slices.Contains(TraineeRoles, in.Role) {
		p.Add(AttRole, "请选择人员类别："+strings.Join(TraineeRoles, "、"))
	}
	certYear = strings.TrimSpace(certYear)
	switch {
	case in.CertLevel == "" && certYear != "":
		p.Add(AttCertLevel, "填写了取得年份，请选择职业资格等级")
	case in.CertLevel == "":
	case !slices.Contains(CertLevels, in.CertLevel):
		p.Add(AttCertLevel, "职业资格应为："+strings.Join(CertLevels, "、"))
	default:
		y, err := strconv.Atoi(certYear)
		if err != nil || y < CertYearMin || y > now.Year() {
			p.Add(AttCertYear, "取得年份应为 "+strconv.Itoa(CertYearMin)+" 至 "+strconv.Itoa(now.Year())+" 年")
		}
		in.CertYear = y
	}
	return in, p
}

// Trainee is one person on a town's list, with the masks of their personal data only.
type Trainee struct {
	ID        int64
	TownCode  string
	TownName  string
	Name      string
	IDMask    string
	PhoneMask string
	Role      string
	OrgID     int64
	OrgName   string
	CertLevel string
	CertYear  int
	Sessions  int      // sessions attended
	Hours     float64  // hours credited
	TrainedBy []string // who held those sessions (towns, 区级), on the digest
}

// TraineeSession is one session a trainee attended, for their record and 培训证明.
type TraineeSession struct {
	SessionID int64
	Title     string
	Organizer string
	Start     time.Time
	Hours     float64
	Mode      string
	Topics    []string
}

// TrainingReach is the reach of training in one division (a community, or a town at the district) in a year.
type TrainingReach struct {
	Code, Name  string
	LiveOrgs    int     // live groups
	ReachedOrgs int     // live groups of which a leader or key member attended a session in the year
	Trainees    int     // people who attended in the year
	Hours       float64 // hours credited in the year
	CertHolders int     // those trainees holding a 社会工作者职业资格
}

// Share is the reached share of live groups in percent (0 with no live group).
func (r TrainingReach) Share() float64 {
	if r.LiveOrgs == 0 {
		return 0
	}
	return float64(r.ReachedOrgs) * 100 / float64(r.LiveOrgs)
}

// HoursPerPerson is the hours credited per trainee (0 with none).
func (r TrainingReach) HoursPerPerson() float64 {
	if r.Trainees == 0 {
		return 0
	}
	return r.Hours / float64(r.Trainees)
}

// UnreachedOrg is a live group none of whose people was trained in the year.
type UnreachedOrg struct {
	ID            int64
	Name          string
	CommunityCode string
	CommunityName string
}

// SessionMaterial is a document of a training session (课件, 讲义 …) kept in the uploads folder.
type SessionMaterial struct {
	ID          int64
	SessionID   int64
	Title       string
	Filename    string
	ContentType string
	SizeBytes   int64
	StorageKey  string
	UploadedAt  time.Time
}

// TraineeDigestLimit caps the people listed on one page of the digest of people trained.
const TraineeDigestLimit = 500
