package registry

// 区划 kept in the browser (issue 17): the district adds a 社区/村 under a town, renames it, sets it 社区 (urban)
// or 村 (rural) and 试点, and retires it once no live group is left in it. `portal divisions import` stays for
// the first load.

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/rules"
)

// The store's answers a clerk can act on.
var (
	ErrDivisionCodeTaken   = errors.New("divisions: the code is taken")
	ErrDivisionNameTaken   = errors.New("divisions: the town has a community of that name")
	ErrDivisionLiveGroups  = errors.New("divisions: the community still has live groups")
	ErrDivisionLiveAccount = errors.New("divisions: the community still has active accounts")
	ErrDivisionRetired     = errors.New("divisions: the community is retired")
)

// CommunityKinds are the two kinds of community: 社区 (居委会, urban) and 村 (村委会, rural).
var CommunityKinds = []string{"社区", "村"}

// CommunityInput is the add or edit form as typed. Code and Town are read only when adding.
type CommunityInput struct {
	Town  string
	Code  string
	Name  string
	Kind  string
	Pilot bool
}

// Validate checks the form; adding checks the code too. A problem is filed under the field's name.
func (in CommunityInput) Validate(adding bool) rules.Problems {
	p := rules.Problems{}
	if adding {
		switch {
		case portal.LevelOfCode(in.Town) != portal.TierTown:
			p.Add("town", "请选择所属镇街")
		case in.Code == "":
			p.Add("code", "请填写 12 位统计用区划代码")
		case len(in.Code) != 12 || strings.Trim(in.Code, "0123456789") != "":
			p.Add("code", "区划代码应为 12 位数字，如 "+in.Town+"001")
		case !strings.HasPrefix(in.Code, in.Town):
			p.Add("code", "区划代码应以所属镇街的代码 "+in.Town+" 开头")
		}
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		p.Add("name", "请填写名称，如 锦华社区、石坪村")
	case n < 2 || n > 40:
		p.Add("name", "名称应为 2–40 字")
	case !strings.HasSuffix(in.Name, "社区") && !strings.HasSuffix(in.Name, "村"):
		p.Add("name", "名称应以“社区”或“村”结尾")
	}
	if in.Kind != "社区" && in.Kind != "村" {
		p.Add("kind", "请选择类型：社区（城市）或村（农村）")
	}
	return p
}

// Community is a 社区/村 as the district keeps it.
type Community struct {
	portal.Division
	TownName   string
	Pilot      bool
	Version    int
	RetiredAt  *time.Time
	LiveGroups int // 正常 and 活动异常 groups in it
	Accounts   int // active committee accounts in it
}

// Retired says whether the community is retired.
func (c Community) Retired() bool { return c.RetiredAt != nil }

// DivisionEvent is one change of a division, from the audit log, for its history.
type DivisionEvent struct {
	At       time.Time
	Actor    string // display name
	Username string
	Action   string
	Detail   string
}

// Label is the change as clerks say it.
func (e DivisionEvent) Label() string {
	switch e.Action {
	case "division.create":
		return "新增"
	case "division.update":
		return "修改"
	case "division.retire":
		return "撤销（停用）"
	case "division.import":
		return "导入"
	case "stats.pilot_mark":
		return "标记试点"
	case "stats.pilot_unmark":
		return "取消试点"
	}
	return e.Action
}
