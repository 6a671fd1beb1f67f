package registry

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/rules"
)

// 目标责任考核 (action plan §四(二)): a yearly scheme scores each community (or town) on the statistics.

// Indicator is one measure a scheme may weigh, computed from a division's statistics for the year.
type Indicator struct {
	Key   string
	Label string
	Unit  string
	// DefaultWeight and DefaultFull are the values a new scheme starts from.
	DefaultWeight int
	DefaultFull   float64
}

// Indicators are the measures of a scheme, in the order of the score sheet.
var Indicators = []Indicator{
	{"coverage", "培育目标完成率", "%", 25, 100},
	{"growth", "新增组织完成率", "%", 10, 100},
	{"party", "党建覆盖率", "%", 15, 100},
	{"reports", "组织平均活动次数", "次/个", 15, 4},
	{"hours", "组织平均志愿服务时长", "小时/个", 10, 20},
	{"fields", "服务领域覆盖率", "%", 15, 60},
	{"notices", "重大活动事前报告率", "%", 10, 100},
}

// SchemeLevels are who a scheme assesses.
var SchemeLevels = map[portal.Tier]string{portal.TierTown: "镇街", portal.TierCommunity: "村(社区)"}

// ErrSchemeConflict is a scheme saved over a version that is no longer the one in use.
var ErrSchemeConflict = errors.New("assessment: the scheme changed meanwhile")

// SchemeIndicator is one indicator's weight and the value that earns the whole weight.
type SchemeIndicator struct {
	Key    string  `json:"key"`
	Weight int     `json:"weight"`
	Full   float64 `json:"full"`
}

// Scheme is one version of a year's scheme for a level.
type Scheme struct {
	ID          int64
	Year        int
	Level       portal.Tier
	Version     int
	Indicators  []SchemeIndicator
	CreatedAt   time.Time
	CreatedName string
	Superseded  bool
}

// DefaultScheme is the scheme a year starts from before the district saves one (version 0, not stored).
func DefaultScheme(year int, level portal.Tier) Scheme {
	s := Scheme{Year: year, Level: level}
	for _, in := range Indicators {
		s.Indicators = append(s.Indicators, SchemeIndicator{Key: in.Key, Weight: in.DefaultWeight, Full: in.DefaultFull})
	}
	return s
}

// SchemeInput is the scheme form as typed: weight_<key> and full_<key> per indicator.
type SchemeInput struct {
	Year    string
	Level   string
	Version string // the version in use when the form was opened
	Weights map[string]string
	Fulls   map[string]string
}

// Parse checks the form: a known year and level, whole non-negative weights summing to 100, positive full marks.
func (in SchemeInput) Parse(now time.Time) (Scheme, int, rules.Problems) {
	p := rules.Problems{}
	var s Scheme
	y, err := strconv.Atoi(strings.TrimSpace(in.Year))
	if err != nil || y < FirstStatYear || y > now.In(portal.Beijing).Year()+1 {
		p.Add("year", "年度应在"+strconv.Itoa(FirstStatYear)+"至"+strconv.Itoa(now.In(portal.Beijing).Year()+1)+"之间")
	}
	s.Year = y
	s.Level = portal.Tier(in.Level)
	if _, ok := SchemeLevels[s.Level]; !ok {
		p.Add("level", "请选择考核对象：镇街或村(社区)")
	}
	seen, err := strconv.Atoi(strings.TrimSpace(in.Version))
	if err != nil || seen < 0 {
		seen = -1
	}
	sum := 0
	for _, ind := range Indicators {
		wk, fk := "weight_"+ind.Key, "full_"+ind.Key
		w, err := strconv.Atoi(strings.TrimSpace(in.Weights[ind.Key]))
		switch {
		case strings.TrimSpace(in.Weights[ind.Key]) == "":
			p.Add(wk, "请填写“"+ind.Label+"”的权重")
		case err != nil:
			p.Add(wk, "“"+ind.Label+"”的权重应为整数")
		case w < 0 || w > 100:
			p.Add(wk, "“"+ind.Label+"”的权重应在0至100之间")
		}
		sum += w
		full, err := strconv.ParseFloat(strings.TrimSpace(in.Fulls[ind.Key]), 64)
		if err != nil || math.IsNaN(full) || math.IsInf(full, 0) || full <= 0 || full > 1e6 {
			p.Add(fk, "“"+ind.Label+"”的满分值应为大于0的数字")
		}
		s.Indicators = append(s.Indicators, SchemeIndicator{Key: ind.Key, Weight: w, Full: full})
	}
	if p.OK() && sum != 100 {
		p.Add("weight_"+Indicators[0].Key, "各项权重之和应为100，现为"+strconv.Itoa(sum))
	}
	return s, seen, p
}

// AssessedValues are a division's indicator values for a year.
type AssessedValues map[string]float64

// ValuesOf computes the indicators of one ranking row; target is its community's target (for a community) and
// is ignored for a town, whose coverage is the share of its communities meeting theirs.
func ValuesOf(c StatChild, level portal.Tier, target float64) AssessedValues {
	v := AssessedValues{"party": c.PartyShare(), "fields": percent(len(Fields)-len(c.FieldsMissing), len(Fields)),
		"reports": ratio(int(c.Activity.Reports), c.Live), "hours": 0}
	if c.Live > 0 {
		v["hours"] = c.Activity.VolunteerHours / float64(c.Live)
	}
	// Growth: the year's net new live groups against what the communities lacked of their targets when it began
	// (a community already at its target has nothing to make up, and scores in full).
	v["growth"] = 100
	if c.GrowthDue > 0 {
		v["growth"] = math.Min(float64(c.LiveEnd-c.LiveStart)*100/float64(c.GrowthDue), 100)
	}
	// 重大活动 reported to the town before they began; a year without any leaves nothing unreported.
	v["notices"] = 100
	if c.Notices > 0 {
		v["notices"] = float64(c.NoticesBefore) * 100 / float64(c.Notices)
	}
	if level == portal.TierCommunity {
		if target > 0 {
			v["coverage"] = math.Min(float64(c.Live)*100/target, 100)
		} else {
			v["coverage"] = 100
		}
	} else {
		v["coverage"] = c.MeetShare()
	}
	return v
}

// Score is an indicator's points: its weight in proportion to the value against the full mark, at most the
// weight.
func (si SchemeIndicator) Score(value float64) float64 {
	if si.Full <= 0 {
		return 0
	}
	return float64(si.Weight) * math.Min(math.Max(value, 0)/si.Full, 1)
}

// Total is the sum of the scheme's points for values.
func (s Scheme) Total(v AssessedValues) float64 {
	t := 0.0
	for _, si := range s.Indicators {
		t += si.Score(v[si.Key])
	}
	return t
}

// IndicatorOf is the indicator named key.
func IndicatorOf(key string) Indicator {
	for _, in := range Indicators {
		if in.Key == key {
			return in
		}
	}
	return Indicator{Key: key, Label: key}
}
