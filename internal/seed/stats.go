package seed

import (
	"context"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
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
	if err := db.SetTarget(ctx, district, system, d, nil, &six); err != nil {
		return err
	}
	// The statistics' quarter trend since 2021: the months before the portal kept snapshots, rebuilt once.
	return db.BackfillStatSnapshots(ctx, time.Now())
}

// demoSubmittedAt is when the k-th demo work report for period p was filed: three in four before the period
// ended, the rest some days late, none after now, so the statistics' 按期报送 trend has both.
func demoSubmittedAt(p registry.Period, k int, now time.Time) time.Time {
	at := p.End().AddDate(0, 0, -(1 + k%25))
	if k%4 == 3 {
		at = p.End().AddDate(0, 0, 3+k%20)
	}
	if at.After(now) {
		return now
	}
	return at
}
