package postgres_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

var trainingClerk = portal.Actor{Username: "demo-town", Tier: portal.TierTown, Division: seed.TownShuanglonghu, IP: "127.0.0.1"}

// trainingSession records a session of the town in the current year's first days, 3 hours long.
func trainingSession(t *testing.T, db *postgres.DB, scope portal.Scope, day int) int64 {
	t.Helper()
	start := time.Date(time.Now().In(portal.Beijing).Year(), 1, day, 9, 0, 0, 0, portal.Beijing)
	id, err := db.CreateTrainingSession(context.Background(), scope, trainingClerk, seenFor(t, db, scope, trainingClerk, registry.TokenSession), registry.SessionInput{
		Title: "骨干培训", OrganizerKind: "镇街", Organizer: "双龙湖街道", Start: start, End: start.Add(3 * time.Hour),
		Hours: 2.5, Mode: "示范培训", Topics: []string{"能力建设"}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTrainingOnePersonAcrossSessionsIsOneTrainee(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	var orgID int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE town_code = $1 AND status = 'normal'
		ORDER BY id LIMIT 1`, seed.TownShuanglonghu).Scan(&orgID); err != nil {
		t.Fatal(err)
	}
	person := registry.AttendeeInput{Name: "李明", IDNumber: "500112198803150017", Phone: "13912345678",
		Role: "社区社会组织负责人", OrgID: orgID}
	var before int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM trainees`).Scan(&before)
	for day := 10; day < 13; day++ {
		s := trainingSession(t, db, noticeTown, day)
		if n, err := db.RecordAttendance(ctx, noticeTown, trainingClerk, s, attendSeen(t, db, s), []registry.AttendeeInput{person}, "录入"); err != nil || n != 1 {
			t.Fatalf("attendance: %d, %v", n, err)
		}
	}
	var after, id int64
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM trainees`).Scan(&after)
	if after-int64(before) != 1 {
		t.Fatalf("three sessions made %d trainees, want 1", after-int64(before))
	}
	_ = db.Pool.QueryRow(ctx, `SELECT max(id) FROM trainees`).Scan(&id)
	p, sessions, err := db.Trainee(ctx, noticeTown, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Sessions != 3 || len(sessions) != 3 || p.Hours != 7.5 || p.IDMask == "500112198803150017" || p.IDMask == "" ||
		p.PhoneMask != "139****5678" {
		t.Fatalf("trainee %+v, %d sessions", p, len(sessions))
	}
	// The sealed number is stored sealed, and opens only through the audited reveal.
	var plain int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM trainees WHERE position('500112198803150017' in encode(id_enc, 'escape')) > 0`).Scan(&plain)
	if plain != 0 {
		t.Fatal("身份证号 stored in the clear")
	}
	if _, _, err := db.RevealTrainee(ctx, noticeTown, trainingClerk, id, ""); !errors.Is(err, registry.ErrReasonRequired) {
		t.Fatalf("reveal without reason: %v", err)
	}
	phone, idNo, err := db.RevealTrainee(ctx, noticeTown, trainingClerk, id, "核对培训证明")
	if err != nil || phone != "13912345678" || idNo != "500112198803150017" {
		t.Fatalf("reveal: %q %q %v", phone, idNo, err)
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'trainee.reveal' AND object_id = $1`, strconv.FormatInt(id, 10)); n != 1 {
		t.Fatalf("%d reveal audit rows", n)
	}
	// Another town sees neither the person nor the session.
	if _, _, err := db.Trainee(ctx, noticeTown2, id); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("other town reads trainee: %v", err)
	}
	if _, _, err := db.RevealTrainee(ctx, noticeTown2, trainingClerk, id, "看看"); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("other town reveals: %v", err)
	}
	s := trainingSession(t, db, noticeTown, 20)
	if _, err := db.RecordAttendance(ctx, noticeTown2, trainingClerk, s, attendSeen(t, db, s), []registry.AttendeeInput{person}, "录入"); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("other town records attendance: %v", err)
	}
	// A group of another town is refused, and nothing of the batch is written.
	var otherOrg int64
	_ = db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE town_code = $1 LIMIT 1`, seed.TownTongjing).Scan(&otherOrg)
	stranger := registry.AttendeeInput{Name: "王五", Role: "社区志愿者", OrgID: otherOrg}
	if _, err := db.RecordAttendance(ctx, noticeTown, trainingClerk, s, attendSeen(t, db, s), []registry.AttendeeInput{{Name: "赵六", Role: "社区志愿者"}, stranger}, "录入"); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("group of another town: %v", err)
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM training_attendance WHERE session_id = $1`, s); n != 0 {
		t.Fatalf("a refused batch wrote %d rows", n)
	}
}

// TestTrainingReachEqualsRecount holds the reach figures against a count made in Go from the rows themselves.
func TestTrainingReachEqualsRecount(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	year := time.Now().In(portal.Beijing).Year()
	rows, err := db.Pool.Query(ctx, `SELECT id, community_code FROM organizations WHERE town_code = $1
		AND status IN ('normal', 'abnormal') ORDER BY id LIMIT 3`, seed.TownShuanglonghu)
	if err != nil {
		t.Fatal(err)
	}
	var orgs []int64
	for rows.Next() {
		var id int64
		var c string
		_ = rows.Scan(&id, &c)
		orgs = append(orgs, id)
	}
	s1, s2 := trainingSession(t, db, noticeTown, 5), trainingSession(t, db, noticeTown, 6)
	people := []registry.AttendeeInput{
		{Name: "甲", IDNumber: "500112198803150017", Role: "社区社会组织负责人", OrgID: orgs[0], CertLevel: "社会工作师", CertYear: 2019},
		{Name: "乙", Role: "社区志愿者", OrgID: orgs[1]},
		{Name: "丙", Role: "城乡社区工作者"},
	}
	if _, err := db.RecordAttendance(ctx, noticeTown, trainingClerk, s1, attendSeen(t, db, s1), people, "录入"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordAttendance(ctx, noticeTown, trainingClerk, s2, attendSeen(t, db, s2), people[:1], "录入"); err != nil {
		t.Fatal(err)
	}
	checkReachAgainstRecount(t, db, year, noticeTown, noticeDistrict)
	_, total, _ := db.TrainingReach(ctx, noticeTown, year)
	if total.ReachedOrgs < 2 || total.Trainees < 3 || total.CertHolders < 1 {
		t.Fatalf("the new attendance does not show: %+v", total)
	}
	unreached, err := db.UnreachedOrgs(ctx, noticeTown, year, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range unreached {
		if u.ID == orgs[0] || u.ID == orgs[1] {
			t.Fatalf("reached group %d listed as unreached", u.ID)
		}
	}
}

// recountReach counts reach per division code (community, town and district alike) from plain rows, in Go; and
// the live groups inside scope not reached.
func recountReach(t *testing.T, pool *pgxpool.Pool, scope portal.Scope, year int) (map[string]registry.TrainingReach, map[int64]bool) {
	t.Helper()
	ctx := context.Background()
	out := map[string]registry.TrainingReach{}
	prefixes := func(code string) []string {
		switch len(code) {
		case 6:
			return []string{code}
		case 9:
			return []string{code[:6], code}
		}
		return []string{code[:6], code[:9], code}
	}
	orgCommunity := map[int64]string{}
	rows, _ := pool.Query(ctx, `SELECT id, community_code FROM organizations WHERE status IN ('normal', 'abnormal')`)
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			t.Fatal(err)
		}
		orgCommunity[id] = c
	}
	type person struct {
		home  string
		org   int64
		cert  bool
		hours float64
	}
	people := map[int64]*person{}
	rows, _ = pool.Query(ctx, `SELECT p.id, coalesce(p.town_code, p.district_code), coalesce(p.org_id, 0), p.cert_level <> '', s.hours::float8,
			s.starts_at FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
			JOIN trainees p ON p.id = a.trainee_id`)
	for rows.Next() {
		var id, org int64
		var town string
		var cert bool
		var hours float64
		var at time.Time
		if err := rows.Scan(&id, &town, &org, &cert, &hours, &at); err != nil {
			t.Fatal(err)
		}
		if at.In(portal.Beijing).Year() != year {
			continue
		}
		if people[id] == nil {
			home := town
			if c, ok := orgCommunity[org]; ok {
				home = c
			} else if org != 0 {
				_ = pool.QueryRow(ctx, `SELECT community_code FROM organizations WHERE id = $1`, org).Scan(&home)
			}
			people[id] = &person{home: home, org: org, cert: cert}
		}
		people[id].hours += hours
	}
	reached := map[int64]bool{}
	for _, p := range people {
		reached[p.org] = true
		for _, code := range prefixes(p.home) {
			r := out[code]
			r.Trainees++
			r.Hours += p.hours
			if p.cert {
				r.CertHolders++
			}
			out[code] = r
		}
	}
	unreached := map[int64]bool{}
	for id, c := range orgCommunity {
		if !scope.Covers(c) {
			continue
		}
		if !reached[id] {
			unreached[id] = true
		}
		for _, code := range prefixes(c) {
			r := out[code]
			r.LiveOrgs++
			if reached[id] {
				r.ReachedOrgs++
			}
			out[code] = r
		}
	}
	return out, unreached
}

// checkReachAgainstRecount holds the reach figures of each scope to a recount from plain rows.
func checkReachAgainstRecount(t *testing.T, db *postgres.DB, year int, scopes ...portal.Scope) {
	t.Helper()
	for _, scope := range scopes {
		got, total, err := db.TrainingReach(context.Background(), scope, year)
		if err != nil {
			t.Fatal(err)
		}
		want, unreached := recountReach(t, db.Pool, scope, year)
		sum := registry.TrainingReach{}
		for _, r := range got {
			w := want[r.Code]
			if r.LiveOrgs != w.LiveOrgs || r.ReachedOrgs != w.ReachedOrgs || r.Trainees != w.Trainees ||
				r.Hours != w.Hours || r.CertHolders != w.CertHolders {
				t.Fatalf("%s %s: got %+v, recount %+v", scope.Tier, r.Code, r, w)
			}
			sum.LiveOrgs += r.LiveOrgs
			sum.ReachedOrgs += r.ReachedOrgs
		}
		w := want[scope.Division]
		if total.LiveOrgs != w.LiveOrgs || total.ReachedOrgs != w.ReachedOrgs || total.Trainees != w.Trainees ||
			total.Hours != w.Hours || total.CertHolders != w.CertHolders ||
			(len(got) > 0 && (sum.LiveOrgs != total.LiveOrgs || sum.ReachedOrgs != total.ReachedOrgs)) {
			t.Fatalf("%s total: got %+v, recount %+v, rows sum %+v", scope.Tier, total, w, sum)
		}
		checkUnreachedPages(t, db, year, scope, unreached, total.LiveOrgs-total.ReachedOrgs)
	}
}

// checkUnreachedPages walks the groups not yet reached page by page, 7 at a time, each from the last group of the
// page before: together the pages are the recount's unreached groups (want), each once, as many as the figures
// say, by community; and they are the whole list the export streams, in its order.
func checkUnreachedPages(t *testing.T, db *postgres.DB, year int, scope portal.Scope, want map[int64]bool, figures int) {
	t.Helper()
	ctx := context.Background()
	var paged []registry.UnreachedOrg
	for after, pages := int64(0), 0; ; pages++ {
		page, err := db.UnreachedOrgs(ctx, scope, year, after, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 7 || pages > len(want) {
			t.Fatalf("%s page %d: %d groups", scope.Division, pages, len(page))
		}
		paged = append(paged, page...)
		if len(page) < 7 {
			break
		}
		after = page[len(page)-1].ID
	}
	seen := map[int64]bool{}
	for i, u := range paged {
		if seen[u.ID] || !want[u.ID] {
			t.Fatalf("%s: group %d listed twice or reached (%v)", scope.Division, u.ID, seen[u.ID])
		}
		seen[u.ID] = true
		if i > 0 && u.CommunityCode < paged[i-1].CommunityCode {
			t.Fatalf("%s: %s listed after %s", scope.Division, u.CommunityCode, paged[i-1].CommunityCode)
		}
	}
	if len(paged) != len(want) || len(paged) != figures {
		t.Fatalf("%s: %d groups over the pages, recount %d, figures %d", scope.Division, len(paged), len(want), figures)
	}
	var all []registry.UnreachedOrg
	if err := db.EachUnreachedOrg(ctx, scope, year, 0, 0, func(u registry.UnreachedOrg) error {
		all = append(all, u)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(all, paged) {
		t.Fatalf("%s: the whole list (%d) is not the pages (%d) in order", scope.Division, len(all), len(paged))
	}
}

// A person is one record in the district: trained by two towns and at a district-held session, they are one
// trainee counted once, each town sees the sessions it may see, and a district session's attendees are shown to
// a town only where they are its people. A committee sees its own groups' people and its reach.
func TestTrainingAcrossTownsAndDistrictSessions(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	year := time.Now().In(portal.Beijing).Year()
	var orgA, orgB int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE community_code = $1
		AND status IN ('normal', 'abnormal') ORDER BY id LIMIT 1`, seed.CommunityDemo).Scan(&orgA); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE town_code = $1
		AND status IN ('normal', 'abnormal') ORDER BY id LIMIT 1`, seed.TownTongjing).Scan(&orgB); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM trainees`).Scan(&n)
		return n
	}
	before := count()
	x := registry.AttendeeInput{Name: "王芳", IDNumber: "500112198803150017", Role: "社区社会组织负责人", OrgID: orgA}
	sA := trainingSession(t, db, noticeTown, 5)
	sB := trainingSession(t, db, noticeTown2, 6)
	if _, err := db.RecordAttendance(ctx, noticeTown, trainingClerk, sA, attendSeen(t, db, sA), []registry.AttendeeInput{x}, "录入"); err != nil {
		t.Fatal(err)
	}
	xb := x
	xb.OrgID = 0 // town B does not know her group
	if _, err := db.RecordAttendance(ctx, noticeTown2, trainingClerk, sB, attendSeen(t, db, sB), []registry.AttendeeInput{xb}, "录入"); err != nil {
		t.Fatal(err)
	}
	// the district's own session: her again, someone with no group and no number, and a group of town B
	start := time.Date(year, 1, 7, 9, 0, 0, 0, portal.Beijing)
	sD, err := db.CreateTrainingSession(ctx, noticeDistrict, trainingClerk, seenFor(t, db, noticeDistrict, trainingClerk, registry.TokenSession), registry.SessionInput{Title: "全区示范培训",
		OrganizerKind: "区民政局", Organizer: "区民政局", Start: start, End: start.Add(3 * time.Hour), Hours: 3,
		Mode: "示范培训", Topics: []string{"能力建设"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordAttendance(ctx, noticeDistrict, trainingClerk, sD, attendSeen(t, db, sD), []registry.AttendeeInput{xb,
		{Name: "赵强", Role: "社区志愿者"}, {Name: "钱进", Role: "社区社会组织负责人", OrgID: orgB}}, "录入"); err != nil {
		t.Fatal(err)
	}
	if got := count() - before; got != 3 {
		t.Fatalf("%d new trainees, want 3 (one person trained three times, two more)", got)
	}
	var xid int64
	_ = db.Pool.QueryRow(ctx, `SELECT p.id FROM trainees p JOIN training_attendance a ON a.trainee_id = p.id
		WHERE a.session_id = $1 AND p.name = '王芳'`, sA).Scan(&xid)
	sessionsSeen := func(scope portal.Scope) int {
		t.Helper()
		p, ss, err := db.Trainee(ctx, scope, xid)
		if err != nil {
			t.Fatalf("%s reads her: %v", scope.Division, err)
		}
		if p.Sessions != 3 || p.OrgID != orgA || p.TownCode != seed.TownShuanglonghu {
			t.Fatalf("her record: %+v", p)
		}
		return len(ss)
	}
	if n := sessionsSeen(noticeDistrict); n != 3 {
		t.Fatalf("the district sees %d of her sessions, want 3", n)
	}
	if n := sessionsSeen(noticeTown2); n != 2 {
		t.Fatalf("town B sees %d of her sessions, want its own and the district's", n)
	}
	if n := sessionsSeen(noticeCommunity); n != 2 {
		t.Fatalf("her committee sees %d of her sessions, want its town's and the district's", n)
	}
	// the district's session: seen by the towns, kept by the district alone
	if _, err := db.TrainingSession(ctx, noticeTown2, sD); err != nil {
		t.Fatalf("town B reads the district's session: %v", err)
	}
	if _, err := db.TrainingSession(ctx, noticeTown2, sA); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("town B reads town A's session: %v", err)
	}
	if _, err := db.RecordAttendance(ctx, noticeTown, trainingClerk, sD, attendSeen(t, db, sD), []registry.AttendeeInput{{Name: "孙", Role: "社区志愿者"}}, "录入"); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a town recorded attendance at the district's session: %v", err)
	}
	people, err := db.SessionAttendees(ctx, noticeTown, sD)
	if err != nil || len(people) != 1 || people[0].ID != xid {
		t.Fatalf("town A sees %d attendees of the district's session, want her alone (%v)", len(people), err)
	}
	if all, _ := db.SessionAttendees(ctx, noticeDistrict, sD); len(all) != 3 {
		t.Fatalf("the district sees %d attendees of its session", len(all))
	}
	var zid int64
	_ = db.Pool.QueryRow(ctx, `SELECT id FROM trainees WHERE name = '钱进'`).Scan(&zid)
	if _, _, err := db.Trainee(ctx, noticeCommunity, zid); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a committee reads another town's trainee: %v", err)
	}
	// counted once, where her group is; the figures equal a recount at every level
	checkReachAgainstRecount(t, db, year, noticeDistrict, noticeTown, noticeTown2, noticeCommunity)
	_, district, _ := db.TrainingReach(ctx, noticeDistrict, year)
	var distinct int
	_ = db.Pool.QueryRow(ctx, `SELECT count(DISTINCT a.trainee_id) FROM training_attendance a
		JOIN training_sessions s ON s.id = a.session_id WHERE s.starts_at >= $1`, time.Date(year, 1, 1, 0, 0, 0, 0, portal.Beijing)).Scan(&distinct)
	if district.Trainees != distinct {
		t.Fatalf("district reach counts %d trainees, %d people attended", district.Trainees, distinct)
	}
	_, own, err := db.TrainingReach(ctx, noticeCommunity, year)
	if err != nil || own.Code != seed.CommunityDemo || own.ReachedOrgs < 1 {
		t.Fatalf("the committee's reach: %+v %v", own, err)
	}
}

// attendSeen is the token of a session's attendance forms: its attendance writes so far.
func attendSeen(t *testing.T, db *postgres.DB, session int64) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), `SELECT coalesce((SELECT attendance_version FROM training_sessions
		WHERE id = $1), 0)`, session).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
