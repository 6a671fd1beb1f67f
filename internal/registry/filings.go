package registry

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/rules"
)

// FilingKind is what a filing asks for.
type FilingKind string

const (
	FilingEstablish FilingKind = "establish" // 成立备案: creates the organization on approval
	FilingChange    FilingKind = "change"    // 变更备案: changes some of a filed organization's data
	FilingCancel    FilingKind = "cancel"    // 注销备案: the group has ceased; it stays in the registry as dissolved
)

// FilingStatus is where a filing stands.
type FilingStatus string

const (
	FilingSubmitted FilingStatus = "submitted" // 待审核
	FilingApproved  FilingStatus = "approved"  // 已备案
	FilingReturned  FilingStatus = "returned"  // 已退回
)

// ChangeItem is one thing a 变更备案 may change.
type ChangeItem struct {
	Key   string
	Label string
}

// ChangeItems are the items a 变更备案 may change, in the order forms and timelines list them. The name, the
// community and the 备案编号 do not change by filing: a new name is a new 成立备案.
var ChangeItems = []ChangeItem{
	{"leader_name", "负责人姓名"}, {"leader_phone", "负责人电话"}, {"leader_id", "负责人身份证号"},
	{"venue", "活动场所"}, {"members", "成员人数"}, {"volunteers", "志愿者人数"},
	{"funding", "活动资金来源"}, {"guide_unit", "指导单位"},
}

// ChangeLabels turns change keys into the words clerks read, joined with 、.
func ChangeLabels(keys []string) string {
	var out []string
	for _, c := range ChangeItems {
		for _, k := range keys {
			if k == c.Key {
				out = append(out, c.Label)
			}
		}
	}
	return strings.Join(out, "、")
}

// FormatFilingNo is the 备案编号: 渝北社备〔year〕 + the last three digits of the town's code (its number inside the
// district) + a four-digit sequence per town and year, e.g. 渝北社备〔2026〕002-0001号.
func FormatFilingNo(year int, townCode string, seq int) string {
	return fmt.Sprintf("渝北社备〔%d〕%s-%04d号", year, townCode[len(townCode)-3:], seq)
}

// FilingInput is what a town officer files. Leader phone and ID arrive in plain text, already validated; they
// are sealed and masked here. For 成立备案 every organization field applies; for 变更备案 only the items named in
// Changes (a blank phone or ID means "unchanged"); for 注销备案 CancelOn and Reason.
type FilingInput struct {
	Kind          FilingKind
	OrgID         int64  // 变更 and 注销: the organization
	CommunityCode string // 成立: the community the group belongs to
	// 成立 of a group the committee already records (村居指导): its record, which approval moves up to 镇街备案,
	// and the record's version the clerk started from (a different one at submission is a conflict).
	GuidedOrgID    int64
	GuidedVersion  int
	NameParts      rules.NameParts
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
	PublishContact bool
	Changes        []string
	CancelOn       *time.Time
	Reason         string
}

// NewDocument describes a file the uploads folder has stored for a filing.
type NewDocument struct {
	Kind        string // 章程, 成员名册, 其他
	Filename    string
	ContentType string
	Size        int64
	StorageKey  string
	SHA256      string
}

// Document is a stored document of a filing.
type Document struct {
	ID          int64
	FilingID    int64
	Kind        string
	Filename    string
	ContentType string
	SizeBytes   int64
	StorageKey  string
	Sha256      string
	UploadedAt  time.Time
}

// Filing is one filing as its pages show it; leader phone and ID are masks.
type Filing struct {
	ID                  int64
	OrgID               int64
	TownCode            string
	TownName            string
	TownKind            string
	CommunityCode       string
	CommunityName       string
	Kind                FilingKind
	Status              FilingStatus
	Name                string
	NameParts           rules.NameParts
	Fields              []string
	Nature              string
	Beneficiaries       []string
	FoundedOn           *time.Time
	LeaderName          string
	LeaderPhone         string // mask
	LeaderID            string // mask
	Venue               string
	Charter             string
	Members             int
	Volunteers          int
	Funding             string
	GuideUnit           string
	PartyStatus         string
	PartyMembers        int
	PublishContact      bool
	Changes             []string
	CancelOn            *time.Time
	Reason              string
	ReturnReason        string
	FilingNo            string // the organization's 备案编号, once there is one
	OrgStatus           Status
	OrgTier             Tier
	SubmittedByName     string
	SubmittedByUsername string
	SubmittedAt         time.Time
	DecidedByName       string
	DecidedByUsername   string
	DecidedAt           *time.Time
	SelfDecided         bool // decided by its submitter, the town's single active officer
	Version             int
	GuidedOrgID         int64  // a 成立备案 of a guided group already recorded: its record, 0 otherwise
	GuidedOrgName       string // that record's name
}

// FilingFilter narrows the filing list. Town and Community must lie inside the caller's scope (the handler
// refuses any other); the scope clause bounds every query whatever they say.
type FilingFilter struct {
	Status    FilingStatus
	Kind      FilingKind
	Town      string
	Community string
	After     int64 // keyset cursor: the last id of the previous page, 0 for the first
	Limit     int
}

// Summary describes the filter for the audit log.
func (f FilingFilter) Summary() string {
	return filterSummary("status", string(f.Status), "kind", string(f.Kind), "town", f.Town,
		"community", f.Community)
}

// FilingOrgEvent is one event of the organization's timeline with the display name (姓名) of the account that
// acted, "" when no account did (the event's ActorName keeps the username it recorded).
type FilingOrgEvent struct {
	Event
	ActorDisplayName string
}

// FiledOrg is what a 变更 or 注销 filing starts from: a filed organization's current data (masked).
type FiledOrg struct {
	ID            int64
	Name          string
	FilingNo      string
	CommunityCode string
	Tier          Tier
	Status        Status
	LeaderName    string
	LeaderPhone   string // mask
	LeaderID      string // mask
	Venue         string
	Members       int
	Volunteers    int
	Funding       string
	GuideUnit     string
}

// Errors of the filing workflow.
var (
	ErrOpenFiling = errors.New("the organization has a filing awaiting review")
	ErrNotFiled   = errors.New("the organization is not a live filed organization")
	// ErrNotGuided: a 成立备案 named a record that is not (or no longer) a live guided group.
	ErrNotGuided = errors.New("the organization is not a live guided group")
)

// Decision is the outcome of approving a filing.
type Decision struct {
	OrgID    int64
	FilingNo string
}

// Certificate is what a 备案证明 prints. It names the leader but carries no phone or ID number.
type Certificate struct {
	OrgID         int64
	Name          string
	FilingNo      string
	LeaderName    string
	Venue         string
	Fields        []string
	Nature        string
	TownName      string
	TownKind      string
	FiledAt       time.Time
	Status        Status
	StatusOn      *time.Time
	VerifyToken   string
	CommunityName string
}

// Verification is what the public verification page of a 备案证明 shows: nothing personal, except the leader's
// name when the group chose to publish it.
type Verification struct {
	Name       string
	FilingNo   string
	TownName   string
	TownKind   string
	FiledAt    time.Time
	Status     Status
	StatusOn   *time.Time
	LeaderName string // "" unless the group publishes its contact
}

// ErrOwnFiling says an officer tried to decide a filing it submitted while the town has another active officer,
// who must decide it (四眼原则).
var ErrOwnFiling = errors.New("a filing is decided by an officer other than its submitter")
