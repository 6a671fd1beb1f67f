package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/rules"
)

// OrgImportView is the 台账 import page: the upload form with the template link, and after a failed check the
// reason the file was refused or every bad cell of it.
type OrgImportView struct {
	Page
	Action       string // where the file is posted
	TemplateHref string
	ListHref     string
	Committee    bool   // a 村(居)委会: rows go to its own community, the sheet needs no community column
	Filename     string // the file last checked, "" before any
	FileProblem  string // why the whole file was refused
	Problems     []OrgImportProblem
	BadRows      string            // 共 N 行有问题 …
	MoreProblems string            // when the list is cut short
	Jobs         []OrgImportJobRow // the account's jobs of the last day, newest first
}

// OrgImportJobRow is one of the account's recent 台账 jobs on the upload page.
type OrgImportJobRow struct {
	Href, Filename, Status, Created string
	StatusClass                     StatusClass
}

// NewOrgImportJobRow lists job j, whose page is href, with the status word its page shows.
func NewOrgImportJobRow(j ledger.Job, href string) OrgImportJobRow {
	v := NewOrgImportJob(Page{}, j, OrgImportView{}, "")
	return OrgImportJobRow{Href: href, Filename: j.Filename, Status: v.Status, StatusClass: v.StatusClass,
		Created: DateTime(j.CreatedAt)}
}

// OrgImportProblem is one bad cell as the page lists it; phone and 身份证号 values arrive masked.
type OrgImportProblem struct {
	Row    string
	Column string
	Value  string
	Reason string
}

// SetProblems lists the problems of a finished check on the page, with how many rows they touch.
func (v *OrgImportView) SetProblems(r ledger.Result) {
	for _, p := range r.Problems {
		v.Problems = append(v.Problems, OrgImportProblem{Row: "第 " + strconv.Itoa(p.Row) + " 行", Column: p.Column,
			Value: p.Value, Reason: p.Reason})
	}
	if more := r.ProblemCount - len(r.Problems); more > 0 {
		v.MoreProblems = "另有 " + strconv.Itoa(more) + " 处问题未列出，请先修改以上问题后重新上传。"
	}
	v.BadRows = "共 " + strconv.Itoa(r.BadRows) + " 行、" + strconv.Itoa(r.ProblemCount) + " 处需要修改。台账中只要有一行有问题，就不会导入任何组织。"
}

// OrgImportPreview is the list of the first good rows shown before the confirmation.
type OrgImportPreview struct {
	Count string // 将导入 N 个组织
	Shown string // the preview's extent, when not every row is shown
	Rows  []OrgImportPreviewRow
}

// OrgImportPreviewRow is one row of the preview.
type OrgImportPreviewRow struct {
	Row       string
	Name      string
	Community string
	Fields    string
	Nature    string
	FoundedOn string
	Leader    string
	Phone     string // masked
	Members   string
}

// newOrgImportPreview shows the first rows of a clean check.
func newOrgImportPreview(r ledger.Result) OrgImportPreview {
	v := OrgImportPreview{Count: "将导入 " + groupDigits(r.Rows) + " 个组织"}
	if r.Rows > len(r.Preview) {
		v.Shown = "以下是前 " + strconv.Itoa(len(r.Preview)) + " 行，其余 " + groupDigits(r.Rows-len(r.Preview)) + " 行同样已通过检查。"
	}
	for _, e := range r.Preview {
		row := OrgImportPreviewRow{Row: strconv.Itoa(e.Row), Name: e.Name(), Community: e.Community.Name,
			Fields: strings.Join(e.Fields, "、"), Nature: e.Nature, FoundedOn: "—", Leader: e.LeaderName,
			Phone: rules.MaskPhone(e.LeaderPhone), Members: strconv.Itoa(e.Members)}
		if e.FoundedOn != nil {
			row.FoundedOn = e.FoundedOn.In(beijing).Format(time.DateOnly)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// groupDigits writes n with a comma between each group of three digits (100,000), as the clerk reads counts.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + groupDigits(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
