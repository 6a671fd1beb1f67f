// The public side's domain: the directory's filter, the public profile and the lookups by number. Nothing
// here carries a 负责人's phone or 身份证号; a leader's name only where the group chose to publish it.
package registry

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/rules"
)

// Limits of the public directory's inputs.
const (
	PublicQueryMin = 2  // characters: one Chinese character matches too much to be a search
	PublicQueryMax = 40 // characters: half the longest name
	PublicPageSize = 30
)

// PublicFilter narrows the public directory. Zero values do not filter, except Status: an empty status means
// the live groups (正常 and 活动异常) unless Closed asks for the dissolved and revoked ones too.
type PublicFilter struct {
	Query     string
	TownCode  string
	Community string
	Field     string // one 服务领域
	Tier      Tier
	Status    Status
	Closed    bool // include 已注销 and 已撤销
	Sort      OrgSort
}

// ErrBadInput is input no person types: a NUL, bytes that are not UTF-8. The handler answers 400.
var ErrBadInput = errors.New("input is not text")

// Clean trims the query and checks the bytes of every value: an error means 400, not a field message.
func (f *PublicFilter) Clean() error {
	for _, s := range []string{f.Query, f.TownCode, f.Community, f.Field, string(f.Tier), string(f.Status), string(f.Sort)} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return ErrBadInput
		}
	}
	f.Query = strings.Join(strings.Fields(f.Query), " ")
	return nil
}

// Validate checks the filter against the lists it may hold; the keys are the form's input names. The town and
// community are checked against the registry's divisions by the handler's division filter.
func (f PublicFilter) Validate() rules.Problems {
	p := rules.Problems{}
	if n := utf8.RuneCountInString(f.Query); f.Query != "" && n < PublicQueryMin {
		p.Add("q", "请至少输入名称中的两个字")
	} else if n > PublicQueryMax {
		p.Add("q", "搜索词最多 "+strconv.Itoa(PublicQueryMax)+" 个字")
	}
	if f.Field != "" && !slices.Contains(Fields, f.Field) {
		p.Add("field", "请从列表中选择服务领域")
	}
	if f.Tier != "" && !f.Tier.Valid() {
		p.Add("tier", "请从列表中选择管理层级")
	}
	if f.Status != "" && !f.Status.Valid() {
		p.Add("status", "请从列表中选择状态")
	}
	if f.Sort != SortNewest && f.Sort != SortName {
		p.Add("sort", "请选择排序方式")
	}
	return p
}

// Statuses is the statuses a filter admits, in the store's words.
func (f PublicFilter) Statuses() []string {
	switch {
	case f.Status != "":
		return []string{string(f.Status)}
	case f.Closed:
		return []string{string(StatusNormal), string(StatusAbnormal), string(StatusDissolved), string(StatusRevoked)}
	}
	return []string{string(StatusNormal), string(StatusAbnormal)}
}

// PublicCursor is where the next page of the directory starts: after an id (newest first) or after a name and
// id (by name).
type PublicCursor struct {
	ID   int64
	Name string
}

// IsZero reports whether the cursor is the list's start.
func (c PublicCursor) IsZero() bool { return c.ID == 0 }

// PublicOrgRow is one group as the directory lists it.
type PublicOrgRow struct {
	ID            int64
	Name          string
	Tier          Tier
	Status        Status
	StatusOn      *time.Time
	StatusReason  string // only for 已注销 and 已撤销
	TownCode      string
	CommunityCode string
	TownName      string
	CommunityName string
	Fields        []string
	FoundedOn     *time.Time
}

// PublicPage is one page of the directory. A name search reads a bounded stretch of the index per page: when
// that stretch ends before the page fills, Partial is set and Next continues the search further back, so no
// request ever reads more than the bound.
type PublicPage struct {
	Rows    []PublicOrgRow
	Next    *PublicCursor // nil: the list ends here
	Partial bool
}

// PublicOrg is a group's public profile: public fields only. LeaderName is set only when the group chose to
// publish its contact.
type PublicOrg struct {
	ID            int64
	Name          string
	Tier          Tier
	LegalForm     rules.LegalForm
	USCC          string
	FilingNo      string
	TownCode      string
	TownName      string
	CommunityCode string
	CommunityName string
	Fields        []string
	Nature        string
	Beneficiaries []string
	FoundedOn     *time.Time
	Status        Status
	StatusOn      *time.Time
	StatusReason  string
	LeaderName    string
	Office        CommunityOffice
	Activities    []PublicActivity
	Grade         Grade // latest 评估评议 grade, "" when none
	GradeYear     int
	Demo          bool
}

// PublicActivity is one recent activity as the public sees it: what, when, which series; no people.
type PublicActivity struct {
	Title  string
	Date   time.Time
	Series string
}

// CommunityOffice is a 村(居)委会's public office: how a resident reaches the groups it guides.
type CommunityOffice struct {
	CommunityCode string
	CommunityName string
	TownName      string
	Phone         string
	Address       string
	Hours         string

	Version int // of the recorded office; 0 when none is recorded (the office form)
}

// PublicDivision is a town's or a community's public page: the division, its office (communities), its
// children (towns) and the count of its live groups.
type PublicDivision struct {
	Code       string
	Name       string
	Kind       string
	ParentCode string
	ParentName string
	Rural      bool
	Demo       bool
	Live       int64
	Office     CommunityOffice
	Children   []PublicDivisionCount
}

// PublicDivisionCount is a child division and its live groups.
type PublicDivisionCount struct {
	Code string
	Name string
	Kind string
	Live int64
}

// PublicCheck is the result of a verification by number: validity, tier, status and community, nothing
// personal.
type PublicCheck struct {
	OrgID         int64
	Name          string
	Tier          Tier
	LegalForm     rules.LegalForm
	USCC          string
	FilingNo      string
	TownName      string
	CommunityName string
	Status        Status
	StatusOn      *time.Time
	StatusReason  string
}

// NumberKind is which number a verification looks up.
type NumberKind string

const (
	NumberFiling NumberKind = "filing" // 备案编号
	NumberUSCC   NumberKind = "uscc"   // 统一社会信用代码
)

var filingNoShape = regexp.MustCompile(`^(?:渝北社备)?[〔\[(（【]?([0-9]{4})[〕\])）】]?([0-9]{3})-([0-9]{4,7})号?$`)

// ParseNumber reads what a resident typed into the verification box: a 备案编号 (渝北社备〔2024〕002-0001号, with
// any brackets or none) or an 18-character 统一社会信用代码 whose check characters agree. It returns the number in
// the registry's own form, or a message saying what shape was expected.
func ParseNumber(s string) (NumberKind, string, string) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	switch {
	case s == "":
		return "", "", "请输入备案编号或统一社会信用代码"
	case utf8.RuneCountInString(s) > 40:
		return "", "", "编号过长：备案编号形如 渝北社备〔2024〕002-0001号，统一社会信用代码为 18 位"
	}
	if m := filingNoShape.FindStringSubmatch(s); m != nil {
		// the sequence as written: FormatFilingNo pads to four digits, and longer ones stand as they are
		return NumberFiling, "渝北社备〔" + m[1] + "〕" + m[2] + "-" + m[3] + "号", ""
	}
	if len(s) == 18 && rules.ValidUSCCChecksum(s) {
		return NumberUSCC, s, ""
	}
	if len(s) == 18 {
		return "", "", "统一社会信用代码的校验位不符，请核对后重新输入"
	}
	return "", "", "编号格式不正确：备案编号形如 渝北社备〔2024〕002-0001号，统一社会信用代码为 18 位数字或大写字母"
}

// PublicPhoto is a photo the committee marked public, of one of the group's recent activities.
type PublicPhoto struct {
	ID       int64
	Title    string
	Date     time.Time
	Position int
}

// PublicProfile is everything a group's public profile shows, read at once.
type PublicProfile struct {
	Org         PublicOrg
	Cases       []Case
	Photos      []PublicPhoto
	Disclosures []Disclosure
	Brands      []Project
}

// OrgRecord is what a signed-in record page reads of a group, read at once.
type OrgRecord struct {
	Org         Organization
	Events      []Event
	FilingsRead bool // whether Filings was read: only tiers that see filings read them
	Filings     []OrgFiling
	Evaluation  OrgEvaluation
	Evaluated   bool
	Projects    []Project
	Meetings    []PartyMeeting
	Contacts    []OrgContact
	Charities   []CharityRecognition
}
