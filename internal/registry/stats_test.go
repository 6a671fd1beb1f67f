package registry

import (
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
)

func TestParseStatPeriod(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, portal.Beijing)
	for _, c := range []struct {
		year, quarter string
		want          StatPeriod
		bad           string
	}{
		{"", "", StatPeriod{2026, 0}, ""},
		{"2021", "3", StatPeriod{2021, 3}, ""},
		{"2020", "", StatPeriod{2026, 0}, KeyStatYear},
		{"2027", "", StatPeriod{2026, 0}, KeyStatYear},
		{"二〇二一", "", StatPeriod{2026, 0}, KeyStatYear},
		{"2022", "5", StatPeriod{2022, 0}, KeyStatQuarter},
		{"2022", "-1", StatPeriod{2022, 0}, KeyStatQuarter},
	} {
		got, p := ParseStatPeriod(c.year, c.quarter, now)
		if got != c.want || (c.bad == "") != p.OK() || (c.bad != "" && p[c.bad] == "") {
			t.Errorf("ParseStatPeriod(%q, %q) = %+v, %v", c.year, c.quarter, got, p)
		}
	}
	q := StatPeriod{2021, 4}
	if q.Label() != "2021年第四季度" || !q.Start().Equal(time.Date(2021, 10, 1, 0, 0, 0, 0, time.UTC)) ||
		!q.End().Equal(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("%s %v %v", q.Label(), q.Start(), q.End())
	}
}

func TestTargetInput(t *testing.T) {
	town := portal.Division{Code: "500112002", Name: "双龙湖街道", Level: portal.TierTown}
	village := portal.Division{Code: "500112133201", Name: "某村", Level: portal.TierCommunity, Rural: true}
	for _, c := range []struct {
		in  TargetInput
		d   portal.Division
		bad string
	}{
		{TargetInput{Urban: "10", Rural: "5"}, town, ""},
		{TargetInput{Urban: "7.5"}, town, ""},
		{TargetInput{Urban: "-1"}, town, KeyTargetUrban},
		{TargetInput{Rural: "abc"}, town, KeyTargetRural},
		{TargetInput{Rural: "1.25"}, town, KeyTargetRural},
		{TargetInput{Urban: "20000"}, town, KeyTargetUrban},
		{TargetInput{}, town, KeyTargetUrban},
		{TargetInput{Urban: "10"}, village, KeyTargetUrban},
		{TargetInput{Rural: "6"}, village, ""},
		{TargetInput{}, village, KeyTargetRural},
	} {
		_, _, p := c.in.Parse(c.d)
		if (c.bad == "") != p.OK() || (c.bad != "" && p[c.bad] == "") {
			t.Errorf("%+v for %s: %v", c.in, c.d.Name, p)
		}
	}
}

func TestTargetsAndSummary(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	ts := Targets{"500112": {Urban: f(12)}, "500112002": {Rural: f(3)}, "500112002001": {Urban: f(2)}}
	for _, c := range []struct {
		code  string
		rural bool
		want  float64
	}{
		{"500112002001", false, 2}, {"500112002002", false, 12}, {"500112002003", true, 3},
		{"500112133001", true, DefaultRuralTarget}, {"500112133002", false, 12},
	} {
		if got, _ := ts.For(c.code, c.rural); got != c.want {
			t.Errorf("target of %s = %v, want %v", c.code, got, c.want)
		}
	}
	s := Stats{
		Division: portal.Division{Code: "500112"},
		Children: []StatChild{{Code: "500112002", Live: 13}, {Code: "500112133", Live: 1}},
		Communities: []StatCommunity{
			{Code: "500112002001", Live: 12, Target: 10}, {Code: "500112002002", Live: 1, Target: 10},
			{Code: "500112133001", Rural: true, Live: 1, Target: 5},
		},
	}
	fields := FieldCounts{}
	fields.Add("500112002", slices.Index(Fields, "养老照护"), 4)
	s.Summarize(fields)
	if s.Total.Communities != 3 || s.Total.MeetTarget != 1 || s.Total.Urban != 2 || s.Total.Rural != 1 ||
		s.Total.AvgUrban() != 6.5 || s.Total.AvgRural() != 1 || s.Total.Live != 14 {
		t.Fatalf("total %+v", s.Total)
	}
	below := s.FurthestBelow(5)
	if len(below) != 2 || below[0].Code != "500112002002" {
		t.Fatalf("furthest below %+v", below)
	}
	if s.Fields[len(s.Fields)-1].Label != "养老照护" || s.Fields[0].Without != 2 {
		t.Fatalf("fields %+v", s.Fields)
	}
}

func TestSchemeInputAndScores(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, portal.Beijing)
	good := SchemeInput{Year: "2026", Level: "community", Version: "0",
		Weights: map[string]string{"coverage": "25", "growth": "10", "party": "15", "reports": "15", "hours": "10",
			"fields": "15", "notices": "10"},
		Fulls: map[string]string{"coverage": "100", "growth": "100", "party": "100", "reports": "4", "hours": "20",
			"fields": "60", "notices": "100"}}
	s, seen, p := good.Parse(now)
	if !p.OK() || seen != 0 || len(s.Indicators) != len(Indicators) {
		t.Fatalf("%v %d %+v", p, seen, s)
	}
	for _, c := range []struct {
		key, value, field string
		fulls             bool
	}{
		{"party", "-5", "weight_party", false},
		{"party", "二十", "weight_party", false},
		{"party", "20", "weight_coverage", false}, // the sum is 105
		{"growth", "", "weight_growth", false},
		{"notices", "-1", "full_notices", true},
		{"hours", "0", "full_hours", true},
		{"hours", "abc", "full_hours", true},
	} {
		bad := good
		bad.Weights, bad.Fulls = maps.Clone(good.Weights), maps.Clone(good.Fulls)
		if c.fulls {
			bad.Fulls[c.key] = c.value
		} else {
			bad.Weights[c.key] = c.value
		}
		if _, _, p := bad.Parse(now); p[c.field] == "" {
			t.Errorf("%s=%s: %v", c.key, c.value, p)
		}
	}
	if _, _, p := (SchemeInput{Year: "2019", Level: "province", Weights: good.Weights, Fulls: good.Fulls}).Parse(now); p["year"] == "" || p["level"] == "" {
		t.Errorf("year and level: %v", p)
	}
	c := StatChild{Live: 8, PartyCovered: 4, Activity: StatActivity{Reports: 16, VolunteerHours: 80},
		FieldsMissing: Fields[:6], LiveStart: 6, LiveEnd: 8, GrowthDue: 4, Notices: 4, NoticesBefore: 3}
	v := ValuesOf(c, portal.TierCommunity, 10)
	want := AssessedValues{"coverage": 80, "party": 50, "reports": 2, "hours": 10, "fields": 60, "growth": 50,
		"notices": 75}
	for k, x := range want {
		if math.Abs(v[k]-x) > 1e-9 {
			t.Errorf("%s = %v, want %v", k, v[k], x)
		}
	}
	// 25×0.8 + 10×0.5 + 15×0.5 + 15×0.5 + 10×0.5 + 15×1 + 10×0.75 = 67.5
	if got := s.Total(v); math.Abs(got-67.5) > 1e-9 {
		t.Errorf("total %v, want 67.5", got)
	}
	// Nothing to make up and no 重大活动: both in full; fewer groups than at the start: none.
	v = ValuesOf(StatChild{Live: 12, LiveStart: 12, LiveEnd: 12}, portal.TierCommunity, 10)
	if v["growth"] != 100 || v["notices"] != 100 {
		t.Errorf("nothing due: %v", v)
	}
	for _, in := range s.Indicators {
		if in.Key == "growth" && in.Score(ValuesOf(StatChild{LiveStart: 5, LiveEnd: 4, GrowthDue: 5}, portal.TierTown, 0)["growth"]) != 0 {
			t.Error("a net loss scores")
		}
	}
}
