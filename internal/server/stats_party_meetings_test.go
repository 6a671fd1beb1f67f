package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
)

// The statistics page shows the year's 三会一课 by quarter from the kept counts, for the caller's division.
func TestStatsPageShowsPartyMeetings(t *testing.T) {
	a := newApp(t, nil)
	var org int64
	if err := a.db.Pool.QueryRow(t.Context(), `UPDATE organizations SET party_status = '单独建立'
		WHERE id = (SELECT id FROM organizations WHERE community_code = $1 AND status = 'normal' ORDER BY id LIMIT 1)
		RETURNING id`, seed.CommunityDemo).Scan(&org); err != nil {
		t.Fatal(err)
	}
	before := a.count(`SELECT coalesce(sum(meetings), 0) FROM party_meeting_counts WHERE starts_with(community_code, $1)
		AND quarter = '2022-04-01'`, seed.TownShuanglonghu)
	for _, day := range []string{"2022-04-02", "2022-05-02"} {
		if _, err := a.db.Pool.Exec(t.Context(), `INSERT INTO party_meetings (org_id, district_code, town_code,
			community_code, kind, held_on, topic, attendance)
			SELECT id, district_code, town_code, community_code, 'lecture', $2, '党课', 9 FROM organizations WHERE id = $1`,
			org, day); err != nil {
			t.Fatal(err)
		}
	}
	res := a.signedIn("demo-town").get("/town/stats?year=2022")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stats: %d", res.StatusCode)
	}
	row := res.doc(t).Find("#stats-party-meetings tbody tr").Eq(1)
	if got, want := strings.TrimSpace(row.Find("td").First().Text()), itoa64(int64(before+2)); got != want {
		t.Fatalf("second quarter's meetings %q, want %s", got, want)
	}
	if res := a.signedIn("demo-town2").get("/town/stats?year=2022"); !strings.Contains(res.Body, "stats-party-meetings") {
		t.Error("another town's page has no 三会一课 section")
	}
}
