package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/testdb"
)

// Migration 0080 folds a person whom two towns recorded (one 身份证号, two records, per-town before it) into the
// earliest record, keeping every attendance of both and what only the later record knew. This runs it on data
// written under 0079: the same person, recorded by two towns, attending a session of each; after the migration
// one person remains with both attendances, counted once in reach; down to 0079 and up again keeps that.
func TestMigration0080FoldsAPersonOfTwoTowns(t *testing.T) {
	ctx := context.Background()
	db := testdb.NewEmpty(t)
	if err := db.MigrateTo(ctx, 79); err != nil {
		t.Fatal(err)
	}
	year := time.Now().In(portal.Beijing).Year()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO divisions (code, name, level, parent_code, kind) VALUES
		('500112', '渝北区', 'district', NULL, '区'),
		('500112901', '甲街道', 'town', '500112', '街道'), ('500112902', '乙镇', 'town', '500112', '镇'),
		('500112901001', '甲社区', 'community', '500112901', '社区'), ('500112902001', '乙村', 'community', '500112902', '村')`)
	// a group in each town; the person serves in 乙镇's, which only 乙镇's record knows
	exec(`INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name) VALUES
		('500112', '500112901', '500112901001', 'guided', '未登记团体', '甲社区舞蹈队队'),
		('500112', '500112902', '500112902001', 'guided', '未登记团体', '乙村志愿服务队')`)
	var orgB int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE town_code = '500112902'`).Scan(&orgB); err != nil {
		t.Fatal(err)
	}
	start := time.Date(year, 1, 5, 9, 0, 0, 0, portal.Beijing)
	exec(`INSERT INTO training_sessions (district_code, town_code, title, organizer_kind, organizer, starts_at, ends_at,
			hours, mode, topics) VALUES
		('500112', '500112901', '甲街道骨干培训', '镇街', '甲街道', $1::timestamptz, $1::timestamptz + interval '3 hours', 2.5, '示范培训', '{能力建设}'),
		('500112', '500112902', '乙镇骨干培训', '镇街', '乙镇', $2::timestamptz, $2::timestamptz + interval '3 hours', 3, '示范培训', '{能力建设}')`,
		start, start.AddDate(0, 1, 0))
	// the same 身份证号 digest, recorded first by 甲街道 (no group, no qualification), then by 乙镇
	digest := []byte("the same person's keyed digest")
	exec(`INSERT INTO trainees (district_code, town_code, name, id_digest, role) VALUES
		('500112', '500112901', '李明', $1, '社区志愿者')`, digest)
	exec(`INSERT INTO trainees (district_code, town_code, name, id_digest, role, org_id, cert_level, cert_year) VALUES
		('500112', '500112902', '李明', $1, '社区社会组织负责人', $2, '社会工作师', 2020)`, digest, orgB)
	// and someone else, recorded once, with no digest (no 身份证号): never folded
	exec(`INSERT INTO trainees (district_code, town_code, name, role) VALUES ('500112', '500112901', '王芳', '儿童主任')`)
	exec(`INSERT INTO training_attendance (session_id, trainee_id)
		SELECT s.id, p.id FROM training_sessions s JOIN trainees p ON p.town_code = s.town_code`)

	var earliest int64
	if err := db.Pool.QueryRow(ctx, `SELECT min(id) FROM trainees WHERE name = '李明'`).Scan(&earliest); err != nil {
		t.Fatal(err)
	}
	count := func(sql string, args ...any) int {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	check := func(when string) {
		t.Helper()
		if n := count(`SELECT count(*) FROM trainees WHERE name = '李明'`); n != 1 {
			t.Fatalf("%s: %d records of one person", when, n)
		}
		if n := count(`SELECT count(*) FROM trainees`); n != 2 {
			t.Fatalf("%s: %d trainees, want 2", when, n)
		}
		if n := count(`SELECT count(*) FROM training_attendance WHERE trainee_id = $1`, earliest); n != 2 {
			t.Fatalf("%s: the kept record attended %d sessions, want both", when, n)
		}
		if n := count(`SELECT count(*) FROM training_attendance`); n != 3 {
			t.Fatalf("%s: %d attendances, want 3", when, n)
		}
		if n := count(`SELECT count(*) FROM trainees WHERE id = $1 AND org_id = $2 AND cert_level = '社会工作师'
			AND cert_year = 2020 AND town_code = '500112901'`, earliest, orgB); n != 1 {
			t.Fatalf("%s: the kept record lost what the later one knew", when)
		}
	}
	if err := db.MigrateTo(ctx, 80); err != nil {
		t.Fatal(err)
	}
	check("after 0080")

	// With every migration: the person counts once, where their group is (乙镇), with the hours of both sessions.
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	reach := func(when string) {
		t.Helper()
		rows, total, err := db.TrainingReach(ctx, portal.Scope{Tier: portal.TierDistrict, Division: "500112"}, year)
		if err != nil {
			t.Fatal(err)
		}
		if total.Trainees != 2 || total.Hours != 2*2.5+3 || total.CertHolders != 1 || total.LiveOrgs != 2 || total.ReachedOrgs != 1 {
			t.Fatalf("%s: district reach %+v", when, total)
		}
		want := map[string][2]int{"500112901": {1, 0}, "500112902": {1, 1}} // trainees, reached groups
		for _, r := range rows {
			if w := want[r.Code]; r.Trainees != w[0] || r.ReachedOrgs != w[1] {
				t.Fatalf("%s: %s reach %+v, want %d trainees and %d reached", when, r.Name, r, w[0], w[1])
			}
		}
		if len(rows) != 2 {
			t.Fatalf("%s: %d towns", when, len(rows))
		}
	}
	reach("after every migration")

	// Down to 0079 (per-town records again, nothing unfolded) and up again.
	if err := db.MigrateTo(ctx, 79); err != nil {
		t.Fatal(err)
	}
	check("down to 0079")
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	check("up again")
	reach("up again")
}
