package web

import (
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// ReportFilterForm is a report list's filter as the user gave it, each value with its message when refused.
type ReportFilterForm struct {
	Town      Field
	Community Field
	Org       Field // group id
	Series    Field
	Category  Field
	From      Field // 2021-07-21
	To        Field
}

// ReportListView is a list of activity reports: a tier's whole list, or one group's history.
type ReportListView struct {
	Page
	Heading          string
	Crumbs           []NavItem
	Action           string // where the filter form goes
	Form             ReportFilterForm
	Problems         map[string]string
	TownOptions      []Option // nil: no select
	CommunityOptions []Option // nil: no select
	OrgOptions       []Option // nil: no select (the group is given by the page or by a link)
	OrgFixed         string   // the group the list is narrowed to, when it has no select
	ClearOrgHref     string   // the same filter without the group
	SeriesOptions    []Option
	CategoryOptions  []Option
	ShowTown         bool
	ShowCommunity    bool
	ShowOrg          bool
	NewHref          string // "" when the tier does not file reports
	Rows             []ReportListItem
	Empty            bool   // the filter was good and found nothing
	Total            string // 共 12,345 条, or "" when it is not known (a group or period filter past one page)
	NextHref         string
	FirstHref        string
	ExportXLSX       string
	ExportCSV        string
}

// ReportListItem is one report as a list shows it.
type ReportListItem struct {
	ID            int64
	Href          string
	Date          string
	Title         string
	Org           string
	Town          string
	Community     string
	Series        string
	Category      string
	Participants  string
	Volunteers    string
	Hours         string
	Beneficiaries string
	Revision      string // "第 2 版" for a corrected report, else ""
}

// NewReportFilter builds the filter part of a list: towns and communities the caller may filter by (nil hides
// the select) and the groups of a community (nil hides that select).
func NewReportFilter(v *ReportListView, towns, communities []portal.Division, groups []registry.ReportGroup) {
	f := v.Form
	if towns != nil {
		v.TownOptions = []Option{{Value: "", Label: "全部镇街", Selected: f.Town.Value == ""}}
		for _, d := range towns {
			v.TownOptions = append(v.TownOptions, Option{Value: d.Code, Label: d.Name, Selected: d.Code == f.Town.Value})
		}
	}
	if communities != nil {
		townNames := map[string]string{}
		for _, d := range towns {
			townNames[d.Code] = d.Name
		}
		v.CommunityOptions = []Option{{Value: "", Label: "全部社区(村)", Selected: f.Community.Value == ""}}
		for _, d := range communities {
			group := ""
			if len(towns) > 0 && f.Town.Value == "" {
				group = townNames[d.ParentCode]
			}
			v.CommunityOptions = append(v.CommunityOptions, Option{Value: d.Code, Label: d.Name, Group: group,
				Selected: d.Code == f.Community.Value})
		}
	}
	if groups != nil {
		v.OrgOptions = []Option{{Value: "", Label: "全部组织", Selected: f.Org.Value == ""}}
		for _, g := range groups {
			id := strconv.FormatInt(g.ID, 10)
			v.OrgOptions = append(v.OrgOptions, Option{Value: id, Label: g.Name, Selected: id == f.Org.Value})
		}
	}
	v.SeriesOptions = reportListSeries.selecting(f.Series.Value)
	v.CategoryOptions = reportListCategories.selecting(f.Category.Value)
}

// NewReportListItem formats one report for a list; its page is base/{id}.
func NewReportListItem(r registry.ActivityReport, base string) ReportListItem {
	it := ReportListItem{ID: r.ID, Href: base + "/" + strconv.FormatInt(r.ID, 10), Date: ReportDate(r.ActivityDate),
		Title: r.Title, Org: r.OrgName, Town: r.TownName, Community: r.CommunityName, Series: r.Series,
		Category: r.Category, Participants: strconv.Itoa(r.Participants), Volunteers: strconv.Itoa(r.Volunteers),
		Hours: Hours(r.VolunteerTenths), Beneficiaries: strconv.Itoa(r.BeneficiariesTotal)}
	if r.Revision > 1 {
		it.Revision = "第 " + strconv.Itoa(r.Revision) + " 版"
	}
	return it
}

// ReportDate is an activity date as 2021-07-21. Dates are calendar days, not instants: no zone applies.
func ReportDate(t time.Time) string { return t.Format("2006-01-02") }

// Hours formats tenths of an hour: 125 → 12.5, 120 → 12.
func Hours(tenths int64) string {
	s := strconv.FormatInt(tenths/10, 10)
	if d := tenths % 10; d != 0 {
		s += "." + strconv.FormatInt(d, 10)
	}
	return s
}

// BeneficiaryInput is one 服务对象 group's number input.
type BeneficiaryInput struct {
	Name  string // the input's name
	Label string
	Field Field
}

// BeneficiaryInputName is the form input of the i-th group of registry.Beneficiaries.
func BeneficiaryInputName(i int) string { return "beneficiary_" + strconv.Itoa(i) }

// KeptPhoto is a photo of the revision being corrected, offered to keep.
type KeptPhoto struct {
	ID    string
	Thumb string
	Label string
	Kept  bool
}

// ReportFormView is the form to file a report or to correct one.
type ReportFormView struct {
	Page
	Heading       string
	Crumbs        []NavItem
	Action        string
	Cancel        string
	Correcting    bool
	Version       string
	Problems      map[string]string
	Resubmit      bool // a refused form: chosen files are not kept
	Group         Field
	GroupOptions  []Option
	Date          Field
	Title         Field
	Place         Field
	Series        Field
	SeriesOpts    []Option
	Category      Field
	CategoryOpts  []Option
	Participants  Field
	Volunteers    Field
	Hours         Field
	Beneficiaries []BeneficiaryInput
	BenefProblem  string
	Description   Field
	Reason        Field // 更正说明
	Photos        Field // the message about the files
	KeptPhotos    []KeptPhoto
	MaxPhotos     int
	Today         string
}

// NewReportForm is an empty form; the handler fills values and messages.
func NewReportForm(p Page, action, cancel string) ReportFormView {
	v := ReportFormView{Page: p, Heading: p.Title, Action: action, Cancel: cancel, Problems: map[string]string{},
		MaxPhotos: 6, Today: time.Now().In(beijing).Format("2006-01-02")}
	for i, b := range registry.Beneficiaries {
		v.Beneficiaries = append(v.Beneficiaries, BeneficiaryInput{Name: BeneficiaryInputName(i), Label: b})
	}
	return v
}

// SetChoices fills the selects from the groups and the word lists, marking the chosen values. A group that is
// no longer live but is the report's own (a correction) is offered too, by the name given.
func (v *ReportFormView) SetChoices(groups []registry.ReportGroup) {
	v.GroupOptions = nil
	for _, g := range groups {
		id := strconv.FormatInt(g.ID, 10)
		label := g.Name
		if !g.Live {
			label += "（已注销或撤销）"
		}
		v.GroupOptions = append(v.GroupOptions, Option{Value: id, Label: label, Selected: id == v.Group.Value})
	}
	v.SeriesOpts = Choices(registry.ReportSeries, v.Series.Value)
	v.CategoryOpts = Choices(registry.ReportCategories, v.Category.Value)
}

// FillReportForm puts a stored revision into a correction form.
func FillReportForm(v *ReportFormView, r registry.ActivityReport) {
	v.Group.Value = strconv.FormatInt(r.OrgID, 10)
	v.Date.Value = ReportDate(r.ActivityDate)
	v.Title.Value, v.Place.Value = r.Title, r.Place
	v.Series.Value, v.Category.Value = r.Series, r.Category
	v.Participants.Value = strconv.Itoa(r.Participants)
	v.Volunteers.Value = strconv.Itoa(r.Volunteers)
	v.Hours.Value = Hours(r.VolunteerTenths)
	for i := range v.Beneficiaries {
		if n := r.Beneficiaries[v.Beneficiaries[i].Label]; n > 0 {
			v.Beneficiaries[i].Field.Value = strconv.Itoa(n)
		}
	}
	v.Description.Value = r.Description
	v.Version = strconv.Itoa(r.Version)
}

// Detail is one labelled value of a record page.
type Detail struct {
	Label string
	Value string
}

// ReportPhotoItem is a photo on a report's page: its thumbnail, opening the original.
type ReportPhotoItem struct {
	Thumb string
	Full  string
	Alt   string
}

// RevisionItem is one revision in a report's history.
type RevisionItem struct {
	Href        string
	Revision    string
	SubmittedAt string
	By          Who
	Reason      string
	Current     bool
	This        bool // the revision the page shows
}

// ReportDetailView is one revision of a report with its photos and the report's history.
type ReportDetailView struct {
	Page
	Crumbs         []NavItem
	Heading        string
	Superseded     bool
	CurrentHref    string
	Details        []Detail
	Submitted      Who // who submitted this revision, and when
	SubmittedAt    string
	Beneficiaries  []Detail
	BenefTotal     string
	Description    string
	Photos         []ReportPhotoItem
	History        []RevisionItem
	CorrectHref    string // "" when the viewer may not correct or the revision is not current
	OrgReportsHref string
	PublicMark     PhotoPublicForm // which photos the public profile shows (public_photos_view.go)
}

// NewReportDetail formats revision r of a report whose revisions are all, for a list at base; the group's
// history is at orgBase/{id}/reports.
func NewReportDetail(p Page, base, orgBase string, r registry.ActivityReport, all []registry.ActivityReport,
	photos []registry.ReportPhoto, canCorrect bool) ReportDetailView {
	id := strconv.FormatInt(r.ID, 10)
	v := ReportDetailView{Page: p, Heading: r.Title, Superseded: !r.Current(),
		Crumbs:         []NavItem{{Label: "活动报告", Href: base}},
		OrgReportsHref: orgBase + "/" + strconv.FormatInt(r.OrgID, 10) + "/reports",
		Description:    r.Description, BenefTotal: strconv.Itoa(r.BeneficiariesTotal)}
	v.Details = []Detail{
		{"报告编号", strconv.FormatInt(r.ReportNo, 10) + "（第 " + strconv.Itoa(r.Revision) + " 版）"},
		{"组织", r.OrgName},
		{"所在镇街", r.TownName},
		{"社区(村)", r.CommunityName},
		{"活动日期", Date(time.Date(r.ActivityDate.Year(), r.ActivityDate.Month(), r.ActivityDate.Day(), 0, 0, 0, 0, beijing))},
		{"活动地点", r.Place},
		{"主题系列", r.Series},
		{"活动类别", r.Category},
		{"参与人数", strconv.Itoa(r.Participants)},
		{"志愿者人数", strconv.Itoa(r.Volunteers)},
		{"志愿服务时长（小时）", Hours(r.VolunteerTenths)},
	}
	v.Submitted, v.SubmittedAt = NewWho(r.SubmittedByDisplay, r.SubmittedByName), DateTime(r.SubmittedAt)
	if r.CorrectionReason != "" {
		v.Details = append(v.Details, Detail{"更正说明", r.CorrectionReason})
	}
	for _, b := range registry.Beneficiaries {
		if n := r.Beneficiaries[b]; n > 0 {
			v.Beneficiaries = append(v.Beneficiaries, Detail{b, strconv.Itoa(n)})
		}
	}
	for _, ph := range photos {
		href := base + "/" + id + "/photos/" + strconv.FormatInt(ph.ID, 10)
		v.Photos = append(v.Photos, ReportPhotoItem{Thumb: href + "/thumb", Full: href,
			Alt: "活动照片 " + strconv.Itoa(ph.Position)})
	}
	for _, h := range all {
		item := RevisionItem{Href: base + "/" + strconv.FormatInt(h.ID, 10), Revision: "第 " + strconv.Itoa(h.Revision) + " 版",
			SubmittedAt: DateTime(h.SubmittedAt), By: NewWho(h.SubmittedByDisplay, h.SubmittedByName), Reason: h.CorrectionReason,
			Current: h.Current(), This: h.ID == r.ID}
		if item.Reason == "" {
			item.Reason = "首次提交"
		}
		if h.Current() {
			v.CurrentHref = item.Href
		}
		v.History = append(v.History, item)
	}
	if canCorrect && r.Current() {
		v.CorrectHref = base + "/" + id + "/correct"
	}
	return v
}

// ReportExportHeader is the header row of a report export: the fixed columns, then one column per 服务对象
// group, then the total and the rest.
func ReportExportHeader() []string {
	h := []string{"报告编号", "版本", "活动日期", "活动名称", "组织", "组织系统编号", "所在镇街", "社区(村)", "主题系列",
		"活动类别", "活动地点", "参与人数", "志愿者人数", "志愿服务时长（小时）"}
	h = append(h, registry.Beneficiaries...)
	return append(h, "受益人数合计", "活动内容", "提交人", "提交时间")
}

// ReportExportCells is one report as an export row, appended to dst[:0]. Text is neutralised against formulas
// by the export package.
func ReportExportCells(r registry.ActivityReport, dst []any) []any {
	dst = append(dst[:0], r.ReportNo, r.Revision, ReportDate(r.ActivityDate), r.Title, r.OrgName, r.OrgID,
		r.TownName, r.CommunityName, r.Series, r.Category, r.Place, r.Participants, r.Volunteers,
		Hours(r.VolunteerTenths))
	for _, b := range registry.Beneficiaries {
		dst = append(dst, r.Beneficiaries[b])
	}
	return append(dst, r.BeneficiariesTotal, r.Description, r.SubmittedByName, DateTime(r.SubmittedAt))
}

// ReportTotal is a list's total as the page says it: 共 1,234,567 条.
func ReportTotal(n int) string { return "共 " + groupDigits(n) + " 条" }

// The report lists' fixed selects, shared as fixedOptions explains.
var (
	reportListSeries     = newFixedOptions(orgListWords(registry.ReportSeries))
	reportListCategories = newFixedOptions(orgListWords(registry.ReportCategories))
)

// Divisions is the list's town and community filter.
func (v ReportListView) Divisions() DivisionFilter {
	return DivisionFilter{Town: v.Form.Town, TownOptions: v.TownOptions, Community: v.Form.Community,
		CommunityOptions: v.CommunityOptions}
}
