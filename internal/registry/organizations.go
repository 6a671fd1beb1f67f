package registry

import (
	"errors"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/rules"
)

// OrgInput is what a form or an import gives to create an organization. Leader phone and ID arrive in plain
// text, already validated; they are sealed and masked here and never stored in the clear.
type OrgInput struct {
	CommunityCode  string
	Tier           Tier
	LegalForm      rules.LegalForm
	NameParts      rules.NameParts
	USCC           string
	FilingNo       string
	Fields         []string
	Nature         string
	Beneficiaries  []string
	FoundedOn      *time.Time
	LeaderName     string
	LeaderPhone    string
	LeaderID       string
	Venue          string
	Charter        string
	Members        int
	Volunteers     int
	Funding        string
	GuideUnit      string
	PartyStatus    string
	PartyMembers   int
	Incubation     string
	PublishContact bool
	Demo           bool
}

// ErrNameTaken says a live organization in the district already has this name.
var ErrNameTaken = errors.New("a live organization has this name")

// OrgRights is what a scope may do to one organization it can see (三级管理: the 村(居)委会 keeps its guided
// groups, the 镇街 manages every group in its town, the district decides their status).
type OrgRights struct {
	Edit         bool // change the record's fields
	ChangeStatus bool // 正常 / 活动异常 / 已注销 / 已撤销
	Reveal       bool // see the leader's full phone and 身份证号, with a reason, audited
	End          bool // 注销 a live guided group: its committee ends what it keeps (to 已注销 only)
}

// RightsOn says what scope may do to o. It assumes o lies inside scope (the store has already checked that). A
// dissolved or revoked record is kept as it was; it is edited again only after its status is restored.
func RightsOn(scope portal.Scope, o Organization) OrgRights {
	r := OrgRights{
		ChangeStatus: portal.Can(scope.Tier, portal.ChangeOrgStatus),
		Reveal:       portal.Can(scope.Tier, portal.RevealPersonal),
	}
	// A committee keeps only the groups it guides; a filed or registered group's record is kept above it.
	r.Edit = portal.Can(scope.Tier, portal.EditOrg) && o.Status.Live() &&
		(scope.Tier != portal.TierCommunity || o.Tier == TierGuided)
	r.End = portal.Can(scope.Tier, portal.EndGuidedOrg) && o.Status.Live() && o.Tier == TierGuided
	return r
}

// MayCreate says whether scope may record a new organization of tier t: here only a 村(居)委会 records its
// guided groups; filed and registered groups arrive through their own workflows.
func MayCreate(scope portal.Scope, t Tier, legal rules.LegalForm) bool {
	return portal.Can(scope.Tier, portal.CreateOrg) && t == TierGuided && legal == rules.FormUnregistered
}

// ErrReasonRequired says a status other than 正常 needs a reason.
var ErrReasonRequired = errors.New("a reason is required for this status")

// Place names where a community lies, for the 行政区划 and 社区（村） parts of a new group's name.
type Place struct {
	DistrictName  string
	TownName      string
	CommunityName string
}
