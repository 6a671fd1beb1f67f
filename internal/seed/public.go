package seed

import (
	"context"
	"fmt"
	"strconv"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// LoadDemoOffices gives every demo community a public office: an invented landline and address, marked as
// demo data, which the public profile shows as the way to reach the community's groups.
func LoadDemoOffices(ctx context.Context, db *postgres.DB) error {
	district := portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}
	towns := map[string]string{}
	for _, t := range Towns() {
		towns[t.Code] = t.Name
	}
	for i, c := range DemoCommunities(Towns()) {
		code, _ := strconv.Atoi(c.Code[6:])
		o := registry.CommunityOffice{CommunityCode: c.Code,
			Phone:   fmt.Sprintf("023-67%06d", (code*37+i)%1000000),
			Address: towns[c.ParentCode] + c.Name + "党群服务中心一楼（演示地址）",
			Hours:   "工作日 9:00—12:00，14:00—17:30"}
		if err := db.SetCommunityOffice(ctx, district, system, o); err != nil {
			return err
		}
	}
	return nil
}
