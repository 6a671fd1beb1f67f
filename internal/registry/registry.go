// Package registry is the domain of the organization registry with no I/O: organizations in their three
// management tiers (分类管理), their statuses and timeline, and the lists of words the forms offer.
package registry

import (
	"time"

	"github.com/yubei-cso/portal/internal/rules"
)

// Tier is an organization's management tier (分类管理), which is not the same as the government tier that
// manages it: guided groups are kept by a 村(居)委会, filed groups by a 镇街, registered ones by the district.
type Tier string

const (
	TierGuided     Tier = "guided"     // 村居指导
	TierFiled      Tier = "filed"      // 镇街备案
	TierRegistered Tier = "registered" // 登记
)

// Tiers in the order a group moves up through them.
var Tiers = []Tier{TierGuided, TierFiled, TierRegistered}

// Label is the tier as clerks say it.
func (t Tier) Label() string {
	switch t {
	case TierGuided:
		return "村居指导"
	case TierFiled:
		return "镇街备案"
	case TierRegistered:
		return "登记"
	}
	return string(t)
}

// Valid reports whether t is a known tier.
func (t Tier) Valid() bool { return t == TierGuided || t == TierFiled || t == TierRegistered }

// Status is whether a group is alive. A dissolved or revoked group stays in the registry.
type Status string

const (
	StatusNormal    Status = "normal"    // 正常
	StatusAbnormal  Status = "abnormal"  // 活动异常
	StatusDissolved Status = "dissolved" // 已注销
	StatusRevoked   Status = "revoked"   // 已撤销
)

// Statuses in display order.
var Statuses = []Status{StatusNormal, StatusAbnormal, StatusDissolved, StatusRevoked}

// Label is the status word clerks use.
func (s Status) Label() string {
	switch s {
	case StatusNormal:
		return "正常"
	case StatusAbnormal:
		return "活动异常"
	case StatusDissolved:
		return "已注销"
	case StatusRevoked:
		return "已撤销"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == StatusNormal || s == StatusAbnormal || s == StatusDissolved || s == StatusRevoked
}

// Live reports whether the group still counts (its name stays reserved).
func (s Status) Live() bool { return s == StatusNormal || s == StatusAbnormal }

// Fields are the 服务领域 offered on forms (several may be chosen).
var Fields = []string{"为民服务", "养老照护", "公益慈善", "文体娱乐", "农业农村服务", "邻里互助", "平安建设",
	"矛盾调解", "儿童关爱", "助残服务", "环境保护", "科普教育", "法律服务", "心理服务", "志愿服务"}

// Natures are the 性质 of a group.
var Natures = []string{"服务性", "公益性", "互助性"}

// Beneficiaries are the 服务对象 groups named by the plan.
var Beneficiaries = []string{"低保对象", "特困人员", "空巢老人", "农村留守人员", "困境儿童", "残疾人",
	"进城务工人员及随迁子女", "社区居民"}

// PartyStatuses are the 党建 coverage states.
var PartyStatuses = []string{"单独建立", "联合建立", "党建指导员", "未覆盖"}

// Organization is one group in the registry, at any tier.
type Organization struct {
	ID             int64
	DistrictCode   string
	TownCode       string
	TownName       string
	CommunityCode  string
	CommunityName  string
	Tier           Tier
	LegalForm      rules.LegalForm
	Name           string
	NameParts      rules.NameParts
	USCC           string // registered groups only
	FilingNo       string // 备案编号, filed groups only
	Fields         []string
	Nature         string
	Beneficiaries  []string
	FoundedOn      *time.Time
	LeaderName     string
	LeaderPhone    string // masked unless revealed; the store never returns the plain value by default
	LeaderID       string // masked unless revealed
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
	Status         Status
	StatusOn       *time.Time
	StatusReason   string
	Demo           bool
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int
}

// Event is one row of an organization's timeline: who did what, when and why.
type Event struct {
	ID            int64
	OrgID         int64
	At            time.Time
	ActorName     string
	ActorDisplay  string // the account's display name, "" when no account acted (the seed, an import)
	ActorDivision string
	Kind          string
	From          string
	To            string
	Reason        string
}

// EventLabel is the timeline word for an event kind.
func EventLabel(kind string) string {
	switch kind {
	case "created":
		return "建档"
	case "updated":
		return "信息变更"
	case "tier_changed":
		return "管理层级变更"
	case "status_changed":
		return "状态变更"
	case "filed":
		return "备案"
	case "filing_changed":
		return "变更备案"
	case "filing_cancelled":
		return "注销备案"
	case "registered":
		return "准予登记"
	case "registration_changed":
		return "变更登记"
	case "document_added":
		return "上传材料"
	case "transferred": // issue 13: transfer between communities
		return "迁移"
	case "renamed": // issue 13: a transfer renames a group named after its community
		return "更名"
	}
	return kind
}
