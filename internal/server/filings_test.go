package server

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/uploads"
)

// filingApp is a portal whose uploads go to a folder of the test's own.
func filingApp(t *testing.T) (*app, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "uploads")
	return newApp(t, func(c *config.Config) { c.UploadDir = dir; c.BaseURL = "https://cso.example.gov.cn" }), dir
}

type upload struct {
	field, name string
	data        []byte
}

func testPDF() []byte {
	return []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
		"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
}

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(0, 0, color.RGBA{G: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const filingTestPhone = "13987654321"

var filingTestID = rules.MakeIDNumber("50011219850615432")

// filingForm is a valid 成立备案 of a dance group in demo-town's demo community.
func filingForm(zihao string) url.Values {
	return url.Values{"community": {seed.CommunityDemo}, "zihao": {zihao}, "field": {"舞蹈"}, "form": {"队"},
		"service_fields": {"文体娱乐", "邻里互助"}, "nature": {"互助性"}, "beneficiaries": {"社区居民"},
		"founded_on": {"2021-07-21"}, "venue": {"社区活动室"}, "members": {"30"}, "volunteers": {"3"},
		"funding": {"会员自筹"}, "guide_unit": {"锦华社区居民委员会"}, "party_status": {"未覆盖"},
		"party_members": {"0"}, "leader_name": {"李秀英"}, "leader_phone": {filingTestPhone},
		"leader_id": {filingTestID}, "charter": {"以舞会友，丰富居民文化生活。"}}
}

// postMultipart submits a multipart form the way a browser on the portal's own page does.
func (c *client) postMultipart(path string, form url.Values, files []upload) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		_, _ = w.Write(f.data)
	}
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.app.srv.URL+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.app.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

func filesIn(t *testing.T, dir string) int {
	t.Helper()
	es, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// fileFiling submits a valid 成立备案 as c and returns the filing's path.
func fileFiling(t *testing.T, c *client, zihao string) string {
	t.Helper()
	res := c.postMultipart("/town/filings", filingForm(zihao), []upload{
		{"doc_charter", "章程.pdf", testPDF()}, {"doc_roster", "成员名册.png", testPNG(t)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("file: %d\n%s", res.StatusCode, res.Body)
	}
	return res.Header.Get("Location")
}

// versionOn reads the version an action form on the page carries.
func versionOn(t *testing.T, res response) string {
	t.Helper()
	v, ok := res.doc(t).Find(`form[action$="/approve"] input[name=version]`).Attr("value")
	if !ok {
		t.Fatalf("no approve form on the page:\n%s", res.Body)
	}
	return v
}

func approve(t *testing.T, c *client, path string) response {
	t.Helper()
	return c.post(path+"/approve", url.Values{"version": {versionOn(t, c.get(path))}})
}

func TestFilingEndToEnd(t *testing.T) {
	a, dir := filingApp(t)
	soleTownOfficer(t, a) // demo-town decides the filings it submits
	town := a.signedIn("demo-town")
	if res := town.get("/town/filings/new"); res.StatusCode != http.StatusOK ||
		res.doc(t).Find(`form[enctype="multipart/form-data"] input[type=file][name=doc_charter]`).Length() != 1 {
		t.Fatalf("new form: %d", res.StatusCode)
	}
	path := fileFiling(t, town, "舞悦")
	if !strings.HasPrefix(path, "/town/filings/") {
		t.Fatalf("redirect to %q", path)
	}
	if n := filesIn(t, dir); n != 2 {
		t.Fatalf("%d files stored", n)
	}
	res := town.get(path)
	doc := res.doc(t)
	if res.StatusCode != http.StatusOK || doc.Find("#filing-status").Text() != "待审核" {
		t.Fatalf("detail: %d %q", res.StatusCode, doc.Find("#filing-status").Text())
	}
	if strings.Contains(res.Body, filingTestPhone) || strings.Contains(res.Body, filingTestID) ||
		!strings.Contains(res.Body, "139****4321") {
		t.Fatal("the detail page shows personal data unmasked")
	}
	if list := town.get("/town/filings"); !strings.Contains(list.Body, "渝北区双龙湖街道") ||
		list.doc(t).Find(`#filings a[href="`+path+`"]`).Length() != 1 {
		t.Fatalf("the town's list lacks the filing")
	}

	// Documents are downloaded as attachments.
	links := doc.Find("#documents a")
	if links.Length() != 2 {
		t.Fatalf("%d document links", links.Length())
	}
	href, _ := links.First().Attr("href")
	dl := town.get(href)
	if dl.StatusCode != http.StatusOK || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") ||
		dl.Header.Get("X-Content-Type-Options") != "nosniff" || dl.Body != string(testPDF()) ||
		dl.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("download: %d %v", dl.StatusCode, dl.Header)
	}

	// 准予备案: the organization exists, filed, with its number.
	if res := approve(t, town, path); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", res.StatusCode, res.Body)
	}
	res = town.get(path)
	doc = res.doc(t)
	if doc.Find("#filing-status").Text() != "已备案" || !strings.Contains(doc.Find(".flash").Text(), "渝北社备〔") {
		t.Fatalf("after approval: %q %q", doc.Find("#filing-status").Text(), doc.Find(".flash").Text())
	}
	// Submission, approval and the organization's 备案 event all name demo-town by its display name.
	checkActors(t, doc.Find("#timeline tbody tr td:nth-child(2)"), []string{"双龙湖街道演示账号", "双龙湖街道演示账号",
		"双龙湖街道演示账号", "双龙湖街道演示账号"}, []string{"demo-town", "demo-town", "demo-town", "demo-town"})
	var filingNo string
	name := "渝北区双龙湖街道" + divisionName(t, a, seed.CommunityDemo) + "舞悦舞蹈队"
	if n := a.count(`SELECT count(*) FROM organizations WHERE name = $1 AND tier = 'filed'
		AND filing_no ~ '^渝北社备〔[0-9]{4}〕002-[0-9]{4}号$'`, name); n != 1 {
		t.Fatalf("%d filed organizations named %s", n, name)
	}
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT filing_no FROM organizations WHERE name = $1`, name).
		Scan(&filingNo); err != nil {
		t.Fatal(err)
	}
	if n := a.count(`SELECT count(*) FROM org_documents d JOIN organizations o ON o.id = d.org_id
		WHERE o.name = $1`, name); n != 2 {
		t.Fatalf("%d documents attached to the organization", n)
	}

	// 备案证明 with its QR code.
	cert := town.get(path + "/certificate")
	cdoc := cert.doc(t)
	if cert.StatusCode != http.StatusOK || cdoc.Find("#cert-no").Text() != filingNo ||
		!strings.Contains(cert.Body, "社区社会组织备案证明") || !strings.Contains(cert.Body, "双龙湖街道办事处") {
		t.Fatalf("certificate: %d\n%s", cert.StatusCode, cert.Body)
	}
	if strings.Contains(cert.Body, filingTestPhone) || strings.Contains(cert.Body, "139****4321") {
		t.Fatal("the certificate shows the leader's phone")
	}
	src, _ := cdoc.Find("#cert-qr").Attr("src")
	b64, ok := strings.CutPrefix(src, "data:image/png;base64,")
	if !ok {
		t.Fatalf("QR src %.60q", src)
	}
	pngBytes, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(bytes.NewReader(pngBytes)); err != nil || img.Bounds().Dx() < 100 {
		t.Fatalf("QR is not a PNG: %v", err)
	}
	verifyURL := cdoc.Find("#cert-verify-url").Text()
	token, ok := strings.CutPrefix(verifyURL, "https://cso.example.gov.cn/verify/")
	if !ok || len(token) != 32 {
		t.Fatalf("verify URL %q", verifyURL)
	}
	if res := a.signedIn("demo-district").get("/district" + strings.TrimPrefix(path, "/town") + "/certificate"); res.StatusCode != http.StatusOK {
		t.Fatalf("district certificate: %d", res.StatusCode)
	}

	// The public verification page: valid, and nothing personal.
	pub := a.client().get("/verify/" + token)
	if pub.StatusCode != http.StatusOK || pub.doc(t).Find("#verify-status").Text() != "有效" ||
		!strings.Contains(pub.Body, filingNo) || !strings.Contains(pub.Body, name) {
		t.Fatalf("verify: %d\n%s", pub.StatusCode, pub.Body)
	}
	for _, secret := range []string{filingTestPhone, "4321", filingTestID, "李秀英"} {
		if strings.Contains(pub.Body, secret) {
			t.Fatalf("the public page shows %q", secret)
		}
	}
	if res := a.client().get("/verify/0123456789abcdef0123456789abcdef"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown token: %d", res.StatusCode)
	}
	if res := a.client().get("/verify/nonsense"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("malformed token: %d", res.StatusCode)
	}
}

func divisionName(t *testing.T, a *app, code string) string {
	t.Helper()
	var name string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT name FROM divisions WHERE code = $1`, code).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}

// refusedFiling checks that a refused form wrote nothing and kept what was typed.
func refusedFiling(t *testing.T, a *app, dir string, res response, filingsBefore int) *goquery.Document {
	t.Helper()
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM filings`); n != filingsBefore {
		t.Fatalf("filings %d → %d", filingsBefore, n)
	}
	if n := filesIn(t, dir); n != 0 {
		t.Fatalf("%d files left in the upload folder", n)
	}
	doc := res.doc(t)
	if doc.Find(".errors").Length() != 1 {
		t.Fatal("no problem summary")
	}
	if v, _ := doc.Find("input[name=venue]").Attr("value"); v != "社区活动室" {
		t.Fatalf("venue not kept: %q", v)
	}
	if v, _ := doc.Find("input[name=leader_id]").Attr("value"); v != "" {
		t.Fatal("the ID number was echoed back")
	}
	if !strings.Contains(res.Body, "请重新选择文件") {
		t.Fatal("the page does not say the files must be chosen again")
	}
	return doc
}

func TestFilingRefusesDisguisedFiles(t *testing.T) {
	a, dir := filingApp(t)
	town := a.signedIn("demo-town")
	before := a.count(`SELECT count(*) FROM filings`)
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), bytes.Repeat([]byte{0}, 300)...)
	html := []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>")
	for name, data := range map[string][]byte{"setup.pdf": exe, "page.pdf": html} {
		res := town.postMultipart("/town/filings", filingForm("舞韵"), []upload{{"doc_charter", name, data}})
		doc := refusedFiling(t, a, dir, res, before)
		if msg := doc.Find(".field.bad .msg").Text(); !strings.Contains(msg, "只接受 PDF、JPG 或 PNG") {
			t.Fatalf("%s: message %q", name, msg)
		}
	}
	// A good charter with a disguised roster is refused whole: the charter is not kept either.
	res := town.postMultipart("/town/filings", filingForm("舞韵"), []upload{
		{"doc_charter", "章程.pdf", testPDF()}, {"doc_roster", "名册.png", html}})
	refusedFiling(t, a, dir, res, before)
}

func TestFilingRefusesOversizeFiles(t *testing.T) {
	a, dir := filingApp(t)
	town := a.signedIn("demo-town")
	before := a.count(`SELECT count(*) FROM filings`)
	big := append(testPDF(), bytes.Repeat([]byte("0"), uploads.MaxFileSize)...)
	res := town.postMultipart("/town/filings", filingForm("舞韵"), []upload{{"doc_charter", "big.pdf", big}})
	doc := refusedFiling(t, a, dir, res, before)
	if msg := doc.Find(".field.bad .msg").Text(); !strings.Contains(msg, "超过 10 MB") {
		t.Fatalf("message %q", msg)
	}
	// A request bigger than any good form is cut off before it is read whole.
	huge := bytes.Repeat([]byte("0"), 2*uploads.MaxFileSize+2<<20)
	res = town.postMultipart("/town/filings", filingForm("舞韵"), []upload{{"doc_charter", "huge.pdf", huge}})
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("huge request: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM filings`); n != before || filesIn(t, dir) != 0 {
		t.Fatal("a huge request wrote something")
	}
}

func TestFilingInvalidFields(t *testing.T) {
	a, dir := filingApp(t)
	town := a.signedIn("demo-town")
	before := a.count(`SELECT count(*) FROM filings`)
	form := filingForm("中国")
	form.Set("leader_phone", "12345")
	form.Set("leader_id", "500112198506154320")
	form.Set("members", "很多")
	form.Del("service_fields")
	form.Set("founded_on", "2999-01-01")
	res := town.postMultipart("/town/filings", form, []upload{{"doc_charter", "章程.pdf", testPDF()}})
	doc := refusedFiling(t, a, dir, res, before)
	for _, name := range []string{"zihao", "leader_phone", "leader_id", "members", "founded_on"} {
		f := doc.Find("#" + name).Parent()
		if !f.HasClass("bad") || f.Find(".msg").Text() == "" {
			t.Errorf("no message at %s", name)
		}
	}
	if v, _ := doc.Find("input[name=leader_phone]").Attr("value"); v != "12345" {
		t.Errorf("phone not kept: %q", v)
	}
	if doc.Find(`input[name=service_fields]:checked`).Length() != 0 || !strings.Contains(res.Body, "至少一个服务领域") {
		t.Error("service fields problem missing")
	}
	// Missing charter document.
	res = town.postMultipart("/town/filings", filingForm("舞韵"), nil)
	doc = refusedFiling(t, a, dir, res, before)
	if !strings.Contains(doc.Find(".field.bad .msg").Text(), "请上传章程") {
		t.Fatal("no message for the missing charter")
	}
	// A community of another town is refused like a missing one.
	form = filingForm("舞韵")
	form.Set("community", seed.CommunityDemoRural)
	res = town.postMultipart("/town/filings", form, []upload{{"doc_charter", "章程.pdf", testPDF()}})
	refusedFiling(t, a, dir, res, before)
}

func TestFilingJurisdiction(t *testing.T) {
	a, _ := filingApp(t)
	soleTownOfficer(t, a) // demo-town decides the filings it submits
	town := a.signedIn("demo-town")
	other := a.signedIn("demo-town2")
	path := fileFiling(t, town, "舞悦")
	docHref, _ := town.get(path).doc(t).Find("#documents a").First().Attr("href")
	version := versionOn(t, town.get(path))

	for _, p := range []string{path, docHref, path + "/certificate"} {
		if res := other.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("demo-town2 GET %s: %d", p, res.StatusCode)
		}
	}
	for _, p := range []string{path + "/approve", path + "/return"} {
		if res := other.post(p, url.Values{"version": {version}, "reason": {"越权"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("demo-town2 POST %s: %d", p, res.StatusCode)
		}
	}
	if res := other.get("/town/filings"); strings.Contains(res.Body, `"`+path+`"`) {
		t.Error("demo-town2's list shows demo-town's filing")
	}
	if n := a.count(`SELECT count(*) FROM filings WHERE status <> 'submitted' AND id::text = $1`,
		path[strings.LastIndex(path, "/")+1:]); n != 0 {
		t.Fatal("another town decided the filing")
	}
	district := a.signedIn("demo-district")
	dpath := "/district" + strings.TrimPrefix(path, "/town")
	if res := district.get("/district/filings"); !strings.Contains(res.Body, dpath) {
		t.Error("the district's list lacks the filing")
	}
	res := district.get(dpath)
	if res.StatusCode != http.StatusOK || res.doc(t).Find(`form[action$="/approve"]`).Length() != 0 {
		t.Errorf("district detail: %d, or it offers decisions", res.StatusCode)
	}
	if res := district.get("/district" + strings.TrimPrefix(docHref, "/town")); res.StatusCode != http.StatusOK {
		t.Errorf("district document: %d", res.StatusCode)
	}
	if res := a.signedIn("demo-community").get("/community/filings"); res.StatusCode != http.StatusNotFound {
		t.Errorf("community filings: %d", res.StatusCode)
	}

	// After approval: the certificate and the 变更/注销 forms stay out of demo-town2's reach.
	if res := town.post(path+"/approve", url.Values{"version": {version}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	changeHref, _ := town.get(path).doc(t).Find(`a[href*="/new-change?org="]`).Attr("href")
	if changeHref == "" {
		t.Fatal("no 变更备案 link on the approved filing")
	}
	for _, p := range []string{path + "/certificate", changeHref, strings.Replace(changeHref, "new-change", "new-cancel", 1)} {
		if res := other.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("demo-town2 GET %s: %d", p, res.StatusCode)
		}
	}
	if res := other.post(strings.Replace(changeHref, "new-change", "new-cancel", 1),
		url.Values{"cancel_on": {"2026-01-01"}, "reason": {"越权"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("demo-town2 files a cancellation: %d", res.StatusCode)
	}
}

func TestFilingConcurrentApprovals(t *testing.T) {
	a, _ := filingApp(t)
	soleTownOfficer(t, a) // demo-town decides the filings it submits
	first, second := a.signedIn("demo-town"), a.signedIn("demo-town")
	path := fileFiling(t, first, "舞悦")
	version := versionOn(t, first.get(path))
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	for i, c := range []*client{first, second} {
		wg.Go(func() {
			statuses[i] = c.post(path+"/approve", url.Values{"version": {version}}).StatusCode
		})
	}
	wg.Wait()
	if !(statuses[0] == http.StatusSeeOther && statuses[1] == http.StatusConflict ||
		statuses[0] == http.StatusConflict && statuses[1] == http.StatusSeeOther) {
		t.Fatalf("statuses %v, want one 303 and one 409", statuses)
	}
	name := "渝北区双龙湖街道" + divisionName(t, a, seed.CommunityDemo) + "舞悦舞蹈队"
	if n := a.count(`SELECT count(*) FROM organizations WHERE name = $1`, name); n != 1 {
		t.Fatalf("%d organizations", n)
	}
	if n := a.count(`SELECT last FROM filing_numbers WHERE town_code = $1`, seed.TownShuanglonghu); n != 1 {
		t.Fatalf("counter at %d: a number was allocated twice", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'filing.approve' AND actor_division = $1`,
		seed.TownShuanglonghu); n != 1 { // the demo approves one filing of another town
		t.Fatalf("%d approvals audited", n)
	}
}

func TestFilingReturnNeedsReason(t *testing.T) {
	a, _ := filingApp(t)
	soleTownOfficer(t, a) // demo-town decides the filings it submits
	town := a.signedIn("demo-town")
	path := fileFiling(t, town, "舞悦")
	version := versionOn(t, town.get(path))
	res := town.post(path+"/return", url.Values{"version": {version}, "reason": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "请填写退回理由") {
		t.Fatalf("return without reason: %d", res.StatusCode)
	}
	res = town.post(path+"/return", url.Values{"version": {version}, "reason": {"章程缺少活动内容，请补充后重新提交"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", res.StatusCode)
	}
	doc := town.get(path).doc(t)
	if doc.Find("#filing-status").Text() != "已退回" || !strings.Contains(doc.Find("#timeline").Text(), "章程缺少活动内容") ||
		doc.Find(`form[action$="/approve"]`).Length() != 0 {
		t.Fatal("returned filing page")
	}
	// The stale form now conflicts.
	if res := town.post(path+"/approve", url.Values{"version": {version}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("approving a returned filing: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM filing_numbers WHERE town_code = $1`, seed.TownShuanglonghu); n != 0 {
		t.Fatal("a number was allocated for a returned filing")
	}
}

func TestFilingChangeAndCancel(t *testing.T) {
	a, _ := filingApp(t)
	soleTownOfficer(t, a) // demo-town decides the filings it submits
	town := a.signedIn("demo-town")
	path := fileFiling(t, town, "舞悦")
	if res := approve(t, town, path); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	certBefore := town.get(path + "/certificate").doc(t)
	filingNo := certBefore.Find("#cert-no").Text()
	token := strings.TrimPrefix(certBefore.Find("#cert-verify-url").Text(), "https://cso.example.gov.cn/verify/")
	changeHref, _ := town.get(path).doc(t).Find(`a[href*="/new-change?org="]`).Attr("href")
	orgID := strings.TrimPrefix(changeHref, "/town/filings/new-change?org=")

	// 变更备案: a new venue and member count; nothing changed is refused first.
	form := town.get(changeHref)
	if form.StatusCode != http.StatusOK {
		t.Fatalf("change form: %d", form.StatusCode)
	}
	same := url.Values{"leader_name": {"李秀英"}, "venue": {"社区活动室"}, "members": {"30"}, "volunteers": {"3"},
		"funding": {"会员自筹"}, "guide_unit": {"锦华社区居民委员会"}, "reason": {"无"}}
	if res := town.post(changeHref, same); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "没有填写任何变更") {
		t.Fatalf("empty change: %d", res.StatusCode)
	}
	newLeader := same
	newLeader.Set("leader_name", "赵敏")
	if res := town.post(changeHref, newLeader); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "须填写新负责人的身份证号") {
		t.Fatalf("new leader without ID: %d", res.StatusCode)
	}
	changed := url.Values{"leader_name": {"李秀英"}, "venue": {"社区文化广场"}, "members": {"45"},
		"volunteers": {"3"}, "funding": {"会员自筹"}, "guide_unit": {"锦华社区居民委员会"}, "reason": {"活动场地调整"}}
	res := town.post(changeHref, changed)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", res.StatusCode, res.Body)
	}
	changePath := res.Header.Get("Location")
	if res := approve(t, town, changePath); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve change: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND venue = '社区文化广场' AND members = 45
		AND filing_no = $2`, orgID, filingNo); n != 1 {
		t.Fatal("the change did not reach the organization")
	}
	if n := a.count(`SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = 'filing_changed'`, orgID); n != 1 {
		t.Fatal("no filing_changed timeline row")
	}

	// 注销备案.
	cancelHref := strings.Replace(changeHref, "new-change", "new-cancel", 1)
	if res := town.post(cancelHref, url.Values{"cancel_on": {""}, "reason": {""}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty cancellation: %d", res.StatusCode)
	}
	res = town.post(cancelHref, url.Values{"cancel_on": {"2026-01-05"}, "reason": {"成员自愿解散"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d\n%s", res.StatusCode, res.Body)
	}
	if res := approve(t, town, res.Header.Get("Location")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve cancel: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND status = 'dissolved'
		AND status_on = '2026-01-05' AND filing_no = $2`, orgID, filingNo); n != 1 {
		t.Fatal("the organization is not dissolved, or lost its number")
	}
	if n := a.count(`SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = 'filing_cancelled'`, orgID); n != 1 {
		t.Fatal("no filing_cancelled timeline row")
	}
	pub := a.client().get("/verify/" + token)
	if st := pub.doc(t).Find("#verify-status").Text(); !strings.Contains(st, "已注销") || !strings.Contains(st, "2026年1月5日") {
		t.Fatalf("verify after cancel: %q", st)
	}
	// A dissolved organization takes no more filings; its filing page offers none.
	if res := town.get(changeHref); res.StatusCode != http.StatusConflict {
		t.Fatalf("change form for a dissolved organization: %d", res.StatusCode)
	}
	if town.get(path).doc(t).Find(`a[href*="/new-cancel"]`).Length() != 0 {
		t.Fatal("the dissolved organization's filing still offers 注销备案")
	}
}
