package server

import (
	"context"
	"net/url"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// openTownCoverage lets the district open one town's row of the coverage table: towns (cs, the district's rows)
// link to their communities, and with town set to one of them the table is that town's communities. A town
// that is not a row of the district's table is refused with a message (422) and the district's table stays.
func openTownCoverage(ctx context.Context, db workReportCoverage, base string, p registry.Period, town string,
	cs []registry.ReportCoverage, v *web.WorkReportCoverageView) ([]registry.ReportCoverage, error) {
	town = strings.TrimSpace(town)
	v.Town.Value = town
	name := ""
	for _, c := range cs {
		if c.Code == town {
			name = c.Name
		}
	}
	if town == "" || name == "" {
		if town != "" {
			v.Town.Problem = "所选镇街不在您的管辖范围内，请从表中选择"
			v.Problems["town"] = v.Town.Problem
		}
		v.RowHref = func(code string) string {
			return withQuery(base+"/work-reports", url.Values{"period": {p.Key()}, "town": {code}})
		}
		return cs, nil
	}
	out, err := db.ReportCoverage(ctx, portal.Scope{Tier: portal.TierTown, Division: town}, p)
	if err != nil {
		return nil, err
	}
	v.Heading, v.ChildLabel, v.TownName = "定期工作报告报送情况："+name, "村(社区)", name
	v.BackHref = withQuery(base+"/work-reports", url.Values{"period": {p.Key()}})
	v.ExportXLSX = ""
	return out, nil
}
