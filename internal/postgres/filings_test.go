package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

var (
	filingTownA    = portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	filingTownB    = portal.Scope{Tier: portal.TierTown, Division: seed.TownTongjing}
	filingDistrict = portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	filingActor    = portal.Actor{Username: "demo-town", Tier: portal.TierTown, Division: seed.TownShuanglonghu, IP: "127.0.0.1"}
	filingPhone    = "13812345678"
	filingIDNumber = rules.MakeIDNumber("50011219800101123")
)

func filingBox(t *testing.T) *sealbox.Box {
	t.Helper()
	b, err := sealbox.New(config.DemoDataKey)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// establishInput is a valid 成立备案 for a group in the demo community of 双龙湖街道.
func establishInput(zihao string) registry.FilingInput {
	founded := time.Date(2021, 7, 21, 0, 0, 0, 0, time.UTC)
	return registry.FilingInput{Kind: registry.FilingEstablish, CommunityCode: seed.CommunityDemo,
		NameParts: rules.NameParts{Prefix: "渝北区双龙湖街道", Community: "锦华社区", Zihao: zihao, Field: "舞蹈",
			Form: "队"},
		Fields: []string{"文体娱乐"}, Nature: "互助性", Beneficiaries: []string{"社区居民"}, FoundedOn: &founded,
		LeaderName: "王芳", LeaderPhone: filingPhone, LeaderID: filingIDNumber, Venue: "社区活动室", Members: 35,
		Volunteers: 5, Funding: "会员自筹", PartyStatus: "未覆盖"}
}

func filingDB(t *testing.T) (*postgres.DB, string) {
	t.Helper()
	db := testdb.New(t)
	var name string
	if err := db.Pool.QueryRow(context.Background(), `SELECT name FROM divisions WHERE code = $1`,
		seed.CommunityDemo).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return db, name
}

func TestFilingEstablishApproveNumbersAndScope(t *testing.T) {
	ctx := context.Background()
	db, community := filingDB(t)
	in := establishInput("夕阳红")
	in.NameParts.Community = community
	doc := registry.NewDocument{Kind: "章程", Filename: "章程.pdf", ContentType: "application/pdf", Size: 10,
		StorageKey: "0123456789abcdef0123456789abcdef", SHA256: "00"}
	id, err := db.CreateFiling(ctx, filingTownA, filingActor, in, []registry.NewDocument{doc})
	if err != nil {
		t.Fatal(err)
	}
	// Personal data is sealed: neither the phone nor the ID number is in the row in the clear.
	var phoneEnc, idEnc []byte
	var phoneMask string
	if err := db.Pool.QueryRow(ctx, `SELECT leader_phone_enc, leader_id_enc, leader_phone_mask FROM filings
		WHERE id = $1`, id).Scan(&phoneEnc, &idEnc, &phoneMask); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(phoneEnc, []byte(filingPhone)) || bytes.Contains(idEnc, []byte(filingIDNumber)) ||
		phoneMask != "138****5678" {
		t.Fatalf("personal data not sealed: mask %q", phoneMask)
	}

	// Another town cannot see, decide or list it; the district sees it.
	if _, err := db.Filing(ctx, filingTownB, id); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("town B reads town A's filing: %v", err)
	}
	if _, err := db.ApproveFiling(ctx, filingTownB, filingActor, id, 1); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("town B approves town A's filing: %v", err)
	}
	if _, err := db.FilingDocument(ctx, filingTownB, id, 1); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("town B reads town A's document: %v", err)
	}
	list, err := db.Filings(ctx, filingTownB, registry.FilingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if f.ID == id || f.TownCode != filingTownB.Division {
			t.Fatalf("town B's list holds filing %d of %s", f.ID, f.TownCode)
		}
	}
	if f, err := db.Filing(ctx, filingDistrict, id); err != nil || f.Status != registry.FilingSubmitted {
		t.Fatalf("district reads it: %+v, %v", f, err)
	}
	if _, err := db.ApproveFiling(ctx, filingDistrict, filingActor, id, 1); !errors.Is(err, portal.ErrNotAllow) {
		t.Fatalf("the district decides a town's filing: %v", err)
	}
	// A stale version is a conflict and writes nothing.
	if _, err := db.ApproveFiling(ctx, filingTownA, filingActor, id, 7); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("stale version: %v", err)
	}

	d, err := db.ApproveFiling(ctx, filingTownA, filingActor, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	year := time.Now().In(time.FixedZone("CST", 8*3600)).Year()
	want := "渝北社备〔" + strconv.Itoa(year) + "〕002-0001号"
	if d.FilingNo != want {
		t.Fatalf("filing number %q, want %q", d.FilingNo, want)
	}
	var tier, filingNo, leaderPhoneMask string
	var docOrg int64
	if err := db.Pool.QueryRow(ctx, `SELECT o.tier, o.filing_no, o.leader_phone_mask, d.org_id
		FROM organizations o JOIN org_documents d ON d.filing_id = $2 WHERE o.id = $1`, d.OrgID, id).
		Scan(&tier, &filingNo, &leaderPhoneMask, &docOrg); err != nil {
		t.Fatal(err)
	}
	if tier != "filed" || filingNo != want || docOrg != d.OrgID || leaderPhoneMask != "138****5678" {
		t.Fatalf("organization: %s %s %s doc→%d", tier, filingNo, leaderPhoneMask, docOrg)
	}
	events, err := db.FilingOrgEvents(ctx, filingTownA, id)
	if err != nil || len(events) != 2 || events[0].Kind != "created" || events[1].Kind != "filed" ||
		events[1].To != want {
		t.Fatalf("timeline: %+v, %v", events, err)
	}
	if n := countRows(t, db, `SELECT count(*) FROM audit_log WHERE action IN ('filing.create', 'filing.approve')
		AND object_id = $1`, strconv.FormatInt(id, 10)); n != 2 {
		t.Fatalf("audit rows: %d", n)
	}

	// The second filing of the town this year gets the next number.
	in2 := establishInput("红梅")
	in2.NameParts.Community = community
	id2, err := db.CreateFiling(ctx, filingTownA, filingActor, in2, nil)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := db.ApproveFiling(ctx, filingTownA, filingActor, id2, 1)
	if err != nil || d2.FilingNo != "渝北社备〔"+strconv.Itoa(year)+"〕002-0002号" {
		t.Fatalf("second number %q, %v", d2.FilingNo, err)
	}

	c, err := db.Certificate(ctx, filingTownA, id)
	if err != nil || c.FilingNo != want || len(c.VerifyToken) != 32 || c.LeaderName != "王芳" {
		t.Fatalf("certificate %+v, %v", c, err)
	}
	if _, err := db.Certificate(ctx, filingTownB, id); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("town B's certificate: %v", err)
	}
	v, err := db.Verify(ctx, c.VerifyToken)
	if err != nil || v.FilingNo != want || v.Status != registry.StatusNormal || v.LeaderName != "" {
		t.Fatalf("verify %+v, %v", v, err)
	}
	if _, err := db.Verify(ctx, "00000000000000000000000000000000"); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
}

func TestFilingNumberStepsOverNumbersInUse(t *testing.T) {
	ctx := context.Background()
	db, community := filingDB(t)
	year := strconv.Itoa(time.Now().In(time.FixedZone("CST", 8*3600)).Year())
	// An imported record already holds this year's first number of the town.
	if _, err := db.Pool.Exec(ctx, `
		INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name, filing_no)
		VALUES (left($1, 6), left($1, 9), $1, 'filed', '未登记团体', $2, $3)`,
		seed.CommunityDemo, "渝北区双龙湖街道"+community+"旧档舞蹈队", "渝北社备〔"+year+"〕002-0001号"); err != nil {
		t.Fatal(err)
	}
	in := establishInput("启航")
	in.NameParts.Community = community
	id, err := db.CreateFiling(ctx, filingTownA, filingActor, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.ApproveFiling(ctx, filingTownA, filingActor, id, 1)
	if err != nil || d.FilingNo != "渝北社备〔"+year+"〕002-0002号" {
		t.Fatalf("number %q, %v", d.FilingNo, err)
	}
}

func countRows(t *testing.T, db *postgres.DB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFilingConcurrentApprovalsOneWins(t *testing.T) {
	ctx := context.Background()
	db, community := filingDB(t)
	in := establishInput("同心")
	in.NameParts.Community = community
	id, err := db.CreateFiling(ctx, filingTownA, filingActor, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = db.ApproveFiling(ctx, filingTownA, filingActor, id, 1)
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, portal.ErrConflict):
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d approvals succeeded, want 1", ok)
	}
	if n := countRows(t, db, `SELECT count(*) FROM organizations WHERE name = $1`, rules.ComposeName(in.NameParts)); n != 1 {
		t.Fatalf("%d organizations", n)
	}
	if n := countRows(t, db, `SELECT last FROM filing_numbers WHERE town_code = $1`, seed.TownShuanglonghu); n != 1 {
		t.Fatalf("counter at %d", n)
	}
	if n := countRows(t, db, `SELECT count(*) FROM audit_log WHERE action = 'filing.approve' AND actor_division = $1`,
		seed.TownShuanglonghu); n != 1 { // the demo approves one filing of another town
		t.Fatalf("%d approvals audited", n)
	}
}

func TestFilingChangeReturnAndCancel(t *testing.T) {
	ctx := context.Background()
	db, community := filingDB(t)
	in := establishInput("和美")
	in.NameParts.Community = community
	id, err := db.CreateFiling(ctx, filingTownA, filingActor, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.ApproveFiling(ctx, filingTownA, filingActor, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	// A change filing names only what changes.
	change := registry.FilingInput{Kind: registry.FilingChange, OrgID: d.OrgID, LeaderName: "王芳",
		Venue: "社区文化广场", Members: 50, Volunteers: 5, Funding: "会员自筹", Changes: []string{"venue", "members"},
		Reason: "场地调整"}
	cid, err := db.CreateFiling(ctx, filingTownA, filingActor, change, nil)
	if err != nil {
		t.Fatal(err)
	}
	// One open filing per organization.
	if _, err := db.CreateFiling(ctx, filingTownA, filingActor, change, nil); !errors.Is(err, registry.ErrOpenFiling) {
		t.Fatalf("second open filing: %v", err)
	}
	// Town B cannot file against town A's organization.
	if _, err := db.CreateFiling(ctx, filingTownB, filingActor, change, nil); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("town B files for town A's organization: %v", err)
	}
	if _, err := db.ApproveFiling(ctx, filingTownA, filingActor, cid, 1); err != nil {
		t.Fatal(err)
	}
	var venue, phoneMask string
	var members int
	if err := db.Pool.QueryRow(ctx, `SELECT venue, members, leader_phone_mask FROM organizations WHERE id = $1`,
		d.OrgID).Scan(&venue, &members, &phoneMask); err != nil {
		t.Fatal(err)
	}
	if venue != "社区文化广场" || members != 50 || phoneMask != "138****5678" {
		t.Fatalf("after change: %s %d %s", venue, members, phoneMask)
	}

	// A returned filing changes nothing but itself.
	cancel := registry.FilingInput{Kind: registry.FilingCancel, OrgID: d.OrgID,
		CancelOn: ptrTime(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)), Reason: "成员解散"}
	rid, err := db.CreateFiling(ctx, filingTownA, filingActor, cancel, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReturnFiling(ctx, filingTownA, filingActor, rid, 1, "请补充会员大会决议"); err != nil {
		t.Fatal(err)
	}
	if err := db.ReturnFiling(ctx, filingTownA, filingActor, rid, 2, "again"); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("deciding a decided filing: %v", err)
	}

	xid, err := db.CreateFiling(ctx, filingTownA, filingActor, cancel, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ApproveFiling(ctx, filingTownA, filingActor, xid, 1); err != nil {
		t.Fatal(err)
	}
	c, err := db.Certificate(ctx, filingTownA, id)
	if err != nil || c.Status != registry.StatusDissolved || c.FilingNo != d.FilingNo {
		t.Fatalf("after cancel: %+v, %v", c, err)
	}
	v, err := db.Verify(ctx, c.VerifyToken)
	if err != nil || v.Status != registry.StatusDissolved || v.StatusOn == nil {
		t.Fatalf("verify after cancel: %+v, %v", v, err)
	}
	events, _ := db.FilingOrgEvents(ctx, filingTownA, xid)
	kinds := ""
	for _, e := range events {
		kinds += e.Kind + " "
	}
	if kinds != "created filed filing_changed filing_cancelled " {
		t.Fatalf("timeline: %s", kinds)
	}
	// No more filings for a dissolved organization.
	if _, err := db.CreateFiling(ctx, filingTownA, filingActor, change, nil); !errors.Is(err, registry.ErrNotFiled) {
		t.Fatalf("filing for a dissolved organization: %v", err)
	}
}

func ptrTime(t time.Time) *time.Time { return &t }
