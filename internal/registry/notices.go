package registry

import (
	"errors"
	"slices"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
)

// NoticeKinds are the kinds of major activity the plan names (seed §(四)2).
var NoticeKinds = []string{"节庆活动", "文化演出", "体育竞赛", "人员集会"}

// NoticeStatus is where a major-activity notice stands.
type NoticeStatus string

const (
	NoticeSubmitted        NoticeStatus = "submitted"         // 待确认
	NoticeAcknowledged     NoticeStatus = "acknowledged"      // 已确认
	NoticeChangesRequested NoticeStatus = "changes_requested" // 需修改
	NoticeWithdrawn        NoticeStatus = "withdrawn"         // 已撤回
)

// NoticeStatuses in the order the lists offer them.
var NoticeStatuses = []NoticeStatus{NoticeSubmitted, NoticeAcknowledged, NoticeChangesRequested, NoticeWithdrawn}

// Valid reports whether s is a known status.
func (s NoticeStatus) Valid() bool { return slices.Contains(NoticeStatuses, s) }

// CanBecome is the workflow: the town acknowledges a waiting notice or asks for changes; the committee resubmits
// a notice it was asked to change, and withdraws any notice that is not withdrawn already (before the start, which
// the store checks against the clock).
func (s NoticeStatus) CanBecome(to NoticeStatus) bool {
	switch s {
	case NoticeSubmitted:
		return to == NoticeAcknowledged || to == NoticeChangesRequested || to == NoticeWithdrawn
	case NoticeChangesRequested:
		return to == NoticeSubmitted || to == NoticeWithdrawn
	case NoticeAcknowledged:
		return to == NoticeWithdrawn
	}
	return false
}

// NoticeUrgentWithin is how close to its start a notice still waiting for the town stands out (临近未确认).
const NoticeUrgentWithin = 72 * time.Hour

// NoticeInput is the notice form. The contact phone arrives in plain text, already validated; it is sealed and
// masked here. On a resubmission an empty phone keeps the stored one. The community is the caller's own, never
// the form's.
type NoticeInput struct {
	OrgID        int64 // the organizing group, 0 when the committee itself organizes
	Kind         string
	Title        string
	StartsAt     time.Time
	EndsAt       time.Time
	Place        string
	Attendance   int
	Organizer    string
	Safety       string
	ContactName  string
	ContactPhone string
}

// Notice is one notice as its pages show it; the contact phone is a mask.
type Notice struct {
	ID                  int64
	OrgID               int64
	OrgName             string
	DistrictCode        string
	TownCode            string
	TownName            string
	CommunityCode       string
	CommunityName       string
	Kind                string
	Title               string
	StartsAt            time.Time
	EndsAt              time.Time
	Place               string
	Attendance          int
	Organizer           string
	Safety              string
	ContactName         string
	ContactPhone        string // mask
	Status              NoticeStatus
	Reason              string
	SubmittedByName     string
	SubmittedByUsername string
	SubmittedAt         time.Time
	UpdatedAt           time.Time
	DecidedByName       string
	DecidedByUsername   string
	DecidedAt           *time.Time
	Version             int
}

// Urgent reports whether the notice still waits for the town although its start is less than NoticeUrgentWithin
// away, or past.
func (n Notice) Urgent(now time.Time) bool {
	return n.Status == NoticeSubmitted && n.StartsAt.Before(now.Add(NoticeUrgentWithin))
}

// Started reports whether the activity has begun at now (then it can no longer be withdrawn).
func (n Notice) Started(now time.Time) bool { return !n.StartsAt.After(now) }

// NoticeEvent is one state change of a notice: who moved it from which state to which, when and why.
type NoticeEvent struct {
	ID        int64
	At        time.Time
	ActorName string // the username, as the step recorded it
	// ActorDisplayName is the account's display name (姓名), read from the account; "" for a step by no account
	ActorDisplayName string
	ActorDivision    string
	From             NoticeStatus
	To               NoticeStatus
	Reason           string
}

// NoticeOrg is a live group of a community that may organize a reported activity.
type NoticeOrg struct {
	ID   int64
	Name string
}

// Errors of the notice workflow.
var (
	// ErrNoticeStarted says the activity has begun: it must be reported before, and cannot be withdrawn after.
	ErrNoticeStarted = errors.New("the activity has started")
	// ErrNoticeOrg says the organizing group is not a live group of the reporting community.
	ErrNoticeOrg = errors.New("the organizing group is not a live group of the community")
)

// NoticeFilter narrows the notice list. Town and Community must lie inside the caller's scope (the handler
// refuses any other); the scope clause bounds every query whatever they say.
type NoticeFilter struct {
	Town      string       // a town code inside the scope, "" for all
	Community string       // a community code inside the scope, "" for all
	Kind      string       // one of NoticeKinds, "" for all
	Status    NoticeStatus // "" for all
	From      *time.Time   // activities starting at or after
	To        *time.Time   // activities starting before
	After     int64        // keyset cursor: the last id of the previous page, 0 for the first
	Limit     int
}

// Summary describes the filter for the audit log.
func (f NoticeFilter) Summary() string {
	from, to := "", ""
	if f.From != nil {
		from = f.From.In(portal.Beijing).Format("2006-01-02")
	}
	if f.To != nil { // the day before the exclusive end: the last day the clerk chose
		to = f.To.In(portal.Beijing).AddDate(0, 0, -1).Format("2006-01-02")
	}
	return filterSummary("town", f.Town, "community", f.Community, "kind", f.Kind, "status", string(f.Status),
		"from", from, "to", to)
}

// NoticeListLimit caps the town's calendar and its table of waiting notices.
const NoticeListLimit = 500
