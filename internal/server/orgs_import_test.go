package server

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/seed"
)

// ledgerFile builds a 台账 workbook with header and rows.
func ledgerFile(t *testing.T, header []string, rows [][]string, tweak func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", ledger.SheetName); err != nil {
		t.Fatal(err)
	}
	for y, r := range append([][]string{header}, rows...) {
		for x, v := range r {
			cell, _ := excelize.CoordinatesToCellName(x+1, y+1)
			if err := f.SetCellStr(ledger.SheetName, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if tweak != nil {
		tweak(f)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ledgerRow is a good row of a town's 台账 for 锦华社区 (demo-community's), named with zihao.
func ledgerRow(zihao string, change map[string]string) []string {
	v := map[string]string{ledger.ColCommunity: "锦华社区", ledger.ColZihao: zihao, ledger.ColField: "舞蹈",
		ledger.ColForm: "队", ledger.ColFields: "文体娱乐、邻里互助", ledger.ColNature: "互助性",
		ledger.ColFoundedOn: "2021-07-21", ledger.ColLeader: "李秀英", ledger.ColPhone: "13812345678",
		ledger.ColVenue: "社区活动室", ledger.ColMembers: "30", ledger.ColVolunteers: "3"}
	for k, x := range change {
		v[k] = x
	}
	var out []string
	for _, c := range ledger.Columns(true) {
		out = append(out, v[c])
	}
	return out
}

func (c *client) uploadLedger(path string, data []byte) response {
	c.t.Helper()
	return c.postMultipart(path, url.Values{}, []upload{{field: "file", name: "台账.xlsx", data: data}})
}

func TestOrgImportTemplateDownloads(t *testing.T) {
	a := newApp(t, nil)
	for _, who := range []struct {
		user, path string
		header     []string
	}{
		{"demo-town", "/town/orgs/import/template.xlsx", ledger.Columns(true)},
		{"demo-community", "/community/orgs/import/template.xlsx", ledger.Columns(false)},
	} {
		res := a.signedIn(who.user).get(who.path)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("%s: %d %s", who.path, res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		f, err := excelize.OpenReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(ledger.SheetName)
		_ = f.Close()
		if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != strings.Join(who.header, ",") {
			t.Errorf("%s: header %v, %v", who.path, rows, err)
		}
	}
	// The page links it; the district has neither.
	d := a.signedIn("demo-community").get("/community/orgs/import").doc(t)
	if href, _ := d.Find("#template-link").Attr("href"); href != "/community/orgs/import/template.xlsx" {
		t.Errorf("template link %q", href)
	}
	if d.Find(`form[enctype="multipart/form-data"] input[type=file][name=file]`).Length() != 1 {
		t.Error("no upload form")
	}
	if res := a.signedIn("demo-district").get("/district/orgs/import"); res.StatusCode != http.StatusNotFound {
		t.Errorf("district import page: %d", res.StatusCode)
	}
}

func TestOrgImportGoodFile(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	data := ledgerFile(t, ledger.Columns(true), [][]string{
		ledgerRow("导入甲", nil),
		ledgerRow("导入乙", map[string]string{ledger.ColIDNumber: "11010519491231002X"}),
		ledgerRow("导入丙", map[string]string{ledger.ColFields: "志愿服务"}),
	}, nil)
	before := a.count(`SELECT count(*) FROM organizations`)
	res := c.uploadLedger("/town/orgs/import", data)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("check: %d %s", res.StatusCode, res.Body)
	}
	d := res.doc(t)
	if !strings.Contains(d.Find("#import-count").Text(), "将导入 3 个组织") || d.Find("#import-preview tbody tr").Length() != 3 {
		t.Fatalf("preview: %q", d.Find("main").Text())
	}
	if strings.Contains(res.Body, "13812345678") {
		t.Error("preview shows the full phone number")
	}
	form := d.Find(`form[data-confirm]`)
	token, _ := form.Find(`input[name=token]`).Attr("value")
	if action, _ := form.Attr("action"); action != "/town/orgs/import/confirm" || len(token) != 64 {
		t.Fatalf("confirm form %q %q", action, token)
	}
	if a.count(`SELECT count(*) FROM organizations`) != before {
		t.Fatal("the check wrote organizations")
	}
	if n := a.count(`SELECT count(*) FROM org_imports WHERE position('13812345678' in encode(payload, 'escape')) > 0`); n != 0 {
		t.Error("kept rows hold a phone in the clear")
	}

	// Another account's token is not found and imports nothing.
	if res := a.signedIn("demo-community").post("/community/orgs/import/confirm", url.Values{"token": {token}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("another account's token: %d", res.StatusCode)
	}
	if res := a.signedIn("demo-town2").post("/town/orgs/import/confirm", url.Values{"token": {token}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town's token: %d", res.StatusCode)
	}

	res = c.post("/town/orgs/import/confirm", url.Values{"token": {token}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/town/orgs" {
		t.Fatalf("confirm: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if flash := c.get("/town/orgs").doc(t).Find(".flash").Text(); !strings.Contains(flash, "已导入 3 个组织") {
		t.Errorf("flash %q", flash)
	}
	if got := a.count(`SELECT count(*) FROM organizations WHERE community_code = $1 AND tier = 'guided'
		AND legal_form = '未登记团体' AND name LIKE '%导入_舞蹈队' AND leader_phone_mask = '138****5678'
		AND leader_phone_enc IS NOT NULL AND position('13812345678' in encode(leader_phone_enc, 'escape')) = 0`,
		seed.CommunityDemo); got != 3 {
		t.Errorf("%d imported organizations in 锦华社区 with sealed phones, want 3", got)
	}
	if got := a.count(`SELECT count(*) FROM organizations WHERE name LIKE '%导入乙舞蹈队' AND leader_id_mask = '110***********002X'`); got != 1 {
		t.Error("the ID number was not kept masked and sealed")
	}
	if got := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.import' AND actor_id = $1`, a.accountID("demo-town")); got != 1 {
		t.Errorf("%d audit rows", got)
	}
	if got := a.count(`SELECT count(*) FROM org_imports`); got != 0 {
		t.Errorf("%d kept imports left", got)
	}
	// The token is spent.
	if res := c.post("/town/orgs/import/confirm", url.Values{"token": {token}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("second confirm: %d", res.StatusCode)
	}
}

func TestOrgImportBadRowsImportNothing(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	// A committee's own sheet, without the community column.
	cut := func(r []string) []string { return r[1:] }
	data := ledgerFile(t, ledger.Columns(false), [][]string{
		cut(ledgerRow("坏行甲", nil)),
		cut(ledgerRow("Ab坏", map[string]string{ledger.ColPhone: "1381234"})),
		cut(ledgerRow("坏行乙", nil)),
		cut(ledgerRow("坏行丙", nil)),
		cut(ledgerRow("坏行甲", nil)),
	}, nil)
	before := a.count(`SELECT count(*) FROM organizations`)
	res := c.uploadLedger("/community/orgs/import", data)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	d := res.doc(t)
	var got []string
	d.Find("#row-problems tbody tr").Each(func(_ int, s *goquery.Selection) {
		td := s.Find("td")
		got = append(got, td.Eq(0).Text()+"|"+td.Eq(1).Text()+"|"+td.Eq(2).Text()+"|"+td.Eq(3).Text())
	})
	want := []string{"第 3 行|字号|Ab坏|", "第 3 行|负责人电话|***1234|负责人电话", "第 6 行|名称|渝北区双龙湖街道锦华社区坏行甲舞蹈队|与第 2 行的组织名称重复"}
	if len(got) != len(want) {
		t.Fatalf("problems %q", got)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d: %q, want %q…", i, got[i], want[i])
		}
	}
	if !strings.Contains(got[0], "汉字") {
		t.Errorf("Latin letter reason: %q", got[0])
	}
	if strings.Contains(res.Body, "1381234<") {
		t.Error("phone shown unmasked")
	}
	if !strings.Contains(d.Find("#row-problems-summary").Text(), "共 2 行") {
		t.Errorf("summary %q", d.Find("#row-problems-summary").Text())
	}
	if a.count(`SELECT count(*) FROM organizations`) != before || a.count(`SELECT count(*) FROM org_imports`) != 0 {
		t.Error("a bad file wrote something")
	}

	// A name a live organization already has is a row problem too.
	res = c.uploadLedger("/community/orgs/import", ledgerFile(t, ledger.Columns(false), [][]string{cut(ledgerRow("坏行甲", nil))}, nil))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("single good row: %d", res.StatusCode)
	}
	token, _ := res.doc(t).Find(`input[name=token]`).Attr("value")
	if res := c.post("/community/orgs/import/confirm", url.Values{"token": {token}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	res = c.uploadLedger("/community/orgs/import", ledgerFile(t, ledger.Columns(false), [][]string{cut(ledgerRow("坏行甲", nil))}, nil))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find("#row-problems").Text(), "同名") {
		t.Errorf("taken name: %d", res.StatusCode)
	}
}

func TestOrgImportNameTakenBeforeConfirm(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	data := ledgerFile(t, ledger.Columns(false), [][]string{ledgerRow("抢先", nil)[1:], ledgerRow("随后", nil)[1:]}, nil)
	res := c.uploadLedger("/community/orgs/import", data)
	token, _ := res.doc(t).Find(`input[name=token]`).Attr("value")
	// The town imports the same name first.
	town := a.signedIn("demo-town")
	res = town.uploadLedger("/town/orgs/import", ledgerFile(t, ledger.Columns(true), [][]string{ledgerRow("抢先", nil)}, nil))
	townToken, _ := res.doc(t).Find(`input[name=token]`).Attr("value")
	if res := town.post("/town/orgs/import/confirm", url.Values{"token": {townToken}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("town confirm: %d", res.StatusCode)
	}
	before := a.count(`SELECT count(*) FROM organizations`)
	res = c.post("/community/orgs/import/confirm", url.Values{"token": {token}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "没有导入任何组织") {
		t.Fatalf("status %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM organizations`) != before {
		t.Error("part of the import was written")
	}
}

func TestOrgImportRefusesFiles(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	formula := ledgerFile(t, ledger.Columns(true), [][]string{ledgerRow("公式", nil)}, func(f *excelize.File) {
		_ = f.SetCellFormula(ledger.SheetName, "H2", `"13812345678"`)
	})
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"formula", formula, "H2"},
		{"text renamed .xlsx", []byte("社区(村)名称,字号\n锦华社区,夕阳红\n"), "不是 Excel 工作簿"},
		{"header only", ledgerFile(t, ledger.Columns(true), nil, nil), "没有数据行"},
	} {
		res := c.uploadLedger("/town/orgs/import", tc.data)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", tc.name, res.StatusCode)
			continue
		}
		if msg := res.doc(t).Find("#file-problem").Text(); !strings.Contains(msg, tc.want) {
			t.Errorf("%s: message %q lacks %q", tc.name, msg, tc.want)
		}
	}
	// A form post without a file is refused the same way, not a server error.
	if res := c.post("/town/orgs/import", url.Values{}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("no file: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM org_imports`); n != 0 {
		t.Errorf("%d kept imports", n)
	}
}

func TestOrgImportOutsideJurisdiction(t *testing.T) {
	a := newApp(t, nil)
	// demo-town2 (统景镇) names demo-town's 锦华社区.
	res := a.signedIn("demo-town2").uploadLedger("/town/orgs/import",
		ledgerFile(t, ledger.Columns(true), [][]string{ledgerRow("越界", nil)}, nil))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	row := res.doc(t).Find("#row-problems tbody tr")
	if row.Length() != 1 || !strings.Contains(row.Text(), "不在管辖范围") || !strings.Contains(row.Text(), "第 2 行") {
		t.Errorf("problems %q", row.Text())
	}
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM organizations WHERE name_zihao = '越界'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("written: %d %v", n, err)
	}
}
