package seed

import (
	"bytes"
	"context"
	_ "embed"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/uploads"
)

// demoMaterial is a one-page PDF handout (讲义) of a training session.
//
//go:embed training-material.pdf
var demoMaterial []byte

// LoadDemoMaterials gives the first session of 双龙湖街道 this year a 培训资料 document, stored through the uploads
// store in up as an upload is, so `make run` shows a material to download. It runs on every start and adds the
// document only while the session has none.
func LoadDemoMaterials(ctx context.Context, db *postgres.DB, up *uploads.Store) error {
	scope := portal.Scope{Tier: portal.TierTown, Division: TownShuanglonghu}
	actor := portal.Actor{Username: "demo-seed", Tier: portal.TierTown, Division: TownShuanglonghu, IP: "local"}
	sessions, err := db.TrainingSessions(ctx, scope, time.Now().In(portal.Beijing).Year())
	if err != nil || len(sessions) == 0 {
		return err
	}
	first := sessions[len(sessions)-1]
	have, err := db.SessionMaterials(ctx, scope, first.ID)
	if err != nil || len(have) > 0 {
		return err
	}
	stored, err := up.Save(bytes.NewReader(demoMaterial), "社区社会组织规范化建设讲义.pdf")
	if err != nil {
		return err
	}
	m := registry.SessionMaterial{SessionID: first.ID, Title: "讲义《社区社会组织规范化建设》", Filename: stored.Filename,
		ContentType: stored.ContentType, SizeBytes: stored.Size, StorageKey: stored.Key}
	if _, err := db.AddSessionMaterial(ctx, scope, actor, 0, m, stored.SHA256); err != nil {
		_ = up.Remove(stored.Key)
		return err
	}
	return nil
}
