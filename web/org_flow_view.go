package web

// Moving a group (issue 13): filing a guided group on its own record, and transfers between communities — the
// links its record offers, the transfer form and the whole-community move.

import (
	"strconv"
	"strings"
)

// GuidedFiling is the guided group a 成立备案 files on its own record, with the record's version the form
// started from; the zero value is a 成立备案 of a new group.
type GuidedFiling struct {
	ID      int64
	Version int
	Name    string
	Href    string
}

// IDValue and VersionValue are the hidden inputs of the form.
func (g GuidedFiling) IDValue() string      { return strconv.FormatInt(g.ID, 10) }
func (g GuidedFiling) VersionValue() string { return strconv.Itoa(g.Version) }

// OrgFlow is what a group's record offers to move it: a 成立备案 on this record for a live guided group (a
// town), and a transfer to another community (a town or the district). "" is not offered.
type OrgFlow struct {
	FileHref     string
	TransferHref string
	StaleText    *StaleText // after a transfer renamed the group: its own text that still names the old community
}

// StaleText says that a group renamed by a transfer still names the community it left in what it wrote.
type StaleText struct {
	Old      string   // the community it left
	Fields   []string // 简易章程, 活动场所: the fields that name it
	EditHref string   // the record's edit form, for a caller who may edit it; "" otherwise
}

// Which lists the fields in words: 简易章程和活动场所.
func (s StaleText) Which() string { return strings.Join(s.Fields, "和") }

// TransferView is the form that moves one group to another community.
type TransferView struct {
	Page
	Action            string
	OrgHref           string
	Name              string
	Current           string // the community it is in: 镇街 + 社区（村）
	Version           int
	To                Field
	ToOptions         []Option
	Reason            Field
	Problems          map[string]string
	CommunityMoveHref string          // the whole-community move of its current community
	Rename            *TransferRename // nil: the name stays
	Registered        bool            // a registered group: its name changes only by 变更登记
}

// TransferRename is how the transfer form shows the name a group named after its community takes in the
// community chosen: the page composes it as the clerk chooses (app.js), the server composes it again on send.
type TransferRename struct {
	Prefix   string // the 行政区划 part when it names no town (kept as it is)
	District string // the district part of a 行政区划 that names the town ("" with Prefix)
	Town     string // the town of options not grouped by town (a town's own communities)
	Suffix   string // 字号 + 业务领域 + 组织形式
	NewName  string // composed for the community chosen, "" before one is
}

// Confirm is what the form asks before the move.
func (v TransferView) Confirm() string {
	return "确定将“" + v.Name + "”迁移到所选社区（村）吗？迁移后由迁入社区（村）及其镇街管理，统计随之变化；" +
		"迁移将记入组织档案的时间线和审计日志。"
}

// MoveGroup is one group on the whole-community page.
type MoveGroup struct {
	ID      string
	Name    string
	Href    string
	Tier    string
	Status  string
	Class   StatusClass
	Checked bool
	NewName string // the name it takes in the community chosen; "" when it keeps its own (or none is chosen)
	Keeps   string // why the name stays, once a community is chosen
}

// CommunityMoveView is the whole-community move: choose the community, then the groups, the community they
// move to and the reason.
type CommunityMoveView struct {
	Page
	Action      string // the page itself: the GET form picks the community, the POST form moves
	From        Field
	FromOptions []Option
	FromName    string // "" until a community is chosen
	Groups      []MoveGroup
	All         bool
	Token       string
	To          Field
	ToOptions   []Option
	Reason      Field
	OrgsProblem string
	Problems    map[string]string
	ListHref    string
	ToName      string // the community chosen, shown with the names the groups take there
	Renames     int    // how many of the groups change their name there
}

// Confirm is what the form asks before the move.
func (v CommunityMoveView) Confirm() string {
	return "确定将“" + v.FromName + "”所选的组织一并迁移到所选社区（村）吗？迁移后由迁入社区（村）及其镇街管理，统计随之变化；" +
		"每个组织的时间线和审计日志都将记录本次迁移。"
}
