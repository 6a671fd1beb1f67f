package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/seed"
)

// The training export holds the year's sessions the town sees (its own and the district's) and people of the town alone, one row a person however many
// sessions they attended, masked as the pages show them; the reach sheet ends with the town's total.
func TestTrainingExportIsTheTownsYear(t *testing.T) {
	a := newApp(t, nil)
	year := time.Now().In(beijing).Year()
	c := a.signedIn("demo-town")
	reach := c.get("/town/training/reach")
	href, _ := reach.doc(t).Find("#export-xlsx").Attr("href")
	if href != "/town/training/export.xlsx?year="+strconv.Itoa(year) {
		t.Fatalf("export link %q", href)
	}
	res := c.get(href)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "PK") {
		t.Fatalf("export: %d", res.StatusCode)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = x.Close() }()
	people, _ := x.GetRows("参训人员")
	sessions, _ := x.GetRows("培训场次")
	reachRows, _ := x.GetRows("覆盖情况")
	wantPeople := a.count(`SELECT count(DISTINCT a.trainee_id) FROM training_attendance a
		JOIN training_sessions s ON s.id = a.session_id
		WHERE s.town_code = $1 AND extract(year FROM s.starts_at AT TIME ZONE 'Asia/Shanghai') = $2`, seed.TownShuanglonghu, year)
	// the town's sessions and the district's, which the town sees
	wantSessions := a.count(`SELECT count(*) FROM training_sessions s WHERE (s.town_code = $1 OR s.town_code IS NULL)
		AND extract(year FROM s.starts_at AT TIME ZONE 'Asia/Shanghai') = $2`, seed.TownShuanglonghu, year)
	if wantPeople == 0 || len(people)-1 != wantPeople || len(sessions)-1 != wantSessions {
		t.Fatalf("people %d (want %d), sessions %d (want %d)", len(people)-1, wantPeople, len(sessions)-1, wantSessions)
	}
	for _, row := range people[1:] {
		if row[0] != "双龙湖街道" {
			t.Fatalf("another town's trainee: %v", row)
		}
		if len(row) > 2 && strings.Count(row[2], "*") == 0 && row[2] != "" {
			t.Fatalf("an unmasked 身份证号: %v", row)
		}
	}
	if last := reachRows[len(reachRows)-1]; last[0] != "双龙湖街道" || last[1] != reach.doc(t).Find("#total-live").Text() {
		t.Fatalf("reach total %v", last)
	}
	if c.get("/town/training/export.xlsx?year=abc").StatusCode != http.StatusNotFound {
		t.Fatal("a bad year is not refused")
	}
}
