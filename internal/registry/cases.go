package registry

// 典型案例 (seed §四(三) 典型引领): a town or the district writes up a group as an example; the district publishes
// it, returns it with a reason, or takes it down again.

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/rules"
)

// CaseStatus is where a 典型案例 stands.
type CaseStatus string

const (
	CaseSubmitted CaseStatus = "submitted" // 待审核
	CasePublished CaseStatus = "published" // 已发布
	CaseReturned  CaseStatus = "returned"  // 已退回
	CaseWithdrawn CaseStatus = "withdrawn" // 已撤下
)

// CaseStatuses in the order the lists offer them.
var CaseStatuses = []CaseStatus{CaseSubmitted, CasePublished, CaseReturned, CaseWithdrawn}

var caseStatusLabels = map[CaseStatus]string{CaseSubmitted: "待审核", CasePublished: "已发布", CaseReturned: "已退回",
	CaseWithdrawn: "已撤下"}

// Label is the status in the words clerks use.
func (s CaseStatus) Label() string { return caseStatusLabels[s] }

// Valid reports whether s is a known status.
func (s CaseStatus) Valid() bool { return slices.Contains(CaseStatuses, s) }

// CanBecome is the workflow: the district publishes or returns a submitted case and takes a published one down;
// the writer resubmits a returned case. A case taken down stays down: a new case is written instead.
func (s CaseStatus) CanBecome(to CaseStatus) bool {
	switch s {
	case CaseSubmitted:
		return to == CasePublished || to == CaseReturned
	case CaseReturned:
		return to == CaseSubmitted
	case CasePublished:
		return to == CaseWithdrawn
	}
	return false
}

// Limits of a case.
const (
	CaseTitleMax  = 60
	CaseStoryMin  = 20
	CaseStoryMax  = 5000
	CaseReasonMax = 500
)

// CaseInput is the case form; the jurisdiction comes from the group, never from the form.
type CaseInput struct {
	OrgID  int64
	Title  string
	Series string
	Story  string
}

// Validate checks the form's own rules (the group's jurisdiction is the store's to check).
func (in CaseInput) Validate() rules.Problems {
	p := rules.Problems{}
	if in.OrgID <= 0 {
		p.Add("org", "请选择案例所写的组织")
	}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		p.Add("title", "请填写案例标题")
	case n > CaseTitleMax:
		p.Add("title", "案例标题不能超过 "+strconv.Itoa(CaseTitleMax)+" 字，现为 "+strconv.Itoa(n)+" 字")
	}
	if !slices.Contains(ReportSeries, in.Series) {
		p.Add("series", "请选择主题系列")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(in.Story)); {
	case n == 0:
		p.Add("story", "请填写案例正文")
	case n < CaseStoryMin:
		p.Add("story", "案例正文至少 "+strconv.Itoa(CaseStoryMin)+" 字，现为 "+strconv.Itoa(n)+" 字")
	case n > CaseStoryMax:
		p.Add("story", "案例正文不能超过 "+strconv.Itoa(CaseStoryMax)+" 字，现为 "+strconv.Itoa(n)+" 字")
	}
	return p
}

// Case is one 典型案例 as its pages show it.
type Case struct {
	ID            int64
	OrgID         int64
	OrgName       string
	TownCode      string
	TownName      string
	CommunityCode string
	CommunityName string
	AuthorCode    string
	AuthorName    string
	Title         string
	Series        string
	Story         string
	Status        CaseStatus
	Reason        string
	SubmittedAt   time.Time
	UpdatedAt     time.Time
	PublishedAt   *time.Time
	CorrectedAt   *time.Time // the district's last 更正 of the published text, nil when never corrected
	Photos        int
	Version       int
}

// CaseEvent is one state change of a case.
type CaseEvent struct {
	ID               int64
	At               time.Time
	ActorName        string
	ActorDisplayName string
	ActorDivision    string
	From             CaseStatus
	To               CaseStatus
	Reason           string
}

// CasePhoto is a photo of a case.
type CasePhoto struct {
	ID          int64
	CaseID      int64
	Position    int
	ContentType string
	SizeBytes   int64
	Width       int
	Height      int
	StorageKey  string
	ThumbKey    string
	ThumbType   string
}

// CaseFilter narrows the signed-in list of cases.
type CaseFilter struct {
	Status CaseStatus // "" for all
	After  int64      // keyset cursor: the last id of the previous page
	Limit  int
}

// CaseListLimit caps one page of a case list.
const CaseListLimit = 50

// ErrCaseOrg says the group is not a live group inside the writer's jurisdiction.
var ErrCaseOrg = errors.New("the group is not a live group of the jurisdiction")

// CaseCursor is where a page of the public case list ends.
type CaseCursor struct {
	PublishedAt time.Time
	ID          int64
}
