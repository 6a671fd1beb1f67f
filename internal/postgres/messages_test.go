package postgres_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

func accountOf(t *testing.T, db *postgres.DB, username string) portal.Actor {
	t.Helper()
	var a portal.Actor
	var tier string
	if err := db.Pool.QueryRow(context.Background(), `SELECT id, username, tier, division_code FROM accounts WHERE username = $1`,
		username).Scan(&a.AccountID, &a.Username, &tier, &a.Division); err != nil {
		t.Fatal(err)
	}
	a.Tier, a.IP = portal.Tier(tier), "local"
	return a
}

// A returned application writes a message to its submitting office in the same transaction; a failed step
// writes none; the message is marked read once, against its version, and only by its own account.
func TestApplicationReturnMessagesTheOffice(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	district := accountOf(t, db, "demo-district")
	committee := accountOf(t, db, "demo-community")
	scope := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	var id int64
	var version int
	if err := db.Pool.QueryRow(ctx, `SELECT id, version FROM applications WHERE status = 'submitted' AND submitted_by = $1
		ORDER BY id LIMIT 1`, committee.AccountID).Scan(&id, &version); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `DELETE FROM messages`); err != nil {
		t.Fatal(err)
	}
	if err := db.AcceptApplication(ctx, scope, district, id, version); err != nil {
		t.Fatal(err)
	}
	// A stale return writes nothing, the message included.
	if err := db.ReturnApplication(ctx, scope, district, id, version, "请补充章程"); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("stale return: %v", err)
	}
	if err := db.ReturnApplication(ctx, scope, district, id, version+1, "请补充章程"); err != nil {
		t.Fatal(err)
	}
	n, err := db.UnreadMessages(ctx, committee.AccountID)
	if err != nil || n != 2 {
		t.Fatalf("committee unread %d %v, want 2 (受理, 退回补正)", n, err)
	}
	if n, _ := db.UnreadMessages(ctx, district.AccountID); n != 0 {
		t.Fatalf("the acting district account got %d messages", n)
	}
	ms, err := db.Messages(ctx, committee.AccountID, 0)
	if err != nil || len(ms) != 2 {
		t.Fatalf("inbox %v %v", ms, err)
	}
	m := ms[0]
	if m.Kind != "application" || m.Href != "/community/applications/"+strconv.FormatInt(id, 10) || m.ReadAt != nil {
		t.Fatalf("newest message %+v", m)
	}
	if err := db.MarkMessageRead(ctx, district, m.ID, m.Version); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another account marked it: %v", err)
	}
	if err := db.MarkMessageRead(ctx, committee, m.ID, m.Version); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkMessageRead(ctx, committee, m.ID, m.Version); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("marked twice: %v", err)
	}
	if n, _ := db.UnreadMessages(ctx, committee.AccountID); n != 1 {
		t.Fatalf("unread after reading one: %d", n)
	}
}

// The sweep tells each committee with groups missing the last due period's reports, once.
func TestSweepOverdueReportsOnce(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	now := registry.DefaultDeadlines().ReportDue(registry.PeriodOf(time.Now()).Prev()).Add(time.Hour)
	if registry.PeriodOf(now) != registry.PeriodOf(time.Now()) {
		now = time.Now()
	}
	// The demo loader swept once already: start from no reminders.
	if _, err := db.Pool.Exec(ctx, `DELETE FROM messages WHERE kind = 'work_report'`); err != nil {
		t.Fatal(err)
	}
	n, err := db.SweepOverdueReports(ctx, now)
	if err != nil || n == 0 {
		t.Fatalf("first sweep wrote %d %v", n, err)
	}
	committee := accountOf(t, db, "demo-community")
	var mine int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE account_id = $1 AND kind = 'work_report'`,
		committee.AccountID).Scan(&mine); err != nil || mine != 1 {
		t.Fatalf("demo-community has %d overdue messages %v", mine, err)
	}
	if n, err := db.SweepOverdueReports(ctx, now); err != nil || n != 0 {
		t.Fatalf("second sweep wrote %d %v", n, err)
	}
	// Before the due day nothing is written.
	early := registry.PeriodOf(time.Now()).Start().Add(time.Hour)
	if _, err := db.Pool.Exec(ctx, `DELETE FROM messages`); err != nil {
		t.Fatal(err)
	}
	if n, err := db.SweepOverdueReports(ctx, early); err != nil || n != 0 {
		t.Fatalf("a sweep inside the grace wrote %d %v", n, err)
	}
}

// A notice the town sends back reaches the committee that reported it, with a link under the committee's tier.
func TestNoticeSentBackMessagesTheCommittee(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	var id int64
	var version int
	var town, submitter string
	// The reporting committee: its submitting account's office, or (for rows a seed loaded) its community's.
	if err := db.Pool.QueryRow(ctx, `SELECT m.id, m.version, m.town_code, a.username FROM major_activities m
		JOIN accounts a ON a.division_code = m.community_code WHERE m.status = 'submitted' ORDER BY m.id LIMIT 1`).
		Scan(&id, &version, &town, &submitter); err != nil {
		t.Fatal(err)
	}
	var officer string
	if err := db.Pool.QueryRow(ctx, `SELECT username FROM accounts WHERE division_code = $1 ORDER BY id LIMIT 1`, town).
		Scan(&officer); err != nil {
		t.Fatal(err)
	}
	committee := accountOf(t, db, submitter)
	before, _ := db.UnreadMessages(ctx, committee.AccountID)
	if err := db.RequestNoticeChanges(ctx, portal.Scope{Tier: portal.TierTown, Division: town}, accountOf(t, db, officer),
		id, version, "请补充安全保卫人员名单"); err != nil {
		t.Fatal(err)
	}
	ms, err := db.Messages(ctx, committee.AccountID, 0)
	if err != nil || len(ms) == 0 || ms[0].Kind != "notice" || ms[0].Href != "/community/notices/"+strconv.FormatInt(id, 10) {
		t.Fatalf("messages %+v %v", ms, err)
	}
	if after, _ := db.UnreadMessages(ctx, committee.AccountID); after != before+1 {
		t.Fatalf("unread %d → %d", before, after)
	}
}
