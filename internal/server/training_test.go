package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
)

// attendanceSheet is a sign-in sheet with the template's header and rows.
func attendanceSheet(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	all := append([][]string{sheetColumns}, rows...)
	for r, row := range all {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			_ = f.SetCellStr("Sheet1", cell, v)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// postSheet imports a sign-in sheet through the import form of the session page, with the token it shows.
func (c *client) postSheet(session string, data []byte) response {
	c.t.Helper()
	return c.postMultipart(session+"/import", url.Values{"seen": {seenOf(c.t, c, session, "#import-form")}},
		[]upload{{"sheet", "签到表.xlsx", data}})
}

// postAttendee adds a person through the attendee form of the session page, with the token it shows.
func (c *client) postAttendee(session string, form url.Values) response {
	c.t.Helper()
	form.Set("seen", seenOf(c.t, c, session, "#attendee-form"))
	return c.post(session+"/attendees", form)
}

func (a *app) townSession(town string) int64 {
	a.t.Helper()
	var id int64
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT min(id) FROM training_sessions WHERE town_code = $1`, town).Scan(&id); err != nil {
		a.t.Fatal(err)
	}
	return id
}

func fieldMsg(t *testing.T, res response, field string) string {
	t.Helper()
	return strings.TrimSpace(res.doc(t).Find(`[data-field="` + field + `"] .msg`).Text())
}

func TestTrainingSessionBadInputKeepsItAndWritesNothing(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	today := time.Now().In(beijing).Format("2006-01-02")
	good := url.Values{"title": {"骨干人才专题培训"}, "organizer_kind": {"镇街"}, "organizer": {"双龙湖街道"},
		"date": {today}, "starts": {"09:00"}, "ends": {"12:00"}, "hours": {"3"}, "mode": {"示范培训"},
		"topics": {"能力建设"}, "venue": {"党群服务中心"}, "seen": {seenOf(t, c, "/town/training/sessions/new", "#session-form")}}
	before := a.count(`SELECT count(*) FROM training_sessions`)
	for _, tc := range []struct{ field, value, want string }{
		{"ends", "08:30", "结束时间应晚于开始时间"},
		{"hours", "13", "学时应在 0.5 至 12 之间"},
		{"hours", "3.5", "学时不能超过培训时长"},
		{"topics", "养老服务", "请从本年度计划的培训内容中选择"},
		{"title", "", "请填写培训名称"},
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(tc.field, tc.value)
		res := c.post("/town/training/sessions", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s=%q: status %d", tc.field, tc.value, res.StatusCode)
		}
		if msg := fieldMsg(t, res, tc.field); !strings.Contains(msg, tc.want) {
			t.Errorf("%s=%q: message %q, want %q", tc.field, tc.value, msg, tc.want)
		}
		if v, _ := res.doc(t).Find("#session-form input[name=seen]").Attr("value"); v != good.Get("seen") {
			t.Errorf("%s: the token is not kept: %q", tc.field, v)
		}
		if tc.field != "title" {
			if v, _ := res.doc(t).Find("#title").Attr("value"); v != "骨干人才专题培训" {
				t.Errorf("%s: title not kept: %q", tc.field, v)
			}
		}
	}
	if n := a.count(`SELECT count(*) FROM training_sessions`); n != before {
		t.Fatalf("refused forms wrote %d sessions", n-before)
	}
	res := c.post("/town/training/sessions", good)
	if res.StatusCode != http.StatusSeeOther || a.count(`SELECT count(*) FROM training_sessions`) != before+1 {
		t.Fatalf("good form: status %d", res.StatusCode)
	}
}

func TestTrainingPlanBadInput(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	year := strconv.Itoa(time.Now().In(beijing).Year())
	res := c.get("/town/training/plan?year=" + year)
	version, _ := res.doc(t).Find(`input[name="version"]`).Attr("value")
	before := a.count(`SELECT count(*) FROM audit_log WHERE action = 'training.plan'`)
	res = c.post("/town/training/plan", url.Values{"year": {year}, "version": {version}, "q1": {"0"}, "q2": {"0"},
		"q3": {"0"}, "q4": {"0"}, "topics": {"党的建设"}, "note": {"说明保留"}})
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMsg(t, res, "q1") == "" || !strings.Contains(res.Body, "请选择培训对象") {
		t.Fatalf("empty plan: status %d", res.StatusCode)
	}
	if !strings.Contains(res.doc(t).Find("#note").Text(), "说明保留") {
		t.Error("note not kept")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'training.plan'`); n != before {
		t.Fatal("a refused plan was written")
	}
	res = c.post("/town/training/plan", url.Values{"year": {year}, "version": {version}, "q1": {"2"}, "q2": {"1"},
		"q3": {"0"}, "q4": {"1"}, "audiences": {"儿童主任"}, "topics": {"党的建设"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("good plan: status %d", res.StatusCode)
	}
	// The same version again is stale.
	res = c.post("/town/training/plan", url.Values{"year": {year}, "version": {version}, "q1": {"2"}, "q2": {"1"},
		"q3": {"0"}, "q4": {"1"}, "audiences": {"儿童主任"}, "topics": {"党的建设"}})
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale plan: status %d", res.StatusCode)
	}
	// The district sees the town's plan.
	d := a.signedIn("demo-district").get("/district/training?year=" + year)
	if !strings.Contains(d.Body, "儿童主任") {
		t.Fatal("the district does not see the town's plan")
	}
}

func TestTrainingAttendeeBadInputAndJurisdiction(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	id := a.townSession(seed.TownShuanglonghu)
	path := "/town/training/sessions/" + strconv.FormatInt(id, 10)
	count := func() int { return a.count(`SELECT count(*) FROM training_attendance WHERE session_id = $1`, id) }
	before := count()
	for _, tc := range []struct{ field, value, want string }{
		{"id_number", "50011219880315001", "身份证号长度应为18位"},
		{"phone", "1391234", "联系电话"},
		{"org", "不存在的组织", "本镇街在册组织中没有“不存在的组织”"},
		{"cert_year", "1999", "取得年份应为"},
	} {
		form := url.Values{"name": {"周敏"}, "role": {"社区志愿者"}}
		if tc.field == "cert_year" {
			form.Set("cert_level", "社会工作师")
		}
		form.Set(tc.field, tc.value)
		res := c.postAttendee(path, form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d", tc.field, res.StatusCode)
		}
		if msg := fieldMsg(t, res, tc.field); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: message %q, want %q", tc.field, msg, tc.want)
		}
		if v, _ := res.doc(t).Find("#name").Attr("value"); v != "周敏" {
			t.Errorf("%s: name not kept", tc.field)
		}
		if strings.Contains(res.Body, "50011219880315001") {
			t.Error("the 身份证号 is echoed back")
		}
	}
	if count() != before {
		t.Fatal("refused attendees were written")
	}
	res := c.postAttendee(path, url.Values{"name": {"周敏"}, "role": {"社区志愿者"}, "id_number": {"500112198803150017"}})
	if res.StatusCode != http.StatusSeeOther || count() != before+1 {
		t.Fatalf("good attendee: status %d", res.StatusCode)
	}

	// Another town: 404 for the session, its forms and the people.
	other := a.signedIn("demo-town2")
	var trainee int64
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT max(id) FROM trainees WHERE town_code = $1`, seed.TownShuanglonghu).Scan(&trainee)
	tpath := "/town/training/trainees/" + strconv.FormatInt(trainee, 10)
	for _, res := range []response{other.get(path), other.post(path+"/attendees", url.Values{"name": {"x"}, "role": {"社区志愿者"}}),
		other.get(tpath), other.post(tpath+"/reveal", url.Values{"reason": {"看看"}})} {
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("another town: status %d", res.StatusCode)
		}
	}

	// The person's record is masked; the full number shows only after a reason is given, audited.
	res = c.get(tpath)
	if got := res.doc(t).Find("#trainee-id").Text(); got == "500112198803150017" || got == "" {
		t.Fatalf("masked id %q", got)
	}
	res = c.post(tpath+"/reveal", url.Values{"reason": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMsg(t, res, "reveal_reason") == "" {
		t.Fatalf("reveal without reason: %d", res.StatusCode)
	}
	res = c.post(tpath+"/reveal", url.Values{"reason": {"核对身份"}})
	if got := res.doc(t).Find("#revealed-id").Text(); got != "500112198803150017" {
		t.Fatalf("revealed %q", got)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'trainee.reveal' AND object_id = $1`, strconv.FormatInt(trainee, 10)); n != 1 {
		t.Fatalf("%d audit rows", n)
	}
	cert := c.get(tpath + "/certificate")
	if cert.StatusCode != http.StatusOK || cert.doc(t).Find("#cert-name").Text() != "周敏" || cert.doc(t).Find("#cert-count").Text() != "1" {
		t.Fatalf("certificate: %d", cert.StatusCode)
	}
}

func TestAttendanceImportRefusesEveryBadRowThenImportsAll(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	id := a.townSession(seed.TownShuanglonghu)
	path := "/town/training/sessions/" + strconv.FormatInt(id, 10)
	count := func() int { return a.count(`SELECT count(*) FROM training_attendance WHERE session_id = $1`, id) }
	before := count()
	rows := [][]string{
		{"吴杰", "500112199001010017", "13900001111", "社区社会工作者", "", "社会工作师", "2020"},
		{"郑洁", "500112199001010", "", "社区志愿者", "", "", ""},
		{"", "", "13800", "队长", "", "", ""},
	}
	res := c.postSheet(path, attendanceSheet(t, rows))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad sheet: status %d", res.StatusCode)
	}
	doc := res.doc(t)
	if doc.Find("#sheet-problems tr[data-row]").Length() != 2 ||
		!strings.Contains(doc.Find(`tr[data-row="3"]`).Text(), "身份证号长度应为18位") ||
		!strings.Contains(doc.Find(`tr[data-row="4"]`).Text(), "请填写姓名") ||
		!strings.Contains(doc.Find(`tr[data-row="4"]`).Text(), "人员类别") {
		t.Fatalf("row problems: %q", doc.Find("#sheet-problems").Text())
	}
	if count() != before {
		t.Fatal("a sheet with bad rows imported some")
	}
	rows[1][1] = "500112199001010025"
	rows[2] = []string{"冯涛", "", "13800001234", "儿童主任", "", "", ""}
	res = c.postSheet(path, attendanceSheet(t, rows))
	if res.StatusCode != http.StatusSeeOther || count() != before+3 {
		t.Fatalf("good sheet: status %d, %d added", res.StatusCode, count()-before)
	}
	if res := c.postSheet(path, []byte("not a workbook")); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(fieldMsg(t, res, "sheet"), "不是 Excel") {
		t.Fatalf("not a workbook: %d", res.StatusCode)
	}
	tmpl := c.get("/town/training/attendance-template.xlsx")
	if tmpl.StatusCode != http.StatusOK || !strings.HasPrefix(tmpl.Body, "PK") {
		t.Fatalf("template: %d", tmpl.StatusCode)
	}
}

func TestTrainingReachPageListsUnreachedGroups(t *testing.T) {
	a := newApp(t, nil)
	res := a.signedIn("demo-town").get("/town/training/reach")
	doc := res.doc(t)
	live, _ := strconv.Atoi(doc.Find("#total-live").Text())
	reached, _ := strconv.Atoi(doc.Find("#total-reached").Text())
	if res.StatusCode != http.StatusOK || live == 0 || reached == 0 || doc.Find("#unreached tbody tr").Length() != live-reached {
		t.Fatalf("reach: %d, %d live, %d reached, %d listed", res.StatusCode, live, reached, doc.Find("#unreached tbody tr").Length())
	}
	href, _ := doc.Find("#unreached tbody a").First().Attr("href")
	if !strings.HasPrefix(href, "/town/orgs/") || a.signedIn("demo-town").get(href).StatusCode != http.StatusOK {
		t.Fatalf("unreached group links to %q", href)
	}
	d := a.signedIn("demo-district").get("/district/training/reach").doc(t)
	if d.Find("#reach tbody tr").Length() != 30 {
		t.Fatalf("district reach has %d towns", d.Find("#reach tbody tr").Length())
	}
}

// Each training form that adds records carries a token: posted without one, with a stale one, or a second time,
// it is a 409 and nothing is written — no second session, audit row or file, and a person is not rewritten.
func TestTrainingFormsCarryAToken(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	session := "/town/training/sessions/" + strconv.FormatInt(a.townSession(seed.TownShuanglonghu), 10)
	today := time.Now().In(beijing).Format("2006-01-02")
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	sheet := attendanceSheet(t, [][]string{{"吴杰", "500112199001010017", "13900001111", "社区社会工作者", "", "", ""}})
	for _, tc := range []struct {
		name, page, form, written string
		post                      func(seen string) response
	}{
		{"session", "/town/training/sessions/new", "#session-form",
			`SELECT (SELECT count(*) FROM training_sessions) + (SELECT count(*) FROM audit_log WHERE action = 'training.session')`,
			func(seen string) response {
				return c.post("/town/training/sessions", url.Values{"title": {"骨干人才专题培训"}, "organizer_kind": {"镇街"},
					"organizer": {"双龙湖街道"}, "date": {today}, "starts": {"09:00"}, "ends": {"12:00"}, "hours": {"3"},
					"mode": {"示范培训"}, "topics": {"能力建设"}, "seen": {seen}})
			}},
		{"attendee", session, "#attendee-form",
			`SELECT (SELECT count(*) FROM training_attendance) + (SELECT count(*) FROM audit_log WHERE action = 'training.attendance')`,
			func(seen string) response {
				return c.post(session+"/attendees", url.Values{"name": {"周敏"}, "role": {"社区志愿者"},
					"id_number": {"500112198803150017"}, "seen": {seen}})
			}},
		{"import", session, "#import-form",
			`SELECT (SELECT count(*) FROM training_attendance) + (SELECT count(*) FROM audit_log WHERE action = 'training.attendance')`,
			func(seen string) response {
				return c.postMultipart(session+"/import", url.Values{"seen": {seen}}, []upload{{"sheet", "签到表.xlsx", sheet}})
			}},
		{"material", session, "#material-form",
			`SELECT (SELECT count(*) FROM training_materials) + (SELECT count(*) FROM audit_log WHERE action = 'training.material')`,
			func(seen string) response {
				return c.postMultipart(session+"/materials", url.Values{"material_title": {"课件"}, "seen": {seen}},
					[]upload{{"material", "课件.pdf", pdf}})
			}},
	} {
		seen := seenOf(t, c, tc.page, tc.form)
		before := a.count(tc.written)
		for _, bad := range []string{"", "x", "99"} {
			if res := tc.post(bad); res.StatusCode != http.StatusConflict {
				t.Fatalf("%s with token %q: %d", tc.name, bad, res.StatusCode)
			}
		}
		if a.count(tc.written) != before {
			t.Fatalf("%s: a refused post wrote", tc.name)
		}
		if res := tc.post(seen); res.StatusCode != http.StatusSeeOther || a.count(tc.written) != before+2 {
			t.Fatalf("%s with its token: %d, %d written", tc.name, res.StatusCode, a.count(tc.written)-before)
		}
		if res := tc.post(seen); res.StatusCode != http.StatusConflict || a.count(tc.written) != before+2 {
			t.Fatalf("%s posted twice: %d", tc.name, res.StatusCode)
		}
	}
	// the person added once is not rewritten by the same form posted again with another role
	stale, _ := strconv.Atoi(seenOf(t, c, session, "#attendee-form"))
	if res := c.post(session+"/attendees", url.Values{"name": {"周敏"}, "role": {"儿童主任"}, "id_number": {"500112198803150017"},
		"seen": {strconv.Itoa(stale - 1)}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("attendee from a stale page: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM trainees WHERE name = '周敏' AND role = '儿童主任'`) != 0 {
		t.Fatal("a refused attendee rewrote the person")
	}
}

// A session's venue is a support platform's room where one exists: the form offers the rooms of the platforms
// the town may use (its own, its communities', the district's), the session page links the room and the room's
// page lists the session; another town's room is refused at the field (422, input kept, nothing written), and
// the store refuses it too (404). The demo's sessions are held in demo rooms.
func TestTrainingSessionInAPlatformRoom(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	ctx := context.Background()
	roomOf := func(town string) (int64, int64) {
		var room, platform int64
		if err := a.db.Pool.QueryRow(ctx, `SELECT r.id, r.platform_id FROM rooms r JOIN platforms p ON p.id = r.platform_id
			WHERE starts_with(p.division_code, $1) ORDER BY r.id LIMIT 1`, town).Scan(&room, &platform); err != nil {
			t.Fatalf("a demo room of %s: %v", town, err)
		}
		return room, platform
	}
	own, ownPlatform := roomOf(seed.TownShuanglonghu)
	foreign, _ := roomOf(seed.TownTongjing)
	form := c.get("/town/training/sessions/new").doc(t)
	if form.Find(`#room option[value="`+strconv.FormatInt(own, 10)+`"]`).Length() != 1 ||
		form.Find(`#room option[value="`+strconv.FormatInt(foreign, 10)+`"]`).Length() != 0 {
		t.Fatal("the form should offer the town's own rooms and no other town's")
	}
	today := time.Now().In(beijing).Format("2006-01-02")
	values := url.Values{"title": {"骨干人才专题培训"}, "organizer_kind": {"镇街"}, "organizer": {"双龙湖街道"},
		"date": {today}, "starts": {"09:00"}, "ends": {"12:00"}, "hours": {"3"}, "mode": {"示范培训"},
		"topics": {"能力建设"}, "room": {strconv.FormatInt(foreign, 10)},
		"seen": {seenOf(t, c, "/town/training/sessions/new", "#session-form")}}
	before := a.count(`SELECT count(*) FROM training_sessions`)
	res := c.post("/town/training/sessions", values)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldMsg(t, res, "room"), "请从列表中选择") {
		t.Fatalf("another town's room: %d %q", res.StatusCode, fieldMsg(t, res, "room"))
	}
	if v, _ := res.doc(t).Find("#title").Attr("value"); v != "骨干人才专题培训" || a.count(`SELECT count(*) FROM training_sessions`) != before {
		t.Fatal("another town's room: input not kept, or written")
	}
	// the store refuses it too, whatever the form offered
	start := time.Now().In(beijing)
	_, err := a.db.CreateTrainingSession(ctx, portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu},
		portal.Actor{Username: "demo-town", Tier: portal.TierTown, Division: seed.TownShuanglonghu}, -1, registry.SessionInput{})
	if !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("a session without its token: %v", err)
	}
	var seen int
	seen, err = a.db.CreateToken(ctx, portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}, portal.Actor{}, registry.TokenSession)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.CreateTrainingSession(ctx, portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}, portal.Actor{},
		seen, registry.SessionInput{Title: "x", OrganizerKind: "镇街", Organizer: "x", Start: start, End: start.Add(time.Hour),
			Hours: 1, Mode: "示范培训", Topics: []string{"能力建设"}, RoomID: foreign}); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("the store took another town's room: %v", err)
	}

	values.Set("room", strconv.FormatInt(own, 10))
	res = c.post("/town/training/sessions", values)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("own room: %d", res.StatusCode)
	}
	page := c.get(res.Header.Get("Location")).doc(t)
	href, _ := page.Find("#session-room").Attr("href")
	if want := "/town/platforms/" + strconv.FormatInt(ownPlatform, 10) + "/rooms/" + strconv.FormatInt(own, 10); href != want {
		t.Fatalf("the room link %q, want %q", href, want)
	}
	room := c.get(href)
	if room.StatusCode != http.StatusOK {
		t.Fatal("the room's page does not open")
	}
	// the room's page lists the sessions held in it, linked
	session := res.Header.Get("Location")
	if room.doc(t).Find(`#room-sessions a[href="`+session+`"]`).Length() != 1 {
		t.Fatalf("the room's page does not list its session %s", session)
	}
	// a town may train in a room of the district's own platforms (the 孵化基地): offered, taken, and listed on
	// the district's page of the room
	var districtRoom, districtPlatform int64
	if err := a.db.Pool.QueryRow(ctx, `SELECT r.id, r.platform_id FROM rooms r JOIN platforms p ON p.id = r.platform_id
		WHERE p.division_code = $1 ORDER BY r.id LIMIT 1`, seed.DistrictCode).Scan(&districtRoom, &districtPlatform); err != nil {
		t.Fatalf("a demo room of the district: %v", err)
	}
	if c.get("/town/training/sessions/new").doc(t).Find(`#room option[value="`+strconv.FormatInt(districtRoom, 10)+`"]`).Length() != 1 {
		t.Fatal("the form does not offer the district's rooms")
	}
	values.Set("room", strconv.FormatInt(districtRoom, 10))
	values.Set("seen", seenOf(t, c, "/town/training/sessions/new", "#session-form"))
	res = c.post("/town/training/sessions", values)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the district's room: %d", res.StatusCode)
	}
	inDistrictRoom := strings.Replace(res.Header.Get("Location"), "/town/", "/district/", 1)
	districtRoomPage := "/district/platforms/" + strconv.FormatInt(districtPlatform, 10) + "/rooms/" + strconv.FormatInt(districtRoom, 10)
	if a.signedIn("demo-district").get(districtRoomPage).doc(t).Find(`#room-sessions a[href="`+inDistrictRoom+`"]`).Length() != 1 {
		t.Fatalf("the district's room page does not list the town's session %s", inDistrictRoom)
	}
	if strings.Contains(a.signedIn("demo-town2").get(strings.Replace(districtRoomPage, "/district/", "/town/", 1)).Body, "骨干人才专题培训") {
		t.Fatal("another town reads the town's session on the district's room")
	}
	if n := a.count(`SELECT count(*) FROM training_sessions WHERE room_id = $1 AND venue_kind = '平台场地' AND venue <> ''`, own); n < 1 {
		t.Fatal("the session does not name its room")
	}
	// the demo: each demo town's 示范培训 is held in a room of its own platforms
	if n := a.count(`SELECT count(DISTINCT s.town_code) FROM training_sessions s JOIN rooms r ON r.id = s.room_id
		JOIN platforms p ON p.id = r.platform_id WHERE starts_with(p.division_code, s.town_code)`); n < 2 {
		t.Fatalf("%d demo towns hold a session in a platform room", n)
	}
}
