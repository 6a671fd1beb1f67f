// Package export writes tables as files a clerk opens in Excel or WPS: xlsx through excelize's StreamWriter
// and CSV with a UTF-8 BOM. Rows go out one at a time, so an export of two million rows holds one row in
// memory (excelize keeps the sheet in a temporary file until the end), and every text cell is made safe
// against formula injection (SECURITY.md 18).
package export

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Table is a spreadsheet being written: a header row first, then Row for each record, then Close.
// Cells are strings or integers; strings are neutralised on the way out.
type Table interface {
	Row(cells []any) error
	// Close finishes the file. For xlsx this is when the bytes reach the writer: the zip's directory can only
	// be written once every row is known.
	Close() error
	// Discard gives up a table that will not be finished, removing any temporary file.
	Discard()
}

// Neutralize makes a text cell inert in a spreadsheet: a value that Excel, WPS or LibreOffice would read as
// a formula (=, +, -, @) or that can smuggle one past a naive check (a leading tab or carriage return) gets a
// leading apostrophe, which every spreadsheet shows as text.
func Neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// ContentDisposition is an attachment header for filename, which may be Chinese: an ASCII fallback for old
// clients and the real name in RFC 5987's percent-encoded UTF-8 form (filename*), which browsers prefer.
func ContentDisposition(filename, fallback string) string {
	return `attachment; filename="` + asciiFallback(fallback) + `"; filename*=UTF-8''` + rfc5987(filename)
}

// rfc5987 percent-encodes everything outside RFC 5987's attr-char set.
func rfc5987(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.IndexByte("!#$&+-.^_`|~", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func asciiFallback(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, s)
}

// cellText turns a cell into CSV text, neutralised.
func cellText(c any) string {
	switch v := c.(type) {
	case string:
		return Neutralize(v)
	case nil:
		return ""
	case int, int64, int32:
		return fmt.Sprint(v)
	default:
		return Neutralize(fmt.Sprint(v))
	}
}

// CSV writes comma-separated values: a UTF-8 byte order mark first, so that Excel on a Chinese Windows opens
// the file as UTF-8 rather than GBK, and CRLF line ends, which Excel expects.
type CSV struct {
	w    *csv.Writer
	line []string
}

// NewCSV starts a CSV table on w with its header row.
func NewCSV(w io.Writer, header []string) (*CSV, error) {
	bw := bufio.NewWriterSize(w, 32<<10)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return nil, err
	}
	c := &CSV{w: csv.NewWriter(bw)}
	c.w.UseCRLF = true
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	if err := c.Row(cells); err != nil {
		return nil, err
	}
	return c, nil
}

// Row writes one record. The csv writer buffers, so bytes reach w in blocks rather than per row.
func (c *CSV) Row(cells []any) error {
	c.line = c.line[:0]
	for _, v := range cells {
		c.line = append(c.line, cellText(v))
	}
	return c.w.Write(c.line)
}

// Close flushes what is buffered.
func (c *CSV) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// Discard does nothing: a CSV keeps no temporary file.
func (c *CSV) Discard() {}

// maxSheetRows is one worksheet's capacity below its header row; Excel stops at 1,048,576 rows, so a larger
// export continues on a second sheet instead of failing.
const maxSheetRows = excelize.TotalRows - 1

// XLSX writes an Excel workbook with one stream writer per sheet.
type XLSX struct {
	out       io.Writer
	f         *excelize.File
	sw        *excelize.StreamWriter
	sheet     string
	header    []any
	title     [][]any // rows above the header: what the sheet is, its jurisdiction, period, units, time of export
	headStyle int
	sheets    int
	row       int // the last row written on the current sheet
	perSheet  int // rows below the header before a new sheet starts
	cells     []any
}

// NewXLSX starts a workbook whose first sheet is named sheet, with header as its first row. Nothing reaches
// w until Close.
func NewXLSX(w io.Writer, sheet string, header []string) (*XLSX, error) {
	return newXLSX(w, sheet, nil, header, maxSheetRows)
}

// NewTitledXLSX is NewXLSX with title rows above the header on every sheet (the first in bold), one cell each:
// a clerk hands the sheet on as it is, knowing what, whose, which period, in what units and as of when.
func NewTitledXLSX(w io.Writer, sheet string, title, header []string) (*XLSX, error) {
	return newXLSX(w, sheet, title, header, maxSheetRows-len(title))
}

func newXLSX(w io.Writer, sheet string, title, header []string, perSheet int) (*XLSX, error) {
	f := excelize.NewFile()
	x := &XLSX{out: w, f: f, sheet: sheet, perSheet: perSheet}
	for _, t := range title {
		x.title = append(x.title, []any{Neutralize(t)})
	}
	for _, h := range header {
		x.header = append(x.header, excelize.Cell{Value: Neutralize(h)})
	}
	var err error
	if x.headStyle, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		_ = f.Close()
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		_ = f.Close()
		return nil, err
	}
	if err := x.startSheet(sheet); err != nil {
		_ = f.Close()
		return nil, err
	}
	return x, nil
}

// startSheet opens a stream writer on sheet (created unless it is the first) and writes the header row.
func (x *XLSX) startSheet(name string) error {
	if x.sheets > 0 {
		if _, err := x.f.NewSheet(name); err != nil {
			return err
		}
	}
	x.sheets++
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	// Column widths must come before the first row; 16 characters suits most columns, the name wider.
	if err := sw.SetColWidth(1, 1, 36); err != nil {
		return err
	}
	if len(x.header) > 1 {
		if err := sw.SetColWidth(2, len(x.header), 16); err != nil {
			return err
		}
	}
	top := len(x.title) + 1 // the header's row
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: top, TopLeftCell: "A" + strconv.Itoa(top+1),
		ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, t := range x.title {
		opts := []excelize.RowOpts{}
		if i == 0 {
			opts = append(opts, excelize.RowOpts{StyleID: x.headStyle})
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+1), t, opts...); err != nil {
			return err
		}
	}
	if err := sw.SetRow("A"+strconv.Itoa(top), x.header, excelize.RowOpts{StyleID: x.headStyle}); err != nil {
		return err
	}
	x.sw, x.row = sw, top
	return nil
}

// Row writes one record; text is neutralised and written as an inline string, never as a formula.
func (x *XLSX) Row(cells []any) error {
	if x.row-len(x.title)-1 >= x.perSheet {
		if err := x.sw.Flush(); err != nil {
			return err
		}
		if err := x.startSheet(fmt.Sprintf("%s（%d）", x.sheet, x.sheets+1)); err != nil {
			return err
		}
	}
	x.cells = x.cells[:0]
	for _, c := range cells {
		switch v := c.(type) {
		case string:
			x.cells = append(x.cells, Neutralize(v))
		case int, int64, int32, nil:
			x.cells = append(x.cells, v)
		default:
			x.cells = append(x.cells, Neutralize(fmt.Sprint(v)))
		}
	}
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.cells)
}

// Close finishes the last sheet, writes the workbook to w and removes excelize's temporary files.
//
// excelize's Write assembles the whole zip in memory before the first byte leaves (a 2 M-row export: a 200 MB
// buffer and 630 MB peak RSS). Its SetZipWriter hook is given the zip writer to use; ours writes to w and
// ignores the buffer excelize offers, so the archive streams from the sheets' temporary files to the client.
// The buffer stays empty; excelize only touches it again to mark entries over 4 GB, which a sheet of at most
// 1,048,575 rows never reaches.
func (x *XLSX) Close() error {
	err := x.sw.Flush()
	if err == nil {
		x.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(x.out) })
		_, err = x.f.WriteToBuffer()
	}
	return errors.Join(err, x.f.Close())
}

// Discard removes the temporary files of a workbook that will not be written (the export failed).
func (x *XLSX) Discard() { _ = x.f.Close() }
