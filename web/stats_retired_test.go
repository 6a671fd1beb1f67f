package web

import (
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// The row of a town's retired communities is in the ranking (its past is in the 合计) without a link, a bar or
// a 考核 score: it is no community any more.
func TestRetiredRowIsHistoryNotACommunity(t *testing.T) {
	town := portal.Division{Code: "500112002", Name: "双龙湖街道", Level: portal.TierTown}
	s := registry.Stats{Division: town, Query: registry.StatQuery{Division: town.Code, Period: registry.StatPeriod{Year: 2024}},
		Children: []registry.StatChild{{Code: "500112002001", Name: "甲社区", Live: 3},
			{Name: "已撤并的村(社区)", Retired: true, Ended: 1, Activity: registry.StatActivity{Reports: 2}}}}
	s.Summarize(nil)
	if s.Total.Activity.Reports != 2 || s.Total.Ended != 1 {
		t.Fatalf("the 合计 leaves the retired communities out: %+v", s.Total)
	}
	links := StatsLinks{Base: "/town/stats", Own: town.Code, Division: town.Code, Query: s.Query}
	rank := StatsTables(s, links)[0]
	if len(rank.Rows) != 2 || rank.Rows[1][0].Text != "已撤并的村(社区)" || rank.Rows[1][0].Href != "" || rank.Rows[0][0].Href == "" {
		t.Fatalf("ranking rows: %+v", rank.Rows)
	}
	if len(rank.Chart.Bars) != 1 || rank.Rows[1][len(rank.Rows[1])-1].Text != "0" {
		t.Fatalf("the retired row is charted or lacks fields: %d bars, row %+v", len(rank.Chart.Bars), rank.Rows[1])
	}
	v := NewAssessmentView(Page{}, s, registry.DefaultScheme(2024, portal.TierCommunity), PathsFor(portal.TierTown), town.Code, time.Now())
	if len(v.Sheet.Rows) != 1 {
		t.Fatalf("the 考核 sheet scores %d rows, want the one community", len(v.Sheet.Rows))
	}
}
