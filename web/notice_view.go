// View models of major-activity notices (重大活动报告): the lists, the town's calendar, the form, and the detail
// page with its history and the actions of each tier.
package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
)

// NoticeStatusLabel is a notice's status as clerks say it, and its colour.
func NoticeStatusLabel(s registry.NoticeStatus) (string, StatusClass) {
	switch s {
	case registry.NoticeSubmitted:
		return "待确认", StatusWarn
	case registry.NoticeAcknowledged:
		return "已确认", StatusOK
	case registry.NoticeChangesRequested:
		return "需修改", StatusBad
	case registry.NoticeWithdrawn:
		return "已撤回", ""
	}
	return string(s), StatusWarn
}

// NoticeUrgentLabel marks a notice still waiting for the town close to (or past) its start.
const NoticeUrgentLabel = "临近未确认"

// NoticeStatusOptions is the state filter's choices with selected marked.
func NoticeStatusOptions(selected registry.NoticeStatus) []Option {
	out := []Option{{Value: "", Label: "全部", Selected: selected == ""}}
	for _, s := range registry.NoticeStatuses {
		label, _ := NoticeStatusLabel(s)
		out = append(out, Option{Value: string(s), Label: label, Selected: s == selected})
	}
	return out
}

// NoticeKindOptions is the kind filter's choices (with 全部 first) with selected marked.
func NoticeKindOptions(selected string) []Option {
	return append([]Option{{Value: "", Label: "全部", Selected: selected == ""}}, Choices(registry.NoticeKinds, selected)...)
}

// NoticeNumber is how a notice is named on pages and in flashes: 第 12 号.
func NoticeNumber(id int64) string { return "第 " + strconv.FormatInt(id, 10) + " 号" }

// NoticePeriod formats an activity's time: 2021-07-21 09:30 至 11:30 on one day, both in full across days.
func NoticePeriod(from, to time.Time) string {
	f, t := from.In(beijing), to.In(beijing)
	if f.Year() == t.Year() && f.YearDay() == t.YearDay() {
		return DateTime(f) + " 至 " + t.Format("15:04")
	}
	return DateTime(f) + " 至 " + DateTime(t)
}

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// NoticeRow is one notice in a list or on the calendar.
type NoticeRow struct {
	ID          int64
	Href        string
	Number      string
	Title       string
	Kind        string
	Place       string // town and community
	Venue       string // where the activity is held
	Organizer   string
	Period      string
	Time        string // the start's time of day, for the calendar
	Attendance  string
	Status      string
	StatusClass StatusClass
	Urgent      bool // 待确认 and starting within three days, or started
	SubmittedAt string
}

// NewNoticeRow formats one notice; base is the tier's root (e.g. /town) and now decides urgency.
func NewNoticeRow(n registry.Notice, base string, now time.Time) NoticeRow {
	status, class := NoticeStatusLabel(n.Status)
	return NoticeRow{ID: n.ID, Href: base + "/notices/" + strconv.FormatInt(n.ID, 10), Number: NoticeNumber(n.ID),
		Title: n.Title, Kind: n.Kind, Place: n.TownName + " " + n.CommunityName, Venue: n.Place,
		Organizer: n.Organizer, Period: NoticePeriod(n.StartsAt, n.EndsAt),
		Time: n.StartsAt.In(beijing).Format("15:04"), Attendance: strconv.Itoa(n.Attendance) + " 人",
		Status: status, StatusClass: class, Urgent: n.Urgent(now), SubmittedAt: DateTime(n.SubmittedAt)}
}

// NoticeFilterForm is a notice list's filter as typed, with a message per refused value.
type NoticeFilterForm struct {
	Divisions     DivisionFilter
	Kind          Field
	KindOptions   []Option
	Status        Field
	StatusOptions []Option
	From          Field // 2021-07-21
	To            Field
}

// NoticeListView lists notices, the latest reported first, one keyset page at a time: a committee's own, a
// town's, or the district's read-only list.
type NoticeListView struct {
	Page
	Heading      string
	Base         string // the list's path, e.g. /district/notices
	CalendarHref string // the town's calendar, "" for other tiers
	CanCreate    bool
	ShowTown     bool
	Filter       NoticeFilterForm
	Problems     map[string]string
	Rows         []NoticeRow
	Paging       ListPaging
}

// NoticeDay is one day of the town's calendar.
type NoticeDay struct {
	ID    string // 2021-07-21, for anchors and tests
	Label string // 2021年7月21日 星期三
	Today bool
	Rows  []NoticeRow
}

// NoticeCalendarView is the town's calendar of upcoming notices and its table of those waiting to be
// acknowledged.
type NoticeCalendarView struct {
	Page
	ListHref string // the town's full, filterable list with its export
	Range    string // 2021年7月21日 至 2021年9月18日
	Days     []NoticeDay
	Waiting  []NoticeRow
	Urgent   int
	Capped   bool
}

// NewNoticeDays groups notices (earliest first) by their day in 北京时间; days without notices are left out.
func NewNoticeDays(notices []registry.Notice, base string, now time.Time) []NoticeDay {
	var days []NoticeDay
	today := now.In(beijing).Format("2006-01-02")
	for _, n := range notices {
		start := n.StartsAt.In(beijing)
		id := start.Format("2006-01-02")
		if len(days) == 0 || days[len(days)-1].ID != id {
			days = append(days, NoticeDay{ID: id, Label: Date(start) + " " + weekdays[start.Weekday()], Today: id == today})
		}
		d := &days[len(days)-1]
		d.Rows = append(d.Rows, NewNoticeRow(n, base, now))
	}
	return days
}

// NoticeFormView is the notice form: new, or (需修改) the same notice prefilled with the town's request shown.
type NoticeFormView struct {
	Page
	Heading    string
	Action     string
	CancelHref string
	Editing    bool
	Version    int
	Request    string // what the town asked to change
	Problems   map[string]string

	CommunityName string
	Org           Field
	OrgOptions    []Option
	Kind          Field
	KindOptions   []Option
	Title         Field
	StartsAt      Field // 2021-07-21T09:30, as a datetime-local input sends it
	EndsAt        Field
	Place         Field
	Attendance    Field
	Organizer     Field
	Safety        Field
	ContactName   Field
	Phone         Field
	PhoneHint     string
	MinStart      string // the earliest start the browser offers
}

// SetProblems files each message beside its input.
func (v *NoticeFormView) SetProblems(p map[string]string) {
	v.Problems = p
	for key, f := range map[string]*Field{
		"org": &v.Org, "kind": &v.Kind, "title": &v.Title, "starts_at": &v.StartsAt, "ends_at": &v.EndsAt,
		"place": &v.Place, "attendance": &v.Attendance, "organizer": &v.Organizer, "safety": &v.Safety,
		"contact_name": &v.ContactName, "phone": &v.Phone,
	} {
		f.Problem = p[key]
	}
}

// NoticeInputTime is how a time fills a datetime-local input: 2021-07-21T09:30 in 北京时间.
func NoticeInputTime(t time.Time) string { return t.In(beijing).Format("2006-01-02T15:04") }

// NoticeFact is one labelled value of a notice; Who, when set, comes before the value.
type NoticeFact struct {
	ID    string
	Label string
	Who   Who
	Value string
}

// NoticeStep is one row of a notice's history.
type NoticeStep struct {
	At     string
	Actor  Who
	Action string
	Change string
	Reason string
}

// NoticeDetailView is one notice: its data (the contact phone masked), its history, and the actions the viewer
// may take in its current state.
type NoticeDetailView struct {
	Page
	ID          int64
	Number      string
	Href        string
	ListHref    string
	Title       string
	Status      string
	StatusClass StatusClass
	Urgent      bool
	Request     string // the town's request for changes, while 需修改
	Withdrawn   string // the committee's reason, once 已撤回
	OrgHref     string
	Facts       []NoticeFact
	Steps       []NoticeStep
	Version     int

	CanDecide   bool // the town: 确认 and 要求修改
	CanEdit     bool // the committee: edit and resubmit, while 需修改
	CanWithdraw bool // the committee, until the activity starts
	CanReveal   bool // the town: the contact's full phone, with a reason

	Changes        Field // 要求修改: what to change
	WithdrawReason Field
	RevealReason   Field
	RevealedPhone  string
	Problems       map[string]string
}

// WithdrawConfirm is what the withdrawal form asks before anything happens.
func (v NoticeDetailView) WithdrawConfirm() string {
	return "确定撤回“" + v.Title + "”的重大活动报告吗？撤回后镇街将不再把该活动列入日程，此操作不可恢复；如仍要举办，需重新报告。"
}

// AcknowledgeConfirm is what the acknowledgement form asks.
func (v NoticeDetailView) AcknowledgeConfirm() string {
	return "确定确认“" + v.Title + "”的重大活动报告吗？确认后村(居)委会将看到“已确认”。"
}

// NewNoticeDetail formats n and its history; base is the tier's root, e.g. /town.
func NewNoticeDetail(p Page, base string, n registry.Notice, events []registry.NoticeEvent, now time.Time) NoticeDetailView {
	href := base + "/notices/" + strconv.FormatInt(n.ID, 10)
	status, class := NoticeStatusLabel(n.Status)
	v := NoticeDetailView{Page: p, ID: n.ID, Number: NoticeNumber(n.ID), Href: href, ListHref: base + "/notices",
		Title: n.Title, Status: status, StatusClass: class, Urgent: n.Urgent(now), Version: n.Version,
		Problems: map[string]string{}}
	switch n.Status {
	case registry.NoticeChangesRequested:
		v.Request = n.Reason
	case registry.NoticeWithdrawn:
		v.Withdrawn = noticeDash(n.Reason)
	}
	if n.OrgID != 0 {
		v.OrgHref = base + "/orgs/" + strconv.FormatInt(n.OrgID, 10)
	}
	add := func(id, label, value string) {
		v.Facts = append(v.Facts, NoticeFact{ID: id, Label: label, Value: noticeDash(value)})
	}
	add("number", "报告编号", v.Number)
	add("kind", "活动类别", n.Kind)
	add("title", "活动名称", n.Title)
	add("period", "活动时间", NoticePeriod(n.StartsAt, n.EndsAt))
	add("venue", "活动地点", n.Place)
	add("attendance", "预计参加人数", strconv.Itoa(n.Attendance)+" 人")
	add("organizer", "主办单位", n.Organizer)
	org := n.OrgName
	if n.OrgID == 0 {
		org = "村(居)委会自行组织"
	}
	add("org", "组织团体", org)
	add("place", "报告单位", n.TownName+" "+n.CommunityName)
	add("safety", "安全措施", n.Safety)
	add("contact-name", "联系人", n.ContactName)
	add("contact-phone", "联系电话", n.ContactPhone)
	v.Facts = append(v.Facts, NoticeFact{ID: "submitted", Label: "报告",
		Who: NewWho(n.SubmittedByName, n.SubmittedByUsername), Value: DateTime(n.SubmittedAt)})
	if n.DecidedAt != nil {
		v.Facts = append(v.Facts, NoticeFact{ID: "decided", Label: "镇街处理",
			Who: NewWho(n.DecidedByName, n.DecidedByUsername), Value: DateTimePtr(n.DecidedAt)})
	}
	for _, e := range events {
		v.Steps = append(v.Steps, NewNoticeStep(e))
	}
	return v
}

// NewNoticeStep formats one history row.
func NewNoticeStep(e registry.NoticeEvent) NoticeStep {
	s := NoticeStep{At: DateTime(e.At), Actor: NewWho(e.ActorDisplayName, e.ActorName), Reason: noticeDash(e.Reason)}
	to, _ := NoticeStatusLabel(e.To)
	switch {
	case e.From == "":
		s.Action = "提交报告"
	case e.To == registry.NoticeSubmitted:
		s.Action = "修改后重新提交"
	case e.To == registry.NoticeAcknowledged:
		s.Action = "确认"
	case e.To == registry.NoticeChangesRequested:
		s.Action = "要求修改"
	case e.To == registry.NoticeWithdrawn:
		s.Action = "撤回"
	default:
		s.Action = to
	}
	if e.From == "" {
		s.Change = to
	} else {
		from, _ := NoticeStatusLabel(e.From)
		s.Change = from + " → " + to
	}
	return s
}

func noticeDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// NoticeExportHeader is the header row of a notice export. The contact's phone appears masked only.
var NoticeExportHeader = []string{"报告编号", "活动名称", "活动类别", "开始时间", "结束时间", "活动地点", "所在镇街",
	"社区(村)", "主办单位", "组织团体", "预计参加人数", "联系人", "联系电话（已隐去部分号码）", "状态", "报告人", "报告时间",
	"镇街处理时间"}

// NoticeExportCells is one notice as an export row, appended to dst[:0] so that a long export reuses one slice.
// Text is neutralised against formulas by the export package, not here.
func NoticeExportCells(n registry.Notice, dst []any) []any {
	status, _ := NoticeStatusLabel(n.Status)
	org := n.OrgName
	if n.OrgID == 0 {
		org = "村(居)委会自行组织"
	}
	decided := ""
	if n.DecidedAt != nil {
		decided = DateTime(*n.DecidedAt)
	}
	return append(dst[:0], n.ID, n.Title, n.Kind, DateTime(n.StartsAt), DateTime(n.EndsAt), n.Place, n.TownName,
		n.CommunityName, n.Organizer, org, n.Attendance, n.ContactName, n.ContactPhone, status,
		NewWho(n.SubmittedByName, n.SubmittedByUsername).Name, DateTime(n.SubmittedAt), decided)
}
