package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestNeutralize(t *testing.T) {
	cases := map[string]string{
		"":                        "",
		"双龙湖街道锦华社区舞蹈队":            "双龙湖街道锦华社区舞蹈队",
		"=1+2":                    "'=1+2",
		"+86 138":                 "'+86 138",
		"-2+3":                    "'-2+3",
		"@SUM(A1)":                "'@SUM(A1)",
		"\t=cmd":                  "'\t=cmd",
		"\r=cmd":                  "'\r=cmd",
		"138****5678":             "138****5678",
		"023-****1234":            "023-****1234",
		"a=b":                     "a=b",
		"=HYPERLINK(\"x\",\"y\")": "'=HYPERLINK(\"x\",\"y\")",
	}
	for in, want := range cases {
		if got := Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestContentDisposition(t *testing.T) {
	got := ContentDisposition("统景镇社会组织名录.csv", "orgs.csv")
	want := `attachment; filename="orgs.csv"; filename*=UTF-8''%E7%BB%9F%E6%99%AF%E9%95%87%E7%A4%BE%E4%BC%9A%E7%BB%84%E7%BB%87%E5%90%8D%E5%BD%95.csv`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if got := ContentDisposition("a b\";.csv", "a\"b\r\n.csv"); got != `attachment; filename="a_b__.csv"; filename*=UTF-8''a%20b%22%3B.csv` {
		t.Fatalf("unsafe characters not encoded: %s", got)
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	c, err := NewCSV(&buf, []string{"名称", "负责人"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range [][]any{{"锦华社区舞蹈队", "张三"}, {"=1+2", "@x"}, {"逗号,引号\"", 42}} {
		if err := c.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeff名称,负责人\r\n") {
		t.Fatalf("no BOM or header: %q", out[:min(len(out), 40)])
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"名称", "负责人"}, {"锦华社区舞蹈队", "张三"}, {"'=1+2", "'@x"}, {"逗号,引号\"", "42"}}
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d", len(recs), len(want))
	}
	for i := range want {
		for j := range want[i] {
			if recs[i][j] != want[i][j] {
				t.Errorf("record %d cell %d = %q, want %q", i, j, recs[i][j], want[i][j])
			}
		}
	}
}

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "社会组织", []string{"名称", "成员人数"})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Row([]any{"锦华社区舞蹈队", 12}); err != nil {
		t.Fatal(err)
	}
	if err := x.Row([]any{"=HYPERLINK(\"http://evil\",\"x\")", 3}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Fatalf("bytes written before Close")
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("社会组织")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "名称" || rows[1][0] != "锦华社区舞蹈队" || rows[1][1] != "12" {
		t.Fatalf("rows = %q", rows)
	}
	if rows[2][0] != "'=HYPERLINK(\"http://evil\",\"x\")" {
		t.Fatalf("formula not neutralised: %q", rows[2][0])
	}
	if formula, _ := f.GetCellFormula("社会组织", "A3"); formula != "" {
		t.Fatalf("A3 holds a formula: %q", formula)
	}
	if typ, _ := f.GetCellType("社会组织", "B2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Fatalf("B2 type %v, want a number", typ)
	}
}

// A table larger than a sheet continues on a second sheet, header repeated.
func TestXLSXSpillsToNextSheet(t *testing.T) {
	var buf bytes.Buffer
	x, err := newXLSX(&buf, "社会组织", nil, []string{"名称"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"一", "二", "三", "四", "五"} {
		if err := x.Row([]any{n}); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[1] != "社会组织（2）" {
		t.Fatalf("sheets = %q", got)
	}
	first, _ := f.GetRows("社会组织")
	second, _ := f.GetRows("社会组织（2）")
	if len(first) != 4 || len(second) != 3 || second[0][0] != "名称" || second[2][0] != "五" {
		t.Fatalf("first = %q, second = %q", first, second)
	}
}

// Title rows stand above the header on every sheet, and a sheet still holds perSheet records below them.
func TestTitledXLSXKeepsTitleOnEverySheet(t *testing.T) {
	var buf bytes.Buffer
	x, err := newXLSX(&buf, "台账", []string{"双龙湖街道工作基金收支明细", "=1+1"}, []string{"日期", "金额（元）"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"一", "二", "三"} {
		if err := x.Row([]any{n, "1.00"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	first, _ := f.GetRows("台账")
	second, _ := f.GetRows("台账（2）")
	if len(first) != 5 || first[0][0] != "双龙湖街道工作基金收支明细" || first[1][0] != "'=1+1" || first[2][0] != "日期" || first[4][0] != "二" {
		t.Fatalf("first = %q", first)
	}
	if len(second) != 4 || second[2][0] != "日期" || second[3][0] != "三" {
		t.Fatalf("second = %q", second)
	}
}

func BenchmarkCSVRow(b *testing.B) {
	var buf bytes.Buffer
	c, _ := NewCSV(&buf, []string{"a", "b", "c"})
	row := []any{"双龙湖街道锦华社区舞蹈队", "138****5678", 12}
	b.ReportAllocs()
	for b.Loop() {
		if buf.Len() > 1<<20 {
			buf.Reset()
		}
		_ = c.Row(row)
	}
}

// chunkWriter records the largest single write it receives.
type chunkWriter struct {
	bytes.Buffer
	largest int
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	c.largest = max(c.largest, len(p))
	return c.Buffer.Write(p)
}

// A workbook reaches its writer in pieces as it is zipped, never as one buffer holding the whole file: a 2 M-row
// export must stream (PERFORMANCE.md: peak RSS ≤ 150 MB). 30,000 rows make a file of about 350 kB.
func TestXLSXStreamsToItsWriter(t *testing.T) {
	var w chunkWriter
	x, err := NewXLSX(&w, "名录", []string{"名称", "编号"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30000 {
		if err := x.Row([]any{"渝北区双龙湖街道锦华社区舞蹈队" + strings.Repeat("队", i%7), i}); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Len() < 256<<10 {
		t.Fatalf("workbook of %d bytes is too small to tell", w.Len())
	}
	if w.largest > 64<<10 {
		t.Fatalf("one write of %d bytes for a workbook of %d: the file was assembled in memory", w.largest, w.Len())
	}
	f, err := excelize.OpenReader(bytes.NewReader(w.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("名录")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 30001 || rows[0][0] != "名称" || rows[30000][1] != "29999" {
		t.Fatalf("%d rows; first %v, last %v", len(rows), rows[0], rows[len(rows)-1])
	}
}
