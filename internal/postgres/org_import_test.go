package postgres_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// importActor is the demo account username acting in scope.
func importActor(t testing.TB, db *postgres.DB, username string, scope portal.Scope) portal.Actor {
	t.Helper()
	var id int64
	if err := db.Pool.QueryRow(context.Background(), `SELECT id FROM accounts WHERE username = $1`, username).
		Scan(&id); err != nil {
		t.Fatal(err)
	}
	return portal.Actor{AccountID: id, Username: username, Tier: scope.Tier, Division: scope.Division, IP: "127.0.0.1"}
}

func TestImportKeptRoundTrip(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	box := recBox(t)
	actor := importActor(t, db, "demo-town", recTown)
	orgs := []postgres.OrgInput{recGuided(t, db, "导入甲"), recGuided(t, db, "导入乙")}

	token, err := db.KeepImport(ctx, box, recTown, actor, orgs)
	if err != nil {
		t.Fatal(err)
	}
	if n := recCount(t, db, `SELECT count(*) FROM org_imports WHERE position('13812345678' in encode(payload, 'escape')) > 0`); n != 0 {
		t.Error("the kept payload holds a phone number in the clear")
	}
	// Another account, another division or a made-up token: not found, nothing imported.
	other := importActor(t, db, "demo-town2", recTown2)
	if _, err := db.ImportKept(ctx, box, recTown2, other, token); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("another account's token: %v", err)
	}
	if _, err := db.ImportKept(ctx, box, recTown, actor, "00"+token[2:]); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("unknown token: %v", err)
	}
	before := recCount(t, db, `SELECT count(*) FROM organizations`)
	n, err := db.ImportKept(ctx, box, recTown, actor, token)
	if err != nil || n != 2 {
		t.Fatalf("import: %d, %v", n, err)
	}
	if got := recCount(t, db, `SELECT count(*) FROM organizations`); got != before+2 {
		t.Errorf("%d organizations, want %d", got, before+2)
	}
	if got := recCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'org.import' AND actor_id = $1`, actor.AccountID); got != 1 {
		t.Errorf("%d audit rows", got)
	}
	if got := recCount(t, db, `SELECT count(*) FROM org_imports`); got != 0 {
		t.Errorf("%d kept imports left", got)
	}
	if _, err := db.ImportKept(ctx, box, recTown, actor, token); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("a token used twice: %v", err)
	}
	taken, err := db.TakenNames(ctx, recTown2, []string{"渝北区双龙湖街道锦华社区导入甲舞蹈队", "渝北区无此名称队"})
	if err != nil || len(taken) != 1 {
		t.Errorf("taken %v, %v", taken, err)
	}
}

func TestImportKeptNameTakenImportsNothing(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	box := recBox(t)
	actor := importActor(t, db, "demo-community", recCommunity)
	token, err := db.KeepImport(ctx, box, recCommunity, actor,
		[]postgres.OrgInput{recGuided(t, db, "先到甲"), recGuided(t, db, "先到乙")})
	if err != nil {
		t.Fatal(err)
	}
	// Between check and confirmation someone records the second name.
	if _, err := db.CreateOrganization(ctx, box, recCommunity, actor, recGuided(t, db, "先到乙")); err != nil {
		t.Fatal(err)
	}
	before := recCount(t, db, `SELECT count(*) FROM organizations`)
	if _, err := db.ImportKept(ctx, box, recCommunity, actor, token); !errors.Is(err, postgres.ErrNameTaken) {
		t.Fatalf("err %v, want ErrNameTaken", err)
	}
	if got := recCount(t, db, `SELECT count(*) FROM organizations`); got != before {
		t.Errorf("%d organizations written", got-before)
	}
	if got := recCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'org.import'`); got != 0 {
		t.Errorf("%d audit rows", got)
	}
}

func TestImportKeptExpires(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	box := recBox(t)
	actor := importActor(t, db, "demo-community", recCommunity)
	token, err := db.KeepImport(ctx, box, recCommunity, actor, []postgres.OrgInput{recGuided(t, db, "过期")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE org_imports SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportKept(ctx, box, recCommunity, actor, token); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("expired token: %v", err)
	}
	// Out of scope rows are never kept; the district imports nothing.
	if _, err := db.KeepImport(ctx, box, recTown2, importActor(t, db, "demo-town2", recTown2),
		[]postgres.OrgInput{recGuided(t, db, "越界")}); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("another town's community: %v", err)
	}
	if _, err := db.ImportCommunities(ctx, recDistrict); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("district: %v", err)
	}
	cs, err := db.ImportCommunities(ctx, recTown)
	if err != nil || len(cs) < 2 || cs[0].Code != seed.CommunityDemo || cs[0].TownName == "" || cs[0].DistrictName == "" {
		t.Errorf("town communities %v, %v", cs, err)
	}
}

// BenchmarkImport100k keeps and imports 100,000 rows through insertOrganization in one transaction, the way a
// confirmed 台账 of the PERFORMANCE.md bar is imported (run with -bench Import100k -benchtime 1x).
func BenchmarkImport100k(b *testing.B) {
	db := testdb.New(b)
	ctx := context.Background()
	box, err := sealbox.New(config.DemoDataKey)
	if err != nil {
		b.Fatal(err)
	}
	actor := importActor(b, db, "demo-town", recTown)
	place, err := db.CommunityPlace(ctx, recTown, seed.CommunityDemo)
	if err != nil {
		b.Fatal(err)
	}
	tmpl := postgres.OrgInput{CommunityCode: seed.CommunityDemo,
		NameParts: rules.NameParts{Prefix: place.DistrictName + place.TownName, Community: place.CommunityName,
			Field: "舞蹈", Form: "队"},
		Fields: []string{"文体娱乐"}, Nature: "互助性", LeaderName: "王秀英", LeaderPhone: "13812345678",
		LeaderID: rules.MakeIDNumber("50011219650312002"), Members: 20}
	for b.Loop() {
		orgs := make([]postgres.OrgInput, 100000)
		for i := range orgs {
			orgs[i] = tmpl
			orgs[i].NameParts.Zihao = "基准" + hanziNumber(i)
		}
		start := time.Now()
		token, err := db.KeepImport(ctx, box, recTown, actor, orgs)
		if err != nil {
			b.Fatal(err)
		}
		kept := time.Since(start)
		start = time.Now()
		n, err := db.ImportKept(ctx, box, recTown, actor, token)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("kept in %v, imported %d in %v", kept, n, time.Since(start))
		if _, err := db.Pool.Exec(ctx, `DELETE FROM org_events WHERE org_id IN (SELECT id FROM organizations WHERE name_zihao LIKE '基准%')`); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Pool.Exec(ctx, `DELETE FROM organizations WHERE name_zihao LIKE '基准%'`); err != nil {
			b.Fatal(err)
		}
	}
}

// hanziNumber spells n in 汉字 digits, so that generated 字号 stay valid.
func hanziNumber(n int) string {
	digits := []rune("零一二三四五六七八九")
	out := []rune{}
	for _, c := range strconv.Itoa(n) {
		out = append(out, digits[c-'0'])
	}
	return string(out)
}
