package seed

import (
	"bytes"
	"testing"

	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/sealbox"
)

// Generated organizations must be as valid as real ones: names pass the name rule, codes pass their checks,
// and names stay unique.
func TestScaleRowsAreValidAndUnique(t *testing.T) {
	box, _ := sealbox.New(bytes.Repeat([]byte{1}, 32))
	towns := Towns()
	g := NewScaleGenerator(towns, DemoCommunities(towns), box)
	names := map[string]bool{}
	col := map[string]int{}
	for i, c := range ScaleColumns {
		col[c] = i
	}
	// The first 20,000 rows, then one community's rows far up its numbering, where 字号 and field repeat.
	var rows []int
	for i := 0; i < 20000; i++ {
		rows = append(rows, i)
	}
	n := len(DemoCommunities(towns))
	for k := 3500; k < 8000; k++ {
		rows = append(rows, 5+k*n)
	}
	for _, i := range rows {
		r := g.Row(i)
		name := r[col["name"]].(string)
		if names[name] {
			t.Fatalf("row %d repeats the name %s", i, name)
		}
		names[name] = true
		legal := rules.LegalForm(r[col["legal_form"]].(string))
		parts := rules.NameParts{Prefix: r[col["name_prefix"]].(string), Community: r[col["name_community"]].(string),
			Zihao: r[col["name_zihao"]].(string), Field: r[col["name_field"]].(string), Form: r[col["name_form"]].(string)}
		if rules.ComposeName(parts) != name {
			t.Fatalf("row %d: parts do not compose the name", i)
		}
		if p := rules.CheckName(parts, legal, parts.Community); !p.OK() {
			t.Fatalf("row %d %s: %v", i, name, p)
		}
		// Every field word turns up in every stretch of 60 rows, as in real data, where groups of every kind
		// register side by side; a search's matches are then equally dense at every depth of the list.
		if i >= 60 && i < 20000 && i%60 == 0 {
			seen := map[string]bool{}
			for j := i - 60; j < i; j++ {
				seen[g.Row(j)[col["name_field"]].(string)] = true
			}
			if len(seen) != len(g.fields) {
				t.Fatalf("rows %d–%d hold %d of the %d field words", i-60, i-1, len(seen), len(g.fields))
			}
		}
		if u, ok := r[col["uscc"]].(string); ok {
			if err := rules.CheckUSCC(u, legal, DistrictCode); err != nil {
				t.Fatalf("row %d USCC %s: %v", i, u, err)
			}
		}
	}
}
