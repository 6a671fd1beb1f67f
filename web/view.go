// Package web holds the templ pages, their typed view models and the static assets. Formatting of dates, labels
// and masks happens here, in the view models, never in SQL or in the templates.
package web

import (
	"embed"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
)

// Static holds the stylesheet and script, served under /static/.
//
//go:embed static
var Static embed.FS

// beijing is 北京时间.
var beijing = portal.Beijing

// DateTime formats t as 2021-07-21 09:30 in 北京时间; the zero time is "—".
func DateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(beijing).Format("2006-01-02 15:04")
}

// DateTimePtr is DateTime for an optional time.
func DateTimePtr(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return DateTime(*t)
}

// Date formats t as 2021年7月21日 in 北京时间.
func Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(beijing)
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// Page is what every page's layout needs.
type Page struct {
	Title string
	User  *UserBar // nil when nobody is signed in
	Nav   []NavItem
	Flash string
	// Refresh, when set, reloads the page every so many seconds (a running job's progress) without script.
	Refresh int
}

// UserBar is the signed-in person shown in the header.
type UserBar struct {
	DisplayName  string
	Username     string
	TierLabel    string
	DivisionName string
	Inbox        string // the 站内消息 page, with the unread count (Unread, "" for none)
	Unread       string
}

// NavItem is one link of a tier's navigation.
type NavItem struct {
	Label   string
	Href    string
	Current bool
}

// navigation is every tier's menu in order; an entry shows to the tiers the capability table grants its action.
var navigation = []struct {
	label, path string
	action      portal.Action
}{
	{"工作台", "", portal.ViewDashboard},
	{"社会组织", "/orgs", portal.ViewOrgs},
	{"备案管理", "/filings", portal.ViewFilings},
	{"登记申请", "/applications", portal.ViewApplications},
	{"活动报告", "/reports", portal.ViewReports},
	{"重大活动", "/notices", portal.ViewNotices},
	{"工作报告", "/work-reports", portal.ViewWorkReports},
	{"评估评议", "/evaluations", portal.ViewEvaluations},
	{"统计分析", "/stats", portal.ViewStats},
	{"目标考核", "/assessment", portal.ViewAssessment},
	{"骨干培训", "/training", portal.ViewTraining},
	{"支持平台", "/platforms", portal.ViewPlatforms},
	{"培育资金", "/funding", portal.ViewFunding},
	{"供需对接", "/matching", portal.ViewMatching},
	{"典型案例", "/cases", portal.ViewCases},
	{"通知公告", "/announcements", portal.ViewAnnouncements},
	{"社区办公", "/offices", portal.SetOffices},
	{"账号管理", "/accounts", portal.ManageAccounts},
	{"审计日志", "/audit", portal.ViewAudit},
	{"区划管理", "/divisions", portal.ManageDivisions}, // issue 17
}

// NewPage builds the layout model for a page titled title; current is the href of the active nav entry.
func NewPage(title string, a *portal.Account, current, flash string) Page {
	p := Page{Title: title, Flash: flash}
	if a == nil {
		return p
	}
	p.User = &UserBar{DisplayName: a.DisplayName, Username: a.Username, TierLabel: a.Tier.Label(),
		DivisionName: a.DivisionName}
	root := "/" + string(a.Tier)
	p.User.Inbox, p.User.Unread = inboxOf(*a)
	for _, n := range navigation {
		if portal.Allowed(*a, n.action) {
			p.Nav = append(p.Nav, NavItem{Label: n.label, Href: root + n.path})
		}
	}
	for i := range p.Nav {
		p.Nav[i].Current = p.Nav[i].Href == current
	}
	return p
}

// Option is one choice of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
	Group    string // optgroup label, "" for none
}

// Field is one form input's value and message, so that a failed form re-renders with what the user typed.
type Field struct {
	Value   string
	Problem string
}

// Bad reports whether the field has a message.
func (f Field) Bad() bool { return f.Problem != "" }

// StatusClass maps a status to the CSS class that colours it.
type StatusClass string

const (
	StatusOK   StatusClass = "ok"
	StatusWarn StatusClass = "warn"
	StatusBad  StatusClass = "bad"
)

// Check is one checkbox of a group; Checks and Choices build the checkbox groups and selects of every form.
type Check struct {
	Value   string
	Checked bool
}

// Checks offers values as checkboxes, with those in chosen ticked.
func Checks(values, chosen []string) []Check {
	out := make([]Check, len(values))
	for i, v := range values {
		out[i] = Check{Value: v}
		for _, c := range chosen {
			if c == v {
				out[i].Checked = true
			}
		}
	}
	return out
}

// optionChecks shows options as checkboxes, the selected ones ticked.
func optionChecks(opts []Option) []Check {
	out := make([]Check, len(opts))
	for i, o := range opts {
		out[i] = Check{Value: o.Value, Checked: o.Selected}
	}
	return out
}

// Choices offers values as select options with selected marked.
func Choices(values []string, selected string) []Option {
	out := make([]Option, len(values))
	for i, v := range values {
		out[i] = Option{Value: v, Label: v, Selected: v == selected}
	}
	return out
}
