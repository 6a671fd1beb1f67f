package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

var (
	cultTown      = portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	cultTown2     = portal.Scope{Tier: portal.TierTown, Division: seed.TownTongjing}
	cultCommunity = portal.Scope{Tier: portal.TierCommunity, Division: seed.CommunityDemo}
	cultDistrict  = portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	cultClerk     = portal.Actor{Username: "demo-town", Tier: portal.TierTown, Division: seed.TownShuanglonghu, IP: "127.0.0.1"}
	cultClerk2    = portal.Actor{Username: "demo-town2", Tier: portal.TierTown, Division: seed.TownTongjing, IP: "127.0.0.1"}
	cultCommittee = portal.Actor{Username: "demo-community", Tier: portal.TierCommunity, Division: seed.CommunityDemo, IP: "127.0.0.1"}
)

func incubatorInput(name string) registry.PlatformInput {
	from, to := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	return registry.PlatformInput{Kind: registry.PlatformIncubator, Name: name, Address: "双龙湖街道龙湖路 1 号",
		Hours: "周一至周五 9:00–17:00", Services: []string{"培育孵化", "场地支持"}, StaffCount: 3, ContactName: "李敏",
		RunBy: registry.RunByEntrusted, OperatorName: "渝北区社会组织联合会", OperatorKind: "枢纽型社会组织",
		ContractFrom: &from, ContractTo: &to, ContractNo: "WT-2022-01"}
}

// newPlatformWithRoom registers an incubator of the demo town with one room.
func newPlatformWithRoom(t *testing.T, db *postgres.DB, name string) (platformID, roomID int64) {
	t.Helper()
	ctx := context.Background()
	pid, err := db.CreatePlatform(ctx, cultTown, cultClerk, tok(t, db, registry.TokenPlatform, cultTown.Division), incubatorInput(name))
	if err != nil {
		t.Fatal(err)
	}
	rid, err := db.AddRoom(ctx, cultTown, cultClerk, pid, tok(t, db, registry.TokenRoom, pid), registry.RoomInput{Name: "多功能活动室", Capacity: 40, Equipment: "投影仪"})
	if err != nil {
		t.Fatal(err)
	}
	return pid, rid
}

// tok is the token a cultivation create form of kind under parent (a division code or a platform id) carries now.
func tok(t testing.TB, db *postgres.DB, kind string, parent any) int {
	t.Helper()
	n, err := db.CultivationTokens(context.Background(), fmt.Sprint(parent), kind)
	if err != nil {
		t.Fatal(err)
	}
	return n[0]
}

func firstOrg(t *testing.T, db *postgres.DB, scope portal.Scope) registry.OrgChoice {
	t.Helper()
	orgs, err := db.CultivationOrgs(context.Background(), scope)
	if err != nil || len(orgs) == 0 {
		t.Fatalf("no live group in %v: %v", scope, err)
	}
	return orgs[0]
}

func TestPlatformRegisterAndJurisdiction(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	pid, _ := newPlatformWithRoom(t, db, "双龙湖街道社区社会组织孵化基地（测试）")

	p, err := db.Platform(ctx, cultTown, pid)
	if err != nil {
		t.Fatal(err)
	}
	if p.Rooms != 1 || p.RunBy != registry.RunByEntrusted || p.ContractTo == nil || len(p.Services) != 2 {
		t.Fatalf("platform read back wrong: %+v", p)
	}
	// the district and the town's committees see it; another town does not
	if _, err := db.Platform(ctx, cultDistrict, pid); err != nil {
		t.Fatalf("district: %v", err)
	}
	if _, err := db.Platform(ctx, cultCommunity, pid); err != nil {
		t.Fatalf("committee of the town: %v", err)
	}
	if _, err := db.Platform(ctx, cultTown2, pid); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town: %v, want ErrNotFound", err)
	}
	list, err := db.Platforms(ctx, cultTown2, registry.PlatformFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range list {
		if q.ID == pid {
			t.Fatal("another town's register lists the platform")
		}
	}
	// only the keeper changes it or adds rooms; the district sees but does not keep
	if _, err := db.AddRoom(ctx, cultDistrict, cultClerk, pid, tok(t, db, registry.TokenRoom, pid), registry.RoomInput{Name: "会议室", Capacity: 10}); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("district adding a room: %v", err)
	}
	if err := db.UpdatePlatform(ctx, cultTown2, cultClerk2, pid, p.Version, incubatorInput("改名")); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town editing: %v", err)
	}
	in := incubatorInput("双龙湖街道社区社会组织孵化基地（测试）")
	in.RunBy = registry.RunByGovernment
	if err := db.UpdatePlatform(ctx, cultTown, cultClerk, pid, p.Version, in); err != nil {
		t.Fatal(err)
	}
	if err := db.UpdatePlatform(ctx, cultTown, cultClerk, pid, p.Version, in); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("stale version: %v", err)
	}
	if p, _ = db.Platform(ctx, cultTown, pid); p.RunBy != registry.RunByGovernment || p.ContractFrom != nil || p.OperatorName != "" {
		t.Fatalf("government-run platform keeps its operator: %+v", p)
	}
	if _, err := db.CreatePlatform(ctx, cultTown, cultClerk, tok(t, db, registry.TokenPlatform, cultTown.Division), incubatorInput("双龙湖街道社区社会组织孵化基地（测试）")); !errors.Is(err, registry.ErrPlatformNameTaken) {
		t.Fatalf("duplicate name: %v", err)
	}
	// a committee keeps only its 社会工作室
	if _, err := db.CreatePlatform(ctx, cultCommunity, cultCommittee, tok(t, db, registry.TokenPlatform, cultCommunity.Division), incubatorInput("社区孵化")); !errors.Is(err, portal.ErrNotAllow) {
		t.Fatalf("committee registering an incubator: %v", err)
	}
	studio := registry.PlatformInput{Kind: registry.PlatformStudio, Name: "锦华社区社会工作室", RunBy: registry.RunByGovernment}
	if _, err := db.CreatePlatform(ctx, cultCommunity, cultCommittee, tok(t, db, registry.TokenPlatform, cultCommunity.Division), studio); err != nil {
		t.Fatal(err)
	}
	evs, err := db.CultivationEvents(ctx, "platform", pid)
	if err != nil || len(evs) != 3 {
		t.Fatalf("timeline: %d rows, %v; want created, room, updated", len(evs), err)
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM audit_log WHERE object_type = 'platform' AND object_id = $1`, strconv.FormatInt(pid, 10)); n != 3 {
		t.Fatalf("%d audit rows, want 3", n)
	}
}

func TestBookingsNeverOverlap(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	pid, rid := newPlatformWithRoom(t, db, "双龙湖街道孵化基地（预约）")
	org := firstOrg(t, db, cultCommunity)
	start := registry.WeekStart(time.Now()).AddDate(0, 0, 8).Add(9 * time.Hour)
	in := registry.BookingInput{OrgID: org.ID, Title: "广场舞排练", Starts: start, Ends: start.Add(2 * time.Hour)}

	seen := tok(t, db, registry.TokenBooking, rid)
	id, err := db.BookRoom(ctx, cultCommunity, cultCommittee, pid, rid, seen, in)
	if err != nil {
		t.Fatal(err)
	}
	// the same form posted again, or a form from before the booking, books nothing: its token is stale
	later := in
	later.Starts, later.Ends = start.Add(5*time.Hour), start.Add(6*time.Hour)
	for _, again := range []registry.BookingInput{in, later} {
		if _, err := db.BookRoom(ctx, cultCommunity, cultCommittee, pid, rid, seen, again); !errors.Is(err, portal.ErrConflict) {
			t.Fatalf("a booking posted with a stale token: %v, want ErrConflict", err)
		}
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM bookings WHERE room_id = $1`, rid); n != 1 {
		t.Fatalf("%d bookings after a double post, want 1", n)
	}
	over := in
	over.Starts, over.Ends = start.Add(time.Hour), start.Add(3*time.Hour)
	if _, err := db.BookRoom(ctx, cultTown, cultClerk, pid, rid, tok(t, db, registry.TokenBooking, rid), over); !errors.Is(err, registry.ErrBookingOverlap) {
		t.Fatalf("overlapping booking: %v, want ErrBookingOverlap", err)
	}
	// back to back is not an overlap
	next := in
	next.Starts, next.Ends = in.Ends, in.Ends.Add(time.Hour)
	if _, err := db.BookRoom(ctx, cultTown, cultClerk, pid, rid, tok(t, db, registry.TokenBooking, rid), next); err != nil {
		t.Fatalf("adjacent booking: %v", err)
	}
	// another town cannot book it, nor for a group outside its scope
	if _, err := db.BookRoom(ctx, cultTown2, cultClerk2, pid, rid, tok(t, db, registry.TokenBooking, rid), over); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town booking: %v", err)
	}
	other := firstOrg(t, db, cultTown2)
	bad := over
	bad.OrgID = other.ID
	if _, err := db.BookRoom(ctx, cultTown, cultClerk, pid, rid, tok(t, db, registry.TokenBooking, rid), bad); !errors.Is(err, registry.ErrCultivationOrg) {
		t.Fatalf("booking for another town's group: %v", err)
	}
	// cancelling frees the slot; cancelling twice is refused
	if err := db.CancelBooking(ctx, cultTown2, cultClerk2, pid, id, "改期"); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town cancelling: %v", err)
	}
	if err := db.CancelBooking(ctx, cultCommunity, cultCommittee, pid, id, "天气原因改期"); err != nil {
		t.Fatal(err)
	}
	if err := db.CancelBooking(ctx, cultCommunity, cultCommittee, pid, id, "again"); !errors.Is(err, registry.ErrBookingCancelled) {
		t.Fatalf("second cancel: %v", err)
	}
	freed := in
	freed.Starts, freed.Ends = start.Add(30*time.Minute), start.Add(90*time.Minute)
	if _, err := db.BookRoom(ctx, cultTown, cultClerk, pid, rid, tok(t, db, registry.TokenBooking, rid), freed); err != nil {
		t.Fatalf("booking the freed slot: %v", err)
	}
	week, err := db.RoomBookings(ctx, cultCommunity, pid, rid, registry.WeekStart(start), registry.WeekStart(start).AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	if len(week) != 3 || week[0].Status != registry.BookingCancelled || week[0].CancelReason != "天气原因改期" {
		t.Fatalf("week: %+v", week)
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM org_events WHERE org_id = $1 AND kind IN ('预约活动室', '取消活动室预约')`, org.ID); n < 2 {
		t.Fatalf("the group's timeline has %d booking rows", n)
	}
}

// TestBookingRace: two clerks book the same room and slot at once, from the same week's page; exactly one booking
// is made (the other is refused by the form's token or, were it fresh, by the overlap).
func TestBookingRace(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	pid, rid := newPlatformWithRoom(t, db, "双龙湖街道孵化基地（并发）")
	org := firstOrg(t, db, cultCommunity)
	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	for round := 0; round < 5; round++ {
		s := start.Add(time.Duration(round) * 3 * time.Hour)
		in := registry.BookingInput{OrgID: org.ID, Title: "议事协商会", Starts: s, Ends: s.Add(2 * time.Hour)}
		seen := tok(t, db, registry.TokenBooking, rid)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		begin := make(chan struct{})
		for i, who := range []struct {
			scope portal.Scope
			actor portal.Actor
		}{{cultTown, cultClerk}, {cultCommunity, cultCommittee}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-begin
				_, errs[i] = db.BookRoom(ctx, who.scope, who.actor, pid, rid, seen, in)
			}()
		}
		close(begin)
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, registry.ErrBookingOverlap) && !errors.Is(err, portal.ErrConflict):
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d bookings won, want exactly 1", round, won)
		}
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM bookings WHERE room_id = $1`, rid); n != 5 {
		t.Fatalf("%d bookings, want 5", n)
	}
}
