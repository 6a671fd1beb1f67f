package registry

// 慈善组织认定 (慈善法 §10): the district's decision that a registered organization is a 慈善组织, and its
// revocation, each dated, with the deciding body and its document.

import (
	"errors"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/rules"
)

// The steps of a group's standing as a 慈善组织.
const (
	CharityRecognized = "recognized" // 认定为慈善组织
	CharityRevoked    = "revoked"    // 撤销认定
)

// CharityStatusLabel is a decision as clerks say it.
func CharityStatusLabel(s string) string {
	if s == CharityRevoked {
		return "撤销慈善组织认定"
	}
	return "认定为慈善组织"
}

// CharityNext is the decision that may follow the latest one (current "" for none): a group not recognized may
// be recognized, a recognized one revoked.
func CharityNext(current string) string {
	if current == CharityRecognized {
		return CharityRevoked
	}
	return CharityRecognized
}

// DefaultCharityBody is the deciding body the form starts with: the district's civil-affairs bureau, which
// registers the groups of the district.
const DefaultCharityBody = "重庆市渝北区民政局"

// CharityRecognition is one decision.
type CharityRecognition struct {
	ID          int64
	OrgID       int64
	OrgName     string
	Status      string
	DecidedOn   time.Time
	Body        string
	Note        string
	Filename    string
	ContentType string
	StorageKey  string
}

// CharityInput is the form as typed.
type CharityInput struct{ Status, DecidedOn, Body, Note string }

// Parse checks the form: the step is the one that follows current, the date lies between the 慈善法's start
// (2016-09-01) and today, the body is named.
func (in CharityInput) Parse(current string, now time.Time) (CharityRecognition, rules.Problems) {
	p := rules.Problems{}
	c := CharityRecognition{Status: in.Status, Body: in.Body, Note: in.Note}
	if in.Status != CharityNext(current) {
		p.Add("charity_status", "只能"+CharityStatusLabel(CharityNext(current)))
	}
	day, err := time.ParseInLocation("2006-01-02", in.DecidedOn, now.Location())
	switch {
	case in.DecidedOn == "":
		p.Add("charity_on", "请填写决定日期")
	case err != nil:
		p.Add("charity_on", "日期格式应为 2021-07-21")
	case day.After(now):
		p.Add("charity_on", "决定日期不能晚于今天")
	case day.Before(time.Date(2016, 9, 1, 0, 0, 0, 0, now.Location())):
		p.Add("charity_on", "慈善法自 2016 年 9 月 1 日施行，决定日期不能早于此日")
	default:
		c.DecidedOn = day
	}
	switch n := utf8.RuneCountInString(in.Body); {
	case n < 2:
		p.Add("charity_body", "请填写认定机关，如“"+DefaultCharityBody+"”")
	case n > 60:
		p.Add("charity_body", "认定机关不能超过 60 字")
	}
	if utf8.RuneCountInString(in.Note) > 200 {
		p.Add("charity_note", "说明不能超过 200 字")
	}
	return c, p
}

// ErrNotRegistered says only a live registered organization can be recognized as a 慈善组织.
var ErrNotRegistered = errors.New("only a live registered organization can be recognized as a charity")
