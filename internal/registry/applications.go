package registry

import (
	"errors"
	"slices"
	"time"

	"github.com/yubei-cso/portal/internal/rules"
)

// ApplicationStatus is where a registration application stands.
type ApplicationStatus string

const (
	AppSubmitted  ApplicationStatus = "submitted"  // 待受理
	AppAccepted   ApplicationStatus = "accepted"   // 已受理
	AppCorrection ApplicationStatus = "correction" // 待补正
	AppApproved   ApplicationStatus = "approved"   // 已准予
	AppRejected   ApplicationStatus = "rejected"   // 不予登记
)

// ApplicationStatuses in the order the district's queue works them.
var ApplicationStatuses = []ApplicationStatus{AppSubmitted, AppAccepted, AppCorrection, AppApproved, AppRejected}

// Valid reports whether s is a known status.
func (s ApplicationStatus) Valid() bool { return slices.Contains(ApplicationStatuses, s) }

// Open reports whether the application still waits for someone.
func (s ApplicationStatus) Open() bool {
	return s == AppSubmitted || s == AppAccepted || s == AppCorrection
}

// CanBecome is the workflow: 受理 a submitted application; return an accepted one for correction (补正), approve
// or reject it; a corrected application goes straight back to 已受理, since the district accepted it once already.
func (s ApplicationStatus) CanBecome(to ApplicationStatus) bool {
	switch s {
	case AppSubmitted:
		return to == AppAccepted
	case AppAccepted:
		return to == AppCorrection || to == AppApproved || to == AppRejected
	case AppCorrection:
		return to == AppAccepted
	}
	return false
}

// ApplicationInput is the application form. Leader phone and ID arrive in plain text, already validated; they are
// sealed and masked here. On a resubmission an empty phone or ID keeps the stored one, and OrgID and
// CommunityCode are those of the application, not of the form.
type ApplicationInput struct {
	OrgID         int64 // an existing guided or filed organization, or 0 for a new group
	CommunityCode string
	LegalForm     rules.LegalForm
	NameParts     rules.NameParts
	Fields        []string
	Nature        string
	LeaderName    string
	LeaderPhone   string
	LeaderID      string
	// PublishContact is the group's consent to show the leader's name on the public pages.
	PublishContact bool
	Venue          string
	Members        int
	Supervisor     string // 业务主管单位/指导单位
	Statement      string // 申请说明
}

// Application is one application as its pages show it; leader phone and ID are masks.
type Application struct {
	ID                  int64
	NewGroup            bool
	OrgID               int64 // the existing organization, or the one registered on approval; 0 before
	OrgName             string
	OrgTier             Tier
	DistrictCode        string
	TownCode            string
	TownName            string
	CommunityCode       string
	CommunityName       string
	Status              ApplicationStatus
	LegalForm           rules.LegalForm
	Name                string
	NameParts           rules.NameParts
	Fields              []string
	Nature              string
	LeaderName          string
	LeaderPhone         string // mask
	LeaderID            string // mask
	PublishContact      bool
	Venue               string
	Members             int
	Supervisor          string
	Statement           string
	Correction          string
	RejectReason        string
	USCC                string
	SubmittedByName     string
	SubmittedByUsername string
	SubmittedAt         time.Time
	UpdatedAt           time.Time
	DecidedByName       string
	DecidedByUsername   string
	DecidedAt           *time.Time
	Version             int
}

// ApplicationEvent is one step of an application: who moved it from which state to which, when and why.
type ApplicationEvent struct {
	ID        int64
	At        time.Time
	ActorName string // the username, as the step recorded it
	// ActorDisplayName is the account's display name (姓名), read from the account; "" for a step by no account
	ActorDisplayName string
	ActorDivision    string
	From             ApplicationStatus
	To               ApplicationStatus
	Reason           string
}

// Errors of the application workflow.
var (
	// ErrUSCCTaken says an organization holds the 统一社会信用代码 already.
	ErrUSCCTaken = errors.New("the 统一社会信用代码 is held by another organization")
	// ErrOpenApplication says the organization has an application under way already.
	ErrOpenApplication = errors.New("the organization has an application under way")
	// ErrNotApplicable says the organization is not a live guided or filed group (any more).
	ErrNotApplicable = errors.New("the organization cannot apply for registration")
)

// ApplicationFilter narrows the application list. Town and Community must lie inside the caller's scope (the
// handler refuses any other); the scope clause bounds every query whatever they say.
type ApplicationFilter struct {
	Status    ApplicationStatus // "" for all
	Town      string
	Community string
	After     int64 // keyset cursor: the last id of the previous page, 0 for the first
	Limit     int
}

// Summary describes the filter for the audit log.
func (f ApplicationFilter) Summary() string {
	return filterSummary("status", string(f.Status), "town", f.Town, "community", f.Community)
}

// ApplicableOrg is an organization that may apply for registration: live, guided or filed, with no application
// under way.
type ApplicableOrg struct {
	ID            int64
	Name          string
	Tier          Tier
	CommunityCode string
	NameParts     rules.NameParts
	Fields        []string
	Nature        string
	LeaderName    string
	Venue         string
	Members       int
	GuideUnit     string
}
