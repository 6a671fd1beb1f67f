package web

// View models of 慈善组织认定: the section on a registered group's record and the district's register.

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// Charities is the district's register of 慈善组织认定.
func (p Paths) Charities() string { return p.root + "/charities" }

// OrgCharity is where a group's 认定 is recorded.
func (p Paths) OrgCharity(id int64) string { return p.Org(id) + "/charity" }

// CharityDoc is where the document of decision docID about group id is downloaded.
func (p Paths) CharityDoc(id, docID int64) string {
	return p.OrgCharity(id) + "/documents/" + strconv.FormatInt(docID, 10)
}

// CharityRow is one decision, with its document's link for those who may download it.
type CharityRow struct {
	Org, OrgHref, Status, On, Body, Note, Filename, DocHref string
}

func charityRow(paths Paths, c registry.CharityRecognition, docs bool) CharityRow {
	r := CharityRow{Org: c.OrgName, OrgHref: paths.Org(c.OrgID), Status: registry.CharityStatusLabel(c.Status),
		On: Date(c.DecidedOn), Body: c.Body, Note: dash(c.Note), Filename: c.Filename}
	if docs {
		r.DocHref = paths.CharityDoc(c.OrgID, c.ID)
	}
	return r
}

// CharitySection is the 慈善组织认定 of a group on its record.
type CharitySection struct {
	Shown    bool
	Standing string // 已认定为慈善组织 (date, body), 已撤销认定 …, or 未认定
	Rows     []CharityRow
	Form     *CharityForm // the district's form, nil for others
}

// CharityForm records the next decision about a group.
type CharityForm struct {
	Action        string
	Seen          string // how many decisions the page listed: the form's token
	StatusOptions []Option
	Status        Field
	On, Body      Field
	Note, File    Field
}

// NewCharitySection builds the section of a group (registered says whether it can be recognized) from its
// decisions, newest first; docs says whether the viewer downloads documents, action where the viewer records
// the next decision ("" for none).
func NewCharitySection(paths Paths, registered bool, cs []registry.CharityRecognition, docs bool, action string) CharitySection {
	v := CharitySection{Shown: registered || len(cs) > 0, Standing: "未认定为慈善组织"}
	for _, c := range cs {
		v.Rows = append(v.Rows, charityRow(paths, c, docs))
	}
	current := ""
	if len(cs) > 0 {
		current = cs[0].Status
		v.Standing = map[string]string{registry.CharityRecognized: "已认定为慈善组织", registry.CharityRevoked: "已撤销慈善组织认定"}[current] +
			"（" + Date(cs[0].DecidedOn) + "，" + cs[0].Body + "）"
	}
	if action != "" && registered {
		next := registry.CharityNext(current)
		v.Form = &CharityForm{Action: action, Seen: strconv.Itoa(len(cs)),
			StatusOptions: []Option{{Value: next, Label: registry.CharityStatusLabel(next), Selected: true}},
			Status:        Field{Value: next}, Body: Field{Value: registry.DefaultCharityBody}}
	}
	return v
}

// CharitiesView is the district's register: each group's latest decision.
type CharitiesView struct {
	Page
	Rows []CharityRow
	XLSX string // the register as a spreadsheet
}

// NewCharitiesView formats the register.
func NewCharitiesView(page Page, paths Paths, cs []registry.CharityRecognition) CharitiesView {
	v := CharitiesView{Page: page, XLSX: paths.CharitiesExport()}
	for _, c := range cs {
		v.Rows = append(v.Rows, charityRow(paths, c, true))
	}
	return v
}

// CharitiesExport is the register's spreadsheet.
func (p Paths) CharitiesExport() string { return p.Charities() + ".xlsx" }

// CharityExportHeader are the columns of the register's spreadsheet.
var CharityExportHeader = []string{"组织", "最近决定", "日期", "认定机关", "说明", "文书"}

// CharityExportCells is one group's latest decision.
func CharityExportCells(c registry.CharityRecognition) []any {
	return []any{c.OrgName, registry.CharityStatusLabel(c.Status), Date(c.DecidedOn), c.Body, c.Note, c.Filename}
}
