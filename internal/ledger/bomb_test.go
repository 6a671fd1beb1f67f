package ledger_test

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/ledger/ledgertest"
)

// SECURITY.md 14: a workbook that inflates to hundreds of megabytes is refused before it is parsed, by its
// decompressed size, its rows, its cells or an absurd run of bytes, and ten of them at once leave the heap
// bounded (the scan streams; nothing is inflated into memory).
func TestSpreadsheetBombsAreRefusedInBoundedMemory(t *testing.T) {
	const size = 128 << 20
	bombs := ledgertest.Bombs(size)
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

// A shared-strings part under the size limit but holding millions of texts behind two cells is refused by
// counting them, before excelize would load them all; so is the same bomb as a sign-in sheet (ledger.Scan).
func TestManyTextsBehindFewCellsAreRefused(t *testing.T) {
	b := ledgertest.Bombs(32 << 20)["shared string"]
	_, err := ledger.Open(bytes.NewReader(b))
	var ref *ledger.Refusal
	if !errors.As(err, &ref) || !strings.Contains(ref.Reason, "文字条目") {
		t.Errorf("32 MB of texts behind two cells: %v, want a refusal for the texts", err)
	}
	err = ledger.Scan(b, ledger.Limits{Noun: "签到表", Unzipped: 64 << 20, PartUnzipped: 64 << 20, Rows: 2000, Cells: 100_000})
	if !errors.As(err, &ref) || !strings.Contains(ref.Reason, "签到表") {
		t.Errorf("as a sign-in sheet: %v, want a refusal naming the 签到表", err)
	}
}
