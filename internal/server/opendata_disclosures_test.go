package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/registry"
)

// The disclosures download, read back as CSV and as JSON: every revision of the seeded disclosures, its columns
// the dictionary's, the superseded revision of a corrected 收支情况 marked and joined to its current one, the
// totals the sum of the lines, and no publisher's name anywhere.
func TestOpenDataDisclosuresReadBack(t *testing.T) {
	a := newApp(t, nil)
	c := a.client()
	page := c.get("/open-data").doc(t)
	documented := page.Find(`table.dictionary[data-dataset="disclosures"] tbody tr td:first-child`).
		Map(func(_ int, td *goquery.Selection) string { return td.Text() })
	if page.Find(`#disclosure-downloads a[href="/open-data/disclosures.csv"]`).Length() != 1 ||
		page.Find(`#disclosure-downloads a[href="/open-data/disclosures.json"]`).Length() != 1 {
		t.Fatal("the open-data page does not offer the disclosures")
	}
	res := c.get("/open-data/disclosures.csv")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		len(res.Header.Values("Set-Cookie")) != 0 {
		t.Fatalf("disclosures.csv: %d %v", res.StatusCode, res.Header)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], documented) || !slices.Equal(records[0], registry.OpenDisclosureDataset.Header()) {
		t.Fatalf("columns %v, dictionary %v", records[0], documented)
	}
	col := func(name string) int { return slices.Index(records[0], name) }
	total := a.count(`SELECT count(*) FROM org_disclosures`)
	if total == 0 || len(records)-1 != total {
		t.Fatalf("%d rows for %d revisions", len(records)-1, total)
	}
	superseded := a.count(`SELECT count(*) FROM org_disclosures WHERE superseded_at IS NOT NULL`)
	byDisclosure := map[string][]string{}
	var marked int
	for _, rec := range records[1:] {
		byDisclosure[rec[col("disclosure_id")]] = append(byDisclosure[rec[col("disclosure_id")]], rec[col("status")])
		switch rec[col("status")] {
		case "superseded":
			marked++
			if len(rec[col("superseded_date")]) != 10 {
				t.Errorf("a superseded revision without its date: %v", rec)
			}
		case "current":
			if rec[col("superseded_date")] != "" {
				t.Errorf("a current revision with a superseded date: %v", rec)
			}
		default:
			t.Errorf("status %q", rec[col("status")])
		}
		if rec[col("kind")] == "finance" {
			var in, out registry.Fen
			for _, l := range strings.Split(rec[col("lines")], ";") {
				parts := strings.Split(l, "|")
				v, ok := registry.ParseYuan(parts[2])
				if len(parts) != 3 || !ok {
					t.Fatalf("line %q", l)
				}
				if parts[0] == "收入" {
					in += v
				} else {
					out += v
				}
			}
			if in.Plain() != rec[col("income_total")] || out.Plain() != rec[col("spending_total")] {
				t.Errorf("totals %s/%s, lines %s/%s", rec[col("income_total")], rec[col("spending_total")], in.Plain(), out.Plain())
			}
		}
	}
	if superseded == 0 || marked != superseded {
		t.Fatalf("%d superseded rows marked, %d in the database", marked, superseded)
	}
	for id, st := range byDisclosure {
		if slices.Index(st, "current") < 0 || len(st) > 1 && !slices.Contains(st, "superseded") {
			t.Errorf("disclosure %s: %v", id, st)
		}
	}
	var names []string
	rows, err := a.db.Pool.Query(t.Context(), `SELECT DISTINCT published_by_name FROM org_disclosures WHERE published_by_name <> ''`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	js := c.get("/open-data/disclosures.json")
	for _, n := range names {
		if strings.Contains(res.Body, n) || strings.Contains(js.Body, n) {
			t.Errorf("the publisher %q is in the open data", n)
		}
	}

	var doc struct {
		ExtractDate string           `json:"extract_date"`
		Disclosures []map[string]any `json:"disclosures"`
	}
	if err := json.Unmarshal([]byte(js.Body), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.ExtractDate) != 10 || len(doc.Disclosures) != total {
		t.Fatalf("JSON: extract %q, %d records", doc.ExtractDate, len(doc.Disclosures))
	}
	for i, d := range doc.Disclosures {
		if d["id"] != records[i+1][0] {
			t.Fatalf("JSON id %v, CSV %s", d["id"], records[i+1][0])
		}
		for k := range d {
			if !slices.Contains(documented, k) {
				t.Fatalf("JSON key %q is not in the dictionary", k)
			}
		}
		lines, ok := d["lines"].([]any)
		if !ok || d["kind"] == "finance" && len(lines) == 0 {
			t.Fatalf("JSON lines: %v", d["lines"])
		}
	}
}
