package registry

// Incubation at a 孵化基地: a group enters with a mentor and goals, milestones are recorded, and it leaves as
// 出壳 (with the tier it reached) or 退出 (with a reason).

import (
	"errors"
	"slices"
	"time"

	"github.com/yubei-cso/portal/internal/rules"
)

// Incubation statuses.
const (
	IncubationActive    = "incubating" // 在孵
	IncubationHatched   = "hatched"    // 出壳
	IncubationWithdrawn = "withdrawn"  // 退出
)

// IncubationStatusLabel is a status as clerks say it.
func IncubationStatusLabel(s string) string {
	switch s {
	case IncubationHatched:
		return "出壳"
	case IncubationWithdrawn:
		return "退出"
	}
	return "在孵"
}

// IncubationInput enters a group into incubation.
type IncubationInput struct {
	OrgID     int64
	EnteredOn *time.Time
	Mentor    string
	Goals     string
}

// Validate checks an entry into incubation at time now.
func (in IncubationInput) Validate(now time.Time) rules.Problems {
	p := rules.Problems{}
	if in.OrgID <= 0 {
		p.Add("incubate_org", "请选择入孵的社会组织")
	}
	switch {
	case in.EnteredOn == nil:
		p.Add("entered_on", "请填写入孵日期")
	case in.EnteredOn.After(DateOf(now)):
		p.Add("entered_on", "入孵日期不能晚于今天")
	}
	textProblem(p, "mentor", "导师", in.Mentor, 2, 40)
	textProblem(p, "goals", "孵化目标", in.Goals, 2, 500)
	return p
}

// MilestoneInput records a milestone of an incubation.
type MilestoneInput struct {
	On   *time.Time
	Note string
}

// Validate checks a milestone of an incubation that began on entered.
func (in MilestoneInput) Validate(entered time.Time) rules.Problems {
	p := rules.Problems{}
	switch {
	case in.On == nil:
		p.Add("milestone_on", "请填写日期")
	case in.On.Before(entered):
		p.Add("milestone_on", "日期不能早于入孵日期")
	}
	textProblem(p, "milestone_note", "阶段成果", in.Note, 2, 200)
	return p
}

// LeaveInput ends an incubation: 出壳 with the tier reached, or 退出 with a reason.
type LeaveInput struct {
	Status      string // IncubationHatched or IncubationWithdrawn
	On          *time.Time
	TierReached Tier // TierFiled or TierRegistered, for 出壳
	Reason      string
}

// Validate checks the leaving of an incubation that began on entered.
func (in LeaveInput) Validate(entered time.Time) rules.Problems {
	p := rules.Problems{}
	switch in.Status {
	case IncubationHatched:
		if !slices.Contains([]Tier{TierFiled, TierRegistered}, in.TierReached) {
			p.Add("tier_reached", "出壳须选择达到的管理层级（镇街备案或登记）")
		}
	case IncubationWithdrawn:
		textProblem(p, "leave_reason", "退出原因", in.Reason, 2, 200)
	default:
		p.Add("leave_status", "请选择出壳或退出")
	}
	switch {
	case in.On == nil:
		p.Add("left_on", "请填写日期")
	case in.On.Before(entered):
		p.Add("left_on", "日期不能早于入孵日期")
	}
	return p
}

// Incubation is one group's stay at a 孵化基地.
type Incubation struct {
	ID          int64
	PlatformID  int64
	OrgID       int64
	OrgName     string
	EnteredOn   time.Time
	Mentor      string
	Goals       string
	Status      string
	LeftOn      *time.Time
	TierReached Tier
	Reason      string
	Milestones  []Milestone
	Version     int
}

// Milestone is one recorded step of an incubation.
type Milestone struct {
	On   time.Time
	Note string
}

// IncubationOutcomes counts a base's cohort by status.
type IncubationOutcomes struct {
	Active, Hatched, Withdrawn, Filed, Registered int
}

// CohortOutcomes counts the cohort.
func CohortOutcomes(cohort []Incubation) IncubationOutcomes {
	var o IncubationOutcomes
	for _, i := range cohort {
		switch i.Status {
		case IncubationHatched:
			o.Hatched++
			if i.TierReached == TierRegistered {
				o.Registered++
			} else {
				o.Filed++
			}
		case IncubationWithdrawn:
			o.Withdrawn++
		default:
			o.Active++
		}
	}
	return o
}

// Errors of incubation.
var (
	ErrNotIncubator       = errors.New("only a 孵化基地 incubates groups")
	ErrAlreadyIncubating  = errors.New("the group is being incubated already")
	ErrIncubationFinished = errors.New("the incubation has ended already")
)
