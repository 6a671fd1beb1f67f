package ledger_test

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/ledger"
)

var (
	jinhua  = ledger.Community{Code: "500112002001", Name: "锦华社区", Prefix: "渝北区双龙湖街道"}
	shiping = ledger.Community{Code: "500112002002", Name: "石坪村", Prefix: "渝北区双龙湖街道"}
	now     = time.Date(2025, 6, 30, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	town    = ledger.Checker{Communities: []ledger.Community{jinhua, shiping}, Now: now}
)

// validID is a 身份证号 with a correct check character.
const validID = "11010519491231002X"

// workbook builds an xlsx with header and rows on the 台账 sheet.
func workbook(t testing.TB, header []string, rows [][]string) []byte {
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
	line := func(n int, cells []string) {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, vals); err != nil {
			t.Fatal(err)
		}
	}
	line(1, header)
	for i, r := range rows {
		line(i+2, r)
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

// row is a good town row; change adjusts it.
func row(zihao string, change map[string]string) []string {
	v := map[string]string{ledger.ColCommunity: "锦华社区", ledger.ColZihao: zihao, ledger.ColField: "舞蹈",
		ledger.ColForm: "队", ledger.ColFields: "文体娱乐、邻里互助", ledger.ColNature: "互助性",
		ledger.ColFoundedOn: "2021-07-21", ledger.ColLeader: "李秀英", ledger.ColPhone: "13812345678",
		ledger.ColIDNumber: "", ledger.ColVenue: "社区活动室", ledger.ColMembers: "30", ledger.ColVolunteers: "3"}
	for k, x := range change {
		v[k] = x
	}
	out := make([]string, 0, len(v))
	for _, c := range ledger.Columns(true) {
		out = append(out, v[c])
	}
	return out
}

// sheet is a 台账 read whole: the columns its header names and its non-empty rows.
type sheet struct {
	columns []string
	rows    []ledger.Row
}

func readBytes(t testing.TB, b []byte) (sheet, error) {
	t.Helper()
	book, err := ledger.Open(bytes.NewReader(b))
	if err != nil {
		return sheet{}, err
	}
	defer book.Close()
	s := sheet{columns: book.Columns}
	for {
		row, ok, err := book.Next()
		if err != nil {
			return sheet{}, err
		}
		if !ok {
			return s, nil
		}
		s.rows = append(s.rows, row)
	}
}

// check checks every row of s as the import job does, one at a time.
func check(c ledger.Checker, s sheet) ([]ledger.Entry, []ledger.Problem, error) {
	k, err := c.Begin(s.columns)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range s.rows {
		k.Add(r)
	}
	return k.Entries, k.Problems, nil
}

func TestCheckGoodRows(t *testing.T) {
	s, err := readBytes(t, workbook(t, ledger.Columns(true), [][]string{
		row("夕阳红", nil),
		row("", map[string]string{ledger.ColCommunity: "石坪村", ledger.ColIDNumber: validID,
			ledger.ColFoundedOn: "44398", ledger.ColPhone: "023-67891234"}),
	}))
	if err != nil {
		t.Fatal(err)
	}
	entries, problems, err := check(town, s)
	if err != nil || len(problems) != 0 {
		t.Fatalf("problems %v, err %v", problems, err)
	}
	if len(entries) != 2 {
		t.Fatalf("%d entries", len(entries))
	}
	if got := entries[0].Name(); got != "渝北区双龙湖街道锦华社区夕阳红舞蹈队" {
		t.Errorf("name %q", got)
	}
	e := entries[1]
	if e.Community.Code != shiping.Code || e.LeaderID != validID || e.LeaderPhone != "023-67891234" ||
		e.FoundedOn == nil || e.FoundedOn.Format("2006-01-02") != "2021-07-21" || e.Row != 3 {
		t.Errorf("entry %+v", e)
	}
	if len(entries[0].Fields) != 2 || entries[0].Members != 30 {
		t.Errorf("entry %+v", entries[0])
	}
}

func TestCheckReportsEveryBadRow(t *testing.T) {
	s, err := readBytes(t, workbook(t, ledger.Columns(true), [][]string{
		row("夕阳红", nil),
		row("Abc", map[string]string{ledger.ColPhone: "1381234"}),
		row("朝阳", nil),
		row("夕阳红", nil),
		row("青松", map[string]string{ledger.ColCommunity: "别处社区"}),
		row("明月", map[string]string{ledger.ColIDNumber: "110105194912310021", ledger.ColNature: "娱乐性",
			ledger.ColFields: "文体娱乐、打牌", ledger.ColMembers: "很多", ledger.ColFoundedOn: "2099-01-01"}),
	}))
	if err != nil {
		t.Fatal(err)
	}
	entries, problems, err := check(town, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("%d good entries, want 2", len(entries))
	}
	got := map[string]ledger.Problem{}
	for _, p := range problems {
		got[strconv.Itoa(p.Row)+" "+p.Column] = p
	}
	want := map[string]string{
		"3 字号":      "汉字",
		"3 负责人电话":   "负责人电话",
		"5 名称":      "与第 2 行的组织名称重复",
		"6 社区(村)名称": "不在管辖范围",
		"7 负责人身份证号": "身份证号",
		"7 性质":      "性质应为",
		"7 服务领域":    "打牌",
		"7 成员人数":    "整数",
		"7 成立日期":    "晚于今天",
	}
	for k, frag := range want {
		p, ok := got[k]
		if !ok {
			t.Errorf("no problem at %s; got %v", k, problems)
			continue
		}
		if !strings.Contains(p.Reason, frag) {
			t.Errorf("%s: reason %q lacks %q", k, p.Reason, frag)
		}
	}
	if len(problems) != len(want) {
		t.Errorf("%d problems, want %d: %v", len(problems), len(want), problems)
	}
	if v := got["3 负责人电话"].Value; strings.Contains(v, "1381234") {
		t.Errorf("phone shown unmasked: %q", v)
	}
	if v := got["7 负责人身份证号"].Value; v != "110***********0021" {
		t.Errorf("ID shown as %q", v)
	}
}

func TestCheckCommittee(t *testing.T) {
	own := jinhua
	c := ledger.Checker{Communities: []ledger.Community{own}, Own: &own, Now: now}
	cols := ledger.Columns(false)
	r := row("夕阳红", nil)[1:]
	s, err := readBytes(t, workbook(t, cols, [][]string{r}))
	if err != nil {
		t.Fatal(err)
	}
	entries, problems, err := check(c, s)
	if err != nil || len(problems) != 0 || len(entries) != 1 || entries[0].Community.Code != own.Code {
		t.Fatalf("entries %v problems %v err %v", entries, problems, err)
	}
	// A committee's sheet naming another community is refused at that row.
	s, err = readBytes(t, workbook(t, ledger.Columns(true), [][]string{row("夕阳红", map[string]string{ledger.ColCommunity: "石坪村"})}))
	if err != nil {
		t.Fatal(err)
	}
	_, problems, _ = check(c, s)
	if len(problems) != 1 || !strings.Contains(problems[0].Reason, "不在管辖范围") {
		t.Errorf("problems %v", problems)
	}
	// A town's sheet needs the community column.
	s, _ = readBytes(t, workbook(t, cols, [][]string{r}))
	var ref *ledger.Refusal
	if _, _, err := check(town, s); !errors.As(err, &ref) {
		t.Errorf("town without community column: %v", err)
	}
}

func TestReadRefuses(t *testing.T) {
	formula := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		_ = f.SetSheetName("Sheet1", ledger.SheetName)
		for i, c := range ledger.Columns(true) {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			_ = f.SetCellStr(ledger.SheetName, cell, c)
		}
		_ = f.SetCellStr(ledger.SheetName, "B2", "夕阳红")
		_ = f.SetCellFormula(ledger.SheetName, "D3", `HYPERLINK("http://evil.example","点我")`)
		var buf bytes.Buffer
		_, _ = f.WriteTo(&buf)
		return buf.Bytes()
	}
	wide := make([]string, 41)
	for i := range wide {
		wide[i] = "列" + strconv.Itoa(i)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"text renamed .xlsx", []byte("社区(村)名称,字号\n锦华社区,夕阳红\n"), "不是 Excel 工作簿"},
		{"empty", nil, "空的"},
		{"zip but not xlsx", zipOf(t), "不是 Excel 工作簿"},
		{"too large", append([]byte("PK\x03\x04"), make([]byte, ledger.MaxFileSize)...), "10 MB"},
		{"formula", formula(), "D3"},
		{"too many columns", workbook(t, wide, nil), "40 列"},
		{"missing columns", workbook(t, []string{"字号", "负责人"}, nil), "缺少列"},
		{"header only", workbook(t, ledger.Columns(true), nil), "没有数据行"},
		{"empty rows only", workbook(t, ledger.Columns(true), [][]string{make([]string, 13), {" "}}), "没有数据行"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readBytes(t, tc.data)
			var ref *ledger.Refusal
			if !errors.As(err, &ref) || !strings.Contains(ref.Reason, tc.want) {
				t.Fatalf("err %v, want a refusal with %q", err, tc.want)
			}
		})
	}
}

func TestReadRefusesLargeDimensionBeforeRows(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetName("Sheet1", ledger.SheetName)
	for i, c := range ledger.Columns(true) {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		_ = f.SetCellStr(ledger.SheetName, cell, c)
	}
	// One cell far down declares a used range of 200,000 rows.
	_ = f.SetCellStr(ledger.SheetName, "A200001", "锦华社区")
	var buf bytes.Buffer
	_, _ = f.WriteTo(&buf)
	_, err := readBytes(t, buf.Bytes())
	var ref *ledger.Refusal
	if !errors.As(err, &ref) || !strings.Contains(ref.Reason, "100000 行") {
		t.Fatalf("err %v", err)
	}
}

func TestTemplateRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := ledger.WriteTemplate(&buf, ledger.Template{Communities: []ledger.Community{jinhua, shiping}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header, _ := f.GetRows(ledger.SheetName)
	if strings.Join(header[0], ",") != strings.Join(ledger.Columns(true), ",") {
		t.Errorf("header %v", header[0])
	}
	if idx, _ := f.GetSheetIndex(ledger.GuideSheet); idx < 0 {
		t.Error("no 填写说明 sheet")
	}
	dvs, _ := f.GetDataValidations(ledger.SheetName)
	if len(dvs) < 2 {
		t.Errorf("%d drop-downs", len(dvs))
	}
	// The template reads back; its example row is caught.
	s, err := readBytes(t, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	_, problems, err := check(town, s)
	if err != nil || len(problems) != 1 || !strings.Contains(problems[0].Reason, "示例") {
		t.Errorf("problems %v err %v", problems, err)
	}
}

// A book says at once how many rows its sheet declares, and how many it has read as Next goes, so that a job can
// show its progress; empty rows count as read and are not returned.
func TestBookProgress(t *testing.T) {
	rows := [][]string{row("甲乙", nil), make([]string, 13), row("丙丁", nil), row("戊己", nil)}
	book, err := ledger.Open(bytes.NewReader(workbook(t, ledger.Columns(true), rows)))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if book.Declared != 4 {
		t.Errorf("declared %d rows, want 4", book.Declared)
	}
	var numbers []int
	var read []int
	for {
		r, ok, err := book.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		numbers = append(numbers, r.Number)
		read = append(read, book.RowsRead())
	}
	if fmt.Sprint(numbers) != "[2 4 5]" || fmt.Sprint(read) != "[1 3 4]" || book.RowsRead() != 4 {
		t.Errorf("rows %v, read %v then %d", numbers, read, book.RowsRead())
	}
}

// A check's result lists the problems by row, counts the rows they touch and keeps a bounded list; a clean
// check keeps a preview of the first rows instead.
func TestCheckResult(t *testing.T) {
	k, err := town.Begin(ledger.Columns(true))
	if err != nil {
		t.Fatal(err)
	}
	for i := range ledger.MaxListedProblems + 10 {
		k.Add(ledger.Row{Number: i + 2, Cells: map[string]string{ledger.ColCommunity: "锦华社区"}})
	}
	k.Problems = append(k.Problems, ledger.Problem{Row: 2, Column: ledger.ColName, Reason: "同名"})
	r := k.Result()
	if r.Rows != ledger.MaxListedProblems+10 || r.BadRows != r.Rows || r.ProblemCount <= ledger.MaxListedProblems ||
		len(r.Problems) != ledger.MaxListedProblems || len(r.Preview) != 0 {
		t.Fatalf("result rows %d bad %d problems %d listed %d preview %d", r.Rows, r.BadRows, r.ProblemCount,
			len(r.Problems), len(r.Preview))
	}
	for i := 1; i < len(r.Problems); i++ {
		if r.Problems[i].Row < r.Problems[i-1].Row {
			t.Fatalf("problems out of row order at %d", i)
		}
	}
	if last := r.Problems[len(r.Problems)-1]; last.Row > 2+ledger.MaxListedProblems {
		t.Errorf("the appended problem of row 2 was not sorted in: last listed row %d", last.Row)
	}

	k, _ = town.Begin(ledger.Columns(true))
	s, err := readBytes(t, workbook(t, ledger.Columns(true), [][]string{row("甲乙", nil), row("丙丁", nil)}))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range s.rows {
		k.Add(r)
	}
	if r := k.Result(); r.Rows != 2 || r.ProblemCount != 0 || len(r.Preview) != 2 || r.Preview[1].Row != 3 {
		t.Errorf("clean result %+v", r)
	}
}

func TestJobShown(t *testing.T) {
	beat := now.Add(-ledger.StaleAfter - time.Second)
	for _, tc := range []struct {
		state ledger.JobState
		beat  time.Time
		want  ledger.JobState
	}{
		{ledger.JobChecking, now.Add(-time.Second), ledger.JobChecking},
		{ledger.JobChecking, beat, ledger.JobInterrupted},
		{ledger.JobImporting, beat, ledger.JobInterrupted},
		{ledger.JobReady, beat, ledger.JobReady},
		{ledger.JobDone, beat, ledger.JobDone},
	} {
		if got := tc.state.Shown(tc.beat, now); got != tc.want {
			t.Errorf("%s, heartbeat %v ago: %s, want %s", tc.state, now.Sub(tc.beat), got, tc.want)
		}
	}
}

// zipOf is a zip archive that is no workbook.
func zipOf(t *testing.T) []byte {
	t.Helper()
	return []byte("PK\x03\x04" + strings.Repeat("x", 100))
}

// checkManyRows reads and checks a generated 台账 of n rows and expects every row accepted.
func checkManyRows(tb testing.TB, n int) {
	pool := []rune("春夏秋冬梅兰竹菊松柏山水云月星光明和美乐安康福寿喜庆吉祥如意欣荣")
	rows := make([][]string, n)
	for i := range rows {
		k := i
		z := make([]rune, 4)
		for j := range z {
			z[j] = pool[k%len(pool)]
			k /= len(pool)
		}
		community := "锦华社区"
		if i%2 == 1 {
			community = "石坪村"
		}
		rows[i] = row(string(z), map[string]string{ledger.ColCommunity: community})
	}
	data := workbook(tb, ledger.Columns(true), rows)
	if len(data) > ledger.MaxFileSize {
		tb.Fatalf("generated file of %d bytes exceeds the cap", len(data))
	}
	start := time.Now()
	s, err := readBytes(tb, data)
	if err != nil {
		tb.Fatal(err)
	}
	read := time.Since(start)
	start = time.Now()
	entries, problems, err := check(town, s)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("%d rows, %d bytes: read %v, check %v", n, len(data), read, time.Since(start))
	if len(problems) != 0 || len(entries) != n {
		tb.Fatalf("%d entries, %d problems (first %v)", len(entries), len(problems), problems[:min(3, len(problems))])
	}
}

// A generated 台账 of a few thousand rows is read and accepted whole.
func TestCheckManyRows(t *testing.T) { checkManyRows(t, 3000) }

// BenchmarkCheck100kRows reads and checks a 台账 of the largest size accepted (PERFORMANCE.md's import bar is
// 60 s for 100,000 rows, writing included); the time is a benchmark's to report, not a test's to assert.
func BenchmarkCheck100kRows(b *testing.B) {
	for range b.N {
		checkManyRows(b, ledger.MaxRows)
	}
}

func BenchmarkCheckRow(b *testing.B) {
	s, err := readBytes(b, workbook(b, ledger.Columns(true), [][]string{row("夕阳红", nil)}))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_, _, _ = check(town, s)
	}
}
