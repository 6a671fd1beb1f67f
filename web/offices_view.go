package web

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// OfficeRow is one community of the office list.
type OfficeRow struct {
	Town, Name, Phone, Address, Hours, Href, PublicHref string
	Set                                                 bool
}

// OfficeListView is the jurisdiction's communities with their public offices.
type OfficeListView struct {
	Page
	Rows    []OfficeRow
	Missing int
}

// NewOfficeList formats the list; base is the tier's /offices.
func NewOfficeList(p Page, base string, list []registry.CommunityOffice) OfficeListView {
	v := OfficeListView{Page: p}
	for _, o := range list {
		set := o.Version > 0
		if !set {
			v.Missing++
		}
		v.Rows = append(v.Rows, OfficeRow{Town: o.TownName, Name: o.CommunityName, Phone: o.Phone, Address: o.Address,
			Hours: o.Hours, Href: base + "/" + o.CommunityCode, PublicHref: "/divisions/" + o.CommunityCode, Set: set})
	}
	return v
}

// MissingLine says how many communities have no office recorded.
func (v OfficeListView) MissingLine() string {
	if v.Missing == 0 {
		return "每个社区（村）都已登记办公信息。"
	}
	return strconv.Itoa(v.Missing) + " 个社区（村）尚未登记办公信息，居民无法通过社区联系其社会组织。"
}

// OfficeFormView edits one community's office.
type OfficeFormView struct {
	Page
	Name, Town, Action, Back, Version string
	Phone, Address, Hours             Field
	Problems                          map[string]string
}

// NewOfficeForm is the form filled with o.
func NewOfficeForm(p Page, base string, o registry.CommunityOffice) OfficeFormView {
	return OfficeFormView{Page: p, Name: o.CommunityName, Town: o.TownName, Action: base + "/" + o.CommunityCode,
		Back: base, Version: strconv.Itoa(o.Version), Phone: Field{Value: o.Phone}, Address: Field{Value: o.Address},
		Hours: Field{Value: o.Hours}}
}

// SetProblems puts the messages at their fields.
func (v *OfficeFormView) SetProblems(p map[string]string) {
	v.Problems = p
	v.Phone.Problem, v.Address.Problem, v.Hours.Problem = p["phone"], p["address"], p["hours"]
}
