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
	BrandPlan, Aims                                        string
}

// NewProjectRow formats p.
func NewProjectRow(paths Paths, p registry.Project) ProjectRow {
	return ProjectRow{ID: p.ID, Title: p.Title, Org: p.OrgName, OrgHref: paths.Org(p.OrgID),
		Beneficiaries: strings.Join(p.Beneficiaries, "、"), Series: p.Series, Cost: Yuan(p.Cost),
		Town: p.TownName + " " + p.CommunityName, Brand: p.Brand, BrandPlan: p.BrandPlan, Aims: p.Aims}
}

// OrgProjects is a group's service projects, brand projects first, for its record; or its brand projects alone,
// for its public profile.
type OrgProjects struct {
	Rows []ProjectRow
}

// NewOrgProjects formats a group's projects.
func NewOrgProjects(paths Paths, ps []registry.Project) OrgProjects {
	v := OrgProjects{}
	for _, p := range ps {
		v.Rows = append(v.Rows, NewProjectRow(paths, p))
	}
	return v
}

// MatchRow is a match in a list; a 政府购买服务 match names its contract (DetailHref: the contract's page, for
// the tiers that have one).
type MatchRow struct {
	Fair, FairHref, Need, Project, Org, Town, Outcome, Detail, DetailHref string
	Class                                                                 StatusClass
}

// NewMatchRow formats m; contracts links the contract to its page.
func NewMatchRow(paths Paths, m registry.Match, contracts bool) MatchRow {
	r := MatchRow{Fair: m.EventTitle, FairHref: paths.Fair(m.EventID), Need: m.NeedTitle, Project: m.ProjectTitle,
		Org: m.OrgName, Town: m.TownName, Outcome: m.Outcome.Label(), Detail: m.Reference, Class: StatusOK}
	switch {
	case m.Outcome == registry.OutcomeNone:
		r.Detail, r.Class = m.Reason, StatusWarn
	case m.ContractID != 0:
		r.Detail = "合同：" + m.Contract
		if contracts {
			r.DetailHref = paths.Contract(m.ContractID)
		}
	case m.ApplicationID != 0:
		r.Detail = "申报：" + m.Application
		if m.ApplicationSeen {
			r.DetailHref = paths.RoundPage(m.RoundID)
		}
	}
	return r
}

// FairRow is a 洽谈会 in a list; RoomHref is the support platform's room it is held in, if any.
type FairRow struct{ Href, Title, Holder, Date, Venue, RoomHref string }

// NewFairRow formats f.
func NewFairRow(paths Paths, f registry.Fair) FairRow {
	r := FairRow{Href: paths.Fair(f.ID), Title: f.Title, Holder: f.Holder, Date: Date(f.HeldOn), Venue: f.Venue}
	if f.RoomID != 0 {
		r.RoomHref = paths.Room(f.PlatformID, f.RoomID)
		if f.Venue != f.RoomName {
			r.Venue = f.RoomName + "（" + f.Venue + "）"
		}
	}
	return r
}

// MatchingFormView is one of the plain forms of the area: a need, a project or a fair.
type MatchingFormView struct {
	Page
	Heading       string
	Action        string
	Cancel        string
	Kind          string // need, project, fair
	Seen          string // the form's token
	Form          FormData
	Communities   []Option
	Orgs          []Option
	Rooms         []Option // a fair's support platform rooms
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
	Seen     string // the match form's token: the fair's matches when it was shown
	Form     FormData
	Needs    []Option
	Projects []Option
	Outcomes []Option
	// the contracts a 政府购买服务 match may name, and where a new one is signed (empty: not here)
	Contracts   []Option
	NewContract string
	// the 公益创投 applications a match may name, and where groups apply (empty: not here)
	Applications []Option
	Rounds       string
}

// LinkedMatches is the 供需对接 matches that led to a contract, for the contract's page.
type LinkedMatches struct {
	Rows []MatchRow
}

// RoomFairList is what was held in a room (洽谈会, training sessions), for the room's page.
type RoomFairList struct {
	Rows     []FairRow
	Sessions []TrainingSessionRow // the training sessions held there
}

// BrandsView lists the brand projects and, for the district, the form designating one.
type BrandsView struct {
	Page
	Brands       []ProjectRow
	CanDesignate bool
	Action       string
	Seen         string // the designation form's token
	Form         FormData
	Projects     []Option
}
