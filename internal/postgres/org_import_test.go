package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
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

// checkedJob runs the store's side of a clean check of orgs for actor: a job, then its rows kept for the
// confirmation. It gives the job's id.
func checkedJob(t testing.TB, db *postgres.DB, box *sealbox.Box, scope portal.Scope, actor portal.Actor, orgs []registry.OrgInput) string {
	t.Helper()
	ctx := context.Background()
	id, err := db.CreateImportJob(ctx, scope, actor, "台账.xlsx", len(orgs))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.StartImportJob(ctx, id); err != nil {
		t.Fatal(err)
	}
	preview := []ledger.Entry{{Row: 2, LeaderName: "王秀英", LeaderPhone: "13812345678"}}
	if err := db.ReadyImportJob(ctx, scope, actor, id, ledger.Result{Rows: len(orgs), Preview: preview}, orgs); err != nil {
		t.Fatal(err)
	}
	return id
}

func importJob(t testing.TB, db *postgres.DB, box *sealbox.Box, scope portal.Scope, actor portal.Actor, id string) ledger.Job {
	t.Helper()
	j, err := db.ImportJob(context.Background(), scope, actor, id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// newCommunityJob is a fresh database and a job of demo-community's checking a 台账 of rows rows.
func newCommunityJob(t *testing.T, filename string, rows int) (*postgres.DB, *sealbox.Box, portal.Actor, string) {
	t.Helper()
	db := testdb.New(t)
	actor := importActor(t, db, "demo-community", recCommunity)
	id, err := db.CreateImportJob(context.Background(), recCommunity, actor, filename, rows)
	if err != nil {
		t.Fatal(err)
	}
	return db, recBox(t), actor, id
}

func TestImportJobRoundTrip(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	box := recBox(t)
	actor := importActor(t, db, "demo-town", recTown)
	orgs := []registry.OrgInput{recGuided(t, db, "导入甲"), recGuided(t, db, "导入乙")}

	id := checkedJob(t, db, box, recTown, actor, orgs)
	j := importJob(t, db, box, recTown, actor, id)
	if j.State != ledger.JobReady || j.Expired || j.RowsDone != 2 || j.RowsTotal != 2 || j.Result.Rows != 2 ||
		len(j.Result.Preview) != 1 || j.Result.Preview[0].LeaderPhone != "13812345678" {
		t.Fatalf("checked job %+v", j)
	}
	for _, q := range []string{
		`SELECT count(*) FROM org_imports WHERE position('13812345678' in encode(payload, 'escape')) > 0`,
		`SELECT count(*) FROM import_jobs WHERE position('13812345678' in encode(result, 'escape')) > 0`,
	} {
		if n := recCount(t, db, q); n != 0 {
			t.Errorf("a phone number kept in the clear: %s", q)
		}
	}
	// Another account, of another town or of the same one, or a made-up id: not found, nothing imported.
	other := importActor(t, db, "demo-town2", recTown2)
	sameTown := importActor(t, db, "demo-community", recTown)
	for _, who := range []struct {
		scope portal.Scope
		actor portal.Actor
		id    string
	}{{recTown2, other, id}, {recTown, sameTown, id}, {recTown, actor, "00" + id[2:]}} {
		if _, err := db.ImportJob(ctx, who.scope, who.actor, who.id); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("%s reads job %s: %v", who.actor.Username, who.id, err)
		}
		if _, err := db.ConfirmImportJob(ctx, who.scope, who.actor, who.id); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("%s confirms job %s: %v", who.actor.Username, who.id, err)
		}
	}
	before := recCount(t, db, `SELECT count(*) FROM organizations`)
	if rows, err := db.ConfirmImportJob(ctx, recTown, actor, id); err != nil || rows != 2 {
		t.Fatalf("confirm: %d, %v", rows, err)
	}
	// A second confirmation (a double click) does not start a second import.
	if _, err := db.ConfirmImportJob(ctx, recTown, actor, id); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("second confirm: %v", err)
	}
	if j := importJob(t, db, box, recTown, actor, id); j.State != ledger.JobImporting || !j.Waiting || j.RowsDone != 0 {
		t.Errorf("confirmed job %+v", j)
	}
	if _, err := db.RunImportJob(ctx, recTown2, other, id, nil); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("another account runs the job: %v", err)
	}
	var told []int
	n, err := db.RunImportJob(ctx, recTown, actor, id, func(done int) { told = append(told, done) })
	if err != nil || n != 2 || fmt.Sprint(told) != "[2]" {
		t.Fatalf("import: %d, %v, progress %v", n, err, told)
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
	if j := importJob(t, db, box, recTown, actor, id); j.State != ledger.JobDone || j.Imported != 2 {
		t.Errorf("done job %+v", j)
	}
	if _, err := db.RunImportJob(ctx, recTown, actor, id, nil); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("a job run twice: %v", err)
	}
	taken, err := db.TakenNames(ctx, recTown2, []string{"渝北区双龙湖街道锦华社区导入甲舞蹈队", "渝北区无此名称队"})
	if err != nil || len(taken) != 1 {
		t.Errorf("taken %v, %v", taken, err)
	}
}

// A running job's progress is in the database as it goes, for any portal process to show, while the import's
// own transaction is still open; a job whose heartbeat stops shows as interrupted.
func TestImportJobProgressAndHeartbeat(t *testing.T) {
	ctx := context.Background()
	db, box, actor, id := newCommunityJob(t, "大台账.xlsx", 12000)
	if j := importJob(t, db, box, recCommunity, actor, id); j.State != ledger.JobChecking || !j.Waiting || j.RowsTotal != 12000 || j.Filename != "大台账.xlsx" {
		t.Fatalf("new job %+v", j)
	}
	if err := db.StartImportJob(ctx, id); err != nil {
		t.Fatal(err)
	}
	for _, done := range []int{2000, 4000} {
		if err := db.ImportJobProgress(ctx, id, done); err != nil {
			t.Fatal(err)
		}
		if j := importJob(t, db, box, recCommunity, actor, id); j.Waiting || j.RowsDone != done || j.RowsTotal != 12000 {
			t.Errorf("after %d rows: %+v", done, j)
		}
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE import_jobs SET heartbeat_at = now() - interval '31 seconds'`); err != nil {
		t.Fatal(err)
	}
	if j := importJob(t, db, box, recCommunity, actor, id); j.State != ledger.JobInterrupted || j.RowsDone != 4000 {
		t.Errorf("silent job %+v", j)
	}
	if err := db.ImportJobHeartbeat(ctx, id); err != nil {
		t.Fatal(err)
	}
	if j := importJob(t, db, box, recCommunity, actor, id); j.State != ledger.JobChecking {
		t.Errorf("job after a heartbeat: %s", j.State)
	}

	// The import of 6,000 rows tells its progress per chunk; what it tells is visible outside its transaction.
	orgs := make([]registry.OrgInput, 6000)
	for i := range orgs {
		orgs[i] = recGuided(t, db, "进度"+hanziNumber(i))
	}
	id = checkedJob(t, db, box, recCommunity, actor, orgs)
	if _, err := db.ConfirmImportJob(ctx, recCommunity, actor, id); err != nil {
		t.Fatal(err)
	}
	var seen []int
	n, err := db.RunImportJob(ctx, recCommunity, actor, id, func(done int) {
		if err := db.ImportJobProgress(ctx, id, done); err != nil {
			t.Error(err)
		}
		j := importJob(t, db, box, recCommunity, actor, id)
		if j.State != ledger.JobImporting {
			t.Errorf("state %s mid-import", j.State)
		}
		seen = append(seen, j.RowsDone)
	})
	if err != nil || n != len(orgs) {
		t.Fatalf("import %d, %v", n, err)
	}
	if fmt.Sprint(seen) != "[5000 6000]" {
		t.Errorf("progress seen from outside: %v", seen)
	}
	if j := importJob(t, db, box, recCommunity, actor, id); j.State != ledger.JobDone || j.RowsDone != 6000 || j.Imported != 6000 {
		t.Errorf("finished job %+v", j)
	}
	// Progress told after the end changes nothing.
	if err := db.ImportJobProgress(ctx, id, 10); err != nil {
		t.Fatal(err)
	}
	if j := importJob(t, db, box, recCommunity, actor, id); j.State != ledger.JobDone || j.RowsDone != 6000 {
		t.Errorf("job after a late progress %+v", j)
	}
}

func TestImportJobRejectedKeepsNothing(t *testing.T) {
	ctx := context.Background()
	db, box, actor, id := newCommunityJob(t, "有错.xlsx", 3)
	result := ledger.Result{Rows: 3, BadRows: 1, ProblemCount: 1,
		Problems: []ledger.Problem{{Row: 3, Column: ledger.ColPhone, Value: "***1234", Reason: "负责人电话：位数不对"}}}
	if err := db.RejectImportJob(ctx, id, result); err != nil {
		t.Fatal(err)
	}
	j := importJob(t, db, box, recCommunity, actor, id)
	if j.State != ledger.JobRejected || j.RowsDone != 3 || len(j.Result.Problems) != 1 || j.Result.Problems[0] != result.Problems[0] {
		t.Errorf("rejected job %+v", j)
	}
	if _, err := db.ConfirmImportJob(ctx, recCommunity, actor, id); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("confirming a rejected job: %v", err)
	}
	if n := recCount(t, db, `SELECT count(*) FROM org_imports`); n != 0 {
		t.Errorf("%d kept imports", n)
	}
	// A failure is shown with its message; a failed job no longer takes progress.
	id, _ = db.CreateImportJob(ctx, recCommunity, actor, "坏.xlsx", 3)
	if err := db.FailImportJob(ctx, id, "第 5 行无法读取"); err != nil {
		t.Fatal(err)
	}
	if err := db.ImportJobProgress(ctx, id, 2); err != nil {
		t.Fatal(err)
	}
	if j := importJob(t, db, box, recCommunity, actor, id); j.State != ledger.JobFailed || j.Message != "第 5 行无法读取" || j.RowsDone != 0 {
		t.Errorf("failed job %+v", j)
	}
}

func TestImportJobNameTakenImportsNothing(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	box := recBox(t)
	actor := importActor(t, db, "demo-community", recCommunity)
	id := checkedJob(t, db, box, recCommunity, actor, []registry.OrgInput{recGuided(t, db, "先到甲"), recGuided(t, db, "先到乙")})
	// Between check and confirmation someone records the second name.
	if _, err := db.CreateOrganization(ctx, recCommunity, actor, recGuided(t, db, "先到乙")); err != nil {
		t.Fatal(err)
	}
	before := recCount(t, db, `SELECT count(*) FROM organizations`)
	if _, err := db.ConfirmImportJob(ctx, recCommunity, actor, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RunImportJob(ctx, recCommunity, actor, id, nil); !errors.Is(err, registry.ErrNameTaken) {
		t.Fatalf("err %v, want ErrNameTaken", err)
	}
	if got := recCount(t, db, `SELECT count(*) FROM organizations`); got != before {
		t.Errorf("%d organizations written", got-before)
	}
	if got := recCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'org.import'`); got != 0 {
		t.Errorf("%d audit rows", got)
	}
	if j := importJob(t, db, box, recCommunity, actor, id); j.State != ledger.JobImporting {
		t.Errorf("a failed import marked the job %s itself; its worker fails it", j.State)
	}
}

func TestImportJobExpires(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	box := recBox(t)
	actor := importActor(t, db, "demo-community", recCommunity)
	id := checkedJob(t, db, box, recCommunity, actor, []registry.OrgInput{recGuided(t, db, "过期")})
	if _, err := db.Pool.Exec(ctx, `UPDATE org_imports SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if j := importJob(t, db, box, recCommunity, actor, id); j.State != ledger.JobReady || !j.Expired {
		t.Errorf("job with expired rows %+v", j)
	}
	if _, err := db.ConfirmImportJob(ctx, recCommunity, actor, id); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("confirming expired rows: %v", err)
	}
	// The next check clears expired rows, and the next job expired jobs.
	checkedJob(t, db, box, recCommunity, actor, []registry.OrgInput{recGuided(t, db, "随后")})
	if n := recCount(t, db, `SELECT count(*) FROM org_imports WHERE expires_at < now()`); n != 0 {
		t.Errorf("%d expired kept imports left", n)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE import_jobs SET expires_at = now() - interval '1 second' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportJob(ctx, recCommunity, actor, id); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("expired job: %v", err)
	}
	if _, err := db.CreateImportJob(ctx, recCommunity, actor, "新.xlsx", 1); err != nil {
		t.Fatal(err)
	}
	if n := recCount(t, db, `SELECT count(*) FROM import_jobs WHERE id = $1`, id); n != 0 {
		t.Error("an expired job was not cleared")
	}
	// Out of scope rows are never kept; the district imports nothing.
	other := importActor(t, db, "demo-town2", recTown2)
	jobID, err := db.CreateImportJob(ctx, recTown2, other, "越界.xlsx", 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReadyImportJob(ctx, recTown2, other, jobID, ledger.Result{Rows: 1},
		[]registry.OrgInput{recGuided(t, db, "越界")}); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("another town's community: %v", err)
	}
	if _, err := db.CreateImportJob(ctx, recDistrict, importActor(t, db, "demo-district", recDistrict), "区.xlsx", 1); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("district job: %v", err)
	}
	if _, err := db.ImportCommunities(ctx, recDistrict); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("district: %v", err)
	}
	cs, err := db.ImportCommunities(ctx, recTown)
	if err != nil || len(cs) < 2 || cs[0].Code != seed.CommunityDemo || cs[0].TownName == "" || cs[0].DistrictName == "" {
		t.Errorf("town communities %v, %v", cs, err)
	}
}

// BenchmarkImport100k keeps and imports 100,000 rows in one transaction, the way the job of a confirmed 台账 of
// the PERFORMANCE.md bar imports them (run with -bench Import100k -benchtime 1x).
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
	tmpl := registry.OrgInput{CommunityCode: seed.CommunityDemo,
		NameParts: rules.NameParts{Prefix: place.DistrictName + place.TownName, Community: place.CommunityName,
			Field: "舞蹈", Form: "队"},
		Fields: []string{"文体娱乐"}, Nature: "互助性", LeaderName: "王秀英", LeaderPhone: "13812345678",
		LeaderID: rules.MakeIDNumber("50011219650312002"), Members: 20}
	for b.Loop() {
		orgs := make([]registry.OrgInput, 100000)
		for i := range orgs {
			orgs[i] = tmpl
			orgs[i].NameParts.Zihao = "基准" + hanziNumber(i)
		}
		start := time.Now()
		id := checkedJob(b, db, box, recTown, actor, orgs)
		kept := time.Since(start)
		if _, err := db.ConfirmImportJob(ctx, recTown, actor, id); err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		n, err := db.RunImportJob(ctx, recTown, actor, id, func(done int) {
			if done == 5000 {
				b.Logf("staged and first chunk in %v", time.Since(start))
			}
		})
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
