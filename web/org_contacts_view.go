package web

// View models of a group's 联系人 (§三(二)3): the section on its record, the form that sets one, and the list
// of groups without one.

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// ContactsWithout is the list of groups without a 联系人.
func (p Paths) ContactsWithout() string { return p.Orgs() + "/without-contact" }

// OrgContactHref is where a group's 联系人 is set.
func (p Paths) OrgContactHref(id int64) string { return p.Org(id) + "/contact" }

// OrgContactsView is the 联系人 section of a group's record.
type OrgContactsView struct {
	Shown   bool
	Current *ContactRow
	Earlier []ContactRow
	SetHref string // "" when the viewer does not keep the group
	// RevealAction is where the viewer asks for the current 联系人's full phone with a reason, as for a leader's
	// ("" when the viewer may not); RevealedPhone is that phone, shown once, and RevealedReason the reason given.
	RevealAction                  string
	RevealReason                  Field
	RevealedPhone, RevealedReason string
}

// ContactRow is one 联系人, phone masked.
type ContactRow struct {
	Name, Kind, Unit, Phone, Period string
	By                              Who
}

func contactRow(c registry.OrgContact) ContactRow {
	period := Date(c.FromOn) + " 起"
	if c.UntilOn != nil {
		period = Date(c.FromOn) + " 至 " + Date(*c.UntilOn)
	}
	return ContactRow{Name: c.Name, Kind: c.Kind, Unit: c.Unit, Phone: c.PhoneMask, Period: period, By: NewWho(c.SetBy, c.SetAs)}
}

// NewOrgContactsView builds the section from the group's 联系人, the current one first.
func NewOrgContactsView(cs []registry.OrgContact, setHref string) OrgContactsView {
	v := OrgContactsView{Shown: true, SetHref: setHref}
	for _, c := range cs {
		if c.UntilOn == nil && v.Current == nil {
			r := contactRow(c)
			v.Current = &r
			continue
		}
		v.Earlier = append(v.Earlier, contactRow(c))
	}
	return v
}

// OrgContactFormView sets or changes a group's 联系人.
type OrgContactFormView struct {
	Page
	OrgName, OrgHref, Action string
	Seen                     string // the current 联系人's id, or 0: the form's token
	Current                  *ContactRow
	Name, Unit, Phone, From  Field
	Kind                     Field
	KindOptions              []Option
	Problems                 map[string]string
}

// ContactKindOptions offers the kinds of 联系人 with selected chosen.
func ContactKindOptions(selected string) []Option { return Choices(registry.ContactKinds, selected) }

// ContactsWithoutExport is the list of groups without a 联系人 as a spreadsheet.
func (p Paths) ContactsWithoutExport() string { return p.ContactsWithout() + ".xlsx" }

// OrgsWithoutContactView lists the live groups of the jurisdiction without a 联系人.
type OrgsWithoutContactView struct {
	Page
	Rows     []OrgWithoutContactRow
	NextHref string
	XLSX     string // the whole list, every page, as a spreadsheet
}

// OrgsWithoutContactHeader are the columns of the list's spreadsheet.
var OrgsWithoutContactHeader = []string{"组织名称", "管理层级", "镇街", "社区（村）"}

// OrgWithoutContactCells is one group's row of the spreadsheet.
func OrgWithoutContactCells(o registry.OrgWithoutContact) []any {
	return []any{o.Name, o.Tier.Label(), o.Town, o.Community}
}

// OrgWithoutContactRow is one group without a 联系人, with where to set one.
type OrgWithoutContactRow struct {
	Name, Href, Tier, Community, SetHref string
}

// NewOrgsWithoutContactView formats the list, offering the form where keeps says the viewer keeps the group;
// more says another page follows.
func NewOrgsWithoutContactView(page Page, paths Paths, orgs []registry.OrgWithoutContact, more bool, keeps func(registry.OrgWithoutContact) bool) OrgsWithoutContactView {
	v := OrgsWithoutContactView{Page: page, XLSX: paths.ContactsWithoutExport()}
	for _, o := range orgs {
		r := OrgWithoutContactRow{Name: o.Name, Href: paths.Org(o.ID), Tier: o.Tier.Label(), Community: o.Community}
		if keeps(o) {
			r.SetHref = paths.OrgContactHref(o.ID)
		}
		v.Rows = append(v.Rows, r)
	}
	if more && len(orgs) > 0 {
		v.NextHref = paths.ContactsWithout() + "?after=" + strconv.FormatInt(orgs[len(orgs)-1].ID, 10)
	}
	return v
}
