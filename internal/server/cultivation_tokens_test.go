package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/registry"
)

// seen is the token the form with id form on the page at page carries now.
func (c *client) seen(page, form string) string {
	c.t.Helper()
	v, ok := c.get(page).doc(c.t).Find("#" + form + ` input[name="seen"]`).Attr("value")
	if !ok {
		c.t.Fatalf("no token in #%s on %s", form, page)
	}
	return v
}

// firstOption is the value of the first non-empty option of select name on the page at page.
func (c *client) firstOption(page, name string) string {
	c.t.Helper()
	v, ok := c.get(page).doc(c.t).Find(`select[name="` + name + `"] option[value!='']`).First().Attr("value")
	if !ok {
		c.t.Fatalf("no option in %s on %s", name, page)
	}
	return v
}

// TestEveryCultivationCreateIsWrittenOnce posts each create form of the cultivation module without its token,
// with a stale one, with its token, and with the same token again: only the third writes, and one row.
func TestEveryCultivationCreateIsWrittenOnce(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	var platform string // the incubator registered by the first case, whose page carries the other forms
	var room string     // the week of the room registered there, which carries the booking form
	cases := []struct {
		name, page, form, action, table string
		values                          func() url.Values
	}{
		{"platform", "/town/platforms/new", "platform-form", "/town/platforms", "platforms", func() url.Values {
			return url.Values{"kind": {registry.PlatformIncubator}, "name": {"令牌测试孵化基地"}, "services": {"培育孵化"},
				"staff_count": {"2"}, "run_by": {registry.RunByGovernment}}
		}},
		{"contract", "/town/funding/contracts/new", "contract-form", "/town/funding/contracts", "contracts", func() url.Values {
			return url.Values{"org_id": {town.firstOption("/town/funding/contracts/new", "org_id")}, "project": {"令牌测试项目"},
				"amount": {"1000"}, "starts_on": {"2026-01-01"}, "ends_on": {"2026-12-31"}, "signed_on": {"2025-12-20"},
				"deliverables": {"每月探访"}}
		}},
		{"round", "/town/funding/rounds/new", "round-form", "/town/funding/rounds", "venture_rounds", func() url.Values {
			return url.Values{"title": {"令牌测试公益创投"}, "themes": {"邻里守望"}, "budget": {"50000"},
				"opens_on": {"2026-01-01"}, "closes_on": {"2026-03-31"}, "criteria": {"项目设计 100"}}
		}},
		{"room", "", "room-form", "/rooms", "rooms", func() url.Values {
			return url.Values{"room_name": {"令牌测试活动室"}, "capacity": {"20"}}
		}},
		{"housing", "", "home-form", "/housings", "housings", func() url.Values {
			return url.Values{"home_org": {town.firstOption(platform, "home_org")}, "from_on": {"2031-01-01"},
				"to_on": {"2031-12-31"}, "agreement": {"令牌测试安家协议"}}
		}},
		{"incubation", "", "incubate-form", "/incubations", "incubations", func() url.Values {
			return url.Values{"incubate_org": {town.firstOption(platform, "incubate_org")}, "entered_on": {"2025-01-01"},
				"mentor": {"张老师"}, "goals": {"一年内达到备案条件"}}
		}},
		{"milestone", "", "milestone-form", "/incubations/milestones", "incubation_milestones", func() url.Values {
			return url.Values{"milestone_inc": {town.firstOption(platform, "milestone_inc")}, "milestone_on": {"2025-03-01"},
				"milestone_note": {"制定简易章程"}}
		}},
		{"leave", "", "leave-form", "/incubations/leave", "incubations WHERE status <> 'incubating'", func() url.Values {
			return url.Values{"leave_inc": {town.firstOption(platform, "leave_inc")}, "leave_status": {registry.IncubationWithdrawn},
				"left_on": {"2025-06-01"}, "leave_reason": {"骨干外出"}}
		}},
		// on the week of the room the "room" case added
		{"booking", "", "booking-form", "/bookings", "bookings", func() url.Values {
			start := registry.WeekStart(time.Now()).AddDate(0, 0, 9).Add(10 * time.Hour)
			return url.Values{"org_id": {town.firstOption(room, "org_id")}, "title": {"令牌测试排练"},
				"starts_at": {start.Format("2006-01-02T15:04")}, "ends_at": {start.Add(time.Hour).Format("2006-01-02T15:04")}}
		}},
	}
	for _, c := range cases {
		page, action := c.page, c.action
		if page == "" {
			page, action = platform, platform+c.action
		}
		if c.name == "booking" {
			room = platform + "/rooms/" + strconv.Itoa(a.count(`SELECT max(id) FROM rooms`))
			page, action = room, room+c.action
		}
		rows := func() int { return a.count(`SELECT count(*) FROM ` + c.table) }
		before, writes := rows(), a.cultivationWrites()
		token := town.seen(page, c.form)
		v := c.values()
		for _, bad := range []string{"", "-1", token + "9"} { // missing, unreadable, stale
			v.Set("seen", bad)
			if bad == "" {
				v.Del("seen")
			}
			if res := town.post(action, v); res.StatusCode != http.StatusConflict {
				t.Errorf("%s with token %q: %d, want 409", c.name, bad, res.StatusCode)
			}
		}
		if rows() != before || a.cultivationWrites() != writes {
			t.Errorf("%s: a refused token wrote something", c.name)
		}
		v.Set("seen", token)
		res := town.post(action, v)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s with its token: %d %s", c.name, res.StatusCode, res.Body)
		}
		if c.name == "platform" {
			platform = res.Header.Get("Location")
			if !strings.HasPrefix(platform, "/town/platforms/") {
				t.Fatalf("platform created at %q", platform)
			}
		}
		if rows() != before+1 {
			t.Errorf("%s with its token wrote %d rows, want 1", c.name, rows()-before)
		}
		if res := town.post(action, v); res.StatusCode != http.StatusConflict {
			t.Errorf("%s posted again: %d, want 409", c.name, res.StatusCode)
		}
		if rows() != before+1 {
			t.Errorf("%s posted twice wrote %d rows, want 1", c.name, rows()-before)
		}
	}
}
