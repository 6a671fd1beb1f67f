package registry

// What a transfer between communities may not leave behind (issue 13): an open case the old town or community
// must still decide, and a name that names the old community.

import (
	"errors"
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/rules"
)

// ErrOpenCase says a group still has a case open where it is now: a transfer waits until that case is decided.
var ErrOpenCase = errors.New("the group has an open case")

// OpenCase is a case of a group that is still waiting for a decision: a filing (成立/变更/注销备案), a 登记申请,
// or a 重大活动报告 it organizes. Each carries the town and community it was filed in and is decided there.
type OpenCase struct {
	OrgName string
	Kind    string // "filing:establish", "filing:change", "filing:cancel", "application", "major_activity"
	ID      int64
	Status  string
	Title   string // a 重大活动报告's title
}

// OpenCaseError is ErrOpenCase with the case that blocks the transfer.
type OpenCaseError struct{ Case OpenCase }

func (e *OpenCaseError) Error() string        { return "open case: " + e.Case.Label() }
func (e *OpenCaseError) Is(target error) bool { return target == ErrOpenCase }

// Label names the case as a clerk finds it in the lists: its kind, number and state.
func (c OpenCase) Label() string {
	no := "第 " + strconv.FormatInt(c.ID, 10) + " 号"
	switch c.Kind {
	case "filing:establish":
		return "成立备案" + no + "（待审核）"
	case "filing:change":
		return "变更备案" + no + "（待审核）"
	case "filing:cancel":
		return "注销备案" + no + "（待审核）"
	case "application":
		state := map[string]string{"submitted": "待受理", "accepted": "已受理", "correction": "待补正"}[c.Status]
		return "登记申请" + no + "（" + state + "）"
	case "major_activity":
		state := map[string]string{"submitted": "待确认", "changes_requested": "需修改"}[c.Status]
		return "重大活动报告“" + c.Title + "”（" + state + "）"
	}
	return c.Kind + no
}

// Problem is the message at the transfer form's field.
func (c OpenCase) Problem() string {
	return "“" + c.OrgName + "”有未办结的" + c.Label() + "，由原镇街和社区（村）办理。请先办结（准予、退回或撤回）后再迁移。"
}

// TransferredName is the name a group takes when it moves to community (of town): a 村居指导 or 镇街备案 group
// whose name the portal composed from its parts names its community, so the 社区（村） part becomes the new
// community and a 行政区划 that names the old town names the new one. ok is false when the name stays: a
// registered group (its name changes only by 变更登记), a group no longer live, or a name not composed from
// its parts (an old import).
func TransferredName(o Organization, town, community string) (parts rules.NameParts, ok bool) {
	parts = o.NameParts
	if !NameFollowsCommunity(o) {
		return parts, false
	}
	if o.TownName != "" && strings.HasSuffix(parts.Prefix, o.TownName) {
		parts.Prefix = strings.TrimSuffix(parts.Prefix, o.TownName) + town
	}
	parts.Community = community
	return parts, rules.ComposeName(parts) != o.Name
}

// NameFollowsCommunity says whether o's name changes with its community on a transfer (see TransferredName).
func NameFollowsCommunity(o Organization) bool {
	return o.Tier != TierRegistered && o.Status.Live() && o.NameParts.Community != "" &&
		rules.ComposeName(o.NameParts) == o.Name
}
