package registry

// 联系人 (行动方案 §三(二)3 "配备专人联系、指导和服务"): the community or platform staff member who follows a group.

import (
	"errors"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/rules"
)

// ContactKinds are where a 联系人 works: the community, as a social worker, or at a support platform.
var ContactKinds = []string{"社区工作人员", "社会工作者", "支持平台工作人员"}

// OrgContact is one 联系人 of a group, current (UntilOn nil) or past. The phone is only ever its mask here.
type OrgContact struct {
	ID        int64
	OrgID     int64
	Name      string
	Kind      string
	Unit      string // 所在单位及岗位, e.g. 锦华社区居委会 or 双龙湖街道社区社会组织孵化基地
	PhoneMask string
	FromOn    time.Time
	UntilOn   *time.Time
	SetBy     string // the account's display name
	SetAs     string // its username
	SetAt     time.Time
}

// ContactInput is the 联系人 form as typed.
type ContactInput struct{ Name, Kind, Unit, Phone, FromOn string }

// NewContact is a checked 联系人 to set.
type NewContact struct {
	Name, Kind, Unit string
	Phone            string // normalized; sealed by the store
	FromOn           time.Time
}

// Parse checks the form against today (now): every field is required, the phone a mobile or landline number,
// the start no later than today.
func (in ContactInput) Parse(now time.Time) (NewContact, rules.Problems) {
	p := rules.Problems{}
	c := NewContact{Name: in.Name, Kind: in.Kind, Unit: in.Unit}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		p.Add("contact_name", "请填写联系人姓名")
	case n > 30:
		p.Add("contact_name", "姓名不能超过 30 字")
	}
	if !slices.Contains(ContactKinds, in.Kind) {
		p.Add("contact_kind", "请选择联系人类别")
	}
	switch n := utf8.RuneCountInString(in.Unit); {
	case n == 0:
		p.Add("contact_unit", "请填写所在单位及岗位，如“锦华社区居委会 社工”")
	case n > 60:
		p.Add("contact_unit", "所在单位及岗位不能超过 60 字")
	}
	if err := rules.CheckPhone(in.Phone); err != nil {
		p.Add("contact_phone", "联系电话："+err.Error())
	} else {
		c.Phone = rules.NormalizePhone(in.Phone)
	}
	day, err := time.ParseInLocation("2006-01-02", in.FromOn, now.Location())
	switch {
	case in.FromOn == "":
		p.Add("contact_from", "请填写起始日期")
	case err != nil:
		p.Add("contact_from", "日期格式应为 2021-07-21")
	case day.After(now):
		p.Add("contact_from", "起始日期不能晚于今天")
	case day.Year() < 2000:
		p.Add("contact_from", "起始日期不能早于 2000 年")
	default:
		c.FromOn = day
	}
	return c, p
}

// KeepsContact says whether scope sets the 联系人 of o: the committee or town that keeps the group's record.
func KeepsContact(scope portal.Scope, o Organization) bool {
	return portal.Can(scope.Tier, portal.SetOrgContact) && RightsOn(scope, o).Edit
}

// ErrContactBeforeCurrent says a new 联系人 would start before the current one did.
var ErrContactBeforeCurrent = errors.New("a new contact cannot start before the current one")

// OrgWithoutContact is a live group that has no 联系人.
type OrgWithoutContact struct {
	ID        int64
	Name      string
	Tier      Tier
	Community string // its community's name
	Town      string // its town's name
}
