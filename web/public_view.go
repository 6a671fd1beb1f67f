// View models of the public side: the directory, a group's profile, a division's page, the verification by
// number and the open data. Nothing here is personal; the store never hands it a phone or 身份证号.
package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
)

// PublicForm is the directory's filter as the resident set it, kept to re-show it.
type PublicForm struct {
	Query, Field, Tier, Status, Sort Field
	Closed                           bool
	Divisions                        DivisionFilter
}

// Values is the form as a link's query, empty values left out.
func (f PublicForm) Values() url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{{"q", f.Query.Value}, {"town", f.Divisions.Town.Value}, {"community", f.Divisions.Community.Value},
		{"field", f.Field.Value}, {"tier", f.Tier.Value}, {"status", f.Status.Value}, {"sort", f.Sort.Value}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if f.Closed {
		v.Set("closed", "1")
	}
	return v
}

// PublicOrgItem is one group of the directory.
type PublicOrgItem struct {
	Href        string
	Name        string
	Tier        string
	Place       string
	Fields      string
	Status      string
	StatusClass StatusClass
	Closed      string // "2024年5月1日注销：成员解散" for a dissolved or revoked group
	Founded     string
}

// NewPublicOrgItem formats a directory row.
func NewPublicOrgItem(o registry.PublicOrgRow) PublicOrgItem {
	it := PublicOrgItem{Href: "/orgs/" + strconv.FormatInt(o.ID, 10), Name: o.Name, Tier: o.Tier.Label(),
		Place: o.TownName + " · " + o.CommunityName, Fields: strings.Join(o.Fields, "、"),
		Status: o.Status.Label(), StatusClass: StatusClassOf(o.Status)}
	if o.FoundedOn != nil {
		it.Founded = Date(*o.FoundedOn)
	}
	it.Closed = closedLine(o.Status, o.StatusOn, o.StatusReason)
	return it
}

// closedLine says when and why a dissolved or revoked group ended; "" for a live one.
func closedLine(s registry.Status, on *time.Time, reason string) string {
	if s.Live() {
		return ""
	}
	line := s.Label()
	if on != nil {
		line = Date(*on) + line
	}
	if reason != "" {
		line += "：" + reason
	}
	return line
}

// PublicDirectoryView is the public directory /orgs.
type PublicDirectoryView struct {
	Page
	Form          PublicForm
	Problems      map[string]string
	FieldOptions  []Option
	TierOptions   []Option
	StatusOptions []Option
	SortOptions   []Option
	Rows          []PublicOrgItem
	Listed        bool   // the filter was accepted and the list read
	Summary       string // what the list shows
	Partial       bool   // the page stopped at the search's bound before it filled
	NextHref      string
	FirstHref     string
}

// NewPublicDirectoryView builds the directory's page with its division filter.
func NewPublicDirectoryView(p Page, f PublicForm, problems map[string]string, divisions DivisionFilter) PublicDirectoryView {
	f.Divisions = divisions
	v := PublicDirectoryView{Page: p, Form: f, Problems: problems}
	v.FieldOptions = []Option{{Value: "", Label: "全部领域"}}
	for _, x := range registry.Fields {
		v.FieldOptions = append(v.FieldOptions, Option{Value: x, Label: x, Selected: x == f.Field.Value})
	}
	v.TierOptions = []Option{{Value: "", Label: "全部层级"}}
	for _, t := range registry.Tiers {
		v.TierOptions = append(v.TierOptions, Option{Value: string(t), Label: t.Label(), Selected: string(t) == f.Tier.Value})
	}
	v.StatusOptions = []Option{{Value: "", Label: "正常和活动异常"}}
	for _, s := range registry.Statuses {
		v.StatusOptions = append(v.StatusOptions, Option{Value: string(s), Label: s.Label(), Selected: string(s) == f.Status.Value})
	}
	v.SortOptions = []Option{{Value: "", Label: "最新成立在前", Selected: f.Sort.Value == ""},
		{Value: "name", Label: "按名称", Selected: f.Sort.Value == "name"}}
	return v
}

// SetPage fills the rows and the page links of an accepted filter; next is nil on the last page.
func (v *PublicDirectoryView) SetPage(page registry.PublicPage, first bool) {
	v.Listed = true
	v.Rows = make([]PublicOrgItem, 0, len(page.Rows))
	for _, o := range page.Rows {
		v.Rows = append(v.Rows, NewPublicOrgItem(o))
	}
	v.Partial = page.Partial
	q := v.Form.Values()
	if !first {
		v.FirstHref = "/orgs?" + q.Encode()
	}
	if page.Next != nil {
		q.Set("after", strconv.FormatInt(page.Next.ID, 10))
		if v.Form.Sort.Value == "name" {
			q.Set("after_name", page.Next.Name)
		}
		v.NextHref = "/orgs?" + q.Encode()
	}
	switch {
	case len(v.Rows) == 0 && page.Next != nil:
		v.Summary = "已查找部分记录，暂未找到符合条件的组织，可点击“继续查找”查找更早登记的组织。"
	case len(v.Rows) == 0:
		v.Summary = "没有符合条件的组织。可以换一个词，或减少筛选条件。"
	case v.Form.Query.Value != "":
		v.Summary = "名称含“" + v.Form.Query.Value + "”的组织，本页 " + strconv.Itoa(len(v.Rows)) + " 个"
	default:
		v.Summary = "本页 " + strconv.Itoa(len(v.Rows)) + " 个组织"
	}
}

// PublicOfficeView is how to reach a community's groups: its committee's public office.
type PublicOfficeView struct {
	Name    string // 某某社区居委会
	Phone   string
	Address string
	Hours   string
	Set     bool // the town or district has recorded the office
}

func newPublicOffice(o registry.CommunityOffice, kind string) PublicOfficeView {
	committee := "居委会"
	if kind == "村" {
		committee = "村委会"
	}
	return PublicOfficeView{Name: o.TownName + o.CommunityName + committee, Phone: o.Phone, Address: o.Address,
		Hours: o.Hours, Set: o.Phone != "" || o.Address != ""}
}

// PublicFact is one line of a profile: a label and its value.
type PublicFact struct {
	Label string
	Value string
}

// facts collects the lines of a profile or a check, leaving out the empty ones.
type facts []PublicFact

func (f *facts) add(label, value string) {
	if value != "" {
		*f = append(*f, PublicFact{label, value})
	}
}

// identity adds what identifies a group: its tier and legal form, its number, its town and community.
func (f *facts) identity(t registry.Tier, legal, uscc, filingNo, town, community string) {
	f.add("管理层级", t.Label())
	f.add("组织形式", legal)
	f.add("统一社会信用代码", uscc)
	f.add("备案编号", filingNo)
	f.add("所在镇街", town)
	f.add("所在社区（村）", community)
}

// PublicProfileView is a group's public profile /orgs/{id}.
type PublicProfileView struct {
	Page
	Name          string
	Status        string
	StatusClass   StatusClass
	Closed        string
	Facts         []PublicFact
	Office        PublicOfficeView
	Contact       string // the leader's name, only when the group publishes it
	Activities    []PublicFact
	TownHref      string
	TownName      string
	CommunityHref string
	CommunityName string
	Demo          bool
	Cases         []CaseCard      // its published 典型案例
	Disclosures   DisclosuresView // 信息公开 (disclosures_view.go)

	Photos []PublicPhotoItem // photos the committee marked public (public_photos_view.go)
	Brands OrgProjects       // 品牌项目 (matching_view.go)
}

// NewPublicProfileView formats a profile.
func NewPublicProfileView(p Page, o registry.PublicOrg) PublicProfileView {
	v := PublicProfileView{Page: p, Name: o.Name, Status: o.Status.Label(), StatusClass: StatusClassOf(o.Status),
		Closed: closedLine(o.Status, o.StatusOn, o.StatusReason), Contact: o.LeaderName, Demo: o.Demo,
		TownHref: "/divisions/" + o.TownCode, TownName: o.TownName, CommunityHref: "/divisions/" + o.CommunityCode,
		CommunityName: o.CommunityName}
	var f facts
	f.identity(o.Tier, string(o.LegalForm), o.USCC, o.FilingNo, o.TownName, o.CommunityName)
	f.add("服务领域", strings.Join(o.Fields, "、"))
	f.add("性质", o.Nature)
	f.add("服务对象", strings.Join(o.Beneficiaries, "、"))
	if o.FoundedOn != nil {
		f.add("成立日期", Date(*o.FoundedOn))
	}
	if o.Grade != "" {
		f.add("评估评议", strconv.Itoa(o.GradeYear)+"年度 "+o.Grade.Label())
	}
	v.Facts = f
	kind := "社区"
	if strings.HasSuffix(o.CommunityName, "村") {
		kind = "村"
	}
	v.Office = newPublicOffice(o.Office, kind)
	for _, a := range o.Activities {
		v.Activities = append(v.Activities, PublicFact{Label: Date(a.Date), Value: a.Title + "（" + a.Series + "）"})
	}
	return v
}

// PublicDivisionView is a town's or a community's public page /divisions/{code}.
type PublicDivisionView struct {
	Page
	Name       string
	Kind       string
	ParentName string
	ParentHref string
	Live       string
	Office     PublicOfficeView
	Community  bool
	Children   []PublicChildItem
	Rows       []PublicOrgItem
	MoreHref   string
	Demo       bool
}

// PublicChildItem is a community of a town's page.
type PublicChildItem struct {
	Href string
	Name string
	Live string
}

// NewPublicDivisionView formats a division's page; rows are its newest groups (a community's).
func NewPublicDivisionView(p Page, d registry.PublicDivision, rows []registry.PublicOrgRow) PublicDivisionView {
	v := PublicDivisionView{Page: p, Name: d.Name, Kind: d.Kind, ParentName: d.ParentName,
		Live: strconv.FormatInt(d.Live, 10), Community: len(d.Code) == 12, Demo: d.Demo}
	q := url.Values{}
	if v.Community {
		v.ParentHref = "/divisions/" + d.ParentCode
		v.Office = newPublicOffice(d.Office, d.Kind)
		q.Set("town", d.ParentCode)
		q.Set("community", d.Code)
	} else {
		q.Set("town", d.Code)
	}
	v.MoreHref = "/orgs?" + q.Encode()
	for _, c := range d.Children {
		v.Children = append(v.Children, PublicChildItem{Href: "/divisions/" + c.Code, Name: c.Name,
			Live: strconv.FormatInt(c.Live, 10)})
	}
	for _, o := range rows {
		v.Rows = append(v.Rows, NewPublicOrgItem(o))
	}
	return v
}

// PublicVerifyView is the verification by number /verify.
type PublicVerifyView struct {
	Page
	Number  Field
	Checked bool // a number was looked up
	Found   bool
	Result  PublicCheckView
}

// PublicCheckView is the answer of a verification: validity, tier, status, community; nothing personal.
type PublicCheckView struct {
	Name        string
	Valid       bool
	Verdict     string
	Status      string
	StatusClass StatusClass
	Closed      string
	Facts       []PublicFact
	Href        string
}

// NewPublicCheckView formats a found group.
func NewPublicCheckView(c registry.PublicCheck) PublicCheckView {
	v := PublicCheckView{Name: c.Name, Valid: c.Status.Live(), Status: c.Status.Label(),
		StatusClass: StatusClassOf(c.Status), Closed: closedLine(c.Status, c.StatusOn, c.StatusReason),
		Href: "/orgs/" + strconv.FormatInt(c.OrgID, 10)}
	switch {
	case c.Status == registry.StatusNormal:
		v.Verdict = "有效：该组织在册，状态正常。"
	case c.Status == registry.StatusAbnormal:
		v.Verdict = "有效，但该组织被列为活动异常。"
	default:
		v.Verdict = "无效：该组织已" + strings.TrimPrefix(c.Status.Label(), "已") + "，其备案或登记不再有效。"
	}
	var f facts
	f.identity(c.Tier, string(c.LegalForm), c.USCC, c.FilingNo, c.TownName, c.CommunityName)
	v.Facts = f
	return v
}

// OpenDataView is the open-data page with its downloads and its data dictionary.
type OpenDataView struct {
	Page
	Datasets    []registry.OpenDataset
	Disclosures registry.OpenDataset // 信息公开, its own table (openDataDisclosures)
}
