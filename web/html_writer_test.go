package web

import (
	"bytes"
	"context"
	"html"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// hostile holds every character HTML gives a meaning, in text and in attributes.
var hostile = []string{"", "锦华社区夕阳红舞蹈队", `<script>alert("x")</script>`, `a & b`, `"onmouseover="x`,
	`'single'`, `<<>>&&""''`, "中&文<混>合\"'"}

func TestHTMLTextEscapesAsTempl(t *testing.T) {
	for _, s := range hostile {
		checkEscapesAsTempl(t, s)
	}
}

func checkEscapesAsTempl(t *testing.T, s string) {
	t.Helper()
	var b strings.Builder
	h := newHTMLWriter(&b)
	h.text(s)
	if err := h.done(); err != nil {
		t.Fatal(err)
	}
	if b.String() != html.EscapeString(s) {
		t.Errorf("text(%q) = %q, want %q", s, b.String(), html.EscapeString(s))
	}
}

// FuzzHTMLText: whatever the input, the writer escapes exactly as templ's { expr } does.
func FuzzHTMLText(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(checkEscapesAsTempl)
}

// renderRows renders a table body and returns its rows, failing if any value came out as markup.
func renderRows(t *testing.T, c templ.Component) *goquery.Selection {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString("<table><tbody>")
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("</tbody></table>")
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n := doc.Find("script").Length(); n != 0 {
		t.Fatalf("%d script elements: a value was written as markup", n)
	}
	return doc.Find("tbody tr")
}

func TestOrgListRowsShowEachValueAsText(t *testing.T) {
	var rows []registry.OrgPageRow
	founded := time.Date(2021, 7, 21, 0, 0, 0, 0, time.UTC) // a date column as it is read
	for i, s := range hostile {
		r := registry.OrgPageRow{ID: int64(i + 1), Name: s, Tier: registry.Tier(s), LegalForm: rules.LegalForm(s),
			TownName: s, CommunityName: s, Fields: []string{s, "文体娱乐"}, LeaderName: s, LeaderPhone: s,
			Status: []registry.Status{registry.StatusNormal, registry.StatusAbnormal, registry.StatusDissolved,
				registry.Status(s)}[i%4]}
		if i%2 == 0 {
			r.FoundedOn = founded
		}
		rows = append(rows, r)
	}
	// A row with nothing optional shows dashes, not empty cells.
	rows = append(rows, registry.OrgPageRow{ID: 99, Name: "渝北区某某舞蹈队", Tier: registry.TierGuided,
		Status: registry.StatusRevoked})
	base := `/district/orgs"<`
	trs := renderRows(t, orgListRows(base, rows))
	if trs.Length() != len(rows) {
		t.Fatalf("%d rows, want %d", trs.Length(), len(rows))
	}
	trs.Each(func(i int, tr *goquery.Selection) {
		r := rows[i]
		tds := tr.Find("td")
		if tds.Length() != 9 {
			t.Fatalf("row %d: %d cells, want 9", i, tds.Length())
		}
		if href, _ := tds.Eq(0).Find("a").Attr("href"); href != base+"/"+strconv.FormatInt(r.ID, 10) {
			t.Errorf("row %d: link %q", i, href)
		}
		fields, leader, founded := "—", "—", "—"
		if len(r.Fields) > 0 {
			fields = strings.Join(r.Fields, "、")
		}
		switch {
		case r.LeaderName != "":
			leader = r.LeaderName + " " + r.LeaderPhone
		}
		if !r.FoundedOn.IsZero() {
			founded = "2021年7月21日"
		}
		status, class := OrgListStatus(r.Status)
		for j, want := range []string{r.Name, r.Tier.Label(), string(r.LegalForm), r.TownName, r.CommunityName,
			fields, leader, status, founded} {
			if got := tds.Eq(j).Text(); got != want {
				t.Errorf("row %d cell %d: %q, want %q", i, j, got, want)
			}
		}
		if got, _ := tds.Eq(7).Find("span").Attr("class"); got != strings.TrimSpace("status "+string(class)) {
			t.Errorf("row %d: badge class %q for %s", i, got, status)
		}
	})
}

func TestStatusBadgeClasses(t *testing.T) {
	for c, want := range map[StatusClass]string{StatusOK: "status ok", StatusWarn: "status warn",
		StatusBad: "status bad", "": "status"} {
		var buf bytes.Buffer
		if err := StatusBadge(c, "正常").Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != `<span class="`+want+`">正常</span>` {
			t.Errorf("class %q: %s", c, got)
		}
	}
}

func TestGroupedOptions(t *testing.T) {
	opts := []Option{{Value: "", Label: "全部"}, {Value: "500112002", Label: "双龙湖街道", Group: "街道", Selected: true},
		{Value: "500112003", Label: `"<镇>"`, Group: "街道"}, {Value: "500112100", Label: "统景镇", Group: "镇"}}
	var buf bytes.Buffer
	buf.WriteString("<select>")
	if err := groupedOptions(opts).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("</select>")
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var groups []string
	doc.Find("optgroup").Each(func(_ int, s *goquery.Selection) { groups = append(groups, s.AttrOr("label", "")) })
	if strings.Join(groups, ",") != "街道,镇" {
		t.Errorf("groups %v, want one per run of a group", groups)
	}
	o := doc.Find("option")
	if o.Length() != len(opts) {
		t.Fatalf("%d options, want %d", o.Length(), len(opts))
	}
	o.Each(func(i int, s *goquery.Selection) {
		_, selected := s.Attr("selected")
		if s.AttrOr("value", "?") != opts[i].Value || s.Text() != opts[i].Label || selected != opts[i].Selected {
			t.Errorf("option %d: value %q label %q selected %v, want %+v", i, s.AttrOr("value", "?"), s.Text(),
				selected, opts[i])
		}
	})
}

func TestReportListRowsShowEachValueAsText(t *testing.T) {
	for _, show := range [][3]bool{{true, true, true}, {false, false, false}, {true, false, true}} {
		v := ReportListView{ShowOrg: show[0], ShowTown: show[1], ShowCommunity: show[2]}
		for i, s := range hostile {
			v.Rows = append(v.Rows, ReportListItem{ID: int64(i + 1), Href: "/town/reports/" + strings.Repeat("7", i+1),
				Date: s, Title: s, Org: s + "组", Town: s + "镇", Community: s + "村", Series: s, Category: s,
				Participants: s, Volunteers: s, Hours: s, Beneficiaries: s, Revision: []string{"", "第 2 版"}[i%2]})
		}
		trs := renderRows(t, reportListRows(v))
		if trs.Length() != len(v.Rows) {
			t.Fatalf("%d rows, want %d", trs.Length(), len(v.Rows))
		}
		trs.Each(func(i int, tr *goquery.Selection) {
			r := v.Rows[i]
			want := []string{r.Date, r.Title}
			for j, c := range []string{r.Org, r.Town, r.Community} {
				if show[j] {
					want = append(want, c)
				}
			}
			want = append(want, r.Series, r.Category, r.Participants, r.Volunteers, r.Hours, r.Beneficiaries)
			tds := tr.Find("td")
			if tds.Length() != len(want) {
				t.Fatalf("show %v row %d: %d cells, want %d", show, i, tds.Length(), len(want))
			}
			for j, w := range want {
				got := tds.Eq(j).Text()
				if j == 1 {
					got = tds.Eq(j).Find("a").Text()
				}
				if got != w {
					t.Errorf("show %v row %d cell %d: %q, want %q", show, i, j, got, w)
				}
			}
			if id := tr.AttrOr("data-id", ""); id != strconv.FormatInt(r.ID, 10) {
				t.Errorf("row %d: data-id %q", i, id)
			}
			if badge := tds.Eq(1).Find("span.status.warn").Length(); badge != 0 != (r.Revision != "") {
				t.Errorf("row %d: revision %q but %d badges", i, r.Revision, badge)
			}
		})
	}
}

// A fixed select's options are shared by every page that chose nothing; choosing gives a page its own copy.
func TestFixedOptionsAreSharedUntilChosen(t *testing.T) {
	opts := newFixedOptions(orgListWords([]string{"文体娱乐", "养老服务"}))
	if got := opts.selecting(""); &got[0] != &opts[0] || !got[0].Selected || got[0].Label != "全部" {
		t.Fatalf("nothing chosen: %+v", got)
	}
	chosen := opts.selecting("养老服务")
	if &chosen[0] == &opts[0] || chosen[0].Selected || !chosen[2].Selected || chosen[1].Selected {
		t.Fatalf("养老服务 chosen: %+v", chosen)
	}
	if !opts[0].Selected || opts[2].Selected {
		t.Fatalf("choosing changed the shared options: %+v", opts)
	}
}
