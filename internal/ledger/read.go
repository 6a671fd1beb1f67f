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

// Sheet is the table a workbook holds: the columns it names and its non-empty data rows.
type Sheet struct {
	Columns []string
	Rows    []Row
}

// Read reads the 台账 from an xlsx workbook. A file that is not an xlsx by its content, is larger than
// MaxFileSize, holds a formula in any cell, has more than MaxRows data rows or MaxCols columns, or lacks a
// column the 台账 needs is refused with a *Refusal naming the reason (and the cell, for a formula).
func Read(r io.Reader) (Sheet, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return Sheet{}, err
	}
	switch {
	case len(b) == 0:
		return Sheet{}, refuse("文件是空的，请选择填写好的台账文件（.xlsx）")
	case len(b) > MaxFileSize:
		return Sheet{}, refuse("文件超过 10 MB，请拆分成几个文件分别导入")
	case !bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return Sheet{}, refuse("文件不是 Excel 工作簿（.xlsx）。请用 Excel 或 WPS 另存为“Excel 工作簿(*.xlsx)”后再上传")
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return Sheet{}, refuse("文件已损坏或不是 Excel 工作簿（.xlsx）")
	}
	if err := findFormula(zr); err != nil {
		return Sheet{}, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: maxUnzipped,
		UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		return Sheet{}, refuse("文件已损坏或不是 Excel 工作簿（.xlsx）")
	}
	defer f.Close()
	sheet := SheetName
	if idx, _ := f.GetSheetIndex(SheetName); idx < 0 {
		list := f.GetSheetList()
		if len(list) == 0 {
			return Sheet{}, refuse("工作簿中没有工作表")
		}
		sheet = list[0]
	}
	if err := checkDimension(f, sheet); err != nil {
		return Sheet{}, err
	}
	return readRows(f, sheet)
}

// checkDimension refuses a sheet whose declared used range is too large before any row is read.
func checkDimension(f *excelize.File, sheet string) error {
	dim, err := f.GetSheetDimension(sheet)
	if err != nil || dim == "" {
		return nil // no declared range: readRows counts as it goes
	}
	last := dim
	if i := strings.IndexByte(dim, ':'); i >= 0 {
		last = dim[i+1:]
	}
	col, row, err := excelize.CellNameToCoordinates(last)
	if err != nil {
		return nil
	}
	return checkSize(row-1, col)
}

func checkSize(rows, cols int) error {
	switch {
	case rows > MaxRows:
		return refuse("台账超过 " + strconv.Itoa(MaxRows) + " 行（文件中约 " + strconv.Itoa(rows) +
			" 行），请拆分成几个文件分别导入")
	case cols > MaxCols:
		return refuse("台账超过 " + strconv.Itoa(MaxCols) + " 列，请使用下载的模板，删去多余的列")
	}
	return nil
}

// readRows reads the header and every non-empty row, with raw cell values (a date typed into a date cell comes
// as its serial number, which the checker understands, not as a locale's display format).
func readRows(f *excelize.File, sheet string) (Sheet, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return Sheet{}, refuse("无法读取工作表“" + sheet + "”")
	}
	defer rows.Close()
	var s Sheet
	index := map[string]int{}
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return Sheet{}, refuse("第 " + strconv.Itoa(n) + " 行无法读取")
		}
		if err := checkSize(n-1, len(cells)); err != nil {
			return Sheet{}, err
		}
		if n == 1 {
			for i, h := range cells {
				h = normalizeHeader(h)
				if h == "" {
					continue
				}
				if _, dup := index[h]; dup {
					return Sheet{}, refuse("第 1 行的列名“" + h + "”出现了两次")
				}
				index[h] = i
				s.Columns = append(s.Columns, h)
			}
			if missing := missingColumns(index); len(missing) > 0 {
				return Sheet{}, refuse("第 1 行缺少列：" + strings.Join(missing, "、") + "。请使用下载的模板填写")
			}
			continue
		}
		row := Row{Number: n, Cells: make(map[string]string, len(index))}
		empty := true
		for h, i := range index {
			if i < len(cells) {
				v := strings.TrimSpace(cells[i])
				row.Cells[h] = v
				empty = empty && v == ""
			}
		}
		if !empty {
			s.Rows = append(s.Rows, row)
		}
	}
	if err := rows.Error(); err != nil {
		return Sheet{}, refuse("工作表“" + sheet + "”无法读取")
	}
	if n == 0 {
		return Sheet{}, refuse("工作表“" + sheet + "”是空的，请使用下载的模板填写")
	}
	return s, nil
}

// normalizeHeader lets a header typed with full-width brackets or stray spaces match the template's.
func normalizeHeader(h string) string {
	h = strings.NewReplacer("（", "(", "）", ")", " ", "", "\u3000", "", "\n", "").Replace(h)
	return strings.TrimSuffix(h, "*") // a header marked required (负责人*) is the same column
}

// findFormula refuses a workbook any of whose worksheets holds a formula, naming the first such cell. Formulas
// are found in the sheet XML itself: excelize has no way to list them, and asking it cell by cell would cost
// more than reading the rows. A sheet without a formula element at all is passed over with a byte search.
func findFormula(zr *zip.Reader) error {
	names := sheetNames(zr)
	var total int64
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return refuse("文件已损坏或不是 Excel 工作簿（.xlsx）")
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxUnzipped-total+1))
		rc.Close()
		total += int64(len(b))
		if err != nil {
			return refuse("文件已损坏或不是 Excel 工作簿（.xlsx）")
		}
		if total > maxUnzipped {
			return refuse("文件解压后过大，请拆分成几个文件分别导入")
		}
		if !mayHoldFormula(b) {
			continue
		}
		if cell, found := formulaCell(b); found {
			sheet := names[zf.Name]
			if sheet == "" {
				sheet = path.Base(zf.Name)
			}
			return refuse("工作表“" + sheet + "”的单元格 " + cell + " 含有公式。为安全起见，台账中不能有公式：" +
				"请把公式单元格复制后“选择性粘贴 → 数值”，再上传")
		}
	}
	return nil
}

// mayHoldFormula is a quick test for a formula element (<f>, <f …>, <f/>, with or without a namespace prefix).
func mayHoldFormula(b []byte) bool {
	for _, tag := range []string{"<f>", "<f ", "<f/>", ":f>", ":f ", ":f/>"} {
		if bytes.Contains(b, []byte(tag)) {
			return true
		}
	}
	return false
}

// formulaCell decodes a sheet's XML and gives the reference of the first cell with a formula element.
func formulaCell(b []byte) (string, bool) {
	d := xml.NewDecoder(bytes.NewReader(b))
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
