package server

import (
	"net/http"
	"testing"
	"time"
)

// A statistics page only reads: a month that ended without its snapshot stays without one until the monthly job
// or the command takes it.
func TestStatsPageWritesNoSnapshot(t *testing.T) {
	a := newApp(t, nil)
	prev := time.Now().In(beijing).AddDate(0, -1, 0)
	month := time.Date(prev.Year(), prev.Month(), 1, 0, 0, 0, 0, time.UTC)
	if _, err := a.db.Pool.Exec(t.Context(), `DELETE FROM stat_month_snapshots WHERE month = $1`, month); err != nil {
		t.Fatal(err)
	}
	for user, path := range map[string]string{"demo-district": "/district/stats", "demo-town": "/town/stats",
		"demo-community": "/community/stats"} {
		if res := a.signedIn(user).get(path); res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
	}
	if n := a.count(`SELECT count(*) FROM stat_month_snapshots WHERE month = $1`, month); n != 0 {
		t.Fatalf("the statistics pages wrote %d snapshot rows", n)
	}
}
