package registry

// 供需对接 — 社区服务项目洽谈会 (action plan §三(二)2) and 品牌项目: community needs, the service projects groups
// offer, the matching fairs and the matches made there, and the district's brand projects.

import (
	"errors"
	"time"

	"github.com/yubei-cso/portal/internal/rules"
)

// Outcome is what a match came to.
type Outcome string

const (
	OutcomeContract  Outcome = "contract"  // 政府购买服务
	OutcomeVenture   Outcome = "venture"   // 公益创投 application
	OutcomeVolunteer Outcome = "volunteer" // 志愿服务
	OutcomeNone      Outcome = "none"      // no deal, with a reason
)

// Outcomes in the order the pages list them.
var Outcomes = []Outcome{OutcomeContract, OutcomeVenture, OutcomeVolunteer, OutcomeNone}

// Label is the outcome as clerks say it.
func (o Outcome) Label() string {
	switch o {
	case OutcomeContract:
		return "政府购买服务"
	case OutcomeVenture:
		return "公益创投申报"
	case OutcomeVolunteer:
		return "志愿服务"
	case OutcomeNone:
		return "未达成"
	}
	return string(o)
}

// Valid reports whether o is one of Outcomes.
func (o Outcome) Valid() bool {
	for _, x := range Outcomes {
		if x == o {
			return true
		}
	}
	return false
}

// Errors of matching.
var (
	// ErrMatchAcrossTowns says a town's fair tried to match a need or project of another town.
	ErrMatchAcrossTowns = errors.New("a town's fair matches only its own needs and projects")
	// ErrMatchTaken says the need and project are already matched at this fair.
	ErrMatchTaken = errors.New("already matched at this fair")
	// ErrContractOfAnotherGroup says the contract a match names is not held by the project's group.
	ErrContractOfAnotherGroup = errors.New("the contract is not the project's group's")
	// ErrApplicationOfAnotherGroup says the 公益创投 application a match names is not the project's group's, or
	// not one the caller sees.
	ErrApplicationOfAnotherGroup = errors.New("the application is not the project's group's")
)

// NeedInput is a community need as posted.
type NeedInput struct {
	CommunityCode string
	Title         string
	Detail        string
	Beneficiaries []string // 服务对象, at least one
	Series        string
	Place         string
	Frequency     string
	Budget        *float64 // 元; nil: none
	Until         time.Time
}

// Validate checks the rules a form reader cannot: the need must name whom it serves, and run until a day not
// past.
func (in NeedInput) Validate(today time.Time) rules.Problems {
	p := rules.Problems{}
	if len(in.Beneficiaries) == 0 {
		p.Add("beneficiaries", "请选择服务对象")
	}
	if in.Budget != nil && (*in.Budget < 0 || *in.Budget > 1e9) {
		p.Add("budget", "预算应为 0 至 10 亿元之间的金额")
	}
	if !in.Until.IsZero() && in.Until.Before(today) {
		p.Add("until", "截止日期不能早于今天")
	}
	return p
}

// Need is a posted need with its place and whether a fair has matched it.
type Need struct {
	ID            int64
	TownCode      string
	TownName      string
	CommunityCode string
	CommunityName string
	Rural         bool
	Title         string
	Detail        string
	Beneficiaries []string
	Series        string
	Place         string
	Frequency     string
	Budget        *float64
	Until         time.Time
	Matched       int // matches with a deal
	CreatedAt     time.Time
}

// ProjectInput is a service project a group offers.
type ProjectInput struct {
	OrgID         int64
	Title         string
	Aims          string
	Activities    string
	Beneficiaries []string
	Series        string
	Cost          float64
	Team          string
}

// Validate checks what the form reader cannot.
func (in ProjectInput) Validate() rules.Problems {
	p := rules.Problems{}
	if len(in.Beneficiaries) == 0 {
		p.Add("beneficiaries", "请选择服务对象")
	}
	if in.Cost < 0 || in.Cost > 1e9 {
		p.Add("cost", "项目经费应为 0 至 10 亿元之间的金额")
	}
	return p
}

// Project is an offered service project with its group and whether it is a brand project.
type Project struct {
	ID            int64
	OrgID         int64
	OrgName       string
	TownCode      string
	TownName      string
	CommunityName string
	Rural         bool
	Title         string
	Aims          string
	Activities    string
	Beneficiaries []string
	Series        string
	Cost          float64
	Team          string
	Matched       int
	Brand         bool
	BrandPlan     string
}

// FairInput is a matching fair (洽谈会).
type FairInput struct {
	Title  string
	HeldOn time.Time
	RoomID int64  // a support platform's room, 0 for none
	Venue  string // the place in words; may be blank when a room is named
}

// Validate checks that the fair says where it is held.
func (in FairInput) Validate() rules.Problems {
	p := rules.Problems{}
	if in.RoomID == 0 && in.Venue == "" {
		p.Add("venue", "请选择支持平台场地或填写举办地点")
	}
	return p
}

// Fair is a fair with its holder: TownCode "" for the district.
type Fair struct {
	ID       int64
	TownCode string
	Holder   string
	Title    string
	HeldOn   time.Time
	Venue    string
	// the support platform's room it is held in, if any
	RoomID, PlatformID int64
	RoomName           string
	Matches            []Match
	MatchCount         int // every match recorded at it (Matches is capped): the match form's token
}

// MatchInput is one match recorded at a fair.
type MatchInput struct {
	EventID       int64
	NeedID        int64
	ProjectID     int64
	Outcome       Outcome
	ContractID    int64  // the 政府购买服务 contract, required for OutcomeContract
	ApplicationID int64  // the 公益创投 application, required for OutcomeVenture
	Reason        string // why there was no deal
	Seen          int    // the form's token: how many matches the fair had when the form was shown
}

// Validate checks the outcome and that no deal says why.
func (in MatchInput) Validate() rules.Problems {
	p := rules.Problems{}
	if !in.Outcome.Valid() {
		p.Add("outcome", "请选择对接结果")
	}
	if in.Outcome == OutcomeNone && in.Reason == "" {
		p.Add("reason", "未达成对接时请写明原因")
	}
	if in.Outcome == OutcomeContract && in.ContractID == 0 {
		p.Add("contract", "政府购买服务请选择所签订的合同")
	}
	if in.Outcome == OutcomeVenture && in.ApplicationID == 0 {
		p.Add("application", "公益创投请选择该项目申报组织的申报")
	}
	return p
}

// Match is a match with the names of its need, project and fair.
type Match struct {
	ID           int64
	EventID      int64
	EventTitle   string
	NeedID       int64
	NeedTitle    string
	ProjectID    int64
	ProjectTitle string
	OrgName      string
	TownName     string
	Outcome      Outcome
	ContractID   int64
	Contract     string // the contract's project name
	// the 公益创投 application: its round, its project and round as one label, and whether the reader may open
	// the round's page
	ApplicationID   int64
	RoundID         int64
	Application     string
	ApplicationSeen bool
	Reference       string // the free 申报编号 of a match from before applications were linked
	Reason          string
	CreatedAt       time.Time
}

// ApplicationChoice is a 公益创投 application a match may name: its group and a label (project, group, round).
type ApplicationChoice struct {
	ID, OrgID int64
	Label     string
}

// RoomChoice is a support platform's room a fair may be held in.
type RoomChoice struct {
	ID, PlatformID int64
	Label          string // 平台 · 场地（容纳 N 人）
}

// BoardFilter narrows the board: by 服务对象, 主题系列 and urban or rural communities ("" for all).
type BoardFilter struct {
	Beneficiary string
	Series      string
	Area        string // "urban", "rural" or ""
}

// Kinds of a 供需对接 create form's token: the count of the records of that kind its clerk has created (for a
// 品牌项目, the district's designation revisions) when the form was shown.
const (
	TokenNeed    = "need"
	TokenProject = "project"
	TokenFair    = "fair"
	TokenBrand   = "brand"
	TokenSession = "session" // a 骨干人才培训 session
)

// MatchingBoard is a scope's 供需对接 board: open needs, open projects, matches and fairs.
type MatchingBoard struct {
	Needs    []Need
	Projects []Project
	Matches  []Match
	Fairs    []Fair
}
