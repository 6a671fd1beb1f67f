package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/yubei-cso/portal/internal/auth"
	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
)

var cli = portal.Actor{Username: "cli", IP: "local"}

// runUser is `portal user add`: how a real deployment creates its first district administrator. The password
// is read from standard input (one line) or, when -generate is given, made up and printed once.
func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: portal user add -username U -name 姓名 -division CODE [-generate] < password")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	username := fs.String("username", "", "login name (lower-case letters, digits, . _ -)")
	name := fs.String("name", "", "the person's name")
	division := fs.String("division", seed.DistrictCode, "division code; its length decides the tier (6 district, 9 town, 12 community)")
	generate := fs.Bool("generate", false, "generate a password and print it instead of reading one from stdin")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	tier := portal.LevelOfCode(*division)
	if *username == "" || *name == "" || tier == "" {
		return errors.New("-username, -name and a 6, 9 or 12 digit -division are required")
	}
	var pw string
	if *generate {
		pw = generatedPassword()
	} else {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if p := portal.PasswordProblem(pw, *username); p != "" {
		return errors.New(p)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	db, err := openAndMigrate(ctx, cfg.OwnerURL(), cfg.DataKey)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := seed.LoadReference(ctx, db); err != nil {
		return err
	}
	hash, err := auth.NewHasher(1).Hash(ctx, pw)
	if err != nil {
		return err
	}
	id, err := db.CreateAccount(ctx, nil, cli, registry.NewAccount{Username: strings.ToLower(*username),
		DisplayName: *name, Tier: tier, DivisionCode: *division, PasswordHash: hash})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "account %s (id %d, %s, %s) created\n", *username, id, tier.Label(), *division)
	if *generate {
		fmt.Fprintf(stdout, "password (shown once): %s\n", pw)
	}
	return nil
}

// generatedPassword is 16 characters with all four classes.
func generatedPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = alphabet[int(c)%len(alphabet)]
	}
	return "Yb" + string(out) + "@7"
}

// runDivisions is `portal divisions import FILE`: the real community list replaces nothing, it upserts.
func runDivisions(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 2 || args[0] != "import" {
		return errors.New("usage: portal divisions import FILE.csv")
	}
	f, err := os.Open(args[1])
	if err != nil {
		return err
	}
	defer f.Close()
	towns := map[string]bool{}
	for _, t := range seed.Towns() {
		towns[t.Code] = true
	}
	ds, err := seed.ReadCommunities(f, towns)
	if err != nil {
		return fmt.Errorf("%s: nothing imported:\n%w", args[1], err)
	}
	db, err := openAndMigrate(ctx, ownerURL(getenv), nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := seed.LoadReference(ctx, db); err != nil {
		return err
	}
	if err := db.UpsertDivisions(ctx, cli, ds); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d communities imported\n", len(ds))
	return nil
}

func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "purge" {
		return errors.New("usage: portal audit purge")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	db, err := openFromEnv(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.PurgeAudit(ctx, cfg.AuditRetention)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d audit rows older than %d days deleted\n", n, int(cfg.AuditRetention.Hours()/24))
	return nil
}
