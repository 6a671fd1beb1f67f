package registry

// 三会一课 (行动方案 §三(四)1): a group with a 党组织 holds 支部党员大会, 支委会 and 党小组会 and gives 党课; the
// portal keeps each meeting's date, topic and attendance on the group's record.

import (
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/rules"
)

// MeetingKind is one of the 三会一课.
type MeetingKind string

const (
	MeetingAssembly  MeetingKind = "assembly"  // 支部党员大会
	MeetingCommittee MeetingKind = "committee" // 支委会
	MeetingGroup     MeetingKind = "group"     // 党小组会
	MeetingLecture   MeetingKind = "lecture"   // 党课
)

// MeetingKinds are the kinds in the order the plan names them.
var MeetingKinds = []MeetingKind{MeetingAssembly, MeetingCommittee, MeetingGroup, MeetingLecture}

// Label is the kind as the plan says it.
func (k MeetingKind) Label() string {
	return map[MeetingKind]string{MeetingAssembly: "支部党员大会", MeetingCommittee: "支委会",
		MeetingGroup: "党小组会", MeetingLecture: "党课"}[k]
}

// Valid reports whether k is one of the 三会一课.
func (k MeetingKind) Valid() bool { return k.Label() != "" }

// HasPartyOrg reports whether a group's 党组织覆盖 is a 党组织 of its own or a joint one: only those hold 三会一课.
func HasPartyOrg(partyStatus string) bool {
	return partyStatus == "单独建立" || partyStatus == "联合建立"
}

// ErrNoPartyOrg says the group has no 党组织 to hold 三会一课.
var ErrNoPartyOrg = errors.New("the group has no party organization")

// MaxMeetingAttendance bounds a meeting's attendance: more is a typing slip.
const MaxMeetingAttendance = 10000

// PartyMeeting is one recorded meeting.
type PartyMeeting struct {
	ID         int64
	OrgID      int64
	Kind       MeetingKind
	HeldOn     time.Time
	Topic      string
	Attendance int
	RecordedBy string // the recording account's display name and username
	RecordedAs string
	RecordedAt time.Time
	Version    int // issue 17: a correction keeps the version it replaces (PartyMeetingRevision)
}

// PartyMeetingRevision is a version of a meeting a correction replaced.
type PartyMeetingRevision struct {
	PartyMeeting
	ReplacedBy string // the correcting account's display name and username
	ReplacedAs string
	ReplacedAt time.Time
	Reason     string
}

// MaxCorrectionReason bounds a correction's reason.
const MaxCorrectionReason = 200

// CorrectionReasonProblem says what is wrong with a correction's reason, or "".
func CorrectionReasonProblem(reason string) string {
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return "请填写更正原因，如“参加人数记错”"
	case n > MaxCorrectionReason:
		return "更正原因不能超过 " + strconv.Itoa(MaxCorrectionReason) + " 字，现为 " + strconv.Itoa(n) + " 字"
	}
	return ""
}

// MeetingInput is the form as typed.
type MeetingInput struct {
	Kind       string
	HeldOn     string
	Topic      string
	Attendance string
}

// Parse checks the form at today (北京时间) and gives the meeting; a problem is filed under the field's name.
func (in MeetingInput) Parse(today time.Time) (PartyMeeting, rules.Problems) {
	p := rules.Problems{}
	m := PartyMeeting{Kind: MeetingKind(in.Kind), Topic: in.Topic}
	if !m.Kind.Valid() {
		p.Add("kind", "请选择会议类别：支部党员大会、支委会、党小组会或党课")
	}
	d, err := time.Parse("2006-01-02", in.HeldOn)
	y, mo, dd := today.Date()
	switch {
	case in.HeldOn == "":
		p.Add("held_on", "请填写召开日期")
	case err != nil:
		p.Add("held_on", "召开日期格式应为 年-月-日，如 2021-07-01")
	case d.After(time.Date(y, mo, dd, 0, 0, 0, 0, time.UTC)):
		p.Add("held_on", "召开日期不能晚于今天")
	case d.Year() < 2000:
		p.Add("held_on", "召开日期不能早于 2000 年")
	}
	m.HeldOn = d
	switch n := utf8.RuneCountInString(in.Topic); {
	case n == 0:
		p.Add("topic", "请填写会议主题")
	case n > 100:
		p.Add("topic", "会议主题不能超过 100 字，现为 "+strconv.Itoa(n)+" 字")
	}
	n, err := strconv.Atoi(in.Attendance)
	switch {
	case in.Attendance == "":
		p.Add("attendance", "请填写参加人数")
	case err != nil || n < 1 || n > MaxMeetingAttendance:
		p.Add("attendance", "参加人数应为 1 至 "+strconv.Itoa(MaxMeetingAttendance)+" 之间的整数")
	}
	m.Attendance = n
	return m, p
}
