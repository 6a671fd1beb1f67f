package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/web"
)

// TestRoutesAndCapabilityTableAgree reads the route map and the capability table together: every route of a
// tier's area is guarded by an action the table grants that tier, and every action the table grants a tier has
// at least one route there, so a row with no page or a page with no row fails.
func TestRoutesAndCapabilityTableAgree(t *testing.T) {
	a := newApp(t, nil)
	s := New(a.cfg, a.db, slog.New(slog.NewTextHandler(io.Discard, nil)), web.DemoLogin{})
	defer s.Close()
	routed := map[portal.Tier]map[portal.Action]bool{}
	err := chi.Walk(s.routes().(chi.Routes), func(method, pattern string, h http.Handler, _ ...func(http.Handler) http.Handler) error {
		tier, inArea := areaOf(pattern)
		if !inArea {
			return nil
		}
		g, ok := h.(guarded)
		if !ok {
			t.Errorf("%s %s names no action of the capability table", method, pattern)
			return nil
		}
		if !portal.Can(tier, g.action) {
			t.Errorf("%s %s performs %q, which the table does not grant %s", method, pattern, g.action, tier)
		}
		if routed[tier] == nil {
			routed[tier] = map[portal.Action]bool{}
		}
		routed[tier][g.action] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	grants := portal.Grants()
	if len(grants) != len(portal.Tiers) {
		t.Fatalf("the table grants actions to %d tiers, want %d", len(grants), len(portal.Tiers))
	}
	for tier, actions := range grants {
		for _, act := range actions {
			if !routed[tier][act] {
				t.Errorf("the table grants %s %q, but no route of /%s performs it", tier, act, tier)
			}
		}
	}
}

// areaOf names the tier whose area a route pattern lies in.
func areaOf(pattern string) (portal.Tier, bool) {
	for _, t := range portal.Tiers {
		if strings.HasPrefix(pattern, "/"+string(t)+"/") {
			return t, true
		}
	}
	return "", false
}

// TestAreaRefusesAnActionTheTableDoesNotGrant: mounting a route for a tier the table does not allow is caught
// when the routes are built, before any request.
func TestAreaRefusesAnActionTheTableDoesNotGrant(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a community route performing filings.decide was mounted")
		}
	}()
	ar := area{r: chi.NewRouter(), tier: portal.TierCommunity}
	ar.post("/filings/{id}/approve", portal.DecideFilings, func(http.ResponseWriter, *http.Request) {})
}

// TestGuardAnswersOnlyTiersThatMay: the per-request check reads the same table.
func TestGuardAnswersOnlyTiersThatMay(t *testing.T) {
	rs := &responder{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	reached := false
	g := guarded{action: portal.ReviewApplications, next: func(http.ResponseWriter, *http.Request) { reached = true }, rs: rs}
	for _, c := range []struct {
		tier portal.Tier
		want bool
	}{{portal.TierDistrict, true}, {portal.TierTown, false}, {portal.TierCommunity, false}, {"", false}} {
		reached = false
		r, _ := http.NewRequest(http.MethodPost, "/x", nil)
		if c.tier != "" {
			r = r.WithContext(context.WithValue(r.Context(), keyAccount, &portal.Account{Tier: c.tier}))
		}
		w := httptest.NewRecorder()
		g.ServeHTTP(w, r)
		if reached != c.want {
			t.Errorf("%q: reached=%v, want %v", c.tier, reached, c.want)
		}
		if !c.want && w.Code != http.StatusForbidden {
			t.Errorf("%q: status %d, want 403", c.tier, w.Code)
		}
	}
}
