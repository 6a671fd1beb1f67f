// Package testdb gives each test a fresh database on a real PostgreSQL, cloned from a template that holds the
// migrations and the demo data. The server is TEST_DATABASE_URL when set (any database on a server where we may
// create databases), or else the private cluster in .pgdata-test/, which the first test process starts.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/auth"
	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/pgcluster"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/migrations"
)

// DemoPassword is the demo accounts' password in every test database.
const DemoPassword = "Yubei@2021demo"

var (
	setupOnce sync.Once
	setupErr  error
	serverURL string // a URL of the maintenance database on the test server
	template  string // the template database's name
)

// New returns a fresh database for t, migrated and holding the demo data, dropped when t ends.
func New(t testing.TB) *postgres.DB {
	t.Helper()
	db, _ := NewWithURL(t)
	return db
}

// NewWithURL is New that also gives the database's URL, for tests that start the whole program.
func NewWithURL(t testing.TB) (*postgres.DB, string) {
	t.Helper()
	name := create(t, func() string { return ` TEMPLATE ` + pgx.Identifier{template}.Sanitize() + ` STRATEGY FILE_COPY` })
	return open(t, name), withDatabase(serverURL, name)
}

// create makes a database on the test server, CREATE DATABASE name followed by how(), and returns its name.
func create(t testing.TB, how func() string) string {
	t.Helper()
	setupOnce.Do(func() { setupErr = setup() })
	if setupErr != nil {
		t.Fatalf("test database: %v", setupErr)
	}
	ctx := context.Background()
	name := "t_" + randomHex(8)
	admin, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		t.Fatalf("test database: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()+how()); err != nil {
		t.Fatalf("test database: %v", err)
	}
	return name
}

// open opens the test database name, dropped when t ends.
func open(t testing.TB, name string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), withDatabase(serverURL, name), DemoKey())
	if err != nil {
		t.Fatalf("test database: %v", err)
	}
	t.Cleanup(func() {
		db.Close()
		c, err := pgx.Connect(context.Background(), serverURL)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`)
	})
	return db
}

// NewEmpty returns a fresh database for t with no schema and no data, dropped when t ends: for a test that
// migrates it step by step (postgres.DB.MigrateTo) to check a migration against the data before it.
func NewEmpty(t testing.TB) *postgres.DB {
	t.Helper()
	return open(t, create(t, func() string { return ` ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0` }))
}

// ServingRole is the login role the tests serve as, a member of portal_serving (migration 0033): it owns no
// table, so a grant a store method lacks fails the test that calls it, as it would fail in a deployment.
const ServingRole = "portal_web"

// servingPassword is ServingRole's password on a test server that asks for one (the private cluster trusts).
const servingPassword = "portal-web-test"

// ServingURL is dbURL signed in as ServingRole instead of the owner.
func ServingURL(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return dbURL
	}
	q := u.Query()
	if q.Has("user") {
		q.Set("user", ServingRole)
		q.Set("password", servingPassword)
		u.RawQuery = q.Encode()
	} else {
		u.User = url.UserPassword(ServingRole, servingPassword)
	}
	return u.String()
}

// NewServing is New plus the same database opened as the serving role: the portal under test uses serving,
// the test's own setup and checks use owner.
func NewServing(t testing.TB) (owner, serving *postgres.DB) {
	t.Helper()
	owner, u := NewWithURL(t)
	serving, err := postgres.Open(context.Background(), ServingURL(u), DemoKey())
	if err != nil {
		t.Fatalf("test database as %s: %v", ServingRole, err)
	}
	t.Cleanup(serving.Close) // runs before the owner's cleanup drops the database
	return owner, serving
}

// ensureServingRole makes ServingRole on the test server when missing.
func ensureServingRole(ctx context.Context, admin *pgx.Conn) error {
	_, err := admin.Exec(ctx, `DO $$
		BEGIN
			IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '`+ServingRole+`') THEN
				CREATE ROLE `+ServingRole+` LOGIN PASSWORD '`+servingPassword+`' IN ROLE portal_serving;
			END IF;
		END $$`)
	return err
}

func setup() error {
	ctx := context.Background()
	serverURL = os.Getenv("TEST_DATABASE_URL")
	if serverURL == "" {
		u, err := startCluster(ctx)
		if err != nil {
			return err
		}
		serverURL = u
	}
	template = "tmpl_" + fingerprint()
	admin, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", redact(serverURL), err)
	}
	defer admin.Close(ctx)
	// Test packages run as parallel processes; one of them builds the template, the others wait for it.
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(4242)`); err != nil {
		return err
	}
	defer admin.Exec(ctx, `SELECT pg_advisory_unlock(4242)`) //nolint:errcheck
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, template).
		Scan(&exists); err != nil {
		return err
	}
	if exists {
		return ensureServingRole(ctx, admin)
	}
	// Build under a temporary name and rename at the end, so a run that dies half-way leaves no template that
	// looks finished.
	building := template + "_building"
	if _, err := admin.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{building}.Sanitize()+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{building}.Sanitize()+
		` ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, withDatabase(serverURL, building), DemoKey())
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	if _, err := seed.LoadDemo(ctx, db, auth.NewHasher(1), DemoPassword); err != nil {
		return err
	}
	db.Close()
	if _, err = admin.Exec(ctx, `ALTER DATABASE `+pgx.Identifier{building}.Sanitize()+` RENAME TO `+
		pgx.Identifier{template}.Sanitize()); err != nil {
		return err
	}
	return ensureServingRole(ctx, admin)
}

// startCluster starts (or finds running) the private test cluster, serialising test processes with a lock file.
func startCluster(ctx context.Context) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, ".pgdata-test")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	lock, err := os.OpenFile(filepath.Join(root, ".pgdata-test.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck
	c, err := pgcluster.Open(dir, io.Discard)
	if err != nil {
		return "", err
	}
	if err := c.Start(ctx, true); err != nil {
		return "", err
	}
	return c.URL("postgres"), nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// fingerprint names the template after everything that goes into it, so a changed migration or seed makes a
// new template instead of reusing a stale one.
func fingerprint() string {
	h := sha256.New()
	_ = fs.WalkDir(migrations.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(migrations.FS, p)
		fmt.Fprintf(h, "%s\n%s\n", p, b)
		return nil
	})
	fmt.Fprint(h, seed.District(), seed.Towns(), seed.DemoCommunities(seed.Towns()), seed.DemoAccounts(), DemoPassword)
	fmt.Fprint(h, seedVersion, seed.SourceDigest())
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// seedVersion changes whenever LoadDemo starts loading more (organizations, reports …).
const seedVersion = 6

func withDatabase(base, db string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + db
	return u.String()
}

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparseable URL)"
	}
	return p.Redacted()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// DemoKey seals personal data in every test database: the test server runs in demo mode, with the demo key.
func DemoKey() *sealbox.Box {
	box, err := sealbox.New(config.DemoDataKey)
	if err != nil {
		panic("testdb: the demo key: " + err.Error())
	}
	return box
}
