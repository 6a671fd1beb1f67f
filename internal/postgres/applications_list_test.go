package postgres_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// Two communities of two towns the work-list store tests put rows in.
const (
	workCommunityA = "500112002002" // a 社区 of 双龙湖街道
	workCommunityB = "500112133201" // a 村 of 统景镇
	workIDMask     = "500***********1234"
)

var workListActor = portal.Actor{Username: "demo-town2", Tier: portal.TierTown, Division: seed.TownTongjing, IP: "127.0.0.1"}

// workRows inserts one row per name with sql, which takes the community ($1), the name ($2) and a sealed value
// ($3), and returns the ids in insertion order.
func workRows(t *testing.T, db *postgres.DB, box *sealbox.Box, sql, community string, names ...string) []int64 {
	t.Helper()
	ids := make([]int64, len(names))
	for i, name := range names {
		if err := db.Pool.QueryRow(context.Background(), sql, community, name, box.Seal("13812345678", "x")).
			Scan(&ids[i]); err != nil {
			t.Fatalf("insert %s: %v", name, err)
		}
	}
	return ids
}

// checkKeyset reads pages of three with page until one comes back short and fails unless together they hold
// want's ids newest first, each once, every page starting after the last id of the one before.
func checkKeyset(t *testing.T, want []int64, page func(after int64) []int64) {
	t.Helper()
	var seen []int64
	after := int64(0)
	for range 100 {
		ids := page(after)
		if len(ids) > 0 && after != 0 && ids[0] >= after {
			t.Fatalf("the page after %d starts at %d", after, ids[0])
		}
		seen = append(seen, ids...)
		if len(ids) < 3 {
			break
		}
		after = ids[len(ids)-1]
	}
	want = slices.Clone(want)
	slices.Sort(want)
	slices.Reverse(want)
	if !slices.Equal(seen, want) {
		t.Fatalf("pages hold %v, want %v", seen, want)
	}
}

// auditDetails is the result and detail of every audit row of action, oldest first.
func auditDetails(t *testing.T, db *postgres.DB, action string) []string {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `SELECT result || ' ' || detail FROM audit_log
		WHERE action = $1 ORDER BY id`, action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// checkExportAudited runs export three ways — to the end, stopped by the writer after no rows, and with the
// request cancelled — and fails unless each leaves its audit row (action) with the row count and filter.
func checkExportAudited(t *testing.T, db *postgres.DB, action string, export func(ctx context.Context, fn func() error) (int, error), want []string) {
	t.Helper()
	ctx := context.Background()
	if _, err := export(ctx, func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("client went away")
	if n, err := export(ctx, func() error { return boom }); !errors.Is(err, boom) || n != 0 {
		t.Fatalf("stopped export = %d %v", n, err)
	}
	cctx, cancel := context.WithCancel(ctx)
	if _, err := export(cctx, func() error { cancel(); return cctx.Err() }); err == nil {
		t.Fatal("cancelled export reported success")
	}
	if got := auditDetails(t, db, action); !slices.Equal(got, want) {
		t.Fatalf("audit rows %q, want %q", got, want)
	}
}

const insertApplicationSQL = `
	INSERT INTO applications (new_group, district_code, town_code, community_code, legal_form, name, nature,
		leader_name, leader_phone_enc, leader_phone_mask, leader_id_enc, leader_id_mask, venue, members)
	VALUES (true, left($1, 6), left($1, 9), $1, '社会团体', $2, '互助性', '李四', $3, '138****5678', $3,
		'` + workIDMask + `', '活动室', 10)
	RETURNING id`

func TestApplicationsKeysetScopeAndExport(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	box := appBox(t)
	idsA := workRows(t, db, box, insertApplicationSQL, workCommunityA, "翠云社区甲协会", "翠云社区乙协会",
		"翠云社区丙协会", "翠云社区丁协会", "翠云社区戊协会", "翠云社区己协会", "翠云社区庚协会")
	idsB := workRows(t, db, box, insertApplicationSQL, workCommunityB, "某村甲协会", "某村乙协会")
	townB := portal.Scope{Tier: portal.TierTown, Division: seed.TownTongjing}

	checkKeyset(t, idsA, func(after int64) []int64 {
		apps, err := db.Applications(ctx, appDistrict, registry.ApplicationFilter{Town: seed.TownShuanglonghu,
			Community: workCommunityA, Status: registry.AppSubmitted, After: after, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, a := range apps {
			ids = append(ids, a.ID)
		}
		return ids
	})
	// A filter naming another town's community finds nothing: the scope bounds every query.
	if apps, err := db.Applications(ctx, townB, registry.ApplicationFilter{Community: workCommunityA}); err != nil || len(apps) != 0 {
		t.Fatalf("town B filtering by town A's community: %d rows, %v", len(apps), err)
	}
	wantB := noticeCount(t, db, `SELECT count(*) FROM applications WHERE town_code = $1`, seed.TownTongjing)
	if total, err := db.CountApplications(ctx, townB, registry.ApplicationFilter{}); err != nil || total.N != wantB || total.More {
		t.Fatalf("town B's total %+v %v, want %d", total, err, wantB)
	}

	var names []string
	n, err := db.ExportApplications(ctx, townB, workListActor, registry.ApplicationFilter{Community: workCommunityB},
		"csv", func(a registry.Application) error {
			names = append(names, a.Name)
			if a.TownCode != seed.TownTongjing || a.LeaderPhone != "138****5678" || a.LeaderID != workIDMask {
				t.Errorf("exported %+v", a)
			}
			return nil
		})
	if err != nil || n != len(idsB) || strings.Join(names, ",") != "某村乙协会,某村甲协会" {
		t.Fatalf("export = %d %v %q", n, err, names)
	}
	checkExportAudited(t, db, "application.export", func(ctx context.Context, fn func() error) (int, error) {
		return db.ExportApplications(ctx, townB, workListActor, registry.ApplicationFilter{Status: registry.AppSubmitted},
			"xlsx", func(registry.Application) error { return fn() })
	}, []string{"ok csv 2 行; community=" + workCommunityB,
		"ok xlsx " + strconv.Itoa(noticeCount(t, db, `SELECT count(*) FROM applications WHERE town_code = $1
			AND status = 'submitted'`, seed.TownTongjing)) + " 行; status=submitted",
		"failed xlsx 0 行; status=submitted", "failed xlsx 0 行; status=submitted"})
}

// The history carries the display name of the account that acted beside the username it recorded.
func TestApplicationEventsCarryDisplayName(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	actor := portal.Actor{Username: "demo-community", Tier: portal.TierCommunity, Division: seed.CommunityDemo}
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM accounts WHERE username = 'demo-community'`).Scan(&actor.AccountID); err != nil {
		t.Fatal(err)
	}
	id, err := db.CreateApplication(ctx, appCommunity, actor, appInput(t, db, "书香"))
	if err != nil {
		t.Fatal(err)
	}
	evs, err := db.ApplicationEvents(ctx, appDistrict, id)
	if err != nil || len(evs) != 1 || evs[0].ActorName != "demo-community" || evs[0].ActorDisplayName != "社区演示账号" {
		t.Fatalf("events %+v %v", evs, err)
	}
	app, err := db.Application(ctx, appDistrict, id)
	if err != nil || app.SubmittedByName != "社区演示账号" || app.SubmittedByUsername != "demo-community" {
		t.Fatalf("application %+v %v", app, err)
	}
}
