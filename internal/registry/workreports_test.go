package registry

import (
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
)

func TestGradeOfEdges(t *testing.T) {
	for _, c := range []struct {
		avg  float64
		want Grade
	}{
		{100, GradeExcellent}, {90, GradeExcellent}, {89.99, GradeGood}, {75, GradeGood}, {74.75, GradePass},
		{60, GradePass}, {59.99, GradeFail}, {0, GradeFail},
	} {
		if got := GradeOf(c.avg); got != c.want {
			t.Errorf("GradeOf(%v) = %s, want %s", c.avg, got, c.want)
		}
	}
	// The average is rounded as stored before it is graded: 89.75 is 良好, not 优秀.
	if got := GradeOf(Average(map[string]int{"a": 90, "b": 90, "c": 90, "d": 89})); got != GradeGood {
		t.Errorf("89.75 graded %s", got)
	}
}

func TestPeriods(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, portal.Beijing)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	if p := PeriodOf(at("2026-06-30 23:59")); p != (Period{Year: 2026, Half: 1}) || p.Label() != "2026年上半年" {
		t.Errorf("June 30: %v %s", p, p.Label())
	}
	// 2026-06-30 16:30 UTC is already July 1 in 北京时间.
	if p := PeriodOf(time.Date(2026, 6, 30, 16, 30, 0, 0, time.UTC)); p != (Period{Year: 2026, Half: 2}) {
		t.Errorf("July 1 in Beijing: %v", p)
	}
	if p := (Period{Year: 2026, Half: 1}).Prev(); p != (Period{Year: 2025, Half: 2}) || p.Label() != "2025年下半年" {
		t.Errorf("prev: %v", p)
	}
	if got := (Period{Year: 2026, Half: 2}).Start(); !got.Equal(at("2026-07-01 00:00")) {
		t.Errorf("start %v", got)
	}
	if got := (Period{Year: 2026, Half: 2}).End(); !got.Equal(at("2027-01-01 00:00")) {
		t.Errorf("end %v", got)
	}
	for _, bad := range []string{"", "2026", "2026-0", "2026-3", "2019-1", "x-1", "2026-1-1"} {
		if _, ok := ParsePeriod(bad); ok {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
	if p, ok := ParsePeriod("2025-2"); !ok || p != (Period{Year: 2025, Half: 2}) {
		t.Errorf("ParsePeriod(2025-2) = %v %v", p, ok)
	}
}
