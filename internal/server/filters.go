package server

// The one division filter: every list's town and community filters, checked against the caller's jurisdiction.

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

// divisionFilter is a list's town and community filters as typed, each with its message when refused, and the
// divisions its selects offer.
type divisionFilter struct {
	Town, Community web.Field
	Towns           []portal.Division // the district's towns; nil below the district, which has no town select
	Communities     []portal.Division // the communities one may choose; nil when none were read
}

// readDivisions reads the town and community filters of q and checks them against scope: the district may name
// any of its towns and a community of it, a town only its own communities, a committee only itself. A refused
// value gets its message in problems (the page answers 422) and never reaches the store. At the district the
// community select lists one town's communities — the chosen town's, or the town of a community named without
// one — never a whole district's, unless wholeDistrict asks for them when no good town is chosen (the report
// list, which groups them by town).
func readDivisions(ctx context.Context, db orgFilterDivisions, scope portal.Scope, q url.Values, problems rules.Problems, wholeDistrict bool) (divisionFilter, error) {
	var d divisionFilter
	d.Town.Value, d.Community.Value = strings.TrimSpace(q.Get("town")), strings.TrimSpace(q.Get("community"))
	refuse := func(f *web.Field, key, msg string) {
		f.Problem = msg
		problems[key] = msg
	}
	var err error
	switch scope.Tier {
	case portal.TierDistrict:
		if d.Towns, err = db.DivisionsAtLevel(ctx, scope, portal.TierTown); err != nil {
			return d, err
		}
		d.Towns = nonNilDivisions(d.Towns)
		communities, of := wholeDistrict, scope
		switch c := d.Community.Value; {
		case d.Town.Value != "" && !hasDivision(d.Towns, d.Town.Value):
			refuse(&d.Town, "town", "所选镇街不在您的管辖范围内，请从列表中选择")
		case d.Town.Value != "":
			communities, of = true, portal.Scope{Tier: portal.TierTown, Division: d.Town.Value}
		case !wholeDistrict && len(c) == 12 && hasDivision(d.Towns, c[:9]):
			communities, of = true, portal.Scope{Tier: portal.TierTown, Division: c[:9]}
		}
		if communities {
			if d.Communities, err = db.DivisionsAtLevel(ctx, of, portal.TierCommunity); err != nil {
				return d, err
			}
			d.Communities = nonNilDivisions(d.Communities)
		}
	case portal.TierTown:
		if d.Town.Value != "" && d.Town.Value != scope.Division {
			refuse(&d.Town, "town", "所选镇街不在您的管辖范围内")
		}
		if d.Communities, err = db.DivisionsAtLevel(ctx, scope, portal.TierCommunity); err != nil {
			return d, err
		}
		d.Communities = nonNilDivisions(d.Communities)
	default:
		if d.Town.Value != "" && d.Town.Value != scope.Division[:min(9, len(scope.Division))] {
			refuse(&d.Town, "town", "所选镇街不在您的管辖范围内")
		}
		if d.Community.Value != "" && d.Community.Value != scope.Division {
			refuse(&d.Community, "community", "所选社区(村)不在您的管辖范围内")
		}
		return d, nil
	}
	if d.Community.Value != "" && !hasDivision(d.Communities, d.Community.Value) {
		msg := "所选社区(村)不在您的管辖范围内，请从列表中选择"
		if d.Town.Value != "" && !d.Town.Bad() {
			msg = "所选社区(村)不属于所选镇街"
		}
		refuse(&d.Community, "community", msg)
	}
	return d, nil
}

// codes are the filter for the store: the town and community chosen, both "" when either was refused.
func (d divisionFilter) codes() (town, community string) {
	if d.Town.Bad() || d.Community.Bad() {
		return "", ""
	}
	return d.Town.Value, d.Community.Value
}

// workList is the filter as the work lists (登记申请, 备案, 重大活动报告) show it: selects with 全部 first.
func (d divisionFilter) workList() web.DivisionFilter {
	v := web.DivisionFilter{Town: d.Town, Community: d.Community}
	if d.Towns != nil {
		v.TownOptions = filterDivisionOptions(d.Towns, d.Town.Value)
	}
	if d.Communities != nil {
		v.CommunityOptions = filterDivisionOptions(d.Communities, d.Community.Value)
	}
	return v
}

// readDivisionFilter is readDivisions for a work list: its selects and the codes for the store.
func readDivisionFilter(ctx context.Context, db orgFilterDivisions, a *portal.Account, q url.Values, problems rules.Problems) (web.DivisionFilter, string, string, error) {
	d, err := readDivisions(ctx, db, a.Scope(), q, problems, false)
	town, community := d.codes()
	return d.workList(), town, community, err
}

// filterDivisionOptions is a division select with 全部 first and selected marked.
func filterDivisionOptions(ds []portal.Division, selected string) []web.Option {
	out := []web.Option{{Value: "", Label: "全部", Selected: selected == ""}}
	for _, d := range ds {
		out = append(out, web.Option{Value: d.Code, Label: d.Name, Selected: d.Code == selected})
	}
	return out
}

func hasDivision(ds []portal.Division, code string) bool {
	return slices.ContainsFunc(ds, func(d portal.Division) bool { return d.Code == code })
}

// nonNilDivisions keeps an empty list distinct from "no select".
func nonNilDivisions(ds []portal.Division) []portal.Division {
	if ds == nil {
		return []portal.Division{}
	}
	return ds
}
