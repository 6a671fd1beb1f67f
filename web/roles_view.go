package web

import "github.com/yubei-cso/portal/internal/portal"

// RoleOptions offers every role of the district and the towns, named with its tier, selected marked.
func RoleOptions(selected string) []Option {
	out := []Option{{Value: "", Label: "全部", Selected: selected == ""}}
	for _, t := range []portal.Tier{portal.TierDistrict, portal.TierTown} {
		for _, r := range portal.TierRoles[t] {
			if r != portal.RoleAll {
				out = append(out, Option{Value: string(r), Label: t.Label() + "·" + r.Label(), Selected: string(r) == selected})
			}
		}
	}
	return out
}
