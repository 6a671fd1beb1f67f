package seed

// Demo 联系人 (issue 15): the first groups of each demo town have one, and one group has changed its 联系人, so
// the record shows a current and an earlier one and the list of groups without one is not the whole town.

import (
	"context"
	"fmt"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

func loadDemoContacts(ctx context.Context, db *postgres.DB) error {
	people := []struct{ name, kind, unit string }{{"王静", "社区工作人员", "社区居委会 社区专干"}, {"李娜", "社会工作者", "社会工作室 社工"},
		{"张伟", "支持平台工作人员", "社区社会组织孵化基地 项目主管"}}
	for i, town := range cultivationTowns {
		scope := portal.Scope{Tier: portal.TierTown, Division: town}
		orgs, err := db.CultivationOrgs(ctx, scope)
		if err != nil {
			return err
		}
		for j, o := range orgs[:min(6, len(orgs))] {
			p := people[(i+j)%len(people)]
			c := registry.NewContact{Name: p.name, Kind: p.kind, Unit: p.unit, Phone: fmt.Sprintf("1390233%04d", 100*i+j),
				FromOn: time.Date(2025, time.Month(1+j), 1, 0, 0, 0, 0, time.UTC)}
			id, err := db.SetOrgContact(ctx, scope, system, o.ID, 0, c)
			if err != nil {
				return fmt.Errorf("demo 联系人 of %s: %w", o.Name, err)
			}
			if j == 0 { // a change: the record keeps the earlier one
				c.Name, c.FromOn = "赵敏", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
				if _, err := db.SetOrgContact(ctx, scope, system, o.ID, id, c); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
