// View models of registration applications (登记申请): the lists, the form, and the detail page with its history
// and the reviewer's actions.
package web

import (
	"slices"
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// ApplicationStatusLabel is an application's status as clerks say it, and its colour.
func ApplicationStatusLabel(s registry.ApplicationStatus) (string, StatusClass) {
	switch s {
	case registry.AppSubmitted:
		return "待受理", StatusWarn
	case registry.AppAccepted:
		return "已受理", StatusWarn
	case registry.AppCorrection:
		return "待补正", StatusBad
	case registry.AppApproved:
		return "已准予", StatusOK
	case registry.AppRejected:
		return "不予登记", StatusBad
	}
	return string(s), StatusWarn
}

// ApplicationStatusOptions is the list filter's choices with selected marked.
func ApplicationStatusOptions(selected registry.ApplicationStatus) []Option {
	out := []Option{{Value: "", Label: "全部", Selected: selected == ""}}
	for _, s := range registry.ApplicationStatuses {
		label, _ := ApplicationStatusLabel(s)
		out = append(out, Option{Value: string(s), Label: label, Selected: s == selected})
	}
	return out
}

// ApplicationLegalForms are the legal forms a group may apply to be registered as.
var ApplicationLegalForms = []rules.LegalForm{rules.FormSocialGroup, rules.FormPrivateNonEnterprise,
	rules.FormFoundation}

// ApplicationsView lists applications: the district's review queue, or a town's or committee's own, one
// keyset page at a time, newest first.
type ApplicationsView struct {
	Page
	Base          string // /district/applications …
	Heading       string
	Status        Field
	StatusOptions []Option
	Divisions     DivisionFilter
	Problems      map[string]string
	CanCreate     bool
	Rows          []ApplicationRow
	Paging        ListPaging
}

// ApplicationRow is one application in a list.
type ApplicationRow struct {
	ID          int64
	Href        string
	Number      string
	Name        string
	LegalForm   string
	Kind        string // 新设立 or the existing group's tier
	Place       string
	Status      string
	StatusClass StatusClass
	SubmittedAt string
	UpdatedAt   string
}

// ApplicationNumber is how an application is named on pages and in flashes: 登记申请第 12 号.
func ApplicationNumber(id int64) string { return "第 " + strconv.FormatInt(id, 10) + " 号" }

func applicationKind(a registry.Application) string {
	if a.NewGroup {
		return "新设立"
	}
	if a.Status == registry.AppApproved {
		return "已有组织申请登记"
	}
	return a.OrgTier.Label() + "组织申请登记"
}

// NewApplicationRow formats one application; base is the list's path.
func NewApplicationRow(a registry.Application, base string) ApplicationRow {
	status, class := ApplicationStatusLabel(a.Status)
	return ApplicationRow{ID: a.ID, Href: base + "/" + strconv.FormatInt(a.ID, 10), Number: ApplicationNumber(a.ID),
		Name: a.Name, LegalForm: string(a.LegalForm), Kind: applicationKind(a),
		Place: a.TownName + " " + a.CommunityName, Status: status, StatusClass: class,
		SubmittedAt: DateTime(a.SubmittedAt), UpdatedAt: DateTime(a.UpdatedAt)}
}

// ApplicationFormView is the application form: new (for a new group or an existing one) or, when the district
// returned it for correction, the same application prefilled with everything but the 身份证号.
type ApplicationFormView struct {
	Page
	Heading    string
	Action     string
	CancelHref string
	Editing    bool
	Version    int
	Correction string // what the reviewer asked to correct
	Problems   map[string]string

	// Choosing an existing group (new applications only): a GET form that reloads the page prefilled.
	PickHref   string
	OrgOptions []Option
	OrgID      int64  // the existing group the application is for, 0 for a new group
	OrgName    string // its current name

	Community        Field
	CommunityOptions []Option // a town chooses among its communities
	CommunityFixed   string   // a committee's own community, or the existing group's

	LegalForm        Field
	LegalFormOptions []Option
	Prefix           string // 行政区划 part of the name
	CommunityPart    string // 社区（村） part of the name, "" until a community is chosen
	Zihao            Field
	NameField        Field
	Form             Field
	FormChoices      []string
	ComposedName     string

	Fields        []Option // 服务领域, Selected = ticked
	Nature        Field
	NatureOptions []Option
	LeaderName    Field
	// PublishContact is the group's consent to show the leader's name publicly.
	PublishContact bool
	Phone          Field
	PhoneHint      string
	IDNumber       Field // never carries a value back to the page
	IDHint         string
	Venue          Field
	Members        Field
	Supervisor     Field
	Statement      Field
}

// Problem is the message for key, or "".
func (v ApplicationFormView) Problem(key string) string { return v.Problems[key] }

// SetProblems files each message beside its input.
func (v *ApplicationFormView) SetProblems(p map[string]string) {
	v.Problems = p
	for key, f := range map[string]*Field{
		"community": &v.Community, "legal_form": &v.LegalForm, "zihao": &v.Zihao, "field": &v.NameField,
		"form": &v.Form, "nature": &v.Nature, "leader_name": &v.LeaderName, "phone": &v.Phone,
		"id_number": &v.IDNumber, "venue": &v.Venue, "members": &v.Members, "supervisor": &v.Supervisor,
		"statement": &v.Statement,
	} {
		f.Problem = p[key]
	}
}

// ApplicationLegalFormChoices offers the three legal forms with selected marked.
func ApplicationLegalFormChoices(selected string) []Option {
	out := make([]Option, len(ApplicationLegalForms))
	for i, f := range ApplicationLegalForms {
		out[i] = Option{Value: string(f), Label: string(f), Selected: string(f) == selected}
	}
	return out
}

// ApplicationFormChoices are the 组织形式 of the three legal forms, for the form's suggestions.
func ApplicationFormChoices() []string {
	var out []string
	for _, f := range ApplicationLegalForms {
		for _, form := range f.Forms() {
			if !slices.Contains(out, form) {
				out = append(out, form)
			}
		}
	}
	return out
}

// FormHint says which 组织形式 each legal form may use.
func (v ApplicationFormView) FormHint() string {
	var parts []string
	for _, f := range ApplicationLegalForms {
		parts = append(parts, string(f)+"："+strings.Join(f.Forms(), "、"))
	}
	return strings.Join(parts, "；")
}

// ApplicationTicks offers values as checkboxes, with those in chosen ticked.
func ApplicationTicks(values, chosen []string) []Option {
	out := make([]Option, len(values))
	for i, v := range values {
		out[i] = Option{Value: v, Label: v, Selected: slices.Contains(chosen, v)}
	}
	return out
}

// ApplicationFact is one labelled value of an application; Who, when set, comes before the value.
type ApplicationFact struct {
	ID    string
	Label string
	Who   Who
	Value string
}

// ApplicationStep is one row of an application's history.
type ApplicationStep struct {
	At     string
	Actor  Who
	Action string
	Change string
	Reason string
}

// ApplicationDetailView is one application: its data (personal data masked), its history, and the actions the
// viewer may take in its current state.
type ApplicationDetailView struct {
	Page
	ID           int64
	Number       string
	Href         string
	ListHref     string
	Name         string
	Status       string
	StatusClass  StatusClass
	Correction   string // shown while 待补正
	RejectReason string
	OrgHref      string // the registered organization, once approved
	Facts        []ApplicationFact
	Steps        []ApplicationStep
	Version      int

	CanAccept   bool // 受理
	CanDecide   bool // 退回补正, 准予登记, 不予登记
	CanResubmit bool // the applicant edits and resubmits

	USCC           Field
	CorrectionNote Field
	Reason         Field
	Problems       map[string]string
}

// ApproveConfirm is what the approval form asks before anything happens.
func (v ApplicationDetailView) ApproveConfirm() string {
	return "确定准予登记“" + v.Name + "”吗？准予后该组织将成为登记的社会组织，统一社会信用代码写入组织档案，此操作不可撤回。"
}

// RejectConfirm is what the rejection form asks.
func (v ApplicationDetailView) RejectConfirm() string {
	return "确定对“" + v.Name + "”作出不予登记决定吗？决定及理由将通知申请单位并记入申请记录，此操作不可撤回。"
}

// NewApplicationDetail formats a and its history; base is the tier's root, e.g. /district.
func NewApplicationDetail(p Page, base string, a registry.Application, events []registry.ApplicationEvent) ApplicationDetailView {
	href := base + "/applications/" + strconv.FormatInt(a.ID, 10)
	status, class := ApplicationStatusLabel(a.Status)
	v := ApplicationDetailView{Page: p, ID: a.ID, Number: ApplicationNumber(a.ID), Href: href,
		ListHref: base + "/applications", Name: a.Name, Status: status, StatusClass: class, Version: a.Version,
		Problems: map[string]string{}}
	if a.Status == registry.AppCorrection {
		v.Correction = a.Correction
	}
	if a.Status == registry.AppRejected {
		v.RejectReason = a.RejectReason
	}
	if a.OrgID != 0 {
		v.OrgHref = base + "/orgs/" + strconv.FormatInt(a.OrgID, 10)
	}
	add := func(id, label, value string) {
		v.Facts = append(v.Facts, ApplicationFact{ID: id, Label: label, Value: appDash(value)})
	}
	add("number", "申请编号", v.Number)
	add("kind", "申请类型", applicationKind(a))
	if !a.NewGroup {
		add("org", "申请登记的组织", a.OrgName)
	}
	add("name", "拟登记名称", a.Name)
	add("legal-form", "组织类别", string(a.LegalForm))
	add("place", "所在社区（村）", a.TownName+" "+a.CommunityName)
	add("fields", "服务领域", strings.Join(a.Fields, "、"))
	add("nature", "性质", a.Nature)
	add("leader-name", "负责人", a.LeaderName)
	add("leader-phone", "负责人电话", a.LeaderPhone)
	add("leader-id", "负责人身份证号", a.LeaderID)
	add("venue", "活动场所", a.Venue)
	add("members", "成员人数", strconv.Itoa(a.Members))
	add("supervisor", "业务主管（指导）单位", a.Supervisor)
	add("statement", "申请说明", a.Statement)
	if a.USCC != "" {
		add("uscc", "统一社会信用代码", a.USCC)
	}
	v.Facts = append(v.Facts, ApplicationFact{ID: "submitted", Label: "提交",
		Who: NewWho(a.SubmittedByName, a.SubmittedByUsername), Value: DateTime(a.SubmittedAt)})
	if a.DecidedAt != nil {
		v.Facts = append(v.Facts, ApplicationFact{ID: "decided", Label: "决定",
			Who: NewWho(a.DecidedByName, a.DecidedByUsername), Value: DateTimePtr(a.DecidedAt)})
	}
	for _, e := range events {
		v.Steps = append(v.Steps, NewApplicationStep(e))
	}
	return v
}

// NewApplicationStep formats one history row.
func NewApplicationStep(e registry.ApplicationEvent) ApplicationStep {
	s := ApplicationStep{At: DateTime(e.At), Actor: NewWho(e.ActorDisplayName, e.ActorName), Reason: appDash(e.Reason)}
	to, _ := ApplicationStatusLabel(e.To)
	switch {
	case e.From == "":
		s.Action = "提交申请"
	case e.From == registry.AppCorrection:
		s.Action = "补正后重新提交"
	case e.To == registry.AppAccepted:
		s.Action = "受理"
	case e.To == registry.AppCorrection:
		s.Action = "退回补正"
	case e.To == registry.AppApproved:
		s.Action = "准予登记"
	case e.To == registry.AppRejected:
		s.Action = "不予登记"
	default:
		s.Action = to
	}
	if e.From == "" {
		s.Change = to
	} else {
		from, _ := ApplicationStatusLabel(e.From)
		s.Change = from + " → " + to
	}
	return s
}

func appDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// ApplicationExportHeader is the header row of an application export. Personal data appears masked only.
var ApplicationExportHeader = []string{"申请编号", "拟登记名称", "组织类别", "申请类型", "所在镇街", "社区(村)",
	"服务领域", "性质", "负责人", "负责人电话（已隐去部分号码）", "负责人身份证号（已隐去部分号码）", "活动场所", "成员人数",
	"业务主管（指导）单位", "状态", "统一社会信用代码", "提交人", "提交时间", "决定时间"}

// ApplicationExportCells is one application as an export row, appended to dst[:0] so that a long export reuses
// one slice. Text is neutralised against formulas by the export package, not here.
func ApplicationExportCells(a registry.Application, dst []any) []any {
	status, _ := ApplicationStatusLabel(a.Status)
	decided := ""
	if a.DecidedAt != nil {
		decided = DateTime(*a.DecidedAt)
	}
	return append(dst[:0], a.ID, a.Name, string(a.LegalForm), applicationKind(a), a.TownName, a.CommunityName,
		strings.Join(a.Fields, "、"), a.Nature, a.LeaderName, a.LeaderPhone, a.LeaderID, a.Venue, a.Members,
		a.Supervisor, status, a.USCC, NewWho(a.SubmittedByName, a.SubmittedByUsername).Name,
		DateTime(a.SubmittedAt), decided)
}
