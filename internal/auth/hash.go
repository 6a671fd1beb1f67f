// Package auth hashes and verifies passwords with argon2id, a bounded number at a time.
package auth

import (
	"context"
	"errors"
	"time"

	"github.com/alexedwards/argon2id"
)

// Params are OWASP's recommended argon2id settings (19 MiB, 2 passes, 1 lane).
var params = argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Hasher computes argon2id hashes; each takes 19 MiB, so at most `slots` run at once and the rest wait, which
// bounds memory under a flood of sign-in attempts.
type Hasher struct {
	slots chan struct{}
	// wait is how long a hash waits for a slot before giving up with ErrBusy: under a flood the queue must
	// not grow without bound, and a sign-in is better told "busy" than kept waiting a minute.
	wait time.Duration
	// dummy is verified against when a username does not exist, so that the answer takes as long either way.
	dummy string
}

// NewHasher makes a hasher that runs at most concurrency hashes at once.
func NewHasher(concurrency int) *Hasher {
	h := &Hasher{slots: make(chan struct{}, max(concurrency, 1)), wait: QueueWait}
	h.dummy, _ = argon2id.CreateHash("not-a-real-password", &params)
	return h
}

// QueueWait is how long a hash waits for a free slot at most.
const QueueWait = 5 * time.Second

// ErrBusy means every hashing slot stayed taken for QueueWait: the portal is flooded with sign-ins.
var ErrBusy = errors.New("auth: too many passwords being checked at once")

func (h *Hasher) acquire(ctx context.Context) error {
	t := time.NewTimer(h.wait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return ErrBusy // the request's time ran out in the queue
		}
		return ctx.Err()
	case <-t.C:
		return ErrBusy
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns the encoded argon2id hash of pw.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	return argon2id.CreateHash(pw, &params)
}

// Verify reports whether pw matches hash. An empty hash (unknown user) is compared against a dummy so that
// timing does not reveal whether the username exists.
func (h *Hasher) Verify(ctx context.Context, pw, hash string) (bool, error) {
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(pw, h.dummy)
		return false, nil
	}
	return argon2id.ComparePasswordAndHash(pw, hash)
}
