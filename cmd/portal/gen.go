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

// runGen is `portal gen -orgs N -reports M`: scale data for `make bench`, N organizations and then M activity
// reports appended (without flags, 2,000,000 organizations). It refuses to run outside demo mode, so it cannot
// be pointed at production by mistake.
func runGen(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	orgs := fs.Int("orgs", 2_000_000, "organizations to append")
	reports := fs.Int("reports", 0, "activity reports to append, about five per live organization")
	if err := fs.Parse(args); err != nil {
		return err
	}
	orgsSet := false
	fs.Visit(func(f *flag.Flag) { orgsSet = orgsSet || f.Name == "orgs" })
	if *reports > 0 && !orgsSet {
		*orgs = 0
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if !cfg.Demo {
		return errors.New("gen writes invented data: run it with PORTAL_DEMO=true on a load-test database")
	}
	db, err := openAndMigrate(ctx, cfg.OwnerURL(), cfg.DataKey)
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
	ctx, cancel := context.WithTimeout(ctx, postgres.LoadTimeout)
	defer cancel()
	if *orgs > 0 {
		if err := genOrgs(ctx, db, towns, communities, box, *orgs, stdout); err != nil {
			return err
		}
	}
	if *reports > 0 {
		return genReports(ctx, db, communities, *reports, stdout)
	}
	return nil
}

func genOrgs(ctx context.Context, db *postgres.DB, towns, communities []portal.Division, box *sealbox.Box, orgs int, stdout io.Writer) error {
	have, err := db.CountOrganizationsAll(ctx)
	if err != nil {
		return err
	}
	g := seed.NewScaleGenerator(towns, communities, box)
	start := time.Now()
	err = db.BulkLoadOrganizations(ctx, seed.ScaleColumns, orgs, func(i int) []any { return g.Row(have + i) },
		func(done int) {
			fmt.Fprintf(stdout, "\r%d / %d organizations (%.0f%%)", done, orgs, 100*float64(done)/float64(orgs))
		})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%d organizations appended in %s (now %d)\n", orgs, time.Since(start).Round(time.Second), have+orgs)
	return nil
}

// genReports appends n activity reports for the live organizations (seed.GenerateReports).
func genReports(ctx context.Context, db *postgres.DB, communities []portal.Division, n int, stdout io.Writer) error {
	start := time.Now()
	res, err := seed.GenerateReports(ctx, db, communities, n, time.Now(), func(done int) {
		fmt.Fprintf(stdout, "\r%d / %d activity reports (%.0f%%)", done, n, 100*float64(done)/float64(n))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%d activity reports (%d rows with their corrections) appended for %d live organizations in %s (now %d)\n",
		n, res.Rows, res.Orgs, time.Since(start).Round(time.Second), res.Before+n)
	return nil
}
