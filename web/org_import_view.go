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
	BadRows      string // 共 N 行有问题 …
	MoreProblems string // when the list is cut short
}

// OrgImportProblem is one bad cell as the page lists it; phone and 身份证号 values arrive masked.
type OrgImportProblem struct {
	Row    string
	Column string
	Value  string
	Reason string
}

// maxListedProblems keeps the page of a badly broken 台账 small; the clerk fixes these and checks again.
const maxListedProblems = 1000

// SetProblems lists problems (sorted by row) on the page, with how many rows they touch.
func (v *OrgImportView) SetProblems(problems []ledger.Problem, rows int) {
	for i, p := range problems {
		if i == maxListedProblems {
			v.MoreProblems = "另有 " + strconv.Itoa(len(problems)-i) + " 处问题未列出，请先修改以上问题后重新上传。"
			break
		}
		v.Problems = append(v.Problems, OrgImportProblem{Row: "第 " + strconv.Itoa(p.Row) + " 行", Column: p.Column,
			Value: p.Value, Reason: p.Reason})
	}
	v.BadRows = "共 " + strconv.Itoa(rows) + " 行、" + strconv.Itoa(len(problems)) + " 处需要修改。台账中只要有一行有问题，就不会导入任何组织。"
}

// OrgImportPreviewView is the confirmation page of a 台账 that passed every check.
type OrgImportPreviewView struct {
	Page
	Count         string // 将导入 N 个组织
	Shown         string // the preview's extent, when not every row is shown
	Rows          []OrgImportPreviewRow
	ConfirmAction string
	Token         string
	CancelHref    string
	ConfirmText   string // what data-confirm asks
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

// previewRows is how many rows the confirmation page shows.
const previewRows = 20

// NewOrgImportPreview builds the confirmation page of entries.
func NewOrgImportPreview(p Page, entries []ledger.Entry, action, token, cancel string) OrgImportPreviewView {
	n := strconv.Itoa(len(entries))
	v := OrgImportPreviewView{Page: p, Count: "将导入 " + n + " 个组织", ConfirmAction: action, Token: token,
		CancelHref: cancel, ConfirmText: "确定导入这 " + n + " 个组织吗？导入后可在组织列表中逐个查看和修改。"}
	if len(entries) > previewRows {
		v.Shown = "以下是前 " + strconv.Itoa(previewRows) + " 行，其余 " + strconv.Itoa(len(entries)-previewRows) + " 行同样已通过检查。"
	}
	for _, e := range entries[:min(previewRows, len(entries))] {
		r := OrgImportPreviewRow{Row: strconv.Itoa(e.Row), Name: e.Name(), Community: e.Community.Name,
			Fields: strings.Join(e.Fields, "、"), Nature: e.Nature, FoundedOn: "—", Leader: e.LeaderName,
			Phone: rules.MaskPhone(e.LeaderPhone), Members: strconv.Itoa(e.Members)}
		if e.FoundedOn != nil {
			r.FoundedOn = e.FoundedOn.In(beijing).Format(time.DateOnly)
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}
