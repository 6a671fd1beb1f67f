package registry

// 安家 (the plan's “安家”工程): a group given a home at a platform, from one date to another, under an agreement.

import (
	"errors"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/rules"
)

// HousingInput gives a group a home at a platform (optionally one of its rooms).
type HousingInput struct {
	OrgID     int64
	RoomID    int64 // 0: the platform as a whole
	From      *time.Time
	To        *time.Time
	Agreement string // 安家协议 number or title
}

// Validate checks a home.
func (in HousingInput) Validate() rules.Problems {
	p := rules.Problems{}
	if in.OrgID <= 0 {
		p.Add("home_org", "请选择安家的社会组织")
	}
	dateRangeProblem(p, "from_on", "to_on", "安家期限", in.From, in.To)
	textProblem(p, "agreement", "安家协议", in.Agreement, 0, 80)
	return p
}

// Housing is one group's home at a platform.
type Housing struct {
	ID         int64
	PlatformID int64
	RoomName   string
	OrgID      int64
	OrgName    string
	From       time.Time
	To         time.Time
	Agreement  string
}

// Current reports whether the home covers the day of now.
func (h Housing) Current(now time.Time) bool {
	d := DateOf(now)
	return !d.Before(h.From) && !d.After(h.To)
}

// DateOf is the calendar day (北京时间) of t, as a UTC midnight the way dates come back from PostgreSQL.
func DateOf(t time.Time) time.Time {
	y, m, d := t.In(portal.Beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ErrAlreadyHoused says the group has a home for an overlapping period already.
var ErrAlreadyHoused = errors.New("the group has a home for an overlapping period")
