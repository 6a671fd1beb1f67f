package main

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/testdb"
)

// A wrong PORTAL_DATA_KEY stops `portal serve` at start-up with ErrWrongDataKey, before it listens: on a
// database that has no canary yet (checked on a sealed phone number), and on one whose canary the right key
// left at its first start.
func TestWrongDataKeyStopsTheStart(t *testing.T) {
	db, dbURL := testdb.NewWithURL(t)
	wrongKey := base64.StdEncoding.EncodeToString([]byte("another-key-of-thirty-two-bytes!"))
	start := func(vars map[string]string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		stdout, stderr := &syncBuffer{}, &syncBuffer{}
		err := run(ctx, []string{"serve"}, env(vars), strings.NewReader(""), stdout, stderr)
		return stdout.String(), err
	}
	wrong := map[string]string{"DATABASE_URL": dbURL, "PORTAL_ADDR": "127.0.0.1:0", "PORTAL_DATA_KEY": wrongKey}
	if out, err := start(wrong); !errors.Is(err, postgres.ErrWrongDataKey) || strings.Contains(out, "listening") {
		t.Fatalf("first start with a wrong key: %v\n%s", err, out)
	}
	if v, _ := db.Fact(context.Background(), "data_key_canary"); v != "" {
		t.Fatal("the wrong key left a canary")
	}

	_, done, _ := startPortal(t, map[string]string{"DATABASE_URL": dbURL, "PORTAL_ADDR": "127.0.0.1:0", "PORTAL_DEMO": "true"})
	select {
	case err := <-done:
		t.Fatalf("the right key did not serve: %v", err)
	default:
	}
	if v, _ := db.Fact(context.Background(), "data_key_canary"); v == "" {
		t.Fatal("the first start with the right key left no canary")
	}

	if out, err := start(wrong); !errors.Is(err, postgres.ErrWrongDataKey) || strings.Contains(out, "listening") {
		t.Fatalf("a start with a wrong key after the canary: %v\n%s", err, out)
	}
}
