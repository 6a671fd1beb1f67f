package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/yubei-cso/portal/internal/testdb"
)

// The floor must run every statement of a page once per request, answer with exactly the saved bytes, and fail
// a request whose statements fail: a floor that skipped the database would be measured as fast as nginx.
func TestFloorRunsThePageStatementsAndAnswersItsBytes(t *testing.T) {
	db, url := testdb.NewWithURL(t)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `CREATE SEQUENCE floor_runs`); err != nil {
		t.Fatal(err)
	}
	pool, err := openFloorPool(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	page := []byte("<!doctype html><p>组织列表</p>")
	srv := httptest.NewServer(floorHandler(pool, []floorPage{
		{stmts: []string{"SELECT count(*) FROM divisions WHERE code LIKE '500112%'", "SELECT nextval('floor_runs')"},
			body: page},
		{stmts: []string{"SELECT nextval('floor_runs')", "SELECT * FROM no_such_table"}, body: page},
	}))
	defer srv.Close()

	get := func(path string) (int, string) {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for range 3 {
		if status, body := get("/p/0"); status != http.StatusOK || body != string(page) {
			t.Fatalf("/p/0 = %d %q, want 200 and the saved page", status, body)
		}
	}
	var runs int64
	if err := db.Pool.QueryRow(ctx, `SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM floor_runs`).Scan(&runs); err != nil {
		t.Fatal(err)
	}
	if runs != 3 {
		t.Errorf("the statements ran %d times for 3 requests", runs)
	}
	if status, body := get("/p/1"); status != http.StatusInternalServerError {
		t.Errorf("a page whose statement fails answered %d %q", status, body)
	}
	for _, path := range []string{"/p/2", "/p/-1", "/p/x"} {
		if status, _ := get(path); status != http.StatusNotFound {
			t.Errorf("%s answered %d, want 404", path, status)
		}
	}
}
