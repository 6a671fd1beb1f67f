package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

const insertFilingSQL = `
	INSERT INTO filings (district_code, town_code, community_code, kind, name, leader_name, leader_phone_enc,
		leader_phone_mask, leader_id_enc, leader_id_mask)
	VALUES (left($1, 6), left($1, 9), $1, 'establish', $2, '李四', $3, '138****5678', $3, '` + workIDMask + `')
	RETURNING id`

func TestFilingsKeysetScopeAndExport(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	box := filingBox(t)
	idsA := workRows(t, db, box, insertFilingSQL, workCommunityA, "翠云社区甲队", "翠云社区乙队", "翠云社区丙队",
		"翠云社区丁队", "翠云社区戊队", "翠云社区己队")
	workRows(t, db, box, insertFilingSQL, workCommunityB, "某村甲队", "某村乙队")

	checkKeyset(t, idsA, func(after int64) []int64 {
		fs, err := db.Filings(ctx, filingTownA, registry.FilingFilter{Community: workCommunityA,
			Kind: registry.FilingEstablish, Status: registry.FilingSubmitted, After: after, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, f := range fs {
			ids = append(ids, f.ID)
		}
		return ids
	})
	if fs, err := db.Filings(ctx, filingTownB, registry.FilingFilter{Town: seed.TownShuanglonghu}); err != nil || len(fs) != 0 {
		t.Fatalf("town B filtering by town A: %d rows, %v", len(fs), err)
	}
	if total, err := db.CountFilings(ctx, filingDistrict, registry.FilingFilter{Community: workCommunityA}); err != nil ||
		total.N != noticeCount(t, db, `SELECT count(*) FROM filings WHERE community_code = $1`, workCommunityA) {
		t.Fatalf("total %+v %v", total, err)
	}

	var names []string
	n, err := db.ExportFilings(ctx, filingTownB, workListActor, registry.FilingFilter{Community: workCommunityB}, "csv",
		func(f registry.Filing) error {
			names = append(names, f.Name)
			if f.TownCode != seed.TownTongjing || f.LeaderPhone != "138****5678" || f.LeaderID != workIDMask {
				t.Errorf("exported %+v", f)
			}
			return nil
		})
	if err != nil || n != 2 || strings.Join(names, ",") != "某村乙队,某村甲队" {
		t.Fatalf("export = %d %v %q", n, err, names)
	}
	checkExportAudited(t, db, "filing.export", func(ctx context.Context, fn func() error) (int, error) {
		return db.ExportFilings(ctx, filingTownB, workListActor, registry.FilingFilter{Community: workCommunityB,
			Kind: registry.FilingEstablish}, "xlsx", func(registry.Filing) error { return fn() })
	}, []string{"ok csv 2 行; community=" + workCommunityB, "ok xlsx 2 行; kind=establish community=" + workCommunityB,
		"failed xlsx 0 行; kind=establish community=" + workCommunityB,
		"failed xlsx 0 行; kind=establish community=" + workCommunityB})
}

// The organization's timeline on a filing's page carries the display name of the account that acted.
func TestFilingOrgEventsCarryDisplayName(t *testing.T) {
	ctx := context.Background()
	db, community := filingDB(t)
	actor := filingActor
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM accounts WHERE username = 'demo-town'`).Scan(&actor.AccountID); err != nil {
		t.Fatal(err)
	}
	// demo-town decides the filing it submits: it is 双龙湖's single active officer (the demo's 经办 and 审核 off).
	if _, err := db.Pool.Exec(ctx, `UPDATE accounts SET disabled = true
		WHERE username IN ('demo-town-file', 'demo-town-approve')`); err != nil {
		t.Fatal(err)
	}
	in := establishInput("晚晴")
	in.NameParts.Community = community
	id, err := db.CreateFiling(ctx, filingTownA, actor, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApproveFiling(ctx, filingTownA, actor, id, 1); err != nil {
		t.Fatal(err)
	}
	evs, err := db.FilingOrgEvents(ctx, filingDistrict, id)
	if err != nil || len(evs) == 0 {
		t.Fatalf("events %+v %v", evs, err)
	}
	for _, e := range evs {
		if e.ActorName != "demo-town" || e.ActorDisplayName != "双龙湖街道演示账号" {
			t.Errorf("event %+v", e)
		}
	}
	f, err := db.Filing(ctx, filingDistrict, id)
	if err != nil || f.DecidedByName != "双龙湖街道演示账号" || f.DecidedByUsername != "demo-town" ||
		f.SubmittedByUsername != "demo-town" {
		t.Fatalf("filing %+v %v", f, err)
	}
}
