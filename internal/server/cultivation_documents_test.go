package server

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
)

// TestCultivationDocumentsUploadListDownload: a town uploads its entrusted platform's 委托协议, a home's 安家协议
// and a contract's 验收报告. A missing file, a file that is not PDF/JPG/PNG and a stale page are refused with
// nothing stored (422 at the field, 409); each document is listed on its record and downloaded as an attachment
// by those who see the record, and another town gets 404.
func TestCultivationDocumentsUploadListDownload(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "uploads")
	a := newApp(t, func(c *config.Config) { c.UploadDir = dir })
	town := a.signedIn("demo-town")
	res := town.post("/town/platforms", url.Values{"seen": {town.seen("/town/platforms/new", "platform-form")}, "kind": {registry.PlatformIncubator}, "name": {"文件测试孵化基地"},
		"staff_count": {"2"}, "run_by": {registry.RunByEntrusted}, "operator_name": {"渝北区益友社会工作服务中心"},
		"operator_kind": {registry.OperatorKinds[0]}, "contract_from": {"2026-01-01"}, "contract_to": {"2027-12-31"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d", res.StatusCode)
	}
	platform := res.Header.Get("Location")
	stored := func() int {
		entries, _ := os.ReadDir(dir)
		return len(entries) + a.count(`SELECT count(*) FROM cultivation_documents`)
	}
	page := town.get(platform).doc(t)
	seen, ok := page.Find("#entrustment-upload input[name=docs]").Attr("value")
	if !ok || seen != "0" {
		t.Fatalf("no 委托协议 form (docs %q)", seen)
	}
	docsURL := platform + "/documents"

	res = town.postMultipart(docsURL, url.Values{"docs": {seen}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="entrustment-upload-file"] .msg`).Text(), "委托协议") {
		t.Fatalf("no file: %d", res.StatusCode)
	}
	res = town.postMultipart(docsURL, url.Values{"docs": {seen}}, []upload{{"document", "协议.pdf", []byte("just text, not a PDF")}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="entrustment-upload-file"] .msg`).Text(), "只接受") {
		t.Fatalf("a text file: %d", res.StatusCode)
	}
	pdf := testPDF()
	if res := town.postMultipart(docsURL, url.Values{"docs": {"3"}}, []upload{{"document", "委托协议.pdf", pdf}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("a stale page: %d, want 409", res.StatusCode)
	}
	if res := town.postMultipart(docsURL, nil, []upload{{"document", "委托协议.pdf", pdf}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("no count: %d, want 409", res.StatusCode)
	}
	if n := stored(); n != 0 {
		t.Fatalf("refused uploads left %d files or rows", n)
	}
	if res := a.signedIn("demo-town2").postMultipart("/town"+strings.TrimPrefix(docsURL, "/town"), url.Values{"docs": {seen}},
		[]upload{{"document", "委托协议.pdf", pdf}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another town uploading: %d, want 404", res.StatusCode)
	}

	if res := town.postMultipart(docsURL, url.Values{"docs": {seen}}, []upload{{"document", "委托协议.pdf", pdf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	if res := town.postMultipart(docsURL, url.Values{"docs": {seen}}, []upload{{"document", "委托协议.pdf", pdf}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("the same form twice: %d, want 409", res.StatusCode)
	}
	page = town.get(platform).doc(t)
	link := page.Find("#documents tbody a")
	href, _ := link.Attr("href")
	if link.Length() != 1 || link.Text() != "委托协议.pdf" || !strings.Contains(page.Find("#documents").Text(), "委托协议") {
		t.Fatalf("the documents list shows %q", page.Find("#documents tbody").Text())
	}
	download := func(c *client, href string) response {
		return c.get(href)
	}
	res = download(town, href)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || res.Body != string(pdf) {
		t.Fatalf("download: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	if res := download(a.signedIn("demo-district"), "/district"+strings.TrimPrefix(href, "/town")); res.StatusCode != http.StatusOK {
		t.Errorf("the district downloading: %d", res.StatusCode)
	}
	if res := download(a.signedIn("demo-town2"), href); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town downloading: %d, want 404", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM cultivation_events WHERE kind = '上传委托协议'`); n != 1 {
		t.Errorf("%d timeline rows of the upload, want 1", n)
	}

	// 安家协议 of a group housed at the platform
	org, _ := page.Find("#home_org option[value!='']").First().Attr("value")
	if res := town.post(platform+"/housings", url.Values{"seen": {town.seen(platform, "home-form")}, "home_org": {org}, "from_on": {"2031-01-01"}, "to_on": {"2031-12-31"}, "agreement": {"安家协议〔2031〕1号"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("安家: %d %s", res.StatusCode, res.doc(t).Find(".msg").Text())
	}
	page = town.get(platform).doc(t)
	home, _ := page.Find("#home-upload select[name=housing_id] option[value!='']").First().Attr("value")
	seen, _ = page.Find("#home-upload input[name=docs]").Attr("value")
	if home == "" || seen != "1" {
		t.Fatalf("no 安家协议 form (home %q, docs %q)", home, seen)
	}
	res = town.postMultipart(platform+"/homes/documents", url.Values{"docs": {seen}, "housing_id": {"999999"}}, []upload{{"document", "安家协议.pdf", pdf}})
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-field="home-upload-home"] .msg`).Length() != 1 {
		t.Fatalf("another home: %d", res.StatusCode)
	}
	png := testPNG(t)
	if res := town.postMultipart(platform+"/homes/documents", url.Values{"docs": {seen}, "housing_id": {home}}, []upload{{"document", "安家协议.png", png}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("安家协议: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM cultivation_documents WHERE housing_id = $1 AND kind = '安家协议' AND content_type = 'image/png'`, home); n != 1 {
		t.Fatal("the 安家协议 is not stored with its home")
	}

	// 验收报告 of a contract
	form := town.get("/town/funding/contracts/new").doc(t)
	corg, _ := form.Find("#org_id option[value!='']").First().Attr("value")
	res = town.post("/town/funding/contracts", url.Values{"seen": {town.seen("/town/funding/contracts/new", "contract-form")}, "org_id": {corg}, "project": {"文件测试项目"}, "amount": {"1000"},
		"starts_on": {"2026-01-01"}, "ends_on": {"2026-12-31"}, "signed_on": {"2025-12-20"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("contract: %d", res.StatusCode)
	}
	contract := res.Header.Get("Location")
	if res := town.postMultipart(contract+"/documents", url.Values{"docs": {"0"}}, []upload{{"document", "验收报告.pdf", pdf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("验收报告: %d", res.StatusCode)
	}
	href, _ = town.get(contract).doc(t).Find("#documents tbody a").Attr("href")
	if res := download(town, href); res.StatusCode != http.StatusOK || res.Body != string(pdf) {
		t.Fatalf("the 验收报告's download: %d", res.StatusCode)
	}
	if res := download(a.signedIn("demo-town2"), href); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town downloading the 验收报告: %d, want 404", res.StatusCode)
	}
	if res := download(town, platform+"/documents/"+href[strings.LastIndex(href, "/")+1:]); res.StatusCode != http.StatusNotFound {
		t.Errorf("a contract's document under a platform's address: %d, want 404", res.StatusCode)
	}
}

// cultivationCrawlWork gives the cultivation documents' links something to show: a 委托协议 of a town's entrusted
// platform (the committee sees its town's platforms) and the 验收报告 of a town's contract (the district sees it).
func cultivationCrawlWork(t *testing.T, a *app) {
	t.Helper()
	town := a.signedIn("demo-town")
	res := town.post("/town/platforms", url.Values{"seen": {town.seen("/town/platforms/new", "platform-form")}, "kind": {registry.PlatformIncubator}, "name": {"链接测试孵化基地"},
		"staff_count": {"2"}, "run_by": {registry.RunByEntrusted}, "operator_name": {"渝北区益友社会工作服务中心"},
		"operator_kind": {registry.OperatorKinds[0]}, "contract_from": {"2026-01-01"}, "contract_to": {"2027-12-31"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("register: %d", res.StatusCode)
	}
	platform := res.Header.Get("Location")
	if res := town.postMultipart(platform+"/documents", url.Values{"docs": {"0"}}, []upload{{"document", "委托协议.pdf", testPDF()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("委托协议: %d", res.StatusCode)
	}
	district := a.signedIn("demo-district")
	res = district.post("/district/platforms", url.Values{"seen": {district.seen("/district/platforms/new", "platform-form")}, "kind": {registry.PlatformFederation}, "name": {"链接测试联合会"},
		"staff_count": {"2"}, "run_by": {registry.RunByEntrusted}, "operator_name": {"渝北区社区社会组织联合会"},
		"operator_kind": {registry.OperatorKinds[0]}, "contract_from": {"2026-01-01"}, "contract_to": {"2027-12-31"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("register the district's: %d %s", res.StatusCode, res.doc(t).Find(".msg").Text())
	}
	if res := district.postMultipart(res.Header.Get("Location")+"/documents", url.Values{"docs": {"0"}}, []upload{{"document", "委托协议.pdf", testPDF()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the district's 委托协议: %d", res.StatusCode)
	}
	contract := firstLink(t, town, "/town/funding", "#contracts tbody a")
	seen, _ := town.get(contract).doc(t).Find("#acceptance-upload input[name=docs]").Attr("value")
	if res := town.postMultipart(contract+"/documents", url.Values{"docs": {seen}}, []upload{{"document", "验收报告.pdf", testPDF()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("验收报告: %d", res.StatusCode)
	}
	// a 慈善组织认定 with its document, for every tier's register (charity.go): a group of the demo committee's
	org := strconv.Itoa(a.count(`SELECT id FROM organizations WHERE tier = 'registered' AND status = 'normal'
		AND community_code = $1 ORDER BY id LIMIT 1`, seed.CommunityDemo))
	if res := district.postMultipart("/district/orgs/"+org+"/charity", url.Values{"decisions": {"0"}, "charity_status": {"recognized"},
		"charity_on": {"2024-05-06"}, "charity_body": {"重庆市渝北区民政局"}}, []upload{{"document", "认定决定书.pdf", testPDF()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("慈善组织认定: %d", res.StatusCode)
	}
}
