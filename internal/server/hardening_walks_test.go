package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/testdb"
)

// walkEnv is a portal on a fresh demo database with a signed-in client for each demo account. The database is a
// copy of one template, so the ids a crawl of one walkEnv found are the same records in the next.
type walkEnv struct {
	a       *app
	clients map[string]*client
	dirty   bool // a request changed something since the database was made
}

var walkAccounts = []string{"demo-district", "demo-town", "demo-town2", "demo-community", "demo-community2"}

func newWalkEnv(t *testing.T) *walkEnv {
	t.Helper()
	dir := t.TempDir()
	a := newApp(t, func(c *config.Config) { c.UploadDir = dir })
	e := &walkEnv{a: a, clients: map[string]*client{"": a.client()}}
	for _, u := range walkAccounts {
		e.clients[u] = a.signedIn(u)
	}
	return e
}

// newAuditWalkEnv is a walkEnv whose database also holds records in the states that show the forms the demo
// data's records do not (prepareWalkStates), with the pages that show them as seeds for the crawl. Every
// walkEnv of it puts the same records in the same order, so their ids are the same in each.
func newAuditWalkEnv(t *testing.T) (*walkEnv, []walkForm) {
	t.Helper()
	e := newWalkEnv(t)
	return e, prepareWalkStates(t, e.a)
}

// prepareWalkStates puts records into the states whose pages show the forms the demo data does not reach, and
// returns those pages: a locked and a disabled account of the district and of a committee (unlock, enable), the
// town's filings awaiting decision (approve, return), an unread message of
// the district (read), a 试点 community (clear), the district's own training session (its materials and sign-in
// sheet).
func prepareWalkStates(t *testing.T, a *app) []walkForm {
	t.Helper()
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := a.db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	ids := func(sql string) []int64 {
		t.Helper()
		rows, err := a.db.Pool.Query(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	var seeds []walkForm
	for _, acct := range []struct {
		like  string
		role  portal.Role
		state string
	}{
		{"demo-district", portal.RoleRead, "locked"},
		{"demo-district", portal.RoleAdmin, "disabled"},
		// a town keeps the accounts of its committees
		{"demo-community", portal.RoleAll, "locked disabled"},
	} {
		username := roleAccount(t, a, acct.like, acct.role)
		if strings.Contains(acct.state, "locked") {
			exec(`UPDATE accounts SET failed_logins = 5, locked_until = now() + interval '1 hour' WHERE username = $1`, username)
		}
		if strings.Contains(acct.state, "disabled") {
			exec(`UPDATE accounts SET disabled = true WHERE username = $1`, username)
		}
		keeper := map[string]string{"demo-district": "demo-district", "demo-community": "demo-town"}[acct.like]
		seeds = append(seeds, walkForm{page: "/" + strings.TrimPrefix(keeper, "demo-") + "/accounts/" +
			strconv.FormatInt(a.accountID(username), 10), who: keeper})
	}
	// filings awaiting the town's decision (approve, return)
	for i, id := range a.insertFilings(listCommunityA, "锦华社区走查甲宣讲团", "锦华社区走查乙宣讲团") {
		// the name as the form composes it, which approval gives the new group
		exec(`UPDATE filings SET name_prefix = '渝北区双龙湖街道', name_community = '锦华社区', name_zihao = $2,
			name_field = '宣讲', name_form = '团', name = '渝北区双龙湖街道锦华社区' || $2 || '宣讲团' WHERE id = $1`,
			id, []string{"走查甲", "走查乙"}[i])
		seeds = append(seeds, walkForm{page: "/town/filings/" + strconv.FormatInt(id, 10), who: "demo-town"})
	}
	// the district's own training sessions, whose forms (materials, sign-in sheet) only their pages show
	for _, id := range ids(`SELECT id FROM training_sessions WHERE town_code IS NULL ORDER BY id LIMIT 1`) {
		seeds = append(seeds, walkForm{page: "/district/training/sessions/" + strconv.FormatInt(id, 10), who: "demo-district"})
	}
	// a group with a current 联系人, whose record offers the district the reveal of the 联系人's phone
	for _, id := range ids(`SELECT org_id FROM org_contacts WHERE until_on IS NULL ORDER BY org_id LIMIT 1`) {
		seeds = append(seeds, walkForm{page: "/district/orgs/" + strconv.FormatInt(id, 10), who: "demo-district"})
	}
	exec(`INSERT INTO messages (account_id, kind, subject) SELECT id, 'application', '走查：一条未读的消息' FROM accounts
		WHERE username = 'demo-district'`)
	exec(`INSERT INTO stat_pilots (community_code) SELECT min(code) FROM divisions WHERE length(code) = 12
		ON CONFLICT DO NOTHING`)
	return seeds
}

// auditCount is the number of audit rows.
func (e *walkEnv) auditCount() int {
	return e.a.count(`SELECT count(*) FROM audit_log`)
}

// walkOverrides are the values a walk must know that no page gives: the demo password where a form asks for
// the current one, and an existing account on the sign-in form.
var walkOverrides = map[string]url.Values{
	"POST /login":            {"username": {"demo-community"}, "password": {testdb.DemoPassword}},
	"POST /account/password": {"current": {testdb.DemoPassword}},
}

// foundForm is a form of a page leading to a route, as the page rendered it a moment ago.
type foundForm struct {
	sel       *goquery.Selection
	doc       *goquery.Document
	target    string // where it posts, with the query its action (or, without one, its page) carries
	multipart bool
}

// to is where f posts: path, with the query f's action carries (a form for one record: new-change?org=…).
func (f foundForm) to(path string) string {
	if u, err := url.Parse(f.target); err == nil && u.Path == path && u.RawQuery != "" {
		return f.target
	}
	return path
}

// findForm opens wf's page afresh as its account and returns the POST form whose action is path.
func (e *walkEnv) findForm(t *testing.T, wf walkForm) (foundForm, bool) {
	t.Helper()
	path := wf.action
	res := e.clients[wf.who].get(wf.page)
	if res.StatusCode != http.StatusOK {
		return foundForm{}, false
	}
	var out foundForm
	found := false
	doc := res.doc(t)
	doc.Find("form").EachWithBreak(func(_ int, f *goquery.Selection) bool {
		target := f.AttrOr("action", wf.page)
		action := target
		if u, err := url.Parse(action); err == nil {
			action = u.Path
		}
		if action != path || !strings.EqualFold(f.AttrOr("method", "get"), http.MethodPost) {
			return true
		}
		out, found = foundForm{sel: f, doc: doc, target: target, multipart: strings.Contains(f.AttrOr("enctype", ""), "multipart")}, true
		return false
	})
	return out, found
}

// current is the form as its page shows it now (else as it was): an ignored pick sent before may have written,
// and a form's token (how many rows its page listed) has then moved on.
func (e *walkEnv) current(t *testing.T, wf walkForm, was foundForm) foundForm {
	t.Helper()
	if now, ok := e.findForm(t, wf); ok {
		return now
	}
	return was
}

// fill is what a clerk sends with the form: every value the page gave as it gave it (hidden fields, versions and
// tokens, selected options, checked boxes), the first choice where the page selected none, and a plausible value
// of the field's type where the page left a box empty. n makes names unique across the walk.
func (f foundForm) fill(t *testing.T, n int, variant map[string]int) (url.Values, []upload) {
	t.Helper()
	v := url.Values{}
	var files []upload
	checkboxes := map[string]string{} // name → first value, for a group the page left all unchecked
	secondaryButton := map[string]bool{}
	f.sel.Find("input[name], select[name], textarea[name], button[name]").Each(func(_ int, in *goquery.Selection) {
		name := in.AttrOr("name", "")
		if _, off := in.Attr("disabled"); off {
			return
		}
		switch goquery.NodeName(in) {
		case "select":
			opts := in.Find("option")
			chosen := opts.Filter("[selected]")
			if k := variant[name]; chosen.Length() == 0 || k > 0 {
				var vals []string
				opts.Each(func(_ int, o *goquery.Selection) {
					if val := o.AttrOr("value", o.Text()); val != "" {
						vals = append(vals, val)
					}
				})
				if len(vals) > 0 {
					v.Add(name, vals[k%len(vals)])
				}
				return
			}
			chosen.Each(func(_ int, o *goquery.Selection) { v.Add(name, o.AttrOr("value", o.Text())) })
		case "textarea":
			if text := in.Text(); strings.TrimSpace(text) != "" {
				v.Add(name, text)
			} else {
				v.Add(name, fitLength(in, "走查填写的说明第"+hanNumber(n)+"条，用于检验每项修改都留下审计记录。"))
			}
		case "button":
			// The button a clerk presses to go on: the first primary one (not "secondary") of its name.
			secondary := strings.Contains(in.AttrOr("class", ""), "secondary")
			if in.AttrOr("type", "submit") == "submit" && (!v.Has(name) || (secondaryButton[name] && !secondary)) {
				v.Set(name, in.AttrOr("value", ""))
				secondaryButton[name] = secondary
			}
		default:
			kind := strings.ToLower(in.AttrOr("type", "text"))
			val := in.AttrOr("value", "")
			_, checked := in.Attr("checked")
			switch kind {
			case "submit", "image":
				if val != "" && v.Get(name) == "" {
					v.Set(name, val)
				}
			case "button", "reset":
			case "checkbox":
				if val == "" {
					val = "on"
				}
				if checked {
					v.Add(name, val)
				} else if _, ok := checkboxes[name]; !ok {
					checkboxes[name] = val
				}
			case "radio":
				if k := variant[name]; k > 0 {
					if _, ok := checkboxes[name]; !ok {
						checkboxes[name] = ""
					}
					if radios := f.sel.Find(`input[type=radio][name="` + name + `"]`); radios.Length() > 0 {
						v.Set(name, radios.Eq(k%radios.Length()).AttrOr("value", ""))
					}
				} else if checked {
					v.Set(name, val)
				} else if _, ok := checkboxes[name]; !ok {
					checkboxes[name] = val
				}
			case "file":
				accept := in.AttrOr("accept", "")
				switch {
				case strings.Contains(accept, "image") || strings.Contains(name, "photo"):
					files = append(files, upload{name, "走查.png", testPNG(t)})
				case name == "sheet":
					files = append(files, upload{name, "签到表.xlsx", walkSignInSheet(t, n)})
				case strings.Contains(accept, "sheet") || strings.Contains(accept, "xlsx"):
					// A 台账 of the route's own layout is more than a form's values give.
				default:
					files = append(files, upload{name, "走查.pdf", testPDF()})
				}
			case "hidden":
				if name == "confirm_step" { // issue 17 (web.ConfirmStepName): the clerk answers the step's dialog with 确定
					val = "1"
				}
				v.Add(name, val)
			default:
				if list := in.AttrOr("list", ""); val == "" && list != "" {
					val = f.doc.Find("datalist#"+list+" option").Eq(variant[name]).AttrOr("value", "")
				}
				if val == "" || variant[name] > 0 {
					val = fitLength(in, walkValue(kind, name, in, n+variant[name]*1000, variant[name]))
				}
				v.Add(name, val)
			}
		}
	})
	for name, first := range checkboxes {
		if !v.Has(name) {
			v.Set(name, first)
		}
	}
	return v, files
}

// walkSignInSheet is a training session's sign-in sheet (签到表) of one person, unique to n.
func walkSignInSheet(t *testing.T, n int) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer func() { _ = x.Close() }()
	sheet := x.GetSheetName(0)
	id := rules.MakeIDNumber(fmt.Sprintf("50011219800101%03d", n%1000))
	for i, v := range append(slices.Clone(sheetColumns), "走查学员"+hanNumber(n), id, "13987654321", registry.TraineeRoles[0]) {
		cell, _ := excelize.CoordinatesToCellName(i%len(sheetColumns)+1, 1+i/len(sheetColumns))
		if err := x.SetCellStr(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// walkValue is a plausible value for an empty field of a kind (its type attribute) and name; k > 0 asks for
// another plausible value after the page refused the first.
func walkValue(kind, name string, in *goquery.Selection, n, k int) string {
	lower := strings.ToLower(name)
	ending := strings.Contains(lower, "end") || strings.HasPrefix(lower, "to") || strings.Contains(lower, "until")
	// Dates: the page's earliest allowed one or today; an end a week after; another try a week later or earlier.
	day := time.Now()
	if m, err := time.Parse("2006-01-02", in.AttrOr("min", "")); err == nil {
		day = m
	} else if m, err := time.Parse("2006-01-02T15:04", in.AttrOr("min", "")); err == nil {
		day = m.Truncate(24 * time.Hour).Add(24 * time.Hour)
	}
	day = day.AddDate(0, 0, []int{0, 7, -7, 30}[k%4])
	if ending {
		day = day.AddDate(0, 0, 7)
	}
	switch kind {
	case "date":
		return day.Format("2006-01-02")
	case "datetime-local":
		if ending {
			return day.AddDate(0, 0, -7).Format("2006-01-02") + "T11:00"
		}
		return day.Format("2006-01-02") + "T09:00"
	case "time":
		if ending {
			return "11:00"
		}
		return "09:00"
	case "month":
		return day.Format("2006-01")
	case "number":
		if m, err := strconv.Atoi(in.AttrOr("min", "")); err == nil && m > 1 {
			return strconv.Itoa(m)
		}
		if strings.Contains(lower, "year") {
			return strconv.Itoa(time.Now().Year())
		}
		return strconv.Itoa(1 + k)
	case "password":
		return "Walk@Pass2021x"
	case "email":
		return fmt.Sprintf("walk%d@example.gov.cn", n)
	case "tel":
		return []string{"13987654321", "023-67821234"}[k%2]
	}
	switch {
	case strings.Contains(lower, "phone") || strings.Contains(lower, "mobile") || strings.Contains(lower, "tel"):
		return []string{"13987654321", "023-67821234"}[k%2]
	case lower == "id_number" || strings.HasSuffix(lower, "_id_number") || lower == "leader_id" || strings.Contains(lower, "idcard"):
		return rules.MakeIDNumber("50011219850615432")
	case strings.Contains(lower, "year"):
		return strconv.Itoa(time.Now().Year())
	case strings.Contains(lower, "amount") || strings.Contains(lower, "budget") || strings.Contains(lower, "yuan") ||
		strings.Contains(lower, "cost") || strings.Contains(lower, "requested") || strings.Contains(lower, "count") || strings.Contains(lower, "members") ||
		strings.Contains(lower, "hours") || strings.Contains(lower, "score"):
		return strconv.Itoa(1 + k)
	case strings.Contains(lower, "username"):
		return fmt.Sprintf("walk-%d", n)
	}
	return "走查" + hanNumber(n)
}

// hanNumber writes n in Chinese digits, so that a walk's names are unique and still only 汉字.
func hanNumber(n int) string {
	digits := []rune("零一二三四五六七八九")
	var out []rune
	for _, d := range strconv.Itoa(n) {
		out = append(out, digits[d-'0'])
	}
	return string(out)
}

// fitLength cuts a value to the field's maxlength.
func fitLength(in *goquery.Selection, s string) string {
	if m, err := strconv.Atoi(in.AttrOr("maxlength", "")); err == nil && m > 0 && len([]rune(s)) > m {
		return string([]rune(s)[:m])
	}
	return s
}

// send posts values (and files) to path as c, the way the page's form would.
func (c *client) send(path string, f foundForm, v url.Values, files []upload) response {
	c.t.Helper()
	if f.multipart || len(files) > 0 {
		return c.postMultipart(path, v, files)
	}
	return c.post(path, v)
}

// problemsOf names what a refused page says, for a walk's failure message.
func problemsOf(t *testing.T, res response) string {
	t.Helper()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		return strings.TrimSpace(res.Body)
	}
	doc := res.doc(t)
	var out []string
	doc.Find(".field.bad").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("data-field", "")
		out = append(out, name+": "+strings.Join(strings.Fields(s.Find(".msg").Text()), " "))
	})
	if len(out) == 0 {
		out = append(out, strings.Join(strings.Fields(doc.Find("main").Text()), " "))
	}
	s := strings.Join(out, "; ")
	if len([]rune(s)) > 300 {
		s = string([]rune(s)[:300])
	}
	return s
}

// digestChanged names the tables whose digest differs.
func digestChanged(before, after map[string]string) []string {
	var out []string
	for tbl, d := range before {
		if after[tbl] != d {
			out = append(out, tbl)
		}
	}
	return out
}

// postRoutes are the POST routes of a walk that a test sends a form to.
func postRoutes(routes []walkedRoute) []walkedRoute {
	var out []walkedRoute
	for _, rt := range routes {
		if rt.method == http.MethodPost {
			out = append(out, rt)
		}
	}
	return out
}

// auditWalkCannotFill lists the mutating routes the audit walk cannot fill from the pages' forms, each with why.
// Each is audited by its module's own tests. A name here that is no route fails the walk, so the list stays true.
// Before the crawl, prepareWalkStates puts records into the states some forms need (locked and disabled accounts,
// filings awaiting decision, an unread message, a 试点, the district's own session, a group with a 联系人) and the crawl opens their
// pages and the links with a query (new-change?org=…). The longest group left (unreached) is routes whose form
// a page shows only for records in a state neither the demo data nor prepareWalkStates gives.
var auditWalkCannotFill = map[string]string{
	"POST /logout":                                                              "ends the sessions the walk signs in with; TestLogoutEndsEverySession checks its audit row",
	"POST /town/accounts/{id}/role":                                             "a town keeps only its committees' accounts, whose tier has one role: no page of a town shows this form (the district's route is walked)",
	"POST /community/orgs/import":                                               spreadsheetUpload,
	"POST /town/orgs/import":                                                    spreadsheetUpload,
	"POST /community/orgs/import/jobs/{id}/confirm":                             "follows an upload of a spreadsheet (above); its rows are written by a background job",
	"POST /town/orgs/import/jobs/{id}/confirm":                                  "follows an upload of a spreadsheet (above); its rows are written by a background job",
	"POST /district/applications/{id}/approve/check":                            "a check before approval that writes nothing; it needs a 统一社会信用代码 of the application's legal form and division",
	"POST /district/applications/{id}/approve":                                  "shown only by the check above",
	"POST /district/matching/fairs/{id}/matches":                                "the contract must be one the chosen project's group signed: two picks that depend on each other",
	"POST /town/matching/fairs/{id}/matches":                                    "the contract must be one the chosen project's group signed: two picks that depend on each other",
	"POST /town/platforms/{id}/housings":                                        "the demo group the form offers first is already housed for any span the walk tries",
	"POST /town/training/sessions/{id}/attendees":                               "the group is typed as its full registered name, which no page gives the form",
	"POST /district/training/sessions/{id}/attendees":                           "the group is typed as its full registered name, which no page gives the form",
	"POST /district/divisions":                                                  "needs a new 12-digit 区划代码 under the town and a name ending in 社区 or 村; divisions_test.go checks its audit row",
	"POST /district/orgs/move-community":                                        "opened from a transfer page by a link with ?from=, which the crawl does not follow; org_transfer_test.go checks the audit row of each moved group",
	"POST /town/orgs/move-community":                                            "opened from a transfer page by a link with ?from=, which the crawl does not follow; org_transfer_test.go checks the audit row of each moved group",
	"POST /district/orgs/{id}/charity":                                          "shown only on a live registered group's record with a document to attach; charity_test.go checks its audit rows",
	"POST /community/notices/{id}/edit":                                         unreached,
	"POST /community/orgs/{id}/disclosures":                                     unreached,
	"POST /community/platforms/{id}/documents":                                  unreached,
	"POST /community/platforms/{id}/homes/documents":                            unreached,
	"POST /community/platforms/{id}/rooms/{roomID}/bookings/{bookingID}/cancel": unreached,
	"POST /town/platforms/{id}/rooms/{roomID}/bookings/{bookingID}/cancel":      "walked before the rebase on 986aa1e; since, the room weeks the crawl opens show the town no booking it may cancel (not yet looked into)",
	"POST /community/reports/{id}/photos/public":                                unreached,
	"POST /district/funding/contracts/{id}/acceptance":                          unreached,
	"POST /district/funding/contracts/{id}/documents":                           unreached,
	"POST /district/funding/contracts/{id}/payments":                            unreached,
	"POST /district/funding/funds/{id}/movements":                               unreached,
	"POST /district/platforms/{id}/incubations/leave":                           unreached,
	"POST /district/platforms/{id}/incubations/milestones":                      unreached,
	"POST /town/funding/rounds/{id}/applications/{appID}/award":                 unreached,
	"POST /town/funding/rounds/{id}/applications/{appID}/close":                 unreached,
	"POST /town/funding/rounds/{id}/status":                                     unreached,
	"POST /town/orgs/{id}/disclosures":                                          unreached,
	"POST /town/work-reports/mark-abnormal":                                     unreached,
}

const (
	spreadsheetUpload = "needs a spreadsheet of the route's own layout, which a form's values do not give"
	unreached         = "the demo data has no record in the state whose page shows this form among the records the crawl opens"
)

// SECURITY.md 19 over every route: each mutating route (from the route table), sent the form its page renders
// with the demo data's values, makes its change and writes exactly one audit row in doing so. A route that
// cannot be sent a good form from the pages fails unless auditWalkCannotFill names it with a reason. Each
// route gets a fresh database when the change an earlier route made took away the state it needs.
func TestEveryWriteLeavesExactlyOneAuditRow(t *testing.T) {
	env, seeds := newAuditWalkEnv(t)
	routes := postRoutes(routeWalkSeeded(t, env.a, env.clients, tierUsers, seeds))
	if len(routes) < 40 {
		t.Fatalf("the walk found only %d POST routes", len(routes))
	}
	known := map[string]bool{}
	for _, rt := range routes {
		known[rt.method+" "+rt.pattern] = true
	}
	for key := range auditWalkCannotFill {
		if !known[key] && key != "POST /logout" {
			// /logout is left out of routeWalk itself
			t.Errorf("auditWalkCannotFill names %s, which is no route", key)
		}
	}
	n, wrote := 0, 0
	for _, rt := range routes {
		key := rt.method + " " + rt.pattern
		if _, listed := auditWalkCannotFill[key]; listed {
			continue
		}
		var why []string
		done := false
		for attempt := 0; attempt < 2 && !done; attempt++ {
			if attempt == 1 {
				if !env.dirty {
					break
				}
				env, _ = newAuditWalkEnv(t)
			}
			for i, wf := range rt.forms {
				if done || i == 4 {
					break
				}
				variant := map[string]int{}
				for try := 0; try < 3 && !done; try++ {
					f, ok := env.findForm(t, wf)
					if !ok {
						why = append(why, fmt.Sprintf("no form on %s", wf.page))
						break
					}
					n++
					v, files := f.fill(t, n, variant)
					for k, vs := range walkOverrides[key] {
						v[k] = vs
					}
					before, audits := registryDigest(t, env.a), env.auditCount()
					res := env.clients[wf.who].send(f.to(wf.action), f, v, files)
					changed := digestChanged(before, registryDigest(t, env.a))
					rows := env.auditCount() - audits
					if len(changed) > 0 || rows > 0 {
						env.dirty = true
					}
					if res.StatusCode == http.StatusOK && len(changed) == 0 && rows == 0 {
						// A page that shows what will be saved and asks to confirm (a group's name): confirm it.
						confirm := foundForm{doc: res.doc(t)}
						confirm.doc.Find("form").EachWithBreak(func(_ int, f *goquery.Selection) bool {
							if a, err := url.Parse(f.AttrOr("action", "")); err == nil && a.Path == wf.action {
								confirm.sel, confirm.multipart = f, strings.Contains(f.AttrOr("enctype", ""), "multipart")
								return false
							}
							return true
						})
						if confirm.sel != nil {
							cv, cfiles := confirm.fill(t, n, variant)
							res = env.clients[wf.who].send(wf.action, confirm, cv, cfiles)
							changed = digestChanged(before, registryDigest(t, env.a))
							rows = env.auditCount() - audits
							if len(changed) > 0 || rows > 0 {
								env.dirty = true
							}
						}
					}
					if res.StatusCode >= 400 || (len(changed) == 0 && rows == 0) {
						why = append(why, fmt.Sprintf("%s from %s: %d %s", wf.action, wf.page, res.StatusCode, problemsOf(t, res)))
						// Another value for each field the page refused, then once more.
						bad := 0
						if res.StatusCode == http.StatusUnprocessableEntity {
							res.doc(t).Find(".field.bad[data-field]").Each(func(_ int, s *goquery.Selection) {
								variant[s.AttrOr("data-field", "")]++
								bad++
								// A refused date is often refused for its span: move the form's other dates too.
								if s.Find("input[type=date], input[type=datetime-local]").Length() > 0 {
									f.sel.Find("input[type=date][name], input[type=datetime-local][name]").Each(func(_ int, d *goquery.Selection) {
										if d.AttrOr("name", "") != s.AttrOr("data-field", "") {
											variant[d.AttrOr("name", "")]++
										}
									})
								}
							})
						}
						if bad == 0 {
							break
						}
						continue
					}
					done = true
					wrote++
					if rows != 1 {
						t.Errorf("%s (%s) changed %v and wrote %d audit rows, want 1", key, wf.action, changed, rows)
					}
				}
			}
		}
		if !done {
			if len(rt.forms) == 0 {
				why = append(why, "no page shows a form leading to "+rt.path)
			}
			msg := strings.Join(why, " | ")
			if r := []rune(msg); len(r) > 600 {
				msg = string(r[:600]) + "…"
			}
			t.Errorf("%s: the walk could not make its change: %s", key, msg)
		}
	}
	t.Logf("%d mutating routes, %d changed what they change with one audit row, %d forms sent", len(routes), wrote, n)
}

// divisionCode is what a division code looks like (the district's 6 digits, a town's 9, a community's 12).
var divisionCode = regexp.MustCompile(`^500112(\d{3}|\d{6})$`)

// rowsHolding counts, per table, the rows whose text holds value as a whole token.
func rowsHolding(t *testing.T, a *app, value string) map[string]int {
	t.Helper()
	out := map[string]int{}
	rows, err := a.db.Pool.Query(context.Background(), `SELECT tablename FROM pg_tables WHERE schemaname = 'public'
		AND tablename NOT IN ('audit_log', 'sessions', 'schema_migrations')`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, tbl := range tables {
		out[tbl] = a.count(`SELECT count(*) FROM `+tbl+` t WHERE t::text ~ ('(^|[^0-9A-Za-z])' || $1 || '($|[^0-9A-Za-z])')`,
			regexp.QuoteMeta(value))
	}
	return out
}

// choices are the values a form offers for each field a clerk picks from: options of a select, values of radio
// buttons and checkboxes, and hidden fields that hold a division code.
func (f foundForm) choices() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	add := func(name, val string) {
		if out[name] == nil {
			out[name] = map[string]bool{}
		}
		out[name][val] = true
	}
	f.sel.Find("select[name] option").Each(func(_ int, o *goquery.Selection) {
		if val := o.AttrOr("value", o.Text()); val != "" {
			add(o.ParentsFiltered("select").AttrOr("name", ""), val)
		}
	})
	f.sel.Find("input[name]").Each(func(_ int, in *goquery.Selection) {
		kind, val := strings.ToLower(in.AttrOr("type", "text")), in.AttrOr("value", "")
		if kind == "radio" || kind == "checkbox" || (kind == "hidden" && divisionCode.MatchString(val)) {
			add(in.AttrOr("name", ""), val)
		}
	})
	return out
}

// SECURITY.md 8 over every record form: every POST route of a town or a committee (from the route table), sent
// the form its own page renders with one pick replaced by what the same form offers another jurisdiction
// (demo-town2, demo-community2: their divisions, their groups, rooms, sessions, contracts …), is refused with
// 403, 404 or 422 and changes no table; and the form sent to the other jurisdiction's record path is refused the
// same way. A new route or a new pick is covered by itself.
func TestForeignPicksInEveryRecordFormAreRefused(t *testing.T) {
	env := newWalkEnv(t)
	own := postRoutes(routeWalk(t, env.a, env.clients))
	peers := map[string]walkedRoute{}
	for _, rt := range postRoutes(routeWalkAs(t, env.a, env.clients, map[string]string{"district": "demo-district",
		"town": "demo-town2", "community": "demo-community2", "account": "demo-town"})) {
		peers[rt.pattern] = rt
	}
	refused := func(code int) bool {
		return code == http.StatusForbidden || code == http.StatusNotFound || code == http.StatusUnprocessableEntity
	}
	n, picks, paths := 0, 0, 0
	for _, rt := range own {
		if !strings.HasPrefix(rt.pattern, "/town/") && !strings.HasPrefix(rt.pattern, "/community/") {
			continue
		}
		peer := peers[rt.pattern]
		var mine foundForm
		var mineFrom walkForm
		ok := false
		for _, wf := range rt.forms {
			if mine, ok = env.findForm(t, wf); ok {
				mineFrom = wf
				break
			}
		}
		if !ok {
			continue // no page of the demo data shows this form (the audit walk names such routes)
		}
		// What the other jurisdiction's page offers in the same form that this one does not.
		foreign := map[string][]string{}
		for _, wf := range peer.forms {
			theirs, ok := env.findForm(t, wf)
			if !ok {
				continue
			}
			offered := mine.choices()
			for name, vals := range theirs.choices() {
				for val := range vals {
					if offered[name] != nil && !offered[name][val] {
						foreign[name] = append(foreign[name], val)
					}
				}
			}
			break
		}
		c := env.clients[mineFrom.who]
		// A foreign pick is refused and writes nothing, or (where the form's other choices make the field
		// irrelevant, as a group on a donation) is ignored: no row gains the foreign value.
		try := func(path string, what, foreignValue string, v url.Values, files []upload) {
			before, holding := registryDigest(t, env.a), rowsHolding(t, env.a, foreignValue)
			res := c.send(path, mine, v, files)
			changed := digestChanged(before, registryDigest(t, env.a))
			if len(changed) > 0 {
				env.dirty = true
			}
			switch {
			case refused(res.StatusCode) && len(changed) == 0:
			case res.StatusCode == http.StatusSeeOther && foreignValue != "":
				after := rowsHolding(t, env.a, foreignValue)
				for _, tbl := range changed {
					if after[tbl] > holding[tbl] {
						t.Errorf("%s %s as %s with %s: %d, and %s now holds the foreign value", rt.method, path,
							mineFrom.who, what, res.StatusCode, tbl)
					}
				}
			default:
				t.Errorf("%s %s as %s with %s: %d, changed %v; want 403, 404 or 422 and nothing written",
					rt.method, path, mineFrom.who, what, res.StatusCode, changed)
			}
		}
		for name, vals := range foreign {
			for i, val := range vals {
				if i == 2 {
					break // two foreign values of one pick are enough
				}
				n++
				mine = env.current(t, mineFrom, mine)
				v, files := mine.fill(t, n, nil)
				v.Set(name, val)
				try(mineFrom.action, fmt.Sprintf("%s=%s (another jurisdiction's)", name, val), val, v, files)
				picks++
			}
		}
		if len(peer.forms) > 0 && peer.forms[0].action != mineFrom.action && strings.Contains(rt.pattern, "{") {
			n++
			mine = env.current(t, mineFrom, mine)
			v, files := mine.fill(t, n, nil)
			try(peer.forms[0].action, "another jurisdiction's record in the path", "", v, files)
			paths++
		}
	}
	if picks < 5 {
		t.Errorf("only %d foreign picks were sent: the walk no longer finds the record forms", picks)
	}
	t.Logf("%d foreign picks and %d foreign record paths sent", picks, paths)
}
