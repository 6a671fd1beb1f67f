package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// SECURITY.md 1: passwords are stored as argon2id hashes (OWASP's parameters), verify only with the right
// password, and hashing is bounded: with every slot taken, a hash waits at most until its deadline, then ErrBusy.
func TestHashIsArgon2idAndBounded(t *testing.T) {
	h := NewHasher(1)
	ctx := context.Background()
	hash, err := h.Hash(ctx, "Yubei@2021demo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(hash, "Yubei@2021demo") {
		t.Errorf("stored form %q", hash)
	}
	if ok, err := h.Verify(ctx, "Yubei@2021demo", hash); !ok || err != nil {
		t.Errorf("the right password: %v %v", ok, err)
	}
	if ok, _ := h.Verify(ctx, "Yubei@2021dem0", hash); ok {
		t.Error("a wrong password verified")
	}
	if ok, _ := h.Verify(ctx, "anything", ""); ok {
		t.Error("an unknown user's empty hash verified")
	}
	if err := h.acquire(ctx); err != nil { // the only slot, taken
		t.Fatal(err)
	}
	defer h.release()
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := h.Hash(short, "Another@2021pw"); !errors.Is(err, ErrBusy) {
		t.Errorf("a hash with every slot taken: %v, want ErrBusy", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("the queued hash waited %v past its deadline", took)
	}
}
