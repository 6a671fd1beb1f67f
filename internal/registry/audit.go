package registry

import "time"

// AuditFilter narrows an audit search. Before is a keyset cursor (the last id seen) for the next page.
type AuditFilter struct {
	Actor  string // username, exact
	Action string // prefix, e.g. login or account.
	Result string
	From   *time.Time
	To     *time.Time
	Before int64
	Limit  int
}
