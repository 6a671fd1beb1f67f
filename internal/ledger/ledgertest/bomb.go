// Package ledgertest builds spreadsheet bombs for the tests of the portal's spreadsheet imports: the ledger's own
// tests and the process-level memory test of cmd/portal share them.
package ledgertest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"strings"
)

// Bomb is an xlsx of a few hundred kilobytes whose part inflates to about size bytes of head, then body repeated,
// then tail.
func Bomb(part, head, body, tail string, size int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	// A whole workbook as Excel writes it (content types, relationships, a sheet 台账, shared strings), so that a
	// reader that trusts a well-formed file reads the bomb rather than refusing a broken one.
	files := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
			`</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
	}
	if part != Sheet {
		files = append(files, struct{ name, data string }{Sheet, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
			`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>`})
	}
	if part != SharedStrings {
		files = append(files, struct{ name, data string }{SharedStrings, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>姓名</t></si></sst>`})
	}
	for _, f := range files {
		w, _ := zw.Create(f.name)
		_, _ = io.WriteString(w, f.data)
	}
	w, err := zw.Create(part)
	if err != nil {
		panic(err) // only a bad part name, which is the caller's mistake
	}
	_, _ = io.WriteString(w, head)
	chunk := []byte(strings.Repeat(body, max(1, (1<<20)/len(body))))
	for n := 0; n < size; n += len(chunk) {
		_, _ = w.Write(chunk)
	}
	_, _ = io.WriteString(w, tail)
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Sheet and SharedStrings are the parts of a workbook its bombs inflate.
const (
	Sheet         = "xl/worksheets/sheet1.xml"
	SharedStrings = "xl/sharedStrings.xml"
)

// Bombs are the four kinds of spreadsheet bomb, by name, each inflating to about size bytes.
func Bombs(size int) map[string][]byte {
	return map[string][]byte{
		"rows":          Bomb(Sheet, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`, `<row><c><v>1</v></c></row>`, `</sheetData></worksheet>`, size),
		"cells":         Bomb(Sheet, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row>`, `<c t="n"><v>1</v></c>`, `</row></sheetData></worksheet>`, size),
		"one cell":      Bomb(Sheet, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>`, `渝北区渝北区`, `</t></is></c></row></sheetData></worksheet>`, size),
		"shared string": Bomb(SharedStrings, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>`, `</t></si><si><t>夕阳红`, `</t></si></sst>`, size),
	}
}
