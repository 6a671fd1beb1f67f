package registry

// Support platforms (支持平台, seed §三(一)2): 孵化基地, 社区社会组织联合会, 社会工作室, 社会工作创新创业基地 and
// 城乡社区综合服务设施, kept by the tier that runs them; their rooms, and the bookings of those rooms.

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

// Kinds of support platform, in the plan's words.
const (
	PlatformIncubator  = "孵化基地" // 社区社会组织孵化基地
	PlatformFederation = "社区社会组织联合会"
	PlatformStudio     = "社会工作室" // a community's 社区社会工作室
	PlatformInnovation = "社会工作创新创业基地"
	PlatformFacility   = "城乡社区综合服务设施"
)

// PlatformKinds in the order the forms offer them.
var PlatformKinds = []string{PlatformIncubator, PlatformFederation, PlatformStudio, PlatformInnovation, PlatformFacility}

// PlatformKindsFor are the kinds a tier keeps: a committee keeps its 社会工作室 and nothing else; the district
// and the towns keep the rest.
func PlatformKindsFor(t portal.Tier) []string {
	if t == portal.TierCommunity {
		return []string{PlatformStudio}
	}
	return []string{PlatformIncubator, PlatformFederation, PlatformInnovation, PlatformFacility}
}

// PlatformServices are the services the plan asks platforms to give.
var PlatformServices = []string{"党建引领", "培育孵化", "资金代管", "人员培训", "场地支持"}

// How a platform is run.
const (
	RunByGovernment = "government" // 政府自营
	RunByEntrusted  = "entrusted"  // 委托运营
)

// OperatorKinds are whom a platform may be entrusted to (seed: 枢纽型社会组织或社会工作服务机构).
var OperatorKinds = []string{"枢纽型社会组织", "社会工作服务机构"}

// RunByLabel is how clerks say a platform is run.
func RunByLabel(runBy string) string {
	if runBy == RunByEntrusted {
		return "委托运营"
	}
	return "政府自营"
}

// PlatformInput is the platform form. The keeping division is the caller's own, never the form's.
type PlatformInput struct {
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
}

// Validate checks the input for a platform kept by tier t.
func (in PlatformInput) Validate(t portal.Tier) rules.Problems {
	p := rules.Problems{}
	if !slices.Contains(PlatformKindsFor(t), in.Kind) {
		p.Add("kind", "请选择平台类型（"+strings.Join(PlatformKindsFor(t), "、")+"）")
	}
	textProblem(p, "name", "平台名称", in.Name, 2, 80)
	textProblem(p, "address", "地址", in.Address, 0, 120)
	textProblem(p, "hours", "开放时间", in.Hours, 0, 60)
	textProblem(p, "contact_name", "联系人", in.ContactName, 0, 20)
	for _, s := range in.Services {
		if !slices.Contains(PlatformServices, s) {
			p.Add("services", "服务内容只能从列表中选择")
		}
	}
	if in.StaffCount < 0 || in.StaffCount > 10000 {
		p.Add("staff_count", "工作人员数须在 0 到 10000 之间")
	}
	switch in.RunBy {
	case RunByGovernment:
	case RunByEntrusted:
		textProblem(p, "operator_name", "运营机构名称", in.OperatorName, 2, 80)
		if !slices.Contains(OperatorKinds, in.OperatorKind) {
			p.Add("operator_kind", "请选择运营机构类型（枢纽型社会组织或社会工作服务机构）")
		}
		textProblem(p, "contract_no", "委托协议编号", in.ContractNo, 0, 40)
		dateRangeProblem(p, "contract_from", "contract_to", "委托期限", in.ContractFrom, in.ContractTo)
	default:
		p.Add("run_by", "请选择运营方式")
	}
	return p
}

// Platform is one support platform as its pages show it.
type Platform struct {
	ID           int64
	DivisionCode string
	DivisionName string
	Tier         portal.Tier // the keeping tier, from the division code
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
	Rooms        int // how many rooms it has
	UpdatedAt    time.Time
	Version      int
}

// KeptBy reports whether scope keeps (may change) the platform: only the division that runs it does.
func (p Platform) KeptBy(s portal.Scope) bool { return p.DivisionCode == s.Division }

// PlatformFilter narrows the platform register.
type PlatformFilter struct {
	Kind     string // one of PlatformKinds, "" for all
	Division string // a division code inside the caller's scope (prefix), "" for all
}

// RoomInput is the form of a platform's room.
type RoomInput struct {
	Name      string
	Capacity  int
	Equipment string
}

// Validate checks a room.
func (in RoomInput) Validate() rules.Problems {
	p := rules.Problems{}
	textProblem(p, "room_name", "活动室名称", in.Name, 1, 40)
	if in.Capacity < 1 || in.Capacity > 5000 {
		p.Add("capacity", "容纳人数须在 1 到 5000 之间")
	}
	textProblem(p, "equipment", "设施设备", in.Equipment, 0, 200)
	return p
}

// Room is one room of a platform.
type Room struct {
	ID         int64
	PlatformID int64
	Name       string
	Capacity   int
	Equipment  string
}

// Booking statuses.
const (
	BookingBooked    = "booked"    // 已预约
	BookingCancelled = "cancelled" // 已取消
)

// BookingStatusLabel is a booking's status as clerks say it.
func BookingStatusLabel(s string) string {
	if s == BookingCancelled {
		return "已取消"
	}
	return "已预约"
}

// Limits of a booking: one activity, booked for the coming year.
const (
	BookingMaxLength = 12 * time.Hour
	BookingMaxAhead  = 366 * 24 * time.Hour
)

// BookingInput books a room for a group's activity.
type BookingInput struct {
	OrgID  int64
	Title  string
	Starts time.Time
	Ends   time.Time
}

// Validate checks a booking at time now. A zero Starts or Ends means the form had none (or an unreadable one,
// which the form reader reports itself).
func (in BookingInput) Validate(now time.Time) rules.Problems {
	p := rules.Problems{}
	if in.OrgID <= 0 {
		p.Add("org_id", "请选择使用活动室的社会组织")
	}
	textProblem(p, "title", "活动名称", in.Title, 2, 60)
	switch {
	case in.Starts.IsZero():
		p.Add("starts_at", "请填写开始时间")
	case !in.Starts.After(now):
		p.Add("starts_at", "开始时间须晚于当前时间")
	case in.Starts.Sub(now) > BookingMaxAhead:
		p.Add("starts_at", "只能预约一年以内的时段")
	}
	switch {
	case in.Ends.IsZero():
		p.Add("ends_at", "请填写结束时间")
	case !in.Starts.IsZero() && !in.Ends.After(in.Starts):
		p.Add("ends_at", "结束时间须晚于开始时间")
	case !in.Starts.IsZero() && in.Ends.Sub(in.Starts) > BookingMaxLength:
		p.Add("ends_at", "一次预约不能超过 12 小时")
	}
	return p
}

// Booking is one booking of a room.
type Booking struct {
	ID             int64
	RoomID         int64
	RoomName       string
	PlatformID     int64
	OrgID          int64
	OrgName        string
	Title          string
	Starts         time.Time
	Ends           time.Time
	BookedName     string
	BookedDivision string
	BookedAt       time.Time
	Status         string
	CancelReason   string
	CancelledAt    *time.Time
}

// WeekStart is the Monday 00:00 北京时间 of the week holding t.
func WeekStart(t time.Time) time.Time {
	t = t.In(portal.Beijing)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, portal.Beijing)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// OrgChoice is a live group the caller may name on a booking, a home or an incubation.
type OrgChoice struct {
	ID   int64
	Name string
}

// CultivationEvent is one row of a platform's, contract's, round's or fund's timeline.
type CultivationEvent struct {
	At            time.Time
	ActorName     string
	ActorDivision string
	Kind          string
	Detail        string
}

// Errors of platforms and bookings.
var (
	ErrPlatformNameTaken = errors.New("the division keeps a platform of that name already")
	ErrRoomNameTaken     = errors.New("the platform has a room of that name already")
	ErrBookingOverlap    = errors.New("the room is booked for an overlapping time")
	ErrBookingCancelled  = errors.New("the booking is cancelled already")
	ErrCultivationOrg    = errors.New("the group is not a live group inside the caller's jurisdiction")
)

// textProblem adds a problem when s is shorter than min (min 0: optional) or longer than max characters.
func textProblem(p rules.Problems, key, label, s string, min, max int) {
	switch n := utf8.RuneCountInString(s); {
	case n == 0 && min > 0:
		p.Add(key, "请填写"+label)
	case n < min:
		p.Add(key, label+"至少 "+strconv.Itoa(min)+" 个字")
	case n > max:
		p.Add(key, label+"不能超过 "+strconv.Itoa(max)+" 字，现为 "+strconv.Itoa(n)+" 字")
	}
}

// dateRangeProblem checks a required from–to pair of dates: both present and the end not before the start.
func dateRangeProblem(p rules.Problems, fromKey, toKey, label string, from, to *time.Time) {
	if from == nil {
		p.Add(fromKey, "请填写"+label+"的开始日期")
	}
	switch {
	case to == nil:
		p.Add(toKey, "请填写"+label+"的结束日期")
	case from != nil && to.Before(*from):
		p.Add(toKey, label+"的结束日期不能早于开始日期")
	}
}

// Kinds of a cultivation create form's token: how many rows of that kind its parent had when the form was shown
// (the clerk's division for a platform, contract, round or fund; the room for a booking; the platform for the
// rest).
const (
	TokenPlatform   = "platform"
	TokenContract   = "contract"
	TokenRound      = "round"
	TokenFund       = "fund"
	TokenRoom       = "room"
	TokenHousing    = "housing"
	TokenIncubation = "incubation"
	TokenMilestone  = "milestone"
	TokenLeave      = "leave"
	TokenBooking    = "booking"
)
