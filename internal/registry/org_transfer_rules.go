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

// StaleCommunityText is, after a transfer renamed o (the latest "renamed" of events with the "transferred" before
// it), the community it left, when its own 简易章程 or 活动场所 still name it, and which of the two do ("" and nil
// otherwise). The platform renames the group but leaves what the group wrote to the group: the record says so.
func StaleCommunityText(o Organization, events []Event) (string, []string) {
	var renamed, moved *Event
	for i := range events {
		e := &events[i]
		if e.Kind == "renamed" && (renamed == nil || e.At.After(renamed.At) || e.At.Equal(renamed.At) && e.ID > renamed.ID) {
			renamed = e
		}
	}
	if renamed == nil || renamed.To != o.Name {
		return "", nil
	}
	for i := range events {
		e := &events[i]
		if e.Kind == "transferred" && !e.At.After(renamed.At) && (moved == nil || e.At.After(moved.At) || e.At.Equal(moved.At) && e.ID > moved.ID) {
			moved = e
		}
	}
	old := leftCommunity(o, renamed.From, moved)
	if old == "" || old == o.NameParts.Community {
		return "", nil
	}
	var fields []string
	if strings.Contains(o.Charter, old) {
		fields = append(fields, "简易章程")
	}
	if strings.Contains(o.Venue, old) {
		fields = append(fields, "活动场所")
	}
	if len(fields) == 0 {
		return "", nil
	}
	return old, fields
}

// leftCommunity is the community named in oldName, the name o had before the transfer renamed it: what precedes
// the unchanged 字号 + 业务领域 + 组织形式, after o's 行政区划 when the town stayed, else after the old town of the
// transfer's "from" (town and community, a town's name ending in 街道 or 镇).
func leftCommunity(o Organization, oldName string, moved *Event) string {
	p := o.NameParts
	head, ok := strings.CutSuffix(oldName, p.Zihao+p.Field+p.Form)
	if !ok {
		return ""
	}
	if c, ok := strings.CutPrefix(head, p.Prefix); ok {
		return c
	}
	if moved == nil {
		return ""
	}
	for _, end := range []string{"街道", "镇"} {
		if i := strings.Index(moved.From, end); i > 0 {
			if c := moved.From[i+len(end):]; strings.HasSuffix(head, c) {
				return c
			}
		}
	}
	return ""
}
