package seed

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// The demo organizations are valid, deterministic, spread over every town, and give both demo communities
// several groups.
func TestDemoOrganizations(t *testing.T) {
	towns := Towns()
	communities := DemoCommunities(towns)
	orgs, err := DemoOrganizations(towns, communities)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := DemoOrganizations(towns, communities)
	if !reflect.DeepEqual(orgs, again) {
		t.Fatal("DemoOrganizations is not deterministic")
	}
	if len(orgs) < 300 || len(orgs) > 600 {
		t.Fatalf("%d demo organizations, want a few hundred", len(orgs))
	}
	now := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	names := map[string]bool{}
	perTown := map[string]int{}
	perCommunity := map[string]int{}
	tiers := map[registry.Tier]int{}
	statuses := map[registry.Status]int{}
	for _, o := range orgs {
		name := rules.ComposeName(o.NameParts)
		if names[name] {
			t.Errorf("duplicate name %s", name)
		}
		names[name] = true
		if p := rules.CheckName(o.NameParts, o.LegalForm, o.NameParts.Community); !p.OK() {
			t.Errorf("%s: %v", name, p)
		}
		if err := rules.CheckPhone(o.LeaderPhone); err != nil {
			t.Errorf("%s: phone: %v", name, err)
		}
		if o.LeaderID != "" {
			if err := rules.CheckIDNumber(o.LeaderID, now); err != nil {
				t.Errorf("%s: ID: %v", name, err)
			}
		}
		switch o.Tier {
		case registry.TierFiled:
			if !strings.HasPrefix(o.FilingNo, "渝北社备〔") || !strings.Contains(o.FilingNo, "〕"+o.CommunityCode[6:9]+"-") ||
				!strings.HasSuffix(o.FilingNo, "号") {
				t.Errorf("%s: filing number %q", name, o.FilingNo)
			}
		case registry.TierRegistered:
			if err := rules.CheckUSCC(o.USCC, o.LegalForm, DistrictCode); err != nil {
				t.Errorf("%s: USCC %s: %v", name, o.USCC, err)
			}
		}
		if o.Status != "" && o.Status != registry.StatusNormal && (o.StatusReason == "" || o.StatusOn == nil) {
			t.Errorf("%s: status %s without a date and reason", name, o.Status)
		}
		perTown[o.CommunityCode[:9]]++
		perCommunity[o.CommunityCode]++
		tiers[o.Tier]++
		statuses[o.Status]++
	}
	if len(perTown) != 30 {
		t.Errorf("organizations in %d towns, want all 30", len(perTown))
	}
	for _, c := range []string{CommunityDemo, CommunityDemoRural} {
		if perCommunity[c] < 5 {
			t.Errorf("%s has %d groups, want several", c, perCommunity[c])
		}
	}
	if tiers[registry.TierGuided] <= tiers[registry.TierFiled] || tiers[registry.TierFiled] == 0 ||
		tiers[registry.TierRegistered] == 0 {
		t.Errorf("tiers %v: want guided mostly, some filed and registered", tiers)
	}
	if statuses[registry.StatusDissolved] == 0 {
		t.Errorf("no dissolved demo organization")
	}
	t.Logf("%d organizations, tiers %v, statuses %v", len(orgs), tiers, statuses)
}
