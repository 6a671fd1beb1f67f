package web

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// betweenTags is the layout whitespace templ writes around its markup and the hand-written rows do not.
var betweenTags = regexp.MustCompile(`>\s+|\s+<`)

func renderedHTML(t testing.TB, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return betweenTags.ReplaceAllStringFunc(buf.String(), func(s string) string { return strings.TrimSpace(s) })
}

// orgRowsForGolden are list rows with every value hostile or missing in turn.
func orgRowsForGolden() []registry.OrgPageRow {
	var rows []registry.OrgPageRow
	founded := time.Date(2021, 7, 21, 0, 0, 0, 0, time.UTC)
	for i, s := range hostile {
		r := registry.OrgPageRow{ID: int64(i + 1), Name: s, Tier: registry.Tiers[i%3], LegalForm: rules.LegalForm(s),
			TownName: s, CommunityName: s, Status: registry.Statuses[i%4]}
		switch i % 4 {
		case 0:
			r.Fields, r.LeaderName, r.LeaderPhone, r.FoundedOn = []string{s, "文体娱乐"}, s, "138****0000", founded
		case 1:
			r.LeaderName = s
		case 2:
			r.LeaderPhone, r.Status = s, registry.Status(s)
		}
		rows = append(rows, r)
	}
	return rows
}

// TestHandWrittenRowsEqualTempl holds the hand-written list bodies to the plain templ components: the same
// markup, value for value, but for templ's layout whitespace.
func TestHandWrittenRowsEqualTempl(t *testing.T) {
	rows := orgRowsForGolden()
	for _, base := range []string{"/district/orgs", `/town/orgs"<&`} {
		got, want := renderedHTML(t, orgListRows(base, rows)), renderedHTML(t, orgListRowsTempl(base, rows))
		if got != want {
			t.Errorf("organization rows (base %q) differ from templ's:\n got %s\nwant %s", base, got, want)
		}
	}
	for _, show := range [][3]bool{{true, true, true}, {false, false, false}, {true, false, true}} {
		v := ReportListView{ShowOrg: show[0], ShowTown: show[1], ShowCommunity: show[2]}
		for i, s := range hostile {
			v.Rows = append(v.Rows, ReportListItem{ID: int64(i + 1), Href: "/town/reports/" + s, Date: s, Title: s,
				Org: s, Town: s, Community: s, Series: s, Category: s, Participants: s, Volunteers: s, Hours: s,
				Beneficiaries: s, Revision: []string{"", "第 2 版", s}[i%3]})
		}
		if got, want := renderedHTML(t, reportListRows(v)), renderedHTML(t, reportListRowsTempl(v)); got != want {
			t.Errorf("report rows %v differ from templ's:\n got %s\nwant %s", show, got, want)
		}
	}
}

// TestMoneyRowsEqualTempl holds the money overview's hand-written table bodies to the templ the page wrote
// them with, on hostile text, negative and large amounts, and missing dates.
func TestMoneyRowsEqualTempl(t *testing.T) {
	day := time.Date(2023, 1, 31, 0, 0, 0, 0, time.UTC) // a date column as it is read
	var contracts []registry.ContractLine
	var funds []registry.Fund
	var rounds []registry.Round
	var totals []registry.MoneyTotal
	for i, s := range hostile {
		fen := registry.Fen([]int64{0, 5, 1250, 123456789, -1250, 100000000000, 99, 7}[i%8])
		on := []time.Time{day, {}, day.AddDate(0, 11, 0)}[i%3]
		contracts = append(contracts, registry.ContractLine{ID: int64(i + 1), DivisionName: s, OrgName: s, Project: s,
			Amount: fen, Paid: fen / 2, StartsOn: on, EndsOn: day, Status: []string{registry.ContractAccepted,
				registry.ContractFailed, "active", "rework", s}[i%5]})
		funds = append(funds, registry.Fund{ID: int64(i + 1), DivisionName: s, Name: s, Balance: fen})
		rounds = append(rounds, registry.Round{ID: int64(i + 1), DivisionName: s, Title: s, Budget: fen, Awarded: fen / 3,
			OpensOn: day, ClosesOn: on, Status: []string{registry.RoundReviewing, registry.RoundClosed, "open", s}[i%4]})
		totals = append(totals, registry.MoneyTotal{Key: s, Amount: fen, Rows: i * 1000})
	}
	for _, base := range []string{"/district/funding", `/town/funding"<&`} {
		for _, c := range []struct {
			name       string
			got, templ templ.Component
		}{
			{"contract", contractRows(base, contracts), contractRowsTempl(base, contracts)},
			{"fund", fundRows(base, funds), fundRowsTempl(base, funds)},
			{"round", roundRows(base, rounds), roundRowsTempl(base, rounds)},
		} {
			if got, want := renderedHTML(t, c.got), renderedHTML(t, c.templ); got != want {
				t.Errorf("%s rows (base %q) differ from templ's:\n got %s\nwant %s", c.name, base, got, want)
			}
		}
	}
	for _, all := range []registry.Fen{0, 123456789} {
		if got, want := renderedHTML(t, moneyTotalRows(totals, all)), renderedHTML(t, moneyTotalRowsTempl(totals, all)); got != want {
			t.Errorf("total rows (of %d) differ from templ's:\n got %s\nwant %s", all, got, want)
		}
	}
}

// BenchmarkOrgListRows weighs the hand-written rows against the plain templ component: 50 rows, a list page.
func BenchmarkOrgListRows(b *testing.B) {
	var rows []registry.OrgPageRow
	for i := range 50 {
		rows = append(rows, registry.OrgPageRow{ID: int64(1_000_000 + i), Name: "渝北区双龙湖街道锦华社区夕阳红舞蹈队",
			Tier: registry.TierGuided, LegalForm: rules.FormUnregistered, TownName: "双龙湖街道", CommunityName: "锦华社区",
			Fields: []string{"文体娱乐", "邻里互助"}, LeaderName: "张某某", LeaderPhone: "138****1234",
			Status: registry.StatusNormal, FoundedOn: time.Date(2021, 7, 21, 0, 0, 0, 0, time.UTC)})
	}
	for _, c := range []struct {
		name string
		rows templ.Component
	}{{"writer", orgListRows("/district/orgs", rows)}, {"templ", orgListRowsTempl("/district/orgs", rows)}} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := c.rows.Render(context.Background(), &buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSelectFieldEqualsTempl holds the hand-written select field to its plain templ form, with and without a
// blank choice, a hint and a message, on hostile text.
func TestSelectFieldEqualsTempl(t *testing.T) {
	opts := []Option{{Value: "a", Label: "甲"}, {Value: `"<&'`, Label: `<b>`, Selected: true, Group: "组&"},
		{Value: "c", Label: "丙", Group: "组&"}, {Value: "d", Label: "丁", Group: "另"}}
	for _, s := range hostile {
		for _, c := range [][3]string{{"", "", ""}, {"全部", s, ""}, {"", "", s}, {s, s, s}} {
			got := renderedHTML(t, selectField("f"+s, "标签"+s, c[1], c[0], c[2], opts))
			want := renderedHTML(t, selectFieldTempl("f"+s, "标签"+s, c[1], c[0], c[2], opts))
			if got != want {
				t.Errorf("select field %q %q differs from templ's:\n got %s\nwant %s", s, c, got, want)
			}
		}
	}
}

// BenchmarkPublicOrgList weighs the directory's hand-written cards against the templ they replaced: a page of 31.
func BenchmarkPublicOrgList(b *testing.B) {
	var items []PublicOrgItem
	for i := range 31 {
		items = append(items, PublicOrgItem{Href: "/orgs/" + strconv.Itoa(1000000+i), Name: "渝北区悦来街道同心社区金秋书画社",
			Tier: "村居指导", Place: "悦来街道 · 同心社区", Fields: "文体娱乐、志愿服务", Status: "正常", StatusClass: StatusOK})
	}
	for _, c := range []struct {
		name string
		list func([]PublicOrgItem) templ.Component
	}{{"hand", publicOrgList}, {"templ", publicOrgListTempl}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := c.list(items).Render(b.Context(), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
