package ledger_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/ledger"
)

// bomb is an xlsx of a few hundred kilobytes whose part inflates to about size bytes of head, then body repeated,
// then tail.
func bomb(t testing.TB, part, head, body, tail string, size int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	files := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>`},
		{"xl/workbook.xml", `<?xml version="1.0"?><workbook><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	}
	for _, f := range files {
		w, _ := zw.Create(f.name)
		_, _ = io.WriteString(w, f.data)
	}
	w, err := zw.Create(part)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(w, head)
	chunk := []byte(strings.Repeat(body, max(1, (1<<20)/len(body))))
	for n := 0; n < size; n += len(chunk) {
		_, _ = w.Write(chunk)
	}
	_, _ = io.WriteString(w, tail)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// SECURITY.md 14: a workbook that inflates to hundreds of megabytes is refused before it is parsed, by its
// decompressed size, its rows, its cells or an absurd run of bytes, and ten of them at once leave the heap
// bounded (the scan streams; nothing is inflated into memory).
func TestSpreadsheetBombsAreRefusedInBoundedMemory(t *testing.T) {
	const size = 128 << 20
	sheet := "xl/worksheets/sheet1.xml"
	bombs := map[string][]byte{
		"rows":          bomb(t, sheet, `<worksheet><sheetData>`, `<row><c><v>1</v></c></row>`, `</sheetData></worksheet>`, size),
		"cells":         bomb(t, sheet, `<worksheet><sheetData><row>`, `<c t="n"><v>1</v></c>`, `</row></sheetData></worksheet>`, size),
		"one cell":      bomb(t, sheet, `<worksheet><sheetData><row><c t="inlineStr"><is><t>`, `渝北区渝北区`, `</t></is></c></row></sheetData></worksheet>`, size),
		"shared string": bomb(t, "xl/sharedStrings.xml", `<sst><si><t>`, `</t></si><si><t>夕阳红`, `</t></si></sst>`, size),
	}
	for name, b := range bombs {
		if len(b) > 2<<20 {
			t.Fatalf("%s bomb is %d bytes: not a bomb", name, len(b))
		}
	}
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make([]error, 10)
	names := make([]string, 10)
	i := 0
	for name, b := range bombs {
		for k := 0; k < 10/len(bombs)+1 && i < 10; k++ {
			names[i] = name
			wg.Add(1)
			go func(i int, b []byte) {
				defer wg.Done()
				book, err := ledger.Open(bytes.NewReader(b))
				if err == nil {
					book.Close()
				}
				errs[i] = err
			}(i, b)
			i++
		}
	}
	wg.Wait()
	close(stop)
	<-sampled
	for i, err := range errs {
		var ref *ledger.Refusal
		if !errors.As(err, &ref) {
			t.Errorf("%s bomb: %v, want a refusal", names[i], err)
		}
	}
	grew := int64(peak) - int64(base.HeapInuse)
	t.Logf("heap grew by at most %d MB for ten bombs", grew>>20)
	if grew > 64<<20 {
		t.Errorf("ten bombs at once grew the heap by %d MB, want ≤ 64 MB", grew>>20)
	}
}
