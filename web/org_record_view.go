// View models of one organization's record: the guided group's form, the detail page with its timeline, and the
// formatting of masks, dates and labels they show.
package web

import (
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/registry"
)

// OrgFormView is the short form of a 村(居)委会's guided group, for a new group or an edit. The 行政区划 and
// 社区(村) parts of the name are fixed by the group's community and shown read-only.
type OrgFormView struct {
	Page
	Heading      string
	Action       string // where the form posts
	CancelHref   string
	Editing      bool
	Version      int
	TierLabel    string
	LegalForm    string
	Prefix       string // 行政区划 part of the name, e.g. 渝北区双龙湖街道
	Community    string // 社区（村） part of the name
	ComposedName string // the whole name as composed from the parts, after a submit or a preview
	Previewed    bool   // the page answers the 预览名称 button: nothing was saved
	Registered   bool   // a registered group: its name and leader are 登记事项, shown read-only (issue 17)
	Problems     map[string]string

	Zihao            Field
	NameField        Field // 业务领域 part of the name
	Form             Field // 组织形式
	FormChoices      []string
	FieldSuggestions []string

	Fields        []Check // 服务领域
	Nature        Field
	NatureOptions []Option
	Beneficiaries []Check // 服务对象
	FoundedOn     Field
	LeaderName    Field
	// PublishContact is the group's consent to show the leader's name publicly.
	PublishContact bool
	Phone          Field
	PhoneHint      string
	IDNumber       Field // never carries a value back to the page
	IDHint         string
	Venue          Field
	Members        Field
	Volunteers     Field
	Charter        Field
	PartyStatus    Field
	PartyOptions   []Option
	PartyMembers   Field
}

// Problem is the message for key, or "".
func (v OrgFormView) Problem(key string) string { return v.Problems[key] }

// SetProblems files each message beside its input; the name's parts and the checkbox groups read theirs
// through Problem.
func (v *OrgFormView) SetProblems(p map[string]string) {
	v.Problems = p
	for key, f := range map[string]*Field{
		"zihao": &v.Zihao, "field": &v.NameField, "form": &v.Form, "nature": &v.Nature,
		"founded_on": &v.FoundedOn, "leader_name": &v.LeaderName, "phone": &v.Phone, "id_number": &v.IDNumber,
		"venue": &v.Venue, "members": &v.Members, "volunteers": &v.Volunteers, "charter": &v.Charter,
		"party_status": &v.PartyStatus, "party_members": &v.PartyMembers,
	} {
		f.Problem = p[key]
	}
}

// Fact is one labelled value of a record.
type Fact struct {
	ID    string // for tests and print styles
	Label string
	Value string
	Lines []string // a multi-line value (简易章程), shown line by line
}

// EventRow is one row of a timeline.
type EventRow struct {
	At     string
	Actor  Who
	Action string
	Change string
	Reason string
}

// RevealedLeader is the leader's full phone and 身份证号, shown once after an audited request.
type RevealedLeader struct {
	Phone    string
	IDNumber string
	Reason   string
}

// OrgDetailView is one organization's page: its record, timeline and the actions the viewer may take.
type OrgDetailView struct {
	Page
	ID          int64
	Href        string // this page
	ListHref    string
	Name        string
	TierLabel   string
	Status      string
	StatusClass StatusClass
	Ended       bool   // 已注销 or 已撤销: shown prominently
	StatusLine  string // "于 2021年7月21日 已注销；原因：…", when not 正常
	Demo        bool
	Facts       []Fact
	Timeline    []EventRow

	CanEdit   bool
	CanStatus bool
	CanReveal bool
	CanEnd    bool // the committee may 注销 its guided group
	Version   int

	StatusOptions []Option
	StatusTo      Field
	StatusOn      Field
	StatusReason  Field
	RevealReason  Field
	Revealed      *RevealedLeader
	Problems      map[string]string
	Links         OrgLinks

	PartyMeetings PartyMeetingsView // 三会一课 (party_meetings.templ)
	Contacts      OrgContactsView   // 联系人 (org_contacts.templ, issue 15)
	Charity       CharitySection    // 慈善组织认定 (charity.templ, issue 15)
	// RegistrationChangeHref is the district's 变更登记 of a live registered group, "" when not offered (issue 17).
	RegistrationChangeHref string
	Projects               OrgProjects // 服务项目 and 品牌项目 (matching_view.go)
	Flow                   OrgFlow     // 成立备案 on this record, transfers (org_flow_view.go)
}

// StatusConfirm is what the status form asks before it changes anything.
func (v OrgDetailView) StatusConfirm() string {
	return "确定变更“" + v.Name + "”的状态吗？变更为“已注销”或“已撤销”后，该组织不再计入在册组织，名称可被其他组织使用；" +
		"变更将记入组织档案的时间线和审计日志，不可删除。"
}

// StatusClassOf colours a status.
func StatusClassOf(s registry.Status) StatusClass {
	switch s {
	case registry.StatusNormal:
		return StatusOK
	case registry.StatusAbnormal:
		return StatusWarn
	}
	return StatusBad
}

// NewOrgDetailView formats o and its timeline; base is the tier's root, e.g. /town.
func NewOrgDetailView(p Page, o registry.Organization, events []registry.Event, base string) OrgDetailView {
	href := base + "/orgs/" + strconv.FormatInt(o.ID, 10)
	v := OrgDetailView{Page: p, ID: o.ID, Href: href, ListHref: base + "/orgs", Name: o.Name,
		TierLabel: o.Tier.Label(), Status: o.Status.Label(), StatusClass: StatusClassOf(o.Status),
		Ended: !o.Status.Live(), Demo: o.Demo, Version: o.Version, Problems: map[string]string{}}
	if o.Status != registry.StatusNormal {
		line := o.Status.Label()
		if o.StatusOn != nil {
			line = "于 " + Date(*o.StatusOn) + " " + line
		}
		if o.StatusReason != "" {
			line += "；原因：" + o.StatusReason
		}
		v.StatusLine = line
	}
	add := func(id, label, value string) {
		v.Facts = append(v.Facts, Fact{ID: id, Label: label, Value: recordDash(value)})
	}
	add("name", "名称", o.Name)
	add("tier", "管理层级", o.Tier.Label())
	add("legal-form", "组织类别", string(o.LegalForm))
	if o.FilingNo != "" {
		add("filing-no", "备案编号", o.FilingNo)
	}
	if o.USCC != "" {
		add("uscc", "统一社会信用代码", o.USCC)
	}
	add("division", "所在社区（村）", o.TownName+" "+o.CommunityName)
	add("fields", "服务领域", strings.Join(o.Fields, "、"))
	add("nature", "性质", o.Nature)
	add("beneficiaries", "服务对象", strings.Join(o.Beneficiaries, "、"))
	if o.FoundedOn != nil {
		add("founded-on", "成立日期", Date(*o.FoundedOn))
	} else {
		add("founded-on", "成立日期", "")
	}
	add("leader-name", "负责人", o.LeaderName)
	add("leader-phone", "负责人电话", o.LeaderPhone)
	add("leader-id", "负责人身份证号", o.LeaderID)
	add("venue", "活动场所", o.Venue)
	add("members", "成员人数", strconv.Itoa(o.Members))
	add("volunteers", "志愿者人数", strconv.Itoa(o.Volunteers))
	if o.Funding != "" {
		add("funding", "活动资金来源", o.Funding)
	}
	if o.GuideUnit != "" {
		add("guide-unit", "指导单位", o.GuideUnit)
	}
	add("party", "党建", o.PartyStatus+"，党员 "+strconv.Itoa(o.PartyMembers)+" 人")
	if o.Incubation != "" {
		add("incubation", "孵化基地", o.Incubation)
	}
	v.Facts = append(v.Facts, Fact{ID: "charter", Label: "简易章程", Value: recordDash(o.Charter),
		Lines: strings.Split(strings.ReplaceAll(recordDash(o.Charter), "\r\n", "\n"), "\n")})
	add("status", "状态", o.Status.Label())
	add("created-at", "建档时间", DateTime(o.CreatedAt))
	add("updated-at", "最近更新", DateTime(o.UpdatedAt))
	for _, e := range events {
		v.Timeline = append(v.Timeline, NewEventRow(e))
	}
	for _, s := range registry.Statuses {
		if s != o.Status {
			v.StatusOptions = append(v.StatusOptions, Option{Value: string(s), Label: s.Label()})
		}
	}
	return v
}

// SelectStatus marks the status the clerk chose on a failed status form.
func (v *OrgDetailView) SelectStatus(s string) {
	for i := range v.StatusOptions {
		v.StatusOptions[i].Selected = v.StatusOptions[i].Value == s
	}
}

// NewEventRow formats one timeline row: status and tier codes become the words clerks use.
func NewEventRow(e registry.Event) EventRow {
	r := EventRow{At: DateTime(e.At), Actor: NewWho(e.ActorDisplay, e.ActorName), Action: registry.EventLabel(e.Kind),
		Reason: recordDash(e.Reason)}
	switch e.Kind {
	case "created":
		r.Change = "建档为" + registry.Tier(e.To).Label() + "组织"
	case "status_changed":
		r.Change = registry.Status(e.From).Label() + " → " + registry.Status(e.To).Label()
	case "tier_changed":
		r.Change = registry.Tier(e.From).Label() + " → " + registry.Tier(e.To).Label()
	case "updated":
		// the changed fields are the row's substance; a plain edit asks for no reason
		r.Change, r.Reason = "变更了："+e.Reason, "—"
	case "filed":
		r.Change = "备案编号 " + e.To
	case "registered":
		r.Change = "统一社会信用代码 " + e.To
	case "registration_changed":
		r.Change = "变更了：" + e.To
	default:
		switch {
		case e.From != "" && e.To != "":
			r.Change = e.From + " → " + e.To
		case e.To != "":
			r.Change = e.To
		default:
			r.Change = "—"
		}
	}
	return r
}

func recordDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func recordJoin(words []string) string { return strings.Join(words, "、") }
