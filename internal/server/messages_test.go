package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/postgres"
)

// The header counts unread messages on every page; marking one read needs its version (409 without, or when
// stale) and only its own account may (404 for another's).
func TestInboxCountsAndMarksRead(t *testing.T) {
	a := newApp(t, nil)
	ctx := context.Background()
	committee := a.accountID("demo-community")
	if _, err := a.db.Pool.Exec(ctx, `DELETE FROM messages`); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := a.db.Pool.QueryRow(ctx, `INSERT INTO messages (account_id, kind, subject, href)
		VALUES ($1, 'filing', '《测试》备案已通过审核', '/community/orgs') RETURNING id`, committee).Scan(&id); err != nil {
		t.Fatal(err)
	}
	c := a.signedIn("demo-community")
	d := c.get("/community/orgs").doc(t)
	if got := d.Find(`#unread-count`).Text(); got != "1" {
		t.Fatalf("header count %q", got)
	}
	// The count came with the session's row; a row that does not name its account is counted apart, the same.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE sessions SET account_id = NULL WHERE token = $1`, postgres.SessionKey(sessionCookie(c))); err != nil {
		t.Fatal(err)
	}
	if got := c.get("/community/orgs").doc(t).Find(`#unread-count`).Text(); got != "1" {
		t.Fatalf("header count read apart from the session %q", got)
	}
	inbox := c.get("/community/messages")
	if inbox.StatusCode != http.StatusOK || !strings.Contains(inbox.doc(t).Find(`#inbox`).Text(), "备案已通过审核") {
		t.Fatalf("inbox %d", inbox.StatusCode)
	}
	read := "/community/messages/" + strconv.FormatInt(id, 10) + "/read"
	if res := c.post(read, url.Values{}); res.StatusCode != http.StatusConflict {
		t.Fatalf("no version: %d", res.StatusCode)
	}
	if res := a.signedIn("demo-town").post("/town/messages/"+strconv.FormatInt(id, 10)+"/read", url.Values{"version": {"1"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another account: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM messages WHERE read_at IS NOT NULL`); n != 0 {
		t.Fatalf("refused posts marked %d read", n)
	}
	if res := c.post(read, url.Values{"version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark read: %d", res.StatusCode)
	}
	if res := c.post(read, url.Values{"version": {"1"}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("stale: %d", res.StatusCode)
	}
	if c.get("/community/").doc(t).Find(`#unread-count`).Length() != 0 {
		t.Fatal("the count stayed after reading")
	}
}

// A returned application produces a message for the committee, which it reads from the header's count; once
// read, the count goes down and then away.
func TestBrowserReturnedApplicationMessagesTheCommittee(t *testing.T) {
	a := flowApp(t)
	ctx := context.Background()
	committeeID := a.accountID("demo-community")
	if _, err := a.db.Pool.Exec(ctx, `UPDATE messages SET read_at = now(), version = version + 1 WHERE account_id = $1`, committeeID); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := a.db.Pool.QueryRow(ctx, `SELECT id FROM applications WHERE status = 'submitted' AND submitted_by = $1
		ORDER BY id LIMIT 1`, committeeID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	committee := flowSignIn(t, b, "demo-community", "community")
	if committee.count(`#unread-count`) != 0 {
		t.Fatalf("unread before: %q", committee.text(`#unread-count`))
	}
	district := flowSignIn(t, b, "demo-district", "district")
	path := "/district/applications/" + strconv.FormatInt(id, 10)
	district.open(path)
	if res := district.click(`#accept button[type=submit]`); res.Status != 200 {
		t.Fatalf("受理: %d", res.Status)
	}
	district.write("#return textarea#correction", "请补充会员名册")
	if res := district.click(`#return button[type=submit]`); res.Status != 200 {
		t.Fatalf("退回补正: %d", res.Status)
	}
	district.open("/district/")
	district.screenshot("17b-district-dashboard")
	if res := district.click(`#deadline-settings-link`); res.Status != 200 {
		t.Fatalf("期限设置: %d", res.Status)
	}
	district.screenshot("17b-deadline-settings")

	committee.open("/community/")
	if got := committee.text(`#unread-count`); got != "2" {
		t.Fatalf("unread after 受理 and 退回补正: %q", got)
	}
	committee.screenshot("17b-community-dashboard")
	if res := committee.click(`#inbox-link`); res.Status != 200 || committee.url().Path != "/community/messages" {
		t.Fatalf("inbox: %d at %s", res.Status, committee.url())
	}
	committee.screenshot("17b-inbox")
	row := `#inbox tbody tr:first-child`
	if txt := committee.text(row); !strings.Contains(txt, "退回补正") {
		t.Fatalf("newest message %q", txt)
	}
	if res := committee.click(row + ` button[type=submit]`); res.Status != 200 {
		t.Fatalf("标为已读: %d", res.Status)
	}
	if got := committee.text(`#unread-count`); got != "1" {
		t.Fatalf("unread after reading one: %q", got)
	}
	if res := committee.click(`#inbox tbody tr.unread button[type=submit]`); res.Status != 200 {
		t.Fatalf("标为已读: %d", res.Status)
	}
	if committee.count(`#unread-count`) != 0 {
		t.Fatalf("the count stayed: %q", committee.text(`#unread-count`))
	}
	// The message leads to the application, now 待补正.
	if res := committee.click(`#inbox tbody tr:first-child td a`); res.Status != 200 || committee.url().Path != "/community/applications/"+strconv.FormatInt(id, 10) {
		t.Fatalf("the message's link: %d at %s", res.Status, committee.url())
	}
	if st := committee.text("#application-status"); st != "待补正" {
		t.Fatalf("status %q", st)
	}
}
