package seed

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/uploads"
)

// demoCharityDocument is a one-page PDF: the demo's 慈善组织认定 decision.
//
//go:embed charity-recognition.pdf
var demoCharityDocument []byte

// LoadDemoCharity records, as the district, that a registered group of 双龙湖街道 (one of the demo committee's if
// it has one) is recognized as a 慈善组织, its decision stored through the uploads store in up as an upload is, so
// that `make run` shows /district/charities and the record's 慈善组织认定 with a document every tier that sees the
// group downloads. It runs on every start and records only while the district has no decision yet.
func LoadDemoCharity(ctx context.Context, db *postgres.DB, up *uploads.Store) error {
	district := portal.Scope{Tier: portal.TierDistrict, Division: DistrictCode}
	have, err := db.Charities(ctx, district)
	if err != nil || len(have) > 0 {
		return err
	}
	var org int64
	err = db.Pool.QueryRow(ctx, `SELECT o.id FROM organizations o
		WHERE o.town_code = $1 AND o.tier = $2 AND o.status IN ('normal', 'abnormal')
		ORDER BY o.community_code = $3 DESC, o.id LIMIT 1`, TownShuanglonghu, string(registry.TierRegistered), CommunityDemo).Scan(&org)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // no registered group to recognize
	}
	if err != nil {
		return err
	}
	stored, err := up.Save(bytes.NewReader(demoCharityDocument), "渝北民慈认〔2023〕3号 慈善组织认定决定书.pdf")
	if err != nil {
		return err
	}
	actor := portal.Actor{Username: "demo-seed", Tier: portal.TierDistrict, Division: DistrictCode, IP: "local"}
	c := registry.CharityRecognition{Status: registry.CharityRecognized, DecidedOn: time.Date(2023, 5, 12, 0, 0, 0, 0, time.UTC),
		Body: registry.DefaultCharityBody, Note: "渝北民慈认〔2023〕3号：认定为慈善组织"}
	doc := registry.NewDocument{Kind: "认定文书", Filename: stored.Filename, ContentType: stored.ContentType, Size: stored.Size,
		StorageKey: stored.Key, SHA256: stored.SHA256}
	if _, err := db.RecordCharity(ctx, district, actor, org, 0, c, doc); err != nil {
		_ = up.Remove(stored.Key)
		return err
	}
	return nil
}
