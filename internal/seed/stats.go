package seed

import (
	"context"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
)

// LoadDemoTargets sets one town's own 培育目标 so that the district's settings page and 统景镇's statistics show an
// override; everywhere else the default of 民政部 (2017) applies. The action plan itself sets no number.
func LoadDemoTargets(ctx context.Context, db *postgres.DB) error {
	district := portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}
	d, err := db.Division(ctx, district, TownTongjing)
	if err != nil {
		return err
	}
	six := 6.0
	return db.SetTarget(ctx, district, system, d, nil, &six)
}
