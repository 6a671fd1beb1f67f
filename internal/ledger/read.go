// Package ledger reads and checks a 台账 workbook: the spreadsheet in which a 镇街 or a 村(居)委会 lists its guided
// groups to import them at once. It does no I/O beyond the reader it is given: the caller supplies the
// communities the clerk may import into and turns the checked rows into records.
package ledger

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits of an accepted workbook (SECURITY.md 14).
const (
	MaxFileSize = 10 << 20 // bytes of the uploaded file
	MaxRows     = 100000   // data rows below the header
	MaxCols     = 40
	// maxUnzipped bounds what the file may inflate to, so that a small zip bomb is refused rather than expanded.
	maxUnzipped = 256 << 20
)

// SheetName is the worksheet the template puts the rows on; a workbook without it is read from its first sheet.
const SheetName = "台账"

// Refusal says why a whole file is not read, in words for the clerk.
type Refusal struct{ Reason string }

func (e *Refusal) Error() string { return e.Reason }

func refuse(reason string) error { return &Refusal{Reason: reason} }

// Row is one data row as typed: its number in the sheet (the header is row 1) and its cells by column header.
type Row struct {
	Number int
	Cells  map[string]string
}

// Book is a 台账 workbook that passed every check of the file as a whole, open at its first data row. Reading
// its rows is where the time goes (the sheet's XML is parsed as it is read), so Open does only what can be
// answered at once and Next reads the rest, letting the caller show how far it has come.
type Book struct {
	f     *excelize.File
	rows  *excelize.Rows
	sheet string
	index map[string]int
	ahead *Row // the first data row, read by Open to know the sheet is not empty
	n     int  // sheet rows read, the header included
	// Columns are the column headers the sheet names.
	Columns []string
	// Declared is how many data rows the sheet holds by its declared dimension or by the rows its XML has,
	// whichever is more (empty rows included): what progress is measured against.
	Declared int
}

// Open checks a 台账 as a whole and reads its header. A file that is not an xlsx by its content, is larger
// than MaxFileSize, holds a formula in any cell, declares more than MaxRows data rows or MaxCols columns, lacks
// a column the 台账 needs or has no data row is refused with a *Refusal naming the reason (and the cell, for a
// formula). The caller closes the book.
func Open(r io.Reader) (*Book, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	switch {
	case len(b) == 0:
		return nil, refuse("文件是空的，请选择填写好的台账文件（.xlsx）")
	case len(b) > MaxFileSize:
		return nil, refuse("文件超过 10 MB，请拆分成几个文件分别导入")
	case !bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return nil, refuse("文件不是 Excel 工作簿（.xlsx）。请用 Excel 或 WPS 另存为“Excel 工作簿(*.xlsx)”后再上传")
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, refuse("文件已损坏或不是 Excel 工作簿（.xlsx）")
	}
	rows, err := scanSheets(zr, ledgerLimits)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: maxUnzipped,
		UnzipXMLSizeLimit: sheetInMemory})
	if err != nil {
		return nil, refuse("文件已损坏或不是 Excel 工作簿（.xlsx）")
	}
	book := &Book{f: f, sheet: SheetName, index: map[string]int{}}
	if err := book.open(rows); err != nil {
		book.Close()
		return nil, err
	}
	return book, nil
}

// open finds the sheet, checks its size by the rows counted in its XML (rowsOf) and by its declared dimension,
// and reads its header and first data row.
func (b *Book) open(rowsOf map[string]int) error {
	if idx, _ := b.f.GetSheetIndex(SheetName); idx < 0 {
		list := b.f.GetSheetList()
		if len(list) == 0 {
			return refuse("工作簿中没有工作表")
		}
		b.sheet = list[0]
	}
	declared, err := checkDimension(b.f, b.sheet)
	if err != nil {
		return err
	}
	counted := max(rowsOf[b.sheet]-1, 0)
	if err := checkSize(counted, 0); err != nil {
		return err
	}
	b.Declared = max(declared, counted)
	if b.rows, err = b.f.Rows(b.sheet); err != nil {
		return refuse("无法读取工作表“" + b.sheet + "”")
	}
	cells, ok, err := b.nextCells()
	switch {
	case err != nil:
		return err
	case !ok:
		return refuse("工作表“" + b.sheet + "”是空的，请使用下载的模板填写")
	}
	for i, h := range cells {
		h = normalizeHeader(h)
		if h == "" {
			continue
		}
		if _, dup := b.index[h]; dup {
			return refuse("第 1 行的列名“" + h + "”出现了两次")
		}
		b.index[h] = i
		b.Columns = append(b.Columns, h)
	}
	if missing := missingColumns(b.index); len(missing) > 0 {
		return refuse("第 1 行缺少列：" + strings.Join(missing, "、") + "。请使用下载的模板填写")
	}
	row, ok, err := b.Next()
	switch {
	case err != nil:
		return err
	case !ok:
		return refuse("台账中没有数据行：请从第 2 行起每行填写一个组织")
	}
	b.ahead = &row
	return nil
}

// Next gives the next non-empty data row, with raw cell values (a date typed into a date cell comes as its
// serial number, which the checker understands, not as a locale's display format); ok is false after the last
// row. A row that cannot be read, or one past MaxRows or MaxCols, is a *Refusal.
func (b *Book) Next() (row Row, ok bool, err error) {
	if b.ahead != nil {
		row, b.ahead = *b.ahead, nil
		return row, true, nil
	}
	for {
		cells, ok, err := b.nextCells()
		if err != nil || !ok {
			return Row{}, false, err
		}
		row := Row{Number: b.n, Cells: make(map[string]string, len(b.index))}
		empty := true
		for h, i := range b.index {
			if i < len(cells) {
				v := strings.TrimSpace(cells[i])
				row.Cells[h] = v
				empty = empty && v == ""
			}
		}
		if !empty {
			return row, true, nil
		}
	}
}

func (b *Book) nextCells() ([]string, bool, error) {
	if !b.rows.Next() {
		if err := b.rows.Error(); err != nil {
			return nil, false, refuse("工作表“" + b.sheet + "”无法读取")
		}
		return nil, false, nil
	}
	b.n++
	cells, err := b.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, false, refuse("第 " + strconv.Itoa(b.n) + " 行无法读取")
	}
	if err := checkSize(b.n-1, len(cells)); err != nil {
		return nil, false, err
	}
	return cells, true, nil
}

// RowsRead is how many rows of the sheet below the header have been read, empty ones included: the progress to
// set against Declared.
func (b *Book) RowsRead() int { return max(b.n-1, 0) }

// Close releases the workbook.
func (b *Book) Close() {
	if b.rows != nil {
		_ = b.rows.Close()
	}
	_ = b.f.Close()
}

// checkDimension refuses a sheet whose declared used range is too large before any row is read, and gives the
// data rows it declares.
func checkDimension(f *excelize.File, sheet string) (int, error) {
	dim, err := f.GetSheetDimension(sheet)
	if err != nil || dim == "" {
		return 0, nil // no declared range: Next counts as it goes
	}
	last := dim
	if i := strings.IndexByte(dim, ':'); i >= 0 {
		last = dim[i+1:]
	}
	col, row, err := excelize.CellNameToCoordinates(last)
	if err != nil {
		return 0, nil
	}
	return max(row-1, 0), checkSize(row-1, col)
}

func checkSize(rows, cols int) error {
	switch {
	case rows > MaxRows:
		return tooManyRows(ledgerLimits, rows)
	case cols > MaxCols:
		return refuse("台账超过 " + strconv.Itoa(MaxCols) + " 列，请使用下载的模板，删去多余的列")
	}
	return nil
}

// normalizeHeader lets a header typed with full-width brackets or stray spaces match the template's.
func normalizeHeader(h string) string {
	h = strings.NewReplacer("（", "(", "）", ")", " ", "", "\u3000", "", "\n", "").Replace(h)
	return strings.TrimSuffix(h, "*") // a header marked required (负责人*) is the same column
}

// Limits that keep a zip bomb from being inflated into memory (SECURITY.md 14). Every part of the workbook is
// inflated once as a stream, before excelize parses anything, through a window of scanWindow bytes, so the scan
// holds kilobytes however much the file inflates to.
const (
	maxPartUnzipped = 64 << 20  // any part other than a worksheet (shared strings, styles …): excelize keeps these in memory
	maxCells        = 2_000_000 // <c> elements in all worksheets: 100,000 rows of 20 columns
	maxXMLRun       = 128 << 10 // bytes between two tags: a cell holds at most 32,767 characters
	scanWindow      = 64 << 10  // bytes read at a time
	sharedTextSlack = 10_000    // shared texts beyond the cells that could show them
	sheetInMemory   = 16 << 20  // worksheets larger than this are parsed by excelize from a temporary file
)

// Limits are what a workbook may inflate to and hold before anything parses it (SECURITY.md 14), and the word
// its refusals call it by.
type Limits struct {
	Noun         string // 台账, 签到表
	Unzipped     int64  // bytes of all parts together, inflated
	PartUnzipped int64  // bytes of any part but a worksheet (shared strings, styles …), which parsers keep in memory
	Rows         int    // data rows below the header of one sheet
	Cells        int    // <c> elements in all worksheets
}

// ledgerLimits are a 台账's.
var ledgerLimits = Limits{Noun: "台账", Unzipped: maxUnzipped, PartUnzipped: maxPartUnzipped, Rows: MaxRows, Cells: maxCells}

// Scan refuses, with a *Refusal naming the reason in words for the clerk, a workbook b (the whole uploaded file)
// that is not an xlsx, would inflate beyond l, or holds a formula. It reads every part once as a stream through a
// small window, so it holds kilobytes however much the file inflates to: a caller that then hands b to a parser
// that reads whole sheets into memory knows how much that can be.
func Scan(b []byte, l Limits) error {
	if !bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return refuse("文件不是 Excel 工作簿（.xlsx）。请用 Excel 或 WPS 另存为“Excel 工作簿(*.xlsx)”后再上传")
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return refuse("文件已损坏或不是 Excel 工作簿（.xlsx）")
	}
	_, err = scanSheets(zr, l)
	return err
}

func tooManyRows(l Limits, rows int) error {
	return refuse(l.Noun + "超过 " + strconv.Itoa(l.Rows) + " 行（文件中约 " + strconv.Itoa(rows) + " 行），请拆分成几个文件分别导入")
}

// scanSheets refuses a workbook that would inflate beyond what the portal takes, or any of whose worksheets holds
// a formula (naming the first such cell), and counts each worksheet's rows (by its name on the tab). It reads
// every part as a stream and stops at the first limit passed: the declared sizes are checked first and the real
// ones as they come, so a part that lies about its size is caught too. Limits: maxUnzipped in all,
// maxPartUnzipped for any part but a worksheet, MaxRows rows in a sheet, maxCells cells in all, and maxXMLRun
// bytes between two tags. Formulas are found in the sheet XML itself: excelize has no way to list them. The
// row count does not trust the sheet's declared dimension, which a streaming writer leaves at "A1".
func scanSheets(zr *zip.Reader, l Limits) (map[string]int, error) {
	var declared uint64
	for _, zf := range zr.File {
		declared += zf.UncompressedSize64
	}
	if declared > uint64(l.Unzipped) {
		return nil, refuse("文件解压后过大，请拆分成几个文件分别导入")
	}
	names := sheetNames(zr)
	rows := map[string]int{}
	var total int64
	cells, texts := 0, 0
	for _, zf := range zr.File {
		sheetPart := strings.HasPrefix(zf.Name, "xl/worksheets/") && strings.HasSuffix(zf.Name, ".xml")
		stringsPart := path.Base(zf.Name) == "sharedStrings.xml"
		limit := l.Unzipped - total
		if !sheetPart {
			limit = min(limit, l.PartUnzipped)
		}
		if zf.UncompressedSize64 > uint64(limit) {
			return nil, refuse("文件解压后过大，请拆分成几个文件分别导入")
		}
		sc := xmlScan{sheet: sheetPart, texts: stringsPart, l: l}
		n, err := sc.scan(zf, limit, l.Cells-cells)
		total += n
		if err != nil {
			return nil, err
		}
		if !sheetPart {
			texts += sc.cells
			continue
		}
		cells += sc.cells
		sheet := names[zf.Name]
		if sheet == "" {
			sheet = path.Base(zf.Name)
		}
		rows[sheet] = sc.rows
		if !sc.formula {
			continue
		}
		if cell, found := formulaCell(zf); found {
			return nil, refuse("工作表“" + sheet + "”的单元格 " + cell + " 含有公式。为安全起见，" + l.Noun + "中不能有公式：" +
				"请把公式单元格复制后“选择性粘贴 → 数值”，再上传")
		}
	}
	// A text is kept once however many cells show it, so a workbook holds no more texts than cells (with room
	// for a generator's leftovers): millions of texts behind a few cells are a bomb that a parser would load
	// whole before reading the first cell.
	if texts > cells+sharedTextSlack {
		return nil, refuse("文件中的文字条目远多于单元格，不是正常的" + l.Noun + "，请使用下载的模板填写")
	}
	return rows, nil
}

// xmlScan counts, in one part streamed through a small window, its bytes, the longest run between two tags,
// and for a worksheet its rows and cells and whether it may hold a formula element.
type xmlScan struct {
	l           Limits
	sheet       bool
	texts       bool // the shared strings: cells counts its texts (<si>)
	rows, cells int
	formula     bool
	run         int // bytes since the last '<'
}

// sheetTags are the tags a worksheet is scanned for, with or without a namespace prefix; tagOverlap bytes of
// each window are kept for the next, so a tag split between two reads is still seen once.
var (
	rowTags     = [][]byte{[]byte("<row "), []byte("<row>"), []byte(":row "), []byte(":row>")}
	textTags    = [][]byte{[]byte("<si>"), []byte("<si "), []byte(":si>"), []byte(":si ")}
	cellTags    = [][]byte{[]byte("<c "), []byte("<c>"), []byte(":c "), []byte(":c>")}
	formulaTags = [][]byte{[]byte("<f>"), []byte("<f "), []byte("<f/>"), []byte(":f>"), []byte(":f "), []byte(":f/>")}
)

const tagOverlap = 5

func (x *xmlScan) scan(zf *zip.File, limit int64, cellsLeft int) (int64, error) {
	broken := refuse("文件已损坏或不是 Excel 工作簿（.xlsx）")
	rc, err := zf.Open()
	if err != nil {
		return 0, broken
	}
	defer rc.Close()
	buf := make([]byte, tagOverlap+scanWindow)
	kept := 0 // bytes carried over from the previous window
	var total int64
	for {
		n, err := io.ReadFull(rc, buf[kept:])
		if n > 0 {
			total += int64(n)
			if total > limit {
				return total, refuse("文件解压后过大，请拆分成几个文件分别导入")
			}
			fresh := buf[kept : kept+n]
			for _, c := range fresh {
				if c == '<' {
					x.run = 0
				} else if x.run++; x.run > maxXMLRun {
					return total, refuse("文件中有超长的单元格或数据，不是正常的" + x.l.Noun + "，请使用下载的模板填写")
				}
			}
			if x.texts {
				x.cells += countTagsEndingAfter(buf[:kept+n], textTags, kept)
				if x.cells > x.l.Cells+sharedTextSlack {
					return total, refuse("文件中的文字条目远多于单元格，不是正常的" + x.l.Noun + "，请使用下载的模板填写")
				}
			}
			if x.sheet {
				// Count tags that end in the fresh bytes: those wholly in the kept bytes were counted before.
				w := buf[:kept+n]
				x.rows += countTagsEndingAfter(w, rowTags, kept)
				x.cells += countTagsEndingAfter(w, cellTags, kept)
				x.formula = x.formula || containsTagEndingAfter(w, formulaTags, kept)
				if x.rows-1 > x.l.Rows {
					return total, tooManyRows(x.l, x.rows-1)
				}
				if x.cells > cellsLeft {
					return total, refuse(x.l.Noun + "的单元格超过 " + strconv.Itoa(x.l.Cells) + " 个，请拆分成几个文件分别导入")
				}
			}
			l := kept + n
			kept = min(tagOverlap, l)
			copy(buf, buf[l-kept:l])
		}
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return total, nil
		case err != nil:
			return total, broken
		}
	}
}

func countTagsEndingAfter(b []byte, tags [][]byte, from int) int {
	n := 0
	for _, tag := range tags {
		for i := 0; ; {
			j := bytes.Index(b[i:], tag)
			if j < 0 {
				break
			}
			if i+j+len(tag) > from {
				n++
			}
			i += j + 1
		}
	}
	return n
}

func containsTagEndingAfter(b []byte, tags [][]byte, from int) bool {
	return countTagsEndingAfter(b, tags, from) > 0
}

// formulaCell decodes a sheet's XML as a stream and gives the reference of the first cell with a formula
// element. scanSheets has checked the part's size and runs first.
func formulaCell(zf *zip.File) (string, bool) {
	rc, err := zf.Open()
	if err != nil {
		return "（无法定位）", true
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, maxUnzipped))
	row, col := 0, 0
	ref := ""
	for {
		tok, err := d.Token()
		if err != nil {
			// Undecodable XML with a formula-like tag: refuse rather than guess.
			return "（无法定位）", !errors.Is(err, io.EOF)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "row":
			row++
			if v := attr(se, "r"); v != "" {
				if n, err := strconv.Atoi(v); err == nil {
					row = n
				}
			}
			col = 0
		case "c":
			col++
			ref = attr(se, "r")
			if ref != "" {
				if c, r, err := excelize.CellNameToCoordinates(ref); err == nil {
					col, row = c, r
				}
			} else if name, err := excelize.CoordinatesToCellName(col, max(row, 1)); err == nil {
				ref = name
			}
		case "f":
			return ref, true
		}
	}
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// sheetNames maps each worksheet's part name to the name the clerk sees on its tab.
func sheetNames(zr *zip.Reader) map[string]string {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	readXML(zr, "xl/workbook.xml", &wb)
	readXML(zr, "xl/_rels/workbook.xml.rels", &rels)
	target := map[string]string{}
	for _, r := range rels.Rel {
		t := strings.TrimPrefix(r.Target, "/")
		if !strings.HasPrefix(t, "xl/") {
			t = "xl/" + t
		}
		target[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		if t := target[s.ID]; t != "" {
			out[t] = s.Name
		}
	}
	return out
}

func readXML(zr *zip.Reader, name string, v any) {
	for _, zf := range zr.File {
		if zf.Name != name {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return
		}
		_ = xml.NewDecoder(io.LimitReader(rc, 4<<20)).Decode(v)
		rc.Close()
		return
	}
}
