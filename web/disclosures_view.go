package web

// View models of 信息公开: a group's disclosures as its record and its public profile show them (each current
// revision with the superseded ones beneath it), and the form that publishes or corrects one.

import (
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/registry"
)

// DisclosureMoney is one category of a 收支情况 as shown.
type DisclosureMoney struct {
	Category string
	Amount   string // 12,000.00 元
}

// DisclosureItem is one revision as shown.
type DisclosureItem struct {
	ID          int64
	Kind        string
	Title       string
	Date        string
	Paragraphs  []string
	Finance     bool
	Income      []DisclosureMoney
	Spending    []DisclosureMoney
	IncomeSum   string
	SpendingSum string
	Balance     string // 结余, negative when spending passed income
	Revision    int
	Reason      string // 更正说明 of this revision; "" for a first one
	Superseded  bool
	Published   string // when it was published (or superseded, for an old one)
	CorrectHref string // "" when the viewer may not correct it
}

// DisclosureChain is a disclosure: its current revision and the earlier ones it replaced, newest first.
type DisclosureChain struct {
	Current DisclosureItem
	Earlier []DisclosureItem
}

// DisclosuresView is a group's 信息公开, on its record's page or on its public profile.
type DisclosuresView struct {
	Chains []DisclosureChain
}

// NewDisclosuresView groups revisions (newest first) into chains in the order of their current revisions;
// correctBase, when not "", is where the viewer corrects a current revision (correctBase/{id}/correct).
func NewDisclosuresView(list []registry.Disclosure, correctBase string) DisclosuresView {
	var v DisclosuresView
	at := map[int64]int{} // disclosure_no → index in Chains
	var earlier = map[int64][]DisclosureItem{}
	for _, d := range list {
		it := newDisclosureItem(d)
		if d.Current() {
			if correctBase != "" {
				it.CorrectHref = correctBase + "/" + strconv.FormatInt(d.ID, 10) + "/correct"
			}
			at[d.No] = len(v.Chains)
			v.Chains = append(v.Chains, DisclosureChain{Current: it})
			continue
		}
		earlier[d.No] = append(earlier[d.No], it)
	}
	for no, items := range earlier {
		if i, ok := at[no]; ok {
			v.Chains[i].Earlier = items
		}
	}
	return v
}

func newDisclosureItem(d registry.Disclosure) DisclosureItem {
	it := DisclosureItem{ID: d.ID, Kind: d.Kind.Label(), Title: d.Title, Date: Date(d.DisclosedOn),
		Revision: d.Revision, Reason: d.CorrectionReason, Superseded: !d.Current(), Published: Date(d.PublishedAt),
		Finance: d.Kind == registry.DisclosureFinance}
	if d.SupersededAt != nil {
		it.Published = Date(*d.SupersededAt)
	}
	for _, p := range strings.Split(d.Body, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			it.Paragraphs = append(it.Paragraphs, p)
		}
	}
	if it.Finance {
		for _, l := range d.Lines {
			m := DisclosureMoney{Category: l.Category, Amount: l.Amount.String() + " 元"}
			if l.Side == registry.SideIncome {
				it.Income = append(it.Income, m)
			} else {
				it.Spending = append(it.Spending, m)
			}
		}
		in, out := d.Totals()
		it.IncomeSum, it.SpendingSum, it.Balance = in.String()+" 元", out.String()+" 元", (in-out).String()+" 元"
	}
	return it
}

// OrgDisclosuresView is the signed-in page of a group's 信息公开: what is published and, for the tier that
// publishes for the group, the links to publish more.
type OrgDisclosuresView struct {
	Page
	OrgName     string
	OrgHref     string
	ListHref    string
	PublicHref  string
	NewLinks    []NavItem // one per kind; empty when the viewer does not publish for this group
	Who         string    // who publishes for this group, said when the viewer does not
	Disclosures DisclosuresView
}

// DisclosureFormView publishes a new disclosure or corrects one.
type DisclosureFormView struct {
	Page
	OrgName      string
	OrgHref      string
	BackHref     string
	Action       string
	Kind         string // the kind's value
	KindLabel    string
	Correct      bool
	Version      string
	Title        Field
	Date         Field
	Body         Field
	Reason       Field
	Income       []MoneyInput
	Spending     []MoneyInput
	LinesProblem string
	Problems     map[string]string
}

// MoneyInput is one category's amount input of the 收支情况 table.
type MoneyInput struct {
	Name     string // the input's name: income-0, spending-3
	Category string
	Field
}

// Finance reports whether the form carries the 收支情况 table.
func (v DisclosureFormView) Finance() bool { return v.Kind == string(registry.DisclosureFinance) }

// NewDisclosureForm is an empty form for kind (or the revision to correct, filled from it by SetFrom).
func NewDisclosureForm(p Page, kind registry.DisclosureKind) DisclosureFormView {
	v := DisclosureFormView{Page: p, Kind: string(kind), KindLabel: kind.Label()}
	for i, c := range registry.IncomeCategories {
		v.Income = append(v.Income, MoneyInput{Name: "income-" + strconv.Itoa(i), Category: c})
	}
	for i, c := range registry.SpendingCategories {
		v.Spending = append(v.Spending, MoneyInput{Name: "spending-" + strconv.Itoa(i), Category: c})
	}
	return v
}

// SetFrom fills the form with a revision's content, for its correction.
func (v *DisclosureFormView) SetFrom(d registry.Disclosure) {
	v.Title.Value, v.Date.Value, v.Body.Value = d.Title, d.DisclosedOn.Format("2006-01-02"), d.Body
	for _, l := range d.Lines {
		list := v.Spending
		if l.Side == registry.SideIncome {
			list = v.Income
		}
		for i := range list {
			if list[i].Category == l.Category {
				list[i].Value = l.Amount.Plain()
			}
		}
	}
}
