// What every list shares: a total that stops counting at CountCap, an export that reads one row at a time and
// leaves one audit row however it ends, scanning into fields, and the words and plans of statements kept on the
// Lookups pool.
package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// cappedTotal runs a count query whose inner select ends in LIMIT @cap, so that a total costs at most
// CountCap index entries however many rows match.
func (db *DB) cappedTotal(ctx context.Context, sql string, args namedArgs) (registry.ListTotal, error) {
	args["cap"] = registry.CountCap + 1
	var n int
	if err := db.pool(planFresh).QueryRow(ctx, sql, args).Scan(&n); err != nil {
		return registry.ListTotal{}, translate(err)
	}
	return capped(n), nil
}

// capped is a count of at most CountCap + 1 matches as a total.
func capped(n int) registry.ListTotal {
	if n > registry.CountCap {
		return registry.ListTotal{N: registry.CountCap, More: true}
	}
	return registry.ListTotal{N: n}
}

// stmtArgs are a statement's arguments, numbered $1, $2, … as its text is written. Numbering them while
// writing spares pgx rewriting @names into numbers on every execution, a measurable share of a list page's CPU.
type stmtArgs []any

// add appends v and gives its placeholder.
func (a *stmtArgs) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// eachRow runs sql and hands fn each row as scan reads it, without collecting them, so that an export of
// millions of rows holds one in memory. It stops at fn's first error and returns the rows handed over.
//
// The rows are read in a transaction of their own without the serving statement_timeout: a large export rightly
// streams for longer than a page's statements may run.
func eachRow[T any](ctx context.Context, db *DB, sql string, args []any, scan pgx.RowToFunc[T], fn func(T) error) (int, error) {
	tx, err := db.pool(planFresh).Begin(ctx)
	if err != nil {
		return 0, translate(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read only; ends the transaction
	if err := unboundedStatements(ctx, tx); err != nil {
		return 0, translate(err)
	}
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return 0, translate(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return n, translate(err)
		}
		if err := fn(r); err != nil {
			return n, err
		}
		n++
	}
	return n, translate(rows.Err())
}

// streamRows is eachRow for rows scanned by name into R and turned into T by conv.
func streamRows[R, T any](ctx context.Context, db *DB, sql string, args namedArgs, conv func(R) T, fn func(T) error) (int, error) {
	return eachRow(ctx, db, sql, []any{args}, func(row pgx.CollectableRow) (T, error) {
		r, err := pgx.RowToStructByName[R](row)
		return conv(r), err
	}, fn)
}

// exportAudit describes an export for its audit row.
type exportAudit struct {
	action     string // e.g. application.export
	objectType string
	format     string // xlsx or csv
	filter     string // the filter's summary: codes and words from fixed lists, never personal data
}

// auditedExport runs stream and then writes one audit row saying how many rows left and under which filter.
// As with ExportOrganizations, the row is written after the rows (only then is the count known) and even when
// stream fails — a client that goes away cancels ctx, hence context.WithoutCancel — marked failed with the
// count reached, because rows already sent are out of the registry all the same.
func (db *DB) auditedExport(ctx context.Context, actor portal.Actor, e exportAudit, stream func() (int, error)) (int, error) {
	n, err := stream()
	result := portal.ResultOK
	if err != nil {
		result = portal.ResultFailed
	}
	auditCtx := context.WithoutCancel(ctx)
	if aerr := db.inTx(auditCtx, func(tx pgx.Tx) error {
		return audit(auditCtx, tx, portal.AuditEntry{Actor: actor, Action: e.action, ObjectType: e.objectType,
			Result: result, Detail: e.format + " " + strconv.Itoa(n) + " 行; " + e.filter})
	}); aerr != nil && err == nil {
		err = translate(aerr)
	}
	return n, err
}

// explainKept is the plan the Lookups pool keeps for sql (EXPLAIN EXECUTE of it prepared by name): the plan
// made without the arguments' values.
func (db *DB) explainKept(ctx context.Context, sql string, values stmtArgs) (string, error) {
	conn, err := db.pool(planKept).Acquire(ctx)
	if err != nil {
		return "", translate(err)
	}
	defer conn.Release()
	// EXPLAIN EXECUTE of a statement prepared by name shows the plan the pool's settings keep for it.
	if _, err := conn.Exec(ctx, "PREPARE explained_list AS "+sql); err != nil {
		return "", translate(err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "DEALLOCATE explained_list") //nolint:errcheck // gone with the session otherwise
	// EXECUTE takes no bound parameters, so the values are written as literals: codes, ids, a name term and
	// dates.
	params := make([]string, len(values))
	for i, v := range values {
		switch v := v.(type) {
		case string:
			params[i] = sqlWord(v)
		case int64:
			params[i] = strconv.FormatInt(v, 10)
		case time.Time:
			params[i] = sqlWord(v.Format("2006-01-02"))
		default:
			return "", fmt.Errorf("explain: argument %d is a %T", i+1, v)
		}
	}
	rows, _ := conn.Query(ctx, "EXPLAIN EXECUTE explained_list("+strings.Join(params, ", ")+")")
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return strings.Join(lines, "\n"), translate(err)
}
