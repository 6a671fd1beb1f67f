package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/testdb"
)

// MoneyRows turns parallel workers off for its own batch only: inside the batch the setting is 0, and the next
// statement on the same connection has the server's setting again (a pooled connection must not keep it).
func TestSerialReadsLastTheBatchOnly(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var before, inside, after string
	if err := conn.QueryRow(ctx, `SHOW max_parallel_workers_per_gather`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if before == "0" {
		t.Fatal("the server's own setting is 0: the test cannot tell the batch's from it")
	}
	b := &pgx.Batch{}
	b.Queue(postgres.SerialReads)
	b.Queue(`SHOW max_parallel_workers_per_gather`).QueryRow(func(row pgx.Row) error { return row.Scan(&inside) })
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SHOW max_parallel_workers_per_gather`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if inside != "0" || after != before {
		t.Fatalf("max_parallel_workers_per_gather: %s before, %s inside the batch, %s after; want %s, 0, %s",
			before, inside, after, before, before)
	}
}
