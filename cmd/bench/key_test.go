package main

import (
	"bytes"
	"encoding/base64"
	"path/filepath"
	"testing"

	"github.com/yubei-cso/portal/internal/config"
)

// The load-test database keeps one key across runs, and it is never the published demo key, which serve refuses
// outside demo mode.
func TestBenchDataKeyIsMadeOnceAndKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench-data-key")
	first, err := benchDataKey(path)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(first)
	if err != nil || len(raw) != 32 {
		t.Fatalf("key %q: %d bytes, %v; want the base64 of 32 bytes", first, len(raw), err)
	}
	if bytes.Equal(raw, config.DemoDataKey) {
		t.Fatal("the bench uses the published demo key")
	}
	again, err := benchDataKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Fatalf("second run read %q, want the first run's %q", again, first)
	}
}
