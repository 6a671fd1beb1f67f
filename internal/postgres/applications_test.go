package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

var (
	appDistrict  = portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	appTown      = portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	appTown2     = portal.Scope{Tier: portal.TierTown, Division: seed.TownTongjing}
	appCommunity = portal.Scope{Tier: portal.TierCommunity, Division: seed.CommunityDemo}
	appVillage   = portal.Scope{Tier: portal.TierCommunity, Division: seed.CommunityDemoRural}
	appActor     = portal.Actor{Username: "tester", IP: "127.0.0.1"}
)

func appBox(t *testing.T) *sealbox.Box {
	t.Helper()
	box, err := sealbox.New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return box
}

// appInput is a valid application for a new 社会团体 in demo-community's community.
func appInput(t *testing.T, db *postgres.DB, zihao string) registry.ApplicationInput {
	t.Helper()
	p, err := db.CommunityPlace(context.Background(), appTown, seed.CommunityDemo)
	if err != nil {
		t.Fatal(err)
	}
	return registry.ApplicationInput{CommunityCode: seed.CommunityDemo, LegalForm: rules.FormSocialGroup,
		NameParts: rules.NameParts{Prefix: p.DistrictName + p.TownName, Community: p.CommunityName, Zihao: zihao,
			Field: "书画", Form: "协会"},
		Fields: []string{"文体娱乐"}, Nature: "互助性", LeaderName: "李德明", LeaderPhone: "13812345678",
		LeaderID: rules.MakeIDNumber("50011219800101123"), Venue: "社区活动室", Members: 60, Supervisor: "街道办事处"}
}

func TestApplicationStatusWorkflow(t *testing.T) {
	allowed := map[registry.ApplicationStatus][]registry.ApplicationStatus{
		registry.AppSubmitted:  {registry.AppAccepted},
		registry.AppAccepted:   {registry.AppCorrection, registry.AppApproved, registry.AppRejected},
		registry.AppCorrection: {registry.AppAccepted},
	}
	for _, from := range registry.ApplicationStatuses {
		for _, to := range registry.ApplicationStatuses {
			want := false
			for _, a := range allowed[from] {
				want = want || a == to
			}
			if got := from.CanBecome(to); got != want {
				t.Errorf("%s → %s: %v, want %v", from, to, got, want)
			}
		}
	}
}

// The store's half of workflow 3: scope on every step, versions, required words, sealed personal data.
func TestApplicationLifecycleInStore(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	in := appInput(t, db, "启航")
	id, err := db.CreateApplication(ctx, appTown, appActor, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []portal.Scope{appTown2, appVillage} {
		if _, err := db.Application(ctx, s, id); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("%v sees the application: %v", s, err)
		}
		if evs, _ := db.ApplicationEvents(ctx, s, id); len(evs) != 0 {
			t.Errorf("%v sees its history", s)
		}
	}
	app, err := db.Application(ctx, appCommunity, id)
	if err != nil {
		t.Fatal(err)
	}
	if app.Status != registry.AppSubmitted || app.LeaderPhone != "138****5678" || app.LeaderID == in.LeaderID {
		t.Fatalf("as stored: %+v", app)
	}
	var phoneEnc, idEnc []byte
	if err := db.Pool.QueryRow(ctx, `SELECT leader_phone_enc, leader_id_enc FROM applications WHERE id = $1`, id).
		Scan(&phoneEnc, &idEnc); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(phoneEnc, []byte("13812345678")) || bytes.Contains(idEnc, []byte(in.LeaderID)) {
		t.Fatal("personal data stored in the clear")
	}

	if err := db.AcceptApplication(ctx, appTown, appActor, id, 1); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("a town accepted: %v", err)
	}
	if err := db.AcceptApplication(ctx, appDistrict, appActor, id, 7); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("stale version: %v", err)
	}
	if err := db.ReturnApplication(ctx, appDistrict, appActor, id, 1, "补充"); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("return before 受理: %v", err)
	}
	if err := db.AcceptApplication(ctx, appDistrict, appActor, id, 1); err != nil {
		t.Fatal(err)
	}
	if err := db.ReturnApplication(ctx, appDistrict, appActor, id, 2, " "); !errors.Is(err, registry.ErrReasonRequired) {
		t.Errorf("return without words: %v", err)
	}
	if err := db.ReturnApplication(ctx, appDistrict, appActor, id, 2, "活动场所请写明门牌号"); err != nil {
		t.Fatal(err)
	}
	// Another town cannot resubmit it; the committee can, keeping the stored ID when it leaves it empty.
	in.Venue, in.LeaderID, in.LeaderPhone = "社区活动室（8 号）", "", ""
	if err := db.ResubmitApplication(ctx, appTown2, appActor, id, 3, in); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("another town resubmitted: %v", err)
	}
	if err := db.ResubmitApplication(ctx, appCommunity, appActor, id, 3, in); err != nil {
		t.Fatal(err)
	}
	var idEnc2 []byte
	if err := db.Pool.QueryRow(ctx, `SELECT leader_id_enc FROM applications WHERE id = $1`, id).Scan(&idEnc2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(idEnc, idEnc2) {
		t.Error("an empty ID replaced the stored one")
	}
	evs, err := db.ApplicationEvents(ctx, appDistrict, id)
	if err != nil || len(evs) != 4 || evs[3].From != registry.AppCorrection || evs[3].To != registry.AppAccepted ||
		evs[3].Reason != "补正后重新提交，修改了：活动场所" {
		t.Fatalf("history: %+v %v", evs, err)
	}

	if err := db.RejectApplication(ctx, appDistrict, appActor, id, 4, ""); !errors.Is(err, registry.ErrReasonRequired) {
		t.Errorf("reject without reason: %v", err)
	}
	uscc := rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH55555")
	orgID, err := db.ApproveApplication(ctx, appDistrict, appActor, id, 4, uscc)
	if err != nil {
		t.Fatal(err)
	}
	o, err := db.Organization(ctx, appCommunity, orgID)
	if err != nil || o.USCC != uscc || string(o.Tier) != "registered" || o.Venue != "社区活动室（8 号）" ||
		o.LeaderID != app.LeaderID {
		t.Fatalf("registered organization: %+v %v", o, err)
	}
	if _, err := db.ApproveApplication(ctx, appDistrict, appActor, id, 5, uscc); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("approving twice: %v", err)
	}
}

// A code in use or a name in use at approval: a typed error, and the application stays as it was.
func TestApproveApplicationRefusalsWriteNothing(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	uscc := rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH66666")
	first, err := db.CreateApplication(ctx, appTown, appActor, appInput(t, db, "启航"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := db.CreateApplication(ctx, appTown, appActor, appInput(t, db, "远航"))
	if err != nil {
		t.Fatal(err)
	}
	same, err := db.CreateApplication(ctx, appTown, appActor, appInput(t, db, "启航"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{first, second, same} {
		if err := db.AcceptApplication(ctx, appDistrict, appActor, id, 1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ApproveApplication(ctx, appDistrict, appActor, first, 2, uscc); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		_ = db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM org_events)
			+ (SELECT count(*) FROM application_events) + (SELECT count(*) FROM audit_log)`).Scan(&n)
		return n
	}
	before := count()
	if _, err := db.ApproveApplication(ctx, appDistrict, appActor, second, 2, uscc); !errors.Is(err, registry.ErrUSCCTaken) {
		t.Errorf("code in use: %v", err)
	}
	other := rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH77777")
	if _, err := db.ApproveApplication(ctx, appDistrict, appActor, same, 2, other); !errors.Is(err, registry.ErrNameTaken) {
		t.Errorf("name in use: %v", err)
	}
	if after := count(); after != before {
		t.Errorf("refused approvals wrote rows (%d → %d)", before, after)
	}
	if a, _ := db.Application(ctx, appDistrict, second); a.Status != registry.AppAccepted || a.Version != 2 {
		t.Errorf("application after refusal: %s v%d", a.Status, a.Version)
	}
}

// An application names an organization or a community inside the applicant's scope, one at a time per group.
func TestCreateApplicationStaysInScope(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	in := appInput(t, db, "启航")
	if _, err := db.CreateApplication(ctx, appTown2, appActor, in); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("another town's community: %v", err)
	}
	if _, err := db.CreateApplication(ctx, appDistrict, appActor, in); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("the district applied: %v", err)
	}
	var orgID int64
	if err := db.Pool.QueryRow(ctx, `
		INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name)
		VALUES (left($1, 6), left($1, 9), $1, 'guided', '未登记团体', '渝北区测试用启航书画队') RETURNING id`,
		seed.CommunityDemo).Scan(&orgID); err != nil {
		t.Fatal(err)
	}
	in.OrgID, in.CommunityCode = orgID, seed.CommunityDemoRural // the organization's community wins
	if _, err := db.CreateApplication(ctx, appTown2, appActor, in); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("another town's organization: %v", err)
	}
	id, err := db.CreateApplication(ctx, appCommunity, appActor, in)
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := db.Application(ctx, appCommunity, id); a.CommunityCode != seed.CommunityDemo || a.OrgID != orgID || a.NewGroup {
		t.Errorf("application for an existing group: %+v", a)
	}
	if _, err := db.CreateApplication(ctx, appTown, appActor, in); !errors.Is(err, registry.ErrOpenApplication) {
		t.Errorf("second open application: %v", err)
	}
	orgs, err := db.ApplicableOrgs(ctx, appCommunity, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.ID == orgID {
			t.Error("an organization with an open application is offered again")
		}
	}
}

// The demo data holds applications in every state, each with its history, and one for an existing group when
// the demo organizations offer one.
func TestDemoApplicationsInEveryState(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	apps, err := db.Applications(ctx, appDistrict, registry.ApplicationFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[registry.ApplicationStatus]int{}
	existing := 0
	for i, a := range apps {
		seen[a.Status]++
		if !a.NewGroup {
			existing++
		}
		if i > 0 && apps[i-1].ID <= a.ID {
			t.Error("the list is not newest first")
		}
		evs, err := db.ApplicationEvents(ctx, appDistrict, a.ID)
		if err != nil || len(evs) == 0 || evs[len(evs)-1].To != a.Status {
			t.Errorf("application %d (%s): history %+v %v", a.ID, a.Status, evs, err)
		}
	}
	for _, s := range registry.ApplicationStatuses {
		if seen[s] == 0 {
			t.Errorf("no demo application is %s", s)
		}
	}
	if existing == 0 {
		t.Error("no demo application is for an existing group")
	}
	if a, _ := db.Applications(ctx, appTown2, registry.ApplicationFilter{}); len(a) != 1 {
		t.Errorf("demo-town2 has %d applications, want its own one", len(a))
	}
}
