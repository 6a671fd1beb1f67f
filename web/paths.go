package web

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/portal"
)

// Paths are the addresses of one tier's area (/district, /town or /community), made from the tier, so that
// handlers and views build links by what they lead to rather than by gluing strings to a base.
type Paths struct{ root string }

// PathsFor is the area of tier t.
func PathsFor(t portal.Tier) Paths { return Paths{root: "/" + string(t)} }

// Root is the area's 工作台.
func (p Paths) Root() string { return p.root }

// Orgs is the organization list; Org one record.
func (p Paths) Orgs() string        { return p.root + "/orgs" }
func (p Paths) Org(id int64) string { return p.Orgs() + "/" + strconv.FormatInt(id, 10) }

// Filings is the 备案 list.
func (p Paths) Filings() string { return p.root + "/filings" }

// Applications is the 登记申请 list.
func (p Paths) Applications() string { return p.root + "/applications" }

// Reports is the activity-report list.
func (p Paths) Reports() string { return p.root + "/reports" }

// Notices is the 重大活动 area.
func (p Paths) Notices() string { return p.root + "/notices" }

// WorkReports is the 定期工作报告 area; Evaluations the 评估评议 list.
func (p Paths) WorkReports() string { return p.root + "/work-reports" }
func (p Paths) Evaluations() string { return p.root + "/evaluations" }

// Accounts is account administration.
func (p Paths) Accounts() string { return p.root + "/accounts" }
