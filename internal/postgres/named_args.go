package postgres

import (
	"context"
	"regexp"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// namedArgs is pgx.NamedArgs whose rewriting of a statement's text is remembered. pgx reads the text of every
// statement sent with named arguments (@x) character by character to number them, on every execution: a
// tenth of the portal's CPU on a record page, for texts that are constants of this package. The first rewrite
// of a text is pgx's own; later ones reuse its text and its order of names, and only look the values up.
type namedArgs map[string]any

// rewrite is a statement's text as pgx numbers it, and the name behind each number.
type rewrite struct {
	sql   string
	names []string
}

var (
	rewrites      sync.Map     // statement text → *rewrite
	rewritesBytes atomic.Int64 // the texts kept, as written and numbered
	// argName finds every word after an @, a superset of the names pgx replaces (it skips those in quotes and
	// comments); a name found here that pgx leaves alone is simply never asked for.
	argName = regexp.MustCompile(`@([A-Za-z_][A-Za-z0-9_]*)`)
)

// rewritesMaxBytes bounds the memory of the texts remembered: the portal's statements are a few hundred of a
// few kilobytes, and texts built from values (none should be) would otherwise grow the map without end against
// a portal that must stay under 100 MB. Past it, a new text is numbered by pgx on every execution, as before.
const rewritesMaxBytes = 8 << 20

// placeholder stands for a name while pgx numbers a text, so that the number of each name can be read back.
type placeholder string

// RewriteQuery implements pgx.QueryRewriter.
func (na namedArgs) RewriteQuery(ctx context.Context, conn *pgx.Conn, sql string, args []any) (string, []any, error) {
	if v, ok := rewrites.Load(sql); ok {
		return v.(*rewrite).with(na)
	}
	stand := pgx.NamedArgs{}
	for _, m := range argName.FindAllStringSubmatch(sql, -1) {
		stand[m[1]] = placeholder(m[1])
	}
	numbered, marks, err := stand.RewriteQuery(ctx, conn, sql, args)
	if err != nil {
		return "", nil, err
	}
	rw := &rewrite{sql: numbered, names: make([]string, len(marks))}
	for i, m := range marks {
		p, ok := m.(placeholder)
		if !ok { // a name pgx reads that argName did not find: leave this text to pgx every time
			return pgx.NamedArgs(na).RewriteQuery(ctx, conn, sql, args)
		}
		rw.names[i] = string(p)
	}
	if size := int64(len(sql) + len(numbered)); rewritesBytes.Load()+size <= rewritesMaxBytes {
		if _, loaded := rewrites.LoadOrStore(sql, rw); !loaded {
			rewritesBytes.Add(size)
		}
	}
	return rw.with(na)
}

// with is the numbered text and na's values in the order of its numbers; a name without a value is NULL, as
// with pgx.NamedArgs.
func (rw *rewrite) with(na namedArgs) (string, []any, error) {
	values := make([]any, len(rw.names))
	for i, name := range rw.names {
		values[i] = na[name]
	}
	return rw.sql, values, nil
}
