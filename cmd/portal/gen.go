package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
)

// runGen is `portal gen -orgs N`: scale data for `make bench`. It refuses a database that holds real
// (non-demo) accounts, so it cannot be pointed at production by mistake.
func runGen(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	orgs := fs.Int("orgs", 2_000_000, "organizations to append")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if !cfg.Demo {
		return errors.New("gen writes invented data: run it with PORTAL_DEMO=true on a load-test database")
	}
	db, err := openAndMigrate(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := seed.LoadReference(ctx, db); err != nil {
		return err
	}
	towns := seed.Towns()
	communities := seed.DemoCommunities(towns)
	if err := db.UpsertDivisions(ctx, portal.Actor{Username: "gen", IP: "local"}, communities); err != nil {
		return err
	}
	box, err := sealbox.New(cfg.DataKey)
	if err != nil {
		return err
	}
	have, err := db.CountOrganizationsAll(ctx)
	if err != nil {
		return err
	}
	g := seed.NewScaleGenerator(towns, communities, box)
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, postgres.LoadTimeout)
	defer cancel()
	err = db.BulkLoadOrganizations(ctx, seed.ScaleColumns, *orgs, func(i int) []any { return g.Row(have + i) },
		func(done int) {
			fmt.Fprintf(stdout, "\r%d / %d organizations (%.0f%%)", done, *orgs, 100*float64(done)/float64(*orgs))
		})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%d organizations appended in %s (now %d)\n", *orgs, time.Since(start).Round(time.Second), have+*orgs)
	return nil
}
