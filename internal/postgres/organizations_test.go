package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
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

// Scopes and actors of the demo accounts, for the record's store tests.
var (
	recDistrict  = portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	recTown      = portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	recTown2     = portal.Scope{Tier: portal.TierTown, Division: seed.TownTongjing}
	recCommunity = portal.Scope{Tier: portal.TierCommunity, Division: seed.CommunityDemo}
)

func recActor(scope portal.Scope) portal.Actor {
	return portal.Actor{Username: "tester-" + string(scope.Tier), Tier: scope.Tier, Division: scope.Division, IP: "127.0.0.1"}
}

func recBox(t *testing.T) *sealbox.Box {
	t.Helper()
	box, err := sealbox.New(config.DemoDataKey) // the key the demo data was sealed with
	if err != nil {
		t.Fatal(err)
	}
	return box
}

// recGuided is a valid guided group of demo-community (锦华社区 in 双龙湖街道) named with zihao.
func recGuided(t *testing.T, db *postgres.DB, zihao string) registry.OrgInput {
	t.Helper()
	place, err := db.CommunityPlace(context.Background(), recCommunity, seed.CommunityDemo)
	if err != nil {
		t.Fatal(err)
	}
	founded := time.Date(2021, 7, 21, 0, 0, 0, 0, time.UTC)
	return registry.OrgInput{CommunityCode: seed.CommunityDemo, Tier: registry.TierGuided,
		LegalForm: rules.FormUnregistered,
		NameParts: rules.NameParts{Prefix: place.DistrictName + place.TownName, Community: place.CommunityName,
			Zihao: zihao, Field: "舞蹈", Form: "队"},
		Fields: []string{"文体娱乐"}, Nature: "互助性", Beneficiaries: []string{"社区居民"}, FoundedOn: &founded,
		LeaderName: "王秀英", LeaderPhone: "13812345678", LeaderID: rules.MakeIDNumber("50011219650312002"),
		Venue: "社区活动室", Members: 20, Volunteers: 3, PartyStatus: "未覆盖"}
}

func recCount(t *testing.T, db *postgres.DB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateOrganizationSealsPersonalDataAndAudits(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	in := recGuided(t, db, "馨雅")
	id, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), in)
	if err != nil {
		t.Fatal(err)
	}
	var phoneEnc, idEnc []byte
	var phoneMask, idMask string
	if err := db.Pool.QueryRow(ctx, `SELECT leader_phone_enc, leader_phone_mask, leader_id_enc, leader_id_mask
		FROM organizations WHERE id = $1`, id).Scan(&phoneEnc, &phoneMask, &idEnc, &idMask); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(phoneEnc, []byte("12345678")) || bytes.Contains(idEnc, []byte(in.LeaderID[6:14])) {
		t.Error("personal data stored in the clear")
	}
	if phoneMask != "138****5678" || idMask != "500***********"+in.LeaderID[14:] {
		t.Errorf("masks %q %q", phoneMask, idMask)
	}
	o, err := db.Organization(ctx, recTown, id)
	if err != nil {
		t.Fatal(err)
	}
	if o.LeaderPhone != "138****5678" || o.TownName != "双龙湖街道" || o.CommunityName != in.NameParts.Community ||
		o.Name != rules.ComposeName(in.NameParts) || o.Version != 1 || o.Status != registry.StatusNormal {
		t.Errorf("read back %+v", o)
	}
	if n := recCount(t, db, `SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = 'created'`, id); n != 1 {
		t.Errorf("%d created events", n)
	}
	if n := recCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'org.create' AND object_id = $1`,
		strconv.FormatInt(id, 10)); n != 1 {
		t.Errorf("%d org.create audit rows", n)
	}

	// The same live name again is refused, and nothing of the second attempt is written.
	before := recCount(t, db, `SELECT count(*) FROM audit_log`)
	if _, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), in); !errors.Is(err, registry.ErrNameTaken) {
		t.Errorf("duplicate name: %v, want ErrNameTaken", err)
	}
	if after := recCount(t, db, `SELECT count(*) FROM audit_log`); after != before {
		t.Errorf("a refused create wrote %d audit rows", after-before)
	}
	// A town records no guided group here, and a community none in another community.
	if _, err := db.CreateOrganization(ctx, recTown, recActor(recTown), recGuided(t, db, "馨宁")); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("town creating a guided group: %v", err)
	}
	other := recGuided(t, db, "馨安")
	other.CommunityCode = seed.CommunityDemoRural
	if _, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), other); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("community creating in another community: %v", err)
	}
}

func TestOrganizationOutsideScopeIsNotFound(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	var id int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE community_code = $1 ORDER BY id LIMIT 1`,
		seed.CommunityDemo).Scan(&id); err != nil {
		t.Fatal(err)
	}
	for _, s := range []portal.Scope{recTown2, {Tier: portal.TierCommunity, Division: seed.CommunityDemoRural},
		{Tier: portal.TierCommunity, Division: "500112002002"}} {
		if _, err := db.Organization(ctx, s, id); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("Organization as %v: %v, want ErrNotFound", s, err)
		}
		if ev, err := db.OrgEvents(ctx, s, id); err != nil || len(ev) != 0 {
			t.Errorf("OrgEvents as %v: %d rows, %v", s, len(ev), err)
		}
		if _, _, err := db.RevealLeader(ctx, s, recActor(s), id, "核实"); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("RevealLeader as %v: %v", s, err)
		}
	}
	for _, s := range []portal.Scope{recDistrict, recTown, recCommunity} {
		o, err := db.Organization(ctx, s, id)
		if err != nil {
			t.Fatalf("Organization as %v: %v", s, err)
		}
		if !strings.Contains(o.LeaderPhone, "****") {
			t.Errorf("phone %q is not masked", o.LeaderPhone)
		}
		if ev, err := db.OrgEvents(ctx, s, id); err != nil || len(ev) == 0 || ev[0].Kind != "created" {
			t.Errorf("OrgEvents as %v: %v %v", s, ev, err)
		}
	}
	if n := recCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'org.reveal'`); n != 0 {
		t.Errorf("refused reveals wrote %d audit rows", n)
	}
}

func TestUpdateOrganization(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	in := recGuided(t, db, "馨雅")
	id, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), in)
	if err != nil {
		t.Fatal(err)
	}
	edit := in
	edit.LeaderPhone, edit.LeaderID = "", "" // left empty: kept
	edit.Venue = "社区文化广场"
	edit.CommunityCode = seed.CommunityDemoRural // ignored: editing never moves a group
	changed, err := db.UpdateOrganization(ctx, recCommunity, recActor(recCommunity), id, 1, edit)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(changed, ",") != "活动场所" {
		t.Errorf("changed %v, want 活动场所", changed)
	}
	o, err := db.Organization(ctx, recCommunity, id)
	if err != nil {
		t.Fatal(err)
	}
	if o.Version != 2 || o.Venue != "社区文化广场" || o.LeaderPhone != "138****5678" || o.CommunityCode != seed.CommunityDemo {
		t.Errorf("after edit %+v", o)
	}
	phone, idNo, err := db.RevealLeader(ctx, recTown, recActor(recTown), id, "核实")
	if err != nil || phone != in.LeaderPhone || idNo != in.LeaderID {
		t.Errorf("kept phone/ID: %q %q %v", phone, idNo, err)
	}
	var reason string
	if err := db.Pool.QueryRow(ctx, `SELECT reason FROM org_events WHERE org_id = $1 AND kind = 'updated'`, id).
		Scan(&reason); err != nil || reason != "活动场所" {
		t.Errorf("updated event reason %q, %v", reason, err)
	}

	// A stale version writes nothing.
	edit.Venue = "别处"
	if _, err := db.UpdateOrganization(ctx, recTown, recActor(recTown), id, 1, edit); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("stale edit: %v, want ErrConflict", err)
	}
	// A new phone replaces the old one; the district does not edit.
	edit.LeaderPhone = "13900001111"
	if changed, err := db.UpdateOrganization(ctx, recTown, recActor(recTown), id, 2, edit); err != nil ||
		!strings.Contains(strings.Join(changed, ","), "负责人电话") {
		t.Errorf("town edit: %v %v", changed, err)
	}
	if _, err := db.UpdateOrganization(ctx, recDistrict, recActor(recDistrict), id, 3, edit); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("district edit: %v, want ErrNotAllow", err)
	}
	if o, _ := db.Organization(ctx, recTown, id); o.LeaderPhone != "139****1111" || o.Version != 3 {
		t.Errorf("after town edit: %q v%d", o.LeaderPhone, o.Version)
	}
	// A community does not edit a filed group in its own community.
	var filed int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE community_code = $1 AND tier = 'filed' LIMIT 1`,
		seed.CommunityDemo).Scan(&filed); err != nil {
		t.Fatal(err)
	}
	fo, _ := db.Organization(ctx, recCommunity, filed)
	if _, err := db.UpdateOrganization(ctx, recCommunity, recActor(recCommunity), filed, fo.Version, edit); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("community editing a filed group: %v, want ErrNotAllow", err)
	}
}

func TestChangeOrgStatus(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	in := recGuided(t, db, "馨雅")
	id, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), in)
	if err != nil {
		t.Fatal(err)
	}
	on := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	if err := db.ChangeOrgStatus(ctx, recTown, recActor(recTown), id, 1, registry.StatusDissolved, on, ""); !errors.Is(err, registry.ErrReasonRequired) {
		t.Errorf("no reason: %v", err)
	}
	// A committee may only end (注销) its guided group; any other status is the town's.
	for _, to := range []registry.Status{registry.StatusAbnormal, registry.StatusRevoked} {
		if err := db.ChangeOrgStatus(ctx, recCommunity, recActor(recCommunity), id, 1, to, on, "解散"); !errors.Is(err, portal.ErrNotAllow) {
			t.Errorf("community changing status to %s: %v", to, err)
		}
	}
	if err := db.ChangeOrgStatus(ctx, recTown2, recActor(recTown2), id, 1, registry.StatusDissolved, on, "解散"); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("other town changing status: %v", err)
	}
	if err := db.ChangeOrgStatus(ctx, recTown, recActor(recTown), id, 1, registry.StatusDissolved, on, "成员协商解散"); err != nil {
		t.Fatal(err)
	}
	if err := db.ChangeOrgStatus(ctx, recDistrict, recActor(recDistrict), id, 1, registry.StatusRevoked, on, "撤销"); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("stale status change: %v, want ErrConflict", err)
	}
	o, _ := db.Organization(ctx, recDistrict, id)
	if o.Status != registry.StatusDissolved || o.StatusReason != "成员协商解散" || o.StatusOn == nil ||
		o.StatusOn.Format("2006-01-02") != "2025-03-01" {
		t.Errorf("after dissolving %v %q %v", o.Status, o.StatusReason, o.StatusOn)
	}
	var from, to, reason string
	if err := db.Pool.QueryRow(ctx, `SELECT from_value, to_value, reason FROM org_events
		WHERE org_id = $1 AND kind = 'status_changed'`, id).Scan(&from, &to, &reason); err != nil ||
		from != "normal" || to != "dissolved" || reason != "成员协商解散" {
		t.Errorf("status event %s→%s %q %v", from, to, reason, err)
	}
	// Its name is free again; bringing it back once another group has taken the name is refused.
	if _, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), in); err != nil {
		t.Fatalf("reusing a dissolved group's name: %v", err)
	}
	if err := db.ChangeOrgStatus(ctx, recDistrict, recActor(recDistrict), id, 2, registry.StatusNormal, on, ""); !errors.Is(err, registry.ErrNameTaken) {
		t.Errorf("reviving onto a taken name: %v, want ErrNameTaken", err)
	}
}

// The demo organizations were sealed with the demo key, so a town can reveal them; each reveal is audited.
func TestRevealLeaderOfDemoOrganization(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	var id int64
	var mask string
	if err := db.Pool.QueryRow(ctx, `SELECT id, leader_phone_mask FROM organizations WHERE town_code = $1
		AND leader_id_enc IS NOT NULL ORDER BY id LIMIT 1`, seed.TownShuanglonghu).Scan(&id, &mask); err != nil {
		t.Fatal(err)
	}
	phone, idNo, err := db.RevealLeader(ctx, recTown, recActor(recTown), id, "核实负责人身份")
	if err != nil {
		t.Fatal(err)
	}
	if rules.CheckPhone(phone) != nil || rules.MaskPhone(phone) != mask || rules.CheckIDNumber(idNo, time.Now()) != nil {
		t.Errorf("revealed %q (mask %q), ID valid: %v", phone, mask, rules.CheckIDNumber(idNo, time.Now()))
	}
	var detail string
	if err := db.Pool.QueryRow(ctx, `SELECT detail FROM audit_log WHERE action = 'org.reveal' AND object_id = $1`,
		strconv.FormatInt(id, 10)).Scan(&detail); err != nil || !strings.Contains(detail, "核实负责人身份") {
		t.Errorf("audit detail %q, %v", detail, err)
	}
	if _, _, err := db.RevealLeader(ctx, recCommunity, recActor(recCommunity), id, "看看"); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("community reveal: %v", err)
	}
	if _, _, err := db.RevealLeader(ctx, recTown, recActor(recTown), id, " "); !errors.Is(err, registry.ErrReasonRequired) {
		t.Errorf("reveal without reason: %v", err)
	}
	if n := recCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'org.reveal'`); n != 1 {
		t.Errorf("%d reveal audit rows, want 1", n)
	}
}
