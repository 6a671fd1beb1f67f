package web

import (
	"net/url"
	"strconv"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// DivisionListView is one town's 社区/村 for the district's 区划管理.
type DivisionListView struct {
	Page
	Base        string
	TownOptions []Option
	TownName    string
	NewHref     string
	Rows        []CommunityRow
}

// CommunityRow is one 社区/村 in the list.
type CommunityRow struct {
	Code, Name, Kind, Pilot, Groups, Accounts, Href string
	Status                                          string
	StatusClass                                     StatusClass
}

func communityStatus(c registry.Community) (string, StatusClass) {
	if c.Retired() {
		return "已撤销（" + Date(*c.RetiredAt) + "）", StatusWarn
	}
	return "在用", StatusOK
}

// NewDivisionList builds the list of town's communities.
func NewDivisionList(p Page, base string, towns []portal.Division, town string, list []registry.Community) DivisionListView {
	v := DivisionListView{Page: p, Base: base, NewHref: base + "/new?town=" + url.QueryEscape(town)}
	for _, t := range towns {
		v.TownOptions = append(v.TownOptions, Option{Value: t.Code, Label: t.Name, Selected: t.Code == town})
		if t.Code == town {
			v.TownName = t.Name
		}
	}
	for _, c := range list {
		r := CommunityRow{Code: c.Code, Name: c.Name, Kind: c.Kind, Pilot: "", Href: base + "/" + c.Code,
			Groups: strconv.Itoa(c.LiveGroups), Accounts: strconv.Itoa(c.Accounts)}
		if c.Pilot {
			r.Pilot = "试点"
		}
		r.Status, r.StatusClass = communityStatus(c)
		v.Rows = append(v.Rows, r)
	}
	return v
}

// CommunityFormView is the add form.
type CommunityFormView struct {
	Page
	Base        string
	Problems    map[string]string
	TownOptions []Option
	Town        Field
	Code        Field
	Name        Field
	KindOptions []Option
	KindProblem string
	Pilot       bool
}

func kindOptions(kind string) []Option {
	return []Option{{Value: "社区", Label: "社区（城市，居委会）", Selected: kind == "社区"},
		{Value: "村", Label: "村（农村，村委会）", Selected: kind == "村"}}
}

// NewCommunityForm builds the add form from the input as typed and its problems.
func NewCommunityForm(p Page, base string, towns []portal.Division, in registry.CommunityInput, problems map[string]string) CommunityFormView {
	v := CommunityFormView{Page: p, Base: base, Problems: problems, Pilot: in.Pilot, KindOptions: kindOptions(in.Kind),
		Town: Field{Value: in.Town, Problem: problems["town"]}, Code: Field{Value: in.Code, Problem: problems["code"]},
		Name: Field{Value: in.Name, Problem: problems["name"]}, KindProblem: problems["kind"]}
	for _, t := range towns {
		v.TownOptions = append(v.TownOptions, Option{Value: t.Code, Label: t.Name + "（" + t.Code + "）", Selected: t.Code == in.Town})
	}
	return v
}

// CommunityView is one 社区/村: its facts, the edit and retire forms, and its history.
type CommunityView struct {
	Page
	Base, Action, RetireAction string
	Town, Code, Name, Kind     string
	Status                     string
	StatusClass                StatusClass
	Retired                    bool
	Groups, Accounts           string
	CanRetire                  bool // nothing live is left: the retire button is offered
	Version                    string
	Problems                   map[string]string
	NameField                  Field
	KindOptions                []Option
	KindProblem                string
	Pilot                      bool
	RetireProblem              string
	History                    []DivisionEventRow
}

// DivisionEventRow is one line of a division's history.
type DivisionEventRow struct {
	At, What, Detail string
	Who              Who
}

// NewCommunityView builds the community's page; in is the edit form as typed (or as kept).
func NewCommunityView(p Page, base string, c registry.Community, in registry.CommunityInput, problems map[string]string, history []registry.DivisionEvent) CommunityView {
	href := base + "/" + c.Code
	v := CommunityView{Page: p, Base: base, Action: href, RetireAction: href + "/retire", Town: c.TownName,
		Code: c.Code, Name: c.Name, Kind: c.Kind, Retired: c.Retired(), Groups: strconv.Itoa(c.LiveGroups),
		Accounts: strconv.Itoa(c.Accounts), CanRetire: !c.Retired() && c.LiveGroups == 0 && c.Accounts == 0,
		Version: strconv.Itoa(c.Version), Problems: problems, NameField: Field{Value: in.Name, Problem: problems["name"]},
		KindOptions: kindOptions(in.Kind), KindProblem: problems["kind"], Pilot: in.Pilot, RetireProblem: problems["retire"]}
	v.Status, v.StatusClass = communityStatus(c)
	for _, e := range history {
		v.History = append(v.History, DivisionEventRow{At: DateTime(e.At), What: e.Label(), Detail: e.Detail,
			Who: NewWho(e.Actor, e.Username)})
	}
	return v
}
