package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/testdb"
)

// The demo's filed groups each have their approved 成立备案, with the record's sealed contact carried over so
// that a later 变更备案 opens it, and recording again adds nothing; towns cannot record them.
func TestRecordEstablishFilings(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	box := filingBox(t)
	var filed, without int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM filings f
		WHERE f.org_id = o.id AND f.kind = 'establish' AND f.status = 'approved' AND f.verify_token IS NOT NULL))
		FROM organizations o WHERE tier = 'filed'`).Scan(&filed, &without); err != nil {
		t.Fatal(err)
	}
	if filed == 0 || without != 0 {
		t.Fatalf("%d filed groups, %d of them without an approved 成立备案", filed, without)
	}
	if n, err := db.RecordEstablishFilings(ctx, filingDistrict, filingActor); err != nil || n != 0 {
		t.Fatalf("recording again: %d, %v", n, err)
	}
	if _, err := db.RecordEstablishFilings(ctx, filingTownA, filingActor); !errors.Is(err, portal.ErrNotAllow) {
		t.Fatalf("a town recorded filings: %v", err)
	}
	var org, fid int64
	var enc []byte
	if err := db.Pool.QueryRow(ctx, `SELECT f.org_id, f.id, f.leader_phone_enc FROM filings f
		WHERE f.town_code = $1 AND f.leader_phone_enc IS NOT NULL ORDER BY f.id LIMIT 1`, filingTownA.Division).
		Scan(&org, &fid, &enc); err != nil {
		t.Fatal(err)
	}
	if _, err := box.Open(enc, "leader_phone"); err != nil {
		t.Fatalf("the recorded filing's phone does not open as a filing's: %v", err)
	}
	fs, err := db.OrgFilings(ctx, filingTownA, org)
	if err != nil || len(fs) != 1 || fs[0].ID != fid || fs[0].Kind != registry.FilingEstablish || fs[0].Decided == nil {
		t.Fatalf("OrgFilings: %+v, %v", fs, err)
	}
	if fs, err := db.OrgFilings(ctx, filingTownB, org); err != nil || len(fs) != 0 {
		t.Fatalf("another town reads the filings: %+v, %v", fs, err)
	}
}
