package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// A group with a 党组织 records its meetings inside the committee's scope, against the record's version; a group
// without one, another community's group or a stale version writes nothing.
func TestRecordPartyMeetingRules(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	scope := portal.Scope{Tier: portal.TierCommunity, Division: seed.CommunityDemo}
	actor := accountOf(t, db, "demo-community")
	pick := func(where string) (int64, int) {
		var id int64
		var v int
		if err := db.Pool.QueryRow(ctx, `SELECT id, version FROM organizations WHERE status = 'normal' AND `+where+
			` ORDER BY id LIMIT 1`).Scan(&id, &v); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		return id, v
	}
	party, pv := pick(`community_code = '` + seed.CommunityDemo + `' AND party_status IN ('单独建立', '联合建立')`)
	none, nv := pick(`community_code = '` + seed.CommunityDemo + `' AND party_status IN ('党建指导员', '未覆盖')`)
	other, ov := pick(`community_code <> '` + seed.CommunityDemo + `' AND party_status = '单独建立'`)
	m := registry.PartyMeeting{Kind: registry.MeetingLecture, HeldOn: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		Topic: "学习党章", Attendance: 9}
	var before int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM party_meetings`).Scan(&before)
	if _, err := db.RecordPartyMeeting(ctx, scope, actor, none, nv, m); !errors.Is(err, registry.ErrNoPartyOrg) {
		t.Fatalf("no 党组织: %v", err)
	}
	if _, err := db.RecordPartyMeeting(ctx, scope, actor, other, ov, m); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another community's group: %v", err)
	}
	if _, err := db.RecordPartyMeeting(ctx, scope, actor, party, pv+1, m); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("stale version: %v", err)
	}
	var after int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM party_meetings`).Scan(&after)
	if after != before {
		t.Fatalf("refused records wrote %d rows", after-before)
	}
	if _, err := db.RecordPartyMeeting(ctx, scope, actor, party, pv, m); err != nil {
		t.Fatal(err)
	}
	ms, err := db.PartyMeetings(ctx, scope, party)
	if err != nil || len(ms) == 0 {
		t.Fatalf("meetings %v %v", ms, err)
	}
	found := false
	for _, x := range ms {
		found = found || x.Topic == "学习党章" && x.Kind == registry.MeetingLecture && x.RecordedAs == "demo-community"
	}
	if !found {
		t.Fatalf("the meeting is not listed: %+v", ms)
	}
	// The town reads them; another town does not.
	if ms, _ := db.PartyMeetings(ctx, portal.Scope{Tier: portal.TierTown, Division: seed.TownTongjing}, party); len(ms) != 0 {
		t.Fatalf("another town read %d meetings", len(ms))
	}
}
