package web

// 典型案例: the signed-in list, form and page of a case, and the public list, page and profile section.

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/registry"
)

// CaseStatusLabel is a case's status in words and colour.
func CaseStatusLabel(s registry.CaseStatus) (string, StatusClass) {
	switch s {
	case registry.CasePublished:
		return s.Label(), StatusOK
	case registry.CaseReturned:
		return s.Label(), StatusBad
	case registry.CaseSubmitted:
		return s.Label(), StatusWarn
	}
	return s.Label(), ""
}

// CaseStatusOptions are the status filter's choices.
func CaseStatusOptions(selected registry.CaseStatus) []Option {
	opts := []Option{{Value: "", Label: "全部状态", Selected: selected == ""}}
	for _, s := range registry.CaseStatuses {
		opts = append(opts, Option{Value: string(s), Label: s.Label(), Selected: s == selected})
	}
	return opts
}

// CaseRow is one case of the signed-in list.
type CaseRow struct {
	ID          int64
	Href        string
	Title       string
	OrgName     string
	Place       string
	Series      string
	Author      string
	Status      string
	StatusClass StatusClass
	SubmittedAt string
}

// CaseListView is the signed-in list of cases inside the jurisdiction.
type CaseListView struct {
	Page
	Base          string
	Rows          []CaseRow
	CanWrite      bool
	StatusOptions []Option
	FirstHref     string
	NextHref      string
	Waiting       bool // the district: cases wait for its decision
}

// NewCaseRow formats a case for a list; base is the tier's root.
func NewCaseRow(c registry.Case, base string) CaseRow {
	status, class := CaseStatusLabel(c.Status)
	return CaseRow{ID: c.ID, Href: base + "/cases/" + strconv.FormatInt(c.ID, 10), Title: c.Title,
		OrgName: c.OrgName, Place: c.TownName + " " + c.CommunityName, Series: c.Series, Author: c.AuthorName,
		Status: status, StatusClass: class, SubmittedAt: Date(c.SubmittedAt)}
}

// CaseFormView is the case form, new or (已退回) edited and resubmitted.
type CaseFormView struct {
	Page
	Heading       string
	Action        string
	CancelHref    string
	Editing       bool
	Version       int
	Returned      string // the district's reason, when resubmitting
	Org           Field
	OrgOptions    []Option
	Title         Field
	Series        Field
	SeriesOptions []Option
	Story         Field
	Photos        Field
	PhotoRoom     int // how many more photos the case may take
	KeptPhotos    int
	Problems      map[string]string
}

// SetChoices fills the selects from the groups a case may be written about.
func (v *CaseFormView) SetChoices(orgs []registry.NoticeOrg) {
	v.OrgOptions = v.OrgOptions[:0]
	for _, o := range orgs {
		id := strconv.FormatInt(o.ID, 10)
		v.OrgOptions = append(v.OrgOptions, Option{Value: id, Label: o.Name, Selected: id == v.Org.Value})
	}
	v.SeriesOptions = Choices(registry.ReportSeries, v.Series.Value)
}

// SetProblems puts each message at its field.
func (v *CaseFormView) SetProblems(p map[string]string) {
	v.Problems = p
	for k, f := range map[string]*Field{"org": &v.Org, "title": &v.Title, "series": &v.Series, "story": &v.Story,
		"photos": &v.Photos} {
		f.Problem = p[k]
	}
}

// CasePhotoView is one photo with its thumbnail.
type CasePhotoView struct {
	Full  string
	Thumb string
	Alt   string
}

// CaseDetailView is one case as the tiers see it: its text, photos, history and the steps the viewer may take.
type CaseDetailView struct {
	Page
	Href        string
	ListHref    string
	Title       string
	Status      string
	StatusClass StatusClass
	Returned    string // the district's reason while 已退回
	Withdrawn   string // the district's reason once 已撤下
	PublicHref  string // the public page, once published
	OrgHref     string
	Facts       []PublicFact
	Paragraphs  []string
	Photos      []CasePhotoView
	Steps       []NoticeStep
	Version     int
	Corrections CorrectionsView

	CanDecide   bool // the district, while 待审核: 发布 and 退回
	CanWithdraw bool // the district, while 已发布
	CanEdit     bool // the writer, while 已退回

	ReturnReason   Field
	WithdrawReason Field
	Problems       map[string]string
}

// PublishConfirm is what the publish form asks first.
func (v CaseDetailView) PublishConfirm() string {
	return "确定发布“" + v.Title + "”吗？发布后所有人都能在公开网站上看到该案例及其照片。"
}

// WithdrawConfirm is what the take-down form asks first.
func (v CaseDetailView) WithdrawConfirm() string {
	return "确定撤下“" + v.Title + "”吗？撤下后公开网站不再显示该案例，且不能再次发布。"
}

// NewCaseDetail formats a case; base is the tier's root, orgBase where the group's record is.
func NewCaseDetail(p Page, base string, c registry.Case, photos []registry.CasePhoto, events []registry.CaseEvent) CaseDetailView {
	href := base + "/cases/" + strconv.FormatInt(c.ID, 10)
	status, class := CaseStatusLabel(c.Status)
	v := CaseDetailView{Page: p, Href: href, ListHref: base + "/cases", Title: c.Title, Status: status,
		StatusClass: class, OrgHref: base + "/orgs/" + strconv.FormatInt(c.OrgID, 10),
		Paragraphs: CaseParagraphs(c.Story), Version: c.Version, Problems: map[string]string{}}
	switch c.Status {
	case registry.CaseReturned:
		v.Returned = c.Reason
	case registry.CaseWithdrawn:
		v.Withdrawn = c.Reason
	case registry.CasePublished:
		v.PublicHref = PublicCaseHref(c.ID)
	}
	var f facts
	f.add("组织", c.OrgName)
	f.add("所在", c.TownName+" "+c.CommunityName)
	f.add("主题系列", c.Series)
	f.add("撰写单位", c.AuthorName)
	f.add("提交时间", DateTime(c.SubmittedAt))
	if c.PublishedAt != nil {
		f.add("发布时间", DateTimePtr(c.PublishedAt))
	}
	v.Facts = f
	for _, ph := range photos {
		v.Photos = append(v.Photos, casePhoto(href, ph))
	}
	for _, e := range events {
		v.Steps = append(v.Steps, newCaseStep(e))
	}
	return v
}

func casePhoto(href string, ph registry.CasePhoto) CasePhotoView {
	full := href + "/photos/" + strconv.FormatInt(ph.ID, 10)
	return CasePhotoView{Full: full, Thumb: full + "/thumb", Alt: "案例照片 " + strconv.Itoa(ph.Position)}
}

func newCaseStep(e registry.CaseEvent) NoticeStep {
	s := NoticeStep{At: DateTime(e.At), Actor: NewWho(e.ActorDisplayName, e.ActorName), Reason: noticeDash(e.Reason)}
	to, _ := CaseStatusLabel(e.To)
	switch {
	case e.From == "":
		s.Action, s.Change = "提交", to
		return s
	case e.From == e.To:
		s.Action, s.Change = "更正", to
		return s
	case e.To == registry.CaseSubmitted:
		s.Action = "修改后重新提交"
	case e.To == registry.CasePublished:
		s.Action = "发布"
	case e.To == registry.CaseReturned:
		s.Action = "退回修改"
	case e.To == registry.CaseWithdrawn:
		s.Action = "撤下"
	}
	from, _ := CaseStatusLabel(e.From)
	s.Change = from + " → " + to
	return s
}

// CaseParagraphs splits a story into its paragraphs, blank lines left out.
func CaseParagraphs(story string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(story, "\r\n", "\n"), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// PublicCaseHref is a published case's public page.
func PublicCaseHref(id int64) string { return "/cases/" + strconv.FormatInt(id, 10) }

// CaseCard is a published case in a public list: the home page, /cases and a group's profile.
type CaseCard struct {
	Href      string
	Title     string
	OrgName   string
	Place     string
	Series    string
	Published string
	Excerpt   string
}

// NewCaseCards formats published cases as cards.
func NewCaseCards(cs []registry.Case) []CaseCard {
	out := make([]CaseCard, 0, len(cs))
	for _, c := range cs {
		card := CaseCard{Href: PublicCaseHref(c.ID), Title: c.Title, OrgName: c.OrgName,
			Place: c.TownName + " " + c.CommunityName, Series: c.Series, Excerpt: caseExcerpt(c.Story, 80)}
		if c.PublishedAt != nil {
			card.Published = Date(*c.PublishedAt)
		}
		out = append(out, card)
	}
	return out
}

func caseExcerpt(story string, n int) string {
	s := strings.Join(CaseParagraphs(story), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "……"
}

// PublicCaseListView is the public list /cases.
type PublicCaseListView struct {
	Page
	Cards     []CaseCard
	FirstHref string
	NextHref  string
}

// PublicCaseView is a published case's public page /cases/{id}.
type PublicCaseView struct {
	Page
	Title      string
	OrgName    string
	OrgHref    string
	Place      string
	Series     string
	Published  string
	Updated    string // the day of the last 更正
	Paragraphs []string
	Photos     []CasePhotoView
}

// NewPublicCaseView formats a published case and its photos for everyone.
func NewPublicCaseView(p Page, c registry.Case, photos []registry.CasePhoto) PublicCaseView {
	v := PublicCaseView{Page: p, Title: c.Title, OrgName: c.OrgName, OrgHref: "/orgs/" + strconv.FormatInt(c.OrgID, 10),
		Place: c.TownName + " " + c.CommunityName, Series: c.Series, Paragraphs: CaseParagraphs(c.Story),
		Updated: UpdatedOn(c.CorrectedAt)}
	if c.PublishedAt != nil {
		v.Published = Date(*c.PublishedAt)
	}
	for _, ph := range photos {
		v.Photos = append(v.Photos, casePhoto(PublicCaseHref(c.ID), ph))
	}
	return v
}
