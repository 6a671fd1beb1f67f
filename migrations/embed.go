// Package migrations embeds the numbered SQL migrations that the portal binary applies.
package migrations

import "embed"

// FS holds every NNNN_name.up.sql / .down.sql pair.
//
//go:embed *.sql
var FS embed.FS
