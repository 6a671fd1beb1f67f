package registry

import (
	"slices"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
)

// StatOnTime is one reporting period's 定期工作报告 inside a division: first reports filed, and of them those filed
// before the period ended (北京时间). Late reports still count as filed.
type StatOnTime struct {
	Period Period
	Filed  int64
	OnTime int64
}

// Share is the on-time share of the filed reports, in percent (0 when none were filed).
func (o StatOnTime) Share() float64 {
	if o.Filed == 0 {
		return 0
	}
	return float64(o.OnTime) * 100 / float64(o.Filed)
}

// StatGrades is one year's 评估评议 grades inside a division: the grade that counts per group (its latest
// evaluation of the year).
type StatGrades struct {
	Year int
	N    map[Grade]int64
}

// Total is how many groups were evaluated in the year.
func (g StatGrades) Total() int64 {
	var n int64
	for _, x := range g.N {
		n += x
	}
	return n
}

// StatQuarter is one quarter of the trend: the organizations at its end (from the monthly snapshot of its last
// month, or of the latest month for the quarter under way) and the activity reports in it.
type StatQuarter struct {
	Period       StatPeriod // Quarter is 1–4
	Snapshot     bool       // whether a snapshot covered the quarter's end (else its organization figures are 0)
	Live         int64
	Abnormal     int64
	Ended        int64
	PartyCovered int64
	Activity     StatActivity
}

// StatTrends are a division's trends since 2021.
type StatTrends struct {
	OnTime   []StatOnTime  // every period from 2021 to the last one ended, oldest first
	Grades   []StatGrades  // every year from 2021 to this one, oldest first
	Quarters []StatQuarter // every quarter from 2021Q1 to the current one, oldest first
}

// TrendPeriods are the reporting periods from 2021 to the last one that has ended by now, oldest first.
func TrendPeriods(now time.Time) []Period {
	var out []Period
	for p := PeriodOf(now).Prev(); p.Year >= FirstStatYear; p = p.Prev() {
		out = append(out, p)
	}
	slices.Reverse(out)
	return out
}

// TrendQuarters are the quarters from 2021Q1 to the one under way now (北京时间), oldest first.
func TrendQuarters(now time.Time) []StatPeriod {
	b := now.In(portal.Beijing)
	cur := StatPeriod{Year: b.Year(), Quarter: (int(b.Month())-1)/3 + 1}
	var out []StatPeriod
	for y := FirstStatYear; y <= cur.Year; y++ {
		for q := 1; q <= 4; q++ {
			if y == cur.Year && q > cur.Quarter {
				break
			}
			out = append(out, StatPeriod{Year: y, Quarter: q})
		}
	}
	return out
}
