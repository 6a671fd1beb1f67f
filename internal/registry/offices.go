package registry

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/rules"
)

// Limits of a community office, as the table holds them.
const (
	OfficeAddressMax = 100
	OfficeHoursMax   = 60
)

// officePhone is a landline with its area code (023-67889900), the shape the table checks.
var officePhone = regexp.MustCompile(`^0[0-9]{2,3}-[0-9]{7,8}$`)

// Validate checks a community office as the town or the district typed it; keys are the form's input names.
// A mobile number is refused: the office phone is published, and a clerk's own mobile must not be.
func (o CommunityOffice) Validate() rules.Problems {
	p := rules.Problems{}
	if o.Phone != "" && !officePhone.MatchString(o.Phone) {
		p.Add("phone", "办公电话应为带区号的座机号码，如 023-67889900；不要填写手机号")
	}
	if n := utf8.RuneCountInString(o.Address); n > OfficeAddressMax {
		p.Add("address", "办公地址不能超过 "+strconv.Itoa(OfficeAddressMax)+" 字，现为 "+strconv.Itoa(n)+" 字")
	}
	if n := utf8.RuneCountInString(o.Hours); n > OfficeHoursMax {
		p.Add("hours", "办公时间不能超过 "+strconv.Itoa(OfficeHoursMax)+" 字，现为 "+strconv.Itoa(n)+" 字")
	}
	if o.Phone == "" && strings.TrimSpace(o.Address) == "" {
		p.Add("phone", "请至少填写办公电话或办公地址")
	}
	return p
}
