package web

// View models of 供需对接 (needs, projects, 洽谈会, the board) and 品牌项目.

import (
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/registry"
)

// Matching is the 供需对接 board; Fair one 洽谈会; Brands the brand projects.
func (p Paths) Matching() string       { return p.root + "/matching" }
func (p Paths) Fair(id int64) string   { return p.Matching() + "/fairs/" + strconv.FormatInt(id, 10) }
func (p Paths) Brands() string         { return p.root + "/brands" }
func (p Paths) MatchingExport() string { return p.Matching() + "/export.xlsx" }

// Yuan is an amount of money as clerks write it: 30,000.00 元.
func Yuan(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	intPart, frac := s[:len(s)-3], s[len(s)-3:]
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 && intPart[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + frac + " 元"
}

// MatchingBoardView is the board of a town or the district: open needs, open projects, matches by outcome.
type MatchingBoardView struct {
	Page
	Action      string
	Export      string
	Beneficiary []Option
	Series      []Option
	Area        []Option
	NewNeed     string
	NewProject  string
	NewFair     string
	Brands      string
	Needs       []NeedRow
	Projects    []ProjectRow
	Matches     []MatchRow
	Fairs       []FairRow
}

// NeedRow is a need in a list.
type NeedRow struct {
	ID                                                            int64
	Title, Where, Beneficiaries, Series, Frequency, Budget, Until string
}

// NewNeedRow formats n.
func NewNeedRow(n registry.Need) NeedRow {
	r := NeedRow{ID: n.ID, Title: n.Title, Where: n.TownName + " " + n.CommunityName + " · " + n.Place,
		Beneficiaries: strings.Join(n.Beneficiaries, "、"), Series: n.Series, Frequency: n.Frequency,
		Budget: "无", Until: Date(n.Until)}
	if n.Budget != nil {
		r.Budget = Yuan(*n.Budget)
	}
	return r
}

// ProjectRow is a project in a list.
type ProjectRow struct {
	ID                                                     int64
	Title, Org, OrgHref, Beneficiaries, Series, Cost, Town string
	Brand                                                  bool
	BrandPlan                                              string
}

// NewProjectRow formats p.
func NewProjectRow(paths Paths, p registry.Project) ProjectRow {
	return ProjectRow{ID: p.ID, Title: p.Title, Org: p.OrgName, OrgHref: paths.Org(p.OrgID),
		Beneficiaries: strings.Join(p.Beneficiaries, "、"), Series: p.Series, Cost: Yuan(p.Cost),
		Town: p.TownName + " " + p.CommunityName, Brand: p.Brand, BrandPlan: p.BrandPlan}
}

// MatchRow is a match in a list.
type MatchRow struct {
	Fair, FairHref, Need, Project, Org, Town, Outcome, Detail string
	Class                                                     StatusClass
}

// NewMatchRow formats m.
func NewMatchRow(paths Paths, m registry.Match) MatchRow {
	r := MatchRow{Fair: m.EventTitle, FairHref: paths.Fair(m.EventID), Need: m.NeedTitle, Project: m.ProjectTitle,
		Org: m.OrgName, Town: m.TownName, Outcome: m.Outcome.Label(), Detail: m.Reference, Class: StatusOK}
	if m.Outcome == registry.OutcomeNone {
		r.Detail, r.Class = m.Reason, StatusWarn
	}
	return r
}

// FairRow is a 洽谈会 in a list.
type FairRow struct{ Href, Title, Holder, Date, Venue string }

// NewFairRow formats f.
func NewFairRow(paths Paths, f registry.Fair) FairRow {
	return FairRow{Href: paths.Fair(f.ID), Title: f.Title, Holder: f.Holder, Date: Date(f.HeldOn), Venue: f.Venue}
}

// MatchingFormView is one of the plain forms of the area: a need, a project or a fair.
type MatchingFormView struct {
	Page
	Heading       string
	Action        string
	Cancel        string
	Kind          string // need, project, fair
	Form          FormData
	Communities   []Option
	Orgs          []Option
	Beneficiaries []Check
	Series        []Option
}

// FairView is a 洽谈会 with its matches and, for its holder, the form recording one.
type FairView struct {
	Page
	Back     string
	Fair     FairRow
	Matches  []MatchRow
	CanMatch bool
	Action   string
	Form     FormData
	Needs    []Option
	Projects []Option
	Outcomes []Option
}

// BrandsView lists the brand projects and, for the district, the form designating one.
type BrandsView struct {
	Page
	Brands       []ProjectRow
	CanDesignate bool
	Action       string
	Form         FormData
	Projects     []Option
}
