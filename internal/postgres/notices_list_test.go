package postgres_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

const insertNoticeSQL = `
	INSERT INTO major_activities (district_code, town_code, community_code, kind, title, starts_at, ends_at, place,
		attendance, organizer, safety, contact_name, contact_phone_enc, contact_phone_mask)
	VALUES (left($1, 6), left($1, 9), $1, '体育竞赛', $2, now() + interval '9 days', now() + interval '9 days 2 hours',
		'球场', 80, '居委会', '设置疏散通道', '王芳', $3, '138****5678')
	RETURNING id`

func TestNoticesKeysetScopeAndExport(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	box := noticeBox(t)
	idsA := workRows(t, db, box, insertNoticeSQL, workCommunityA, "甲赛", "乙赛", "丙赛", "丁赛", "戊赛")
	workRows(t, db, box, insertNoticeSQL, workCommunityB, "某村甲赛", "某村乙赛")
	day := time.Now().Add(9 * 24 * time.Hour).Truncate(24 * time.Hour).Add(-24 * time.Hour)
	end := day.Add(72 * time.Hour)

	checkKeyset(t, idsA, func(after int64) []int64 {
		ns, err := db.Notices(ctx, noticeTown, registry.NoticeFilter{Community: workCommunityA, Kind: "体育竞赛",
			Status: registry.NoticeSubmitted, From: &day, To: &end, After: after, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, n := range ns {
			ids = append(ids, n.ID)
		}
		return ids
	})
	if ns, err := db.Notices(ctx, noticeTown2, registry.NoticeFilter{Town: seed.TownShuanglonghu}); err != nil || len(ns) != 0 {
		t.Fatalf("town B filtering by town A: %d rows, %v", len(ns), err)
	}
	if total, err := db.CountNotices(ctx, noticeDistrict, registry.NoticeFilter{Community: workCommunityA}); err != nil ||
		total.N != noticeCount(t, db, `SELECT count(*) FROM major_activities WHERE community_code = $1`, workCommunityA) {
		t.Fatalf("total %+v %v", total, err)
	}

	var titles []string
	n, err := db.ExportNotices(ctx, noticeTown2, workListActor, registry.NoticeFilter{Kind: "体育竞赛"}, "csv",
		func(m registry.Notice) error {
			titles = append(titles, m.Title)
			if m.TownCode != seed.TownTongjing || !strings.Contains(m.ContactPhone, "****") {
				t.Errorf("exported %+v", m)
			}
			return nil
		})
	want := noticeCount(t, db, `SELECT count(*) FROM major_activities WHERE town_code = $1 AND kind = '体育竞赛'`,
		seed.TownTongjing)
	if err != nil || n != want || !strings.HasPrefix(strings.Join(titles, ","), "某村乙赛,某村甲赛") {
		t.Fatalf("export = %d %v %q, want %d", n, err, titles, want)
	}
	checkExportAudited(t, db, "notice.export", func(ctx context.Context, fn func() error) (int, error) {
		return db.ExportNotices(ctx, noticeTown2, workListActor, registry.NoticeFilter{Community: workCommunityB},
			"xlsx", func(registry.Notice) error { return fn() })
	}, []string{"ok csv " + strconv.Itoa(want) + " 行; kind=体育竞赛", "ok xlsx " + strconv.Itoa(noticeCount(t, db,
		`SELECT count(*) FROM major_activities WHERE community_code = $1`, workCommunityB)) + " 行; community=" + workCommunityB,
		"failed xlsx 0 行; community=" + workCommunityB, "failed xlsx 0 行; community=" + workCommunityB})
}

// The history carries the display names of the committee and the town officer beside their usernames.
func TestNoticeEventsCarryDisplayName(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	reporter, officer := noticeReporter, noticeOfficer
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM accounts WHERE username = 'demo-community'`).Scan(&reporter.AccountID); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM accounts WHERE username = 'demo-town'`).Scan(&officer.AccountID); err != nil {
		t.Fatal(err)
	}
	id, err := db.CreateNotice(ctx, noticeCommunity, reporter, noticeInput(5*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AcknowledgeNotice(ctx, noticeTown, officer, id, 1); err != nil {
		t.Fatal(err)
	}
	evs, err := db.NoticeEvents(ctx, noticeDistrict, id)
	if err != nil || len(evs) != 2 || evs[0].ActorDisplayName != "社区演示账号" || evs[0].ActorName != "demo-community" ||
		evs[1].ActorDisplayName != "双龙湖街道演示账号" || evs[1].ActorName != "demo-town" {
		t.Fatalf("events %+v %v", evs, err)
	}
	n, err := db.Notice(ctx, noticeDistrict, id)
	if err != nil || n.SubmittedByUsername != "demo-community" || n.DecidedByUsername != "demo-town" {
		t.Fatalf("notice %+v %v", n, err)
	}
}
