package web

// 通知公告 and 政策文件: the signed-in list, form and page, and the public lists and pages.

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// AnnouncementRow is one notice or policy of a list.
type AnnouncementRow struct {
	ID          int64
	Href        string
	Kind        string
	Title       string
	DocNo       string
	Author      string
	Published   string
	Status      string
	StatusClass StatusClass
}

// AnnouncementListView is the signed-in list.
type AnnouncementListView struct {
	Page
	Base        string
	Rows        []AnnouncementRow
	CanPublish  bool
	KindOptions []Option
	FirstHref   string
	NextHref    string
}

// AnnouncementKindOptions are the kinds to choose from; blank is the filter's 全部.
func AnnouncementKindOptions(selected string, blank string) []Option {
	var opts []Option
	if blank != "" {
		opts = append(opts, Option{Value: "", Label: blank, Selected: selected == ""})
	}
	for _, k := range registry.AnnouncementKinds {
		opts = append(opts, Option{Value: string(k), Label: k.Label(), Selected: string(k) == selected})
	}
	return opts
}

// NewAnnouncementRow formats one for a list whose pages are under base.
func NewAnnouncementRow(a registry.Announcement, base string) AnnouncementRow {
	r := AnnouncementRow{ID: a.ID, Href: base + "/" + strconv.FormatInt(a.ID, 10), Kind: a.Kind.Label(),
		Title: a.Title, DocNo: a.DocNo, Author: a.AuthorName, Published: Date(a.PublishedAt), Status: "已发布",
		StatusClass: StatusOK}
	if a.Withdrawn {
		r.Status, r.StatusClass = "已撤回", ""
	}
	return r
}

// AnnouncementFormView is the publish form.
type AnnouncementFormView struct {
	Page
	Action      string
	CancelHref  string
	For         string // who it is published for
	Kind        Field
	KindOptions []Option
	Title       Field
	DocNo       Field
	Body        Field
	Files       Field
	Problems    map[string]string
}

// SetProblems puts each message at its field.
func (v *AnnouncementFormView) SetProblems(p map[string]string) {
	v.Problems = p
	for k, f := range map[string]*Field{"kind": &v.Kind, "title": &v.Title, "doc_no": &v.DocNo, "body": &v.Body,
		"files": &v.Files} {
		f.Problem = p[k]
	}
	v.KindOptions = AnnouncementKindOptions(v.Kind.Value, "")
}

// AnnouncementFileView is one attachment to download.
type AnnouncementFileView struct {
	Href string
	Name string
	Size string
}

// AnnouncementView is one notice or policy: signed in (with its withdrawal form) or public.
type AnnouncementView struct {
	Page
	Kind        string
	ListHref    string
	Href        string
	Title       string
	DocNo       string
	Author      string
	Published   string
	Paragraphs  []string
	Files       []AnnouncementFileView
	Withdrawn   string // the reason, once withdrawn
	Updated     string // the day of the last 更正, "" when never corrected
	Corrections CorrectionsView
	CanWithdraw bool
	Version     int
	Reason      Field
	Problems    map[string]string
}

// NewAnnouncementView formats one whose page is href, listed at listHref.
func NewAnnouncementView(p Page, a registry.Announcement, files []registry.AnnouncementFile, href, listHref string) AnnouncementView {
	v := AnnouncementView{Page: p, Kind: a.Kind.Label(), ListHref: listHref, Href: href, Title: a.Title,
		DocNo: a.DocNo, Author: a.AuthorName, Published: Date(a.PublishedAt), Paragraphs: CaseParagraphs(a.Body),
		Version: a.Version, Updated: UpdatedOn(a.CorrectedAt)}
	if a.Withdrawn {
		v.Withdrawn = a.Reason
	}
	for _, f := range files {
		v.Files = append(v.Files, AnnouncementFileView{Href: href + "/documents/" + strconv.FormatInt(f.ID, 10),
			Name: f.Filename, Size: fileSize(f.SizeBytes)})
	}
	return v
}

func fileSize(n int64) string {
	if n < 1<<20 {
		return strconv.FormatInt((n+1023)/1024, 10) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// PublicAnnouncementCard is one item of a public list.
type PublicAnnouncementCard struct {
	Href      string
	Title     string
	DocNo     string
	Author    string
	Published string
}

// NewPublicAnnouncementCards formats published ones whose public pages are under base (/announcements, /policies).
func NewPublicAnnouncementCards(as []registry.Announcement, base string) []PublicAnnouncementCard {
	out := make([]PublicAnnouncementCard, 0, len(as))
	for _, a := range as {
		out = append(out, PublicAnnouncementCard{Href: base + "/" + strconv.FormatInt(a.ID, 10), Title: a.Title,
			DocNo: a.DocNo, Author: a.AuthorName, Published: Date(a.PublishedAt)})
	}
	return out
}

// PublicAnnouncementListView is /announcements or /policies.
type PublicAnnouncementListView struct {
	Page
	Heading   string
	Intro     string
	Cards     []PublicAnnouncementCard
	FirstHref string
	NextHref  string
}

// HomeLatest is what the home page shows of the latest publications.
type HomeLatest struct {
	Cases   []CaseCard
	Notices []PublicAnnouncementCard
}
