package registry

// Transfer between communities (issue 13): a group moves to another community (its committee's area changed, it
// moved), or a whole community's groups move at once (a community split or merged). A town moves its groups
// between its own communities; the district moves any group anywhere. The record keeps its id, name and history;
// its reports stay counted where they were filed; the kept organization counts follow the move.

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/rules"
)

// TransferReasonMax bounds a transfer's reason.
const TransferReasonMax = 500

// ErrSameCommunity says a transfer named the community the group is in already.
var ErrSameCommunity = errors.New("the group is in that community already")

// Transfer moves one group: To is the community's code, Reason what the timeline keeps.
type Transfer struct {
	To     string
	Reason string
}

// Validate checks what a clerk typed; whether To lies in the caller's jurisdiction is the store's answer.
func (t Transfer) Validate() rules.Problems {
	p := rules.Problems{}
	if t.To == "" {
		p.Add("to", "请选择迁入的社区（村）")
	}
	checkTransferReason(p, t.Reason)
	return p
}

func checkTransferReason(p rules.Problems, reason string) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(reason)); {
	case n == 0:
		p.Add("reason", "请写明迁移原因，如“社区（村）调整，锦华社区拆分设立锦绣社区”")
	case n > TransferReasonMax:
		p.Add("reason", "迁移原因不能超过 500 字")
	}
}

// CommunityMove moves the groups of community From to community To in one step: all of them (All), or the
// ones IDs names. Token is the state of From's groups the clerk saw (CommunityGroups): a group added, moved or
// changed since makes it stale.
type CommunityMove struct {
	From, To string
	All      bool
	IDs      []int64
	Token    string
	Reason   string
}

// Validate checks what a clerk chose and typed.
func (m CommunityMove) Validate() rules.Problems {
	p := rules.Problems{}
	switch {
	case m.To == "":
		p.Add("to", "请选择迁入的社区（村）")
	case m.To == m.From:
		p.Add("to", "迁入的社区（村）不能与迁出的相同")
	}
	if !m.All && len(m.IDs) == 0 {
		p.Add("orgs", "请选择要迁移的组织，或选择“全部组织”")
	}
	checkTransferReason(p, m.Reason)
	return p
}

// TransferCandidate is one group of a community on the whole-community page.
type TransferCandidate struct {
	ID        int64
	Name      string
	Tier      Tier
	Status    Status
	NameParts rules.NameParts // the parts of its name, for the name it takes in the community chosen
	TownName  string
}

// NameIn is the name the group takes when it moves to community of town, and whether it changes: the rule of
// TransferredName, which the move applies.
func (c TransferCandidate) NameIn(town, community string) (string, bool) {
	parts, ok := TransferredName(Organization{ID: c.ID, Name: c.Name, Tier: c.Tier, Status: c.Status,
		NameParts: c.NameParts, TownName: c.TownName}, town, community)
	if !ok {
		return c.Name, false
	}
	return rules.ComposeName(parts), true
}
