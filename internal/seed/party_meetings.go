package seed

import (
	"context"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// demoMeetings are the 三会一课 of a year, as a group with a 党组织 holds them: weeks before now, kind, topic.
var demoMeetings = []struct {
	weeksAgo int
	kind     registry.MeetingKind
	topic    string
}{
	{2, registry.MeetingCommittee, "研究本季度志愿服务活动安排"},
	{6, registry.MeetingLecture, "学习党的二十大精神"},
	{9, registry.MeetingGroup, "交流入户走访中收集的居民意见"},
	{14, registry.MeetingAssembly, "讨论发展入党积极分子"},
	{20, registry.MeetingCommittee, "总结上半年工作"},
}

// LoadDemoIssue17 records 三会一课 for the groups with a 党组织 in the demo communities of the two demo towns
// (as their committees), and sends the overdue-report messages of the last period, so that a record's 三会一课
// and a committee's 站内消息 show something under make run.
func LoadDemoIssue17(ctx context.Context, db *postgres.DB, now time.Time) error {
	rows, err := db.Pool.Query(ctx, `
		SELECT o.id, o.version, o.community_code, o.party_members FROM organizations o
		JOIN divisions d ON d.code = o.community_code AND d.demo
		WHERE o.town_code IN ($1, $2) AND o.party_status IN ('单独建立', '联合建立')
			AND o.status IN ('normal', 'abnormal')
		ORDER BY o.id`, TownShuanglonghu, TownTongjing)
	if err != nil {
		return err
	}
	type group struct {
		id          int64
		version     int
		community   string
		partyMember int
	}
	var groups []group
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.id, &g.version, &g.community, &g.partyMember); err != nil {
			return err
		}
		groups = append(groups, g)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i, g := range groups {
		scope := portal.Scope{Tier: portal.TierCommunity, Division: g.community}
		actor := portal.Actor{Username: "demo-seed", Tier: portal.TierCommunity, Division: g.community, IP: "local"}
		for j, m := range demoMeetings[:2+i%4] {
			held := now.In(portal.Beijing).AddDate(0, 0, -7*m.weeksAgo-(i+j)%5)
			attendance := max(1, g.partyMember-(i+j)%3)
			if m.kind == registry.MeetingCommittee {
				attendance = min(attendance, 5)
			}
			if _, err := db.RecordPartyMeeting(ctx, scope, actor, g.id, g.version, registry.PartyMeeting{Kind: m.kind,
				HeldOn: time.Date(held.Year(), held.Month(), held.Day(), 0, 0, 0, 0, time.UTC), Topic: m.topic,
				Attendance: attendance}); err != nil {
				return err
			}
		}
	}
	_, err = db.SweepOverdueReports(ctx, now)
	return err
}
