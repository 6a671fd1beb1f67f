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
	// Paper filings name their town's 经办 as submitter and an officer who may decide as decider: self-decided only
	// where the town has one officer (双龙湖's demo has a 经办 and a 审核 besides demo-town; other towns one account).
	var wrong, selfDecided, twoOfficers int
	if err := db.Pool.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE f.self_decided <> (f.submitted_by = f.decided_by) OR d.role NOT IN ('', 'approver')),
			count(*) FILTER (WHERE f.self_decided),
			count(*) FILTER (WHERE NOT f.self_decided AND s.role = 'clerk')
		FROM filings f JOIN accounts s ON s.id = f.submitted_by JOIN accounts d ON d.id = f.decided_by
		WHERE f.kind = 'establish' AND f.org_id IN (SELECT id FROM organizations WHERE tier = 'filed')
		  AND f.town_code = $1`, filingTownA.Division).Scan(&wrong, &selfDecided, &twoOfficers); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 || selfDecided != 0 || twoOfficers == 0 {
		t.Errorf("paper filings of a town with a 经办 and a decider: %d inconsistent, %d self-decided, %d decided by another",
			wrong, selfDecided, twoOfficers)
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
