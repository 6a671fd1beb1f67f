package postgres_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/testdb"
)

// The district publishes for everyone and a town for its own town: the other town neither reads nor withdraws
// the town's; a withdrawal needs a reason and the version seen, and takes it off the public side.
func TestAnnouncementScopes(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	in := registry.AnnouncementInput{Kind: registry.KindNotice, Title: "关于开展社区社会组织培训的通知", Body: "各社区：请组织报名。"}
	file := registry.AnnouncementFileInput{Filename: "报名表.pdf", ContentType: "application/pdf", Size: 10,
		StorageKey: "0123456789abcdef0123456789abcdef", SHA256: "x"}
	townID, err := db.PublishAnnouncement(ctx, noticeTown, caseTownWriter, in, []registry.AnnouncementFileInput{file})
	if err != nil {
		t.Fatal(err)
	}
	distID, err := db.PublishAnnouncement(ctx, noticeDistrict, caseDistrict, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishAnnouncement(ctx, noticeCommunity, noticeReporter, in, nil); !errors.Is(err, portal.ErrNotAllow) {
		t.Fatalf("a committee publishes: %v", err)
	}
	if _, err := db.Announcement(ctx, noticeTown2, townID); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town reads a town's notice: %v", err)
	}
	if _, err := db.Announcement(ctx, noticeTown2, distID); err != nil {
		t.Fatalf("a town reads the district's notice: %v", err)
	}
	if err := db.WithdrawAnnouncement(ctx, noticeTown, caseTownWriter, distID, 1, "错发"); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a town withdraws the district's: %v", err)
	}
	public, err := db.PublicScope(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.PublishedAnnouncements(ctx, public, registry.KindNotice, nil, 10)
	if err != nil || len(list) < 2 {
		t.Fatalf("public list: %d %v", len(list), err)
	}
	if fs, err := db.AnnouncementFiles(ctx, public, townID, true); err != nil || len(fs) != 1 {
		t.Fatalf("public files: %v %v", fs, err)
	}
	if err := db.WithdrawAnnouncement(ctx, noticeTown, caseTownWriter, townID, 1, ""); !errors.Is(err, registry.ErrReasonRequired) {
		t.Fatalf("no reason: %v", err)
	}
	if err := db.WithdrawAnnouncement(ctx, noticeTown, caseTownWriter, townID, 2, "错发"); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("stale version: %v", err)
	}
	if err := db.WithdrawAnnouncement(ctx, noticeTown, caseTownWriter, townID, 1, "错发"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishedAnnouncement(ctx, public, registry.KindNotice, townID); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a withdrawn notice is public: %v", err)
	}
	if _, err := db.AnnouncementFile(ctx, public, townID, 1, true); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a withdrawn notice's file is public: %v", err)
	}
	if n := noticeCount(t, db, `SELECT count(*) FROM audit_log WHERE object_type = 'announcement' AND object_id IN ($1, $2)`,
		strconv.FormatInt(townID, 10), strconv.FormatInt(distID, 10)); n != 3 {
		t.Errorf("%d audit rows", n)
	}
}

// The public list pages by its cursor: two at a time, it gives every published notice once, the latest first,
// as one long page does, and leaves out the policies and the withdrawn.
func TestPublishedAnnouncementsPageByCursor(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	public, err := db.PublicScope(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		in := registry.AnnouncementInput{Kind: registry.KindNotice, Title: "通知第" + strconv.Itoa(i) + "号", Body: "各社区：请组织报名。"}
		if i == 2 {
			in.Kind = registry.KindPolicy
		}
		id, err := db.PublishAnnouncement(ctx, noticeDistrict, caseDistrict, in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			if err := db.WithdrawAnnouncement(ctx, noticeDistrict, caseDistrict, id, 1, "错发"); err != nil {
				t.Fatal(err)
			}
		}
	}
	all, err := db.PublishedAnnouncements(ctx, public, registry.KindNotice, nil, 100)
	if err != nil || len(all) < 3 {
		t.Fatalf("one long page: %d %v", len(all), err)
	}
	var paged []registry.Announcement
	var after *registry.AnnouncementCursor
	for range 100 {
		page, err := db.PublishedAnnouncements(ctx, public, registry.KindNotice, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, page...)
		if len(page) < 2 {
			break
		}
		last := page[len(page)-1]
		after = &registry.AnnouncementCursor{PublishedAt: last.PublishedAt, ID: last.ID}
	}
	if len(paged) != len(all) {
		t.Fatalf("paged %d notices, one page holds %d", len(paged), len(all))
	}
	for i := range all {
		if paged[i].ID != all[i].ID || all[i].Kind != registry.KindNotice || all[i].Title == "通知第3号" {
			t.Fatalf("notice %d: paged %d, one page %d (%s %q)", i, paged[i].ID, all[i].ID, all[i].Kind, all[i].Title)
		}
	}
}
