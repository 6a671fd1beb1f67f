package testdb

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/pgcluster"
	"github.com/yubei-cso/portal/internal/postgres"
)

// NewCluster starts a PostgreSQL cluster of t's own, holding one migrated demo database, and gives the cluster
// (for a test that stops and starts the server itself, which the shared test cluster must never be) and the
// database's URL. The cluster is stopped and removed when t ends.
func NewCluster(t testing.TB) (*pgcluster.Cluster, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := pgcluster.Open(t.TempDir(), io.Discard)
	if err != nil {
		t.Fatalf("own cluster: %v", err)
	}
	t.Cleanup(func() {
		if c.Running(context.Background()) {
			_ = c.Stop(context.Background())
		}
		_ = os.RemoveAll(c.Dir) // the fallback folder under /tmp, when the postgres account could not reach TempDir
	})
	if err := c.Start(ctx, true); err != nil {
		t.Fatalf("own cluster: %v", err)
	}
	admin, err := postgres.Open(ctx, c.URL("postgres"), nil)
	if err != nil {
		t.Fatalf("own cluster: %v", err)
	}
	err = admin.CreateDatabaseIfMissing(ctx, "portal")
	admin.Close()
	if err != nil {
		t.Fatalf("own cluster: %v", err)
	}
	// The demo database comes from a fresh clone on the shared test server through pg_dump and pg_restore, the
	// backup path of the README: far quicker than migrating and loading the demo data again.
	_, src := NewWithURL(t)
	dump := filepath.Join(t.TempDir(), "demo.dump")
	if err := pgTool(ctx, "pg_dump", "--format=custom", "--no-owner", "--no-acl", "--file="+dump, "--dbname="+src); err != nil {
		t.Fatalf("own cluster: %v", err)
	}
	u := c.URL("portal")
	if err := pgTool(ctx, "pg_restore", "--no-owner", "--no-acl", "--dbname="+u, dump); err != nil {
		t.Fatalf("own cluster: %v", err)
	}
	return c, u
}

// pgTool runs one of PostgreSQL's client programs.
func pgTool(ctx context.Context, name string, args ...string) error {
	prog, err := pgcluster.Program(name)
	if err != nil {
		return err
	}
	if out, err := exec.CommandContext(ctx, prog, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w\n%s", name, err, out)
	}
	return nil
}
