package server

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/pgcluster"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
	"github.com/yubei-cso/portal/web"
)

// drillApp is a portal serving (as the serving role) the database at dbURL with key, its uploads in dir.
func drillApp(t *testing.T, dbURL, dir string, key []byte) *app {
	t.Helper()
	cfg := demoConfig(t)
	cfg.UploadDir, cfg.DataKey, cfg.PublicRate = dir, key, 1_000_000
	box, err := sealbox.New(key)
	if err != nil {
		t.Fatal(err)
	}
	owner, err := postgres.Open(context.Background(), dbURL, box)
	if err != nil {
		t.Fatal(err)
	}
	serving, err := postgres.Open(context.Background(), testdb.ServingURL(dbURL), box)
	if err != nil {
		t.Fatal(err)
	}
	s := New(cfg, serving, slog.New(slog.NewTextHandler(io.Discard, nil)), web.DemoLogin{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() { srv.Close(); s.Close(); serving.Close(); owner.Close() })
	return &app{t: t, srv: srv, db: owner, serving: serving, cfg: cfg}
}

// runTool runs a program of the backup procedure (pg_dump, tar …) and fails the test when it fails.
func runTool(t *testing.T, prog string, args ...string) {
	t.Helper()
	if out, err := exec.Command(prog, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(prog), strings.Join(args, " "), err, out)
	}
}

// sealedColumns is every sealed column of the schema with the context its values are sealed under.
var sealedColumns = []struct{ table, column, context string }{
	{"organizations", "leader_phone_enc", "leader_phone"}, {"organizations", "leader_id_enc", "leader_id"},
	{"filings", "leader_phone_enc", "leader_phone"}, {"filings", "leader_id_enc", "leader_id"},
	{"applications", "leader_phone_enc", "leader_phone"}, {"applications", "leader_id_enc", "leader_id"},
	{"major_activities", "contact_phone_enc", "contact_phone"},
	{"trainees", "phone_enc", "trainee_phone"}, {"trainees", "id_enc", "trainee_id"},
}

// SECURITY.md 24, the whole drill of the README's "Backup and restore": the database dumped (pg_dump), the
// upload folder archived (tar) and the data key kept apart, then all three restored into a new database and a
// new folder, and a portal started on them. Every document downloads byte for byte, every photo and thumbnail
// opens, every sealed value of every sealed column opens with the restored key (and a reveal through the portal
// shows it), every /verify token resolves; the restored database refuses another key (CheckDataKey).
func TestRestoreDrillDatabaseUploadsAndKey(t *testing.T) {
	key := config.DemoDataKey
	_, srcURL := testdb.NewWithURL(t)
	srcDir := filepath.Join(t.TempDir(), "uploads")
	src := drillApp(t, srcURL, srcDir, key)

	// What a deployment holds: a filing with its two documents, approved (so with a /verify token), and an
	// activity report with a photo.
	// 双龙湖's 经办 files, its 审核 decides.
	filing := fileFiling(t, src.signedIn("demo-town-file"), "复原")
	if res := approve(t, src.signedIn("demo-town-approve"), filing); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	community := src.signedIn("demo-community")
	report := reportIDFrom(t, community.postReportForm("/community/reports",
		reportForm(src.reportGroup(seed.CommunityDemo), "复原演练入户走访"), []reportFile{{"photos", "现场.png", reportPNG(t, 640, 400)}}))
	if err := src.db.CheckDataKey(context.Background()); err != nil { // the start-up check leaves its canary
		t.Fatal(err)
	}

	// Back up, as the README says.
	backup := t.TempDir()
	pgDump, err := pgcluster.Program("pg_dump")
	if err != nil {
		t.Fatal(err)
	}
	pgRestore, _ := pgcluster.Program("pg_restore")
	runTool(t, pgDump, "--format=custom", "--file="+filepath.Join(backup, "portal.dump"), "--dbname="+srcURL)
	runTool(t, "tar", "czf", filepath.Join(backup, "uploads.tgz"), "-C", srcDir, ".")
	keyFile := filepath.Join(backup, "data.key")
	if err := os.WriteFile(keyFile, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// Restore into a new place: an empty database, an empty folder, the key read back from its file.
	dst, dstURL := testdb.NewWithURL(t)
	if _, err := dst.Pool.Exec(context.Background(), `DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
		t.Fatal(err)
	}
	runTool(t, pgRestore, "--no-owner", "--dbname="+dstURL, filepath.Join(backup, "portal.dump"))
	dstDir := filepath.Join(t.TempDir(), "restored-uploads")
	if err := os.MkdirAll(dstDir, 0o700); err != nil {
		t.Fatal(err)
	}
	runTool(t, "tar", "xzf", filepath.Join(backup, "uploads.tgz"), "-C", dstDir)
	keyText, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "PORTAL_DEMO":
			return "true"
		case "PORTAL_DATA_KEY":
			return strings.TrimSpace(string(keyText))
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	restored := drillApp(t, dstURL, dstDir, cfg.DataKey)
	ctx := context.Background()
	if err := restored.db.CheckDataKey(ctx); err != nil {
		t.Fatalf("the restored key: %v", err)
	}

	// Every document opens, byte for byte what was stored.
	rtown := restored.signedIn("demo-town")
	var want, got []string
	rows, _ := restored.db.Pool.Query(ctx, `SELECT sha256 FROM org_documents ORDER BY 1`)
	want, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(want) == 0 {
		t.Fatalf("documents in the restored database: %d, %v", len(want), err)
	}
	page := rtown.get(filing)
	page.doc(t).Find("#documents a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		res := rtown.get(href)
		if res.StatusCode != http.StatusOK {
			t.Errorf("document %s: %d", href, res.StatusCode)
			return
		}
		sum := sha256.Sum256([]byte(res.Body))
		got = append(got, hex.EncodeToString(sum[:]))
	})
	sort.Strings(got)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("documents downloaded %v, stored %v", got, want)
	}

	// Every photo and its thumbnail open.
	rcommunity := restored.signedIn("demo-community")
	rows, _ = restored.db.Pool.Query(ctx, `SELECT report_id, id, sha256 FROM report_photos ORDER BY id`)
	type photo struct {
		report, id int64
		sum        string
	}
	photosStored, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (photo, error) {
		var p photo
		return p, r.Scan(&p.report, &p.id, &p.sum)
	})
	if err != nil || len(photosStored) == 0 || photosStored[0].report != report {
		t.Fatalf("photos in the restored database: %v, %v", photosStored, err)
	}
	for _, p := range photosStored {
		path := "/community/reports/" + strconv.FormatInt(p.report, 10) + "/photos/" + strconv.FormatInt(p.id, 10)
		res := rcommunity.get(path)
		sum := sha256.Sum256([]byte(res.Body))
		if res.StatusCode != http.StatusOK || hex.EncodeToString(sum[:]) != p.sum {
			t.Errorf("photo %s: %d, content as stored: %v", path, res.StatusCode, hex.EncodeToString(sum[:]) == p.sum)
		}
		if res := rcommunity.get(path + "/thumb"); res.StatusCode != http.StatusOK || len(res.Body) == 0 {
			t.Errorf("thumbnail %s: %d", path, res.StatusCode)
		}
	}

	// Every sealed value of every sealed column opens with the restored key.
	box, _ := sealbox.New(cfg.DataKey)
	opened := 0
	for _, c := range sealedColumns {
		rows, _ := restored.db.Pool.Query(ctx, `SELECT `+pgx.Identifier{c.column}.Sanitize()+` FROM `+
			pgx.Identifier{c.table}.Sanitize()+` WHERE `+pgx.Identifier{c.column}.Sanitize()+` IS NOT NULL`)
		sealed, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			t.Fatalf("%s.%s: %v", c.table, c.column, err)
		}
		for _, s := range sealed {
			if _, err := box.Open(s, c.context); err != nil {
				t.Errorf("a sealed %s.%s does not open after the restore: %v", c.table, c.column, err)
				break
			}
			opened++
		}
	}
	if opened < 100 {
		t.Errorf("only %d sealed values opened", opened)
	}
	// And a reveal through the restored portal shows the full number the filing sealed.
	var orgID int64
	if err := restored.db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE name LIKE '%复原舞蹈队'`).Scan(&orgID); err != nil {
		t.Fatal(err)
	}
	if res := rtown.post("/town/orgs/"+strconv.FormatInt(orgID, 10)+"/reveal", url.Values{"reason": {"复原演练核对"}}); res.StatusCode != http.StatusOK ||
		!strings.Contains(res.Body, filingTestPhone) {
		t.Errorf("reveal on the restored portal: %d, full phone shown %v", res.StatusCode, strings.Contains(res.Body, filingTestPhone))
	}

	// Every /verify token resolves.
	rows, _ = restored.db.Pool.Query(ctx, `SELECT verify_token FROM filings WHERE verify_token IS NOT NULL`)
	tokens, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tokens) < 2 {
		t.Fatalf("%d verify tokens: %v", len(tokens), err)
	}
	anon := restored.client()
	for _, tok := range tokens {
		res := anon.get("/verify/" + tok)
		if res.StatusCode != http.StatusOK || strings.TrimSpace(res.doc(t).Find("#verify-status").Text()) == "" {
			t.Errorf("/verify/%s on the restored portal: %d", tok, res.StatusCode)
		}
	}

	// Another key is refused by the restored database's canary.
	wrong, _ := sealbox.New([]byte("another-key-of-thirty-two-bytes!"))
	other, err := postgres.Open(ctx, dstURL, wrong)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.CheckDataKey(ctx); !errors.Is(err, postgres.ErrWrongDataKey) {
		t.Errorf("the restored database with another key: %v, want ErrWrongDataKey", err)
	}
}
