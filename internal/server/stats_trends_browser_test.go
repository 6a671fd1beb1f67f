package server

import (
	"strings"
	"testing"
)

// A town officer reaches the trends from the 工作台's statistics link: the quarter chart is drawn as an image
// named by its title and described by its text alternative, with the table it was drawn from after it.
func TestBrowserStatsTrends(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	d := flowSignIn(t, b, "demo-town", "town")
	if res := d.click(`nav.tier a[href="/town/stats"]`); res.Status != 200 {
		t.Fatalf("statistics: %d", res.Status)
	}
	for _, id := range []string{"chart-trend", "chart-ontime"} {
		label := js[string](d, `(s => s.getAttribute("aria-labelledby").split(" ").map(id => document.getElementById(id).textContent).join("|"))(document.querySelector("svg#`+id+`"))`)
		if !strings.Contains(label, "（单位：") || !strings.Contains(label, "2021年") {
			t.Fatalf("%s: accessible name and description %q", id, label)
		}
		if js[int](d, `document.querySelector("svg#`+id+`").getBoundingClientRect().height`) < 100 {
			t.Fatalf("%s is not drawn", id)
		}
	}
	if d.count("#section-trend figure + table#trend") != 1 {
		t.Fatal("the trend table does not follow its chart")
	}
	d.screenshot("stats-town-trends")
}
