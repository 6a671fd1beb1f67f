package registry

import (
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/rules"
)

func TestParseNumber(t *testing.T) {
	uscc := rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH20039")
	for _, c := range []struct {
		in     string
		kind   NumberKind
		number string
	}{
		{"渝北社备〔2024〕002-0001号", NumberFiling, "渝北社备〔2024〕002-0001号"},
		{" 渝北社备[2024]002-0001 ", NumberFiling, "渝北社备〔2024〕002-0001号"},
		{"2024002-0001", NumberFiling, "渝北社备〔2024〕002-0001号"},
		{"（2024）133-0012号", NumberFiling, "渝北社备〔2024〕133-0012号"},
		{"渝北社备〔2021〕002-0000541号", NumberFiling, "渝北社备〔2021〕002-0000541号"},
		{uscc, NumberUSCC, uscc},
		{strings.ToLower(uscc), NumberUSCC, uscc},
	} {
		kind, number, msg := ParseNumber(c.in)
		if kind != c.kind || number != c.number || msg != "" {
			t.Errorf("ParseNumber(%q) = %q %q %q", c.in, kind, number, msg)
		}
	}
	bad := uscc[:17] + map[bool]string{true: "1", false: "2"}[uscc[17] != '1']
	for _, in := range []string{"", "x", "2024-002", bad, strings.Repeat("渝", 100), "渝北社备〔24〕002-0001号", "\x00"} {
		if kind, _, msg := ParseNumber(in); kind != "" || msg == "" {
			t.Errorf("ParseNumber(%q) accepted as %q", in, kind)
		}
	}
}

func TestPublicFilterValidate(t *testing.T) {
	ok := PublicFilter{Query: "舞蹈", Field: "养老照护", Tier: TierFiled, Status: StatusDissolved, Sort: SortName}
	if p := ok.Validate(); !p.OK() {
		t.Fatalf("a good filter: %v", p)
	}
	for key, f := range map[string]PublicFilter{
		"q":      {Query: "舞"},
		"field":  {Field: "赛马"},
		"tier":   {Tier: "x"},
		"status": {Status: "gone"},
		"sort":   {Sort: "random"},
	} {
		if p := f.Validate(); p[key] == "" {
			t.Errorf("%s: no message in %v", key, p)
		}
	}
	long := PublicFilter{Query: strings.Repeat("舞", PublicQueryMax+1)}
	if p := long.Validate(); p["q"] == "" {
		t.Error("a long query passes")
	}
	for _, q := range []string{"a\x00b", "\xff\xfe"} {
		f := PublicFilter{Query: q}
		if f.Clean() != ErrBadInput {
			t.Errorf("Clean(%q) passes", q)
		}
	}
}
