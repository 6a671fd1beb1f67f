package registry

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/rules"
)

// FirstStatYear is the first year the statistics cover: the action plan runs from 2021.
const FirstStatYear = 2021

// StatPeriod is the period a statistics page covers: a year, or one quarter of it (Quarter 1–4; 0 is the year).
type StatPeriod struct {
	Year    int
	Quarter int
}

// StatPeriodOf is the year of t in 北京时间, whole.
func StatPeriodOf(t time.Time) StatPeriod { return StatPeriod{Year: t.In(portal.Beijing).Year()} }

// Start is the first month of p; End the first month after it.
func (p StatPeriod) Start() time.Time {
	m := time.January
	if p.Quarter > 0 {
		m = time.Month((p.Quarter-1)*3 + 1)
	}
	return time.Date(p.Year, m, 1, 0, 0, 0, 0, time.UTC)
}

// End is the first month after p.
func (p StatPeriod) End() time.Time {
	if p.Quarter > 0 {
		return p.Start().AddDate(0, 3, 0)
	}
	return p.Start().AddDate(1, 0, 0)
}

// Label is the period as clerks say it: 2021年, 2021年第三季度.
func (p StatPeriod) Label() string {
	y := strconv.Itoa(p.Year) + "年"
	if p.Quarter == 0 {
		return y
	}
	return y + "第" + []string{"一", "二", "三", "四"}[p.Quarter-1] + "季度"
}

// Stat query keys, the names of the filter form's inputs.
const (
	KeyStatYear    = "year"
	KeyStatQuarter = "quarter"
	KeyStatArea    = "area"
)

// ParseStatPeriod reads a year (2021 to this year; empty is this year) and a quarter (empty or 0 is the whole
// year).
func ParseStatPeriod(year, quarter string, now time.Time) (StatPeriod, rules.Problems) {
	p := rules.Problems{}
	out := StatPeriodOf(now)
	if year != "" {
		y, err := strconv.Atoi(year)
		switch {
		case err != nil:
			p.Add(KeyStatYear, "年份应为数字，例如 2021")
		case y < FirstStatYear || y > out.Year:
			p.Add(KeyStatYear, "年份应在"+strconv.Itoa(FirstStatYear)+"至"+strconv.Itoa(out.Year)+"之间")
		default:
			out.Year = y
		}
	}
	if quarter != "" {
		q, err := strconv.Atoi(quarter)
		if err != nil || q < 0 || q > 4 {
			p.Add(KeyStatQuarter, "季度应为第一至第四季度，或全年")
		} else {
			out.Quarter = q
		}
	}
	return out, p
}

// StatArea narrows a statistic to urban 社区 or rural 村; "" is both.
type StatArea string

const (
	AreaAll   StatArea = ""
	AreaUrban StatArea = "urban"
	AreaRural StatArea = "rural"
	AreaPilot StatArea = "pilot" // the district's 试点村(社区), urban and rural alike
)

// StatAreas are the choices of the filter, in order.
var StatAreas = []StatArea{AreaAll, AreaUrban, AreaRural, AreaPilot}

// ParseStatArea reads the urban/rural filter.
func ParseStatArea(s string, p rules.Problems) StatArea {
	switch a := StatArea(s); a {
	case AreaAll, AreaUrban, AreaRural, AreaPilot:
		return a
	}
	p.Add(KeyStatArea, "请选择城市社区、农村社区、试点村(社区)或全部")
	return AreaAll
}

// Label names the area on pages and in exports.
func (a StatArea) Label() string {
	switch a {
	case AreaUrban:
		return "城市社区"
	case AreaRural:
		return "农村社区"
	case AreaPilot:
		return "试点村(社区)"
	}
	return "城乡全部"
}

// StatQuery is what a statistics page asks: the division (inside the caller's scope), period and area.
type StatQuery struct {
	Division string
	Period   StatPeriod
	Area     StatArea
	With     StatExtras // what else the page reads in the same round trip
}

// StatExtras are reads a page asks for beside its figures, in the figures' one round trip.
type StatExtras int

const (
	// WithScheme reads the 考核 scheme in use for the period's year: the towns' on the district's page, else the
	// communities'.
	WithScheme StatExtras = 1 << iota
	// WithPartyMeetings reads the division's 三会一课 of the period's year.
	WithPartyMeetings
	// NoTrends leaves out the reads of what a 考核 sheet does not show: the trends since 2021 (Trends) and the
	// 服务对象 coverage (Beneficiaries). Each is a statement of the batch that PostgreSQL plans and runs.
	NoTrends
	// NoGrowth leaves out the reads of the 考核 indicators the statistics page does not show: each community's
	// live groups when the year began and ended (LiveStart, LiveEnd, GrowthDue) and the 重大活动 reported
	// before they began (Notices, NoticesBefore).
	NoGrowth
)

// StatActivity are activity-report figures over a period: current revisions only.
type StatActivity struct {
	Reports        int64
	Participants   int64
	Volunteers     int64
	VolunteerHours float64
	Beneficiaries  int64
}

// Add sums b into a.
func (a *StatActivity) Add(b StatActivity) {
	a.Reports += b.Reports
	a.Participants += b.Participants
	a.Volunteers += b.Volunteers
	a.VolunteerHours += b.VolunteerHours
	a.Beneficiaries += b.Beneficiaries
}

// StatCommunity is one community's live organizations against its target.
type StatCommunity struct {
	Code     string
	Name     string
	TownCode string
	TownName string
	Rural    bool
	Live     int
	Target   float64
	TargetBy string // the division whose setting gave the target; "" for the default
	// LiveStart and LiveEnd are its live organizations when the period's year began and ended (the monthly
	// snapshots; the end of the year under way is now).
	LiveStart int
	LiveEnd   int
}

// Meets reports whether the community has at least its target.
func (c StatCommunity) Meets() bool { return float64(c.Live) >= c.Target }

// Gap is how many organizations the community lacks (negative when above target).
func (c StatCommunity) Gap() float64 { return c.Target - float64(c.Live) }

// StatChild is one row of the ranking: a division one level below the page's (for a community page, itself).
type StatChild struct {
	Code string
	Name string
	// Retired marks the row of a town's retired communities together (Code ""): their past activity and their
	// dissolved groups are the town's history, so they count in its 合计; they have no live group and no page.
	Retired       bool
	Communities   int // urban and rural communities inside it (after the area filter)
	Urban         int
	Rural         int
	MeetTarget    int // communities with at least their target
	Live          int // live organizations (正常 and 活动异常)
	LiveUrban     int
	LiveRural     int
	Abnormal      int // 活动异常
	Ended         int // 已注销 and 已撤销
	PartyCovered  int // live organizations with a 党组织 or 党建指导员
	Activity      StatActivity
	FieldsMissing []string // 服务领域 with no live organization inside it
	LiveStart     int      // live organizations when the year began, of its communities
	LiveEnd       int      // and when it ended (now for the year under way)
	GrowthDue     int      // what its communities lacked of their targets when the year began
	Notices       int      // 重大活动 starting in the period
	NoticesBefore int      // of them, reported before they began
}

// MeetShare is the share of communities meeting their target, in percent (0 when there are none).
func (c StatChild) MeetShare() float64 { return percent(c.MeetTarget, c.Communities) }

// PartyShare is 党建 coverage in percent.
func (c StatChild) PartyShare() float64 { return percent(c.PartyCovered, c.Live) }

// AvgUrban and AvgRural are live organizations per urban 社区 and per rural 村.
func (c StatChild) AvgUrban() float64 { return ratio(c.LiveUrban, c.Urban) }

// AvgRural is live organizations per rural 村.
func (c StatChild) AvgRural() float64 { return ratio(c.LiveRural, c.Rural) }

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) * 100 / float64(of)
}

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// StatCount is a count under a label (a tier, a 性质, a 服务领域 …).
type StatCount struct {
	Label string
	N     int
	// Without is, for a 服务领域, how many divisions one level down have no live organization in it.
	Without int
}

// StatSeries is one 主题系列's activity figures.
type StatSeries struct {
	Series string
	StatActivity
}

// StatBeneficiary is one 服务对象 group's coverage by activities: reports that served it and people served.
type StatBeneficiary struct {
	Target  string
	Reports int64
	People  int64
}

// Stats is everything a statistics page shows for one division, period and area.
type Stats struct {
	Division      portal.Division
	Trail         []portal.Division // from the caller's own division down to Division, for the breadcrumb
	Query         StatQuery
	Children      []StatChild // ranking rows, in code order
	Total         StatChild
	Communities   []StatCommunity // every community inside Division (after the area filter), in code order
	ByTier        []StatCount
	ByLegalForm   []StatCount
	ByNature      []StatCount
	ByParty       []StatCount
	Fields        []StatCount // live organizations per 服务领域, fewest first
	Series        []StatSeries
	Beneficiaries []StatBeneficiary
	Targets       Targets
	Trends        StatTrends // since 2021, whatever the period chosen

	Scheme        Scheme            // with WithScheme
	PartyMeetings PartyMeetingStats // with WithPartyMeetings
}

// FurthestBelow are the communities furthest below their target, most lacking first, at most n.
func (s Stats) FurthestBelow(n int) []StatCommunity {
	var below []StatCommunity
	for _, c := range s.Communities {
		if !c.Meets() {
			below = append(below, c)
		}
	}
	slices.SortStableFunc(below, func(a, b StatCommunity) int {
		switch {
		case a.Gap() > b.Gap():
			return -1
		case a.Gap() < b.Gap():
			return 1
		}
		return 0
	})
	if len(below) > n {
		below = below[:n]
	}
	return below
}

// Empty reports whether the period has no activity reports inside the division.
func (s Stats) Empty() bool { return s.Total.Activity.Reports == 0 }

// FieldCounts are the live organizations per child division (by code) and 服务领域, each child's counts in the
// order of Fields.
type FieldCounts map[string][]int

// Add counts n organizations of child code in Fields[field]; a field outside Fields (-1) is not counted.
func (fc FieldCounts) Add(code string, field, n int) {
	if field >= 0 && field < len(Fields) {
		fc.For(code)[field] += n
	}
}

// For is child code's counts, in the order of Fields, made on first use.
func (fc FieldCounts) For(code string) []int {
	c := fc[code]
	if c == nil {
		c = make([]int, len(Fields))
		fc[code] = c
	}
	return c
}

// Summarize fills the ranking's target columns and the total from the communities, and the 服务领域 gaps from
// the per-child field counts.
func (s *Stats) Summarize(fieldsByChild FieldCounts) {
	idx := map[string]int{}
	for i := range s.Children {
		idx[s.Children[i].Code] = i
	}
	childOf := func(code string) int {
		if i, ok := idx[code]; ok {
			return i
		}
		if i, ok := idx[townOf(code)]; ok {
			return i
		}
		return -1
	}
	for _, c := range s.Communities {
		i := childOf(c.Code)
		if i < 0 {
			continue
		}
		ch := &s.Children[i]
		ch.Communities++
		if c.Rural {
			ch.Rural++
			ch.LiveRural += c.Live
		} else {
			ch.Urban++
			ch.LiveUrban += c.Live
		}
		if c.Meets() {
			ch.MeetTarget++
		}
		ch.LiveStart += c.LiveStart
		ch.LiveEnd += c.LiveEnd
		if due := int(math.Ceil(c.Target)) - c.LiveStart; due > 0 {
			ch.GrowthDue += due
		}
	}
	t := StatChild{Code: s.Division.Code, Name: "合计"}
	missing := map[string]int{}
	for i := range s.Children {
		ch := &s.Children[i]
		ch.FieldsMissing = ch.FieldsMissing[:0]
		counts := fieldsByChild[ch.Code]
		for i, f := range Fields {
			if ch.Retired {
				break // no live group: no field to miss
			}
			if counts == nil || counts[i] == 0 {
				ch.FieldsMissing = append(ch.FieldsMissing, f)
				missing[f]++
			}
		}
		t.Communities += ch.Communities
		t.Urban += ch.Urban
		t.Rural += ch.Rural
		t.MeetTarget += ch.MeetTarget
		t.Live += ch.Live
		t.LiveUrban += ch.LiveUrban
		t.LiveRural += ch.LiveRural
		t.Abnormal += ch.Abnormal
		t.Ended += ch.Ended
		t.PartyCovered += ch.PartyCovered
		t.LiveStart += ch.LiveStart
		t.LiveEnd += ch.LiveEnd
		t.GrowthDue += ch.GrowthDue
		t.Notices += ch.Notices
		t.NoticesBefore += ch.NoticesBefore
		t.Activity.Add(ch.Activity)
	}
	totals := make([]int, len(Fields))
	for _, counts := range fieldsByChild {
		for i, n := range counts {
			totals[i] += n
		}
	}
	for i, f := range Fields {
		if totals[i] == 0 {
			t.FieldsMissing = append(t.FieldsMissing, f)
		}
	}
	s.Total = t
	s.Fields = s.Fields[:0]
	for i, f := range Fields {
		s.Fields = append(s.Fields, StatCount{Label: f, N: totals[i], Without: missing[f]})
	}
	slices.SortStableFunc(s.Fields, func(a, b StatCount) int { return a.N - b.N })
}
