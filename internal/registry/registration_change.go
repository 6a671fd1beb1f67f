package registry

import (
	"errors"

	"github.com/yubei-cso/portal/internal/rules"
)

// ErrRegisteredParticular says an edit tried to change a registered group's 登记事项 (its name, legal form,
// 统一社会信用代码 or leader): those change only by the district's 变更登记 (ChangeRegistration).
var ErrRegisteredParticular = errors.New("a registered particular changes only by the district's 变更登记")

// RegistrationChange is a district 变更登记 of a registered group: its particulars as they are to stand, and the
// reason (what changed and on what decision), which the group's timeline keeps. An empty LeaderID keeps the
// stored 身份证号.
type RegistrationChange struct {
	LegalForm  rules.LegalForm
	NameParts  rules.NameParts // Zihao, Field and Form; the 行政区划 and 社区（村） parts stay the group's
	USCC       string
	LeaderName string
	LeaderID   string
	Reason     string
}

// MayChangeRegistration says whether o is a group whose registration the district may change: a live
// registered group.
func MayChangeRegistration(o Organization) bool { return o.Tier == TierRegistered && o.Status.Live() }
