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
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

var (
	noticeCommunity  = portal.Scope{Tier: portal.TierCommunity, Division: seed.CommunityDemo}
	noticeCommunity2 = portal.Scope{Tier: portal.TierCommunity, Division: seed.CommunityDemoRural}
	noticeTown       = portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	noticeTown2      = portal.Scope{Tier: portal.TierTown, Division: seed.TownTongjing}
	noticeDistrict   = portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	noticeReporter   = portal.Actor{Username: "demo-community", Tier: portal.TierCommunity, Division: seed.CommunityDemo, IP: "127.0.0.1"}
	noticeOfficer    = portal.Actor{Username: "demo-town", Tier: portal.TierTown, Division: seed.TownShuanglonghu, IP: "127.0.0.1"}
)

func noticeBox(t *testing.T) *sealbox.Box {
	t.Helper()
	b, err := sealbox.New(config.DemoDataKey)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// noticeInput is a valid notice for an activity starting in, lasting three hours.
func noticeInput(in time.Duration) registry.NoticeInput {
	start := time.Now().Add(in).Truncate(time.Minute)
	return registry.NoticeInput{Kind: "文化演出", Title: "社区文艺汇演", StartsAt: start, EndsAt: start.Add(3 * time.Hour),
		Place: "社区文化广场", Attendance: 300, Organizer: "锦华社区居民委员会", Safety: "志愿者维持秩序，设置疏散通道。",
		ContactName: "王芳", ContactPhone: "13812345678"}
}

func noticeCount(t *testing.T, db *postgres.DB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNoticeWorkflow(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	id, err := db.CreateNotice(ctx, noticeCommunity, noticeReporter, noticeInput(5*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.Notice(ctx, noticeTown, id)
	if err != nil {
		t.Fatal(err)
	}
	if n.Status != registry.NoticeSubmitted || n.CommunityCode != seed.CommunityDemo || n.TownCode != seed.TownShuanglonghu ||
		n.DistrictCode != seed.DistrictCode || n.ContactPhone != "138****5678" || n.Version != 1 {
		t.Fatalf("stored %+v", n)
	}
	var enc []byte
	if err := db.Pool.QueryRow(ctx, `SELECT contact_phone_enc FROM major_activities WHERE id = $1`, id).Scan(&enc); err != nil {
		t.Fatal(err)
	}
	if len(enc) == 0 || bytes.Contains(enc, []byte("13812345678")) {
		t.Error("contact phone stored in the clear")
	}

	// Other jurisdictions do not see it.
	for _, s := range []portal.Scope{noticeTown2, noticeCommunity2} {
		if _, err := db.Notice(ctx, s, id); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("%v reads the notice: %v", s, err)
		}
		if err := db.AcknowledgeNotice(ctx, s, noticeOfficer, id, 1); err == nil {
			t.Errorf("%v acknowledges the notice", s)
		}
	}
	if err := db.AcknowledgeNotice(ctx, noticeTown2, noticeOfficer, id, 1); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("another town acknowledging: %v, want ErrNotFound", err)
	}
	// Only a town decides; a committee cannot acknowledge its own notice.
	if err := db.AcknowledgeNotice(ctx, noticeCommunity, noticeReporter, id, 1); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("community acknowledging: %v", err)
	}

	if err := db.RequestNoticeChanges(ctx, noticeTown, noticeOfficer, id, 1, " "); !errors.Is(err, registry.ErrReasonRequired) {
		t.Errorf("empty reason: %v", err)
	}
	if err := db.RequestNoticeChanges(ctx, noticeTown, noticeOfficer, id, 1, "请补充疏散通道"); err != nil {
		t.Fatal(err)
	}
	// A stale version is a conflict.
	if err := db.AcknowledgeNotice(ctx, noticeTown, noticeOfficer, id, 1); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("stale acknowledge: %v", err)
	}
	in := noticeInput(6 * 24 * time.Hour)
	in.ContactPhone = "" // keeps the stored phone
	in.Safety = "志愿者维持秩序，设置疏散通道，配备灭火器。"
	if err := db.ResubmitNotice(ctx, noticeCommunity, noticeReporter, id, 2, in); err != nil {
		t.Fatal(err)
	}
	n, _ = db.Notice(ctx, noticeCommunity, id)
	if n.Status != registry.NoticeSubmitted || n.Reason != "" || n.DecidedAt != nil || n.ContactPhone != "138****5678" {
		t.Errorf("after resubmit %+v", n)
	}
	if err := db.AcknowledgeNotice(ctx, noticeTown, noticeOfficer, id, 3); err != nil {
		t.Fatal(err)
	}
	events, err := db.NoticeEvents(ctx, noticeDistrict, id)
	if err != nil {
		t.Fatal(err)
	}
	var path []registry.NoticeStatus
	for _, e := range events {
		path = append(path, e.To)
	}
	want := []registry.NoticeStatus{registry.NoticeSubmitted, registry.NoticeChangesRequested, registry.NoticeSubmitted,
		registry.NoticeAcknowledged}
	if len(path) != len(want) {
		t.Fatalf("history %v", path)
	}
	for i := range want {
		if path[i] != want[i] {
			t.Fatalf("history %v, want %v", path, want)
		}
	}
	if events[2].Reason == "" || events[1].Reason != "请补充疏散通道" {
		t.Errorf("history reasons %q %q", events[1].Reason, events[2].Reason)
	}
	if got := noticeCount(t, db, `SELECT count(*) FROM audit_log WHERE object_type = 'major_activity' AND object_id = $1`,
		strconv.FormatInt(id, 10)); got != 4 {
		t.Errorf("%d audit rows, want 4", got)
	}

	// Withdrawn before it starts; then nothing more.
	if err := db.WithdrawNotice(ctx, noticeCommunity, noticeReporter, id, 4, "因天气原因取消"); err != nil {
		t.Fatal(err)
	}
	if err := db.WithdrawNotice(ctx, noticeCommunity, noticeReporter, id, 5, ""); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("withdrawing twice: %v", err)
	}
}

func TestNoticeMustPrecedeActivity(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	before := noticeCount(t, db, `SELECT count(*) FROM major_activities`)
	if _, err := db.CreateNotice(ctx, noticeCommunity, noticeReporter, noticeInput(-time.Hour)); !errors.Is(err, registry.ErrNoticeStarted) {
		t.Errorf("past start: %v", err)
	}
	// A group of another community cannot be named as organizer.
	var otherOrg int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE community_code = $1 LIMIT 1`,
		seed.CommunityDemoRural).Scan(&otherOrg); err != nil {
		t.Fatal(err)
	}
	in := noticeInput(48 * time.Hour)
	in.OrgID = otherOrg
	if _, err := db.CreateNotice(ctx, noticeCommunity, noticeReporter, in); !errors.Is(err, registry.ErrNoticeOrg) {
		t.Errorf("another community's group: %v", err)
	}
	if _, err := db.CreateNotice(ctx, noticeTown, noticeOfficer, noticeInput(48*time.Hour)); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("a town reporting: %v", err)
	}
	if after := noticeCount(t, db, `SELECT count(*) FROM major_activities`); after != before {
		t.Errorf("%d notices written", after-before)
	}
}

func TestNoticeConcurrentAcknowledgement(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	id, err := db.CreateNotice(ctx, noticeCommunity, noticeReporter, noticeInput(4*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = db.AcknowledgeNotice(ctx, noticeTown, noticeOfficer, id, 1) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, portal.ErrConflict):
			t.Errorf("unexpected %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d acknowledgements succeeded", ok)
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM major_activity_events WHERE activity_id = $1 AND to_status = 'acknowledged'`, id); n != 1 {
		t.Errorf("%d acknowledgement history rows", n)
	}
}

func TestUrgentNotices(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	now := time.Now()
	base, err := db.UrgentNotices(ctx, noticeTown, now)
	if err != nil {
		t.Fatal(err)
	}
	base2, _ := db.UrgentNotices(ctx, noticeTown2, now)
	urgent, err := db.CreateNotice(ctx, noticeCommunity, noticeReporter, noticeInput(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateNotice(ctx, noticeCommunity, noticeReporter, noticeInput(5*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ := db.UrgentNotices(ctx, noticeTown, now)
	if got != base+1 {
		t.Errorf("urgent %d, want %d", got, base+1)
	}
	if got2, _ := db.UrgentNotices(ctx, noticeTown2, now); got2 != base2 {
		t.Errorf("another town's count moved: %d → %d", base2, got2)
	}
	// Four days on, the second is urgent too; acknowledged ones never are.
	if got, _ := db.UrgentNotices(ctx, noticeTown, now.Add(4*24*time.Hour)); got < base+2 {
		t.Errorf("four days on: %d", got)
	}
	if err := db.AcknowledgeNotice(ctx, noticeTown, noticeOfficer, urgent, 1); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.UrgentNotices(ctx, noticeTown, now); got != base {
		t.Errorf("after acknowledgement %d, want %d", got, base)
	}
}

func TestDemoNotices(t *testing.T) {
	db := testdb.New(t)
	for _, s := range registry.NoticeStatuses {
		if n := noticeCount(t, db, `SELECT count(*) FROM major_activities WHERE community_code = $1 AND status = $2`,
			seed.CommunityDemo, string(s)); n == 0 {
			t.Errorf("no demo notice of demo-community in state %s", s)
		}
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM major_activities WHERE town_code = $1`, seed.TownTongjing); n == 0 {
		t.Error("no demo notices in 统景镇")
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM major_activities m WHERE NOT EXISTS
		(SELECT 1 FROM major_activity_events e WHERE e.activity_id = m.id AND e.to_status = m.status)`); n != 0 {
		t.Errorf("%d demo notices without a history row for their state", n)
	}
}
