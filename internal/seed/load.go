package seed

import (
	"context"
	"errors"
	"time"

	"github.com/yubei-cso/portal/internal/auth"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// system is the actor of seeding and imports run from the command line.
var system = portal.Actor{Username: "system", IP: "local"}

// LoadReference puts 渝北区 and its 30 towns into the database (idempotent).
func LoadReference(ctx context.Context, db *postgres.DB) error {
	return db.UpsertDivisions(ctx, system, append([]portal.Division{District()}, Towns()...))
}

// LoadDemo loads the demo data once: demo communities, the demo accounts with the demo password and the demo
// organizations, whose leader phones and 身份证号 box seals. It reports whether it loaded anything (false when
// the database already has it).
func LoadDemo(ctx context.Context, db *postgres.DB, h *auth.Hasher, password string) (bool, error) {
	done, err := db.Fact(ctx, "demo_loaded")
	if err != nil || done != "" {
		return false, err
	}
	if err := LoadReference(ctx, db); err != nil {
		return false, err
	}
	if err := db.UpsertDivisions(ctx, system, DemoCommunities(Towns())); err != nil {
		return false, err
	}
	hash, err := h.Hash(ctx, password)
	if err != nil {
		return false, err
	}
	for _, a := range DemoAccounts() {
		_, err := db.CreateAccount(ctx, nil, system, registry.NewAccount{Username: a.Username,
			DisplayName: a.DisplayName, Tier: a.Tier, Role: a.Role, DivisionCode: a.Division, PasswordHash: hash})
		if err != nil && !errors.Is(err, registry.ErrUsernameTaken) {
			return false, err
		}
	}
	if err := LoadDemoOrganizations(ctx, db); err != nil {
		return false, err
	}
	if err := LoadDemoFilings(ctx, db); err != nil {
		return false, err
	}
	if err := LoadDemoOffices(ctx, db); err != nil {
		return false, err
	}
	if err := LoadDemoApplications(ctx, db); err != nil {
		return false, err
	}
	if err := LoadDemoNotices(ctx, db, time.Now()); err != nil {
		return false, err
	}
	if err := LoadDemoReports(ctx, db); err != nil {
		return false, err
	}
	if err := LoadDemoWorkReports(ctx, db, time.Now()); err != nil {
		return false, err
	}
	if err := LoadDemoTargets(ctx, db); err != nil {
		return false, err
	}
	if err := LoadDemoCultivation(ctx, db, time.Now()); err != nil {
		return false, err
	}
	if err := LoadDemoTraining(ctx, db, time.Now()); err != nil { // after the platforms: sessions use their rooms
		return false, err
	}
	if err := LoadDemoMatching(ctx, db, time.Now()); err != nil {
		return false, err
	}
	if err := LoadDemoCases(ctx, db, time.Now()); err != nil {
		return false, err
	}
	if err := LoadDemoAnnouncements(ctx, db, time.Now()); err != nil {
		return false, err
	}
	if err := LoadDemoIssue17(ctx, db, time.Now()); err != nil { // 三会一课 and 站内消息
		return false, err
	}
	if err := LoadDemoDisclosures(ctx, db, time.Now()); err != nil {
		return false, err
	}
	if err := LoadDemoOrgMoves(ctx, db); err != nil { // issue 13: a guided group filed on its record, a transfer
		return false, err
	}
	return true, db.SetFact(ctx, "demo_loaded", "yes")
}
