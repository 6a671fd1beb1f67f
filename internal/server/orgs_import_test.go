package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"
	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
	"github.com/yubei-cso/portal/web"
)

// ledgerFile builds a 台账 workbook with header and rows, streamed as a large export would be; formulas puts a
// formula in the named cells instead of their text.
func ledgerFile(t testing.TB, header []string, rows [][]string, formulas map[string]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", ledger.SheetName); err != nil {
		t.Fatal(err)
	}
	sw, err := f.NewStreamWriter(ledger.SheetName)
	if err != nil {
		t.Fatal(err)
	}
	for y, r := range append([][]string{header}, rows...) {
		cells := make([]any, len(r))
		for x, v := range r {
			cells[x] = v
			if name, _ := excelize.CoordinatesToCellName(x+1, y+1); formulas[name] != "" {
				cells[x] = excelize.Cell{Formula: formulas[name]}
			}
		}
		if err := sw.SetRow("A"+strconv.Itoa(y+1), cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
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

// jobState is the state a 台账 job's page shows.
func jobState(t testing.TB, res response) string {
	t.Helper()
	state, _ := res.doc(t).Find("#job-status [data-state]").Attr("data-state")
	return state
}

// waitJob follows a 台账 job's page until the job has stopped running, and gives that page.
func (c *client) waitJob(path string) response {
	c.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		res := c.get(path)
		if res.StatusCode != http.StatusOK {
			c.t.Fatalf("job page %s: %d", path, res.StatusCode)
		}
		if s := jobState(c.t, res); s != string(ledger.JobChecking) && s != string(ledger.JobImporting) {
			return res
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("job %s still running after a minute", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkLedger uploads a 台账 to path and waits for its check; it gives the job's page and the finished page.
func (c *client) checkLedger(path string, data []byte) (string, response) {
	c.t.Helper()
	res := c.uploadLedger(path, data)
	job := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(job, path+"/jobs/") {
		c.t.Fatalf("upload: %d %q %s", res.StatusCode, job, res.Body)
	}
	return job, c.waitJob(job)
}

// confirmLedger confirms the checked job and waits for its import.
func (c *client) confirmLedger(job string) response {
	c.t.Helper()
	res := c.post(job+"/confirm", url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != job {
		c.t.Fatalf("confirm: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	return c.waitJob(job)
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
	job, res := c.checkLedger("/town/orgs/import", data)
	d := res.doc(t)
	if jobState(t, res) != "ready" || d.Find("#job-status .status").Text() != "待确认" {
		t.Fatalf("checked job: %q", d.Find("#job-status").Text())
	}
	if !strings.Contains(d.Find("#import-count").Text(), "将导入 3 个组织") || d.Find("#import-preview tbody tr").Length() != 3 {
		t.Fatalf("preview: %q", d.Find("main").Text())
	}
	if strings.Contains(res.Body, "13812345678") {
		t.Error("preview shows the full phone number")
	}
	if d.Find(`meta[http-equiv=refresh]`).Length() != 0 {
		t.Error("a finished check still reloads itself")
	}
	form := d.Find(`form[data-confirm]`)
	if action, _ := form.Attr("action"); action != job+"/confirm" || form.Find("#confirm-import").Length() != 1 {
		t.Fatalf("confirm form %q", action)
	}
	if a.count(`SELECT count(*) FROM organizations`) != before {
		t.Fatal("the check wrote organizations")
	}
	if n := a.count(`SELECT count(*) FROM org_imports WHERE position('13812345678' in encode(payload, 'escape')) > 0`); n != 0 {
		t.Error("kept rows hold a phone in the clear")
	}
	if n := a.count(`SELECT count(*) FROM import_jobs WHERE position('13812345678' in encode(result, 'escape')) > 0`); n != 0 {
		t.Error("the job's preview holds a phone in the clear")
	}

	// Another account, even an officer of the same town, gets 404 on the job and its confirmation, and imports
	// nothing.
	d2 := a.signedIn("demo-district")
	if res := d2.post("/district/accounts", url.Values{"username": {"shuanglong-2"}, "display_name": {"双龙湖街道经办人"},
		"division": {seed.TownShuanglonghu}, "phone": {"023-67891234"}, "password": {"Strong@Pass123"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second town officer: %d", res.StatusCode)
	}
	colleague := a.client()
	colleague.post("/login", url.Values{"username": {"shuanglong-2"}, "password": {"Strong@Pass123"}})
	others := map[string]string{"demo-town2": job, "colleague": job,
		"demo-community": strings.Replace(job, "/town/", "/community/", 1)}
	for who, path := range others {
		oc := colleague
		if who != "colleague" {
			oc = a.signedIn(who)
		}
		if res := oc.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s sees the job: %d", who, res.StatusCode)
		}
		if res := oc.post(path+"/confirm", url.Values{}); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s confirms the job: %d", who, res.StatusCode)
		}
	}
	if a.count(`SELECT count(*) FROM organizations`) != before || jobState(t, c.get(job)) != "ready" {
		t.Fatal("another account's confirmation did something")
	}

	res = c.confirmLedger(job)
	d = res.doc(t)
	if jobState(t, res) != "done" || !strings.Contains(d.Find("#job-result").Text(), "已导入 3 个组织") {
		t.Fatalf("imported job: %q", d.Find("main").Text())
	}
	if href, _ := d.Find("#job-list-link").Attr("href"); href != "/town/orgs" {
		t.Errorf("list link %q", href)
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
	// A second confirmation (a double click, a resent form) shows the job again and imports nothing more.
	if res := c.post(job+"/confirm", url.Values{}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != job {
		t.Errorf("second confirm: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if got := a.count(`SELECT count(*) FROM organizations`); got != before+3 {
		t.Errorf("%d organizations after a second confirm, want %d", got, before+3)
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
	_, res := c.checkLedger("/community/orgs/import", data)
	if jobState(t, res) != "rejected" {
		t.Fatalf("state %q", jobState(t, res))
	}
	d := res.doc(t)
	if d.Find("#job-status .status").Text() != "未通过" || d.Find(`form[enctype="multipart/form-data"] input[type=file]`).Length() != 1 {
		t.Errorf("rejected job page: status %q, upload form %d", d.Find("#job-status .status").Text(),
			d.Find(`form[enctype="multipart/form-data"]`).Length())
	}
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
	if n := a.count(`SELECT count(*) FROM import_jobs WHERE position('1381234' in encode(result, 'escape')) > 0`); n != 0 {
		t.Error("the job's problems hold a phone in the clear")
	}

	// A name a live organization already has is a row problem too.
	job, res := c.checkLedger("/community/orgs/import", ledgerFile(t, ledger.Columns(false), [][]string{cut(ledgerRow("坏行甲", nil))}, nil))
	if jobState(t, res) != "ready" {
		t.Fatalf("single good row: %q", jobState(t, res))
	}
	if res := c.confirmLedger(job); jobState(t, res) != "done" {
		t.Fatalf("confirm: %q", jobState(t, res))
	}
	_, res = c.checkLedger("/community/orgs/import", ledgerFile(t, ledger.Columns(false), [][]string{cut(ledgerRow("坏行甲", nil))}, nil))
	if jobState(t, res) != "rejected" || !strings.Contains(res.doc(t).Find("#row-problems").Text(), "同名") {
		t.Errorf("taken name: %q", jobState(t, res))
	}
}

func TestOrgImportNameTakenBeforeConfirm(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	data := ledgerFile(t, ledger.Columns(false), [][]string{ledgerRow("抢先", nil)[1:], ledgerRow("随后", nil)[1:]}, nil)
	job, _ := c.checkLedger("/community/orgs/import", data)
	// The town imports the same name first.
	town := a.signedIn("demo-town")
	townJob, _ := town.checkLedger("/town/orgs/import", ledgerFile(t, ledger.Columns(true), [][]string{ledgerRow("抢先", nil)}, nil))
	if res := town.confirmLedger(townJob); jobState(t, res) != "done" {
		t.Fatalf("town import: %q", jobState(t, res))
	}
	before := a.count(`SELECT count(*) FROM organizations`)
	res := c.confirmLedger(job)
	d := res.doc(t)
	if jobState(t, res) != "failed" || !strings.Contains(d.Find("#file-problem").Text(), "没有导入任何组织") {
		t.Fatalf("state %q: %q", jobState(t, res), d.Find("main").Text())
	}
	if a.count(`SELECT count(*) FROM organizations`) != before {
		t.Error("part of the import was written")
	}
	if got := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.import' AND actor_id = $1`, a.accountID("demo-community")); got != 0 {
		t.Errorf("%d audit rows for a failed import", got)
	}
}

func TestOrgImportRefusesFiles(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	formula := ledgerFile(t, ledger.Columns(true), [][]string{ledgerRow("公式", nil)}, map[string]string{"H2": `"13812345678"`})
	noCommunity := ledgerFile(t, ledger.Columns(false), [][]string{ledgerRow("无社区", nil)[1:]}, nil)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"formula", formula, "H2"},
		{"text renamed .xlsx", []byte("社区(村)名称,字号\n锦华社区,夕阳红\n"), "不是 Excel 工作簿"},
		{"header only", ledgerFile(t, ledger.Columns(true), nil, nil), "没有数据行"},
		{"a town's sheet without the community column", noCommunity, "社区(村)名称"},
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
	if n := a.count(`SELECT (SELECT count(*) FROM org_imports) + (SELECT count(*) FROM import_jobs)`); n != 0 {
		t.Errorf("refused files wrote %d kept imports or jobs", n)
	}
}

func TestOrgImportOutsideJurisdiction(t *testing.T) {
	a := newApp(t, nil)
	// demo-town2 (统景镇) names demo-town's 锦华社区.
	_, res := a.signedIn("demo-town2").checkLedger("/town/orgs/import",
		ledgerFile(t, ledger.Columns(true), [][]string{ledgerRow("越界", nil)}, nil))
	if jobState(t, res) != "rejected" {
		t.Fatalf("state %q", jobState(t, res))
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

// demoTown is demo-town's officer acting in 双龙湖街道.
func demoTown(t testing.TB, db *postgres.DB) (portal.Scope, portal.Actor) {
	t.Helper()
	var id int64
	if err := db.Pool.QueryRow(context.Background(), `SELECT id FROM accounts WHERE username = 'demo-town'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu},
		portal.Actor{AccountID: id, Username: "demo-town", Tier: portal.TierTown, Division: seed.TownShuanglonghu}
}

// townJob starts a job of demo-town's checking a 台账 of rows rows, as an upload would, and gives its id.
func townJob(t testing.TB, db *postgres.DB, rows int) string {
	t.Helper()
	scope, actor := demoTown(t, db)
	id, err := db.CreateImportJob(context.Background(), scope, actor, "全镇台账.xlsx", rows)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A job's page shows what the database says of it, whichever process runs it: the progress of a half-done
// check or import, reloading itself; a job waiting for a worker; and a job whose process died, as interrupted.
func TestOrgImportJobPageShowsProgress(t *testing.T) {
	a := newApp(t, nil)
	ctx := context.Background()
	c := a.signedIn("demo-town")
	id := townJob(t, a.db, 100000)
	job := "/town/orgs/import/jobs/" + id

	d := c.get(job).doc(t)
	if st := d.Find("#job-status .status").Text(); st != "排队中" || d.Find("#job-rows").Text() != "已检查 0 / 100,000 行" {
		t.Errorf("waiting job: %q, %q", st, d.Find("#job-rows").Text())
	}
	if err := a.db.StartImportJob(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := a.db.ImportJobProgress(ctx, id, 12000); err != nil {
		t.Fatal(err)
	}
	res := c.get(job)
	d = res.doc(t)
	bar := d.Find("#job-progress progress")
	if v, _ := bar.Attr("value"); v != "12000" || bar.AttrOr("max", "") != "100000" {
		t.Errorf("progress bar value %q max %q", v, bar.AttrOr("max", ""))
	}
	if got := d.Find("#job-rows").Text() + d.Find("#job-percent").Text(); got != "已检查 12,000 / 100,000 行（12%）" {
		t.Errorf("progress text %q", got)
	}
	if st := d.Find("#job-status .status").Text(); st != "检查中" || !strings.Contains(d.Find("#job-status").Text(), "全镇台账.xlsx") {
		t.Errorf("status %q", d.Find("#job-status").Text())
	}
	if r, _ := d.Find(`head meta[http-equiv=refresh]`).Attr("content"); r != "2" {
		t.Errorf("a running job's page reloads every %q s", r)
	}
	if !strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
	}

	// Its process stops renewing the heartbeat: 中断, with the upload form to start again.
	if _, err := a.db.Pool.Exec(ctx, `UPDATE import_jobs SET heartbeat_at = now() - interval '31 seconds' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	d = c.get(job).doc(t)
	if st := d.Find("#job-status .status").Text(); st != "中断" || jobState(t, c.get(job)) != "interrupted" {
		t.Errorf("silent job shows %q", st)
	}
	if !strings.Contains(d.Find("#job-notice").Text(), "没有导入任何组织") ||
		d.Find(`form[action="/town/orgs/import"] input[type=file]`).Length() != 1 {
		t.Errorf("interrupted job page: %q", d.Find("main").Text())
	}
	if d.Find(`meta[http-equiv=refresh]`).Length() != 0 || d.Find("progress").Length() != 0 {
		t.Error("an interrupted job still shows progress")
	}
	if res := c.post(job+"/confirm", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("confirming an interrupted check: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM import_jobs WHERE id = $1 AND state = 'checking'`, id) != 1 {
		t.Error("confirming an interrupted check changed it")
	}

	// Another account of the same tier: 404 on the page and on the confirmation; malformed ids too.
	other := a.signedIn("demo-town2")
	for _, path := range []string{job, "/town/orgs/import/jobs/not-a-job", "/town/orgs/import/jobs/" + strings.ToUpper(id)} {
		if res := other.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s as demo-town2: %d", path, res.StatusCode)
		}
		if res := other.post(path+"/confirm", url.Values{}); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s/confirm as demo-town2: %d", path, res.StatusCode)
		}
	}
}

// pausingStore holds a check at its first progress write, until the test lets it go on.
type pausingStore struct {
	*postgres.DB
	once   sync.Once
	paused chan int
	resume chan struct{}
}

func (p *pausingStore) ImportJobProgress(ctx context.Context, id string, done int) error {
	err := p.DB.ImportJobProgress(ctx, id, done)
	p.once.Do(func() {
		p.paused <- done
		<-p.resume
	})
	return err
}

// manyLedgerRows are n good town rows with distinct names.
func manyLedgerRows(n int) [][]string {
	digits := []rune("零一二三四五六七八九")
	rows := make([][]string, n)
	for i := range rows {
		z := []rune("进度")
		for _, d := range strconv.Itoa(i) {
			z = append(z, digits[d-'0'])
		}
		rows[i] = ledgerRow(string(z), nil)
	}
	return rows
}

// uploadRequest is demo-town's officer's upload of data, for calling a handler directly.
func uploadRequest(t testing.TB, db *postgres.DB, data []byte) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "进度.xlsx")
	_, _ = fw.Write(data)
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/town/orgs/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return withAccount(t, db, req, "demo-town")
}

// withAccount is req made by the demo account username.
func withAccount(t testing.TB, db *postgres.DB, req *http.Request, username string) *http.Request {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM accounts WHERE username = $1`, username).Scan(&id); err != nil {
		t.Fatal(err)
	}
	acct, err := db.AccountByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return req.WithContext(context.WithValue(req.Context(), keyAccount, &acct))
}

// The check of a real file writes its progress as it goes: held at its first progress write, the job's page —
// served by another server on the same database, as a second portal process would — shows the rows done so
// far. A process asked to stop lets a running job finish; one still running when the process closes is
// stopped and says so, and nothing is kept.
func TestOrgImportProgressMidCheck(t *testing.T) {
	a := newApp(t, nil)
	rs := &responder{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	data := ledgerFile(t, ledger.Columns(true), manyLedgerRows(5000), nil)
	c := a.signedIn("demo-town")

	for _, ending := range []string{"finish", "stop-finishing", "close"} {
		store := &pausingStore{DB: a.db, paused: make(chan int), resume: make(chan struct{})}
		workers := newImportWorkers(rs.log)
		w := httptest.NewRecorder()
		handleOrgImportUpload(store, workers, web.PathsFor(portal.TierTown), rs)(w, uploadRequest(t, a.db, data))
		job := w.Header().Get("Location")
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(job, "/town/orgs/import/jobs/") {
			t.Fatalf("upload: %d %q", w.Code, job)
		}
		if done := <-store.paused; done != importProgressEvery {
			t.Errorf("first progress at %d rows", done)
		}
		d := c.get(job).doc(t)
		if got := d.Find("#job-rows").Text(); got != "已检查 2,000 / 5,000 行" {
			t.Errorf("mid-check page: %q", got)
		}
		if v, _ := d.Find("#job-progress progress").Attr("value"); v != "2000" {
			t.Errorf("mid-check bar %q", v)
		}
		finished := func() {
			t.Helper()
			res := c.waitJob(job)
			if jobState(t, res) != "ready" || !strings.Contains(res.doc(t).Find("#import-count").Text(), "将导入 5,000 个组织") {
				t.Errorf("%s: finished check: %q %q", ending, jobState(t, res), res.doc(t).Find("#import-count").Text())
			}
		}
		switch ending {
		case "finish":
			close(store.resume)
			finished()
			workers.close()
			continue
		case "stop-finishing":
			// The process is asked to stop while the job is held: it waits for the job, which completes.
			returned := make(chan struct{})
			go func() {
				workers.finish(context.Background())
				close(returned)
			}()
			select {
			case <-returned:
				t.Fatal("finish returned while a job was still running")
			case <-time.After(200 * time.Millisecond):
			}
			close(store.resume)
			<-returned
			finished()
			continue
		}
		closed := make(chan struct{})
		go func() {
			workers.close()
			close(closed)
		}()
		close(store.resume)
		<-closed
		res := c.get(job)
		if jobState(t, res) != "failed" || !strings.Contains(res.doc(t).Find("#file-problem").Text(), "服务器重新启动") {
			t.Errorf("job cut off by the close: %q %q", jobState(t, res), res.doc(t).Find("main").Text())
		}
		if n := a.count(`SELECT count(*) FROM org_imports`); n != 2 {
			t.Errorf("%d kept imports, want only the two finished runs'", n)
		}
	}
}

// A process takes on a bounded number of jobs; the next upload is asked to come back, and a place frees up as
// a job ends.
func TestImportWorkersAdmitBounded(t *testing.T) {
	w := newImportWorkers(slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer w.close()
	for i := range importAdmitted {
		if !w.admit() {
			t.Fatalf("job %d refused", i+1)
		}
	}
	if w.admit() {
		t.Fatal("one job too many admitted")
	}
	w.release()
	if !w.admit() {
		t.Error("a freed place was not given again")
	}
}

// BenchmarkOrgImport100k uploads, checks, confirms and imports a 台账 of 100,000 rows (the PERFORMANCE.md bar:
// 60 s, with progress) through the real handlers and workers on a real database, and logs how long each part
// took and the progress the job's row showed on the way. Run it alone:
// go test ./internal/server -run '^$' -bench OrgImport100k -benchtime 1x
func BenchmarkOrgImport100k(b *testing.B) {
	db := testdb.New(b)
	ctx := context.Background()
	rs := &responder{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	start := time.Now()
	data := ledgerFile(b, ledger.Columns(true), manyLedgerRows(ledger.MaxRows), nil)
	b.Logf("generated a %d-row 台账 of %.1f MB in %v", ledger.MaxRows, float64(len(data))/(1<<20), time.Since(start).Round(time.Millisecond))
	scope, actor := demoTown(b, db)
	// wait polls the job's row, as its page does, until it stops running, and gives what it saw on the way.
	wait := func(id string) (ledger.Job, []string) {
		var seen []string
		for {
			j, err := db.ImportJob(ctx, scope, actor, id)
			if err != nil {
				b.Fatal(err)
			}
			if !j.State.Running() {
				return j, seen
			}
			seen = append(seen, fmt.Sprintf("%.0fs:%d/%d", time.Since(start).Seconds(), j.RowsDone, j.RowsTotal))
			time.Sleep(2 * time.Second)
		}
	}
	for b.Loop() {
		workers := newImportWorkers(rs.log)
		r := chi.NewRouter()
		r.Post("/town/orgs/import", handleOrgImportUpload(db, workers, web.PathsFor(portal.TierTown), rs))
		r.Post("/town/orgs/import/jobs/{id}/confirm", handleOrgImportConfirm(db, workers, web.PathsFor(portal.TierTown), rs))

		start = time.Now()
		w := httptest.NewRecorder()
		r.ServeHTTP(w, uploadRequest(b, db, data))
		job := w.Header().Get("Location")
		if w.Code != http.StatusSeeOther {
			b.Fatalf("upload: %d", w.Code)
		}
		answered := time.Since(start)
		j, seen := wait(strings.TrimPrefix(job, "/town/orgs/import/jobs/"))
		checked := time.Since(start)
		if j.State != ledger.JobReady {
			b.Fatalf("check ended %s: %s %+v", j.State, j.Message, j.Result.Problems[:min(3, len(j.Result.Problems))])
		}
		b.Logf("upload answered in %v; check done at %v; progress seen %v", answered.Round(time.Millisecond),
			checked.Round(time.Millisecond), seen)

		w = httptest.NewRecorder()
		r.ServeHTTP(w, withAccount(b, db, httptest.NewRequest(http.MethodPost, job+"/confirm", nil), "demo-town"))
		if w.Code != http.StatusSeeOther {
			b.Fatalf("confirm: %d", w.Code)
		}
		j, seen = wait(j.ID)
		if j.State != ledger.JobDone || j.Imported != ledger.MaxRows {
			b.Fatalf("import ended %s: %s", j.State, j.Message)
		}
		b.Logf("import done at %v (import alone %v); progress seen %v; upload to imported: %v",
			time.Since(start).Round(time.Millisecond), (time.Since(start) - checked).Round(time.Millisecond), seen,
			time.Since(start).Round(time.Millisecond))
		workers.close()
		if _, err := db.Pool.Exec(ctx, `DELETE FROM org_events WHERE org_id IN (SELECT id FROM organizations WHERE name_zihao LIKE '进度%')`); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Pool.Exec(ctx, `DELETE FROM organizations WHERE name_zihao LIKE '进度%'`); err != nil {
			b.Fatal(err)
		}
	}
}
