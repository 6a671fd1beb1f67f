package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// LoadDemoFilings gives the demo's filed groups the approved 成立备案 their 备案编号 came from, so that 备案管理
// lists them, each record links its filing and 备案证明, and a 变更/注销备案 can start from it. Then 双龙湖街道's
// 经办 (demo-town-file) submits one 成立备案 that waits for a decision, so that demo-town (or demo-town-approve)
// has a filing to decide that it did not submit itself (issue 17).
func LoadDemoFilings(ctx context.Context, db *postgres.DB) error {
	if _, err := db.RecordEstablishFilings(ctx, portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}, system); err != nil {
		return err
	}
	clerk, err := applicationActor(ctx, db, "demo-town-file")
	if err != nil {
		return err
	}
	scope := portal.Scope{Tier: portal.TierTown, Division: TownShuanglonghu}
	place, err := db.CommunityPlace(ctx, scope, CommunityDemo)
	if err != nil {
		return err
	}
	founded := time.Date(2021, 9, 1, 0, 0, 0, 0, time.UTC)
	in := registry.FilingInput{Kind: registry.FilingEstablish, CommunityCode: CommunityDemo,
		NameParts: rules.NameParts{Prefix: place.DistrictName + place.TownName, Community: place.CommunityName,
			Zihao: "晨韵", Field: "太极", Form: "队"},
		Fields: []string{"文体娱乐"}, Nature: "互助性", Beneficiaries: []string{"社区居民"}, FoundedOn: &founded,
		LeaderName: "周桂兰", LeaderPhone: "13917024100", LeaderID: rules.MakeIDNumber("50011219610305241"),
		Venue: "社区广场", Charter: "晨练太极，强身健体，邻里互助。", Members: 26, Volunteers: 2, Funding: "会员自筹",
		GuideUnit: place.CommunityName + "居民委员会", PartyStatus: "未覆盖"}
	if p := rules.CheckName(in.NameParts, rules.FormUnregistered, place.CommunityName); !p.OK() {
		return fmt.Errorf("demo filing: name %s: %v", rules.ComposeName(in.NameParts), p)
	}
	if _, err := db.CreateFiling(ctx, scope, clerk, in, nil); err != nil {
		return fmt.Errorf("demo filing: %w", err)
	}
	return nil
}
