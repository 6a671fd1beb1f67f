package seed

import (
	"context"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
)

// LoadDemoFilings gives the demo's filed groups the approved 成立备案 their 备案编号 came from, so that 备案管理
// lists them, each record links its filing and 备案证明, and a 变更/注销备案 can start from it.
func LoadDemoFilings(ctx context.Context, db *postgres.DB) error {
	_, err := db.RecordEstablishFilings(ctx, portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}, system)
	return err
}
