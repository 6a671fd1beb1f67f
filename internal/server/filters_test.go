package server

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
)

// fakeDivisions is a district 500112 with two towns of two communities each.
type fakeDivisions struct{}

func (fakeDivisions) DivisionsAtLevel(_ context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error) {
	all := []portal.Division{{Code: "500112001", Level: portal.TierTown}, {Code: "500112002", Level: portal.TierTown},
		{Code: "500112001001", Level: portal.TierCommunity}, {Code: "500112001002", Level: portal.TierCommunity},
		{Code: "500112002001", Level: portal.TierCommunity}, {Code: "500112002002", Level: portal.TierCommunity}}
	var out []portal.Division
	for _, d := range all {
		if d.Level == level && strings.HasPrefix(d.Code, scope.Division) {
			out = append(out, d)
		}
	}
	return out, nil
}

func TestReadDivisions(t *testing.T) {
	district := portal.Scope{Tier: portal.TierDistrict, Division: "500112"}
	town := portal.Scope{Tier: portal.TierTown, Division: "500112001"}
	committee := portal.Scope{Tier: portal.TierCommunity, Division: "500112001002"}
	const (
		townOut       = "所选镇街不在您的管辖范围内"
		townPick      = "所选镇街不在您的管辖范围内，请从列表中选择"
		communityOut  = "所选社区(村)不在您的管辖范围内"
		communityPick = "所选社区(村)不在您的管辖范围内，请从列表中选择"
		notOfTown     = "所选社区(村)不属于所选镇街"
	)
	for _, c := range []struct {
		name               string
		scope              portal.Scope
		town, community    string
		wholeDistrict      bool
		townMsg, commMsg   string
		communities        int // -1: none read
		wantTown, wantComm string
	}{
		{"district, nothing chosen", district, "", "", false, "", "", -1, "", ""},
		{"district, whole district's communities", district, "", "", true, "", "", 4, "", ""},
		{"district, a town", district, " 500112002 ", "", false, "", "", 2, "500112002", ""},
		{"district, a community without its town", district, "", "500112001002", false, "", "", 2, "", "500112001002"},
		{"district, a foreign town", district, "500113001", "", false, townPick, "", -1, "", ""},
		{"district, a community of another town", district, "500112001", "500112002001", false, "", notOfTown, 2, "", ""},
		{"district, a community beside a foreign town", district, "500113001", "500112002001", false, townPick, communityPick, -1, "", ""},
		{"district report, foreign town keeps the district's communities", district, "500113001", "500112002001", true, townPick, "", 4, "", ""},
		{"town, its own community", town, "500112001", "500112001001", false, "", "", 2, "500112001", "500112001001"},
		{"town, another town", town, "500112002", "", false, townOut, "", 2, "", ""},
		{"town, another town's community", town, "", "500112002001", false, "", communityPick, 2, "", ""},
		{"committee, itself", committee, "500112001", "500112001002", false, "", "", -1, "500112001", "500112001002"},
		{"committee, a neighbour", committee, "", "500112001001", false, "", communityOut, -1, "", ""},
		{"committee, another town", committee, "500112002", "", false, townOut, "", -1, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			problems := map[string]string{}
			q := url.Values{"town": {c.town}, "community": {c.community}}
			d, err := readDivisions(context.Background(), fakeDivisions{}, c.scope, q, problems, c.wholeDistrict)
			if err != nil {
				t.Fatal(err)
			}
			if d.Town.Value != strings.TrimSpace(c.town) || d.Community.Value != c.community {
				t.Errorf("kept %q %q, want what was typed", d.Town.Value, d.Community.Value)
			}
			if d.Town.Problem != c.townMsg || problems["town"] != c.townMsg {
				t.Errorf("town message %q / %q, want %q", d.Town.Problem, problems["town"], c.townMsg)
			}
			if d.Community.Problem != c.commMsg || problems["community"] != c.commMsg {
				t.Errorf("community message %q / %q, want %q", d.Community.Problem, problems["community"], c.commMsg)
			}
			if n := len(d.Communities); (c.communities < 0) != (d.Communities == nil) || (c.communities >= 0 && n != c.communities) {
				t.Errorf("communities %v, want %d", d.Communities, c.communities)
			}
			if (d.Towns != nil) != (c.scope.Tier == portal.TierDistrict) {
				t.Errorf("towns %v at %s", d.Towns, c.scope.Tier)
			}
			if town, community := d.codes(); town != c.wantTown || community != c.wantComm {
				t.Errorf("codes %q %q, want %q %q", town, community, c.wantTown, c.wantComm)
			}
		})
	}
}

func TestDivisionFilterWorkList(t *testing.T) {
	d := divisionFilter{Towns: []portal.Division{{Code: "500112001", Name: "双龙湖街道"}}}
	d.Town.Value = "500112001"
	v := d.workList()
	if len(v.TownOptions) != 2 || !v.TownOptions[1].Selected || v.TownOptions[0].Label != "全部" {
		t.Errorf("town options %+v", v.TownOptions)
	}
	if v.CommunityOptions != nil {
		t.Errorf("community options %+v without communities read", v.CommunityOptions)
	}
}
