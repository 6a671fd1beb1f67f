package web

// Corrections (更正) of a published 通知公告 / 政策文件 or 典型案例: the form, the earlier versions staff read, and
// the 更新于 line the public pages show.

import (
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
)

// CorrectionFormView is the 更正 form of a published text: title, the sub-line (文号 or 主题系列), the body and
// the note, with the version the page was built from.
type CorrectionFormView struct {
	Page
	Heading    string
	Intro      string
	Action     string
	CancelHref string
	Version    int
	Title      Field
	TitleHint  string
	SubLabel   string // 文号 or 主题系列
	Sub        Field
	SubOptions []Option // the 主题系列 to choose from; nil for a free 文号
	BodyLabel  string
	Body       Field
	Note       Field
	Problems   map[string]string
}

// SetProblems puts each message at its field.
func (v *CorrectionFormView) SetProblems(p map[string]string) {
	v.Problems = p
	sub := "doc_no"
	if v.SubOptions != nil {
		sub = "series"
		v.SubOptions = Choices(registry.ReportSeries, v.Sub.Value)
	}
	for k, f := range map[string]*Field{"title": &v.Title, sub: &v.Sub, "body": &v.Body, "story": &v.Body,
		"note": &v.Note} {
		if p[k] != "" {
			f.Problem = p[k]
		}
	}
}

// SubName is the sub-line's input name.
func (v CorrectionFormView) SubName() string {
	if v.SubOptions != nil {
		return "series"
	}
	return "doc_no"
}

// BodyName is the body's input name.
func (v CorrectionFormView) BodyName() string {
	if v.SubOptions != nil {
		return "story"
	}
	return "body"
}

// NewAnnouncementCorrection is the form filled from a published notice or policy whose page is href.
func NewAnnouncementCorrection(p Page, a registry.Announcement, href string) CorrectionFormView {
	return CorrectionFormView{Page: p, Heading: "更正" + a.Kind.Label(), Action: href + "/edit", CancelHref: href,
		Intro:   "更正后公开网站显示更正后的内容，并注明“更新于”当天；更正前的内容保留在本页的“历次版本”中，附件不变。",
		Version: a.Version, Title: Field{Value: a.Title}, TitleHint: "不超过 100 字", SubLabel: "文号",
		Sub: Field{Value: a.DocNo}, BodyLabel: "正文", Body: Field{Value: a.Body}, Problems: map[string]string{}}
}

// NewCaseCorrection is the form filled from a published case whose page is href.
func NewCaseCorrection(p Page, c registry.Case, href string) CorrectionFormView {
	return CorrectionFormView{Page: p, Heading: "更正典型案例", Action: href + "/correct", CancelHref: href,
		Intro:   "更正已发布案例的文字；组织和照片不变。公开页面注明“更新于”当天，更正前的内容保留在“历次版本”中。",
		Version: c.Version, Title: Field{Value: c.Title}, TitleHint: "不超过 60 字", SubLabel: "主题系列",
		Sub: Field{Value: c.Series}, SubOptions: Choices(registry.ReportSeries, c.Series), BodyLabel: "案例正文",
		Body: Field{Value: c.Story}, Problems: map[string]string{}}
}

// RevisionView is one earlier version.
type RevisionView struct {
	Version    string
	Title      string
	Sub        string
	Paragraphs []string
	ReplacedAt string
	By         string
	Note       string
}

// CorrectionsView is the 更正 part of a staff page: the link to the form, when the viewer may correct, and the
// earlier versions.
type CorrectionsView struct {
	CorrectHref string
	SubLabel    string
	Revisions   []RevisionView
}

// NewCorrections formats the earlier versions; correctHref is "" when the viewer may not correct.
func NewCorrections(correctHref, subLabel string, rs []registry.Revision) CorrectionsView {
	v := CorrectionsView{CorrectHref: correctHref, SubLabel: subLabel}
	for _, r := range rs {
		v.Revisions = append(v.Revisions, RevisionView{Version: "第 " + strconv.Itoa(r.Version) + " 版",
			Title: r.Title, Sub: r.Sub, Paragraphs: CaseParagraphs(r.Body), ReplacedAt: DateTime(r.ReplacedAt),
			By: r.ReplacedByName, Note: r.Note})
	}
	return v
}

// UpdatedOn is the 更新于 line's date, "" when never corrected.
func UpdatedOn(correctedAt *time.Time) string {
	if correctedAt == nil {
		return ""
	}
	return Date(*correctedAt)
}
