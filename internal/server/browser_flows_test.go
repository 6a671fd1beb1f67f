// Browser flows: whole pieces of work done the way clerks do them in Chromium — a town files a group and prints
// its 备案证明, the district reviews a committee's registration application through a correction, a committee
// reports an activity with a photo, and a town acknowledges a major activity. Each step is checked on the page
// and in the database.
package server

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// flowApp is a portal whose uploads go to a folder of the test's own.
func flowApp(t *testing.T) *app {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "uploads")
	return newApp(t, func(c *config.Config) { c.UploadDir = dir })
}

// flowSignIn opens a tab of its own for username and signs in, failing unless the tier's dashboard answers.
func flowSignIn(t *testing.T, b *browser, username, tier string) *tab {
	t.Helper()
	tb := b.newTab(t)
	if res := tb.signIn(username, testdb.DemoPassword); res.Status != 200 || tb.url().Path != "/"+tier {
		t.Fatalf("sign in as %s: status %d at %s", username, res.Status, tb.url())
	}
	return tb
}

// do runs chromedp actions in the tab.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("browser actions: %v", err)
	}
}

// write replaces the content of the textarea sel with text, typed key by key. (fill cannot: chromedp's Clear
// refuses an empty textarea, which has no text node to clear.)
func (tb *tab) write(sel, text string) {
	tb.t.Helper()
	js[bool](tb, `(e => { e.value = ""; return true })(document.querySelector(`+quoteJS(sel)+`))`)
	tb.do(chromedp.SendKeys(chromedp.CSS(sel), text))
	if got := tb.value(sel); got != text {
		tb.t.Fatalf("typed %q into %s, it holds %q", text, sel, got)
	}
}

// setValue sets a select's or a date input's value the way picking from it does.
func (tb *tab) setValue(sel, value string) {
	tb.t.Helper()
	tb.do(chromedp.SetValue(chromedp.CSS(sel), value))
	if got := tb.value(sel); got != value {
		tb.t.Fatalf("%s holds %q after setting %q", sel, got, value)
	}
}

// upload chooses files on the file input sel.
func (tb *tab) upload(sel string, paths ...string) {
	tb.t.Helper()
	tb.do(chromedp.SetUploadFiles(chromedp.CSS(sel), paths))
	if n := js[int](tb, `document.querySelector(`+quoteJS(sel)+`).files.length`); n != len(paths) {
		tb.t.Fatalf("%s holds %d files after choosing %d", sel, n, len(paths))
	}
}

// idOf is the id at the end of the tab's address when it is prefix followed by digits.
func (tb *tab) idOf(prefix string) string {
	tb.t.Helper()
	p := tb.url().Path
	m := regexp.MustCompile(`^` + regexp.QuoteMeta(prefix) + `(\d+)$`).FindStringSubmatch(p)
	if m == nil {
		tb.t.Fatalf("at %s, want %s<id>; the page says %q", p, prefix, tb.text("main"))
	}
	return m[1]
}

// imageLoaded waits (briefly) for the <img> sel to finish loading and reports whether it decoded to pixels.
func (tb *tab) imageLoaded(sel string) bool {
	tb.t.Helper()
	expr := `(i => !!i && i.complete && i.naturalWidth > 0)(document.querySelector(` + quoteJS(sel) + `))`
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if js[bool](tb, expr) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// queryString reads one text value from the database.
func queryString(t *testing.T, a *app, sql string, args ...any) string {
	t.Helper()
	var s string
	if err := a.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

func TestBrowserTownFilesAGroupAndPrintsTheCertificate(t *testing.T) {
	a := flowApp(t)
	soleTownOfficer(t, a) // demo-town decides the filings it submits
	b := newBrowser(t, a)
	town := flowSignIn(t, b, "demo-town", "town")
	const phone = "13912345678"
	idNumber := rules.MakeIDNumber("50011219800101123")
	charter := filepath.Join(t.TempDir(), "章程.pdf")
	if err := os.WriteFile(charter, []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	community := queryString(t, a, `SELECT name FROM divisions WHERE code = $1`, seed.CommunityDemo)
	name := "渝北区双龙湖街道" + community + "松韵太极队"
	orgsBefore := a.count(`SELECT count(*) FROM organizations`)

	if res := town.open("/town/filings/new"); res.Status != 200 {
		t.Fatalf("GET /town/filings/new: status %d", res.Status)
	}
	if label := town.text(`#community option[value="` + seed.CommunityDemo + `"]`); label != community {
		t.Fatalf("the community choice %s reads %q, want %q", seed.CommunityDemo, label, community)
	}
	town.setValue("#community", seed.CommunityDemo)
	town.fill("#zihao", "松韵")
	town.fill("#field", "太极")
	town.setValue("#form", "队")
	town.do(chromedp.Click(chromedp.CSS(`input[name=service_fields][value="文体娱乐"]`)),
		chromedp.Click(chromedp.CSS(`input[name=beneficiaries][value="空巢老人"]`)))
	town.setValue("#nature", "互助性")
	town.setValue("#founded_on", "2021-07-21")
	town.fill("#venue", community+"文化广场")
	town.fill("#members", "24")
	town.fill("#leader_name", "周玉兰")
	town.fill("#leader_phone", phone)
	town.fill("#leader_id", idNumber)
	town.upload(`input[name=doc_charter]`, charter)
	res := town.click(`form[action="/town/filings"] button[type=submit]`)
	if res.Status != 200 {
		t.Fatalf("submitting the filing: ended on status %d; the page says %q", res.Status, town.text("main"))
	}
	id := town.idOf("/town/filings/")
	if st := town.text("#filing-status"); st != "待审核" {
		t.Fatalf("new filing's status = %q, want 待审核", st)
	}
	if h1 := town.text("h1"); h1 != name {
		t.Errorf("filing page h1 = %q, want %q", h1, name)
	}
	if docs := town.text("#documents"); !strings.Contains(docs, "章程") || !strings.Contains(docs, "章程.pdf") {
		t.Errorf("the filing's documents = %q, want the uploaded 章程", docs)
	}
	if body := town.text("main"); strings.Contains(body, phone) || strings.Contains(body, idNumber) {
		t.Error("the filing page shows the full phone or 身份证号")
	}
	if n := a.count(`SELECT count(*) FROM filings WHERE id = $1 AND status = 'submitted' AND kind = 'establish'
		AND name = $2 AND community_code = $3 AND org_id IS NULL`, id, name, seed.CommunityDemo); n != 1 {
		t.Fatalf("filing %s is not the submitted 成立备案 of %s", id, name)
	}
	if n := a.count(`SELECT count(*) FROM org_documents WHERE filing_id = $1 AND kind = '章程'`, id); n != 1 {
		t.Errorf("filing %s has %d stored 章程, want 1", id, n)
	}

	// 准予备案 asks first; 确定 approves.
	res = town.click(`form[action$="/approve"] button[type=submit]`)
	if res.Status != 200 {
		t.Fatalf("准予备案: ended on status %d", res.Status)
	}
	if msgs := town.dialogMessages(); len(msgs) != 1 || !strings.Contains(msgs[0], "准予") {
		t.Errorf("准予备案 asked %q, want one confirmation", msgs)
	}
	if st := town.text("#filing-status"); st != "已备案" {
		t.Fatalf("after 准予备案 the status = %q, want 已备案", st)
	}
	filingNo := queryString(t, a, `SELECT o.filing_no FROM filings f JOIN organizations o ON o.id = f.org_id
		WHERE f.id = $1`, id)
	if !regexp.MustCompile(`^渝北社备〔\d{4}〕002-\d{4}号$`).MatchString(filingNo) {
		t.Errorf("备案编号 %q is not a 双龙湖街道 number", filingNo)
	}
	if flash := town.text(".flash"); !strings.Contains(flash, filingNo) {
		t.Errorf("flash = %q, want it to give the 备案编号 %s", flash, filingNo)
	}
	if data := town.text("#filing-data"); !strings.Contains(data, filingNo) {
		t.Errorf("the filing's data lacks the 备案编号 %s: %q", filingNo, data)
	}
	if n := a.count(`SELECT count(*) FROM organizations`); n != orgsBefore+1 {
		t.Errorf("approving wrote %d organizations, want 1", n-orgsBefore)
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE tier = 'filed' AND filing_no = $1 AND name = $2
		AND community_code = $3 AND status = 'normal'`, filingNo, name, seed.CommunityDemo); n != 1 {
		t.Fatalf("no filed organization %s with 备案编号 %s", name, filingNo)
	}

	// The 备案证明.
	if res := town.click(`a.button[href$="/certificate"]`); res.Status != 200 {
		t.Fatalf("备案证明: status %d", res.Status)
	}
	if got := town.url().Path; got != "/town/filings/"+id+"/certificate" {
		t.Fatalf("备案证明 link led to %s", got)
	}
	if no := town.text("#cert-no"); no != filingNo {
		t.Errorf("certificate number = %q, want %q", no, filingNo)
	}
	if cert := town.text("#certificate"); !strings.Contains(cert, name) || !strings.Contains(cert, "双龙湖街道办事处") {
		t.Errorf("certificate text lacks the name or the 备案机关: %q", cert)
	}
	if src := js[string](town, `document.querySelector("#certificate img").getAttribute("src")`); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("the certificate's QR <img> src starts %.40q, want data:image/png", src)
	}
	if !town.imageLoaded("#cert-qr") {
		t.Error("the certificate's QR code did not load")
	}
	town.screenshot("filing-certificate")
	printed, err := url.Parse(town.text("#cert-verify-url"))
	if err != nil || !regexp.MustCompile(`^/verify/[0-9a-f]{32}$`).MatchString(printed.Path) {
		t.Fatalf("the certificate prints %q, want a /verify/ link", town.text("#cert-verify-url"))
	}
	if n := a.count(`SELECT count(*) FROM filings WHERE id = $1 AND verify_token = $2`, id,
		strings.TrimPrefix(printed.Path, "/verify/")); n != 1 {
		t.Errorf("the printed link %s is not filing %s's token", printed.Path, id)
	}

	// Anyone who scans the QR code: a fresh browser context, no sign-in.
	visitor := b.newTab(t)
	if res := visitor.open(printed.Path); res.Status != 200 {
		t.Fatalf("GET %s without signing in: status %d", printed.Path, res.Status)
	}
	if got := visitor.url().Path; got != printed.Path {
		t.Fatalf("the verification link ended on %s", got)
	}
	if st := visitor.text("#verify-status"); st != "有效" {
		t.Errorf("verification status = %q, want 有效", st)
	}
	page := visitor.text("body")
	if !strings.Contains(page, filingNo) || !strings.Contains(page, name) {
		t.Errorf("the verification page lacks the number or the name: %q", page)
	}
	for _, secret := range []string{phone, phone[:3] + "****", phone[7:], idNumber, idNumber[len(idNumber)-4:], "周玉兰"} {
		if strings.Contains(page, secret) {
			t.Errorf("the public verification page shows %q", secret)
		}
	}
	if regexp.MustCompile(`1[3-9]\d{9}|\d{3}\*{4}\d{4}`).MatchString(page) {
		t.Errorf("the public verification page shows a phone number: %q", page)
	}
	if n := visitor.count(`form[action="/logout"]`); n != 0 {
		t.Error("the visitor's tab is signed in")
	}
}

func TestBrowserDistrictReturnsAndApprovesAnApplication(t *testing.T) {
	a := flowApp(t)
	b := newBrowser(t, a)
	committee := flowSignIn(t, b, "demo-community", "community")
	district := flowSignIn(t, b, "demo-district", "district")
	community := divisionNameOf(t, a, "demo-community")
	name := "渝北区双龙湖街道" + community + "晨曦文体协会"
	uscc := rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJB12345")
	const venue = "社区党群服务中心二楼"
	const betterVenue = "双龙湖街道某某路18号社区党群服务中心二楼活动室"
	const note = "活动场所请写明门牌号"

	// The committee applies.
	if res := committee.open("/community/applications/new"); res.Status != 200 {
		t.Fatalf("GET /community/applications/new: status %d", res.Status)
	}
	if got := committee.value("#name_community"); got != community {
		t.Fatalf("the name's 社区 part = %q, want the committee's own %q", got, community)
	}
	committee.setValue("#legal_form", "社会团体")
	committee.fill("#zihao", "晨曦")
	committee.fill("#field", "文体")
	committee.fill("#form", "协会")
	committee.do(chromedp.Click(chromedp.CSS(`input[name=fields][value="文体娱乐"]`)))
	committee.setValue("#nature", "公益性")
	committee.fill("#leader_name", "陈建国")
	committee.fill("#phone", "13698765432")
	committee.fill("#id_number", rules.MakeIDNumber("50011219751203456"))
	committee.fill("#venue", venue)
	committee.fill("#members", "36")
	committee.fill("#supervisor", "双龙湖街道办事处")
	committee.write("#statement", "开展群众性文体活动。")
	res := committee.click(`#application-form button[type=submit]`)
	if res.Status != 200 {
		t.Fatalf("submitting the application: ended on status %d; the page says %q", res.Status, committee.text("main"))
	}
	id := committee.idOf("/community/applications/")
	if st := committee.text("#application-status"); st != "待受理" {
		t.Fatalf("new application's status = %q, want 待受理", st)
	}
	if got := committee.text("#fact-name"); got != name {
		t.Errorf("拟登记名称 = %q, want %q", got, name)
	}
	if n := a.count(`SELECT count(*) FROM applications WHERE id = $1 AND status = 'submitted' AND new_group
		AND name = $2 AND community_code = $3 AND venue = $4`, id, name, seed.CommunityDemo, venue); n != 1 {
		t.Fatalf("application %s is not the submitted one", id)
	}

	// The district accepts it, then returns it for correction.
	path := "/district/applications/" + id
	if res := district.open("/district/applications"); res.Status != 200 {
		t.Fatalf("GET /district/applications: status %d", res.Status)
	}
	if res := district.click(`#applications a[href="` + path + `"]`); res.Status != 200 {
		t.Fatalf("opening the application from the queue: status %d", res.Status)
	}
	if res := district.click(`#accept button[type=submit]`); res.Status != 200 || district.url().Path != path {
		t.Fatalf("受理: status %d at %s", res.Status, district.url())
	}
	if st := district.text("#application-status"); st != "已受理" {
		t.Fatalf("after 受理 the status = %q, want 已受理", st)
	}
	district.write("#return textarea#correction", note)
	if res := district.click(`#return button[type=submit]`); res.Status != 200 || district.url().Path != path {
		t.Fatalf("退回补正: status %d at %s", res.Status, district.url())
	}
	if st := district.text("#application-status"); st != "待补正" {
		t.Fatalf("after 退回补正 the status = %q, want 待补正", st)
	}
	if msgs := district.dialogMessages(); len(msgs) != 2 || !strings.Contains(msgs[0], "受理") || !strings.Contains(msgs[1], "补正") {
		t.Errorf("the district was asked %q, want the 受理 and the 退回补正 confirmations", msgs)
	}
	if n := a.count(`SELECT count(*) FROM applications WHERE id = $1 AND status = 'correction' AND correction = $2`,
		id, note); n != 1 {
		t.Fatalf("application %s is not waiting for correction with the note", id)
	}

	// The committee sees the note, corrects the venue and resubmits.
	if res := committee.open("/community/applications/" + id); res.Status != 200 {
		t.Fatalf("the committee opening its application: status %d", res.Status)
	}
	if st := committee.text("#application-status"); st != "待补正" {
		t.Errorf("the committee sees status %q, want 待补正", st)
	}
	if got := committee.text("#correction"); !strings.Contains(got, note) {
		t.Fatalf("the committee's page shows correction %q, want the note %q", got, note)
	}
	if res := committee.click("#edit-link"); res.Status != 200 || committee.url().Path != "/community/applications/"+id+"/edit" {
		t.Fatalf("修改并重新提交: status %d at %s", res.Status, committee.url())
	}
	if got := committee.text("#correction"); !strings.Contains(got, note) {
		t.Errorf("the edit form shows correction %q, want the note", got)
	}
	for sel, want := range map[string]string{"#venue": venue, "#zihao": "晨曦", "#field": "文体", "#form": "协会",
		"#leader_name": "陈建国", "#members": "36", "#legal_form": "社会团体", "#nature": "公益性"} {
		if got := committee.value(sel); got != want {
			t.Errorf("the edit form's %s = %q, want the submitted %q", sel, got, want)
		}
	}
	if got := committee.value("#phone"); got == "" || strings.Contains(got, "13698765432") {
		t.Errorf("the edit form's phone = %q, want the masked stored number", got)
	}
	if got := committee.value("#id_number"); got != "" {
		t.Errorf("the edit form echoes the 身份证号 %q", got)
	}
	if !js[bool](committee, `document.querySelector('input[name=fields][value="文体娱乐"]').checked`) {
		t.Error("the edit form lost the chosen 服务领域")
	}
	committee.fill("#venue", betterVenue)
	if res := committee.click(`#application-form button[type=submit]`); res.Status != 200 ||
		committee.url().Path != "/community/applications/"+id {
		t.Fatalf("重新提交: status %d at %s; the page says %q", res.Status, committee.url(), committee.text("main"))
	}
	if got := committee.text("#fact-venue"); got != betterVenue {
		t.Errorf("after resubmitting the venue reads %q, want %q", got, betterVenue)
	}
	if n := a.count(`SELECT count(*) FROM applications WHERE id = $1 AND status = 'accepted' AND venue = $2`,
		id, betterVenue); n != 1 {
		t.Fatalf("the resubmitted application %s is not back before the reviewer with the new venue", id)
	}

	// The district approves with the 统一社会信用代码.
	if res := district.open(path); res.Status != 200 {
		t.Fatalf("the district reopening the application: status %d", res.Status)
	}
	if st := district.text("#application-status"); st != "已受理" {
		t.Fatalf("the resubmitted application shows %q to the district, want 已受理", st)
	}
	if got := district.text("#fact-venue"); got != betterVenue {
		t.Errorf("the district sees venue %q, want the corrected %q", got, betterVenue)
	}
	// 准予登记 checks the code first, then asks on a page of its own showing the checked code.
	district.fill("#uscc", uscc)
	asked := len(district.dialogMessages())
	if res := district.click(`#approve button[type=submit]`); res.Status != 200 || district.text("#checked-uscc") != uscc {
		t.Fatalf("核对代码: status %d at %s; the page says %q", res.Status, district.url(), district.text("main"))
	}
	if n := len(district.dialogMessages()) - asked; n != 0 {
		t.Errorf("the check asked %d questions before checking the code", n)
	}
	if res := district.click(`#approve-confirm button[type=submit]`); res.Status != 200 || district.url().Path != path {
		t.Fatalf("准予登记: status %d at %s; the page says %q", res.Status, district.url(), district.text("main"))
	}
	if st := district.text("#application-status"); st != "已准予" {
		t.Fatalf("after 准予登记 the status = %q, want 已准予; the page says %q", st, district.text("main"))
	}
	if got := district.text("#fact-uscc"); got != uscc {
		t.Errorf("the application shows USCC %q, want %q", got, uscc)
	}
	if steps := district.text("#timeline"); !strings.Contains(steps, "退回补正") || !strings.Contains(steps, "补正后重新提交") ||
		!strings.Contains(steps, "准予登记") {
		t.Errorf("the timeline lacks a step: %q", steps)
	}
	if n := a.count(`SELECT count(*) FROM organizations o JOIN applications ap ON ap.org_id = o.id
		WHERE ap.id = $1 AND ap.status = 'approved' AND ap.uscc = $2 AND o.uscc = $2 AND o.tier = 'registered'
		AND o.legal_form = '社会团体' AND o.name = $3 AND o.community_code = $4 AND o.venue = $5`,
		id, uscc, name, seed.CommunityDemo, betterVenue); n != 1 {
		t.Fatalf("no registered organization %s with USCC %s from application %s", name, uscc, id)
	}

	// The committee sees the outcome too.
	committee.open("/community/applications/" + id)
	if st := committee.text("#application-status"); st != "已准予" {
		t.Errorf("the committee sees status %q, want 已准予", st)
	}
}

// flowPNG writes a w×h PNG with a gradient into dir.
func flowPNG(t *testing.T, dir string, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: uint8(x * 255 / w), G: uint8(y * 255 / h), B: 120, A: 255})
		}
	}
	p := filepath.Join(dir, "活动照片.png")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBrowserCommunityReportsAnActivityWithAPhoto(t *testing.T) {
	a := flowApp(t)
	b := newBrowser(t, a)
	committee := flowSignIn(t, b, "demo-community", "community")
	photo := flowPNG(t, t.TempDir(), 640, 400)
	const title = "浏览器测试邻里议事会"
	const place = "双龙湖街道浏览器测试广场"
	today := time.Now().In(beijing).Format("2006-01-02")

	if res := committee.open("/community/reports/new"); res.Status != 200 {
		t.Fatalf("GET /community/reports/new: status %d", res.Status)
	}
	orgID := js[string](committee, `(o => o ? o.value : "")(document.querySelector('#org option:not([value=""])'))`)
	if orgID == "" {
		t.Fatal("the report form offers no group")
	}
	orgName := queryString(t, a, `SELECT name FROM organizations WHERE id = $1 AND community_code = $2`, orgID,
		seed.CommunityDemo)
	committee.setValue("#org", orgID)
	committee.setValue("#activity_date", today)
	committee.fill("#title", title)
	committee.fill("#place", place)
	committee.setValue("#series", "共建共治共享")
	committee.setValue("#category", "协商议事")
	committee.fill("#participants", "25")
	committee.write("#description", "居民围绕停车难题协商议事。")
	committee.upload("#photos", photo)
	res := committee.click(`form[action="/community/reports"] button[type=submit]`)
	if res.Status != 200 {
		t.Fatalf("submitting the report: ended on status %d; the page says %q", res.Status, committee.text("main"))
	}
	id := committee.idOf("/community/reports/")
	if h1 := committee.text("h1"); !strings.Contains(h1, title) {
		t.Errorf("report page h1 = %q, want %q", h1, title)
	}
	if facts := committee.text("#report"); !strings.Contains(facts, place) || !strings.Contains(facts, orgName) {
		t.Errorf("the report's data lacks the place or the group: %q", facts)
	}
	if n := committee.count("#photos img"); n != 1 {
		t.Fatalf("the report page shows %d photos, want 1", n)
	}
	src := js[string](committee, `document.querySelector("#photos img").getAttribute("src")`)
	if !regexp.MustCompile(`^/community/reports/` + id + `/photos/\d+/thumb$`).MatchString(src) {
		t.Errorf("the thumbnail's src = %q", src)
	}
	if !committee.imageLoaded("#photos img") {
		t.Fatalf("the thumbnail %s did not load in the page", src)
	}
	if w := js[int](committee, `document.querySelector("#photos img").naturalWidth`); w <= 0 || w > 640 {
		t.Errorf("the thumbnail is %d pixels wide", w)
	}
	committee.screenshot("report-with-photo")
	if n := a.count(`SELECT count(*) FROM activity_reports WHERE id = $1 AND org_id = $2 AND title = $3
		AND place = $4 AND community_code = $5 AND participants = 25 AND superseded_at IS NULL`,
		id, orgID, title, place, seed.CommunityDemo); n != 1 {
		t.Fatalf("report %s is not stored as filed", id)
	}
	if n := a.count(`SELECT count(*) FROM report_photos WHERE report_id = $1 AND width = 640 AND height = 400
		AND content_type = 'image/png'`, id); n != 1 {
		t.Fatalf("report %s does not have its 640×400 PNG", id)
	}

	// The town the community belongs to sees it; another town neither lists nor opens it.
	town := flowSignIn(t, b, "demo-town", "town")
	if res := town.open("/town/reports"); res.Status != 200 {
		t.Fatalf("GET /town/reports as demo-town: status %d", res.Status)
	}
	row := town.text(`#reports tr[data-id="` + id + `"]`)
	if !strings.Contains(row, title) || !strings.Contains(row, orgName) {
		t.Fatalf("demo-town's list row for report %s = %q", id, row)
	}
	if res := town.click(`#reports tr[data-id="` + id + `"] a`); res.Status != 200 ||
		town.url().Path != "/town/reports/"+id {
		t.Fatalf("demo-town opening the report: status %d at %s", res.Status, town.url())
	}
	if facts := town.text("#report"); !strings.Contains(facts, place) {
		t.Errorf("demo-town's report page lacks the place: %q", facts)
	}
	if !town.imageLoaded("#photos img") {
		t.Error("the thumbnail does not load for demo-town")
	}

	other := flowSignIn(t, b, "demo-town2", "town")
	if res := other.open("/town/reports"); res.Status != 200 {
		t.Fatalf("GET /town/reports as demo-town2: status %d", res.Status)
	}
	if n := other.count(`#reports tr[data-id="` + id + `"]`); n != 0 {
		t.Errorf("demo-town2's list has report %s", id)
	}
	if body := other.text("main"); strings.Contains(body, title) || strings.Contains(body, place) {
		t.Errorf("demo-town2's list shows the other town's report")
	}
	res = other.open("/town/reports/" + id)
	if res.Status != 404 {
		t.Errorf("demo-town2 opening report %s: status %d, want 404", id, res.Status)
	}
	if h1 := other.text("h1"); h1 != "页面不存在" {
		t.Errorf("demo-town2 opening report %s: h1 = %q, want 页面不存在", id, h1)
	}
	if body := other.text("body"); strings.Contains(body, title) || strings.Contains(body, place) {
		t.Error("the 404 page shows the report")
	}
	photoID := regexp.MustCompile(`/photos/(\d+)/`).FindStringSubmatch(src)[1]
	if res := other.open("/town/reports/" + id + "/photos/" + photoID + "/thumb"); res.Status != 404 {
		t.Errorf("demo-town2 fetching the thumbnail: status %d, want 404", res.Status)
	}
}

func TestBrowserMajorActivityAcknowledged(t *testing.T) {
	a := flowApp(t)
	b := newBrowser(t, a)
	committee := flowSignIn(t, b, "demo-community", "community")
	community := divisionNameOf(t, a, "demo-community")
	const title = "浏览器测试中秋游园会"
	const phone = "13511112222"
	d := time.Now().In(beijing).AddDate(0, 0, 5)
	start := time.Date(d.Year(), d.Month(), d.Day(), 9, 30, 0, 0, beijing)
	end := start.Add(3 * time.Hour)
	const layout = "2006-01-02T15:04"

	if res := committee.open("/community/notices/new"); res.Status != 200 {
		t.Fatalf("GET /community/notices/new: status %d", res.Status)
	}
	committee.setValue("#kind", "节庆活动")
	committee.fill("#title", title)
	committee.setValue("#starts_at", start.Format(layout))
	committee.setValue("#ends_at", end.Format(layout))
	committee.fill("#place", community+"文化广场")
	committee.fill("#attendance", "300")
	committee.fill("#organizer", community+"居民委员会")
	committee.write("#safety", "设安全责任人一名，志愿者维持秩序，保持疏散通道畅通，配备急救箱。")
	committee.fill("#contact_name", "王志强")
	committee.fill("#phone", phone)
	res := committee.click(`#notice-form button[type=submit]`)
	if res.Status != 200 {
		t.Fatalf("submitting the notice: ended on status %d; the page says %q", res.Status, committee.text("main"))
	}
	id := committee.idOf("/community/notices/")
	if st := committee.text("#notice-status"); st != "待确认" {
		t.Fatalf("new notice's status = %q, want 待确认", st)
	}
	if n := a.count(`SELECT count(*) FROM major_activities WHERE id = $1 AND status = 'submitted' AND title = $2
		AND starts_at = $3 AND ends_at = $4 AND community_code = $5`, id, title, start, end, seed.CommunityDemo); n != 1 {
		t.Fatalf("notice %s is not stored with the times typed in 北京时间 (%s – %s)", id, start, end)
	}

	// The town sees it waiting and in its calendar, and acknowledges it.
	town := flowSignIn(t, b, "demo-town", "town")
	if res := town.open("/town/notices"); res.Status != 200 {
		t.Fatalf("GET /town/notices: status %d", res.Status)
	}
	waiting := town.text(`#waiting tr[data-id="` + id + `"]`)
	if !strings.Contains(waiting, title) || !strings.Contains(waiting, "待确认") {
		t.Fatalf("the town's waiting list row for notice %s = %q", id, waiting)
	}
	day := town.text(`#day-` + start.Format("2006-01-02") + ` tr[data-id="` + id + `"]`)
	if !strings.Contains(day, title) || !strings.Contains(day, "09:30") {
		t.Errorf("the town's calendar on %s shows %q for the notice", start.Format("2006-01-02"), day)
	}
	if res := town.click(`#waiting tr[data-id="` + id + `"] a`); res.Status != 200 || town.url().Path != "/town/notices/"+id {
		t.Fatalf("opening the notice from the waiting list: status %d at %s", res.Status, town.url())
	}
	if body := town.text("main"); strings.Contains(body, phone) {
		t.Error("the town's notice page shows the full contact phone before it is revealed")
	}
	if res := town.click(`#acknowledge button[type=submit]`); res.Status != 200 || town.url().Path != "/town/notices/"+id {
		t.Fatalf("确认: status %d at %s", res.Status, town.url())
	}
	if msgs := town.dialogMessages(); len(msgs) != 1 {
		t.Errorf("确认 asked %d confirmations, want 1: %q", len(msgs), msgs)
	}
	if st := town.text("#notice-status"); st != "已确认" {
		t.Fatalf("after 确认 the town sees %q, want 已确认", st)
	}
	if n := town.count("#acknowledge"); n != 0 {
		t.Error("the acknowledged notice still offers 确认")
	}
	if n := a.count(`SELECT count(*) FROM major_activities WHERE id = $1 AND status = 'acknowledged'
		AND decided_by = $2 AND decided_at IS NOT NULL`, id, a.accountID("demo-town")); n != 1 {
		t.Fatalf("notice %s is not acknowledged by demo-town in the database", id)
	}
	if n := a.count(`SELECT count(*) FROM major_activity_events WHERE activity_id = $1 AND from_status = 'submitted'
		AND to_status = 'acknowledged'`, id); n != 1 {
		t.Errorf("notice %s has %d acknowledgement events, want 1", id, n)
	}
	if res := town.open("/town/notices"); res.Status != 200 {
		t.Fatalf("GET /town/notices again: status %d", res.Status)
	}
	if n := town.count(`#waiting tr[data-id="` + id + `"]`); n != 0 {
		t.Error("the acknowledged notice is still waiting in the town's list")
	}

	// The committee sees the acknowledgement.
	if res := committee.open("/community/notices/" + id); res.Status != 200 {
		t.Fatalf("the committee reopening its notice: status %d", res.Status)
	}
	if st := committee.text("#notice-status"); st != "已确认" {
		t.Errorf("the committee sees status %q, want 已确认", st)
	}
	if steps := committee.text("#timeline"); !strings.Contains(steps, "已确认") {
		t.Errorf("the committee's timeline lacks the acknowledgement: %q", steps)
	}
	if res := committee.open("/community/notices"); res.Status != 200 {
		t.Fatalf("GET /community/notices: status %d", res.Status)
	}
	if row := committee.text(`#notices tr[data-id="` + id + `"]`); !strings.Contains(row, "已确认") {
		t.Errorf("the committee's list row = %q, want 已确认", row)
	}
}
