package postgres

import "time"

// SetDivisionCacheTTL lets a test stand for another process's change without waiting a minute.
func SetDivisionCacheTTL(db *DB, ttl time.Duration) {
	db.divisions.mu.Lock()
	db.divisions.ttl = ttl
	db.divisions.mu.Unlock()
}

// DigitsAfter is digitsAfter, for its table test.
var DigitsAfter = digitsAfter
