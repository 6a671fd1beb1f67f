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

// SetSearchWindow makes a common term's search walk n rows before asking the bigram index, until restore is
// called, so that a test of a few hundred rows crosses the window's edge.
func SetSearchWindow(n int) (restore func()) {
	old := searchWindow
	searchWindow = n
	return func() { searchWindow = old }
}

// TermShare is termShare, for its table test.
var TermShare = termShare

// SetPublicWalk bounds the public directory's walk to n entries, calls a key common from probe postings, and
// makes a search's second tier read at most span postings of each other key, until restore is called, so that
// a test of a few hundred rows crosses every bound.
func SetPublicWalk(n, probe, span int) (restore func()) {
	old, oldProbe, oldSpan := publicWalk, probeCap, publicSpan
	publicWalk, probeCap, publicSpan = n, probe, span
	return func() { publicWalk, probeCap, publicSpan = old, oldProbe, oldSpan }
}

// SerialReads is serialReads, for the test that its setting lasts the batch and no longer.
const SerialReads = serialReads
