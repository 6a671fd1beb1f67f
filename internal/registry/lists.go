package registry

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/rules"
)

// ListTotal is a work list's total: exact, or at least N when More is set.
type ListTotal = OrgCount

// OrgFilter narrows a list of organizations. Empty fields do not filter. The handler checks every value
// (divisions inside the caller's scope, known words, a name term of at least two characters) before it gets
// here; the scope clause still bounds every query whatever the filter says.
type OrgFilter struct {
	TownCode      string
	CommunityCode string
	Tier          Tier            // 管理层级
	LegalForm     rules.LegalForm // 组织形式
	Field         string          // one 服务领域 the group lists among its fields
	Nature        string          // 性质
	Status        Status
	Party         string // 党建 status
	Query         string // part of the name, two characters or more
	Sort          OrgSort
}

// OrgSort is the order of a list; both orders page by keyset.
type OrgSort string

const (
	SortNewest OrgSort = ""     // newest first, by id: the default, served by the scope indexes
	SortName   OrgSort = "name" // by name (code-point order), then id
)

// Summary describes the filter for the audit log; it holds codes and words from fixed lists and the name
// term, never personal data.
func (f OrgFilter) Summary() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("town", f.TownCode)
	add("community", f.CommunityCode)
	add("tier", string(f.Tier))
	add("form", string(f.LegalForm))
	add("field", f.Field)
	add("nature", f.Nature)
	add("status", string(f.Status))
	add("party", f.Party)
	add("q", f.Query)
	add("sort", string(f.Sort))
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, " ")
}

// OrgListRow is one organization as exports show it: the registry's own type with the columns of
// orgExportColumns filled (the 负责人 phone masked). The record page reads the rest.
type OrgListRow = Organization

// OrgPageRow is one organization as a list page shows it: the columns of orgPageColumns and the names of its
// town and community. It is a fifth of the registry's type, and a page holds fifty of them per request.
type OrgPageRow struct {
	ID            int64
	Name          string
	Tier          Tier
	LegalForm     rules.LegalForm
	Status        Status
	TownCode      string
	CommunityCode string
	TownName      string
	CommunityName string
	Fields        []string
	LeaderName    string
	LeaderPhone   string    // the mask; a list never has the full number
	FoundedOn     time.Time // zero when unknown
}

// check refuses a word that is not on its list. The handler refuses it first, with a message at the field;
// this is the store's own guard, since orgWhere writes the words into the statement's text.
func (f OrgFilter) Check() error {
	for _, c := range []struct {
		name, value string
		known       bool
	}{
		{"tier", string(f.Tier), f.Tier.Valid()},
		{"legal form", string(f.LegalForm), f.LegalForm.Valid()},
		{"status", string(f.Status), f.Status.Valid()},
		{"nature", f.Nature, slices.Contains(Natures, f.Nature)},
		{"party", f.Party, slices.Contains(PartyStatuses, f.Party)},
		{"field", f.Field, slices.Contains(Fields, f.Field)},
	} {
		if c.value != "" && !c.known {
			return fmt.Errorf("organization filter: %s %q is not on its list", c.name, c.value)
		}
	}
	if f.Sort != SortNewest && f.Sort != SortName {
		return fmt.Errorf("organization filter: no order %q", f.Sort)
	}
	return nil
}

// OrgPage is one list page and, when the kept counts answer the filter (OrgFilter.KeptCountable), the list's
// exact total.
type OrgPage struct {
	Rows []OrgPageRow
	Kept *OrgCount // nil: the filter needs counting, which a page does not pay for
}

// KeptCountable reports whether the kept counts answer this filter's total exactly, whatever the registry's
// size: a filter of divisions, tier, legal form and status only.
func (f OrgFilter) KeptCountable() bool {
	return f.Field == "" && f.Nature == "" && f.Party == "" && f.Query == ""
}

// CountCap bounds a count that the kept counts cannot answer (a name search, or a filter on 服务领域, 性质 or
// 党建): counting every match of a common word among 2 M names took 100 ms to 2 s, for a number nobody
// reads past "more than a thousand". The list itself is unaffected; it pages through every match.
const CountCap = 1000

// OrgCount is a list's total: exact, or at least N when More is set.
type OrgCount struct {
	N    int
	More bool
}

// filterSummary joins the non-empty key=value pairs of a filter, or says 全部.
func filterSummary(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			parts = append(parts, kv[i]+"="+kv[i+1])
		}
	}
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, " ")
}
