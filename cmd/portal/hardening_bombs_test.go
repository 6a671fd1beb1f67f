package main

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/ledger/ledgertest"
	"github.com/yubei-cso/portal/internal/testdb"
)

// bombChildEnv marks the child process TestImageBombsKeepThePortalSmall starts: in it, TestImageBombChild serves.
const bombChildEnv = "PORTAL_TEST_BOMB_CHILD"

// TestImageBombChild is not a test of its own: it is `portal serve` inside a process of its own (the test binary
// run again), so that its resident memory can be measured apart from the test's. Without bombChildEnv it returns.
func TestImageBombChild(t *testing.T) {
	if os.Getenv(bombChildEnv) == "" {
		t.Skip("runs only as the child of TestImageBombsKeepThePortalSmall")
	}
	if err := run(context.Background(), []string{"serve"}, os.Getenv, strings.NewReader(""), os.Stdout, os.Stderr); err != nil {
		t.Fatal(err)
	}
}

// pngBomb is a PNG whose header claims width × height pixels of the given bit depth and colour type. When full,
// its data holds every row, all zeros, in a few hundred kilobytes (the deflate block of one row of zeros repeated
// once a row): a true decompression bomb, which a decoder that trusts the header turns into width × height ×
// bytes-per-pixel of memory it writes to. Otherwise only the first row follows the header.
func pngBomb(t *testing.T, width, height uint32, depth, colour byte, full bool) []byte {
	t.Helper()
	var out bytes.Buffer
	out.Write([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
	chunk := func(kind string, data []byte) {
		_ = binary.Write(&out, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(kind))
		crc.Write(data)
		out.WriteString(kind)
		out.Write(data)
		_ = binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], width)
	binary.BigEndian.PutUint32(ihdr[4:], height)
	ihdr[8], ihdr[9] = depth, colour
	chunk("IHDR", ihdr)
	channels := map[byte]int{0: 1, 2: 3, 4: 2, 6: 4}[colour]
	row := make([]byte, 1+int(width)*channels*int(depth)/8) // filter byte 0, then zeros
	rows := uint32(1)
	if full {
		rows = height
	}
	// zlib by hand: header, deflate blocks, the Adler-32 of rows × len(row) zeros (a = 1, b = their count).
	idat := bytes.NewBuffer([]byte{0x78, 0xDA})
	fw, _ := flate.NewWriter(idat, flate.BestCompression)
	_, _ = fw.Write(row)
	_ = fw.Flush()
	if rows > 1 {
		mark := idat.Len()
		_, _ = fw.Write(row)
		_ = fw.Flush()
		again := bytes.Clone(idat.Bytes()[mark:]) // a row of zeros after zeros, ending on a byte boundary
		for range rows - 2 {
			idat.Write(again)
		}
	}
	_ = fw.Close()
	n := uint64(rows) * uint64(len(row))
	_ = binary.Write(idat, binary.BigEndian, uint32(n%65521)<<16|1)
	chunk("IDAT", idat.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// jpegBomb is a small real JPEG whose frame header (SOF0) is rewritten to claim width × height pixels: the
// scan data is that of a 16 × 16 picture, so a decoder that allocates by the header first pays for the claim.
func jpegBomb(t *testing.T, width, height uint16) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	j := b.Bytes()
	i := bytes.Index(j, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0 in the encoded JPEG")
	}
	binary.BigEndian.PutUint16(j[i+5:], height)
	binary.BigEndian.PutUint16(j[i+7:], width)
	return j
}

// peakRSS is the process's high-water resident memory (VmHWM), in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Skipf("no /proc to measure memory with: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM %q: %v", rest, err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM line")
	return 0
}

// SECURITY.md 14: ten image bombs sent at once as report photos — headers claiming gigapixels (PNG 8- and 16-bit,
// JPEG), and pictures at the very limit of what is accepted (20 megapixels that decode to 80 MB each) — are all
// answered (422, message at the photo field, nothing written), and the portal's peak resident memory stays under
// 300 MB. The portal runs in a process of its own with the serving settings, so the measure is its alone.
func TestImageBombsKeepThePortalSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a portal process and decodes 500 MB of pixels")
	}
	db, dbURL := testdb.NewWithURL(t)
	bombs := []struct {
		name    string
		data    []byte
		refused bool // the photo itself is refused (the others pass, and the form fails on its other fields)
	}{
		{"rgba8-10000x10000.png", pngBomb(t, 10000, 10000, 8, 6, true), true}, // 400 MB of pixels in the file
		{"gray8-60000x60000.png", pngBomb(t, 60000, 60000, 8, 0, false), true},
		{"rgba16-20000x20000.png", pngBomb(t, 20000, 20000, 16, 6, false), true},
		{"65000x65000.jpg", jpegBomb(t, 65000, 65000), true},
		{"rgba8-4579x4579.png", pngBomb(t, 4579, 4579, 8, 6, true), false}, // just under the bound: decoded whole
	}

	base, pid := startMeasuredPortal(t, dbURL)
	c := newPortalClient(t, base, "demo-community")
	send := c.send
	countReports := func() (n int) {
		if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM activity_reports`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	reportsBefore := countReports()
	before := peakRSS(t, pid)

	var wg sync.WaitGroup
	for i := range 10 {
		bomb := bombs[i%len(bombs)]
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("title", "炸弹测试")
		fw, _ := mw.CreateFormFile("photos", bomb.name)
		_, _ = fw.Write(bomb.data)
		_ = mw.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			status, page, err := send("/community/reports", mw.FormDataContentType(), &body)
			switch {
			case err != nil:
				t.Errorf("%s: no answer: %v", bomb.name, err)
			case status != http.StatusUnprocessableEntity:
				t.Errorf("%s: %d after %v, want 422\n%.300s", bomb.name, status, time.Since(start), page)
			case bomb.refused && !strings.Contains(page, bomb.name):
				t.Errorf("%s: the 422 page names no refused photo", bomb.name)
			}
		}()
	}
	wg.Wait()
	checkPeak(t, pid, before, "image bombs")
	if n := countReports(); n != reportsBefore {
		t.Errorf("%d reports written by refused forms", n-reportsBefore)
	}
}

// bombBudget is the resident memory the portal may reach with ten bombs at once (SECURITY.md 14, issue 18).
const bombBudget = 300 << 20

// checkPeak fails when the portal process pid went past bombBudget, its peak resident memory before being before.
func checkPeak(t *testing.T, pid int, before int64, what string) {
	t.Helper()
	peak := peakRSS(t, pid)
	t.Logf("peak resident memory of the portal: %d MB before the %s, %d MB after (budget %d MB)",
		before>>20, what, peak>>20, bombBudget>>20)
	if peak > bombBudget {
		t.Errorf("ten %s at once took the portal to %d MB resident, over %d MB", what, peak>>20, bombBudget>>20)
	}
}

// startMeasuredPortal starts `portal serve` with the serving settings on the database at dbURL in a process of
// its own (the test binary run again as TestImageBombChild), so that its resident memory is its alone, and
// returns its address and process id. The process is stopped when the test ends.
func startMeasuredPortal(t *testing.T, dbURL string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestImageBombChild$", "-test.v")
	cmd.Env = append(os.Environ(), bombChildEnv+"=1", "DATABASE_URL="+dbURL, "PORTAL_ADDR=127.0.0.1:0",
		"PORTAL_DEMO=true", "PORTAL_UPLOAD_DIR="+t.TempDir(), "GOGC=", "GOMEMLIMIT=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	baseCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text() + "\n"); m != nil {
				baseCh <- m[1]
			}
		}
	}()
	select {
	case base := <-baseCh:
		return base, cmd.Process.Pid
	case <-time.After(60 * time.Second):
		t.Fatalf("the portal process did not listen within 60 s\n%s", stderr.String())
	}
	return "", 0
}

// portalClient is a browser of the measured portal signed in as one demo account.
type portalClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newPortalClient(t *testing.T, base, username string) *portalClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	p := &portalClient{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	login := url.Values{"username": {username}, "password": {testdb.DemoPassword}}
	if status, _, err := p.send("/login", "application/x-www-form-urlencoded", strings.NewReader(login.Encode())); err != nil || status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d %v", username, status, err)
	}
	return p
}

// send posts body to path as a same-origin form would, and returns the status and the page.
func (p *portalClient) send(path, contentType string, body io.Reader) (int, string, error) {
	req, _ := http.NewRequest(http.MethodPost, p.base+path, body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", p.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := p.c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), nil
}

// SECURITY.md 14 at process level for spreadsheets: ten spreadsheet bombs (workbooks of a few hundred kilobytes
// inflating to 240 or 60 MB of rows, of cells in one row, of one cell's text, of shared strings) sent at once, and
// so on until every bomb went to every route that imports a spreadsheet — the 台账 import of a committee and of a town, the sign-in sheet of
// a town's and of the district's training session — are all answered 422 with the file refused at its field, the
// portal's peak resident memory stays under 300 MB, and nothing is written.
func TestSpreadsheetBombsKeepThePortalSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a portal process and sends 2.4 GB of inflated spreadsheets")
	}
	db, dbURL := testdb.NewWithURL(t)
	ctx := context.Background()
	one := func(sql string) (id int64) {
		if err := db.Pool.QueryRow(ctx, sql).Scan(&id); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return id
	}
	townSession := one(`SELECT s.id FROM training_sessions s JOIN accounts a ON a.division_code = s.town_code
		WHERE a.username = 'demo-town' ORDER BY s.id LIMIT 1`)
	districtSession := one(`SELECT id FROM training_sessions WHERE town_code IS NULL ORDER BY id LIMIT 1`)
	writes := func() (n int64) {
		return one(`SELECT (SELECT count(*) FROM import_jobs) + (SELECT count(*) FROM org_imports)
			+ (SELECT count(*) FROM training_attendance) + (SELECT count(*) FROM trainees)
			+ (SELECT count(*) FROM organizations)`)
	}
	base, pid := startMeasuredPortal(t, dbURL)
	routes := []struct {
		who, path, field string
	}{
		{"demo-community", "/community/orgs/import", "file"},
		{"demo-town", "/town/orgs/import", "file"},
		{"demo-town", "/town/training/sessions/" + strconv.FormatInt(townSession, 10) + "/import", "sheet"},
		{"demo-district", "/district/training/sessions/" + strconv.FormatInt(districtSession, 10) + "/import", "sheet"},
	}
	clients := map[string]*portalClient{}
	for _, rt := range routes {
		if clients[rt.who] == nil {
			clients[rt.who] = newPortalClient(t, base, rt.who)
		}
	}
	// Each kind twice: far over any limit (240 MB), and just under the 64 MB a whole workbook of the sign-in
	// sheet may inflate to.
	bombs := map[string][]byte{}
	for _, size := range []int{240 << 20, 60 << 20} {
		for name, b := range ledgertest.Bombs(size) {
			bombs[name+" "+strconv.Itoa(size>>20)+" MB"] = b
		}
	}
	var names []string
	for name, b := range bombs {
		if len(b) > 1<<20 {
			t.Fatalf("the %s bomb is %d bytes: not a bomb", name, len(b))
		}
		names = append(names, name)
	}
	sort.Strings(names)
	before, peakBefore := writes(), peakRSS(t, pid)

	// Every bomb to every route, ten at a time.
	for round := 0; round*10 < len(routes)*len(names); round++ {
		var wg sync.WaitGroup
		for k := round * 10; k < round*10+10; k++ {
			rt, name := routes[k%len(routes)], names[(k/len(routes))%len(names)]
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile(rt.field, "台账.xlsx")
			_, _ = fw.Write(bombs[name])
			_ = mw.Close()
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Now()
				status, page, err := clients[rt.who].send(rt.path, mw.FormDataContentType(), &body)
				switch {
				case err != nil:
					t.Errorf("%s bomb to %s: no answer: %v", name, rt.path, err)
				case status != http.StatusUnprocessableEntity:
					t.Errorf("%s bomb to %s: %d after %v, want 422\n%.300s", name, rt.path, status, time.Since(start), page)
				case !strings.Contains(page, `class="field bad" data-field="`+rt.field+`"`):
					t.Errorf("%s bomb to %s: 422 without a message at the file field", name, rt.path)
				}
			}()
		}
		wg.Wait()
	}
	checkPeak(t, pid, peakBefore, "spreadsheet bombs")
	if n := writes(); n != before {
		t.Errorf("refused spreadsheets wrote %d rows", n-before)
	}
}
