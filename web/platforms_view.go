package web

// View models of the support platforms' pages: the register, a platform with its rooms, homes and cohort, the
// platform form, and a room's week.

import (
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
)

// Platforms is the register of support platforms; Platform one of them.
func (p Paths) Platforms() string { return p.root + "/platforms" }
func (p Paths) Platform(id int64) string {
	return p.Platforms() + "/" + strconv.FormatInt(id, 10)
}
func (p Paths) NewPlatform() string { return p.Platforms() + "/new" }
func (p Paths) PlatformRooms(id int64) string {
	return p.Platform(id) + "/rooms"
}

// Room is a room's week; RoomWeek the week starting on monday.
func (p Paths) Room(platformID, roomID int64) string {
	return p.PlatformRooms(platformID) + "/" + strconv.FormatInt(roomID, 10)
}
func (p Paths) RoomWeek(platformID, roomID int64, monday time.Time) string {
	return p.Room(platformID, roomID) + "?week=" + monday.In(beijing).Format("2006-01-02")
}

// PlatformListView is the register.
type PlatformListView struct {
	Page
	Heading     string
	Base        string
	NewHref     string // "" when the tier keeps no platforms of its own here
	KindOptions []Option
	Rows        []PlatformRow
	// ContactsHref lists the groups without a 联系人 (§三(二)3), for the tiers that set them; "" otherwise.
	ContactsHref string
	// CharitiesHref is the register of 慈善组织认定 of the groups the tier sees.
	CharitiesHref string
	XLSX          string // the register as a spreadsheet, with the filter
}

// PlatformRow is one platform of the register.
type PlatformRow struct {
	ID       int64
	Href     string
	Name     string
	Kind     string
	Division string
	Address  string
	Services string
	RunBy    string
	Rooms    string
}

// NewPlatformRow formats one platform for the register.
func NewPlatformRow(p registry.Platform, paths Paths) PlatformRow {
	return PlatformRow{ID: p.ID, Href: paths.Platform(p.ID), Name: p.Name, Kind: p.Kind, Division: p.DivisionName,
		Address: dash(p.Address), Services: dash(strings.Join(p.Services, "、")), RunBy: runByText(p),
		Rooms: strconv.Itoa(p.Rooms)}
}

func runByText(p registry.Platform) string {
	if p.RunBy != registry.RunByEntrusted {
		return registry.RunByLabel(p.RunBy)
	}
	return "委托" + p.OperatorName + "运营"
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// PlatformFormView is the form that registers a platform, or (Version set) changes one.
type PlatformFormView struct {
	Page
	Action, CancelHref string
	Heading, Submit    string
	Version            string // the platform's version when editing; "" when registering
	Seen               string // the division's platforms when registering: the form's token; "" when editing
	KindOptions        []Option
	Name, Address      Field
	Hours, StaffCount  Field
	ContactName        Field
	Services           []Check
	RunByOptions       []Option
	OperatorName       Field
	OperatorKinds      []Option
	ContractFrom       Field
	ContractTo         Field
	ContractNo         Field
	Problems           map[string]string
}

// Problem is the message at field key, if any.
func (v PlatformFormView) Problem(key string) string { return v.Problems[key] }

// RunByChoices are the ways a platform is run, for a select.
func RunByChoices(selected string) []Option {
	return []Option{
		{Value: registry.RunByGovernment, Label: "政府自营", Selected: selected == registry.RunByGovernment},
		{Value: registry.RunByEntrusted, Label: "委托枢纽型社会组织或社会工作服务机构运营", Selected: selected == registry.RunByEntrusted},
	}
}

// NewPlatformForm is an empty form for kinds.
func NewPlatformForm(page Page, paths Paths, kinds []string) PlatformFormView {
	return PlatformFormView{Page: page, Action: paths.Platforms(), CancelHref: paths.Platforms(),
		Heading: "登记支持平台", Submit: "登记", KindOptions: Choices(kinds, ""), Services: Checks(registry.PlatformServices, nil),
		RunByOptions: RunByChoices(registry.RunByGovernment), OperatorKinds: Choices(registry.OperatorKinds, ""),
		Problems: map[string]string{}}
}

// EditPlatform is the form that changes a platform's facts.
func (p Paths) EditPlatform(id int64) string { return p.Platform(id) + "/edit" }

// NewPlatformEditForm is the form filled with p's facts as they are.
func NewPlatformEditForm(page Page, paths Paths, kinds []string, p registry.Platform) PlatformFormView {
	v := NewPlatformForm(page, paths, kinds)
	v.Action, v.CancelHref = paths.EditPlatform(p.ID), paths.Platform(p.ID)
	v.Heading, v.Submit, v.Version = "修改平台信息", "保存", strconv.Itoa(p.Version)
	v.KindOptions, v.Services = Choices(kinds, p.Kind), Checks(registry.PlatformServices, p.Services)
	v.RunByOptions, v.OperatorKinds = RunByChoices(p.RunBy), Choices(registry.OperatorKinds, p.OperatorKind)
	v.Name.Value, v.Address.Value, v.Hours.Value = p.Name, p.Address, p.Hours
	v.StaffCount.Value, v.ContactName.Value = strconv.Itoa(p.StaffCount), p.ContactName
	v.OperatorName.Value, v.ContractNo.Value = p.OperatorName, p.ContractNo
	v.ContractFrom.Value, v.ContractTo.Value = isoDay(p.ContractFrom), isoDay(p.ContractTo)
	return v
}

func isoDay(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02")
}

// PlatformDetailView is one platform: its facts, rooms, homes, cohort and timeline, and the forms the viewer
// may use.
type PlatformDetailView struct {
	Page
	Paths         Paths
	ID            int64
	Name, Kind    string
	Facts         []Fact
	Rooms         []RoomRow
	CanAddRoom    bool
	RoomName      Field
	Capacity      Field
	Equipment     Field
	Homes         []HomeRow
	Documents     []DocumentRow
	Uploads       []DocUpload
	CanHouse      bool
	OrgOptions    []Option // groups the viewer may house or incubate
	HomeRoom      []Option
	HomeOrg       Field
	HomeFrom      Field
	HomeTo        Field
	Agreement     Field
	Incubator     bool
	Outcomes      registry.IncubationOutcomes
	Cohort        []CohortRow
	CanIncubate   bool
	IncubateOrg   Field
	EnteredOn     Field
	Mentor        Field
	Goals         Field
	ActiveOptions []Option // incubations in progress, for the milestone and leave forms
	MilestoneInc  Field
	MilestoneOn   Field
	MilestoneNote Field
	LeaveInc      Field
	LeaveStatus   Field
	LeftOn        Field
	TierReached   Field
	LeaveReason   Field
	Events        []CultivationEventRow
	Tokens        map[string]string // each form's token by kind (registry.TokenRoom…): how many rows it had when shown
	Problems      map[string]string
	entered       map[int64]time.Time // when each incubation in progress began
}

// EnteredOf is the day the incubation id began; the zero time for one not in progress.
func (v PlatformDetailView) EnteredOf(id int64) time.Time { return v.entered[id] }

// RoomRow is one room of a platform.
type RoomRow struct {
	Name, Capacity, Equipment, Href string
}

// HomeRow is one group's home at a platform.
type HomeRow struct {
	ID                                  int64
	Org, Room, Period, Agreement, State string
}

// CohortRow is one group's incubation.
type CohortRow struct {
	Org, Entered, Mentor, Goals, Status, Outcome string
	StatusClass                                  StatusClass
	Milestones                                   []string
}

// CultivationEventRow is one timeline row.
type CultivationEventRow struct {
	At, Actor, Kind, Detail string
}

func cultivationEventRows(events []registry.CultivationEvent) []CultivationEventRow {
	out := make([]CultivationEventRow, len(events))
	for i, e := range events {
		out[i] = CultivationEventRow{At: DateTime(e.At), Actor: dash(e.ActorName), Kind: e.Kind, Detail: e.Detail}
	}
	return out
}

// NewPlatformDetail formats a platform with its rooms, homes, cohort and timeline.
func NewPlatformDetail(page Page, paths Paths, p registry.Platform, rooms []registry.Room, homes []registry.Housing,
	cohort []registry.Incubation, events []registry.CultivationEvent, now time.Time) PlatformDetailView {
	v := PlatformDetailView{Page: page, Paths: paths, ID: p.ID, Name: p.Name, Kind: p.Kind,
		Incubator: p.Kind == registry.PlatformIncubator, Problems: map[string]string{}, entered: map[int64]time.Time{}}
	v.Facts = []Fact{{Label: "类型", Value: p.Kind}, {Label: "所属", Value: p.DivisionName}, {Label: "地址", Value: dash(p.Address)}, {Label: "开放时间", Value: dash(p.Hours)},
		{Label: "服务内容", Value: dash(strings.Join(p.Services, "、"))}, {Label: "工作人员", Value: strconv.Itoa(p.StaffCount) + " 人"},
		{Label: "联系人", Value: dash(p.ContactName)}, {Label: "运营方式", Value: registry.RunByLabel(p.RunBy)}}
	if p.RunBy == registry.RunByEntrusted {
		period := "—"
		if p.ContractFrom != nil && p.ContractTo != nil {
			period = Date(*p.ContractFrom) + " 至 " + Date(*p.ContractTo)
		}
		v.Facts = append(v.Facts, Fact{Label: "运营机构", Value: p.OperatorName + "（" + p.OperatorKind + "）"},
			Fact{Label: "委托期限", Value: period}, Fact{Label: "委托协议编号", Value: dash(p.ContractNo)})
	}
	monday := registry.WeekStart(now)
	v.HomeRoom = []Option{{Value: "", Label: "整个平台"}}
	for _, r := range rooms {
		v.Rooms = append(v.Rooms, RoomRow{Name: r.Name, Capacity: strconv.Itoa(r.Capacity) + " 人",
			Equipment: dash(r.Equipment), Href: paths.RoomWeek(p.ID, r.ID, monday)})
		v.HomeRoom = append(v.HomeRoom, Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Name})
	}
	for _, h := range homes {
		state := "已到期"
		switch d := registry.DateOf(now); {
		case h.Current(now):
			state = "安家中"
		case h.From.After(d):
			state = "未开始"
		}
		v.Homes = append(v.Homes, HomeRow{ID: h.ID, Org: h.OrgName, Room: dash(h.RoomName),
			Period: Date(h.From) + " 至 " + Date(h.To), Agreement: dash(h.Agreement), State: state})
	}
	v.Outcomes = registry.CohortOutcomes(cohort)
	for _, i := range cohort {
		row := CohortRow{Org: i.OrgName, Entered: Date(i.EnteredOn), Mentor: i.Mentor, Goals: i.Goals,
			Status: registry.IncubationStatusLabel(i.Status), StatusClass: StatusWarn, Outcome: "—"}
		switch i.Status {
		case registry.IncubationHatched:
			row.StatusClass, row.Outcome = StatusOK, Date(*i.LeftOn)+" 出壳，达到"+i.TierReached.Label()
		case registry.IncubationWithdrawn:
			row.StatusClass, row.Outcome = StatusBad, Date(*i.LeftOn)+" 退出："+i.Reason
		default:
			v.ActiveOptions = append(v.ActiveOptions, Option{Value: strconv.FormatInt(i.ID, 10), Label: i.OrgName})
			v.entered[i.ID] = i.EnteredOn
		}
		for _, m := range i.Milestones {
			row.Milestones = append(row.Milestones, Date(m.On)+" "+m.Note)
		}
		v.Cohort = append(v.Cohort, row)
	}
	v.Events = cultivationEventRows(events)
	return v
}

// SelectOrg offers orgs as the groups of the 安家 and 入孵 forms.
func (v *PlatformDetailView) SelectOrg(orgs []registry.OrgChoice) {
	for _, o := range orgs {
		v.OrgOptions = append(v.OrgOptions, Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name})
	}
}

// Selected is opts with value chosen.
func Selected(opts []Option, value string) []Option {
	out := make([]Option, len(opts))
	for i, o := range opts {
		o.Selected = o.Value == value
		out[i] = o
	}
	return out
}

// LeaveChoices are the ways an incubation ends.
func LeaveChoices(selected string) []Option {
	return []Option{{Value: registry.IncubationHatched, Label: "出壳", Selected: selected == registry.IncubationHatched},
		{Value: registry.IncubationWithdrawn, Label: "退出", Selected: selected == registry.IncubationWithdrawn}}
}

// TierReachedChoices are the tiers a group may reach on leaving incubation.
func TierReachedChoices(selected string) []Option {
	return []Option{
		{Value: string(registry.TierFiled), Label: registry.TierFiled.Label(), Selected: selected == string(registry.TierFiled)},
		{Value: string(registry.TierRegistered), Label: registry.TierRegistered.Label(), Selected: selected == string(registry.TierRegistered)},
	}
}

// RoomWeekView is a room's week as a printable calendar, with the booking form.
type RoomWeekView struct {
	Page
	PlatformName, PlatformHref string
	RoomName, Capacity         string
	Range                      string
	PrevHref, NextHref         string
	ExportHref                 string // the room's bookings as a spreadsheet
	Days                       []WeekDay
	CanBook                    bool
	BookAction                 string
	Seen                       string // the booking form's token: the room's bookings when shown
	OrgOptions                 []Option
	Org, Title                 Field
	StartsAt, EndsAt           Field
	Problems                   map[string]string
	Fairs                      RoomFairList // 洽谈会 held here (matching_view.go)
}

// WeekDay is one day column of the calendar.
type WeekDay struct {
	Label    string // 周一 12月7日
	Bookings []WeekBooking
}

// WeekBooking is one booking in a day's column.
type WeekBooking struct {
	ID           int64
	Time         string
	Org, Title   string
	BookedBy     string
	Cancelled    bool
	CancelReason string
	CancelAction string // "" when the viewer may not cancel it
	Week         string // the calendar's week, to return to after cancelling
	Reason       Field  // the cancel form's reason, kept with its message when it was refused
}

// RefuseCancel marks the cancel form of booking id with problem, keeping the reason typed; false when the
// week does not show that booking.
func (v *RoomWeekView) RefuseCancel(id int64, reason, problem string) bool {
	for d := range v.Days {
		for i := range v.Days[d].Bookings {
			if b := &v.Days[d].Bookings[i]; b.ID == id && b.CancelAction != "" {
				b.Reason = Field{Value: reason, Problem: problem}
				return true
			}
		}
	}
	return false
}

var weekdayNames = []string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// NewRoomWeek lays the bookings of the week starting on monday out by day.
func NewRoomWeek(page Page, paths Paths, p registry.Platform, room registry.Room, monday time.Time, bookings []registry.Booking, canCancel func(registry.Booking) bool) RoomWeekView {
	v := RoomWeekView{Page: page, PlatformName: p.Name, PlatformHref: paths.Platform(p.ID), RoomName: room.Name,
		Capacity: strconv.Itoa(room.Capacity) + " 人", Range: Date(monday) + " 至 " + Date(monday.AddDate(0, 0, 6)),
		PrevHref:   paths.RoomWeek(p.ID, room.ID, monday.AddDate(0, 0, -7)),
		ExportHref: paths.RoomBookingsExport(p.ID, room.ID),
		NextHref:   paths.RoomWeek(p.ID, room.ID, monday.AddDate(0, 0, 7)),
		BookAction: paths.Room(p.ID, room.ID) + "/bookings", Problems: map[string]string{}}
	for d := 0; d < 7; d++ {
		day := monday.AddDate(0, 0, d)
		wd := WeekDay{Label: weekdayNames[day.Weekday()] + " " + strconv.Itoa(int(day.Month())) + "月" + strconv.Itoa(day.Day()) + "日"}
		next := day.AddDate(0, 0, 1)
		for _, b := range bookings {
			if b.Starts.Before(day) || !b.Starts.Before(next) {
				continue
			}
			wb := WeekBooking{ID: b.ID, Time: b.Starts.In(beijing).Format("15:04") + "–" + b.Ends.In(beijing).Format("15:04"),
				Org: b.OrgName, Title: b.Title, BookedBy: b.BookedName, Cancelled: b.Status == registry.BookingCancelled,
				CancelReason: b.CancelReason, Week: monday.In(beijing).Format("2006-01-02")}
			if !wb.Cancelled && canCancel(b) {
				wb.CancelAction = paths.Room(p.ID, room.ID) + "/bookings/" + strconv.FormatInt(b.ID, 10) + "/cancel"
			}
			wd.Bookings = append(wd.Bookings, wb)
		}
		v.Days = append(v.Days, wd)
	}
	return v
}

// InputTime is a time as a datetime-local input holds it, in 北京时间.
func InputTime(t time.Time) string { return t.In(beijing).Format("2006-01-02T15:04") }
