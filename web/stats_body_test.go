package web

import (
	"testing"

	"github.com/yubei-cso/portal/internal/registry"
)

// TestStatBodyEqualsTempl holds the statistics tables' hand-written body and total to the templ markup they
// replaced, on hostile text and links, number and text columns, and tables with and without a total.
func TestStatBodyEqualsTempl(t *testing.T) {
	cols := []StatColumn{{Label: "村(社区)"}, {Label: "在册组织", Num: true}, {Label: "类别"}, {Label: "述职摘要"}}
	var rows [][]StatCell
	for i, s := range hostile {
		href := []string{"", "/town/stats?division=500112002001&year=2024", s}[i%3]
		rows = append(rows, []StatCell{{Text: s, Href: href}, intCell(i * 1000), textCell(s),
			{Text: s, Href: []string{s, ""}[i%2]}})
	}
	total := []StatCell{textCell("合计"), intCell(123456), textCell(`<b>&"`), {Text: "查看", Href: `/a?b=1&c="2"`}}
	for _, tb := range []StatTable{
		{ID: "ranking", Columns: cols, Rows: rows, Total: total},
		{ID: "below", Columns: cols, Rows: rows},
		{ID: "empty", Columns: cols},
	} {
		got, want := renderedHTML(t, statBody(tb)), renderedHTML(t, statBodyTempl(tb))
		if got != want {
			t.Errorf("table %s: the body differs from templ's:\n got %s\nwant %s", tb.ID, got, want)
		}
		if tb.ID == "ranking" && len(got) < 500 {
			t.Errorf("table %s rendered %d bytes: the comparison proves nothing", tb.ID, len(got))
		}
	}
}

// TestBarTextsEqualTempl holds a chart's hand-written labels and value labels to the templ markup they replaced.
func TestBarTextsEqualTempl(t *testing.T) {
	labels := append([]string{}, hostile...)
	values := make([]float64, len(labels))
	for i := range values {
		values[i] = float64(i * 7)
	}
	c := NewBarChart("chart-x", `t"<`, "个", labels, values, func(v float64) string { return fmtOne(v) + ` 个"&` }, 3, "目标")
	for _, v := range []bool{false, true} {
		got, want := renderedHTML(t, barTexts(c.Bars, v)), renderedHTML(t, barTextsTempl(c.Bars, v))
		if got != want || len(got) < 100 {
			t.Errorf("values %v: the bar texts differ from templ's:\n got %s\nwant %s", v, got, want)
		}
	}
}

// TestStatsPageLinkIsTheEncodedQuery holds the statistics page's hand-built links to url.Values' encoding of the
// same values, for every area, with and without a quarter and a division.
func TestStatsPageLinkIsTheEncodedQuery(t *testing.T) {
	n := 0
	for _, area := range registry.StatAreas {
		for _, quarter := range []int{0, 3} {
			for _, division := range []string{"", "500112", "500112002", "500112002001", "a&b=c d"} {
				l := StatsLinks{Base: "/district/stats", Own: "500112", Division: "500112002",
					Query: registry.StatQuery{Period: registry.StatPeriod{Year: 2024, Quarter: quarter}, Area: area}}
				want := l.Base + "?" + l.values(division).Encode()
				if got := l.Page(division); got != want {
					t.Errorf("area %q quarter %d division %q: %s, want %s", area, quarter, division, got, want)
				}
				n++
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d links compared", n)
	}
}

// TestPublicOrgListEqualsTempl holds the directory's hand-written cards to the templ markup they replaced, on
// hostile names, places and reasons, every status class, with and without 服务领域 and a closing line.
func TestPublicOrgListEqualsTempl(t *testing.T) {
	var items []PublicOrgItem
	for i, s := range hostile {
		items = append(items, PublicOrgItem{Href: "/orgs/" + s, Name: s, Tier: s, Place: s + " · " + s,
			Fields: []string{"", s, "养老照护、文体娱乐"}[i%3], Status: s,
			StatusClass: []StatusClass{StatusOK, StatusWarn, StatusBad, ""}[i%4], Closed: []string{"", s}[i%2]})
	}
	for _, rows := range [][]PublicOrgItem{items, nil, items[:1]} {
		got, want := renderedHTML(t, publicOrgList(rows)), renderedHTML(t, publicOrgListTempl(rows))
		if got != want {
			t.Errorf("%d cards differ from templ's:\n got %s\nwant %s", len(rows), got, want)
		}
	}
	if n := len(renderedHTML(t, publicOrgList(items))); n < 500 {
		t.Fatalf("the cards rendered %d bytes: the comparison proves nothing", n)
	}
}
